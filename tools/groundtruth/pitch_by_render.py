#!/usr/bin/env python3
"""pitch_by_render.py: the head pitch one chintuck build reads on every front and laptop render,
and how two builds' readings compare.

Why: `tests/groundtruth.rs` prints how many renders read within 3 degrees, not which ones. To
judge another face model or fit (is it better, on the same renders or on others, are its errors
the same as today's?) the per-render readings are needed. Made to try MediaPipe's attention Face
Mesh against today's model (docs/posture.md, "Head pitch"); any build can be read.

    tools/groundtruth/pitch_by_render.py read BINARY OUT.json
        For each setup (person x camera, the main set and scenes/): `calibrate` on its neutral
        held 20 frames, then `analyze --json` every render of it, as tests/groundtruth.rs does,
        in a throwaway home. Writes one record per render: setup, posture, truth and reading of
        the pitch change (degrees, looking down positive) and the forward offset (cm). ~1 min.
    tools/groundtruth/pitch_by_render.py read BINARY OUT.json --shrink S
        The same on the main set's front and laptop renders shrunk about the picture's centre
        to S of their size (0 < S <= 1, 1 = as rendered; ImageMagick's `convert`, the border filled with the
        render's corner colour, 640x480 and JPEG quality 87 kept), which is what a lens that
        much wider shows: `[camera] fov_deg` is set to that lens and the distance is given at
        calibration (`--distance-cm`, eyes to camera from the truth), so only the face's pixels
        change. How many pixels the face needs (docs/posture.md).
    tools/groundtruth/pitch_by_render.py read BINARY OUT.json --shrink S --canvas WxH
        The same lens (S of the view) in a larger picture, as `[camera] resolution` asks of a
        camera: each render scaled by S x W/640 (so at S = 640/W the face keeps its rendered
        pixels) in a W x H picture, W/H = 4/3.
    tools/groundtruth/pitch_by_render.py pixels A.json [B.json ...]
        Forward heads flagged, offset error and looking-downs taken for forward head, by the
        neutral face's pixels per cm, over all the files given.
    tools/groundtruth/pitch_by_render.py compare A.json [B.json]
        Per set and camera: renders within 3 degrees, median and worst error. With B also the
        mean of both readings, the correlation of the two builds' signed errors over the nods
        and chin pokes, and how many of A's misses B misses too.

Standard library only; not run by CI.
"""
import collections
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

GROUNDTRUTH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../fixtures/groundtruth")


def setups():
    """(set, scene, person, camera) -> records, front and laptop only; file names are relative
    to the ground-truth folder in both truth files."""
    grouped = collections.OrderedDict()
    for subset in ("", "scenes"):
        for record in json.load(open(os.path.join(GROUNDTRUTH, subset, "truth.json"))):
            if record["camera"] in ("front", "laptop"):
                key = (subset or "main", record.get("scene", "office"), record["person"], record["camera"])
                grouped.setdefault(key, []).append(record)
    return grouped


def eyes_to_camera_cm(record):
    left, right = record["landmarks_3d_cm"]["left_eye"], record["landmarks_3d_cm"]["right_eye"]
    camera = record["extrinsics"]["position_cm"]
    return math.dist([(a + b) / 2 for a, b in zip(left, right)], camera)


