//! Config: one TOML file with every threshold, checked strictly.
//!
//! The schema below is the single source of truth: it gives each key its
//! section, range, default and documentation, so `config init` writes a
//! documented file, `config check` and every load report a bad line with its
//! position, an unknown key with a did-you-mean, and a value out of range with
//! the range. Live reload lives in `watch`.

pub mod watch;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::capture::FrameSize;
use crate::monitor::MonitorSettings;
use crate::monitor::activity::WorkingHours;
use crate::monitor::sampling::SamplingSettings;
use crate::posture::MeasureSettings;
use crate::posture::calibration::CalibrationLimits;

/// Everything a user can tune.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub measure: MeasureSettings,
    pub monitor: MonitorSettings,
    pub calibration: CalibrationLimits,
    pub sampling: SamplingSettings,
    /// Frames per second to sample a camera or replay a folder.
    pub fps: f64,
    /// Calibration profile used when none is named (a desk/camera setup).
    pub profile: String,
    /// Where the model files are, if not in the default places.
    pub models_dir: Option<PathBuf>,
    /// Where alerts go: "terminal", "desktop", "sound", "command".
    pub alert_sinks: Vec<String>,
    /// The user's alert command; the alert arrives as JSON on its stdin.
    pub alert_command: Vec<String>,
    /// How long "Snooze" from a notification lasts, seconds.
    pub snooze_secs: f64,
    /// Local hours and days to watch; outside them the camera stays off.
    pub working_hours: Option<WorkingHours>,
    /// The camera to watch through: an index or part of its name; empty = the first.
    pub camera_device: String,
    /// The picture size asked of the camera.
    pub camera_resolution: FrameSize,
    /// Days the per-sample track is kept (episodes and daily summaries stay).
    pub history_retention_days: f64,
    /// Seconds between writes to the history.
    pub history_flush_secs: f64,
    /// Working days read before the hours (TOML keys come in any order).
    pending_working_days: Option<[bool; 7]>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            measure: MeasureSettings::default(),
            monitor: MonitorSettings::default(),
            calibration: CalibrationLimits::default(),
            sampling: SamplingSettings::default(),
            fps: 2.0,
            profile: "default".into(),
            models_dir: None,
            alert_sinks: vec!["terminal".into(), "desktop".into()],
            alert_command: Vec::new(),
            snooze_secs: 1800.0,
            working_hours: None,
            camera_device: String::new(),
            camera_resolution: FrameSize::default(),
            history_retention_days: 180.0,
            history_flush_secs: 5.0,
            pending_working_days: None,
        }
    }
}

type Get = fn(&Config) -> f64;
type Set = fn(&mut Config, f64);

enum Access {
    Number {
        get: Get,
        set: Set,
        min: f64,
        max: f64,
        integer: bool,
    },
    Text {
        get: fn(&Config) -> String,
        set: fn(&mut Config, String),
    },
    List {
        get: fn(&Config) -> Vec<String>,
        set: fn(&mut Config, Vec<String>),
    },
}

struct Key {
    section: &'static str,
    name: &'static str,
    doc: &'static str,
    access: Access,
}

macro_rules! number {
    ($section:literal, $name:literal, $min:expr, $max:expr, $doc:literal, $($field:ident).+) => {
        Key {
            section: $section,
            name: $name,
            doc: $doc,
            access: Access::Number {
                get: |c| c.$($field).+ as f64,
                set: |c, v| c.$($field).+ = v as _,
                min: $min,
                max: $max,
                integer: false,
            },
        }
    };
}

/// A `[measure]` threshold the monitor reads too: one number, set in both.
macro_rules! measure_and_monitor {
    ($name:literal, $min:expr, $max:expr, $doc:literal, $field:ident) => {
        Key {
            section: "measure",
            name: $name,
            doc: $doc,
            access: Access::Number {
                get: |c| c.measure.$field as f64,
                set: |c, v| {
                    c.measure.$field = v as f32;
                    c.monitor.$field = v as f32;
                },
                min: $min,
                max: $max,
                integer: false,
            },
        }
    };
}

