//! The one-euro filter (Casiez et al. 2012): smooths jitter when a value is
//! steady and follows quickly when it really moves. Time is passed in, so the
//! smoothing is the same at 1 fps and at 10 fps.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneEuroSettings {
    /// Cut-off frequency when the value is steady, hertz: lower = smoother.
    pub min_cutoff_hz: f64,
    /// How fast the cut-off rises with speed: higher = less lag on real moves.
    pub beta: f64,
    /// Cut-off for the speed estimate, hertz.
    pub derivative_cutoff_hz: f64,
}

impl Default for OneEuroSettings {
    fn default() -> Self {
        Self {
            min_cutoff_hz: 0.3,
            beta: 0.5,
            derivative_cutoff_hz: 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OneEuro {
    settings: OneEuroSettings,
    last: Option<(f64, f64, f64)>, // (time secs, value, speed)
}

fn smoothing_factor(cutoff_hz: f64, dt_secs: f64) -> f64 {
    let tau = 1.0 / (2.0 * std::f64::consts::PI * cutoff_hz);
    1.0 / (1.0 + tau / dt_secs)
}

impl OneEuro {
    pub fn new(settings: OneEuroSettings) -> Self {
        Self {
            settings,
            last: None,
        }
    }

    /// Forgets the past: the next value passes through unchanged.
    pub fn reset(&mut self) {
        self.last = None;
    }

    pub fn filter(&mut self, at_secs: f64, value: f64) -> f64 {
        let Some((last_secs, last_value, last_speed)) = self.last else {
            self.last = Some((at_secs, value, 0.0));
            return value;
        };
        let dt_secs = at_secs - last_secs;
        if dt_secs <= 0.0 {
            return last_value;
        }
        let speed = (value - last_value) / dt_secs;
        let a_speed = smoothing_factor(self.settings.derivative_cutoff_hz, dt_secs);
        let smoothed_speed = a_speed * speed + (1.0 - a_speed) * last_speed;
        let cutoff_hz = self.settings.min_cutoff_hz + self.settings.beta * smoothed_speed.abs();
        let a = smoothing_factor(cutoff_hz, dt_secs);
        let smoothed = a * value + (1.0 - a) * last_value;
        self.last = Some((at_secs, smoothed, smoothed_speed));
        smoothed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_value_passes_and_a_constant_stays_constant() {
        let mut filter = OneEuro::new(OneEuroSettings::default());
        assert_eq!(filter.filter(0.0, 3.0), 3.0);
        for k in 1..20 {
            assert!((filter.filter(k as f64 * 0.5, 3.0) - 3.0).abs() < 1e-12);
        }
    }

    #[test]
    fn jitter_is_damped() {
        let mut filter = OneEuro::new(OneEuroSettings::default());
        let mut worst: f64 = 0.0;
        for k in 0..100 {
            let noisy = if k % 2 == 0 { 1.0 } else { -1.0 };
            let out = filter.filter(k as f64 * 0.5, noisy);
            if k > 10 {
                worst = worst.max(out.abs());
            }
        }
        assert!(worst < 0.8, "jitter passed through: {worst}");
    }

    #[test]
    fn a_step_is_followed_within_seconds_at_any_frame_rate() {
        for fps in [1.0, 2.0, 10.0] {
            let mut filter = OneEuro::new(OneEuroSettings::default());
            filter.filter(0.0, 0.0);
            let mut reached_at = None;
            for k in 1..=(20.0 * fps) as usize {
                let t = k as f64 / fps;
                if filter.filter(t, 10.0) > 9.0 && reached_at.is_none() {
                    reached_at = Some(t);
                }
            }
            let reached_at = reached_at.expect("step followed");
            assert!(reached_at < 4.0, "{fps} fps: 90% after {reached_at} s");
        }
    }

    #[test]
    fn repeated_timestamps_do_not_divide_by_zero() {
        let mut filter = OneEuro::new(OneEuroSettings::default());
        filter.filter(1.0, 1.0);
        assert_eq!(filter.filter(1.0, 5.0), 1.0);
        filter.reset();
        assert_eq!(filter.filter(2.0, 5.0), 5.0);
    }
}
