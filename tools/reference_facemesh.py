#!/usr/bin/env python3
"""Reference face mesh points from the original TFLite model, for chintuck's face mesh tests.

What: for each fixture image with a person in fixtures/reference_landmarks.json, seeds a face
region from MediaPipe's own pose landmarks (eyes, mouth, ears), runs MediaPipe's
face_landmark.tflite (tf.lite.Interpreter) in that region and re-centres the region from the
mesh's own points the way MediaPipe's face_landmark_landmarks_to_roi graph does (rotation from
eye corners 33 -> 263, axis-aligned box of all 468 points, x 1.5, square), for a few passes.
It writes each image's final region, the face presence and the 468 points of the last pass in
image pixels to fixtures/reference_facemesh.json, and prints how far chintuck's shipped
models/face_landmark.onnx (run by onnxruntime on the very same crop) is from the TFLite model.
Why: tests/facemesh.rs runs the ONNX model with tract on the recorded region and checks it
against these points (conversion + inference + decoding), and checks that chintuck's own
tracked region converges to the same face.
The crop is the same bilinear warp as src/pose/blazepose/sampling.rs (output pixel (u, v) reads
the frame at the region's crop point (u/192, v/192), edge pixels replicated), values px/255.
The seed rule is FaceRoi::from_body_landmarks in src/pose/facemesh/roi.rs.

CI does not run this: its output is committed. To regenerate, from the repository root, in a
venv with models/convert/requirements.txt and pillow installed, and the face mesh package
unpacked (`npm pack @mediapipe/face_mesh@0.4.1657299874 && tar xzf mediapipe-face_mesh-*.tgz`):

    python tools/reference_facemesh.py PACKAGE_DIR [OUT_JSON]
"""

import hashlib
import json
import math
import pathlib
import re
import sys

import numpy as np
import onnxruntime as ort
import tensorflow as tf
from PIL import Image

SIDE = 192
PASSES = 3
ROI_SCALE = 1.5
REPO = pathlib.Path(__file__).resolve().parent.parent


def tflite_bytes(package: pathlib.Path) -> bytes:
    loader = (package / "face_mesh_solution_packed_assets_loader.js").read_text()
    files = json.loads(re.search(r"loadPackage\((\{.*?\})\);", loader).group(1))["files"]
    (entry,) = [f for f in files if f["filename"].endswith("/face_landmark.tflite")]
    data = (package / "face_mesh_solution_packed_assets.data").read_bytes()
    return data[entry["start"]:entry["end"]]


def normalize_angle(angle: float) -> float:
    wrapped = angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))
    return wrapped + 2 * math.pi if wrapped <= -math.pi else wrapped


def crop_to_image(roi, u, v):
    cx, cy, side, rot = roi
    s, c = math.sin(rot), math.cos(rot)
    dx, dy = (u - 0.5) * side, (v - 0.5) * side
    return cx + c * dx - s * dy, cy + s * dx + c * dy


def crop(frame: np.ndarray, roi) -> np.ndarray:
    h, w, _ = frame.shape
    ox, oy = crop_to_image(roi, 0.0, 0.0)
    rx, ry = crop_to_image(roi, 1.0 / SIDE, 0.0)
    dx, dy = crop_to_image(roi, 0.0, 1.0 / SIDE)
    u, v = np.meshgrid(np.arange(SIDE, dtype=np.float32), np.arange(SIDE, dtype=np.float32))
    x = np.float32(ox) + u * np.float32(rx - ox) + v * np.float32(dx - ox)
    y = np.float32(oy) + u * np.float32(ry - oy) + v * np.float32(dy - oy)
    x0, y0 = np.floor(x), np.floor(y)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    xi, yi = x0.astype(np.int64), y0.astype(np.int64)
    f = frame.astype(np.float32)

    def at(xx, yy):
        return f[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]

    top = at(xi, yi) + (at(xi + 1, yi) - at(xi, yi)) * fx
    bottom = at(xi, yi + 1) + (at(xi + 1, yi + 1) - at(xi, yi + 1)) * fx
    return ((top + (bottom - top) * fy) / 255.0)[None].astype(np.float32)


