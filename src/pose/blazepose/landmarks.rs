//! Decoding the landmark model's output: crop coordinates, heatmap refinement,
//! and projection back to frame pixels.

use super::roi::Roi;
use crate::pose::Landmark;

/// Landmark model input side in pixels.
pub const LANDMARK_INPUT_SIDE: usize = 256;
/// The model emits 39 points: the 33 body landmarks and 6 auxiliary ones, of
/// which 33 (body centre) and 34 (scale point) give the next frame's ROI.
pub const MODEL_POINT_COUNT: usize = 39;
pub const AUX_CENTER: usize = 33;
pub const AUX_SCALE: usize = 34;
/// Values per point in the landmark output: x, y, z, visibility and presence logits.
const VALUES_PER_POINT: usize = 5;
/// Heatmaps are 64×64, one channel per point.
pub const HEATMAP_SIDE: usize = 64;
/// Refinement looks at a 7×7 window around the regressed position...
const HEATMAP_WINDOW_RADIUS: i64 = 3;
/// ...and only trusts it when its peak is at least this confident.
const MIN_HEATMAP_CONFIDENCE: f32 = 0.5;

/// A point in the crop: x, y, z normalised to the crop side (0..1 across).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropPoint {
    pub x: f32,
    pub y: f32,
    pub z: f32,
    pub visibility: f32,
    pub presence: f32,
}

pub fn sigmoid(logit: f32) -> f32 {
    1.0 / (1.0 + (-logit).exp())
}

/// Reads the 39 points from the model's flat output (39 × 5 values in crop pixels).
pub fn decode_points(raw: &[f32]) -> Vec<CropPoint> {
    let side = LANDMARK_INPUT_SIDE as f32;
    raw.chunks_exact(VALUES_PER_POINT)
        .take(MODEL_POINT_COUNT)
        .map(|v| CropPoint {
            x: v[0] / side,
            y: v[1] / side,
            z: v[2] / side,
            visibility: sigmoid(v[3]),
            presence: sigmoid(v[4]),
        })
        .collect()
}

/// Moves each point to the confidence-weighted centre of its heatmap peak, as
/// MediaPipe does: regression alone leaves face points several pixels off.
///
/// `heatmaps` is `side × side × channels` (row, column, channel) of logits.
pub fn refine_with_heatmaps(points: &mut [CropPoint], heatmaps: &[f32], side: usize) {
    let channels = points.len();
    debug_assert_eq!(heatmaps.len(), side * side * channels);
    let side_i = side as i64;
    for (channel, point) in points.iter_mut().enumerate() {
        let center_col = (point.x * side as f32) as i64;
        let center_row = (point.y * side as f32) as i64;
        if point.x < 0.0 || point.y < 0.0 || center_col >= side_i || center_row >= side_i {
            continue;
        }
        let (mut total, mut peak, mut weighted_col, mut weighted_row) = (0.0f32, 0.0f32, 0.0, 0.0);
        let rows = (center_row - HEATMAP_WINDOW_RADIUS).max(0)
            ..(center_row + HEATMAP_WINDOW_RADIUS + 1).min(side_i);
        for row in rows {
            let cols = (center_col - HEATMAP_WINDOW_RADIUS).max(0)
                ..(center_col + HEATMAP_WINDOW_RADIUS + 1).min(side_i);
            for col in cols {
                let at = ((row * side_i + col) as usize) * channels + channel;
                let confidence = sigmoid(heatmaps[at]);
                total += confidence;
                peak = peak.max(confidence);
                weighted_col += col as f32 * confidence;
                weighted_row += row as f32 * confidence;
            }
        }
        if peak >= MIN_HEATMAP_CONFIDENCE && total > 0.0 {
            point.x = weighted_col / side as f32 / total;
            point.y = weighted_row / side as f32 / total;
        }
    }
}

