//! The screen-lock check against a real D-Bus: a private session bus
//! (dbus-daemon) on which this test serves `org.freedesktop.ScreenSaver`, as
//! KDE, Xfce and others do. Skipped, with the reason printed, where
//! dbus-daemon is not installed (`.ci/run` installs it).

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chintuck::control::screen_lock::{ScreenLockWatch, query_screen_locked};

struct ScreenSaver {
    active: Arc<AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.ScreenSaver")]
impl ScreenSaver {
    #[zbus(name = "GetActive")]
    fn get_active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }
}

struct Bus(Child);

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ready() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out: {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_lock_screen_is_read_from_the_screensaver_on_the_session_bus() {
    if !common::installed("dbus-daemon") {
        common::skip("dbus-daemon is not installed (apt-get install dbus)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let address = format!("unix:path={}", dir.path().join("bus").display());
    let _bus = Bus(Command::new("dbus-daemon")
        .args(["--session", "--nofork", &format!("--address={address}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap());
    wait_until("the bus socket", || dir.path().join("bus").exists());
    // This test binary holds only this test, so the environment is its own.
    unsafe {
        std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
        std::env::set_var(
            "DBUS_SYSTEM_BUS_ADDRESS",
            "unix:path=/nonexistent-system-bus",
        );
    }

    // Nobody serves a screensaver yet: no answer, counted as unlocked.
    assert_eq!(query_screen_locked(), None);

    let active = Arc::new(AtomicBool::new(false));
    let _service = zbus::block_on(async {
        zbus::conn::Builder::session()
            .name("org.freedesktop.ScreenSaver")
            .serve_at(
                "/org/freedesktop/ScreenSaver",
                ScreenSaver {
                    active: Arc::clone(&active),
                },
            )
            .build()
            .await
            .unwrap()
    });
    assert_eq!(query_screen_locked(), Some(false));
    active.store(true, Ordering::Relaxed);
    assert_eq!(query_screen_locked(), Some(true));

    // The background watch the monitor reads follows the lock screen.
    let watch = ScreenLockWatch::start(Duration::from_millis(100));
    wait_until("watch sees the lock", || watch.is_locked());
    assert!(watch.has_source());
    active.store(false, Ordering::Relaxed);
    wait_until("watch sees the unlock", || !watch.is_locked());
}
