//! The head from the face mesh, the shoulders from the body model (front view).
//!
//! The body model's ears are too coarse a ruler for the head (issue 9: their
//! span follows a forward head with correlation 0.37), while the face mesh's
//! rigid fit gives the face's apparent size to a fraction of a percent and its
//! pitch, yaw and roll in degrees. The shoulders still come from the body
//! model: the face cannot see them, and they stay put when only the head comes
//! forward. So a head coming toward the camera grows against the shoulders, and
//! the whole person leaning in grows both and leaves their ratio alone.
//!
//! All pure: face and shoulder values in, numbers out, tested with plain numbers.

use serde::{Deserialize, Serialize};

use super::measure::{MeasureSettings, focal_length_px};
use crate::pose::facemesh::HeadPose;
use crate::pose::facemesh::head::POSE_FIT_VERSION;

/// Faces the mesh fits worse than this (RMS distance to the fitted canonical
/// face, canonical centimetres) are not a head the numbers can trust: real
/// faces fit within about 0.5 cm, meshes the model invents far worse.
pub const MAX_FIT_ERROR_CM: f32 = 1.5;
/// Below this confidence the face stage has already dropped the face; kept
/// here so a face given from elsewhere is held to the same bar.
pub const MIN_FACE_CONFIDENCE: f32 = 0.5;

/// One frame's head as the face mesh sees it, against the body's shoulders.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeadMetrics {
    /// The face's apparent size: image pixels per centimetre of MediaPipe's
    /// canonical (average adult) face.
    pub face_scale_px_per_cm: f32,
    /// The shoulder width the head is compared with, pixels (the body model's,
    /// steadied over a few seconds by the caller: shoulders move slowly).
    pub shoulder_width_px: f32,
    /// Face scale over shoulder width (1/cm): grows when the head comes toward
    /// the camera while the shoulders stay, not when the whole person leans in.
    pub head_over_shoulders_per_cm: f32,
    /// The shoulder line's slope in the picture, degrees (the body model's,
    /// steadied like the width): against neutral, with the shoulders
    /// narrower, it tells a turned torso from one further back
    /// ([`torso_turn_share`]).
    pub shoulder_tilt_deg: f32,
    /// Camera to face, centimetres, by the pinhole model: the focal length in
    /// pixels (from the camera's field of view) over the face scale. Exact for
    /// an average-sized face; a face 10 % larger than average reads 10 % nearer.
    pub camera_distance_cm: f32,
    /// Nodding, degrees: positive when the face turns down, against the
    /// camera's optical axis. The rigid fit gives the pitch against the line of
    /// sight to the face; a face below the image centre is seen from above and
    /// reads as pitched down by the angle of that line (`atan(dy / focal)`),
    /// which is taken out here. On the rendered ground truth a head coming 7 cm
    /// forward moves 5–11° down the picture and read as up to 10° of nodding
    /// before this, within about 2° of level after. Absolute values are against
    /// MediaPipe's canonical face (about 9° for a level face at the image centre) and include
    /// the camera's height: compare with the calibrated neutral.
    pub pitch_deg: f32,
    /// Turning, degrees: positive toward the image's right.
    pub yaw_deg: f32,
    /// Tilting, degrees: positive clockwise on screen.
    pub roll_deg: f32,
    /// The face's centre below the middle of the picture, centimetres of the
    /// canonical face (image pixels over `face_scale_px_per_cm`): with the
    /// face's distance, where it is across the camera's axis, and so the line
    /// of sight's angle that `pitch_deg` has taken out.
    pub face_below_axis_cm: f32,
    /// The face stage's confidence that a face is there.
    pub confidence: f32,
}

/// The shoulder line as the body model saw it (steadied by [`ShoulderTrack`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shoulders {
    pub width_px: f32,
    /// The line's slope in the picture, degrees.
    pub tilt_deg: f32,
}

/// Measures the head from the face's rigid fit, where the face is in the
/// picture (`centre_px`, see [`face_centre_px`]) and the shoulders in a frame
/// of `frame_px` (width, height). `None` when the face is
/// not trustworthy (low confidence, a poor fit) or there are no shoulders to
/// compare it with: the caller then falls back to the body model alone.
pub fn measure_head(
    head: &HeadPose,
    confidence: f32,
    centre_px: (f32, f32),
    shoulders: Shoulders,
    frame_px: (u32, u32),
    settings: &MeasureSettings,
) -> Option<HeadMetrics> {
    let shoulder_width_px = shoulders.width_px;
    let usable = confidence >= MIN_FACE_CONFIDENCE
        && head.rms_error_cm <= MAX_FIT_ERROR_CM
        && head.scale_px_per_cm.is_finite()
        && head.scale_px_per_cm > 0.0
        && shoulder_width_px.is_finite()
        && shoulder_width_px >= 1.0;
    if !usable {
        return None;
    }
    let focal_px = focal_length_px(frame_px.0, settings.camera_fov_deg);
    let below_centre_px = centre_px.1 - frame_px.1 as f32 / 2.0;
    let line_of_sight_deg = below_centre_px.atan2(focal_px).to_degrees();
    Some(HeadMetrics {
        face_scale_px_per_cm: head.scale_px_per_cm,
        shoulder_width_px,
        head_over_shoulders_per_cm: head.scale_px_per_cm / shoulder_width_px,
        shoulder_tilt_deg: shoulders.tilt_deg,
        camera_distance_cm: focal_px / head.scale_px_per_cm,
        pitch_deg: head.pitch_deg - line_of_sight_deg,
        yaw_deg: head.yaw_deg,
        roll_deg: head.roll_deg,
        face_below_axis_cm: below_centre_px / head.scale_px_per_cm,
        confidence,
    })
}

/// Where a face is in the picture: the mean of its mesh points (x, y), pixels.
pub fn face_centre_px(points: &[[f32; 3]]) -> (f32, f32) {
    let n = points.len().max(1) as f32;
    let (x, y) = points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
    (x / n, y / n)
}

/// The neutral head, from the face meshes of the calibration window (medians).
/// Only scalars: the canonical-face scale follows the mesh's own similarity
/// scale against a neutral mesh to 0.2 % on the replay sequences, so the 468
/// points need not be kept.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaceBaseline {
    pub face_scale_px_per_cm: f32,
    /// The body model's shoulder width over the same window, pixels.
    pub shoulder_width_px: f32,
    /// How far the face was from the camera while calibrating, centimetres:
    /// from the fitted canonical face (see [`HeadMetrics::camera_distance_cm`]),
    /// or as the user measured it ([`FaceBaseline::with_measured_distance`]).
    /// The forward offset in cm is in proportion to it.
    pub camera_distance_cm: f32,
    /// Whether `camera_distance_cm` is the user's own measurement rather than
    /// the estimate from an average face and `[camera] fov_deg`.
    #[serde(default)]
    pub distance_measured: bool,
    pub pitch_deg: f32,
    pub yaw_deg: f32,
    /// The head-pose fit that measured the angles and the distance
    /// ([`POSE_FIT_VERSION`]); profiles saved before it was stored say 1.
    #[serde(default = "first_pose_fit")]
    pub pose_fit: u32,
    /// [`HeadMetrics::face_below_axis_cm`] at neutral: where the face was, and
    /// with `pitch_deg` where the camera is above or below the level head (see
    /// [`CameraView`]). `None` in profiles saved before it was kept
    /// (2026-12-05): the offset is then taken along the line of sight, as it was.
    #[serde(default)]
    pub face_below_axis_cm: Option<f32>,
    /// The shoulder line's slope in the picture at neutral, degrees (median
    /// over the window): what [`torso_turn_share`] compares a frame's with.
    /// `None` in profiles saved before 2026-12-06, which then count every
    /// narrowing as the shoulders going back, as they did.
    #[serde(default)]
    pub shoulder_tilt_deg: Option<f32>,
}

