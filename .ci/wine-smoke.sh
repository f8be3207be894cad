#!/usr/bin/env bash
# Smoke test of the Windows package (dist/, from make dist) under Wine, in a
# fresh Wine prefix: the console binding's tests, version, providers --json (the same as the Linux build
# prints), validate with good and bad keys, a keys set/show/forget round
# trip through Credential Manager with a secret longer than one entry holds
# (2,560 bytes), and a screenshot of the window under Xvfb, saved in
# build/screenshots/windows-wine.png.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANGUAGE=en WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
export WINEPREFIX=$PWD/build/wine
zip=$(ls dist/keywizard-*-windows-amd64.zip 2>/dev/null | tail -1)
[ -n "$zip" ] || { echo "wine-smoke: no Windows package in dist/ (run make dist)" >&2; exit 1; }
version=${zip#dist/keywizard-}; version=${version%-windows-amd64.zip}
tmp=$(mktemp -d); trap 'wineserver -k 2>/dev/null || true; rm -rf "$tmp"' EXIT
fail() { echo "wine-smoke: $*" >&2; exit 1; }

start=$(date +%s)
rm -rf "$WINEPREFIX"; mkdir -p build
wineboot -i >/dev/null 2>&1 || true
wineserver -w
[ -d "$WINEPREFIX/drive_c/windows/system32" ] || fail "wineboot did not create the prefix"
# Wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which Go programs load.
sys32=$WINEPREFIX/drive_c/windows/system32
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$sys32/bcryptprimitives.dll" \
    .ci/wine/bcryptprimitives.c .ci/wine/bcryptprimitives.def -ladvapi32
fi
echo "wine prefix ready in $(( $(date +%s) - start )) s"
# One wine server for every command below: a server that exits between two
# commands races with the next one ("recvmsg: Connection reset by peer").
wineserver -p

unzip -q "$zip" -d "$tmp"
exe=$tmp/keywizard/keywizard.exe
kw() { wine "$exe" "$@"; }
crlf() { tr -d '\r'; }

# The console binding's own tests (cmd/keywizard, Windows build).
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
  go test -c -o "$tmp/console-test.exe" ./cmd/keywizard
wine "$tmp/console-test.exe" -test.v | crlf | grep -E '^(--- |PASS|FAIL|ok)' >"$tmp/out" || true
grep -qx PASS "$tmp/out" || fail "the Windows console tests failed: $(cat "$tmp/out")"
echo "ok  console tests under Wine: $(grep -c '^--- PASS' "$tmp/out") passed"

got=$(kw version | crlf)
[ "$got" = "keywizard $version" ] || fail "version says '$got', want 'keywizard $version'"
echo "ok  version: $got"

go build -ldflags "-X main.version=$version" -o "$tmp/keywizard-linux" ./cmd/keywizard
kw providers --json | crlf >"$tmp/providers-win.json"
"$tmp/keywizard-linux" providers --json >"$tmp/providers-linux.json"
cmp -s "$tmp/providers-win.json" "$tmp/providers-linux.json" ||
  fail "providers --json differs from the Linux build: $(diff "$tmp/providers-linux.json" "$tmp/providers-win.json" | head)"
grep -q '"id": "googlecloud"' "$tmp/providers-win.json" || fail "providers --json lists no googlecloud"
echo "ok  providers --json: $(grep -c '"title"' "$tmp/providers-win.json") services, the same as on Linux"

# A service-account key with a 4096-bit RSA key: about 3.3 KB of secret.
(cd .ci/wine && go run gen-values.go) >"$tmp/good.json"
printf '%s' '{"json":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----","bucket":"acme-portal-backups"}' >"$tmp/bad.json"
kw validate googlecloud --values - <"$tmp/good.json" >"$tmp/out" || fail "validate refused good keys: $(crlf <"$tmp/out")"
set +e; kw validate googlecloud --values - <"$tmp/bad.json" >"$tmp/out"; rc=$?; set -e
[ $rc -eq 1 ] || fail "validate with a bad key exited $rc, want 1"
grep -q '^FAIL .*this is only a PEM key' "$tmp/out" || fail "validate did not explain the bad key: $(crlf <"$tmp/out")"
echo "ok  validate: good keys exit 0, a bare PEM key exits 1 and is explained"

creds='HKCU\Software\Wine\Credential Manager'
kw keys set googlecloud --values "$(winepath -w "$tmp/good.json")" | crlf | grep -q '^Stored googlecloud in Windows Credential Manager' ||
  fail "keys set did not store in Credential Manager"
entries=$(wine reg query "$creds" /s 2>/dev/null | crlf | grep -c '^HKEY.*io.keywizard.app:googlecloud/json#' || true)
[ "$entries" -ge 2 ] || fail "the long secret was not split over Credential Manager entries ($entries parts)"
kw keys show googlecloud | crlf | grep -q 'Service account key (JSON) (json): ' || fail "keys show does not list the key"
kw validate googlecloud >"$tmp/out" || fail "the stored key did not come back whole: $(crlf <"$tmp/out")"
kw keys forget googlecloud | crlf | grep -q '^Forgot googlecloud' || fail "keys forget failed"
kw keys show googlecloud | crlf | grep -q '^No keys stored for googlecloud' || fail "keys show still finds keys after forget"
[ "$(wine reg query "$creds" /s 2>/dev/null | crlf | grep -c 'io.keywizard.app:' || true)" -eq 0 ] || fail "forget left entries in Credential Manager"
echo "ok  keys: a $(wc -c <"$tmp/good.json")-byte key stored in $entries parts, read back whole (validate), forgotten"

# The Wine session started above has no display: end it, so the window
# gets one that knows Xvfb's.
wineserver -k 2>/dev/null || true; wineserver -w
mkdir -p build/screenshots
shot=build/screenshots/windows-wine.png
xvfb-run -a -s "-screen 0 1280x800x24" sh -c '
  wine "$1" & pid=$!
  for i in $(seq 600); do xdotool search --onlyvisible --name "^Keywizard" >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 3
  win=$(xdotool search --onlyvisible --name "^Keywizard" | head -1)
  [ -n "$win" ] || { echo "no window" >&2; kill $pid; exit 1; }
  eval "$(xdotool getwindowgeometry --shell "$win")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$2"
  kill $pid; wineserver -k' sh "$exe" "$shot" || fail "the window did not open"
[ "$(convert "$shot" -format '%[fx:standard_deviation>0.01]' info:)" = 1 ] || fail "the window screenshot is blank"
echo "ok  window: $shot ($(identify -format '%wx%h' "$shot"))"
echo "wine smoke test passed in $(( $(date +%s) - start )) s"
