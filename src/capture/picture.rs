//! A sampled frame, decoded only as far as it is read.
//!
//! The monitor reads every sampled frame as a small grey picture (the
//! sampling gate's thumbnail, the camera's blank check) but in colour only
//! the frames the gate passes to the models: 20 of the 124 sampled on the
//! bundled forward_head replay. A JPEG's small picture is read from its DC
//! coefficients, each 8×8 block's mean (`jpeg_dc`), with no inverse
//! transform; a YUYV frame's from its Y bytes. The colour picture is decoded
//! exactly as before, so the models see the same pixels.

use image::{GrayImage, RgbImage};
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::MAX_FRAME_SIDE_PX;
use super::camera_frames::{RawFormat, RawFrameError, decode_raw};
use super::jpeg_dc::eighth_of_jpeg;
use super::live::RawFrame;

/// One frame as it came (camera buffer, JPEG file, or decoded picture),
/// with its small grey picture kept once read.
#[derive(Debug, Clone)]
pub struct Picture {
    raw: RawFrame,
    eighth: Option<GrayImage>,
}

impl Picture {
    /// A frame not yet decoded; a buffer that does not decode is an error
    /// when it is read, not here.
    pub fn new(raw: RawFrame) -> Self {
        Self { raw, eighth: None }
    }

    /// An already decoded picture (a PNG file, a test frame).
    pub fn from_rgb(image: RgbImage) -> Self {
        Self::new(RawFrame {
            format: RawFormat::Rgb,
            width: image.width(),
            height: image.height(),
            bytes: image.into_raw(),
        })
    }

    /// The grey picture (BT.601 luma) at an eighth of the frame's size each
    /// way, each pixel the rounded mean of one 8×8 block (a block the edge
    /// cuts: of its pixels in the frame), read on first use. A JPEG's comes
    /// from its DC coefficients without decoding the picture; any other
    /// frame, or a JPEG of a kind that reader does not take, is decoded in
    /// grey and averaged (a JPEG's DC gives the block's mean up to the
    /// rounding of its inverse transform, a level or so).
    pub fn eighth(&mut self) -> Result<&GrayImage, RawFrameError> {
        if self.eighth.is_none() {
            let from_dc = match self.raw.format {
                RawFormat::Mjpeg => eighth_of_jpeg(&self.raw.bytes),
                _ => None,
            };
            let eighth = match from_dc {
                Some(eighth) => eighth,
                None => block_means(&grey_of(&self.raw)?),
            };
            self.eighth = Some(eighth);
        }
        Ok(self.eighth.as_ref().expect("set above"))
    }

    /// The colour picture the models read, decoded as a camera frame always
    /// was.
    pub fn into_rgb(self) -> Result<RgbImage, RawFrameError> {
        let RawFrame {
            format,
            width,
            height,
            bytes,
        } = self.raw;
        if format == RawFormat::Rgb && bytes.len() == width as usize * height as usize * 3 {
            // Moved, not copied.
            return Ok(RgbImage::from_raw(width, height, bytes).expect("length checked"));
        }
        decode_raw(format, width, height, &bytes)
    }
}

/// Luma of a raw buffer, with the same length checks as [`decode_raw`].
fn grey_of(raw: &RawFrame) -> Result<GrayImage, RawFrameError> {
    let RawFrame {
        format,
        width,
        height,
        ref bytes,
    } = *raw;
    let pixels = width as usize * height as usize;
    let wrong_length = |expected: usize| RawFrameError::WrongLength {
        format,
        got: bytes.len(),
        expected,
        width,
        height,
    };
    let (width, height, luma) = match format {
        RawFormat::Mjpeg => return jpeg_luma(bytes),
        RawFormat::Yuyv if bytes.len() == pixels * 2 => (
            width,
            height,
            bytes.chunks_exact(2).map(|pair| pair[0]).collect(),
        ),
        RawFormat::Yuyv => return Err(wrong_length(pixels * 2)),
        RawFormat::Grey if bytes.len() == pixels => (width, height, bytes.clone()),
        RawFormat::Grey => return Err(wrong_length(pixels)),
        RawFormat::Rgb if bytes.len() == pixels * 3 => (
            width,
            height,
            bytes
                .chunks_exact(3)
                .map(|rgb| {
                    // 0.299, 0.587, 0.114 in 8.8 fixed point (they sum to 256).
                    let sum =
                        77 * u32::from(rgb[0]) + 150 * u32::from(rgb[1]) + 29 * u32::from(rgb[2]);
                    ((sum + 128) >> 8) as u8
                })
                .collect(),
        ),
        RawFormat::Rgb => return Err(wrong_length(pixels * 3)),
    };
    GrayImage::from_raw(width, height, luma).ok_or(wrong_length(pixels))
}

