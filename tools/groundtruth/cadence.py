#!/usr/bin/env python3
"""What the body model's cadence (and the other [sampling] settings) cost in accuracy and save
in CPU, measured on the rendered ground truth (fixtures/groundtruth).

For each person at the front and laptop cameras it calibrates on the neutral render, then
replays one posture-switching session through `chintuck run --source DIR --no-wait --json
--record` (2 fps, 6 min: neutral, forward head 3 cm, neutral, looking down 20 deg, rounded
shoulders, forward head 5 cm, chin poke, neutral) once per variant, and reads every sample
back from the history it recorded. Per variant it prints:

* the forward-head samples' offset error against the truth (median and 90th percentile; the
  first 3 s after each switch are left out, the smoothing is still settling there),
* how many samples' states match the first variant's (the reference, e.g. every sample),
* the alerts (when, in replay seconds),
* how often the models ran, and the CPU the process spent per replayed second after
  start-up (`steady_cpu_secs` of the run's summary over the replay's length): the work
  monitoring does, without the waiting a real-time run has.

    cargo build --release
    python3 tools/groundtruth/cadence.py target/release/chintuck fixtures/groundtruth \
        'every=[sampling]\\nbody_every_secs = 0' 'default=' 'b10=[sampling]\\nbody_every_secs = 10'

Each variant is NAME=CONFIG (TOML, `\\n` for new lines; empty = the defaults). Not run by CI.
"""

import glob
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile

PLAN = [("neutral", 30), ("forward_head_3cm", 60), ("neutral", 30), ("looking_down_20deg", 40),
        ("rounded_shoulders", 60), ("forward_head_5cm", 60), ("chin_poke", 40), ("neutral", 30)]
FORWARD = {"forward_head_3cm", "forward_head_5cm", "chin_poke"}
FPS = 2
SETTLE_FRAMES = 3 * FPS


def isolated_env(home):
    return dict(os.environ, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data",
                XDG_RUNTIME_DIR=f"{home}/runtime",
                DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent")


def run_variant(binary, root, renders, config):
    """One calibrated replay of PLAN; returns (summary, alerts, samples)."""
    with tempfile.TemporaryDirectory() as home:
        os.makedirs(f"{home}/config/chintuck")
        os.makedirs(f"{home}/runtime")
        with open(f"{home}/config/chintuck/config.toml", "w") as f:
            f.write(config.replace("\\n", "\n") + "\n")
        env = isolated_env(home)
        neutral = f"{home}/neutral"
        os.makedirs(neutral)
        for i in range(20):
            os.symlink(f"{root}/{renders['neutral']['file']}", f"{neutral}/{i:03}.jpg")
        calibrated = subprocess.run([binary, "calibrate", "--source", neutral], env=env,
                                    capture_output=True, text=True)
        if calibrated.returncode:
            sys.exit(f"calibrating on {renders['neutral']['file']}: {calibrated.stderr}")
        frames = f"{home}/session"
        os.makedirs(frames)
        sequence = [p for posture, secs in PLAN for p in [posture] * (secs * FPS)]
        for i, posture in enumerate(sequence):
            os.symlink(f"{root}/{renders[posture]['file']}", f"{frames}/{i:04}.jpg")
        ran = subprocess.run([binary, "run", "--source", frames, "--no-wait", "--json",
                              "--record"], env=env, capture_output=True, text=True)
        if ran.returncode:
            sys.exit(f"replaying: {ran.stderr}")
        events = [json.loads(line) for line in ran.stdout.splitlines()]
        summary = next(e for e in events if e["event"] == "summary")
        alerts = [round(e["at_secs"]) for e in events if e["event"] == "alert"]
        history = sqlite3.connect(f"{home}/data/chintuck/history.sqlite")
        samples = history.execute(
            "SELECT at_secs, forward_offset_cm, state FROM track ORDER BY at_secs").fetchall()
        history.close()
        return sequence, summary, alerts, samples


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    variants = [v.split("=", 1) for v in sys.argv[3:]]
    with open(f"{root}/truth.json") as f:
        truth = json.load(f)
    setups = {}
    for record in truth:
        if record["camera"] in ("front", "laptop"):
            setups.setdefault((record["person"], record["camera"]), {})[record["posture"]] = record
    totals = {name: dict(errors=[], agree=0, compared=0, inferred=0, body=0, cpu=0.0, secs=0.0,
                         alerts=[]) for name, _ in variants}
    for (person, camera), renders in sorted(setups.items()):
        reference = None
        for name, config in variants:
            sequence, summary, alerts, samples = run_variant(binary, root, renders, config)
            states = {}
            total = totals[name]
            for at_secs, offset_cm, state in samples:
                index = min(int(round(at_secs * FPS)), len(sequence) - 1)
                posture = sequence[index]
                states[index] = state
                settled = index >= SETTLE_FRAMES and sequence[index - SETTLE_FRAMES] == posture
                if settled and posture in FORWARD and offset_cm is not None:
                    total["errors"].append(abs(offset_cm - renders[posture]["forward_change_cm"]))
            if reference is None:
                reference = states
            shared = [i for i in states if i in reference]
            total["agree"] += sum(states[i] == reference[i] for i in shared)
            total["compared"] += len(shared)
            total["inferred"] += summary["inferred"]
            total["body"] += summary["body_model_runs"]
            total["cpu"] += summary["steady_cpu_secs"]
            total["secs"] += len(sequence) / FPS
            total["alerts"].append(alerts)
            print(f"{person:6} {camera:7} {name:10} models ran {summary['inferred']:4}, body "
                  f"{summary['body_model_runs']:4}; alerts at {alerts} s", flush=True)
    print()
    print("variant    | offset error, forward head: median / p90 (samples) | states as the first"
          " | models ran / body model ran | CPU per replayed second | alerts per session")
    for name, t in totals.items():
        errors = sorted(t["errors"])
        p90 = errors[int(len(errors) * 0.9)]
        counts = sorted({len(a) for a in t["alerts"]})
        print(f"{name:10} | {statistics.median(errors):.2f} / {p90:.2f} cm ({len(errors)}) | "
              f"{t['agree']}/{t['compared']} | {t['inferred']} / {t['body']} | "
              f"{100 * t['cpu'] / t['secs']:.2f} % | {counts}")


if __name__ == "__main__":
    main()
