//! `chintuck stretch [NAME]`: the stretch coach, with a countdown per hold,
//! a bell at each change, and the stretches done kept in the history.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use chintuck::alert::hooks::SoundSink;
use chintuck::coach::{self, Position, STRETCHES, Side, Stretch};
use chintuck::store::history::{History, StretchRow};

pub fn stretch(data_dir: &Path, name: Option<&str>, reps: u32, hold_secs: f64) -> Result<()> {
    if !(1..=10).contains(&reps) {
        bail!("--reps {reps} is out of range: expected 1 to 10");
    }
    if !(hold_secs > 0.0 && hold_secs <= 300.0) {
        bail!("--hold-secs {hold_secs} is out of range: expected more than 0 and at most 300");
    }
    let chosen: Vec<&'static Stretch> = match name {
        Some(name) => match coach::find(name) {
            Some(stretch) => vec![stretch],
            None => bail!(
                "no stretch called '{name}'; choose one of: {}",
                STRETCHES
                    .iter()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        None => STRETCHES.iter().collect(),
    };
    let plan = coach::plan(&chosen, reps, hold_secs);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut sound = SoundSink::new(data_dir);
    let terminal = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    for stretch in &chosen {
        writeln!(out, "{}: {}", stretch.title, stretch.how)?;
    }
    writeln!(
        out,
        "{} × {} s per side; a bell at each change. Ctrl-C stops (what you did is kept).",
        reps, hold_secs
    )?;
    let total_secs: f64 = plan.iter().map(|h| h.secs).sum();
    let started = Instant::now();
    let mut shown = None;
    let elapsed_secs = loop {
        let elapsed = started.elapsed().as_secs_f64();
        if stop.load(Ordering::Relaxed) {
            break elapsed;
        }
        match coach::position(&plan, elapsed) {
            Position::Finished => break elapsed,
            Position::Holding { index, left_secs } => {
                let hold = &plan[index];
                let side = match hold.side {
                    Side::Left => "left",
                    Side::Right => "right",
                };
                if shown != Some(index) {
                    shown = Some(index);
                    // A bell at each change: the terminal's, and the chime
                    // where a sound player is installed.
                    write!(out, "\x07")?;
                    if sound.has_player() {
                        sound.play();
                    }
                    if terminal {
                        writeln!(out)?;
                    } else {
                        writeln!(
                            out,
                            "{} — {side} side, {} of {}: hold {} s",
                            hold.stretch.title, hold.rep, reps, hold.secs
                        )?;
                    }
                }
                if terminal {
                    let done = (elapsed / total_secs).clamp(0.0, 1.0);
                    let filled = (done * 30.0).round() as usize;
                    write!(
                        out,
                        "\r[{}{}] {} — {side} side, {} of {}: {:>3.0} s left ",
                        "#".repeat(filled),
                        "-".repeat(30 - filled),
                        hold.stretch.title,
                        hold.rep,
                        reps,
                        left_secs.ceil()
                    )?;
                }
                out.flush()?;
                std::thread::sleep(
                    Duration::from_millis(100).min(Duration::from_secs_f64(left_secs.max(0.01))),
                );
            }
        }
    };
    if terminal {
        writeln!(out)?;
    }
    let finished = matches!(coach::position(&plan, elapsed_secs), Position::Finished);
    writeln!(
        out,
        "\x07{}",
        if finished {
            "done, well done"
        } else {
            "stopped"
        }
    )?;
    if sound.has_player() {
        sound.play();
    }
    // Keep what was done in the history.
    let now = super::unix_now_secs();
    let rows: Vec<StretchRow> = chosen
        .iter()
        .map(|stretch| StretchRow {
            at_unix: now,
            name: stretch.name.to_owned(),
            holds_done: coach::holds_done(&plan, elapsed_secs, stretch),
            holds_planned: 2 * reps,
        })
        .filter(|row| row.holds_done > 0)
        .collect();
    if !rows.is_empty() {
        match History::open(&History::path_in(data_dir)) {
            Ok(mut history) => {
                for row in &rows {
                    history.record_stretch(row)?;
                }
                writeln!(
                    out,
                    "recorded: {}",
                    rows.iter()
                        .map(|r| format!("{} {}/{} holds", r.name, r.holds_done, r.holds_planned))
                        .collect::<Vec<_>>()
                        .join(", ")
                )?;
            }
            Err(err) => eprintln!("chintuck: {err}; the stretches were not recorded"),
        }
    }
    Ok(())
}
