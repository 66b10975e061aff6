//! The real face mesh model on real images: tract against the TFLite model's own
//! points, seeding from the body model, agreement with the body model's face
//! landmarks, no face, tracking through the replay sequences, and head pose
//! signs on mirrored and turned images.

mod common;

use std::path::PathBuf;

use chintuck::pose::blazepose::roi::Roi;
use chintuck::pose::blazepose::{LandmarkModel, ModelSource};
use chintuck::pose::facemesh::decode::{
    FACE_POINT_COUNT, LEFT_EYE_INNER_CORNER, LEFT_EYE_OUTER_CORNER, NOSE_TIP,
    RIGHT_EYE_INNER_CORNER, RIGHT_EYE_OUTER_CORNER,
};
use chintuck::pose::facemesh::{FACE_LANDMARK_FILE, Face, FaceMesh, FaceRoiSource, HeadPose};
use chintuck::pose::{Pose, PoseError, PoseEstimator, landmark};
use common::{distance, estimator, load_fixture, repo_root};
use image::{Rgb, RgbImage, imageops};
use serde_json::Value;

fn face_mesh() -> FaceMesh {
    FaceMesh::load(&ModelSource::BuiltIn).expect("built-in face model loads")
}

fn body(frame: &RgbImage) -> Pose {
    estimator(LandmarkModel::Lite)
        .estimate(frame)
        .expect("pose runs")
        .expect("a person")
}

fn reference() -> Value {
    let text = std::fs::read_to_string(repo_root().join("fixtures/reference_facemesh.json"))
        .expect("reference fixture");
    serde_json::from_str(&text).expect("reference JSON")
}

fn reference_points(entry: &Value) -> Vec<[f32; 3]> {
    entry["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let p = p.as_array().unwrap();
            [0, 1, 2].map(|i| p[i].as_f64().unwrap() as f32)
        })
        .collect()
}

fn reference_roi(entry: &Value) -> Roi {
    let field = |name: &str| entry["roi"][name].as_f64().unwrap() as f32;
    Roi {
        center_x: field("center_x"),
        center_y: field("center_y"),
        side_px: field("side_px"),
        rotation_rad: field("rotation_rad"),
    }
}

fn xy(point: [f32; 3]) -> (f32, f32) {
    (point[0], point[1])
}

