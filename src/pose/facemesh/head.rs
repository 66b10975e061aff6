//! Head pose and scale from a rigid fit of the mesh to MediaPipe's canonical face.
//!
//! The mesh's points are a 3D shape in image pixels (x right, y down, z away
//! from the camera, in the same pixel scale as x). Over the small depth of a face
//! a webcam's projection is close to a scaled orthographic one, so a similarity
//! transform (rotation, one scale, translation) from the canonical face to the
//! points explains them; its rotation is the head pose and its scale the face's
//! apparent size. The fit is Horn's closed form (unit quaternion from the
//! weighted cross-covariance), so there is no iteration to diverge and no SVD
//! library needed.
//!
//! Angles are those of `R = Rz(roll) · Ry(yaw) · Rx(pitch)` in a camera frame
//! with x right, y up and z towards the camera: the nod first, in the face's own
//! frame, then the turn, then the tilt in the image plane. With roll outermost, a
//! camera mounted askew (or a head tilted to one side) changes roll only, not
//! pitch or yaw. [`HeadPose`] says which way each sign points.

use serde::Serialize;

use super::canonical::{CANONICAL_FACE_CM, PROCRUSTES_BASIS};

/// Where the head points and how large it looks, from one mesh.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HeadPose {
    /// Nodding: positive when the face turns down (looking down, chin in),
    /// negative when it turns up (chin poke, looking up).
    pub pitch_deg: f32,
    /// Turning: positive when the face turns towards the image's right (the
    /// person's left, for a camera facing them).
    pub yaw_deg: f32,
    /// Tilting: positive clockwise on screen, like the region's rotation.
    pub roll_deg: f32,
    /// Image pixels per centimetre of the canonical face (an average adult's):
    /// the face's apparent size. Its ratio between two frames is how much nearer
    /// the face came; it is not a distance by itself (faces differ in size).
    pub scale_px_per_cm: f32,
    /// Root-mean-square distance, in canonical centimetres, between the fitted
    /// canonical face and the mesh over the fit's points: small (a few mm) for a
    /// real face, large for a mesh the model invented.
    pub rms_error_cm: f32,
}

/// A similarity transform `target ≈ scale · rotation · source + translation`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    /// Row-major 3 × 3 rotation.
    pub rotation: [[f64; 3]; 3],
    pub scale: f64,
    pub translation: [f64; 3],
    /// Weighted RMS of the residuals, in target units.
    pub rms_error: f64,
}

/// The weighted least-squares similarity taking `source` onto `target` (Horn,
/// 1987, "Closed-form solution of absolute orientation using unit quaternions",
/// with Umeyama's least-squares scale). Points pair up by index; `weights` are
/// relative (only their ratios matter). `None` for fewer than three points with
/// weight, points all in one place, or a scale that is not positive and finite
/// (a mirrored or degenerate match, no similarity to use).
pub fn fit_similarity(
    source: &[[f64; 3]],
    target: &[[f64; 3]],
    weights: &[f64],
) -> Option<Similarity> {
    let n = source.len().min(target.len()).min(weights.len());
    let total: f64 = weights[..n].iter().sum();
    if n < 3 || total <= 0.0 {
        return None;
    }
    let centroid = |points: &[[f64; 3]]| {
        let mut c = [0.0; 3];
        for (point, weight) in points[..n].iter().zip(weights) {
            for axis in 0..3 {
                c[axis] += weight * point[axis] / total;
            }
        }
        c
    };
    let (source_mean, target_mean) = (centroid(source), centroid(target));
    // s[a][b] = Σ w · source'_a · target'_b, and the source's spread.
    let mut s = [[0.0f64; 3]; 3];
    let mut source_spread = 0.0;
    for i in 0..n {
        let a = sub(source[i], source_mean);
        let b = sub(target[i], target_mean);
        for row in 0..3 {
            for col in 0..3 {
                s[row][col] += weights[i] * a[row] * b[col];
            }
        }
        source_spread += weights[i] * dot(a, a);
    }
    if source_spread <= f64::EPSILON {
        return None;
    }
    let [[sxx, sxy, sxz], [syx, syy, syz], [szx, szy, szz]] = s;
    let horn = [
        [sxx + syy + szz, syz - szy, szx - sxz, sxy - syx],
        [syz - szy, sxx - syy - szz, sxy + syx, szx + sxz],
        [szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy],
        [sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz],
    ];
    let rotation = quaternion_to_rotation(largest_eigenvector(horn));
    let mut aligned = 0.0;
    for i in 0..n {
        let a = mat_vec(&rotation, sub(source[i], source_mean));
        aligned += weights[i] * dot(a, sub(target[i], target_mean));
    }
    let scale = aligned / source_spread;
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let turned_mean = mat_vec(&rotation, source_mean);
    let translation = [
        target_mean[0] - scale * turned_mean[0],
        target_mean[1] - scale * turned_mean[1],
        target_mean[2] - scale * turned_mean[2],
    ];
    let mut squared = 0.0;
    for i in 0..n {
        let fitted = mat_vec(&rotation, source[i]);
        let residual = [
            scale * fitted[0] + translation[0] - target[i][0],
            scale * fitted[1] + translation[1] - target[i][1],
            scale * fitted[2] + translation[2] - target[i][2],
        ];
        squared += weights[i] * dot(residual, residual);
    }
    Some(Similarity {
        rotation,
        scale,
        translation,
        rms_error: (squared / total).sqrt(),
    })
}

