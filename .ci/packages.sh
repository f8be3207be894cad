#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Keywizard needs, only those missing.
#   packages.sh build   C compiler and the X11/GL headers Fyne's window needs
#   packages.sh test    the above plus Xvfb, screenshots, a Secret Service,
#                       Chromium and the Windows cross-compiler
#   packages.sh dist    build, the Windows cross-compiler, xz and zip
#   packages.sh dist-check  dist, plus icoutils to read the exe's resources
#   packages.sh wine    dist-check, plus Wine (64-bit), Xvfb and screenshots
# As root it runs apt-get; otherwise it prints the exact command to run.
set -euo pipefail

BUILD=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
TEST=(xvfb xauth xdotool imagemagick dbus gnome-keyring chromium gcc-mingw-w64-x86-64)
DIST=(gcc-mingw-w64-x86-64 xz-utils zip unzip)
WINE=(wine wine64 icoutils xvfb xauth xdotool imagemagick)

case "${1:-build}" in
  build) want=("${BUILD[@]}") ;;
  test)  want=("${BUILD[@]}" "${TEST[@]}") ;;
  dist)  want=("${BUILD[@]}" "${DIST[@]}") ;;
  dist-check) want=("${BUILD[@]}" "${DIST[@]}" icoutils) ;;
  wine)  want=("${BUILD[@]}" "${DIST[@]}" "${WINE[@]}") ;;
  *) echo "usage: $0 build|test|dist|dist-check|wine" >&2; exit 2 ;;
esac

if ! command -v "${GO:-go}" >/dev/null 2>&1; then
  echo "Keywizard needs Go 1.26 or later, and 'go' is not on PATH: install it from https://go.dev/dl/ (any Go from 1.21 on fetches 1.26 by itself)." >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install a C compiler, pkg-config and the OpenGL/X11 development headers (see README)." >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]})) || exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive $cmd -qq >/dev/null
