//! Calibration profiles: one per desk/camera setup, as small JSON files.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{StoreError, write_atomically};
use crate::posture::calibration::Calibration;

/// A calibration and the setup it was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    pub created_unix_secs: u64,
    /// The camera or source the calibration was taken from.
    pub camera: String,
    pub frame_width: u32,
    pub frame_height: u32,
    pub calibration: Calibration,
}

/// What a face small in the picture costs, as `calibrate` and `run` say it.
pub const SMALL_FACE_COST: &str = "some forward heads of 3-5 cm are missed or read short";

/// After this many days a calibration is called stale.
pub const STALE_AFTER_DAYS: u64 = 60;
/// A shoulder width this much off the calibrated one means the camera or the
/// chair moved.
pub const MAX_SHOULDER_WIDTH_CHANGE: f32 = 0.3;

impl Profile {
    /// Why this calibration may no longer fit what the camera sees now. Pure.
    pub fn framing_warnings(
        &self,
        camera: &str,
        frame_width: u32,
        frame_height: u32,
        shoulder_width_px: Option<f32>,
        now_unix_secs: u64,
    ) -> Vec<String> {
        let mut warnings = Vec::new();
        if camera != self.camera {
            warnings.push(format!(
                "profile '{}' was calibrated with {}, not {camera}; calibrate again for this camera",
                self.name, self.camera
            ));
        }
        if (frame_width, frame_height) != (self.frame_width, self.frame_height) {
            warnings.push(format!(
                "profile '{}' was calibrated at {}×{}, frames are now {frame_width}×{frame_height}; calibrate again",
                self.name, self.frame_width, self.frame_height
            ));
        }
        if let Some(width) = shoulder_width_px {
            let change = (width - self.calibration.shoulder_width_px).abs()
                / self.calibration.shoulder_width_px;
            if change > MAX_SHOULDER_WIDTH_CHANGE {
                warnings.push(format!(
                    "your shoulders look {:.0}% {} than at calibration: the camera or your chair moved; calibrate again",
                    change * 100.0,
                    if width > self.calibration.shoulder_width_px { "wider" } else { "narrower" }
                ));
            }
        }
        let age_days = now_unix_secs.saturating_sub(self.created_unix_secs) / 86_400;
        if age_days > STALE_AFTER_DAYS {
            warnings.push(format!(
                "profile '{}' is {age_days} days old; calibrate again if your desk changed",
                self.name
            ));
        }
        warnings
    }

    /// What gives the face [`crate::posture::head::MIN_FACE_PX_PER_CM`],
    /// when it held fewer at calibration: sitting nearer (centimetres when
    /// the user measured the distance, else a share of it: an estimate is off
    /// by as much as the lens is from `[camera] fov_deg`; the share is not),
    /// a larger picture from the camera (its pixels per cm grow with the
    /// picture's width, the lens the same), or a narrower lens. `calibrate`
    /// and `run` both say it. Pure.
    pub fn small_face_remedies(&self) -> Option<String> {
        let face = self.calibration.face?;
        let share = face.distance_share_for_enough_pixels()?;
        let nearer = if face.distance_measured {
            format!(
                "sit within about {:.0} cm of the camera",
                face.camera_distance_cm * share
            )
        } else {
            format!("sit about {:.0} % nearer the camera", (1.0 - share) * 100.0)
        };
        let width_px = (self.frame_width as f32 / share).ceil() as u32;
        let example = [(1280, 720), (1920, 1080), (2560, 1440), (3840, 2160)]
            .into_iter()
            .find(|&(width, _)| width >= width_px)
            .map(|(width, height)| format!(", e.g. \"{width}x{height}\""))
            .unwrap_or_default();
        Some(format!(
            "{nearer}, ask it for a picture at least {width_px} px wide if it offers one (`[camera] resolution`{example}; `chintuck cameras` lists its sizes), or use a camera with a narrower lens"
        ))
    }

    /// A warning when the face was small in the picture at calibration:
    /// `calibrate` says it once, and a monitor started on the profile days
    /// later says it again, as do profiles made before `calibrate` said it.
    /// Pure.
    pub fn small_face_warning(&self) -> Option<String> {
        let face = self.calibration.face?;
        let remedies = self.small_face_remedies()?;
        Some(format!(
            "profile '{}' was calibrated with your face small in the picture ({:.1} px per cm, under {:.0}): {SMALL_FACE_COST}; {remedies}, and calibrate again",
            self.name,
            face.face_scale_px_per_cm,
            crate::posture::head::MIN_FACE_PX_PER_CM,
        ))
    }

