//! Frames from an image file or a folder of images, replayed in file-name order.

use std::collections::VecDeque;
use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

use image::{ImageFormat, ImageReader, Limits, RgbImage};

use super::camera_frames::RawFormat;
use super::live::RawFrame;
use super::{CaptureError, Frame, FrameSource, Picture};

/// File extensions read as frames (case-insensitive).
pub const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpg", "jpeg"];

/// Largest width or height accepted. A 16384² RGB frame is 768 MiB decoded; past
/// that a "frame" is a mistake, not a webcam picture.
pub const MAX_FRAME_SIDE_PX: u32 = 16_384;

/// An image file or every image in a folder, sorted by file name, so a folder
/// replays like a camera would have recorded it.
#[derive(Debug)]
pub struct ImageFiles {
    pending: VecDeque<PathBuf>,
}

impl ImageFiles {
    /// Opens `path`: one frame for a file, one per image in a folder.
    pub fn open(path: &Path) -> Result<Self, CaptureError> {
        let metadata = std::fs::metadata(path).map_err(|source| io_error(path, source))?;
        if !metadata.is_dir() {
            return Ok(Self {
                pending: VecDeque::from([path.to_owned()]),
            });
        }
        let entries = std::fs::read_dir(path).map_err(|source| CaptureError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut images = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|source| CaptureError::Read {
                path: path.to_owned(),
                source,
            })?;
            let entry_path = entry.path();
            if entry_path.is_file() && has_image_extension(&entry_path) {
                images.push(entry_path);
            }
        }
        if images.is_empty() {
            return Err(CaptureError::NoImagesInFolder {
                path: path.to_owned(),
            });
        }
        images.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        Ok(Self {
            pending: images.into(),
        })
    }

    /// How many frames are left.
    pub fn remaining(&self) -> usize {
        self.pending.len()
    }

    /// The next file, not yet read: a replay decides from its time whether
    /// the monitor samples it and decodes only those, as the camera path
    /// copies only the frames it samples (so a replay costs what a camera does).
    pub fn next_unread(&mut self) -> Option<UnreadFrame> {
        let path = self.pending.pop_front()?;
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        Some(UnreadFrame { path, modified })
    }
}

/// A frame's file before it is decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadFrame {
    pub path: PathBuf,
    /// The file's modification time (for replays timed by it).
    pub modified: Option<std::time::SystemTime>,
}

impl UnreadFrame {
    /// Reads the file, decoding only what cannot wait (see
    /// [`read_picture`]); a broken file is an error naming it.
    pub fn read_picture(&self) -> Result<Picture, CaptureError> {
        read_picture(&self.path)
    }

    /// Decodes the frame; a broken file is an error naming it.
    pub fn read(self) -> Result<Frame, CaptureError> {
        let image = load_image(&self.path)?;
        Ok(Frame {
            image,
            label: self.path.display().to_string(),
            modified: self.modified,
        })
    }
}

impl FrameSource for ImageFiles {
    fn next_frame(&mut self) -> Option<Result<Frame, CaptureError>> {
        Some(self.next_unread()?.read())
    }
}

/// What decoding a frame may take: a frame up to the largest accepted side,
/// not `image`'s default 512 MiB.
pub(crate) fn frame_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_FRAME_SIDE_PX);
    limits.max_image_height = Some(MAX_FRAME_SIDE_PX);
    limits.max_alloc = Some(2 * 1024 * 1024 * 1024);
    limits
}

/// Whether the file name ends in an extension chintuck reads as an image.
pub fn has_image_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            IMAGE_EXTENSIONS
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        })
}

/// "No such file" gets its own message; anything else names the I/O error.
fn io_error(path: &Path, source: std::io::Error) -> CaptureError {
    match source.kind() {
        std::io::ErrorKind::NotFound => CaptureError::NotFound {
            path: path.to_owned(),
        },
        _ => CaptureError::Read {
            path: path.to_owned(),
            source,
        },
    }
}

/// Reads and decodes one image to RGB, with a clear error for every way a file
/// can fail to be a picture (missing, empty, truncated, not an image, huge).
pub fn load_image(path: &Path) -> Result<RgbImage, CaptureError> {
    read_picture(path)?
        .into_rgb()
        .map_err(|err| decode_error(path, err.to_string()))
}

