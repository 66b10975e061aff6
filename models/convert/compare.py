#!/usr/bin/env python3
"""Compare rebuilt ONNX models with the shipped ones on the same random inputs (onnxruntime).

    python compare.py REBUILT_DIR SHIPPED_DIR

Prints the largest absolute difference per output; exits 1 if any exceeds 1e-4.
"""

import pathlib
import sys

import numpy as np
import onnxruntime as ort

SIDES = {"pose_detection.onnx": 224, "pose_landmark_lite.onnx": 256, "pose_landmark_full.onnx": 256}


def main() -> None:
    rebuilt, shipped = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    rng = np.random.default_rng(7)
    worst = 0.0
    for name, side in SIDES.items():
        sample = rng.uniform(-1.0 if side == 224 else 0.0, 1.0, (1, side, side, 3)).astype(np.float32)
        runs = []
        for folder in (rebuilt, shipped):
            session = ort.InferenceSession(str(folder / name), providers=["CPUExecutionProvider"])
            feed = {session.get_inputs()[0].name: sample}
            names = [o.name for o in session.get_outputs()]
            runs.append(dict(zip(names, session.run(names, feed))))
        for output, value in runs[1].items():
            diff = float(np.max(np.abs(runs[0][output] - value)))
            worst = max(worst, diff)
            print(f"{name} {output}: max abs diff {diff:.3g}")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main()