fn midpoint(a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

fn face_from_body(mesh: &mut FaceMesh, frame: &RgbImage) -> Face {
    let pose = body(frame);
    mesh.estimate(frame, Some(&pose))
        .expect("face mesh runs")
        .expect("a face")
}

#[test]
fn tract_reads_the_same_points_as_the_tflite_model_in_the_recorded_regions() {
    let reference = reference();
    let mut mesh = face_mesh();
    let images = reference["images"].as_object().unwrap();
    assert_eq!(images.len(), 3);
    for (name, entry) in images {
        let frame = load_fixture(name);
        let (points, confidence) = mesh.mesh_in(&frame, &reference_roi(entry)).unwrap();
        let expected = reference_points(entry);
        assert_eq!(points.len(), FACE_POINT_COUNT);
        let worst = points
            .iter()
            .zip(&expected)
            .map(|(a, b)| {
                (a[0] - b[0])
                    .abs()
                    .max((a[1] - b[1]).abs())
                    .max((a[2] - b[2]).abs())
            })
            .fold(0.0f32, f32::max);
        // Measured 2026-12-03: at most 0.006 px (rounding of the fixture to
        // 0.001 px, float order in the crop, tract against TFLite).
        assert!(worst < 0.02, "{name}: worst point {worst} px from TFLite's");
        let presence = entry["presence"].as_f64().unwrap() as f32;
        assert!(
            (confidence - presence).abs() < 1e-3,
            "{name}: {confidence} vs {presence}"
        );
        assert!(confidence > 0.99, "{name}: {confidence}");
    }
}

#[test]
fn a_face_seeded_from_the_body_settles_on_the_reference_face() {
    let reference = reference();
    let mut mesh = face_mesh();
    for name in [
        "astronaut.png",
        "astronaut_webcam_640x480.png",
        "camera.png",
    ] {
        let frame = load_fixture(name);
        mesh.reset_tracking();
        let face = face_from_body(&mut mesh, &frame);
        assert_eq!(face.roi_source, FaceRoiSource::Seed);
        assert!(
            face.confidence > 0.9,
            "{name}: confidence {}",
            face.confidence
        );
        assert!(mesh.tracked_roi().is_some());
        // chintuck's seed comes from its own BlazePose run, the reference's
        // from MediaPipe's; after the re-centring passes both read the same face.
        let entry = &reference["images"][name];
        let expected = reference_points(entry);
        let mean = face
            .points
            .iter()
            .zip(&expected)
            .map(|(a, b)| distance(xy(*a), xy(*b)))
            .sum::<f32>()
            / FACE_POINT_COUNT as f32;
        let eye_span = distance(
            xy(expected[RIGHT_EYE_OUTER_CORNER]),
            xy(expected[LEFT_EYE_OUTER_CORNER]),
        );
        assert!(
            mean < 0.03 * eye_span,
            "{name}: mean {mean} px from the reference (eye span {eye_span})"
        );
        let roi = reference_roi(entry);
        assert!(
            (face.roi.side_px / roi.side_px - 1.0).abs() < 0.05,
            "{name}: {:?} vs {roi:?}",
            face.roi
        );
    }
}

#[test]
fn mesh_eyes_and_nose_are_where_the_body_model_puts_them() {
    for name in ["astronaut.png", "astronaut_webcam_640x480.png"] {
        let frame = load_fixture(name);
        let pose = body(&frame);
        let mut mesh = face_mesh();
        let face = mesh.estimate(&frame, Some(&pose)).unwrap().expect("a face");
        let eye_span = distance(
            face.point(RIGHT_EYE_OUTER_CORNER),
            face.point(LEFT_EYE_OUTER_CORNER),
        );
        let at = |index: usize| {
            let l = pose.landmark(index);
            (l.x, l.y)
        };
        // The person's right eye is on the image's left, in both models. The
        // body model's face points are coarse (its eyes sit 5-13 px below the
        // eye corners on the astronaut photo, see models/README.md), so the
        // tolerance is a fraction of the eye span, not a few pixels.
        let right_eye = midpoint(
            face.point(RIGHT_EYE_OUTER_CORNER),
            face.point(RIGHT_EYE_INNER_CORNER),
        );
        let left_eye = midpoint(
            face.point(LEFT_EYE_OUTER_CORNER),
            face.point(LEFT_EYE_INNER_CORNER),
        );
        let checks = [
            ("nose", face.point(NOSE_TIP), at(landmark::NOSE), 0.15),
            ("right eye", right_eye, at(landmark::RIGHT_EYE), 0.25),
            ("left eye", left_eye, at(landmark::LEFT_EYE), 0.25),
        ];
        for (what, from_mesh, from_body, fraction) in checks {
            let apart = distance(from_mesh, from_body);
            assert!(
                apart < fraction * eye_span,
                "{name}: {what} {from_mesh:?} vs body {from_body:?} ({apart} px, eye span {eye_span})"
            );
        }
        assert!(right_eye.0 < left_eye.0, "{name}: eyes swapped");
    }
}

#[test]
fn no_face_is_none_and_drops_the_tracked_region() {
    let mut mesh = face_mesh();
    let frame = load_fixture("astronaut.png");
    let face = face_from_body(&mut mesh, &frame);
    // The same region on a blank frame, and on a frame of plain noise: no face.
    let blank = RgbImage::from_pixel(512, 512, Rgb([128, 128, 128]));
    assert!(mesh.estimate(&blank, None).unwrap().is_none());
    assert_eq!(mesh.tracked_roi(), None, "a lost face drops its region");
    let mut seed = 12345u32;
    let noise = RgbImage::from_fn(512, 512, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        Rgb([a, b, c])
    });
    assert!(mesh.acquire_in(&noise, face.roi).unwrap().is_none());
    assert_eq!(mesh.tracked_roi(), None);
    let (_, confidence) = mesh.mesh_in(&blank, &face.roi).unwrap();
    assert!(confidence < 0.01, "blank: {confidence}");
    // Nothing tracked and no body to seed from: nothing to look at.
    assert!(mesh.estimate(&frame, None).unwrap().is_none());
    // An empty frame is an error, as for the body model.
    assert!(matches!(
        mesh.estimate(&RgbImage::new(0, 0), None),
        Err(PoseError::EmptyFrame { .. })
    ));
}

