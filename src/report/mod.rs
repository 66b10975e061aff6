//! Report: what chintuck tells a person or a script about what it saw.
//!
//! `frame` turns one analysed frame into the JSON line and the human summary
//! that `chintuck analyze` prints; `annotate` draws the skeleton for
//! `--annotate`. The two helpers below word an alert the same way in the
//! `alerts` list and the HTML report.

pub mod annotate;
pub mod frame;
pub mod html;
pub mod period;
pub mod tune;

use crate::store::history::AlertRow;

/// How far forward an alert found the head, as a person reads it: the offset
/// in cm, "chin out" when the chin poked out too, or the side view's angle in
/// histories from before the side view became uncertain.
pub fn alert_forward_text(alert: &AlertRow) -> String {
    match (alert.offset_cm, alert.cva_deg) {
        (Some(cm), _) if alert.chin_poke => format!("{cm:.1} cm, chin out"),
        (Some(cm), _) => format!("{cm:.1} cm"),
        (None, Some(deg)) => format!("CVA {deg:.0}°"),
        _ => "-".into(),
    }
}

/// What the person did about an alert; no answer once the episode is over
/// means it was ignored.
pub fn alert_answer_text(response: Option<&str>, episode_over: bool) -> &str {
    match response {
        Some("snoozed") => "snoozed",
        Some("paused") => "paused until tomorrow",
        Some("done") => "done",
        Some(other) => other,
        None if episode_over => "ignored",
        None => "no answer yet",
    }
}
