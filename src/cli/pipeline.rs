//! The per-frame path shared by `analyze`, `calibrate` and `run`:
//! frame → pose → face (seeded from the pose) → measurements → assessment
//! against the neutral → monitor.

use std::path::PathBuf;

use anyhow::{Context, Result};
use image::RgbImage;

use chintuck::config::Config;
use chintuck::monitor::sampling::LastReading;
use chintuck::monitor::{Monitor, Step};
use chintuck::pose::blazepose::{BlazePose, LandmarkModel, ModelSource};
use chintuck::pose::facemesh::head::HeadPose;
use chintuck::pose::facemesh::{Face, FaceMesh};
use chintuck::pose::{Pose, PoseError, PoseEstimator};
use chintuck::posture::cadence::{Cadence, FacePlace, body_due};
use chintuck::posture::head::{ShoulderTrack, Shoulders};
use chintuck::posture::mouth::{FaceSize, MouthTrack};
use chintuck::posture::{
    Assessment, FrontMetrics, HeadMetrics, MeasureSettings, Metrics, Neutral, OffsetSource,
    UncertainReason, assess, face_centre_px, measure, measure_head,
};
use chintuck::store::profiles::{Profile, ProfileStore};

/// Loads the pose and face models from `--models` or the config's
/// `models_dir`, else the built-in ones.
pub fn load_estimator(models_dir: Option<&PathBuf>, model: LandmarkModel) -> Result<Reader> {
    let source = ModelSource::new(models_dir.map(PathBuf::as_path));
    Ok(Reader {
        body: BlazePose::load(&source, model)?,
        face: FaceMesh::load(&source)?,
        shoulders: ShoulderTrack::default(),
        mouth: MouthTrack::default(),
        last_body: None,
        body_runs: 0,
    })
}

/// One frame as the models read it, measured.
pub struct Reading {
    pub pose: Option<Pose>,
    pub metrics: Metrics,
    /// The face against the (steadied) shoulders; `None` without a usable face
    /// or outside the front view.
    pub head: Option<HeadMetrics>,
    /// The face's size the head was measured with, and whether its mouth was
    /// open (see `posture::mouth`); `None` without a face.
    pub face_size: Option<FaceSize>,
}

/// The last body reading in the front view, with where the face was then.
struct LastBody {
    at_secs: f64,
    pose: Option<Pose>,
    metrics: Metrics,
    face: FacePlace,
}

/// The body model, the face model seeded from it, and the shoulder width
/// steadied over the last seconds.
pub struct Reader {
    pub body: BlazePose,
    pub face: FaceMesh,
    shoulders: ShoulderTrack,
    mouth: MouthTrack,
    last_body: Option<LastBody>,
    body_runs: usize,
}

/// The head as the face mesh read it in `image`, against the steadied
/// `shoulders`, its size held by `mouth` while the mouth is open. Without a
/// face, nothing (and the mouth's track starts again).
fn head_of(
    face: Option<&Face>,
    shoulders: Shoulders,
    mouth: &mut MouthTrack,
    at_secs: f64,
    image: &RgbImage,
    settings: &MeasureSettings,
) -> (Option<HeadMetrics>, Option<FaceSize>) {
    let Some(face) = face else {
        mouth.reset();
        return (None, None);
    };
    let size = mouth.size(at_secs, face.lip_gap_cm(), face.head.scale_px_per_cm);
    let head = HeadPose {
        scale_px_per_cm: size.scale_px_per_cm,
        ..face.head
    };
    let head = measure_head(
        &head,
        face.confidence,
        face_centre_px(&face.points),
        shoulders,
        image.dimensions(),
        settings,
    );
    (head, Some(size))
}

/// The shoulder line from the body model's front-view measurements.
fn shoulders_of(front: &FrontMetrics) -> Shoulders {
    Shoulders {
        width_px: front.shoulder_width_px,
        tilt_deg: front.shoulder_tilt_deg,
    }
}

