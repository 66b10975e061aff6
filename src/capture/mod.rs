//! Capture: where frames come from.
//!
//! Replayed frames (an image, a folder of images) come through [`FrameSource`],
//! read in order. The live camera is polled through [`live::LiveCamera`]
//! instead, because it is opened and closed as the monitor starts and stops
//! looking; its device is nokhwa (`camera`, behind the `camera` feature) or a
//! scripted device (`scripted`) that injects faults in tests. The monitor
//! takes both as a [`Picture`], read in grey for the sampling gate and
//! decoded to RGB only for the models, so pose and posture never know which
//! one they watch.

#[cfg(feature = "camera")]
pub mod camera;
pub mod camera_frames;
mod image_files;
mod jpeg_dc;
pub mod live;
mod picture;
pub mod scripted;
pub mod still;

pub use image_files::{
    IMAGE_EXTENSIONS, ImageFiles, MAX_FRAME_SIDE_PX, UnreadFrame, decode_error,
    has_image_extension, load_image, read_picture,
};
pub use picture::Picture;

use image_files::frame_limits;

use std::path::{Path, PathBuf};

use image::RgbImage;

/// The picture size asked of a camera (`[camera] resolution`). The camera
/// gives the nearest it offers; 640×480 is plenty for a face within about
/// 84 cm of a 65° lens, and a larger picture gives a far or wide-angle face
/// the pixels it needs (`posture::head::MIN_FACE_PX_PER_CM`) for more CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameSize {
    pub width_px: u32,
    pub height_px: u32,
}

impl Default for FrameSize {
    fn default() -> Self {
        Self {
            width_px: 640,
            height_px: 480,
        }
    }
}

impl FrameSize {
    /// Sizes a webcam is asked for, inclusive: from the smallest any offers
    /// to 4K, and within what a frame may be ([`MAX_FRAME_SIDE_PX`]).
    pub const WIDTH_PX: std::ops::RangeInclusive<u32> = 160..=3840;
    pub const HEIGHT_PX: std::ops::RangeInclusive<u32> = 120..=2160;

    /// "1280x720" (or with `×`, any case, spaces around the parts), within
    /// [`WIDTH_PX`](Self::WIDTH_PX) and [`HEIGHT_PX`](Self::HEIGHT_PX).
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_lowercase();
        let (width, height) = lower.split_once('x').or_else(|| lower.split_once('×'))?;
        let size = Self {
            width_px: width.trim().parse().ok()?,
            height_px: height.trim().parse().ok()?,
        };
        (Self::WIDTH_PX.contains(&size.width_px) && Self::HEIGHT_PX.contains(&size.height_px))
            .then_some(size)
    }
}

impl std::fmt::Display for FrameSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width_px, self.height_px)
    }
}

/// One frame of RGB pixels and where it came from.
#[derive(Debug, Clone)]
pub struct Frame {
    pub image: RgbImage,
    /// What a person would call this frame: the image path as given, or a camera name.
    pub label: String,
    /// When the file was last modified, for replays timed by modification time.
    pub modified: Option<std::time::SystemTime>,
}

/// Why a frame could not be had. Each message names the thing and what to do.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("{path}: no such file or folder; check the path")]
    NotFound { path: PathBuf },
    #[error("{path}: cannot read it ({source}); check its permissions")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is empty; it is not an image")]
    Empty { path: PathBuf },
    #[error("{path}: not a readable PNG or JPEG image ({reason}); re-export or replace the file")]
    Decode { path: PathBuf, reason: String },
    #[error(
        "{path}: {width_px}×{height_px} pixels is larger than the {max_px}×{max_px} chintuck accepts; scale it down first"
    )]
    TooLarge {
        path: PathBuf,
        width_px: u32,
        height_px: u32,
        max_px: u32,
    },
    #[error("{path}: the folder holds no .png, .jpg or .jpeg images")]
    NoImagesInFolder { path: PathBuf },
}

impl CaptureError {
    /// The file or folder the error is about.
    pub fn path(&self) -> &Path {
        match self {
            CaptureError::NotFound { path }
            | CaptureError::Read { path, .. }
            | CaptureError::Empty { path }
            | CaptureError::Decode { path, .. }
            | CaptureError::TooLarge { path, .. }
            | CaptureError::NoImagesInFolder { path } => path,
        }
    }
}

/// A source of frames, read in order until it runs dry.
///
/// A failed frame is an `Err` item, not the end of the source: a replay can
/// report one broken image and go on with the next.
pub trait FrameSource {
    fn next_frame(&mut self) -> Option<Result<Frame, CaptureError>>;
}

#[cfg(test)]
mod tests {
    use super::FrameSize;

    #[test]
    fn a_frame_size_reads_as_width_by_height_within_what_webcams_offer() {
        let hd = FrameSize {
            width_px: 1280,
            height_px: 720,
        };
        for text in ["1280x720", "1280X720", " 1280 × 720 ", "1280×720"] {
            assert_eq!(FrameSize::parse(text), Some(hd), "{text:?}");
        }
        assert_eq!(FrameSize::parse(&hd.to_string()), Some(hd));
        assert_eq!(FrameSize::default().to_string(), "640x480");
        for text in [
            "",
            "1280",
            "1280x",
            "x720",
            "1280x720x3",
            "-640x480",
            "hd",
            "100x80",
            "8000x4000",
        ] {
            assert_eq!(FrameSize::parse(text), None, "{text:?}");
        }
    }
}