fn first_pose_fit() -> u32 {
    1
}

/// The distances `calibrate --distance-cm` accepts, centimetres: a face
/// nearer than 20 cm fills the picture, and beyond 3 m it is too small to read.
pub const MEASURED_DISTANCE_RANGE_CM: std::ops::RangeInclusive<f32> = 20.0..=300.0;

impl FaceBaseline {
    /// This neutral with the camera-to-face distance the user measured. The
    /// estimate assumes an average face and the configured field of view;
    /// a lens wider or narrower than configured, or a face larger or smaller
    /// than average, scales every forward offset by the same factor (on the
    /// renders, a 78° lens taken for 65° read 3–7 cm forward heads 20–70 %
    /// too far). A measured distance takes both out, because the offset is
    /// the distance times the face's relative growth. `None` outside
    /// [`MEASURED_DISTANCE_RANGE_CM`] or not finite.
    pub fn with_measured_distance(self, distance_cm: f32) -> Option<Self> {
        MEASURED_DISTANCE_RANGE_CM
            .contains(&distance_cm)
            .then_some(Self {
                camera_distance_cm: distance_cm,
                distance_measured: true,
                ..self
            })
    }

    /// Whether this neutral was measured by today's head-pose fit: one from an
    /// older fit reads the same head degrees apart, so it is not used.
    pub fn is_current(&self) -> bool {
        self.pose_fit == POSE_FIT_VERSION
    }

    /// The share of its distance from the camera at which the face would
    /// hold [`MIN_FACE_PX_PER_CM`], when it holds fewer: its size in the
    /// picture is inversely proportional to its distance. A share, not
    /// centimetres, because an estimated distance is off by as much as the
    /// lens is from `[camera] fov_deg` while the share is not. `None` when the
    /// face is large enough already.
    pub fn distance_share_for_enough_pixels(&self) -> Option<f32> {
        (self.face_scale_px_per_cm < MIN_FACE_PX_PER_CM)
            .then(|| self.face_scale_px_per_cm / MIN_FACE_PX_PER_CM)
    }
}

/// Below this many pixels per centimetre of face at calibration, the face
/// mesh's size is too coarse a ruler for a few centimetres of forward head.
/// Measured on the main set's front and laptop renders shrunk in the picture
/// (as a farther face or a wider lens shows it) to 3.1–9 px/cm, the distance
/// given: at 6 px/cm or more 59 of 60 forward heads of 3 cm or more were
/// flagged (median error 0.51 cm), below it 112 of 132 (0.83 cm), some of
/// them called good (docs/posture.md, "How many pixels the face needs"). At
/// 640×480 through a 65° lens that is a face about 84 cm away.
pub const MIN_FACE_PX_PER_CM: f32 = 6.0;

/// A face read more than this far behind its neutral, not looking down, is
/// a misreading, not a posture: pulling the chin in moves the head back
/// 2–4 cm. On the rendered ground truth as rendered no such frame read
/// further back than 2.7 cm (rounded shoulders, truly 3 cm back); shrunk to
/// under 4 px/cm of face, forward heads of 5–7 cm and a chin poke read
/// 12.8–19 cm back and were called good (docs/posture.md, "How many pixels
/// the face needs"). Such a frame is uncertain instead.
pub const MAX_BEHIND_NEUTRAL_CM: f32 = 8.0;

/// Shoulder narrowing within this fraction of the neutral is not counted:
/// on the replay sequences, whose shoulders never move, BlazePose lite's
/// width (steadied over 5 s) still wanders by 3–5 % for seconds at a time,
/// and on the renders a torso turned 20° with the face still on the screen
/// narrowed its shoulders by 1.5–3.7 % (the joints' projection: 5.5 %; the
/// body model partly sees the turn). Counted, either reads as forward head.
pub const SHOULDER_NARROWING_ALLOWANCE: f32 = 0.04;

/// From this narrowing on it counts whole: sitting back 8° from the hips
/// narrowed the rendered shoulders by 6–11 % (see [`shoulder_growth`]).
pub const SHOULDER_NARROWING_COUNTED_WHOLE: f32 = 0.06;

/// Shoulder widening within this fraction is not counted either: besides the
/// wander, the body model widens the shoulders by up to 4 % when the head
/// alone comes forward (the rendered forward heads, single frames), and
/// counting that would take it off the head's move. From
/// [`SHOULDER_WIDENING_COUNTED_WHOLE`] on, the widening counts whole. The price: leaning in by less than this (about
/// 3 cm at 70 cm) reads as that much forward head, at the default 1.75 cm
/// alert threshold, so such a lean held for the hold time can alert
/// (docs/posture.md says so).
pub const SHOULDER_WIDENING_ALLOWANCE: f32 = 0.04;

/// From this widening on it counts whole: an 8° lean from the hips widened
/// the rendered shoulders by 6–15 % in the body model (see [`shoulder_growth`]).
pub const SHOULDER_WIDENING_COUNTED_WHOLE: f32 = 0.08;

/// A change in the shoulder line's slope since neutral up to this, degrees,
/// says nothing about a turn: sitting back 8° in the chair, with or without
/// the head pushed out, changed it by up to 1.2° on the renders read as a
/// still camera (`fixtures/groundtruth/trunk`). The margin is thin: a
/// slouch whose line tilts more loses part of its shoulders' move.
pub const TORSO_TURN_TILT_FROM_DEG: f32 = 1.3;

/// From this change in the shoulder line's slope on, a narrowing of the
/// shoulders is taken as all turn, degrees: a torso turned 30° from a face
/// still on the screen tilted the line by 1.6–5.1° at a monitor's camera and
/// 0.7–3.5° at a laptop's (`fixtures/groundtruth/combined`, a still camera),
/// 20° by 1.3–3.9° and 0.3–2.8°. The tilt grows with the tangent of the
/// turn and with how far above or below the camera's axis the shoulders are
/// seen, so a laptop's camera, nearer their height, sees less of it.
pub const TORSO_TURN_TILT_WHOLE_DEG: f32 = 2.3;

/// How much of the shoulders' narrowing is the torso turning rather than
/// going back, 0 to 1, from how far the shoulder line's slope in the picture
/// changed since neutral (`tilt_change_deg`, either way).
///
/// Why: a torso that turns with the face still on the screen narrows the
/// shoulders in the picture as much as sitting back 8° does (by 3–11 % on the
/// renders), but it leaves them as far from the camera as they were; counted
/// as going back, a 30° turn read as 2–10 cm of forward head (11 of 14
/// renders alerted). A turn brings one shoulder nearer and takes the other
/// away, and seen from above or below the nearer one moves up or down the
/// picture: the line tilts. Going back tilts nothing. Between
/// [`TORSO_TURN_TILT_FROM_DEG`] and [`TORSO_TURN_TILT_WHOLE_DEG`] the share
/// rises linearly, so jitter in the slope moves a reading a little, never
/// across a cliff.
/// Limits: a camera whose axis happens to meet the shoulders at the angle
/// where the two effects cancel sees a turn without a tilt; shoulders tilted
/// on purpose while sitting back (leaning on one armrest) read as a turn, and
/// the head's offset then reads that much lower.
pub fn torso_turn_share(tilt_change_deg: f32) -> f32 {
    let size = tilt_change_deg.abs();
    if !size.is_finite() {
        return 0.0;
    }
    ((size - TORSO_TURN_TILT_FROM_DEG) / (TORSO_TURN_TILT_WHOLE_DEG - TORSO_TURN_TILT_FROM_DEG))
        .clamp(0.0, 1.0)
}

