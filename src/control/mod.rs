//! Control: talking to the running monitor from outside.
//!
//! A Unix socket in `$XDG_RUNTIME_DIR/chintuck/` (a folder only the user can
//! enter; the socket itself is owner-only too) carries one JSON line each
//! way: `{"command":"status"}`, `{"command":"pause","secs":1800}`,
//! `{"command":"resume"}`, `{"command":"snooze","secs":1800}`. The socket
//! doubles as the single-instance lock: a second `run` finds it answering and
//! refuses to start. Chosen over D-Bus because it needs no session bus (a
//! service started before login, or a headless box, still works) and any
//! script can speak it (`socat - UNIX-CONNECT:...`).

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub mod screen_lock;

use crate::monitor::activity::Activity;

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Request {
    Status,
    Pause { secs: Option<f64> },
    Resume,
    Snooze { secs: f64 },
}

/// The monitor's answer to every request: its state after the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub pid: u32,
    pub activity: Activity,
    /// "watching", "snoozed until 10:30", ...
    pub activity_text: String,
    /// The last posture state seen.
    pub posture: String,
    pub episodes: u64,
    pub alerts: u64,
    pub source: String,
    /// What is wrong with the camera right now, if anything ("busy", …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub camera_problem: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    #[error("chintuck is already running (pid {pid}); use `chintuck status`, or stop it first")]
    AlreadyRunning { pid: u32 },
    #[error("chintuck is not running (no answer on {path}); start it with `chintuck run`")]
    NotRunning { path: PathBuf },
    #[error("cannot set up the control socket {path}: {source}")]
    Setup {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    BadAnswer(String),
}

/// `$XDG_RUNTIME_DIR/chintuck/control.sock`, or a per-user folder in /tmp.
pub fn socket_path() -> PathBuf {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(|| std::env::temp_dir().join(format!("chintuck-{}", current_uid())));
    base.join("chintuck").join("control.sock")
}

/// The user id, from /proc (no libc call needed).
fn current_uid() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("Uid:")
                    .map(|rest| rest.split_whitespace().next().unwrap_or("").to_owned())
            })
        })
        .unwrap_or_else(|| "user".into())
}

/// A request with the way back to whoever sent it.
pub struct Incoming {
    pub request: Request,
    reply: Sender<Status>,
}

impl Incoming {
    pub fn answer(self, status: Status) {
        let _ = self.reply.send(status);
    }
}

/// The listening end, owned by `run`. Removes its socket when dropped.
pub struct ControlServer {
    path: PathBuf,
    incoming: Receiver<Incoming>,
}

impl ControlServer {
    /// Binds the socket, refusing if another monitor answers on it.
    pub fn start(path: &Path) -> Result<Self, ControlError> {
        let setup = |source| ControlError::Setup {
            path: path.to_owned(),
            source,
        };
        if path.exists() {
            match send(path, &Request::Status) {
                Ok(status) => return Err(ControlError::AlreadyRunning { pid: status.pid }),
                // Left behind by a killed monitor: take it over.
                Err(_) => std::fs::remove_file(path).map_err(setup)?,
            }
        }
        let folder = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder).map_err(setup)?;
        std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700)).map_err(setup)?;
        let listener = UnixListener::bind(path).map_err(setup)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(setup)?;
        let (sender, incoming) = channel();
        std::thread::Builder::new()
            .name("control".into())
            .spawn(move || serve(listener, sender))
            .map_err(setup)?;
        Ok(Self {
            path: path.to_owned(),
            incoming,
        })
    }

    /// The next request, if one is waiting. Never blocks.
    pub fn poll(&self) -> Option<Incoming> {
        self.incoming.try_recv().ok()
    }

    /// Waits up to `timeout` for a request: lets an idle monitor sleep.
    pub fn wait(&self, timeout: Duration) -> Option<Incoming> {
        self.incoming.recv_timeout(timeout).ok()
    }
}

impl Drop for ControlServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn serve(listener: UnixListener, requests: Sender<Incoming>) {
    for stream in listener.incoming().flatten() {
        let requests = requests.clone();
        std::thread::spawn(move || answer_one(stream, requests));
    }
}

