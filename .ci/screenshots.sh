#!/usr/bin/env bash
# Opens the real window under Xvfb and saves screenshots of the welcome, the overview, of
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

shot() { # name, then the window's arguments; KEYS: keys to press first, TYPE: text to type then; CONFIG: the config folder
  local name=$1; shift
  XDG_CONFIG_HOME="${CONFIG:-$home/config}" KEYS="${KEYS:-}" TYPE="${TYPE:-}" xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
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

# progress NAME JSON: a config folder whose progress.json holds JSON.
progress() {
  mkdir -p "$home/$1/keywizard"
  printf '%s\n' "$2" > "$home/$1/keywizard/progress.json"
  echo "$home/$1"
}
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
soon=$(date -u -d '+12 days' +%Y-%m-%d 2>/dev/null || date -u -v+12d +%Y-%m-%d)

# The first run opens on the welcome; once the welcome is skipped, on the services.
shot welcome
CONFIG=$(progress skipped '{"version":1,"settings":{"plan":{"goals":[],"chosen":"'"$now"'"}},"services":{}}') shot overview
shot service --service google
# First steps that state a dead end before the admin starts.
shot vk-first --service vk
shot linkedin-first --service linkedin
KEYS=ctrl+p shot connect
# Google's keys form: the client ID typed with a trailing space.
KEYS="alt+Right alt+Right alt+Right alt+Right alt+Right" \
  TYPE="123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com " shot form --service google
# The plan as the home screen: Google verified, S3 and Twilio to do, Bitly left out by DocSpace.
CONFIG=$(progress planned '{"version":1,"settings":{"plan":{"goals":["signin:google","storage:google","signin:microsoft","backup:s3","sms:twilio","links:bitly"],"product":"docspace","version":"3.7.2","chosen":"'"$now"'"}},"services":{"google":{"step":5,"status":"verified","message":"Google accepted the client ID and secret","updated":"'"$now"'"}}}') shot plan
# A service whose client secret expires in 12 days.
CONFIG=$(progress expiring '{"version":1,"settings":{"plan":{"goals":[],"chosen":"'"$now"'"}},"services":{"microsoft":{"step":4,"filled":["microsoftClientId","microsoftClientSecret","expiresOn"],"status":"verified","message":"Microsoft accepted the client ID and secret","updated":"'"$now"'","keys":{"saved":"'"$now"'","expires":"'"$soon"'"}}}}') shot expiry --service microsoft
