#!/usr/bin/env python3
"""Rebuild chintuck's ONNX pose models from MediaPipe's TFLite files.

Why: chintuck runs BlazePose with tract, which reads ONNX. MediaPipe ships the models as TFLite
in the npm package @mediapipe/pose@0.5.1675469404 (Apache-2.0). This script is the record of how
models/*.onnx were made, so anyone can rebuild and check them. CI does not run it.

How: run convert.sh, which fetches the npm package and calls
    python convert.py PACKAGE_DIR OUT_DIR

Steps, per model:
1. The detector is the only file inside pose_solution_packed_assets.data (the loader script
   lists it at offset 0 to the end); the landmark models are plain .tflite files.
2. The detector holds DENSIFY ops (sparse fp16 weights) that tf2onnx cannot read ("cannot
   reshape array of size 96 into shape (16,1,1,24)"). Run the model once in the TFLite
   interpreter with all tensors preserved, take each DENSIFY output (the dense weights), store it
   as a constant, and remove the op.
3. tf2onnx --tflite ... --opset 13.
4. Store every fp32 weight that is exactly representable in fp16 as fp16 plus a Cast node back
   to fp32: half the size, identical outputs.
"""

import json
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper
import tensorflow as tf
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

MODELS = {
    "pose_detection.onnx": "pose_detection.tflite",
    "pose_landmark_lite.onnx": "pose_landmark_lite.tflite",
    "pose_landmark_full.onnx": "pose_landmark_full.tflite",
}


def extract_detector(package: pathlib.Path, out: pathlib.Path) -> pathlib.Path:
    """Cut the detector .tflite out of the packed assets file, as the loader script says."""
    loader = (package / "pose_solution_packed_assets_loader.js").read_text()
    files = json.loads(re.search(r"loadPackage\((\{.*?\})\);", loader).group(1))["files"]
    (entry,) = [f for f in files if f["filename"].endswith("pose_detection.tflite")]
    data = (package / "pose_solution_packed_assets.data").read_bytes()
    path = out / "pose_detection.tflite"
    path.write_bytes(data[entry["start"]:entry["end"]])
    return path


def remove_densify(tflite_path: pathlib.Path, out_path: pathlib.Path) -> int:
    """Replace each DENSIFY op by its dense output stored as a constant. Returns how many."""
    # Without the default delegates: XNNPACK would take the graph over and the DENSIFY outputs
    # would never be materialised in the interpreter's own tensors.
    interpreter = tf.lite.Interpreter(
        model_path=str(tflite_path),
        experimental_preserve_all_tensors=True,
        experimental_op_resolver_type=tf.lite.experimental.OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interpreter.allocate_tensors()
    for detail in interpreter.get_input_details():
        interpreter.set_tensor(detail["index"], np.zeros(detail["shape"], detail["dtype"]))
    interpreter.invoke()

    model = flatbuffer_utils.read_model(str(tflite_path))
    subgraph = model.subgraphs[0]
    densify = schema.BuiltinOperator.DENSIFY
    removed = 0
    for op in list(subgraph.operators):
        code = model.operatorCodes[op.opcodeIndex]
        if max(code.builtinCode, code.deprecatedBuiltinCode) != densify:
            continue
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
        removed += 1
    flatbuffer_utils.write_model(model, str(out_path))
    return removed


def weights_to_fp16(model: onnx.ModelProto) -> int:
    """Store fp16-exact fp32 initializers as fp16 + Cast. Returns how many were converted."""
    graph = model.graph
    casts = []
    kept = []
    for init in graph.initializer:
        array = numpy_helper.to_array(init)
        if (
            init.data_type == onnx.TensorProto.FLOAT
            and array.size > 1
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
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = pathlib.Path(scratch)
        sources = {
            "pose_detection.tflite": extract_detector(package, scratch),
            "pose_landmark_lite.tflite": package / "pose_landmark_lite.tflite",
            "pose_landmark_full.tflite": package / "pose_landmark_full.tflite",
        }
        for onnx_name, tflite_name in MODELS.items():
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
