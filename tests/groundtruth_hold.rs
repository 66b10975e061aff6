//! What the monitor tells a user on the rendered ground truth (fixtures/groundtruth), not what
//! one frame reads as. tests/groundtruth.rs checks single-frame states from `analyze`; a user
//! only ever sees alerts, and those come out of the monitor's smoothing, hold time, sampling
//! and thumbnail reuse. So here, as a user would: `chintuck calibrate` on each person's
//! neutral render for the front and laptop cameras, then each posture held still for 55 s
//! through the real monitor, `chintuck run --source DIR --no-wait --json` over 110 links to
//! the render at the default 2 fps, one process per posture so nothing carries from one
//! posture to the next. Per camera it prints how many forward heads alerted, how many
//! looking-downs, rounded shoulders and neutrals alerted (they must not), and holds the line
//! at what the monitor does today; the targets are noted beside each.
//!
//! The three-quarter and side cameras are left to tests/groundtruth.rs: every frame there is
//! `uncertain` (camera_to_the_side, side_view), so a held posture can only stay uncertain;
//! holding them here as well doubled this test's time for no new answer.

mod common;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chintuck::monitor::sampling::SamplingSettings;
use common::dim::dim_noisy;
use common::{
    HELD_OUT, calibrate_on_neutral, camera_sequence, groundtruth, groundtruth_setups,
    groundtruth_setups_in, note, render_of, run_in, still_camera,
};
use serde_json::Value;

/// 55 s at the default 2 fps: past the 30 s hold, with room for smoothing and drifting first.
const HOLD_FRAMES: usize = 110;
/// How many setups (person × camera) run at once; each runs its postures one after another.
const THREADS: usize = 2;
/// The cameras a user is told about here (see the module comment).
const CAMERAS: [&str; 2] = ["front", "laptop"];

/// One posture held through `chintuck run`: the truth and what the monitor did.
#[derive(Debug)]
struct Held {
    person: String,
    camera: String,
    posture: String,
    truth_forward_cm: f64,
    calibrated: bool,
    /// Kinds of the `alert` events, in order.
    alerts: Vec<String>,
    /// Whether each alert said the chin pokes out.
    chin_out: Vec<bool>,
    /// Replay seconds spent in each state (from the `state_changed` events).
    state_secs: BTreeMap<String, f64>,
    last_state: String,
    summary: Value,
    wall: Duration,
}

impl Held {
    fn forward_head(&self) -> bool {
        self.truth_forward_cm >= 3.0
            && (self.posture.starts_with("forward_head") || self.posture == "chin_poke")
    }

    fn alerted_forward(&self) -> bool {
        self.alerts.iter().any(|kind| kind == "forward_head")
    }

    /// The state the run spent the most time in.
    fn main_state(&self) -> &str {
        self.state_secs
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or("none", |(state, _)| state.as_str())
    }

    /// A confident "good": what a user would take as "my posture is fine".
    fn called_good(&self) -> bool {
        self.main_state() == "good"
    }

    fn stayed_uncertain(&self) -> bool {
        self.main_state() == "uncertain"
    }

