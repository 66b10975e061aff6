//! `chintuck run` and `chintuck calibrate`: the monitoring loop over a frame
//! source, and the calibration window.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Result, bail};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

use chrono::{Datelike, Local, Timelike};

use chintuck::alert::desktop::{DesktopSink, NotificationAction};
use chintuck::alert::hooks::{CommandSink, SoundSink};
use chintuck::alert::{AlertSink, Sinks, TerminalSink, clock};
use chintuck::capture::{FrameSource, ImageFiles};
use chintuck::config::Config;
use chintuck::config::watch::ConfigWatcher;
use chintuck::control::{ControlServer, Incoming, Request, Status, socket_path};
use chintuck::monitor::MonitorEvent;
use chintuck::monitor::PostureState;
use chintuck::monitor::activity::{Activity, Control, WorkingHours};
use chintuck::monitor::sampling::{Decision, Sampler, Thumbnail};
use chintuck::pose::PoseEstimator;
use chintuck::pose::blazepose::LandmarkModel;
use chintuck::posture::calibration::calibrate as calibrate_window;
use chintuck::posture::{Metrics, measure};
use chintuck::store::profiles::{Profile, ProfileStore};

use super::pipeline::{PostureTracker, load_estimator, load_profile, neutral_from};
use super::{Context, NO_CAMERA, Replay};

/// What a replayed folder counts as for calibration profiles: all replays are
/// one "camera", so frame size and framing are what gets compared.
const REPLAY_CAMERA: &str = "replayed frames";

