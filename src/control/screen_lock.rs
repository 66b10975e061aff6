//! Whether the screen is locked, asked of the desktop over D-Bus, so the
//! camera is off (and its light tells the truth) while nobody can be at the
//! desk.
//!
//! Sources, any of which saying "locked" wins: systemd-logind's `LockedHint`
//! for this session on the system bus, and the freedesktop (KDE, Xfce, …) or
//! GNOME screensaver's `GetActive` on the session bus. Where none answers
//! (no desktop, a headless box), the screen counts as unlocked.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use zbus::Connection;

/// Screensaver services on the session bus: (bus name, object path, interface).
const SCREENSAVERS: [(&str, &str, &str); 2] = [
    (
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
    ),
    (
        "org.gnome.ScreenSaver",
        "/org/gnome/ScreenSaver",
        "org.gnome.ScreenSaver",
    ),
];

/// Asks every source once. `None` when no source answered.
pub fn query_screen_locked() -> Option<bool> {
    LockSources::default().query()
}

/// The bus connections the sources are asked over, kept between polls
/// (connecting is most of the cost of asking) and made again when a bus
/// goes away.
#[derive(Default)]
struct LockSources {
    system: Option<Connection>,
    session: Option<Connection>,
}

impl LockSources {
    fn query(&mut self) -> Option<bool> {
        zbus::block_on(async {
            let mut answered = None;
            if let Some(system) = connected(&mut self.system, Connection::system()).await {
                answered = logind_locked_hint(system)
                    .await
                    .map_err(|lost| {
                        if lost {
                            self.system = None;
                        }
                    })
                    .ok();
            }
            if answered != Some(true)
                && let Some(session) = connected(&mut self.session, Connection::session()).await
            {
                for (name, path, interface) in SCREENSAVERS {
                    match screensaver_active(session, name, path, interface).await {
                        Ok(active) => answered = Some(answered.unwrap_or(false) || active),
                        Err(true) => {
                            self.session = None;
                            break;
                        }
                        Err(false) => {}
                    }
                }
            }
            answered
        })
    }
}

/// The kept connection, or a new one if there is none yet.
async fn connected(
    slot: &mut Option<Connection>,
    connect: impl std::future::Future<Output = zbus::Result<Connection>>,
) -> Option<&Connection> {
    if slot.is_none() {
        *slot = connect.await.ok();
    }
    slot.as_ref()
}

/// Whether an error means the connection itself is gone (drop it and
/// connect again next time) rather than that one source did not answer.
/// The source queries below return `Err(lost_connection)`.
fn lost_connection(err: &zbus::Error) -> bool {
    matches!(err, zbus::Error::InputOutput(_))
}

async fn logind_locked_hint(system: &Connection) -> Result<bool, bool> {
    let reply = system
        .call_method(
            Some("org.freedesktop.login1"),
            "/org/freedesktop/login1/session/auto",
            Some("org.freedesktop.DBus.Properties"),
            "Get",
            &("org.freedesktop.login1.Session", "LockedHint"),
        )
        .await
        .map_err(|err| lost_connection(&err))?;
    let value: zbus::OwnedVariant = reply.body().deserialize().map_err(|_| false)?;
    bool::try_from(value).map_err(|_| false)
}

async fn screensaver_active(
    session: &Connection,
    name: &str,
    path: &str,
    interface: &str,
) -> Result<bool, bool> {
    let reply = session
        .call_method(Some(name), path, Some(interface), "GetActive", &())
        .await
        .map_err(|err| lost_connection(&err))?;
    reply.body().deserialize::<bool>().map_err(|_| false)
}

const UNKNOWN: u8 = 0;
const UNLOCKED: u8 = 1;
const LOCKED: u8 = 2;

/// Polls the lock state on a background thread; [`is_locked`](Self::is_locked)
/// is then a cheap read for the monitor loop.
pub struct ScreenLockWatch {
    state: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl ScreenLockWatch {
    pub fn start(every: Duration) -> Self {
        let state = Arc::new(AtomicU8::new(UNKNOWN));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (Arc::clone(&state), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("screen-lock".into())
                .spawn(move || {
                    let mut sources = LockSources::default();
                    while !stop.load(Ordering::Relaxed) {
                        let now = match sources.query() {
                            Some(true) => LOCKED,
                            Some(false) => UNLOCKED,
                            None => UNKNOWN,
                        };
                        state.store(now, Ordering::Relaxed);
                        let mut waited = Duration::ZERO;
                        while waited < every && !stop.load(Ordering::Relaxed) {
                            std::thread::sleep(Duration::from_millis(100));
                            waited += Duration::from_millis(100);
                        }
                    }
                })
                .ok()
        };
        Self {
            state,
            stop,
            thread,
        }
    }

    pub fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) == LOCKED
    }

    /// Whether any desktop source has answered yet.
    pub fn has_source(&self) -> bool {
        self.state.load(Ordering::Relaxed) != UNKNOWN
    }
}

impl Drop for ScreenLockWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
