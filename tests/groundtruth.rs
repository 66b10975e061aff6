//! Accuracy on the rendered ground truth (fixtures/groundtruth): rigged people at a desk in
//! known postures, seen by monitor, laptop, three-quarter and side cameras. As a user would:
//! `chintuck calibrate` on each person's neutral render for each camera, then `chintuck
//! analyze --json` on every posture. The figures go to stderr (and the README); the
//! assertions hold the line at what chintuck measures today, so a change that makes any of
//! them worse fails. The targets (issue 9) are stricter and noted beside each.

mod common;

use std::collections::BTreeMap;

use common::{
    HELD_OUT, calibrate_on_neutral_with, camera_sequence, eyes_to_camera_cm, groundtruth,
    groundtruth_setups, groundtruth_setups_in, json_lines, note, render_of, run_in, still_camera,
};
use serde_json::Value;

/// Head pitch against the truth at the front and laptop cameras, each of 59 renders: how many
/// read within 3 deg (the target) today, 2026-12-04: 52 and 55 (the 3 held-out people:
/// 21 and 23 of 25). The misses are nods of 30 deg and 15 deg chin pokes read 3-5 deg low,
/// and one person's (chen's) large nods, 30 deg read as 19 deg.
const FRONT_PITCH_WITHIN_3_DEG: usize = 52;
const LAPTOP_PITCH_WITHIN_3_DEG: usize = 55;
/// Looking-downs (10-30 deg) called `looking_down` at the front and laptop cameras, of 21 each:
/// all but one (farah's 10 deg at the laptop reads 7.5 deg, under the 8 deg threshold).
const FRONT_LOOKING_DOWN_RECOGNISED: usize = 21;
const LAPTOP_LOOKING_DOWN_RECOGNISED: usize = 20;
/// Median offset error over the forward heads at the high_dim scene's front camera, 16 cm
/// above the eyes, with the distance measured: 1.1 cm today (it was 1.7 cm before the camera's
/// height was allowed for).
const HIGH_FRONT_MEDIAN_ERROR_CM: f64 = 1.1;
/// Forward heads flagged at the camera 30 deg to one side, of 11 (today the other 4 are
/// uncertain: the face turns past `max_face_yaw_deg` as the head comes forward).
const ANGLED_30_FLAGGED: usize = 7;

/// One render: the truth and what chintuck said of it.
#[derive(Debug)]
struct Reading {
    person: String,
    camera: String,
    posture: String,
    truth_forward_cm: f64,
    state: String,
    forward_offset_cm: Option<f64>,
    truth_pitch_deg: f64,
    /// The face's pitch against the calibrated neutral, degrees (looking down positive).
    pitch_change_deg: Option<f64>,
}

/// Calibrates a fresh home on the neutral render (20 frames of it, the calibration
/// window) and analyses every posture of that person and camera. At a side camera chintuck
/// refuses the calibration (it cannot measure a forward head in profile), so none is made.
fn read_setup(records: &[Value]) -> Vec<Reading> {
    read_setup_calibrated(records, &[])
}

/// [`read_setup`] with more `calibrate` arguments.
fn read_setup_calibrated(records: &[Value], calibrate_args: &[&str]) -> Vec<Reading> {
    read_setup_with(records, records, calibrate_args, None)
}

/// Frames of a still camera per posture in [`read_setup_tracked`].
const TRACKED_FRAMES: usize = 8;

/// [`read_setup`] with each posture read as a still camera of [`TRACKED_FRAMES`] frames (the
/// last one's reading): the body model then runs on a region tracked from its own previous
/// landmarks, as in `run` and at calibration, rather than one found afresh by the detector.
/// The shoulders' width and slope depend on that region by up to 1.2 deg of slope on these
/// renders, which is as much as sitting back changes it, so the turn and slouch renders are
/// read as a user would meet them.
fn read_setup_tracked(records: &[Value]) -> Vec<Reading> {
    read_setup_with(records, records, &[], Some(TRACKED_FRAMES))
}

/// Every setup in a ground-truth subfolder of the 7 people at the front and laptop cameras,
/// read as a still camera ([`read_setup_tracked`]).
fn read_front_and_laptop_tracked(folder: &str) -> Vec<Reading> {
    let setups = groundtruth_setups_in(folder);
    assert_eq!(setups.len(), 14, "{folder}: 7 people x front and laptop");
    setups
        .values()
        .flat_map(|r| read_setup_tracked(r))
        .collect()
}

/// Calibrates on the neutral among `calibrate_on` (usually the same setup's `records`) and
/// reads every render of `records`.
fn read_setup_with(
    records: &[Value],
    calibrate_on: &[Value],
    calibrate_args: &[&str],
    tracked_frames: Option<usize>,
) -> Vec<Reading> {
    let home = tempfile::tempdir().unwrap();
    read_setup_in(
        home.path(),
        records,
        calibrate_on,
        calibrate_args,
        tracked_frames,
    )
}

/// [`read_setup_with`] in a given home, which keeps the calibration for more reads.
fn read_setup_in(
    home: &std::path::Path,
    records: &[Value],
    calibrate_on: &[Value],
    calibrate_args: &[&str],
    tracked_frames: Option<usize>,
) -> Vec<Reading> {
    let calibrated = calibrate_on_neutral_with(home, calibrate_on, calibrate_args);
    let refused = String::from_utf8_lossy(&calibrated.stderr).into_owned();
    let side_camera = records[0]["camera"] == "side";
    assert!(
        calibrated.status.success() || (side_camera && refused.contains("side view")),
        "calibrating {}: {refused}",
        records[0]["file"],
    );
    let files: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let render = groundtruth().join(r["file"].as_str().unwrap());
            match tracked_frames {
                None => render,
                Some(frames) => {
                    let still = home.join(format!("still-{i:02}"));
                    still_camera(&still, &render, frames);
                    still
                }
            }
            .display()
            .to_string()
        })
        .collect();
    let mut args = vec!["analyze", "--json"];
    args.extend(files.iter().map(String::as_str));
    let analyzed = run_in(home, &args);
    let per_render = tracked_frames.unwrap_or(1);
    let lines: Vec<Value> = json_lines(&analyzed)
        .chunks(per_render)
        .map(|frames| frames[frames.len() - 1].clone())
        .collect();
    assert_eq!(
        lines.len(),
        records.len(),
        "{per_render} JSON line(s) per render"
    );
    records
        .iter()
        .zip(lines)
        .map(|(record, line)| Reading {
            person: record["person"].as_str().unwrap().to_owned(),
            camera: record["camera"].as_str().unwrap().to_owned(),
            posture: record["posture"].as_str().unwrap().to_owned(),
            truth_forward_cm: record["forward_change_cm"].as_f64().unwrap(),
            state: line["posture"]["state"]
                .as_str()
                .unwrap_or(if line["person"] == true {
                    "no_posture"
                } else {
                    "away"
                })
                .to_owned(),
            forward_offset_cm: line["posture"]["forward_offset_cm"].as_f64(),
            truth_pitch_deg: record["head_pitch_deg"].as_f64().unwrap(),
            pitch_change_deg: line["posture"]["face"]["pitch_change_deg"].as_f64(),
        })
        .collect()
}

