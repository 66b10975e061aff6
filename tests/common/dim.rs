//! A dim room as a webcam shows it: the light turned down and the sensor's gain up, so every
//! frame carries noise of its own. Shared by the tests, the monitor_cpu bench (which includes
//! this file by path) and `capture::still`'s unit tests.

use image::RgbImage;

/// Standard normal values for [`dim_noisy`], drawn once (Box-Muller from a fixed xorshift):
/// looking one up per pixel is ten times cheaper than drawing it.
fn normals() -> &'static [f32] {
    static NORMALS: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
    NORMALS.get_or_init(|| {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        (0..1 << 16)
            .map(|_| {
                let (u1, u2) = (uniform(), uniform());
                ((-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()) as f32
            })
            .collect()
    })
}

/// `clean` at `brightness` of its light with Gaussian noise of `noise_levels` grey levels
/// (standard deviation) on every channel, its own for each `seed`.
pub fn dim_noisy(clean: &RgbImage, brightness: f32, noise_levels: f32, seed: u64) -> RgbImage {
    let normals = normals();
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut dim = clean.clone();
    for value in dim.iter_mut() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let normal = normals[(state >> 48) as usize];
        *value = (f32::from(*value) * brightness + normal * noise_levels)
            .round()
            .clamp(0.0, 255.0) as u8;
    }
    dim
}