/// Reads one image file, checked to be a picture of an accepted size: a JPEG
/// is kept encoded (its grey and colour pictures are decoded when read), any
/// other format is decoded to RGB here.
pub fn read_picture(path: &Path) -> Result<Picture, CaptureError> {
    let bytes = std::fs::read(path).map_err(|source| io_error(path, source))?;
    if bytes.is_empty() {
        return Err(CaptureError::Empty {
            path: path.to_owned(),
        });
    }
    let decode_error = |reason: String| decode_error(path, reason);
    // Sniff the format from the bytes, not the name: a text file named .jpg must
    // say "not an image", not "corrupt JPEG".
    let mut reader = ImageReader::new(BufReader::new(Cursor::new(&bytes)))
        .with_guessed_format()
        .map_err(|err| decode_error(err.to_string()))?;
    let Some(format) = reader.format() else {
        return Err(decode_error("unrecognised file contents".into()));
    };
    let (width_px, height_px) = reader
        .into_dimensions()
        .map_err(|err| decode_error(err.to_string()))?;
    if width_px > MAX_FRAME_SIDE_PX || height_px > MAX_FRAME_SIDE_PX {
        return Err(CaptureError::TooLarge {
            path: path.to_owned(),
            width_px,
            height_px,
            max_px: MAX_FRAME_SIDE_PX,
        });
    }
    if format == ImageFormat::Jpeg {
        return Ok(Picture::new(RawFrame {
            format: RawFormat::Mjpeg,
            width: width_px,
            height: height_px,
            bytes,
        }));
    }
    reader = ImageReader::new(BufReader::new(Cursor::new(&bytes)))
        .with_guessed_format()
        .map_err(|err| decode_error(err.to_string()))?;
    reader.limits(frame_limits());
    let decoded = reader
        .decode()
        .map_err(|err| decode_error(err.to_string()))?;
    Ok(Picture::from_rgb(decoded.into_rgb8()))
}

/// The file is not a readable picture, for the reason given.
pub fn decode_error(path: &Path, reason: String) -> CaptureError {
    CaptureError::Decode {
        path: path.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_only_when_asked_so_a_skipped_frame_costs_no_decoding() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.jpg"), b"not a jpeg").unwrap();
        let mut files = ImageFiles::open(dir.path()).unwrap();
        // Taking the next frame without reading it neither decodes nor fails.
        let unread = files.next_unread().unwrap();
        assert_eq!(unread.path, dir.path().join("a.jpg"));
        assert!(unread.modified.is_some());
        assert_eq!(files.remaining(), 0);
        // Reading it does, and names the file.
        let err = unread.read().unwrap_err();
        assert!(err.to_string().contains("a.jpg"), "{err}");
    }

    #[test]
    fn a_picture_file_reads_small_in_grey_and_in_the_same_colour_as_a_full_decode() {
        let dir = tempfile::tempdir().unwrap();
        let scene = RgbImage::from_fn(40, 30, |x, y| {
            image::Rgb([(x * 6) as u8, (y * 8) as u8, 90])
        });
        let jpeg = dir.path().join("frame.jpg");
        let png = dir.path().join("frame.png");
        scene.save(&jpeg).unwrap();
        scene.save(&png).unwrap();
        for path in [&jpeg, &png] {
            let mut picture = read_picture(path).unwrap();
            assert_eq!(picture.eighth().unwrap().dimensions(), (5, 4), "{path:?}");
            // Colour as the `image` crate decodes the whole file.
            let full = image::open(path).unwrap().into_rgb8();
            assert_eq!(picture.into_rgb().unwrap(), full, "{path:?}");
        }
        // The PNG is lossless: its colour is the scene itself.
        assert_eq!(read_picture(&png).unwrap().into_rgb().unwrap(), scene);
        // A file that is no picture fails before either read, naming itself.
        let fake = dir.path().join("fake.jpg");
        std::fs::write(&fake, b"\xff\xd8\xff not a jpeg after all").unwrap();
        let err = read_picture(&fake).unwrap_err();
        assert!(err.to_string().contains("fake.jpg"), "{err}");
    }
}
