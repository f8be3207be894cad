#!/usr/bin/env bash
# Opens the real window under Xvfb and saves screenshots of the overview, of
# one service and of the portal screen (opened with Ctrl+P) into
# build/screenshots, for a person to look at. Fails if a screenshot is blank.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANGUAGE=en
out=build/screenshots
mkdir -p "$out"
go build -o bin/keywizard ./cmd/keywizard

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

shot() { # name, then the window's arguments; KEYS: keys to press first, TYPE: text to type then
  local name=$1; shift
  XDG_CONFIG_HOME="$home/config" KEYS="${KEYS:-}" TYPE="${TYPE:-}" xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
    out=$1; shift
    ./bin/keywizard "$@" & pid=$!
    for i in $(seq 150); do xdotool search --name "^Keywizard" >/dev/null 2>&1 && break; sleep 0.1; done
    sleep 2
    win=$(xdotool search --name "^Keywizard" | head -1)
    if [ -n "$KEYS" ]; then
      for k in $KEYS; do xdotool key --window "$win" "$k"; sleep 0.3; done
      sleep 1
    fi
    if [ -n "$TYPE" ]; then
      xdotool type --delay 20 "$TYPE"
      sleep 1
    fi
    eval "$(xdotool getwindowgeometry --shell "$win")"
    import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$out"
    kill $pid' sh "$out/$name.png" "$@"
  if [ "$(convert "$out/$name.png" -format '%[fx:standard_deviation>0.01]' info:)" != 1 ]; then
    echo "screenshot $name is blank" >&2
    exit 1
  fi
  echo "saved $out/$name.png"
}

shot overview
shot service --service google
# First steps that state a dead end before the admin starts.
shot vk-first --service vk
shot linkedin-first --service linkedin
KEYS=ctrl+p shot connect
# Google's keys form: the client ID typed with a trailing space.
KEYS="alt+Right alt+Right alt+Right alt+Right alt+Right" \
  TYPE="123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com " shot form --service google