fn answer_one(stream: UnixStream, requests: Sender<Incoming>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut writer = &stream;
    let request: Request = match serde_json::from_str(line.trim()) {
        Ok(request) => request,
        Err(err) => {
            let _ = writeln!(
                writer,
                "{}",
                serde_json::json!({"error": format!("bad request: {err}")})
            );
            return;
        }
    };
    let (reply, answer) = channel();
    if requests.send(Incoming { request, reply }).is_err() {
        return;
    }
    match answer.recv_timeout(Duration::from_secs(10)) {
        Ok(status) => {
            let _ = writeln!(
                writer,
                "{}",
                serde_json::to_string(&status).expect("status serialises")
            );
        }
        Err(_) => {
            // The monitor is busy (a frame taking long): say so rather than
            // hang up; the request stays queued and applies when it is free.
            let _ = writeln!(
                writer,
                "{}",
                serde_json::json!({"error": "the running chintuck is busy and did not answer within 10 s; the request is queued and applies when it is free"})
            );
        }
    }
}

/// Sends one request to the running monitor and returns its status.
pub fn send(path: &Path, request: &Request) -> Result<Status, ControlError> {
    let not_running = || ControlError::NotRunning {
        path: path.to_owned(),
    };
    let stream = UnixStream::connect(path).map_err(|_| not_running())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .map_err(|_| not_running())?;
    let mut writer = &stream;
    writeln!(
        writer,
        "{}",
        serde_json::to_string(request).expect("requests serialise")
    )
    .map_err(|_| not_running())?;
    let mut line = String::new();
    BufReader::new(&stream)
        .read_line(&mut line)
        .map_err(|err| {
            ControlError::BadAnswer(format!("the running chintuck did not answer: {err}"))
        })?;
    if line.trim().is_empty() {
        return Err(ControlError::BadAnswer(
            "the running chintuck gave no answer; it may be stuck: check `journalctl --user -u chintuck`, or restart it".into(),
        ));
    }
    let unexpected = |err: serde_json::Error| {
        ControlError::BadAnswer(format!(
            "the running chintuck answered something unexpected ({err}): {line}"
        ))
    };
    let answer: serde_json::Value = serde_json::from_str(line.trim()).map_err(unexpected)?;
    if let Some(error) = answer.get("error").and_then(|e| e.as_str()) {
        return Err(ControlError::BadAnswer(error.to_owned()));
    }
    serde_json::from_value(answer).map_err(unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(activity: Activity) -> Status {
        Status {
            pid: std::process::id(),
            activity_text: activity.describe(),
            activity,
            posture: "good".into(),
            episodes: 0,
            alerts: 0,
            source: "test".into(),
            camera_problem: None,
        }
    }

    #[test]
    fn requests_reach_the_monitor_and_answers_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chintuck/control.sock");
        let server = ControlServer::start(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let client_path = path.clone();
        let client =
            std::thread::spawn(move || send(&client_path, &Request::Snooze { secs: 1800.0 }));
        let incoming = server
            .wait(Duration::from_secs(10))
            .expect("request arrives");
        assert_eq!(incoming.request, Request::Snooze { secs: 1800.0 });
        incoming.answer(status(Activity::Snoozed {
            until_unix_secs: 1e9,
        }));
        let answer = client.join().unwrap().unwrap();
        assert!(matches!(answer.activity, Activity::Snoozed { .. }));
    }

    #[test]
    fn a_second_monitor_is_refused_and_a_stale_socket_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chintuck/control.sock");
        let first = ControlServer::start(&path).unwrap();
        let answering = std::thread::spawn(move || {
            let incoming = first.wait(Duration::from_secs(10)).expect("status request");
            incoming.answer(status(Activity::Watching));
            first
        });
        let err = ControlServer::start(&path)
            .err()
            .expect("second start refused");
        assert!(
            matches!(err, ControlError::AlreadyRunning { pid } if pid == std::process::id()),
            "{err}"
        );
        drop(answering.join().unwrap());
        assert!(!path.exists(), "socket removed when the monitor stops");
        // A socket file nobody answers on (a killed monitor) is replaced.
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        drop(UnixListener::bind(&path).unwrap());
        assert!(path.exists());
        let _server = ControlServer::start(&path).unwrap();
    }

    #[test]
    fn nobody_running_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = send(&dir.path().join("control.sock"), &Request::Status).unwrap_err();
        assert!(
            err.to_string().contains("not running") && err.to_string().contains("chintuck run"),
            "{err}"
        );
    }
}
