//! Scale-free measurements of head and shoulders from one pose.
//!
//! Everything in the front view is divided by the shoulder width (or the ear
//! span), so moving the chair closer or further does not change it. Only
//! landmarks the model sees well are used; hips never are (at a desk the model
//! invents them).

use serde::Serialize;

use crate::pose::{Landmark, Pose, landmark};

/// What measuring needs to know besides the landmarks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeasureSettings {
    /// Landmarks below this visibility are not used.
    pub min_visibility: f32,
    /// Horizontal field of view of the camera, degrees.
    pub camera_fov_deg: f32,
    /// Typical ear-to-ear breadth of an adult head, centimetres.
    pub head_breadth_cm: f32,
    /// Below this shoulder width / neck length the camera is beside the person.
    pub side_view_max_shoulder_ratio: f32,
    /// A face turned further than this from the camera, degrees: the camera is
    /// too far to the side for the front-view numbers to hold, so the frame is
    /// uncertain. The face mesh reads a camera 20° or 30° to the side as up to
    /// 29° or 38° (docs/posture.md) and the offsets there hold; at 45° (43–54°)
    /// they do not.
    pub max_face_yaw_deg: f32,
    /// A face turned further than this from where it faced at calibration,
    /// degrees, is uncertain too: turning about the neck swings the face back
    /// from the camera (about 1.3 cm at 30°), which would read as the head
    /// coming back.
    pub max_face_turn_deg: f32,
    /// The face pitched down this much from neutral, degrees, is looking down:
    /// its growth is then the nod (the face swings toward the camera about the
    /// neck), not the head coming forward.
    pub looking_down_pitch_deg: f32,
    /// The face tilted up this much from neutral, degrees, while forward...
    pub chin_poke_pitch_deg: f32,
    /// ...by at least this much, centimetres, is a chin poke.
    pub chin_poke_min_offset_cm: f32,
}

impl Default for MeasureSettings {
    fn default() -> Self {
        Self {
            min_visibility: 0.5,
            camera_fov_deg: 65.0,
            head_breadth_cm: 14.5,
            side_view_max_shoulder_ratio: 0.7,
            max_face_yaw_deg: 35.0,
            max_face_turn_deg: 25.0,
            looking_down_pitch_deg: 8.0,
            chin_poke_pitch_deg: 5.0,
            chin_poke_min_offset_cm: 1.5,
        }
    }
}

/// Measurements with the camera in front of the person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrontMetrics {
    pub shoulder_width_px: f32,
    pub ear_span_px: f32,
    /// Shoulder line up to the ear midpoint, over shoulder width.
    pub neck_height_ratio: f32,
    /// Shoulder line up to the chin estimate, over shoulder width.
    pub chin_height_ratio: f32,
    /// Ear span over shoulder width: grows when the head comes toward the camera.
    pub head_size_ratio: f32,
    /// Outer eye corner span over shoulder width: the same signal from the face.
    pub face_size_ratio: f32,
    /// Nose and mouth below the ear line, over ear span: grows when looking down.
    pub pitch_ratio: f32,
    /// Ear line angle, degrees, positive when the head tilts to the person's left.
    pub roll_deg: f32,
    /// Shoulder line angle, degrees, positive when the left shoulder is lower.
    pub shoulder_tilt_deg: f32,
    /// Camera-to-head distance estimated from the ear span, centimetres.
    pub head_distance_cm: f32,
}

/// Measurements with the camera beside the person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SideMetrics {
    /// Craniovertebral angle: horizontal through the shoulder (C7 proxy) to the
    /// line up to the ear, degrees. Smaller = head further forward.
    pub cva_deg: f32,
    /// Which side faces the camera.
    pub side: Side,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
}

/// Why a pose could not be measured. Never a guess instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UncertainReason {
    NoPerson,
    ShouldersOutOfFrame,
    FaceTurnedAway,
    HeadOutOfFrame,
    /// The face mesh sees the face turned well away from the camera (a
    /// three-quarter camera, or the person looking elsewhere): a head coming
    /// forward would not come toward the camera, so there is no front-view answer.
    CameraToTheSide,
    /// The body model sees the person in profile. Its shoulders there follow
    /// the head (on the rendered ground truth they came 2/3 of the way with
    /// a head pushed forward, whose true shoulders had not moved, and jumped
    /// 20 px between still frames), so the head cannot be placed against
    /// them, and the face mesh cannot read a face in profile.
    SideView,
    /// The face reads the head far behind where it was at calibration
    /// (more than [`MAX_BEHIND_NEUTRAL_CM`](super::head::MAX_BEHIND_NEUTRAL_CM))
    /// without looking down. No posture does that; a face too small in the
    /// picture for its size to be read does (forward heads of 5–7 cm read
    /// 12–19 cm back), and so does a neutral taken leaning far forward.
    ImplausibleOffset,
}

