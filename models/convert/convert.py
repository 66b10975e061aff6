#!/usr/bin/env python3
"""convert.py: rebuild chintuck's ONNX models from MediaPipe's TFLite files.

What: turns pose_detection.tflite, pose_landmark_lite.tflite and pose_landmark_full.tflite from
the npm package @mediapipe/pose@0.5.1675469404 into pose_detection.onnx, pose_landmark_lite.onnx
and pose_landmark_full.onnx, and face_landmark.tflite (Face Mesh, 468 points) from the npm
package @mediapipe/face_mesh@0.4.1657299874 into face_landmark.onnx (both Apache-2.0, Google
LLC / The MediaPipe Authors).
Why: chintuck runs BlazePose and Face Mesh with tract, which reads ONNX, and MediaPipe ships
TFLite only. This script is the record of how models/*.onnx were made, so anyone can rebuild and
check them.
How to run: models/convert/convert.sh does everything (venv, npm pack, this, comparison). By
hand, inside a venv with requirements.txt installed and the npm packages unpacked:
    python convert.py POSE_PACKAGE_DIR OUT_DIR [FACE_MESH_PACKAGE_DIR]
Without FACE_MESH_PACKAGE_DIR only the three pose models are made.
CI does not run this (it needs the network and minutes of work).

Steps:
1. The detector is the only file inside pose_solution_packed_assets.data, an Emscripten
   file_packager bundle: the loader script pose_solution_packed_assets_loader.js ends with
   loadPackage({"files": [{"filename": ".../pose_detection.tflite", "start": 0, "end": N}]}),
   and the file is bytes start..end of the .data file. The landmark models are plain .tflite
   files in the package. The face mesh package packs four files the same way
   (face_mesh_solution_packed_assets.data); face_landmark.tflite is one of them.
2. The detector holds 38 DENSIFY ops (sparse fp16 weights) that tf2onnx cannot read ("cannot
   reshape array of size 96 into shape (16,1,1,24)"). Run the model once in the TFLite
   interpreter with all tensors preserved, take each DENSIFY output (the dense weights), store it
   as a constant buffer in the flatbuffer, and remove the op. The landmark models have none and
   go to tf2onnx untouched, and so does the face landmark model (it has none either).
3. python -m tf2onnx.convert --tflite ... --opset 13.
4. Every fp32 initializer of at least 16 elements that fp16 represents exactly (all the weights:
   they were fp16 in the TFLite file) is stored as fp16 plus a Cast node back to fp32: half the
   size, bit-identical outputs.

The files are not byte-reproducible: tf2onnx numbers the names of its generated nodes and
constants (const_fold_opt__905, scales__424, ...) differently from one run to the next, even on
the same input, so every run gives new checksums. compare.py checks what matters instead: the
same weights, the same operators, the same outputs.
"""

import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

# Initializers smaller than this stay fp32 (scalars, Resize scales, tiny per-channel vectors):
# saving a few bytes there is not worth a Cast node. 16 is what the shipped files show.
MIN_FP16_ELEMENTS = 16

MODELS = {
    "pose_detection.onnx": "pose_detection.tflite",
    "pose_landmark_lite.onnx": "pose_landmark_lite.tflite",
    "pose_landmark_full.onnx": "pose_landmark_full.tflite",
    "face_landmark.onnx": "face_landmark.tflite",
}


def extract_packed(package: pathlib.Path, prefix: str, file_name: str,
                   out: pathlib.Path) -> pathlib.Path:
    """Cut one file out of PREFIX_packed_assets.data, at the offsets its loader script gives."""
    loader = (package / f"{prefix}_packed_assets_loader.js").read_text()
    files = json.loads(re.search(r"loadPackage\((\{.*?\})\);", loader).group(1))["files"]
    (entry,) = [f for f in files if f["filename"].endswith("/" + file_name)]
    data = (package / f"{prefix}_packed_assets.data").read_bytes()
    path = out / file_name
    path.write_bytes(data[entry["start"]:entry["end"]])
    return path


def extract_detector(package: pathlib.Path, out: pathlib.Path) -> pathlib.Path:
    """Cut the detector .tflite out of the pose package's packed assets."""
    return extract_packed(package, "pose_solution", "pose_detection.tflite", out)


