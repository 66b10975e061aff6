//! What-if tuning: the recorded track replayed through the same state
//! machine with other settings, and the alerts compared. Pure: rows and
//! settings in, alerts and flagged time out.

use serde::Serialize;

use crate::monitor::{Monitor, MonitorEvent, MonitorSettings, PostureState};
use crate::store::history::TrackRow;

/// An alert the replay raised.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReplayedAlert {
    pub session_id: i64,
    pub at_unix: f64,
    pub episode: u64,
    pub repeat: u32,
    pub severity: &'static str,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ReplayOutcome {
    pub alerts: Vec<ReplayedAlert>,
    /// Seconds the replay spent in forward head posture.
    pub flagged_secs: f64,
    pub episodes: u64,
}

/// Runs every session's samples through a fresh monitor with `settings`,
/// exactly as `run` fed them (gaps end episodes the way pauses did).
pub fn replay(track: &[TrackRow], settings: MonitorSettings) -> ReplayOutcome {
    let mut outcome = ReplayOutcome::default();
    let mut index = 0;
    while index < track.len() {
        let session_id = track[index].session_id;
        let session: Vec<&TrackRow> = track[index..]
            .iter()
            .take_while(|row| row.session_id == session_id)
            .collect();
        index += session.len();
        let start_unix = session[0].at_unix - session[0].at_secs;
        let mut monitor = Monitor::new(settings);
        let mut last_secs = 0.0;
        let mut state = PostureState::Uncertain;
        let mut events = Vec::new();
        for row in &session {
            if state == PostureState::ForwardHead {
                outcome.flagged_secs +=
                    (row.at_secs - last_secs).clamp(0.0, crate::report::period::MAX_SAMPLE_SECS);
            }
            match row.sample {
                Some(sample) => {
                    let step = monitor.update_sample(row.at_secs, &sample, row.calibrated);
                    state = step.state;
                    events.extend(step.events);
                }
                None => {
                    events.extend(monitor.finish(last_secs));
                    state = PostureState::Uncertain;
                }
            }
            last_secs = row.at_secs;
        }
        events.extend(monitor.finish(last_secs));
        outcome.episodes += monitor.episodes();
        for event in events {
            if let MonitorEvent::Alert(alert) = event {
                outcome.alerts.push(ReplayedAlert {
                    session_id,
                    at_unix: start_unix + alert.at_secs,
                    episode: alert.episode,
                    repeat: alert.repeat,
                    severity: alert.severity.as_str(),
                });
            }
        }
    }
    outcome
}

/// Alerts present in `before` with none in `after` within `window_secs`
/// (same session): those that would vanish. Swap the arguments for those
/// that would appear.
pub fn unmatched(before: &[(i64, f64)], after: &[(i64, f64)], window_secs: f64) -> Vec<(i64, f64)> {
    before
        .iter()
        .filter(|(session, at)| {
            !after
                .iter()
                .any(|(s, a)| s == session && (a - at).abs() <= window_secs)
        })
        .copied()
        .collect()
}

/// "30..90:15" → 30, 45, 60, 75, 90.
pub fn sweep_values(text: &str) -> Result<Vec<f64>, String> {
    let bad = || format!("'{text}' is not a sweep: use START..END:STEP, e.g. 30..90:15");
    let (range, step) = text.split_once(':').ok_or_else(bad)?;
    let (start, end) = range.split_once("..").ok_or_else(bad)?;
    let (start, end, step): (f64, f64, f64) = (
        start.trim().parse().map_err(|_| bad())?,
        end.trim().parse().map_err(|_| bad())?,
        step.trim().parse().map_err(|_| bad())?,
    );
    if step.is_nan() || step <= 0.0 || end < start || (end - start) / step > 100.0 {
        return Err(format!(
            "'{text}': the step must be positive, the end at least the start, and at most 100 values"
        ));
    }
    let mut values = Vec::new();
    let mut i = 0.0;
    while start + i * step <= end + 1e-9 {
        values.push(((start + i * step) * 1e6).round() / 1e6);
        i += 1.0;
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweeps_parse() {
        assert_eq!(
            sweep_values("30..90:15").unwrap(),
            [30.0, 45.0, 60.0, 75.0, 90.0]
        );
        assert_eq!(sweep_values("1.5..2.5:0.5").unwrap(), [1.5, 2.0, 2.5]);
        assert!(
            sweep_values("30-90")
                .unwrap_err()
                .contains("START..END:STEP")
        );
        assert!(sweep_values("90..30:5").is_err());
        assert!(sweep_values("0..1000:1").is_err());
    }

    #[test]
    fn vanished_and_new_alerts_are_found_by_time() {
        let before = [(1, 100.0), (1, 500.0), (2, 100.0)];
        let after = [(1, 130.0), (2, 900.0)];
        assert_eq!(unmatched(&before, &after, 60.0), [(1, 500.0), (2, 100.0)]);
        assert_eq!(unmatched(&after, &before, 60.0), [(2, 900.0)]);
    }
}
