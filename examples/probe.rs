use chintuck::pose::blazepose::{BlazePose, LandmarkModel};
use chintuck::pose::{PoseEstimator, RoiSource};
use image::{Rgb, RgbImage};
fn empty_room(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let shelf = (y / 60) % 3 == 0 && x > width / 3;
        if shelf {
            Rgb([120, 90, 60])
        } else {
            Rgb([
                (200 - y * 100 / height) as u8,
                (190 - x * 60 / width) as u8,
                170,
            ])
        }
    })
}
fn main() {
    let mut bp =
        BlazePose::load(&[std::path::PathBuf::from("models")], LandmarkModel::Lite).unwrap();
    let src = chintuck::capture::load_image(std::path::Path::new(
        "fixtures/images/astronaut_webcam_640x480.png",
    ))
    .unwrap();
    let p = bp.estimate(&src).unwrap().unwrap();
    let (p2, mut roi) = bp.landmarks_in(&src, p.roi, RoiSource::Tracking).unwrap();
    println!("person roi {:?} presence {}", p2.roi, p2.presence);
    for scene in [
        empty_room(640, 480),
        RgbImage::from_pixel(640, 480, Rgb([200, 200, 190])),
    ] {
        let mut r = roi;
        for _ in 0..3 {
            let (q, next) = bp.landmarks_in(&scene, r, RoiSource::Tracking).unwrap();
            println!("presence {:.3} roi {:?} next {:?}", q.presence, q.roi, next);
            r = next;
        }
    }
}
