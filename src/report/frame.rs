//! One analysed frame as a JSON line or a human-readable summary.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::pose::{LANDMARK_NAMES, Pose, landmark};

/// The outcome of analysing one frame, shaped for `analyze --json`. Fields are
/// only ever added, never renamed: scripts depend on them.
#[derive(Debug, Serialize)]
pub struct FrameReport<'a> {
    pub file: &'a str,
    pub width: u32,
    pub height: u32,
    pub person: bool,
    /// Pose presence probability; null when nobody was found.
    pub presence: Option<f64>,
    /// Which region produced the landmarks: detector, tracking or fallback.
    pub roi: Option<&'static str>,
    #[serde(serialize_with = "serialize_landmarks")]
    pub landmarks: Option<&'a Pose>,
    /// Posture measurements, state and confidence, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posture: Option<serde_json::Value>,
}

impl<'a> FrameReport<'a> {
    pub fn new(file: &'a str, width: u32, height: u32, pose: Option<&'a Pose>) -> Self {
        Self {
            file,
            width,
            height,
            person: pose.is_some(),
            presence: pose.map(|p| round(p.presence, 4)),
            roi: pose.map(|p| p.roi_source.as_str()),
            landmarks: pose,
            posture: None,
        }
    }

    pub fn with_posture(mut self, posture: serde_json::Value) -> Self {
        self.posture = Some(posture);
        self
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).expect("a frame report always serialises")
    }

    /// One line a person can read: who was found and where the head and
    /// shoulders are.
    pub fn summary(&self) -> String {
        let Some(pose) = self.landmarks else {
            return format!("{}  {}×{}  no person", self.file, self.width, self.height);
        };
        let at = |index: usize| {
            let point = pose.landmark(index);
            format!("({:.0}, {:.0})", point.x, point.y)
        };
        let visible = pose
            .landmarks
            .iter()
            .filter(|point| point.visibility >= 0.5)
            .count();
        format!(
            "{}  {}×{}  person (presence {:.2}, {} region), {visible}/33 landmarks visible\n  nose {}  ears L {} R {}  shoulders L {} R {}",
            self.file,
            self.width,
            self.height,
            pose.presence,
            pose.roi_source.as_str(),
            at(landmark::NOSE),
            at(landmark::LEFT_EAR),
            at(landmark::RIGHT_EAR),
            at(landmark::LEFT_SHOULDER),
            at(landmark::RIGHT_SHOULDER),
        )
    }
}

/// A frame that could not be analysed, as a JSON line.
#[derive(Debug, Serialize)]
pub struct FrameError<'a> {
    pub file: &'a str,
    pub error: String,
}

fn round(value: f32, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    (f64::from(value) * factor).round() / factor
}

#[derive(Serialize)]
struct LandmarkJson {
    x: f64,
    y: f64,
    z: f64,
    visibility: f64,
    presence: f64,
}

/// Landmarks as an object keyed by name, in BlazePose order; `{}` for no person.
fn serialize_landmarks<S: Serializer>(
    pose: &Option<&Pose>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let landmarks = pose.map(|p| &p.landmarks[..]).unwrap_or(&[]);
    let mut map = serializer.serialize_map(Some(landmarks.len()))?;
    for (name, point) in LANDMARK_NAMES.iter().zip(landmarks) {
        map.serialize_entry(
            name,
            &LandmarkJson {
                x: round(point.x, 2),
                y: round(point.y, 2),
                z: round(point.z, 2),
                visibility: round(point.visibility, 4),
                presence: round(point.presence, 4),
            },
        )?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{LANDMARK_COUNT, Landmark, Roi, RoiSource};

    fn pose() -> Pose {
        let mut landmarks = [Landmark {
            x: 0.0,
            y: 0.0,
            z: 0.0,
            visibility: 0.9,
            presence: 0.95,
        }; LANDMARK_COUNT];
        landmarks[0].x = 301.234_56;
        landmarks[0].y = 140.8;
        Pose {
            landmarks,
            presence: 0.987_66,
            roi_source: RoiSource::Detector,
            roi: Roi {
                center_x: 0.0,
                center_y: 0.0,
                side_px: 1.0,
                rotation_rad: 0.0,
            },
        }
    }

    #[test]
    fn json_has_the_documented_shape_with_names_in_model_order() {
        let pose = pose();
        let line = FrameReport::new("x.png", 640, 480, Some(&pose)).to_json_line();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["file"], "x.png");
        assert_eq!(value["width"], 640);
        assert_eq!(value["height"], 480);
        assert_eq!(value["person"], true);
        assert_eq!(value["presence"], 0.9877);
        assert_eq!(value["roi"], "detector");
        assert_eq!(value["landmarks"]["nose"]["x"], 301.23);
        assert_eq!(value["landmarks"]["nose"]["visibility"], 0.9);
        assert_eq!(value["landmarks"].as_object().unwrap().len(), 33);
        // Names in BlazePose order in the text itself.
        let nose = line.find("\"nose\"").unwrap();
        let foot = line.find("\"right_foot_index\"").unwrap();
        assert!(nose < foot);
        assert!(!line.contains('\n'));
    }

    #[test]
    fn no_person_is_explicit() {
        let line = FrameReport::new("empty.png", 1, 1, None).to_json_line();
        assert_eq!(
            line,
            r#"{"file":"empty.png","width":1,"height":1,"person":false,"presence":null,"roi":null,"landmarks":{}}"#
        );
    }

    #[test]
    fn summary_names_head_and_shoulders() {
        let pose = pose();
        let text = FrameReport::new("x.png", 640, 480, Some(&pose)).summary();
        assert!(
            text.contains("person (presence 0.99, detector region)"),
            "{text}"
        );
        assert!(text.contains("nose (301, 141)"), "{text}");
        assert!(
            FrameReport::new("x.png", 2, 2, None)
                .summary()
                .ends_with("no person")
        );
    }
}
