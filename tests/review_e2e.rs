//! End to end: a recorded replay, then `alerts`, `report` (text, JSON, HTML in
//! a real headless Chromium), `export`, `tune` (reproducing the recorded
//! alerts exactly, then with changes, `--write` keeping comments) and
//! `stretch`, each on the real SQLite history.

mod common;

use std::process::{Command, Output, Stdio};

use common::{calibrate_on_forward_head, installed, run_in, sequence};
use serde_json::Value;

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Calibrated on the first 8 s of the forward-head sequence, then the whole
/// sequence replayed and recorded.
fn recorded_home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    stdout(&calibrate_on_forward_head(home.path(), &[]));
    stdout(&run_in(home.path(), &["config", "init"]));
    let text = stdout(&run_in(
        home.path(),
        &[
            "run",
            "--source",
            &sequence("forward_head"),
            "--no-wait",
            "--record",
        ],
    ));
    assert!(text.contains("ALERT"), "{text}");
    home
}

#[test]
fn the_alert_log_report_and_export_come_from_the_recorded_history() {
    let home = recorded_home();
    let history = home.path().join("data/chintuck/history.sqlite");
    assert!(history.is_file());

    let alerts: Vec<Value> = stdout(&run_in(home.path(), &["alerts", "--json"]))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let alert = &alerts[0];
    assert_eq!(alert["kind"], "forward_head");
    assert_eq!(alert["held_secs"], 30.0);
    assert!(
        alert["forward_offset_cm"].as_f64().unwrap() > 2.0,
        "{alert}"
    );
    assert!(alert["episode_secs"].as_f64().unwrap() >= 30.0, "{alert}");
    assert_eq!(
        alert["response"], "ignored",
        "no button pressed, episode over"
    );
    let table = stdout(&run_in(home.path(), &["alerts", "--since", "1d"]));
    assert!(
        table.contains("forward head") && table.contains("ignored"),
        "{table}"
    );

    let report: Value =
        serde_json::from_str(&stdout(&run_in(home.path(), &["report", "--json"]))).unwrap();
    assert_eq!(report["alerts"], 1);
    assert_eq!(report["episodes"], 1);
    let states = &report["states"];
    let forward = states["forward_head"].as_f64().unwrap();
    let good = states["good"].as_f64().unwrap();
    assert!((30.0..60.0).contains(&forward), "{report}");
    assert!(good > 5.0, "{report}");
    let monitored = report["monitored_secs"].as_f64().unwrap();
    assert!((50.0..=62.0).contains(&monitored), "{report}");
    let text = stdout(&run_in(home.path(), &["report"]));
    assert!(
        text.contains("good posture:") && text.contains("episodes: 1, alerts: 1"),
        "{text}"
    );

    // One chart as PNG: the heatmap, twice its SVG size, with the hour of
    // the episode in red.
    let png = home.path().join("heatmap.png");
    run_in(
        home.path(),
        &[
            "report",
            "--png",
            png.to_str().unwrap(),
            "--chart",
            "heatmap",
        ],
    );
    let heatmap = image::open(&png).unwrap().into_rgb8();
    assert_eq!(heatmap.width(), 2 * 770);
    let red = heatmap
        .pixels()
        .filter(|p| p[0] == 217 && p[1] == p[2] && p[1] < 200)
        .count();
    assert!(
        red > 1000,
        "the forward-head hour is drawn ({red} red pixels)"
    );
    let bad = run_in(home.path(), &["report", "--png", "x.png", "--chart", "pie"]);
    assert_eq!(bad.status.code(), Some(2), "clap rejects an unknown chart");

    let csv = stdout(&run_in(home.path(), &["export", "--csv"]));
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("time,at_unix,session,kind,forward_offset_cm")
    );
    assert!(lines.count() > 100, "a row per sample");
    let episodes = stdout(&run_in(
        home.path(),
        &["export", "--json", "--what", "episodes"],
    ));
    let episode: Value = serde_json::from_str(episodes.lines().next().unwrap()).unwrap();
    assert_eq!(episode["type"], "episode");
    assert!(
        episode["peak_offset_cm"].as_f64().unwrap() >= episode["mean_offset_cm"].as_f64().unwrap()
    );
}