/// Each 8×8 block's rounded mean (a block the edge cuts: of the pixels it
/// holds).
fn block_means(grey: &GrayImage) -> GrayImage {
    let (width, height) = (grey.width() as usize, grey.height() as usize);
    if width == 0 || height == 0 {
        return GrayImage::new(0, 0); // nothing to average (a blank frame)
    }
    let (wide, high) = (width.div_ceil(8), height.div_ceil(8));
    let mut sums = vec![0u32; wide];
    let mut means = Vec::with_capacity(wide * high);
    for (band, rows) in grey.as_raw().chunks(width * 8).enumerate() {
        sums.fill(0);
        for row in rows.chunks_exact(width) {
            // Eight pixels at a time (the last block may hold fewer).
            for (sum, block) in sums.iter_mut().zip(row.chunks(8)) {
                *sum += block.iter().map(|&luma| u32::from(luma)).sum::<u32>();
            }
        }
        let band_rows = (height - band * 8).min(8);
        for (block, &sum) in sums.iter().enumerate() {
            let count = (band_rows * (width - block * 8).min(8)) as u32;
            means.push(((sum + count / 2) / count) as u8);
        }
    }
    GrayImage::from_raw(wide as u32, high as u32, means).expect("one mean per block")
}

/// A JPEG's luma channel alone, with the lenience the `image` crate's own
/// decoder has (so a frame the colour decode accepts is read in grey too).
pub(super) fn jpeg_luma(bytes: &[u8]) -> Result<GrayImage, RawFrameError> {
    let corrupt = |reason: String| RawFrameError::CorruptJpeg(reason);
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(MAX_FRAME_SIDE_PX as usize)
        .set_max_height(MAX_FRAME_SIDE_PX as usize)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let luma = decoder.decode().map_err(|err| corrupt(err.to_string()))?;
    let (width, height) = decoder
        .dimensions()
        .ok_or_else(|| corrupt("no frame header".into()))?;
    GrayImage::from_raw(width as u32, height as u32, luma)
        .ok_or_else(|| corrupt("fewer pixels than the header says".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    fn scene() -> RgbImage {
        RgbImage::from_fn(64, 48, |x, y| {
            Rgb([(x * 4) as u8, (y * 5) as u8, ((x + y) * 2) as u8])
        })
    }

    fn jpeg(image: &RgbImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(image)
            .unwrap();
        bytes
    }

    /// Each 8×8 block's mean of the picture's luma, the way a JPEG's luma
    /// is defined, for comparison.
    fn block_luma_means(image: &RgbImage) -> Vec<f32> {
        let (wide, high) = (image.width().div_ceil(8), image.height().div_ceil(8));
        let mut sums = vec![(0f32, 0f32); (wide * high) as usize];
        for (x, y, p) in image.enumerate_pixels() {
            let luma = 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]);
            let block = &mut sums[((y / 8) * wide + x / 8) as usize];
            block.0 += luma;
            block.1 += 1.0;
        }
        sums.iter().map(|(sum, count)| sum / count).collect()
    }

    fn assert_near(got: &GrayImage, want: &[f32], limit: f32) {
        assert_eq!(got.len(), want.len());
        for (got, want) in got.as_raw().iter().zip(want) {
            assert!(
                (f32::from(*got) - want).abs() <= limit,
                "{got} against {want}"
            );
        }
    }

    #[test]
    fn a_jpeg_reads_small_from_its_dc_and_decodes_colour_as_before() {
        let bytes = jpeg(&scene());
        let raw = RawFrame {
            format: RawFormat::Mjpeg,
            width: 64,
            height: 48,
            bytes: bytes.clone(),
        };
        let mut picture = Picture::new(raw);
        let eighth = picture.eighth().unwrap().clone();
        // Read from the DC coefficients, not by decoding the picture.
        assert_eq!(Some(&eighth), eighth_of_jpeg(&bytes).as_ref());
        let rgb = picture.into_rgb().unwrap();
        // The colour picture is the one decode_raw always gave.
        assert_eq!(rgb, decode_raw(RawFormat::Mjpeg, 64, 48, &bytes).unwrap());
        // Each value is its block's luma in the colour picture, within the
        // rounding of the transforms and the colour conversion.
        assert_eq!(eighth.dimensions(), (8, 6));
        assert_near(&eighth, &block_luma_means(&rgb), 2.0);
        // A JPEG the DC reader leaves alone is decoded in grey and averaged
        // to the same picture: the full luma decode, block by block.
        let averaged = block_means(&jpeg_luma(&bytes).unwrap());
        assert_near(&averaged, &block_luma_means(&rgb), 2.0);
    }

    #[test]
    fn every_format_reads_small_in_grey_and_in_colour() {
        // Uneven sizes: the edge blocks average the pixels they hold.
        let image = RgbImage::from_fn(61, 45, |x, y| {
            Rgb([(x * 4) as u8, (y * 5) as u8, ((x * y) % 256) as u8])
        });
        let mut rgb = Picture::from_rgb(image.clone());
        assert_eq!(rgb.eighth().unwrap().dimensions(), (8, 6));
        assert_near(rgb.eighth().unwrap(), &block_luma_means(&image), 1.0);
        assert_eq!(rgb.into_rgb().unwrap(), image);

        // YUYV: grey is the Y bytes, colour the usual conversion.
        let yuyv = vec![16, 128, 235, 128, 81, 90, 81, 240];
        let raw = RawFrame {
            format: RawFormat::Yuyv,
            width: 4,
            height: 1,
            bytes: yuyv.clone(),
        };
        let mut picture = Picture::new(raw);
        // (16 + 235 + 81 + 81) / 4 = 103.25
        assert_eq!(picture.eighth().unwrap().as_raw(), &vec![103]);
        assert_eq!(
            picture.into_rgb().unwrap(),
            decode_raw(RawFormat::Yuyv, 4, 1, &yuyv).unwrap()
        );

        let mut ir = Picture::new(RawFrame {
            format: RawFormat::Grey,
            width: 2,
            height: 1,
            bytes: vec![10, 201],
        });
        // 105.5 rounds up.
        assert_eq!(ir.eighth().unwrap().as_raw(), &vec![106]);
        assert_eq!(
            ir.into_rgb().unwrap().get_pixel(1, 0),
            &Rgb([201, 201, 201])
        );
    }

    #[test]
    fn broken_buffers_are_errors_in_grey_and_colour() {
        let garbage = || {
            Picture::new(RawFrame {
                format: RawFormat::Mjpeg,
                width: 640,
                height: 480,
                bytes: b"\xff\xd8 not really a jpeg".to_vec(),
            })
        };
        // A frame with no pixels is an empty picture (blank), not a panic.
        let mut empty = Picture::new(RawFrame {
            format: RawFormat::Yuyv,
            width: 0,
            height: 480,
            bytes: Vec::new(),
        });
        assert_eq!(empty.eighth().unwrap().dimensions(), (0, 0));
        let err = garbage().eighth().unwrap_err();
        assert!(matches!(err, RawFrameError::CorruptJpeg(_)), "{err}");
        assert!(garbage().into_rgb().is_err());
        for format in [RawFormat::Yuyv, RawFormat::Grey, RawFormat::Rgb] {
            let short = || {
                Picture::new(RawFrame {
                    format,
                    width: 640,
                    height: 480,
                    bytes: vec![0; 1000],
                })
            };
            let err = short().eighth().unwrap_err();
            assert!(
                matches!(err, RawFrameError::WrongLength { got: 1000, .. }),
                "{err}"
            );
            assert!(short().into_rgb().is_err());
        }
    }
}
