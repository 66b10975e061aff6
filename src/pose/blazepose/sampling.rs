//! Bilinear resampling of an RGB frame into a model's input tensor.
//!
//! Both model inputs are an affine view of the frame (a letterboxed square for
//! the detector, a rotated square for the landmark model), so one warp serves
//! both; only the mapping and the border rule differ.

use image::RgbImage;

/// What a sample outside the frame reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Black, as in the detector's letterbox padding.
    Zero,
    /// The nearest edge pixel, as MediaPipe's landmark crop does.
    Replicate,
}

/// Output pixel (u, v) samples the frame at `origin + u·step_u + v·step_v`, in
/// pixel coordinates where pixel (i, j) has its centre at (i, j).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AffineSampling {
    pub origin: (f32, f32),
    pub step_u: (f32, f32),
    pub step_v: (f32, f32),
}

/// Fills `out` (side × side × 3, row-major, RGB) with the frame warped through
/// `mapping`, each channel as `value · scale + offset`.
///
/// Runs for every model call, so a crop that lies wholly inside the frame (the
/// usual face crop) takes a path without per-sample border checks; both paths
/// do the same arithmetic, so they give the same values to the bit.
pub fn warp_into(
    frame: &RgbImage,
    mapping: &AffineSampling,
    side: usize,
    border: Border,
    scale: f32,
    offset: f32,
    out: &mut Vec<f32>,
) {
    // Every value is written below, so a reused buffer of the right length
    // is not cleared first (only a new or resized one is zero-filled).
    out.resize(side * side * 3, 0.0);
    if side == 0 {
        return;
    }
    if lies_inside(frame, mapping, side) {
        warp_inside(frame, mapping, side, scale, offset, out);
    } else {
        warp_with_border(frame, mapping, side, border, scale, offset, out);
    }
}

/// The sample position of output pixel (u, v), computed the same way on both paths.
#[inline(always)]
fn sample_at(mapping: &AffineSampling, u: usize, v: usize) -> (f32, f32) {
    let row_x = mapping.origin.0 + v as f32 * mapping.step_v.0;
    let row_y = mapping.origin.1 + v as f32 * mapping.step_v.1;
    (
        row_x + u as f32 * mapping.step_u.0,
        row_y + u as f32 * mapping.step_u.1,
    )
}

/// Whether every sample and its right and lower neighbours are inside the
/// frame. The samples fill the parallelogram spanned by the four corner
/// samples, so the corners decide; the corners are kept a pixel or more clear of
/// what that needs (x ≥ 0 and x + 1 < width), which absorbs rounding in the
/// positions between them.
fn lies_inside(frame: &RgbImage, mapping: &AffineSampling, side: usize) -> bool {
    let last = side - 1;
    let corners = [
        sample_at(mapping, 0, 0),
        sample_at(mapping, last, 0),
        sample_at(mapping, 0, last),
        sample_at(mapping, last, last),
    ];
    let (width, height) = (frame.width() as f32, frame.height() as f32);
    corners
        .iter()
        .all(|&(x, y)| x >= 1.0 && y >= 1.0 && x < width - 3.0 && y < height - 3.0)
}

/// `x.floor() as i64` without the library call `floor` is on a baseline x86-64
/// build; exact for the sample positions a frame has (|x| < 2^23).
#[inline(always)]
fn floor_to_int(x: f32) -> i64 {
    let truncated = x as i64;
    if (truncated as f32) > x {
        truncated - 1
    } else {
        truncated
    }
}

/// One pixel's channels as floats.
#[inline(always)]
fn rgb_at(pixels: &[u8], at: usize) -> [f32; 3] {
    [
        pixels[at] as f32,
        pixels[at + 1] as f32,
        pixels[at + 2] as f32,
    ]
}

/// Fills every output sample from its four neighbours, which `neighbours`
/// gives for a sample position with the fractions (fx, fy) between them; each
/// channel is blended and then mapped as `value · scale + offset`.
#[inline(always)]
fn fill(
    mapping: &AffineSampling,
    side: usize,
    scale: f32,
    offset: f32,
    out: &mut [f32],
    neighbours: impl Fn(f32, f32) -> ([[f32; 3]; 4], f32, f32),
) {
    for (v, row) in out.chunks_exact_mut(side * 3).enumerate() {
        for (u, sample) in row.chunks_exact_mut(3).enumerate() {
            let (x, y) = sample_at(mapping, u, v);
            let ([top_left, top_right, bottom_left, bottom_right], fx, fy) = neighbours(x, y);
            for channel in 0..3 {
                let top = top_left[channel] + (top_right[channel] - top_left[channel]) * fx;
                let bottom =
                    bottom_left[channel] + (bottom_right[channel] - bottom_left[channel]) * fx;
                sample[channel] = (top + (bottom - top) * fy) * scale + offset;
            }
        }
    }
}

fn warp_inside(
    frame: &RgbImage,
    mapping: &AffineSampling,
    side: usize,
    scale: f32,
    offset: f32,
    out: &mut [f32],
) {
    let row_stride = frame.width() as usize * 3;
    let pixels = frame.as_raw();
    fill(mapping, side, scale, offset, out, |x, y| {
        // Positive here, so truncation is the floor (and cheaper than `floor`).
        let (xi, yi) = (x as usize, y as usize);
        let at = yi * row_stride + xi * 3;
        // Two pixels of each row as one slice: two bounds checks, not twelve.
        let top = &pixels[at..at + 6];
        let bottom = &pixels[at + row_stride..at + row_stride + 6];
        let neighbours = [
            rgb_at(top, 0),
            rgb_at(top, 3),
            rgb_at(bottom, 0),
            rgb_at(bottom, 3),
        ];
        (neighbours, x - xi as f32, y - yi as f32)
    });
}

