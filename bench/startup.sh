#!/usr/bin/env bash
# Compares Keywizard's start-up time and memory with a bare Fyne window,
# side by side: RUNS rounds, each starting the bare window and then
# Keywizard, each under its own Xvfb with a fresh config folder. A run ends
# when the window is mapped (xdotool); a second later the process's peak
# resident memory (VmHWM) is read. Prints the means, the medians and the
# ratios Keywizard/bare.
# Usage: bench/startup.sh [RUNS]   (needs xvfb, xdotool: make test installs them)
# Both are built like a release (no debug info, Fyne's thread checks off);
# Keywizard with its release tags as well (no_emoji: no colour-emoji font,
# which no screen uses). KEYWIZARD_TAGS overrides those tags.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
export LANGUAGE=en
mkdir -p bin
tags=migrated_fynedo,release
go build -tags "$tags,${KEYWIZARD_TAGS-no_emoji}" -ldflags "-s -w" -o bin/keywizard-bench ./cmd/keywizard
go build -tags "$tags" -ldflags "-s -w" -o bin/barefyne ./bench/barefyne

measure() { # binary, window title -> "ms kib"; retried when another Xvfb took the display
  local try
  for try in 1 2 3 4 5; do measure1 "$@" 2>/dev/null && return; sleep 1; done
  measure1 "$@"
}

measure1() {
  XDG_CONFIG_HOME=$(mktemp -d) xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    bin=$1; title=$2
    start=$(date +%s%N)
    $bin & pid=$!
    for i in $(seq 3000); do
      xdotool search --onlyvisible --name "$title" >/dev/null 2>&1 && break
      kill -0 $pid 2>/dev/null || { echo "$bin exited before its window showed" >&2; exit 1; }
      sleep 0.01
    done
    end=$(date +%s%N)
    sleep 1
    rss=$(awk "/VmHWM/ {print \$2}" /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    echo "$(( (end-start)/1000000 )) $rss"' _ "$1" "$2"
}

bt=() bm=() kt=() km=()
for i in $(seq "$runs"); do
  read -r ms kb < <(measure ./bin/barefyne "Keywizard baseline"); bt+=("$ms"); bm+=("$kb")
  read -r ms kb < <(measure ./bin/keywizard-bench "^Keywizard$"); kt+=("$ms"); km+=("$kb")
done

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "%d %d\n", s/NR, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
read -r btm btd < <(stats "${bt[@]}"); read -r bmm bmd < <(stats "${bm[@]}")
read -r ktm ktd < <(stats "${kt[@]}"); read -r kmm kmd < <(stats "${km[@]}")
printf '%-10s start-up mean %5d ms median %5d ms   peak RSS mean %7d KiB median %7d KiB\n' barefyne "$btm" "$btd" "$bmm" "$bmd"
printf '%-10s start-up mean %5d ms median %5d ms   peak RSS mean %7d KiB median %7d KiB\n' keywizard "$ktm" "$ktd" "$kmm" "$kmd"
awk -v a="$ktd" -v b="$btd" -v c="$kmd" -v d="$bmd" -v n="$runs" \
  'BEGIN {printf "keywizard/barefyne: start-up %.2fx, peak RSS %.2fx (medians of %d rounds)\n", a/b, c/d, n}'
