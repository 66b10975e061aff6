//! Adaptive sampling: look often only when it matters.
//!
//! While posture is good and steady one sample a second (or fewer) is plenty;
//! while drifting or in an episode, sample faster so the hold time is timed
//! well. And when the picture has barely changed since the last inference,
//! the last result still holds: a cheap difference of two small grey
//! thumbnails saves the pose model's ~25 ms. Pure: time and pictures in,
//! decisions out.

use image::GrayImage;

use super::PostureState;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplingSettings {
    /// Between samples while posture is good, seconds.
    pub steady_interval_secs: f64,
    /// Between samples while drifting, forward, looking down or uncertain.
    pub active_interval_secs: f64,
    /// Between samples while nobody is there.
    pub away_interval_secs: f64,
    /// A frame counts as unchanged when the most-changed 2% of its thumbnail
    /// differs by less than this (0-255) from the last inferred frame. A
    /// head is a small part of the picture, so a mean would miss it.
    pub min_change: f32,
    /// Run the model at least this often even on unchanged frames, seconds.
    pub max_reuse_secs: f64,
    /// The same when the last reading found nobody, seconds: an unchanged
    /// empty picture is still empty, and someone sitting down changes it.
    /// 0 = never reuse.
    pub nobody_reuse_secs: f64,
    /// While the face model tracks the head, run the body model (shoulders)
    /// at most this long apart, seconds; it also runs when the face is lost or
    /// moves a lot (see `posture::cadence`). 0 = every sample.
    pub body_every_secs: f64,
    /// From this much noise (`capture::still::NoiseMeter`: how two frames of
    /// a still scene differ, grey levels) the frames of a still scene are
    /// averaged for the models: each sampled frame is then decoded in colour,
    /// not only read in grey.
    pub noisy_picture_level: f32,
}

impl Default for SamplingSettings {
    fn default() -> Self {
        Self {
            steady_interval_secs: 1.0,
            // Twice a second: once a second saved a little CPU, but then a
            // single reading half-way up from a glance down weighs more in the
            // smoothing, and the glance_down replay read 2 s of forward head.
            active_interval_secs: 0.5,
            away_interval_secs: 2.0,
            min_change: 12.0,
            // A reused result is one measurement standing in for several, and
            // a slow drift forward (a few pixels) does not change the
            // thumbnail: this is how late such a drift can be seen. 4 s rather
            // than 2 s read the face half as often, left the offsets as they
            // were, and made 4 of 14 sessions' first alerts 2–4 s later (after
            // ~30 s holds; docs/posture.md). A reading without the face is
            // held at most MAX_REUSE_WITHOUT_FACE_SECS.
            max_reuse_secs: 4.0,
            // Looking for nobody is the dearest reading (the detector twice
            // and a landmark pass: ~75 ms): every 2 s it held an empty room at
            // 4-5 % of a core, more than watching a person. Someone arriving
            // changes the picture far past min_change, so is seen at once.
            nobody_reuse_secs: 30.0,
            // Shoulders move slowly and a move of the face runs the body at
            // once: on the rendered ground truth, 10 s rather than 5 s left
            // the forward offsets and states as they were (3 of 7675 samples
            // changed state) and ran the body model 37 % less
            // (tools/groundtruth/cadence.py; docs/posture.md).
            body_every_secs: 10.0,
            noisy_picture_level: crate::capture::still::NOISY_PICTURE_LEVEL,
        }
    }
}

impl SamplingSettings {
    /// How long to wait before the next sample, given the current state.
    pub fn interval_secs(&self, state: PostureState) -> f64 {
        match state {
            PostureState::Good => self.steady_interval_secs,
            PostureState::Away => self.away_interval_secs,
            PostureState::Drifting
            | PostureState::ForwardHead
            | PostureState::LookingDown
            | PostureState::Uncertain => self.active_interval_secs,
        }
    }
}

/// Thumbnail side lengths: enough to see a head move, tiny to compare.
pub const THUMBNAIL_WIDTH: u32 = 32;
pub const THUMBNAIL_HEIGHT: u32 = 24;

/// A small grey picture of a frame (box-averaged).
#[derive(Debug, Clone, PartialEq)]
pub struct Thumbnail(Vec<u8>);

