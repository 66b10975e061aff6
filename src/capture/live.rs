//! A live camera as the monitor sees it: opened only while chintuck is
//! looking, its faults turned into statuses, and reconnection with backoff.
//!
//! The device itself sits behind [`CameraDriver`] (nokhwa in `camera.rs`, a
//! scripted one in `scripted.rs` for fault injection), so the supervision
//! here (open/close, backoff, the grey read, blank detection) is the same code in
//! production and in the tests. Time is passed in.

use std::time::Duration;

use super::Picture;
use super::camera_frames::{Blank, RawFormat, blank_kind};

/// One buffer as the device sent it, not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawFrame {
    pub format: RawFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// What can go wrong with a camera. Each message names the camera and what
/// happens next or what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    #[error(
        "no camera found; plug one in (chintuck keeps looking), or replay frames with --source PATH (an image or a folder of images)"
    )]
    NoCamera,
    #[error("no camera matches '{wanted}'; `chintuck cameras` lists them")]
    NotFound { wanted: String },
    #[error(
        "the camera {name} is busy: another program is using it; close that program and chintuck retries"
    )]
    Busy { name: String },
    #[error("the camera {name} offers no format chintuck can read ({offered})")]
    UnsupportedFormat { name: String, offered: String },
    #[error("cannot open the camera {name}: {reason}")]
    Open { name: String, reason: String },
    #[error(
        "the camera {name} sent no frame for {secs} s (unplugged, or the machine was suspended?); reconnecting"
    )]
    Stalled { name: String, secs: u64 },
    #[error("lost the camera {name} ({reason}); reconnecting")]
    Lost { name: String, reason: String },
    #[error("the camera {name} shows {what}; chintuck waits for a picture")]
    Blank { name: String, what: &'static str },
    #[error("the camera {name} sent a frame chintuck cannot read ({reason}); skipping it")]
    BadFrame { name: String, reason: String },
}

impl CameraError {
    /// A short stable name, for `status` and JSON events.
    pub fn kind(&self) -> &'static str {
        match self {
            CameraError::NoCamera => "no_camera",
            CameraError::NotFound { .. } => "not_found",
            CameraError::Busy { .. } => "busy",
            CameraError::UnsupportedFormat { .. } => "unsupported_format",
            CameraError::Open { .. } => "open_failed",
            CameraError::Stalled { .. } => "stalled",
            CameraError::Lost { .. } => "lost",
            CameraError::Blank { .. } => "blank",
            CameraError::BadFrame { .. } => "bad_frame",
        }
    }
}

/// Opens a camera device. Implemented by the nokhwa camera and the scripted
/// test camera.
pub trait CameraDriver {
    /// The device's name, for messages.
    fn name(&self) -> String;
    /// Starts streaming. The stream is closed (and the camera light off) when
    /// the returned value is dropped.
    fn open(&mut self) -> Result<Box<dyn CameraStream>, CameraError>;
}

/// An open, streaming camera.
pub trait CameraStream {
    /// The newest frame since the last call, waiting at most `timeout`.
    fn grab(&mut self, timeout: Duration) -> Result<RawFrame, CameraError>;
}

/// What one poll of the camera gave.
#[derive(Debug)]
pub enum CameraPoll {
    /// A usable picture, read so far only in grey.
    Frame(Picture),
    /// The camera is open but this frame is of no use (blank, corrupt).
    Unusable(CameraError),
    /// The camera is not available; chintuck tries again at `retry_at_secs`.
    Down {
        error: CameraError,
        retry_at_secs: f64,
    },
    /// Closed on purpose: chintuck is not looking.
    Closed,
}

/// Waits between reconnection attempts: 1, 2, 4 … up to `max_secs`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub first_secs: f64,
    pub max_secs: f64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first_secs: 1.0,
            max_secs: 30.0,
        }
    }
}

impl Backoff {
    /// The wait after the `failures`-th failure in a row (1-based).
    pub fn delay_secs(&self, failures: u32) -> f64 {
        let doublings = failures.saturating_sub(1).min(16);
        (self.first_secs * f64::from(1u32 << doublings)).min(self.max_secs)
    }
}

/// Frames in a row that may fail to decode before the stream is reopened.
const BAD_FRAMES_BEFORE_REOPEN: u32 = 10;

