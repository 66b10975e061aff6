//! Calibration: the person's own neutral posture from a window of frames.
//!
//! Robust statistics (median and median absolute deviation) so a blink, a
//! cough or one bad frame does not move the baseline; refusal with a reason
//! when the window cannot give a trustworthy neutral.

use serde::{Deserialize, Serialize};

use super::head::{FaceBaseline, HeadMetrics, face_baseline};
use super::{FrontBaseline, Metrics, UncertainReason};

/// What a calibration window must satisfy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CalibrationLimits {
    /// At least this many measured frames.
    pub min_samples: usize,
    /// At least this fraction of the frames measured in the front view.
    pub min_measured_fraction: f32,
    /// Largest spread (MAD / median) of the head size ratio.
    pub max_head_size_spread: f32,
    /// Largest spread (MAD) of the neck height ratio, in shoulder widths.
    pub max_neck_height_spread: f32,
}

impl Default for CalibrationLimits {
    fn default() -> Self {
        Self {
            min_samples: 5,
            min_measured_fraction: 0.6,
            max_head_size_spread: 0.05,
            max_neck_height_spread: 0.04,
        }
    }
}

/// A neutral baseline with how steady the person was while it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub baseline: FrontBaseline,
    /// Median absolute deviation of each measurement over the window.
    pub spread: FrontBaseline,
    /// Median shoulder width in pixels: a later large change means the camera
    /// or the chair moved.
    pub shoulder_width_px: f32,
    pub samples: usize,
    /// The neutral head from the face mesh (medians over the window's faces).
    /// Missing in profiles made before chintuck read the face: they still
    /// load, and the forward offset then comes from the ears until the person
    /// calibrates again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<FaceBaseline>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    #[error("nobody was in view during calibration; sit in front of the camera and try again")]
    NobodyThere,
    #[error(
        "the camera sees you in profile (side view): chintuck cannot place your shoulders reliably from there, so it cannot measure a forward head; put the camera in front of you (on the monitor or the laptop) and calibrate again"
    )]
    SideView,
    #[error(
        "you were not fully seen: only {measured} of {total} frames could be measured ({reason}); make sure your ears and both shoulders are in the picture"
    )]
    NotFullySeen {
        measured: usize,
        total: usize,
        reason: &'static str,
    },
    #[error(
        "you moved too much: {what} varied by {spread:.3} (limit {limit:.3}); sit still in your good posture for the whole window"
    )]
    TooMuchMovement {
        what: &'static str,
        spread: f32,
        limit: f32,
    },
}

