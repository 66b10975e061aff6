//! One test per class of config error, each showing its message.

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(text, Path::new("/home/me/.config/chintuck/config.toml"))
}

fn only_issue(text: &str) -> ConfigIssue {
    let err = parse(text).unwrap_err();
    assert_eq!(err.issues.len(), 1, "{err}");
    err.issues[0].clone()
}

#[test]
fn an_empty_file_is_the_defaults() {
    assert_eq!(parse("").unwrap(), Config::default());
    assert_eq!(
        Config::load(Path::new("/nonexistent/config.toml")).unwrap(),
        Config::default()
    );
}

#[test]
fn the_documented_file_round_trips_to_the_same_config() {
    let text = Config::default().to_documented_toml();
    assert_eq!(parse(&text).unwrap(), Config::default());
    assert!(text.contains("# Forward head must last this long (wall time) before an alert. Range 1 to 3600.\nhold_secs = 30.0"));
    let mut changed = Config::default();
    changed.monitor.hold_secs = 45.0;
    changed.profile = "standing desk".into();
    assert_eq!(parse(&changed.to_documented_toml()).unwrap(), changed);
}

#[test]
fn values_are_applied() {
    let config = parse(
        "[alerts]\nhold_secs = 45\n[camera]\nfov_deg = 78.5\n[general]\nprofile = \"office\"\n",
    )
    .unwrap();
    assert_eq!(config.monitor.hold_secs, 45.0);
    assert_eq!(config.measure.camera_fov_deg, 78.5);
    assert_eq!(config.profile, "office");
}

#[test]
fn syntax_errors_give_line_and_column() {
    let issue = only_issue("[alerts]\nhold_secs = 30\ncooldown_secs = = 5\n");
    assert_eq!(issue.line, 3, "{issue}");
    assert!(issue.column > 1);
    assert!(issue.message.starts_with("not valid TOML"), "{issue}");
}

#[test]
fn unknown_keys_are_errors_with_did_you_mean() {
    let issue = only_issue("[alerts]\nhold_sec = 30\n");
    assert_eq!((issue.line, issue.column), (2, 1));
    assert_eq!(
        issue.message,
        "unknown key `hold_sec` in [alerts]; did you mean `hold_secs`?"
    );
    // A key put in the wrong section is found in the right one.
    let issue = only_issue("[alerts]\nfov_deg = 70\n");
    assert_eq!(
        issue.message,
        "unknown key `fov_deg` in [alerts]; did you mean `fov_deg` in [camera]?"
    );
}

#[test]
fn unknown_sections_are_errors_with_did_you_mean() {
    let issue = only_issue("[alert]\nhold_secs = 30\n");
    assert_eq!(issue.line, 1);
    assert_eq!(
        issue.message,
        "unknown section [alert]; did you mean [alerts]?"
    );
}

#[test]
fn out_of_range_values_are_rejected_with_the_range() {
    let issue = only_issue("\n[thresholds]\ncva_enter_deg = 95\n");
    assert_eq!((issue.line, issue.column), (3, 1));
    assert_eq!(
        issue.message,
        "thresholds.cva_enter_deg = 95 is out of range: expected 20 to 70"
    );
}

#[test]
fn wrong_types_say_what_is_expected() {
    let issue = only_issue("[alerts]\nhold_secs = \"thirty\"\n");
    assert_eq!(
        issue.message,
        "alerts.hold_secs must be a number from 1 to 3600, not string"
    );
    let issue = only_issue("[general]\nprofile = 3\n");
    assert_eq!(
        issue.message,
        "general.profile must be a quoted string, not integer"
    );
}

#[test]
fn inconsistent_thresholds_are_rejected() {
    let issue = only_issue("[thresholds]\nforward_enter_cm = 2\nforward_exit_cm = 3\n");
    assert_eq!(issue.line, 3);
    assert!(
        issue
            .message
            .contains("must be lower than forward_enter_cm"),
        "{issue}"
    );
}

#[test]
fn every_problem_is_reported_at_once_with_the_file_name() {
    let err = parse("[alerts]\nhold_sec = 1\ncooldown_secs = -5\n[nope]\n").unwrap_err();
    assert_eq!(err.issues.len(), 3, "{err}");
    let text = err.to_string();
    assert!(
        text.starts_with("/home/me/.config/chintuck/config.toml has 3 problem(s):"),
        "{text}"
    );
    assert!(
        text.contains("config.toml:line 3, column 1: alerts.cooldown_secs = -5 is out of range"),
        "{text}"
    );
}

#[test]
fn distance_and_suggestions() {
    assert_eq!(levenshtein("kitten", "sitting"), 3);
    assert_eq!(closest("hold", ["hold_secs", "fps"].into_iter()), None);
    assert_eq!(
        closest("hodl_secs", ["hold_secs", "fps"].into_iter()),
        Some("hold_secs")
    );
}

