//! The history on a real SQLite file: migrations, batched writes, a crash in
//! the middle of a batch, a place it cannot be written, retention; and the
//! report figures on a hand-built history with known answers.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use chintuck::monitor::{MonitorEvent, PostureState, Sample, Severity, Smoothed, Step};
use chintuck::report::period::{PeriodData, Zone, summarize};
use chintuck::store::history::{
    Batch, EpisodeRow, History, HistoryError, MIGRATIONS, SCHEMA_VERSION, StretchRow, TrackRow,
};
use chintuck::store::recorder::Recorder;

fn front(offset_cm: f32) -> Sample {
    Sample::Front {
        forward_offset_cm: offset_cm,
        head_drop_cm: 0.0,
        pitch_change_ratio: 0.0,
        pitch_change_deg: Some(1.5),
    }
}

fn step(state: PostureState) -> Step {
    Step {
        state,
        severity: None,
        smoothed: Smoothed::default(),
        events: Vec::new(),
    }
}

fn track_row(session_id: i64, at_unix: f64, state: PostureState) -> TrackRow {
    TrackRow {
        session_id,
        at_unix,
        at_secs: at_unix,
        sample: Some(match state {
            PostureState::Away => Sample::Uncertain {
                reason: chintuck::posture::UncertainReason::NoPerson,
            },
            _ => front(0.0),
        }),
        calibrated: true,
        state,
        severity: None,
        smoothed_offset_cm: Some(1.0),
        smoothed_cva_deg: None,
    }
}

#[test]
fn a_new_file_is_created_owner_only_at_the_current_schema() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data/chintuck/history.sqlite");
    let history = History::open(&path).unwrap();
    assert_eq!(history.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(history.integrity_check().unwrap(), "ok");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    // Opening again changes nothing.
    drop(history);
    assert_eq!(
        History::open(&path).unwrap().schema_version().unwrap(),
        SCHEMA_VERSION
    );
}

#[test]
fn a_file_from_the_previous_schema_is_migrated_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    {
        // What version 1 wrote.
        let old = rusqlite::Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        old.execute_batch(
            "INSERT INTO sessions (start_unix, end_unix, camera, profile, config_hash) VALUES (100, 200, 'cam', 'default', 'h');
             INSERT INTO track (session_id, at_unix, at_secs, kind, calibrated, state) VALUES (1, 150, 50, 'front', 1, 'good');
             INSERT INTO alerts (session_id, episode, repeat, kind, at_unix, held_secs, severity, offset_cm) VALUES (1, 1, 0, 'forward_head', 180, 30, 'mild', 3.1);",
        )
        .unwrap();
    }
    // A reader on an old file migrates it first.
    let history = History::open_read_only(&path).unwrap();
    assert_eq!(history.schema_version().unwrap(), SCHEMA_VERSION);
    let track = history.track(0.0, 1000.0).unwrap();
    assert_eq!(track.len(), 1);
    // A row from before the face's pitch was kept replays on the body's ratio.
    assert!(
        matches!(
            track[0].sample,
            Some(Sample::Front {
                pitch_change_deg: None,
                ..
            })
        ),
        "{:?}",
        track[0].sample
    );
    assert_eq!(history.count("daily").unwrap(), 0);
    // An alert from before chintuck said when the chin poked out did not say so.
    let alerts = history.alerts(0.0, 1000.0).unwrap();
    assert_eq!(alerts.len(), 1);
    assert!(!alerts[0].chin_poke);
    assert_eq!(history.integrity_check().unwrap(), "ok");
}

#[test]
fn a_file_from_a_newer_chintuck_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    drop(History::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 5)
        .unwrap();
    let err = History::open(&path).err().unwrap();
    assert!(matches!(err, HistoryError::TooNew { .. }), "{err}");
    assert!(err.to_string().contains("upgrade chintuck"), "{err}");
}