    fn states(&self) -> String {
        self.state_secs
            .iter()
            .map(|(state, secs)| format!("{state} {secs:.1}s"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How the held renders reach the monitor.
#[derive(Debug, Clone, Copy)]
enum Light<'a> {
    /// As rendered: links to the render, every frame the same picture.
    AsRendered,
    /// A dim room: each frame the render at [`DIM_BRIGHTNESS`] of its light with Gaussian
    /// sensor noise of [`DIM_NOISE_LEVELS`] of its own (a webcam's gain turned up), saved as
    /// a JPEG as a webcam sends it, and `[sampling] noisy_picture_level` set to this. The
    /// noisy frames of each render are made once, in `pools`, for every hold that uses them.
    Dim {
        noisy_picture_level: f32,
        pools: &'a std::path::Path,
    },
}

/// The dim room's light, a fraction of the render's.
const DIM_BRIGHTNESS: f32 = 0.35;
/// The dim room's sensor noise, grey levels (standard deviation per channel, before the JPEG).
const DIM_NOISE_LEVELS: f32 = 6.0;

/// Distinct noisy frames of one render in the dim room, linked in turn for as many frames as
/// a hold needs: more than the monitor averages at once (8).
const DIM_POOL_FRAMES: usize = 16;

/// `frames` frames of `render` into `dir` as `light` shows them.
fn frames_of(dir: &std::path::Path, render: &std::path::Path, frames: usize, light: Light) {
    match light {
        Light::AsRendered => still_camera(dir, render, frames),
        Light::Dim { pools, .. } => {
            let name = render.strip_prefix(groundtruth()).unwrap_or(render);
            let pool = pools.join(name.to_string_lossy().replace('/', "_"));
            let pictures: Vec<_> = (0..DIM_POOL_FRAMES)
                .map(|seed| pool.join(format!("{seed:02}.jpg")))
                .collect();
            // Made by the first hold of this render (one thread holds a setup's renders).
            if !pool.exists() {
                std::fs::create_dir_all(&pool).unwrap();
                let clean = image::open(render).unwrap().to_rgb8();
                for (seed, path) in pictures.iter().enumerate() {
                    let dim = dim_noisy(&clean, DIM_BRIGHTNESS, DIM_NOISE_LEVELS, seed as u64);
                    let file = std::fs::File::create(path).unwrap();
                    image::codecs::jpeg::JpegEncoder::new_with_quality(file, 87)
                        .encode_image(&dim)
                        .unwrap();
                }
            }
            let cycled: Vec<_> = pictures
                .iter()
                .cycle()
                .take(frames)
                .map(|p| p.as_path())
                .collect();
            camera_sequence(dir, &cycled);
        }
    }
}

/// Calibrates a fresh home on the neutral render (20 frames, the calibration window) in
/// `light` and holds every posture for 55 s.
fn hold_setup_in(records: &[Value], light: Light) -> Vec<Held> {
    let home = tempfile::tempdir().unwrap();
    let calibrating = match light {
        Light::AsRendered => calibrate_on_neutral(home.path(), records),
        Light::Dim {
            noisy_picture_level,
            ..
        } => {
            let config = home.path().join("config/chintuck");
            std::fs::create_dir_all(&config).unwrap();
            std::fs::write(
                config.join("config.toml"),
                format!("[sampling]\nnoisy_picture_level = {noisy_picture_level}\n"),
            )
            .unwrap();
            let window = home.path().join("neutral");
            frames_of(&window, &render_of(records, "neutral"), 20, light);
            run_in(
                home.path(),
                &["calibrate", "--source", window.to_str().unwrap()],
            )
        }
    };
    assert!(
        calibrating.status.success(),
        "calibrating {}: {}",
        records[0]["file"],
        String::from_utf8_lossy(&calibrating.stderr)
    );
    records
        .iter()
        .map(|record| {
            let render = groundtruth().join(record["file"].as_str().unwrap());
            let posture = record["posture"].as_str().unwrap();
            let still = home.path().join("hold").join(posture);
            frames_of(&still, &render, HOLD_FRAMES, light);
            let started = Instant::now();
            let watched = watch(home.path(), &still);
            let wall = started.elapsed();
            assert_eq!(
                watched.summary["frames"].as_u64(),
                Some(HOLD_FRAMES as u64),
                "every linked frame of {} is read: {}",
                render.display(),
                watched.summary
            );
            Held {
                person: record["person"].as_str().unwrap().to_owned(),
                camera: record["camera"].as_str().unwrap().to_owned(),
                posture: posture.to_owned(),
                truth_forward_cm: record["forward_change_cm"].as_f64().unwrap(),
                calibrated: calibrating.status.success(),
                alerts: watched.alerts,
                chin_out: watched.chin_out,
                state_secs: watched.state_secs,
                last_state: watched.last_state,
                summary: watched.summary,
                wall,
            }
        })
        .collect()
}

/// What one `chintuck run --source FRAMES` in `home` told a user: its events, replayed at 2 fps
/// over [`HOLD_FRAMES`] frames.
struct Watched {
    /// Kinds of the `alert` events, in order.
    alerts: Vec<String>,
    /// Whether each alert said the chin pokes out.
    chin_out: Vec<bool>,
    /// Replay seconds spent in each state (from the `state_changed` events).
    state_secs: BTreeMap<String, f64>,
    last_state: String,
    summary: Value,
}

fn watch(home: &std::path::Path, frames: &std::path::Path) -> Watched {
    let ran = run_in(
        home,
        &[
            "run",
            "--source",
            frames.to_str().unwrap(),
            "--no-wait",
            "--json",
        ],
    );
    assert!(
        ran.status.success(),
        "watching {}: {}",
        frames.display(),
        String::from_utf8_lossy(&ran.stderr)
    );
    let mut watched = Watched {
        alerts: Vec::new(),
        chin_out: Vec::new(),
        state_secs: BTreeMap::new(),
        last_state: "uncertain".to_owned(),
        summary: Value::Null,
    };
    // The monitor starts uncertain; each state lasts until the next change.
    let mut since_secs = 0.0;
    for line in String::from_utf8_lossy(&ran.stdout).lines() {
        let event: Value = serde_json::from_str(line)
            .unwrap_or_else(|err| panic!("{err}: not a JSON event: {line}"));
        match event["event"].as_str().unwrap() {
            "state_changed" => {
                let at_secs = event["at_secs"].as_f64().unwrap();
                *watched
                    .state_secs
                    .entry(watched.last_state.clone())
                    .or_default() += at_secs - since_secs;
                since_secs = at_secs;
                watched.last_state = event["to"].as_str().unwrap().to_owned();
            }
            "alert" => {
                watched
                    .alerts
                    .push(event["kind"].as_str().unwrap().to_owned());
                watched.chin_out.push(event["chin_poke"] == true);
            }
            "summary" => watched.summary = event,
            _ => {}
        }
    }
    // The replay covers the frames' 55 s.
    let end_secs = HOLD_FRAMES as f64 / 2.0;
    *watched
        .state_secs
        .entry(watched.last_state.clone())
        .or_default() += end_secs - since_secs;
    watched.state_secs.retain(|_, secs| *secs > 0.0);
    watched
}

/// Holds every setup's postures ([`hold_setup`]) on [`THREADS`] threads, each taking the next
/// setup until none is left; one run per render, sorted by camera, person and posture.
fn hold_all<'a>(setups: impl Iterator<Item = &'a Vec<Value>>) -> Vec<Held> {
    hold_all_in(setups, Light::AsRendered)
}

/// [`hold_all`] in the given light.
fn hold_all_in<'a>(setups: impl Iterator<Item = &'a Vec<Value>>, light: Light) -> Vec<Held> {
    let setups: Vec<_> = setups.collect();
    let renders: usize = setups.iter().map(|records| records.len()).sum();
    let queue = Mutex::new(setups);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                loop {
                    let Some(records) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let held = hold_setup_in(records, light);
                    results.lock().unwrap().extend(held);
                }
            });
        }
    });
    let mut held = results.into_inner().unwrap();
    held.sort_by(|a, b| {
        (&a.camera, &a.person, &a.posture).cmp(&(&b.camera, &b.person, &b.posture))
    });
    assert_eq!(held.len(), renders, "one run per render");
    held
}

