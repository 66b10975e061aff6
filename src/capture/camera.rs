//! The webcam, through nokhwa (V4L2 on Linux).
//!
//! nokhwa's `Camera` is not `Send` and `frame()` blocks with no timeout, so
//! the camera lives on its own thread. That thread hands over a raw buffer
//! only when the monitor has asked for one (the frames in between are
//! dropped without a copy), and the monitor decodes it itself
//! (`camera_frames`), with a watchdog on how long it waits. Dropping a
//! [`Camera`] stops the thread and releases the device, so the camera light
//! is off whenever chintuck is not looking.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};

use super::FrameSize;
use super::camera_frames::RawFormat;
use super::live::{CameraDriver, CameraError, CameraStream, RawFrame};

/// A camera as `chintuck cameras` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraDevice {
    pub index: u32,
    pub name: String,
    pub description: String,
}

/// What VIDIOC_QUERYCAP says of a node, where it could be asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeCaps {
    /// The node captures video (single-planar, what nokhwa streams).
    pub video_capture: bool,
    /// The card name and bus: the same physical device.
    pub card: String,
    pub bus: String,
}

fn node_caps(index: u32) -> Option<NodeCaps> {
    let caps = v4l::Device::new(index as usize).ok()?.query_caps().ok()?;
    Some(NodeCaps {
        video_capture: caps
            .capabilities
            .contains(v4l::capability::Flags::VIDEO_CAPTURE),
        card: caps.card,
        bus: caps.bus,
    })
}

/// Capture-capable cameras, each device once: UVC webcams also expose a
/// metadata node, and some drivers several nodes for one camera.
pub fn list_cameras() -> Result<Vec<CameraDevice>, CameraError> {
    let found = nokhwa::query(ApiBackend::Auto).map_err(|err| CameraError::Open {
        name: "list".into(),
        reason: err.to_string(),
    })?;
    let nodes = found.into_iter().filter_map(|info| {
        let CameraIndex::Index(index) = info.index().clone() else {
            return None;
        };
        let device = CameraDevice {
            index,
            name: info.human_name(),
            description: info.description().to_owned(),
        };
        Some((device, node_caps(index)))
    });
    Ok(capture_devices_once(nodes))
}

/// Keeps capture nodes (and nodes that could not be asked, e.g. held by a
/// driver in a bad state: better listed than hidden), the first node of
/// each physical device.
pub fn capture_devices_once(
    nodes: impl IntoIterator<Item = (CameraDevice, Option<NodeCaps>)>,
) -> Vec<CameraDevice> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut devices = Vec::new();
    for (device, caps) in nodes {
        match caps {
            Some(caps) if !caps.video_capture => continue,
            Some(caps) => {
                let key = (caps.card, caps.bus);
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
            }
            None => {}
        }
        devices.push(device);
    }
    devices
}

/// Picks a camera by index or (part of) its name; `None` = the first one.
pub fn choose_camera(
    devices: &[CameraDevice],
    wanted: Option<&str>,
) -> Result<CameraDevice, CameraError> {
    let Some(wanted) = wanted.filter(|w| !w.trim().is_empty()) else {
        return devices.first().cloned().ok_or(CameraError::NoCamera);
    };
    if devices.is_empty() {
        return Err(CameraError::NoCamera);
    }
    let by_index = wanted
        .parse::<u32>()
        .ok()
        .and_then(|i| devices.iter().find(|d| d.index == i));
    let lower = wanted.to_lowercase();
    by_index
        .or_else(|| {
            devices
                .iter()
                .find(|d| d.name.to_lowercase().contains(&lower))
        })
        .cloned()
        .ok_or_else(|| CameraError::NotFound {
            wanted: wanted.to_owned(),
        })
}

struct RawBuffer {
    frame: RawFrame,
    sequence: u64,
}

enum Slot {
    Waiting,
    Frame(RawBuffer),
    Failed(String),
}

