//! Pose: from an RGB frame to 33 body landmarks in image pixels.
//!
//! [`PoseEstimator`] is the door; [`blazepose::BlazePose`] (MediaPipe's BlazePose
//! run with tract) is the implementation. Geometry and decoding are pure
//! functions in `blazepose::{anchors, detection, roi, landmarks, sampling}` so
//! they are tested with plain numbers.

pub mod blazepose;
pub mod facemesh;
mod prelu;

use std::path::PathBuf;

use image::RgbImage;
use serde::Serialize;

pub use blazepose::roi::Roi;

/// The 33 BlazePose landmarks, in model output order, as snake_case names.
pub const LANDMARK_NAMES: [&str; LANDMARK_COUNT] = [
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
];

/// Number of named body landmarks.
pub const LANDMARK_COUNT: usize = 33;

/// Landmark indices a posture monitor reads.
pub mod landmark {
    pub const NOSE: usize = 0;
    pub const LEFT_EYE: usize = 2;
    pub const LEFT_EYE_OUTER: usize = 3;
    pub const RIGHT_EYE: usize = 5;
    pub const RIGHT_EYE_OUTER: usize = 6;
    pub const LEFT_EAR: usize = 7;
    pub const RIGHT_EAR: usize = 8;
    pub const MOUTH_LEFT: usize = 9;
    pub const MOUTH_RIGHT: usize = 10;
    pub const LEFT_SHOULDER: usize = 11;
    pub const RIGHT_SHOULDER: usize = 12;
}

/// Pairs of landmarks joined when drawing the skeleton.
pub const SKELETON_EDGES: [(usize, usize); 35] = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 7),
    (0, 4),
    (4, 5),
    (5, 6),
    (6, 8),
    (9, 10),
    (11, 12),
    (11, 13),
    (13, 15),
    (15, 17),
    (15, 19),
    (15, 21),
    (17, 19),
    (12, 14),
    (14, 16),
    (16, 18),
    (16, 20),
    (16, 22),
    (18, 20),
    (11, 23),
    (12, 24),
    (23, 24),
    (23, 25),
    (24, 26),
    (25, 27),
    (26, 28),
    (27, 29),
    (28, 30),
    (29, 31),
    (30, 32),
    (27, 31),
    (28, 32),
];

/// One landmark in image pixels. `z` is depth relative to the hips, in the
/// same pixel scale as `x`; visibility and presence are probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Landmark {
    pub x: f32,
    pub y: f32,
    pub z: f32,
    pub visibility: f32,
    pub presence: f32,
}

/// Which region of interest produced a pose: the person detector, the previous
/// frame's landmarks, or the fixed close-framing fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoiSource {
    Detector,
    Tracking,
    Fallback,
}

impl RoiSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RoiSource::Detector => "detector",
            RoiSource::Tracking => "tracking",
            RoiSource::Fallback => "fallback",
        }
    }
}

/// A person found in a frame.
#[derive(Debug, Clone)]
pub struct Pose {
    pub landmarks: [Landmark; LANDMARK_COUNT],
    /// Probability that a person is in the region, from the landmark model.
    pub presence: f32,
    pub roi_source: RoiSource,
    /// The region the landmark model looked at.
    pub roi: Roi,
}

impl Pose {
    pub fn landmark(&self, index: usize) -> &Landmark {
        &self.landmarks[index]
    }
}

/// Why pose estimation could not run. "No person in the frame" is not an error:
/// it is `Ok(None)` from [`PoseEstimator::estimate`].
#[derive(Debug, thiserror::Error)]
pub enum PoseError {
    #[error(
        "model file {file} not found in {searched}: put chintuck's models/*.onnx there, or leave --models and the config's models_dir unset to use the built-in models"
    )]
    ModelNotFound { file: String, searched: String },
    #[error("cannot read model file {path}: {source}")]
    ModelRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "model file {path} is damaged or not the one chintuck ships: SHA-256 {actual_sha256}, expected {expected_sha256}. Restore it from the release or the source tree's models/ folder"
    )]
    ModelChecksum {
        path: PathBuf,
        expected_sha256: String,
        actual_sha256: String,
    },
    #[error("cannot load model {path}: {source}")]
    ModelLoad {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("pose inference failed: {0}")]
    Inference(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("frame is {width_px}×{height_px} pixels; pose estimation needs at least 1×1")]
    EmptyFrame { width_px: u32, height_px: u32 },
}

/// Both models need at least one pixel to read: an empty frame is an error, not "nobody".
pub(crate) fn check_frame(frame: &RgbImage) -> Result<(), PoseError> {
    if frame.width() == 0 || frame.height() == 0 {
        return Err(PoseError::EmptyFrame {
            width_px: frame.width(),
            height_px: frame.height(),
        });
    }
    Ok(())
}

/// Finds a person's landmarks in a frame.
///
/// Estimators may track between calls (frames of one sequence); call
/// [`PoseEstimator::reset_tracking`] before an unrelated frame.
pub trait PoseEstimator {
    /// `Ok(None)` when nobody is in view.
    fn estimate(&mut self, frame: &RgbImage) -> Result<Option<Pose>, PoseError>;

    /// Forgets the tracked person: the next frame starts with detection.
    fn reset_tracking(&mut self);
}
