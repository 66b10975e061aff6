//! Decoding the face landmark model's output: 468 points in crop pixels to
//! image pixels, and the face-presence logit to a probability.

use crate::pose::blazepose::landmarks::{CropPoint, project, sigmoid};
use crate::pose::blazepose::roi::Roi;

/// The face landmark model's input side in pixels.
pub const FACE_INPUT_SIDE: usize = 192;
/// Points of the face mesh.
pub const FACE_POINT_COUNT: usize = 468;
/// The landmark output: 468 × (x, y, z), x and y in crop pixels (0..192), z in
/// the same pixel scale, relative to the face's centre, smaller nearer the camera.
pub const FACE_OUTPUT_VALUES: usize = FACE_POINT_COUNT * 3;

/// The outer corner of the person's right eye (on the image's left for a face
/// seen from the front) and of the left eye: MediaPipe levels the region on them.
pub const RIGHT_EYE_OUTER_CORNER: usize = 33;
pub const LEFT_EYE_OUTER_CORNER: usize = 263;
/// The inner eye corners, the nose tip and the mouth corners, for tests and
/// for comparing with the body model's face landmarks.
pub const RIGHT_EYE_INNER_CORNER: usize = 133;
pub const LEFT_EYE_INNER_CORNER: usize = 362;
pub const NOSE_TIP: usize = 1;
pub const MOUTH_RIGHT_CORNER: usize = 61;
pub const MOUTH_LEFT_CORNER: usize = 291;
/// The middle of the upper lip's and the lower lip's inner edge: how far the
/// mouth is open.
pub const UPPER_INNER_LIP: usize = 13;
pub const LOWER_INNER_LIP: usize = 14;

/// The mesh in image pixels from the model's flat output (`raw`, 1404 values in
/// crop pixels) and the region it was run on. z is scaled like x: pixels of the
/// frame, so the points are a 3D shape in one unit.
pub fn decode_mesh(raw: &[f32], roi: &Roi) -> Vec<[f32; 3]> {
    let side = FACE_INPUT_SIDE as f32;
    raw.chunks_exact(3)
        .take(FACE_POINT_COUNT)
        .map(|v| {
            let point = CropPoint {
                x: v[0] / side,
                y: v[1] / side,
                z: v[2] / side,
                visibility: 1.0,
                presence: 1.0,
            };
            let projected = project(&point, roi);
            [projected.x, projected.y, projected.z]
        })
        .collect()
}

/// The probability that the crop holds a face, from the model's logit (MediaPipe
/// applies a sigmoid to this output and keeps faces at 0.5 or more).
pub fn face_confidence(logit: f32) -> f32 {
    sigmoid(logit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_map_from_crop_pixels_to_the_frame() {
        let mut raw = vec![0.0; FACE_OUTPUT_VALUES];
        raw[..3].copy_from_slice(&[96.0, 96.0, -19.2]); // the crop's centre
        raw[3..6].copy_from_slice(&[192.0, 48.0, 0.0]); // right edge, a quarter down
        let roi = Roi {
            center_x: 300.0,
            center_y: 200.0,
            side_px: 100.0,
            rotation_rad: 0.0,
        };
        let mesh = decode_mesh(&raw, &roi);
        assert_eq!(mesh.len(), FACE_POINT_COUNT);
        assert_eq!(mesh[0], [300.0, 200.0, -10.0]);
        assert_eq!(mesh[1], [350.0, 175.0, 0.0]);
        // Everything else sat at the crop's top-left corner.
        assert_eq!(mesh[467], [250.0, 150.0, 0.0]);
    }

    #[test]
    fn a_turned_region_turns_the_points() {
        let mut raw = vec![0.0; FACE_OUTPUT_VALUES];
        raw[..3].copy_from_slice(&[144.0, 96.0, 0.0]); // right of the centre in the crop
        let roi = Roi {
            center_x: 0.0,
            center_y: 0.0,
            side_px: 192.0,
            rotation_rad: std::f32::consts::FRAC_PI_2,
        };
        let mesh = decode_mesh(&raw, &roi);
        // A quarter turn clockwise on screen: the crop's right is the frame's down.
        assert!(mesh[0][0].abs() < 1e-4 && (mesh[0][1] - 48.0).abs() < 1e-4);
    }

    #[test]
    fn confidence_is_the_sigmoid_of_the_logit() {
        assert_eq!(face_confidence(0.0), 0.5);
        assert!(face_confidence(26.7) > 0.999_999);
        assert!(face_confidence(-8.2) < 0.001);
    }
}