fn now_unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn run(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    source: Option<&Path>,
    no_wait: bool,
    json: bool,
) -> Result<()> {
    let Some(source_path) = source else {
        bail!("{NO_CAMERA}");
    };
    let mut source = ImageFiles::open(source_path)?;
    // The control socket is also the single-instance lock: take it first.
    let control = ControlServer::start(&socket_path())?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let source_name = format!("frames from {}", source_path.display());
    let profile = load_profile(&context.data_dir, &replay.profile)?;
    let neutral = neutral_from(profile.as_ref());
    let mut tracker = PostureTracker::new(
        load_estimator(context.models_dir.as_ref(), model)?,
        &context.config,
        neutral,
    );
    if !neutral.calibrated {
        eprintln!(
            "chintuck: profile '{}' is not calibrated: front-view alerts use population defaults with wider thresholds; run `chintuck calibrate` in your good posture",
            replay.profile
        );
    }
    let config = &context.config;
    let mut watcher = match ConfigWatcher::new(&context.config_path) {
        Ok(watcher) => Some(watcher),
        Err(err) => {
            eprintln!(
                "chintuck: cannot watch {} for changes ({err}); edits apply at the next start",
                context.config_path.display()
            );
            None
        }
    };
    eprintln!(
        "chintuck: replaying {} frames from {} at {}; config {}{}",
        source.remaining(),
        source_path.display(),
        match replay.timing {
            super::pipeline::Timing::Fps(fps) => format!("{fps} fps"),
            super::pipeline::Timing::Modified => "their modification times".into(),
        },
        context.config_path.display(),
        if watcher.is_some() {
            " (reloaded on save)"
        } else {
            ""
        }
    );
    let (mut sinks, actions) = build_sinks(config, json, &context.data_dir);
    let mut session = Session {
        control: Control::default(),
        activity: Activity::Watching,
        posture: PostureState::Uncertain,
        alerts: 0,
        source: source_name.clone(),
        snooze_secs: config.snooze_secs,
        working_hours: config.working_hours,
    };
    let mut shown_activity = Activity::Watching;
    let mut sampler = Sampler::default();
    let mut sampling = config.sampling;
    let mut next_sample_secs = 0.0;
    let mut counts = FrameCounts::default();
    let started = Instant::now();
    // CPU spent before the first frame (loading and checking the models) is
    // a start-up cost; the steady figure is what watching costs.
    let cpu_at_start_secs = ResourceUsage::of_this_process(0.0).cpu_secs;
    let mut first_modified = None;
    let mut frames = 0usize;
    let mut framing_checked = false;
    let mut last_secs = 0.0;
    let mut replay_secs = 0.0;
    while let Some(next) = source.next_frame() {
        let at_secs = match &next {
            Ok(frame) => replay
                .timing
                .at_secs(frames, frame.modified, &mut first_modified),
            Err(_) => last_secs,
        };
        frames += 1;
        replay_secs = at_secs;
        // Wait for the frame's time, answering control requests meanwhile.
        while !no_wait && !stop.load(Ordering::Relaxed) {
            let Some(wait) = Duration::from_secs_f64(at_secs).checked_sub(started.elapsed()) else {
                break;
            };
            if let Some(incoming) = control.wait(wait.min(Duration::from_millis(200))) {
                session.handle(incoming, &tracker);
            }
        }
        if stop.load(Ordering::Relaxed) {
            eprintln!("chintuck: stopping (signal received); everything measured so far is kept");
            break;
        }
        while let Some(incoming) = control.poll() {
            session.handle(incoming, &tracker);
        }
        if let Some(actions) = &actions {
            while let Ok(action) = actions.try_recv() {
                session.on_notification_action(action);
            }
        }
        if let Some(result) = watcher.as_mut().and_then(ConfigWatcher::poll) {
            match result {
                Ok(new_config) => {
                    tracker.apply(&new_config);
                    session.snooze_secs = new_config.snooze_secs;
                    session.working_hours = new_config.working_hours;
                    sampling = new_config.sampling;
                    eprintln!("chintuck: reloaded {}", context.config_path.display());
                }
                Err(err) => eprintln!("chintuck: {err}\nchintuck: keeping the last good config"),
            }
        }
        let activity = session.current_activity();
        session.activity = activity;
        if activity != shown_activity {
            shown_activity = activity;
            if !activity.is_watching() {
                // Time not looking is never bad time: close any episode.
                for event in tracker.monitor.finish(last_secs) {
                    report_event(&event, json, &mut sinks);
                }
            }
            report_activity(at_secs, &activity, json);
        }
        let frame = match next {
            Ok(frame) => frame,
            Err(err) => {
                // One broken frame is not the end of monitoring.
                eprintln!("chintuck: skipping a frame: {err}");
                continue;
            }
        };
        if !activity.is_watching() {
            sampler.reset();
            continue;
        }
        // Adaptive sampling: the next sample is due after the interval the
        // current state asks for (with a little slack for frame timing).
        if at_secs + 0.02 < next_sample_secs {
            counts.skipped += 1;
            continue;
        }
        last_secs = at_secs;
        next_sample_secs = at_secs + sampling.interval_secs(session.posture);
        if sampler.decide(&sampling, at_secs, Thumbnail::of(&frame.image)) == Decision::Reuse
            && let Some(step) = tracker.reuse(at_secs)
        {
            counts.reused += 1;
            session.posture = step.state;
            for event in &step.events {
                session.alerts += u64::from(matches!(event, MonitorEvent::Alert(_)));
                report_event(event, json, &mut sinks);
            }
            continue;
        }
        counts.inferred += 1;
        let outcome = tracker.process(&frame.image, at_secs)?;
        session.posture = outcome.step.state;
        if !framing_checked
            && let (Some(profile), Metrics::Front(front)) = (&profile, outcome.metrics)
        {
            framing_checked = true;
            for warning in profile.framing_warnings(
                REPLAY_CAMERA,
                frame.image.width(),
                frame.image.height(),
                Some(front.shoulder_width_px),
                now_unix_secs(),
            ) {
                eprintln!("chintuck: warning: {warning}");
            }
        }
        for event in &outcome.step.events {
            session.alerts += u64::from(matches!(event, MonitorEvent::Alert(_)));
            report_event(event, json, &mut sinks);
        }
    }
    for event in tracker.monitor.finish(last_secs) {
        report_event(&event, json, &mut sinks);
    }
    // Answer whatever arrived at the very end, then let the socket go.
    while let Some(incoming) = control.poll() {
        session.handle(incoming, &tracker);
    }
    let usage = ResourceUsage::of_this_process(started.elapsed().as_secs_f64());
    let summary = serde_json::json!({
        "event": "summary",
        "frames": frames,
        "inferred": counts.inferred,
        "reused": counts.reused,
        "skipped": counts.skipped,
        "episodes": tracker.monitor.episodes(),
        "alerts": session.alerts,
        "cpu_secs": usage.cpu_secs,
        "wall_secs": usage.wall_secs,
        "cpu_percent_of_one_core": usage.cpu_percent(),
        "steady_cpu_secs": usage.cpu_secs - cpu_at_start_secs,
        "steady_cpu_percent_of_one_core": 100.0 * (usage.cpu_secs - cpu_at_start_secs) / usage.wall_secs.max(1e-9),
        "peak_rss_mib": usage.peak_rss_mib,
    });
    if json {
        println!("{summary}");
    } else {
        println!(
            "replayed {frames} frames ({} of {source_name}): {} episode(s), {} alert(s)",
            chintuck::alert::format_duration(replay_secs + replay.timing.frame_secs()),
            tracker.monitor.episodes(),
            session.alerts
        );
        println!(
            "pose model ran on {} frames, {} reused an unchanged picture, {} were not needed; CPU {:.1} s in {:.1} s ({:.1}% of one core; {:.1}% after start-up), peak memory {:.0} MiB",
            counts.inferred,
            counts.reused,
            counts.skipped,
            usage.cpu_secs,
            usage.wall_secs,
            usage.cpu_percent(),
            100.0 * (usage.cpu_secs - cpu_at_start_secs) / usage.wall_secs.max(1e-9),
            usage.peak_rss_mib
        );
    }
    Ok(())
}

