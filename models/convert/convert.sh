#!/usr/bin/env bash
# Rebuild models/*.onnx from MediaPipe's npm package, then compare with the shipped files.
#   models/convert/convert.sh [OUT_DIR]          (default: a new temporary folder)
# Never overwrites models/: copy the results over by hand if you mean to replace them.
# Needs python3 (3.11), npm, and PyPI/npm access. CI does not run this.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet -r "$here/requirements.txt"

(cd "$work" && npm pack --silent @mediapipe/pose@0.5.1675469404 >/dev/null && tar xzf mediapipe-pose-0.5.1675469404.tgz)
"$work/venv/bin/python" "$here/convert.py" "$work/package" "$out"
"$work/venv/bin/python" "$here/compare.py" "$out" "$here/.."
(cd "$out" && sha256sum ./*.onnx)
echo "rebuilt models are in $out; shipped checksums are in models/SHA256SUMS"