impl UncertainReason {
    const ALL: [UncertainReason; 7] = [
        UncertainReason::NoPerson,
        UncertainReason::ShouldersOutOfFrame,
        UncertainReason::FaceTurnedAway,
        UncertainReason::HeadOutOfFrame,
        UncertainReason::CameraToTheSide,
        UncertainReason::SideView,
        UncertainReason::ImplausibleOffset,
    ];

    /// The snake_case name, as in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            UncertainReason::NoPerson => "no_person",
            UncertainReason::ShouldersOutOfFrame => "shoulders_out_of_frame",
            UncertainReason::FaceTurnedAway => "face_turned_away",
            UncertainReason::HeadOutOfFrame => "head_out_of_frame",
            UncertainReason::CameraToTheSide => "camera_to_the_side",
            UncertainReason::SideView => "side_view",
            UncertainReason::ImplausibleOffset => "implausible_offset",
        }
    }

    /// The reason named by [`as_str`](Self::as_str).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    pub fn describe(self) -> &'static str {
        match self {
            UncertainReason::NoPerson => "nobody in view",
            UncertainReason::ShouldersOutOfFrame => "shoulders out of frame",
            UncertainReason::FaceTurnedAway => "face turned away",
            UncertainReason::HeadOutOfFrame => "head out of frame",
            UncertainReason::CameraToTheSide => {
                "the camera is to your side (your face is turned well away from it)"
            }
            UncertainReason::SideView => {
                "the camera sees you in profile, where your shoulders cannot be placed reliably; put it in front of you"
            }
            UncertainReason::ImplausibleOffset => {
                "your head reads far behind where it was at calibration, which no posture does: sit nearer the camera if your face is small in the picture, or calibrate again sitting upright"
            }
        }
    }
}

/// One frame's measurement: front view, side view, or why neither.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Metrics {
    Front(FrontMetrics),
    Side(SideMetrics),
    Uncertain(UncertainReason),
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    x: f32,
    y: f32,
}

impl Point {
    fn of(landmark: &Landmark) -> Self {
        Self {
            x: landmark.x,
            y: landmark.y,
        }
    }

    fn mid(a: Point, b: Point) -> Self {
        Self {
            x: (a.x + b.x) / 2.0,
            y: (a.y + b.y) / 2.0,
        }
    }