impl Thumbnail {
    /// From a grey picture: in the monitor, the frame's at an eighth of its
    /// size (`capture::Picture::eighth`, which a JPEG gives from its DC
    /// coefficients), so at 640×480 a cell is 2 or 3 of its 80×60 block
    /// means each way.
    pub fn of(frame: &GrayImage) -> Self {
        let (width, height) = (frame.width(), frame.height());
        if width == 0 || height == 0 {
            return Thumbnail(vec![0; (THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT) as usize]);
        }
        let span = |cell: u32, cells: u32, size: u32| {
            let start = (cell * size / cells).min(size - 1);
            let end = ((cell + 1) * size / cells).clamp(start + 1, size);
            (start, end)
        };
        let row_bytes = width as usize;
        let pixels = frame.as_raw();
        let mut cells = Vec::with_capacity((THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT) as usize);
        // Every pixel: a sparse sample would see sensor noise and sub-pixel
        // shake as change. Each band of rows is first summed column by column
        // (whole rows, which vectorise), then the columns cell by cell (a
        // cell's row is short: 2 or 3 block means in the monitor's eighth
        // picture, ~20 pixels in a full one). In u64 per cell: a cell of a
        // full 16384-pixel-wide frame holds ~350 000 pixels; a column of a
        // band at most 16384 / 24 × 255 fits u32.
        let mut column_sums = vec![0u32; row_bytes];
        for cell_y in 0..THUMBNAIL_HEIGHT {
            let (y0, y1) = span(cell_y, THUMBNAIL_HEIGHT, height);
            column_sums.fill(0);
            for y in y0..y1 {
                let row = &pixels[y as usize * row_bytes..][..row_bytes];
                for (sum, &luma) in column_sums.iter_mut().zip(row) {
                    *sum += u32::from(luma);
                }
            }
            for cell_x in 0..THUMBNAIL_WIDTH {
                let (x0, x1) = span(cell_x, THUMBNAIL_WIDTH, width);
                let sum: u64 = column_sums[x0 as usize..x1 as usize]
                    .iter()
                    .map(|&column| u64::from(column))
                    .sum();
                let count = u64::from((y1 - y0) * (x1 - x0));
                cells.push((sum / count.max(1)) as u8);
            }
        }
        Thumbnail(cells)
    }

    /// How much the most-changed 2% of the picture changed (the 98th
    /// percentile of cell differences), 0-255.
    pub fn difference(&self, other: &Thumbnail) -> f32 {
        let mut differences: Vec<u8> = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| a.abs_diff(*b))
            .collect();
        if differences.is_empty() {
            return 0.0;
        }
        let rank = (differences.len() * 98 / 100).min(differences.len() - 1);
        f32::from(*differences.select_nth_unstable(rank).1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Run the pose model on this frame.
    Infer,
    /// The picture has not changed: the last result still holds.
    Reuse,
    /// The picture has not changed, but the last result is too old to stand
    /// in for it: run the models on it (or on the still frames since).
    Refresh,
}

/// Remembers the last inferred frame.
#[derive(Debug, Clone, Default)]
pub struct Sampler {
    last: Option<(f64, Thumbnail)>,
}

/// The longest a reading without the face (the body model's ears alone: no
/// face read, no face baseline, or looking down) stands in for unchanged
/// frames, seconds, whatever `max_reuse_secs` says. The ears are a noisy
/// ruler: on the warped replay a low reading held for 4 s broke a 44 s
/// forward head into short episodes that never alerted; held for 2 s, as
/// before the face model, it alerted as it should.
pub const MAX_REUSE_WITHOUT_FACE_SECS: f64 = 2.0;

/// What the last inferred frame gave, which decides how long it may stand in
/// for frames that look the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastReading {
    /// The face gave the forward offset.
    Face,
    /// Anything else with someone in view: the ears alone, a side view, an
    /// uncertain frame with a person in it, or no reading yet.
    WithoutFace,
    /// Nobody in view.
    Nobody,
}

impl SamplingSettings {
    /// How long the last reading may stand in for frames that look the
    /// same: `max_reuse_secs` if the face gave its forward offset, at most
    /// [`MAX_REUSE_WITHOUT_FACE_SECS`] without it, `nobody_reuse_secs` when
    /// nobody was there.
    pub fn reuse_limit_secs(&self, last: LastReading) -> f64 {
        match last {
            LastReading::Face => self.max_reuse_secs,
            LastReading::WithoutFace => self.max_reuse_secs.min(MAX_REUSE_WITHOUT_FACE_SECS),
            LastReading::Nobody => self.nobody_reuse_secs,
        }
    }
}

