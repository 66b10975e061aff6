//! Per-frame cost of the pose pipeline on a 640×480 frame, one thread.
//!
//! `cargo bench` — figures go in the README with the machine they came from.

use std::path::Path;

use chintuck::pose::blazepose::{BlazePose, LandmarkModel, ModelSource};
use chintuck::pose::{PoseEstimator, RoiSource};
use divan::Bencher;

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

/// The sampling gate's thumbnail of a frame: paid on every sample, inferred or
/// reused, so it must stay far below a model call.
#[divan::bench(sample_count = 100)]
fn thumbnail(bencher: Bencher) {
    let frame = webcam_frame();
    bencher.bench_local(|| chintuck::monitor::sampling::Thumbnail::of(&frame));
}

/// The two ways a webcam hands chintuck a 640×480 frame.
#[derive(Debug, Clone, Copy)]
enum CameraFrame {
    /// Compressed (quality 85, as cameras' MJPEG roughly is).
    Mjpeg,
    /// Uncompressed YUV 4:2:2.
    Yuyv,
}

/// Turning one raw camera buffer into RGB: paid on every sample taken from a
/// camera, before the thumbnail decides whether a model runs.
#[divan::bench(args = [CameraFrame::Mjpeg, CameraFrame::Yuyv], sample_count = 100)]
fn camera_frame_decode(bencher: Bencher, kind: CameraFrame) {
    use chintuck::capture::camera_frames::{RawFormat, decode_raw};
    let frame = webcam_frame();
    let (width, height) = frame.dimensions();
    let (format, bytes) = match kind {
        CameraFrame::Mjpeg => {
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
                .encode_image(&frame)
                .expect("encodes");
            (RawFormat::Mjpeg, jpeg)
        }
        CameraFrame::Yuyv => {
            // BT.601 limited range, the inverse of the decoder's.
            let yuv = |p: &image::Rgb<u8>| {
                let [r, g, b] = p.0.map(f32::from);
                (
                    (16.0 + 0.257 * r + 0.504 * g + 0.098 * b) as u8,
                    (128.0 - 0.148 * r - 0.291 * g + 0.439 * b) as u8,
                    (128.0 + 0.439 * r - 0.368 * g - 0.071 * b) as u8,
                )
            };
            let pixels: Vec<_> = frame.pixels().collect();
            let bytes = pixels
                .chunks_exact(2)
                .flat_map(|pair| {
                    let (y0, u, v) = yuv(pair[0]);
                    let (y1, _, _) = yuv(pair[1]);
                    [y0, u, y1, v]
                })
                .collect();
            (RawFormat::Yuyv, bytes)
        }
    };
    bencher.bench_local(|| decode_raw(format, width, height, &bytes).expect("decodes"));
}
