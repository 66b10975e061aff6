//! The state machine on plain timelines.

use super::*;
use crate::posture::FrontMetrics;

fn metrics() -> FrontMetrics {
    FrontMetrics {
        shoulder_width_px: 200.0,
        ear_span_px: 90.0,
        neck_height_ratio: 0.6,
        chin_height_ratio: 0.35,
        head_size_ratio: 0.45,
        face_size_ratio: 0.3,
        pitch_ratio: 0.2,
        roll_deg: 0.0,
        shoulder_tilt_deg: 0.0,
        head_distance_cm: 60.0,
    }
}

fn front(forward_offset_cm: f32, pitch_change_ratio: f32) -> Assessment {
    Assessment::Front {
        forward_offset_cm,
        head_drop_cm: 0.0,
        pitch_change_ratio,
        neck_load_kg: 5.0,
        offset_source: crate::posture::OffsetSource::Ears,
        ears_offset_cm: forward_offset_cm,
        metrics: metrics(),
        face: None,
    }
}

/// A front-view sample with the face's pitch change, degrees.
fn front_with_face_pitch(
    forward_offset_cm: f32,
    pitch_change_ratio: f32,
    pitch_change_deg: f32,
) -> Sample {
    Sample::Front {
        forward_offset_cm,
        head_drop_cm: 0.0,
        pitch_change_ratio,
        pitch_change_deg: Some(pitch_change_deg),
    }
}

/// A side-view sample as older histories recorded it (chintuck now calls a
/// profile uncertain, but `tune` still replays those).
fn side(cva_deg: f32) -> Sample {
    Sample::Side { cva_deg }
}

impl From<Assessment> for Sample {
    fn from(assessment: Assessment) -> Self {
        Sample::from(&assessment)
    }
}

fn nobody() -> Assessment {
    Assessment::Uncertain {
        reason: UncertainReason::NoPerson,
    }
}

fn turned_away() -> Assessment {
    Assessment::Uncertain {
        reason: UncertainReason::FaceTurnedAway,
    }
}

/// Feeds `(duration_secs, assessment)` segments at `fps`; returns all events.
struct Timeline {
    monitor: Monitor,
    now_secs: f64,
    fps: f64,
    events: Vec<MonitorEvent>,
    states: Vec<PostureState>,
}

impl Timeline {
    fn new(settings: MonitorSettings, fps: f64) -> Self {
        Self {
            monitor: Monitor::new(settings),
            now_secs: 0.0,
            fps,
            events: Vec::new(),
            states: Vec::new(),
        }
    }

    fn run(&mut self, secs: f64, sample: impl Into<Sample>) -> &mut Self {
        let sample = sample.into();
        let frames = (secs * self.fps).round() as usize;
        for _ in 0..frames {
            let step = self.monitor.update_sample(self.now_secs, &sample, true);
            self.states.push(step.state);
            self.events.extend(step.events);
            self.now_secs += 1.0 / self.fps;
        }
        self
    }

    fn alerts(&self) -> Vec<Alert> {
        self.events
            .iter()
            .filter_map(|e| match e {
                MonitorEvent::Alert(alert) => Some(*alert),
                _ => None,
            })
            .collect()
    }

    fn state_changes(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, MonitorEvent::StateChanged { .. }))
            .count()
    }
}

#[test]
fn a_glance_down_of_five_seconds_is_looking_down_and_never_alerts() {
    let settings = MonitorSettings {
        looking_down_alert_secs: 600.0,
        ..MonitorSettings::default()
    };
    let mut t = Timeline::new(settings, 2.0);
    t.run(10.0, front(0.0, 0.0))
        .run(5.0, front(0.0, 0.35))
        .run(30.0, front(0.0, 0.0));
    assert!(t.alerts().is_empty());
    assert!(t.states.contains(&PostureState::LookingDown));
    assert!(!t.states.contains(&PostureState::ForwardHead));
}

#[test]
fn forward_head_for_40_seconds_alerts_once_at_30_seconds() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(10.0, front(0.0, 0.0))
        .run(40.0, front(4.0, 0.0))
        .run(20.0, front(0.0, 0.0));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let alert = alerts[0];
    // Onset at 10 s; smoothing takes about a second to cross the threshold.
    assert!(
        (40.0..=42.0).contains(&alert.at_secs),
        "alert at {}",
        alert.at_secs
    );
    assert!(alert.held_secs >= 30.0 && alert.held_secs < 31.0);
    assert_eq!(
        (alert.kind, alert.episode, alert.repeat),
        (AlertKind::ForwardHead, 1, 0)
    );
    assert_eq!(alert.severity, Severity::Mild);
    assert!((alert.forward_offset_cm.unwrap() - 4.0).abs() < 0.1);
    // The episode ends after recovery, counted once.
    let ended: Vec<_> = t
        .events
        .iter()
        .filter(|e| matches!(e, MonitorEvent::EpisodeEnded { .. }))
        .collect();
    assert_eq!(ended.len(), 1);
    assert_eq!(t.monitor.episodes(), 1);
}