/// Per camera: what a person holding each posture at that camera would be told.
#[derive(Default, Debug)]
struct Figures {
    forward: usize,
    forward_alerted: usize,
    forward_ended_uncertain: usize,
    forward_stayed_uncertain: usize,
    forward_called_good: usize,
    /// Forward heads neither alerted nor mostly uncertain (named for the message).
    forward_unflagged: Vec<String>,
    /// Chin pokes whose alert said the chin is out.
    chin_poke: usize,
    chin_poke_said: usize,
    /// Forward heads with the gaze level whose alert said the chin is out (wrongly).
    level_forward_said_chin_out: usize,
    looking_down: usize,
    looking_down_alerted_forward: usize,
    neutral: usize,
    neutral_alerted: usize,
    rounded_shoulders: usize,
    rounded_shoulders_alerted: usize,
    calibrated_setups: usize,
    setups: usize,
}

fn figures<'a>(held: impl IntoIterator<Item = &'a Held>) -> BTreeMap<String, Figures> {
    let mut by_camera: BTreeMap<String, Figures> = BTreeMap::new();
    for run in held {
        let figures = by_camera.entry(run.camera.clone()).or_default();
        if run.forward_head() {
            figures.forward += 1;
            figures.forward_alerted += usize::from(run.alerted_forward());
            let said_chin_out = run.chin_out.iter().any(|out| *out);
            if run.posture == "chin_poke" {
                figures.chin_poke += 1;
                figures.chin_poke_said += usize::from(said_chin_out);
            } else {
                figures.level_forward_said_chin_out += usize::from(said_chin_out);
            }
            figures.forward_ended_uncertain += usize::from(run.last_state == "uncertain");
            figures.forward_stayed_uncertain += usize::from(run.stayed_uncertain());
            figures.forward_called_good += usize::from(run.called_good());
            if !run.alerted_forward() && !run.stayed_uncertain() {
                figures.forward_unflagged.push(format!(
                    "{}/{}: {}",
                    run.person,
                    run.posture,
                    run.states()
                ));
            }
        }
        if run.posture.starts_with("looking_down") {
            figures.looking_down += 1;
            figures.looking_down_alerted_forward += usize::from(run.alerted_forward());
        }
        if run.posture == "rounded_shoulders" {
            // The shoulders come forward, the head does not: no forward head.
            figures.rounded_shoulders += 1;
            figures.rounded_shoulders_alerted += usize::from(run.alerted_forward());
        }
        if run.posture == "neutral" {
            figures.neutral += 1;
            figures.neutral_alerted += usize::from(!run.alerts.is_empty());
            figures.setups += 1;
            figures.calibrated_setups += usize::from(run.calibrated);
        }
    }
    by_camera
}

