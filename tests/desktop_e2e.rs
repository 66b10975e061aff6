//! End to end with a real notification server: dunst under Xvfb on a private
//! D-Bus session bus. chintuck replays a sequence, the server receives the
//! notification (checked from its side: summary, body, urgency, actions), a
//! button is pressed from the server side, and `chintuck status` shows the
//! monitor snoozed. Skipped, with the reason printed, where Xvfb, dbus-daemon
//! or dunst are not installed (`.ci/run` installs them).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{chintuck_bin, installed, sequence};
use serde_json::Value;

/// The desktop for one test; everything started is stopped on drop.
struct Desktop {
    children: Vec<Child>,
    home: tempfile::TempDir,
    display: String,
    bus: String,
    notifications: PathBuf,
}

impl Drop for Desktop {
    fn drop(&mut self) {
        for child in self.children.iter_mut().rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Desktop {
    fn start() -> Option<Desktop> {
        for program in [
            "Xvfb",
            "dbus-daemon",
            "dbus-send",
            "dunst",
            "dunstctl",
            "dbus-monitor",
        ] {
            if !installed(program) {
                common::skip(&format!(
                    "{program} is not installed (apt-get install xvfb dbus dunst)"
                ));
                return None;
            }
        }
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        let display = format!(":{}", 90 + std::process::id() % 400);
        let bus_path = home.path().join("bus");
        let bus = format!("unix:path={}", bus_path.display());
        let notifications = home.path().join("notifications.txt");
        let dump = home.path().join("dump.sh");
        std::fs::write(
            &dump,
            format!(
                "#!/bin/sh\nprintf '%s|%s|%s|%s\\n' \"$DUNST_APP_NAME\" \"$DUNST_SUMMARY\" \"$DUNST_URGENCY\" \"$DUNST_BODY\" | tr -d '\\n' >> '{}'\necho >> '{}'\n",
                notifications.display(),
                notifications.display()
            ),
        )
        .unwrap();
        // dunst's "context" menu pipes the actions here; pick "Snooze".
        let pick = home.path().join("pick.sh");
        std::fs::write(&pick, "#!/bin/sh\ngrep -m1 Snooze\n").unwrap();
        for script in [&dump, &pick] {
            std::fs::set_permissions(script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        let dunstrc = home.path().join("dunstrc");
        std::fs::write(
            &dunstrc,
            format!(
                "[global]\n    dmenu = {}\n    idle_threshold = 0\n[chintuck]\n    appname = chintuck\n    script = {}\n",
                pick.display(),
                dump.display()
            ),
        )
        .unwrap();

        let mut desktop = Desktop {
            children: Vec::new(),
            home,
            display: display.clone(),
            bus: bus.clone(),
            notifications,
        };
        desktop.children.push(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        desktop.children.push(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", &format!("--address={bus}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        wait_until("the session bus", || bus_path.exists());
        wait_until("the X server", || {
            Path::new(&format!("/tmp/.X11-unix/X{}", &display[1..])).exists()
        });
        desktop.children.push(
            desktop
                .command("dunst")
                .args(["-config", dunstrc.to_str().unwrap()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // Ask the bus whether dunst owns the name yet (asking dunst itself
        // would make the bus try to start another one).
        wait_until("dunst", || {
            desktop
                .command("dbus-send")
                .args([
                    "--print-reply=literal",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.Notifications",
                ])
                .output()
                .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("true"))
        });
        Some(desktop)
    }

    /// A command in this desktop session.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("DISPLAY", &self.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("XDG_RUNTIME_DIR", self.home.path().join("runtime"))
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env_remove("HOME");
        command
    }

    fn chintuck(&self) -> Command {
        self.command(chintuck_bin())
    }

    fn notifications(&self) -> Vec<String> {
        std::fs::read_to_string(&self.notifications)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

#[test]
fn alerts_reach_the_notification_server_and_its_buttons_work() {
    let Some(desktop) = Desktop::start() else {
        return;
    };
    let config = desktop.home.path().join("config/chintuck/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        "[alerts]\nhold_secs = 2\ncooldown_secs = 0\nsinks = [\"desktop\"]\n",
    )
    .unwrap();
    let calibrated = desktop
        .chintuck()
        .args([
            "calibrate",
            "--source",
            &sequence("forward_head"),
            "--secs",
            "8",
        ])
        .output()
        .unwrap();
    assert!(
        calibrated.status.success(),
        "{}",
        String::from_utf8_lossy(&calibrated.stderr)
    );

    // Looking down: no notification at all.
    let output = desktop
        .chintuck()
        .args([
            "run",
            "--source",
            &sequence("looking_down"),
            "--no-wait",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        desktop.notifications().is_empty(),
        "{:?}",
        desktop.notifications()
    );

    // Forward head at 8 fps: about 13 s of wall time, the head forward from
    // about 1.2 s to 5.8 s of replay time.
    let mut monitor = desktop
        .command("dbus-monitor")
        .args([
            "--address",
            &desktop.bus,
            "interface='org.freedesktop.Notifications',member='Notify'",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let raw_calls = BufReader::new(monitor.stdout.take().unwrap());
    let raw_reader =
        std::thread::spawn(move || raw_calls.lines().map_while(Result::ok).collect::<Vec<_>>());
    let run = desktop
        .chintuck()
        .args([
            "run",
            "--source",
            &sequence("forward_head"),
            "--fps",
            "8",
            "--json",
            "--record",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("the notification", || !desktop.notifications().is_empty());
    let shown = desktop.notifications()[0].clone();
    let fields: Vec<&str> = shown.splitn(4, '|').collect();
    assert_eq!(fields[0], "chintuck", "{shown}");
    assert!(fields[1].starts_with("Head"), "summary: {shown}");
    assert!(
        ["LOW", "NORMAL", "CRITICAL"].contains(&fields[2]),
        "urgency: {shown}"
    );
    assert!(
        fields[3].contains("cm forward of your shoulders for"),
        "body: {shown}"
    );
    assert!(
        fields[3].contains("Try: "),
        "stretch suggestion missing: {shown}"
    );

    // Press "Snooze" from the server's side.
    let pressed = desktop.command("dunstctl").arg("context").status().unwrap();
    assert!(pressed.success());
    let mut snoozed = None;
    wait_until("the monitor to snooze", || {
        let status = desktop
            .chintuck()
            .args(["status", "--json"])
            .output()
            .unwrap();
        let value: Value = serde_json::from_slice(&status.stdout).unwrap_or_default();
        let done = value["activity"]["activity"] == "snoozed";
        if done {
            snoozed = Some(value);
        }
        done
    });
    let snoozed = snoozed.unwrap();
    let until = snoozed["activity"]["until_unix_secs"].as_f64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (until - now - 1800.0).abs() < 60.0,
        "snoozed for 30 min: {snoozed}"
    );

    let output = run.wait_with_output().unwrap();
    assert!(output.status.success());
    let events: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let alert = events
        .iter()
        .find(|e| e["event"] == "alert")
        .expect("alert event");
    let expected_urgency = match alert["severity"].as_str().unwrap() {
        "mild" => "LOW",
        "marked" => "NORMAL",
        _ => "CRITICAL",
    };
    assert_eq!(fields[2], expected_urgency, "urgency follows severity");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "activity_changed" && e["activity"]["activity"] == "snoozed"),
        "the run never reported the snooze"
    );

    // The answer is in the alert log.
    let log = desktop
        .chintuck()
        .args(["alerts", "--json"])
        .output()
        .unwrap();
    let logged: Value = serde_json::from_slice(&log.stdout)
        .unwrap_or_else(|_| panic!("alerts: {}", String::from_utf8_lossy(&log.stderr)));
    assert_eq!(logged["response"], "snoozed", "{logged}");

    let _ = monitor.kill();
    let _ = monitor.wait();
    let raw = raw_reader.join().unwrap().join("\n");
    for expected in [
        "\"snooze\"",
        "\"Snooze 30 min\"",
        "\"pause\"",
        "\"Pause until tomorrow\"",
        "\"done\"",
        "\"Done\"",
    ] {
        assert!(
            raw.contains(expected),
            "Notify call lacks action {expected}:\n{raw}"
        );
    }
}