fn warp_with_border(
    frame: &RgbImage,
    mapping: &AffineSampling,
    side: usize,
    border: Border,
    scale: f32,
    offset: f32,
    out: &mut [f32],
) {
    let width = frame.width() as i64;
    let height = frame.height() as i64;
    let pixels = frame.as_raw();
    let fetch = |x: i64, y: i64| -> [f32; 3] {
        let (x, y) = match border {
            Border::Replicate => (x.clamp(0, width - 1), y.clamp(0, height - 1)),
            Border::Zero => {
                if x < 0 || y < 0 || x >= width || y >= height {
                    return [0.0; 3];
                }
                (x, y)
            }
        };
        rgb_at(pixels, ((y * width + x) * 3) as usize)
    };
    fill(mapping, side, scale, offset, out, |x, y| {
        let (xi, yi) = (floor_to_int(x), floor_to_int(y));
        let neighbours = [
            fetch(xi, yi),
            fetch(xi + 1, yi),
            fetch(xi, yi + 1),
            fetch(xi + 1, yi + 1),
        ];
        (neighbours, x - xi as f32, y - yi as f32)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([x as u8 * 10, y as u8 * 10, 7])
        })
    }

    #[test]
    fn identity_mapping_copies_pixels() {
        let frame = gradient(4, 4);
        let mapping = AffineSampling {
            origin: (0.0, 0.0),
            step_u: (1.0, 0.0),
            step_v: (0.0, 1.0),
        };
        let mut out = Vec::new();
        warp_into(&frame, &mapping, 4, Border::Zero, 1.0, 0.0, &mut out);
        assert_eq!(out.len(), 48);
        assert_eq!(&out[..3], &[0.0, 0.0, 7.0]);
        // (u=3, v=2)
        let at = (2 * 4 + 3) * 3;
        assert_eq!(&out[at..at + 3], &[30.0, 20.0, 7.0]);
    }

    #[test]
    fn half_pixel_offset_interpolates_between_neighbours() {
        let frame = gradient(4, 4);
        let mapping = AffineSampling {
            origin: (0.5, 1.5),
            step_u: (1.0, 0.0),
            step_v: (0.0, 1.0),
        };
        let mut out = Vec::new();
        warp_into(&frame, &mapping, 2, Border::Zero, 1.0, 0.0, &mut out);
        assert_eq!(&out[..3], &[5.0, 15.0, 7.0]);
    }

    #[test]
    fn floor_to_int_is_floor() {
        for x in [
            -3.5f32,
            -3.0,
            -0.25,
            -0.0,
            0.0,
            0.25,
            1.0,
            639.999,
            1e6 + 0.5,
            -1e6 - 0.5,
        ] {
            assert_eq!(floor_to_int(x), x.floor() as i64, "{x}");
        }
    }

    #[test]
    fn borders_read_zero_or_the_edge_pixel() {
        let frame = gradient(2, 2);
        let mapping = AffineSampling {
            origin: (-3.0, 0.0),
            step_u: (1.0, 0.0),
            step_v: (0.0, 1.0),
        };
        let mut out = Vec::new();
        warp_into(&frame, &mapping, 1, Border::Zero, 1.0, 0.0, &mut out);
        assert_eq!(out, vec![0.0, 0.0, 0.0]);
        warp_into(&frame, &mapping, 1, Border::Replicate, 1.0, 0.0, &mut out);
        assert_eq!(out, vec![0.0, 0.0, 7.0]);
    }

    /// A rotated crop wholly inside the frame takes the fast path, which must
    /// give the border path's values to the bit (the models' outputs, and so every
    /// measured figure, depend on them).
    #[test]
    fn the_inside_path_matches_the_border_path_exactly() {
        let frame = RgbImage::from_fn(64, 48, |x, y| {
            let seed = x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503);
            image::Rgb([seed as u8, (seed >> 8) as u8, (seed >> 16) as u8])
        });
        let angle: f32 = 0.3;
        let step = 0.37;
        let mapping = AffineSampling {
            origin: (20.3, 8.7),
            step_u: (step * angle.cos(), step * angle.sin()),
            step_v: (-step * angle.sin(), step * angle.cos()),
        };
        let side = 50;
        assert!(lies_inside(&frame, &mapping, side));
        let mut fast = Vec::new();
        warp_into(
            &frame,
            &mapping,
            side,
            Border::Zero,
            1.0 / 255.0,
            0.0,
            &mut fast,
        );
        let mut bordered = vec![0.0; side * side * 3];
        warp_with_border(
            &frame,
            &mapping,
            side,
            Border::Zero,
            1.0 / 255.0,
            0.0,
            &mut bordered,
        );
        assert!(
            fast.iter()
                .zip(&bordered)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
        assert!(fast.iter().any(|&value| value > 0.1));

        let near_the_edge = AffineSampling {
            origin: (45.0, 8.7),
            ..mapping
        };
        assert!(!lies_inside(&frame, &near_the_edge, side));
    }

    #[test]
    fn scale_and_offset_normalise_values() {
        let frame = RgbImage::from_pixel(1, 1, image::Rgb([255, 0, 127]));
        let mapping = AffineSampling {
            origin: (0.0, 0.0),
            step_u: (1.0, 0.0),
            step_v: (0.0, 1.0),
        };
        let mut out = Vec::new();
        warp_into(
            &frame,
            &mapping,
            1,
            Border::Replicate,
            1.0 / 127.5,
            -1.0,
            &mut out,
        );
        assert!((out[0] - 1.0).abs() < 1e-6 && (out[1] + 1.0).abs() < 1e-6);
    }
}
