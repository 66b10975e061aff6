//! Finding and verifying the model files chintuck ships.
//!
//! Models are looked up, in order, in the folder the user named, next to the
//! binary (`models/`), in the installed layout (`../share/chintuck/models`
//! from the binary), and in the source tree the binary was built from. Every
//! file is checked against the SHA-256 chintuck was built with, so a damaged or
//! swapped model is a clear error instead of silently wrong landmarks.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::pose::PoseError;

/// The checksums of the shipped models, compiled in.
pub const SHA256SUMS: &str = include_str!("../../../models/SHA256SUMS");

pub const DETECTOR_FILE: &str = "pose_detection.onnx";

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

/// Folders searched for models, most specific first. With an explicit folder,
/// only that one: a user who names a folder means it.
pub fn search_dirs(explicit: Option<&Path>) -> Vec<PathBuf> {
    if let Some(dir) = explicit {
        return vec![dir.to_owned()];
    }
    let mut dirs = Vec::new();
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_owned))
    {
        dirs.push(exe_dir.join("models"));
        if let Some(prefix) = exe_dir.parent() {
            dirs.push(prefix.join("share/chintuck/models"));
        }
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("models"));
    dirs
}

/// Reads `file_name` from the first folder that has it and checks its SHA-256.
pub fn read_verified(dirs: &[PathBuf], file_name: &str) -> Result<(PathBuf, Vec<u8>), PoseError> {
    let Some(path) = dirs
        .iter()
        .map(|dir| dir.join(file_name))
        .find(|path| path.exists())
    else {
        return Err(PoseError::ModelNotFound {
            file: file_name.to_owned(),
            searched: dirs
                .iter()
                .map(|dir| dir.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let bytes = std::fs::read(&path).map_err(|source| PoseError::ModelRead {
        path: path.clone(),
        source,
    })?;
    let expected = expected_sha256(file_name).unwrap_or("(not listed in SHA256SUMS)");
    let actual = hex_sha256(&bytes);
    if actual != expected {
        return Err(PoseError::ModelChecksum {
            path,
            expected_sha256: expected.to_owned(),
            actual_sha256: actual,
        });
    }
    Ok((path, bytes))
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
