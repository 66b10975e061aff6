//! The rotated square region the landmark model looks at.

use serde::Serialize;

use super::sampling::AffineSampling;

/// A rotated square in image pixels. The landmark model sees it upright.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Roi {
    pub center_x: f32,
    pub center_y: f32,
    pub side_px: f32,
    /// Clockwise on screen (y down), radians in (-π, π].
    pub rotation_rad: f32,
}

/// MediaPipe scales the alignment box by 1.25 to leave a margin around the body.
const ROI_SCALE: f32 = 1.25;

impl Roi {
    /// The body ROI from two alignment points in pixels: `center` (mid-hip, or
    /// landmark 33) and `scale_point` (landmark 34, or detector keypoint 1),
    /// which gives both the body size and which way is up.
    pub fn from_alignment(center: (f32, f32), scale_point: (f32, f32)) -> Self {
        let dx = scale_point.0 - center.0;
        let dy = scale_point.1 - center.1;
        let side_px = 2.0 * dx.hypot(dy) * ROI_SCALE;
        let rotation_rad = normalize_angle(std::f32::consts::FRAC_PI_2 - (-dy).atan2(dx));
        Self {
            center_x: center.0,
            center_y: center.1,
            side_px,
            rotation_rad,
        }
    }

    /// The fixed ROI used when the detector misses a person framed close to the
    /// camera: body-sized, centred below the frame, as a desk webcam sees one.
    pub fn close_framing_fallback(width_px: u32, height_px: u32) -> Self {
        let (w, h) = (width_px as f32, height_px as f32);
        Self {
            center_x: 0.5 * w,
            center_y: 1.3 * h,
            side_px: 3.2 * h,
            rotation_rad: 0.0,
        }
    }

    /// Maps a point of the upright crop, in crop-normalised coordinates
    /// (0..1 across the square), to image pixels.
    pub fn crop_to_image(&self, u: f32, v: f32) -> (f32, f32) {
        let (sin, cos) = self.rotation_rad.sin_cos();
        let dx = (u - 0.5) * self.side_px;
        let dy = (v - 0.5) * self.side_px;
        (
            self.center_x + cos * dx - sin * dy,
            self.center_y + sin * dx + cos * dy,
        )
    }
}

impl Roi {
    /// The warp that shows this region upright as a `side` × `side` model input:
    /// output pixel (u, v) reads the frame at crop point (u / side, v / side).
    pub fn sampling(&self, side: usize) -> AffineSampling {
        let side = side as f32;
        let origin = self.crop_to_image(0.0, 0.0);
        let right = self.crop_to_image(1.0 / side, 0.0);
        let down = self.crop_to_image(0.0, 1.0 / side);
        AffineSampling {
            origin,
            step_u: (right.0 - origin.0, right.1 - origin.1),
            step_v: (down.0 - origin.0, down.1 - origin.1),
        }
    }
}

/// How much of the newly measured region a tracked region takes each frame
/// while the person is still; see [`Roi::stabilized`].
const ROI_FOLLOW_RATE: f32 = 0.25;
/// Moves beyond these are real motion and are followed at once: centre shift
/// and side change as fractions of the side, rotation in radians.
const ROI_MAX_STILL_SHIFT: f32 = 0.08;
const ROI_MAX_STILL_SCALE: f32 = 0.12;
const ROI_MAX_STILL_ROTATION_RAD: f32 = 0.15;

impl Roi {
    /// The next tracked region, damped while the person is still.
    ///
    /// The region's centre is the hip point, far below the frame at a desk,
    /// and it wobbles by several percent frame to frame; every wobble changes
    /// the crop and shakes the landmarks by several pixels. Following small
    /// changes only partly (MediaPipe smooths the same points before making
    /// its region) keeps the crop steady; a real move is followed at once.
    pub fn stabilized(&self, measured: &Roi) -> Roi {
        if self.moved_beyond(
            measured,
            ROI_MAX_STILL_SHIFT,
            ROI_MAX_STILL_SCALE,
            ROI_MAX_STILL_ROTATION_RAD,
        ) {
            return *measured;
        }
        let turn = normalize_angle(measured.rotation_rad - self.rotation_rad);
        let follow = |from: f32, to: f32| from + ROI_FOLLOW_RATE * (to - from);
        Roi {
            center_x: follow(self.center_x, measured.center_x),
            center_y: follow(self.center_y, measured.center_y),
            side_px: follow(self.side_px, measured.side_px),
            rotation_rad: normalize_angle(self.rotation_rad + ROI_FOLLOW_RATE * turn),
        }
    }
}