/// Every key, in the order `config init` writes them.
static SCHEMA: &[Key] = &[
    number!(
        "general",
        "fps",
        0.1,
        30.0,
        "Frames per second to sample the camera or replay a folder.",
        fps
    ),
    Key {
        section: "general",
        name: "profile",
        doc: "Calibration profile to use: one per desk/camera setup.",
        access: Access::Text {
            get: |c| c.profile.clone(),
            set: |c, v| c.profile = v,
        },
    },
    Key {
        section: "general",
        name: "models_dir",
        doc: "Folder with the model files; empty = next to the binary or the source tree.",
        access: Access::Text {
            get: |c| {
                c.models_dir
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default()
            },
            set: |c, v| c.models_dir = (!v.is_empty()).then(|| PathBuf::from(v)),
        },
    },
    Key {
        section: "camera",
        name: "device",
        doc: "Camera to use: its index or part of its name from `chintuck cameras`; empty = the first.",
        access: Access::Text {
            get: |c| c.camera_device.clone(),
            set: |c, v| c.camera_device = v,
        },
    },
    Key {
        section: "camera",
        name: "resolution",
        doc: "Picture size to ask the camera for, \"WIDTHxHEIGHT\"; it gives the nearest it offers (`chintuck cameras` lists them). A larger picture gives a far or wide-angle face the pixels it needs (calibrate says when) for more CPU; a wider picture may also show a wider view: set fov_deg for it and calibrate again. Read when chintuck starts.",
        access: Access::Text {
            get: |c| c.camera_resolution.to_string(),
            set: |c, v| c.camera_resolution = FrameSize::parse(&v).unwrap_or_default(),
        },
    },
    number!(
        "camera",
        "fov_deg",
        30.0,
        150.0,
        "Horizontal field of view of the camera, degrees (laptop webcams: 60-75).",
        measure.camera_fov_deg
    ),
    number!(
        "measure",
        "min_visibility",
        0.05,
        0.99,
        "Landmarks the model sees with less visibility than this are not used.",
        measure.min_visibility
    ),
    number!(
        "measure",
        "head_breadth_cm",
        10.0,
        20.0,
        "Ear-to-ear breadth of your head, cm (typical adult: 14.5).",
        measure.head_breadth_cm
    ),
    number!(
        "measure",
        "side_view_max_shoulder_ratio",
        0.1,
        1.5,
        "Shoulder width / neck length below which the camera is taken to be beside you.",
        measure.side_view_max_shoulder_ratio
    ),
    number!(
        "measure",
        "max_face_yaw_deg",
        5.0,
        80.0,
        "Face turned more than this from the camera, degrees: the camera is too far to your side and the frame is uncertain (measured up to a camera 30 degrees to the side).",
        measure.max_face_yaw_deg
    ),
    number!(
        "measure",
        "max_face_turn_deg",
        5.0,
        80.0,
        "Face turned more than this from where it faced at calibration, degrees: the frame is uncertain (turning swings the face back from the camera).",
        measure.max_face_turn_deg
    ),
    // One number, two readers: the measurement (which offset counts while
    // looking down) and the state machine (the looking_down state).
    measure_and_monitor!(
        "looking_down_pitch_deg",
        2.0,
        45.0,
        "Face pitched down this much from neutral, degrees, is looking down: its growth is not taken for a forward head.",
        looking_down_pitch_deg
    ),
    // One number, two readers: the measurement's chin_poke flag and the
    // monitor's alert, which says the chin pokes out.
    measure_and_monitor!(
        "chin_poke_pitch_deg",
        1.0,
        45.0,
        "Face tilted up this much from neutral, degrees, while forward is a chin poke (said in the alert).",
        chin_poke_pitch_deg
    ),
    measure_and_monitor!(
        "chin_poke_min_offset_cm",
        0.0,
        20.0,
        "A chin poke needs the head at least this far forward, cm.",
        chin_poke_min_offset_cm
    ),
    number!(
        "alerts",
        "hold_secs",
        1.0,
        3600.0,
        "Forward head must last this long (wall time) before an alert.",
        monitor.hold_secs
    ),
    number!(
        "alerts",
        "cooldown_secs",
        0.0,
        86400.0,
        "At least this long between two alerts.",
        monitor.cooldown_secs
    ),
    number!(
        "alerts",
        "repeat_secs",
        0.0,
        86400.0,
        "While forward head goes on, alert again after this much more of it; 0 = never.",
        monitor.repeat_secs
    ),
    number!(
        "alerts",
        "recover_secs",
        0.0,
        600.0,
        "An episode ends after this long out of forward head.",
        monitor.recover_secs
    ),
    number!(
        "alerts",
        "away_secs",
        0.5,
        3600.0,
        "Nobody in view this long counts as away (ends the episode; never bad time).",
        monitor.away_secs
    ),
    Key {
        section: "alerts",
        name: "sinks",
        doc: "Where alerts go, any of \"terminal\", \"desktop\" (notifications), \"sound\", \"command\".",
        access: Access::List {
            get: |c| c.alert_sinks.clone(),
            set: |c, v| c.alert_sinks = v,
        },
    },
    Key {
        section: "alerts",
        name: "command",
        doc: "With the \"command\" sink: program and arguments run per alert, the alert as JSON on stdin.",
        access: Access::List {
            get: |c| c.alert_command.clone(),
            set: |c, v| c.alert_command = v,
        },
    },
    number!(
        "alerts",
        "snooze_secs",
        60.0,
        86400.0,
        "How long \"Snooze\" on a notification lasts.",
        snooze_secs
    ),
    Key {
        section: "schedule",
        name: "working_hours",
        doc: "Local hours to watch, e.g. \"09:00-18:00\"; empty = always. Outside them the camera is off.",
        access: Access::Text {
            get: get_working_hours,
            set: set_working_hours,
        },
    },
    Key {
        section: "schedule",
        name: "working_days",
        doc: "Days the working hours apply, e.g. \"mon-fri\", \"mon,wed,fri\", \"all\".",
        access: Access::Text {
            get: get_working_days,
            set: set_working_days,
        },
    },
    number!(
        "sampling",
        "steady_interval_secs",
        0.1,
        60.0,
        "Between samples while posture is good and steady, seconds.",
        sampling.steady_interval_secs
    ),
    number!(
        "sampling",
        "active_interval_secs",
        0.1,
        60.0,
        "Between samples while drifting or in an episode, seconds.",
        sampling.active_interval_secs
    ),
    number!(
        "sampling",
        "away_interval_secs",
        0.1,
        600.0,
        "Between samples while nobody is there, seconds.",
        sampling.away_interval_secs
    ),
    number!(
        "sampling",
        "min_change",
        0.0,
        255.0,
        "A frame whose most-changed 2% differs less than this (0-255) from the last inferred one reuses its result; 0 = never reuse.",
        sampling.min_change
    ),
    number!(
        "sampling",
        "max_reuse_secs",
        0.0,
        60.0,
        "Run the model at least this often even when nothing changes, seconds; at most 2 s apart when the last reading came from the ears alone (no face), which are noisier.",
        sampling.max_reuse_secs
    ),
    number!(
        "sampling",
        "nobody_reuse_secs",
        0.0,
        600.0,
        "When the last reading found nobody, read an unchanged picture again at most this often, seconds (someone arriving changes it, and is read at once); 0 = never reuse.",
        sampling.nobody_reuse_secs
    ),
    number!(
        "sampling",
        "body_every_secs",
        0.0,
        60.0,
        "While the face is tracked, run the body model (shoulders) at most this long apart, seconds; also when the face is lost or moves a lot. 0 = every sample.",
        sampling.body_every_secs
    ),
    number!(
        "sampling",
        "noisy_picture_level",
        0.0,
        255.0,
        "From this much sensor noise (grey levels, from how two frames of a still scene differ; a clean picture reads under 1.6, a dim, noisy room 3 and more) the frames of a still scene are averaged for the models, which then decode every sampled frame in colour; 0 = any still scene, 255 = never.",
        sampling.noisy_picture_level
    ),
    number!(
        "alerts",
        "looking_down_alert_secs",
        0.0,
        86400.0,
        "Alert after looking down this long (\"text neck\"); 0 = never.",
        monitor.looking_down_alert_secs
    ),
    number!(
        "thresholds",
        "forward_enter_cm",
        0.5,
        20.0,
        "Head this far forward of neutral (cm) is forward head posture.",
        monitor.forward_enter_cm
    ),
    number!(
        "thresholds",
        "forward_exit_cm",
        0.0,
        20.0,
        "Forward head ends only below this (cm); lower than forward_enter_cm.",
        monitor.forward_exit_cm
    ),
    number!(
        "thresholds",
        "drifting_cm",
        0.0,
        20.0,
        "From this far forward (cm) posture is drifting.",
        monitor.drifting_cm
    ),
    number!(
        "thresholds",
        "uncalibrated_scale",
        1.0,
        5.0,
        "Without a calibration, centimetre thresholds are multiplied by this.",
        monitor.uncalibrated_scale
    ),
    number!(
        "thresholds",
        "looking_down_pitch_ratio",
        0.02,
        1.0,
        "Nose and mouth this much lower against the ears (in ear spans) is looking down.",
        monitor.looking_down_pitch_ratio
    ),
    number!(
        "thresholds",
        "cva_enter_deg",
        20.0,
        70.0,
        "Side view: craniovertebral angle below this is forward head (neck pain group 43.9, controls 50.6).",
        monitor.cva_enter_deg
    ),
    number!(
        "thresholds",
        "cva_exit_deg",
        20.0,
        75.0,
        "Side view: forward head ends only above this angle.",
        monitor.cva_exit_deg
    ),
    number!(
        "thresholds",
        "marked_cm",
        0.5,
        30.0,
        "Severity marked from this far forward (cm).",
        monitor.marked_cm
    ),
    number!(
        "thresholds",
        "severe_cm",
        0.5,
        30.0,
        "Severity severe from this far forward (cm).",
        monitor.severe_cm
    ),
    number!(
        "thresholds",
        "marked_cva_deg",
        20.0,
        70.0,
        "Side view: severity marked below this angle.",
        monitor.marked_cva_deg
    ),
    number!(
        "thresholds",
        "severe_cva_deg",
        10.0,
        70.0,
        "Side view: severity severe below this angle.",
        monitor.severe_cva_deg
    ),
    number!(
        "smoothing",
        "min_cutoff_hz",
        0.01,
        10.0,
        "One-euro filter: lower = smoother when still.",
        monitor.smoothing.min_cutoff_hz
    ),
    number!(
        "smoothing",
        "beta",
        0.0,
        10.0,
        "One-euro filter: higher = less lag on real movement.",
        monitor.smoothing.beta
    ),
    number!(
        "calibration",
        "max_head_size_spread",
        0.005,
        0.5,
        "Calibration refuses if head size varies more than this (fraction).",
        calibration.max_head_size_spread
    ),
    number!(
        "calibration",
        "max_neck_height_spread",
        0.005,
        0.5,
        "Calibration refuses if neck height varies more than this (shoulder widths).",
        calibration.max_neck_height_spread
    ),
    number!(
        "history",
        "retention_days",
        1.0,
        36500.0,
        "Days the per-second track is kept; episodes, alerts and daily summaries stay.",
        history_retention_days
    ),
    number!(
        "history",
        "flush_secs",
        1.0,
        300.0,
        "Seconds between writes to the history (a crash loses at most this much).",
        history_flush_secs
    ),
];

