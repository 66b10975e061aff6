//! `chintuck alerts`, `report` and `export`: reading the history back.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use chrono::{Duration as Days, Local, NaiveDate};

use chintuck::alert::format_duration;
use chintuck::report::period::{
    MAX_SAMPLE_SECS, PeriodData, PeriodReport, Zone, day_start_unix, summarize,
};
use chintuck::store::history::History;

/// "2d", "12h", "30m", "1w", or a local date "2026-11-20" → unix seconds.
pub fn parse_since(text: &str, now_unix: f64, zone: Zone) -> Result<f64, String> {
    let text = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day_start_unix(date, zone));
    }
    let bad = || format!("'{text}' is not a time: use e.g. 2d, 12h, 1w or a date like 2026-11-20");
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let unit_secs = match unit {
        "s" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 7.0 * 86_400.0,
        _ => return Err(bad()),
    };
    Ok(now_unix - number * unit_secs)
}

fn open(data_dir: &Path) -> Result<History> {
    Ok(History::open_read_only(&History::path_in(data_dir))?)
}

fn local_time(unix: f64, zone: Zone, format: &str) -> String {
    zone.local(unix).format(format).to_string()
}

pub fn alerts(data_dir: &Path, since: Option<&str>, json: bool) -> Result<()> {
    let zone = Zone::Local;
    let now = super::unix_now_secs();
    let from = match since {
        Some(text) => parse_since(text, now, zone).map_err(anyhow::Error::msg)?,
        None => now - 7.0 * 86_400.0,
    };
    let history = open(data_dir)?;
    let alerts = history.alerts(from, f64::MAX)?;
    let episodes = history.episodes(from - 86_400.0, f64::MAX)?;
    let mut out = std::io::stdout().lock();
    if !json && alerts.is_empty() {
        writeln!(
            out,
            "no alerts since {}",
            local_time(from, zone, "%Y-%m-%d %H:%M")
        )?;
        return Ok(());
    }
    if !json {
        writeln!(
            out,
            "{:<17} {:<12} {:>8} {:>16} {:<8} {:<9} answer",
            "when", "what", "held", "forward", "severity", "episode"
        )?;
    }
    for alert in &alerts {
        let episode = episodes
            .iter()
            .find(|e| e.session_id == alert.session_id && e.episode == alert.episode);
        let episode_secs = episode.map(|e| e.end_unix - e.start_unix);
        if json {
            let line = serde_json::json!({
                "at_unix": alert.at_unix,
                "at": local_time(alert.at_unix, zone, "%Y-%m-%dT%H:%M:%S%:z"),
                "kind": alert.kind,
                "repeat": alert.repeat,
                "held_secs": alert.held_secs,
                "forward_offset_cm": alert.offset_cm,
                "cva_deg": alert.cva_deg,
                "chin_poke": alert.chin_poke,
                "severity": alert.severity,
                "episode_secs": episode_secs,
                "episode_peak_offset_cm": episode.and_then(|e| e.peak_offset_cm),
                "response": alert.response.clone().or_else(|| episode.map(|_| "ignored".to_string())),
            });
            writeln!(out, "{line}")?;
        } else {
            let forward = chintuck::report::alert_forward_text(alert);
            writeln!(
                out,
                "{:<17} {:<12} {:>8} {:>16} {:<8} {:<9} {}",
                local_time(alert.at_unix, zone, "%Y-%m-%d %H:%M"),
                alert.kind.replace('_', " "),
                format_duration(alert.held_secs),
                forward,
                alert.severity,
                episode_secs
                    .map(format_duration)
                    .unwrap_or_else(|| "ongoing".into()),
                chintuck::report::alert_answer_text(alert.response.as_deref(), episode.is_some())
            )?;
        }
    }
    Ok(())
}

/// Which period a report covers.
pub enum Period {
    Day(Option<NaiveDate>),
    Week,
    Month,
}

