//! Live reload: notices when the config file is saved and re-reads it.
//!
//! Editors save in several steps (write, rename, chmod), so one save gives
//! several events: every poll drains them all and re-reads only when the
//! text really changed. An invalid edit is reported and the caller keeps its
//! last good config.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use super::{Config, ConfigError};

pub struct ConfigWatcher {
    _watcher: RecommendedWatcher,
    events: Receiver<()>,
    path: PathBuf,
    last_text: Option<String>,
}

impl ConfigWatcher {
    /// Watches `path` (its folder, so that replacing the file is seen too).
    pub fn new(path: &Path) -> notify::Result<Self> {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        std::fs::create_dir_all(&folder).map_err(notify::Error::io)?;
        let (sender, events) = channel();
        let file_name = path.file_name().map(|n| n.to_owned());
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event
                    && event
                        .paths
                        .iter()
                        .any(|p| p.file_name() == file_name.as_deref())
                {
                    let _ = sender.send(());
                }
            })?;
        watcher.watch(&folder, RecursiveMode::NonRecursive)?;
        Ok(Self {
            _watcher: watcher,
            events,
            path: path.to_owned(),
            last_text: std::fs::read_to_string(path).ok(),
        })
    }

    /// `Some` when the file changed since the last poll: the new config, or
    /// why it cannot be used. Never blocks.
    pub fn poll(&mut self) -> Option<Result<Config, ConfigError>> {
        let mut changed = false;
        while self.events.try_recv().is_ok() {
            changed = true;
        }
        if !changed {
            return None;
        }
        let text = std::fs::read_to_string(&self.path).ok();
        if text == self.last_text {
            return None;
        }
        self.last_text = text.clone();
        Some(match text {
            Some(text) => Config::parse(&text, &self.path),
            None => Ok(Config::default()),
        })
    }
}