/// What `chintuck cameras` shows of a device's formats.
pub fn describe_formats(device: &CameraDevice) -> Result<Vec<String>, CameraError> {
    let mut camera = nokhwa::Camera::new(
        CameraIndex::Index(device.index),
        RequestedFormat::new::<RgbFormat>(RequestedFormatType::None),
    )
    .map_err(|err| open_error(&device.name, err.to_string()))?;
    let mut formats = camera
        .compatible_camera_formats()
        .map_err(|err| open_error(&device.name, err.to_string()))?;
    // One line per format and size, with its frame-rate range.
    formats.sort_by_key(|f| {
        (
            f.format().to_string(),
            f.width() * f.height(),
            f.width(),
            f.frame_rate(),
        )
    });
    let mut lines: Vec<String> = Vec::new();
    let mut groups: Vec<(FrameFormat, u32, u32, u32, u32)> = Vec::new();
    for format in formats {
        match groups.last_mut() {
            Some((f, w, h, _, max))
                if *f == format.format() && *w == format.width() && *h == format.height() =>
            {
                *max = (*max).max(format.frame_rate());
            }
            _ => groups.push((
                format.format(),
                format.width(),
                format.height(),
                format.frame_rate(),
                format.frame_rate(),
            )),
        }
    }
    for (format, width, height, min_fps, max_fps) in groups {
        let readable = if raw_format(format).is_some() {
            ""
        } else {
            " (not readable)"
        };
        let rates = if min_fps == max_fps {
            format!("{min_fps}")
        } else {
            format!("{min_fps}-{max_fps}")
        };
        lines.push(format!("{format} {width}×{height} @ {rates} fps{readable}"));
    }
    Ok(lines)
}

/// The nokhwa driver for one device, asking it for one picture size.
pub struct NokhwaCamera {
    device: CameraDevice,
    size: FrameSize,
}

impl NokhwaCamera {
    pub fn new(device: CameraDevice, size: FrameSize) -> Self {
        Self { device, size }
    }
}

impl CameraDriver for NokhwaCamera {
    fn name(&self) -> String {
        self.device.name.clone()
    }

    fn open(&mut self) -> Result<Box<dyn CameraStream>, CameraError> {
        Ok(Box::new(Camera::open(&self.device, self.size)?))
    }
}

/// An open camera streaming on its own thread.
pub struct Camera {
    device: CameraDevice,
    shared: Arc<(Mutex<Slot>, Condvar)>,
    stop: Arc<AtomicBool>,
    /// Set by `grab`: the next frame is wanted.
    wanted: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    last_sequence: u64,
}

/// Formats asked for, nearest first: frames of `size` (640×480 unless
/// `[camera] resolution` says otherwise) at a low rate are all chintuck needs
/// (it samples at most a few times a second), and they cost the camera, the
/// USB bus and the driver the least.
fn requested_formats(size: FrameSize) -> [RequestedFormat<'static>; 3] {
    let closest = |format| {
        RequestedFormat::new::<RgbFormat>(RequestedFormatType::Closest(CameraFormat::new(
            Resolution::new(size.width_px, size.height_px),
            format,
            10,
        )))
    };
    [
        closest(FrameFormat::MJPEG),
        closest(FrameFormat::YUYV),
        RequestedFormat::new::<RgbFormat>(RequestedFormatType::None),
    ]
}

fn raw_format(format: FrameFormat) -> Option<RawFormat> {
    match format {
        FrameFormat::MJPEG => Some(RawFormat::Mjpeg),
        FrameFormat::YUYV => Some(RawFormat::Yuyv),
        FrameFormat::GRAY => Some(RawFormat::Grey),
        FrameFormat::RAWRGB => Some(RawFormat::Rgb),
        FrameFormat::NV12 | FrameFormat::RAWBGR => None,
    }
}

fn open_error(name: &str, reason: String) -> CameraError {
    let lower = reason.to_lowercase();
    if lower.contains("busy") {
        CameraError::Busy {
            name: name.to_owned(),
        }
    } else if lower.contains("no such file") || lower.contains("no such device") {
        CameraError::Lost {
            name: name.to_owned(),
            reason,
        }
    } else {
        CameraError::Open {
            name: name.to_owned(),
            reason,
        }
    }
}