/// How much flatter the mesh model's depth is than its width: the model
/// reports z "in roughly the same scale as x", but learned it from weaker
/// depth data, and a face fitted with z as given nods and turns less than it
/// does. On the rendered ground truth (4 people, two cameras, nods of 10–30°
/// and a 15° chin poke) the pitch read 10–40 % low with z as given (median
/// error 2.4°, 22 of 32 within 3°); with z stretched by 1.3 the median error
/// is 1.1° and 27 of 32 are within 3° (1.6 overshoots: 1.6°, 23 of 32). Only
/// the angles use it (see [`head_pose`]); sizes are measured on the mesh as
/// given, as the forward offset was validated.
pub const MESH_DEPTH_GAIN: f64 = 1.3;

/// Which fit measured a head pose: stored with a calibration's neutral face so
/// a neutral from another fit (whose pitch and yaw differ by degrees) is not
/// compared with this one's. 1: the mesh's depth as given; 2: stretched by
/// [`MESH_DEPTH_GAIN`]. Raise it whenever the fit's angles or scale change.
pub const POSE_FIT_VERSION: u32 = 2;

/// A mesh point in image pixels (x right, y down, z away from the camera) in
/// the canonical face's frame (x right, y up, z towards the camera), its depth
/// multiplied by `depth_gain`. The two frames differ by a half turn about x,
/// so handedness is kept.
fn camera_frame(point: &[f32; 3], depth_gain: f64) -> [f64; 3] {
    [
        point[0] as f64,
        -(point[1] as f64),
        -(point[2] as f64) * depth_gain,
    ]
}

/// Head pose from a mesh of 468 points in image pixels, fitted on MediaPipe's
/// own weighted Procrustes landmarks (forehead, nose, cheekbones, eye corners:
/// nothing that moves with the jaw or a smile). The angles come from the mesh
/// with its depth stretched by [`MESH_DEPTH_GAIN`]; the scale and the fit
/// error from the mesh as given, which is what the forward offset was measured
/// with: with the depth stretched a nod of 30° also grows the fitted scale by
/// 2–3 %, which the offset would read as 2 cm of forward head. `None` if the
/// points are degenerate.
pub fn head_pose(mesh: &[[f32; 3]]) -> Option<HeadPose> {
    let size = fit_to_canonical(mesh, 1.0)?;
    let turn = fit_to_canonical(mesh, MESH_DEPTH_GAIN)?;
    let (pitch, yaw, roll) = euler_angles(&turn.rotation);
    Some(HeadPose {
        pitch_deg: pitch.to_degrees() as f32,
        yaw_deg: yaw.to_degrees() as f32,
        // Rz turns counter-clockwise on a y-up screen; the pose says clockwise.
        roll_deg: -roll.to_degrees() as f32,
        scale_px_per_cm: size.scale as f32,
        rms_error_cm: (size.rms_error / size.scale) as f32,
    })
}