/// The period's bounds and a label; the previous period has the same length.
pub fn period_bounds(period: &Period, today: NaiveDate, zone: Zone) -> (f64, f64, String) {
    let tomorrow = today + Days::days(1);
    match period {
        Period::Day(day) => {
            let day = day.unwrap_or(today);
            (
                day_start_unix(day, zone),
                day_start_unix(day + Days::days(1), zone),
                day.format("%A %Y-%m-%d").to_string(),
            )
        }
        Period::Week => (
            day_start_unix(tomorrow - Days::days(7), zone),
            day_start_unix(tomorrow, zone),
            format!("the 7 days to {}", today.format("%Y-%m-%d")),
        ),
        Period::Month => (
            day_start_unix(tomorrow - Days::days(30), zone),
            day_start_unix(tomorrow, zone),
            format!("the 30 days to {}", today.format("%Y-%m-%d")),
        ),
    }
}

/// Loads everything a report of `[from, to)` and the period before needs.
pub struct Loaded {
    pub track: Vec<chintuck::store::history::TrackRow>,
    pub episodes: Vec<chintuck::store::history::EpisodeRow>,
    pub alerts: Vec<chintuck::store::history::AlertRow>,
    pub stretches: Vec<chintuck::store::history::StretchRow>,
    pub kept_days: Vec<(String, chintuck::store::history::StateSecs)>,
}

impl Loaded {
    pub fn load(history: &History, from: f64, to: f64, zone: Zone) -> Result<Self> {
        let day = |unix| chintuck::report::period::day_of(unix, zone);
        Ok(Self {
            // A margin either side: a sample just before the period covers
            // its first seconds, and the one just after ends its last.
            track: history.track(from - MAX_SAMPLE_SECS, to + MAX_SAMPLE_SECS)?,
            episodes: history.episodes(from, to)?,
            alerts: history.alerts(from, to)?,
            stretches: history.stretches(from, to)?,
            kept_days: history.daily(&day(from), &day(to + 1.0))?,
        })
    }

    pub fn data(&self) -> PeriodData<'_> {
        PeriodData {
            track: &self.track,
            episodes: &self.episodes,
            alerts: &self.alerts,
            stretches: &self.stretches,
            kept_days: &self.kept_days,
        }
    }
}

pub fn build_report(data_dir: &Path, period: &Period) -> Result<(PeriodReport, Loaded, Zone)> {
    let zone = Zone::Local;
    let today = Local::now().date_naive();
    let (from, to, label) = period_bounds(period, today, zone);
    let history = open(data_dir)?;
    let length = to - from;
    let now = Loaded::load(&history, from, to, zone)?;
    // The previous period is loaded with a margin so its last sample's
    // duration is known.
    let before = Loaded::load(&history, from - length, from, zone)?;
    let report = summarize(&label, &now.data(), from, to, zone, Some(&before.data()));
    Ok((report, now, zone))
}

fn percent(share: Option<f64>) -> String {
    share
        .map(|s| format!("{:.0} %", 100.0 * s))
        .unwrap_or_else(|| "-".into())
}

pub fn print_report(report: &PeriodReport, zone: Zone) -> String {
    let s = &report.states;
    let mut text = format!("Posture report for {}\n", report.label);
    if report.monitored_secs <= 0.0 {
        text.push_str(
            "nothing recorded in this period (chintuck records while `chintuck run` watches)\n",
        );
        return text;
    }
    text.push_str(&format!(
        "monitored {}: good {}, drifting {}, forward head {}, looking down {}; away {} and uncertain {} (not counted as good or bad)\n",
        format_duration(report.monitored_secs),
        format_duration(s.good),
        format_duration(s.drifting),
        format_duration(s.forward_head),
        format_duration(s.looking_down),
        format_duration(s.away),
        format_duration(s.uncertain),
    ));
    text.push_str(&format!(
        "good posture: {} of the time you were there\n",
        percent(report.good_share)
    ));
    text.push_str(&format!(
        "episodes: {}, alerts: {}",
        report.episodes, report.alerts
    ));
    if let (Some(secs), Some(start)) = (
        report.longest_episode_secs,
        report.longest_episode_start_unix,
    ) {
        text.push_str(&format!(
            ", longest episode {} from {}",
            format_duration(secs),
            local_time(start, zone, "%Y-%m-%d %H:%M")
        ));
    }
    text.push('\n');
    if let Some((hour, secs)) = report.worst_hour {
        text.push_str(&format!(
            "worst hour: {hour:02}:00-{:02}:00 ({} of forward head)\n",
            (hour + 1) % 24,
            format_duration(secs)
        ));
    }
    text.push_str(&format!("stretches done: {}\n", report.stretches_done));
    if let Some(trend) = &report.trend {
        let change = trend
            .good_share_change_points
            .map(|p| format!("{p:+.0} points"))
            .unwrap_or_else(|| "no earlier figures".into());
        text.push_str(&format!(
            "against the period before: good share {change}; forward head {} (was {}); alerts {} (was {})\n",
            format_duration(s.forward_head),
            format_duration(trend.previous_forward_head_secs),
            report.alerts,
            trend.previous_alerts
        ));
    }
    if report.days.len() > 1 {
        text.push_str("by day:\n");
        for day in &report.days {
            text.push_str(&format!(
                "  {}  monitored {:>10}  good {:>5}  forward head {:>8}  alerts {}\n",
                day.day,
                format_duration(day.states.monitored()),
                percent(day.good_share),
                format_duration(day.states.forward_head),
                day.alerts
            ));
        }
    }
    text
}

