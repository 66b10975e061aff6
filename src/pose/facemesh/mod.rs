//! MediaPipe Face Mesh (468 face points) run with tract, with its own tracked
//! region and the head pose from a rigid fit.
//!
//! The body model's face landmarks are too coarse a ruler for the head (issue 9:
//! its ear span follows a forward head with correlation 0.37); the face mesh's
//! points, in a region re-centred from the mesh itself, follow it with 0.95. So
//! this stage runs on a region of its own: seeded once from the body model's
//! eyes, mouth and ears ([`roi::from_body_landmarks`]), re-centred for a few
//! passes on that first frame, and after that made from the previous frame's
//! mesh exactly as MediaPipe does ([`roi::from_mesh`]). There is no face
//! detector: the body model always runs before the face is needed, and its face
//! landmarks are a good enough seed.
//!
//! Pure parts: `decode` (model output → image pixels), `roi` (regions), `head`
//! (the rigid fit), `canonical` (MediaPipe's canonical face, generated). This
//! file holds the inference and the tracking.

pub mod canonical;
pub mod decode;
pub mod head;
pub mod roi;

use std::path::{Path, PathBuf};

use image::RgbImage;
use serde::Serialize;

use self::decode::{FACE_INPUT_SIDE, FACE_OUTPUT_VALUES, decode_mesh, face_confidence};
pub use self::head::HeadPose;
use super::blazepose::roi::Roi;
use super::blazepose::sampling::{Border, warp_into};
use super::blazepose::{ModelSource, OnnxModel, output_values};
use super::{Pose, PoseError};

/// The converted MediaPipe face landmark model (see `models/README.md`).
pub const FACE_LANDMARK_FILE: &str = "face_landmark.onnx";
/// The model's outputs: 468 × (x, y, z) in crop pixels, and the face-presence logit.
pub(crate) const LANDMARKS_OUTPUT: &str = "conv2d_21";
pub(crate) const PRESENCE_OUTPUT: &str = "conv2d_31";

/// Below this confidence the face is lost and its region dropped (MediaPipe's
/// default minimum tracking confidence). Real faces score above 0.999 and
/// crops without one below 0.01, so the exact value hardly matters.
pub const MIN_FACE_CONFIDENCE: f32 = 0.5;
/// Passes on the first frame of a face: the seed, then re-centred from the
/// mesh's own points. The region settles to under a pixel by the third.
pub const ACQUIRE_PASSES: usize = 3;
/// While tracking, a region that moves more than this from the one the frame
/// was read in (centre shift and side change as fractions of the side,
/// rotation in radians) means the face moved: the frame is read once more in
/// the new region, so the points never come from a badly centred crop.
const MAX_SETTLED_SHIFT: f32 = 0.08;
const MAX_SETTLED_SCALE: f32 = 0.08;
const MAX_SETTLED_ROTATION_RAD: f32 = 0.1;

/// Which region a face was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaceRoiSource {
    /// Seeded from the body landmarks (or a given region), then re-centred.
    Seed,
    /// Made from the previous frame's mesh.
    Tracking,
}

/// A face found in a frame.
#[derive(Debug, Clone, Serialize)]
pub struct Face {
    /// The 468 mesh points in image pixels, in MediaPipe's order; z is depth in
    /// the same pixel scale as x, relative to the face's centre, smaller nearer
    /// the camera.
    pub points: Vec<[f32; 3]>,
    /// Probability that the region holds a face (the model's presence output).
    pub confidence: f32,
    /// The region the points were read in.
    pub roi: Roi,
    pub roi_source: FaceRoiSource,
    /// Pitch, yaw, roll and apparent size, from the rigid fit.
    pub head: HeadPose,
}

impl Face {
    /// How much larger this face looks than `reference` (the same person's face,
    /// e.g. a neutral calibration frame): the similarity scale of all 468 points,
    /// which turning and tilting leave alone. `None` if the fit fails.
    pub fn scale_against(&self, reference: &Face) -> Option<f32> {
        head::scale_against(&self.points, &reference.points)
    }

    /// How far apart the lips are in the picture, centimetres of the canonical
    /// face (image pixels over the fitted scale): near 0 with the mouth closed,
    /// about 1.5 when talking.
    pub fn lip_gap_cm(&self) -> f32 {
        let (upper, lower) = (
            self.point(decode::UPPER_INNER_LIP),
            self.point(decode::LOWER_INNER_LIP),
        );
        (upper.0 - lower.0).hypot(upper.1 - lower.1) / self.head.scale_px_per_cm
    }

    /// A point in image pixels (x, y).
    pub fn point(&self, index: usize) -> (f32, f32) {
        (self.points[index][0], self.points[index][1])
    }
}

/// The face mesh model, its reusable input buffer and the tracked region.
pub struct FaceMesh {
    model: OnnxModel,
    input: Vec<f32>,
    tracked_roi: Option<Roi>,
    model_path: PathBuf,
}

impl FaceMesh {
    /// Loads the face landmark model from `source` (built in, or the folder the
    /// user named), checked against `SHA256SUMS` like the pose models.
    pub fn load(source: &ModelSource) -> Result<Self, PoseError> {
        let file = source.read(FACE_LANDMARK_FILE)?;
        Self::from_verified_bytes(&file.origin, &file.bytes)
    }

