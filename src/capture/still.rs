//! A still scene's frames averaged: less sensor noise for the models.
//!
//! In a dim room a webcam turns up its gain and every frame carries noise of
//! several grey levels. The face and body models read a single noisy frame
//! less well, small signals first (a 10° look down read as `good`); averaging
//! the frames of a scene that has not moved divides that noise by the root
//! of their number. The sampling gate already says when the scene is still,
//! and the noise is measured as two frames of the same still scene differ
//! ([`NoiseMeter`]), so the average costs only the colour decoding of the
//! frames between two model runs, and only while the picture is noisy. Pure:
//! pictures in, pictures and numbers out.

use image::RgbImage;

/// Frames at most in one average: 8 divide the noise by 2.8; more would mostly
/// hold on to a picture the scene has slowly moved on from.
pub const MAX_STILL_FRAMES: u32 = 8;

/// The default `[sampling] noisy_picture_level`: the [`NoiseMeter`] reading
/// (grey levels) from which a still scene's frames are averaged. Renders
/// darkened to 0.35 with Gaussian noise of σ = 6 in every frame, saved at JPEG
/// quality 87, read about 6 (ImageMagick's noise of 5.3 levels RMS, 5.3); the
/// bundled sequences, clean but shaken by sub-pixel jitter over a textured
/// photo, 0–1.6; the same frame twice 0. At σ = 6 single frames read the 10°
/// looks down as looking down 627 s of 770 held, averages 680 s
/// (docs/posture.md, "A dim, noisy picture").
pub const NOISY_PICTURE_LEVEL: f32 = 2.0;

/// The sum of the frames of one still scene, up to [`MAX_STILL_FRAMES`].
#[derive(Debug, Clone, Default)]
pub struct StillStack {
    sums: Vec<u32>,
    width: u32,
    height: u32,
    count: u32,
}

impl StillStack {
    /// How many frames the next [`mean`](Self::mean) averages.
    pub fn len(&self) -> u32 {
        self.count
    }

    /// Whether no frame has been added since the last clear.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Forget every frame: the scene changed, or the picture is clean again.
    pub fn clear(&mut self) {
        self.count = 0;
    }

    /// Adds a frame of the same still scene; a frame of another size starts
    /// the sum again with it. Beyond [`MAX_STILL_FRAMES`] the oldest weigh
    /// less: the sum is scaled back to keep the newest frame's share.
    pub fn push(&mut self, frame: &RgbImage) {
        let (width, height) = frame.dimensions();
        if self.count == 0 || (width, height) != (self.width, self.height) {
            self.width = width;
            self.height = height;
            self.sums.clear();
            self.sums
                .extend(frame.as_raw().iter().map(|&v| u32::from(v)));
            self.count = 1;
            return;
        }
        if self.count >= MAX_STILL_FRAMES {
            // The count never passes the cap, so this divides by a constant
            // (a shift), which vectorises, not by the count.
            const KEEP: u32 = MAX_STILL_FRAMES - 1;
            for sum in &mut self.sums {
                *sum = (*sum * KEEP + MAX_STILL_FRAMES / 2) / MAX_STILL_FRAMES;
            }
            self.count = KEEP;
        }
        for (sum, &value) in self.sums.iter_mut().zip(frame.as_raw()) {
            *sum += u32::from(value);
        }
        self.count += 1;
    }

    /// The rounded mean of the frames added, or `None` if there are none.
    pub fn mean(&self) -> Option<RgbImage> {
        if self.count == 0 {
            return None;
        }
        let (count, half) = (self.count, self.count / 2);
        let pixels = self.sums.iter().map(|&sum| ((sum + half) / count) as u8);
        RgbImage::from_raw(self.width, self.height, pixels.collect())
    }
}

/// The mean of the smaller half of |a − b| for a, b independent with Gaussian
/// noise of σ = 1: 2 (φ(0) − φ(0.6745)) / 0.5 · √2.
const LOWER_HALF_MEAN_PER_SIGMA: f64 = 0.4591;

/// Sensor noise from two frames of one still scene: what the average would
/// remove. A single frame cannot tell noise from texture once a JPEG has
/// smoothed it (a grassy photo reads noisier than a dark, noisy wall); two
/// frames of a scene the gate found unchanged differ by the noise alone, but
/// where something moved a little (an edge shifted by a breath, a camera's
/// sub-pixel shake over a textured room): so only the smaller half of the
/// differences count, from the plain parts of the picture.
#[derive(Debug, Clone, Default)]
pub struct NoiseMeter {
    /// The green channel of the last frame read, every second pixel of every
    /// second row.
    last: Vec<u8>,
    last_size: (u32, u32),
    /// The last noise measured, kept across moves (the light does not change
    /// with them).
    level: Option<f32>,
}

impl NoiseMeter {
    /// Reads `frame`: if `same_scene` (the gate saw no change since the last
    /// frame read) and that frame was of the same size, the noise in grey
    /// levels: the mean of the smaller half of their green values' absolute
    /// differences, scaled so that Gaussian noise of σ in each frame reads σ;
    /// otherwise `None`. Either way `frame` is the next comparison.
    pub fn read(&mut self, frame: &RgbImage, same_scene: bool) -> Option<f32> {
        let size = frame.dimensions();
        let width = size.0 as usize;
        let raw = frame.as_raw();
        let green = (0..size.1 as usize)
            .step_by(2)
            .flat_map(|y| (0..width).step_by(2).map(move |x| (y * width + x) * 3 + 1))
            .map(|at| raw[at]);
        let comparable = same_scene && size == self.last_size && !self.last.is_empty();
        let mut histogram = [0u32; 256];
        let mut samples = 0usize;
        if comparable {
            for (last, now) in self.last.iter_mut().zip(green) {
                histogram[usize::from(last.abs_diff(now))] += 1;
                *last = now;
                samples += 1;
            }
        } else {
            self.last.clear();
            self.last.extend(green);
            self.last_size = size;
        }
        if !comparable || samples == 0 {
            return None;
        }
        let kept = samples / 2;
        let (mut counted, mut total) = (0usize, 0u64);
        for (difference, &count) in histogram.iter().enumerate() {
            let take = (count as usize).min(kept - counted);
            counted += take;
            total += take as u64 * difference as u64;
            if counted == kept {
                break;
            }
        }
        let level = (total as f64 / kept.max(1) as f64 / LOWER_HALF_MEAN_PER_SIGMA) as f32;
        self.level = Some(level);
        Some(level)
    }