/// The alert sinks chintuck knows.
pub const SINK_NAMES: [&str; 4] = ["terminal", "desktop", "sound", "command"];

const SECTIONS: [&str; 10] = [
    "general",
    "camera",
    "measure",
    "alerts",
    "schedule",
    "history",
    "sampling",
    "thresholds",
    "smoothing",
    "calibration",
];

/// One problem in a config file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigIssue {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// A config file that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ConfigError {
    pub path: PathBuf,
    pub issues: Vec<ConfigIssue>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} has {} problem(s):",
            self.path.display(),
            self.issues.len()
        )?;
        for issue in &self.issues {
            write!(f, "\n  {}:{issue}", self.path.display())?;
        }
        write!(
            f,
            "\n  (`chintuck config init --force` writes a fresh documented file)"
        )
    }
}

/// Edit distance, for "did you mean".
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            previous = current;
        }
    }
    row[b.len()]
}

fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|candidate| (levenshtein(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Line and column (1-based) of `key` inside `[section]` in the text, or of
/// the section header when `key` is None.
fn locate(text: &str, section: &str, key: Option<&str>) -> (usize, usize) {
    let mut current = String::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(header) = trimmed.strip_prefix('[') {
            current = header.split(']').next().unwrap_or("").trim().to_owned();
            if key.is_none() && current == section {
                return (index + 1, indent + 1);
            }
            continue;
        }
        if let Some(key) = key
            && current == section
        {
            let name = trimmed
                .split('=')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if name == key && trimmed.contains('=') {
                return (index + 1, indent + 1);
            }
        }
    }
    (1, 1)
}

impl Config {
    /// Parses and checks a config text; `path` is only for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let error = |issues| ConfigError {
            path: path.to_owned(),
            issues,
        };
        let table: toml::Table = toml::from_str(text).map_err(|err| {
            let (line, column) = err
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |at| at + 1) + 1;
                    (line, column)
                })
                .unwrap_or((1, 1));
            error(vec![ConfigIssue {
                line,
                column,
                message: format!("not valid TOML: {}", err.message()),
            }])
        })?;

        let mut config = Config::default();
        let mut issues = Vec::new();
        for (section, value) in &table {
            let (line, column) = locate(text, section, None);
            if !SECTIONS.contains(&section.as_str()) {
                let hint = closest(section, SECTIONS.iter().copied())
                    .map(|s| format!("; did you mean [{s}]?"))
                    .unwrap_or_else(|| {
                        format!(
                            "; sections are {}",
                            SECTIONS.map(|s| format!("[{s}]")).join(", ")
                        )
                    });
                issues.push(ConfigIssue {
                    line,
                    column,
                    message: format!("unknown section [{section}]{hint}"),
                });
                continue;
            }
            let Some(keys) = value.as_table() else {
                issues.push(ConfigIssue {
                    line,
                    column,
                    message: format!("{section} must be a section ([{section}]), not a value"),
                });
                continue;
            };
            for (name, value) in keys {
                let (line, column) = locate(text, section, Some(name));
                let Some(key) = SCHEMA
                    .iter()
                    .find(|k| k.section == section && k.name == name)
                else {
                    let here = closest(
                        name,
                        SCHEMA
                            .iter()
                            .filter(|k| k.section == section)
                            .map(|k| k.name),
                    )
                    .map(|k| format!("; did you mean `{k}`?"));
                    let elsewhere = || {
                        SCHEMA
                            .iter()
                            .find(|k| k.name == name || levenshtein(k.name, name) <= 2)
                            .map(|k| format!("; did you mean `{}` in [{}]?", k.name, k.section))
                    };
                    let hint = here.or_else(elsewhere).unwrap_or_default();
                    issues.push(ConfigIssue {
                        line,
                        column,
                        message: format!("unknown key `{name}` in [{section}]{hint}"),
                    });
                    continue;
                };
                match (&key.access, value) {
                    (
                        Access::Number {
                            set,
                            min,
                            max,
                            integer,
                            ..
                        },
                        toml::Value::Integer(_) | toml::Value::Float(_),
                    ) => {
                        let number = value
                            .as_float()
                            .or_else(|| value.as_integer().map(|i| i as f64))
                            .unwrap_or(f64::NAN);
                        if !(number >= *min && number <= *max)
                            || (*integer && number.fract() != 0.0)
                        {
                            issues.push(ConfigIssue {
                                line,
                                column,
                                message: format!("{section}.{name} = {number} is out of range: expected {min} to {max}"),
                            });
                        } else {
                            set(&mut config, number);
                        }
                    }
                    (Access::Text { set, .. }, toml::Value::String(text)) => {
                        match text_problem(section, name, text) {
                            Some(message) => issues.push(ConfigIssue { line, column, message }),
                            None => set(&mut config, text.clone()),
                        }
                    }
                    (Access::List { set, .. }, toml::Value::Array(items)) => {
                        let texts: Option<Vec<String>> =
                            items.iter().map(|item| item.as_str().map(str::to_owned)).collect();
                        match texts.map(|texts| (list_problem(section, name, &texts), texts)) {
                            Some((None, texts)) => set(&mut config, texts),
                            Some((Some(message), _)) => issues.push(ConfigIssue { line, column, message }),
                            None => issues.push(ConfigIssue {
                                line,
                                column,
                                message: format!("{section}.{name} must be a list of quoted strings"),
                            }),
                        }
                    }
                    (Access::List { .. }, other) => issues.push(ConfigIssue {
                        line,
                        column,
                        message: format!(
                            "{section}.{name} must be a list of quoted strings like [\"a\", \"b\"], not {}",
                            other.type_str()
                        ),
                    }),
                    (Access::Number { min, max, .. }, other) => issues.push(ConfigIssue {
                        line,
                        column,
                        message: format!(
                            "{section}.{name} must be a number from {min} to {max}, not {}",
                            other.type_str()
                        ),
                    }),
                    (Access::Text { .. }, other) => issues.push(ConfigIssue {
                        line,
                        column,
                        message: format!(
                            "{section}.{name} must be a quoted string, not {}",
                            other.type_str()
                        ),
                    }),
                }
            }
        }
        config.pending_working_days = None;
        issues.extend(config.consistency_issues(text));
        if issues.is_empty() {
            Ok(config)
        } else {
            Err(error(issues))
        }
    }

    /// Rules between keys: hysteresis must go the right way, severities rise,
    /// the command sink has a command.
    fn consistency_issues(&self, text: &str) -> Vec<ConfigIssue> {
        let m = &self.monitor;
        let rules = [
            (
                m.forward_exit_cm < m.forward_enter_cm,
                "thresholds",
                "forward_exit_cm",
                "must be lower than forward_enter_cm (hysteresis)",
            ),
            (
                m.drifting_cm <= m.forward_enter_cm,
                "thresholds",
                "drifting_cm",
                "must not be above forward_enter_cm",
            ),
            (
                m.cva_exit_deg > m.cva_enter_deg,
                "thresholds",
                "cva_exit_deg",
                "must be higher than cva_enter_deg (hysteresis)",
            ),
            (
                m.marked_cm >= m.forward_enter_cm && m.severe_cm > m.marked_cm,
                "thresholds",
                "severe_cm",
                "needs forward_enter_cm <= marked_cm < severe_cm",
            ),
            (
                m.marked_cva_deg <= m.cva_enter_deg && m.severe_cva_deg < m.marked_cva_deg,
                "thresholds",
                "severe_cva_deg",
                "needs severe_cva_deg < marked_cva_deg <= cva_enter_deg",
            ),
        ];
        let command_missing =
            self.alert_sinks.iter().any(|s| s == "command") && self.alert_command.is_empty();
        let rules = rules.into_iter().chain([(
            !command_missing,
            "alerts",
            "command",
            "is needed when sinks has \"command\": e.g. command = [\"notify-send\", \"posture\"]",
        )]);
        rules
            .into_iter()
            .filter(|(ok, ..)| !ok)
            .map(|(_, section, key, why)| {
                let (line, column) = locate(text, section, Some(key));
                ConfigIssue {
                    line,
                    column,
                    message: format!("{section}.{key} {why}"),
                }
            })
            .collect()
    }

    /// Reads and checks a config file. A missing file is the defaults.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text, path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(err) => Err(ConfigError {
                path: path.to_owned(),
                issues: vec![ConfigIssue {
                    line: 1,
                    column: 1,
                    message: format!("cannot read the file: {err}"),
                }],
            }),
        }
    }

    /// The config as a documented TOML file; every key present.
    pub fn to_documented_toml(&self) -> String {
        let mut out = String::from(
            "# chintuck configuration. Every key is optional: a missing key keeps its default.\n\
             # `chintuck config check` validates this file; a running monitor reloads it on save.\n",
        );
        for section in SECTIONS {
            out.push_str(&format!("\n[{section}]\n"));
            for key in SCHEMA.iter().filter(|k| k.section == section) {
                let value = match &key.access {
                    Access::Number { get, min, max, .. } => {
                        out.push_str(&format!("# {} Range {min} to {max}.\n", key.doc));
                        format_number(get(self))
                    }
                    Access::Text { get, .. } => {
                        out.push_str(&format!("# {}\n", key.doc));
                        toml::Value::String(get(self)).to_string()
                    }
                    Access::List { get, .. } => {
                        out.push_str(&format!("# {}\n", key.doc));
                        toml::Value::Array(get(self).into_iter().map(toml::Value::String).collect())
                            .to_string()
                    }
                };
                out.push_str(&format!("{} = {value}\n", key.name));
            }
        }
        out
    }
}