impl Roi {
    /// Whether `to` is farther from this region than a still subject wanders: its centre
    /// moved more than `max_shift` of this side, its side changed by more than `max_scale`,
    /// or it turned more than `max_turn_rad`. The body region (damping) and the face region
    /// (another pass) both decide with it.
    pub fn moved_beyond(
        &self,
        to: &Roi,
        max_shift: f32,
        max_scale: f32,
        max_turn_rad: f32,
    ) -> bool {
        let shift = (to.center_x - self.center_x).hypot(to.center_y - self.center_y) / self.side_px;
        let scale = (to.side_px / self.side_px - 1.0).abs();
        let turn = normalize_angle(to.rotation_rad - self.rotation_rad).abs();
        shift > max_shift || scale > max_scale || turn > max_turn_rad
    }
}

/// Wraps an angle into (-π, π].
pub fn normalize_angle(angle_rad: f32) -> f32 {
    use std::f32::consts::PI;
    let wrapped = angle_rad - 2.0 * PI * ((angle_rad + PI) / (2.0 * PI)).floor();
    if wrapped <= -PI {
        wrapped + 2.0 * PI
    } else {
        wrapped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f32::consts::{FRAC_PI_2, PI};

    fn close(a: f32, b: f32) -> bool {
        (a - b).abs() < 1e-4
    }

    #[test]
    fn upright_body_has_no_rotation_and_side_is_two_and_a_half_lengths() {
        let roi = Roi::from_alignment((100.0, 300.0), (100.0, 200.0));
        assert!(close(roi.rotation_rad, 0.0));
        assert!(close(roi.side_px, 250.0));
        assert_eq!((roi.center_x, roi.center_y), (100.0, 300.0));
    }

    #[test]
    fn body_lying_to_the_right_rotates_a_quarter_turn() {
        // Scale point to the right of the centre: "up" in the crop points right.
        let roi = Roi::from_alignment((100.0, 100.0), (150.0, 100.0));
        assert!(close(roi.rotation_rad, FRAC_PI_2));
        let (x, y) = roi.crop_to_image(0.5, 0.0); // top centre of the crop
        assert!(close(x, 100.0 + 62.5) && close(y, 100.0), "{x} {y}");
    }

    #[test]
    fn upside_down_body_rotates_half_a_turn() {
        let roi = Roi::from_alignment((0.0, 0.0), (0.0, 10.0));
        assert!(close(roi.rotation_rad.abs(), PI));
    }

    #[test]
    fn crop_corners_map_to_the_square_around_the_centre() {
        let roi = Roi {
            center_x: 50.0,
            center_y: 60.0,
            side_px: 20.0,
            rotation_rad: 0.0,
        };
        assert_eq!(roi.crop_to_image(0.0, 0.0), (40.0, 50.0));
        assert_eq!(roi.crop_to_image(1.0, 1.0), (60.0, 70.0));
        assert_eq!(roi.crop_to_image(0.5, 0.5), (50.0, 60.0));
    }

    #[test]
    fn sampling_steps_one_crop_pixel_at_a_time() {
        let roi = Roi {
            center_x: 50.0,
            center_y: 60.0,
            side_px: 20.0,
            rotation_rad: FRAC_PI_2,
        };
        let sampling = roi.sampling(10);
        // A quarter turn clockwise: the crop's top-left is the frame's top-right.
        assert!(close(sampling.origin.0, 60.0) && close(sampling.origin.1, 50.0));
        assert!(close(sampling.step_u.0, 0.0) && close(sampling.step_u.1, 2.0));
        assert!(close(sampling.step_v.0, -2.0) && close(sampling.step_v.1, 0.0));
    }

    #[test]
    fn angles_wrap_into_half_open_range() {
        assert!(close(normalize_angle(3.0 * PI), PI));
        assert!(close(normalize_angle(-PI), PI));
        assert!(close(normalize_angle(2.5 * PI), FRAC_PI_2));
        assert!(close(normalize_angle(-FRAC_PI_2), -FRAC_PI_2));
    }

    #[test]
    fn small_wobble_is_damped_and_real_moves_are_followed() {
        let still = Roi {
            center_x: 300.0,
            center_y: 900.0,
            side_px: 1500.0,
            rotation_rad: 0.1,
        };
        let wobble = Roi {
            center_x: 340.0,
            center_y: 860.0,
            side_px: 1560.0,
            rotation_rad: 0.14,
        };
        let damped = still.stabilized(&wobble);
        assert!(close(damped.center_x, 310.0) && close(damped.center_y, 890.0));
        assert!(close(damped.side_px, 1515.0) && close(damped.rotation_rad, 0.11));
        let moved = Roi {
            center_x: 500.0,
            ..still
        };
        assert_eq!(still.stabilized(&moved), moved);
        let turned = Roi {
            rotation_rad: 0.5,
            ..still
        };
        assert_eq!(still.stabilized(&turned), turned);
    }

    #[test]
    fn fallback_is_body_sized_and_below_the_frame() {
        let roi = Roi::close_framing_fallback(640, 480);
        assert_eq!(roi.center_x, 320.0);
        assert!(close(roi.center_y, 624.0));
        assert!(close(roi.side_px, 1536.0));
        assert_eq!(roi.rotation_rad, 0.0);
    }
}