/// Where `report` writes its pictures, besides printing.
pub struct ReportFiles<'a> {
    pub html: Option<&'a Path>,
    pub svg: Option<&'a Path>,
    pub png: Option<&'a Path>,
    /// Which chart `svg` and `png` hold.
    pub chart: &'a str,
}

pub fn report(data_dir: &Path, period: Period, json: bool, files: ReportFiles) -> Result<()> {
    let (report, loaded, zone) = build_report(data_dir, &period)?;
    if let Some(path) = files.html {
        let page = chintuck::report::html::page(
            &report,
            &loaded.track,
            &loaded.alerts,
            &loaded.episodes,
            zone,
        );
        chintuck::store::write_atomically(path, page.as_bytes())?;
        eprintln!("wrote {}", path.display());
    }
    if files.svg.is_some() || files.png.is_some() {
        let Some(chart) =
            chintuck::report::html::chart_svg(files.chart, &report, &loaded.track, zone)
        else {
            bail!(
                "--chart {}: expected one of {}",
                files.chart,
                chintuck::report::html::CHART_NAMES.join(", ")
            );
        };
        if let Some(path) = files.svg {
            chintuck::store::write_atomically(path, chart.as_bytes())?;
            eprintln!("wrote {}", path.display());
        }
        if let Some(path) = files.png {
            let png = chintuck::report::html::svg_to_png(&chart)?;
            chintuck::store::write_atomically(path, &png)?;
            eprintln!("wrote {}", path.display());
        }
    }
    let wrote_files = files.html.is_some() || files.svg.is_some() || files.png.is_some();
    if json {
        println!("{}", serde_json::to_string(&report)?);
    } else if !wrote_files {
        print!("{}", print_report(&report, zone));
    }
    Ok(())
}

