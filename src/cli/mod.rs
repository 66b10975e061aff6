//! The wiring of each command: which stages, in which order, printing what.

pub mod analyze;
pub mod cameras;
pub mod config_cmd;
pub mod control_cmd;
pub mod docs_cmd;
pub mod history_cmd;
pub mod pipeline;
pub mod run;
pub mod service;
pub mod stretch;
pub mod tune;

use std::path::PathBuf;

use anyhow::{Result, bail};

use chintuck::config::{Config, data_dir};

use self::pipeline::Timing;

/// The wall clock as unix seconds: stored times and "since" windows.
pub fn unix_now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// What every command that looks at frames needs: the config and where things are.
pub struct Context {
    pub config_path: PathBuf,
    pub config: Config,
    pub models_dir: Option<PathBuf>,
    pub data_dir: PathBuf,
}

/// How to replay frames and against which calibration.
pub struct Replay {
    pub timing: Timing,
    pub profile: String,
}

impl Context {
    /// Loads the config; a bad one stops the command with every problem listed.
    pub fn new(
        config_path: PathBuf,
        models: Option<PathBuf>,
        data_dir_override: Option<PathBuf>,
    ) -> Result<Self> {
        let config = Config::load(&config_path)?;
        let models_dir = models.or_else(|| config.models_dir.clone());
        Ok(Self {
            config_path,
            config,
            models_dir,
            data_dir: data_dir_override.unwrap_or_else(data_dir),
        })
    }

    pub fn replay(&self, fps: Option<f64>, mtime: bool, profile: Option<String>) -> Result<Replay> {
        let fps = fps.unwrap_or(self.config.fps);
        if !(fps > 0.0 && fps <= 1000.0) {
            bail!("--fps {fps} is out of range: expected more than 0 and at most 1000");
        }
        Ok(Replay {
            timing: if mtime {
                Timing::Modified
            } else {
                Timing::Fps(fps)
            },
            profile: profile.unwrap_or_else(|| self.config.profile.clone()),
        })
    }
}

/// Said when a command needs the live camera and there is none.
#[cfg(feature = "camera")]
pub const NO_CAMERA: &str = "no camera found (chintuck looks for video capture devices such as /dev/video0; \
`chintuck cameras` lists what it sees). To try chintuck without a camera, replay frames with --source PATH \
(an image or a folder of images, e.g. --source fixtures/sequences/forward_head)";
