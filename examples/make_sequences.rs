//! Makes the replay sequences in `fixtures/sequences/` from the 640×480
//! fixture photo, by warping only the head region frame by frame:
//!
//! - `forward_head`: the head comes toward the camera (grows against the
//!   shoulders) and drops slightly, then holds, then goes back.
//! - `looking_down`: the face turns down (nose and mouth move down against the
//!   ears, the head does not grow), holds, then comes back.
//! - `glance_down`: the same pitch for five seconds only.
//!
//! Every frame gets a small sub-pixel jitter, as a real camera would. Frames
//! are meant to be replayed at 2 fps. Run from the repository root:
//!
//! ```sh
//! cargo run --release --example make_sequences
//! ```
//!
//! The output is committed; CI does not regenerate it.

use std::path::Path;

use image::{Rgb, RgbImage};

const FPS: f64 = 2.0;
/// Where the head is in the source photo (pixels): centre and half-axes of an
/// ellipse covering hair to chin, and the point the head pivots on at the neck.
const HEAD_CENTRE: (f32, f32) = (282.0, 125.0);
const HEAD_RADII: (f32, f32) = (95.0, 118.0);
const HEAD_MARGIN_PX: f32 = 28.0;
const NECK_PIVOT: (f32, f32) = (285.0, 232.0);
/// Full forward head: 20% larger against the shoulders (about 14 cm nearer at
/// this framing) and 6 px lower.
const FORWARD_SCALE: f32 = 0.20;
const FORWARD_DROP_PX: f32 = 8.0;
/// Full looking down: the middle of the face moves 34 px down.
const PITCH_SHIFT_PX: f32 = 34.0;
const FACE_CENTRE: (f32, f32) = (279.0, 168.0);
const FACE_SIGMA: (f32, f32) = (26.0, 44.0);

fn bilinear(image: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |xi: i64, yi: i64| {
        image
            .get_pixel(xi.clamp(0, w - 1) as u32, yi.clamp(0, h - 1) as u32)
            .0
    };
    let (xi, yi) = (x0 as i64, y0 as i64);
    let (a, b, c, d) = (
        at(xi, yi),
        at(xi + 1, yi),
        at(xi, yi + 1),
        at(xi + 1, yi + 1),
    );
    let mut out = [0u8; 3];
    for k in 0..3 {
        let top = a[k] as f32 + (b[k] as f32 - a[k] as f32) * fx;
        let bottom = c[k] as f32 + (d[k] as f32 - c[k] as f32) * fx;
        out[k] = (top + (bottom - top) * fy).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(out)
}

fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// Weight of the head warp at a pixel: 1 inside the head ellipse, fading to 0.
fn head_weight(x: f32, y: f32) -> f32 {
    let (dx, dy) = (
        (x - HEAD_CENTRE.0) / HEAD_RADII.0,
        (y - HEAD_CENTRE.1) / HEAD_RADII.1,
    );
    let r = dx.hypot(dy);
    let margin = HEAD_MARGIN_PX / HEAD_RADII.0.min(HEAD_RADII.1);
    1.0 - smoothstep(1.0, 1.0 + margin, r)
}

/// One frame: `forward` and `down` from 0 (neutral) to 1 (full), plus jitter.
fn frame(source: &RgbImage, forward: f32, down: f32, jitter: (f32, f32)) -> RgbImage {
    let scale = 1.0 + FORWARD_SCALE * forward;
    let drop_px = FORWARD_DROP_PX * forward;
    RgbImage::from_fn(source.width(), source.height(), |u, v| {
        let (x, y) = (u as f32 + jitter.0, v as f32 + jitter.1);
        // Forward head: inverse of "scale about the neck pivot, then drop".
        let w = head_weight(x, y);
        let grown = (
            NECK_PIVOT.0 + (x - NECK_PIVOT.0) / scale,
            NECK_PIVOT.1 + (y - drop_px - NECK_PIVOT.1) / scale,
        );
        let (sx, mut sy) = (x + w * (grown.0 - x), y + w * (grown.1 - y));
        // Looking down: the middle of the face slides down under the ears.
        let g = (-0.5
            * (((sx - FACE_CENTRE.0) / FACE_SIGMA.0).powi(2)
                + ((sy - FACE_CENTRE.1) / FACE_SIGMA.1).powi(2)))
        .exp();
        sy -= PITCH_SHIFT_PX * down * g;
        bilinear(source, sx, sy)
    })
}

/// A tiny deterministic random walk for the jitter.
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> (f32, f32) {
        let mut value = || {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 1.2
        };
        (value(), value())
    }
}

/// Segments of (seconds, start level, end level), levels ramped linearly.
fn levels(segments: &[(f64, f32, f32)]) -> Vec<f32> {
    let mut out = Vec::new();
    for &(secs, from, to) in segments {
        let frames = (secs * FPS).round() as usize;
        for k in 0..frames {
            out.push(from + (to - from) * (k as f32 + 1.0) / frames as f32);
        }
    }
    out
}

fn write_sequence(source: &RgbImage, name: &str, forward: &[f32], down: &[f32]) {
    let dir = Path::new("fixtures/sequences").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut jitter = Jitter(name.len() as u64 * 7919);
    for (index, (&f, &d)) in forward.iter().zip(down).enumerate() {
        let image = frame(source, f, d, jitter.next());
        let path = dir.join(format!("frame_{index:03}.jpg"));
        let file = std::fs::File::create(&path).unwrap();
        let mut encoder =
            image::codecs::jpeg::JpegEncoder::new_with_quality(std::io::BufWriter::new(file), 85);
        encoder.encode_image(&image).unwrap();
    }
    println!(
        "{}: {} frames ({} s at {FPS} fps)",
        dir.display(),
        forward.len(),
        forward.len() as f64 / FPS
    );
}

fn main() {
    let source = image::open("fixtures/images/astronaut_webcam_640x480.png")
        .unwrap()
        .into_rgb8();
    // 8 s neutral, 2 s ramp, 44 s held, 2 s back, 6 s neutral.
    let hold = levels(&[
        (8.0, 0.0, 0.0),
        (2.0, 0.0, 1.0),
        (44.0, 1.0, 1.0),
        (2.0, 1.0, 0.0),
        (6.0, 0.0, 0.0),
    ]);
    let none = vec![0.0; hold.len()];
    write_sequence(&source, "forward_head", &hold, &none);
    write_sequence(&source, "looking_down", &none, &hold);
    let glance = levels(&[
        (8.0, 0.0, 0.0),
        (1.0, 0.0, 1.0),
        (4.0, 1.0, 1.0),
        (1.0, 1.0, 0.0),
        (14.0, 0.0, 0.0),
    ]);
    write_sequence(&source, "glance_down", &vec![0.0; glance.len()], &glance);
}
