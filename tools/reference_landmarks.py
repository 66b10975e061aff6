#!/usr/bin/env python3
"""Reference pose landmarks from MediaPipe's own implementation, for chintuck's parity test.

MediaPipe Tasks' PoseLandmarker (PyPI mediapipe==1.2.2) runs the BlazePose detector and the lite
landmark model that chintuck ships (the same weights are inside PyPI postured==1.4.1 as
resources/pose_landmarker_lite.task). This script runs it once per image (IMAGE mode: detector,
then one landmark pass, exactly what `chintuck analyze FILE` does for a single image) and writes
the landmarks in image pixels to fixtures/reference_landmarks.json. tests/parity.rs compares
chintuck's landmarks 0-12 against them.

CI does not run this: its output is committed. To regenerate, from the repository root:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install -r tools/requirements.txt
    /tmp/refvenv/bin/python tools/reference_landmarks.py [IMAGES_DIR] [OUT_JSON]
"""

import hashlib
import json
import pathlib
import sys
import zipfile

import mediapipe as mp
import numpy as np
from mediapipe.tasks.python import vision
from mediapipe.tasks.python.core.base_options import BaseOptions
from PIL import Image

import postured

NAMES = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    images_dir = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "fixtures/images"
    out_path = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else root / "fixtures/reference_landmarks.json"

    task = pathlib.Path(postured.__file__).parent / "resources/pose_landmarker_lite.task"
    task_bytes = task.read_bytes()
    with zipfile.ZipFile(task) as bundle:
        members = {name: sha256(bundle.read(name)) for name in sorted(bundle.namelist())}

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_buffer=task_bytes),
        running_mode=vision.RunningMode.IMAGE,
        num_poses=1,
    )
    images = {}
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for path in sorted(images_dir.iterdir()):
            if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
                continue
            rgb = np.asarray(Image.open(path).convert("RGB"))
            height, width = rgb.shape[:2]
            result = landmarker.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
            landmarks = []
            if result.pose_landmarks:
                for name, point in zip(NAMES, result.pose_landmarks[0]):
                    landmarks.append({
                        "name": name,
                        "x": round(point.x * width, 3),
                        "y": round(point.y * height, 3),
                        "visibility": round(point.visibility, 4),
                        "presence": round(point.presence, 4),
                    })
            images[path.name] = {
                "width": width,
                "height": height,
                "person": bool(landmarks),
                "landmarks": landmarks,
            }
            print(f"{path.name}: {'person' if landmarks else 'no person'}", file=sys.stderr)

    out = {
        "generator": "tools/reference_landmarks.py",
        "mediapipe": mp.__version__,
        "model": "postured 1.4.1 resources/pose_landmarker_lite.task",
        "task_sha256": sha256(task_bytes),
        "task_members": members,
        "images": images,
    }
    out_path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
