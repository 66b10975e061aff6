#!/usr/bin/env bash
# convert.sh: rebuild chintuck's models/*.onnx from MediaPipe's TFLite files.
#
# What: fetches the npm packages @mediapipe/pose@0.5.1675469404 and
#   @mediapipe/face_mesh@0.4.1657299874 (Apache-2.0) with `npm pack`, converts the pose detector,
#   the lite and full pose landmark models and the face landmark model to ONNX (convert.py),
#   writes the canonical face geometry table (face_geometry.py), then compares the results with
#   the shipped models/*.onnx numerically with onnxruntime (compare.py: same weights, operators
#   and outputs) and the table with src/pose/facemesh/canonical.rs, and prints SHA-256 sums next
#   to models/SHA256SUMS (they always differ: tf2onnx names nodes differently on every run).
# Why: chintuck ships converted models; this is the record of how they were made, so anyone can
#   rebuild them from the upstream package and check that the shipped files are what they say.
# How to run (needs python3 3.11, npm, and access to PyPI and the npm registry; ~2 GB of disk
#   and a few minutes, most of it installing tensorflow-cpu):
#     models/convert/convert.sh [--install] [OUT_DIR]
#   OUT_DIR  where the four .onnx and canonical.rs go (default: a new temporary folder, printed at the end).
#   --install  also copy them over models/*.onnx and rewrite models/SHA256SUMS (the table is
#              never installed: it is byte-identical or the script fails). Without it,
#              nothing under models/ is ever written.
#   PYTHON=python3.11 picks another interpreter for the venv.
# CI does not run this: it needs the network and takes minutes. The shipped models are checked
# by their checksums instead.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
models=$(cd "$here/.." && pwd)
repo=$(cd "$models/.." && pwd)
package_spec=@mediapipe/pose@0.5.1675469404
face_package_spec=@mediapipe/face_mesh@0.4.1657299874
model_files="pose_detection.onnx pose_landmark_full.onnx pose_landmark_lite.onnx face_landmark.onnx"
python=${PYTHON:-python3}

install=0
out=
for arg in "$@"; do
    case $arg in
        --install) install=1 ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
        -*) echo "convert.sh: unknown option $arg" >&2; exit 2 ;;
        *) out=$arg ;;
    esac
done
out=${out:-$(mktemp -d -t chintuck-models.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ "$out" = "$models" ]; then
    echo "convert.sh: OUT_DIR is models/ itself; use --install to replace the shipped models" >&2
    exit 2
fi

work=$(mktemp -d -t chintuck-convert.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "== venv ($("$python" --version)) and pinned packages"
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"

echo "== npm pack $package_spec $face_package_spec"
(cd "$work" && npm pack --silent "$package_spec" >/dev/null && tar xzf mediapipe-pose-*.tgz)
mkdir -p "$work/face"
(cd "$work/face" && npm pack --silent "$face_package_spec" >/dev/null \
    && tar xzf mediapipe-face_mesh-*.tgz)

echo "== convert"
"$work/venv/bin/python" "$here/convert.py" "$work/package" "$out" "$work/face/package"
"$work/venv/bin/python" "$here/face_geometry.py" "$work/face/package" "$out/canonical.rs"

echo "== compare with the shipped models (onnxruntime, same random inputs)"
compare_status=0
"$work/venv/bin/python" "$here/compare.py" "$out" "$models" || compare_status=$?
if cmp -s "$out/canonical.rs" "$repo/src/pose/facemesh/canonical.rs"; then
    echo "canonical.rs: byte-identical to src/pose/facemesh/canonical.rs"
else
    echo "canonical.rs: DIFFERS from src/pose/facemesh/canonical.rs"
    compare_status=1
fi

echo "== sha256 (shipped sums in models/SHA256SUMS)"
# shellcheck disable=SC2086 # a fixed list of plain file names
(cd "$out" && sha256sum $model_files) | tee "$out/SHA256SUMS"
while read -r sum name; do
    shipped=$(awk -v n="$name" '$2 == n { print $1 }' "$models/SHA256SUMS")
    if [ "$sum" = "$shipped" ]; then
        echo "$name: byte-identical to the shipped file"
    else
        echo "$name: bytes differ from the shipped file (see compare.py's numbers above)"
    fi
done < "$out/SHA256SUMS"

if [ "$install" = 1 ]; then
    if [ "$compare_status" != 0 ]; then
        echo "convert.sh: outputs differ from the shipped models; not installing" >&2
        exit 1
    fi
    for name in $model_files; do
        install -m 0644 "$out/$name" "$models/$name"
    done
    # shellcheck disable=SC2086
    (cd "$models" && sha256sum $model_files > SHA256SUMS.new && mv -f SHA256SUMS.new SHA256SUMS)
    echo "installed into $models (SHA256SUMS rewritten)"
fi
echo "rebuilt models are in $out"
exit "$compare_status"
