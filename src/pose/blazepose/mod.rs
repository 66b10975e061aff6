//! MediaPipe BlazePose (detector + landmark model) run with tract.
//!
//! The detector only runs to (re)acquire a person; after that the previous
//! frame's landmarks 33/34 give the next region, which is what makes a frame
//! cheap. When the detector misses a person framed close to the camera, a fixed
//! body-sized region plus two tracking passes finds them anyway.

pub mod anchors;
pub mod detection;
pub mod landmarks;
pub mod models;
pub mod roi;
pub mod sampling;

use std::path::{Path, PathBuf};

use image::RgbImage;
use tract_onnx::prelude::*;

use self::anchors::{Anchor, DETECTOR_INPUT_SIDE, detector_anchors};
use self::detection::{
    KEYPOINT_BODY_SCALE, KEYPOINT_MID_HIP, Letterbox, MIN_DETECTION_SCORE, NMS_IOU_THRESHOLD,
    choose_person, decode, weighted_nms,
};
use self::landmarks::{
    AUX_CENTER, AUX_SCALE, HEATMAP_SIDE, LANDMARK_INPUT_SIDE, decode_points, project,
    refine_with_heatmaps,
};
pub use self::models::{LandmarkModel, ModelSource};
use self::roi::Roi;
use self::sampling::{AffineSampling, Border, warp_into};
use super::{LANDMARK_COUNT, Pose, PoseError, PoseEstimator, RoiSource};

/// Below this pose presence the person is lost: detect again.
pub const MIN_POSE_PRESENCE: f32 = 0.5;
/// At or above this presence a pose is taken at once; between the minimum and
/// this it is looked at again before it counts.
pub const CONFIDENT_POSE_PRESENCE: f32 = 0.8;
/// Tracking passes on the same frame that must confirm a close-framing fallback hit.
const FALLBACK_REFINE_PASSES: usize = 2;
/// How much the second detector pass magnifies the frame's centre when the
/// first found nobody (see `acquire`).
const DETECT_ZOOM: f32 = 2.0;

/// One ONNX model, optimised once, with its reusable execution state (the face
/// mesh stage loads its model the same way).
pub(crate) struct OnnxModel {
    state: TypedSimpleState,
    input_side: usize,
}

impl OnnxModel {
    /// Loads with the input pinned to `[1, side, side, 3]` and only `outputs`
    /// kept, so tract prunes what chintuck never reads (the segmentation head);
    /// PRelu goes through `prelu::rewrite_prelu` first (same values, cheaper).
    pub(crate) fn load(
        path: &Path,
        bytes: &[u8],
        input_side: usize,
        outputs: &[&str],
    ) -> Result<Self, PoseError> {
        Self::load_with(
            path,
            bytes,
            input_side,
            outputs,
            super::prelu::rewrite_prelu,
        )
    }

    /// [`OnnxModel::load`] with `prepare` editing the ONNX graph before tract
    /// reads it (the PRelu test loads the model with and without its rewrite).
    pub(crate) fn load_with(
        path: &Path,
        bytes: &[u8],
        input_side: usize,
        outputs: &[&str],
        prepare: fn(&mut tract_onnx::pb::ModelProto),
    ) -> Result<Self, PoseError> {
        let load_error = |source: TractError| PoseError::ModelLoad {
            path: path.to_owned(),
            source: source.into(),
        };
        let onnx = tract_onnx::onnx();
        let mut proto = onnx
            .proto_model_for_read(&mut std::io::Cursor::new(bytes))
            .map_err(load_error)?;
        prepare(&mut proto);
        let mut model = onnx
            .model_for_proto_model(&proto)
            .map_err(load_error)?
            .with_input_fact(0, f32::fact([1, input_side, input_side, 3]).into())
            .map_err(load_error)?;
        model.select_outputs_by_name(outputs).map_err(load_error)?;
        let plan = model
            .into_optimized()
            .and_then(|optimized| optimized.into_runnable())
            .map_err(load_error)?;
        let state = TypedSimpleState::new(&plan).map_err(load_error)?;
        Ok(Self { state, input_side })
    }

    pub(crate) fn run(&mut self, input: &[f32]) -> Result<TVec<TValue>, PoseError> {
        let side = self.input_side;
        let tensor = Tensor::from_shape(&[1, side, side, 3], input)
            .map_err(|err| PoseError::Inference(err.into()))?;
        self.state
            .run(tvec![tensor.into_tvalue()])
            .map_err(|err| PoseError::Inference(err.into()))
    }
}

