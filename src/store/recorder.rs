//! The monitor's writer into the history: collects samples and events in
//! memory and writes them in one transaction every few seconds, so a working
//! day costs almost no disk I/O and a crash loses at most the last batch.
//!
//! A history that cannot be written (read-only, locked, disk full) never
//! stops the monitor: the problem is returned once to be shown, the batch is
//! kept (up to a cap) and retried at the next flush.

use crate::monitor::{MonitorEvent, PostureState, Sample, Step};

use super::history::{AlertRow, Batch, EpisodeRow, History, HistoryError, TrackRow};

/// Rows kept in memory while the history cannot be written, about an hour
/// at two samples a second; older ones are dropped past it.
const MAX_PENDING_ROWS: usize = 8_000;

pub struct Recorder {
    history: History,
    session_id: i64,
    start_unix: f64,
    flush_every_secs: f64,
    last_flush_secs: f64,
    pending: Batch,
    /// (at_secs, smoothed offset, smoothed CVA) of bad samples since the
    /// last episode ended, for its peak and mean.
    bad_samples: Vec<(f64, Option<f32>, Option<f32>)>,
    last_alert: Option<(u64, u32)>,
    last_error: Option<String>,
    last_at_secs: f64,
}

impl Recorder {
    /// Starts a session in `history` that began at `start_unix`.
    pub fn start(
        mut history: History,
        start_unix: f64,
        camera: &str,
        profile: &str,
        config_text: &str,
        flush_every_secs: f64,
    ) -> Result<Self, HistoryError> {
        let session_id = history.start_session(start_unix, camera, profile, config_text)?;
        Ok(Self {
            history,
            session_id,
            start_unix,
            flush_every_secs,
            last_flush_secs: 0.0,
            pending: Batch::default(),
            bad_samples: Vec::new(),
            last_alert: None,
            last_error: None,
            last_at_secs: 0.0,
        })
    }

    /// The history being written, for upkeep such as retention.
    pub fn history_mut(&mut self) -> &mut History {
        &mut self.history
    }

    fn unix(&self, at_secs: f64) -> f64 {
        self.start_unix + at_secs
    }

    /// One sample: what went into the state machine and what came out.
    pub fn sample(&mut self, at_secs: f64, sample: &Sample, calibrated: bool, step: &Step) {
        self.last_at_secs = at_secs;
        self.pending.track.push(TrackRow {
            session_id: self.session_id,
            at_unix: self.unix(at_secs),
            at_secs,
            sample: Some(*sample),
            calibrated,
            state: step.state,
            severity: step.severity,
            smoothed_offset_cm: step.smoothed.forward_offset_cm,
            smoothed_cva_deg: step.smoothed.cva_deg,
        });
        if matches!(
            step.state,
            PostureState::ForwardHead | PostureState::LookingDown
        ) {
            self.bad_samples.push((
                at_secs,
                step.smoothed.forward_offset_cm,
                step.smoothed.cva_deg,
            ));
        }
        for event in &step.events {
            self.event(event);
        }
    }

    /// chintuck stopped looking (paused, snoozed, no camera): the time until
    /// the next sample is neither good nor bad.
    pub fn gap(&mut self, at_secs: f64) {
        if self
            .pending
            .track
            .last()
            .is_some_and(|row| row.sample.is_none())
        {
            return;
        }
        self.pending.track.push(TrackRow {
            session_id: self.session_id,
            at_unix: self.unix(at_secs),
            at_secs,
            sample: None,
            calibrated: false,
            state: PostureState::Uncertain,
            severity: None,
            smoothed_offset_cm: None,
            smoothed_cva_deg: None,
        });
    }