#[test]
fn samples_are_written_in_batches_not_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut recorder = Recorder::start(
        History::open(&path).unwrap(),
        1000.0,
        "cam",
        "default",
        "",
        5.0,
    )
    .unwrap();
    let reader = History::open_read_only(&path).unwrap();
    for i in 0..10 {
        let at_secs = f64::from(i) * 0.5;
        recorder.sample(at_secs, &front(1.0), true, &step(PostureState::Good));
        assert!(recorder.tick(at_secs).is_none());
    }
    // 4.5 s in: nothing written yet.
    assert_eq!(reader.count("track").unwrap(), 0);
    recorder.sample(5.0, &front(1.0), true, &step(PostureState::Good));
    assert!(recorder.tick(5.0).is_none());
    assert_eq!(reader.count("track").unwrap(), 11);
    assert_eq!(recorder.pending_rows(), 0);
    // What the state machine read comes back as it went in, the face's pitch included.
    let track = reader.track(0.0, 2000.0).unwrap();
    assert!(track.iter().all(|row| row.sample == Some(front(1.0))));
    let sessions = reader.sessions(0.0, 2000.0).unwrap();
    assert_eq!(
        sessions[0].end_unix, 1005.0,
        "the session end moves with each batch"
    );
}

#[test]
fn alerts_episodes_and_answers_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut recorder = Recorder::start(
        History::open(&path).unwrap(),
        1000.0,
        "cam",
        "default",
        "",
        5.0,
    )
    .unwrap();
    let alert = chintuck::monitor::Alert {
        at_secs: 40.0,
        kind: chintuck::monitor::AlertKind::ForwardHead,
        episode: 1,
        repeat: 0,
        held_secs: 30.0,
        severity: Severity::Marked,
        forward_offset_cm: Some(4.0),
        cva_deg: None,
        chin_poke: true,
    };
    for i in 0..60 {
        let at = 10.0 + f64::from(i);
        let mut s = step(PostureState::ForwardHead);
        s.smoothed.forward_offset_cm = Some(3.0 + (i % 3) as f32);
        if i == 30 {
            s.events.push(MonitorEvent::Alert(alert));
        }
        recorder.sample(at, &front(4.0), true, &s);
    }
    recorder.response("snoozed", 41.0);
    recorder.stretch_done(42.0);
    recorder.event(&MonitorEvent::EpisodeEnded {
        episode: 1,
        kind: chintuck::monitor::AlertKind::ForwardHead,
        started_at_secs: 10.0,
        ended_at_secs: 69.0,
        bad_secs: 59.0,
        worst: Severity::Marked,
    });
    assert!(recorder.flush(70.0).is_none());
    let history = History::open_read_only(&path).unwrap();
    let alerts = history.alerts(0.0, 2000.0).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].at_unix, 1040.0);
    assert_eq!(alerts[0].response.as_deref(), Some("snoozed"));
    // What the alert said about the chin is kept for the alert log.
    assert!(alerts[0].chin_poke);
    let episodes = history.episodes(0.0, 2000.0).unwrap();
    assert_eq!(episodes.len(), 1);
    assert_eq!(episodes[0].peak_offset_cm, Some(5.0));
    assert_eq!(episodes[0].mean_offset_cm, Some(4.0));
    assert_eq!(
        (episodes[0].start_unix, episodes[0].end_unix),
        (1010.0, 1069.0)
    );
    let stretches = history.stretches(0.0, 2000.0).unwrap();
    assert_eq!(stretches.len(), 1);
    assert_eq!(
        stretches[0].name, "trapezius",
        "episode 1 suggested the trapezius stretch"
    );
}

/// The child side of the crash test: writes batches of 500 rows for ever.
#[test]
fn crash_child_writes_until_killed() {
    let Ok(path) = std::env::var("CHINTUCK_CRASH_CHILD_DB") else {
        return; // only runs as the crash test's child
    };
    let mut history = History::open(Path::new(&path)).unwrap();
    let session = history.start_session(0.0, "cam", "default", "").unwrap();
    let mut at = 0.0;
    loop {
        let mut batch = Batch::default();
        for _ in 0..500 {
            at += 0.5;
            batch.track.push(track_row(session, at, PostureState::Good));
        }
        history.write_batch(&batch).unwrap();
        println!("batch");
    }
}

