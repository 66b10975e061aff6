//! Per-call cost of the face mesh stage on a 640×480 webcam frame, one thread.
//!
//! `cargo bench --bench facemesh` — figures go in the README with the machine
//! they came from.

use std::path::Path;

use chintuck::pose::blazepose::ModelSource;
use chintuck::pose::facemesh::{FaceMesh, FaceRoiSource, head};
use divan::Bencher;

fn main() {
    divan::main();
}

fn face_mesh() -> FaceMesh {
    FaceMesh::load(&ModelSource::BuiltIn).expect("model loads")
}

fn webcam_frame() -> image::RgbImage {
    chintuck::capture::load_image(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/images/astronaut_webcam_640x480.png"),
    )
    .expect("fixture loads")
}

/// A face region on the fixture, from the reference fixture's recorded region
/// (no body model needed for the benchmark).
fn face_region() -> chintuck::pose::Roi {
    chintuck::pose::Roi {
        center_x: 282.3,
        center_y: 153.9,
        side_px: 202.4,
        rotation_rad: 0.056,
    }
}

/// Loading and optimising the built-in face model (checksum included).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn model_load() -> FaceMesh {
    face_mesh()
}

/// One model call: crop, inference, decoding (no rigid fit, no tracking).
#[divan::bench(sample_count = 50)]
fn mesh_call(bencher: Bencher) {
    let frame = webcam_frame();
    let mut mesh = face_mesh();
    let roi = face_region();
    bencher.bench_local(|| mesh.mesh_in(&frame, &roi).expect("runs"));
}

/// A steady-state frame: the region comes from the previous frame's mesh, one
/// model call plus the rigid fit. This is what a monitor pays per sample.
#[divan::bench(sample_count = 50)]
fn tracking_frame(bencher: Bencher) {
    let frame = webcam_frame();
    let mut mesh = face_mesh();
    mesh.acquire_in(&frame, face_region())
        .expect("runs")
        .expect("face");
    bencher.bench_local(|| {
        let face = mesh.estimate(&frame, None).expect("runs").expect("face");
        assert_eq!(face.roi_source, FaceRoiSource::Tracking);
        face
    });
}

/// Acquiring a face from a seed region: three model calls.
#[divan::bench(sample_count = 20)]
fn acquire_from_seed(bencher: Bencher) {
    let frame = webcam_frame();
    let mut mesh = face_mesh();
    bencher.bench_local(|| {
        mesh.acquire_in(&frame, face_region())
            .expect("runs")
            .expect("face")
    });
}

/// The rigid fit alone (33 weighted points) and the 468-point scale.
#[divan::bench(sample_count = 100)]
fn rigid_fit(bencher: Bencher) {
    let frame = webcam_frame();
    let mut mesh = face_mesh();
    let face = mesh
        .acquire_in(&frame, face_region())
        .expect("runs")
        .expect("face");
    bencher.bench_local(|| {
        (
            head::head_pose(&face.points),
            head::scale_against(&face.points, &face.points),
        )
    });
}