impl Sampler {
    /// Infer, or reuse the last reading: reuse while the picture has barely
    /// changed since the last inferred frame, for at most
    /// [`SamplingSettings::reuse_limit_secs`] of what it gave; past that an
    /// unchanged picture is a [`Decision::Refresh`], the same still scene
    /// read again (whose frames the monitor may average, `capture::still`).
    pub fn decide(
        &mut self,
        settings: &SamplingSettings,
        at_secs: f64,
        thumbnail: Thumbnail,
        last: LastReading,
    ) -> Decision {
        let decision = match &self.last {
            Some((last_secs, last_thumbnail))
                if thumbnail.difference(last_thumbnail) < settings.min_change =>
            {
                if at_secs - last_secs < settings.reuse_limit_secs(last) {
                    return Decision::Reuse;
                }
                Decision::Refresh
            }
            _ => Decision::Infer,
        };
        self.last = Some((at_secs, thumbnail));
        decision
    }

    /// Forget the last frame (after a pause, the scene may have changed).
    pub fn reset(&mut self) {
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn thumbnail(image: RgbImage) -> Thumbnail {
        Thumbnail::of(crate::capture::Picture::from_rgb(image).eighth().unwrap())
    }

    fn scene(offset: u32) -> RgbImage {
        RgbImage::from_fn(640, 480, |x, y| {
            if (x + offset).abs_diff(320) < 60 && y.abs_diff(200) < 80 {
                Rgb([200, 160, 140])
            } else {
                Rgb([40, 60, 80])
            }
        })
    }

    #[test]
    fn slower_when_good_faster_when_it_matters() {
        let s = SamplingSettings::default();
        assert_eq!(s.interval_secs(PostureState::Good), 1.0);
        assert_eq!(s.interval_secs(PostureState::ForwardHead), 0.5);
        assert_eq!(s.interval_secs(PostureState::Drifting), 0.5);
        assert_eq!(s.interval_secs(PostureState::Away), 2.0);
    }

    #[test]
    fn an_unchanged_frame_reuses_the_last_result_for_a_while() {
        let s = SamplingSettings::default();
        let mut sampler = Sampler::default();
        let mut decide = |at_secs: f64, offset: u32| {
            sampler.decide(&s, at_secs, thumbnail(scene(offset)), LastReading::Face)
        };
        assert_eq!(decide(0.0, 0), Decision::Infer);
        assert_eq!(decide(1.0, 0), Decision::Reuse);
        assert_eq!(decide(3.9, 0), Decision::Reuse);
        // Never reuse for longer than max_reuse_secs: a slow drift is not
        // seen in the thumbnail, so this is how late it is read. The scene
        // is still the same one (its frames may be averaged): a refresh.
        assert_eq!(decide(4.0, 0), Decision::Refresh);
        assert_eq!(decide(5.0, 0), Decision::Reuse);
        // The head moved 40 px: infer.
        assert_eq!(decide(4.5, 40), Decision::Infer);
        sampler.reset();
        assert_eq!(
            sampler.decide(&s, 5.0, thumbnail(scene(40)), LastReading::Face),
            Decision::Infer
        );
    }

    #[test]
    fn a_reading_without_the_face_stands_for_at_most_two_seconds() {
        let s = SamplingSettings::default();
        assert_eq!(s.reuse_limit_secs(LastReading::Face), 4.0);
        assert_eq!(s.reuse_limit_secs(LastReading::WithoutFace), 2.0);
        let mut sampler = Sampler::default();
        let still = || thumbnail(scene(0));
        let without_face = LastReading::WithoutFace;
        assert_eq!(
            sampler.decide(&s, 0.0, still(), without_face),
            Decision::Infer
        );
        assert_eq!(
            sampler.decide(&s, 1.9, still(), without_face),
            Decision::Reuse
        );
        assert_eq!(
            sampler.decide(&s, 2.0, still(), without_face),
            Decision::Refresh
        );
        // A shorter max_reuse_secs holds for both.
        let short = SamplingSettings {
            max_reuse_secs: 1.0,
            ..s
        };
        assert_eq!(short.reuse_limit_secs(LastReading::Face), 1.0);
        assert_eq!(short.reuse_limit_secs(LastReading::WithoutFace), 1.0);
        // And 0 never reuses.
        let never = SamplingSettings {
            max_reuse_secs: 0.0,
            ..s
        };
        assert_eq!(
            sampler.decide(&never, 2.1, still(), LastReading::Face),
            Decision::Refresh
        );
    }

    #[test]
    fn an_unchanged_empty_picture_is_read_again_only_every_half_minute() {
        let s = SamplingSettings::default();
        assert_eq!(s.reuse_limit_secs(LastReading::Nobody), 30.0);
        let mut sampler = Sampler::default();
        let empty = || thumbnail(scene(400));
        let nobody = LastReading::Nobody;
        assert_eq!(sampler.decide(&s, 0.0, empty(), nobody), Decision::Infer);
        assert_eq!(sampler.decide(&s, 2.0, empty(), nobody), Decision::Reuse);
        assert_eq!(sampler.decide(&s, 29.9, empty(), nobody), Decision::Reuse);
        assert_eq!(sampler.decide(&s, 30.0, empty(), nobody), Decision::Refresh);
        // Someone sits down: the picture changes, read at once.
        assert_eq!(
            sampler.decide(&s, 32.0, thumbnail(scene(0)), nobody),
            Decision::Infer
        );
        // 0 never reuses.
        let never = SamplingSettings {
            nobody_reuse_secs: 0.0,
            ..s
        };
        assert_eq!(
            sampler.decide(&never, 34.0, thumbnail(scene(0)), nobody),
            Decision::Refresh
        );
    }

    #[test]
    fn a_thumbnail_cell_is_the_floored_mean_of_its_pixels() {
        // Straight from the definition, for frames whose cells are uneven
        // (and, at 7×5, overlap).
        for (width, height) in [(640, 480), (643, 479), (7, 5), (33, 25)] {
            let frame = GrayImage::from_fn(width, height, |x, y| {
                image::Luma([((x * 7919 + y * 104_729) % 251) as u8])
            });
            let span = |cell: u32, cells: u32, size: u32| {
                let start = (cell * size / cells).min(size - 1);
                (start, ((cell + 1) * size / cells).clamp(start + 1, size))
            };
            let mut expected = Vec::new();
            for cell_y in 0..THUMBNAIL_HEIGHT {
                let (y0, y1) = span(cell_y, THUMBNAIL_HEIGHT, height);
                for cell_x in 0..THUMBNAIL_WIDTH {
                    let (x0, x1) = span(cell_x, THUMBNAIL_WIDTH, width);
                    let mut sum = 0u64;
                    for y in y0..y1 {
                        for x in x0..x1 {
                            sum += u64::from(frame.get_pixel(x, y)[0]);
                        }
                    }
                    expected.push((sum / u64::from((y1 - y0) * (x1 - x0))) as u8);
                }
            }
            assert_eq!(Thumbnail::of(&frame).0, expected, "{width}×{height}");
        }
    }

    #[test]
    fn thumbnails_average_and_compare() {
        let flat = thumbnail(RgbImage::from_pixel(64, 48, Rgb([100, 100, 100])));
        assert!(
            flat.0.iter().all(|&v| v == 99 || v == 100),
            "{:?}",
            &flat.0[..4]
        );
        let brighter = thumbnail(RgbImage::from_pixel(64, 48, Rgb([110, 110, 110])));
        assert!((flat.difference(&brighter) - 10.0).abs() <= 1.0);
        // A change in a small corner (a head) counts, though the mean barely moves.
        let mut corner = RgbImage::from_pixel(640, 480, Rgb([100, 100, 100]));
        for (x, y, pixel) in corner.enumerate_pixels_mut() {
            if x < 160 && y < 120 {
                *pixel = Rgb([200, 200, 200]);
            }
        }
        let still = thumbnail(RgbImage::from_pixel(640, 480, Rgb([100, 100, 100])));
        assert!(still.difference(&thumbnail(corner)) > 50.0);
        assert_eq!(thumbnail(RgbImage::new(1, 1)).0.len(), 32 * 24);
    }
}