/// Every setup calibrated; no alert for sitting well, for looking down, or for shoulders
/// rounded with the head where it was (the targets); and a forward head never called good for
/// most of the hold without an alert.
fn assert_no_false_alarm_nor_false_good(camera: &str, f: &Figures) {
    assert_eq!(f.calibrated_setups, f.setups, "{camera}: {f:?}");
    assert_eq!(f.neutral_alerted, 0, "{camera}: {f:?}");
    assert_eq!(f.looking_down_alerted_forward, 0, "{camera}: {f:?}");
    assert_eq!(f.rounded_shoulders_alerted, 0, "{camera}: {f:?}");
    assert_eq!(f.forward_called_good, 0, "{camera}: {f:?}");
}

/// Prints one table: a line per camera.
fn print_figures(group: &str, by_camera: &BTreeMap<String, Figures>) {
    note(&format!(
        "hold 55 s ({group}): camera | calibrated | forward head >= 3 cm alerted / ended uncertain / mostly uncertain / mostly good | chin poke said / level forward head said chin out | looking down alerted as forward head | rounded shoulders alerted | neutral alerted"
    ));
    for (camera, f) in by_camera {
        note(&format!(
            "hold 55 s ({group}): {camera:13} | {}/{} | {}/{} / {} / {} / {} | {}/{} / {} | {}/{} | {}/{} | {}/{}",
            f.calibrated_setups,
            f.setups,
            f.forward_alerted,
            f.forward,
            f.forward_ended_uncertain,
            f.forward_stayed_uncertain,
            f.forward_called_good,
            f.chin_poke_said,
            f.chin_poke,
            f.level_forward_said_chin_out,
            f.looking_down_alerted_forward,
            f.looking_down,
            f.rounded_shoulders_alerted,
            f.rounded_shoulders,
            f.neutral_alerted,
            f.neutral,
        ));
    }
}

