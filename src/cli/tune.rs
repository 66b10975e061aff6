//! `chintuck tune`: replays recorded days through the state machine with
//! changed settings and shows, beside the config in force, how many alerts
//! and how much flagged time they would have given.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use anyhow::{Context as _, Result, bail};

use chintuck::alert::format_duration;
use chintuck::config::Config;
use chintuck::report::period::day_of;
use chintuck::report::tune::{ReplayOutcome, replay, sweep_values, unmatched};
use chintuck::store::history::History;
use chintuck::store::write_atomically;

use chintuck::report::period::Zone;

use super::history_cmd::parse_since;
use super::unix_now_secs;

/// An alert this close in time (same session) counts as the same alert.
const SAME_ALERT_SECS: f64 = 120.0;

/// Sets `section.key = value` in a TOML document, keeping its comments.
fn set_key(document: &mut toml_edit::DocumentMut, assignment: &str) -> Result<()> {
    let (key, value) = assignment.split_once('=').with_context(|| {
        format!("--set {assignment}: expected SECTION.KEY=VALUE, e.g. alerts.hold_secs=60")
    })?;
    let (section, name) = key.trim().split_once('.').with_context(|| {
        format!("--set {assignment}: the key needs its section, e.g. alerts.hold_secs")
    })?;
    let value = value.trim();
    let parsed = toml_edit::Value::from_str(value)
        .unwrap_or_else(|_| toml_edit::Value::from(value.to_string()));
    let table = document
        .entry(section.trim())
        .or_insert(toml_edit::table())
        .as_table_mut()
        .with_context(|| format!("--set {assignment}: [{section}] is not a table"))?;
    match table
        .get_mut(name.trim())
        .and_then(|item| item.as_value_mut())
    {
        // Keep the line's comments and spacing; change only the value.
        Some(existing) => {
            let decor = existing.decor().clone();
            *existing = parsed;
            *existing.decor_mut() = decor;
        }
        None => {
            table.insert(name.trim(), toml_edit::value(parsed));
        }
    }
    Ok(())
}

/// The config with `assignments` applied, checked like any config file.
fn with_changes(base_text: &str, assignments: &[String], path: &Path) -> Result<(Config, String)> {
    let mut document: toml_edit::DocumentMut = base_text
        .parse()
        .with_context(|| format!("cannot edit {}", path.display()))?;
    for assignment in assignments {
        set_key(&mut document, assignment)?;
    }
    let text = document.to_string();
    let config = Config::parse(&text, path)?;
    Ok((config, text))
}

struct Figures {
    outcome: ReplayOutcome,
    per_day: BTreeMap<String, usize>,
}

fn figures(
    track: &[chintuck::store::history::TrackRow],
    config: &Config,
    zone: chintuck::report::period::Zone,
) -> Figures {
    let outcome = replay(track, config.monitor);
    let mut per_day = BTreeMap::new();
    for alert in &outcome.alerts {
        *per_day.entry(day_of(alert.at_unix, zone)).or_insert(0) += 1;
    }
    Figures { outcome, per_day }
}

