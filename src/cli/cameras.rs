//! `chintuck cameras`: the capture devices chintuck can watch through.

use anyhow::Result;
use chintuck::capture::FrameSize;

/// Lists the cameras; with `check`, opens each asking for pictures of
/// `size` (`[camera] resolution`), as `run` would, and says what it gave.
#[cfg(feature = "camera")]
pub fn cameras(json: bool, check: bool, size: FrameSize) -> Result<()> {
    use std::time::{Duration, Instant};

    use chintuck::capture::camera::{describe_formats, list_cameras};
    use chintuck::capture::live::{Backoff, CameraPoll, LiveCamera};

    let devices = list_cameras()?;
    if devices.is_empty() && !json {
        println!("no camera found (no video capture device such as /dev/video0)");
        return Ok(());
    }
    let mut failed = false;
    for device in &devices {
        let formats = describe_formats(device);
        // --check: open the camera, take a few frames, close it again.
        let checked = check.then(|| {
            let driver = chintuck::capture::camera::NokhwaCamera::new(device.clone(), size);
            let mut camera =
                LiveCamera::new(Box::new(driver), Backoff::default(), Duration::from_secs(5));
            let started = Instant::now();
            let mut outcome = Err("no frame".to_string());
            for _ in 0..5 {
                match camera.poll(started.elapsed().as_secs_f64(), true) {
                    CameraPoll::Frame(picture) => {
                        // In colour too, as the models would read it.
                        outcome = picture
                            .into_rgb()
                            .map(|image| {
                                format!(
                                    "picture {}×{} (asked for {size})",
                                    image.width(),
                                    image.height()
                                )
                            })
                            .map_err(|err| format!("a frame chintuck cannot read: {err}"));
                        break;
                    }
                    CameraPoll::Unusable(problem) => outcome = Err(problem.to_string()),
                    CameraPoll::Down { error, .. } => {
                        outcome = Err(error.to_string());
                        break;
                    }
                    CameraPoll::Closed => {}
                }
            }
            camera.close();
            outcome
        });
        failed |= matches!(checked, Some(Err(_)));
        if json {
            let mut entry = serde_json::json!({
                "index": device.index,
                "name": device.name,
                "description": device.description,
            });
            match &formats {
                Ok(formats) => entry["formats"] = serde_json::json!(formats),
                Err(err) => entry["formats_error"] = serde_json::json!(err.to_string()),
            }
            if let Some(checked) = &checked {
                entry["check"] = match checked {
                    Ok(picture) => serde_json::json!({"ok": true, "result": picture}),
                    Err(problem) => serde_json::json!({"ok": false, "result": problem}),
                };
            }
            println!("{entry}");
            continue;
        }
        println!("{}: {} ({})", device.index, device.name, device.description);
        match &formats {
            Ok(formats) => {
                for format in formats {
                    println!("    {format}");
                }
            }
            Err(err) => println!("    formats unknown: {err}"),
        }
        match &checked {
            Some(Ok(picture)) => println!("    check: ok, {picture}"),
            Some(Err(problem)) => println!("    check: FAILED: {problem}"),
            None => {}
        }
    }
    if failed {
        anyhow::bail!("a camera failed its check (see above)");
    }
    Ok(())
}

#[cfg(not(feature = "camera"))]
pub fn cameras(_json: bool, _check: bool, _size: FrameSize) -> Result<()> {
    anyhow::bail!(
        "this chintuck was built without camera support (cargo feature `camera`); rebuild with default features"
    )
}
