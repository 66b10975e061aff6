//! The stretch coach: the three stretches that relieve the neck and upper
//! back (docs/posture.md), each held 3 × 30 s per side. Pure: the plan and
//! where in it a given second falls; the command draws the countdown.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stretch {
    /// What `chintuck stretch NAME` takes.
    pub name: &'static str,
    pub title: &'static str,
    pub how: &'static str,
    /// The one-line version an alert suggests.
    pub tip: &'static str,
}

pub const STRETCHES: [Stretch; 3] = [
    Stretch {
        name: "trapezius",
        title: "Trapezius stretch",
        how: "Turn 45° to one side. Bend your neck sideways, put that hand on your head and let the arm's weight pull the head down. Let the other shoulder relax and drop (hold the table edge to bring it lower if you feel no stretch).",
        tip: "trapezius stretch: turn 45° to one side, bend your neck sideways, let your hand's weight pull your head down, shoulder relaxed; 30 s each side.",
    },
    Stretch {
        name: "levator",
        title: "Levator scapulae stretch",
        how: "From the trapezius stretch, turn your head halfway the other way and bend a little forward. You feel it on the same side as the trapezius stretch.",
        tip: "levator scapulae stretch: from the trapezius stretch, turn your head halfway the other way with a little forward bend; 30 s each side.",
    },
    Stretch {
        name: "neck-front",
        title: "Front and side of the neck",
        how: "Put both hands on your chest just below the collar bone and push down. Tip your head back and away to the other side.",
        tip: "front of the neck: both hands on your chest below the collar bone pushing down, extend your neck back and away to one side; 30 s each side.",
    },
];

/// The stretch an alert suggests for an episode: they take turns.
pub fn for_episode(episode: u64) -> &'static Stretch {
    &STRETCHES[(episode.saturating_sub(1) % STRETCHES.len() as u64) as usize]
}

/// Finds a stretch by name or the start of it ("lev", "front").
pub fn find(name: &str) -> Option<&'static Stretch> {
    let wanted = name.trim().to_lowercase().replace(['_', ' '], "-");
    STRETCHES.iter().find(|s| {
        s.name.starts_with(&wanted)
            || (wanted.len() >= 3 && s.name.contains(&wanted))
            || s.title
                .to_lowercase()
                .starts_with(&wanted.replace('-', " "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// One hold of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hold {
    pub stretch: &'static Stretch,
    pub side: Side,
    /// 1-based repetition on this side.
    pub rep: u32,
    pub secs: f64,
}

/// Every hold in order: for each stretch, reps alternating left and right.
pub fn plan(stretches: &[&'static Stretch], reps: u32, hold_secs: f64) -> Vec<Hold> {
    let mut holds = Vec::new();
    for stretch in stretches {
        for rep in 1..=reps {
            for side in [Side::Left, Side::Right] {
                holds.push(Hold {
                    stretch,
                    side,
                    rep,
                    secs: hold_secs,
                });
            }
        }
    }
    holds
}

/// Where `elapsed_secs` falls in a plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Position {
    /// In hold `index`, with this many seconds left in it.
    Holding {
        index: usize,
        left_secs: f64,
    },
    Finished,
}

pub fn position(plan: &[Hold], elapsed_secs: f64) -> Position {
    let mut start = 0.0;
    for (index, hold) in plan.iter().enumerate() {
        if elapsed_secs < start + hold.secs {
            return Position::Holding {
                index,
                left_secs: start + hold.secs - elapsed_secs.max(0.0),
            };
        }
        start += hold.secs;
    }
    Position::Finished
}

/// Holds completed per stretch after `elapsed_secs` (for a stopped session).
pub fn holds_done(plan: &[Hold], elapsed_secs: f64, stretch: &Stretch) -> u32 {
    let done = match position(plan, elapsed_secs) {
        Position::Holding { index, .. } => index,
        Position::Finished => plan.len(),
    };
    plan[..done]
        .iter()
        .filter(|h| h.stretch.name == stretch.name)
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretches_are_found_by_name_or_its_start() {
        assert_eq!(find("trapezius").unwrap().name, "trapezius");
        assert_eq!(find("lev").unwrap().name, "levator");
        assert_eq!(find("levator_scapulae").unwrap().name, "levator");
        assert_eq!(find("front").unwrap().name, "neck-front");
        assert_eq!(find("Neck front").unwrap().name, "neck-front");
        assert!(find("hamstring").is_none());
    }

    #[test]
    fn three_by_thirty_seconds_per_side_in_order() {
        let all: Vec<&Stretch> = STRETCHES.iter().collect();
        let holds = plan(&all, 3, 30.0);
        assert_eq!(holds.len(), 18);
        assert_eq!((holds[0].side, holds[0].rep), (Side::Left, 1));
        assert_eq!((holds[1].side, holds[1].rep), (Side::Right, 1));
        assert_eq!(holds[6].stretch.name, "levator");
        assert_eq!(
            position(&holds, 0.0),
            Position::Holding {
                index: 0,
                left_secs: 30.0
            }
        );
        assert_eq!(
            position(&holds, 45.0),
            Position::Holding {
                index: 1,
                left_secs: 15.0
            }
        );
        assert_eq!(position(&holds, 18.0 * 30.0), Position::Finished);
        assert_eq!(holds_done(&holds, 200.0, &STRETCHES[0]), 6);
        assert_eq!(holds_done(&holds, 200.0, &STRETCHES[1]), 0);
        assert_eq!(holds_done(&holds, 1000.0, &STRETCHES[2]), 6);
    }
}