#[test]
fn tune_reproduces_the_recorded_alerts_and_shows_what_changes_would_do() {
    let home = recorded_home();
    let same = stdout(&run_in(home.path(), &["tune", "--since", "1d"]));
    assert!(same.contains("the same alerts as recorded"), "{same}");
    let totals = same.lines().find(|l| l.starts_with("alerts")).unwrap();
    assert_eq!(
        totals.split_whitespace().collect::<Vec<_>>(),
        ["alerts", "1", "1", "1"],
        "{same}"
    );

    let longer = stdout(&run_in(
        home.path(),
        &["tune", "--set", "alerts.hold_secs=120"],
    ));
    assert!(longer.contains("would vanish"), "{longer}");
    let sweep = stdout(&run_in(
        home.path(),
        &["tune", "--sweep", "alerts.hold_secs=10..130:60"],
    ));
    let rows: Vec<Vec<String>> = sweep
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3, "{sweep}");
    assert_eq!(
        (rows[0][0].as_str(), rows[0][1].as_str()),
        ("10", "1"),
        "{sweep}"
    );
    assert_eq!(
        (rows[2][0].as_str(), rows[2][1].as_str()),
        ("130", "0"),
        "{sweep}"
    );

    let bad = run_in(home.path(), &["tune", "--set", "alerts.hodl_secs=60"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `hold_secs`"));

    // --write changes the value in the user's file and keeps its comments.
    let config = home.path().join("config/chintuck/config.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("# my own note\n");
    std::fs::write(&config, &text).unwrap();
    stdout(&run_in(
        home.path(),
        &["tune", "--set", "alerts.hold_secs=45", "--write"],
    ));
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("hold_secs = 45"), "{written}");
    assert!(written.contains("# my own note"));
    assert!(
        written.lines().filter(|l| l.starts_with('#')).count() > 20,
        "the documented comments stay"
    );
    stdout(&run_in(home.path(), &["config", "check"]));
}

#[test]
fn the_html_report_renders_in_a_real_headless_chromium() {
    let Some(chromium) = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| installed(c))
    else {
        common::skip("chromium is not installed (apt-get install chromium)");
        return;
    };
    let home = recorded_home();
    let page = home.path().join("report.html");
    let svg = home.path().join("timeline.svg");
    run_in(
        home.path(),
        &[
            "report",
            "--html",
            page.to_str().unwrap(),
            "--svg",
            svg.to_str().unwrap(),
        ],
    );
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing fetched from anywhere.
    for fetch in ["src=\"http", "href=\"http", "url(http", "<script", "<link"] {
        assert!(!html.contains(fetch), "{fetch} in the page");
    }
    assert!(
        std::fs::read_to_string(&svg)
            .unwrap()
            .starts_with("<svg id=\"timeline\"")
    );

    let profile = tempfile::tempdir().unwrap();
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1400",
    ];
    let url = format!("file://{}", page.display());
    let dom = Command::new(chromium)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--dump-dom", &url])
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    for expected in [
        "<svg id=\"timeline\"",
        "<svg id=\"heatmap\"",
        "<svg id=\"trend\"",
        "<table id=\"figures\">",
        // The forward_head replay's one alert, listed.
        "<tr class=\"alert forward_head\">",
        "class=\"state forward_head\"",
        "class=\"offset\"",
    ] {
        assert!(
            dom.contains(expected),
            "{expected} not in the rendered page"
        );
    }
    let shot = home.path().join("shot.png");
    let status = Command::new(chromium)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let image = image::open(&shot).unwrap().into_rgb8();
    assert_eq!(image.dimensions(), (1280, 1400));
    // Not blank: the forward-head red and the good-posture green are drawn.
    let has = |r: u8, g: u8, b: u8| image.pixels().filter(|p| p.0 == [r, g, b]).count();
    assert!(has(0xd9, 0x53, 0x4f) > 50, "forward-head red drawn");
    assert!(has(0x3a, 0x9d, 0x5d) > 50, "good-posture green drawn");
    let dark = image
        .pixels()
        .filter(|p| p.0.iter().all(|c| *c < 80))
        .count();
    assert!(dark > 2000, "text drawn ({dark} dark pixels)");
}

