//! What the monitor's camera does when a real camera misbehaves, with a
//! scripted camera injecting each fault: busy, unplugged mid-stream, stalled
//! (suspend), blank frames (privacy shutter), garbage bytes, formats it cannot
//! read; and that the camera is closed whenever chintuck is not looking.
//! Frames go through the real decoding (image crate) and, in one test, the
//! real pose model.

mod common;

use std::time::Duration;

use chintuck::capture::camera_frames::RawFormat;
use chintuck::capture::live::{Backoff, CameraError, CameraPoll, LiveCamera, RawFrame};
use chintuck::capture::scripted::{ScriptStep, ScriptedCamera};
use chintuck::monitor::activity::{Activity, Control, WorkingHours};
use chintuck::pose::PoseEstimator;
use chintuck::pose::blazepose::LandmarkModel;
use image::{Rgb, RgbImage};

fn scene() -> RgbImage {
    RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 90]))
}

fn rgb_frame(image: &RgbImage) -> RawFrame {
    RawFrame {
        format: RawFormat::Rgb,
        width: image.width(),
        height: image.height(),
        bytes: image.as_raw().clone(),
    }
}

fn mjpeg_frame(image: &RgbImage) -> RawFrame {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(image)
        .unwrap();
    RawFrame {
        format: RawFormat::Mjpeg,
        width: image.width(),
        height: image.height(),
        bytes,
    }
}

/// The frame as a webcam would send it in YUYV.
fn yuyv_frame(image: &RgbImage) -> RawFrame {
    RawFrame {
        format: RawFormat::Yuyv,
        width: image.width(),
        height: image.height(),
        bytes: common::yuyv::yuyv_bytes(image),
    }
}

fn live(script: &ScriptedCamera) -> LiveCamera {
    LiveCamera::new(
        Box::new(script.clone()),
        Backoff::default(),
        Duration::from_millis(50),
    )
}

fn expect_frame(poll: CameraPoll) -> RgbImage {
    match poll {
        // Decoded in colour as the monitor does when its models read a frame.
        CameraPoll::Frame(picture) => picture.into_rgb().expect("decodes in colour"),
        other => panic!("expected a frame, got {other:?}"),
    }
}

fn expect_down(poll: CameraPoll) -> (CameraError, f64) {
    match poll {
        CameraPoll::Down {
            error,
            retry_at_secs,
        } => (error, retry_at_secs),
        other => panic!("expected the camera down, got {other:?}"),
    }
}

#[test]
fn a_busy_camera_is_retried_with_backoff_until_it_is_free() {
    let busy = || {
        ScriptStep::OpenFails(CameraError::Busy {
            name: "Webcam".into(),
        })
    };
    let script =
        ScriptedCamera::new("Webcam", [busy(), busy()]).with_idle_frame(rgb_frame(&scene()));
    let mut camera = live(&script);
    let (error, retry_at) = expect_down(camera.poll(0.0, true));
    assert_eq!(error.kind(), "busy");
    assert!(
        error.to_string().contains("another program is using it"),
        "{error}"
    );
    assert_eq!(retry_at, 1.0);
    // Before the retry time nothing is tried: the second failure is still queued.
    let (_, retry_at) = expect_down(camera.poll(0.5, true));
    assert_eq!(retry_at, 1.0);
    // Second failure: the wait doubles.
    let (error, retry_at) = expect_down(camera.poll(1.0, true));
    assert_eq!((error.kind(), retry_at), ("busy", 3.0));
    assert!(!script.is_streaming());
    // The other program let go.
    expect_frame(camera.poll(3.0, true));
    assert!(script.is_streaming());
    assert_eq!(script.opens(), 1);
}