def seed_roi(landmarks):
    """FaceRoi::from_body_landmarks: see src/pose/facemesh/roi.rs."""
    p = {lm["name"]: np.array([lm["x"], lm["y"]]) for lm in landmarks}
    left, right = p["left_eye_outer"], p["right_eye_outer"]
    eyes = (p["left_eye"] + p["right_eye"]) / 2
    mouth = (p["mouth_left"] + p["mouth_right"]) / 2
    center = (eyes + mouth) / 2
    eye_mouth = float(np.linalg.norm(mouth - eyes))
    ear_span = float(np.linalg.norm(p["left_ear"] - p["right_ear"]))
    side = ROI_SCALE * max(2.56 * eye_mouth, 1.14 * ear_span)
    rotation = normalize_angle(-math.atan2(-(left[1] - right[1]), left[0] - right[0]))
    return (float(center[0]), float(center[1]), side, rotation)


def mesh_roi(points):
    """MediaPipe's face_landmark_landmarks_to_roi: see FaceRoi::from_mesh."""
    xs, ys = points[:, 0], points[:, 1]
    cx, cy = (xs.min() + xs.max()) / 2, (ys.min() + ys.max()) / 2
    side = ROI_SCALE * max(xs.max() - xs.min(), ys.max() - ys.min())
    (x0, y0), (x1, y1) = points[33, :2], points[263, :2]
    rotation = normalize_angle(-math.atan2(-(y1 - y0), x1 - x0))
    return (float(cx), float(cy), float(side), float(rotation))


def to_image(raw: np.ndarray, roi) -> np.ndarray:
    crop_points = raw.reshape(468, 3) / SIDE
    out = np.empty((468, 3))
    for i, (u, v, z) in enumerate(crop_points):
        out[i, :2] = crop_to_image(roi, u, v)
        out[i, 2] = z * roi[2]
    return out


def main() -> None:
    package = pathlib.Path(sys.argv[1])
    out_path = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else REPO / "fixtures/reference_facemesh.json"
    model = tflite_bytes(package)
    interpreter = tf.lite.Interpreter(model_content=model)
    interpreter.allocate_tensors()
    (inp,) = interpreter.get_input_details()
    outs = {o["name"]: o["index"] for o in interpreter.get_output_details()}
    onnx_path = REPO / "models/face_landmark.onnx"
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])

    pose = json.loads((REPO / "fixtures/reference_landmarks.json").read_text())
    images = {}
    for name, entry in pose["images"].items():
        if not entry["person"]:
            continue
        frame = np.asarray(Image.open(REPO / "fixtures/images" / name).convert("RGB"))
        roi = seed_roi(entry["landmarks"])
        for _ in range(PASSES):
            tensor = crop(frame, roi)
            interpreter.set_tensor(inp["index"], tensor)
            interpreter.invoke()
            raw = interpreter.get_tensor(outs["conv2d_21"]).reshape(-1)
            logit = float(interpreter.get_tensor(outs["conv2d_31"]).reshape(-1)[0])
            onnx_raw, onnx_logit = session.run(["conv2d_21", "conv2d_31"], {"input_1": tensor})
            points = to_image(raw, roi)
            used_roi, roi = roi, mesh_roi(points)
        diff = np.abs(onnx_raw.reshape(-1) - raw)
        presence = 1 / (1 + math.exp(-logit))
        print(f"{name}: presence logit {logit:.4f} (sigmoid {presence:.5f}), onnx logit "
              f"{float(onnx_logit.reshape(-1)[0]):.4f}; landmarks x/y/z in crop px: range "
              f"{raw.min():.1f}..{raw.max():.1f}, onnxruntime vs tflite max abs diff "
              f"{diff.max():.2e}, mean {diff.mean():.2e}; region {used_roi}")
        images[name] = {
            "width": int(frame.shape[1]),
            "height": int(frame.shape[0]),
            "roi": {"center_x": used_roi[0], "center_y": used_roi[1], "side_px": used_roi[2],
                    "rotation_rad": used_roi[3]},
            "presence_logit": round(logit, 4),
            "presence": round(presence, 5),
            "points": [[round(float(c), 3) for c in p] for p in points],
        }
    result = {
        "generator": "tools/reference_facemesh.py",
        "model": "face_landmark.tflite from npm @mediapipe/face_mesh@0.4.1657299874",
        "tflite_sha256": hashlib.sha256(model).hexdigest(),
        "tensorflow": tf.__version__,
        "passes": PASSES,
        "note": "points: the 468 mesh points of the last pass, in image pixels (x, y) and z in "
                "the same pixel scale, from the TFLite model run on the crop of `roi`",
        "images": images,
    }
    out_path.write_text(json.dumps(result, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {out_path}")


if __name__ == "__main__":
    main()