#[test]
fn held_postures_alert_as_a_user_would_see_on_rendered_people() {
    let started = Instant::now();
    let setups = groundtruth_setups(|camera| CAMERAS.contains(&camera));
    let held = hold_all(setups.values());

    for run in &held {
        note(&format!(
            "hold: {:13} {:5} {:18} truth {:+.1} cm{} | alerts {:?} | {} | last {} | inferred {} (body {}) reused {} skipped {} | {:.1} s",
            run.camera,
            run.person,
            run.posture,
            run.truth_forward_cm,
            if run.calibrated {
                ""
            } else {
                " (uncalibrated)"
            },
            run.alerts,
            run.states(),
            run.last_state,
            run.summary["inferred"],
            run.summary["body_model_runs"],
            run.summary["reused"],
            run.summary["skipped"],
            run.wall.as_secs_f64(),
        ));
    }
    let by_camera = figures(&held);
    print_figures("all 7 people", &by_camera);
    print_figures(
        "the 3 held out",
        &figures(
            held.iter()
                .filter(|run| HELD_OUT.contains(&run.person.as_str())),
        ),
    );
    let walls: Vec<f64> = held.iter().map(|run| run.wall.as_secs_f64()).collect();
    note(&format!(
        "hold 55 s: {} runs on {THREADS} threads in {:.1} s (one run {:.1}–{:.1} s, {:.1} s in all)",
        held.len(),
        started.elapsed().as_secs_f64(),
        walls.iter().copied().fold(f64::INFINITY, f64::min),
        walls.iter().copied().fold(0.0, f64::max),
        walls.iter().sum::<f64>(),
    ));

    for camera in CAMERAS {
        let f = &by_camera[camera];
        assert_no_false_alarm_nor_false_good(camera, f);
        // Chin poke as its own signal: every chin poke's alert says the chin is out (the face
        // reads the 15 deg tilt as 11-18 deg up), no level forward head's does (they read
        // -1 to +2 deg).
        assert_eq!(f.chin_poke_said, f.chin_poke, "{camera}: {f:?}");
        assert_eq!(f.level_forward_said_chin_out, 0, "{camera}: {f:?}");
    }
    // Target: >= 95 % of forward heads of 3 cm or more alerted. Every one is today
    // (2026-12-04, 24 of 24 at each camera, the held-out 10 of 10). With the old 2.5 cm
    // threshold the front missed one, ben's 3 cm, read as 2.1 cm and held as drifting (which
    // never alerts) for the whole 55 s; the 1.75 cm default alerts it, with a margin over the
    // held-out farah's 2.08 cm.
    let front = &by_camera["front"];
    assert_eq!(front.forward_alerted, front.forward, "front: {front:?}");
    let laptop = &by_camera["laptop"];
    assert_eq!(laptop.forward_alerted, laptop.forward, "laptop: {laptop:?}");
}

