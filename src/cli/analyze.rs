//! `chintuck analyze`: landmarks and posture for images and folders of images.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use chintuck::capture::{FrameSource, ImageFiles, has_image_extension};
use chintuck::pose::blazepose::LandmarkModel;
use chintuck::posture::Assessment;
use chintuck::report::annotate::annotate;
use chintuck::report::frame::{FrameError, FrameReport};

use super::pipeline::{PostureTracker, load_estimator, load_profile, neutral_from, posture_json};
use super::{Context, Replay};

/// Where `--annotate` writes each frame.
enum AnnotateTarget<'a> {
    File(&'a Path),
    /// A folder, and how many frames of each name it has been given in this run.
    Folder(&'a Path, HashMap<String, usize>),
}

impl AnnotateTarget<'_> {
    /// `NAME.annotated.png`; a later frame of the same name in this run (two
    /// folders' `neutral.jpg`) gets `NAME-2.annotated.png`, so none overwrites another.
    fn path_for(&mut self, label: &str) -> PathBuf {
        match self {
            AnnotateTarget::File(path) => path.to_path_buf(),
            AnnotateTarget::Folder(dir, seen) => {
                let stem = Path::new(label)
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "frame".into());
                let count = seen.entry(stem.clone()).or_default();
                *count += 1;
                match *count {
                    1 => dir.join(format!("{stem}.annotated.png")),
                    n => dir.join(format!("{stem}-{n}.annotated.png")),
                }
            }
        }
    }
}

pub fn analyze(
    context: &Context,
    model: LandmarkModel,
    replay: &Replay,
    paths: &[PathBuf],
    json: bool,
    annotate_out: Option<&Path>,
) -> Result<()> {
    // Open every input first: a typo in the third path should not cost the
    // work on the first two.
    let sources = paths
        .iter()
        .map(|path| ImageFiles::open(path))
        .collect::<Result<Vec<_>, _>>()?;
    let frame_count: usize = sources.iter().map(ImageFiles::remaining).sum();
    let mut annotate_target = match annotate_out {
        None => None,
        Some(out) if frame_count == 1 && has_image_extension(out) => {
            Some(AnnotateTarget::File(out))
        }
        Some(out) => {
            std::fs::create_dir_all(out).with_context(|| {
                format!("cannot create the --annotate folder {}", out.display())
            })?;
            Some(AnnotateTarget::Folder(out, HashMap::new()))
        }
    };

    let profile = load_profile(&context.data_dir, &replay.profile)?;
    let neutral = neutral_from(profile.as_ref());
    let estimator = load_estimator(context.models_dir.as_ref(), model)?;
    let mut tracker = PostureTracker::new(estimator, &context.config, neutral);
    // Every frame through both models: each line reports its own landmarks.
    tracker.cadence = chintuck::posture::cadence::Cadence::default();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0usize;
    for mut source in sources {
        // Each PATH is its own sequence: no tracking or timing across them.
        tracker.restart();
        let mut first_modified = None;
        let mut index = 0;
        while let Some(next) = source.next_frame() {
            let frame = match next {
                Ok(frame) => frame,
                Err(err) => {
                    failed += 1;
                    report_failure(&mut out, json, &err.path().display().to_string(), &err)?;
                    continue;
                }
            };
            let at_secs = replay
                .timing
                .at_secs(index, frame.modified, &mut first_modified);
            index += 1;
            let outcome = match tracker.process(&frame.image, at_secs) {
                Ok(outcome) => outcome,
                Err(err) => {
                    failed += 1;
                    report_failure(&mut out, json, &frame.label, &err)?;
                    continue;
                }
            };
            let report = FrameReport::new(
                &frame.label,
                frame.image.width(),
                frame.image.height(),
                outcome.pose.as_ref(),
            )
            .with_posture(posture_json(&outcome, at_secs, neutral.calibrated));
            if json {
                writeln!(out, "{}", report.to_json_line())?;
            } else {
                writeln!(
                    out,
                    "{}\n  posture: {}",
                    report.summary(),
                    posture_summary(&outcome.assessment, outcome.step.state.as_str())
                )?;
            }
            if let Some(target) = &mut annotate_target {
                let path = target.path_for(&frame.label);
                annotate(&frame.image, outcome.pose.as_ref())
                    .save(&path)
                    .with_context(|| {
                        format!("cannot write the annotated image {}", path.display())
                    })?;
            }
        }
    }
    out.flush()?;
    if !neutral.calibrated && !json {
        eprintln!(
            "chintuck: profile '{}' is not calibrated: front-view offsets use population defaults and wider thresholds (`chintuck calibrate` fixes that)",
            replay.profile
        );
    }
    if let (Some(hint), false) = (
        profile
            .as_ref()
            .and_then(chintuck::store::profiles::Profile::recalibration_hint),
        json,
    ) {
        eprintln!("chintuck: {hint}");
    }
    if failed > 0 {
        bail!("{failed} of {frame_count} images could not be analysed (see above)");
    }
    Ok(())
}

fn posture_summary(assessment: &Assessment, state: &str) -> String {
    match assessment {
        Assessment::Front {
            forward_offset_cm,
            head_drop_cm,
            pitch_change_ratio,
            neck_load_kg,
            offset_source,
            face,
            ..
        } => {
            let source = match offset_source {
                chintuck::posture::OffsetSource::Face => "from the face",
                chintuck::posture::OffsetSource::Ears => "from the ears",
            };
            let face = face
                .map(|face| {
                    let pitch = face
                        .pitch_change_deg
                        .map(|change| format!("pitch {change:+.0}° from neutral"))
                        .unwrap_or_else(|| format!("pitch {:.0}°", face.metrics.pitch_deg));
                    // Said, because it changes the offset: the shoulders'
                    // narrowing was not taken as them going back.
                    let turned = if face.torso_turn_share.is_some_and(|share| share >= 0.5) {
                        ", torso turned from the camera"
                    } else {
                        ""
                    };
                    format!(
                        "; face {:.0} cm from the camera, {pitch}, yaw {:+.0}°{}{turned}",
                        face.metrics.camera_distance_cm,
                        face.metrics.yaw_deg,
                        if face.chin_poke {
                            ", chin poked out"
                        } else {
                            ""
                        }
                    )
                })
                .unwrap_or_default();
            format!(
                "{state}: head {forward_offset_cm:+.1} cm forward ({source}), {head_drop_cm:+.1} cm lower, pitch {pitch_change_ratio:+.2}{face} (front view; neck load ~{neck_load_kg:.0} kg, an estimate)"
            )
        }
        Assessment::Uncertain { reason } => format!("uncertain: {}", reason.describe()),
    }
}

/// A frame that failed: a JSON error line for scripts, a message on stderr for people.
fn report_failure(
    out: &mut impl Write,
    json: bool,
    label: &str,
    err: &dyn std::error::Error,
) -> Result<()> {
    if json {
        let line = FrameError {
            file: label,
            error: err.to_string(),
        };
        writeln!(out, "{}", serde_json::to_string(&line)?)?;
    } else {
        eprintln!("chintuck: {err}");
    }
    Ok(())
}