#[test]
fn the_stretch_coach_counts_down_and_records_what_was_done() {
    let home = tempfile::tempdir().unwrap();
    let text = stdout(&run_in(
        home.path(),
        &["stretch", "trapezius", "--reps", "2", "--hold-secs", "0.2"],
    ));
    assert!(text.contains("Trapezius stretch: Turn 45°"), "{text}");
    assert_eq!(text.matches("Trapezius stretch — ").count(), 4, "{text}");
    assert_eq!(
        text.matches('\x07').count(),
        5,
        "a bell per hold and at the end"
    );
    assert!(text.contains("recorded: trapezius 4/4 holds"), "{text}");
    let report: Value =
        serde_json::from_str(&stdout(&run_in(home.path(), &["report", "--json"]))).unwrap();
    assert_eq!(report["stretches_done"], 1);
    let bad = run_in(home.path(), &["stretch", "hamstring"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("trapezius, levator, neck-front"));
}

#[test]
fn a_history_that_cannot_be_written_never_stops_the_alerts() {
    let home = tempfile::tempdir().unwrap();
    let output = run_in(
        home.path(),
        &[
            "--data-dir",
            "/proc/self/chintuck",
            "run",
            "--source",
            &sequence("forward_head"),
            "--no-wait",
            "--record",
        ],
    );
    let text = stdout(&output);
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("cannot open the history /proc/self/chintuck/history.sqlite"),
        "{errors}"
    );
    assert!(
        errors.contains("monitoring goes on without recording"),
        "{errors}"
    );
    assert!(text.contains("ALERT"), "{text}");
    let missing = run_in(home.path(), &["alerts"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no history yet"));
}

/// Local days follow the time zone's daylight-saving changes: the day the
/// clocks go forward in central Europe has 23 hours, and every one of them
/// is counted. (A POSIX TZ string, so no tzdata is needed.)
#[test]
fn a_report_day_follows_daylight_saving_time() {
    use chintuck::monitor::{PostureState, Sample};
    use chintuck::store::history::{Batch, History, TrackRow};
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("data/chintuck/history.sqlite");
    let mut history = History::open(&path).unwrap();
    let session = history.start_session(0.0, "cam", "default", "").unwrap();
    // 2026-03-28 22:00 UTC to 2026-03-29 23:00 UTC, a sample every 10 s
    // (the longest a sample stands for).
    let start = 1_774_735_200.0;
    let mut batch = Batch::default();
    for step in 0..=(25 * 360) {
        let at = start + f64::from(step) * 10.0;
        batch.track.push(TrackRow {
            session_id: session,
            at_unix: at,
            at_secs: at - start,
            sample: Some(Sample::Front {
                forward_offset_cm: 0.5,
                head_drop_cm: 0.0,
                pitch_change_ratio: 0.0,
                pitch_change_deg: None,
            }),
            calibrated: true,
            state: PostureState::Good,
            severity: None,
            smoothed_offset_cm: Some(0.5),
            smoothed_cva_deg: None,
        });
    }
    history.write_batch(&batch).unwrap();
    drop(history);
    let output = common::isolated_chintuck(home.path())
        .env("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
        .args(["report", "--day", "2026-03-29", "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        report["to_unix"].as_f64().unwrap() - report["from_unix"].as_f64().unwrap(),
        23.0 * 3600.0,
        "{report}"
    );
    assert_eq!(
        report["from_unix"], 1_774_738_800.0,
        "midnight CET is 23:00 UTC"
    );
    assert_eq!(report["monitored_secs"], 23.0 * 3600.0, "{report}");
}