    fn distance(self, other: Point) -> f32 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// How far below the mouth the chin sits, as a fraction of eye-to-mouth distance.
const CHIN_BELOW_MOUTH: f32 = 0.65;

fn in_frame(point: &Landmark, width_px: u32, height_px: u32) -> bool {
    point.x >= 0.0 && point.y >= 0.0 && point.x < width_px as f32 && point.y < height_px as f32
}

/// Measures one pose. `pose` is `None` when nobody is in view.
pub fn measure(
    pose: Option<&Pose>,
    width_px: u32,
    height_px: u32,
    settings: &MeasureSettings,
) -> Metrics {
    let Some(pose) = pose else {
        return Metrics::Uncertain(UncertainReason::NoPerson);
    };
    let seen = |index: usize| {
        let point = pose.landmark(index);
        point.visibility >= settings.min_visibility && in_frame(point, width_px, height_px)
    };
    let (left_shoulder_seen, right_shoulder_seen) = (
        seen(landmark::LEFT_SHOULDER),
        seen(landmark::RIGHT_SHOULDER),
    );
    let (left_ear_seen, right_ear_seen) = (seen(landmark::LEFT_EAR), seen(landmark::RIGHT_EAR));
    let at = |index: usize| Point::of(pose.landmark(index));

    if !left_shoulder_seen && !right_shoulder_seen {
        return Metrics::Uncertain(UncertainReason::ShouldersOutOfFrame);
    }
    if !left_ear_seen && !right_ear_seen {
        return Metrics::Uncertain(if seen(landmark::NOSE) {
            UncertainReason::FaceTurnedAway
        } else {
            UncertainReason::HeadOutOfFrame
        });
    }

    // Side view: the shoulders overlap (narrow compared with the neck) or only
    // one ear and shoulder are seen.
    let side_candidate = |ear: usize, shoulder: usize, side: Side| {
        (seen(ear) && seen(shoulder))
            .then(|| (at(ear), at(shoulder), side, pose.landmark(ear).visibility))
    };
    let both_shoulders = left_shoulder_seen && right_shoulder_seen;
    let both_ears = left_ear_seen && right_ear_seen;
    let neck_length_px = {
        let ear = if left_ear_seen {
            at(landmark::LEFT_EAR)
        } else {
            at(landmark::RIGHT_EAR)
        };
        let shoulder = if left_shoulder_seen {
            at(landmark::LEFT_SHOULDER)
        } else {
            at(landmark::RIGHT_SHOULDER)
        };
        (shoulder.y - ear.y).abs().max(1.0)
    };
    let shoulder_width_px = at(landmark::LEFT_SHOULDER).distance(at(landmark::RIGHT_SHOULDER));
    let looks_sideways = !both_shoulders
        || !both_ears
        || shoulder_width_px < settings.side_view_max_shoulder_ratio * neck_length_px;
    if looks_sideways {
        let candidates = [
            side_candidate(landmark::LEFT_EAR, landmark::LEFT_SHOULDER, Side::Left),
            side_candidate(landmark::RIGHT_EAR, landmark::RIGHT_SHOULDER, Side::Right),
        ];
        let Some((ear, shoulder, side, _)) = candidates
            .into_iter()
            .flatten()
            .max_by(|a, b| a.3.total_cmp(&b.3))
        else {
            return Metrics::Uncertain(if both_shoulders {
                UncertainReason::FaceTurnedAway
            } else {
                UncertainReason::ShouldersOutOfFrame
            });
        };
        return Metrics::Side(SideMetrics {
            cva_deg: craniovertebral_angle_deg(ear.into(), shoulder.into()),
            side,
        });
    }

    let needed_face = [landmark::NOSE, landmark::MOUTH_LEFT, landmark::MOUTH_RIGHT];
    if !needed_face.iter().all(|&index| seen(index)) {
        return Metrics::Uncertain(UncertainReason::FaceTurnedAway);
    }
    let (left_ear, right_ear) = (at(landmark::LEFT_EAR), at(landmark::RIGHT_EAR));
    let (left_shoulder, right_shoulder) =
        (at(landmark::LEFT_SHOULDER), at(landmark::RIGHT_SHOULDER));
    let ear_mid = Point::mid(left_ear, right_ear);
    let shoulder_mid = Point::mid(left_shoulder, right_shoulder);
    let mouth_mid = Point::mid(at(landmark::MOUTH_LEFT), at(landmark::MOUTH_RIGHT));
    let eye_mid = Point::mid(at(landmark::LEFT_EYE), at(landmark::RIGHT_EYE));
    let nose = at(landmark::NOSE);
    let chin = Point {
        x: mouth_mid.x + CHIN_BELOW_MOUTH * (mouth_mid.x - eye_mid.x),
        y: mouth_mid.y + CHIN_BELOW_MOUTH * (mouth_mid.y - eye_mid.y),
    };
    let ear_span_px = left_ear.distance(right_ear).max(1.0);
    let face_span_px = at(landmark::LEFT_EYE_OUTER).distance(at(landmark::RIGHT_EYE_OUTER));
    let focal_px = focal_length_px(width_px, settings.camera_fov_deg);
    Metrics::Front(FrontMetrics {
        shoulder_width_px,
        ear_span_px,
        neck_height_ratio: (shoulder_mid.y - ear_mid.y) / shoulder_width_px,
        chin_height_ratio: (shoulder_mid.y - chin.y) / shoulder_width_px,
        head_size_ratio: ear_span_px / shoulder_width_px,
        face_size_ratio: face_span_px / shoulder_width_px,
        pitch_ratio: ((nose.y + mouth_mid.y) / 2.0 - ear_mid.y) / ear_span_px,
        roll_deg: line_angle_deg(right_ear, left_ear),
        shoulder_tilt_deg: line_angle_deg(right_shoulder, left_shoulder),
        head_distance_cm: focal_px * settings.head_breadth_cm / ear_span_px,
    })
}

/// The pinhole focal length in pixels of a camera whose frames are `width_px`
/// wide over a horizontal field of view of `fov_deg`: what turns a size in
/// centimetres and a size in pixels into a distance.
pub fn focal_length_px(width_px: u32, fov_deg: f32) -> f32 {
    width_px as f32 / 2.0 / (fov_deg.to_radians() / 2.0).tan()
}

/// Angle of the line from the person's right point to their left one against
/// the horizontal, degrees; positive when the left end is lower.
fn line_angle_deg(right: Point, left: Point) -> f32 {
    let dx = (left.x - right.x).abs().max(f32::EPSILON);
    (left.y - right.y).atan2(dx).to_degrees()
}

/// Craniovertebral angle from the ear (tragus) and the shoulder (C7 proxy).
pub fn craniovertebral_angle_deg(ear: (f32, f32), shoulder: (f32, f32)) -> f32 {
    let rise = shoulder.1 - ear.1;
    let run = (ear.0 - shoulder.0).abs();
    rise.atan2(run).to_degrees()
}

impl From<Point> for (f32, f32) {
    fn from(point: Point) -> Self {
        (point.x, point.y)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::pose::{LANDMARK_COUNT, Roi, RoiSource};

    /// A frontal pose built from a few named points (pixels); the rest unseen.
    pub fn front_pose(points: &[(usize, f32, f32)]) -> Pose {
        let mut landmarks = [Landmark {
            x: 0.0,
            y: 0.0,
            z: 0.0,
            visibility: 0.0,
            presence: 0.0,
        }; LANDMARK_COUNT];
        for &(index, x, y) in points {
            landmarks[index] = Landmark {
                x,
                y,
                z: 0.0,
                visibility: 0.99,
                presence: 0.99,
            };
        }
        Pose {
            landmarks,
            presence: 0.99,
            roi_source: RoiSource::Tracking,
            roi: Roi {
                center_x: 320.0,
                center_y: 600.0,
                side_px: 1500.0,
                rotation_rad: 0.0,
            },
        }
    }

    /// A person at the desk: shoulders 200 px apart, ears 90 px apart.
    pub fn upright() -> Vec<(usize, f32, f32)> {
        vec![
            (landmark::NOSE, 320.0, 170.0),
            (landmark::LEFT_EYE, 340.0, 150.0),
            (landmark::RIGHT_EYE, 300.0, 150.0),
            (landmark::LEFT_EYE_OUTER, 350.0, 150.0),
            (landmark::RIGHT_EYE_OUTER, 290.0, 150.0),
            (landmark::LEFT_EAR, 365.0, 160.0),
            (landmark::RIGHT_EAR, 275.0, 160.0),
            (landmark::MOUTH_LEFT, 332.0, 190.0),
            (landmark::MOUTH_RIGHT, 308.0, 190.0),
            (landmark::LEFT_SHOULDER, 420.0, 290.0),
            (landmark::RIGHT_SHOULDER, 220.0, 290.0),
        ]
    }

    fn front(points: &[(usize, f32, f32)]) -> FrontMetrics {
        match measure(
            Some(&front_pose(points)),
            640,
            480,
            &MeasureSettings::default(),
        ) {
            Metrics::Front(front) => front,
            other => panic!("expected a front view, got {other:?}"),
        }
    }

    #[test]
    fn front_view_ratios_are_divided_by_shoulder_width() {
        let m = front(&upright());
        assert_eq!(m.shoulder_width_px, 200.0);
        assert_eq!(m.ear_span_px, 90.0);
        assert!((m.head_size_ratio - 0.45).abs() < 1e-6);
        assert!((m.face_size_ratio - 0.30).abs() < 1e-6);
        assert!((m.neck_height_ratio - 0.65).abs() < 1e-6);
        // Chin: mouth 40 px below the eyes, chin 26 px below the mouth (y 216).
        assert!((m.chin_height_ratio - 74.0 / 200.0).abs() < 1e-5);
        // Nose and mouth average 180, ears at 160: 20 / 90.
        assert!((m.pitch_ratio - 20.0 / 90.0).abs() < 1e-6);
        assert_eq!(m.roll_deg, 0.0);
        assert_eq!(m.shoulder_tilt_deg, 0.0);
        // 640 px wide at 65°: focal 502.3 px; 14.5 cm over 90 px -> 80.9 cm.
        assert!(
            (m.head_distance_cm - 80.93).abs() < 0.05,
            "{}",
            m.head_distance_cm
        );
    }

    #[test]
    fn moving_the_chair_back_changes_no_ratio() {
        let near = front(&upright());
        let far_points: Vec<_> = upright()
            .iter()
            .map(|&(i, x, y)| (i, 320.0 + (x - 320.0) * 0.5, 240.0 + (y - 240.0) * 0.5))
            .collect();
        let far = front(&far_points);
        assert!((near.head_size_ratio - far.head_size_ratio).abs() < 1e-6);
        assert!((near.neck_height_ratio - far.neck_height_ratio).abs() < 1e-6);
        assert!((near.pitch_ratio - far.pitch_ratio).abs() < 1e-6);
        assert!((far.head_distance_cm - 2.0 * near.head_distance_cm).abs() < 0.01);
    }

    #[test]
    fn roll_and_shoulder_tilt_in_degrees() {
        let mut points = upright();
        for point in points.iter_mut() {
            if point.0 == landmark::LEFT_EAR {
                point.2 += 90.0; // left ear 90 px lower over a 90 px span: 45°
            }
            if point.0 == landmark::LEFT_SHOULDER {
                point.2 -= 200.0 * (10f32).to_radians().tan();
            }
        }
        let m = front(&points);
        assert!((m.roll_deg - 45.0).abs() < 1e-4, "{}", m.roll_deg);
        assert!(
            (m.shoulder_tilt_deg + 10.0).abs() < 1e-3,
            "{}",
            m.shoulder_tilt_deg
        );
    }

    #[test]
    fn unseen_landmarks_make_the_result_uncertain_with_a_reason() {
        let settings = MeasureSettings::default();
        let measured = |points: Vec<(usize, f32, f32)>| {
            measure(Some(&front_pose(&points)), 640, 480, &settings)
        };
        let without = |drop: &[usize]| {
            upright()
                .into_iter()
                .filter(|p| !drop.contains(&p.0))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            measured(without(&[
                landmark::LEFT_SHOULDER,
                landmark::RIGHT_SHOULDER
            ])),
            Metrics::Uncertain(UncertainReason::ShouldersOutOfFrame)
        );
        assert_eq!(
            measured(without(&[landmark::LEFT_EAR, landmark::RIGHT_EAR])),
            Metrics::Uncertain(UncertainReason::FaceTurnedAway)
        );
        assert_eq!(
            measured(without(&[
                landmark::LEFT_EAR,
                landmark::RIGHT_EAR,
                landmark::NOSE
            ])),
            Metrics::Uncertain(UncertainReason::HeadOutOfFrame)
        );
        assert_eq!(
            measure(None, 640, 480, &settings),
            Metrics::Uncertain(UncertainReason::NoPerson)
        );
        // Shoulders below the bottom edge are guessed by the model: not used.
        let mut low = upright();
        for point in low
            .iter_mut()
            .filter(|p| p.0 == landmark::LEFT_SHOULDER || p.0 == landmark::RIGHT_SHOULDER)
        {
            point.2 = 500.0;
        }
        assert_eq!(
            measured(low),
            Metrics::Uncertain(UncertainReason::ShouldersOutOfFrame)
        );
    }

    #[test]
    fn side_view_is_detected_and_gives_the_craniovertebral_angle() {
        // Camera at the person's left: shoulders overlap, ear 60 px up and 40 px ahead.
        let points = vec![
            (landmark::NOSE, 380.0, 170.0),
            (landmark::LEFT_EAR, 340.0, 180.0),
            (landmark::LEFT_SHOULDER, 300.0, 240.0),
            (landmark::RIGHT_SHOULDER, 290.0, 238.0),
        ];
        match measure(
            Some(&front_pose(&points)),
            640,
            480,
            &MeasureSettings::default(),
        ) {
            Metrics::Side(side) => {
                assert_eq!(side.side, Side::Left);
                assert!((side.cva_deg - (60f32).atan2(40.0).to_degrees()).abs() < 1e-4);
            }
            other => panic!("expected a side view, got {other:?}"),
        }
    }

    #[test]
    fn craniovertebral_angle_of_known_triangles() {
        assert!((craniovertebral_angle_deg((10.0, 0.0), (0.0, 10.0)) - 45.0).abs() < 1e-5);
        assert!((craniovertebral_angle_deg((0.0, 0.0), (0.0, 10.0)) - 90.0).abs() < 1e-5);
        // Head far forward: ear 30 px ahead, 17.3 px up: 30°.
        assert!((craniovertebral_angle_deg((30.0, 0.0), (0.0, 17.320_51)) - 30.0).abs() < 1e-3);
    }
}
