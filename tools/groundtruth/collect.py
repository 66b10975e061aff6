#!/usr/bin/env python3
"""Collects what render_groundtruth.py wrote (per-person truth_*.json and the JPEGs) into the
fixture folder: fixtures/groundtruth/{person}/{camera}/{posture}.jpg and one truth.json, a
list of records in a stable order. Optionally draws a contact sheet (ImageMagick `montage`).

    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth \
        --sheet tools/groundtruth/contact_sheet.png

A subfolder of the fixture with its own truth.json (the tests name files from the fixture's
root), e.g. the cameras to one side:

    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth/angled --prefix angled
    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth/lean --prefix lean
    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth/trunk --prefix trunk
    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth/combined --prefix combined
    python3 tools/groundtruth/collect.py RENDER_DIR fixtures/groundtruth/mouth --prefix mouth
"""

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys

CAMERAS = ["front", "laptop", "three_quarter", "side"]
POSTURES = ["neutral", "forward_head_3cm", "forward_head_5cm", "forward_head_7cm",
            "looking_down_10deg", "looking_down_20deg", "looking_down_30deg",
            "chin_poke", "rounded_shoulders", "lean_8deg", "lean_16deg", "recline_8deg",
            "slouch_8deg", "turn_20deg", "leanfwd_8deg", "leanfwd_16deg", "turn_30deg",
            "turnrecline_20deg", "mouth_open_10deg", "mouth_open_20deg",
            "mouthfwd_10deg"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("render_dir")
    ap.add_argument("out_dir")
    ap.add_argument("--sheet", help="contact sheet PNG to write")
    ap.add_argument("--sheet-camera", action="append",
                    help="camera(s) in the sheet (default: all)")
    ap.add_argument("--prefix", default="",
                    help="folder put before each record's file in truth.json: OUT_DIR's "
                    "path inside the fixture, when it is a subfolder")
    args = ap.parse_args()

    records, seconds = [], []
    for path in sorted(glob.glob(os.path.join(args.render_dir, "truth_*.json"))):
        with open(path) as f:
            d = json.load(f)
        records += d["records"]
        seconds += d.get("seconds_per_frame", [])
    # one record per file (a later run of the same file wins)
    by_file = {r["file"]: r for r in records}
    missing = [f for f in by_file if not os.path.exists(os.path.join(args.render_dir, f))]
    if missing:
        sys.exit(f"{len(missing)} renders missing, e.g. {missing[:3]}")

    def key(r):
        # angled_{deg} cameras (render_groundtruth.py --cameras angled) after the four
        camera = (CAMERAS.index(r["camera"]), 0) if r["camera"] in CAMERAS else (
            len(CAMERAS), float(r["camera"].split("_")[1]))
        return (r["person"], camera, POSTURES.index(r["posture"]))

    records = sorted(by_file.values(), key=key)
    os.makedirs(args.out_dir, exist_ok=True)
    for r in records:
        dst = os.path.join(args.out_dir, r["file"])
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(args.render_dir, r["file"]), dst)
    written = [dict(r, file=os.path.join(args.prefix, r["file"])) for r in records]
    with open(os.path.join(args.out_dir, "truth.json"), "w") as f:
        json.dump(written, f, indent=1)
        f.write("\n")
    people = sorted({r["person"] for r in records})
    print(f"{len(records)} records, {len(people)} people: {', '.join(people)}")
    for c in dict.fromkeys(r["camera"] for r in records):
        n = sum(r["camera"] == c for r in records)
        print(f"  {c}: {n}")
    if seconds:
        s = sorted(seconds)
        print(f"render time per frame: median {s[len(s) // 2]:.1f} s, "
              f"min {s[0]:.1f} s, max {s[-1]:.1f} s over {len(s)} frames")

    if args.sheet:
        cams = args.sheet_camera or CAMERAS
        tiles = []
        for p in people:
            for c in cams:
                for pos in POSTURES:
                    f = os.path.join(args.out_dir, p, c, pos + ".jpg")
                    tiles.append(f if os.path.exists(f) else "null:")
        tmp = args.sheet + ".tmp.png"
        subprocess.run(["montage", *tiles, "-tile", f"{len(POSTURES)}x", "-geometry",
                        "128x96+1+1", "-background", "white", "-depth", "8", tmp], check=True)
        # a 256-colour palette with error diffusion keeps the sheet small and faithful
        subprocess.run(["convert", tmp, "-dither", "FloydSteinberg", "-colors", "256",
                        "PNG8:" + args.sheet], check=True)
        os.remove(tmp)
        print(f"contact sheet: {args.sheet} (rows: person x camera {cams}; "
              f"columns: {', '.join(POSTURES)})")


if __name__ == "__main__":
    main()