impl Reader {
    /// Reads one frame taken at `at_secs`. The face model runs only in the
    /// front view (a profile is uncertain, with no face to read), seeded from
    /// the body's face landmarks and then tracked from its own mesh. With a
    /// `cadence`, the body model is skipped while the tracked face stays put
    /// (see `posture::cadence`): the last body reading stands for this frame.
    pub fn read(
        &mut self,
        image: &RgbImage,
        at_secs: f64,
        settings: &MeasureSettings,
        cadence: &Cadence,
    ) -> Result<Reading, PoseError> {
        // A face tracked from its own mesh first, when the body may be skipped.
        let mut tracked = None;
        if cadence.body_every_secs > 0.0
            && let Some(last) = &self.last_body
            && self.face.tracked_roi().is_some()
        {
            let face = self.face.estimate(image, None)?;
            let due = body_due(
                cadence,
                at_secs,
                Some((last.at_secs, last.face)),
                face.as_ref().map(FacePlace::of).as_ref(),
            );
            if let (false, Some(face), Metrics::Front(front)) = (due, &face, &last.metrics) {
                let shoulders = self.shoulders.current().unwrap_or(shoulders_of(front));
                let (head, face_size) = head_of(
                    Some(face),
                    shoulders,
                    &mut self.mouth,
                    at_secs,
                    image,
                    settings,
                );
                return Ok(Reading {
                    pose: last.pose.clone(),
                    metrics: last.metrics,
                    head,
                    face_size,
                });
            }
            tracked = face;
        }
        self.body_runs += 1;
        let pose = self.body.estimate(image)?;
        let metrics = measure(pose.as_ref(), image.width(), image.height(), settings);
        self.last_body = None;
        let (head, face_size) = match &metrics {
            Metrics::Front(front) => {
                let shoulders = self.shoulders.update(at_secs, shoulders_of(front));
                let face = match tracked {
                    Some(face) => Some(face),
                    None => self.face.estimate(image, pose.as_ref())?,
                };
                if let Some(face) = &face {
                    self.last_body = Some(LastBody {
                        at_secs,
                        pose: pose.clone(),
                        metrics,
                        face: FacePlace::of(face),
                    });
                }
                head_of(
                    face.as_ref(),
                    shoulders,
                    &mut self.mouth,
                    at_secs,
                    image,
                    settings,
                )
            }
            other => {
                if matches!(other, Metrics::Uncertain(_)) {
                    self.shoulders.reset();
                }
                self.mouth.reset();
                (None, None)
            }
        };
        Ok(Reading {
            pose,
            metrics,
            head,
            face_size,
        })
    }

    /// How many times the body model has run.
    pub fn body_runs(&self) -> usize {
        self.body_runs
    }

    /// A new sequence: forget the tracked person, face and shoulders.
    pub fn reset_tracking(&mut self) {
        self.body.reset_tracking();
        self.face.reset_tracking();
        self.shoulders.reset();
        self.mouth.reset();
        self.last_body = None;
    }
}

/// The calibration profile, if one was made. Missing is not an error: the
/// population defaults apply.
pub fn load_profile(data_dir: &std::path::Path, name: &str) -> Result<Option<Profile>> {
    ProfileStore::new(data_dir)
        .load(name)
        .with_context(|| format!("cannot use calibration profile '{name}'"))
}

pub fn neutral_from(profile: Option<&Profile>) -> Neutral {
    profile
        .map(|p| Neutral {
            front: p.calibration.baseline,
            calibrated: true,
            face: p.calibration.face,
        })
        .unwrap_or_default()
}

/// What one frame gave at every stage.
pub struct FrameOutcome {
    pub pose: Option<Pose>,
    pub metrics: Metrics,
    pub assessment: Assessment,
    pub step: Step,
    /// See [`Reading::face_size`].
    pub face_size: Option<FaceSize>,
}

pub struct PostureTracker {
    pub estimator: Reader,
    pub measure: MeasureSettings,
    pub neutral: Neutral,
    pub monitor: Monitor,
    /// When the body model may be skipped (`[sampling] body_every_secs`).
    pub cadence: Cadence,
    /// The last frame's assessment, for frames that reuse it.
    last_assessment: Option<Assessment>,
}

fn cadence_of(config: &Config) -> Cadence {
    Cadence {
        body_every_secs: config.sampling.body_every_secs,
        ..Cadence::default()
    }
}

impl PostureTracker {
    pub fn new(estimator: Reader, config: &Config, neutral: Neutral) -> Self {
        Self {
            estimator,
            measure: config.measure,
            neutral,
            monitor: Monitor::new(config.monitor),
            cadence: cadence_of(config),
            last_assessment: None,
        }
    }

    /// A frame that looks like the last one: its assessment still holds, so
    /// the monitor's clock moves on without running the model.
    pub fn reuse(&mut self, at_secs: f64) -> Option<Step> {
        let assessment = self.last_assessment?;
        Some(
            self.monitor
                .update(at_secs, &assessment, self.neutral.calibrated),
        )
    }

    /// What the last reading was read from (the face, something else, or
    /// nobody), which decides how long it may be reused.
    pub fn last_reading(&self) -> LastReading {
        match self.last_assessment {
            Some(Assessment::Front {
                offset_source: OffsetSource::Face,
                ..
            }) => LastReading::Face,
            Some(Assessment::Uncertain {
                reason: UncertainReason::NoPerson,
            }) => LastReading::Nobody,
            _ => LastReading::WithoutFace,
        }
    }

    /// The last frame's assessment as the state machine reads it.
    pub fn last_sample(&self) -> Option<chintuck::monitor::Sample> {
        self.last_assessment.as_ref().map(Into::into)
    }

