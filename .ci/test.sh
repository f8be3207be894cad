#!/usr/bin/env bash
# Runs every test with the real parts a user has: a private D-Bus session
# with an unlocked gnome-keyring (Secret Service), an X display (Xvfb) and
# headless Chromium. Then opens the real window, with the same keyring, and
# saves screenshots.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANGUAGE=en

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/run"

XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" KEYRING_REAL=1 \
  dbus-run-session -- sh -c '
    printf %s ci-pass | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
    xvfb-run -a -s "-screen 0 1280x800x24" go test -race -count=1 -timeout 30m ./... &&
    .ci/screenshots.sh'