/// The shoulders' growth ([`shoulder_growth`]) with the part of a narrowing
/// that is a turn (`turn_share`, [`torso_turn_share`]) taken out: a turned
/// torso's shoulders stay as far from the camera. A widening is kept whole
/// (a turn only narrows).
pub fn shoulder_growth_without_turn(growth: f32, turn_share: f32) -> f32 {
    if growth >= 1.0 {
        return growth;
    }
    1.0 - (1.0 - growth) * (1.0 - turn_share.clamp(0.0, 1.0))
}

/// The shoulders' growth against neutral with the body model's wander taken
/// out: a change within its allowance ([`SHOULDER_NARROWING_ALLOWANCE`],
/// [`SHOULDER_WIDENING_ALLOWANCE`]) does not count, one past the point where
/// it counts whole ([`SHOULDER_NARROWING_COUNTED_WHOLE`],
/// [`SHOULDER_WIDENING_COUNTED_WHOLE`]) counts whole, and between the two the counted part rises
/// linearly. Counting whole past the wander is what lets the shoulders' own
/// move come off the face's: until 2026-12-06 a 3 % allowance was subtracted
/// from every change, and on the renders a lean toward the screen of 8° from
/// the hips read as 4–6 cm of forward head (`fixtures/groundtruth/lean`),
/// and sliding back 8° in the chair with the head pushed out toward the
/// screen, a forward head of 3.3–3.9 cm, read as −3.1 to +2.3 cm
/// (`fixtures/groundtruth/trunk`).
pub fn shoulder_growth(shoulder_width_px: f32, neutral_px: f32) -> f32 {
    let change = shoulder_width_px / neutral_px - 1.0;
    let (allowance, whole) = if change < 0.0 {
        (
            SHOULDER_NARROWING_ALLOWANCE,
            SHOULDER_NARROWING_COUNTED_WHOLE,
        )
    } else {
        (SHOULDER_WIDENING_ALLOWANCE, SHOULDER_WIDENING_COUNTED_WHOLE)
    };
    let size = change.abs();
    let counted = size
        .min(whole / (whole - allowance) * (size - allowance))
        .max(0.0);
    1.0 + counted.copysign(change)
}

/// Where the shoulder joints sit from the face's centre, along the level
/// (behind it) and the vertical (below it), centimetres: they set how much
/// further from the camera the shoulders are than the face, and so how many
/// centimetres their growth stands for. From the rendered people's neutral
/// skeletons (`fixtures/groundtruth`, 7 people: 13–19 cm deeper than the
/// eyes at a camera level with them, 4–7 cm at a laptop's 23 cm below).
pub const SHOULDERS_BEHIND_FACE_CM: f32 = 13.0;
/// See [`SHOULDERS_BEHIND_FACE_CM`].
pub const SHOULDERS_BELOW_FACE_CM: f32 = 25.0;

/// How the camera's axis meets the shoulders, against the face: they sit
/// [`SHOULDERS_BEHIND_FACE_CM`] behind and [`SHOULDERS_BELOW_FACE_CM`] below
/// it, so they are further along the axis, less so for a camera that looks
/// up at the person (a laptop's), more for one that looks down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShoulderView {
    /// How much further from the camera, along its axis, than the face, cm.
    pub deeper_cm: f32,
    /// The camera's axis above the level, degrees (looking up: positive).
    pub axis_up_deg: f32,
}

impl ShoulderView {
    /// From the camera's view of the neutral face; `None` (a profile from
    /// before the face's place was kept) takes a level camera.
    pub fn of(view: Option<&CameraView>) -> Self {
        let axis_up_deg = view.map_or(0.0, CameraView::axis_up_deg);
        let (sin, cos) = axis_up_deg.to_radians().sin_cos();
        Self {
            deeper_cm: SHOULDERS_BEHIND_FACE_CM * cos - SHOULDERS_BELOW_FACE_CM * sin,
            axis_up_deg,
        }
    }

    /// How far the shoulders came toward the camera along the level, cm, when
    /// their picture grew by `growth` and the face was `face_distance_cm`
    /// away at neutral. Their width lies across the camera's axis, so its
    /// pixels are inversely proportional to their depth along the axis
    /// exactly; a level move changes that depth by the cosine of the axis's
    /// tilt (a body leaning in moves them mostly level).
    pub fn level_move_cm(&self, face_distance_cm: f32, growth: f32) -> f32 {
        nearer_cm(face_distance_cm + self.deeper_cm, growth) / self.axis_up_deg.to_radians().cos()
    }
}

/// Centimetres something `distance_cm` from the camera came nearer when its
/// picture grew by `growth` (pinhole: size is inversely proportional to
/// distance).
pub fn nearer_cm(distance_cm: f32, growth: f32) -> f32 {
    distance_cm * (1.0 - 1.0 / growth)
}

/// What the rigid fit reads as the pitch of a level head against the line of
/// sight (`pitch_deg` with the line's angle put back), with the camera level
/// with it, degrees: MediaPipe's canonical face
/// is not level with the eyes' line. The neutral renders of 11 people at 6
/// cameras read 6.2° on average past the camera's true elevation (per person
/// −1.6° to 11.9°, the same person within 3° at every camera: faces differ).
pub const LEVEL_FACE_PITCH_TO_SIGHT_LINE_DEG: f32 = 6.0;

/// The head's move along the level (the person's forward line), centimetres,
/// from its move toward the camera and its drop, with the camera
/// `camera_elevation_deg` above the level head (negative: below, as a
/// laptop's). A camera above sees the head come forward and down as less
/// approach than it is, and one below as more (the head comes down toward
/// it): with the line of sight at angle φ to the level, the approach is
/// `f·cos φ − drop·sin φ` and the face moves down the picture by
/// `f·sin φ + drop·cos φ`, so `f = toward·cos φ + down·sin φ`, where `down` is
/// how far the face moved down across the line of sight ([`CameraView::drop_cm`]).
pub fn level_forward_cm(toward_camera_cm: f32, down_cm: f32, camera_elevation_deg: f32) -> f32 {
    let (sin, cos) = camera_elevation_deg.to_radians().sin_cos();
    toward_camera_cm * cos + down_cm * sin
}

/// Where the camera was, seen from the neutral face: the line of sight to it
/// and the camera's height against the level head. Both come from the
/// neutral alone; [`CameraView::drop_cm`] reads a frame against them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraView {
    /// The line of sight at neutral, below the camera's axis, radians.
    sight_rad: f32,
    /// Canonical centimetres at the face to the neutral distance's units: the
    /// neutral distance over the one the fit itself gave then.
    units: f32,
    below_cm: f32,
    /// The camera above the level head, degrees (negative: below).
    pub elevation_deg: f32,
}