/// Per camera: what a person at that camera would get.
#[derive(Default, Debug)]
struct Figures {
    forward: usize,
    forward_flagged: usize,
    forward_uncertain: usize,
    forward_called_good: usize,
    looking_down: usize,
    looking_down_as_forward: usize,
    /// Looking-down renders the monitor calls `looking_down` (from the face's pitch).
    looking_down_recognised: usize,
    neutral_good: usize,
    neutral: usize,
    offset_errors_cm: Vec<f64>,
    pitch_errors_deg: Vec<f64>,
}

fn median(values: &[f64]) -> f64 {
    let mut values = values.to_vec();
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

impl Figures {
    fn median_error_cm(&self) -> f64 {
        median(&self.offset_errors_cm)
    }

    fn median_pitch_error_deg(&self) -> f64 {
        median(&self.pitch_errors_deg)
    }

    fn pitch_within_3_deg(&self) -> usize {
        self.pitch_errors_deg.iter().filter(|e| **e <= 3.0).count()
    }
}

/// The state that alerts once held: `drifting` never does, so it does not count.
fn flags_forward(state: &str) -> bool {
    state == "forward_head"
}

fn figures(readings: &[Reading]) -> BTreeMap<String, Figures> {
    let mut by_camera: BTreeMap<String, Figures> = BTreeMap::new();
    for reading in readings {
        let figures = by_camera.entry(reading.camera.clone()).or_default();
        let forward_head = reading.truth_forward_cm >= 3.0
            && (reading.posture.starts_with("forward_head") || reading.posture == "chin_poke");
        if forward_head {
            figures.forward += 1;
            figures.forward_flagged += usize::from(flags_forward(&reading.state));
            figures.forward_uncertain += usize::from(reading.state == "uncertain");
            figures.forward_called_good += usize::from(reading.state == "good");
        }
        if reading.posture.starts_with("looking_down") {
            figures.looking_down += 1;
            figures.looking_down_as_forward += usize::from(reading.state == "forward_head");
            figures.looking_down_recognised += usize::from(reading.state == "looking_down");
        }
        if reading.posture == "neutral" {
            figures.neutral += 1;
            figures.neutral_good += usize::from(reading.state == "good");
        }
        // Over the forward heads only: a neutral reads ~0 and would flatter the median.
        if let Some(offset) = reading.forward_offset_cm
            && forward_head
        {
            figures
                .offset_errors_cm
                .push((offset - reading.truth_forward_cm).abs());
        }
        if let Some(pitch) = reading.pitch_change_deg {
            figures
                .pitch_errors_deg
                .push((pitch - reading.truth_pitch_deg).abs());
        }
    }
    by_camera
}

/// Prints one table: a line per camera.
fn print_figures(group: &str, by_camera: &BTreeMap<String, Figures>) {
    note(&format!(
        "ground truth ({group}): camera | forward head >= 3 cm flagged / uncertain / called good | looking down taken for forward head / recognised | neutral good | median offset error over the forward heads | pitch within 3 deg, median error"
    ));
    for (camera, f) in by_camera {
        note(&format!(
            "ground truth ({group}): {camera:13} | {}/{} / {} / {} | {}/{} / {} | {}/{} | {:.2} cm | {}/{}, {:.1} deg",
            f.forward_flagged,
            f.forward,
            f.forward_uncertain,
            f.forward_called_good,
            f.looking_down_as_forward,
            f.looking_down,
            f.looking_down_recognised,
            f.neutral_good,
            f.neutral,
            f.median_error_cm(),
            f.pitch_within_3_deg(),
            f.pitch_errors_deg.len(),
            f.median_pitch_error_deg()
        ));
    }
}

/// The targets that every group of people must meet on its own: at the front and
/// laptop cameras every neutral good, every forward head of 3 cm or more flagged (the target
/// is at least 95 %), no looking down taken for forward head, median offset error <= 1 cm and median
/// pitch error <= 1 deg (target: within 3 deg); at three-quarter and side a forward head
/// flagged or explicitly uncertain, never a "good" (today every one is uncertain: at
/// three-quarter the face is turned past max_face_yaw_deg, in profile the body model's
/// shoulders follow the head; the side view's angle from those shoulders used to call 12 of 14
/// forward heads good).
fn assert_targets(group: &str, by_camera: &BTreeMap<String, Figures>) {
    for camera in ["front", "laptop"] {
        let f = &by_camera[camera];
        assert_eq!(f.neutral_good, f.neutral, "{group} {camera}: {f:?}");
        assert_eq!(f.forward_flagged, f.forward, "{group} {camera}: {f:?}");
        assert_eq!(f.looking_down_as_forward, 0, "{group} {camera}: {f:?}");
        assert!(f.median_error_cm() <= 1.0, "{group} {camera}: {f:?}");
        assert!(f.median_pitch_error_deg() <= 1.0, "{group} {camera}: {f:?}");
    }
    for camera in ["three_quarter", "side"] {
        let f = &by_camera[camera];
        assert_eq!(f.forward_called_good, 0, "{group} {camera}: {f:?}");
        assert_eq!(
            f.forward_flagged + f.forward_uncertain,
            f.forward,
            "{group} {camera}: {f:?}"
        );
        assert_eq!(f.looking_down_as_forward, 0, "{group} {camera}: {f:?}");
    }
}

/// What a camera facing the person must give on a set of renders (a camera the person faces,
/// whatever the room, the lens or the face): `neutrals` neutral renders all good, `forward_heads`
/// forward heads of 3 cm or more all flagged, no look down taken for one, median offset error
/// within the 1 cm.
fn assert_measured_as_in_front(context: &str, f: &Figures, neutrals: usize, forward_heads: usize) {
    assert_eq!(f.neutral, neutrals, "{context}: {f:?}");
    assert_eq!(f.forward, forward_heads, "{context}: {f:?}");
    assert_eq!(f.neutral_good, f.neutral, "{context}: {f:?}");
    assert_eq!(f.forward_flagged, f.forward, "{context}: {f:?}");
    assert_eq!(f.looking_down_as_forward, 0, "{context}: {f:?}");
    assert!(f.median_error_cm() <= 1.0, "{context}: {f:?}");
}

#[test]
fn forward_head_is_measured_on_rendered_people_at_four_cameras() {
    let setups = groundtruth_setups(|_| true);
    let readings: Vec<Reading> = setups.values().flat_map(|r| read_setup(r)).collect();
    let by_camera = figures(&readings);
    let held_out: Vec<Reading> = readings
        .into_iter()
        .filter(|r| HELD_OUT.contains(&r.person.as_str()))
        .collect();
    let held_out_by_camera = figures(&held_out);
    print_figures("all 7 people", &by_camera);
    print_figures("the 3 held out", &held_out_by_camera);
    // Forward head starts at 1.75 cm: the face reads a 3.0 cm shift as 2.1-3.8 cm on these
    // renders (as low as 2.1 cm at the front camera), no looking down or rounded shoulders as
    // more than 0.9 cm.
    assert_targets("all 7 people", &by_camera);
    // The people the thresholds and the depth gain were not chosen on, on their own.
    assert_targets("the 3 held out", &held_out_by_camera);
    let front = &by_camera["front"];
    let laptop = &by_camera["laptop"];
    // Looking down is said as such, as often as today (the face's pitch over the 8 deg
    // threshold; a 10 deg nod reads 7.5-13 deg).
    assert!(
        front.looking_down_recognised >= FRONT_LOOKING_DOWN_RECOGNISED,
        "{front:?}"
    );
    assert!(
        laptop.looking_down_recognised >= LAPTOP_LOOKING_DOWN_RECOGNISED,
        "{laptop:?}"
    );
    // Every render has a face pitch, and at least as many are within 3 deg as today.
    assert_eq!(front.pitch_errors_deg.len(), 59, "{front:?}");
    assert_eq!(laptop.pitch_errors_deg.len(), 59, "{laptop:?}");
    assert!(
        front.pitch_within_3_deg() >= FRONT_PITCH_WITHIN_3_DEG,
        "{front:?}"
    );
    assert!(
        laptop.pitch_within_3_deg() >= LAPTOP_PITCH_WITHIN_3_DEG,
        "{laptop:?}"
    );
}

/// Other desk setups (fixtures/groundtruth/scenes), front and laptop cameras, each with two
/// people, rendered after every threshold and gain was fixed: `evening_wide` (a 78 deg lens,
/// 82 cm away and 6 cm above the eyes, warm lamp light from the other side; hana, new, and dana)
/// and `daylight_near` (56 deg, 54 cm, 5 cm below the eyes, strong cool light; ivan, new, and
/// chen); `high_dim` (70 deg, the monitor's camera 16 cm above the eyes at 72 cm looking down,
/// the laptop's 30 cm below at 52 cm, a dim room lit from the ceiling; kai and rosa, both new,
/// rendered after the camera's height was allowed for, as a check of it). The lens differs from
/// the 65 deg chintuck assumes, so the distance is given as a user would measure it
/// (`calibrate --distance-cm`, the eyes' distance from the truth); without it the offsets scale
/// with the lens error (printed, not asserted).
#[test]
fn other_desk_setups_meet_the_targets_with_a_measured_distance() {
    let setups = groundtruth_setups_in("scenes");
    assert_eq!(setups.len(), 16, "4 scenes x 2 people x 2 cameras");
    let read = |scenes: &[&str]| {
        let mut measured = Vec::new();
        let mut estimated = Vec::new();
        for ((scene, _, _), records) in &setups {
            if !scenes.contains(&scene.as_str()) {
                continue;
            }
            let neutral = records.iter().find(|r| r["posture"] == "neutral").unwrap();
            let distance = format!("{:.1}", eyes_to_camera_cm(neutral));
            measured.extend(read_setup_calibrated(
                records,
                &["--distance-cm", &distance],
            ));
            estimated.extend(read_setup(records));
        }
        (figures(&measured), figures(&estimated))
    };
    let (by_camera, estimated) = read(&["evening_wide", "daylight_near"]);
    print_figures("other setups, distance measured", &by_camera);
    print_figures("other setups, distance estimated", &estimated);
    for camera in ["front", "laptop"] {
        let f = &by_camera[camera];
        assert_eq!(f.forward, 15, "{camera}: {f:?}");
        assert_eq!(f.neutral_good, f.neutral, "{camera}: {f:?}");
        assert_eq!(f.forward_flagged, f.forward, "{camera}: {f:?}");
        assert_eq!(f.looking_down_as_forward, 0, "{camera}: {f:?}");
        assert!(f.median_error_cm() <= 1.0, "{camera}: {f:?}");
        // 1.5 and 0.8 deg today: the 30 deg nods read 4-8 deg low, as in the main set.
        assert!(f.median_pitch_error_deg() <= 2.0, "{camera}: {f:?}");
    }
    // A camera well above the eyes: the front camera there reads a forward head low (rosa's
    // 3 cm as 1.7 cm, `drifting`), its 20 and 30 deg nods 8-12 deg low.
    let (by_camera, estimated) = read(&["high_dim"]);
    print_figures("high camera, distance measured", &by_camera);
    print_figures("high camera, distance estimated", &estimated);
    for camera in ["front", "laptop"] {
        let f = &by_camera[camera];
        assert_eq!(f.forward, 6, "{camera}: {f:?}");
        assert_eq!(f.neutral_good, f.neutral, "{camera}: {f:?}");
        assert_eq!(f.forward_called_good, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_as_forward, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_recognised, f.looking_down, "{camera}: {f:?}");
    }
    let (front, laptop) = (&by_camera["front"], &by_camera["laptop"]);
    assert!(front.forward_flagged >= 5, "{front:?}");
    assert_eq!(laptop.forward_flagged, laptop.forward, "{laptop:?}");
    assert!(
        front.median_error_cm() <= HIGH_FRONT_MEDIAN_ERROR_CM,
        "{front:?}"
    );
    assert!(laptop.median_error_cm() <= 1.0, "{laptop:?}");
}

/// A bright window behind the person (the `backlit` scene of fixtures/groundtruth/scenes,
/// rendered 2026-12-08 after every threshold was fixed, with two people in no other render,
/// omar and lena): the office's cameras and lens, little light on the face, the exposure
/// lowered as a webcam's auto-exposure does for a bright window, so the face comes out dark
/// against a near-white window. Calibrated as a user would, without a measured distance.
#[test]
fn a_bright_window_behind_the_person_meets_the_targets() {
    let setups = groundtruth_setups_in("scenes");
    let readings: Vec<Reading> = setups
        .iter()
        .filter(|((scene, _, _), _)| scene == "backlit")
        .flat_map(|(_, records)| read_setup(records))
        .collect();
    let by_camera = figures(&readings);
    print_figures("backlit", &by_camera);
    for camera in ["front", "laptop"] {
        let f = &by_camera[camera];
        assert_measured_as_in_front(camera, f, 2, 6);
        assert_eq!(f.looking_down_recognised, f.looking_down, "{camera}: {f:?}");
        assert!(f.median_pitch_error_deg() <= 1.0, "{camera}: {f:?}");
    }
}

/// The main set's office with the monitor's camera swung to one side, as on a second screen
/// or a laptop beside the main one (fixtures/groundtruth/angled, rendered 2026-12-05 after
/// every threshold was fixed except the camera's angle limit, which these renders set):
/// 20 deg to the person's right for five people and to their left for three, 30 deg to the
/// right for three. The face mesh reads a 20 deg camera as 15-29 deg of yaw and a 30 deg one
/// as 26-38 deg (less looking down, more as the head comes forward); `max_face_yaw_deg` (35) measures the first whole and the second up to where
/// the face turns past it, and is uncertain beyond (the three-quarter camera, 45 deg, reads
/// 43-54 deg, and there the offsets read up to twice the truth). The offsets are put back
/// along the person's forward line by the neutral's yaw (`side_camera_gain`).
#[test]
fn a_camera_to_one_side_is_measured_up_to_30_deg_and_never_calls_a_forward_head_good() {
    let setups = groundtruth_setups_in("angled");
    let readings: Vec<Reading> = setups.values().flat_map(|r| read_setup(r)).collect();
    let by_camera = figures(&readings);
    print_figures("camera to one side", &by_camera);
    for camera in ["angled_20", "angled_-20", "angled_30"] {
        let f = &by_camera[camera];
        assert_eq!(f.neutral_good, f.neutral, "{camera}: {f:?}");
        assert_eq!(f.forward_called_good, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_as_forward, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_recognised, f.looking_down, "{camera}: {f:?}");
        assert!(f.median_error_cm() <= 1.0, "{camera}: {f:?}");
        assert!(f.median_pitch_error_deg() <= 2.0, "{camera}: {f:?}");
    }
    // 20 deg to the right: every forward head flagged, as in front.
    let f = &by_camera["angled_20"];
    assert_eq!(f.forward, 17, "{f:?}");
    assert_eq!(f.forward_flagged, f.forward, "{f:?}");
    // 20 deg to the left: all but eli's 3 cm, read 1.5 cm (`drifting`; at the right 3.0 cm).
    let f = &by_camera["angled_-20"];
    assert_eq!(f.forward, 10, "{f:?}");
    assert!(f.forward_flagged >= 9, "{f:?}");
    // 30 deg: flagged or uncertain where the face turns past the limit.
    let f = &by_camera["angled_30"];
    assert_eq!(f.forward, 11, "{f:?}");
    assert_eq!(f.forward_flagged + f.forward_uncertain, f.forward, "{f:?}");
    assert!(f.forward_flagged >= ANGLED_30_FLAGGED, "{f:?}");
}

/// Glasses (fixtures/groundtruth/glasses, rendered 2026-12-08 after every threshold was fixed):
/// six of the main set's people in its office wearing thin metal (amara, chen, farah) or thick
/// dark plastic frames (ben, dana, gus), with faint shiny lenses, at the front and laptop
/// cameras. The face model finds the eyes' corners and brows through and around the frames.
/// Calibrated with the glasses on, every forward head is flagged and no look down is taken for
/// one, as without glasses; the offsets hold (median error 0.54 / 0.39 cm) but the pitch reads
/// less faithfully (34 and 41 of 45 within 3 deg, median 1.3 / 0.9 deg; thick frames flatten
/// large nods at the front camera, dana's 30 deg reads 19 deg). Calibrated without them (on the
/// main set's neutral) and read with them on, as after putting glasses on mid-morning: the
/// offsets still hold (neutrals within 0.6 cm, every forward head flagged) but the neutral's
/// pitch moves by up to 4 deg, so looks down are read a few degrees off (two 10 deg ones called
/// good): the README says to keep a profile calibrated with the glasses on.
#[test]
fn glasses_keep_forward_heads_measured_calibrated_with_or_without_them() {
    let setups = groundtruth_setups_in("glasses");
    assert_eq!(setups.len(), 12, "6 people x front and laptop");
    let bare = groundtruth_setups(|camera| camera == "front" || camera == "laptop");
    let mut calibrated_with = Vec::new();
    let mut calibrated_without = Vec::new();
    for ((_, person, camera), records) in &setups {
        calibrated_with.extend(read_setup(records));
        let bare_records = &bare[&(person.clone(), camera.clone())];
        calibrated_without.extend(read_setup_with(records, bare_records, &[], None));
    }
    let with = figures(&calibrated_with);
    let without = figures(&calibrated_without);
    print_figures("glasses, calibrated with them on", &with);
    print_figures("glasses, calibrated without them", &without);
    for (calibration, by_camera) in [("with", &with), ("without", &without)] {
        for camera in ["front", "laptop"] {
            let context = format!("calibrated {calibration} glasses, {camera}");
            assert_measured_as_in_front(&context, &by_camera[camera], 6, 21);
        }
    }
    let (front, laptop) = (&with["front"], &with["laptop"]);
    assert!(front.looking_down_recognised >= 17, "{front:?}");
    assert_eq!(laptop.looking_down_recognised, 18, "{laptop:?}");
    assert!(front.pitch_within_3_deg() >= 34, "{front:?}");
    assert!(laptop.pitch_within_3_deg() >= 41, "{laptop:?}");
    assert!(front.median_pitch_error_deg() <= 1.5, "{front:?}");
    assert!(laptop.median_pitch_error_deg() <= 1.0, "{laptop:?}");
}

/// Sitting off-centre (fixtures/groundtruth/offcentre, rendered 2026-12-08 after every
/// threshold was fixed): the monitor's camera moved 20 cm to the person's right (ben, dana) or
/// left (eli, farah) and still facing straight out of the screen, as before a wide monitor, so
/// the face sits toward the side of the picture and is seen about 17 deg from the side.
/// Unlike `angled`, the camera does not turn toward the person.
#[test]
fn sitting_off_centre_before_the_camera_is_measured() {
    let setups = groundtruth_setups_in("offcentre");
    assert_eq!(setups.len(), 4, "4 people, one off-centre camera each");
    let readings: Vec<Reading> = setups.values().flat_map(|r| read_setup(r)).collect();
    let by_camera = figures(&readings);
    print_figures("sitting off-centre", &by_camera);
    for camera in ["offcentre_20", "offcentre_-20"] {
        let f = &by_camera[camera];
        assert_measured_as_in_front(camera, f, 2, 6);
        assert_eq!(f.looking_down_recognised, f.looking_down, "{camera}: {f:?}");
        assert!(f.median_pitch_error_deg() <= 2.0, "{camera}: {f:?}");
    }
}

/// Leaning toward the screen from the hips (fixtures/groundtruth/lean, rendered 2026-12-06),
/// the main set's people and office at the front and laptop cameras: the trunk tipped 8 deg and
/// 16 deg, the neck tipped back as much so the head stays upright over the shoulders with the
/// eyes level, as when reading small print. The face comes 7-8 and 14-17 cm nearer; the
/// skeleton's ear-ahead-of-shoulder grows by 1.1-1.7 and 2.2-3.3 cm only because the shoulder
/// joints, below the neck's base, swing back as the trunk tips (the neck itself stays upright,
/// so its load does not change). Until 2026-12-06 the face's growth over the shoulders' was
/// taken at the face's distance with a 3 % allowance subtracted from the shoulders' growth:
/// 25 of these 28 leans read as forward head, 2.4-7.2 cm (median 3.3 cm over the truth at the
/// front camera, 2.1 cm at the laptop's). Now each growth is turned into centimetres at its
/// own distance: 5 of 28 read as forward head. What is left is the body model's shoulder
/// width, which on a close, leaning body reads a few per cent off the true growth (at the
/// laptop mostly wider, so leans read below their truth there).
#[test]
fn leaning_toward_the_screen_is_not_read_as_a_large_forward_head() {
    let setups = groundtruth_setups_in("lean");
    assert_eq!(setups.len(), 14, "7 people x front and laptop");
    let readings: Vec<Reading> = setups.values().flat_map(|r| read_setup(r)).collect();
    for (camera, most_flagged) in [("front", 2), ("laptop", 3)] {
        let at: Vec<&Reading> = readings.iter().filter(|r| r.camera == camera).collect();
        let leans: Vec<&&Reading> = at
            .iter()
            .filter(|r| r.posture.starts_with("lean"))
            .collect();
        assert_eq!(leans.len(), 14, "{camera}");
        let errors_cm: Vec<f64> = leans
            .iter()
            .map(|r| r.forward_offset_cm.expect("a face offset") - r.truth_forward_cm)
            .collect();
        let flagged = leans.iter().filter(|r| flags_forward(&r.state)).count();
        let absolute: Vec<f64> = errors_cm.iter().map(|e| e.abs()).collect();
        note(&format!(
            "ground truth (leaning in): {camera:6} | leans read as forward head {flagged}/14 | offset error median {:.2} cm, signed median {:+.2} cm, from {:+.2} to {:+.2} cm",
            median(&absolute),
            median(&errors_cm),
            errors_cm.iter().copied().fold(f64::INFINITY, f64::min),
            errors_cm.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        ));
        for reading in &at {
            if reading.posture == "neutral" {
                assert_eq!(reading.state, "good", "{camera} {}", reading.person);
            }
        }
        // Never read much further forward than the skeleton is (today at most 2.5 cm over,
        // at the front camera; until 2026-12-06, 4.4 cm).
        for (reading, error_cm) in leans.iter().zip(&errors_cm) {
            assert!(
                *error_cm <= 2.6,
                "{camera} {} {}: read {:?}, truth {:.2} cm",
                reading.person,
                reading.posture,
                reading.forward_offset_cm,
                reading.truth_forward_cm
            );
        }
        assert!(flagged <= most_flagged, "{camera}: {flagged} leans flagged");
    }
}

/// Sitting back and turning (fixtures/groundtruth/trunk, rendered 2026-12-06), the main set's
/// people and office at the front and laptop cameras. `recline_8deg`: the trunk tipped 8 deg
/// back from the hips, the head upright over the shoulders (the skeleton's ear-ahead-of-shoulder
/// drops 1.1-1.7 cm). `slouch_8deg`: the same with the neck flexed as for a 5 cm forward head,
/// the gaze level: sliding back in the chair with the head pushed out toward the screen, a
/// forward head of 3.3-3.9 cm while the face hardly moves, so only the shoulders going back
/// show it. `turn_20deg`: the trunk turned 20 deg with the face still on the screen (truth
/// 0-0.1 cm): nothing came nearer or went back, but the shoulders narrow in the picture. Until
/// 2026-12-06 a 3 % allowance was subtracted from every change of the shoulders' width: 1 of
/// the 14 slouches was flagged, no recline and no turn. Now a narrowing counts from 4 %
/// (BlazePose narrows a 20 deg turn by 1.5-3.7 %) and whole from 6 % (sitting back narrows
/// them by 6-11 %), less the part the shoulder line's tilt says is a turn. Read as a still
/// camera ([`read_setup_tracked`]).
#[test]
fn sitting_back_with_the_head_pushed_out_is_flagged_and_a_turned_torso_seldom_is() {
    let readings = read_front_and_laptop_tracked("trunk");
    let flagged = |posture: &str, camera: &str| -> Vec<String> {
        readings
            .iter()
            .filter(|r| r.posture == posture && r.camera == camera && flags_forward(&r.state))
            .map(|r| format!("{} {:?}", r.person, r.forward_offset_cm))
            .collect()
    };
    let mut counts = BTreeMap::new();
    for camera in ["front", "laptop"] {
        for reading in readings.iter().filter(|r| r.camera == camera) {
            if reading.posture == "neutral" {
                assert_eq!(reading.state, "good", "{camera} {}", reading.person);
            }
        }
        for posture in ["slouch_8deg", "recline_8deg", "turn_20deg"] {
            let people = flagged(posture, camera);
            note(&format!(
                "ground truth (sitting back, turning): {camera:6} | {posture:12} read as forward head {}/7 {people:?}",
                people.len()
            ));
            *counts.entry(posture).or_insert(0) += people.len();
        }
    }
    // Today: every slouch, no recline, and farah's turn at the laptop camera (3.6 cm: her
    // shoulder line tilted by less than a degree, so the narrowing counted as going back). Read
    // afresh by the detector in each picture instead (`read_setup`), 12 slouches were flagged
    // before the shoulder line's tilt was used and 9 after: the detector's region moves the
    // slope by up to 1.2 deg against the tracked calibration's, which a user never meets.
    assert!(counts["slouch_8deg"] >= 13, "{counts:?}");
    assert!(counts["recline_8deg"] <= 1, "{counts:?}");
    assert!(counts["turn_20deg"] <= 1, "{counts:?}");
}

/// Leaning in with the head out, and larger turns (fixtures/groundtruth/combined, the same 7
/// people at the front and laptop cameras, rendered 2026-12-06): `leanfwd_8deg` and
/// `leanfwd_16deg` lean 8 and 16 deg from the hips toward the screen with the head pushed out
/// too, a forward head of 6.1-6.7 and 7.2-8.3 cm (the shoulders widen while the head comes
/// further still); `turn_30deg` turns the trunk 30 deg with the face still on the screen (0.0-0.3
/// cm); `turnrecline_20deg` turns it 20 deg while sitting back 8 deg with the head upright
/// (-0.9 to -1.5 cm). Read as a still camera ([`read_setup_tracked`]). Until 2026-12-06 every
/// narrowing of the shoulders past the body model's wander counted as the shoulders going
/// back, and 11 of the 14 turns read 2-10 cm forward (4 of the 14 turned and reclined); now a
/// tilt of the shoulder line (a turn
/// brings one shoulder nearer, which moves it up or down the picture) says how much of the
/// narrowing is a turn (`posture::head::torso_turn_share`).
#[test]
fn leaning_in_with_the_head_out_is_flagged_and_a_larger_turn_seldom_is() {
    let readings = read_front_and_laptop_tracked("combined");
    let mut flagged = BTreeMap::<&str, Vec<String>>::new();
    let mut errors_cm = Vec::new();
    for reading in &readings {
        if reading.posture == "neutral" {
            assert_eq!(reading.state, "good", "{reading:?}");
            continue;
        }
        if reading.posture.starts_with("leanfwd")
            && let Some(offset_cm) = reading.forward_offset_cm
        {
            errors_cm.push((offset_cm - reading.truth_forward_cm).abs());
        }
        let entry = flagged.entry(reading.posture.as_str()).or_default();
        if flags_forward(&reading.state) {
            entry.push(format!(
                "{} {} {:.1}",
                reading.camera,
                reading.person,
                reading.forward_offset_cm.unwrap_or(f64::NAN)
            ));
        }
    }
    for (posture, people) in &flagged {
        note(&format!(
            "ground truth (leaning in, larger turns): {posture:17} read as forward head {}/14 {people:?}",
            people.len()
        ));
    }
    let error_cm = median(&errors_cm);
    note(&format!(
        "ground truth (leaning in with the head out): offset error median {error_cm:.1} cm"
    ));
    let count = |posture: &str| flagged.get(posture).map_or(0, Vec::len);
    // Today: every 8 deg lean with the head out but dana's at the laptop camera, and every 16
    // deg lean but amara's and dana's there (the body model widens their shoulders by 22-40 %,
    // and that growth, counted whole, takes the head's move with it). Turned 30 deg: farah's
    // at both cameras and gus's at the laptop camera (shoulder lines that tilted by less than
    // 1.6 deg); turned and reclined: ben's and farah's at the laptop camera (lines tilted by
    // 0.1-0.2 deg, so the turn's narrowing counted as going back).
    assert!(count("leanfwd_8deg") >= 13, "{flagged:?}");
    assert!(count("leanfwd_16deg") >= 11, "{flagged:?}");
    assert!(count("turn_30deg") <= 3, "{flagged:?}");
    assert!(count("turnrecline_20deg") <= 2, "{flagged:?}");
    assert!(error_cm <= 2.0, "{error_cm}");
}

/// `analyze` says when it took the shoulders' narrowing for a turned torso rather than the
/// shoulders going back (it changes the offset): ben at the front camera turned 30 deg, and
/// not for him leaning in with the head out.
#[test]
fn analyze_says_when_the_torso_turned() {
    let setups = groundtruth_setups_in("combined");
    let records = &setups[&("office".to_owned(), "ben".to_owned(), "front".to_owned())];
    let home = tempfile::tempdir().unwrap();
    let calibrated = calibrate_on_neutral_with(home.path(), records, &[]);
    assert!(calibrated.status.success());
    let last_line = |posture: &str| {
        let still = home.path().join(posture);
        still_camera(&still, &render_of(records, posture), TRACKED_FRAMES);
        let analyzed = run_in(home.path(), &["analyze", still.to_str().unwrap()]);
        assert!(analyzed.status.success());
        let text = String::from_utf8_lossy(&analyzed.stdout).into_owned();
        text.lines()
            .rfind(|line| line.contains("posture:"))
            .unwrap()
            .to_owned()
    };
    let turned = last_line("turn_30deg");
    assert!(
        turned.contains("good:") && turned.contains("torso turned from the camera"),
        "{turned}"
    );
    let leaning = last_line("leanfwd_8deg");
    assert!(
        leaning.contains("forward_head:") && !leaning.contains("torso turned"),
        "{leaning}"
    );
}

/// `calibrate` says when the camera is near the angle past which chintuck cannot measure (the
/// 30 deg camera reads 31 deg at neutral, and a forward head turns the face past 35 deg), and
/// is quiet at 20 deg.
#[test]
fn calibrating_near_the_side_limit_says_some_frames_will_be_uncertain() {
    let setups = groundtruth_setups_in("angled");
    let said = |camera: &str| {
        let key = ("office".to_owned(), "ben".to_owned(), camera.to_owned());
        let home = tempfile::tempdir().unwrap();
        let output = calibrate_on_neutral_with(home.path(), &setups[&key], &[]);
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let at_30 = said("angled_30");
    assert!(
        at_30.contains("the camera is about 31° to your side, near the 35°"),
        "{at_30}"
    );
    assert!(!at_30.contains("warning"), "{at_30}");
    let at_20 = said("angled_20");
    assert!(!at_20.contains("to your side"), "{at_20}");
}

/// A face small in the picture (sitting far back, or a wide lens) is said at calibration, with
/// how near would do: below 6 px per cm of face the face model misses some 3-5 cm forward heads
/// (`posture::head::MIN_FACE_PX_PER_CM`). chen's front neutral as rendered (7 px per cm) is not;
/// the same render shrunk to 0.6 about the picture's centre, as a 93 deg lens would show it
/// (about 4.2 px per cm), is, and how much nearer it says (in centimetres when the distance was
/// measured) holds 6 px per cm, as does how wide a picture to ask the camera for; `run` on that
/// profile says it again.
#[test]
fn calibrating_a_face_small_in_the_picture_says_how_near_to_sit() {
    let setups = groundtruth_setups(|camera| camera == "front");
    let records = &setups[&("chen".to_owned(), "front".to_owned())];
    let home = tempfile::tempdir().unwrap();
    let as_rendered = calibrate_on_neutral_with(home.path(), records, &[]);
    assert!(as_rendered.status.success());
    let said = String::from_utf8_lossy(&as_rendered.stderr);
    assert!(!said.contains("small in the picture"), "{said}");

    let render = image::open(render_of(records, "neutral"))
        .unwrap()
        .to_rgb8();
    // The wall's colour around it, from the render's own edge.
    let shrunk = common::shrunk_about_centre(&render, 3, 5);
    let far = tempfile::tempdir().unwrap();
    let picture = far.path().join("shrunk.jpg");
    shrunk.save(&picture).unwrap();
    let window = far.path().join("neutral");
    still_camera(&window, &picture, 20);
    let calibrated = run_in(
        far.path(),
        &["calibrate", "--source", window.to_str().unwrap()],
    );
    assert!(calibrated.status.success());
    let said = String::from_utf8_lossy(&calibrated.stderr).into_owned();
    note(&format!("small face: {}", said.trim()));
    let number_before = |text: &str, unit: &str| -> f64 {
        let end = text
            .find(unit)
            .unwrap_or_else(|| panic!("no '{unit}' in {text}"));
        let start = text[..end].rfind(['(', ' ']).unwrap() + 1;
        text[start..end].trim().parse().unwrap()
    };
    let warning = said
        .lines()
        .find(|l| l.contains("your face is small in the picture"))
        .unwrap_or_else(|| panic!("{said}"));
    let px_per_cm = number_before(warning, " px per cm)");
    let nearer_percent = number_before(warning, " % nearer the camera");
    assert!((3.5..5.0).contains(&px_per_cm), "{warning}");
    // Nearer by the face's shortfall: there it holds 6 px per cm.
    assert!(
        (nearer_percent - (1.0 - px_per_cm / 6.0) * 100.0).abs() < 2.0,
        "{warning}"
    );
    // Or a larger picture from the camera: at the same lens the face's pixels grow with its width.
    let wide_px = number_before(warning, " px wide");
    assert!(
        (wide_px - 640.0 * 6.0 / px_per_cm).abs()
            < 640.0 * 6.0 * 0.05 / px_per_cm / px_per_cm + 2.0,
        "{warning}"
    );
    assert!(warning.contains("`[camera] resolution`"), "{warning}");
    // A monitor started on that profile says it again.
    let watched = run_in(
        far.path(),
        &["run", "--source", window.to_str().unwrap(), "--no-wait"],
    );
    assert!(watched.status.success());
    let said_running = String::from_utf8_lossy(&watched.stderr);
    assert!(
        said_running.contains("was calibrated with your face small in the picture")
            && said_running.contains(&format!("{nearer_percent:.0} % nearer")),
        "{said_running}"
    );
    // With the distance measured, the same advice in centimetres.
    let eyes_cm = eyes_to_camera_cm(records.iter().find(|r| r["posture"] == "neutral").unwrap());
    let measured = run_in(
        far.path(),
        &[
            "calibrate",
            "--source",
            window.to_str().unwrap(),
            "--distance-cm",
            &format!("{eyes_cm:.1}"),
        ],
    );
    assert!(measured.status.success());
    let said = String::from_utf8_lossy(&measured.stderr).into_owned();
    let within_cm = number_before(&said, " cm of the camera");
    assert!(
        (within_cm - eyes_cm * px_per_cm / 6.0).abs() < 2.0,
        "{said}"
    );
}

/// Beards (fixtures/groundtruth/beard, rendered 2026-12-08 after every threshold was fixed):
/// ben, chen and gus with a full beard (painted in their hair's colour over the upper lip, chin,
/// jaw and cheeks up to sideburns, and pushed out 7 mm), eli with grey stubble, at the front
/// and laptop cameras, in the main set's postures and with the mouth open 10 deg. A beard hides
/// the jaw's outline and the skin round the lips, which the face model draws the lower face
/// and the mouth's opening from. Talking (the mouth closed for 4 frames, then open for 4, as a
/// still camera) is read as without a beard: the closed mouth as closed, the open one as open
/// with the face's size held (-0.2 to +0.1 cm), no forward head. But a full beard makes the
/// face model draw a forward head's face growing less than it does: calibrated with the beard,
/// the full beards' forward heads read 0.5-2.1 cm under the same people's without one (ben's 7 cm
/// at the front camera 5.2 cm, was 7.4; chen's 3 cm 2.0, was 3.1), and gus's chin poke at the
/// laptop reads 1.4 cm (`drifting`, under the 1.75 cm threshold; 2.4 cm without the beard);
/// eli's stubble changes little. The figures are held at today's.
#[test]
fn a_beard_leaves_talking_alone_and_reads_forward_heads_low() {
    let setups = groundtruth_setups_in("beard");
    assert_eq!(setups.len(), 8, "4 people x front and laptop");
    let mut readings = Vec::new();
    let mut mouth_misread = Vec::new();
    let mut open_cm = Vec::new();
    for ((_, person, camera), records) in &setups {
        // Calibrated once: the talking below is read in the same home.
        let home = tempfile::tempdir().unwrap();
        readings.extend(read_setup_in(home.path(), records, records, &[], None));
        let (closed, open) = (
            render_of(records, "neutral"),
            render_of(records, "mouth_open_10deg"),
        );
        let talk = home.path().join("talk");
        let frames: Vec<&std::path::Path> = std::iter::repeat_n(closed.as_path(), 4)
            .chain(std::iter::repeat_n(open.as_path(), 4))
            .collect();
        camera_sequence(&talk, &frames);
        let analyzed = run_in(home.path(), &["analyze", "--json", talk.to_str().unwrap()]);
        assert!(analyzed.status.success(), "{person} {camera}");
        let lines = json_lines(&analyzed);
        assert_eq!(lines.len(), 8, "{person} {camera}");
        let (closed_line, open_line) = (&lines[3]["posture"], &lines[7]["posture"]);
        if closed_line["face"]["mouth_open"] != false
            || open_line["face"]["mouth_open"] != true
            || open_line["face"]["size_held"] != true
            || flags_forward(open_line["state"].as_str().unwrap())
        {
            mouth_misread.push(format!("{person} {camera}: {closed_line} / {open_line}"));
        }
        open_cm.push(open_line["forward_offset_cm"].as_f64().unwrap());
    }
    let by_camera = figures(&readings);
    print_figures("beards", &by_camera);
    note(&format!(
        "ground truth (beards): the mouth open 10 deg while talking read {open_cm:.2?} cm"
    ));
    for camera in ["front", "laptop"] {
        let f = &by_camera[camera];
        assert_eq!((f.neutral, f.forward), (4, 14), "{camera}: {f:?}");
        assert_eq!(f.neutral_good, f.neutral, "{camera}: {f:?}");
        assert_eq!(f.forward_called_good, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_as_forward, 0, "{camera}: {f:?}");
        assert_eq!(f.looking_down_recognised, f.looking_down, "{camera}: {f:?}");
    }
    let (front, laptop) = (&by_camera["front"], &by_camera["laptop"]);
    // 1.5 and 1.0 deg today (0.5 and 0.6 over the main set).
    assert!(front.median_pitch_error_deg() <= 1.6, "{front:?}");
    assert!(laptop.median_pitch_error_deg() <= 1.1, "{laptop:?}");
    assert_eq!(front.forward_flagged, 14, "{front:?}");
    assert!(laptop.forward_flagged >= 13, "{laptop:?}");
    assert!(front.median_error_cm() <= 1.05, "{front:?}");
    assert!(laptop.median_error_cm() <= 0.6, "{laptop:?}");
    assert!(mouth_misread.is_empty(), "{mouth_misread:#?}");
    assert!(open_cm.iter().all(|cm| cm.abs() < 1.0), "{open_cm:?}");
}

/// Talking (fixtures/groundtruth/mouth, the 7 people at the front and laptop cameras, rendered
/// 2026-12-06): the jaw opened 10 deg (talking) and 20 deg (an "ah", a yawn starting) with the
/// head at neutral, and 10 deg with the head 5 cm forward (`mouthfwd_10deg`). The face model
/// draws the whole face larger as the mouth opens, which reads as forward head when the mouth
/// is open from the first frame. Watched as a user is (calibrated at neutral, then sitting
/// still and speaking: neutral 2 s, the mouth open 2 s, neutral 1 s, opened further 2 s), a
/// frame with the mouth open takes the face's size from the last one with it closed
/// (`posture::mouth`), and no open mouth reads as forward head.
#[test]
fn an_open_mouth_is_not_read_as_forward_head() {
    let setups = groundtruth_setups_in("mouth");
    assert_eq!(setups.len(), 14, "7 people x front and laptop");
    let offset = |line: &Value| line["posture"]["forward_offset_cm"].as_f64();
    let mut held_cm = Vec::new();
    let mut alone_cm = Vec::new();
    let mut forward_flagged = Vec::new();
    let (mut open_flagged, mut not_held) = (Vec::new(), Vec::new());
    for ((_, person, camera), records) in &setups {
        let home = tempfile::tempdir().unwrap();
        let calibrated = calibrate_on_neutral_with(home.path(), records, &[]);
        assert!(calibrated.status.success(), "{person} {camera}");
        let render = |posture: &str| render_of(records, posture);
        let (neutral, open_10, open_20) = (
            render("neutral"),
            render("mouth_open_10deg"),
            render("mouth_open_20deg"),
        );
        let talk = home.path().join("talk");
        let frames: Vec<&std::path::Path> =
            [(&neutral, 4), (&open_10, 4), (&neutral, 2), (&open_20, 4)]
                .iter()
                .flat_map(|(image, count)| std::iter::repeat_n(image.as_path(), *count))
                .collect();
        camera_sequence(&talk, &frames);
        let forward = render("mouthfwd_10deg");
        let analyzed = run_in(
            home.path(),
            &[
                "analyze",
                "--json",
                talk.to_str().unwrap(),
                // Each PATH on its own: the mouth open from the first frame.
                open_10.to_str().unwrap(),
                forward.to_str().unwrap(),
            ],
        );
        assert!(analyzed.status.success());
        let lines = json_lines(&analyzed);
        assert_eq!(lines.len(), frames.len() + 2);
        // The last frame of each opening: open 10 deg is frames 4-7, open 20 deg 10-13.
        for open in [&lines[7], &lines[13]] {
            let face = &open["posture"]["face"];
            if !(face["mouth_open"] == true && face["size_held"] == true) {
                not_held.push(format!("{person} {camera}"));
            }
            if flags_forward(open["posture"]["state"].as_str().unwrap()) {
                open_flagged.push(format!("{person} {camera}"));
            }
            held_cm.push(offset(open).unwrap());
        }
        alone_cm.push(offset(&lines[frames.len()]).unwrap());
        let forward_line = &lines[frames.len() + 1];
        if flags_forward(forward_line["posture"]["state"].as_str().unwrap()) {
            forward_flagged.push(format!("{camera} {person}"));
        }
    }
    let largest = |values: &[f64]| values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    note(&format!(
        "ground truth (mouth open): while speaking, the mouth open 10/20 deg read {:.2} to {:.2} cm (median {:.2}); open 10 deg from the first frame {:.2} cm median, {:.2} at most",
        held_cm.iter().copied().fold(f64::INFINITY, f64::min),
        largest(&held_cm),
        median(&held_cm),
        median(&alone_cm),
        largest(&alone_cm),
    ));
    note(&format!(
        "ground truth (mouth open): the head 5 cm forward with the mouth open, read alone, flagged {}/14 {forward_flagged:?}",
        forward_flagged.len()
    ));
    // Held, an open mouth stays within what a still face wanders (without the hold the same
    // frames read 0.1-2.0 cm, median 1.4 cm); read alone it is not.
    assert!(largest(&held_cm) < 1.0, "{held_cm:?}");
    assert!(open_flagged.is_empty(), "{open_flagged:?}");
    assert!(not_held.is_empty(), "{not_held:?}");
    assert!(forward_flagged.len() >= 13, "{forward_flagged:?}");
}