/// A crop point in frame pixels; z is scaled like x.
pub fn project(point: &CropPoint, roi: &Roi) -> Landmark {
    let (x, y) = roi.crop_to_image(point.x, point.y);
    Landmark {
        x,
        y,
        z: point.z * roi.side_px,
        visibility: point.visibility,
        presence: point.presence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_scales_coordinates_and_squashes_scores() {
        let mut raw = vec![0.0; MODEL_POINT_COUNT * 5];
        raw[..5].copy_from_slice(&[128.0, 64.0, -25.6, 0.0, 100.0]);
        let points = decode_points(&raw);
        assert_eq!(points.len(), MODEL_POINT_COUNT);
        assert_eq!((points[0].x, points[0].y, points[0].z), (0.5, 0.25, -0.1));
        assert_eq!(points[0].visibility, 0.5);
        assert!(points[0].presence > 0.999);
    }

    fn heatmaps_with_peak(
        channels: usize,
        channel: usize,
        peaks: &[(usize, usize, f32)],
    ) -> Vec<f32> {
        let mut maps = vec![-20.0; HEATMAP_SIDE * HEATMAP_SIDE * channels];
        for &(row, col, logit) in peaks {
            maps[(row * HEATMAP_SIDE + col) * channels + channel] = logit;
        }
        maps
    }

    fn point(x: f32, y: f32) -> CropPoint {
        CropPoint {
            x,
            y,
            z: 0.0,
            visibility: 1.0,
            presence: 1.0,
        }
    }

    #[test]
    fn refinement_moves_to_the_weighted_peak() {
        // Two equal peaks at columns 30 and 32 of row 20: the mean is column 31.
        let maps = heatmaps_with_peak(2, 1, &[(20, 30, 5.0), (20, 32, 5.0)]);
        let mut points = [point(0.9, 0.9), point(31.4 / 64.0, 21.2 / 64.0)];
        refine_with_heatmaps(&mut points, &maps, HEATMAP_SIDE);
        // Background cells contribute ~2e-9 each: negligible.
        assert!((points[1].x - 31.0 / 64.0).abs() < 1e-4, "{}", points[1].x);
        assert!((points[1].y - 20.0 / 64.0).abs() < 1e-4, "{}", points[1].y);
        // Channel 0 has no confident peak: untouched.
        assert_eq!(points[0], point(0.9, 0.9));
    }

    #[test]
    fn refinement_ignores_weak_peaks_and_far_peaks() {
        let weak = heatmaps_with_peak(1, 0, &[(10, 10, -0.1)]);
        let mut points = [point(10.2 / 64.0, 10.2 / 64.0)];
        refine_with_heatmaps(&mut points, &weak, HEATMAP_SIDE);
        assert_eq!(points[0], point(10.2 / 64.0, 10.2 / 64.0));
        // A confident peak 4 cells away is outside the 7×7 window.
        let far = heatmaps_with_peak(1, 0, &[(10, 14, 5.0)]);
        refine_with_heatmaps(&mut points, &far, HEATMAP_SIDE);
        assert_eq!(points[0], point(10.2 / 64.0, 10.2 / 64.0));
    }

    #[test]
    fn points_outside_the_crop_are_not_refined() {
        let maps = heatmaps_with_peak(1, 0, &[(0, 0, 5.0)]);
        let mut points = [point(-0.01, 0.0)];
        refine_with_heatmaps(&mut points, &maps, HEATMAP_SIDE);
        assert_eq!(points[0].x, -0.01);
        let mut points = [point(1.0, 0.5)];
        refine_with_heatmaps(&mut points, &maps, HEATMAP_SIDE);
        assert_eq!(points[0].x, 1.0);
    }

    #[test]
    fn projection_rotates_scales_and_shifts() {
        let roi = Roi {
            center_x: 100.0,
            center_y: 200.0,
            side_px: 50.0,
            rotation_rad: std::f32::consts::FRAC_PI_2,
        };
        let mut p = point(0.75, 0.5);
        p.z = 0.2;
        let landmark = project(&p, &roi);
        // 0.25 of the side to the crop's right is 12.5 px down the frame.
        assert!((landmark.x - 100.0).abs() < 1e-4);
        assert!((landmark.y - 212.5).abs() < 1e-4);
        assert!((landmark.z - 10.0).abs() < 1e-5);
    }
}
