//! What the history costs: one batch write (5 s of samples at 2 fps, the
//! default flush), and the file's growth per hour of monitoring, printed
//! before the timings.
//!
//! `cargo bench --bench history` — figures go in the README.

use chintuck::monitor::{PostureState, Sample, Smoothed, Step};
use chintuck::store::history::History;
use chintuck::store::recorder::Recorder;
use divan::Bencher;

fn main() {
    print_growth_per_hour();
    divan::main();
}

fn sample(i: u32) -> (Sample, Step) {
    let offset = 1.0 + (i % 7) as f32 * 0.3;
    (
        Sample::Front {
            forward_offset_cm: offset,
            head_drop_cm: 0.4,
            pitch_change_ratio: 0.01,
            pitch_change_deg: Some(0.5),
        },
        Step {
            state: PostureState::Good,
            severity: None,
            smoothed: Smoothed {
                forward_offset_cm: Some(offset),
                head_drop_cm: Some(0.4),
                pitch_change_ratio: Some(0.01),
                pitch_change_deg: Some(0.5),
                cva_deg: None,
            },
            events: Vec::new(),
        },
    )
}

/// One hour at 2 samples a second, flushed every 5 s as `run` does.
fn print_growth_per_hour() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut recorder = Recorder::start(
        History::open(&path).unwrap(),
        0.0,
        "cam",
        "default",
        "",
        5.0,
    )
    .unwrap();
    let size = || {
        ["", "-wal"]
            .iter()
            .map(|suffix| {
                std::fs::metadata(format!("{}{suffix}", path.display()))
                    .map(|m| m.len())
                    .unwrap_or(0)
            })
            .sum::<u64>()
    };
    let before = size();
    for i in 0..7200 {
        let at_secs = f64::from(i) * 0.5;
        let (s, step) = sample(i);
        recorder.sample(at_secs, &s, true, &step);
        recorder.tick(at_secs);
    }
    recorder.flush(3600.0);
    drop(recorder);
    println!(
        "history growth: {:.0} KiB per hour at 2 samples/s (7200 rows, 720 batches)",
        (size() - before) as f64 / 1024.0
    );
}

/// One flush: 10 samples in one transaction.
#[divan::bench(sample_count = 50)]
fn write_batch_of_10(bencher: Bencher) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let mut recorder = Recorder::start(
        History::open(&path).unwrap(),
        0.0,
        "cam",
        "default",
        "",
        5.0,
    )
    .unwrap();
    let mut i = 0;
    bencher.bench_local(|| {
        for _ in 0..10 {
            let (s, step) = sample(i);
            recorder.sample(f64::from(i) * 0.5, &s, true, &step);
            i += 1;
        }
        recorder.flush(f64::from(i) * 0.5)
    });
}