/// Reads a model output as a flat f32 slice.
pub(crate) fn output_values(output: &TValue) -> Result<&[f32], PoseError> {
    output
        .try_as_plain_ram()
        .and_then(|plain| plain.as_slice::<f32>())
        .map_err(|err| PoseError::Inference(err.into()))
}

/// The BlazePose pipeline: detector, landmark model, and the tracked region.
pub struct BlazePose {
    detector: OnnxModel,
    landmarker: OnnxModel,
    landmark_model: LandmarkModel,
    anchors: Vec<Anchor>,
    /// Reused input buffer: no allocation per frame.
    input: Vec<f32>,
    /// The region for the next frame, from this frame's landmarks.
    tracked_roi: Option<Roi>,
    detector_path: PathBuf,
    landmarker_path: PathBuf,
}

impl BlazePose {
    /// Loads and verifies both models.
    pub fn load(source: &ModelSource, landmark_model: LandmarkModel) -> Result<Self, PoseError> {
        let detector_file = source.read(models::DETECTOR_FILE)?;
        let landmarker_file = source.read(landmark_model.file_name())?;
        let detector = OnnxModel::load(
            &detector_file.origin,
            &detector_file.bytes,
            DETECTOR_INPUT_SIDE,
            &["Identity", "Identity_1"],
        )?;
        let landmarker = OnnxModel::load(
            &landmarker_file.origin,
            &landmarker_file.bytes,
            LANDMARK_INPUT_SIDE,
            &["Identity", "Identity_1", "Identity_3"],
        )?;
        Ok(Self {
            detector,
            landmarker,
            landmark_model,
            anchors: detector_anchors(),
            input: Vec::new(),
            tracked_roi: None,
            detector_path: detector_file.origin,
            landmarker_path: landmarker_file.origin,
        })
    }

    pub fn landmark_model(&self) -> LandmarkModel {
        self.landmark_model
    }

    /// Where the detector and landmark models came from (`built-in:NAME` or a path).
    pub fn model_paths(&self) -> (&Path, &Path) {
        (&self.detector_path, &self.landmarker_path)
    }

    /// Runs the detector and returns the ROI of the person to follow, if any.
    pub fn detect(&mut self, frame: &RgbImage) -> Result<Option<Roi>, PoseError> {
        self.detect_in(frame, Letterbox::for_frame(frame.width(), frame.height()))
    }

    /// [`detect`](Self::detect) in the part of the frame `letterbox` shows.
    fn detect_in(
        &mut self,
        frame: &RgbImage,
        letterbox: Letterbox,
    ) -> Result<Option<Roi>, PoseError> {
        warp_into(
            frame,
            &letterbox.sampling(),
            DETECTOR_INPUT_SIDE,
            Border::Zero,
            1.0 / 127.5,
            -1.0,
            &mut self.input,
        );
        let outputs = self.detector.run(&self.input)?;
        let raw_boxes = output_values(&outputs[0])?;
        let raw_scores = output_values(&outputs[1])?;
        let found = decode(raw_boxes, raw_scores, &self.anchors, MIN_DETECTION_SCORE);
        let people: Vec<_> = weighted_nms(found, NMS_IOU_THRESHOLD)
            .iter()
            .map(|detection| letterbox.remove_from(detection))
            .collect();
        let (w, h) = (frame.width() as f32, frame.height() as f32);
        Ok(
            choose_person(&people, frame.width(), frame.height()).map(|person| {
                let hip = person.keypoints[KEYPOINT_MID_HIP];
                let scale = person.keypoints[KEYPOINT_BODY_SCALE];
                Roi::from_alignment((hip.0 * w, hip.1 * h), (scale.0 * w, scale.1 * h))
            }),
        )
    }