/// Leaning toward the screen from the hips with the head upright over the shoulders
/// (fixtures/groundtruth/lean, rendered 2026-12-06; tests/groundtruth.rs says what the renders
/// are), each lean held 55 s: a lean is not a forward head (the neck does not bend), so it
/// should not alert. Until 2026-12-06, when the face's growth over the shoulders' was taken at
/// the face's distance with 3 % of the shoulders' growth subtracted as wander, all 28 alerted.
/// Now 5 do: the body model's shoulder width, read in a region tracked from frame to frame
/// rather than found afresh as in a single frame, differs by a few per cent, and on a body
/// 80-95 cm away each per cent is about a centimetre.
#[test]
fn held_leans_toward_the_screen_seldom_alert() {
    let setups = groundtruth_setups_in("lean");
    let held = hold_all(setups.values());
    // Today: amara's and dana's 16 deg and chen's and farah's 8 deg at the front camera, ben's
    // 16 deg at the laptop's.
    for (camera, most_alerted) in [("front", 4), ("laptop", 1)] {
        let at: Vec<&Held> = held.iter().filter(|run| run.camera == camera).collect();
        let leans: Vec<&&Held> = at
            .iter()
            .filter(|run| run.posture.starts_with("lean"))
            .collect();
        let alerted: Vec<String> = leans
            .iter()
            .filter(|run| run.alerted_forward())
            .map(|run| format!("{} {}", run.person, run.posture))
            .collect();
        note(&format!(
            "hold 55 s (leaning in): {camera:6} | leans alerted as forward head {}/{} {alerted:?}",
            alerted.len(),
            leans.len()
        ));
        assert_eq!(leans.len(), 14, "{camera}");
        for run in &at {
            if run.posture == "neutral" {
                assert!(run.alerts.is_empty(), "{camera}: {run:?}");
            }
        }
        assert!(alerted.len() <= most_alerted, "{camera}: {alerted:?}");
    }
}

/// The runs that alerted as forward head, by posture (camera and person each); a neutral must
/// never alert.
fn alerted_by_posture(held: &[Held]) -> BTreeMap<&str, Vec<String>> {
    let mut alerted = BTreeMap::<&str, Vec<String>>::new();
    for run in held {
        if run.posture == "neutral" {
            assert!(run.alerts.is_empty(), "{run:?}");
        } else if run.alerted_forward() {
            alerted
                .entry(run.posture.as_str())
                .or_default()
                .push(format!("{} {}", run.camera, run.person));
        }
    }
    alerted
}

/// Sitting back and turning (fixtures/groundtruth/trunk, rendered 2026-12-06; tests/groundtruth.rs
/// says what the renders are), each held 55 s: sliding back in the chair with the head pushed
/// out toward the screen is a forward head of 3.3-3.9 cm and should alert; sitting back with
/// the head upright, or the trunk turned 20 deg with the face on the screen, should not.
#[test]
fn held_slouches_alert_and_a_recline_or_a_turn_seldom_does() {
    let setups = groundtruth_setups_in("trunk");
    let held = hold_all(setups.values());
    let alerted = alerted_by_posture(&held);
    for posture in ["slouch_8deg", "recline_8deg", "turn_20deg"] {
        let people = alerted.get(posture).cloned().unwrap_or_default();
        note(&format!(
            "hold 55 s (sitting back, turning): {posture:12} alerted as forward head {}/14 {people:?}",
            people.len()
        ));
    }
    // Today every slouch alerts (the target for a forward head of 3 cm or more: 95 %), no
    // recline, and one turn (farah's at the laptop camera), as in single frames read as a
    // still camera (tests/groundtruth.rs).
    let count = |posture: &str| alerted.get(posture).map_or(0, Vec::len);
    assert_eq!(count("slouch_8deg"), 14, "{alerted:?}");
    assert_eq!(count("recline_8deg"), 0, "{alerted:?}");
    assert!(count("turn_20deg") <= 1, "{alerted:?}");
}

