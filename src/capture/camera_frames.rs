//! Turning a camera's raw buffers into RGB frames, and telling a usable
//! picture from a blank one.
//!
//! Decoding is done here and not by the camera library: a corrupt MJPEG
//! buffer must be an error for one frame, never a crash of the monitor (the
//! `image` crate returns an error where nokhwa's own decoder aborts).

use image::{GrayImage, RgbImage};

/// The raw pixel formats webcams offer that chintuck reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawFormat {
    Mjpeg,
    /// YUV 4:2:2, packed Y0 U Y1 V.
    Yuyv,
    /// 8-bit grey (IR cameras).
    Grey,
    Rgb,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RawFrameError {
    #[error("corrupt JPEG data: {0}")]
    CorruptJpeg(String),
    #[error("{format:?} frame of {got} bytes, expected {expected} for {width}×{height}")]
    WrongLength {
        format: RawFormat,
        got: usize,
        expected: usize,
        width: u32,
        height: u32,
    },
}

/// Decodes one raw camera buffer of the given size to RGB.
pub fn decode_raw(
    format: RawFormat,
    width: u32,
    height: u32,
    bytes: &[u8],
) -> Result<RgbImage, RawFrameError> {
    let pixels = width as usize * height as usize;
    let expect = |expected: usize| {
        if bytes.len() == expected {
            Ok(())
        } else {
            Err(RawFrameError::WrongLength {
                format,
                got: bytes.len(),
                expected,
                width,
                height,
            })
        }
    };
    let image = match format {
        RawFormat::Mjpeg => {
            let mut reader = image::ImageReader::with_format(
                std::io::Cursor::new(bytes),
                image::ImageFormat::Jpeg,
            );
            reader.limits(super::frame_limits());
            return reader
                .decode()
                .map(|decoded| decoded.into_rgb8())
                .map_err(|err| RawFrameError::CorruptJpeg(err.to_string()));
        }
        RawFormat::Yuyv => {
            expect(pixels * 2)?;
            let mut rgb = vec![0; pixels * 3];
            for (quad, out) in bytes.chunks_exact(4).zip(rgb.chunks_exact_mut(6)) {
                let chroma = Chroma::of(quad[1], quad[3]);
                out[..3].copy_from_slice(&chroma.with_luma(quad[0]));
                out[3..].copy_from_slice(&chroma.with_luma(quad[2]));
            }
            RgbImage::from_raw(width, height, rgb)
        }
        RawFormat::Grey => {
            expect(pixels)?;
            RgbImage::from_raw(
                width,
                height,
                bytes.iter().flat_map(|&g| [g, g, g]).collect(),
            )
        }
        RawFormat::Rgb => {
            expect(pixels * 3)?;
            RgbImage::from_raw(width, height, bytes.to_vec())
        }
    };
    image.ok_or(RawFrameError::WrongLength {
        format,
        got: bytes.len(),
        expected: pixels * 3,
        width,
        height,
    })
}

/// BT.601 limited range, as webcams send it, in 8.8 fixed point: a YUYV
/// camera's every sample goes through here, and the float version took 4 ms
/// a 640×480 frame (more than decoding the same frame as JPEG). The two
/// pixels of a pair share their chroma, so its terms are worked out once.
#[derive(Debug, Clone, Copy)]
struct Chroma {
    red: i32,
    green: i32,
    blue: i32,
}

impl Chroma {
    fn of(u: u8, v: u8) -> Self {
        let d = i32::from(u) - 128;
        let e = i32::from(v) - 128;
        // 1.596, 0.392, 0.813 and 2.017, times 256; +128 rounds the >> 8.
        Self {
            red: 409 * e + 128,
            green: -100 * d - 208 * e + 128,
            blue: 516 * d + 128,
        }
    }

    fn with_luma(self, y: u8) -> [u8; 3] {
        // 1.164 times 256.
        let luma = 298 * (i32::from(y) - 16);
        let clamp = |value: i32| (value >> 8).clamp(0, 255) as u8;
        [
            clamp(luma + self.red),
            clamp(luma + self.green),
            clamp(luma + self.blue),
        ]
    }
}

/// Why a frame is not worth looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blank {
    /// Nearly black: a privacy shutter, a covered lens, a dark room.
    Dark,
    /// One flat colour: some cameras send grey or green while starting.
    Flat,
}

