//! A sampled frame, decoded only as far as it is read.
//!
//! The monitor reads every sampled frame in grey (the sampling gate's
//! thumbnail, the camera's blank check) but in colour only the frames the
//! gate passes to the models: 20 of the 124 sampled on the bundled
//! forward_head replay. A JPEG's grey is its luma channel alone, which skips
//! the colour channels' inverse transforms, upsampling and conversion (about
//! a third of the decode); a YUYV frame's grey is its Y bytes. The colour
//! picture is decoded exactly as before, so the models see the same pixels.

use image::{GrayImage, RgbImage};
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::MAX_FRAME_SIDE_PX;
use super::camera_frames::{RawFormat, RawFrameError, decode_raw};
use super::live::RawFrame;

/// One frame as it came (camera buffer, JPEG file, or decoded picture),
/// with its grey picture kept once read.
#[derive(Debug, Clone)]
pub struct Picture {
    raw: RawFrame,
    grey: Option<GrayImage>,
}

impl Picture {
    /// A frame not yet decoded; a buffer that does not decode is an error
    /// when it is read, not here.
    pub fn new(raw: RawFrame) -> Self {
        Self { raw, grey: None }
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

    /// The grey picture (BT.601 luma), decoded on first use.
    pub fn grey(&mut self) -> Result<&GrayImage, RawFrameError> {
        if self.grey.is_none() {
            self.grey = Some(grey_of(&self.raw)?);
        }
        Ok(self.grey.as_ref().expect("set above"))
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

/// A JPEG's luma channel alone, with the lenience the `image` crate's own
/// decoder has (so a frame the colour decode accepts is read in grey too).
fn jpeg_luma(bytes: &[u8]) -> Result<GrayImage, RawFrameError> {
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

    /// The grey of an already decoded picture, the way the JPEG's luma is
    /// defined, for comparison.
    fn luma_of(image: &RgbImage) -> Vec<f32> {
        image
            .pixels()
            .map(|p| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
            .collect()
    }

    #[test]
    fn a_jpeg_reads_in_grey_as_its_colour_picture_does_and_decodes_colour_as_before() {
        let bytes = jpeg(&scene());
        let raw = RawFrame {
            format: RawFormat::Mjpeg,
            width: 64,
            height: 48,
            bytes: bytes.clone(),
        };
        let mut picture = Picture::new(raw);
        let grey = picture.grey().unwrap().clone();
        let rgb = picture.into_rgb().unwrap();
        // The colour picture is the one decode_raw always gave.
        assert_eq!(rgb, decode_raw(RawFormat::Mjpeg, 64, 48, &bytes).unwrap());
        // The luma channel matches the colour picture's luma within the
        // rounding of the colour conversion.
        assert_eq!(grey.dimensions(), (64, 48));
        for (got, want) in grey.as_raw().iter().zip(luma_of(&rgb)) {
            assert!(
                (f32::from(*got) - want).abs() <= 2.0,
                "{got} against {want}"
            );
        }
    }

    #[test]
    fn every_format_reads_in_grey_and_colour() {
        let image = scene();
        let mut rgb = Picture::from_rgb(image.clone());
        let grey = rgb.grey().unwrap().clone();
        for (got, want) in grey.as_raw().iter().zip(luma_of(&image)) {
            assert!(
                (f32::from(*got) - want).abs() <= 1.0,
                "{got} against {want}"
            );
        }
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
        assert_eq!(picture.grey().unwrap().as_raw(), &vec![16, 235, 81, 81]);
        assert_eq!(
            picture.into_rgb().unwrap(),
            decode_raw(RawFormat::Yuyv, 4, 1, &yuyv).unwrap()
        );

        let mut ir = Picture::new(RawFrame {
            format: RawFormat::Grey,
            width: 2,
            height: 1,
            bytes: vec![10, 200],
        });
        assert_eq!(ir.grey().unwrap().as_raw(), &vec![10, 200]);
        assert_eq!(
            ir.into_rgb().unwrap().get_pixel(1, 0),
            &Rgb([200, 200, 200])
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
        let err = garbage().grey().unwrap_err();
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
            let err = short().grey().unwrap_err();
            assert!(
                matches!(err, RawFrameError::WrongLength { got: 1000, .. }),
                "{err}"
            );
            assert!(short().into_rgb().is_err());
        }
    }
}
