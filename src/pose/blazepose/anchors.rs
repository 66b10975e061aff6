//! SSD anchors of the BlazePose person detector.

/// Anchor centre in the detector's normalised input square (0..1). Width and
/// height are 1, so box offsets decode as plain fractions of the input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Anchor {
    pub x: f32,
    pub y: f32,
}

/// Detector input side in pixels.
pub const DETECTOR_INPUT_SIDE: usize = 224;

/// (stride, anchors per cell) after merging layers that share a stride:
/// strides 8, 16, 32, 32, 32 with two anchors each.
const LAYERS: [(usize, usize); 3] = [(8, 2), (16, 2), (32, 6)];

/// The 2254 anchors in the order the model emits its boxes: stride 8, then 16,
/// then 32; within a stride, row, then column, then anchor.
pub fn detector_anchors() -> Vec<Anchor> {
    let mut anchors = Vec::with_capacity(2254);
    for (stride, per_cell) in LAYERS {
        let cells = DETECTOR_INPUT_SIDE.div_ceil(stride);
        for row in 0..cells {
            for column in 0..cells {
                let anchor = Anchor {
                    x: (column as f32 + 0.5) / cells as f32,
                    y: (row as f32 + 0.5) / cells as f32,
                };
                anchors.extend(std::iter::repeat_n(anchor, per_cell));
            }
        }
    }
    anchors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_matches_the_model_output() {
        assert_eq!(
            detector_anchors().len(),
            28 * 28 * 2 + 14 * 14 * 2 + 7 * 7 * 6
        );
        assert_eq!(detector_anchors().len(), 2254);
    }

    #[test]
    fn order_is_stride_then_row_then_column_then_anchor() {
        let anchors = detector_anchors();
        let half = 0.5 / 28.0;
        assert_eq!(anchors[0], Anchor { x: half, y: half });
        assert_eq!(anchors[1], anchors[0]);
        // Third anchor: next column of the first row.
        assert_eq!(
            anchors[2],
            Anchor {
                x: 1.5 / 28.0,
                y: half
            }
        );
        // First anchor of the second row.
        assert_eq!(
            anchors[56],
            Anchor {
                x: half,
                y: 1.5 / 28.0
            }
        );
        // First stride-16 anchor.
        assert_eq!(
            anchors[1568],
            Anchor {
                x: 0.5 / 14.0,
                y: 0.5 / 14.0
            }
        );
        // Stride 32: six anchors per cell, last one at the bottom-right cell.
        assert_eq!(
            anchors[1960..1966]
                .iter()
                .filter(|a| **a == anchors[1960])
                .count(),
            6
        );
        assert_eq!(
            anchors[2253],
            Anchor {
                x: 6.5 / 7.0,
                y: 6.5 / 7.0
            }
        );
    }
}