    /// Loads the model from bytes already checked against `SHA256SUMS`;
    /// `origin` names them in messages.
    pub fn from_verified_bytes(origin: &Path, bytes: &[u8]) -> Result<Self, PoseError> {
        let model = OnnxModel::load(
            origin,
            bytes,
            FACE_INPUT_SIDE,
            &[LANDMARKS_OUTPUT, PRESENCE_OUTPUT],
        )?;
        Ok(Self {
            model,
            input: Vec::new(),
            tracked_roi: None,
            model_path: origin.to_owned(),
        })
    }

    /// Where the model came from.
    pub fn model_path(&self) -> &Path {
        &self.model_path
    }

    /// The region the next frame will be read in, if a face is tracked.
    pub fn tracked_roi(&self) -> Option<Roi> {
        self.tracked_roi
    }

    /// Forgets the tracked face: the next frame needs a seed.
    pub fn reset_tracking(&mut self) {
        self.tracked_roi = None;
    }

    /// The face in `frame`: from the tracked region if there is one, else from
    /// a region seeded by `body`'s face landmarks. `Ok(None)` when there is no
    /// face (or nothing to seed from): the tracked region is dropped, and the
    /// next call needs a seed again.
    pub fn estimate(
        &mut self,
        frame: &RgbImage,
        body: Option<&Pose>,
    ) -> Result<Option<Face>, PoseError> {
        super::check_frame(frame)?;
        if let Some(roi) = self.tracked_roi.take()
            && let Some(face) = self.track(frame, roi)?
        {
            return Ok(Some(face));
        }
        match body.and_then(|pose| roi::from_body_landmarks(&pose.landmarks)) {
            Some(seed) => self.acquire_in(frame, seed),
            None => Ok(None),
        }
    }

    /// Finds the face starting from `seed` (any region around it): reads the
    /// frame [`ACQUIRE_PASSES`] times, each in the region the last mesh gives, and
    /// tracks the face from there. `Ok(None)` if a pass sees no face.
    pub fn acquire_in(&mut self, frame: &RgbImage, seed: Roi) -> Result<Option<Face>, PoseError> {
        super::check_frame(frame)?;
        self.tracked_roi = None;
        let mut roi = seed;
        let mut found = None;
        for _ in 0..ACQUIRE_PASSES {
            let Some((face, next_roi)) = self.face_in(frame, roi, FaceRoiSource::Seed)? else {
                return Ok(None);
            };
            roi = next_roi;
            found = Some(face);
        }
        self.tracked_roi = found.as_ref().map(|_| roi);
        Ok(found)
    }

    /// One frame of tracking from the previous mesh's region; a second read if
    /// the face moved enough that the first crop was off.
    fn track(&mut self, frame: &RgbImage, roi: Roi) -> Result<Option<Face>, PoseError> {
        let Some((face, next_roi)) = self.face_in(frame, roi, FaceRoiSource::Tracking)? else {
            return Ok(None);
        };
        let (face, next_roi) = if Roi::moved_beyond(
            &roi,
            &next_roi,
            MAX_SETTLED_SHIFT,
            MAX_SETTLED_SCALE,
            MAX_SETTLED_ROTATION_RAD,
        ) {
            match self.face_in(frame, next_roi, FaceRoiSource::Tracking)? {
                Some(second) => second,
                None => return Ok(None),
            }
        } else {
            (face, next_roi)
        };
        self.tracked_roi = Some(next_roi);
        Ok(Some(face))
    }

    /// One read in `roi`: the face if it is confidently there and its points
    /// fit a head, and the region its mesh gives for the next read.
    fn face_in(
        &mut self,
        frame: &RgbImage,
        roi: Roi,
        roi_source: FaceRoiSource,
    ) -> Result<Option<(Face, Roi)>, PoseError> {
        let (points, confidence) = self.mesh_in(frame, &roi)?;
        if confidence < MIN_FACE_CONFIDENCE {
            return Ok(None);
        }
        let Some(head) = head::head_pose(&points) else {
            return Ok(None);
        };
        let next_roi = roi::from_mesh(&points);
        Ok(Some((
            Face {
                points,
                confidence,
                roi,
                roi_source,
                head,
            },
            next_roi,
        )))
    }

    /// Runs the model once on `roi` of `frame`: the 468 points in image pixels
    /// and the face confidence, whatever it is. Tracking is not touched.
    pub fn mesh_in(
        &mut self,
        frame: &RgbImage,
        roi: &Roi,
    ) -> Result<(Vec<[f32; 3]>, f32), PoseError> {
        super::check_frame(frame)?;
        // MediaPipe's face crop replicates the edge pixels and scales to 0..1.
        warp_into(
            frame,
            &roi.sampling(FACE_INPUT_SIDE),
            FACE_INPUT_SIDE,
            Border::Replicate,
            1.0 / 255.0,
            0.0,
            &mut self.input,
        );
        let outputs = self.model.run(&self.input)?;
        let raw = output_values(&outputs[0])?;
        if raw.len() != FACE_OUTPUT_VALUES {
            return Err(PoseError::Inference(
                format!(
                    "face landmarks output has {} values, expected {FACE_OUTPUT_VALUES}",
                    raw.len()
                )
                .into(),
            ));
        }
        let logit = output_values(&outputs[1])?
            .first()
            .copied()
            .ok_or_else(|| PoseError::Inference("empty face presence output".into()))?;
        Ok((decode_mesh(raw, roi), face_confidence(logit)))
    }
}