const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];
const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn get_working_hours(c: &Config) -> String {
    c.working_hours
        .map(|h| {
            format!(
                "{:02}:{:02}-{:02}:{:02}",
                h.start_minute / 60,
                h.start_minute % 60,
                h.end_minute / 60,
                h.end_minute % 60
            )
        })
        .unwrap_or_default()
}

fn set_working_hours(c: &mut Config, text: String) {
    let days = c
        .pending_working_days
        .or(c.working_hours.map(|h| h.days))
        .unwrap_or(WEEKDAYS);
    c.working_hours =
        WorkingHours::parse_hours(&text).map(|(start_minute, end_minute)| WorkingHours {
            start_minute,
            end_minute,
            days,
        });
}

fn get_working_days(c: &Config) -> String {
    let days = c.working_hours.map(|h| h.days).unwrap_or(WEEKDAYS);
    DAY_NAMES
        .iter()
        .zip(days)
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(",")
}

/// Days only matter with hours; keys may come in either order, so the days
/// are kept aside until the hours arrive.
fn set_working_days(c: &mut Config, text: String) {
    if let Some(days) = WorkingHours::parse_days(&text) {
        c.pending_working_days = Some(days);
        if let Some(hours) = c.working_hours.as_mut() {
            hours.days = days;
        }
    }
}

