//! Figures for a period of the history: time in each state, the share of
//! good posture, episodes, alerts, the worst hour and the trend. Pure: the
//! rows and the time zone come in, numbers go out, so the figures are
//! tested on hand-built histories with known answers.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike};
use serde::Serialize;

use crate::monitor::PostureState;
use crate::store::history::{AlertRow, EpisodeRow, StateSecs, StretchRow, TrackRow};

/// A sample stands for the time until the next one, at most this long: a
/// longer silence (the machine slept, the process was killed) is not counted.
pub const MAX_SAMPLE_SECS: f64 = 10.0;

/// Each row with the seconds it stands for (gaps and a session's last row: 0).
pub fn durations(track: &[TrackRow]) -> Vec<(TrackRow, f64)> {
    track
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let secs = match (row.sample, track.get(i + 1)) {
                (Some(_), Some(next)) if next.session_id == row.session_id => {
                    (next.at_unix - row.at_unix).clamp(0.0, MAX_SAMPLE_SECS)
                }
                _ => 0.0,
            };
            (*row, secs)
        })
        .collect()
}

/// How times become local days and hours: the system's time zone (with its
/// daylight-saving changes), or a fixed UTC offset (tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// Seconds east of UTC.
    Fixed(i32),
    Local,
}

fn fixed(secs: i32) -> FixedOffset {
    FixedOffset::east_opt(secs).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
}

impl Zone {
    /// The local date and time of a unix time.
    pub fn local(self, unix: f64) -> DateTime<FixedOffset> {
        let utc = DateTime::from_timestamp(unix.floor() as i64, 0).unwrap_or_default();
        match self {
            Zone::Fixed(secs) => utc.with_timezone(&fixed(secs)),
            Zone::Local => utc.with_timezone(&chrono::Local).fixed_offset(),
        }
    }

    /// Unix time of local midnight starting `day` (the earlier one if the
    /// clocks go back over midnight).
    pub fn day_start_unix(self, day: NaiveDate) -> f64 {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        let start = match self {
            Zone::Fixed(secs) => fixed(secs)
                .from_local_datetime(&midnight)
                .earliest()
                .map(|t| t.timestamp()),
            Zone::Local => chrono::Local
                .from_local_datetime(&midnight)
                .earliest()
                .map(|t| t.timestamp()),
        };
        start.map(|t| t as f64).unwrap_or(0.0)
    }
}

/// The local calendar day of a time, "YYYY-MM-DD".
pub fn day_of(unix: f64, zone: Zone) -> String {
    zone.local(unix).format("%Y-%m-%d").to_string()
}

/// Unix time of local midnight starting `day`.
pub fn day_start_unix(day: NaiveDate, zone: Zone) -> f64 {
    zone.day_start_unix(day)
}

/// Hour of day (0–23) and weekday (0 = Monday) of a time.
pub fn hour_and_weekday(unix: f64, zone: Zone) -> (u32, u32) {
    let t = zone.local(unix);
    (t.hour(), t.weekday().num_days_from_monday())
}

