//! RGB to packed YUYV (BT.601 limited range, chroma averaged over each pixel
//! pair), as a webcam would send it: shared by the camera tests and the
//! decode benchmark (`benches/pipeline.rs` includes this file by path).

use image::{Rgb, RgbImage};

pub fn yuyv_bytes(image: &RgbImage) -> Vec<u8> {
    let yuv = |p: &Rgb<u8>| {
        let [r, g, b] = p.0.map(f32::from);
        (
            16.0 + 0.257 * r + 0.504 * g + 0.098 * b,
            128.0 - 0.148 * r - 0.291 * g + 0.439 * b,
            128.0 + 0.439 * r - 0.368 * g - 0.071 * b,
        )
    };
    let mut bytes = Vec::with_capacity(image.as_raw().len() / 3 * 2);
    for y in 0..image.height() {
        for x in (0..image.width()).step_by(2) {
            let (y0, u0, v0) = yuv(image.get_pixel(x, y));
            let (y1, u1, v1) = yuv(image.get_pixel(x + 1, y));
            let byte = |v: f32| v.round().clamp(0.0, 255.0) as u8;
            bytes.extend_from_slice(&[
                byte(y0),
                byte((u0 + u1) / 2.0),
                byte(y1),
                byte((v0 + v1) / 2.0),
            ]);
        }
    }
    bytes
}