def remove_densify(tflite_path: pathlib.Path, out_path: pathlib.Path) -> int:
    """Replace each DENSIFY op by its dense output stored as a constant. Returns how many."""
    model = flatbuffer_utils.read_model(str(tflite_path))
    subgraph = model.subgraphs[0]
    densify_ops = [
        op for op in subgraph.operators
        if max(model.operatorCodes[op.opcodeIndex].builtinCode,
               model.operatorCodes[op.opcodeIndex].deprecatedBuiltinCode)
        == schema.BuiltinOperator.DENSIFY
    ]
    if not densify_ops:
        # Nothing to do (the landmark models): hand tf2onnx the original file untouched.
        shutil.copyfile(tflite_path, out_path)
        return 0

    # Run the model once so every DENSIFY output holds its dense weights. Without the default
    # delegates: XNNPACK would take the graph over and the DENSIFY outputs would never be
    # materialised in the interpreter's own tensors.
    interpreter = tf.lite.Interpreter(
        model_path=str(tflite_path),
        experimental_preserve_all_tensors=True,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interpreter.allocate_tensors()
    for detail in interpreter.get_input_details():
        interpreter.set_tensor(detail["index"], np.zeros(detail["shape"], detail["dtype"]))
    interpreter.invoke()

    for op in densify_ops:
        dense = interpreter.get_tensor(op.outputs[0])
        buffer = schema.BufferT()
        buffer.data = np.frombuffer(dense.tobytes(), dtype=np.uint8)
        model.buffers.append(buffer)
        buffer_index = len(model.buffers) - 1
        # The dense output becomes a constant; the sparse input gets the same dense data and
        # loses its sparsity, so no reader ever meets the sparse encoding again.
        for tensor_index in (op.outputs[0], op.inputs[0]):
            tensor = subgraph.tensors[tensor_index]
            tensor.buffer = buffer_index
            tensor.sparsity = None
        subgraph.operators.remove(op)
    flatbuffer_utils.write_model(model, str(out_path))
    return len(densify_ops)


def weights_to_fp16(model: onnx.ModelProto) -> int:
    """Store fp16-exact fp32 initializers as fp16 + Cast. Returns how many were converted."""
    graph = model.graph
    casts = []
    kept = []
    for init in graph.initializer:
        array = numpy_helper.to_array(init)
        if (
            init.data_type == onnx.TensorProto.FLOAT
            and array.size >= MIN_FP16_ELEMENTS
            and np.array_equal(array.astype(np.float16).astype(np.float32), array)
        ):
            half = numpy_helper.from_array(array.astype(np.float16), init.name + "_fp16")
            kept.append(half)
            casts.append(
                helper.make_node("Cast", [half.name], [init.name], to=onnx.TensorProto.FLOAT,
                                 name=init.name + "_cast")
            )
        else:
            kept.append(init)
    del graph.initializer[:]
    graph.initializer.extend(kept)
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return len(casts)


def main() -> None:
    package = pathlib.Path(sys.argv[1])
    out_dir = pathlib.Path(sys.argv[2])
    face_package = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        sources = {
            "pose_detection.tflite": extract_detector(package, scratch),
            "pose_landmark_lite.tflite": package / "pose_landmark_lite.tflite",
            "pose_landmark_full.tflite": package / "pose_landmark_full.tflite",
        }
        if face_package is not None:
            sources["face_landmark.tflite"] = extract_packed(
                face_package, "face_mesh_solution", "face_landmark.tflite", scratch)
        for onnx_name, tflite_name in MODELS.items():
            if tflite_name not in sources:
                continue
            cleaned = scratch / ("clean_" + tflite_name)
            removed = remove_densify(sources[tflite_name], cleaned)
            raw_onnx = scratch / onnx_name
            subprocess.run(
                [sys.executable, "-m", "tf2onnx.convert", "--tflite", str(cleaned),
                 "--output", str(raw_onnx), "--opset", "13"],
                check=True,
            )
            model = onnx.load(str(raw_onnx))
            converted = weights_to_fp16(model)
            onnx.checker.check_model(model)
            onnx.save(model, str(out_dir / onnx_name))
            print(f"{onnx_name}: {removed} DENSIFY ops removed, {converted} weights stored as fp16")


if __name__ == "__main__":
    main()