#[derive(Debug, Default)]
struct FrameCounts {
    inferred: usize,
    reused: usize,
    skipped: usize,
}

/// CPU time and peak memory of this process, from /proc (Linux).
struct ResourceUsage {
    cpu_secs: f64,
    wall_secs: f64,
    peak_rss_mib: f64,
}

impl ResourceUsage {
    fn of_this_process(wall_secs: f64) -> Self {
        // Fields 14 and 15 of /proc/self/stat: user and system time in clock
        // ticks (100 per second on Linux). The command name (field 2) may hold
        // spaces, so count from the closing parenthesis.
        let cpu_secs = std::fs::read_to_string("/proc/self/stat")
            .ok()
            .and_then(|stat| {
                let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
                let ticks: f64 =
                    fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
                Some(ticks / 100.0)
            })
            .unwrap_or(f64::NAN);
        let peak_rss_mib = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
                Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
            })
            .unwrap_or(f64::NAN);
        Self {
            cpu_secs,
            wall_secs,
            peak_rss_mib,
        }
    }

    fn cpu_percent(&self) -> f64 {
        100.0 * self.cpu_secs / self.wall_secs.max(1e-9)
    }
}

/// The run's state as the control socket and notification buttons see it.
struct Session {
    control: Control,
    activity: Activity,
    posture: PostureState,
    alerts: u64,
    source: String,
    snooze_secs: f64,
    working_hours: Option<WorkingHours>,
}

fn unix_now_secs_f64() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl Session {
    fn current_activity(&mut self) -> Activity {
        let local = Local::now();
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let weekday = local.weekday().num_days_from_monday() as usize;
        self.control.activity(
            unix_now_secs_f64(),
            self.working_hours.as_ref(),
            weekday,
            minute,
            false,
        )
    }

    fn status(&self, tracker: &PostureTracker) -> Status {
        Status {
            pid: std::process::id(),
            activity: self.activity,
            activity_text: self.activity.describe(),
            posture: self.posture.as_str().into(),
            episodes: tracker.monitor.episodes(),
            alerts: self.alerts,
            source: self.source.clone(),
        }
    }

    fn handle(&mut self, incoming: Incoming, tracker: &PostureTracker) {
        let now = unix_now_secs_f64();
        match incoming.request {
            Request::Status => {}
            Request::Pause { secs } => self.control.pause(now, secs),
            Request::Resume => self.control.resume(),
            Request::Snooze { secs } => self.control.snooze(now, secs),
        }
        // Answer with the state the request leads to.
        self.activity = self.current_activity();
        incoming.answer(self.status(tracker));
    }

    fn on_notification_action(&mut self, action: NotificationAction) {
        let now = unix_now_secs_f64();
        match action {
            NotificationAction::Snooze => self.control.snooze(now, self.snooze_secs),
            NotificationAction::PauseUntilTomorrow => {
                let local = Local::now();
                let secs_today = f64::from(local.num_seconds_from_midnight());
                self.control
                    .pause_until_tomorrow(now, 86_400.0 - secs_today);
            }
            NotificationAction::Done => {}
        }
    }
}

