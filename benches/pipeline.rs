//! Per-frame cost of the pose pipeline on a 640×480 frame, one thread.
//!
//! `cargo bench` — figures go in the README with the machine they came from.

use std::path::Path;

use chintuck::capture::Picture;
use chintuck::capture::camera_frames::{RawFormat, decode_raw};
use chintuck::capture::live::RawFrame;
use chintuck::pose::blazepose::{BlazePose, LandmarkModel, ModelSource};
use chintuck::pose::{PoseEstimator, RoiSource};
use divan::Bencher;

#[path = "../tests/common/yuyv.rs"]
mod yuyv;

fn main() {
    divan::main();
}

fn webcam_frame() -> image::RgbImage {
    chintuck::capture::load_image(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/images/astronaut_webcam_640x480.png"),
    )
    .expect("fixture loads")
}

const MODELS: [LandmarkModel; 2] = [LandmarkModel::Lite, LandmarkModel::Full];

/// Loading and optimising detector + landmark model (checksums included).
#[divan::bench(args = MODELS, sample_count = 10, sample_size = 1)]
fn model_load(model: LandmarkModel) -> BlazePose {
    BlazePose::load(&ModelSource::BuiltIn, model).expect("models load")
}

/// A steady-state frame: the region comes from the previous frame's landmarks,
/// the detector does not run. This is what a monitor pays per sample.
#[divan::bench(args = MODELS, sample_count = 30)]
fn tracking_frame(bencher: Bencher, model: LandmarkModel) {
    let frame = webcam_frame();
    let mut estimator = BlazePose::load(&ModelSource::BuiltIn, model).expect("models load");
    estimator.estimate(&frame).expect("runs").expect("person");
    bencher.bench_local(|| {
        let pose = estimator.estimate(&frame).expect("runs").expect("person");
        assert_eq!(pose.roi_source, RoiSource::Tracking);
        pose
    });
}

/// An acquiring frame: detector, then the landmark model in its region.
#[divan::bench(args = MODELS, sample_count = 30)]
fn detect_frame(bencher: Bencher, model: LandmarkModel) {
    let frame = webcam_frame();
    let mut estimator = BlazePose::load(&ModelSource::BuiltIn, model).expect("models load");
    bencher.bench_local(|| {
        estimator.reset_tracking();
        let pose = estimator.estimate(&frame).expect("runs").expect("person");
        assert_eq!(pose.roi_source, RoiSource::Detector);
        pose
    });
}

/// The person detector alone (letterbox, inference, decoding).
#[divan::bench(sample_count = 30)]
fn detector_only(bencher: Bencher) {
    let frame = webcam_frame();
    let mut estimator =
        BlazePose::load(&ModelSource::BuiltIn, LandmarkModel::Lite).expect("models load");
    bencher.bench_local(|| estimator.detect(&frame).expect("runs"));
}

/// The sampling gate's thumbnail of a frame's small grey picture: paid on
/// every sample, inferred or reused, so it must stay far below a model call.
#[divan::bench(sample_count = 100)]
fn thumbnail(bencher: Bencher) {
    let mut picture = Picture::from_rgb(webcam_frame());
    let eighth = picture.eighth().expect("reads").clone();
    bencher.bench_local(|| chintuck::monitor::sampling::Thumbnail::of(&eighth));
}

/// One raw 640×480 camera buffer as the monitor reads it: MJPEG at quality
/// 85 (roughly what cameras send), YUYV from the same photo (the colour
/// conversion's clamping makes its cost depend on the picture).
fn camera_buffer(format: RawFormat) -> RawFrame {
    let frame = webcam_frame();
    let (width, height) = frame.dimensions();
    let bytes = match format {
        RawFormat::Mjpeg => {
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
                .encode_image(&frame)
                .expect("encodes");
            jpeg
        }
        RawFormat::Yuyv => yuyv::yuyv_bytes(&frame),
        RawFormat::Grey | RawFormat::Rgb => unreachable!("not benchmarked"),
    };
    RawFrame {
        format,
        width,
        height,
        bytes,
    }
}

/// Turning a camera buffer into RGB: paid on the samples the gate passes to
/// the models.
#[divan::bench(args = [RawFormat::Mjpeg, RawFormat::Yuyv], sample_count = 100)]
fn camera_frame_decode(bencher: Bencher, format: RawFormat) {
    let raw = camera_buffer(format);
    bencher.bench_local(|| {
        decode_raw(raw.format, raw.width, raw.height, &raw.bytes).expect("decodes")
    });
}

/// Reading a camera buffer as the small grey picture (an eighth of the size
/// each way): paid on every sample (the blank check and the gate's thumbnail
/// read it). From MJPEG it is the DC coefficients alone.
#[divan::bench(args = [RawFormat::Mjpeg, RawFormat::Yuyv], sample_count = 100)]
fn camera_frame_grey(bencher: Bencher, format: RawFormat) {
    let raw = camera_buffer(format);
    bencher
        .with_inputs(|| Picture::new(raw.clone()))
        .bench_local_values(|mut picture| {
            picture.eighth().map(|eighth| eighth.len()).expect("reads")
        });
}

/// In a noisy room every sampled frame of a still scene is added to the average
/// the models read (`capture::still`), on top of its colour decode; here a
/// full stack, so the oldest frames fade as well.
#[divan::bench(sample_count = 100)]
fn still_average_push(bencher: Bencher) {
    let frame = webcam_frame();
    let mut stack = chintuck::capture::still::StillStack::default();
    for _ in 0..chintuck::capture::still::MAX_STILL_FRAMES {
        stack.push(&frame);
    }
    bencher.bench_local(|| stack.push(&frame));
}

/// The average itself, taken when the models run on a still, noisy scene.
#[divan::bench(sample_count = 100)]
fn still_average_mean(bencher: Bencher) {
    let frame = webcam_frame();
    let mut stack = chintuck::capture::still::StillStack::default();
    for _ in 0..4 {
        stack.push(&frame);
    }
    bencher.bench_local(|| stack.mean());
}

/// The noise reading, on each frame the models read: two frames of a still
/// scene compared.
#[divan::bench(sample_count = 100)]
fn noise_meter(bencher: Bencher) {
    let frame = webcam_frame();
    let mut meter = chintuck::capture::still::NoiseMeter::default();
    meter.read(&frame, false);
    bencher.bench_local(|| meter.read(&frame, true));
}