impl CameraView {
    /// The view from `base`, with `focal_px` the focal length the frames are
    /// measured with (any frame's fit distance times its scale). `None` for a
    /// profile from before the face's place was kept, or numbers that are not
    /// finite.
    pub fn of(base: &FaceBaseline, focal_px: f32) -> Option<Self> {
        let below_cm = base.face_below_axis_cm?;
        let fitted_distance_cm = focal_px / base.face_scale_px_per_cm;
        let sight_rad = below_cm.atan2(fitted_distance_cm);
        let view = Self {
            sight_rad,
            units: base.camera_distance_cm / fitted_distance_cm,
            below_cm,
            // `pitch_deg` is against the camera's axis; against the line of
            // sight it is that plus the line's angle.
            elevation_deg: base.pitch_deg + sight_rad.to_degrees()
                - LEVEL_FACE_PITCH_TO_SIGHT_LINE_DEG,
        };
        [view.sight_rad, view.units, view.elevation_deg]
            .iter()
            .all(|v| v.is_finite())
            .then_some(view)
    }

    /// How far the camera's axis tilts up from the level, degrees (a laptop's
    /// camera below the eyes looks up; negative: looking down): the line of
    /// sight to the face is `elevation_deg` below the level and the axis is
    /// the sight line's angle above that.
    pub fn axis_up_deg(&self) -> f32 {
        self.sight_rad.to_degrees() - self.elevation_deg
    }

    /// How far the face in `head` moved down across the line of sight from
    /// where it was at neutral, centimetres, in the units of the neutral's
    /// `camera_distance_cm` (measured or estimated). From the face alone: its
    /// distance from its own growth, its height from where it is in the
    /// picture. A move straight along the line of sight has none, so the face
    /// coming nearer while off-centre (the picture grows about its middle) is
    /// not taken for a drop. `None` when a number is not finite.
    pub fn drop_cm(&self, head: &HeadMetrics, base: &FaceBaseline) -> Option<f32> {
        let distance_cm = base.camera_distance_cm;
        let face_growth = head.face_scale_px_per_cm / base.face_scale_px_per_cm;
        let down_cm = self.units * (head.face_below_axis_cm - self.below_cm);
        let across_cm = down_cm * self.sight_rad.cos()
            + nearer_cm(distance_cm, face_growth) * self.sight_rad.sin();
        across_cm.is_finite().then_some(across_cm)
    }
}

/// What the face says about one frame against the neutral.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FaceAssessment {
    /// How far the head came forward of the shoulders since neutral, along the level,
    /// centimetres (see [`forward_offset_cm`]); null without a face baseline.
    pub forward_offset_cm: Option<f32>,
    /// The face's growth over the shoulders' ([`shoulder_growth`]) since
    /// neutral: 1 at neutral, above 1 when the face grew more, as in a forward
    /// head but also in a lean (the nearer face grows more for the same
    /// move); the offset, not this ratio, tells the two apart.
    pub growth_ratio: Option<f32>,
    /// Pitch now minus neutral, degrees: positive looking down, negative with
    /// the head tilted up.
    pub pitch_change_deg: Option<f32>,
    /// Yaw now minus neutral, degrees.
    pub yaw_change_deg: Option<f32>,
    /// How much of the shoulders' narrowing was taken as the torso turning
    /// rather than going back ([`torso_turn_share`]), 0 to 1; null without a
    /// neutral shoulder slope.
    pub torso_turn_share: Option<f32>,
    /// The face pitched down past `looking_down_pitch_deg`: its growth is the
    /// nod, not the head coming forward.
    pub looking_down: bool,
    /// Head tilted up (pitch change at or below −`chin_poke_pitch_deg`) while
    /// forward (at least `chin_poke_min_offset_cm`): the chin pokes out.
    pub chin_poke: bool,
    pub metrics: HeadMetrics,
}

/// Centimetres the head came forward of the shoulders since neutral, along
/// the level: the face's level move less the shoulders'.
///
/// Pinhole model: a thing's pixel size is inversely proportional to its
/// distance, so the face, `face_distance_cm` away at neutral, that grew by
/// `face_growth` came [`nearer_cm`] by `face_distance_cm · (1 − 1/face_growth)`,
/// and the shoulders, further away, by the same rule with their own growth
/// ([`ShoulderView::level_move_cm`]). A forward head moves only the face; the
/// whole person leaning in moves both by about as much, and the nearer face
/// grows more for it, which is why each growth is turned into centimetres at
/// its own distance and height: until 2026-12-06 the face's growth over the
/// shoulders' was taken at the face's distance, and a lean toward the screen
/// of 8° from the hips (the face 8 cm nearer, the ear 1.2–1.5 cm further
/// ahead of the shoulder) read as 4–6 cm of forward head on the renders.
///
/// The face's level move is its move toward the camera,
/// `nearer_cm(face_distance_cm, face_growth)`, put back along the level by
/// [`level_forward_cm`] when the camera's height is known (and by
/// [`side_camera_gain`] for a camera to one side, as the shoulders' is).
/// `face_distance_cm` is known from calibration: the canonical face fitted to
/// the neutral mesh gives pixels per centimetre of an average face, and the
/// camera's field of view gives the focal length in pixels (or the user
/// measured it). Limits: a face larger or smaller than average scales the
/// offset by the same factor (±10 % typically); a wrong `[camera] fov_deg`
/// scales it too.
pub fn forward_offset_cm(face_level_move_cm: f32, shoulders_level_move_cm: f32) -> f32 {
    face_level_move_cm - shoulders_level_move_cm
}

/// The largest side angle [`side_camera_gain`] corrects for, degrees: past
/// it the front-view numbers do not hold anyway (the three-quarter camera,
/// 45°, reads offsets up to twice the truth), and the gain would only grow.
const MAX_CORRECTED_SIDE_ANGLE_DEG: f32 = 45.0;

/// How much further the head moved along the person's own forward line than
/// toward a camera `camera_yaw_deg` to one side of where they face: the
/// camera sees only the part of the move along its line of sight, the cosine
/// of the angle between them. The face's yaw at calibration is that angle
/// (the person faces their screen; the camera is where it is). On the renders
/// with the camera 20° to the right, 20° to the left and 30° to the right it
/// took the median offset error from 0.76, 1.17 and 0.45 cm to 0.65, 0.94 and
/// 0.32 cm (`tests/groundtruth.rs`). Only the side angle: a camera above or
/// below the eyes is [`level_forward_cm`]'s.
pub fn side_camera_gain(camera_yaw_deg: f32) -> f32 {
    let angle_deg = camera_yaw_deg.abs().min(MAX_CORRECTED_SIDE_ANGLE_DEG);
    1.0 / angle_deg.to_radians().cos()
}

/// Whether the face is turned too far from the camera for the front-view
/// numbers to hold: its absolute yaw (the camera is to one side of where the
/// person faces) beyond `max_face_yaw_deg`, or its change from the neutral
/// (they turned away from where they faced at calibration) beyond
/// `max_face_turn_deg`.
pub fn camera_to_the_side(
    head: &HeadMetrics,
    neutral: Option<&FaceBaseline>,
    settings: &MeasureSettings,
) -> bool {
    head.yaw_deg.abs() > settings.max_face_yaw_deg
        || neutral.is_some_and(|n| (head.yaw_deg - n.yaw_deg).abs() > settings.max_face_turn_deg)
}