/// The similarity from the canonical face onto the mesh over MediaPipe's
/// weighted Procrustes landmarks, the mesh's depth multiplied by `depth_gain`.
fn fit_to_canonical(mesh: &[[f32; 3]], depth_gain: f64) -> Option<Similarity> {
    let mut source = Vec::with_capacity(PROCRUSTES_BASIS.len());
    let mut target = Vec::with_capacity(PROCRUSTES_BASIS.len());
    let mut weights = Vec::with_capacity(PROCRUSTES_BASIS.len());
    for &(index, weight) in &PROCRUSTES_BASIS {
        source.push(CANONICAL_FACE_CM[index].map(f64::from));
        target.push(camera_frame(mesh.get(index)?, depth_gain));
        weights.push(f64::from(weight));
    }
    fit_similarity(&source, &target, &weights)
}

/// How much larger `mesh` is than `reference` (two meshes of the same face, in
/// image pixels): the similarity scale between all their points, so a face that
/// turns or tilts keeps its size and only nearing the camera (or a larger crop
/// of the same face) changes it. 1.2 means 20 % larger, e.g. against a neutral
/// calibration frame. `None` if either has fewer than three points or they pair
/// up badly.
pub fn scale_against(mesh: &[[f32; 3]], reference: &[[f32; 3]]) -> Option<f32> {
    if mesh.len() != reference.len() {
        return None;
    }
    let source: Vec<_> = reference.iter().map(|p| camera_frame(p, 1.0)).collect();
    let target: Vec<_> = mesh.iter().map(|p| camera_frame(p, 1.0)).collect();
    let weights = vec![1.0; mesh.len()];
    fit_similarity(&source, &target, &weights).map(|fit| fit.scale as f32)
}

/// (pitch, yaw, roll) in radians of `R = Rz(roll) · Ry(yaw) · Rx(pitch)`:
/// `R[2][0] = −sin yaw`, `R[2][1] / R[2][2] = tan pitch`, `R[1][0] / R[0][0] = tan roll`.
pub fn euler_angles(r: &[[f64; 3]; 3]) -> (f64, f64, f64) {
    let yaw = (-r[2][0]).clamp(-1.0, 1.0).asin();
    let pitch = r[2][1].atan2(r[2][2]);
    let roll = r[1][0].atan2(r[0][0]);
    (pitch, yaw, roll)
}