#[test]
fn a_process_killed_mid_batch_leaves_a_readable_file_with_whole_batches() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    for delay_ms in [0, 37, 211] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child_writes_until_killed", "--nocapture"])
            .env("CHINTUCK_CRASH_CHILD_DB", &path)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the first whole batch, then kill it at some point in
        // the stream of batches that follows.
        let mut lines =
            std::io::BufRead::lines(std::io::BufReader::new(child.stdout.take().unwrap()));
        assert!(
            lines.any(|line| line.is_ok_and(|l| l == "batch")),
            "the child wrote no batch"
        );
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL: no chance to finish the batch
        child.wait().unwrap();
        drop(lines);
        let history = History::open(&path).unwrap();
        assert_eq!(history.integrity_check().unwrap(), "ok");
        let rows = history.count("track").unwrap();
        assert!(rows > 0, "some batches were written before the kill");
        assert_eq!(rows % 500, 0, "a batch is all or nothing: {rows} rows");
    }
}

#[test]
fn a_place_that_cannot_be_written_is_a_clear_error() {
    // Nobody, not even root, can create files in /proc.
    let err = History::open(Path::new("/proc/self/chintuck/history.sqlite"))
        .err()
        .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("cannot open the history /proc/self/chintuck/history.sqlite"),
        "{message}"
    );
    assert!(message.contains("--data-dir"), "{message}");
    // A read-only folder, where permissions apply (not for root).
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if is_root {
        common::note(
            "history: the read-only folder half of the unwritable-place test did not run: root ignores permissions",
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let err = History::open(&dir.path().join("history.sqlite"))
        .err()
        .unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(err.to_string().contains("cannot open the history"), "{err}");
}

#[test]
fn retention_deletes_only_the_old_fine_track_and_keeps_daily_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut history = History::open(&path).unwrap();
    let day = 86_400.0;
    let session = history.start_session(0.0, "cam", "default", "").unwrap();
    let mut batch = Batch::default();
    // Day 0: 10 min good then 5 min forward head, a sample every 5 s.
    for i in 0..=180 {
        let state = if i < 120 {
            PostureState::Good
        } else {
            PostureState::ForwardHead
        };
        batch
            .track
            .push(track_row(session, 1000.0 + f64::from(i) * 5.0, state));
    }
    // Day 200: recent samples.
    for i in 0..10 {
        batch.track.push(track_row(
            session,
            200.0 * day + f64::from(i) * 5.0,
            PostureState::Good,
        ));
    }
    batch.episodes.push(EpisodeRow {
        session_id: session,
        episode: 1,
        kind: "forward_head".into(),
        start_unix: 1600.0,
        end_unix: 1900.0,
        bad_secs: 300.0,
        peak_offset_cm: Some(4.0),
        mean_offset_cm: Some(3.0),
        worst_cva_deg: None,
        severity: "mild".into(),
    });
    batch.stretches.push(StretchRow {
        at_unix: 1500.0,
        name: "levator".into(),
        holds_done: 6,
        holds_planned: 6,
    });
    history.write_batch(&batch).unwrap();
    let day_of = |unix: f64| chintuck::report::period::day_of(unix, Zone::Fixed(0));
    let deleted = history
        .apply_retention(200.0 * day - 180.0 * day, &day_of)
        .unwrap();
    assert_eq!(deleted, 181);
    assert_eq!(history.count("track").unwrap(), 10, "recent samples stay");
    assert_eq!(history.count("episodes").unwrap(), 1);
    assert_eq!(history.count("stretches").unwrap(), 1);
    assert_eq!(history.count("sessions").unwrap(), 1);
    let kept = history.daily("1970-01-01", "1970-01-02").unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1.good, 600.0);
    assert_eq!(kept[0].1.forward_head, 300.0);
    // Reports still see the old day through its summary.
    let report = summarize(
        "day 0",
        &PeriodData {
            track: &[],
            episodes: &history.episodes(0.0, day).unwrap(),
            alerts: &[],
            stretches: &history.stretches(0.0, day).unwrap(),
            kept_days: &kept,
        },
        0.0,
        day,
        Zone::Fixed(0),
        None,
    );
    assert_eq!(report.states.good, 600.0);
    assert_eq!(report.good_share, Some(600.0 / 900.0));
    assert_eq!(report.episodes, 1);
    assert_eq!(report.stretches_done, 1);
    // Nothing more to delete the second time.
    assert_eq!(history.apply_retention(20.0 * day, &day_of).unwrap(), 0);
}