pub fn export(data_dir: &Path, since: Option<&str>, csv: bool, what: &str) -> Result<()> {
    let zone = Zone::Local;
    let now = super::unix_now_secs();
    let from = match since {
        Some(text) => parse_since(text, now, zone).map_err(anyhow::Error::msg)?,
        None => f64::MIN,
    };
    let history = open(data_dir)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let iso = |unix: f64| local_time(unix, zone, "%Y-%m-%dT%H:%M:%S%:z");
    let number = |v: Option<f32>| v.map(|v| format!("{v:.3}")).unwrap_or_default();
    match (what, csv) {
        ("track", _) => {
            let track = history.track(from, f64::MAX)?;
            if csv {
                writeln!(
                    out,
                    "time,at_unix,session,kind,forward_offset_cm,head_drop_cm,pitch_change_ratio,cva_deg,state,severity,smoothed_offset_cm,smoothed_cva_deg,pitch_change_deg"
                )?;
            }
            for row in &track {
                let (kind, offset_cm, drop, pitch, cva, pitch_deg) = match row.sample {
                    None => ("gap", None, None, None, None, None),
                    Some(chintuck::monitor::Sample::Front {
                        forward_offset_cm,
                        head_drop_cm,
                        pitch_change_ratio,
                        pitch_change_deg,
                    }) => (
                        "front",
                        Some(forward_offset_cm),
                        Some(head_drop_cm),
                        Some(pitch_change_ratio),
                        None,
                        pitch_change_deg,
                    ),
                    Some(chintuck::monitor::Sample::Side { cva_deg }) => {
                        ("side", None, None, None, Some(cva_deg), None)
                    }
                    Some(chintuck::monitor::Sample::Uncertain { .. }) => {
                        ("uncertain", None, None, None, None, None)
                    }
                };
                if csv {
                    writeln!(
                        out,
                        "{},{:.3},{},{kind},{},{},{},{},{},{},{},{},{}",
                        iso(row.at_unix),
                        row.at_unix,
                        row.session_id,
                        number(offset_cm),
                        number(drop),
                        number(pitch),
                        number(cva),
                        row.state.as_str(),
                        row.severity.map(|s| s.as_str()).unwrap_or(""),
                        number(row.smoothed_offset_cm),
                        number(row.smoothed_cva_deg),
                        number(pitch_deg)
                    )?;
                } else {
                    let line = serde_json::json!({
                        "type": "sample", "time": iso(row.at_unix), "at_unix": row.at_unix,
                        "session": row.session_id, "kind": kind, "forward_offset_cm": offset_cm,
                        "head_drop_cm": drop, "pitch_change_ratio": pitch,
                        "pitch_change_deg": pitch_deg, "cva_deg": cva,
                        "state": row.state.as_str(), "severity": row.severity.map(|s| s.as_str()),
                        "smoothed_offset_cm": row.smoothed_offset_cm, "smoothed_cva_deg": row.smoothed_cva_deg,
                    });
                    writeln!(out, "{line}")?;
                }
            }
        }
        ("episodes", _) => {
            let episodes = history.episodes(from, f64::MAX)?;
            if csv {
                writeln!(
                    out,
                    "start,end,session,episode,kind,bad_secs,peak_offset_cm,mean_offset_cm,worst_cva_deg,severity"
                )?;
            }
            for e in &episodes {
                if csv {
                    writeln!(
                        out,
                        "{},{},{},{},{},{:.1},{},{},{},{}",
                        iso(e.start_unix),
                        iso(e.end_unix),
                        e.session_id,
                        e.episode,
                        e.kind,
                        e.bad_secs,
                        number(e.peak_offset_cm),
                        number(e.mean_offset_cm),
                        number(e.worst_cva_deg),
                        e.severity
                    )?;
                } else {
                    let line = serde_json::json!({
                        "type": "episode", "start": iso(e.start_unix), "end": iso(e.end_unix),
                        "start_unix": e.start_unix, "end_unix": e.end_unix, "session": e.session_id,
                        "episode": e.episode, "kind": e.kind, "bad_secs": e.bad_secs,
                        "peak_offset_cm": e.peak_offset_cm, "mean_offset_cm": e.mean_offset_cm,
                        "worst_cva_deg": e.worst_cva_deg, "severity": e.severity,
                    });
                    writeln!(out, "{line}")?;
                }
            }
        }
        (other, _) => bail!("--what {other}: expected track or episodes"),
    }
    out.flush().context("cannot write the export")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_and_dates() {
        assert_eq!(
            parse_since("2d", 1_000_000.0, Zone::Fixed(0)),
            Ok(1_000_000.0 - 172_800.0)
        );
        assert_eq!(
            parse_since("12h", 100_000.0, Zone::Fixed(0)),
            Ok(100_000.0 - 43_200.0)
        );
        assert_eq!(
            parse_since("1970-01-02", 0.0, Zone::Fixed(3600)),
            Ok(86_400.0 - 3600.0)
        );
        assert!(
            parse_since("yesterday", 0.0, Zone::Fixed(0))
                .unwrap_err()
                .contains("e.g. 2d")
        );
        assert!(parse_since("3x", 0.0, Zone::Fixed(0)).is_err());
    }

    #[test]
    fn periods_end_at_the_end_of_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let (from, to, label) = period_bounds(&Period::Week, today, Zone::Fixed(0));
        assert_eq!(to - from, 7.0 * 86_400.0);
        assert_eq!(
            to,
            day_start_unix(
                NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                Zone::Fixed(0)
            )
        );
        assert!(label.contains("2026-11-25"));
        let (from, to, _) = period_bounds(&Period::Day(None), today, Zone::Fixed(3600));
        assert_eq!(to - from, 86_400.0);
    }
}
