//! `chintuck run` and `chintuck calibrate`: the monitoring loop over a frame
//! source, and the calibration window.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;

use chrono::{Datelike, Local, Timelike};

use chintuck::alert::desktop::{DesktopSink, NotificationAction};
use chintuck::alert::hooks::{CommandSink, SoundSink};
use chintuck::alert::{AlertSink, Sinks, TerminalSink, clock};
use chintuck::capture::camera_frames::RawFrameError;
use chintuck::capture::live::{Backoff, CameraDriver, CameraError, CameraPoll, LiveCamera};
use chintuck::capture::still::{NoiseMeter, StillStack};
use chintuck::capture::{FrameSize, FrameSource, ImageFiles, Picture, decode_error};
use chintuck::config::Config;
use chintuck::config::watch::ConfigWatcher;
use chintuck::control::screen_lock::ScreenLockWatch;
use chintuck::control::{ControlServer, Incoming, Request, Status, socket_path};
use chintuck::monitor::MonitorEvent;
use chintuck::monitor::PostureState;
use chintuck::monitor::Sample;
use chintuck::monitor::activity::{Activity, Control, WorkingHours};
use chintuck::monitor::sampling::{Decision, Sampler, SamplingSettings, Thumbnail};
use chintuck::pose::blazepose::LandmarkModel;
use chintuck::posture::Metrics;
use chintuck::posture::calibration::calibrate as calibrate_window;
use chintuck::store::history::{History, HistoryError};
use chintuck::store::profiles::{Profile, ProfileStore};
use chintuck::store::recorder::Recorder;

#[cfg(feature = "camera")]
use super::NO_CAMERA;
use super::pipeline::{PostureTracker, load_estimator, load_profile, neutral_from};
use super::{Context, Replay, unix_now_secs};

/// What a replayed folder counts as for calibration profiles: all replays are
/// one "camera", so frame size and framing are what gets compared.
const REPLAY_CAMERA: &str = "replayed frames";
/// How far the face's yaw at calibration may be from `max_face_yaw_deg`
/// before `calibrate` says the camera is near the limit: on the renders with
/// the camera 20° and 30° to one side, a forward head or chin poke turned the
/// face 1–7° further from it than the neutral.
const SIDE_CAMERA_MARGIN_DEG: f32 = 5.0;