#[test]
fn the_watcher_reports_a_saved_change_and_an_invalid_edit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "[alerts]\nhold_secs = 30\n").unwrap();
    let mut watcher = watch::ConfigWatcher::new(&path).unwrap();
    assert!(watcher.poll().is_none());
    let wait_for_change = |watcher: &mut watch::ConfigWatcher| {
        // Events arrive from the watcher thread; give them up to 10 s.
        for _ in 0..200 {
            if let Some(result) = watcher.poll() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("no change seen");
    };
    std::fs::write(&path, "[alerts]\nhold_secs = 45\n").unwrap();
    assert_eq!(
        wait_for_change(&mut watcher).unwrap().monitor.hold_secs,
        45.0
    );
    std::fs::write(&path, "[alerts]\nhold_secs = 0\n").unwrap();
    let err = wait_for_change(&mut watcher).unwrap_err();
    assert!(
        err.to_string().contains("hold_secs = 0 is out of range"),
        "{err}"
    );
}

#[test]
fn sinks_commands_and_working_hours_are_checked() {
    let config = parse("[alerts]\nsinks = [\"terminal\", \"command\"]\ncommand = [\"logger\", \"-t\", \"posture\"]\n[schedule]\nworking_days = \"mon,tue\"\nworking_hours = \"08:30-17:00\"\n").unwrap();
    assert_eq!(config.alert_command, ["logger", "-t", "posture"]);
    let hours = config.working_hours.unwrap();
    assert_eq!((hours.start_minute, hours.end_minute), (510, 1020));
    assert_eq!(hours.days, [true, true, false, false, false, false, false]);
    assert_eq!(parse(&config.to_documented_toml()).unwrap(), config);

    let issue = only_issue("[alerts]\nsinks = [\"desktp\"]\n");
    assert_eq!(
        issue.message,
        "alerts.sinks: unknown sink \"desktp\" (did you mean \"desktop\"?); sinks are terminal, desktop, sound, command"
    );
    let issue = only_issue("[alerts]\nsinks = [\"command\"]\n");
    assert!(
        issue.message.contains("alerts.command is needed"),
        "{issue}"
    );
    let issue = only_issue("[schedule]\nworking_hours = \"9 to 5\"\n");
    assert!(
        issue.message.contains("expected like \"09:00-18:00\""),
        "{issue}"
    );
    let issue = only_issue("[alerts]\nsinks = \"desktop\"\n");
    assert!(
        issue.message.contains("must be a list of quoted strings"),
        "{issue}"
    );
}

#[test]
fn the_camera_resolution_is_a_picture_size_the_camera_is_asked_for() {
    assert_eq!(
        parse("").unwrap().camera_resolution,
        crate::capture::FrameSize::default()
    );
    let config = parse("[camera]\nresolution = \"1280x720\"\n").unwrap();
    assert_eq!(
        (
            config.camera_resolution.width_px,
            config.camera_resolution.height_px
        ),
        (1280, 720)
    );
    let issue = only_issue("[camera]\nresolution = \"720p\"\n");
    assert_eq!((issue.line, issue.column), (2, 1));
    assert!(
        issue.message.contains(
            "camera.resolution = \"720p\" is not a picture size: expected like \"1280x720\""
        ),
        "{issue}"
    );
    let issue = only_issue("[camera]\nresolution = 1280\n");
    assert!(issue.message.contains("must be a quoted string"), "{issue}");
}

#[test]
fn the_looking_down_pitch_is_one_number_for_measuring_and_for_the_state_machine() {
    let config = parse("[measure]\nlooking_down_pitch_deg = 12\n").unwrap();
    assert_eq!(config.measure.looking_down_pitch_deg, 12.0);
    assert_eq!(config.monitor.looking_down_pitch_deg, 12.0);
    assert_eq!(
        Config::default().monitor.looking_down_pitch_deg,
        Config::default().measure.looking_down_pitch_deg
    );
}

#[test]
fn the_chin_poke_thresholds_are_one_number_each_for_measuring_and_for_the_alert() {
    let config =
        parse("[measure]\nchin_poke_pitch_deg = 9\nchin_poke_min_offset_cm = 2.5\n").unwrap();
    assert_eq!(config.measure.chin_poke_pitch_deg, 9.0);
    assert_eq!(config.monitor.chin_poke_pitch_deg, 9.0);
    assert_eq!(config.measure.chin_poke_min_offset_cm, 2.5);
    assert_eq!(config.monitor.chin_poke_min_offset_cm, 2.5);
    let defaults = Config::default();
    assert_eq!(
        defaults.monitor.chin_poke_pitch_deg,
        defaults.measure.chin_poke_pitch_deg
    );
    assert_eq!(
        defaults.monitor.chin_poke_min_offset_cm,
        defaults.measure.chin_poke_min_offset_cm
    );
}
