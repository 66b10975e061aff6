#!/usr/bin/env bash
# count-instructions.sh [BINARY] [SEQUENCE...]: the monitor's work on the fixture sequences as
# instruction counts (valgrind's callgrind), for comparing two builds on a shared, noisy machine
# where `cargo bench --bench monitor_cpu`'s CPU times wander by a third between runs. Counts are
# the same from run to run; they are not time (under valgrind tract takes its AVX2 kernels, not
# AVX-512), so they compare builds, and the README's times stay the absolute figures.
#
# Each sequence is replayed with `run --source --no-wait --record` after calibrating on the
# forward_head sequence, as the monitor_cpu bench does, in a throwaway home (nothing of the
# user's is read or written). Prints the whole count; the steady part, everything `run` does
# after loading the models (reading and decoding the frames, the sampling gate, the models, the
# monitor, the history); `Watch::sample` within it (the gate and the models; the decoding too
# since the grey-first read of 2026-12-07, not before); and the face model's calls. Needs
# valgrind (`apt-get install valgrind`); not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/chintuck}
shift || true
sequences=("$@")
[ ${#sequences[@]} -gt 0 ] || sequences=(glance_down forward_head)
command -v valgrind >/dev/null || { echo "count-instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
[ -x "$bin" ] || { echo "count-instructions.sh: no binary at $bin; build it first (cargo build --release)" >&2; exit 1; }
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/runtime"
export XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_RUNTIME_DIR=$home/runtime
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
"$bin" calibrate --source fixtures/sequences/forward_head --secs 8 >/dev/null 2>&1
printf '%-14s %8s %6s %7s %16s %16s %16s %16s\n' sequence inferred body reused total steady sample face_model
for sequence in "${sequences[@]}"; do
    out=$home/callgrind.$sequence
    summary=$(valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" run \
        --source "fixtures/sequences/$sequence" --no-wait --json --record 2>/dev/null | grep '"summary"')
    inclusive() {
        local count
        count=$(callgrind_annotate --inclusive=yes "$out" 2>/dev/null | grep -F "$1" | head -1 \
            | awk '{gsub(",", "", $1); print $1}')
        [ -n "$count" ] || { echo "count-instructions.sh: no '$1' in the profile; renamed? update this script" >&2; exit 1; }
        echo "$count"
    }
    total=$(inclusive "PROGRAM TOTALS")
    run=$(inclusive "chintuck::cli::run::run ")
    loading=$(inclusive "chintuck::cli::run::Watch::new ")
    sample=$(inclusive "chintuck::cli::run::Watch::sample ")
    face=$(inclusive "chintuck::pose::facemesh::FaceMesh::mesh_in ")
    field() { sed -E "s/.*\"$1\":([0-9]+).*/\1/" <<<"$summary"; }
    printf '%-14s %8s %6s %7s %16s %16s %16s %16s\n' "$sequence" "$(field inferred)" \
        "$(field body_model_runs)" "$(field reused)" "$total" "$((run - loading))" "$sample" "$face"
done
