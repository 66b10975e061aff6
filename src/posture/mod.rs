//! Posture: from landmarks to measurements a person understands.
//!
//! `measure` turns one pose into scale-free ratios (front view), or says the
//! person is seen in profile (side view) or why it cannot tell; `assess`
//! compares the front view with the person's
//! calibrated neutral (or population defaults) to give centimetres forward,
//! head drop, pitch change and an estimated neck load; `calibration` builds
//! the neutral from a window of measurements; `head` measures the head with
//! the face mesh against the body's shoulders (front view), which is what the
//! forward offset comes from when a face is read; `mouth` holds the face's
//! size while the mouth is open. All pure: values in, values out.

pub mod cadence;
pub mod calibration;
pub mod head;
pub mod measure;
pub mod mouth;

use serde::{Deserialize, Serialize};

pub use head::{FaceAssessment, FaceBaseline, HeadMetrics, face_centre_px, measure_head};
pub use measure::{
    FrontMetrics, MeasureSettings, Metrics, Side, SideMetrics, UncertainReason, measure,
};

/// A person's neutral front-view posture: medians over a calibration window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrontBaseline {
    pub head_size_ratio: f32,
    pub face_size_ratio: f32,
    pub neck_height_ratio: f32,
    pub chin_height_ratio: f32,
    pub pitch_ratio: f32,
}

/// Population defaults for an uncalibrated front view: an adult at a laptop
/// or monitor webcam. Used with wider alert thresholds (see config).
pub const POPULATION_FRONT_BASELINE: FrontBaseline = FrontBaseline {
    head_size_ratio: 0.45,
    face_size_ratio: 0.30,
    neck_height_ratio: 0.60,
    chin_height_ratio: 0.35,
    pitch_ratio: 0.30,
};

/// The neutral a frame is compared with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neutral {
    pub front: FrontBaseline,
    /// False when `front` is the population default.
    pub calibrated: bool,
    /// The neutral head from the face mesh; `None` uncalibrated, or for a
    /// profile made before chintuck read the face (the ears are used then).
    pub face: Option<FaceBaseline>,
}

impl Default for Neutral {
    fn default() -> Self {
        Self {
            front: POPULATION_FRONT_BASELINE,
            calibrated: false,
            face: None,
        }
    }
}

/// Which measurement `forward_offset_cm` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetSource {
    /// The face mesh's growth against the shoulders (see `head::forward_offset_cm`).
    Face,
    /// The body model's ear span and eye corners against the shoulders: no
    /// face was read, the neutral has no face baseline, or the face is looking
    /// down and the ears call it less forward than the face does (while
    /// looking down the smaller of the two counts: see `assess`).
    Ears,
}

/// One frame's posture against the neutral.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum Assessment {
    Front {
        /// Head forward of the shoulders compared with neutral, centimetres.
        forward_offset_cm: f32,
        /// Ear midpoint lower relative to the shoulders than neutral, centimetres.
        head_drop_cm: f32,
        /// Nose and mouth lower against the ears than neutral, in ear spans:
        /// positive when looking down, negative with the chin up and out.
        pitch_change_ratio: f32,
        /// Estimated load on the neck, kilograms (see `neck_load_from_offset_kg`).
        neck_load_kg: f32,
        /// Where `forward_offset_cm` came from.
        offset_source: OffsetSource,
        /// The body-only offset (ears over shoulders), centimetres, whichever
        /// source `forward_offset_cm` took.
        ears_offset_cm: f32,
        metrics: FrontMetrics,
        /// The face mesh's numbers, when a face was read.
        face: Option<FaceAssessment>,
    },
    Uncertain {
        reason: UncertainReason,
    },
}

impl Assessment {
    /// Whether the forward offset is the ears' for want of a face reading,
    /// rather than the ears capping the offset of a face that looks down
    /// (see [`assess`]). Only then must the ears be read afresh each sample:
    /// a cap is served as well by ears read before the nod (see `cadence`).
    pub fn offset_from_ears_alone(&self) -> bool {
        matches!(
            self,
            Assessment::Front {
                offset_source: OffsetSource::Ears,
                face,
                ..
            } if !face.is_some_and(|face| face.looking_down && face.forward_offset_cm.is_some())
        )
    }
}