    /// New thresholds apply from the next frame; episodes carry on.
    pub fn apply(&mut self, config: &Config) {
        self.measure = config.measure;
        self.cadence = cadence_of(config);
        self.monitor.set_settings(config.monitor);
    }

    /// A new sequence: forget the tracked person and the posture history.
    pub fn restart(&mut self) {
        self.last_assessment = None;
        self.estimator.reset_tracking();
        self.monitor = Monitor::new(*self.monitor.settings());
    }

    pub fn process(&mut self, image: &RgbImage, at_secs: f64) -> Result<FrameOutcome, PoseError> {
        // The body may be skipped only while the face gives the forward
        // offset: without a face baseline (uncalibrated, an older profile), or
        // when the last offset was the ears' alone, the ears must be fresh.
        let face_gives_the_offset = self.neutral.calibrated
            && self.neutral.face.is_some()
            && !self
                .last_assessment
                .as_ref()
                .is_some_and(Assessment::offset_from_ears_alone);
        let cadence = if face_gives_the_offset {
            self.cadence
        } else {
            Cadence {
                body_every_secs: 0.0,
                ..self.cadence
            }
        };
        let Reading {
            pose,
            metrics,
            head,
            face_size,
        } = self
            .estimator
            .read(image, at_secs, &self.measure, &cadence)?;
        let assessment = assess(&metrics, head.as_ref(), &self.neutral, &self.measure);
        let step = self
            .monitor
            .update(at_secs, &assessment, self.neutral.calibrated);
        self.last_assessment = Some(assessment);
        Ok(FrameOutcome {
            pose,
            metrics,
            assessment,
            step,
            face_size,
        })
    }
}

/// The `posture` object of `analyze --json`: every measurement with units in
/// its name, the state, and why a frame is uncertain.
pub fn posture_json(outcome: &FrameOutcome, at_secs: f64, calibrated: bool) -> serde_json::Value {
    let mut value = serde_json::to_value(outcome.assessment).expect("assessments serialise");
    let object = value.as_object_mut().expect("an assessment is an object");
    if let Some(reason) = object.remove("reason") {
        object.insert("reasons".into(), serde_json::json!([reason]));
    } else {
        object.insert("reasons".into(), serde_json::json!([]));
    }
    let confidence = if matches!(outcome.assessment, Assessment::Uncertain { .. }) {
        "uncertain"
    } else {
        "measured"
    };
    object.insert("confidence".into(), confidence.into());
    object.insert("state".into(), outcome.step.state.as_str().into());
    object.insert(
        "severity".into(),
        serde_json::to_value(outcome.step.severity).unwrap_or_default(),
    );
    object.insert(
        "smoothed".into(),
        serde_json::to_value(outcome.step.smoothed).unwrap_or_default(),
    );
    object.insert("calibrated".into(), calibrated.into());
    object.insert(
        "time_secs".into(),
        ((at_secs * 1000.0).round() / 1000.0).into(),
    );
    if object.contains_key("neck_load_kg") {
        object.insert("neck_load_is_estimate".into(), true.into());
    }
    if let (Some(face), Some(size)) = (
        object.get_mut("face").and_then(|face| face.as_object_mut()),
        outcome.face_size,
    ) {
        face.insert("mouth_open".into(), size.mouth_open.into());
        face.insert("size_held".into(), size.held.into());
    }
    round_numbers(&mut value);
    value
}

/// Four decimals are far below what a webcam can measure; more is noise.
fn round_numbers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) => {
            if let Some(float) = number
                .as_f64()
                .filter(|_| !number.is_i64() && !number.is_u64())
            {
                *value = serde_json::json!((float * 1e4).round() / 1e4);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(round_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(round_numbers),
        _ => {}
    }
}

/// When each frame of a replay happened.
#[derive(Debug, Clone, Copy)]
pub enum Timing {
    /// Evenly spaced at this many frames per second.
    Fps(f64),
    /// By file modification time, from the first frame.
    Modified,
}

impl Timing {
    /// How long one frame lasts: the replay covers the last frame's time plus this.
    pub fn frame_secs(&self) -> f64 {
        match self {
            Timing::Fps(fps) => 1.0 / fps,
            Timing::Modified => 0.0,
        }
    }

    pub fn at_secs(
        &self,
        index: usize,
        modified: Option<std::time::SystemTime>,
        first: &mut Option<std::time::SystemTime>,
    ) -> f64 {
        match self {
            Timing::Fps(fps) => index as f64 / fps,
            Timing::Modified => {
                let Some(modified) = modified else {
                    return 0.0;
                };
                let first = *first.get_or_insert(modified);
                modified
                    .duration_since(first)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or(0.0)
            }
        }
    }
}