/// A camera that is opened when wanted, closed when not, and reopened with
/// backoff after a fault, without restarting the process.
pub struct LiveCamera {
    driver: Box<dyn CameraDriver>,
    stream: Option<Box<dyn CameraStream>>,
    backoff: Backoff,
    failures: u32,
    bad_frames_in_row: u32,
    retry_at_secs: f64,
    last_error: Option<CameraError>,
    grab_timeout: Duration,
}

impl LiveCamera {
    pub fn new(driver: Box<dyn CameraDriver>, backoff: Backoff, grab_timeout: Duration) -> Self {
        Self {
            driver,
            stream: None,
            backoff,
            failures: 0,
            bad_frames_in_row: 0,
            retry_at_secs: f64::NEG_INFINITY,
            last_error: None,
            grab_timeout,
        }
    }

    /// Releases the device (the camera light goes off).
    pub fn close(&mut self) {
        self.stream = None;
    }

    /// Takes a frame if chintuck is `watching`; otherwise makes sure the
    /// camera is closed. `now_secs` is any monotonic clock in seconds.
    pub fn poll(&mut self, now_secs: f64, watching: bool) -> CameraPoll {
        if !watching {
            self.close();
            // A pause is a fresh start: no backoff carried over.
            self.failures = 0;
            self.retry_at_secs = f64::NEG_INFINITY;
            return CameraPoll::Closed;
        }
        if self.stream.is_none() {
            if now_secs < self.retry_at_secs {
                return self.down(now_secs, None);
            }
            match self.driver.open() {
                Ok(stream) => {
                    self.stream = Some(stream);
                    self.bad_frames_in_row = 0;
                }
                Err(error) => return self.down(now_secs, Some(error)),
            }
        }
        let Some(stream) = self.stream.as_mut() else {
            return self.down(now_secs, None);
        };
        let name = self.driver.name();
        match stream.grab(self.grab_timeout) {
            Ok(raw) => self.check(Picture::new(raw), name, now_secs),
            Err(error) => {
                self.close();
                self.down(now_secs, Some(error))
            }
        }
    }

    /// Reads a grabbed frame as a small grey picture, all the blank check
    /// and the sampling gate need (the colour picture is decoded only if the
    /// gate passes the frame to the models), and says whether it is of use.
    fn check(&mut self, mut picture: Picture, name: String, now_secs: f64) -> CameraPoll {
        let blank = match picture.eighth().map(blank_kind) {
            Ok(blank) => blank,
            Err(err) => {
                self.bad_frames_in_row += 1;
                let error = CameraError::BadFrame {
                    name,
                    reason: err.to_string(),
                };
                if self.bad_frames_in_row >= BAD_FRAMES_BEFORE_REOPEN {
                    // A stream that only sends garbage: start it again.
                    self.close();
                    return self.down(now_secs, Some(error));
                }
                return CameraPoll::Unusable(error);
            }
        };
        self.bad_frames_in_row = 0;
        self.failures = 0;
        self.last_error = None;
        match blank {
            Some(Blank::Dark) => CameraPoll::Unusable(CameraError::Blank {
                name,
                what: "a dark picture (privacy shutter closed or lens covered?)",
            }),
            Some(Blank::Flat) => CameraPoll::Unusable(CameraError::Blank {
                name,
                what: "a blank single-colour picture",
            }),
            None => CameraPoll::Frame(picture),
        }
    }

    /// Records a failure (if new) and says when the next attempt is.
    fn down(&mut self, now_secs: f64, error: Option<CameraError>) -> CameraPoll {
        if let Some(error) = error {
            self.failures += 1;
            self.retry_at_secs = now_secs + self.backoff.delay_secs(self.failures);
            self.last_error = Some(error);
        }
        CameraPoll::Down {
            error: self.last_error.clone().unwrap_or(CameraError::NoCamera),
            retry_at_secs: self.retry_at_secs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let backoff = Backoff::default();
        let delays: Vec<f64> = (1..=7).map(|n| backoff.delay_secs(n)).collect();
        assert_eq!(delays, [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]);
        assert_eq!(backoff.delay_secs(u32::MAX), 30.0);
    }

    #[test]
    fn error_kinds_are_distinct() {
        let name = || "cam".to_string();
        let kinds = [
            CameraError::NoCamera.kind(),
            CameraError::Busy { name: name() }.kind(),
            CameraError::Lost {
                name: name(),
                reason: String::new(),
            }
            .kind(),
            CameraError::Stalled {
                name: name(),
                secs: 1,
            }
            .kind(),
            CameraError::Blank {
                name: name(),
                what: "",
            }
            .kind(),
        ];
        let mut unique = kinds.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), kinds.len());
    }
}