/// Leaning in with the head out, and larger turns (fixtures/groundtruth/combined, rendered
/// 2026-12-06; tests/groundtruth.rs says what the renders are), each held 55 s: leaning in 8 or
/// 16 deg from the hips with the head pushed out too (a forward head of 6.1-8.3 cm) should
/// alert; the trunk turned 30 deg with the face on the screen, or turned 20 deg while sitting
/// back, should not.
#[test]
fn held_leans_with_the_head_out_alert_and_a_larger_turn_seldom_does() {
    let setups = groundtruth_setups_in("combined");
    let held = hold_all(setups.values());
    let alerted = alerted_by_posture(&held);
    let count = |posture: &str| alerted.get(posture).map_or(0, Vec::len);
    for posture in [
        "leanfwd_8deg",
        "leanfwd_16deg",
        "turn_30deg",
        "turnrecline_20deg",
    ] {
        note(&format!(
            "hold 55 s (leaning in, larger turns): {posture:17} alerted as forward head {}/14 {:?}",
            count(posture),
            alerted.get(posture).cloned().unwrap_or_default()
        ));
    }
    // Today: every 8 deg lean with the head out but dana's at the laptop camera, every 16 deg
    // one but amara's and dana's there and gus's at the front camera (tests/groundtruth.rs
    // says why). Turned 30 deg: farah's at both cameras, ben's and gus's at the laptop camera
    // (11 of 14 before the shoulder line's tilt told a turn from sitting back); turned and
    // reclined: ben's and farah's at the laptop camera (4 before).
    assert!(count("leanfwd_8deg") >= 13, "{alerted:?}");
    assert!(count("leanfwd_16deg") >= 11, "{alerted:?}");
    assert!(count("turn_30deg") <= 4, "{alerted:?}");
    assert!(count("turnrecline_20deg") <= 2, "{alerted:?}");
}

/// Talking for 55 s (fixtures/groundtruth/mouth; tests/groundtruth.rs says what the renders
/// are): the mouth closed, open 10 deg and open 20 deg in turn, half a second to a second each,
/// the head at neutral, must not alert; the head 5 cm forward with the mouth open 10 deg all
/// the while must (an open mouth's size is the last closed one's for at most 10 s, so this
/// alerts that much later than with the mouth closed).
#[test]
fn talking_does_not_alert_and_talking_with_the_head_forward_does() {
    let setups = groundtruth_setups_in("mouth");
    let mut talking_alerted = Vec::new();
    let mut talking_forward_secs = Vec::new();
    let mut forward_missed = Vec::new();
    for ((_, person, camera), records) in &setups {
        let home = tempfile::tempdir().unwrap();
        assert!(calibrate_on_neutral(home.path(), records).status.success());
        let render = |posture: &str| render_of(records, posture);
        let (neutral, open_10, open_20) = (
            render("neutral"),
            render("mouth_open_10deg"),
            render("mouth_open_20deg"),
        );
        let speech = [&neutral, &open_10, &open_10, &neutral, &open_20, &open_10];
        let frames: Vec<&std::path::Path> = speech
            .iter()
            .cycle()
            .take(HOLD_FRAMES)
            .map(|path| path.as_path())
            .collect();
        let talk = home.path().join("talk");
        camera_sequence(&talk, &frames);
        let talking = watch(home.path(), &talk);
        if talking.alerts.iter().any(|kind| kind == "forward_head") {
            talking_alerted.push(format!("{camera} {person}"));
        }
        talking_forward_secs.push(
            talking
                .state_secs
                .get("forward_head")
                .copied()
                .unwrap_or(0.0),
        );
        let forward = home.path().join("forward");
        still_camera(&forward, &render("mouthfwd_10deg"), HOLD_FRAMES);
        if !watch(home.path(), &forward)
            .alerts
            .iter()
            .any(|kind| kind == "forward_head")
        {
            forward_missed.push(format!("{camera} {person}"));
        }
    }
    note(&format!(
        "hold 55 s (talking): alerted {}/14 {talking_alerted:?}, seconds in forward_head {talking_forward_secs:?}; the head 5 cm forward while talking not alerted {}/14 {forward_missed:?}",
        talking_alerted.len(),
        forward_missed.len()
    ));
    // Without the hold no talk alerted either (the smoothing spans the open frames), but three
    // of the 14 spent 1-10 s in forward_head.
    assert!(talking_alerted.is_empty(), "{talking_alerted:?}");
    assert!(
        talking_forward_secs.iter().all(|secs| *secs == 0.0),
        "{talking_forward_secs:?}"
    );
    assert!(forward_missed.len() <= 1, "{forward_missed:?}");
}