impl Camera {
    /// Opens `device` and starts streaming at the size nearest `size`;
    /// returns once a format is negotiated (or with why it could not be).
    pub fn open(device: &CameraDevice, size: FrameSize) -> Result<Self, CameraError> {
        let shared = Arc::new((Mutex::new(Slot::Waiting), Condvar::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let wanted = Arc::new(AtomicBool::new(false));
        let (opened_sender, opened) = channel::<Result<(), CameraError>>();
        let thread = {
            let (thread_shared, thread_stop, thread_wanted, thread_device) = (
                Arc::clone(&shared),
                Arc::clone(&stop),
                Arc::clone(&wanted),
                device.clone(),
            );
            std::thread::Builder::new()
                .name("camera".into())
                .spawn(move || {
                    stream(
                        &thread_device,
                        &thread_shared,
                        &thread_stop,
                        &thread_wanted,
                        size,
                        opened_sender,
                    )
                })
                .map_err(|err| CameraError::Open {
                    name: device.name.clone(),
                    reason: err.to_string(),
                })?
        };
        match opened.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(())) => Ok(Self {
                device: device.clone(),
                shared,
                stop,
                wanted,
                thread: Some(thread),
                last_sequence: 0,
            }),
            Ok(Err(err)) => Err(err),
            Err(_) => {
                stop.store(true, Ordering::Relaxed);
                Err(CameraError::Stalled {
                    name: device.name.clone(),
                    secs: 10,
                })
            }
        }
    }
}

