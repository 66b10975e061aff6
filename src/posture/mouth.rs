//! Talking and yawning: the face's size is held while the mouth is open.
//!
//! The face model draws the whole face a little larger as the mouth opens, not
//! only the jaw: on renders of the 7 people with the jaw opened 10° (talking)
//! the fitted face grew by up to 3 %, read as 0.5–1.6 cm of forward head
//! (fixtures/groundtruth/mouth), and up to 2 cm opened 20°. Leaving the jaw
//! line out of the size fit, or sizing the face's region from the fitted
//! canonical face rather than the mesh's own box, halved it at best and cost
//! accuracy elsewhere (docs/posture.md). Opening the mouth moves no head
//! forward, so a frame with the mouth open takes its size from the last frame
//! with it closed, which in speech is never more than a moment before. The
//! angles (a nod, looking down) are still the frame's own.
//!
//! "Open" is against the person's own closed mouth: the smallest lip gap of the
//! last [`MOUTH_WINDOW_SECS`], so lips that rest apart are not an open mouth.
//! Pure: the time is passed in.

use std::collections::VecDeque;

/// The lip gap, in canonical centimetres, beyond the smallest of the window at
/// which the mouth counts as open. On the renders a closed mouth's gap stayed
/// within 0.32 cm of its neutral in every posture of the main set (a chin poke
/// parts the lips most, looking down closes them), and a jaw opened 10° parted
/// them by 0.7–1.9 cm.
pub const MOUTH_OPEN_GAP_CM: f32 = 0.5;

/// How far back the closed mouth's gap is looked for, and how long a size read
/// with the mouth closed stands in for frames with it open, seconds. Past it
/// (a long yawn, or a mouth open since the face was found) the frame's own size
/// is used: a size from longer ago could miss a real move.
pub const MOUTH_WINDOW_SECS: f64 = 10.0;

/// The face's size for one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceSize {
    /// The size to measure the forward offset with: the frame's own, or while
    /// the mouth is open the last closed-mouth frame's.
    pub scale_px_per_cm: f32,
    /// The mouth is open against the person's closed mouth.
    pub mouth_open: bool,
    /// `scale_px_per_cm` is an earlier frame's.
    pub held: bool,
}

/// The recent lip gaps and the last size read with the mouth closed.
#[derive(Debug, Clone, Default)]
pub struct MouthTrack {
    /// (seconds, lip gap in canonical cm), oldest first, within the window.
    gaps: VecDeque<(f64, f32)>,
    /// (seconds, scale) of the last frame with the mouth closed.
    closed_size: Option<(f64, f32)>,
}

impl MouthTrack {
    /// The size to use for a frame at `at_secs` whose lips are `lip_gap_cm`
    /// apart and whose face fitted at `scale_px_per_cm`.
    pub fn size(&mut self, at_secs: f64, lip_gap_cm: f32, scale_px_per_cm: f32) -> FaceSize {
        // Time going backwards is a new sequence.
        if self.gaps.back().is_some_and(|&(last, _)| at_secs < last) {
            self.reset();
        }
        while self
            .gaps
            .front()
            .is_some_and(|&(then, _)| at_secs - then > MOUTH_WINDOW_SECS)
        {
            self.gaps.pop_front();
        }
        self.gaps.push_back((at_secs, lip_gap_cm));
        let closed_gap_cm = self
            .gaps
            .iter()
            .map(|&(_, gap)| gap)
            .fold(f32::INFINITY, f32::min);
        let mouth_open = lip_gap_cm > closed_gap_cm + MOUTH_OPEN_GAP_CM;
        if !mouth_open {
            self.closed_size = Some((at_secs, scale_px_per_cm));
        }
        let held_scale = self
            .closed_size
            .filter(|&(then, _)| mouth_open && at_secs - then <= MOUTH_WINDOW_SECS)
            .map(|(_, closed_scale)| closed_scale);
        FaceSize {
            scale_px_per_cm: held_scale.unwrap_or(scale_px_per_cm),
            mouth_open,
            held: held_scale.is_some(),
        }
    }

    /// Forgets the gaps and the held size (a new sequence, or the face lost).
    pub fn reset(&mut self) {
        self.gaps.clear();
        self.closed_size = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_mouth_keeps_its_own_size() {
        let mut track = MouthTrack::default();
        for (i, scale) in [8.0, 8.1, 8.3].into_iter().enumerate() {
            let size = track.size(i as f64 * 0.5, 0.1, scale);
            assert_eq!(
                size,
                FaceSize {
                    scale_px_per_cm: scale,
                    mouth_open: false,
                    held: false
                }
            );
        }
    }

    #[test]
    fn an_open_mouth_takes_the_last_closed_size_and_closing_it_ends_the_hold() {
        let mut track = MouthTrack::default();
        track.size(0.0, 0.1, 8.0);
        track.size(0.5, 0.2, 8.1);
        let open = track.size(1.0, 1.2, 8.3);
        assert!(open.mouth_open && open.held && open.scale_px_per_cm == 8.1);
        let closed = track.size(1.5, 0.15, 8.2);
        assert!(!closed.mouth_open && !closed.held && closed.scale_px_per_cm == 8.2);
    }

    #[test]
    fn lips_that_rest_apart_are_not_an_open_mouth() {
        let mut track = MouthTrack::default();
        for i in 0..6 {
            let size = track.size(i as f64, 0.6 + 0.05 * (i % 2) as f32, 8.0);
            assert!(!size.mouth_open, "{i}: {size:?}");
        }
        // Opened beyond its own rest: held.
        assert!(track.size(6.0, 1.3, 8.4).held);
    }

    #[test]
    fn a_mouth_open_too_long_or_from_the_start_uses_the_frames_own_size() {
        let mut track = MouthTrack::default();
        // From the start there is no closed mouth to compare with: not open.
        assert!(!track.size(0.0, 1.4, 8.4).mouth_open);
        let mut track = MouthTrack::default();
        track.size(0.0, 0.1, 8.0);
        assert!(track.size(5.0, 1.4, 8.4).held);
        // A yawn past the window: the closed gap has left it, and the last closed size is
        // too old to stand in.
        let late = track.size(10.5, 1.4, 8.4);
        assert!(!late.held && late.scale_px_per_cm == 8.4, "{late:?}");
    }

    #[test]
    fn time_going_backwards_starts_afresh() {
        let mut track = MouthTrack::default();
        track.size(100.0, 0.1, 8.0);
        let size = track.size(0.0, 1.4, 8.4);
        assert!(!size.held && size.scale_px_per_cm == 8.4, "{size:?}");
    }
}
