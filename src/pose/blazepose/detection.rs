//! Decoding the person detector's raw output into people in frame pixels.

use super::anchors::{Anchor, DETECTOR_INPUT_SIDE};
use super::sampling::AffineSampling;

/// Values per anchor in the detector's box output: 4 box + 4 keypoints × 2.
pub const VALUES_PER_ANCHOR: usize = 12;
/// Detections below this probability are dropped.
pub const MIN_DETECTION_SCORE: f32 = 0.5;
/// Boxes overlapping more than this are one person.
pub const NMS_IOU_THRESHOLD: f32 = 0.3;

/// Detector keypoints: 0 mid-hip, 1 full-body size and rotation point,
/// 2 mid-shoulder, 3 upper-body point.
pub const KEYPOINT_MID_HIP: usize = 0;
pub const KEYPOINT_BODY_SCALE: usize = 1;
pub const KEYPOINT_MID_SHOULDER: usize = 2;

/// A detected person. Coordinates are normalised: to the detector's square
/// input while decoding, to the frame once the letterbox is removed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    pub score: f32,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
    pub keypoints: [(f32, f32); 4],
}

impl Detection {
    fn area(&self) -> f32 {
        (self.x_max - self.x_min).max(0.0) * (self.y_max - self.y_min).max(0.0)
    }

    /// Intersection over union of the two boxes.
    pub fn iou(&self, other: &Detection) -> f32 {
        let width = (self.x_max.min(other.x_max) - self.x_min.max(other.x_min)).max(0.0);
        let height = (self.y_max.min(other.y_max) - self.y_min.max(other.y_min)).max(0.0);
        let intersection = width * height;
        let union = self.area() + other.area() - intersection;
        if union <= 0.0 {
            0.0
        } else {
            intersection / union
        }
    }
}

fn sigmoid(logit: f32) -> f32 {
    1.0 / (1.0 + (-logit).exp())
}

/// Turns the raw box regressions (`anchors.len() × 12`) and score logits
/// (`anchors.len()`) into detections at or above `min_score`.
pub fn decode(
    raw_boxes: &[f32],
    raw_scores: &[f32],
    anchors: &[Anchor],
    min_score: f32,
) -> Vec<Detection> {
    let side = DETECTOR_INPUT_SIDE as f32;
    let mut detections = Vec::new();
    for (index, anchor) in anchors.iter().enumerate() {
        let score = sigmoid(raw_scores[index].clamp(-100.0, 100.0));
        if score < min_score {
            continue;
        }
        let raw = &raw_boxes[index * VALUES_PER_ANCHOR..(index + 1) * VALUES_PER_ANCHOR];
        let center_x = raw[0] / side + anchor.x;
        let center_y = raw[1] / side + anchor.y;
        let half_width = raw[2] / side / 2.0;
        let half_height = raw[3] / side / 2.0;
        let mut keypoints = [(0.0, 0.0); 4];
        for (k, keypoint) in keypoints.iter_mut().enumerate() {
            *keypoint = (
                raw[4 + 2 * k] / side + anchor.x,
                raw[5 + 2 * k] / side + anchor.y,
            );
        }
        detections.push(Detection {
            score,
            x_min: center_x - half_width,
            y_min: center_y - half_height,
            x_max: center_x + half_width,
            y_max: center_y + half_height,
            keypoints,
        });
    }
    detections
}

/// Weighted non-maximum suppression: each group of boxes overlapping the
/// strongest one by more than `iou_threshold` becomes a single detection whose
/// box and keypoints are the score-weighted mean of the group, and whose score
/// is the strongest one's. Output is strongest first.
pub fn weighted_nms(mut detections: Vec<Detection>, iou_threshold: f32) -> Vec<Detection> {
    detections.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut merged = Vec::new();
    while let Some(strongest) = detections.first().copied() {
        // The strongest is always in its own group, even with an empty box.
        let mut group = vec![strongest];
        let mut rest = Vec::new();
        for candidate in detections.drain(1..) {
            if strongest.iou(&candidate) > iou_threshold {
                group.push(candidate);
            } else {
                rest.push(candidate);
            }
        }
        detections = rest;
        let total: f32 = group.iter().map(|d| d.score).sum();
        let mean = |value: &dyn Fn(&Detection) -> f32| {
            group.iter().map(|d| value(d) * d.score).sum::<f32>() / total
        };
        let mut keypoints = [(0.0, 0.0); 4];
        for (k, keypoint) in keypoints.iter_mut().enumerate() {
            *keypoint = (mean(&|d| d.keypoints[k].0), mean(&|d| d.keypoints[k].1));
        }
        merged.push(Detection {
            score: strongest.score,
            x_min: mean(&|d| d.x_min),
            y_min: mean(&|d| d.y_min),
            x_max: mean(&|d| d.x_max),
            y_max: mean(&|d| d.y_max),
            keypoints,
        });
    }
    merged
}

/// How a frame sits inside the detector's square input: centred, with zero
/// bands on the short sides, or (zoomed) the square a part of the frame's
/// centre. Pads are fractions of the square's side, negative where the
/// square is inside the frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Letterbox {
    pub pad_x: f32,
    pub pad_y: f32,
    square_side_px: f32,
}