/// Text values with a format of their own.
fn text_problem(section: &str, name: &str, text: &str) -> Option<String> {
    match name {
        "working_hours" if !text.is_empty() && WorkingHours::parse_hours(text).is_none() => {
            Some(format!(
                "{section}.{name} = \"{text}\" is not a time range: expected like \"09:00-18:00\" (24-hour clock)"
            ))
        }
        "working_days" if WorkingHours::parse_days(text).is_none() => Some(format!(
            "{section}.{name} = \"{text}\" is not a list of days: expected like \"mon-fri\", \"mon,wed,fri\" or \"all\""
        )),
        "resolution" if FrameSize::parse(text).is_none() => Some(format!(
            "{section}.{name} = \"{text}\" is not a picture size: expected like \"1280x720\", {} to {} pixels wide and {} to {} high",
            FrameSize::WIDTH_PX.start(),
            FrameSize::WIDTH_PX.end(),
            FrameSize::HEIGHT_PX.start(),
            FrameSize::HEIGHT_PX.end(),
        )),
        _ => None,
    }
}

fn list_problem(section: &str, name: &str, items: &[String]) -> Option<String> {
    if name != "sinks" {
        return None;
    }
    items
        .iter()
        .find(|item| !SINK_NAMES.contains(&item.as_str()))
        .map(|unknown| {
            let hint = closest(unknown, SINK_NAMES.iter().copied())
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            format!(
                "{section}.{name}: unknown sink \"{unknown}\"{hint}; sinks are {}",
                SINK_NAMES.join(", ")
            )
        })
}

fn format_number(value: f64) -> String {
    let rounded = (value * 1e6).round() / 1e6;
    if rounded.fract() == 0.0 {
        format!("{rounded:.1}")
    } else {
        format!("{rounded}")
    }
}

/// `$XDG_CONFIG_HOME/chintuck/config.toml`, else `~/.config/chintuck/config.toml`.
pub fn default_path() -> PathBuf {
    xdg_dir("XDG_CONFIG_HOME", ".config").join("chintuck/config.toml")
}

/// `$XDG_DATA_HOME/chintuck`, else `~/.local/share/chintuck`: profiles and history.
pub fn data_dir() -> PathBuf {
    xdg_dir("XDG_DATA_HOME", ".local/share").join("chintuck")
}

fn xdg_dir(variable: &str, fallback: &str) -> PathBuf {
    match std::env::var_os(variable) {
        Some(dir) if Path::new(&dir).is_absolute() => PathBuf::from(dir),
        _ => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("."))
            .join(fallback),
    }
}

#[cfg(test)]
mod tests;
