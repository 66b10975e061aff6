//! The `chintuck` command line: parses arguments and wires the stages together
//! (the wiring of each command lives in `cli/`).

mod cli;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use chintuck::pose::blazepose::LandmarkModel;

#[derive(Parser, Debug)]
#[command(
    name = "chintuck",
    version,
    about = "A webcam posture monitor: warns when forward head posture lasts"
)]
struct Cli {
    /// Folder of model files to use instead of the built-in ones (default: the
    /// config's models_dir, else the models built into chintuck).
    #[arg(long, global = true, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Config file (default: $XDG_CONFIG_HOME/chintuck/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Folder for the history and calibration profiles (default:
    /// $XDG_DATA_HOME/chintuck).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Find the head and shoulders in images and measure posture.
    ///
    /// Each PATH is an image (png, jpg) or a folder of images, processed in
    /// file-name order as one sequence so that tracking and posture timing
    /// carry between frames.
    Analyze {
        /// Print one JSON object per image instead of a summary.
        #[arg(long)]
        json: bool,
        /// Write the image with the skeleton drawn: a file for a single image,
        /// else a folder that gets NAME.annotated.png per image (NAME-2... for a
        /// name met again).
        #[arg(long, value_name = "OUT")]
        annotate: Option<PathBuf>,
        /// Landmark model: lite (fast) or full (more accurate).
        #[arg(long, default_value_t = LandmarkModel::Lite)]
        model: LandmarkModel,
        #[command(flatten)]
        replay: ReplayArgs,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Watch posture and alert when forward head posture lasts.
    Run {
        /// Replay an image or a folder of frames as if it were the camera.
        #[arg(long, value_name = "PATH", conflicts_with = "camera")]
        source: Option<PathBuf>,
        /// Camera to watch: its index or part of its name (`chintuck cameras`);
        /// default: the config's camera.device, else the first camera.
        #[arg(long, value_name = "INDEX|NAME")]
        camera: Option<String>,
        /// Do not wait between frames: replay as fast as possible.
        #[arg(long)]
        no_wait: bool,
        /// Keep a replay in the history too (the camera is always recorded;
        /// replays are not, so trying chintuck leaves your history clean).
        #[arg(long, requires = "source")]
        record: bool,
        /// Print events as JSON lines.
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = LandmarkModel::Lite)]
        model: LandmarkModel,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// Record your neutral (good) posture as the baseline for a desk/camera setup.
    Calibrate {
        /// Calibrate from an image or a folder of frames instead of the camera.
        #[arg(long, value_name = "PATH", conflicts_with = "camera")]
        source: Option<PathBuf>,
        /// Camera to use: its index or part of its name (`chintuck cameras`).
        #[arg(long, value_name = "INDEX|NAME")]
        camera: Option<String>,
        /// Length of the calibration window, seconds.
        #[arg(long, default_value_t = 10.0)]
        secs: f64,
        /// How far your eyes are from the camera, centimetres, as you measured
        /// it (20-300). Without it the distance is estimated from an average
        /// face and `[camera] fov_deg`; forward offsets in cm are in proportion
        /// to it, so a measured distance makes them right for your lens and face.
        #[arg(long, value_name = "CM")]
        distance_cm: Option<f32>,
        #[arg(long, default_value_t = LandmarkModel::Lite)]
        model: LandmarkModel,
        #[command(flatten)]
        replay: ReplayArgs,
    },
    /// List the cameras chintuck can watch through, with their formats.
    Cameras {
        /// Print one JSON object per camera.
        #[arg(long)]
        json: bool,
        /// Also open each camera, take a frame at `[camera] resolution` and
        /// close it again.
        #[arg(long)]
        check: bool,
    },
    /// The alert log: when, how long, how far forward, what you did.
    Alerts {
        /// How far back: 2d, 12h, 1w, or a date like 2026-11-20 (default 7d).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// One JSON object per alert.
        #[arg(long)]
        json: bool,
    },
    /// Posture over a day, week or month: time in each state, episodes,
    /// alerts, the worst hour and the trend.
    Report {
        /// A local date, e.g. 2026-11-20 (default: today).
        #[arg(long, value_name = "DATE", conflicts_with_all = ["week", "month"])]
        day: Option<chrono::NaiveDate>,
        /// The last 7 days.
        #[arg(long, conflicts_with = "month")]
        week: bool,
        /// The last 30 days.
        #[arg(long)]
        month: bool,
        /// Print the figures as one JSON object.
        #[arg(long)]
        json: bool,
        /// Write a self-contained HTML page with the figures, the alerts and charts.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Write one chart (see --chart) as SVG.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Write one chart (see --chart) as PNG.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// The chart --svg and --png hold.
        #[arg(long, default_value = "timeline", value_parser = ["timeline", "heatmap", "trend"])]
        chart: String,
    },
    /// The recorded track or episodes as CSV or JSON lines.
    Export {
        /// CSV with a header row.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// JSON, one object per line (the default).
        #[arg(long)]
        json: bool,
        /// How far back: 2d, 12h, 1w, or a date (default: everything).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// What to export: track (every sample) or episodes.
        #[arg(long, default_value = "track", value_parser = ["track", "episodes"])]
        what: String,
    },
    /// What-if: replay your recorded days with changed settings and compare
    /// the alerts they would have given.
    Tune {
        /// How far back: 7d, 2w, or a date (default 7d).
        #[arg(long, value_name = "WHEN", default_value = "7d")]
        since: String,
        /// A changed setting, SECTION.KEY=VALUE (repeatable), e.g. alerts.hold_secs=60.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// A table across values: KEY=START..END:STEP, e.g. alerts.hold_secs=30..90:15.
        #[arg(long, value_name = "KEY=A..B:STEP")]
        sweep: Option<String>,
        /// Save the --set values to the config file (its comments are kept).
        #[arg(long, conflicts_with = "sweep")]
        write: bool,
    },
    /// The stretch coach: trapezius, levator scapulae and the front of the
    /// neck, with a countdown and a bell; what you did is kept in the history.
    Stretch {
        /// One stretch: trapezius, levator or neck-front (default: all three).
        name: Option<String>,
        /// Holds per side.
        #[arg(long, default_value_t = 3)]
        reps: u32,
        /// Seconds per hold.
        #[arg(long, default_value_t = 30.0)]
        hold_secs: f64,
    },
    /// Show what the running monitor is doing.
    Status {
        /// Print the status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Pause the running monitor (camera off) until resumed, or for a while.
    Pause {
        /// How long, e.g. 30m, 1h, 1h30m, 90s.
        #[arg(long = "for", value_name = "DURATION", value_parser = cli::control_cmd::parse_duration_secs)]
        for_secs: Option<f64>,
    },
    /// Resume a paused or snoozed monitor.
    Resume,
    /// Silence alerts and turn the camera off for a while, e.g. `snooze 30m`.
    Snooze {
        #[arg(value_name = "DURATION", value_parser = cli::control_cmd::parse_duration_secs)]
        secs: f64,
    },
    /// Start chintuck with your session: a systemd user service, or an XDG
    /// autostart entry where there is no systemd user session.
    Service {
        #[command(subcommand)]
        action: ServiceAction,
    },
    /// Create, locate, show or check the config file.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Print a shell completion script, e.g. `chintuck completions bash >
    /// ~/.local/share/bash-completion/completions/chintuck`.
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (chintuck.1 and one per subcommand) into DIR.
    Manpages {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(clap::Args, Debug, Clone)]
struct ReplayArgs {
    /// Frames per second of a replayed folder (default: the config's fps, 2).
    #[arg(long, value_name = "N")]
    fps: Option<f64>,
    /// Time frames by their files' modification times instead of --fps.
    #[arg(long, conflicts_with = "fps")]
    mtime: bool,
    /// Calibration profile (a desk/camera setup; default: the config's, "default").
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Subcommand, Debug)]
enum ServiceAction {
    /// Install (and with systemd, enable and start) the service.
    Install {
        /// Write an XDG autostart entry even where systemd is available.
        #[arg(long)]
        autostart: bool,
    },
    /// Stop and remove the service and the autostart entry.
    Uninstall,
}

#[derive(Subcommand, Debug)]
enum ConfigAction {
    /// Write a documented config file with every default.
    Init {
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print where the config file is.
    Path,
    /// Print the config in effect.
    Show,
    /// Check the config file and report every problem.
    Check,
}

fn main() {
    let cli = Cli::parse();
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(chintuck::config::default_path);
    let context = || {
        cli::Context::new(
            config_path.clone(),
            cli.models.clone(),
            cli.data_dir.clone(),
        )
    };
    let outcome =
        match cli.command {
            Command::Analyze {
                json,
                annotate,
                model,
                replay,
                paths,
            } => context().and_then(|c| {
                let replay = c.replay(replay.fps, replay.mtime, replay.profile)?;
                cli::analyze::analyze(&c, model, &replay, &paths, json, annotate.as_deref())
            }),
            Command::Run {
                source,
                camera,
                no_wait,
                record,
                json,
                model,
                replay,
            } => context().and_then(|c| {
                let replay = c.replay(replay.fps, replay.mtime, replay.profile)?;
                let watched = cli::run::Watched::new(source.as_deref(), camera.as_deref());
                cli::run::run(&c, model, &replay, watched, no_wait, json, record)
            }),
            Command::Calibrate {
                source,
                camera,
                secs,
                distance_cm,
                model,
                replay,
            } => context().and_then(|c| {
                let replay = c.replay(replay.fps, replay.mtime, replay.profile)?;
                let watched = cli::run::Watched::new(source.as_deref(), camera.as_deref());
                cli::run::calibrate(&c, model, &replay, watched, secs, distance_cm)
            }),
            Command::Config { action } => cli::config_cmd::config(&config_path, action),
            Command::Service { action } => match action {
                ServiceAction::Install { autostart } => cli::service::install(autostart),
                ServiceAction::Uninstall => cli::service::uninstall(),
            },
            Command::Cameras { json, check } => context()
                .and_then(|c| cli::cameras::cameras(json, check, c.config.camera_resolution)),
            Command::Alerts { since, json } => context()
                .and_then(|c| cli::history_cmd::alerts(&c.data_dir, since.as_deref(), json)),
            Command::Report {
                day,
                week,
                month,
                json,
                html,
                svg,
                png,
                chart,
            } => context().and_then(|c| {
                let period = if week {
                    cli::history_cmd::Period::Week
                } else if month {
                    cli::history_cmd::Period::Month
                } else {
                    cli::history_cmd::Period::Day(day)
                };
                let files = cli::history_cmd::ReportFiles {
                    html: html.as_deref(),
                    svg: svg.as_deref(),
                    png: png.as_deref(),
                    chart: &chart,
                };
                cli::history_cmd::report(&c.data_dir, period, json, files)
            }),
            Command::Export {
                csv,
                json: _,
                since,
                what,
            } => context()
                .and_then(|c| cli::history_cmd::export(&c.data_dir, since.as_deref(), csv, &what)),
            Command::Tune {
                since,
                set,
                sweep,
                write,
            } => context().and_then(|c| {
                cli::tune::tune(
                    &config_path,
                    &c.data_dir,
                    &since,
                    &set,
                    sweep.as_deref(),
                    write,
                )
            }),
            Command::Stretch {
                name,
                reps,
                hold_secs,
            } => context()
                .and_then(|c| cli::stretch::stretch(&c.data_dir, name.as_deref(), reps, hold_secs)),
            Command::Status { json } => cli::control_cmd::status(json),
            Command::Pause { for_secs } => {
                cli::control_cmd::request(chintuck::control::Request::Pause { secs: for_secs })
            }
            Command::Resume => cli::control_cmd::request(chintuck::control::Request::Resume),
            Command::Snooze { secs } => {
                cli::control_cmd::request(chintuck::control::Request::Snooze { secs })
            }
            Command::Completions { shell } => cli::docs_cmd::completions(Cli::command(), shell),
            Command::Manpages { dir } => cli::docs_cmd::manpages(Cli::command(), &dir),
        };
    exit_on_error(outcome);
}

/// Prints the error chain and exits 1; a closed stdout pipe is not a failure.
fn exit_on_error(outcome: anyhow::Result<()>) {
    if let Err(err) = outcome {
        // `chintuck analyze --json dir | head` closing the pipe early is not a failure.
        let closed_pipe = err.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if closed_pipe {
            return;
        }
        eprintln!("chintuck: {err:#}");
        std::process::exit(1);
    }
}
