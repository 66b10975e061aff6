#!/usr/bin/env bash
# Fetches what tests/vivid_camera.rs needs to boot a QEMU guest with the
# kernel's vivid virtual camera: Debian's own kernel (with its media modules)
# and a static busybox, unpacked into DEST (default target/vivid-guest).
# Needs apt-get (Debian/Ubuntu); no root. qemu-system-x86 is installed
# separately (.ci/run does it).
set -euo pipefail
dest=${1:-"$(dirname "$0")/../target/vivid-guest"}
mkdir -p "$dest/debs"
dest=$(cd "$dest" && pwd)
kernel_package=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
if [ -z "$kernel_package" ]; then
    echo "vivid-guest: apt knows no linux-image-amd64; run apt-get update" >&2
    exit 1
fi
cd "$dest/debs"
if ! ls "${kernel_package}"_*.deb >/dev/null 2>&1 || ! ls busybox-static_*.deb >/dev/null 2>&1; then
    rm -f ./*.deb
    apt-get download "$kernel_package" busybox-static
fi
rm -rf "$dest/root"
for deb in ./*.deb; do
    dpkg-deb -x "$deb" "$dest/root"
done
echo "vivid-guest: $kernel_package and busybox-static unpacked in $dest/root"
