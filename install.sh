#!/bin/sh
# Installs chintuck into PREFIX (default ~/.local): PREFIX/bin/chintuck and its
# models in PREFIX/share/chintuck/models, where the binary looks for them.
#   ./install.sh [PREFIX]
# Builds the release binary first, unless CHINTUCK_BIN names one already built.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-"$HOME/.local"}
if [ -z "${CHINTUCK_BIN:-}" ]; then
    cargo build --release --locked --manifest-path "$here/Cargo.toml"
    CHINTUCK_BIN="$here/target/release/chintuck"
fi
mkdir -p "$prefix/bin" "$prefix/share/chintuck/models"
cp "$CHINTUCK_BIN" "$prefix/bin/chintuck"
cp "$here/models/SHA256SUMS" "$here"/models/*.onnx "$prefix/share/chintuck/models/"
(cd "$prefix/share/chintuck/models" && sha256sum --check --quiet SHA256SUMS)
echo "installed $prefix/bin/chintuck with models in $prefix/share/chintuck/models"