def shrunk_copies(shrink, folder, canvas=(640, 480)):
    """The main set's front and laptop renders shrunk about the centre, in `folder`, the same
    file names, in a picture of `canvas` pixels; `[camera] fov_deg` for the lens that shows
    them so (the share of the view, whatever the picture's size)."""
    scale = shrink * canvas[0] / 640
    for key, records in setups().items():
        if key[0] != "main":
            continue
        for record in records:
            source = os.path.join(GROUNDTRUTH, record["file"])
            target = os.path.join(folder, record["file"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            corner = subprocess.run(
                ["convert", source, "-format", "%[pixel:p{0,0}]", "info:"], capture_output=True, text=True, check=True
            ).stdout.strip()
            subprocess.run(
                ["convert", source, "-filter", "Box", "-resize", f"{scale * 100:.3f}%", "-background", corner,
                 "-gravity", "center", "-extent", f"{canvas[0]}x{canvas[1]}", "-quality", "87", target],
                check=True,
            )
    return 2 * math.degrees(math.atan(math.tan(math.radians(65.0 / 2)) / shrink))


def read(binary, out_path, shrink=None, canvas=(640, 480)):
    # --shrink 1 reads the renders as they are, the same way (main set, distance given).
    shrunk = tempfile.TemporaryDirectory() if shrink and (shrink < 1 or canvas != (640, 480)) else None
    root = shrunk.name if shrunk else GROUNDTRUTH
    fov_deg = shrunk_copies(shrink, root, canvas) if shrunk else 65.0
    readings = []
    for key, records in setups().items():
        if shrink and key[0] != "main":
            continue
        with tempfile.TemporaryDirectory() as home:
            env = dict(
                os.environ,
                XDG_CONFIG_HOME=f"{home}/config",
                XDG_DATA_HOME=f"{home}/data",
                XDG_RUNTIME_DIR=f"{home}/runtime",
                DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent",
                DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent",
            )
            env.pop("HOME", None)
            calibrate_args = []
            neutral = next(r for r in records if r["posture"] == "neutral")
            if shrink:
                os.makedirs(f"{home}/config/chintuck")
                with open(f"{home}/config/chintuck/config.toml", "w") as config:
                    config.write(f"[camera]\nfov_deg = {fov_deg:.2f}\n")
                calibrate_args = ["--distance-cm", f"{eyes_to_camera_cm(neutral):.1f}"]
            still = f"{home}/neutral"
            os.makedirs(still)
            for frame in range(20):
                os.symlink(os.path.join(root, neutral["file"]), f"{still}/{frame:03}.jpg")
            calibrated = subprocess.run(
                [binary, "calibrate", "--source", still, *calibrate_args], env=env, capture_output=True, text=True
            )
            if calibrated.returncode != 0:
                sys.exit(f"calibrating {key}: {calibrated.stderr.strip()}")
            files = [os.path.join(root, r["file"]) for r in records]
            analyzed = subprocess.run([binary, "analyze", "--json", *files], env=env, capture_output=True, text=True)
            lines = analyzed.stdout.splitlines()
            if analyzed.returncode != 0 or len(lines) != len(records):
                sys.exit(f"analyzing {key}: {analyzed.stderr.strip()}")
            postures = [json.loads(line).get("posture") or {} for line in lines]
            neutral_px_per_cm = next(
                ((p.get("face") or {}).get("metrics") or {}).get("face_scale_px_per_cm")
                for r, p in zip(records, postures)
                if r["posture"] == "neutral"
            )
            for record, posture in zip(records, postures):
                readings.append(
                    {
                        "setup": list(key),
                        "shrink": shrink or 1.0,
                        "picture": f"{canvas[0]}x{canvas[1]}",
                        "posture": record["posture"],
                        "truth_pitch_deg": record["head_pitch_deg"],
                        "pitch_change_deg": (posture.get("face") or {}).get("pitch_change_deg"),
                        "truth_forward_cm": record["forward_change_cm"],
                        "forward_offset_cm": posture.get("forward_offset_cm"),
                        "state": posture.get("state"),
                        "neutral_face_px_per_cm": neutral_px_per_cm,
                    }
                )
    with open(out_path, "w") as out:
        json.dump(readings, out, indent=0)
    print(f"{len(readings)} renders read by {binary} -> {out_path}")


def pixels(paths):
    readings = [r for p in paths for r in json.load(open(p)) if r["neutral_face_px_per_cm"]]
    bins = [(7, 99), (6, 7), (5, 6), (4, 5), (0, 4), (6, 99), (0, 6)]
    for low, high in bins:
        these = [r for r in readings if low <= r["neutral_face_px_per_cm"] < high]
        forward = [r for r in these if r["posture"].startswith("forward_head") or r["posture"] == "chin_poke"]
        down = [r for r in these if r["posture"].startswith("looking_down")]
        if not forward:
            continue
        errors = [abs((r["forward_offset_cm"] or 0.0) - r["truth_forward_cm"]) for r in forward]
        print(
            f"{low}-{high} px/cm: forward heads flagged {sum(r['state'] == 'forward_head' for r in forward)}/{len(forward)} "
            f"(called good {sum(r['state'] == 'good' for r in forward)}, uncertain {sum(r['state'] == 'uncertain' for r in forward)}), "
            f"offset error median {statistics.median(errors):.2f} cm; looking down taken for forward head "
            f"{sum(r['state'] == 'forward_head' for r in down)}/{len(down)}"
        )


def summary(name, readings, pitch_of):
    for subset in ("main", "scenes"):
        for camera in ("front", "laptop"):
            errors = [
                abs(pitch_of(i) - r["truth_pitch_deg"])
                for i, r in enumerate(readings)
                if r["setup"][0] == subset and r["setup"][3] == camera and pitch_of(i) is not None
            ]
            if errors:
                within = sum(e <= 3 for e in errors)
                print(
                    f"{name:5} {subset:6} {camera:6} within 3 deg {within}/{len(errors)}, "
                    f"median {statistics.median(errors):.2f}, worst {max(errors):.1f}"
                )


def compare(paths):
    runs = [json.load(open(p)) for p in paths]
    a = runs[0]
    for other in runs[1:]:
        if [(r["setup"], r["posture"]) for r in other] != [(r["setup"], r["posture"]) for r in a]:
            sys.exit("the files hold different renders")
    for name, run in zip("AB", runs):
        summary(name, run, lambda i, run=run: run[i]["pitch_change_deg"])
    if len(runs) < 2:
        return
    b = runs[1]

    def mean(i):
        pa, pb = a[i]["pitch_change_deg"], b[i]["pitch_change_deg"]
        return None if pa is None or pb is None else (pa + pb) / 2

    summary("mean", a, mean)
    pairs = [
        (ra["pitch_change_deg"] - ra["truth_pitch_deg"], rb["pitch_change_deg"] - rb["truth_pitch_deg"])
        for ra, rb in zip(a, b)
        if ra["truth_pitch_deg"] != 0 and None not in (ra["pitch_change_deg"], rb["pitch_change_deg"])
    ]
    misses = [(ea, eb) for ea, eb in pairs if abs(ea) > 3]
    print(
        f"signed errors over {len(pairs)} nods and chin pokes: correlation "
        f"{statistics.correlation([p[0] for p in pairs], [p[1] for p in pairs]):.2f}; "
        f"of A's {len(misses)} misses, B misses {sum(abs(eb) > 3 for _, eb in misses)}"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "read":
        read(args[1], args[2])
    elif len(args) == 5 and args[0] == "read" and args[3] == "--shrink" and 0 < float(args[4]) <= 1:
        read(args[1], args[2], float(args[4]))
    elif len(args) == 7 and args[0] == "read" and args[3] == "--shrink" and args[5] == "--canvas":
        width, height = (int(n) for n in args[6].split("x"))
        read(args[1], args[2], float(args[4]), (width, height))
    elif len(args) >= 2 and args[0] == "pixels":
        pixels(args[1:])
    elif len(args) in (2, 3) and args[0] == "compare":
        compare(args[1:])
    else:
        sys.exit(__doc__)