/// Splits each row's time over the hours and days it covers, clipped to
/// `[from_unix, to_unix)`, and calls `add(state, at_unix, secs)` per piece.
fn for_each_piece(
    rows: &[(TrackRow, f64)],
    from_unix: f64,
    to_unix: f64,
    mut add: impl FnMut(PostureState, f64, f64),
) {
    for (row, secs) in rows {
        let mut start = row.at_unix.max(from_unix);
        let end = (row.at_unix + secs).min(to_unix);
        while start < end {
            // Pieces end at the next whole hour (UTC offsets are whole
            // minutes; an hour boundary in UTC is one locally for the usual
            // whole-hour offsets, and close enough otherwise).
            let next_hour = ((start / 3600.0).floor() + 1.0) * 3600.0;
            let piece_end = end.min(next_hour);
            add(row.state, start, piece_end - start);
            start = piece_end;
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayFigures {
    pub day: String,
    pub states: StateSecs,
    /// Good over present time (away and uncertain left out), 0–1.
    pub good_share: Option<f64>,
    pub alerts: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub previous_good_share: Option<f64>,
    /// This period's good share minus the previous one's, percentage points.
    pub good_share_change_points: Option<f64>,
    pub previous_forward_head_secs: f64,
    pub previous_alerts: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodReport {
    pub label: String,
    pub from_unix: f64,
    pub to_unix: f64,
    pub monitored_secs: f64,
    pub states: StateSecs,
    pub good_share: Option<f64>,
    /// Episodes that overlap the period (one spanning midnight counts on both days).
    pub episodes: usize,
    pub alerts: usize,
    pub longest_episode_secs: Option<f64>,
    pub longest_episode_start_unix: Option<f64>,
    /// The local hour of day (0–23) with the most forward-head time, and that time.
    pub worst_hour: Option<(u32, f64)>,
    pub stretches_done: usize,
    pub days: Vec<DayFigures>,
    /// Forward-head share of present time per weekday (0 = Monday) and hour.
    pub heatmap: Vec<Vec<Option<f64>>>,
    pub trend: Option<Trend>,
}

/// What the history holds for one period.
pub struct PeriodData<'a> {
    pub track: &'a [TrackRow],
    pub episodes: &'a [EpisodeRow],
    pub alerts: &'a [AlertRow],
    pub stretches: &'a [StretchRow],
    /// Daily summaries of days whose fine track was deleted by retention.
    pub kept_days: &'a [(String, StateSecs)],
}

fn share(states: &StateSecs) -> Option<f64> {
    (states.present() > 0.0).then(|| states.good / states.present())
}

/// The figures for `[from_unix, to_unix)`, in local days of `zone`.
pub fn summarize(
    label: &str,
    data: &PeriodData,
    from_unix: f64,
    to_unix: f64,
    zone: Zone,
    previous: Option<&PeriodData>,
) -> PeriodReport {
    let rows = durations(data.track);
    let mut states = StateSecs::default();
    let mut days: BTreeMap<String, DayFigures> = BTreeMap::new();
    let mut by_hour = [0.0f64; 24];
    let mut heat = vec![vec![(0.0f64, 0.0f64); 24]; 7];
    for_each_piece(&rows, from_unix, to_unix, |state, at, secs| {
        states.add(state, secs);
        let day = day_of(at, zone);
        days.entry(day.clone())
            .or_insert_with(|| DayFigures {
                day,
                states: StateSecs::default(),
                good_share: None,
                alerts: 0,
            })
            .states
            .add(state, secs);
        let (hour, weekday) = hour_and_weekday(at, zone);
        let cell = &mut heat[weekday as usize][hour as usize];
        match state {
            PostureState::ForwardHead => {
                by_hour[hour as usize] += secs;
                cell.0 += secs;
                cell.1 += secs;
            }
            PostureState::Good | PostureState::Drifting | PostureState::LookingDown => {
                cell.1 += secs
            }
            PostureState::Away | PostureState::Uncertain => {}
        }
    });
    for (day, kept) in data.kept_days {
        let start = NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .map(|d| day_start_unix(d, zone))
            .unwrap_or(f64::NAN);
        if start >= from_unix && start < to_unix && !days.contains_key(day) {
            states.merge(kept);
            days.insert(
                day.clone(),
                DayFigures {
                    day: day.clone(),
                    states: *kept,
                    good_share: None,
                    alerts: 0,
                },
            );
        }
    }
    let alerts: Vec<&AlertRow> = data
        .alerts
        .iter()
        .filter(|a| a.at_unix >= from_unix && a.at_unix < to_unix)
        .collect();
    for alert in &alerts {
        if let Some(day) = days.get_mut(&day_of(alert.at_unix, zone)) {
            day.alerts += 1;
        }
    }
    for day in days.values_mut() {
        day.good_share = share(&day.states);
    }
    let episodes: Vec<&EpisodeRow> = data
        .episodes
        .iter()
        .filter(|e| e.end_unix >= from_unix && e.start_unix < to_unix)
        .collect();
    let longest = episodes
        .iter()
        .max_by(|a, b| (a.end_unix - a.start_unix).total_cmp(&(b.end_unix - b.start_unix)));
    let worst_hour = by_hour
        .iter()
        .enumerate()
        .filter(|(_, secs)| **secs > 0.0)
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(hour, secs)| (hour as u32, *secs));
    let good_share = share(&states);
    let length = to_unix - from_unix;
    let trend = previous.map(|previous| {
        let before = summarize(
            "previous",
            previous,
            from_unix - length,
            from_unix,
            zone,
            None,
        );
        Trend {
            previous_good_share: before.good_share,
            good_share_change_points: good_share
                .zip(before.good_share)
                .map(|(now, then)| 100.0 * (now - then)),
            previous_forward_head_secs: before.states.forward_head,
            previous_alerts: before.alerts,
        }
    });
    PeriodReport {
        label: label.to_owned(),
        from_unix,
        to_unix,
        monitored_secs: states.monitored(),
        states,
        good_share,
        episodes: episodes.len(),
        alerts: alerts.len(),
        longest_episode_secs: longest.map(|e| e.end_unix - e.start_unix),
        longest_episode_start_unix: longest.map(|e| e.start_unix),
        worst_hour,
        stretches_done: data
            .stretches
            .iter()
            .filter(|s| {
                s.at_unix >= from_unix && s.at_unix < to_unix && s.holds_done >= s.holds_planned
            })
            .count(),
        days: days.into_values().collect(),
        heatmap: heat
            .into_iter()
            .map(|hours| {
                hours
                    .into_iter()
                    .map(|(forward, present)| (present > 0.0).then(|| forward / present))
                    .collect()
            })
            .collect(),
        trend,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Sample;

    fn row(session_id: i64, at_unix: f64, state: PostureState) -> TrackRow {
        TrackRow {
            session_id,
            at_unix,
            at_secs: at_unix,
            sample: Some(Sample::Front {
                forward_offset_cm: 0.0,
                head_drop_cm: 0.0,
                pitch_change_ratio: 0.0,
                pitch_change_deg: None,
            }),
            calibrated: true,
            state,
            severity: None,
            smoothed_offset_cm: None,
            smoothed_cva_deg: None,
        }
    }

    #[test]
    fn a_sample_lasts_until_the_next_but_gaps_and_silences_do_not_count() {
        let mut gap = row(1, 20.0, PostureState::Uncertain);
        gap.sample = None;
        let track = [
            row(1, 0.0, PostureState::Good),
            row(1, 1.0, PostureState::Good),
            row(1, 3.0, PostureState::ForwardHead),
            gap,
            row(1, 100.0, PostureState::Good),
            row(1, 200.0, PostureState::Good),
            row(2, 201.0, PostureState::Good),
        ];
        let secs: Vec<f64> = durations(&track).iter().map(|(_, s)| *s).collect();
        assert_eq!(secs, [1.0, 2.0, 10.0, 0.0, 10.0, 0.0, 0.0]);
    }
}