impl Letterbox {
    pub fn for_frame(width_px: u32, height_px: u32) -> Self {
        Self::centred_square(width_px, height_px, width_px.max(height_px) as f32)
    }

    /// The frame's centre magnified `zoom` times: the square of side
    /// max(width, height) / `zoom` about the frame's centre. A person far
    /// from a wide lens is too small for the detector in the whole frame.
    pub fn zoomed(width_px: u32, height_px: u32, zoom: f32) -> Self {
        Self::centred_square(width_px, height_px, width_px.max(height_px) as f32 / zoom)
    }

    fn centred_square(width_px: u32, height_px: u32, square_side_px: f32) -> Self {
        Self {
            pad_x: (square_side_px - width_px as f32) / 2.0 / square_side_px,
            pad_y: (square_side_px - height_px as f32) / 2.0 / square_side_px,
            square_side_px,
        }
    }

    /// Input pixel (u, v) samples the square at (u/224, v/224) of its side,
    /// with frame pixel (i, j) centred at (i, j): OpenCV's warp convention,
    /// which MediaPipe uses. (A half-pixel-centre variant looks more correct
    /// and moves landmarks 2-5 px away from MediaPipe's; the parity test
    /// measures this.)
    pub fn sampling(&self) -> AffineSampling {
        let step = self.square_side_px / DETECTOR_INPUT_SIDE as f32;
        AffineSampling {
            origin: (
                -self.pad_x * self.square_side_px,
                -self.pad_y * self.square_side_px,
            ),
            step_u: (step, 0.0),
            step_v: (0.0, step),
        }
    }

    /// Maps a point normalised to the square to one normalised to the frame.
    pub fn remove(&self, point: (f32, f32)) -> (f32, f32) {
        (
            (point.0 - self.pad_x) / (1.0 - 2.0 * self.pad_x),
            (point.1 - self.pad_y) / (1.0 - 2.0 * self.pad_y),
        )
    }

    /// The detection with box and keypoints normalised to the frame.
    pub fn remove_from(&self, detection: &Detection) -> Detection {
        let (x_min, y_min) = self.remove((detection.x_min, detection.y_min));
        let (x_max, y_max) = self.remove((detection.x_max, detection.y_max));
        let mut keypoints = detection.keypoints;
        for keypoint in &mut keypoints {
            *keypoint = self.remove(*keypoint);
        }
        Detection {
            score: detection.score,
            x_min,
            y_min,
            x_max,
            y_max,
            keypoints,
        }
    }
}