#[test]
fn alert_time_does_not_depend_on_the_frame_rate() {
    let alert_at = |fps: f64| {
        let mut t = Timeline::new(MonitorSettings::default(), fps);
        t.run(10.0, front(0.0, 0.0)).run(40.0, front(4.0, 0.0));
        t.alerts()[0].at_secs
    };
    let (slow, fast) = (alert_at(1.0), alert_at(10.0));
    assert!(
        (slow - fast).abs() <= 1.5,
        "1 fps: {slow} s, 10 fps: {fast} s"
    );
}

#[test]
fn flicker_around_the_threshold_does_not_chatter() {
    let settings = MonitorSettings::default();
    let enter_cm = settings.forward_enter_cm;
    let exit_cm = settings.forward_exit_cm;
    let mut t = Timeline::new(settings, 2.0);
    t.run(5.0, front(0.0, 0.0));
    // Every half second half a centimetre either side of the threshold, for two minutes.
    for _ in 0..120 {
        t.run(0.5, front(enter_cm - 0.5, 0.0))
            .run(0.5, front(enter_cm + 0.5, 0.0));
    }
    assert!(
        t.state_changes() <= 3,
        "{} state changes",
        t.state_changes()
    );
    assert!(t.alerts().len() <= 1);
    // Hysteresis: once in forward head, a dip below the entry (but above the exit) stays there.
    let dip_cm = (enter_cm + exit_cm) / 2.0;
    let mut t = Timeline::new(settings, 2.0);
    t.run(5.0, front(4.0, 0.0));
    for _ in 0..10 {
        t.run(3.0, front(dip_cm, 0.0))
            .run(3.0, front(enter_cm + 1.0, 0.0));
    }
    assert_eq!(t.monitor.state(), PostureState::ForwardHead);
    assert_eq!(
        t.state_changes(),
        1,
        "uncertain -> forward head, then no change"
    );
}

#[test]
fn time_away_is_not_counted_and_ends_the_episode() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(20.0, front(4.0, 0.0))
        .run(60.0, nobody())
        .run(20.0, front(4.0, 0.0));
    assert!(t.alerts().is_empty(), "{:?}", t.alerts());
    assert!(t.states.contains(&PostureState::Away));
}

#[test]
fn uncertain_time_pauses_bad_time_without_counting_it() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(20.0, front(4.0, 0.0))
        .run(60.0, turned_away())
        .run(20.0, front(4.0, 0.0));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 1);
    // About 19 s before the gap, about 11 s after it: alert near t = 91 s.
    assert!(
        (89.0..=93.0).contains(&alerts[0].at_secs),
        "{}",
        alerts[0].at_secs
    );
}

#[test]
fn two_hours_of_forward_head_is_one_episode_with_repeats_per_config() {
    let mut t = Timeline::new(MonitorSettings::default(), 1.0);
    t.run(7200.0, front(6.0, 0.0)).run(10.0, front(0.0, 0.0));
    let alerts = t.alerts();
    // First at ~30 s, then every 600 s of bad time.
    assert_eq!(alerts.len(), 12, "{}", alerts.len());
    assert!(alerts.iter().all(|a| a.episode == 1));
    assert_eq!(alerts[3].repeat, 3);
    assert_eq!(alerts[0].severity, Severity::Marked);
    assert_eq!(t.monitor.episodes(), 1);

    let settings = MonitorSettings {
        repeat_secs: 0.0,
        ..MonitorSettings::default()
    };
    let mut t = Timeline::new(settings, 1.0);
    t.run(7200.0, front(6.0, 0.0));
    assert_eq!(t.alerts().len(), 1);
}

#[test]
fn cooldown_delays_the_next_episode_alert() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(35.0, front(4.0, 0.0))
        .run(10.0, front(0.0, 0.0))
        .run(120.0, front(4.0, 0.0));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 2, "{alerts:?}");
    assert_eq!(alerts[1].episode, 2);
    assert!(alerts[1].at_secs - alerts[0].at_secs >= 120.0);
    assert_eq!(t.monitor.episodes(), 2);
}

#[test]
fn recorded_side_view_samples_alert_below_the_craniovertebral_threshold() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(10.0, side(52.0)).run(40.0, side(42.0));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].severity, Severity::Marked);
    assert!((alerts[0].cva_deg.unwrap() - 42.0).abs() < 0.5);
}

