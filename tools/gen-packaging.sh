#!/usr/bin/env bash
# gen-packaging.sh: rewrite the generated files under packaging/ that the .deb ships: the man
# pages and the shell completions, from the command line's own definition (`chintuck manpages`,
# `chintuck completions SHELL`). Run it after changing a command or option; tests/packaging.rs
# fails while they are stale. (packaging/chintuck.service and chintuck.desktop are checked
# against `service install`'s text by a unit test in src/cli/service.rs.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --quiet
bin=target/debug/chintuck
rm -rf packaging/man
"$bin" manpages packaging/man >/dev/null
"$bin" completions bash > packaging/completions/chintuck.bash
"$bin" completions zsh > packaging/completions/_chintuck
"$bin" completions fish > packaging/completions/chintuck.fish
echo "rewrote packaging/man/ and packaging/completions/"
