//! Drawing what was found onto a copy of the frame, for `analyze --annotate`.
//!
//! Only the user's explicit `--annotate` writes a frame to disk: chintuck
//! otherwise stores measurements, never pictures.

use image::{Rgb, RgbImage};

use crate::pose::{LANDMARK_COUNT, Pose, SKELETON_EDGES};

/// Landmarks below this visibility are not drawn: the model invents them.
pub const MIN_DRAWN_VISIBILITY: f32 = 0.5;

const BONE: Rgb<u8> = Rgb([60, 220, 90]);
const FACE: Rgb<u8> = Rgb([255, 210, 40]);
const EAR: Rgb<u8> = Rgb([40, 230, 255]);
const SHOULDER: Rgb<u8> = Rgb([255, 120, 30]);
const BODY: Rgb<u8> = Rgb([240, 240, 240]);
const REGION: Rgb<u8> = Rgb([90, 160, 255]);

/// The frame with the region, skeleton and visible landmarks drawn on it.
pub fn annotate(frame: &RgbImage, pose: Option<&Pose>) -> RgbImage {
    let mut canvas = frame.clone();
    let Some(pose) = pose else {
        return canvas;
    };
    let scale = (frame.width().max(frame.height()) as f32 / 640.0).max(0.5);
    let line_radius = 1.5 * scale;
    let point_radius = 3.5 * scale;

    let corners =
        [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)].map(|(u, v)| pose.roi.crop_to_image(u, v));
    for (index, start) in corners.iter().enumerate() {
        draw_line(
            &mut canvas,
            *start,
            corners[(index + 1) % 4],
            0.75 * scale,
            REGION,
        );
    }
    let seen = |index: usize| pose.landmarks[index].visibility >= MIN_DRAWN_VISIBILITY;
    for (from, to) in SKELETON_EDGES {
        if seen(from) && seen(to) {
            let (a, b) = (&pose.landmarks[from], &pose.landmarks[to]);
            draw_line(&mut canvas, (a.x, a.y), (b.x, b.y), line_radius, BONE);
        }
    }
    for index in (0..LANDMARK_COUNT).filter(|&index| seen(index)) {
        // Ears and shoulders are what posture is measured from: make them stand out.
        let (colour, radius) = match index {
            7 | 8 => (EAR, 1.4 * point_radius),
            11 | 12 => (SHOULDER, 1.4 * point_radius),
            0..=10 => (FACE, point_radius),
            _ => (BODY, point_radius),
        };
        let point = &pose.landmarks[index];
        fill_disc(&mut canvas, (point.x, point.y), radius, colour);
    }
    canvas
}

fn fill_disc(canvas: &mut RgbImage, centre: (f32, f32), radius: f32, colour: Rgb<u8>) {
    let (width, height) = (canvas.width() as i64, canvas.height() as i64);
    let reach = radius.ceil() as i64;
    let (cx, cy) = (centre.0.round() as i64, centre.1.round() as i64);
    for y in (cy - reach).max(0)..=(cy + reach).min(height - 1) {
        for x in (cx - reach).max(0)..=(cx + reach).min(width - 1) {
            let (dx, dy) = (x as f32 - centre.0, y as f32 - centre.1);
            if dx * dx + dy * dy <= radius * radius {
                canvas.put_pixel(x as u32, y as u32, colour);
            }
        }
    }
}

/// A thick line as discs stamped every half pixel: simple and plenty fast for
/// a few dozen bones.
fn draw_line(
    canvas: &mut RgbImage,
    from: (f32, f32),
    to: (f32, f32),
    radius: f32,
    colour: Rgb<u8>,
) {
    let length = (to.0 - from.0).hypot(to.1 - from.1);
    if !length.is_finite() {
        return;
    }
    // Never spend more than a few thousand stamps on a line that leaves the frame.
    let steps = ((length * 2.0).ceil() as usize).clamp(1, 8192);
    for step in 0..=steps {
        let t = step as f32 / steps as f32;
        fill_disc(
            canvas,
            (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t),
            radius,
            colour,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{Landmark, Roi, RoiSource};

    #[test]
    fn draws_visible_points_only_and_leaves_the_input_alone() {
        let frame = RgbImage::new(100, 100);
        let mut landmarks = [Landmark {
            x: 50.0,
            y: 50.0,
            z: 0.0,
            visibility: 0.0,
            presence: 1.0,
        }; LANDMARK_COUNT];
        landmarks[0] = Landmark {
            x: 20.0,
            y: 30.0,
            visibility: 0.9,
            ..landmarks[0]
        };
        let pose = Pose {
            landmarks,
            presence: 1.0,
            roi_source: RoiSource::Detector,
            roi: Roi {
                center_x: 50.0,
                center_y: 50.0,
                side_px: 80.0,
                rotation_rad: 0.0,
            },
        };
        let drawn = annotate(&frame, Some(&pose));
        assert_eq!(*drawn.get_pixel(20, 30), FACE);
        assert_eq!(
            *drawn.get_pixel(50, 50),
            Rgb([0, 0, 0]),
            "invisible point drawn"
        );
        assert_eq!(*drawn.get_pixel(10, 50), REGION, "ROI edge missing");
        assert_eq!(*frame.get_pixel(20, 30), Rgb([0, 0, 0]));
        assert_eq!(annotate(&frame, None), frame);
    }
}