/// 23:50 to 00:10 (UTC, offset 0): good, then forward head across
/// midnight, then away. Known answers per day.
#[test]
fn report_figures_split_an_episode_across_midnight_and_keep_away_apart() {
    let midnight = 20_000.0 * 86_400.0; // day 20 000 since 1970 begins on a Friday
    let start = midnight - 600.0;
    let mut track = Vec::new();
    for i in 0..=240 {
        let at = start + f64::from(i) * 5.0;
        let state = match at - start {
            t if t < 300.0 => PostureState::Good,
            t if t < 900.0 => PostureState::ForwardHead,
            _ => PostureState::Away,
        };
        track.push(track_row(1, at, state));
    }
    let episodes = [EpisodeRow {
        session_id: 1,
        episode: 1,
        kind: "forward_head".into(),
        start_unix: start + 300.0,
        end_unix: start + 900.0,
        bad_secs: 600.0,
        peak_offset_cm: Some(5.0),
        mean_offset_cm: Some(4.0),
        worst_cva_deg: None,
        severity: "marked".into(),
    }];
    let alerts = [chintuck::store::history::AlertRow {
        session_id: 1,
        episode: 1,
        repeat: 0,
        kind: "forward_head".into(),
        at_unix: start + 330.0,
        held_secs: 30.0,
        severity: "mild".into(),
        offset_cm: Some(3.0),
        cva_deg: None,
        chin_poke: false,
        response: None,
    }];
    let data = PeriodData {
        track: &track,
        episodes: &episodes,
        alerts: &alerts,
        stretches: &[],
        kept_days: &[],
    };
    let first = summarize(
        "day 1",
        &data,
        midnight - 86_400.0,
        midnight,
        Zone::Fixed(0),
        None,
    );
    assert_eq!(first.states.good, 300.0);
    assert_eq!(first.states.forward_head, 300.0);
    assert_eq!(first.states.away, 0.0);
    assert_eq!(first.good_share, Some(0.5));
    assert_eq!((first.episodes, first.alerts), (1, 1));
    assert_eq!(first.longest_episode_secs, Some(600.0));
    assert_eq!(first.worst_hour, Some((23, 300.0)));

    let second = summarize(
        "day 2",
        &data,
        midnight,
        midnight + 86_400.0,
        Zone::Fixed(0),
        Some(&data),
    );
    assert_eq!(second.states.forward_head, 300.0);
    assert_eq!(
        second.states.away, 300.0,
        "the last sample counts for nothing"
    );
    assert_eq!(second.monitored_secs, 600.0);
    assert_eq!(second.good_share, Some(0.0), "away time is not good time");
    assert_eq!(
        (second.episodes, second.alerts),
        (1, 0),
        "the episode spans midnight"
    );
    assert_eq!(second.worst_hour, Some((0, 300.0)));
    let trend = second.trend.unwrap();
    assert_eq!(trend.previous_good_share, Some(0.5));
    assert_eq!(trend.good_share_change_points, Some(-50.0));
    assert_eq!(trend.previous_alerts, 1);
    // Heatmap: Thursday 23:00 is half forward head, Friday 00:00 all of it.
    assert_eq!(first.heatmap[3][23], Some(0.5));
    assert_eq!(second.heatmap[4][0], Some(1.0));
    assert_eq!(second.heatmap[4][1], None);
}

#[test]
fn a_locked_history_is_reported_and_the_rows_wait_for_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut recorder = Recorder::start(
        History::open(&path).unwrap(),
        0.0,
        "cam",
        "default",
        "",
        5.0,
    )
    .unwrap();
    // Another process holds a write lock on the file.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    recorder.sample(1.0, &front(1.0), true, &step(PostureState::Good));
    let err = recorder.flush(5.0).expect("the write fails while locked");
    assert!(matches!(err, HistoryError::Locked { .. }), "{err}");
    assert!(
        err.to_string().contains("locked by another process"),
        "{err}"
    );
    // Said once, not at every retry.
    recorder.sample(6.0, &front(1.0), true, &step(PostureState::Good));
    assert!(recorder.flush(10.0).is_none());
    assert_eq!(recorder.pending_rows(), 2);
    other.execute_batch("COMMIT").unwrap();
    assert!(recorder.flush(15.0).is_none());
    assert_eq!(recorder.pending_rows(), 0);
    let history = History::open_read_only(&path).unwrap();
    assert_eq!(history.count("track").unwrap(), 2, "nothing was lost");
}
