//! Alert: telling the person. A sink receives each alert and the end of each
//! episode: the terminal, desktop notifications, a sound, or a command of the
//! user's. Which ones is the config's `[alerts] sinks`.

pub mod desktop;
pub mod hooks;

use crate::monitor::{Alert, AlertKind, MonitorEvent, Severity};

/// The stretch to suggest for an episode (the coach's three, in turn).
pub fn stretch_for(episode: u64) -> &'static str {
    crate::coach::for_episode(episode).tip
}

/// Several sinks as one.
#[derive(Default)]
pub struct Sinks(pub Vec<Box<dyn AlertSink>>);

impl AlertSink for Sinks {
    fn alert(&mut self, alert: &Alert) {
        self.0.iter_mut().for_each(|sink| sink.alert(alert));
    }

    fn episode_ended(&mut self, event: &MonitorEvent) {
        self.0.iter_mut().for_each(|sink| sink.episode_ended(event));
    }
}

/// Somewhere alerts go.
pub trait AlertSink {
    fn alert(&mut self, alert: &Alert);
    fn episode_ended(&mut self, _event: &MonitorEvent) {}
}

/// The words of an alert: what is wrong, in plain words and numbers.
pub fn alert_text(alert: &Alert) -> (String, String) {
    let held = format_duration(alert.held_secs);
    let mut summary = match (alert.kind, alert.severity) {
        (AlertKind::LookingDown, _) => "Looking down for a long time".to_owned(),
        (_, Severity::Mild) => "Head forward".to_owned(),
        (_, Severity::Marked) => "Head well forward".to_owned(),
        (_, Severity::Severe) => "Head far forward".to_owned(),
    };
    if alert.chin_poke {
        summary.push_str(", chin out");
    }
    let body = match (alert.kind, alert.forward_offset_cm, alert.cva_deg) {
        (AlertKind::LookingDown, ..) => format!(
            "You have been looking down for {held}. Lift the screen or your eyes, and tuck your chin."
        ),
        (_, Some(offset_cm), _) if alert.chin_poke => format!(
            "Head ~{offset_cm:.0} cm forward of your shoulders with the chin poking up and out, for {held}. Draw your chin in and back (not down), as if making a double chin, until your ears are over your shoulders."
        ),
        (_, Some(offset_cm), _) => format!(
            "Head ~{offset_cm:.0} cm forward of your shoulders for {held}. Sit back, tuck your chin, and let your head rest over your shoulders."
        ),
        (_, None, Some(cva_deg)) => format!(
            "Neck angle {cva_deg:.0}° (upright is about 50°) for {held}. Sit back and bring your ear over your shoulder."
        ),
        _ => format!("Forward head posture for {held}."),
    };
    (summary, body)
}

/// "45 s", "3 min", "1 h 5 min".
pub fn format_duration(secs: f64) -> String {
    let secs = secs.max(0.0).round() as u64;
    match secs {
        0..=89 => format!("{secs} s"),
        90..=3599 => format!("{} min", (secs + 30) / 60),
        _ => format!("{} h {} min", secs / 3600, (secs % 3600) / 60),
    }
}

/// Prints alerts to standard output, one line each.
#[derive(Debug, Default)]
pub struct TerminalSink {
    pub printed: usize,
}

impl AlertSink for TerminalSink {
    fn alert(&mut self, alert: &Alert) {
        let (summary, body) = alert_text(alert);
        println!(
            "[{}] ALERT {summary} ({}): {body}",
            clock(alert.at_secs),
            alert.severity.as_str()
        );
        self.printed += 1;
    }

    fn episode_ended(&mut self, event: &MonitorEvent) {
        if let MonitorEvent::EpisodeEnded {
            episode,
            ended_at_secs,
            bad_secs,
            worst,
            ..
        } = event
        {
            println!(
                "[{}] episode {episode} over: {} of {} posture",
                clock(*ended_at_secs),
                format_duration(*bad_secs),
                worst.as_str()
            );
        }
    }
}

/// Seconds since the start as mm:ss.
pub fn clock(secs: f64) -> String {
    let secs = secs.max(0.0) as u64;
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(offset: Option<f32>, cva: Option<f32>, held_secs: f64) -> Alert {
        Alert {
            at_secs: 40.0,
            kind: AlertKind::ForwardHead,
            episode: 1,
            repeat: 0,
            held_secs,
            severity: Severity::Mild,
            forward_offset_cm: offset,
            cva_deg: cva,
            chin_poke: false,
        }
    }

    #[test]
    fn alerts_say_what_is_wrong_in_numbers() {
        let (summary, body) = alert_text(&alert(Some(4.2), None, 45.0));
        assert_eq!(summary, "Head forward");
        assert!(
            body.starts_with("Head ~4 cm forward of your shoulders for 45 s."),
            "{body}"
        );
        let (_, body) = alert_text(&alert(None, Some(42.4), 200.0));
        assert!(
            body.starts_with("Neck angle 42° (upright is about 50°) for 3 min."),
            "{body}"
        );
    }

    #[test]
    fn a_chin_poke_is_said_with_what_undoes_it() {
        let poked = Alert {
            chin_poke: true,
            ..alert(Some(4.6), None, 30.0)
        };
        let (summary, body) = alert_text(&poked);
        assert_eq!(summary, "Head forward, chin out");
        assert!(
            body.starts_with("Head ~5 cm forward of your shoulders with the chin poking up and out, for 30 s. Draw your chin in"),
            "{body}"
        );
    }

    #[test]
    fn stretches_take_turns() {
        assert!(stretch_for(1).starts_with("trapezius"));
        assert!(stretch_for(2).starts_with("levator"));
        assert!(stretch_for(4).starts_with("trapezius"));
        assert!(stretch_for(0).starts_with("trapezius"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(30.4), "30 s");
        assert_eq!(format_duration(600.0), "10 min");
        assert_eq!(format_duration(7260.0), "2 h 1 min");
        assert_eq!(clock(75.0), "01:15");
    }
}
