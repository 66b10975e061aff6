//! The report as a self-contained HTML page with hand-written SVG charts:
//! a day timeline of state and forward offset, an hour-by-weekday heatmap of
//! forward-head share, and a daily trend. No scripts, fonts or anything else
//! fetched: the page opens the same offline.

use std::fmt::Write;

use crate::alert::format_duration;
use crate::monitor::PostureState;
use crate::report::period::{PeriodReport, Zone, day_of, durations};
use crate::report::{alert_answer_text, alert_forward_text};
use crate::store::history::{AlertRow, EpisodeRow, TrackRow};

fn colour(state: PostureState) -> &'static str {
    match state {
        PostureState::Good => "#3a9d5d",
        PostureState::Drifting => "#e0b43a",
        PostureState::ForwardHead => "#d9534f",
        PostureState::LookingDown => "#6f8fd8",
        PostureState::Away => "#d8d8d8",
        PostureState::Uncertain => "#a9a9a9",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The day the timeline shows: the last day of the period with samples.
fn timeline_day(report: &PeriodReport, track: &[TrackRow], zone: Zone) -> Option<String> {
    track
        .iter()
        .rev()
        .find(|row| row.at_unix >= report.from_unix && row.at_unix < report.to_unix)
        .map(|row| day_of(row.at_unix, zone))
}

/// One day, 0–24 h: a band coloured by state and the smoothed forward offset.
pub fn timeline_svg(report: &PeriodReport, track: &[TrackRow], zone: Zone) -> String {
    let (width, left, band_top, band_height, plot_top, plot_height) =
        (960.0, 40.0, 20.0, 28.0, 70.0, 140.0);
    let span = width - left - 30.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="250" viewBox="0 0 {width} 250" role="img" aria-label="Day timeline">"#
    );
    let Some(day) = timeline_day(report, track, zone) else {
        svg.push_str(r#"<text x="40" y="40">nothing recorded</text></svg>"#);
        return svg;
    };
    let day_start = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
        .map(|d| crate::report::period::day_start_unix(d, zone))
        .unwrap_or(report.from_unix);
    let x_of = |unix: f64| left + span * ((unix - day_start) / 86_400.0).clamp(0.0, 1.0);
    let _ = write!(
        svg,
        r##"<text x="{left}" y="14" font-size="12" font-family="sans-serif">{} — state (band) and head forward of the shoulders, cm (line)</text>"##,
        escape(&day)
    );
    let _ = write!(
        svg,
        r##"<rect x="{left}" y="{band_top}" width="{span}" height="{band_height}" fill="#f4f4f4"/>"##
    );
    for (row, secs) in durations(track) {
        if secs <= 0.0 || row.at_unix + secs < day_start || row.at_unix >= day_start + 86_400.0 {
            continue;
        }
        let (x0, x1) = (x_of(row.at_unix), x_of(row.at_unix + secs));
        let _ = write!(
            svg,
            r#"<rect class="state {}" x="{x0:.2}" y="{band_top}" width="{:.2}" height="{band_height}" fill="{}"/>"#,
            row.state.as_str(),
            (x1 - x0).max(0.5),
            colour(row.state)
        );
    }
    let max_cm = track
        .iter()
        .filter_map(|r| r.smoothed_offset_cm)
        .fold(5.0f32, f32::max)
        .ceil();
    let y_of = |cm: f32| plot_top + plot_height * (1.0 - (cm.max(0.0) / max_cm) as f64);
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{0}" x2="{1}" y2="{0}" stroke="#999"/><text x="4" y="{2}" font-size="10" font-family="sans-serif">{max_cm} cm</text><text x="4" y="{0}" font-size="10" font-family="sans-serif">0</text>"##,
        plot_top + plot_height,
        left + span,
        plot_top + 4.0
    );
    let mut points = Vec::new();
    for row in track {
        if row.at_unix < day_start || row.at_unix >= day_start + 86_400.0 {
            continue;
        }
        match row.smoothed_offset_cm {
            Some(cm) => points.push(format!("{:.1},{:.1}", x_of(row.at_unix), y_of(cm))),
            None if !points.is_empty() => {
                let _ = write!(
                    svg,
                    r##"<polyline class="offset" fill="none" stroke="#333" stroke-width="1.2" points="{}"/>"##,
                    points.join(" ")
                );
                points.clear();
            }
            None => {}
        }
    }
    if !points.is_empty() {
        let _ = write!(
            svg,
            r##"<polyline class="offset" fill="none" stroke="#333" stroke-width="1.2" points="{}"/>"##,
            points.join(" ")
        );
    }
    for hour in (0..=24).step_by(3) {
        let x = left + span * f64::from(hour) / 24.0;
        let _ = write!(
            svg,
            r##"<text x="{x:.1}" y="235" font-size="10" text-anchor="middle" font-family="sans-serif">{hour:02}:00</text>"##
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Forward-head share by weekday and hour.
pub fn heatmap_svg(report: &PeriodReport) -> String {
    let (cell, left, top) = (30.0, 40.0, 20.0);
    let mut svg = format!(
        r#"<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" role="img" aria-label="Forward head by hour and weekday">"#,
        left + 24.0 * cell + 10.0,
        top + 7.0 * cell + 30.0
    );
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for (weekday, hours) in report.heatmap.iter().enumerate() {
        let y = top + weekday as f64 * cell;
        let _ = write!(
            svg,
            r##"<text x="4" y="{:.1}" font-size="11" font-family="sans-serif">{}</text>"##,
            y + cell * 0.65,
            DAYS[weekday]
        );
        for (hour, share) in hours.iter().enumerate() {
            let x = left + hour as f64 * cell;
            let (fill, title) = match share {
                Some(share) => {
                    // White (no forward head) to red (all of it).
                    let level = (255.0 * (1.0 - share.clamp(0.0, 1.0))) as u8;
                    (
                        format!("rgb(217,{level},{level})"),
                        format!(
                            "{} {hour:02}:00: {:.0} % forward head",
                            DAYS[weekday],
                            100.0 * share
                        ),
                    )
                }
                None => (
                    "#f4f4f4".into(),
                    format!("{} {hour:02}:00: not monitored", DAYS[weekday]),
                ),
            };
            let _ = write!(
                svg,
                r##"<rect class="cell" x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="#fff"><title>{}</title></rect>"##,
                cell - 1.0,
                cell - 1.0,
                escape(&title)
            );
        }
    }
    for hour in (0..24).step_by(3) {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="10" font-family="sans-serif">{hour:02}</text>"##,
            left + hour as f64 * cell + 8.0,
            top + 7.0 * cell + 14.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Good share per day, as bars, with the forward-head minutes written under.
pub fn trend_svg(report: &PeriodReport) -> String {
    let (bar, gap, top, height) = (26.0, 6.0, 20.0, 160.0);
    let width = (50.0 + report.days.len() as f64 * (bar + gap)).max(320.0);
    let mut svg = format!(
        r#"<svg id="trend" xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{}" role="img" aria-label="Daily trend">"#,
        top + height + 50.0
    );
    let _ = write!(
        svg,
        r##"<text x="4" y="{top}" font-size="10" font-family="sans-serif">100 %</text><line x1="40" y1="{0}" x2="{width:.0}" y2="{0}" stroke="#999"/>"##,
        top + height
    );
    for (i, day) in report.days.iter().enumerate() {
        let x = 44.0 + i as f64 * (bar + gap);
        let share = day.good_share.unwrap_or(0.0);
        let h = height * share;
        let _ = write!(
            svg,
            r##"<rect class="day" x="{x:.1}" y="{:.1}" width="{bar}" height="{h:.1}" fill="#3a9d5d"><title>{}: {:.0} % good, {} forward head, {} alert(s)</title></rect>"##,
            top + height - h,
            escape(&day.day),
            100.0 * share,
            format_duration(day.states.forward_head),
            day.alerts
        );
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="9" font-family="sans-serif" transform="rotate(60 {0:.1} {1:.1})">{}</text>"##,
            x + 4.0,
            top + height + 10.0,
            escape(&day.day[5..])
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The whole page.
/// The period's alerts, oldest first, as the `alerts` command words them:
/// when, what, how long it was held, how far forward (and whether the chin
/// poked out), and what the person did about it.
pub fn alerts_table(
    report: &PeriodReport,
    alerts: &[AlertRow],
    episodes: &[EpisodeRow],
    zone: Zone,
) -> String {
    let in_period: Vec<&AlertRow> = alerts
        .iter()
        .filter(|a| a.at_unix >= report.from_unix && a.at_unix < report.to_unix)
        .collect();
    if in_period.is_empty() {
        return r#"<p id="alerts">No alerts in this period.</p>"#.into();
    }
    let mut table = String::from(
        r#"<table id="alerts"><tr><th>When</th><th>What</th><th>Held</th><th>Forward</th><th>Severity</th><th>Answer</th></tr>"#,
    );
    for alert in in_period {
        let episode_over = episodes
            .iter()
            .any(|e| e.session_id == alert.session_id && e.episode == alert.episode);
        let _ = write!(
            table,
            r#"<tr class="alert {}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            escape(&alert.kind),
            zone.local(alert.at_unix).format("%Y-%m-%d %H:%M"),
            escape(&alert.kind.replace('_', " ")),
            format_duration(alert.held_secs),
            escape(&alert_forward_text(alert)),
            escape(&alert.severity),
            escape(alert_answer_text(alert.response.as_deref(), episode_over)),
        );
    }
    table.push_str("</table>");
    table
}

/// The whole report page: figures, the period's alerts and the charts.
pub fn page(
    report: &PeriodReport,
    track: &[TrackRow],
    alerts: &[AlertRow],
    episodes: &[EpisodeRow],
    zone: Zone,
) -> String {
    let s = &report.states;
    let percent = |share: Option<f64>| {
        share
            .map(|v| format!("{:.0} %", 100.0 * v))
            .unwrap_or_else(|| "–".into())
    };
    let worst_hour = report
        .worst_hour
        .map(|(h, secs)| {
            format!(
                "{h:02}:00–{:02}:00 ({})",
                (h + 1) % 24,
                format_duration(secs)
            )
        })
        .unwrap_or_else(|| "–".into());
    let trend = report
        .trend
        .as_ref()
        .and_then(|t| t.good_share_change_points)
        .map(|p| format!("{p:+.0} points"))
        .unwrap_or_else(|| "–".into());
    let rows = [
        ("Monitored", format_duration(report.monitored_secs)),
        (
            "Good posture (share of time you were there)",
            percent(report.good_share),
        ),
        ("Good", format_duration(s.good)),
        ("Drifting", format_duration(s.drifting)),
        ("Forward head", format_duration(s.forward_head)),
        ("Looking down", format_duration(s.looking_down)),
        ("Away (not counted)", format_duration(s.away)),
        ("Uncertain (not counted)", format_duration(s.uncertain)),
        ("Episodes", report.episodes.to_string()),
        ("Alerts", report.alerts.to_string()),
        (
            "Longest episode",
            report
                .longest_episode_secs
                .map(format_duration)
                .unwrap_or_else(|| "–".into()),
        ),
        ("Worst hour", worst_hour),
        ("Stretches done", report.stretches_done.to_string()),
        ("Good share against the period before", trend),
    ];
    let mut table = String::from(r#"<table id="figures">"#);
    for (name, value) in rows {
        let _ = write!(
            table,
            "<tr><th>{}</th><td>{}</td></tr>",
            escape(name),
            escape(&value)
        );
    }
    table.push_str("</table>");
    let mut legend = String::new();
    for state in PostureState::ALL {
        let _ = write!(
            legend,
            r#"<span class="key"><span class="swatch" style="background:{}"></span>{}</span>"#,
            colour(state),
            state.as_str().replace('_', " ")
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chintuck posture report: {label}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; background: #fff; }}
h1 {{ font-size: 1.4em; }} h2 {{ font-size: 1.1em; margin-top: 1.6em; }}
table {{ border-collapse: collapse; }} th {{ text-align: left; font-weight: normal; padding: 2px 1.5em 2px 0; color: #555; }}
td {{ font-weight: bold; }} #alerts td {{ font-weight: normal; padding: 2px 1.2em 2px 0; }} #alerts tr.forward_head td:nth-child(4) {{ color: #b52b27; }}
.key {{ margin-right: 1em; font-size: 0.85em; }} .swatch {{ display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: middle; }}
</style></head>
<body>
<h1>Posture report: {label}</h1>
{table}
<h2>Alerts</h2>
{alerts}
<h2>Day timeline</h2>
<div class="legend">{legend}</div>
{timeline}
<h2>Forward head by hour and weekday</h2>
{heatmap}
<h2>Daily trend: share of good posture</h2>
{trend}
<p><small>Made by chintuck from measurements only; no pictures are stored.</small></p>
</body></html>
"#,
        label = escape(&report.label),
        alerts = alerts_table(report, alerts, episodes, zone),
        timeline = timeline_svg(report, track, zone),
        heatmap = heatmap_svg(report),
        trend = trend_svg(report),
    )
}

/// The charts `report --svg/--png --chart NAME` writes on their own.
pub const CHART_NAMES: [&str; 3] = ["timeline", "heatmap", "trend"];

/// One chart as a standalone SVG document.
pub fn chart_svg(
    name: &str,
    report: &PeriodReport,
    track: &[TrackRow],
    zone: Zone,
) -> Option<String> {
    let body = match name {
        "timeline" => timeline_svg(report, track, zone),
        "heatmap" => heatmap_svg(report),
        "trend" => trend_svg(report),
        _ => return None,
    };
    // A white background, so the picture reads the same in any viewer.
    Some(body.replacen(
        '>',
        r##"><rect width="100%" height="100%" fill="#ffffff"/>"##,
        1,
    ))
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot read the chart's SVG: {0}")]
    Svg(String),
    #[error("cannot encode the chart as PNG: {0}")]
    Png(String),
}

/// Rasterises a chart at twice its size (crisp on high-density screens),
/// with the system's fonts for the labels.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, ChartError> {
    let mut options = resvg::usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    // "sans-serif" must name a font that is installed (fontdb's default,
    // Arial, seldom is on Linux).
    let families: Vec<String> = fonts
        .faces()
        .flat_map(|face| face.families.iter().map(|(name, _)| name.clone()))
        .collect();
    let sans = [
        "DejaVu Sans",
        "Liberation Sans",
        "Noto Sans",
        "Cantarell",
        "FreeSans",
    ]
    .into_iter()
    .map(str::to_owned)
    .find(|wanted| families.contains(wanted))
    .or_else(|| families.first().cloned());
    if let Some(sans) = sans {
        fonts.set_sans_serif_family(sans.clone());
        options.font_family = sans;
    }
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| ChartError::Svg(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(2.0)
        .ok_or_else(|| ChartError::Png("empty chart".into()))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| ChartError::Png("chart too large".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(2.0, 2.0),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ChartError::Png(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::period::{PeriodData, summarize};

    fn alert(at_unix: f64, episode: u64, chin_poke: bool, response: Option<&str>) -> AlertRow {
        AlertRow {
            session_id: 1,
            episode,
            repeat: 0,
            kind: "forward_head".into(),
            at_unix,
            held_secs: 62.0,
            severity: "moderate".into(),
            offset_cm: Some(4.26),
            cva_deg: None,
            chin_poke,
            response: response.map(str::to_owned),
        }
    }

    fn report(from_unix: f64, to_unix: f64) -> PeriodReport {
        let data = PeriodData {
            track: &[],
            episodes: &[],
            alerts: &[],
            stretches: &[],
            kept_days: &[],
        };
        summarize("test", &data, from_unix, to_unix, Zone::Fixed(0), None)
    }

    #[test]
    fn the_page_lists_the_periods_alerts_with_chin_out_and_the_answer() {
        let day = report(86_400.0, 2.0 * 86_400.0);
        let alerts = [
            alert(86_400.0 - 60.0, 1, false, None), // the day before: not listed
            alert(86_400.0 + 9.5 * 3600.0, 2, true, Some("snoozed")),
            alert(86_400.0 + 14.0 * 3600.0, 3, false, None),
        ];
        let episodes = [EpisodeRow {
            session_id: 1,
            episode: 3,
            kind: "forward_head".into(),
            start_unix: 86_400.0 + 14.0 * 3600.0 - 62.0,
            end_unix: 86_400.0 + 14.0 * 3600.0 + 30.0,
            bad_secs: 92.0,
            peak_offset_cm: Some(4.5),
            mean_offset_cm: Some(4.0),
            worst_cva_deg: None,
            severity: "moderate".into(),
        }];
        let table = alerts_table(&day, &alerts, &episodes, Zone::Fixed(0));
        assert!(table.starts_with(r#"<table id="alerts">"#), "{table}");
        assert_eq!(
            table.matches("<tr class=\"alert forward_head\">").count(),
            2
        );
        assert!(!table.contains("1970-01-01 23:59"), "{table}");
        assert!(table.contains("<td>1970-01-02 09:30</td><td>forward head</td><td>62 s</td><td>4.3 cm, chin out</td><td>moderate</td><td>snoozed</td>"), "{table}");
        // No answer, and the episode is over: ignored.
        assert!(
            table.contains("<td>4.3 cm</td><td>moderate</td><td>ignored</td>"),
            "{table}"
        );

        let quiet = report(3.0 * 86_400.0, 4.0 * 86_400.0);
        assert_eq!(
            alerts_table(&quiet, &alerts, &episodes, Zone::Fixed(0)),
            r#"<p id="alerts">No alerts in this period.</p>"#
        );
        let page = page(&day, &[], &alerts, &episodes, Zone::Fixed(0));
        assert!(page.contains("<h2>Alerts</h2>\n<table id=\"alerts\">"));
    }
}