/// A frame with no picture in it, checked on its grey picture at an eighth
/// of the size (`Picture::eighth`, read anyway for the sampling gate): each
/// value the mean of an 8×8 block, so sensor noise on a flat frame averages
/// out, and a real scene's variation from block to block remains.
pub fn blank_kind(eighth: &GrayImage) -> Option<Blank> {
    let samples: Vec<f32> = eighth
        .as_raw()
        .iter()
        .map(|&luma| f32::from(luma))
        .collect();
    if samples.is_empty() {
        return Some(Blank::Flat);
    }
    let mean = samples.iter().sum::<f32>() / samples.len() as f32;
    let variance = samples.iter().map(|s| (s - mean).powi(2)).sum::<f32>() / samples.len() as f32;
    if mean < 8.0 {
        Some(Blank::Dark)
    } else if variance < 2.0 {
        Some(Blank::Flat)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn yuyv_decodes_known_colours() {
        // White, black, then mid grey pairs.
        let bytes = [235, 128, 235, 128, 16, 128, 16, 128];
        let image = decode_raw(RawFormat::Yuyv, 4, 1, &bytes).unwrap();
        assert_eq!(image.get_pixel(0, 0), &Rgb([255, 255, 255]));
        assert_eq!(image.get_pixel(3, 0), &Rgb([0, 0, 0]));
        // Pure red in BT.601 limited range: Y 81, U 90, V 240.
        let red = decode_raw(RawFormat::Yuyv, 2, 1, &[81, 90, 81, 240]).unwrap();
        let [r, g, b] = red.get_pixel(0, 0).0;
        assert!(r > 250 && g < 5 && b < 5, "{r} {g} {b}");
    }

    #[test]
    fn fixed_point_yuyv_matches_the_bt601_formula() {
        // The formula in floating point, rounded: the fixed-point decoder
        // may differ by one level at most, anywhere in the colour cube.
        let exact = |y: u8, u: u8, v: u8| {
            let c = f32::from(y) - 16.0;
            let d = f32::from(u) - 128.0;
            let e = f32::from(v) - 128.0;
            [
                1.164 * c + 1.596 * e,
                1.164 * c - 0.392 * d - 0.813 * e,
                1.164 * c + 2.017 * d,
            ]
            .map(|value| value.round().clamp(0.0, 255.0))
        };
        let levels = (0..=255u8).step_by(3);
        for y in levels.clone() {
            for u in levels.clone() {
                for v in levels.clone() {
                    let image = decode_raw(RawFormat::Yuyv, 2, 1, &[y, u, y, v]).unwrap();
                    let got = image.get_pixel(1, 0).0.map(f32::from);
                    let want = exact(y, u, v);
                    for channel in 0..3 {
                        assert!(
                            (got[channel] - want[channel]).abs() <= 1.0,
                            "Y {y} U {u} V {v}: {got:?} against {want:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wrong_lengths_and_garbage_are_errors_not_panics() {
        let err = decode_raw(RawFormat::Yuyv, 640, 480, &[0; 1000]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Yuyv frame of 1000 bytes, expected 614400 for 640×480"
        );
        assert!(decode_raw(RawFormat::Rgb, 2, 2, &[0; 11]).is_err());
        assert!(decode_raw(RawFormat::Grey, 2, 2, &[0; 3]).is_err());
        let garbage =
            decode_raw(RawFormat::Mjpeg, 640, 480, b"\xff\xd8 not really a jpeg").unwrap_err();
        assert!(
            garbage.to_string().starts_with("corrupt JPEG data"),
            "{garbage}"
        );
        assert!(decode_raw(RawFormat::Mjpeg, 640, 480, &[]).is_err());
    }

    #[test]
    fn mjpeg_and_grey_decode() {
        let source = RgbImage::from_fn(16, 8, |x, y| Rgb([(x * 16) as u8, (y * 32) as u8, 90]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
            .encode_image(&source)
            .unwrap();
        let decoded = decode_raw(RawFormat::Mjpeg, 16, 8, &jpeg).unwrap();
        assert_eq!(decoded.dimensions(), (16, 8));
        let grey = decode_raw(RawFormat::Grey, 2, 1, &[10, 200]).unwrap();
        assert_eq!(grey.get_pixel(1, 0), &Rgb([200, 200, 200]));
    }

    #[test]
    fn blank_frames_are_recognised() {
        let grey = |image: RgbImage| {
            crate::capture::Picture::from_rgb(image)
                .eighth()
                .unwrap()
                .clone()
        };
        assert_eq!(
            blank_kind(&grey(RgbImage::from_pixel(64, 48, Rgb([2, 3, 1])))),
            Some(Blank::Dark)
        );
        assert_eq!(
            blank_kind(&grey(RgbImage::from_pixel(64, 48, Rgb([0, 130, 0])))),
            Some(Blank::Flat)
        );
        let scene = RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 60]));
        assert_eq!(blank_kind(&grey(scene)), None);
        // A dim but real room is not blank (its shapes are larger than a
        // block).
        let dim = RgbImage::from_fn(64, 48, |x, _| Rgb([10 + (x / 8 % 7) as u8 * 3, 12, 14]));
        assert_eq!(blank_kind(&grey(dim)), None);
        // Noise on a flat frame averages out in the blocks.
        let noisy = RgbImage::from_fn(64, 48, |x, y| {
            let noise = ((x * 7 + y * 13) % 5) as u8;
            Rgb([100 + noise, 100 + noise, 100 + noise])
        });
        assert_eq!(blank_kind(&grey(noisy)), Some(Blank::Flat));
    }
}