#[test]
fn an_unplugged_camera_is_reopened_when_it_comes_back() {
    let frame = rgb_frame(&scene());
    let script = ScriptedCamera::new(
        "Webcam",
        [
            ScriptStep::Frame(frame.clone()),
            ScriptStep::Unplug,
            ScriptStep::OpenFails(CameraError::NoCamera),
            ScriptStep::Frame(frame.clone()),
        ],
    );
    let mut camera = live(&script);
    expect_frame(camera.poll(0.0, true));
    let (error, retry_at) = expect_down(camera.poll(0.5, true));
    assert_eq!(error.kind(), "lost");
    assert!(error.to_string().contains("reconnecting"), "{error}");
    assert_eq!(retry_at, 1.5);
    assert!(!script.is_streaming(), "a lost camera is released");
    // Still unplugged at the first retry.
    let (error, retry_at) = expect_down(camera.poll(1.5, true));
    assert_eq!((error.kind(), retry_at), ("no_camera", 3.5));
    // Plugged back in.
    expect_frame(camera.poll(3.5, true));
    assert_eq!(script.opens(), 2);
}

#[test]
fn a_stalled_stream_after_suspend_is_restarted() {
    let frame = rgb_frame(&scene());
    let script = ScriptedCamera::new(
        "Webcam",
        [
            ScriptStep::Frame(frame.clone()),
            ScriptStep::Stall,
            ScriptStep::Frame(frame),
        ],
    );
    let mut camera = live(&script);
    expect_frame(camera.poll(0.0, true));
    let (error, _) = expect_down(camera.poll(10.0, true));
    assert_eq!(error.kind(), "stalled");
    assert!(error.to_string().contains("suspended"), "{error}");
    expect_frame(camera.poll(11.0, true));
    assert_eq!(script.opens(), 2);
}