/// Where `run` takes its frames from.
pub enum Watched<'a> {
    /// Replay an image or a folder of images at their own timestamps.
    Replay(&'a Path),
    /// The live camera: an index or part of a name, or the config's / first one.
    Camera(Option<&'a str>),
}

impl<'a> Watched<'a> {
    /// `--source PATH` replays; otherwise the camera `--camera` names.
    pub fn new(source: Option<&'a Path>, camera: Option<&'a str>) -> Self {
        match source {
            Some(path) => Watched::Replay(path),
            None => Watched::Camera(camera),
        }
    }
}

pub fn run(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    watched: Watched,
    no_wait: bool,
    json: bool,
    record: bool,
) -> Result<()> {
    match watched {
        Watched::Replay(path) => run_replay(context, model, replay, path, no_wait, json, record),
        Watched::Camera(wanted) => {
            let driver = camera_driver(
                wanted.unwrap_or(&context.config.camera_device),
                context.config.camera_resolution,
            )?;
            run_camera(context, model, replay, driver, json)
        }
    }
}

/// The camera `wanted` names (index or part of a name; empty: the first),
/// asked for pictures of `size`, or a clear error when there is none to watch.
#[cfg(feature = "camera")]
pub fn camera_driver(wanted: &str, size: FrameSize) -> Result<Box<dyn CameraDriver>> {
    use chintuck::capture::camera::{NokhwaCamera, choose_camera, list_cameras};
    let devices = list_cameras()?;
    match choose_camera(&devices, Some(wanted)) {
        Ok(device) => Ok(Box::new(NokhwaCamera::new(device, size))),
        Err(CameraError::NoCamera) => bail!("{NO_CAMERA}"),
        Err(err) => Err(err.into()),
    }
}

#[cfg(not(feature = "camera"))]
pub fn camera_driver(_wanted: &str, _size: FrameSize) -> Result<Box<dyn CameraDriver>> {
    bail!(
        "this chintuck was built without camera support (cargo feature `camera`); rebuild with default features, or replay frames with --source PATH"
    )
}

/// Everything the control socket, signals and config watcher need, set up
/// the same way for a replay and for the camera.
struct Outside {
    control: ControlServer,
    stop: Arc<AtomicBool>,
    watcher: Option<ConfigWatcher>,
}

impl Outside {
    fn start(config_path: &Path) -> Result<Self> {
        // The control socket is also the single-instance lock: take it first.
        let control = ControlServer::start(&socket_path())?;
        let stop = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            signal_hook::flag::register(signal, Arc::clone(&stop))?;
        }
        let watcher = match ConfigWatcher::new(config_path) {
            Ok(watcher) => Some(watcher),
            Err(err) => {
                eprintln!(
                    "chintuck: cannot watch {} for changes ({err}); edits apply at the next start",
                    config_path.display()
                );
                None
            }
        };
        Ok(Self {
            control,
            stop,
            watcher,
        })
    }

    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

fn run_replay(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    source_path: &Path,
    no_wait: bool,
    json: bool,
    record: bool,
) -> Result<()> {
    let mut source = ImageFiles::open(source_path)?;
    let mut outside = Outside::start(&context.config_path)?;
    let mut watch = Watch::new(
        context,
        model,
        replay,
        format!("frames from {}", source_path.display()),
        REPLAY_CAMERA.into(),
        json,
        record,
    )?;
    eprintln!(
        "chintuck: replaying {} frames from {} at {}; config {}{}",
        source.remaining(),
        source_path.display(),
        match replay.timing {
            super::pipeline::Timing::Fps(fps) => format!("{fps} fps"),
            super::pipeline::Timing::Modified => "their modification times".into(),
        },
        context.config_path.display(),
        if outside.watcher.is_some() {
            " (reloaded on save)"
        } else {
            ""
        }
    );
    let started = Instant::now();
    let mut first_modified = None;
    let mut frames = 0usize;
    let mut replay_secs = 0.0;
    // Each file is decoded only when the monitor samples it, as a camera's
    // frames are copied only then.
    while let Some(unread) = source.next_unread() {
        let at_secs = replay
            .timing
            .at_secs(frames, unread.modified, &mut first_modified);
        frames += 1;
        replay_secs = at_secs;
        // Wait for the frame's time, answering control requests meanwhile.
        while !no_wait && !outside.stopping() {
            let Some(wait) = Duration::from_secs_f64(at_secs).checked_sub(started.elapsed()) else {
                break;
            };
            watch.wait(&outside.control, wait.min(Duration::from_millis(200)));
        }
        if outside.stopping() {
            eprintln!("chintuck: stopping (signal received); everything measured so far is kept");
            break;
        }
        let activity = watch.housekeeping(at_secs, &mut outside, false);
        if !activity.is_watching() {
            watch.sampler.reset();
            continue;
        }
        if !watch.sample_due(at_secs) {
            watch.counts.skipped += 1;
            continue;
        }
        // One broken frame is not the end of monitoring.
        let picture = match unread.read_picture() {
            Ok(picture) => picture,
            Err(err) => {
                eprintln!("chintuck: skipping a frame: {err}");
                continue;
            }
        };
        if let Some(err) = watch.sample(picture, at_secs)? {
            let err = decode_error(&unread.path, err.to_string());
            eprintln!("chintuck: skipping a frame: {err}");
        }
    }
    let covered = format!(
        "replayed {frames} frames ({} of {})",
        chintuck::alert::format_duration(replay_secs + replay.timing.frame_secs()),
        watch.session.source
    );
    watch.finish(&outside.control, started, frames, &covered);
    Ok(())
}

fn run_camera(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    driver: Box<dyn CameraDriver>,
    json: bool,
) -> Result<()> {
    let name = driver.name();
    let mut outside = Outside::start(&context.config_path)?;
    let mut watch = Watch::new(
        context,
        model,
        replay,
        format!("camera {name}"),
        name.clone(),
        json,
        true,
    )?;
    let screen_lock = ScreenLockWatch::start(Duration::from_secs(5));
    let mut camera = LiveCamera::new(driver, Backoff::default(), Duration::from_secs(5));
    eprintln!(
        "chintuck: watching through the camera {name}; config {}{}; `chintuck pause` turns the camera off",
        context.config_path.display(),
        if outside.watcher.is_some() {
            " (reloaded on save)"
        } else {
            ""
        }
    );
    let started = Instant::now();
    let mut frames = 0usize;
    while !outside.stopping() {
        let now_secs = started.elapsed().as_secs_f64();
        let activity = watch.housekeeping(now_secs, &mut outside, screen_lock.is_locked());
        if !activity.is_watching() {
            // Not looking: the camera is closed and its light off.
            camera.poll(now_secs, false);
            watch.sampler.reset();
            watch.wait(&outside.control, Duration::from_millis(500));
            continue;
        }
        if !watch.sample_due(now_secs) {
            let wait = (watch.next_sample_secs - now_secs).clamp(0.01, 0.2);
            watch.wait(&outside.control, Duration::from_secs_f64(wait));
            continue;
        }
        match camera.poll(now_secs, true) {
            CameraPoll::Frame(picture) => {
                frames += 1;
                watch.camera_ok(now_secs);
                // Only its colour can fail here (`poll` read it in grey), after
                // `sample` has scheduled the next one.
                if let Some(err) = watch.sample(picture, now_secs)? {
                    let problem = CameraError::BadFrame {
                        name: name.clone(),
                        reason: err.to_string(),
                    };
                    watch.camera_trouble(now_secs, &problem);
                }
            }
            CameraPoll::Unusable(problem) => {
                watch.camera_trouble(now_secs, &problem);
                watch.schedule_next_sample(now_secs);
            }
            CameraPoll::Down {
                error,
                retry_at_secs,
            } => {
                watch.camera_trouble(now_secs, &error);
                let wait = (retry_at_secs - now_secs).clamp(0.05, 0.5);
                watch.wait(&outside.control, Duration::from_secs_f64(wait));
            }
            CameraPoll::Closed => {}
        }
    }
    camera.close();
    eprintln!(
        "chintuck: stopping (signal received); camera closed, everything measured so far is kept"
    );
    let covered = format!(
        "watched for {} through the camera {name}",
        chintuck::alert::format_duration(started.elapsed().as_secs_f64())
    );
    watch.finish(&outside.control, started, frames, &covered);
    Ok(())
}

/// Opens the history and starts a session in it; a history that cannot be
/// opened is a warning: monitoring and alerts go on without it.
fn start_recording(context: &Context, camera: &str, profile: &str) -> Option<Recorder> {
    let path = History::path_in(&context.data_dir);
    let started = History::open(&path).and_then(|mut history| {
        let now = unix_now_secs();
        apply_retention(&mut history, context.config.history_retention_days)?;
        Recorder::start(
            history,
            now,
            camera,
            profile,
            &context.config.to_documented_toml(),
            context.config.history_flush_secs,
        )
    });
    match started {
        Ok(recorder) => Some(recorder),
        Err(err) => {
            eprintln!("chintuck: {err}; monitoring goes on without recording history");
            None
        }
    }
}

/// Folds the per-sample track older than `retention_days` into daily
/// summaries and deletes it.
fn apply_retention(history: &mut History, retention_days: f64) -> Result<usize, HistoryError> {
    history.apply_retention(unix_now_secs() - retention_days * 86_400.0, &|unix| {
        chintuck::report::period::day_of(unix, chintuck::report::period::Zone::Local)
    })
}

/// How often a long-running monitor applies retention again.
const RETENTION_EVERY_SECS: f64 = 86_400.0;

/// The monitoring loop's state between frames, whatever the frames come from.
struct Watch {
    tracker: PostureTracker,
    session: Session,
    sinks: Sinks,
    actions: Option<Receiver<NotificationAction>>,
    config_path: std::path::PathBuf,
    sampler: Sampler,
    sampling: SamplingSettings,
    /// The still scene's frames since it last changed, averaged for the
    /// models while the picture is noisy (`capture::still`).
    still: StillStack,
    /// How noisy the picture is, measured when the models read a still scene again.
    noise: NoiseMeter,
    next_sample_secs: f64,
    counts: FrameCounts,
    shown_activity: Activity,
    last_secs: f64,
    profile: Option<Profile>,
    /// The camera name the calibration profile is compared against.
    camera_label: String,
    framing_checked: bool,
    json: bool,
    /// CPU spent before the first frame (loading and checking the models) is
    /// a start-up cost; the steady figure is what watching costs.
    cpu_at_start_secs: f64,
    /// Where samples and events are kept, if recording.
    recorder: Option<Recorder>,
    /// The kind of camera trouble last reported.
    shown_camera_problem: Option<&'static str>,
    retention_days: f64,
    next_retention_secs: f64,
    /// `[camera]` device and resolution as the camera was opened with: a
    /// reload cannot change them (the camera is not reopened for it).
    camera_config: (String, FrameSize),
}

impl Watch {
    fn new(
        context: &Context,
        model: LandmarkModel,
        replay: &Replay,
        source_name: String,
        camera_label: String,
        json: bool,
        record: bool,
    ) -> Result<Self> {
        let config = &context.config;
        let profile = load_profile(&context.data_dir, &replay.profile)?;
        let neutral = neutral_from(profile.as_ref());
        let tracker = PostureTracker::new(
            load_estimator(context.models_dir.as_ref(), model)?,
            config,
            neutral,
        );
        if !neutral.calibrated {
            eprintln!(
                "chintuck: profile '{}' is not calibrated: front-view alerts use population defaults with wider thresholds; run `chintuck calibrate` in your good posture",
                replay.profile
            );
        }
        if let Some(hint) = profile.as_ref().and_then(Profile::recalibration_hint) {
            eprintln!("chintuck: {hint}");
        }
        if let Some(warning) = profile.as_ref().and_then(Profile::small_face_warning) {
            eprintln!("chintuck: warning: {warning}");
        }
        let (sinks, actions) = build_sinks(config, json, &context.data_dir);
        let recorder = if record {
            start_recording(context, &camera_label, &replay.profile)
        } else {
            None
        };
        Ok(Self {
            tracker,
            session: Session {
                control: Control::default(),
                activity: Activity::Watching,
                posture: PostureState::Uncertain,
                alerts: 0,
                source: source_name,
                snooze_secs: config.snooze_secs,
                working_hours: config.working_hours,
                screen_locked: false,
                camera_problem: None,
            },
            sinks,
            actions,
            config_path: context.config_path.clone(),
            camera_config: (config.camera_device.clone(), config.camera_resolution),
            sampler: Sampler::default(),
            still: StillStack::default(),
            noise: NoiseMeter::default(),
            sampling: config.sampling,
            next_sample_secs: 0.0,
            counts: FrameCounts::default(),
            shown_activity: Activity::Watching,
            last_secs: 0.0,
            profile,
            camera_label,
            framing_checked: false,
            json,
            cpu_at_start_secs: ResourceUsage::of_this_process(0.0).cpu_secs,
            recorder,
            shown_camera_problem: None,
            retention_days: config.history_retention_days,
            next_retention_secs: RETENTION_EVERY_SECS,
        })
    }

    /// Writes the history batch when due; says once when it cannot.
    fn record_tick(&mut self, at_secs: f64, now: bool) {
        let Some(recorder) = self.recorder.as_mut() else {
            return;
        };
        let problem = if now {
            recorder.flush(at_secs)
        } else {
            recorder.tick(at_secs)
        };
        if let Some(problem) = problem {
            eprintln!(
                "chintuck: {problem}; alerts go on, and the history is written when it can be"
            );
        }
        // A monitor that runs for days keeps the history trimmed too.
        if at_secs >= self.next_retention_secs {
            self.next_retention_secs = at_secs + RETENTION_EVERY_SECS;
            if let Err(err) = apply_retention(recorder.history_mut(), self.retention_days) {
                eprintln!("chintuck: {err}; old samples are kept until the next try");
            }
        }
    }

    /// Waits up to `timeout` for a control request and answers it.
    fn wait(&mut self, control: &ControlServer, timeout: Duration) {
        if let Some(incoming) = control.wait(timeout) {
            self.session.handle(incoming, &self.tracker);
        }
    }

    /// Answers requests and notification buttons, applies config edits, and
    /// works out whether chintuck is looking now.
    fn housekeeping(
        &mut self,
        at_secs: f64,
        outside: &mut Outside,
        screen_locked: bool,
    ) -> Activity {
        self.session.screen_locked = screen_locked;
        while let Some(incoming) = outside.control.poll() {
            self.session.handle(incoming, &self.tracker);
        }
        if let Some(actions) = &self.actions {
            while let Ok(action) = actions.try_recv() {
                self.session.on_notification_action(action);
                if let Some(recorder) = self.recorder.as_mut() {
                    let response = match action {
                        NotificationAction::Snooze => "snoozed",
                        NotificationAction::PauseUntilTomorrow => "paused",
                        NotificationAction::Done => "done",
                    };
                    recorder.response(response, at_secs);
                    if action == NotificationAction::Done {
                        recorder.stretch_done(at_secs);
                    }
                }
            }
        }
        if let Some(result) = outside.watcher.as_mut().and_then(ConfigWatcher::poll) {
            match result {
                Ok(new_config) => {
                    self.tracker.apply(&new_config);
                    self.session.snooze_secs = new_config.snooze_secs;
                    self.session.working_hours = new_config.working_hours;
                    self.sampling = new_config.sampling;
                    self.retention_days = new_config.history_retention_days;
                    eprintln!("chintuck: reloaded {}", self.config_path.display());
                    let camera_config = (
                        new_config.camera_device.clone(),
                        new_config.camera_resolution,
                    );
                    if camera_config != self.camera_config {
                        self.camera_config = camera_config;
                        eprintln!(
                            "chintuck: [camera] device and resolution take effect when chintuck starts: restart it (`systemctl --user restart chintuck` for the service, or run it again) to use the new ones"
                        );
                    }
                }
                Err(err) => eprintln!("chintuck: {err}\nchintuck: keeping the last good config"),
            }
        }
        self.record_tick(at_secs, false);
        let activity = self.session.current_activity();
        self.session.activity = activity;
        if activity != self.shown_activity {
            self.shown_activity = activity;
            if !activity.is_watching() {
                // Time not looking is never bad time: close any episode.
                self.end_episodes();
            }
            report_activity(at_secs, &activity, self.json);
        }
        activity
    }

    /// Not looking from now on: closes any episode and marks a gap in the
    /// history, so the time until the next sample counts as neither good nor bad.
    fn end_episodes(&mut self) {
        for event in self.tracker.monitor.finish(self.last_secs) {
            if let Some(recorder) = self.recorder.as_mut() {
                recorder.event(&event);
            }
            report_event(&event, self.json, &mut self.sinks);
        }
        if let Some(recorder) = self.recorder.as_mut() {
            recorder.gap(self.last_secs);
        }
    }

    /// Adaptive sampling: the next sample is due after the interval the
    /// current state asks for (with a little slack for frame timing).
    fn sample_due(&self, at_secs: f64) -> bool {
        at_secs + 0.02 >= self.next_sample_secs
    }

    /// The next sample is due after the interval the current state asks for.
    fn schedule_next_sample(&mut self, at_secs: f64) {
        self.next_sample_secs = at_secs + self.sampling.interval_secs(self.session.posture);
    }

    /// Says once what is wrong with the camera; time without a picture is
    /// never bad time.
    fn camera_trouble(&mut self, at_secs: f64, problem: &CameraError) {
        let message = problem.to_string();
        // `status` shows the latest words; the log gets one line per kind
        // of trouble (a lost camera fails to read, then to open: one line).
        self.session.camera_problem = Some(message.clone());
        if self.shown_camera_problem == Some(problem.kind()) {
            return;
        }
        self.shown_camera_problem = Some(problem.kind());
        self.end_episodes();
        if self.json {
            println!(
                "{}",
                serde_json::json!({"event": "camera", "at_secs": at_secs, "status": problem.kind(), "message": message})
            );
        } else {
            eprintln!("[{}] chintuck: {message}", clock(at_secs));
        }
    }

    fn camera_ok(&mut self, at_secs: f64) {
        self.shown_camera_problem = None;
        if self.session.camera_problem.take().is_some() {
            if self.json {
                println!(
                    "{}",
                    serde_json::json!({"event": "camera", "at_secs": at_secs, "status": "ok", "message": "the camera works again"})
                );
            } else {
                eprintln!("[{}] chintuck: the camera works again", clock(at_secs));
            }
        }
    }

    /// One sample: reuse the last result if the small grey picture barely changed,
    /// else decode the colour picture and run the models; then report what
    /// the monitor made of it. A frame that cannot be read comes back as its
    /// error for the caller to name (the file, or the camera); one that
    /// fails in grey is not counted as a sample.
    fn sample(&mut self, mut picture: Picture, at_secs: f64) -> Result<Option<RawFrameError>> {
        let thumbnail = match picture.eighth() {
            Ok(eighth) => Thumbnail::of(eighth),
            Err(err) => return Ok(Some(err)),
        };
        self.last_secs = at_secs;
        self.schedule_next_sample(at_secs);
        let decision = self.sampler.decide(
            &self.sampling,
            at_secs,
            thumbnail,
            self.tracker.last_reading(),
        );
        if decision == Decision::Reuse
            && let Some(step) = self.tracker.reuse(at_secs)
        {
            if self.noisy_picture() {
                // Decoded only to be averaged; one that fails is left out.
                if let Ok(image) = picture.into_rgb() {
                    self.still.push(&image);
                }
            }
            if let (Some(recorder), Some(sample)) =
                (self.recorder.as_mut(), self.tracker.last_sample())
            {
                recorder.sample(at_secs, &sample, self.tracker.neutral.calibrated, &step);
            }
            self.counts.reused += 1;
            self.session.posture = step.state;
            for event in &step.events {
                self.session.alerts += u64::from(matches!(event, MonitorEvent::Alert(_)));
                report_event(event, self.json, &mut self.sinks);
            }
            return Ok(None);
        }
        let image = match picture.into_rgb() {
            Ok(image) => image,
            Err(err) => {
                // The gate took this frame for the last inferred one.
                self.sampler.reset();
                return Ok(Some(err));
            }
        };
        let image = self.still_average(image, decision == Decision::Refresh);
        self.counts.inferred += 1;
        let outcome = self.tracker.process(&image, at_secs)?;
        if let Some(recorder) = self.recorder.as_mut() {
            recorder.sample(
                at_secs,
                &Sample::from(&outcome.assessment),
                self.tracker.neutral.calibrated,
                &outcome.step,
            );
        }
        self.session.posture = outcome.step.state;
        if !self.framing_checked
            && let (Some(profile), Metrics::Front(front)) = (&self.profile, outcome.metrics)
        {
            self.framing_checked = true;
            for warning in profile.framing_warnings(
                &self.camera_label,
                image.width(),
                image.height(),
                Some(front.shoulder_width_px),
                unix_now_secs() as u64,
            ) {
                eprintln!("chintuck: warning: {warning}");
            }
        }
        for event in &outcome.step.events {
            self.session.alerts += u64::from(matches!(event, MonitorEvent::Alert(_)));
            report_event(event, self.json, &mut self.sinks);
        }
        Ok(None)
    }

    /// What the models read: the frame itself, or while the picture is noisy
    /// the mean of it and the frames of the same still scene before it
    /// (`still_scene`: the gate found no change since the last model run,
    /// whose frame the noise is measured against).
    fn still_average(&mut self, frame: image::RgbImage, still_scene: bool) -> image::RgbImage {
        self.noise.read(&frame, still_scene);
        let noisy = self.noisy_picture();
        if !still_scene || !noisy {
            // A changed scene starts again (the gate reset after a pause or a
            // broken frame, so that is a change too).
            self.still.clear();
        }
        if !noisy {
            return frame;
        }
        self.still.push(&frame);
        if self.still.len() == 1 {
            return frame;
        }
        self.counts.averaged += 1;
        self.still.mean().unwrap_or(frame)
    }

    /// Whether the last noise measured is over `[sampling] noisy_picture_level`.
    fn noisy_picture(&self) -> bool {
        self.noise
            .level()
            .is_some_and(|level| level >= self.sampling.noisy_picture_level)
    }

    /// Closes open episodes, answers the last requests, prints the summary.
    fn finish(mut self, control: &ControlServer, started: Instant, frames: usize, covered: &str) {
        self.end_episodes();
        let last_secs = self.last_secs;
        self.record_tick(last_secs, true);
        // Answer whatever arrived at the very end, then let the socket go.
        while let Some(incoming) = control.poll() {
            self.session.handle(incoming, &self.tracker);
        }
        let usage = ResourceUsage::of_this_process(started.elapsed().as_secs_f64());
        let steady_cpu_secs = usage.cpu_secs - self.cpu_at_start_secs;
        let steady_percent = 100.0 * steady_cpu_secs / usage.wall_secs.max(1e-9);
        let counts = &self.counts;
        if self.json {
            let summary = serde_json::json!({
                "event": "summary",
                "frames": frames,
                "inferred": counts.inferred,
                "averaged": counts.averaged,
                "body_model_runs": self.tracker.estimator.body_runs(),
                "reused": counts.reused,
                "skipped": counts.skipped,
                "episodes": self.tracker.monitor.episodes(),
                "alerts": self.session.alerts,
                "cpu_secs": usage.cpu_secs,
                "wall_secs": usage.wall_secs,
                "cpu_percent_of_one_core": usage.cpu_percent(),
                "steady_cpu_secs": steady_cpu_secs,
                "steady_cpu_percent_of_one_core": steady_percent,
                "peak_rss_mib": usage.peak_rss_mib,
            });
            println!("{summary}");
        } else {
            println!(
                "{covered}: {} episode(s), {} alert(s)",
                self.tracker.monitor.episodes(),
                self.session.alerts
            );
            let averaged = match counts.averaged {
                0 => String::new(),
                n => {
                    format!(
                        "; for the picture's noise, {n} of the {} on an average of the still scene's frames",
                        counts.inferred
                    )
                }
            };
            println!(
                "pose model ran on {} frames (the body model on {} of them{averaged}), {} reused an unchanged picture, {} were not needed; CPU {:.1} s in {:.1} s ({:.1}% of one core; {:.1}% after start-up), peak memory {:.0} MiB",
                counts.inferred,
                self.tracker.estimator.body_runs(),
                counts.reused,
                counts.skipped,
                usage.cpu_secs,
                usage.wall_secs,
                usage.cpu_percent(),
                steady_percent,
                usage.peak_rss_mib
            );
        }
    }
}

#[derive(Debug, Default)]
struct FrameCounts {
    inferred: usize,
    /// Of the inferred, how many read an average of still frames (noisy picture).
    averaged: usize,
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
    screen_locked: bool,
    camera_problem: Option<String>,
}

impl Session {
    fn current_activity(&mut self) -> Activity {
        let local = Local::now();
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let weekday = local.weekday().num_days_from_monday() as usize;
        self.control.activity(
            unix_now_secs(),
            self.working_hours.as_ref(),
            weekday,
            minute,
            self.screen_locked,
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
            camera_problem: self.camera_problem.clone(),
        }
    }

    fn handle(&mut self, incoming: Incoming, tracker: &PostureTracker) {
        let now = unix_now_secs();
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
        let now = unix_now_secs();
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
    watched: Watched,
    secs: f64,
    distance_cm: Option<f32>,
) -> Result<()> {
    if !(secs > 0.0 && secs <= 600.0) {
        bail!("--secs {secs} is out of range: expected more than 0 and at most 600");
    }
    let distance_range = chintuck::posture::head::MEASURED_DISTANCE_RANGE_CM;
    if let Some(distance_cm) = distance_cm.filter(|cm| !distance_range.contains(cm)) {
        bail!(
            "--distance-cm {distance_cm} is out of range: measure from the camera to your eyes, {:.0}-{:.0} cm",
            distance_range.start(),
            distance_range.end()
        );
    }
    let store = ProfileStore::new(&context.data_dir);
    store.path(&replay.profile)?;
    // Find the camera before loading the models: no camera is a quick answer.
    enum Frames<'a> {
        Replay(&'a Path),
        Camera(Box<dyn CameraDriver>),
    }
    let frames = match watched {
        Watched::Replay(path) => Frames::Replay(path),
        Watched::Camera(wanted) => Frames::Camera(camera_driver(
            wanted.unwrap_or(&context.config.camera_device),
            context.config.camera_resolution,
        )?),
    };
    let mut estimator = load_estimator(context.models_dir.as_ref(), model)?;
    let mut window = Vec::new();
    let mut heads = Vec::new();
    let mut frame_size = None;
    let mut measure_frame = |image: &image::RgbImage, at_secs: f64| -> Result<()> {
        // Every frame through both models: the neutral deserves the best reading.
        let reading = estimator.read(
            image,
            at_secs,
            &context.config.measure,
            &chintuck::posture::cadence::Cadence::default(),
        )?;
        frame_size.get_or_insert((image.width(), image.height()));
        window.push(reading.metrics);
        heads.extend(reading.head);
        Ok(())
    };
    let camera_name = match frames {
        Frames::Replay(source_path) => {
            let mut source = ImageFiles::open(source_path)?;
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
                measure_frame(&frame.image, at_secs)?;
            }
            REPLAY_CAMERA.to_string()
        }
        Frames::Camera(driver) => {
            let name = driver.name();
            let mut camera = LiveCamera::new(driver, Backoff::default(), Duration::from_secs(5));
            println!(
                "Sit in your good posture, facing the screen as you do when you work, for {secs:.0} s…"
            );
            let started = Instant::now();
            let mut next_secs = 0.0;
            let mut unusable = None;
            while started.elapsed().as_secs_f64() < secs {
                let now_secs = started.elapsed().as_secs_f64();
                if now_secs < next_secs {
                    std::thread::sleep(Duration::from_secs_f64(next_secs - now_secs));
                    continue;
                }
                next_secs = now_secs + 0.5;
                match camera.poll(now_secs, true) {
                    CameraPoll::Frame(picture) => match picture.into_rgb() {
                        Ok(image) => measure_frame(&image, now_secs)?,
                        Err(err) => {
                            unusable = Some(CameraError::BadFrame {
                                name: name.clone(),
                                reason: err.to_string(),
                            })
                        }
                    },
                    CameraPoll::Unusable(problem) => unusable = Some(problem),
                    CameraPoll::Down { error, .. } => {
                        bail!("calibration needs the camera: {error}")
                    }
                    CameraPoll::Closed => {}
                }
            }
            camera.close();
            if let (true, Some(problem)) = (window.is_empty(), unusable) {
                bail!("calibration refused: {problem}");
            }
            name
        }
    };
    let mut calibration = calibrate_window(&window, &heads, &context.config.calibration)
        .map_err(|err| anyhow::anyhow!("calibration refused: {err}"))?;
    // The estimate is kept for the message: it says how far off the lens and
    // face assumptions were.
    let estimated_distance_cm = calibration.face.map(|face| face.camera_distance_cm);
    if let Some(distance_cm) = distance_cm {
        let Some(face) = calibration.face else {
            bail!(
                "calibration refused: --distance-cm needs the face model's neutral, but a face was read in only {} of {} frames; face the camera in good light and calibrate again",
                heads.len(),
                calibration.samples
            );
        };
        // In range: checked before anything was read.
        let measured = face.with_measured_distance(distance_cm).with_context(|| {
            format!("--distance-cm {distance_cm} is out of range for a calibration")
        })?;
        calibration.face = Some(measured);
    }
    let (frame_width, frame_height) = frame_size.unwrap_or_default();
    let profile = Profile {
        name: replay.profile.clone(),
        created_unix_secs: unix_now_secs() as u64,
        camera: camera_name,
        frame_width,
        frame_height,
        calibration,
    };
    let path = store.save(&profile)?;
    if let Some(face) = calibration.face {
        if let Some(remedies) = profile.small_face_remedies() {
            eprintln!(
                "chintuck: warning: your face is small in the picture ({:.1} px per cm): below {:.0} px per cm {}; {remedies}, and calibrate again",
                face.face_scale_px_per_cm,
                chintuck::posture::head::MIN_FACE_PX_PER_CM,
                chintuck::store::profiles::SMALL_FACE_COST,
            );
        }
        let (yaw_deg, limit_deg) = (face.yaw_deg.abs(), context.config.measure.max_face_yaw_deg);
        if yaw_deg > limit_deg {
            eprintln!(
                "chintuck: warning: your face was turned {yaw_deg:.0}° from the camera while calibrating: front-view frames will be uncertain (camera to the side); put the camera in front of you, or raise [measure] max_face_yaw_deg"
            );
        } else if yaw_deg > limit_deg - SIDE_CAMERA_MARGIN_DEG {
            eprintln!(
                "chintuck: note: the camera is about {yaw_deg:.0}° to your side, near the {limit_deg:.0}° past which chintuck cannot measure: when your head comes forward or your chin tips up, your face turns further from it and those frames may be uncertain; a camera more in front of you is measured throughout"
            );
        }
    }
    // Also kept in the history, so earlier calibrations can be looked back on.
    let recorded = History::open(&History::path_in(&context.data_dir)).and_then(|mut history| {
        history.record_calibration(
            profile.created_unix_secs as f64,
            &profile.name,
            &profile.camera,
            (profile.frame_width, profile.frame_height),
            &serde_json::to_string(&profile.calibration).unwrap_or_default(),
        )
    });
    if let Err(err) = recorded {
        eprintln!(
            "chintuck: {err}; the calibration is saved in its profile but not in the history"
        );
    }
    let b = &calibration.baseline;
    let face = match &calibration.face {
        Some(face) => format!(
            "face {:.0} cm from the camera ({}), pitch {:.1}°, yaw {:.1}° ({} faces)",
            face.camera_distance_cm,
            match (face.distance_measured, estimated_distance_cm) {
                (true, Some(estimate)) => format!("as measured; estimated {estimate:.0} cm"),
                _ => format!(
                    "estimated for an average face and a {:.0}° lens; if your tape measure says otherwise, calibrate with --distance-cm",
                    context.config.measure.camera_fov_deg
                ),
            },
            face.pitch_deg,
            face.yaw_deg,
            heads.len()
        ),
        None => format!(
            "no face baseline (a face in only {} of {} frames): the forward offset will come from the ears",
            heads.len(),
            calibration.samples
        ),
    };
    println!(
        "calibrated profile '{}' from {} of {} frames: head size {:.3} (±{:.3}) of shoulder width, neck height {:.3}, pitch {:.3}; {face}\nsaved {}",
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