fn median(values: &mut [f32]) -> f32 {
    values.sort_by(f32::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Median and median absolute deviation.
fn median_and_mad(mut values: Vec<f32>) -> (f32, f32) {
    let centre = median(&mut values);
    let mut deviations: Vec<f32> = values.iter().map(|v| (v - centre).abs()).collect();
    (centre, median(&mut deviations))
}

/// Builds the neutral from the frames of a calibration window: `frames` as the
/// body model measured them, `heads` the faces read in the front-view frames
/// (empty when no face was read: the neutral then has no face baseline).
pub fn calibrate(
    frames: &[Metrics],
    heads: &[HeadMetrics],
    limits: &CalibrationLimits,
) -> Result<Calibration, CalibrationError> {
    let fronts: Vec<_> = frames
        .iter()
        .filter_map(|m| match m {
            Metrics::Front(front) => Some(*front),
            _ => None,
        })
        .collect();
    let sides = frames
        .iter()
        .filter(|m| matches!(m, Metrics::Side(_)))
        .count();
    let nobody = frames
        .iter()
        .filter(|m| matches!(m, Metrics::Uncertain(UncertainReason::NoPerson)))
        .count();
    if frames.is_empty() || nobody * 2 > frames.len() {
        return Err(CalibrationError::NobodyThere);
    }
    if sides > fronts.len() {
        return Err(CalibrationError::SideView);
    }
    let needed = limits
        .min_samples
        .max((limits.min_measured_fraction * frames.len() as f32).ceil() as usize);
    if fronts.len() < needed {
        // The commonest reason frames were not measured.
        let reasons = [
            UncertainReason::ShouldersOutOfFrame,
            UncertainReason::FaceTurnedAway,
            UncertainReason::HeadOutOfFrame,
            UncertainReason::NoPerson,
        ];
        let reason = reasons
            .iter()
            .max_by_key(|reason| {
                frames
                    .iter()
                    .filter(|m| **m == Metrics::Uncertain(**reason))
                    .count()
            })
            .map(|reason| reason.describe())
            .unwrap_or("unknown");
        return Err(CalibrationError::NotFullySeen {
            measured: fronts.len(),
            total: frames.len(),
            reason,
        });
    }
    let stat =
        |pick: fn(&super::FrontMetrics) -> f32| median_and_mad(fronts.iter().map(pick).collect());
    let head_size = stat(|m| m.head_size_ratio);
    let face_size = stat(|m| m.face_size_ratio);
    let neck_height = stat(|m| m.neck_height_ratio);
    let chin_height = stat(|m| m.chin_height_ratio);
    let pitch = stat(|m| m.pitch_ratio);
    let shoulder_width = stat(|m| m.shoulder_width_px);

    let head_size_spread = head_size.1 / head_size.0;
    if head_size_spread > limits.max_head_size_spread {
        return Err(CalibrationError::TooMuchMovement {
            what: "head size against the shoulders",
            spread: head_size_spread,
            limit: limits.max_head_size_spread,
        });
    }
    if neck_height.1 > limits.max_neck_height_spread {
        return Err(CalibrationError::TooMuchMovement {
            what: "neck height",
            spread: neck_height.1,
            limit: limits.max_neck_height_spread,
        });
    }
    Ok(Calibration {
        baseline: FrontBaseline {
            head_size_ratio: head_size.0,
            face_size_ratio: face_size.0,
            neck_height_ratio: neck_height.0,
            chin_height_ratio: chin_height.0,
            pitch_ratio: pitch.0,
        },
        spread: FrontBaseline {
            head_size_ratio: head_size.1,
            face_size_ratio: face_size.1,
            neck_height_ratio: neck_height.1,
            chin_height_ratio: chin_height.1,
            pitch_ratio: pitch.1,
        },
        shoulder_width_px: shoulder_width.0,
        samples: fronts.len(),
        // The face baseline needs faces in most of the measured frames, like
        // the body's.
        face: face_baseline(
            heads,
            shoulder_width.0,
            limits
                .min_samples
                .max((limits.min_measured_fraction * fronts.len() as f32).ceil() as usize),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::{FrontMetrics, Side, SideMetrics};

    fn frame(head_size_ratio: f32, neck_height_ratio: f32) -> Metrics {
        Metrics::Front(FrontMetrics {
            shoulder_width_px: 200.0,
            ear_span_px: 90.0,
            neck_height_ratio,
            chin_height_ratio: 0.37,
            head_size_ratio,
            face_size_ratio: 0.30,
            pitch_ratio: 0.22,
            roll_deg: 0.0,
            shoulder_tilt_deg: 0.0,
            head_distance_cm: 60.0,
        })
    }

    #[test]
    fn baseline_is_the_median_and_ignores_one_outlier() {
        let mut frames: Vec<_> = (0..9)
            .map(|i| frame(0.45 + 0.001 * i as f32, 0.65))
            .collect();
        frames.push(frame(0.9, 0.2)); // a sneeze
        let calibration = calibrate(&frames, &[], &CalibrationLimits::default()).unwrap();
        assert!((calibration.baseline.head_size_ratio - 0.4545).abs() < 1e-4);
        assert_eq!(calibration.baseline.neck_height_ratio, 0.65);
        assert_eq!(calibration.samples, 10);
        assert_eq!(calibration.shoulder_width_px, 200.0);
        assert!(calibration.spread.head_size_ratio < 0.005);
    }

    fn face(pitch_deg: f32) -> HeadMetrics {
        HeadMetrics {
            face_scale_px_per_cm: 8.0,
            shoulder_width_px: 200.0,
            head_over_shoulders_per_cm: 0.04,
            shoulder_tilt_deg: 0.0,
            camera_distance_cm: 62.8,
            pitch_deg,
            yaw_deg: -1.0,
            roll_deg: 3.0,
            face_below_axis_cm: -3.0,
            confidence: 0.99,
        }
    }

    #[test]
    fn the_face_baseline_needs_faces_in_most_measured_frames() {
        let frames = vec![frame(0.45, 0.65); 10];
        let heads: Vec<_> = (0..10).map(|i| face(8.5 + 0.1 * i as f32)).collect();
        let calibration = calibrate(&frames, &heads, &CalibrationLimits::default()).unwrap();
        let baseline = calibration.face.unwrap();
        assert!((baseline.pitch_deg - 8.95).abs() < 1e-4, "{baseline:?}");
        assert_eq!(baseline.face_scale_px_per_cm, 8.0);
        assert_eq!(baseline.shoulder_width_px, 200.0);
        assert_eq!(baseline.camera_distance_cm, 62.8);
        // Faces in only 4 of 10 frames: no face baseline, the ears apply.
        let calibration = calibrate(&frames, &heads[..4], &CalibrationLimits::default()).unwrap();
        assert_eq!(calibration.face, None);
    }

    #[test]
    fn refuses_when_nobody_is_there() {
        let frames = vec![Metrics::Uncertain(UncertainReason::NoPerson); 10];
        assert_eq!(
            calibrate(&frames, &[], &CalibrationLimits::default()),
            Err(CalibrationError::NobodyThere)
        );
        assert_eq!(
            calibrate(&[], &[], &CalibrationLimits::default()),
            Err(CalibrationError::NobodyThere)
        );
    }

    #[test]
    fn refuses_when_the_person_is_not_fully_seen() {
        let mut frames = vec![frame(0.45, 0.65); 3];
        frames.extend(vec![
            Metrics::Uncertain(UncertainReason::ShouldersOutOfFrame);
            7
        ]);
        let err = calibrate(&frames, &[], &CalibrationLimits::default()).unwrap_err();
        assert_eq!(
            err,
            CalibrationError::NotFullySeen {
                measured: 3,
                total: 10,
                reason: "shoulders out of frame"
            }
        );
        assert!(err.to_string().contains("ears and both shoulders"));
    }

    #[test]
    fn refuses_when_the_person_moves_too_much() {
        let frames: Vec<_> = (0..10)
            .map(|i| frame(if i % 2 == 0 { 0.40 } else { 0.50 }, 0.65))
            .collect();
        let err = calibrate(&frames, &[], &CalibrationLimits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                CalibrationError::TooMuchMovement {
                    what: "head size against the shoulders",
                    ..
                }
            ),
            "{err:?}"
        );
        let frames: Vec<_> = (0..10)
            .map(|i| frame(0.45, if i % 2 == 0 { 0.55 } else { 0.70 }))
            .collect();
        let err = calibrate(&frames, &[], &CalibrationLimits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                CalibrationError::TooMuchMovement {
                    what: "neck height",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_side_view_is_refused_with_where_to_put_the_camera() {
        let frames = vec![
            Metrics::Side(SideMetrics {
                cva_deg: 50.0,
                side: Side::Left
            });
            10
        ];
        let refused = calibrate(&frames, &[], &CalibrationLimits::default());
        assert_eq!(refused, Err(CalibrationError::SideView));
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("put the camera in front of you")
        );
    }
}
