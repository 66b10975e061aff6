//! When the body model must run again while the face model tracks the head.
//!
//! The shoulders move slowly, and the body model costs about three face-model
//! calls (issue 9: 18.7 ms against 5.7 ms per call on one core). So between
//! body runs the last body reading stands in for the shoulders (and for the
//! body's own front-view numbers), and the face, tracked from its own mesh, is
//! read every sample. The body runs again after `body_every_secs`, whenever the
//! face is lost, and whenever the face moved a lot since the body last ran (a
//! move or a turn is when the shoulders or the body's numbers may have
//! changed). A nod is not: the shoulders stay, and the body's only use while
//! looking down is the ears' offset as a cap on the face's, for which the
//! ears read before the nod serve better than ears the nod slid (and on a
//! glance-heavy replay a nod was most of the body's runs). Pure: values in, a
//! yes or no out.

use crate::pose::facemesh::Face;

/// How often the body model runs while a face is tracked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cadence {
    /// At most this long between body runs, seconds; 0 = every sample.
    pub body_every_secs: f64,
    /// The face's centre moved this much, in face-region sides.
    pub max_face_shift: f32,
    /// The face's scale changed by this fraction.
    pub max_face_scale_change: f32,
    /// The face turned by this much, degrees.
    pub max_yaw_change_deg: f32,
}

impl Default for Cadence {
    fn default() -> Self {
        Self {
            body_every_secs: 0.0,
            max_face_shift: 0.1,
            max_face_scale_change: 0.05,
            max_yaw_change_deg: 8.0,
        }
    }
}

/// Where a face was, in the numbers the cadence compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FacePlace {
    pub center_x_px: f32,
    pub center_y_px: f32,
    pub side_px: f32,
    pub scale_px_per_cm: f32,
    pub yaw_deg: f32,
}

impl FacePlace {
    pub fn of(face: &Face) -> Self {
        Self {
            center_x_px: face.roi.center_x,
            center_y_px: face.roi.center_y,
            side_px: face.roi.side_px,
            scale_px_per_cm: face.head.scale_px_per_cm,
            yaw_deg: face.head.yaw_deg,
        }
    }
}

/// Whether the body model must run at `at_secs`, given when it last ran and
/// where the face was then (`None`: it never ran, or ran without a face), and
/// where the face is now (`None`: lost).
pub fn body_due(
    cadence: &Cadence,
    at_secs: f64,
    last_body: Option<(f64, FacePlace)>,
    face_now: Option<&FacePlace>,
) -> bool {
    let (Some((last_secs, then)), Some(now)) = (last_body, face_now) else {
        return true;
    };
    if cadence.body_every_secs <= 0.0
        || at_secs < last_secs
        || at_secs - last_secs >= cadence.body_every_secs
    {
        return true;
    }
    let shift = (now.center_x_px - then.center_x_px).hypot(now.center_y_px - then.center_y_px)
        / then.side_px.max(1.0);
    shift > cadence.max_face_shift
        || (now.scale_px_per_cm / then.scale_px_per_cm - 1.0).abs() > cadence.max_face_scale_change
        || (now.yaw_deg - then.yaw_deg).abs() > cadence.max_yaw_change_deg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(x: f32, scale: f32, yaw_deg: f32) -> FacePlace {
        FacePlace {
            center_x_px: x,
            center_y_px: 150.0,
            side_px: 200.0,
            scale_px_per_cm: scale,
            yaw_deg,
        }
    }

    #[test]
    fn a_still_face_skips_the_body_until_the_interval_is_up() {
        let cadence = Cadence {
            body_every_secs: 5.0,
            ..Cadence::default()
        };
        let then = place(320.0, 8.0, 0.0);
        let now = place(325.0, 8.1, 2.0);
        assert!(!body_due(&cadence, 3.0, Some((0.0, then)), Some(&now)));
        assert!(body_due(&cadence, 5.0, Some((0.0, then)), Some(&now)));
        // Every sample when the interval is 0 (analyze, calibrate).
        assert!(body_due(
            &Cadence::default(),
            0.5,
            Some((0.0, then)),
            Some(&now)
        ));
    }

    #[test]
    fn a_lost_face_a_first_frame_or_a_big_move_runs_the_body() {
        let cadence = Cadence {
            body_every_secs: 5.0,
            ..Cadence::default()
        };
        let then = place(320.0, 8.0, 0.0);
        assert!(body_due(&cadence, 1.0, Some((0.0, then)), None));
        assert!(body_due(&cadence, 1.0, None, Some(&then)));
        for now in [
            place(345.0, 8.0, 0.0),  // 12 % of the region over
            place(320.0, 8.5, 0.0),  // 6 % larger
            place(320.0, 8.0, -9.0), // turned 9°
        ] {
            assert!(
                body_due(&cadence, 1.0, Some((0.0, then)), Some(&now)),
                "{now:?}"
            );
        }
        // Time running backwards (a new sequence) runs it too.
        assert!(body_due(&cadence, 1.0, Some((4.0, then)), Some(&then)));
    }
}