#[test]
fn without_calibration_the_front_view_is_conservative() {
    let mut monitor = Monitor::new(MonitorSettings::default());
    let mut states = Vec::new();
    for k in 0..100 {
        states.push(
            monitor
                .update(k as f64 * 0.5, &front(4.0, 0.0), false)
                .state,
        );
    }
    assert!(!states.contains(&PostureState::ForwardHead));
    assert_eq!(*states.last().unwrap(), PostureState::Drifting);
}

#[test]
fn looking_down_with_the_head_forward_is_forward_head() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(10.0, front(4.0, 0.3));
    assert_eq!(t.monitor.state(), PostureState::ForwardHead);
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(10.0, front(0.5, 0.3));
    assert_eq!(t.monitor.state(), PostureState::LookingDown);
}

#[test]
fn a_forward_head_alert_says_when_the_chin_pokes_out() {
    // Tilted up 12 deg while 4 cm forward: the alert says the chin is out.
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(40.0, front_with_face_pitch(4.0, 0.0, -12.0));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].chin_poke, "{alerts:?}");
    // Level (or only slightly up, 3 deg against the 5 deg threshold): no chin poke.
    for pitch_change_deg in [0.0, -3.0] {
        let mut t = Timeline::new(MonitorSettings::default(), 2.0);
        t.run(40.0, front_with_face_pitch(4.0, 0.0, pitch_change_deg));
        let alerts = t.alerts();
        assert_eq!(alerts.len(), 1);
        assert!(!alerts[0].chin_poke, "{pitch_change_deg}: {alerts:?}");
    }
    // Not far enough forward for a chin poke (as the measurement sets it): not said.
    let settings = MonitorSettings {
        chin_poke_min_offset_cm: 5.0,
        ..MonitorSettings::default()
    };
    let mut t = Timeline::new(settings, 2.0);
    t.run(40.0, front_with_face_pitch(4.0, 0.0, -12.0));
    assert!(!t.alerts()[0].chin_poke);
    // Without a face pitch (body model only) nothing is claimed.
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(40.0, front(4.0, 0.0));
    assert!(!t.alerts()[0].chin_poke);
}

#[test]
fn text_neck_alert_is_separate_and_optional() {
    let settings = MonitorSettings {
        looking_down_alert_secs: 60.0,
        ..MonitorSettings::default()
    };
    let mut t = Timeline::new(settings, 1.0);
    t.run(90.0, front(0.0, 0.3));
    let alerts = t.alerts();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].kind, AlertKind::LookingDown);
    let mut t = Timeline::new(MonitorSettings::default(), 1.0);
    t.run(900.0, front(0.0, 0.3));
    assert!(t.alerts().is_empty());
}

#[test]
fn away_needs_the_configured_seconds_of_nobody() {
    let mut t = Timeline::new(MonitorSettings::default(), 2.0);
    t.run(5.0, front(0.0, 0.0)).run(4.0, nobody());
    assert_eq!(t.monitor.state(), PostureState::Uncertain);
    t.run(2.0, nobody());
    assert_eq!(t.monitor.state(), PostureState::Away);
}

#[test]
fn the_faces_pitch_in_degrees_decides_looking_down_where_there_is_one() {
    let settings = MonitorSettings::default();
    // 12° down with the body's ratio unmoved (as on the renders): looking down.
    let mut t = Timeline::new(settings, 2.0);
    t.run(5.0, front_with_face_pitch(0.5, 0.0, 12.0));
    assert_eq!(t.monitor.state(), PostureState::LookingDown);
    // The body's ratio says looking down, the face says level: not looking down.
    let mut t = Timeline::new(settings, 2.0);
    t.run(5.0, front_with_face_pitch(0.5, 0.3, 2.0));
    assert_eq!(t.monitor.state(), PostureState::Good);
    // No face pitch (older histories, no face baseline): the ratio, as before.
    let mut t = Timeline::new(settings, 2.0);
    t.run(5.0, front(0.5, 0.3));
    assert_eq!(t.monitor.state(), PostureState::LookingDown);
    // Forward beats looking down, as with the ratio.
    let mut t = Timeline::new(settings, 2.0);
    t.run(10.0, front_with_face_pitch(4.0, 0.0, 12.0));
    assert_eq!(t.monitor.state(), PostureState::ForwardHead);
    // The threshold is the setting's.
    let mut t = Timeline::new(
        MonitorSettings {
            looking_down_pitch_deg: 15.0,
            ..settings
        },
        2.0,
    );
    t.run(5.0, front_with_face_pitch(0.5, 0.0, 12.0));
    assert_eq!(t.monitor.state(), PostureState::Good);
}
