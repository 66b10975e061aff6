//! Desktop notifications (freedesktop, through notify-rust over D-Bus).
//!
//! `show()` blocks and each call opens a D-Bus connection, so notifications
//! are sent from their own thread; waiting for a button press blocks too, so
//! each shown notification gets a waiter thread that reports the action back
//! over a channel. One notification id is reused: a new alert replaces the
//! last one instead of stacking, and good posture replaces it with a short
//! "back to good" note that expires, so no warning stays stuck on screen.

use std::sync::mpsc::{Receiver, Sender, channel};

use notify_rust::{Notification, Timeout, Urgency};

use super::{AlertSink, alert_text, stretch_for};
use crate::monitor::{Alert, MonitorEvent, Severity};

/// The application name the notification server sees.
pub const APP_NAME: &str = "chintuck";

/// A button the person pressed on a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationAction {
    /// "Snooze 30 min".
    Snooze,
    /// "Pause until tomorrow".
    PauseUntilTomorrow,
    /// "Done": acknowledged, nothing else.
    Done,
}

impl NotificationAction {
    fn from_key(key: &str) -> Option<Self> {
        match key {
            "snooze" => Some(Self::Snooze),
            "pause" => Some(Self::PauseUntilTomorrow),
            "done" | "default" => Some(Self::Done),
            _ => None,
        }
    }
}

enum Request {
    Alert(Alert),
    Recovered,
}

/// Sends notifications from a worker thread; actions come back on `actions()`.
pub struct DesktopSink {
    requests: Sender<Request>,
    actions: Option<Receiver<NotificationAction>>,
}

impl DesktopSink {
    pub fn new() -> Self {
        let (requests, inbox) = channel::<Request>();
        let (action_sender, actions) = channel();
        std::thread::Builder::new()
            .name("notifications".into())
            .spawn(move || notifier(inbox, action_sender))
            .expect("the notification thread starts");
        Self {
            requests,
            actions: Some(actions),
        }
    }

    /// The buttons pressed, in order. Can be taken once.
    pub fn take_actions(&mut self) -> Option<Receiver<NotificationAction>> {
        self.actions.take()
    }
}

impl Default for DesktopSink {
    fn default() -> Self {
        Self::new()
    }
}

impl AlertSink for DesktopSink {
    fn alert(&mut self, alert: &Alert) {
        let _ = self.requests.send(Request::Alert(*alert));
    }

    fn episode_ended(&mut self, _event: &MonitorEvent) {
        let _ = self.requests.send(Request::Recovered);
    }
}

fn urgency(severity: Severity) -> Urgency {
    match severity {
        Severity::Mild => Urgency::Low,
        Severity::Marked => Urgency::Normal,
        Severity::Severe => Urgency::Critical,
    }
}

fn notifier(inbox: Receiver<Request>, actions: Sender<NotificationAction>) {
    let mut id: Option<u32> = None;
    let mut warned = false;
    for request in inbox {
        let mut notification = Notification::new();
        notification.appname(APP_NAME).icon("dialog-information");
        match request {
            Request::Alert(alert) => {
                let (summary, body) = alert_text(&alert);
                let stretch = stretch_for(alert.episode);
                notification
                    .summary(&summary)
                    .body(&format!("{body}\nTry: {stretch}"))
                    .urgency(urgency(alert.severity))
                    .action("snooze", "Snooze 30 min")
                    .action("pause", "Pause until tomorrow")
                    .action("done", "Done")
                    .timeout(Timeout::Milliseconds(60_000));
            }
            Request::Recovered => {
                // Only replace a warning that is there.
                if id.is_none() {
                    continue;
                }
                notification
                    .summary("Back to good posture")
                    .body("Head over your shoulders again. Nice.")
                    .urgency(Urgency::Low)
                    .timeout(Timeout::Milliseconds(4_000));
            }
        }
        if let Some(id) = id {
            notification.id(id);
        }
        match notification.show() {
            Ok(handle) => {
                id = Some(handle.id());
                let actions = actions.clone();
                let _ = std::thread::Builder::new()
                    .name("notification-actions".into())
                    .spawn(move || {
                        handle.wait_for_action(|key| {
                            if let Some(action) = NotificationAction::from_key(key) {
                                let _ = actions.send(action);
                            }
                        })
                    });
            }
            Err(err) if !warned => {
                warned = true;
                eprintln!(
                    "chintuck: cannot show desktop notifications ({err}); is a notification server running? Alerts still go to the other sinks"
                );
            }
            Err(_) => {}
        }
    }
}
