//! A camera that plays a script of frames and faults, for testing what the
//! monitor does when a real camera misbehaves (busy, unplugged, blank,
//! garbage) without needing one. It also records whether it is open, so a
//! test can check that the camera is closed whenever chintuck is not looking.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::live::{CameraDriver, CameraError, CameraStream, RawFrame};

/// One thing the scripted camera does next.
#[derive(Debug, Clone)]
pub enum ScriptStep {
    /// The next `open` fails this way (e.g. busy, no camera).
    OpenFails(CameraError),
    /// The next grab returns this buffer.
    Frame(RawFrame),
    /// The next grab times out (no frame), as after a suspend.
    Stall,
    /// The device disappears mid-stream (unplugged).
    Unplug,
}

#[derive(Debug, Default)]
struct ScriptState {
    steps: VecDeque<ScriptStep>,
    open_streams: usize,
    opens: usize,
    /// Frame served when the script is empty, so a long test can run on.
    idle_frame: Option<RawFrame>,
}

/// A camera driver that follows a script. Clones share the same script.
#[derive(Debug, Clone)]
pub struct ScriptedCamera {
    name: String,
    state: Arc<Mutex<ScriptState>>,
}

impl ScriptedCamera {
    pub fn new(name: &str, steps: impl IntoIterator<Item = ScriptStep>) -> Self {
        Self {
            name: name.to_owned(),
            state: Arc::new(Mutex::new(ScriptState {
                steps: steps.into_iter().collect(),
                ..ScriptState::default()
            })),
        }
    }

    /// A frame to repeat once the script has run out.
    pub fn with_idle_frame(self, frame: RawFrame) -> Self {
        self.lock().idle_frame = Some(frame);
        self
    }

    pub fn push(&self, step: ScriptStep) {
        self.lock().steps.push_back(step);
    }

    /// Whether a stream is open right now (the camera light would be on).
    pub fn is_streaming(&self) -> bool {
        self.lock().open_streams > 0
    }

    /// How many times the camera was opened successfully.
    pub fn opens(&self) -> usize {
        self.lock().opens
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ScriptState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl CameraDriver for ScriptedCamera {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn open(&mut self) -> Result<Box<dyn CameraStream>, CameraError> {
        let mut state = self.lock();
        if let Some(ScriptStep::OpenFails(_)) = state.steps.front()
            && let Some(ScriptStep::OpenFails(error)) = state.steps.pop_front()
        {
            return Err(error);
        }
        state.open_streams += 1;
        state.opens += 1;
        Ok(Box::new(ScriptedStream {
            camera: self.clone(),
        }))
    }
}

struct ScriptedStream {
    camera: ScriptedCamera,
}

impl CameraStream for ScriptedStream {
    fn grab(&mut self, timeout: Duration) -> Result<RawFrame, CameraError> {
        let mut state = self.camera.lock();
        let name = self.camera.name.clone();
        let stalled = || CameraError::Stalled {
            name: name.clone(),
            secs: timeout.as_secs().max(1),
        };
        match state.steps.pop_front() {
            Some(ScriptStep::Frame(frame)) => Ok(frame),
            Some(ScriptStep::Stall) => Err(stalled()),
            Some(ScriptStep::Unplug) => Err(CameraError::Lost {
                name: name.clone(),
                reason: "No such device".into(),
            }),
            Some(ScriptStep::OpenFails(error)) => {
                // An open failure scripted while streaming: the stream dies
                // and the failure answers the reopen.
                state.steps.push_front(ScriptStep::OpenFails(error));
                Err(CameraError::Lost {
                    name: name.clone(),
                    reason: "No such device".into(),
                })
            }
            None => state.idle_frame.clone().ok_or_else(stalled),
        }
    }
}

impl Drop for ScriptedStream {
    fn drop(&mut self) {
        let mut state = self.camera.lock();
        state.open_streams = state.open_streams.saturating_sub(1);
    }
}
