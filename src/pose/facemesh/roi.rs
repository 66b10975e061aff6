//! The face region the mesh model looks at: seeded from the body landmarks, then
//! re-centred from the mesh's own points the way MediaPipe's face pipeline does.
//!
//! Both are the same rotated square as the body's ([`Roi`]), so the crop and the
//! crop→image mapping are BlazePose's.

use crate::pose::blazepose::roi::{Roi, normalize_angle};
use crate::pose::{LANDMARK_COUNT, Landmark, landmark};

use super::decode::{LEFT_EYE_OUTER_CORNER, RIGHT_EYE_OUTER_CORNER};

/// MediaPipe's `face_landmark_landmarks_to_roi` graph scales the box of all
/// points by 1.5 (and the face detector's box by the same), leaving room for the
/// head to move before the next frame.
pub const FACE_ROI_SCALE: f32 = 1.5;

/// The box of the 468 points, over the distance between the eye centres and the
/// mouth centre, in MediaPipe's canonical face (17.7 cm forehead to chin over
/// 6.9 cm): how tall the mesh is for a face whose eyes and mouth the body model
/// found.
const MESH_HEIGHT_PER_EYE_MOUTH: f32 = 2.56;
/// The same box over the ear span (the canonical mesh is 15.5 cm wide at the
/// ears' roots and 17.7 cm tall).
const MESH_HEIGHT_PER_EAR_SPAN: f32 = 1.14;
/// Body landmarks below this visibility are not used for the seed: the body
/// model invents them.
const MIN_SEED_VISIBILITY: f32 = 0.5;

/// The rotation that makes the line from `start` to `end` horizontal in the crop
/// (MediaPipe's `DetectionsToRectsCalculator` with a target angle of 0):
/// clockwise on screen, like [`Roi::rotation_rad`].
fn rotation_between(start: (f32, f32), end: (f32, f32)) -> f32 {
    normalize_angle(-(-(end.1 - start.1)).atan2(end.0 - start.0))
}

/// A first face region from the body model's face landmarks (eyes, mouth and,
/// when seen, ears): centred between the eyes and the mouth, turned by the line
/// through the outer eye corners, and sized like the mesh of such a face × 1.5.
/// `None` when the eyes or the mouth are not reliably seen.
///
/// It only has to contain the face: the passes that follow re-centre it from the
/// mesh's own points (a region sized from the body's ears alone loses most of the
/// scale signal, issue 9).
pub fn from_body_landmarks(landmarks: &[Landmark; LANDMARK_COUNT]) -> Option<Roi> {
    let seen = |index: usize| {
        let point = &landmarks[index];
        (point.visibility >= MIN_SEED_VISIBILITY).then_some((point.x, point.y))
    };
    let left_eye = seen(landmark::LEFT_EYE)?;
    let right_eye = seen(landmark::RIGHT_EYE)?;
    let left_outer = seen(landmark::LEFT_EYE_OUTER).unwrap_or(left_eye);
    let right_outer = seen(landmark::RIGHT_EYE_OUTER).unwrap_or(right_eye);
    let mouth_left = seen(landmark::MOUTH_LEFT)?;
    let mouth_right = seen(landmark::MOUTH_RIGHT)?;
    let midpoint = |a: (f32, f32), b: (f32, f32)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let eyes = midpoint(left_eye, right_eye);
    let mouth = midpoint(mouth_left, mouth_right);
    let distance = |a: (f32, f32), b: (f32, f32)| (a.0 - b.0).hypot(a.1 - b.1);
    let from_eyes_and_mouth = MESH_HEIGHT_PER_EYE_MOUTH * distance(eyes, mouth);
    let from_ears = match (seen(landmark::LEFT_EAR), seen(landmark::RIGHT_EAR)) {
        (Some(left), Some(right)) => MESH_HEIGHT_PER_EAR_SPAN * distance(left, right),
        _ => 0.0,
    };
    let side_px = FACE_ROI_SCALE * from_eyes_and_mouth.max(from_ears);
    if !side_px.is_finite() || side_px <= 0.0 {
        return None;
    }
    let center = midpoint(eyes, mouth);
    // The person's right eye is on the image's left for a face seen from the front.
    Some(Roi {
        center_x: center.0,
        center_y: center.1,
        side_px,
        rotation_rad: rotation_between(right_outer, left_outer),
    })
}