#[test]
fn tracking_carries_the_face_from_frame_to_frame_without_a_seed() {
    let frame = load_fixture("astronaut_webcam_640x480.png");
    let mut mesh = face_mesh();
    let first = face_from_body(&mut mesh, &frame);
    for _ in 0..3 {
        let next = mesh.estimate(&frame, None).unwrap().expect("tracked");
        assert_eq!(next.roi_source, FaceRoiSource::Tracking);
        // A still frame: the region has settled, so the points stay put.
        let moved = first
            .points
            .iter()
            .zip(&next.points)
            .map(|(a, b)| distance(xy(*a), xy(*b)))
            .fold(0.0f32, f32::max);
        assert!(moved < 1.5, "points moved {moved} px on a still frame");
        assert!((next.head.scale_px_per_cm / first.head.scale_px_per_cm - 1.0).abs() < 0.01);
    }
    mesh.reset_tracking();
    assert!(mesh.estimate(&frame, None).unwrap().is_none());
}

fn sequence_frames(name: &str) -> Vec<PathBuf> {
    let mut frames: Vec<_> = std::fs::read_dir(repo_root().join("fixtures/sequences").join(name))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    frames.sort();
    frames
}

/// Every frame of a replay sequence through the tracked face mesh, seeded once
/// from the body model on the first frame.
fn track_sequence(name: &str) -> Vec<Face> {
    let frames = sequence_frames(name);
    let mut mesh = face_mesh();
    let first = chintuck::capture::load_image(&frames[0]).unwrap();
    let pose = body(&first);
    frames
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let frame = chintuck::capture::load_image(path).unwrap();
            let seed = (i == 0).then_some(&pose);
            let face = mesh.estimate(&frame, seed).unwrap();
            face.unwrap_or_else(|| panic!("{name}: face lost at {}", path.display()))
        })
        .collect()
}

#[test]
fn a_head_coming_forward_grows_against_the_first_frame_without_nodding() {
    // forward_head scales the head by up to 20 % (examples/make_sequences.rs).
    let faces = track_sequence("forward_head");
    assert!(
        faces[1..]
            .iter()
            .all(|f| f.roi_source == FaceRoiSource::Tracking)
    );
    let ratios: Vec<f32> = faces
        .iter()
        .map(|face| face.scale_against(&faces[0]).unwrap())
        .collect();
    // Measured 2026-12-03: 1.20 to 1.21 while held, within 0.6 % at rest.
    let held = &ratios[ratios.len() / 2 - 10..ratios.len() / 2 + 10];
    assert!(
        held.iter().all(|r| (1.17..1.23).contains(r)),
        "forward head scale while held: {held:?}"
    );
    let rest = &ratios[ratios.len() - 8..];
    assert!(
        rest.iter().all(|r| (r - 1.0).abs() < 0.02),
        "back at rest: {rest:?}"
    );
    // The head comes nearer; it does not turn down.
    let neutral = faces[0].head.pitch_deg;
    let nod = faces
        .iter()
        .map(|face| (face.head.pitch_deg - neutral).abs())
        .fold(0.0f32, f32::max);
    assert!(nod < 3.0, "pitch moved {nod:.1}° in a forward head");
}

#[test]
fn pitch_grows_when_the_face_turns_down() {
    let faces = track_sequence("looking_down");
    let neutral = faces[0].head.pitch_deg;
    let most_down = faces
        .iter()
        .map(|face| face.head.pitch_deg)
        .fold(f32::NEG_INFINITY, f32::max);
    // The sequence is a 2D warp (the middle of the face drawn 34 px down), not
    // a turned head, so only the direction and a clear size are checked:
    // measured 2026-12-03, 9° at rest and 32-33° held. (The same warp also
    // stretches the face, so its 468-point scale rises 12 %: a real head that
    // turns down keeps its size.)
    assert!(
        most_down > neutral + 15.0,
        "pitch {neutral:.1}° at rest, at most {most_down:.1}° looking down"
    );
    let last = faces.last().unwrap().head.pitch_deg;
    assert!(
        (last - neutral).abs() < 2.0,
        "back up: {last:.1}° vs {neutral:.1}°"
    );
}

