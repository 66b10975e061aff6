//! CPU cost of monitoring: `chintuck run` replays fixture sequences at real
//! frame pacing (2 fps, as a camera would deliver them) and reports its own
//! process CPU seconds over wall seconds and peak RSS. About 90 s of wall time.
//!
//! `cargo bench --bench monitor_cpu` — figures go in the README.

use std::path::Path;
use std::process::Command;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = std::env::temp_dir().join(format!("chintuck-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("runtime")).expect("bench home");
    let chintuck = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_chintuck"))
            .args(args)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .output()
            .expect("chintuck runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let sequence = |name: &str| {
        root.join("fixtures/sequences")
            .join(name)
            .display()
            .to_string()
    };
    chintuck(&[
        "calibrate",
        "--source",
        &sequence("forward_head"),
        "--secs",
        "8",
    ]);
    println!(
        "sequence         frames  inferred  body runs  reused  skipped   wall s   CPU s   % of one core   after start-up   peak RSS MiB"
    );
    for name in ["glance_down", "forward_head"] {
        // Recorded, as the camera always is: the history writes are part of the cost.
        let out = chintuck(&["run", "--source", &sequence(name), "--json", "--record"]);
        let summary: serde_json::Value = out
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .find(|event| event["event"] == "summary")
            .expect("a summary line");
        println!(
            "{name:<16} {:>6}  {:>8}  {:>9}  {:>6}  {:>7}  {:>7.1}  {:>6.2}  {:>14.2}  {:>15.2}  {:>13.0}",
            summary["frames"],
            summary["inferred"],
            summary["body_model_runs"],
            summary["reused"],
            summary["skipped"],
            summary["wall_secs"].as_f64().unwrap(),
            summary["cpu_secs"].as_f64().unwrap(),
            summary["cpu_percent_of_one_core"].as_f64().unwrap(),
            summary["steady_cpu_percent_of_one_core"].as_f64().unwrap(),
            summary["peak_rss_mib"].as_f64().unwrap(),
        );
    }
    let _ = std::fs::remove_dir_all(&home);
}
