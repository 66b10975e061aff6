//! Whether chintuck is looking right now: paused, snoozed, outside working
//! hours, or the screen locked all mean "camera off". Pure: the caller passes
//! the time in (seconds on the wall clock, and the local time of day).

use serde::{Deserialize, Serialize};

/// Why chintuck is or is not looking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "activity", rename_all = "snake_case")]
pub enum Activity {
    Watching,
    /// Paused until resumed, or until a time (unix seconds).
    Paused {
        until_unix_secs: Option<f64>,
    },
    Snoozed {
        until_unix_secs: f64,
    },
    OutsideWorkingHours,
    ScreenLocked,
}

impl Activity {
    pub fn is_watching(&self) -> bool {
        matches!(self, Activity::Watching)
    }

    pub fn describe(&self) -> String {
        match self {
            Activity::Watching => "watching".into(),
            Activity::Paused {
                until_unix_secs: None,
            } => "paused until resumed".into(),
            Activity::Paused {
                until_unix_secs: Some(until),
            } => format!("paused until {}", local_time(*until)),
            Activity::Snoozed { until_unix_secs } => {
                format!("snoozed until {}", local_time(*until_unix_secs))
            }
            Activity::OutsideWorkingHours => "outside working hours".into(),
            Activity::ScreenLocked => "screen locked".into(),
        }
    }
}

fn local_time(unix_secs: f64) -> String {
    use chrono::{Local, TimeZone};
    Local
        .timestamp_opt(unix_secs as i64, 0)
        .single()
        .map(|t| t.format("%H:%M").to_string())
        .unwrap_or_else(|| format!("{unix_secs:.0}"))
}

/// Days and hours to watch, local time. Minutes since midnight, end exclusive;
/// an end before the start spans midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub start_minute: u16,
    pub end_minute: u16,
    /// Monday first.
    pub days: [bool; 7],
}

impl WorkingHours {
    pub fn contains(&self, weekday_from_monday: usize, minute_of_day: u16) -> bool {
        let day_ok = self.days.get(weekday_from_monday).copied().unwrap_or(false);
        let time_ok = if self.start_minute <= self.end_minute {
            (self.start_minute..self.end_minute).contains(&minute_of_day)
        } else {
            minute_of_day >= self.start_minute || minute_of_day < self.end_minute
        };
        day_ok && time_ok
    }

    /// Parses "09:00-18:00".
    pub fn parse_hours(text: &str) -> Option<(u16, u16)> {
        let (start, end) = text.split_once('-')?;
        let minute = |hm: &str| {
            let (h, m) = hm.trim().split_once(':')?;
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h <= 24 && m < 60 && h * 60 + m <= 24 * 60).then_some(h * 60 + m)
        };
        Some((minute(start)?, minute(end)?))
    }

    /// Parses "mon-fri", "mon,wed,fri", "sat-sun", "all".
    pub fn parse_days(text: &str) -> Option<[bool; 7]> {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let index = |name: &str| {
            NAMES
                .iter()
                .position(|n| *n == name.trim().to_ascii_lowercase())
        };
        let mut days = [false; 7];
        if text.trim() == "all" {
            return Some([true; 7]);
        }
        for part in text.split(',') {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (index(from)?, index(to)?);
                    let mut day = from;
                    loop {
                        days[day] = true;
                        if day == to {
                            break;
                        }
                        day = (day + 1) % 7;
                    }
                }
                None => days[index(part)?] = true,
            }
        }
        Some(days)
    }
}

/// What the person asked for: pause, snooze, resume.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Control {
    paused: Option<Option<f64>>,
    snoozed_until_unix_secs: Option<f64>,
}

impl Control {
    /// Pause until resumed, or for `secs`.
    pub fn pause(&mut self, now_unix_secs: f64, secs: Option<f64>) {
        self.paused = Some(secs.map(|s| now_unix_secs + s));
    }

    /// Pause until the next local midnight, `secs_to_midnight` from now.
    pub fn pause_until_tomorrow(&mut self, now_unix_secs: f64, secs_to_midnight: f64) {
        self.paused = Some(Some(now_unix_secs + secs_to_midnight));
    }

    pub fn snooze(&mut self, now_unix_secs: f64, secs: f64) {
        self.snoozed_until_unix_secs = Some(now_unix_secs + secs);
    }

    pub fn resume(&mut self) {
        *self = Control::default();
    }