    /// Alerts and episode ends (state changes are in the track already).
    pub fn event(&mut self, event: &MonitorEvent) {
        match *event {
            MonitorEvent::Alert(alert) => {
                self.last_alert = Some((alert.episode, alert.repeat));
                self.pending.alerts.push(AlertRow {
                    session_id: self.session_id,
                    episode: alert.episode,
                    repeat: alert.repeat,
                    kind: alert.kind.as_str().into(),
                    at_unix: self.unix(alert.at_secs),
                    held_secs: alert.held_secs,
                    severity: alert.severity.as_str().into(),
                    offset_cm: alert.forward_offset_cm,
                    cva_deg: alert.cva_deg,
                    chin_poke: alert.chin_poke,
                    response: None,
                });
            }
            MonitorEvent::EpisodeEnded {
                episode,
                kind,
                started_at_secs,
                ended_at_secs,
                bad_secs,
                worst,
            } => {
                let inside: Vec<_> = self
                    .bad_samples
                    .iter()
                    .filter(|(at, _, _)| {
                        *at >= started_at_secs - 1e-6 && *at <= ended_at_secs + 1e-6
                    })
                    .collect();
                let offsets: Vec<f32> = inside.iter().filter_map(|(_, o, _)| *o).collect();
                let cvas: Vec<f32> = inside.iter().filter_map(|(_, _, c)| *c).collect();
                self.pending.episodes.push(EpisodeRow {
                    session_id: self.session_id,
                    episode,
                    kind: kind.as_str().into(),
                    start_unix: self.unix(started_at_secs),
                    end_unix: self.unix(ended_at_secs),
                    bad_secs,
                    peak_offset_cm: offsets.iter().copied().reduce(f32::max),
                    mean_offset_cm: (!offsets.is_empty())
                        .then(|| offsets.iter().sum::<f32>() / offsets.len() as f32),
                    worst_cva_deg: cvas.iter().copied().reduce(f32::min),
                    severity: worst.as_str().into(),
                });
                self.bad_samples.clear();
            }
            MonitorEvent::StateChanged { .. } => {}
        }
    }

    /// How the person answered the latest alert: "snoozed", "paused", "done".
    pub fn response(&mut self, response: &str, at_secs: f64) {
        if let Some((episode, repeat)) = self.last_alert {
            self.pending.responses.push((
                self.session_id,
                episode,
                repeat,
                response.to_owned(),
                self.unix(at_secs),
            ));
        }
    }

    /// The person pressed "Done" on the alert: the stretch it suggested
    /// counts as done.
    pub fn stretch_done(&mut self, at_secs: f64) {
        if let Some((episode, _)) = self.last_alert {
            let name = crate::coach::for_episode(episode).name;
            self.pending.stretches.push(super::history::StretchRow {
                at_unix: self.unix(at_secs),
                name: name.to_owned(),
                holds_done: 2,
                holds_planned: 2,
            });
        }
    }

    /// Writes the batch if it is due. Returns a problem the first time it
    /// happens (and again only when it changes), for the caller to show.
    pub fn tick(&mut self, at_secs: f64) -> Option<HistoryError> {
        if at_secs - self.last_flush_secs < self.flush_every_secs {
            return None;
        }
        self.flush(at_secs)
    }

    /// Writes everything pending now.
    pub fn flush(&mut self, at_secs: f64) -> Option<HistoryError> {
        self.last_flush_secs = at_secs;
        let end = self.unix(at_secs.max(self.last_at_secs));
        self.pending.session_end = Some((self.session_id, end));
        match self.history.write_batch(&self.pending) {
            Ok(()) => {
                self.pending = Batch::default();
                self.last_error = None;
                None
            }
            Err(err) => {
                let overflow = self.pending.track.len().saturating_sub(MAX_PENDING_ROWS);
                self.pending.track.drain(..overflow);
                let message = err.to_string();
                if self.last_error.as_deref() == Some(message.as_str()) {
                    None
                } else {
                    self.last_error = Some(message);
                    Some(err)
                }
            }
        }
    }

    /// Rows waiting to be written.
    pub fn pending_rows(&self) -> usize {
        self.pending.rows()
    }
}