/// Compares one frame's metrics (and, in the front view, the head as the face
/// mesh saw it) with the neutral.
///
/// A person seen in profile is uncertain (`side_view`): see
/// [`UncertainReason::SideView`].
///
/// Front view with a face: a face turned past `max_face_yaw_deg` is uncertain
/// (the camera is to the side); a face pitched down past
/// `looking_down_pitch_deg` is looking down, and then the forward offset is
/// the smaller of the face's and the ears' (on the rendered ground truth the
/// face's stays under 1 cm while looking down 10–30° and the ears' reach
/// 4.6 cm; on the 2D-warped replay the face's reaches 7 cm); otherwise, with a
/// face baseline, the forward offset is the face's, unless it reads the head
/// more than [`head::MAX_BEHIND_NEUTRAL_CM`] behind neutral, which is
/// uncertain (`implausible_offset`). Without a face (lost, not trusted) or a
/// face baseline, the body-only front view applies as it always did.
pub fn assess(
    metrics: &Metrics,
    head: Option<&HeadMetrics>,
    neutral: &Neutral,
    settings: &MeasureSettings,
) -> Assessment {
    match metrics {
        Metrics::Uncertain(reason) => Assessment::Uncertain { reason: *reason },
        // The body model's shoulders in profile follow the head (see
        // `UncertainReason::SideView`): the angle it gives from them called 12
        // of 14 rendered forward heads good. No answer beats that one.
        Metrics::Side(_) => Assessment::Uncertain {
            reason: UncertainReason::SideView,
        },
        Metrics::Front(front) => {
            let base = &neutral.front;
            // Pinhole model: the head's ear span grows against the shoulders by
            // the ratio of their distances, so the head is this much nearer
            // than the shoulders compared with neutral. Ears and outer eye
            // corners are two views of the same growth: average them.
            let growth = 0.5
                * (front.head_size_ratio / base.head_size_ratio
                    + front.face_size_ratio / base.face_size_ratio);
            let forward_offset_cm = front.head_distance_cm * (growth - 1.0);
            // The neck height ratio is in shoulder widths; one shoulder width
            // is head breadth / head_size_ratio centimetres.
            let head_drop_cm = (base.neck_height_ratio - front.neck_height_ratio)
                * settings.head_breadth_cm
                / base.head_size_ratio;
            let face_neutral = neutral.face.as_ref().filter(|_| neutral.calibrated);
            if let Some(head) = head
                && head::camera_to_the_side(head, face_neutral, settings)
            {
                return Assessment::Uncertain {
                    reason: UncertainReason::CameraToTheSide,
                };
            }
            let face = head.map(|head| head::assess_face(head, face_neutral, settings));
            let ears_offset_cm = forward_offset_cm;
            let (forward_offset_cm, offset_source) = match face
                .and_then(|face| face.forward_offset_cm.map(|o| (o, face.looking_down)))
            {
                // Looking down, each ruler is disturbed by the nod its own
                // way: the face swings toward the camera about the neck
                // (and a 2D warp of a nod stretches it), the body model's
                // ear points slide. Only what both call forward counts.
                Some((offset, true)) if ears_offset_cm < offset => {
                    (ears_offset_cm, OffsetSource::Ears)
                }
                Some((offset, false)) if offset < -head::MAX_BEHIND_NEUTRAL_CM => {
                    return Assessment::Uncertain {
                        reason: UncertainReason::ImplausibleOffset,
                    };
                }
                Some((offset, _)) => (offset, OffsetSource::Face),
                None => (ears_offset_cm, OffsetSource::Ears),
            };
            Assessment::Front {
                forward_offset_cm,
                head_drop_cm,
                pitch_change_ratio: front.pitch_ratio - base.pitch_ratio,
                neck_load_kg: neck_load_from_offset_kg(forward_offset_cm),
                offset_source,
                ears_offset_cm,
                metrics: *front,
                face,
            }
        }
    }
}

fn interpolate(table: &[(f32, f32)], x: f32) -> f32 {
    let (first, last) = (table[0], table[table.len() - 1]);
    if x <= first.0 {
        return first.1;
    }
    for pair in table.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    let (x0, y0) = table[table.len() - 2];
    last.1 + (last.1 - y0) / (last.0 - x0) * (x - last.0)
}