impl CameraStream for Camera {
    fn grab(&mut self, timeout: Duration) -> Result<RawFrame, CameraError> {
        let name = self.device.name.clone();
        let (lock, ready) = &*self.shared;
        let deadline = Instant::now() + timeout;
        let mut slot = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.wanted.store(true, Ordering::Relaxed);
        loop {
            match &*slot {
                Slot::Failed(reason) => {
                    return Err(CameraError::Lost {
                        name,
                        reason: reason.clone(),
                    });
                }
                Slot::Frame(raw) if raw.sequence > self.last_sequence => {
                    self.last_sequence = raw.sequence;
                    if let Slot::Frame(raw) = std::mem::replace(&mut *slot, Slot::Waiting) {
                        return Ok(raw.frame);
                    }
                }
                _ => {}
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(CameraError::Stalled {
                    name,
                    secs: timeout.as_secs().max(1),
                });
            }
            slot = ready
                .wait_timeout(slot, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner().0);
        }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // The thread may sit in a blocking `frame()` on a dead device: do not
        // wait for it forever; it exits on its next frame or error.
        if let Some(thread) = self.thread.take() {
            let deadline = Instant::now() + Duration::from_secs(2);
            while !thread.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// The camera thread: open, negotiate, then keep the newest raw buffer.
fn stream(
    device: &CameraDevice,
    shared: &Arc<(Mutex<Slot>, Condvar)>,
    stop: &AtomicBool,
    wanted: &AtomicBool,
    size: FrameSize,
    opened: std::sync::mpsc::Sender<Result<(), CameraError>>,
) {
    let mut last_error = String::from("no format offered");
    let mut camera = None;
    for format in requested_formats(size) {
        match nokhwa::Camera::new(CameraIndex::Index(device.index), format) {
            Ok(candidate) => {
                let readable = raw_format(candidate.camera_format().format()).is_some();
                if !readable {
                    last_error = format!("{} only", candidate.camera_format().format());
                    continue;
                }
                let mut candidate = candidate;
                match candidate.open_stream() {
                    Ok(()) => {
                        camera = Some(candidate);
                        break;
                    }
                    Err(err) => last_error = err.to_string(),
                }
            }
            Err(err) => last_error = err.to_string(),
        }
    }
    let Some(mut camera) = camera else {
        let error = if last_error.ends_with(" only") {
            CameraError::UnsupportedFormat {
                name: device.name.clone(),
                offered: last_error,
            }
        } else {
            open_error(&device.name, last_error)
        };
        let _ = opened.send(Err(error));
        return;
    };
    let format = camera.camera_format();
    let Some(raw) = raw_format(format.format()) else {
        return;
    };
    let _ = opened.send(Ok(()));
    let (lock, ready) = &**shared;
    let mut sequence = 0;
    while !stop.load(Ordering::Relaxed) {
        let next = camera.frame();
        // Keep the stream flowing, but copy a frame only when one is wanted.
        if next.is_ok() && !wanted.swap(false, Ordering::Relaxed) {
            continue;
        }
        let mut slot = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match next {
            Ok(buffer) => {
                sequence += 1;
                let resolution = buffer.resolution();
                *slot = Slot::Frame(RawBuffer {
                    frame: RawFrame {
                        format: raw,
                        width: resolution.width(),
                        height: resolution.height(),
                        bytes: buffer.buffer().to_vec(),
                    },
                    sequence,
                });
            }
            Err(err) => {
                *slot = Slot::Failed(err.to_string());
                ready.notify_all();
                break;
            }
        }
        ready.notify_all();
    }
    // Dropping `camera` here closes the device and turns its light off.
}

#[cfg(test)]
mod tests {
    use super::*;

    fn devices() -> Vec<CameraDevice> {
        vec![
            CameraDevice {
                index: 0,
                name: "Integrated Camera: Integrated C".into(),
                description: "uvcvideo".into(),
            },
            CameraDevice {
                index: 2,
                name: "USB Capture HDMI".into(),
                description: "uvcvideo".into(),
            },
        ]
    }

    #[test]
    fn cameras_are_chosen_by_index_or_name() {
        assert_eq!(choose_camera(&devices(), None).unwrap().index, 0);
        assert_eq!(choose_camera(&devices(), Some("2")).unwrap().index, 2);
        assert_eq!(choose_camera(&devices(), Some("hdmi")).unwrap().index, 2);
        assert_eq!(
            choose_camera(&devices(), Some("thermal")),
            Err(CameraError::NotFound {
                wanted: "thermal".into()
            })
        );
        assert_eq!(choose_camera(&[], None), Err(CameraError::NoCamera));
        assert_eq!(choose_camera(&[], Some("0")), Err(CameraError::NoCamera));
    }

    #[test]
    fn only_capture_nodes_are_listed_each_device_once() {
        let node = |index: u32, name: &str| CameraDevice {
            index,
            name: name.into(),
            description: format!("Video4Linux Device @ /dev/video{index}"),
        };
        let caps = |capture: bool, card: &str, bus: &str| {
            Some(NodeCaps {
                video_capture: capture,
                card: card.into(),
                bus: bus.into(),
            })
        };
        let listed = capture_devices_once([
            (
                node(0, "Integrated Camera"),
                caps(true, "Integrated Camera", "usb-0000:00:14.0-6"),
            ),
            (
                node(1, "Integrated Camera"),
                caps(false, "Integrated Camera", "usb-0000:00:14.0-6"),
            ),
            (
                node(2, "Integrated Camera IR"),
                caps(true, "Integrated Camera", "usb-0000:00:14.0-6"),
            ),
            (
                node(3, "USB Capture"),
                caps(true, "USB Capture", "usb-0000:00:14.0-2"),
            ),
            (node(4, "loopback"), None),
        ]);
        let indices: Vec<u32> = listed.iter().map(|d| d.index).collect();
        assert_eq!(indices, [0, 3, 4]);
    }

    #[test]
    fn open_errors_say_busy_or_gone() {
        assert!(matches!(
            open_error("cam", "Device or resource busy".into()),
            CameraError::Busy { .. }
        ));
        assert!(matches!(
            open_error("cam", "No such file or directory".into()),
            CameraError::Lost { .. }
        ));
        assert!(matches!(
            open_error("cam", "Failed to Fufill".into()),
            CameraError::Open { .. }
        ));
        assert!(
            CameraError::Busy { name: "cam".into() }
                .to_string()
                .contains("another program")
        );
    }

    #[test]
    fn listing_cameras_on_this_machine_never_fails_hard() {
        // Real query: on a machine without a camera it is simply empty.
        let cameras = list_cameras();
        assert!(cameras.is_ok(), "{cameras:?}");
    }
}