#[test]
fn blank_frames_are_reported_and_the_camera_stays_open() {
    let dark = RgbImage::from_pixel(64, 48, Rgb([3, 2, 4]));
    let flat = RgbImage::from_pixel(64, 48, Rgb([0, 135, 0]));
    let script = ScriptedCamera::new(
        "Webcam",
        [
            ScriptStep::Frame(rgb_frame(&dark)),
            ScriptStep::Frame(yuyv_frame(&flat)),
            ScriptStep::Frame(rgb_frame(&scene())),
        ],
    );
    let mut camera = live(&script);
    match camera.poll(0.0, true) {
        CameraPoll::Unusable(error) => {
            assert_eq!(error.kind(), "blank");
            assert!(error.to_string().contains("privacy shutter"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        camera.poll(0.5, true),
        CameraPoll::Unusable(CameraError::Blank { .. })
    ));
    assert!(script.is_streaming());
    // The shutter opens.
    expect_frame(camera.poll(1.0, true));
    assert_eq!(script.opens(), 1);
}

#[test]
fn garbage_bytes_skip_a_frame_and_a_garbage_stream_is_restarted() {
    let garbage = RawFrame {
        format: RawFormat::Mjpeg,
        width: 640,
        height: 480,
        bytes: b"\xff\xd8\xff\xe0 this is not a jpeg at all".to_vec(),
    };
    let short_yuyv = RawFrame {
        format: RawFormat::Yuyv,
        width: 640,
        height: 480,
        bytes: vec![16; 1000],
    };
    let good = mjpeg_frame(&scene());
    let script = ScriptedCamera::new(
        "Webcam",
        [
            ScriptStep::Frame(garbage.clone()),
            ScriptStep::Frame(short_yuyv),
            ScriptStep::Frame(good.clone()),
        ],
    );
    let mut camera = live(&script);
    for at in [0.0, 0.5] {
        match camera.poll(at, true) {
            CameraPoll::Unusable(error) => {
                assert_eq!(error.kind(), "bad_frame");
                assert!(error.to_string().contains("skipping it"), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }
    let image = expect_frame(camera.poll(1.0, true));
    assert_eq!(image.dimensions(), (64, 48));
    // Ten garbage frames in a row: the stream is closed and reopened.
    for _ in 0..10 {
        script.push(ScriptStep::Frame(garbage.clone()));
    }
    script.push(ScriptStep::Frame(good));
    for i in 0..9 {
        assert!(matches!(
            camera.poll(2.0 + f64::from(i), true),
            CameraPoll::Unusable(_)
        ));
    }
    let (error, retry_at) = expect_down(camera.poll(11.0, true));
    assert_eq!((error.kind(), retry_at), ("bad_frame", 12.0));
    assert!(!script.is_streaming());
    expect_frame(camera.poll(12.0, true));
    assert_eq!(script.opens(), 2);
}

#[test]
fn a_format_chintuck_cannot_read_is_a_clear_status() {
    let script = ScriptedCamera::new(
        "Thermal cam",
        [ScriptStep::OpenFails(CameraError::UnsupportedFormat {
            name: "Thermal cam".into(),
            offered: "NV12 only".into(),
        })],
    );
    let (error, _) = expect_down(live(&script).poll(0.0, true));
    assert_eq!(
        error.to_string(),
        "the camera Thermal cam offers no format chintuck can read (NV12 only)"
    );
}

/// Pause, snooze, working hours and the lock screen all close the camera;
/// watching again reopens it. Time is passed in.
#[test]
fn the_camera_is_closed_whenever_chintuck_is_not_looking() {
    let script = ScriptedCamera::new("Webcam", []).with_idle_frame(rgb_frame(&scene()));
    let mut camera = live(&script);
    let mut control = Control::default();
    let office = WorkingHours {
        start_minute: 9 * 60,
        end_minute: 18 * 60,
        days: [true, true, true, true, true, false, false],
    };
    let wednesday = 2;
    let mut step = |control: &mut Control, now: f64, minute: u16, locked: bool| {
        let activity = control.activity(now, Some(&office), wednesday, minute, locked);
        let poll = camera.poll(now, activity.is_watching());
        (activity, poll, script.is_streaming())
    };
    let (activity, poll, open) = step(&mut control, 0.0, 600, false);
    assert!(activity.is_watching() && matches!(poll, CameraPoll::Frame(_)) && open);

    control.pause(10.0, Some(60.0));
    let (activity, poll, open) = step(&mut control, 10.0, 600, false);
    assert!(matches!(activity, Activity::Paused { .. }));
    assert!(
        matches!(poll, CameraPoll::Closed) && !open,
        "paused: camera closed"
    );
    // The pause runs out by itself.
    let (activity, _, open) = step(&mut control, 71.0, 601, false);
    assert!(activity.is_watching() && open);

    control.snooze(100.0, 1800.0);
    let (activity, _, open) = step(&mut control, 100.0, 602, false);
    assert!(
        matches!(activity, Activity::Snoozed { .. }) && !open,
        "snoozed: camera closed"
    );
    control.resume();
    let (_, _, open) = step(&mut control, 200.0, 603, false);
    assert!(open);

    let (activity, _, open) = step(&mut control, 300.0, 18 * 60 + 5, false);
    assert_eq!(activity, Activity::OutsideWorkingHours);
    assert!(!open, "after hours: camera closed");

    let (activity, _, open) = step(&mut control, 400.0, 700, true);
    assert_eq!(activity, Activity::ScreenLocked);
    assert!(!open, "screen locked: camera closed");

    let (activity, _, open) = step(&mut control, 500.0, 701, false);
    assert!(activity.is_watching() && open);
    assert_eq!(script.opens(), 4);
}

/// A webcam frame sent as MJPEG and as YUYV decodes to a picture the real
/// pose model finds the person in, at the same place.
#[test]
fn camera_frames_in_both_webcam_formats_reach_the_pose_model() {
    let photo = common::load_fixture("astronaut_webcam_640x480.png");
    let script = ScriptedCamera::new(
        "Webcam",
        [
            ScriptStep::Frame(mjpeg_frame(&photo)),
            ScriptStep::Frame(yuyv_frame(&photo)),
        ],
    );
    let mut camera = live(&script);
    let mut estimator = common::estimator(LandmarkModel::Lite);
    let mut noses = Vec::new();
    for at in [0.0, 0.5] {
        let image = expect_frame(camera.poll(at, true));
        assert_eq!(image.dimensions(), (640, 480));
        estimator.reset_tracking();
        let pose = estimator.estimate(&image).unwrap().expect("a person");
        let nose = pose.landmark(chintuck::pose::landmark::NOSE);
        noses.push((nose.x, nose.y));
    }
    let mut reference = common::estimator(LandmarkModel::Lite);
    let pose = reference.estimate(&photo).unwrap().expect("a person");
    let nose = pose.landmark(chintuck::pose::landmark::NOSE);
    for found in noses {
        let off = common::distance(found, (nose.x, nose.y));
        assert!(off < 4.0, "nose {off:.1} px from the PNG's");
    }
}
