#!/usr/bin/env python3
"""compare.py: check that rebuilt ONNX models are the shipped ones, up to node names.

What: for each of the four models (three pose models, the face landmark model), in REBUILT_DIR and SHIPPED_DIR,
  1. structure: the same weights (every initializer's type, shape and bytes, as a multiset) and
     the same operators (every node's type and attributes, as a multiset), names ignored;
  2. numbers: both run with onnxruntime on the same seeded random input (detector: uniform in
     [-1, 1], its input range; landmark models, face included: uniform in [0, 1]); the largest absolute
     difference of every output is printed.
Why: tf2onnx names its generated nodes differently on every run, so the files' bytes and
checksums never match; weights, operators and outputs do.
How to run: convert.sh calls it; by hand, inside the venv of requirements.txt:
    python compare.py REBUILT_DIR SHIPPED_DIR
Exits 1 if a structure differs or an output differs by more than 1e-4. CI does not run it.
"""

import pathlib
import sys

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

SIDES = {
    "pose_detection.onnx": 224,
    "pose_landmark_lite.onnx": 256,
    "pose_landmark_full.onnx": 256,
    "face_landmark.onnx": 192,
}
TOLERANCE = 1e-4


def structure(path: pathlib.Path) -> tuple[list, list]:
    """Weights and operators of a model, with every name left out, in a canonical order."""
    model = onnx.load(str(path))
    weights = sorted(
        (init.data_type, tuple(init.dims), numpy_helper.to_array(init).tobytes())
        for init in model.graph.initializer
    )
    operators = sorted(
        (node.op_type, repr([(a.name, helper.get_attribute_value(a)) for a in node.attribute]))
        for node in model.graph.node
    )
    return weights, operators


def main() -> None:
    rebuilt, shipped = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    rng = np.random.default_rng(7)
    ok = True
    for name, side in SIDES.items():
        same = structure(rebuilt / name) == structure(shipped / name)
        ok &= same
        print(f"{name}: weights and operators {'identical' if same else 'DIFFER'} (names ignored)")

        low = -1.0 if name == "pose_detection.onnx" else 0.0
        sample = rng.uniform(low, 1.0, (1, side, side, 3)).astype(np.float32)
        runs = []
        for folder in (rebuilt, shipped):
            session = ort.InferenceSession(str(folder / name), providers=["CPUExecutionProvider"])
            feed = {session.get_inputs()[0].name: sample}
            names = [o.name for o in session.get_outputs()]
            runs.append(dict(zip(names, session.run(names, feed))))
        for output, value in runs[1].items():
            diff = float(np.max(np.abs(runs[0][output] - value)))
            ok &= diff <= TOLERANCE
            print(f"{name} {output} {list(value.shape)}: max abs diff {diff:.3g}")
    print("rebuilt models match the shipped ones" if ok else "rebuilt models DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
