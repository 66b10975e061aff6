//! CPU cost of monitoring: `chintuck run` replays fixture sequences at real
//! frame pacing (2 fps, as a camera would deliver them) and reports its own
//! process CPU seconds over wall seconds and peak RSS: as recorded (640×480,
//! what chintuck asks a camera for), then each frame scaled up to 1280×960
//! (JPEG quality 85), what `[camera] resolution = "1280x960"` would cost. A
//! scaled-up frame holds less detail than a real one of that size, so its
//! JPEG decodes a little faster. Then the forward_head sequence in a dim
//! room (each frame darkened to 0.35 with 6 grey levels of noise of its own,
//! JPEG quality 87), where the still scene's frames are averaged for the
//! models and so every sampled frame is decoded in colour. Last, 45 s of an
//! empty room (nobody there). About 6 minutes of wall time.
//!
//! `cargo bench --bench monitor_cpu` — figures go in the README.

use std::path::Path;
use std::process::Command;

#[path = "../tests/common/dim.rs"]
mod dim;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = std::env::temp_dir().join(format!("chintuck-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(home.join("runtime")).expect("bench home");
    let chintuck = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_chintuck"))
            .args(args)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_RUNTIME_DIR", home.join("runtime"))
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .output()
            .expect("chintuck runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let sequence = |name: &str| {
        root.join("fixtures/sequences")
            .join(name)
            .display()
            .to_string()
    };
    let scaled = |name: &str| {
        transformed(
            &sequence(name),
            &home.join("scaled").join(name),
            85,
            |_, image| {
                image::imageops::resize(
                    &image,
                    image.width() * 2,
                    image.height() * 2,
                    image::imageops::FilterType::Triangle,
                )
            },
        )
    };
    println!(
        "sequence         picture   frames  inferred  averaged  body runs  reused  skipped   wall s   CPU s   % of one core   after start-up   peak RSS MiB"
    );
    let runs = [
        ("640x480", sequence("forward_head"), sequence("glance_down")),
        ("1280x960", scaled("forward_head"), scaled("glance_down")),
    ];
    let empty_room = empty_room(&home.join("empty_room"));
    // The dim room of tests/common/dim.rs, each frame with its own noise.
    let dim_forward_head = transformed(
        &sequence("forward_head"),
        &home.join("dim"),
        87,
        |seed, clean| dim::dim_noisy(&clean, 0.35, 6.0, seed as u64),
    );
    for (size, forward_head, glance_down) in &runs {
        chintuck(&["calibrate", "--source", forward_head, "--secs", "8"]);
        let mut sequences = vec![("glance_down", glance_down), ("forward_head", forward_head)];
        if *size == "640x480" {
            sequences.push(("forward_head dim", &dim_forward_head));
            sequences.push(("empty_room", &empty_room));
        }
        for (name, folder) in sequences {
            // Recorded, as the camera always is: the history writes are part of the cost.
            let out = chintuck(&["run", "--source", folder, "--json", "--record"]);
            let summary: serde_json::Value = out
                .lines()
                .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
                .find(|event| event["event"] == "summary")
                .expect("a summary line");
            println!(
                "{name:<16} {size:<8}  {:>6}  {:>8}  {:>8}  {:>9}  {:>6}  {:>7}  {:>7.1}  {:>6.2}  {:>14.2}  {:>15.2}  {:>13.0}",
                summary["frames"],
                summary["inferred"],
                summary["averaged"],
                summary["body_model_runs"],
                summary["reused"],
                summary["skipped"],
                summary["wall_secs"].as_f64().unwrap(),
                summary["cpu_secs"].as_f64().unwrap(),
                summary["cpu_percent_of_one_core"].as_f64().unwrap(),
                summary["steady_cpu_percent_of_one_core"].as_f64().unwrap(),
                summary["peak_rss_mib"].as_f64().unwrap(),
            );
        }
    }
    let _ = std::fs::remove_dir_all(&home);
}

/// The frames of `sequence`, each changed by `change` (given its index), saved in `folder` as
/// JPEGs of `quality` under their own names.
fn transformed(
    sequence: &str,
    folder: &Path,
    quality: u8,
    change: impl Fn(usize, image::RgbImage) -> image::RgbImage,
) -> String {
    std::fs::create_dir_all(folder).expect("a folder for the changed frames");
    let mut frames: Vec<_> = std::fs::read_dir(sequence)
        .expect("sequence")
        .map(|entry| entry.expect("entry").path())
        .collect();
    frames.sort();
    for (index, frame) in frames.iter().enumerate() {
        let image = image::open(frame).expect("a fixture frame").to_rgb8();
        let changed = change(index, image);
        let file = std::fs::File::create(folder.join(frame.file_name().unwrap())).unwrap();
        image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), quality)
            .encode_image(&changed)
            .expect("encodes");
    }
    folder.display().to_string()
}

/// 45 s of a room with nobody in it (90 frames at 2 fps): a wall and shelves,
/// each frame with its own faint noise, as a camera's picture has. Nobody
/// there, chintuck looks for someone; how often is what this costs.
fn empty_room(folder: &Path) -> String {
    std::fs::create_dir_all(folder).expect("empty room folder");
    let mut state = 0x2545_f491_u32;
    for frame in 0..90 {
        let image = image::RgbImage::from_fn(640, 480, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 7) as i32 - 3;
            let shelf = (y / 60) % 3 == 0 && x > 213;
            let base = if shelf {
                [120, 90, 60]
            } else {
                [
                    200 - (y * 100 / 480) as i32,
                    190 - (x * 60 / 640) as i32,
                    170,
                ]
            };
            image::Rgb(base.map(|v| (v + noise).clamp(0, 255) as u8))
        });
        image
            .save(folder.join(format!("frame_{frame:03}.jpg")))
            .expect("saves");
    }
    folder.display().to_string()
}
