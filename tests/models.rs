//! The shipped model files are the ones chintuck was built to verify, and a
//! missing or damaged model is a clear error naming the file.

mod common;

use chintuck::pose::PoseError;
use chintuck::pose::blazepose::{BlazePose, LandmarkModel, ModelSource, models};
use common::repo_root;

#[test]
fn shipped_models_match_sha256sums() {
    let sums = std::fs::read_to_string(repo_root().join("models/SHA256SUMS")).unwrap();
    let mut checked = 0;
    for line in sums.lines().filter(|line| !line.trim().is_empty()) {
        let (expected, name) = line.split_once("  ").expect("sha256sum format");
        let bytes = std::fs::read(repo_root().join("models").join(name)).unwrap();
        assert_eq!(
            models::hex_sha256(&bytes),
            expected,
            "{name} differs from SHA256SUMS"
        );
        checked += 1;
    }
    assert_eq!(
        checked, 4,
        "SHA256SUMS should list the detector, both landmark models and the face mesh model"
    );
}

#[test]
fn a_corrupt_model_is_refused_with_its_path_and_expected_checksum() {
    let dir = tempfile::tempdir().unwrap();
    for file in [models::DETECTOR_FILE, LandmarkModel::Lite.file_name()] {
        std::fs::copy(repo_root().join("models").join(file), dir.path().join(file)).unwrap();
    }
    // Flip one byte in the middle of the landmark model's weights.
    let damaged = dir.path().join(LandmarkModel::Lite.file_name());
    let mut bytes = std::fs::read(&damaged).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&damaged, &bytes).unwrap();

    let err = BlazePose::load(
        &ModelSource::Folder(dir.path().to_owned()),
        LandmarkModel::Lite,
    )
    .err()
    .expect("damaged model must not load");
    assert!(matches!(err, PoseError::ModelChecksum { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&damaged.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains(models::expected_sha256(LandmarkModel::Lite.file_name()).unwrap()),
        "{message}"
    );
}

#[test]
fn a_missing_model_names_the_file_and_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let err = BlazePose::load(
        &ModelSource::Folder(dir.path().to_owned()),
        LandmarkModel::Full,
    )
    .err()
    .expect("no models there");
    assert!(matches!(err, PoseError::ModelNotFound { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("pose_detection.onnx"), "{message}");
    assert!(
        message.contains(&dir.path().display().to_string()),
        "{message}"
    );
    assert!(message.contains("--models"), "{message}");
    assert!(message.contains("built-in models"), "{message}");
}

#[test]
fn both_landmark_models_load_built_in_and_from_a_folder() {
    for model in [LandmarkModel::Lite, LandmarkModel::Full] {
        let built_in = BlazePose::load(&ModelSource::BuiltIn, model).unwrap();
        assert_eq!(built_in.landmark_model(), model);
        assert_eq!(
            built_in.model_paths().1,
            std::path::Path::new(&format!("built-in:{}", model.file_name()))
        );
        let folder = ModelSource::Folder(repo_root().join("models"));
        let from_folder = BlazePose::load(&folder, model).unwrap();
        assert!(from_folder.model_paths().1.ends_with(model.file_name()));
    }
}