pub fn tune(
    config_path: &Path,
    data_dir: &Path,
    since: &str,
    assignments: &[String],
    sweep: Option<&str>,
    write: bool,
) -> Result<()> {
    let zone = Zone::Local;
    let now = unix_now_secs();
    let from = parse_since(since, now, zone).map_err(anyhow::Error::msg)?;
    let file_text = match std::fs::read_to_string(config_path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", config_path.display()));
        }
    };
    let current = Config::load(config_path)?;
    // Edit the user's own file when there is one (its comments are kept);
    // otherwise the documented defaults.
    let base_text = file_text.unwrap_or_else(|| current.to_documented_toml());
    let (changed, changed_text) = with_changes(&base_text, assignments, config_path)?;

    let history = History::open_read_only(&History::path_in(data_dir))?;
    // Whole sessions that overlap the window, so each replay starts where
    // the monitor started.
    let sessions = history.sessions(from, f64::MAX)?;
    let Some(first) = sessions.first() else {
        println!("nothing recorded since {since}: `chintuck run` records as it watches");
        return Ok(());
    };
    let track = history.track(first.start_unix - 1.0, f64::MAX)?;
    let recorded = history.alerts(first.start_unix - 1.0, f64::MAX)?;

    let actual: Vec<(i64, f64)> = recorded.iter().map(|a| (a.session_id, a.at_unix)).collect();
    let mut actual_per_day: BTreeMap<String, usize> = BTreeMap::new();
    for alert in &recorded {
        *actual_per_day
            .entry(day_of(alert.at_unix, zone))
            .or_insert(0) += 1;
    }
    let now_figures = figures(&track, &current, zone);
    let new_figures = figures(&track, &changed, zone);

    println!(
        "replayed {} samples from {} session(s) since {}",
        track.iter().filter(|r| r.sample.is_some()).count(),
        sessions.len(),
        day_of(first.start_unix, zone)
    );
    if let Some(sweep) = sweep {
        let (key, range) = sweep
            .split_once('=')
            .with_context(|| format!("--sweep {sweep}: expected KEY=START..END:STEP"))?;
        let values = sweep_values(range).map_err(anyhow::Error::msg)?;
        let days = actual_per_day.len().max(now_figures.per_day.len()).max(1);
        let width = key.len().max(10);
        println!(
            "{:>width$}  {:>7}  {:>13}  {:>13}",
            key, "alerts", "alerts/day", "time flagged"
        );
        for value in values {
            let mut set = assignments.to_vec();
            set.push(format!("{key}={value}"));
            let (config, _) = with_changes(&base_text, &set, config_path)?;
            let f = figures(&track, &config, zone);
            println!(
                "{:>width$}  {:>7}  {:>13.1}  {:>13}",
                value,
                f.outcome.alerts.len(),
                f.outcome.alerts.len() as f64 / days as f64,
                format_duration(f.outcome.flagged_secs)
            );
        }
        return Ok(());
    }

    let label = if assignments.is_empty() {
        "unchanged".to_string()
    } else {
        assignments.join(", ")
    };
    println!(
        "{:<12} {:>9} {:>14} {:>12}",
        "day", "recorded", "current config", "with changes"
    );
    let mut days: Vec<&String> = actual_per_day
        .keys()
        .chain(now_figures.per_day.keys())
        .chain(new_figures.per_day.keys())
        .collect();
    days.sort();
    days.dedup();
    for day in days {
        println!(
            "{:<12} {:>9} {:>14} {:>12}",
            day,
            actual_per_day.get(day).copied().unwrap_or(0),
            now_figures.per_day.get(day).copied().unwrap_or(0),
            new_figures.per_day.get(day).copied().unwrap_or(0)
        );
    }
    println!(
        "{:<12} {:>9} {:>14} {:>12}",
        "alerts",
        recorded.len(),
        now_figures.outcome.alerts.len(),
        new_figures.outcome.alerts.len()
    );
    println!(
        "{:<12} {:>9} {:>14} {:>12}",
        "flagged",
        "",
        format_duration(now_figures.outcome.flagged_secs),
        format_duration(new_figures.outcome.flagged_secs)
    );
    let new_alerts: Vec<(i64, f64)> = new_figures
        .outcome
        .alerts
        .iter()
        .map(|a| (a.session_id, a.at_unix))
        .collect();
    let clock = |unix: f64| {
        chrono::DateTime::from_timestamp(unix as i64, 0)
            .map(|t| {
                zone.local(t.timestamp() as f64)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let vanish = unmatched(&actual, &new_alerts, SAME_ALERT_SECS);
    let appear = unmatched(&new_alerts, &actual, SAME_ALERT_SECS);
    println!("with {label}:");
    if vanish.is_empty() && appear.is_empty() {
        println!("  the same alerts as recorded");
    }
    for (_, at) in &vanish {
        println!("  - the alert at {} would vanish", clock(*at));
    }
    for (_, at) in &appear {
        println!("  + an alert at {} would appear", clock(*at));
    }
    if write {
        if assignments.is_empty() {
            bail!("--write needs at least one --set");
        }
        write_atomically(config_path, changed_text.as_bytes())?;
        println!(
            "saved {} to {} (a running monitor picks it up now)",
            assignments.join(", "),
            config_path.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setting_a_key_keeps_the_comments() {
        let text = "# my settings\n[alerts]\n# how long before an alert\nhold_secs = 30 # was 20\n";
        let mut document: toml_edit::DocumentMut = text.parse().unwrap();
        set_key(&mut document, "alerts.hold_secs=60").unwrap();
        set_key(&mut document, "thresholds.forward_enter_cm=3").unwrap();
        let out = document.to_string();
        assert!(out.contains("# my settings"), "{out}");
        assert!(
            out.contains("# how long before an alert\nhold_secs = 60 # was 20"),
            "{out}"
        );
        assert!(out.contains("[thresholds]\nforward_enter_cm = 3"), "{out}");
        assert!(set_key(&mut document, "hold_secs=5").is_err());
        assert!(set_key(&mut document, "alerts.hold_secs").is_err());
    }

    #[test]
    fn changed_settings_are_checked_like_a_config_file() {
        let path = Path::new("config.toml");
        let err = with_changes("", &["alerts.hold_secz=60".into()], path).unwrap_err();
        assert!(
            format!("{err:#}").contains("did you mean `hold_secs`"),
            "{err:#}"
        );
        let err = with_changes("", &["alerts.hold_secs=-5".into()], path).unwrap_err();
        assert!(
            format!("{err:#}").contains("out of range") || format!("{err:#}").contains("range"),
            "{err:#}"
        );
        let (config, _) = with_changes("", &["alerts.hold_secs=60".into()], path).unwrap();
        assert_eq!(config.monitor.hold_secs, 60.0);
    }
}
