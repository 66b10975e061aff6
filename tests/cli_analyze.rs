//! `chintuck analyze` as a user runs it: the JSON shape, annotated images,
//! folders as sequences, broken inputs, and finding the models once installed.

mod common;

use std::path::Path;
use std::process::Output;

use common::{chintuck_bin, fixture_image, isolated, isolated_chintuck, json_lines, repo_root};
use image::{Rgb, RgbImage};

fn chintuck(args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    isolated_chintuck(home.path())
        .args(args)
        .output()
        .expect("chintuck runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn json_output_has_one_object_per_image_with_all_33_named_landmarks() {
    let image = fixture_image("astronaut_webcam_640x480.png");
    let output = chintuck(&["analyze", "--json", image.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1);
    let frame = &lines[0];
    assert_eq!(frame["file"], image.display().to_string());
    assert_eq!(frame["width"], 640);
    assert_eq!(frame["height"], 480);
    assert_eq!(frame["person"], true);
    assert!(frame["presence"].as_f64().unwrap() > 0.9);
    let landmarks = frame["landmarks"].as_object().unwrap();
    assert_eq!(landmarks.len(), 33);
    for name in [
        "nose",
        "left_eye_inner",
        "left_ear",
        "right_ear",
        "mouth_left",
        "left_shoulder",
        "right_foot_index",
    ] {
        let point = &landmarks[name];
        for field in ["x", "y", "visibility"] {
            assert!(point[field].is_f64(), "{name}.{field} missing: {point}");
        }
    }
    let nose = &landmarks["nose"];
    assert!(
        (250.0..310.0).contains(&nose["x"].as_f64().unwrap()),
        "{nose}"
    );
}

#[test]
fn human_summary_names_the_head_and_shoulders() {
    let image = fixture_image("astronaut.png");
    let output = chintuck(&["analyze", image.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("astronaut.png  512×512  person"), "{text}");
    assert!(
        text.contains("nose (") && text.contains("shoulders L ("),
        "{text}"
    );
}

fn write_sequence(dir: &Path) {
    let source = chintuck::capture::load_image(&fixture_image("astronaut.png")).unwrap();
    for k in 0..3u32 {
        let frame = image::imageops::crop_imm(&source, 16 + 4 * k, 40, 420, 420).to_image();
        // Names that sort differently as numbers and as text: file-name order rules.
        frame.save(dir.join(format!("frame_{k:02}.png"))).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not an image, skipped").unwrap();
}

#[test]
fn a_folder_is_one_sequence_in_file_name_order_with_tracking_between_frames() {
    let dir = tempfile::tempdir().unwrap();
    write_sequence(dir.path());
    let output = chintuck(&["analyze", "--json", dir.path().to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let lines = json_lines(&output);
    let files: Vec<_> = lines
        .iter()
        .map(|l| l["file"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files[0].ends_with("frame_00.png") && files[2].ends_with("frame_02.png"));
    let regions: Vec<_> = lines.iter().map(|l| l["roi"].as_str().unwrap()).collect();
    assert_eq!(regions, ["detector", "tracking", "tracking"]);
}

#[test]
fn annotate_writes_a_drawn_image_for_one_file_and_a_folder_of_them_for_a_folder() {
    let out = tempfile::tempdir().unwrap();
    let single = out.path().join("drawn.png");
    let image = fixture_image("astronaut_webcam_640x480.png");
    let output = chintuck(&[
        "analyze",
        "--annotate",
        single.to_str().unwrap(),
        image.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let original = chintuck::capture::load_image(&image).unwrap();
    let drawn = chintuck::capture::load_image(&single).unwrap();
    assert_eq!(drawn.dimensions(), original.dimensions());
    let changed = drawn
        .pixels()
        .zip(original.pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert!(changed > 500, "only {changed} pixels drawn");

    let frames = tempfile::tempdir().unwrap();
    write_sequence(frames.path());
    let folder = out.path().join("sequence");
    let output = chintuck(&[
        "analyze",
        "--annotate",
        folder.to_str().unwrap(),
        frames.path().to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for k in 0..3 {
        assert!(folder.join(format!("frame_{k:02}.annotated.png")).is_file());
    }

    // Two inputs with the same file name (two folders' first frame) get one drawing each.
    let again = tempfile::tempdir().unwrap();
    write_sequence(again.path());
    let both = out.path().join("both");
    let output = chintuck(&[
        "analyze",
        "--annotate",
        both.to_str().unwrap(),
        frames.path().join("frame_00.png").to_str().unwrap(),
        again.path().join("frame_00.png").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let mut written: Vec<_> = std::fs::read_dir(&both)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["frame_00-2.annotated.png", "frame_00.annotated.png"]
    );
}

#[test]
fn no_person_is_an_explicit_result() {
    let dir = tempfile::tempdir().unwrap();
    let wall = dir.path().join("wall.png");
    RgbImage::from_pixel(640, 480, Rgb([200, 196, 180]))
        .save(&wall)
        .unwrap();
    let output = chintuck(&["analyze", "--json", wall.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr(&output));
    let frame = &json_lines(&output)[0];
    assert_eq!(frame["person"], false);
    assert!(frame["presence"].is_null());
    assert_eq!(frame["landmarks"], serde_json::json!({}));
    let output = chintuck(&["analyze", wall.to_str().unwrap()]);
    assert!(stdout(&output).contains("no person"));
}

/// Broken files: each a clear message naming the file, the others still
/// analysed, a failing exit status, and never a panic.
#[test]
fn broken_images_are_clear_errors_and_do_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let png = std::fs::read(fixture_image("astronaut.png")).unwrap();
    std::fs::write(dir.path().join("a_truncated.png"), &png[..png.len() / 3]).unwrap();
    std::fs::write(dir.path().join("b_empty.png"), b"").unwrap();
    std::fs::write(
        dir.path().join("c_text.jpg"),
        b"this is a shopping list, not a photo\n",
    )
    .unwrap();
    std::fs::copy(
        fixture_image("astronaut.png"),
        dir.path().join("d_good.png"),
    )
    .unwrap();

    let output = chintuck(&["analyze", "--json", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("3 of 4 images could not be analysed"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 4);
    let error_of = |index: usize| lines[index]["error"].as_str().unwrap_or("").to_owned();
    assert!(
        lines[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("a_truncated.png")
    );
    assert!(
        error_of(0).contains("not a readable PNG or JPEG"),
        "{}",
        error_of(0)
    );
    assert!(error_of(1).contains("the file is empty"), "{}", error_of(1));
    assert!(
        error_of(2).contains("c_text.jpg") && error_of(2).contains("unrecognised"),
        "{}",
        error_of(2)
    );
    assert_eq!(lines[3]["person"], true);

    // Human mode: the message on stderr names the file.
    let output = chintuck(&["analyze", dir.path().join("b_empty.png").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("b_empty.png: the file is empty"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn tiny_and_huge_images_give_a_result_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = dir.path().join("tiny.png");
    RgbImage::from_pixel(1, 1, Rgb([10, 20, 30]))
        .save(&tiny)
        .unwrap();
    let huge = dir.path().join("huge.png");
    RgbImage::from_pixel(10_000, 10_000, Rgb([120, 130, 140]))
        .save(&huge)
        .unwrap();
    for (path, width) in [(&tiny, 1), (&huge, 10_000)] {
        let output = chintuck(&["analyze", "--json", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        let frame = &json_lines(&output)[0];
        assert_eq!(frame["width"], width);
        assert_eq!(frame["person"], false);
    }
}

#[test]
fn missing_paths_and_bad_options_say_what_is_wrong() {
    let output = chintuck(&["analyze", "/nonexistent/frames"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("/nonexistent/frames: no such file or folder"),
        "{}",
        stderr(&output)
    );

    let empty = tempfile::tempdir().unwrap();
    let output = chintuck(&["analyze", empty.path().to_str().unwrap()]);
    assert!(
        stderr(&output).contains("holds no .png, .jpg or .jpeg images"),
        "{}",
        stderr(&output)
    );

    let output = chintuck(&["analyze", "--model", "heavy", "x.png"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("expected 'lite' or 'full'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_damaged_model_in_the_models_folder_is_named_with_its_checksum() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo_root().join("models/pose_landmark_lite.onnx"),
        dir.path().join("pose_landmark_lite.onnx"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pose_detection.onnx"),
        b"truncated download",
    )
    .unwrap();
    let image = fixture_image("astronaut.png");
    let output = chintuck(&[
        "--models",
        dir.path().to_str().unwrap(),
        "analyze",
        image.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("pose_detection.onnx is damaged"), "{err}");
    assert!(
        err.contains(
            chintuck::pose::blazepose::models::expected_sha256("pose_detection.onnx").unwrap()
        ),
        "{err}"
    );
}

/// The binary is the whole install (`cargo install --path .`, or a copied file): alone in an
/// empty folder, run from another one, it analyses with its built-in models. `models_dir` in
/// the config still points it at a folder of models instead.
#[test]
fn a_lone_copy_of_the_binary_works_from_any_folder() {
    let bin_dir = tempfile::tempdir().unwrap();
    let lone = bin_dir.path().join("chintuck");
    std::fs::copy(chintuck_bin(), &lone).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture_image("astronaut.png"),
        elsewhere.path().join("me.png"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        isolated(&lone, home.path())
            .current_dir(elsewhere.path())
            .args(extra)
            .args(["analyze", "--json", "me.png"])
            .output()
            .unwrap()
    };
    let output = run(&[]);
    assert!(output.status.success(), "{}", stderr(&output));
    let frames = json_lines(&output);
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0]["person"], true, "{}", stdout(&output));

    // The config's models_dir overrides the built-in models: an empty folder is reported.
    let empty_models = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[general]\nmodels_dir = \"{}\"\n",
            empty_models.path().display()
        ),
    )
    .unwrap();
    let output = run(&["--config", config.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("pose_detection.onnx not found"), "{err}");
    assert!(
        err.contains(&empty_models.path().display().to_string()),
        "{err}"
    );
}
