#!/usr/bin/env bash
# regen-v4l2-bindings.sh: regenerate vendor/v4l2-sys-mit/src/v4l2_bindings.rs.
#
# Why: chintuck ships the V4L2 bindings pregenerated so that building it needs no libclang
#   (see vendor/v4l2-sys-mit/README.md). Run this when the kernel headers change or for another
#   architecture; it produces exactly what upstream's build script would.
# Needs: libclang (Debian: apt-get install libclang1-14), the kernel's userspace headers
#   (linux-libc-dev) and bindgen-cli at the version upstream builds with:
#     cargo install bindgen-cli --version 0.65.1 --locked
# CI does not run this.
set -euo pipefail
crate=$(cd "$(dirname "$0")/../vendor/v4l2-sys-mit" && pwd)
want=0.65.1
have=$(bindgen --version 2>/dev/null | awk '{ print $2 }') || true
if [ "$have" != "$want" ]; then
    echo "regen-v4l2-bindings.sh: needs bindgen $want (have: ${have:-none}); cargo install bindgen-cli --version $want --locked" >&2
    exit 1
fi
cd "$crate"
bindgen wrapper.h -o src/v4l2_bindings.rs.new
mv -f src/v4l2_bindings.rs.new src/v4l2_bindings.rs
echo "wrote $crate/src/v4l2_bindings.rs ($(wc -l < src/v4l2_bindings.rs) lines); check with: cargo test --manifest-path $crate/Cargo.toml"