/// The face in `name` and in its mirror image, each acquired from the region
/// the other's gives mirrored.
fn face_and_mirrored(name: &str) -> (HeadPose, HeadPose) {
    let frame = load_fixture(name);
    let mirrored = imageops::flip_horizontal(&frame);
    let mut mesh = face_mesh();
    let face = face_from_body(&mut mesh, &frame);
    let mirror_roi = Roi {
        center_x: frame.width() as f32 - 1.0 - face.roi.center_x,
        rotation_rad: -face.roi.rotation_rad,
        ..face.roi
    };
    let flipped = mesh
        .acquire_in(&mirrored, mirror_roi)
        .unwrap()
        .expect("a face");
    (face.head, flipped.head)
}

#[test]
fn a_mirrored_face_turns_and_tilts_the_other_way() {
    // A large frontal face: its mirror image reads about the same pose with
    // yaw and roll negated. Measured 2026-12-03 (angles fitted to the depth as the
    // model gives it, before MESH_DEPTH_GAIN): pitch 9.2° / 8.3°, yaw −0.8° /
    // −0.2°, roll 3.4° / −1.9°, scale 0.5 % apart (the model is not exactly
    // mirror-symmetric).
    let (a, b) = face_and_mirrored("astronaut.png");
    assert!((a.yaw_deg + b.yaw_deg).abs() < 1.5, "yaw {a:?} vs {b:?}");
    assert!(a.roll_deg > 1.0 && b.roll_deg < -1.0, "roll {a:?} vs {b:?}");
    assert!((a.roll_deg + b.roll_deg).abs() < 2.5, "roll {a:?} vs {b:?}");
    assert!(
        (a.pitch_deg - b.pitch_deg).abs() < 1.5,
        "pitch {a:?} vs {b:?}"
    );
    assert!((a.scale_px_per_cm / b.scale_px_per_cm - 1.0).abs() < 0.02);
    // The camera man looks down into his camera, turned to the image's right:
    // mirrored, he is turned to the left. This small (77 px), grey, three-quarter
    // face is not read symmetrically by the model (measured: yaw 35° and −51°,
    // pitch 24° and 19°, scale 11 % apart), so only the signs are checked.
    let (a, b) = face_and_mirrored("camera.png");
    assert!(a.yaw_deg > 20.0 && a.pitch_deg > 10.0, "{a:?}");
    assert!(b.yaw_deg < -20.0 && b.pitch_deg > 10.0, "{b:?}");
}

#[test]
fn a_frame_turned_a_quarter_turn_adds_a_quarter_turn_of_roll() {
    let frame = load_fixture("astronaut.png");
    let turned = imageops::rotate90(&frame); // clockwise on screen
    let mut mesh = face_mesh();
    let face = face_from_body(&mut mesh, &frame);
    // Pixel (x, y) of the frame is pixel (h - 1 - y, x) of the turned one.
    let h = frame.height() as f32;
    let seed = Roi {
        center_x: h - 1.0 - face.roi.center_y,
        center_y: face.roi.center_x,
        rotation_rad: face.roi.rotation_rad + std::f32::consts::FRAC_PI_2,
        ..face.roi
    };
    let found = mesh.acquire_in(&turned, seed).unwrap().expect("a face");
    let extra_roll = found.head.roll_deg - face.head.roll_deg;
    assert!(
        (extra_roll - 90.0).abs() < 2.0,
        "{:?} then {:?}",
        face.head,
        found.head
    );
    assert!((found.head.yaw_deg - face.head.yaw_deg).abs() < 2.0);
    assert!((found.head.pitch_deg - face.head.pitch_deg).abs() < 2.0);
    let nose = face.point(NOSE_TIP);
    let turned_nose = found.point(NOSE_TIP);
    assert!(distance(turned_nose, (h - 1.0 - nose.1, nose.0)) < 1.5);
}

#[test]
fn a_missing_or_damaged_face_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let folder = ModelSource::Folder(dir.path().to_owned());
    let err = FaceMesh::load(&folder).err().expect("no model there");
    assert!(matches!(err, PoseError::ModelNotFound { .. }), "{err:?}");
    assert!(err.to_string().contains(FACE_LANDMARK_FILE), "{err}");
    let mut bytes = std::fs::read(repo_root().join("models").join(FACE_LANDMARK_FILE)).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(dir.path().join(FACE_LANDMARK_FILE), &bytes).unwrap();
    let err = FaceMesh::load(&folder).err().expect("damaged");
    assert!(matches!(err, PoseError::ModelChecksum { .. }), "{err:?}");
    // The shipped file itself, named by folder, loads.
    assert!(FaceMesh::load(&ModelSource::Folder(repo_root().join("models"))).is_ok());
}