/// The rotation `Rz(roll) · Ry(yaw) · Rx(pitch)`, the inverse of [`euler_angles`].
pub fn rotation_from_euler(pitch_rad: f64, yaw_rad: f64, roll_rad: f64) -> [[f64; 3]; 3] {
    let (sp, cp) = pitch_rad.sin_cos();
    let (sy, cy) = yaw_rad.sin_cos();
    let (sr, cr) = roll_rad.sin_cos();
    let ry = [[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]];
    let rx = [[1.0, 0.0, 0.0], [0.0, cp, -sp], [0.0, sp, cp]];
    let rz = [[cr, -sr, 0.0], [sr, cr, 0.0], [0.0, 0.0, 1.0]];
    mat_mul(&rz, &mat_mul(&ry, &rx))
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn mat_vec(m: &[[f64; 3]; 3], v: [f64; 3]) -> [f64; 3] {
    [dot(m[0], v), dot(m[1], v), dot(m[2], v)]
}

fn mat_mul(a: &[[f64; 3]; 3], b: &[[f64; 3]; 3]) -> [[f64; 3]; 3] {
    let mut out = [[0.0; 3]; 3];
    for (row, out_row) in out.iter_mut().enumerate() {
        for (col, value) in out_row.iter_mut().enumerate() {
            *value = (0..3).map(|k| a[row][k] * b[k][col]).sum();
        }
    }
    out
}

/// The rotation matrix of the unit quaternion (w, x, y, z).
fn quaternion_to_rotation(q: [f64; 4]) -> [[f64; 3]; 3] {
    let norm = q.iter().map(|v| v * v).sum::<f64>().sqrt();
    let [w, x, y, z] = q.map(|v| v / norm);
    [
        [
            1.0 - 2.0 * (y * y + z * z),
            2.0 * (x * y - w * z),
            2.0 * (x * z + w * y),
        ],
        [
            2.0 * (x * y + w * z),
            1.0 - 2.0 * (x * x + z * z),
            2.0 * (y * z - w * x),
        ],
        [
            2.0 * (x * z - w * y),
            2.0 * (y * z + w * x),
            1.0 - 2.0 * (x * x + y * y),
        ],
    ]
}

/// The eigenvector of a symmetric 4 × 4 matrix with the largest eigenvalue,
/// by cyclic Jacobi rotations (exact to rounding after a handful of sweeps).
fn largest_eigenvector(mut a: [[f64; 4]; 4]) -> [f64; 4] {
    let mut v = [[0.0f64; 4]; 4];
    for (i, row) in v.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    for _sweep in 0..50 {
        let off: f64 = (0..4)
            .flat_map(|p| (p + 1..4).map(move |q| (p, q)))
            .map(|(p, q)| a[p][q] * a[p][q])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..4 {
            for q in p + 1..4 {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // A ← Jᵀ·A·J: columns p and q, then rows p and q.
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = (a[p], a[q]);
                a[p] = std::array::from_fn(|k| c * row_p[k] - s * row_q[k]);
                a[q] = std::array::from_fn(|k| s * row_p[k] + c * row_q[k]);
                for row in v.iter_mut() {
                    let (vkp, vkq) = (row[p], row[q]);
                    row[p] = c * vkp - s * vkq;
                    row[q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let best = (0..4)
        .max_by(|&i, &j| a[i][i].total_cmp(&a[j][j]))
        .unwrap_or(0);
    [v[0][best], v[1][best], v[2][best], v[3][best]]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The canonical face turned by (pitch, yaw, roll), scaled to pixels and
    /// placed in an image the way the mesh model reports it (y down, z away,
    /// depth flattened by [`MESH_DEPTH_GAIN`]): what the angles are fitted to.
    fn posed_mesh(pitch_deg: f64, yaw_deg: f64, roll_deg: f64, scale: f64) -> Vec<[f32; 3]> {
        mesh_with_depth(pitch_deg, yaw_deg, roll_deg, scale, 1.0 / MESH_DEPTH_GAIN)
    }

    /// [`posed_mesh`] with the canonical face's own depth: an exact similarity
    /// of it, what the scale and the fit error are checked on.
    fn true_depth_mesh(pitch_deg: f64, yaw_deg: f64, roll_deg: f64, scale: f64) -> Vec<[f32; 3]> {
        mesh_with_depth(pitch_deg, yaw_deg, roll_deg, scale, 1.0)
    }

    fn mesh_with_depth(
        pitch_deg: f64,
        yaw_deg: f64,
        roll_deg: f64,
        scale: f64,
        depth_scale: f64,
    ) -> Vec<[f32; 3]> {
        let r = rotation_from_euler(
            pitch_deg.to_radians(),
            yaw_deg.to_radians(),
            roll_deg.to_radians(),
        );
        CANONICAL_FACE_CM
            .iter()
            .map(|c| {
                let p = mat_vec(&r, [c[0] as f64, c[1] as f64, c[2] as f64]);
                [
                    (320.0 + scale * p[0]) as f32,
                    (240.0 - scale * p[1]) as f32,
                    (-scale * p[2] * depth_scale) as f32,
                ]
            })
            .collect()
    }

    #[test]
    fn euler_angles_invert_the_rotation() {
        for (pitch, yaw, roll) in [(0.3, -0.5, 0.2), (-0.7, 1.1, -0.4), (0.0, 0.0, 3.0)] {
            let (p, y, r) = euler_angles(&rotation_from_euler(pitch, yaw, roll));
            assert!((p - pitch).abs() < 1e-9 && (y - yaw).abs() < 1e-9 && (r - roll).abs() < 1e-9);
        }
    }

    #[test]
    fn a_frontal_canonical_face_has_no_rotation() {
        let head = head_pose(&posed_mesh(0.0, 0.0, 0.0, 8.0)).unwrap();
        assert!(head.pitch_deg.abs() < 1e-3, "{head:?}");
        assert!(
            head.yaw_deg.abs() < 1e-3 && head.roll_deg.abs() < 1e-3,
            "{head:?}"
        );
        let head = head_pose(&true_depth_mesh(0.0, 0.0, 0.0, 8.0)).unwrap();
        assert!((head.scale_px_per_cm - 8.0).abs() < 1e-4 && head.rms_error_cm < 1e-4);
    }

    #[test]
    fn the_angles_undo_the_models_flat_depth_and_the_scale_does_not() {
        // With the depth as the model gives it, a 20° nod fitted as it stands
        // reads low; the angles stretch the depth back.
        let nod = posed_mesh(20.0, 0.0, 0.0, 8.0);
        let head = head_pose(&nod).unwrap();
        assert!((head.pitch_deg - 20.0).abs() < 0.1, "{head:?}");
        let as_given = fit_to_canonical(&nod, 1.0).unwrap();
        assert!(euler_angles(&as_given.rotation).0.to_degrees() < 18.0);
        // The scale is the as-given fit's, as the forward offset was measured.
        assert_eq!(head.scale_px_per_cm, as_given.scale as f32);
    }

    #[test]
    fn known_rotations_and_scales_are_recovered_within_half_a_degree() {
        // Roll is reported clockwise on screen: minus the frame's Rz angle.
        for &(pitch, yaw, roll, scale) in &[
            (20.0, 0.0, 0.0, 6.0),
            (-15.0, 0.0, 0.0, 6.0),
            (0.0, 30.0, 0.0, 9.0),
            (0.0, -45.0, 0.0, 9.0),
            (0.0, 0.0, 25.0, 4.0),
            (10.0, -20.0, 5.0, 7.5),
            (-25.0, 35.0, -12.0, 12.0),
        ] {
            let head = head_pose(&posed_mesh(pitch, yaw, roll, scale)).unwrap();
            let expected = (pitch as f32, yaw as f32, -roll as f32);
            let got = (head.pitch_deg, head.yaw_deg, head.roll_deg);
            assert!(
                (got.0 - expected.0).abs() < 0.5
                    && (got.1 - expected.1).abs() < 0.5
                    && (got.2 - expected.2).abs() < 0.5,
                "{expected:?}: {got:?}"
            );
            let head = head_pose(&true_depth_mesh(pitch, yaw, roll, scale)).unwrap();
            assert!((head.scale_px_per_cm - scale as f32).abs() < 1e-3 * scale as f32);
        }
    }

    #[test]
    fn looking_down_in_the_image_is_positive_pitch_and_turning_right_is_positive_yaw() {
        // Built by hand rather than through rotation_from_euler: the nose tip
        // (far in front of the eyes) lower on screen = looking down...
        let down = head_pose(&posed_mesh(15.0, 0.0, 0.0, 8.0)).unwrap();
        let mesh = posed_mesh(15.0, 0.0, 0.0, 8.0);
        let level = posed_mesh(0.0, 0.0, 0.0, 8.0);
        assert!(mesh[1][1] > level[1][1] && down.pitch_deg > 0.0);
        // ...and the nose to the image's right of the eyes = turned right.
        let mesh = posed_mesh(0.0, 20.0, 0.0, 8.0);
        assert!(mesh[1][0] > level[1][0]);
        assert!(head_pose(&mesh).unwrap().yaw_deg > 0.0);
        // A face tilted so its image-right eye corner is lower: clockwise.
        let mesh = posed_mesh(0.0, 0.0, -10.0, 8.0);
        assert!(mesh[263][1] > mesh[33][1]);
        assert!(head_pose(&mesh).unwrap().roll_deg > 0.0);
    }

    #[test]
    fn noisy_points_still_give_the_angles_within_half_a_degree() {
        // A deterministic ±0.5 px jitter on a face 8 px/cm (about 120 px wide).
        let mut mesh = posed_mesh(12.0, -18.0, 6.0, 8.0);
        for (i, point) in mesh.iter_mut().enumerate() {
            let jitter = (
                (i * 7919 % 101) as f32 / 100.0 - 0.5,
                (i * 104_729 % 97) as f32 / 96.0 - 0.5,
            );
            point[0] += jitter.0;
            point[1] += jitter.1;
            point[2] += jitter.0 * 2.0;
        }
        let head = head_pose(&mesh).unwrap();
        assert!((head.pitch_deg - 12.0).abs() < 0.5, "{head:?}");
        assert!((head.yaw_deg + 18.0).abs() < 0.5, "{head:?}");
        assert!((head.roll_deg + 6.0).abs() < 0.5, "{head:?}");
        // The fit error is the as-given fit's: small for a face of the
        // canonical shape under the same jitter.
        let mut mesh = true_depth_mesh(12.0, -18.0, 6.0, 8.0);
        for (i, point) in mesh.iter_mut().enumerate() {
            point[0] += (i * 7919 % 101) as f32 / 100.0 - 0.5;
            point[1] += (i * 104_729 % 97) as f32 / 96.0 - 0.5;
        }
        let head = head_pose(&mesh).unwrap();
        assert!(head.rms_error_cm < 0.2, "{head:?}");
    }

    #[test]
    fn scale_against_a_reference_ignores_turning_and_follows_size() {
        let neutral = true_depth_mesh(0.0, 0.0, 0.0, 8.0);
        let nearer_and_turned = true_depth_mesh(15.0, 10.0, -5.0, 9.6);
        let ratio = scale_against(&nearer_and_turned, &neutral).unwrap();
        assert!((ratio - 1.2).abs() < 1e-4, "{ratio}");
        assert!((scale_against(&neutral, &neutral).unwrap() - 1.0).abs() < 1e-6);
        assert_eq!(scale_against(&neutral[..10], &neutral), None);
    }

    #[test]
    fn degenerate_points_give_no_fit() {
        let same = vec![[1.0, 2.0, 3.0]; 5];
        assert_eq!(fit_similarity(&same, &same, &[1.0; 5]), None);
        assert_eq!(
            fit_similarity(&same[..2], &same[..2], &[1.0; 2]),
            None,
            "two points"
        );
        let mesh = vec![[5.0f32, 5.0, 0.0]; 468];
        assert_eq!(head_pose(&mesh), None);
    }

    /// For each canonical point, its mirror image across the face's midline.
    fn mirror_partner() -> Vec<usize> {
        (0..CANONICAL_FACE_CM.len())
            .map(|i| {
                let [x, y, z] = CANONICAL_FACE_CM[i];
                (0..CANONICAL_FACE_CM.len())
                    .min_by(|&a, &b| {
                        let d = |j: usize| {
                            let c = CANONICAL_FACE_CM[j];
                            (c[0] + x).powi(2) + (c[1] - y).powi(2) + (c[2] - z).powi(2)
                        };
                        d(a).total_cmp(&d(b))
                    })
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn a_mirrored_face_turns_the_other_way() {
        let partner = mirror_partner();
        assert_eq!((partner[33], partner[263], partner[1]), (263, 33, 1));
        let mesh = posed_mesh(5.0, 25.0, 8.0, 8.0);
        // The mirror image of a face is a face whose right eye is the old left
        // one: positions mirrored, and each point's label swapped with its partner.
        let mirrored: Vec<_> = (0..mesh.len())
            .map(|i| {
                let p = mesh[partner[i]];
                [640.0 - p[0], p[1], p[2]]
            })
            .collect();
        let (a, b) = (head_pose(&mesh).unwrap(), head_pose(&mirrored).unwrap());
        assert!((a.yaw_deg + b.yaw_deg).abs() < 0.5, "{a:?} {b:?}");
        assert!((a.roll_deg + b.roll_deg).abs() < 0.5, "{a:?} {b:?}");
        assert!((a.pitch_deg - b.pitch_deg).abs() < 0.5, "{a:?} {b:?}");
    }
}