    /// Runs the landmark model on `roi`; returns the pose and the ROI its
    /// landmarks give for the next frame.
    pub fn landmarks_in(
        &mut self,
        frame: &RgbImage,
        roi: Roi,
        roi_source: RoiSource,
    ) -> Result<(Pose, Roi), PoseError> {
        let side = LANDMARK_INPUT_SIDE as f32;
        let origin = roi.crop_to_image(0.0, 0.0);
        let right = roi.crop_to_image(1.0 / side, 0.0);
        let down = roi.crop_to_image(0.0, 1.0 / side);
        let sampling = AffineSampling {
            origin,
            step_u: (right.0 - origin.0, right.1 - origin.1),
            step_v: (down.0 - origin.0, down.1 - origin.1),
        };
        warp_into(
            frame,
            &sampling,
            LANDMARK_INPUT_SIDE,
            Border::Replicate,
            1.0 / 255.0,
            0.0,
            &mut self.input,
        );
        let outputs = self.landmarker.run(&self.input)?;
        let mut points = decode_points(output_values(&outputs[0])?);
        let presence = output_values(&outputs[1])?
            .first()
            .copied()
            .ok_or_else(|| PoseError::Inference("empty presence output".into()))?;
        refine_with_heatmaps(&mut points, output_values(&outputs[2])?, HEATMAP_SIDE);
        let projected: Vec<_> = points.iter().map(|point| project(point, &roi)).collect();
        let next_roi = Roi::from_alignment(
            (projected[AUX_CENTER].x, projected[AUX_CENTER].y),
            (projected[AUX_SCALE].x, projected[AUX_SCALE].y),
        );
        let mut landmarks = [projected[0]; LANDMARK_COUNT];
        landmarks.copy_from_slice(&projected[..LANDMARK_COUNT]);
        Ok((
            Pose {
                landmarks,
                presence,
                roi_source,
                roi,
            },
            next_roi,
        ))
    }

    /// Landmarks in `roi`, kept only if a person is really there. A doubtful
    /// presence gets a second look from the region the landmarks themselves
    /// give: a real person holds up, a phantom in a patterned background fades.
    fn confirmed_landmarks_in(
        &mut self,
        frame: &RgbImage,
        roi: Roi,
        roi_source: RoiSource,
    ) -> Result<Option<(Pose, Roi)>, PoseError> {
        let (pose, next_roi) = self.landmarks_in(frame, roi, roi_source)?;
        if pose.presence >= CONFIDENT_POSE_PRESENCE {
            return Ok(Some((pose, next_roi)));
        }
        if pose.presence < MIN_POSE_PRESENCE {
            return Ok(None);
        }
        let second_look = self.landmarks_in(frame, next_roi, roi_source)?;
        Ok((second_look.0.presence >= MIN_POSE_PRESENCE).then_some(second_look))
    }

    fn acquire(&mut self, frame: &RgbImage) -> Result<Option<(Pose, Roi)>, PoseError> {
        if let Some(roi) = self.detect(frame)?
            && let Some(found) = self.confirmed_landmarks_in(frame, roi, RoiSource::Detector)?
        {
            return Ok(Some(found));
        }
        // A person far from a wide lens is too small for the detector in the
        // whole frame: look again at its centre, magnified.
        let (width, height) = (frame.width(), frame.height());
        if let Some(roi) = self.detect_in(frame, Letterbox::zoomed(width, height, DETECT_ZOOM))?
            && let Some(found) = self.confirmed_landmarks_in(frame, roi, RoiSource::Detector)?
        {
            return Ok(Some(found));
        }
        // The fixed region is a guess, and the landmark model can "see" a
        // person in an empty room through it once; a real person survives the
        // tracking passes that follow, a phantom does not.
        let mut roi = Roi::close_framing_fallback(frame.width(), frame.height());
        let mut found = None;
        for _ in 0..=FALLBACK_REFINE_PASSES {
            let (pose, next_roi) = self.landmarks_in(frame, roi, RoiSource::Fallback)?;
            if pose.presence < MIN_POSE_PRESENCE {
                return Ok(None);
            }
            roi = next_roi;
            found = Some((pose, next_roi));
        }
        Ok(found)
    }
}

impl PoseEstimator for BlazePose {
    fn estimate(&mut self, frame: &RgbImage) -> Result<Option<Pose>, PoseError> {
        super::check_frame(frame)?;
        let previous_roi = self.tracked_roi.take();
        let tracked = match previous_roi {
            Some(roi) => self
                .confirmed_landmarks_in(frame, roi, RoiSource::Tracking)?
                .map(|(pose, measured)| (pose, roi.stabilized(&measured))),
            None => None,
        };
        let found = match tracked {
            Some(found) => Some(found),
            None => self.acquire(frame)?,
        };
        Ok(found.map(|(pose, next_roi)| {
            self.tracked_roi = Some(next_roi);
            pose
        }))
    }

    fn reset_tracking(&mut self) {
        self.tracked_roi = None;
    }
}