fn build_sinks(
    config: &Config,
    json: bool,
    data_dir: &Path,
) -> (Sinks, Option<Receiver<NotificationAction>>) {
    let mut sinks = Sinks::default();
    let mut actions = None;
    for name in &config.alert_sinks {
        match name.as_str() {
            // In --json mode the terminal gets JSON events instead.
            "terminal" if !json => sinks.0.push(Box::new(TerminalSink::default())),
            "desktop" => {
                let mut desktop = DesktopSink::new();
                actions = desktop.take_actions();
                sinks.0.push(Box::new(desktop));
            }
            "sound" => sinks.0.push(Box::new(SoundSink::new(data_dir))),
            "command" => sinks
                .0
                .push(Box::new(CommandSink::new(config.alert_command.clone()))),
            _ => {}
        }
    }
    (sinks, actions)
}

fn report_activity(at_secs: f64, activity: &Activity, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::json!({"event": "activity_changed", "at_secs": at_secs, "activity": activity})
        );
    } else {
        println!("[{}] {}", clock(at_secs), activity.describe());
    }
}

fn report_event(event: &MonitorEvent, json: bool, sinks: &mut Sinks) {
    if json {
        println!(
            "{}",
            serde_json::to_string(event).expect("events serialise")
        );
    } else if let MonitorEvent::StateChanged { at_secs, from, to } = event {
        println!("[{}] {} -> {}", clock(*at_secs), from.as_str(), to.as_str());
    }
    match event {
        MonitorEvent::Alert(alert) => sinks.alert(alert),
        MonitorEvent::EpisodeEnded { .. } => sinks.episode_ended(event),
        MonitorEvent::StateChanged { .. } => {}
    }
}

pub fn calibrate(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    source: Option<&Path>,
    secs: f64,
) -> Result<()> {
    let Some(source_path) = source else {
        bail!("{NO_CAMERA}");
    };
    if !(secs > 0.0 && secs <= 600.0) {
        bail!("--secs {secs} is out of range: expected more than 0 and at most 600");
    }
    let store = ProfileStore::new(&context.data_dir);
    store.path(&replay.profile)?;
    let mut source = ImageFiles::open(source_path)?;
    let mut estimator = load_estimator(context.models_dir.as_ref(), model)?;
    let mut window = Vec::new();
    let mut frame_size = None;
    let mut first_modified = None;
    let mut index = 0;
    while let Some(next) = source.next_frame() {
        let frame = next?;
        let at_secs = replay
            .timing
            .at_secs(index, frame.modified, &mut first_modified);
        index += 1;
        if at_secs >= secs {
            break;
        }
        let pose = estimator.estimate(&frame.image)?;
        frame_size.get_or_insert((frame.image.width(), frame.image.height()));
        window.push(measure(
            pose.as_ref(),
            frame.image.width(),
            frame.image.height(),
            &context.config.measure,
        ));
    }
    let calibration = calibrate_window(&window, &context.config.calibration)
        .map_err(|err| anyhow::anyhow!("calibration refused: {err}"))?;
    let (frame_width, frame_height) = frame_size.unwrap_or_default();
    let profile = Profile {
        name: replay.profile.clone(),
        created_unix_secs: now_unix_secs(),
        camera: REPLAY_CAMERA.into(),
        frame_width,
        frame_height,
        calibration,
    };
    let path = store.save(&profile)?;
    let b = &calibration.baseline;
    println!(
        "calibrated profile '{}' from {} of {} frames: head size {:.3} (±{:.3}) of shoulder width, neck height {:.3}, pitch {:.3}\nsaved {}",
        profile.name,
        calibration.samples,
        window.len(),
        b.head_size_ratio,
        calibration.spread.head_size_ratio,
        b.neck_height_ratio,
        b.pitch_ratio,
        path.display()
    );
    Ok(())
}
