//! `chintuck run` and `chintuck calibrate`: the monitoring loop over a frame
//! source, and the calibration window.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Result, bail};

use chintuck::alert::{AlertSink, TerminalSink, clock};
use chintuck::capture::{FrameSource, ImageFiles};
use chintuck::config::watch::ConfigWatcher;
use chintuck::monitor::MonitorEvent;
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
    let mut sink = TerminalSink::default();
    let started = Instant::now();
    let mut first_modified = None;
    let (mut frames, mut alerts) = (0usize, 0usize);
    let mut framing_checked = false;
    let mut last_secs = 0.0;
    while let Some(next) = source.next_frame() {
        let at_secs = match &next {
            Ok(frame) => replay
                .timing
                .at_secs(frames, frame.modified, &mut first_modified),
            Err(_) => last_secs,
        };
        frames += 1;
        if !no_wait
            && let Some(wait) = Duration::from_secs_f64(at_secs).checked_sub(started.elapsed())
        {
            std::thread::sleep(wait);
        }
        if let Some(result) = watcher.as_mut().and_then(ConfigWatcher::poll) {
            match result {
                Ok(config) => {
                    tracker.apply(&config);
                    eprintln!("chintuck: reloaded {}", context.config_path.display());
                }
                Err(err) => eprintln!("chintuck: {err}\nchintuck: keeping the last good config"),
            }
        }
        let frame = match next {
            Ok(frame) => frame,
            Err(err) => {
                // One broken frame is not the end of monitoring.
                eprintln!("chintuck: skipping a frame: {err}");
                continue;
            }
        };
        last_secs = at_secs;
        let outcome = tracker.process(&frame.image, at_secs)?;
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
            alerts += usize::from(matches!(event, MonitorEvent::Alert(_)));
            report_event(event, json, &mut sink);
        }
    }
    for event in tracker.monitor.finish(last_secs) {
        report_event(&event, json, &mut sink);
    }
    if !json {
        println!(
            "replayed {frames} frames ({} of {source_name}): {} episode(s), {alerts} alert(s)",
            chintuck::alert::format_duration(last_secs),
            tracker.monitor.episodes()
        );
    }
    Ok(())
}

fn report_event(event: &MonitorEvent, json: bool, sink: &mut TerminalSink) {
    if json {
        println!(
            "{}",
            serde_json::to_string(event).expect("events serialise")
        );
        return;
    }
    match event {
        MonitorEvent::StateChanged { at_secs, from, to } => {
            println!("[{}] {} -> {}", clock(*at_secs), from.as_str(), to.as_str());
        }
        MonitorEvent::Alert(alert) => sink.alert(alert),
        MonitorEvent::EpisodeEnded { .. } => sink.episode_ended(event),
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