    /// The last noise [`read`](Self::read) measured, if any yet.
    pub fn level(&self) -> Option<f32> {
        self.level
    }
}

/// The tests' dim room, shared with the integration tests and the bench.
#[cfg(test)]
#[path = "../../tests/common/dim.rs"]
mod test_dim;

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    /// A smooth scene: a lit wall with a face-sized blob, as a webcam sees it
    /// without noise.
    fn scene() -> RgbImage {
        RgbImage::from_fn(320, 240, |x, y| {
            let blob = ((x as f32 - 160.0).powi(2) + (y as f32 - 110.0).powi(2)).sqrt() < 40.0;
            let base = 60.0 + 0.2 * x as f32 + 0.1 * y as f32;
            let v = if blob { base + 70.0 } else { base } as u8;
            Rgb([v, v.saturating_sub(10), v.saturating_sub(20)])
        })
    }

    /// `frame` with Gaussian noise of `sigma` grey levels on every channel, its own per `seed`.
    fn with_noise(frame: &RgbImage, sigma: f32, seed: u64) -> RgbImage {
        super::test_dim::dim_noisy(frame, 1.0, sigma, seed)
    }

    #[test]
    fn noise_is_how_two_frames_of_a_still_scene_differ_whatever_the_scene_shows() {
        let clean = scene();
        let mut meter = NoiseMeter::default();
        // The first frame has nothing to compare with; a moved scene neither.
        assert_eq!(meter.read(&clean, true), None);
        assert_eq!(meter.read(&clean, true), Some(0.0));
        assert_eq!(meter.read(&with_noise(&clean, 4.0, 1), false), None);
        // A move measures nothing and keeps the last measure.
        assert_eq!(meter.level(), Some(0.0));
        for sigma in [2.0f32, 4.0, 8.0] {
            meter.read(&with_noise(&clean, sigma, 2), false);
            let read = meter.read(&with_noise(&clean, sigma, 3), true).unwrap();
            assert!(
                (read - 0.93 * sigma).abs() < 0.1 * sigma,
                "sigma {sigma}: read {read}"
            );
        }
        // Texture is not noise: a busy scene, still, reads nothing.
        let busy = RgbImage::from_fn(320, 240, |x, y| {
            let v = ((x * 37 + y * 91) % 256) as u8;
            Rgb([v, v / 2, 255 - v])
        });
        meter.read(&busy, false);
        assert_eq!(meter.read(&busy, true), Some(0.0));
        // A frame of another size starts again.
        assert_eq!(meter.read(&RgbImage::new(64, 48), true), None);
    }

    #[test]
    fn averaging_still_frames_divides_their_noise_by_the_root_of_their_number() {
        let clean = scene();
        let mut stack = StillStack::default();
        assert!(stack.is_empty() && stack.mean().is_none());
        for seed in 1..=4 {
            stack.push(&with_noise(&clean, 6.0, seed));
        }
        assert_eq!(stack.len(), 4);
        // Against the clean scene a frame with noise of σ reads σ / √2 (one
        // frame's noise, not two frames' difference).
        let noise_of = |image: &RgbImage| {
            let mut meter = NoiseMeter::default();
            meter.read(&clean, false);
            meter.read(image, true).unwrap() * std::f32::consts::SQRT_2
        };
        let four = noise_of(&stack.mean().unwrap());
        assert!(
            (2.6..3.4).contains(&four),
            "4 frames of 6 levels read {four}"
        );
        // Beyond the cap the count stays and the newest frames keep their share.
        for seed in 5..=20 {
            stack.push(&with_noise(&clean, 6.0, seed));
        }
        assert_eq!(stack.len(), MAX_STILL_FRAMES);
        let capped = noise_of(&stack.mean().unwrap());
        assert!(capped < four, "{capped} vs {four}");
        // The mean is the scene's, not shifted by the rounding.
        let mean = stack.mean().unwrap();
        let shift: f64 = mean
            .iter()
            .zip(clean.iter())
            .map(|(a, b)| f64::from(*a) - f64::from(*b))
            .sum::<f64>()
            / mean.len() as f64;
        assert!(shift.abs() < 0.2, "{shift}");
    }

    #[test]
    fn the_same_frame_averaged_is_itself_and_a_new_size_or_a_clear_starts_again() {
        let clean = scene();
        let mut stack = StillStack::default();
        stack.push(&clean);
        stack.push(&clean);
        assert_eq!(stack.mean().unwrap(), clean);
        let small = RgbImage::from_pixel(32, 24, Rgb([9, 9, 9]));
        stack.push(&small);
        assert_eq!((stack.len(), stack.mean().unwrap()), (1, small.clone()));
        stack.clear();
        assert!(stack.is_empty());
        stack.push(&clean);
        assert_eq!(stack.mean().unwrap(), clean);
    }
}
