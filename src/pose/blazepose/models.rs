//! Where the model files come from, and checking them.
//!
//! The shipped models are built into the binary, so `cargo install` or a copied binary works
//! from any folder with nothing beside it. A folder the user names (`--models`, or the config's
//! `models_dir`) replaces them, for trying other conversions. Either way every model is checked
//! against the SHA-256 chintuck was built with, so a damaged or swapped model is a clear error
//! instead of silently wrong landmarks.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::pose::PoseError;

/// The checksums of the shipped models, compiled in.
pub const SHA256SUMS: &str = include_str!("../../../models/SHA256SUMS");

pub const DETECTOR_FILE: &str = "pose_detection.onnx";

/// The shipped models, compiled in from `models/` (about 16.5 MB of the binary).
const EMBEDDED: &[(&str, &[u8])] = &[
    (
        DETECTOR_FILE,
        include_bytes!("../../../models/pose_detection.onnx"),
    ),
    (
        "pose_landmark_lite.onnx",
        include_bytes!("../../../models/pose_landmark_lite.onnx"),
    ),
    (
        "pose_landmark_full.onnx",
        include_bytes!("../../../models/pose_landmark_full.onnx"),
    ),
    (
        "face_landmark.onnx",
        include_bytes!("../../../models/face_landmark.onnx"),
    ),
];

/// Where models are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// The copies built into the binary.
    BuiltIn,
    /// A folder the user named: only that folder, since a user who names one means it.
    Folder(PathBuf),
}

/// One model file's bytes and where they came from (for messages).
pub struct ModelBytes {
    /// The file's path, or `built-in:NAME` for a compiled-in model.
    pub origin: PathBuf,
    pub bytes: Cow<'static, [u8]>,
}

impl ModelSource {
    /// `--models` or the config's `models_dir` when given, else the built-in models.
    pub fn new(folder: Option<&Path>) -> Self {
        folder.map_or(ModelSource::BuiltIn, |dir| {
            ModelSource::Folder(dir.to_owned())
        })
    }

    /// Reads `file_name` and checks its SHA-256 against the shipped `SHA256SUMS`.
    pub fn read(&self, file_name: &str) -> Result<ModelBytes, PoseError> {
        let (origin, bytes) = match self {
            ModelSource::BuiltIn => {
                let bytes = EMBEDDED
                    .iter()
                    .find(|(name, _)| *name == file_name)
                    .map(|(_, bytes)| *bytes)
                    .ok_or_else(|| PoseError::ModelNotFound {
                        file: file_name.to_owned(),
                        searched: "the models built into chintuck".to_owned(),
                    })?;
                (
                    PathBuf::from(format!("built-in:{file_name}")),
                    Cow::Borrowed(bytes),
                )
            }
            ModelSource::Folder(dir) => {
                let path = dir.join(file_name);
                if !path.exists() {
                    return Err(PoseError::ModelNotFound {
                        file: file_name.to_owned(),
                        searched: dir.display().to_string(),
                    });
                }
                let bytes = std::fs::read(&path).map_err(|source| PoseError::ModelRead {
                    path: path.clone(),
                    source,
                })?;
                (path, Cow::Owned(bytes))
            }
        };
        let expected = expected_sha256(file_name).unwrap_or("(not listed in SHA256SUMS)");
        let actual = hex_sha256(&bytes);
        if actual != expected {
            return Err(PoseError::ModelChecksum {
                path: origin,
                expected_sha256: expected.to_owned(),
                actual_sha256: actual,
            });
        }
        Ok(ModelBytes { origin, bytes })
    }
}

impl fmt::Display for ModelSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelSource::BuiltIn => f.write_str("built in"),
            ModelSource::Folder(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// Which landmark model to run: lite is faster, full a little more accurate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LandmarkModel {
    #[default]
    Lite,
    Full,
}

impl LandmarkModel {
    pub fn file_name(self) -> &'static str {
        match self {
            LandmarkModel::Lite => "pose_landmark_lite.onnx",
            LandmarkModel::Full => "pose_landmark_full.onnx",
        }
    }
}

impl fmt::Display for LandmarkModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LandmarkModel::Lite => "lite",
            LandmarkModel::Full => "full",
        })
    }
}

impl FromStr for LandmarkModel {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "lite" => Ok(LandmarkModel::Lite),
            "full" => Ok(LandmarkModel::Full),
            other => Err(format!(
                "unknown model '{other}': expected 'lite' or 'full'"
            )),
        }
    }
}

/// The expected SHA-256 (lowercase hex) of a shipped model file.
pub fn expected_sha256(file_name: &str) -> Option<&'static str> {
    SHA256SUMS.lines().find_map(|line| {
        let (sum, name) = line.split_once(char::is_whitespace)?;
        (name.trim().trim_start_matches('*') == file_name).then_some(sum)
    })
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_has_a_checksum() {
        for file in [
            DETECTOR_FILE,
            LandmarkModel::Lite.file_name(),
            LandmarkModel::Full.file_name(),
        ] {
            let sum = expected_sha256(file).unwrap_or_else(|| panic!("{file} not listed"));
            assert_eq!(sum.len(), 64);
        }
        assert_eq!(expected_sha256("other.onnx"), None);
    }

    #[test]
    fn every_built_in_model_matches_its_checksum() {
        for (name, _) in EMBEDDED {
            let model = ModelSource::BuiltIn.read(name).unwrap();
            assert_eq!(model.origin, PathBuf::from(format!("built-in:{name}")));
        }
        let err = ModelSource::BuiltIn.read("other.onnx").err().unwrap();
        assert!(matches!(err, PoseError::ModelNotFound { .. }), "{err:?}");
    }

    #[test]
    fn model_names_parse_and_print() {
        assert_eq!("full".parse::<LandmarkModel>(), Ok(LandmarkModel::Full));
        assert_eq!(LandmarkModel::Lite.to_string(), "lite");
        assert!(
            "heavy"
                .parse::<LandmarkModel>()
                .unwrap_err()
                .contains("'lite' or 'full'")
        );
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            hex_sha256(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
