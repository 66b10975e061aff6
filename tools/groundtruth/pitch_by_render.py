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
    tools/groundtruth/pitch_by_render.py compare A.json [B.json]
        Per set and camera: renders within 3 degrees, median and worst error. With B also the
        mean of both readings, the correlation of the two builds' signed errors over the nods
        and chin pokes, and how many of A's misses B misses too.

Standard library only; not run by CI.
"""
import collections
import json
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


def read(binary, out_path):
    readings = []
    for key, records in setups().items():
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
            neutral = next(r for r in records if r["posture"] == "neutral")
            still = f"{home}/neutral"
            os.makedirs(still)
            for frame in range(20):
                os.symlink(os.path.join(GROUNDTRUTH, neutral["file"]), f"{still}/{frame:03}.jpg")
            calibrated = subprocess.run([binary, "calibrate", "--source", still], env=env, capture_output=True, text=True)
            if calibrated.returncode != 0:
                sys.exit(f"calibrating {key}: {calibrated.stderr.strip()}")
            files = [os.path.join(GROUNDTRUTH, r["file"]) for r in records]
            analyzed = subprocess.run([binary, "analyze", "--json", *files], env=env, capture_output=True, text=True)
            lines = analyzed.stdout.splitlines()
            if analyzed.returncode != 0 or len(lines) != len(records):
                sys.exit(f"analyzing {key}: {analyzed.stderr.strip()}")
            for record, line in zip(records, lines):
                posture = json.loads(line).get("posture") or {}
                readings.append(
                    {
                        "setup": list(key),
                        "posture": record["posture"],
                        "truth_pitch_deg": record["head_pitch_deg"],
                        "pitch_change_deg": (posture.get("face") or {}).get("pitch_change_deg"),
                        "truth_forward_cm": record["forward_change_cm"],
                        "forward_offset_cm": posture.get("forward_offset_cm"),
                        "state": posture.get("state"),
                    }
                )
    with open(out_path, "w") as out:
        json.dump(readings, out, indent=0)
    print(f"{len(readings)} renders read by {binary} -> {out_path}")


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
    if len(sys.argv) == 4 and sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "compare":
        compare(sys.argv[2:])
    else:
        sys.exit(__doc__)