/// The face's view of a frame against the neutral (if the neutral has a face
/// baseline).
pub fn assess_face(
    head: &HeadMetrics,
    neutral: Option<&FaceBaseline>,
    settings: &MeasureSettings,
) -> FaceAssessment {
    let Some(base) = neutral else {
        return FaceAssessment {
            forward_offset_cm: None,
            growth_ratio: None,
            pitch_change_deg: None,
            yaw_change_deg: None,
            torso_turn_share: None,
            looking_down: false,
            chin_poke: false,
            metrics: *head,
        };
    };
    let face_growth = head.face_scale_px_per_cm / base.face_scale_px_per_cm;
    let counted_growth = shoulder_growth(head.shoulder_width_px, base.shoulder_width_px);
    // Only a counted narrowing can be a turn: a tilt without one (leaning on
    // an elbow, leaning in) is reported as no turn.
    let torso_turn = base.shoulder_tilt_deg.map(|neutral_deg| {
        if counted_growth < 1.0 {
            torso_turn_share(head.shoulder_tilt_deg - neutral_deg)
        } else {
            0.0
        }
    });
    let shoulders = shoulder_growth_without_turn(counted_growth, torso_turn.unwrap_or(0.0));
    let focal_px = head.camera_distance_cm * head.face_scale_px_per_cm;
    let view = CameraView::of(base, focal_px);
    // A camera to one side sees only part of either move (`side_camera_gain`).
    let side_gain = side_camera_gain(base.yaw_deg);
    let face_toward_camera_cm = nearer_cm(base.camera_distance_cm, face_growth) * side_gain;
    let face_level_move_cm = view
        .and_then(|view| {
            let down_cm = view.drop_cm(head, base)?;
            Some(level_forward_cm(
                face_toward_camera_cm,
                down_cm,
                view.elevation_deg,
            ))
        })
        .unwrap_or(face_toward_camera_cm);
    let shoulders_level_move_cm = ShoulderView::of(view.as_ref())
        .level_move_cm(base.camera_distance_cm, shoulders)
        * side_gain;
    let offset = forward_offset_cm(face_level_move_cm, shoulders_level_move_cm);
    let pitch_change_deg = head.pitch_deg - base.pitch_deg;
    FaceAssessment {
        forward_offset_cm: Some(offset),
        growth_ratio: Some(face_growth / shoulders),
        pitch_change_deg: Some(pitch_change_deg),
        yaw_change_deg: Some(head.yaw_deg - base.yaw_deg),
        torso_turn_share: torso_turn,
        looking_down: pitch_change_deg >= settings.looking_down_pitch_deg,
        chin_poke: is_chin_poke(
            pitch_change_deg,
            offset,
            settings.chin_poke_pitch_deg,
            settings.chin_poke_min_offset_cm,
        ),
        metrics: *head,
    }
}

/// A chin poke: the face tilted up at least `chin_poke_pitch_deg` from
/// neutral while the head is at least `min_offset_cm` forward. One rule for
/// the per-frame measurement and for the monitor's alert, which applies it
/// to its smoothed values.
pub fn is_chin_poke(
    pitch_change_deg: f32,
    forward_offset_cm: f32,
    chin_poke_pitch_deg: f32,
    min_offset_cm: f32,
) -> bool {
    pitch_change_deg <= -chin_poke_pitch_deg && forward_offset_cm >= min_offset_cm
}

fn median(values: &mut [f32]) -> Option<f32> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f32::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The neutral head from the calibration window's faces: the median of each
/// number, so a blink or one bad mesh does not move it, with the window's
/// median shoulder width as the body model measured it frame by frame.
/// `None` with fewer than `min_samples` faces: the body-only neutral then
/// applies.
pub fn face_baseline(
    heads: &[HeadMetrics],
    shoulder_width_px: f32,
    min_samples: usize,
) -> Option<FaceBaseline> {
    let shoulders_usable = shoulder_width_px.is_finite() && shoulder_width_px >= 1.0;
    if heads.len() < min_samples.max(1) || !shoulders_usable {
        return None;
    }
    let stat =
        |pick: fn(&HeadMetrics) -> f32| median(&mut heads.iter().map(pick).collect::<Vec<_>>());
    Some(FaceBaseline {
        face_scale_px_per_cm: stat(|h| h.face_scale_px_per_cm)?,
        shoulder_width_px,
        camera_distance_cm: stat(|h| h.camera_distance_cm)?,
        pitch_deg: stat(|h| h.pitch_deg)?,
        yaw_deg: stat(|h| h.yaw_deg)?,
        pose_fit: POSE_FIT_VERSION,
        distance_measured: false,
        face_below_axis_cm: stat(|h| h.face_below_axis_cm),
        shoulder_tilt_deg: stat(|h| h.shoulder_tilt_deg),
    })
}

/// The body model's shoulders steadied over the last few seconds: the median
/// width and the median slope of those seen in the window. Shoulders move
/// slowly, but the body model's width jitters by 3–5 % frame to frame on the
/// replay sequences while the face's scale holds to 0.2 %; unsteadied, that
/// jitter alone would read as ±2 cm of forward head. Pure: time is passed in.
#[derive(Debug, Clone, PartialEq)]
pub struct ShoulderTrack {
    window_secs: f64,
    seen: std::collections::VecDeque<(f64, Shoulders)>,
}

/// How long [`ShoulderTrack`] remembers the shoulders by default, seconds.
pub const SHOULDER_WINDOW_SECS: f64 = 5.0;

impl Default for ShoulderTrack {
    fn default() -> Self {
        Self::new(SHOULDER_WINDOW_SECS)
    }
}

impl ShoulderTrack {
    pub fn new(window_secs: f64) -> Self {
        Self {
            window_secs,
            seen: std::collections::VecDeque::new(),
        }
    }

    /// Adds the shoulders seen at `at_secs` and returns the steadied ones. A
    /// width that differs from the current median by more than a third (the
    /// camera or chair moved, another person) restarts the window, so the
    /// steadying never hides a real change for long.
    pub fn update(&mut self, at_secs: f64, shoulders: Shoulders) -> Shoulders {
        while self
            .seen
            .front()
            .is_some_and(|&(t, _)| t < at_secs - self.window_secs || t > at_secs)
        {
            self.seen.pop_front();
        }
        if let Some(current) = self.current()
            && (shoulders.width_px / current.width_px - 1.0).abs() > 1.0 / 3.0
        {
            self.seen.clear();
        }
        self.seen.push_back((at_secs, shoulders));
        self.current().unwrap_or(shoulders)
    }

    /// The steadied shoulders, if any were seen.
    pub fn current(&self) -> Option<Shoulders> {
        let of = |pick: fn(&Shoulders) -> f32| {
            median(&mut self.seen.iter().map(|(_, s)| pick(s)).collect::<Vec<_>>())
        };
        Some(Shoulders {
            width_px: of(|s| s.width_px)?,
            tilt_deg: of(|s| s.tilt_deg)?,
        })
    }