    /// A one-line hint when this profile predates the face baseline: it still
    /// works, with the forward offset from the ears, until calibrated again.
    pub fn recalibration_hint(&self) -> Option<String> {
        match &self.calibration.face {
            None => Some(format!(
                "profile '{}' has no face baseline (made before chintuck read the face or by an older version's face fit, or the face was not seen): the forward offset comes from the ears; run `chintuck calibrate` again for the face-based measure",
                self.name
            )),
            Some(face) if face.face_below_axis_cm.is_none() => Some(format!(
                "profile '{}' was made before chintuck allowed for the camera's height: the forward offset is measured toward the camera, which reads a camera above your eyes low and one below them (a laptop's) high; run `chintuck calibrate` again",
                self.name
            )),
            Some(face) if face.shoulder_tilt_deg.is_none() => Some(format!(
                "profile '{}' was made before chintuck told a turned torso from sitting back: turning your shoulders away from the camera with your face still on the screen can read as forward head; run `chintuck calibrate` again",
                self.name
            )),
            Some(_) => None,
        }
    }
}

/// Profiles in `DATA_DIR/profiles/NAME.json`.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    dir: PathBuf,
}

impl ProfileStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            dir: data_dir.join("profiles"),
        }
    }

    pub fn path(&self, name: &str) -> Result<PathBuf, StoreError> {
        let valid = !name.trim().is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ');
        if !valid {
            return Err(StoreError::BadName(name.to_owned()));
        }
        Ok(self.dir.join(format!("{name}.json")))
    }

    /// The profile, or `None` when it was never calibrated.
    pub fn load(&self, name: &str) -> Result<Option<Profile>, StoreError> {
        let path = self.path(name)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let mut profile: Profile =
            serde_json::from_str(&text).map_err(|err| StoreError::Damaged {
                path,
                reason: err.to_string(),
            })?;
        // A neutral face measured by an older head-pose fit reads the same head
        // degrees apart from today's: the ears apply until calibrated again
        // (`recalibration_hint` says so).
        if profile
            .calibration
            .face
            .is_some_and(|face| !face.is_current())
        {
            profile.calibration.face = None;
        }
        Ok(Some(profile))
    }

    pub fn save(&self, profile: &Profile) -> Result<PathBuf, StoreError> {
        let path = self.path(&profile.name)?;
        let json = serde_json::to_string_pretty(profile).expect("a profile always serialises");
        write_atomically(&path, json.as_bytes())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::FrontBaseline;

    fn profile() -> Profile {
        let baseline = FrontBaseline {
            head_size_ratio: 0.45,
            face_size_ratio: 0.3,
            neck_height_ratio: 0.6,
            chin_height_ratio: 0.35,
            pitch_ratio: 0.25,
        };
        Profile {
            name: "desk".into(),
            created_unix_secs: 1_000_000,
            camera: "frames".into(),
            frame_width: 640,
            frame_height: 480,
            calibration: Calibration {
                baseline,
                spread: baseline,
                shoulder_width_px: 200.0,
                samples: 20,
                face: None,
            },
        }
    }

    /// A face baseline as today's `calibrate` saves it.
    fn face_baseline() -> crate::posture::FaceBaseline {
        crate::posture::FaceBaseline {
            face_scale_px_per_cm: 8.03,
            shoulder_width_px: 221.5,
            camera_distance_cm: 62.5,
            pitch_deg: 8.9,
            yaw_deg: -0.9,
            pose_fit: crate::pose::facemesh::head::POSE_FIT_VERSION,
            distance_measured: false,
            face_below_axis_cm: Some(-2.4),
            shoulder_tilt_deg: Some(-1.2),
        }
    }

    #[test]
    fn saves_and_loads_and_refuses_bad_names() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        assert_eq!(store.load("desk").unwrap(), None);
        let path = store.save(&profile()).unwrap();
        assert!(path.ends_with("profiles/desk.json"));
        assert_eq!(store.load("desk").unwrap(), Some(profile()));
        assert!(matches!(
            store.path("../etc/passwd"),
            Err(StoreError::BadName(_))
        ));
        assert!(matches!(store.path(""), Err(StoreError::BadName(_))));
    }

    #[test]
    fn a_profile_without_a_face_baseline_still_loads_and_says_to_recalibrate() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let path = store.save(&profile()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\"face\""), "{text}");
        let old = store.load("desk").unwrap().unwrap();
        assert_eq!(old.calibration.face, None);
        assert!(
            old.recalibration_hint()
                .unwrap()
                .contains("calibrate` again")
        );

        let mut new = profile();
        new.calibration.face = Some(face_baseline());
        store.save(&new).unwrap();
        let loaded = store.load("desk").unwrap().unwrap();
        assert_eq!(loaded, new);
        assert_eq!(loaded.recalibration_hint(), None);
    }

    /// The test profile as an older chintuck saved it: its face baseline
    /// replaced by `face` (JSON), read back through the store.
    fn load_with_saved_face(face: serde_json::Value) -> Profile {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let path = store.save(&profile()).unwrap();
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        json["calibration"]["face"] = face;
        std::fs::write(&path, json.to_string()).unwrap();
        store.load("desk").unwrap().unwrap()
    }

    #[test]
    fn a_face_baseline_from_an_older_head_pose_fit_is_not_used() {
        // As the first face-reading version saved it: no `pose_fit`.
        let old = load_with_saved_face(serde_json::json!({
            "face_scale_px_per_cm": 8.03,
            "shoulder_width_px": 221.5,
            "camera_distance_cm": 62.5,
            "pitch_deg": 8.9,
            "yaw_deg": -0.9
        }));
        assert_eq!(old.calibration.face, None);
        assert!(
            old.recalibration_hint()
                .unwrap()
                .contains("older version's face fit"),
            "{:?}",
            old.recalibration_hint()
        );
        // The rest of the calibration still applies.
        assert_eq!(old.calibration, profile().calibration);
    }

    /// A face baseline as today's head-pose fit saved it with only the first fields kept,
    /// plus `more` (JSON object): what a profile from an older chintuck holds.
    fn face_fields_and(more: serde_json::Value) -> serde_json::Value {
        let mut face = serde_json::json!({
            "face_scale_px_per_cm": 8.03,
            "shoulder_width_px": 221.5,
            "camera_distance_cm": 62.5,
            "pitch_deg": 8.9,
            "yaw_deg": -0.9,
            "pose_fit": crate::pose::facemesh::head::POSE_FIT_VERSION
        });
        face.as_object_mut()
            .unwrap()
            .extend(more.as_object().unwrap().clone());
        face
    }

    #[test]
    fn a_face_baseline_from_before_the_camera_height_still_works_and_asks_for_a_calibration() {
        // As saved before the face's place in the picture was kept.
        let old = load_with_saved_face(face_fields_and(serde_json::json!({
            "distance_measured": true
        })));
        let face = old.calibration.face.unwrap();
        assert_eq!(face.face_below_axis_cm, None);
        assert!(face.distance_measured);
        let hint = old.recalibration_hint().unwrap();
        assert!(hint.contains("camera's height"), "{hint}");
    }

    #[test]
    fn a_face_baseline_from_before_the_shoulder_slope_still_works_and_asks_for_a_calibration() {
        // As saved before the shoulder line's slope was kept.
        let old = load_with_saved_face(face_fields_and(serde_json::json!({
            "face_below_axis_cm": -2.4
        })));
        let face = old.calibration.face.unwrap();
        assert_eq!(face.face_below_axis_cm, Some(-2.4));
        assert_eq!(face.shoulder_tilt_deg, None);
        let hint = old.recalibration_hint().unwrap();
        assert!(hint.contains("turned torso"), "{hint}");
    }

    #[test]
    fn a_damaged_profile_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::new(dir.path());
        let path = store.save(&profile()).unwrap();
        std::fs::write(&path, "{ half a profile").unwrap();
        let err = store.load("desk").unwrap_err();
        assert!(
            err.to_string().contains("is damaged") && err.to_string().contains("calibrate again"),
            "{err}"
        );
    }

    #[test]
    fn a_profile_with_a_small_face_says_so_and_how_much_nearer() {
        let mut p = profile();
        let face = face_baseline();
        p.calibration.face = Some(face);
        assert_eq!(p.small_face_warning(), None, "8.03 px per cm is enough");
        p.calibration.face = Some(crate::posture::FaceBaseline {
            face_scale_px_per_cm: 4.5,
            camera_distance_cm: 111.5,
            ..face
        });
        let warning = p.small_face_warning().unwrap();
        assert!(
            warning.contains("'desk'") && warning.contains("4.5 px per cm, under 6"),
            "{warning}"
        );
        assert!(warning.contains("about 25 % nearer"), "{warning}");
        // The profile's 640 px wide picture at 4.5 px per cm: 6 px per cm
        // at 640 x 6 / 4.5 = 853.3 px wide, the same lens.
        assert!(
            warning.contains("a picture at least 854 px wide")
                && warning.contains("resolution`, e.g. \"1280x720\""),
            "{warning}"
        );
        // A measured distance is said in centimetres: 111.5 x 4.5 / 6.
        p.calibration.face = p.calibration.face.map(|face| crate::posture::FaceBaseline {
            distance_measured: true,
            ..face
        });
        let measured = p.small_face_warning().unwrap();
        assert!(measured.contains("sit within about 84 cm"), "{measured}");
        p.calibration.face = None;
        assert_eq!(p.small_face_warning(), None, "no face, nothing to say");
    }

    #[test]
    fn framing_warnings_name_what_changed() {
        let p = profile();
        assert!(
            p.framing_warnings("frames", 640, 480, Some(210.0), 1_000_000)
                .is_empty()
        );
        let warnings = p.framing_warnings(
            "USB camera",
            1280,
            720,
            Some(300.0),
            1_000_000 + 90 * 86_400,
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
        assert!(
            warnings[2].contains("50% wider") && warnings[2].contains("camera or your chair moved")
        );
        assert!(warnings[3].contains("90 days old"));
    }

    #[test]
    fn a_failed_write_is_a_clear_error_and_leaves_no_debris() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a non-empty folder: the final rename must fail (as a
        // full disk or a vanished folder would make some step fail).
        let target = dir.path().join("profile.json");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), b"kept").unwrap();
        let err = write_atomically(&target, b"second").unwrap_err();
        assert!(
            err.to_string().contains("cannot write")
                && err.to_string().contains("previous version is unchanged"),
            "{err}"
        );
        assert_eq!(std::fs::read(target.join("keep")).unwrap(), b"kept");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary file left behind");
    }
}
