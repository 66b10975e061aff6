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
pub fn warp_into(
    frame: &RgbImage,
    mapping: &AffineSampling,
    side: usize,
    border: Border,
    scale: f32,
    offset: f32,
    out: &mut Vec<f32>,
) {
    out.clear();
    out.reserve(side * side * 3);
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
        let at = ((y * width + x) * 3) as usize;
        [
            pixels[at] as f32,
            pixels[at + 1] as f32,
            pixels[at + 2] as f32,
        ]
    };
    for v in 0..side {
        let row_x = mapping.origin.0 + v as f32 * mapping.step_v.0;
        let row_y = mapping.origin.1 + v as f32 * mapping.step_v.1;
        for u in 0..side {
            let x = row_x + u as f32 * mapping.step_u.0;
            let y = row_y + u as f32 * mapping.step_u.1;
            let x0 = x.floor();
            let y0 = y.floor();
            let fx = x - x0;
            let fy = y - y0;
            let (xi, yi) = (x0 as i64, y0 as i64);
            let top_left = fetch(xi, yi);
            let top_right = fetch(xi + 1, yi);
            let bottom_left = fetch(xi, yi + 1);
            let bottom_right = fetch(xi + 1, yi + 1);
            for channel in 0..3 {
                let top = top_left[channel] + (top_right[channel] - top_left[channel]) * fx;
                let bottom =
                    bottom_left[channel] + (bottom_right[channel] - bottom_left[channel]) * fx;
                out.push((top + (bottom - top) * fy) * scale + offset);
            }
        }
    }
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