/// A dim room: each person's neutral, 3 cm forward head, chin poke and 10 deg look down, at
/// both cameras, darkened to 0.35 with 6 grey levels of sensor noise in every frame (16
/// distinct noisy frames in turn; two of them read about 6 on `capture::still::NoiseMeter`,
/// over the 2 from which still frames are averaged),
/// calibrated and held as above: once as chintuck
/// watches by default, averaging the still scene's frames for the models, and once with
/// `[sampling] noisy_picture_level = 255` (never). Single noisy frames lose the small signals
/// first: on 2026-12-07 without the average the 10 deg looks down read as looking down 82 % of
/// the time at the front camera and 80 % at the laptop's (the rest mostly `good`), with it 96 %
/// and 81 % (627 s and 680 s of 770 in all); all 14 forward heads alerted at the front either
/// way, at the laptop 13 without (gus's chin poke held `drifting`) and 14 with.
#[test]
fn in_a_dim_noisy_room_still_frames_are_averaged_and_looks_down_read_as_such() {
    let postures = [
        "neutral",
        "forward_head_3cm",
        "chin_poke",
        "looking_down_10deg",
    ];
    let setups: Vec<Vec<Value>> = groundtruth_setups(|camera| CAMERAS.contains(&camera))
        .into_values()
        .map(|records| {
            records
                .into_iter()
                .filter(|r| postures.contains(&r["posture"].as_str().unwrap()))
                .collect()
        })
        .collect();
    let secs_looking_down = |held: &[Held]| -> f64 {
        held.iter()
            .filter(|run| run.posture.starts_with("looking_down"))
            .map(|run| run.state_secs.get("looking_down").copied().unwrap_or(0.0))
            .sum()
    };
    let pools = tempfile::tempdir().unwrap();
    let mut looking_down_secs = Vec::new();
    for (averaging, level) in [
        (true, SamplingSettings::default().noisy_picture_level),
        (false, 255.0),
    ] {
        let held = hold_all_in(
            setups.iter(),
            Light::Dim {
                noisy_picture_level: level,
                pools: pools.path(),
            },
        );
        let name = if averaging {
            "dim room, still frames averaged"
        } else {
            "dim room, single frames"
        };
        for run in &held {
            note(&format!(
                "hold ({name}): {:7} {:6} {:18} alerts {:?} | {} | inferred {} averaged {}",
                run.camera,
                run.person,
                run.posture,
                run.alerts,
                run.states(),
                run.summary["inferred"],
                run.summary["averaged"],
            ));
            let averaged = run.summary["averaged"].as_u64().unwrap();
            if averaging {
                // Every model run but the first two of a hold reads an average: the noise is
                // measured when the still scene is read again (4 s in), and averaged after.
                assert!(
                    averaged + 2 >= run.summary["inferred"].as_u64().unwrap(),
                    "{}",
                    run.summary
                );
            } else {
                assert_eq!(averaged, 0, "{}", run.summary);
            }
        }
        let by_camera = figures(&held);
        print_figures(name, &by_camera);
        let secs = secs_looking_down(&held);
        note(&format!(
            "hold ({name}): looking down read as looking down {secs:.1} s of {:.0} s",
            55.0 * held
                .iter()
                .filter(|run| run.posture.starts_with("looking_down"))
                .count() as f64
        ));
        looking_down_secs.push(secs);
        if averaging {
            for camera in CAMERAS {
                let f = &by_camera[camera];
                assert_no_false_alarm_nor_false_good(camera, f);
                assert_eq!(f.forward_alerted, f.forward, "{camera}: {f:?}");
            }
        }
    }
    // The average is what lets the looks down be read (on 2026-12-07: 680 s of 770 against 627 s).
    assert!(
        looking_down_secs[0] >= looking_down_secs[1] + 35.0,
        "averaged {:.1} s, single frames {:.1} s",
        looking_down_secs[0],
        looking_down_secs[1]
    );
}
