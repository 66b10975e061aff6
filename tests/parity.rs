//! Parity with MediaPipe's own PoseLandmarker on the fixture images.
//!
//! `fixtures/reference_landmarks.json` holds the landmarks MediaPipe Tasks
//! (PyPI mediapipe 1.2.2) found with the same lite weights, written by
//! `tools/reference_landmarks.py`. Each image is analysed on its own, as the
//! reference did (detector, then one landmark pass).

mod common;

use chintuck::pose::PoseEstimator;
use chintuck::pose::blazepose::LandmarkModel;
use common::{distance, estimator, load_fixture, repo_root};
use serde_json::Value;

/// Landmarks 0-12: nose, eyes, ears, mouth, shoulders: what posture is measured from.
const COMPARED: usize = 13;
const MAX_MEDIAN_ERROR_PX: f32 = 1.5;
const MAX_ERROR_PX: f32 = 5.0;

#[test]
fn head_and_shoulder_landmarks_match_mediapipe() {
    let text =
        std::fs::read_to_string(repo_root().join("fixtures/reference_landmarks.json")).unwrap();
    let reference: Value = serde_json::from_str(&text).unwrap();
    let images = reference["images"].as_object().unwrap();
    assert!(
        images.len() >= 3,
        "expected the three fixture photos at least"
    );
    let mut pose = estimator(LandmarkModel::Lite);
    let mut compared_images = 0;
    let mut report = String::new();
    let mut failures = Vec::new();
    for (name, expected) in images {
        pose.reset_tracking();
        let frame = load_fixture(name);
        assert_eq!(frame.width() as u64, expected["width"].as_u64().unwrap());
        let found = pose.estimate(&frame).unwrap();
        let (Some(found), true) = (found, expected["person"].as_bool().unwrap()) else {
            report.push_str(&format!(
                "{name}: skipped (a person found by only one side)\n"
            ));
            continue;
        };
        compared_images += 1;
        let mut errors: Vec<f32> = expected["landmarks"].as_array().unwrap()[..COMPARED]
            .iter()
            .zip(&found.landmarks)
            .map(|(want, got)| {
                distance(
                    (got.x, got.y),
                    (
                        want["x"].as_f64().unwrap() as f32,
                        want["y"].as_f64().unwrap() as f32,
                    ),
                )
            })
            .collect();
        let worst = errors.iter().cloned().fold(0.0, f32::max);
        errors.sort_by(f32::total_cmp);
        let median = errors[COMPARED / 2];
        report.push_str(&format!(
            "{name}: median {median:.2} px, max {worst:.2} px ({} region)\n",
            found.roi_source.as_str()
        ));
        if median > MAX_MEDIAN_ERROR_PX || worst > MAX_ERROR_PX {
            failures.push(name.clone());
        }
    }
    println!("{report}");
    assert!(
        failures.is_empty(),
        "landmarks differ from MediaPipe on {failures:?}:\n{report}"
    );
    assert!(compared_images >= 2, "too few images compared:\n{report}");
}