/// The next region from a mesh (468 points in image pixels), as MediaPipe's
/// `face_landmark_landmarks_to_roi` makes it: the image-aligned box of all
/// points, its longer side × 1.5 as a square around the box's centre, turned so
/// that the outer eye corners 33 → 263 are level.
pub fn from_mesh(points: &[[f32; 3]]) -> Roi {
    let (mut min_x, mut min_y) = (f32::INFINITY, f32::INFINITY);
    let (mut max_x, mut max_y) = (f32::NEG_INFINITY, f32::NEG_INFINITY);
    for point in points {
        min_x = min_x.min(point[0]);
        max_x = max_x.max(point[0]);
        min_y = min_y.min(point[1]);
        max_y = max_y.max(point[1]);
    }
    let start = points[RIGHT_EYE_OUTER_CORNER];
    let end = points[LEFT_EYE_OUTER_CORNER];
    Roi {
        center_x: (min_x + max_x) / 2.0,
        center_y: (min_y + max_y) / 2.0,
        side_px: FACE_ROI_SCALE * (max_x - min_x).max(max_y - min_y),
        rotation_rad: rotation_between((start[0], start[1]), (end[0], end[1])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::facemesh::decode::FACE_POINT_COUNT;

    fn close(a: f32, b: f32, tolerance: f32) -> bool {
        (a - b).abs() < tolerance
    }

    fn body_face(tilt_px: f32, ear_visibility: f32) -> [Landmark; LANDMARK_COUNT] {
        let at = |x: f32, y: f32, visibility: f32| Landmark {
            x,
            y,
            z: 0.0,
            visibility,
            presence: 1.0,
        };
        let mut landmarks = [at(0.0, 0.0, 0.0); LANDMARK_COUNT];
        // A face seen from the front: the person's left is the image's right.
        landmarks[landmark::NOSE] = at(100.0, 120.0, 1.0);
        landmarks[landmark::LEFT_EYE] = at(120.0, 100.0 + tilt_px / 2.0, 1.0);
        landmarks[landmark::LEFT_EYE_OUTER] = at(130.0, 100.0 + tilt_px, 1.0);
        landmarks[landmark::RIGHT_EYE] = at(80.0, 100.0 - tilt_px / 2.0, 1.0);
        landmarks[landmark::RIGHT_EYE_OUTER] = at(70.0, 100.0 - tilt_px, 1.0);
        landmarks[landmark::MOUTH_LEFT] = at(112.0, 140.0, 1.0);
        landmarks[landmark::MOUTH_RIGHT] = at(88.0, 140.0, 1.0);
        landmarks[landmark::LEFT_EAR] = at(150.0, 110.0, ear_visibility);
        landmarks[landmark::RIGHT_EAR] = at(50.0, 110.0, ear_visibility);
        landmarks
    }

    #[test]
    fn body_seed_is_centred_between_eyes_and_mouth_and_sized_by_the_larger_cue() {
        let roi = from_body_landmarks(&body_face(0.0, 1.0)).unwrap();
        assert_eq!((roi.center_x, roi.center_y), (100.0, 120.0));
        assert!(close(roi.rotation_rad, 0.0, 1e-6));
        // Ears 100 px apart: 1.5 × 1.14 × 100; eyes to mouth 40 px: 1.5 × 2.56 × 40.
        assert!(close(roi.side_px, 171.0, 1e-3), "{}", roi.side_px);
        let without_ears = from_body_landmarks(&body_face(0.0, 0.1)).unwrap();
        assert!(close(without_ears.side_px, 153.6, 1e-3));
    }

    #[test]
    fn a_head_tilted_clockwise_on_screen_turns_the_seed_clockwise() {
        // The image-right eye lower than the image-left one: clockwise, positive.
        let roi = from_body_landmarks(&body_face(10.0, 1.0)).unwrap();
        assert!(close(roi.rotation_rad, (20.0f32 / 60.0).atan(), 1e-5));
    }

    #[test]
    fn no_seed_without_eyes_or_mouth() {
        let mut landmarks = body_face(0.0, 1.0);
        landmarks[landmark::MOUTH_LEFT].visibility = 0.2;
        assert_eq!(from_body_landmarks(&landmarks), None);
    }

    fn mesh_with(corners: ([f32; 3], [f32; 3]), extent: ([f32; 2], [f32; 2])) -> Vec<[f32; 3]> {
        let mut points = vec![[extent.0[0], extent.0[1], 0.0]; FACE_POINT_COUNT];
        points[1] = [extent.1[0], extent.1[1], 0.0];
        points[RIGHT_EYE_OUTER_CORNER] = corners.0;
        points[LEFT_EYE_OUTER_CORNER] = corners.1;
        points
    }

    #[test]
    fn mesh_region_is_the_box_of_all_points_times_one_and_a_half() {
        let points = mesh_with(
            ([80.0, 100.0, 0.0], [120.0, 100.0, 0.0]),
            ([60.0, 50.0], [140.0, 170.0]),
        );
        let roi = from_mesh(&points);
        assert_eq!((roi.center_x, roi.center_y), (100.0, 110.0));
        // Taller than wide: the long side (120 px) × 1.5.
        assert!(close(roi.side_px, 180.0, 1e-4));
        assert!(close(roi.rotation_rad, 0.0, 1e-6));
    }

    #[test]
    fn mesh_region_turns_with_the_eye_corners() {
        // Eye corners on a line going down to the right at 45°: a quarter of
        // a half turn clockwise.
        let points = mesh_with(
            ([80.0, 80.0, 0.0], [120.0, 120.0, 0.0]),
            ([60.0, 60.0], [140.0, 140.0]),
        );
        let roi = from_mesh(&points);
        assert!(close(roi.rotation_rad, std::f32::consts::FRAC_PI_4, 1e-6));
        // Upside down: the corners swapped.
        let flipped = mesh_with(
            ([120.0, 100.0, 0.0], [80.0, 100.0, 0.0]),
            ([60.0, 60.0], [140.0, 140.0]),
        );
        assert!(close(
            from_mesh(&flipped).rotation_rad.abs(),
            std::f32::consts::PI,
            1e-6
        ));
    }

    #[test]
    fn movement_is_measured_against_the_first_region() {
        let from = Roi {
            center_x: 100.0,
            center_y: 100.0,
            side_px: 200.0,
            rotation_rad: 0.0,
        };
        let nudged = Roi {
            center_x: 110.0,
            ..from
        };
        assert!(!from.moved_beyond(&nudged, 0.1, 0.1, 0.2));
        let shifted = Roi {
            center_x: 130.0,
            ..from
        };
        assert!(from.moved_beyond(&shifted, 0.1, 0.1, 0.2));
        let grown = Roi {
            side_px: 230.0,
            ..from
        };
        assert!(from.moved_beyond(&grown, 0.1, 0.1, 0.2));
        let turned = Roi {
            rotation_rad: -0.3,
            ..from
        };
        assert!(from.moved_beyond(&turned, 0.1, 0.1, 0.2));
    }
}