    /// What chintuck should do now. Pause wins over snooze, snooze over
    /// working hours, working hours over the lock screen.
    pub fn activity(
        &mut self,
        now_unix_secs: f64,
        working_hours: Option<&WorkingHours>,
        weekday_from_monday: usize,
        minute_of_day: u16,
        screen_locked: bool,
    ) -> Activity {
        if let Some(Some(until)) = self.paused
            && now_unix_secs >= until
        {
            self.paused = None;
        }
        if self
            .snoozed_until_unix_secs
            .is_some_and(|until| now_unix_secs >= until)
        {
            self.snoozed_until_unix_secs = None;
        }
        if let Some(until_unix_secs) = self.paused {
            return Activity::Paused { until_unix_secs };
        }
        if let Some(until_unix_secs) = self.snoozed_until_unix_secs {
            return Activity::Snoozed { until_unix_secs };
        }
        if working_hours.is_some_and(|hours| !hours.contains(weekday_from_monday, minute_of_day)) {
            return Activity::OutsideWorkingHours;
        }
        if screen_locked {
            return Activity::ScreenLocked;
        }
        Activity::Watching
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEEKDAYS: [bool; 7] = [true, true, true, true, true, false, false];

    fn office() -> WorkingHours {
        WorkingHours {
            start_minute: 9 * 60,
            end_minute: 18 * 60,
            days: WEEKDAYS,
        }
    }

    #[test]
    fn pause_for_a_while_then_watch_again() {
        let mut control = Control::default();
        control.pause(1000.0, Some(1800.0));
        assert_eq!(
            control.activity(1000.0, None, 0, 600, false),
            Activity::Paused {
                until_unix_secs: Some(2800.0)
            }
        );
        assert_eq!(
            control.activity(2799.0, None, 0, 600, false),
            Activity::Paused {
                until_unix_secs: Some(2800.0)
            }
        );
        assert_eq!(
            control.activity(2800.0, None, 0, 600, false),
            Activity::Watching
        );
    }

    #[test]
    fn pause_until_resumed_and_resume() {
        let mut control = Control::default();
        control.pause(0.0, None);
        assert_eq!(
            control.activity(1e9, None, 0, 600, false),
            Activity::Paused {
                until_unix_secs: None
            }
        );
        control.resume();
        assert!(control.activity(1e9, None, 0, 600, false).is_watching());
    }

    #[test]
    fn snooze_ends_by_itself_and_pause_wins_over_it() {
        let mut control = Control::default();
        control.snooze(100.0, 1800.0);
        assert_eq!(
            control.activity(200.0, None, 0, 600, false),
            Activity::Snoozed {
                until_unix_secs: 1900.0
            }
        );
        control.pause(200.0, None);
        assert_eq!(
            control.activity(300.0, None, 0, 600, false),
            Activity::Paused {
                until_unix_secs: None
            }
        );
        control.resume();
        control.snooze(100.0, 1800.0);
        assert!(control.activity(1900.0, None, 0, 600, false).is_watching());
    }

    #[test]
    fn pause_until_tomorrow_lasts_to_midnight() {
        let mut control = Control::default();
        // 22:00: two hours to midnight.
        control.pause_until_tomorrow(50_000.0, 7200.0);
        assert_eq!(
            control.activity(57_199.0, None, 0, 23 * 60, false),
            Activity::Paused {
                until_unix_secs: Some(57_200.0)
            }
        );
        assert!(control.activity(57_200.0, None, 1, 0, false).is_watching());
    }

    #[test]
    fn working_hours_and_the_lock_screen_turn_the_camera_off() {
        let mut control = Control::default();
        let hours = office();
        assert!(
            control
                .activity(0.0, Some(&hours), 2, 10 * 60, false)
                .is_watching()
        );
        assert_eq!(
            control.activity(0.0, Some(&hours), 2, 8 * 60, false),
            Activity::OutsideWorkingHours
        );
        assert_eq!(
            control.activity(0.0, Some(&hours), 2, 18 * 60, false),
            Activity::OutsideWorkingHours
        );
        assert_eq!(
            control.activity(0.0, Some(&hours), 5, 10 * 60, false),
            Activity::OutsideWorkingHours
        );
        assert_eq!(
            control.activity(0.0, Some(&hours), 2, 10 * 60, true),
            Activity::ScreenLocked
        );
        assert_eq!(
            control.activity(0.0, None, 6, 3 * 60, true),
            Activity::ScreenLocked
        );
    }

    #[test]
    fn night_shifts_span_midnight() {
        let night = WorkingHours {
            start_minute: 22 * 60,
            end_minute: 6 * 60,
            days: [true; 7],
        };
        assert!(night.contains(0, 23 * 60));
        assert!(night.contains(0, 60));
        assert!(!night.contains(0, 12 * 60));
    }

    #[test]
    fn hours_and_days_parse() {
        assert_eq!(WorkingHours::parse_hours("09:00-18:30"), Some((540, 1110)));
        assert_eq!(WorkingHours::parse_hours("9-18"), None);
        assert_eq!(WorkingHours::parse_hours("25:00-26:00"), None);
        assert_eq!(WorkingHours::parse_days("mon-fri"), Some(WEEKDAYS));
        assert_eq!(
            WorkingHours::parse_days("sat-mon"),
            Some([true, false, false, false, false, true, true])
        );
        assert_eq!(
            WorkingHours::parse_days("mon,Wed"),
            Some([true, false, true, false, false, false, false])
        );
        assert_eq!(WorkingHours::parse_days("someday"), None);
    }
}