/// Effective load on the neck from the head's forward offset, kilograms — an
/// estimate. The head weighs about 5 kg; the commonly quoted figures are about
/// 10 kg at 2.5 cm forward and 15 kg at 7.5 cm (docs/posture.md), interpolated
/// linearly and extended at the last slope.
pub fn neck_load_from_offset_kg(forward_offset_cm: f32) -> f32 {
    interpolate(&[(0.0, 5.0), (2.5, 10.0), (7.5, 15.0)], forward_offset_cm)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(
        head_size_ratio: f32,
        face_size_ratio: f32,
        neck_height_ratio: f32,
        pitch_ratio: f32,
    ) -> FrontMetrics {
        FrontMetrics {
            shoulder_width_px: 200.0,
            ear_span_px: 90.0,
            neck_height_ratio,
            chin_height_ratio: 0.35,
            head_size_ratio,
            face_size_ratio,
            pitch_ratio,
            roll_deg: 0.0,
            shoulder_tilt_deg: 0.0,
            head_distance_cm: 60.0,
        }
    }

    fn calibrated() -> Neutral {
        Neutral {
            front: FrontBaseline {
                head_size_ratio: 0.45,
                face_size_ratio: 0.30,
                neck_height_ratio: 0.65,
                chin_height_ratio: 0.37,
                pitch_ratio: 0.22,
            },
            calibrated: true,
            face: None,
        }
    }

    #[test]
    fn head_growth_against_the_shoulders_converts_to_centimetres_forward() {
        // Head and face 5% larger against the shoulders, head 60 cm away: 3 cm.
        let metrics = Metrics::Front(front(0.45 * 1.05, 0.30 * 1.05, 0.65, 0.22));
        let Assessment::Front {
            forward_offset_cm,
            head_drop_cm,
            pitch_change_ratio,
            neck_load_kg,
            ..
        } = assess(&metrics, None, &calibrated(), &MeasureSettings::default())
        else {
            panic!("front view expected");
        };
        assert!(
            (forward_offset_cm - 3.0).abs() < 1e-3,
            "{forward_offset_cm}"
        );
        assert!(head_drop_cm.abs() < 1e-5);
        assert!(pitch_change_ratio.abs() < 1e-6);
        assert!((neck_load_kg - 10.5).abs() < 1e-3, "{neck_load_kg}");
    }

    #[test]
    fn neutral_posture_is_zero_forward() {
        let metrics = Metrics::Front(front(0.45, 0.30, 0.65, 0.22));
        let Assessment::Front {
            forward_offset_cm,
            neck_load_kg,
            ..
        } = assess(&metrics, None, &calibrated(), &MeasureSettings::default())
        else {
            panic!()
        };
        assert!(forward_offset_cm.abs() < 1e-4);
        assert_eq!(neck_load_kg, 5.0);
    }

    #[test]
    fn head_drop_is_in_centimetres_and_pitch_change_in_ear_spans() {
        // Neck height 0.05 shoulder widths lower; a shoulder width is 14.5/0.45 = 32.2 cm.
        let metrics = Metrics::Front(front(0.45, 0.30, 0.60, 0.32));
        let Assessment::Front {
            head_drop_cm,
            pitch_change_ratio,
            ..
        } = assess(&metrics, None, &calibrated(), &MeasureSettings::default())
        else {
            panic!()
        };
        assert!(
            (head_drop_cm - 0.05 * 14.5 / 0.45).abs() < 1e-4,
            "{head_drop_cm}"
        );
        assert!((pitch_change_ratio - 0.10).abs() < 1e-6);
    }

    #[test]
    fn a_person_in_profile_is_uncertain_whatever_the_angle_or_the_neutral() {
        // The angle from the body model's profile shoulders called most
        // rendered forward heads good: there is no side-view answer.
        for cva_deg in [20.0, 35.0, 50.0, 70.0] {
            let metrics = Metrics::Side(SideMetrics {
                cva_deg,
                side: Side::Left,
            });
            for neutral in [Neutral::default(), calibrated()] {
                assert_eq!(
                    assess(&metrics, None, &neutral, &MeasureSettings::default()),
                    Assessment::Uncertain {
                        reason: UncertainReason::SideView
                    }
                );
            }
        }
    }

    #[test]
    fn uncertain_stays_uncertain() {
        let metrics = Metrics::Uncertain(UncertainReason::FaceTurnedAway);
        assert_eq!(
            assess(
                &metrics,
                None,
                &Neutral::default(),
                &MeasureSettings::default()
            ),
            Assessment::Uncertain {
                reason: UncertainReason::FaceTurnedAway
            }
        );
    }

    fn face_neutral() -> Neutral {
        Neutral {
            face: Some(FaceBaseline {
                face_scale_px_per_cm: 8.0,
                shoulder_width_px: 200.0,
                camera_distance_cm: 60.0,
                pitch_deg: 9.0,
                yaw_deg: 0.0,
                pose_fit: crate::pose::facemesh::head::POSE_FIT_VERSION,
                distance_measured: false,
                // No place of the face kept: the offset is the approach.
                face_below_axis_cm: None,
                shoulder_tilt_deg: Some(0.0),
            }),
            ..calibrated()
        }
    }

    fn face_head(pitch_deg: f32, yaw_deg: f32, scale_px_per_cm: f32) -> HeadMetrics {
        HeadMetrics {
            face_scale_px_per_cm: scale_px_per_cm,
            shoulder_width_px: 200.0,
            head_over_shoulders_per_cm: scale_px_per_cm / 200.0,
            shoulder_tilt_deg: 0.0,
            camera_distance_cm: 480.0 / scale_px_per_cm,
            pitch_deg,
            yaw_deg,
            roll_deg: 0.0,
            face_below_axis_cm: 0.0,
            confidence: 0.99,
        }
    }

    #[test]
    fn with_a_face_the_forward_offset_is_the_faces_and_the_ears_are_kept_beside_it() {
        // Face 25 % larger against the shoulders, 60 cm away: 12 cm forward;
        // the ears (unchanged here) say 0.
        let metrics = Metrics::Front(front(0.45, 0.30, 0.65, 0.22));
        let Assessment::Front {
            forward_offset_cm,
            offset_source,
            ears_offset_cm,
            face,
            ..
        } = assess(
            &metrics,
            Some(&face_head(9.0, 0.0, 10.0)),
            &face_neutral(),
            &MeasureSettings::default(),
        )
        else {
            panic!("front view expected");
        };
        assert!(
            (forward_offset_cm - 12.0).abs() < 1e-4,
            "{forward_offset_cm}"
        );
        assert_eq!(offset_source, OffsetSource::Face);
        assert!(ears_offset_cm.abs() < 1e-4);
        assert!((face.unwrap().growth_ratio.unwrap() - 1.25).abs() < 1e-5);
    }

    #[test]
    fn a_face_looking_down_is_not_taken_for_a_forward_head() {
        // The nod makes the face 12 % larger (as the looking_down replay does);
        // pitched 23° down it is looking down, and the ears give the offset.
        let metrics = Metrics::Front(front(0.45, 0.30, 0.65, 0.32));
        let assessment = assess(
            &metrics,
            Some(&face_head(32.0, 0.0, 8.96)),
            &face_neutral(),
            &MeasureSettings::default(),
        );
        // The ears cap the face's offset here; they do not stand alone.
        assert!(!assessment.offset_from_ears_alone());
        let Assessment::Front {
            forward_offset_cm,
            offset_source,
            face,
            ..
        } = assessment
        else {
            panic!("front view expected");
        };
        assert_eq!(offset_source, OffsetSource::Ears);
        assert!(forward_offset_cm.abs() < 1e-4);
        let face = face.unwrap();
        assert!(face.looking_down && (face.pitch_change_deg.unwrap() - 23.0).abs() < 1e-4);
        assert!(
            face.forward_offset_cm.unwrap() > 6.0,
            "still reported: {face:?}"
        );
    }

    #[test]
    fn looking_down_the_smaller_offset_counts() {
        // The ears say 3 cm forward (5 % growth), the face 1.2 cm (2 %): the face's.
        let metrics = Metrics::Front(front(0.45 * 1.05, 0.30 * 1.05, 0.65, 0.32));
        let Assessment::Front {
            forward_offset_cm,
            offset_source,
            ..
        } = assess(
            &metrics,
            Some(&face_head(32.0, 0.0, 8.16)),
            &face_neutral(),
            &MeasureSettings::default(),
        )
        else {
            panic!("front view expected");
        };
        assert_eq!(offset_source, OffsetSource::Face);
        assert!((forward_offset_cm - 60.0 * (1.0 - 1.0 / 1.02)).abs() < 1e-3);
    }

    #[test]
    fn a_face_read_far_behind_neutral_is_uncertain_unless_looking_down() {
        let metrics = Metrics::Front(front(0.45, 0.30, 0.65, 0.22));
        let settings = MeasureSettings::default();
        // 8 % smaller than neutral: about 5 cm back, as a tucked chin and a
        // calibration a little forward might read. Still an answer.
        let Assessment::Front {
            forward_offset_cm, ..
        } = assess(
            &metrics,
            Some(&face_head(9.0, 0.0, 7.4)),
            &face_neutral(),
            &settings,
        )
        else {
            panic!("a few centimetres back is a posture");
        };
        assert!(
            (-6.0..-4.0).contains(&forward_offset_cm),
            "{forward_offset_cm}"
        );
        // 15 % smaller: over 10 cm back, which no posture reads.
        let far_back = face_head(9.0, 0.0, 6.8);
        assert_eq!(
            assess(&metrics, Some(&far_back), &face_neutral(), &settings),
            Assessment::Uncertain {
                reason: UncertainReason::ImplausibleOffset
            }
        );
        // The same face pitched down is looking down, as it was before.
        let Assessment::Front {
            forward_offset_cm,
            face,
            ..
        } = assess(
            &metrics,
            Some(&face_head(32.0, 0.0, 6.8)),
            &face_neutral(),
            &settings,
        )
        else {
            panic!("looking down is answered");
        };
        assert!(face.unwrap().looking_down);
        assert!(forward_offset_cm < -head::MAX_BEHIND_NEUTRAL_CM);
    }

    #[test]
    fn a_face_turned_well_away_is_uncertain_never_good() {
        let metrics = Metrics::Front(front(0.45, 0.30, 0.65, 0.22));
        for neutral in [face_neutral(), Neutral::default()] {
            assert_eq!(
                assess(
                    &metrics,
                    Some(&face_head(9.0, 40.0, 8.0)),
                    &neutral,
                    &MeasureSettings::default()
                ),
                Assessment::Uncertain {
                    reason: UncertainReason::CameraToTheSide
                }
            );
        }
        // A profile stays the side view's uncertainty, face or no face.
        let side = Metrics::Side(SideMetrics {
            cva_deg: 45.0,
            side: Side::Left,
        });
        assert_eq!(
            assess(
                &side,
                Some(&face_head(9.0, 80.0, 8.0)),
                &face_neutral(),
                &MeasureSettings::default()
            ),
            Assessment::Uncertain {
                reason: UncertainReason::SideView
            }
        );
    }

    #[test]
    fn without_a_face_or_a_face_baseline_the_ears_give_the_offset() {
        let metrics = Metrics::Front(front(0.45 * 1.05, 0.30 * 1.05, 0.65, 0.22));
        for (head, neutral) in [
            (None, face_neutral()),
            (Some(face_head(9.0, 0.0, 10.0)), calibrated()),
        ] {
            let assessment = assess(
                &metrics,
                head.as_ref(),
                &neutral,
                &MeasureSettings::default(),
            );
            assert!(assessment.offset_from_ears_alone());
            let Assessment::Front {
                forward_offset_cm,
                offset_source,
                ..
            } = assessment
            else {
                panic!()
            };
            assert_eq!(offset_source, OffsetSource::Ears);
            assert!((forward_offset_cm - 3.0).abs() < 1e-3);
        }
    }

    #[test]
    fn load_tables_interpolate_and_extend() {
        assert_eq!(neck_load_from_offset_kg(-3.0), 5.0);
        assert!((neck_load_from_offset_kg(5.0) - 12.5).abs() < 1e-5);
        assert!((neck_load_from_offset_kg(10.0) - 17.5).abs() < 1e-5);
    }
}
