//! The `chintuck` command line: parses arguments and wires the stages together.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

use chintuck::capture::{FrameSource, ImageFiles, has_image_extension};
use chintuck::pose::PoseEstimator;
use chintuck::pose::blazepose::{BlazePose, LandmarkModel, models};
use chintuck::report::annotate::annotate;
use chintuck::report::frame::{FrameError, FrameReport};

#[derive(Parser, Debug)]
#[command(
    name = "chintuck",
    version,
    about = "A webcam posture monitor: warns when forward head posture lasts"
)]
struct Cli {
    /// Folder holding the model files (default: next to the binary, the
    /// installed share/chintuck/models, or the source tree's models/).
    #[arg(long, global = true, value_name = "DIR")]
    models: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Find the nose, eyes, ears, mouth and shoulders in images.
    ///
    /// Each PATH is an image (png, jpg) or a folder of images, processed in
    /// file-name order as one sequence so that tracking carries between frames.
    Analyze {
        /// Print one JSON object per image instead of a summary.
        #[arg(long)]
        json: bool,
        /// Write the image with the skeleton drawn: a file for a single image,
        /// else a folder that gets NAME.annotated.png per image.
        #[arg(long, value_name = "OUT")]
        annotate: Option<PathBuf>,
        /// Landmark model: lite (fast) or full (more accurate).
        #[arg(long, default_value_t = LandmarkModel::Lite)]
        model: LandmarkModel,
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

fn main() {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Analyze {
            json,
            annotate,
            model,
            paths,
        } => analyze(
            cli.models.as_deref(),
            model,
            &paths,
            json,
            annotate.as_deref(),
        ),
    };
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

/// Where `--annotate` writes each frame.
enum AnnotateTarget<'a> {
    File(&'a Path),
    Folder(&'a Path),
}

impl AnnotateTarget<'_> {
    fn path_for(&self, label: &str) -> PathBuf {
        match self {
            AnnotateTarget::File(path) => path.to_path_buf(),
            AnnotateTarget::Folder(dir) => {
                let stem = Path::new(label)
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "frame".into());
                dir.join(format!("{stem}.annotated.png"))
            }
        }
    }
}

fn analyze(
    models_dir: Option<&Path>,
    model: LandmarkModel,
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
    let annotate_target = match annotate_out {
        None => None,
        Some(out) if frame_count == 1 && has_image_extension(out) => {
            Some(AnnotateTarget::File(out))
        }
        Some(out) => {
            std::fs::create_dir_all(out).with_context(|| {
                format!("cannot create the --annotate folder {}", out.display())
            })?;
            Some(AnnotateTarget::Folder(out))
        }
    };

    let mut estimator = BlazePose::load(&models::search_dirs(models_dir), model)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0usize;
    for mut source in sources {
        // Each PATH is its own sequence: do not track from one into the next.
        estimator.reset_tracking();
        while let Some(next) = source.next_frame() {
            let frame = match next {
                Ok(frame) => frame,
                Err(err) => {
                    failed += 1;
                    report_failure(&mut out, json, &err.path().display().to_string(), &err)?;
                    continue;
                }
            };
            let pose = match estimator.estimate(&frame.image) {
                Ok(pose) => pose,
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
                pose.as_ref(),
            );
            if json {
                writeln!(out, "{}", report.to_json_line())?;
            } else {
                writeln!(out, "{}", report.summary())?;
            }
            if let Some(target) = &annotate_target {
                let path = target.path_for(&frame.label);
                annotate(&frame.image, pose.as_ref())
                    .save(&path)
                    .with_context(|| {
                        format!("cannot write the annotated image {}", path.display())
                    })?;
            }
        }
    }
    out.flush()?;
    if failed > 0 {
        bail!("{failed} of {frame_count} images could not be analysed (see above)");
    }
    Ok(())
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