/// Picks whom to follow when several people are in view: the largest body
/// (distance from mid-hip to the scale point) weighted down by how far the
/// shoulders are from the frame's vertical centre line. Detections must be
/// normalised to the frame.
pub fn choose_person(
    detections: &[Detection],
    width_px: u32,
    height_px: u32,
) -> Option<&Detection> {
    let (w, h) = (width_px as f32, height_px as f32);
    let rank = |d: &Detection| {
        let (hip, scale) = (
            d.keypoints[KEYPOINT_MID_HIP],
            d.keypoints[KEYPOINT_BODY_SCALE],
        );
        let body_px = ((scale.0 - hip.0) * w).hypot((scale.1 - hip.1) * h);
        let off_centre = (d.keypoints[KEYPOINT_MID_SHOULDER].0 - 0.5).abs().min(1.0);
        body_px * (1.0 - off_centre)
    };
    detections.iter().max_by(|a, b| rank(a).total_cmp(&rank(b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::blazepose::anchors::detector_anchors;

    fn detection(score: f32, x_min: f32, y_min: f32, size: f32) -> Detection {
        Detection {
            score,
            x_min,
            y_min,
            x_max: x_min + size,
            y_max: y_min + size,
            keypoints: [(x_min, y_min); 4],
        }
    }

    #[test]
    fn decode_offsets_from_the_anchor_in_input_pixels() {
        let anchors = detector_anchors();
        let mut boxes = vec![0.0; anchors.len() * VALUES_PER_ANCHOR];
        let mut scores = vec![-10.0; anchors.len()];
        let index = 1570; // a stride-16 anchor
        scores[index] = 2.0;
        let raw = &mut boxes[index * 12..index * 12 + 12];
        raw.copy_from_slice(&[
            22.4, -11.2, 44.8, 22.4, 0.0, 0.0, 22.4, 0.0, 0.0, 0.0, 0.0, 0.0,
        ]);
        let found = decode(&boxes, &scores, &anchors, 0.5);
        assert_eq!(found.len(), 1);
        let d = found[0];
        let a = anchors[index];
        assert!((d.score - 0.880_797).abs() < 1e-5);
        assert!((d.x_min - (a.x + 0.1 - 0.1)).abs() < 1e-6);
        assert!((d.y_max - (a.y - 0.05 + 0.05)).abs() < 1e-6);
        assert!((d.keypoints[1].0 - (a.x + 0.1)).abs() < 1e-6);
        assert_eq!(d.keypoints[0], (a.x, a.y));
    }

    #[test]
    fn decode_survives_huge_logits() {
        let anchors = detector_anchors();
        let boxes = vec![0.0; anchors.len() * VALUES_PER_ANCHOR];
        let mut scores = vec![f32::MIN; anchors.len()];
        scores[0] = f32::MAX;
        let found = decode(&boxes, &scores, &anchors, 0.5);
        assert_eq!(found.len(), 1);
        assert!(found[0].score > 0.999);
    }

    #[test]
    fn iou_of_identical_disjoint_and_half_overlapping_boxes() {
        let a = detection(1.0, 0.0, 0.0, 1.0);
        assert!((a.iou(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.iou(&detection(1.0, 2.0, 2.0, 1.0)), 0.0);
        let shifted = Detection {
            x_min: 0.5,
            x_max: 1.5,
            ..a
        };
        assert!((a.iou(&shifted) - 1.0 / 3.0).abs() < 1e-6);
    }

    #[test]
    fn weighted_nms_merges_overlaps_by_score_and_keeps_separate_people() {
        let strong = detection(0.9, 0.0, 0.0, 1.0);
        let weak_overlap = detection(0.3, 0.1, 0.0, 1.0);
        let other_person = detection(0.6, 5.0, 5.0, 1.0);
        let merged = weighted_nms(vec![weak_overlap, other_person, strong], 0.3);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].score, 0.9);
        // x_min = (0.0 * 0.9 + 0.1 * 0.3) / 1.2
        assert!((merged[0].x_min - 0.025).abs() < 1e-6);
        assert!((merged[0].keypoints[0].0 - 0.025).abs() < 1e-6);
        assert_eq!(merged[1], other_person);
    }

    #[test]
    fn weighted_nms_keeps_a_low_overlap_neighbour() {
        let a = detection(0.9, 0.0, 0.0, 1.0);
        let b = detection(0.8, 0.7, 0.0, 1.0); // IoU = 0.3/1.7 ≈ 0.18
        assert_eq!(weighted_nms(vec![a, b], 0.3).len(), 2);
        assert!(weighted_nms(Vec::new(), 0.3).is_empty());
    }

    #[test]
    fn letterbox_of_a_landscape_frame_pads_top_and_bottom() {
        let letterbox = Letterbox::for_frame(640, 480);
        assert_eq!(letterbox.pad_x, 0.0);
        assert!((letterbox.pad_y - 0.125).abs() < 1e-6);
        // The square's vertical centre is the frame's centre; its top edge of
        // image content is at 0.125.
        assert_eq!(letterbox.remove((0.5, 0.5)), (0.5, 0.5));
        assert!((letterbox.remove((0.25, 0.125)).1).abs() < 1e-6);
        assert!((letterbox.remove((0.25, 0.875)).1 - 1.0).abs() < 1e-6);
        let sampling = letterbox.sampling();
        let step = 640.0 / 224.0;
        assert!((sampling.step_u.0 - step).abs() < 1e-6);
        // Input row 0 samples 80 px above the frame (in its padding).
        assert!((sampling.origin.1 + 80.0).abs() < 1e-4);
        assert_eq!(sampling.origin.0, 0.0);
    }

    #[test]
    fn a_zoomed_letterbox_is_the_frames_centre_magnified() {
        // 1280x960 zoomed twice: the square of 640 px about (640, 480).
        let zoomed = Letterbox::zoomed(1280, 960, 2.0);
        assert_eq!(zoomed.remove((0.5, 0.5)), (0.5, 0.5));
        let (left, top) = zoomed.remove((0.0, 0.0));
        assert!((left * 1280.0 - 320.0).abs() < 1e-3, "{left}");
        assert!((top * 960.0 - 160.0).abs() < 1e-3, "{top}");
        let (right, bottom) = zoomed.remove((1.0, 1.0));
        assert!((right * 1280.0 - 960.0).abs() < 1e-3 && (bottom * 960.0 - 800.0).abs() < 1e-3);
        let sampling = zoomed.sampling();
        assert!((sampling.step_u.0 - 640.0 / 224.0).abs() < 1e-6);
        assert!(
            (sampling.origin.0 - 320.0).abs() < 1e-3 && (sampling.origin.1 - 160.0).abs() < 1e-3
        );
        // Not zoomed, it is the letterbox.
        assert_eq!(
            Letterbox::zoomed(640, 480, 1.0),
            Letterbox::for_frame(640, 480)
        );
    }

    #[test]
    fn the_largest_most_central_person_is_chosen() {
        let person = |centre_x: f32, body: f32| Detection {
            score: 0.9,
            x_min: 0.0,
            y_min: 0.0,
            x_max: 1.0,
            y_max: 1.0,
            keypoints: [
                (centre_x, 0.8),
                (centre_x, 0.8 - body),
                (centre_x, 0.4),
                (0.0, 0.0),
            ],
        };
        let small_central = person(0.5, 0.2);
        let large_central = person(0.5, 0.4);
        let large_at_edge = person(0.95, 0.45);
        let people = [small_central, large_at_edge, large_central];
        assert_eq!(choose_person(&people, 640, 480), Some(&large_central));
        assert_eq!(choose_person(&[], 640, 480), None);
    }
}