    /// Forgets every reading (a new sequence, nobody in view).
    pub fn reset(&mut self) {
        self.seen.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_pose(pitch_deg: f32, yaw_deg: f32, scale_px_per_cm: f32) -> HeadPose {
        HeadPose {
            pitch_deg,
            yaw_deg,
            roll_deg: 0.0,
            scale_px_per_cm,
            rms_error_cm: 0.5,
        }
    }

    fn level(width_px: f32) -> Shoulders {
        Shoulders {
            width_px,
            tilt_deg: 0.0,
        }
    }

    fn head(pitch_deg: f32, yaw_deg: f32, scale: f32, shoulders_px: f32) -> HeadMetrics {
        measure_head(
            &head_pose(pitch_deg, yaw_deg, scale),
            0.99,
            (320.0, 240.0),
            level(shoulders_px),
            (640, 480),
            &MeasureSettings::default(),
        )
        .unwrap()
    }

    fn neutral() -> FaceBaseline {
        let h = head(9.0, -1.0, 8.0, 220.0);
        FaceBaseline {
            face_scale_px_per_cm: 8.0,
            shoulder_width_px: 220.0,
            camera_distance_cm: h.camera_distance_cm,
            pitch_deg: h.pitch_deg,
            yaw_deg: h.yaw_deg,
            pose_fit: POSE_FIT_VERSION,
            distance_measured: false,
            face_below_axis_cm: None,
            shoulder_tilt_deg: Some(0.0),
        }
    }

    #[test]
    fn distance_is_the_focal_length_over_the_face_scale() {
        // 640 px at 65°: focal 502.3 px; 8 px per canonical cm -> 62.8 cm.
        let h = head(9.0, 0.0, 8.0, 220.0);
        assert!((h.camera_distance_cm - 62.79).abs() < 0.05, "{h:?}");
        assert!((h.head_over_shoulders_per_cm - 8.0 / 220.0).abs() < 1e-7);
    }

    #[test]
    fn a_face_below_the_image_centre_is_seen_from_above_and_that_is_taken_out() {
        // 88 px below the centre at a focal length of 502.3 px: seen 10° from
        // above, so a fitted pitch of 19° is 9° against the optical axis.
        let settings = MeasureSettings::default();
        let below = measure_head(
            &head_pose(19.0, 0.0, 8.0),
            0.99,
            (320.0, 240.0 + 502.3 * 10f32.to_radians().tan()),
            level(220.0),
            (640, 480),
            &settings,
        )
        .unwrap();
        assert!((below.pitch_deg - 9.0).abs() < 1e-3, "{below:?}");
        assert_eq!(
            face_centre_px(&[[0.0, 2.0, 5.0], [4.0, 6.0, -5.0]]),
            (2.0, 4.0)
        );
    }

    #[test]
    fn a_head_coming_forward_grows_against_still_shoulders() {
        // 20 % larger face, same shoulders: 62.8 · (1 − 1/1.2) = 10.5 cm.
        let a = assess_face(
            &head(9.0, -1.0, 9.6, 220.0),
            Some(&neutral()),
            &MeasureSettings::default(),
        );
        assert!((a.growth_ratio.unwrap() - 1.2).abs() < 1e-5);
        assert!(
            (a.forward_offset_cm.unwrap() - 62.79 / 6.0).abs() < 0.02,
            "{a:?}"
        );
        assert!(!a.looking_down && !a.chin_poke);
        assert!(a.pitch_change_deg.unwrap().abs() < 1e-6);
    }

    #[test]
    fn a_measured_distance_scales_the_offset_and_stays_in_range() {
        // The same 20 % growth measured from 80 cm, not the estimated 62.8.
        let measured = neutral().with_measured_distance(80.0).unwrap();
        assert!(measured.distance_measured && !neutral().distance_measured);
        assert_eq!(
            (measured.face_scale_px_per_cm, measured.pitch_deg),
            (neutral().face_scale_px_per_cm, neutral().pitch_deg)
        );
        let a = assess_face(
            &head(9.0, -1.0, 9.6, 220.0),
            Some(&measured),
            &MeasureSettings::default(),
        );
        assert!(
            (a.forward_offset_cm.unwrap() - 80.0 / 6.0).abs() < 0.02,
            "{a:?}"
        );
        for wrong in [19.9, 300.5, f32::NAN, -60.0] {
            assert_eq!(neutral().with_measured_distance(wrong), None, "{wrong}");
        }
        assert!(neutral().with_measured_distance(20.0).is_some());
        assert!(neutral().with_measured_distance(300.0).is_some());
    }

    #[test]
    fn a_small_face_says_how_near_it_would_hold_enough_pixels() {
        // 8 px per cm: enough.
        assert_eq!(neutral().distance_share_for_enough_pixels(), None);
        // 4 px per cm holds 6 at two thirds of its distance.
        let far = FaceBaseline {
            face_scale_px_per_cm: 4.0,
            ..neutral()
        };
        let share = far.distance_share_for_enough_pixels().unwrap();
        assert!((share - 4.0 / 6.0).abs() < 1e-6, "{share}");
        // Exactly at the line is enough.
        let at_line = FaceBaseline {
            face_scale_px_per_cm: MIN_FACE_PX_PER_CM,
            ..neutral()
        };
        assert_eq!(at_line.distance_share_for_enough_pixels(), None);
    }

    #[test]
    fn a_camera_to_one_side_sees_part_of_the_move_and_that_is_put_back() {
        // The camera 30° to the side: the face reads yaw 30° at neutral. The
        // head comes 4 cm forward, 4 · cos 30° = 3.46 cm nearer the camera.
        let base = FaceBaseline {
            yaw_deg: 30.0,
            ..neutral()
        };
        let nearer_cm = 4.0 * 30f32.to_radians().cos();
        let growth = base.camera_distance_cm / (base.camera_distance_cm - nearer_cm);
        let a = assess_face(
            &head(9.0, 30.0, 8.0 * growth, 220.0),
            Some(&base),
            &MeasureSettings::default(),
        );
        assert!((a.forward_offset_cm.unwrap() - 4.0).abs() < 0.01, "{a:?}");
        // In front, nothing to put back; past 45° the gain stops growing.
        assert_eq!(side_camera_gain(0.0), 1.0);
        assert_eq!(side_camera_gain(-20.0), side_camera_gain(20.0));
        assert_eq!(side_camera_gain(70.0), side_camera_gain(45.0));
    }

    #[test]
    fn a_camera_above_or_below_sees_forward_and_down_mixed_and_that_is_undone() {
        // The head comes 5 cm forward and 4 cm down. A camera 12° above the
        // level head sees it come 4.06 cm nearer and 4.95 cm down the picture.
        let (sin, cos) = 12f32.to_radians().sin_cos();
        let (toward_cm, down_cm) = (5.0 * cos - 4.0 * sin, 5.0 * sin + 4.0 * cos);
        assert!((level_forward_cm(toward_cm, down_cm, 12.0) - 5.0).abs() < 1e-4);
        // A laptop's camera 20° below sees 6.07 cm nearer, 2.05 cm down.
        let (sin, cos) = (-20f32).to_radians().sin_cos();
        let (toward_cm, down_cm) = (5.0 * cos - 4.0 * sin, 5.0 * sin + 4.0 * cos);
        assert!(toward_cm > 6.0);
        assert!((level_forward_cm(toward_cm, down_cm, -20.0) - 5.0).abs() < 1e-4);
        // Level with the head, the approach is the move.
        assert_eq!(level_forward_cm(3.0, 2.0, 0.0), 3.0);

        // Through the assessment: the neutral's pitch says where the camera
        // is (12° above: 6° of the canonical face plus 12°; the face in the
        // middle of the picture, so the line of sight is the camera's axis),
        // the face's place in the picture how far it came down.
        let base = FaceBaseline {
            pitch_deg: LEVEL_FACE_PITCH_TO_SIGHT_LINE_DEG + 12.0,
            face_below_axis_cm: Some(0.0),
            ..neutral()
        };
        let view = CameraView::of(&base, 502.3).unwrap();
        assert!((view.elevation_deg - 12.0).abs() < 1e-4, "{view:?}");
        let (sin, cos) = 12f32.to_radians().sin_cos();
        let (toward_cm, down_cm) = (5.0 * cos - 4.0 * sin, 5.0 * sin + 4.0 * cos);
        let growth = base.camera_distance_cm / (base.camera_distance_cm - toward_cm);
        let now = HeadMetrics {
            face_below_axis_cm: down_cm,
            ..head(9.0, -1.0, 8.0 * growth, 220.0)
        };
        let a = assess_face(&now, Some(&base), &MeasureSettings::default());
        assert!((a.forward_offset_cm.unwrap() - 5.0).abs() < 0.01, "{a:?}");
        // A profile from before the face's height was kept: the approach.
        let a = assess_face(&now, Some(&neutral()), &MeasureSettings::default());
        assert!(
            (a.forward_offset_cm.unwrap() - toward_cm).abs() < 0.01,
            "{a:?}"
        );
    }

    #[test]
    fn coming_straight_along_the_line_of_sight_is_no_drop() {
        // At neutral the face is 5 cm above the camera's axis; it comes 6 cm
        // nearer along the line to the camera: the same pixel, a larger face.
        let base = FaceBaseline {
            face_below_axis_cm: Some(-5.0),
            ..neutral()
        };
        let distance_cm = base.camera_distance_cm;
        let growth = distance_cm / (distance_cm - 6.0);
        let now = HeadMetrics {
            face_below_axis_cm: -5.0 / growth,
            ..head(9.0, -1.0, 8.0 * growth, 220.0)
        };
        let view =
            CameraView::of(&base, now.camera_distance_cm * now.face_scale_px_per_cm).unwrap();
        let across_cm = view.drop_cm(&now, &base).unwrap();
        assert!(across_cm.abs() < 0.01, "{across_cm}");
        // The same pixels with no growth: still; 1 cm lower: 1 cm down.
        let still = head(9.0, -1.0, 8.0, 220.0);
        let lower = HeadMetrics {
            face_below_axis_cm: -4.0,
            ..still
        };
        let at = |h: &HeadMetrics| view.drop_cm(h, &base).unwrap();
        let tilt = (5.0f32).atan2(distance_cm).cos();
        assert!(
            (at(&HeadMetrics {
                face_below_axis_cm: -5.0,
                ..still
            }))
            .abs()
                < 1e-4
        );
        assert!((at(&lower) - tilt).abs() < 1e-3, "{}", at(&lower));
    }

    #[test]
    fn leaning_in_moves_face_and_shoulders_and_only_the_difference_is_forward_head() {
        // The whole person 8 cm nearer, the ear 1.5 cm further ahead of the
        // shoulders (as a lean from the hips carries it): the face, 62.8 cm
        // away, grows more than the shoulders 13 cm behind it.
        let base = neutral();
        let distance_cm = base.camera_distance_cm;
        let face_growth = distance_cm / (distance_cm - 8.0);
        let shoulders_cm = distance_cm + SHOULDERS_BEHIND_FACE_CM;
        let shoulder_growth = shoulders_cm / (shoulders_cm - 6.5);
        let leaning = head(9.0, -1.0, 8.0 * face_growth, 220.0 * shoulder_growth);
        let a = assess_face(&leaning, Some(&base), &MeasureSettings::default());
        let offset_cm = a.forward_offset_cm.unwrap();
        assert!((offset_cm - 1.5).abs() < 0.05, "{a:?}");
        // Taken, as until 2026-12-06, as the growth of one over the other at the
        // face's distance with the wander allowance subtracted, it read 4.5 cm.
        let old_growth = face_growth / (shoulder_growth - 0.03);
        assert!(nearer_cm(distance_cm, old_growth) > 4.0);
        // The head alone 1.5 cm nearer reads the same.
        let head_alone = distance_cm / (distance_cm - 1.5);
        let forward = head(9.0, -1.0, 8.0 * head_alone, 220.0);
        let b = assess_face(&forward, Some(&base), &MeasureSettings::default());
        assert!((b.forward_offset_cm.unwrap() - 1.5).abs() < 0.01, "{b:?}");
    }

    #[test]
    fn the_shoulders_are_deeper_than_the_face_less_so_for_a_camera_looking_up() {
        let level = ShoulderView::of(None);
        assert_eq!(level.deeper_cm, SHOULDERS_BEHIND_FACE_CM);
        assert_eq!(level.axis_up_deg, 0.0);
        // A laptop's camera looking up 17° at a face in the middle of the
        // picture: the level face reads 17° of chin-up against its axis (plus
        // the canonical face's own 6°).
        let base = FaceBaseline {
            pitch_deg: LEVEL_FACE_PITCH_TO_SIGHT_LINE_DEG - 17.0,
            face_below_axis_cm: Some(0.0),
            ..neutral()
        };
        let view = CameraView::of(&base, 502.3).unwrap();
        let up = ShoulderView::of(Some(&view));
        assert!((up.axis_up_deg - 17.0).abs() < 1e-4, "{up:?}");
        // 13 cos 17° − 25 sin 17°: the shoulders, below, are nearer its axis.
        assert!((up.deeper_cm - 5.12).abs() < 0.01, "{up:?}");
        // 10 cm nearer along the axis is 10 / cos 17° along the level.
        let from = 50.0 - up.deeper_cm;
        let moved = up.level_move_cm(from, 50.0 / 40.0);
        assert!(
            (moved - 10.0 / 17.0f32.to_radians().cos()).abs() < 1e-3,
            "{moved}"
        );
    }

    #[test]
    fn shoulder_wander_within_four_percent_is_not_growth() {
        assert_eq!(shoulder_growth(226.0, 220.0), 1.0);
        assert_eq!(shoulder_growth(214.0, 220.0), 1.0);
        // Narrower: 1 up to 4 % (a torso turned 20°), then to the whole
        // narrowing at 6 % (sitting back).
        assert_eq!(shoulder_growth(211.5, 220.0), 1.0);
        assert!((shoulder_growth(209.0, 220.0) - 0.97).abs() < 1e-5);
        assert!((shoulder_growth(206.8, 220.0) - 0.94).abs() < 1e-5);
        assert!((shoulder_growth(198.0, 220.0) - 0.90).abs() < 1e-5);
        // Wider: 1 up to 4 %, then to the whole growth at 8 %.
        assert_eq!(shoulder_growth(228.8, 220.0), 1.0);
        assert!((shoulder_growth(233.2, 220.0) - 1.04).abs() < 1e-5);
        assert!((shoulder_growth(237.6, 220.0) - 1.08).abs() < 1e-5);
        assert!((shoulder_growth(242.0, 220.0) - 1.10).abs() < 1e-5);
        // The wander in a forward head: the face's growth counts whole.
        let a = assess_face(
            &head(9.0, -1.0, 9.6, 214.0),
            Some(&neutral()),
            &MeasureSettings::default(),
        );
        assert!((a.growth_ratio.unwrap() - 1.2).abs() < 1e-5, "{a:?}");
    }

    #[test]
    fn pitch_down_is_looking_down_and_up_while_forward_is_a_chin_poke() {
        let settings = MeasureSettings::default();
        let down = assess_face(&head(29.0, -1.0, 8.0, 220.0), Some(&neutral()), &settings);
        assert!(down.looking_down && !down.chin_poke);
        assert!((down.pitch_change_deg.unwrap() - 20.0).abs() < 1e-5);
        let poke = assess_face(&head(0.0, -1.0, 8.6, 220.0), Some(&neutral()), &settings);
        assert!(poke.chin_poke && !poke.looking_down, "{poke:?}");
        // Tilted up without coming forward: not a chin poke.
        let up = assess_face(&head(0.0, -1.0, 8.0, 220.0), Some(&neutral()), &settings);
        assert!(!up.chin_poke, "{up:?}");
    }

    #[test]
    fn a_face_turned_past_the_limit_means_the_camera_is_to_the_side() {
        let settings = MeasureSettings::default();
        assert!(!camera_to_the_side(
            &head(9.0, 10.0, 8.0, 220.0),
            None,
            &settings
        ));
        // A camera 30° to one side reads 31-36°: measured. At 45° it reads 43-54°.
        assert!(!camera_to_the_side(
            &head(9.0, -33.0, 8.0, 220.0),
            None,
            &settings
        ));
        assert!(camera_to_the_side(
            &head(9.0, 44.0, 8.0, 220.0),
            None,
            &settings
        ));
        assert!(camera_to_the_side(
            &head(9.0, -36.0, 8.0, 220.0),
            None,
            &settings
        ));
        // Turned 26° from a neutral 6° the other way: past the turn limit (25°)
        // though within the camera's.
        let base = FaceBaseline {
            yaw_deg: -6.0,
            ..neutral()
        };
        assert!(camera_to_the_side(
            &head(9.0, 20.0, 8.0, 220.0),
            Some(&base),
            &settings
        ));
        assert!(!camera_to_the_side(
            &head(9.0, 15.0, 8.0, 220.0),
            Some(&base),
            &settings
        ));
    }

    #[test]
    fn without_a_face_baseline_only_the_absolute_numbers_are_given() {
        let a = assess_face(
            &head(9.0, 0.0, 8.0, 220.0),
            None,
            &MeasureSettings::default(),
        );
        assert_eq!(a.forward_offset_cm, None);
        assert_eq!(a.pitch_change_deg, None);
        assert!(!a.looking_down && !a.chin_poke);
    }

    #[test]
    fn untrustworthy_faces_and_missing_shoulders_are_not_measured() {
        let settings = MeasureSettings::default();
        let pose = head_pose(9.0, 0.0, 8.0);
        let centre = (320.0, 240.0);
        assert!(measure_head(&pose, 0.3, centre, level(220.0), (640, 480), &settings).is_none());
        assert!(measure_head(&pose, 0.99, centre, level(0.0), (640, 480), &settings).is_none());
        let badly_fitted = HeadPose {
            rms_error_cm: 2.5,
            ..pose
        };
        assert!(
            measure_head(
                &badly_fitted,
                0.99,
                (320.0, 240.0),
                level(220.0),
                (640, 480),
                &settings
            )
            .is_none()
        );
    }

    #[test]
    fn the_baseline_is_the_median_of_the_window() {
        let mut heads: Vec<_> = (0..9)
            .map(|i| head(9.0 + i as f32 * 0.1, -1.0, 8.0, 220.0))
            .collect();
        heads.push(head(40.0, 30.0, 12.0, 220.0)); // one bad mesh
        let base = face_baseline(&heads, 221.0, 5).unwrap();
        assert!((base.pitch_deg - 9.45).abs() < 1e-4, "{base:?}");
        assert_eq!(base.yaw_deg, -1.0);
        assert!((base.camera_distance_cm - 62.79).abs() < 0.05);
        assert_eq!(base.face_scale_px_per_cm, 8.0);
        assert_eq!(base.shoulder_width_px, 221.0);
        assert_eq!(base.shoulder_tilt_deg, Some(0.0));
        assert_eq!(face_baseline(&heads[..3], 221.0, 5), None);
        assert_eq!(face_baseline(&heads, 0.0, 5), None);
    }

    #[test]
    fn the_shoulders_are_steadied_over_the_window_and_follow_real_moves() {
        let mut track = ShoulderTrack::new(5.0);
        let seen = [
            (220.0, 1.0),
            (212.0, -3.0),
            (228.0, 0.5),
            (219.0, 0.0),
            (207.0, 2.0),
            (221.0, -0.5),
        ];
        let mut last = level(0.0);
        for (i, &(width_px, tilt_deg)) in seen.iter().enumerate() {
            last = track.update(i as f64 * 0.5, Shoulders { width_px, tilt_deg });
        }
        assert_eq!(
            last,
            Shoulders {
                width_px: 219.5,
                tilt_deg: 0.25
            }
        );
        // After the window, old readings are gone.
        assert_eq!(track.update(20.0, level(230.0)), level(230.0));
        // A width jump of more than a third restarts at once.
        assert_eq!(track.update(20.5, level(330.0)), level(330.0));
        track.reset();
        assert_eq!(track.current(), None);
    }

    #[test]
    fn a_tilted_shoulder_line_says_how_much_of_a_narrowing_is_a_turn() {
        // Jitter in the slope is no turn; from 2.3° it is all turn, either way.
        assert_eq!(torso_turn_share(1.2), 0.0);
        assert_eq!(torso_turn_share(-1.0), 0.0);
        assert!((torso_turn_share(1.8) - 0.5).abs() < 1e-6);
        assert_eq!(torso_turn_share(-3.5), 1.0);
        assert_eq!(torso_turn_share(f32::NAN), 0.0);
        // A narrowing loses its turned part; a widening (leaning in) is kept.
        assert!((shoulder_growth_without_turn(0.9, 0.5) - 0.95).abs() < 1e-6);
        assert_eq!(shoulder_growth_without_turn(0.9, 1.0), 1.0);
        assert_eq!(shoulder_growth_without_turn(0.9, 0.0), 0.9);
        assert_eq!(shoulder_growth_without_turn(1.1, 1.0), 1.1);
    }

    #[test]
    fn a_torso_turned_under_a_still_face_is_not_a_forward_head() {
        // Shoulders 8 % narrower with the face where it was: sitting back
        // with the head pushed out, unless the shoulder line tilted.
        let base = neutral();
        let back = head(9.0, -1.0, 8.0, 220.0 * 0.92);
        let sat_back = assess_face(&back, Some(&base), &MeasureSettings::default());
        assert!(sat_back.forward_offset_cm.unwrap() > 5.0, "{sat_back:?}");
        assert_eq!(sat_back.torso_turn_share, Some(0.0));
        let turned = HeadMetrics {
            shoulder_tilt_deg: -3.0,
            ..back
        };
        let a = assess_face(&turned, Some(&base), &MeasureSettings::default());
        assert!(a.forward_offset_cm.unwrap().abs() < 0.01, "{a:?}");
        assert_eq!(a.torso_turn_share, Some(1.0));
        // The same tilt with the shoulders as wide as at neutral is no turn.
        let tilted_only = HeadMetrics {
            shoulder_tilt_deg: -3.0,
            ..head(9.0, -1.0, 8.0, 220.0)
        };
        let a = assess_face(&tilted_only, Some(&base), &MeasureSettings::default());
        assert_eq!(a.torso_turn_share, Some(0.0));
        // A profile from before the slope was kept counts the narrowing whole.
        let old = FaceBaseline {
            shoulder_tilt_deg: None,
            ..base
        };
        let a = assess_face(&turned, Some(&old), &MeasureSettings::default());
        assert_eq!(a.forward_offset_cm, sat_back.forward_offset_cm);
        assert_eq!(a.torso_turn_share, None);
    }
}
