//! Helpers shared by the integration tests: fixture paths and a loaded estimator.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use chintuck::pose::blazepose::{BlazePose, LandmarkModel};

pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture_image(name: &str) -> PathBuf {
    repo_root().join("fixtures/images").join(name)
}

pub fn load_fixture(name: &str) -> image::RgbImage {
    chintuck::capture::load_image(&fixture_image(name)).expect("fixture image loads")
}

/// The real models from the source tree, as shipped.
pub fn estimator(model: LandmarkModel) -> BlazePose {
    BlazePose::load(&[repo_root().join("models")], model).expect("shipped models load")
}

/// The chintuck binary Cargo built for these tests.
pub fn chintuck_bin() -> &'static str {
    env!("CARGO_BIN_EXE_chintuck")
}

pub fn distance(a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - b.0).hypot(a.1 - b.1)
}
