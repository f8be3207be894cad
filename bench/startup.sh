#!/usr/bin/env bash
# Compares Keywizard's start-up time and memory with a bare Fyne window.
# For each binary, RUNS times: start it under Xvfb, wait until its window is
# mapped (xdotool), then read the process's peak resident memory (VmHWM).
# Usage: bench/startup.sh [RUNS]     (needs xvfb, xdotool: make test installs them)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
export LANGUAGE=en
mkdir -p bin
go build -o bin/keywizard ./cmd/keywizard
go build -o bin/barefyne ./bench/barefyne

measure() { # binary, window title
  XDG_CONFIG_HOME=$(mktemp -d) xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    bin=$1; title=$2
    start=$(date +%s%N)
    $bin & pid=$!
    until xdotool search --onlyvisible --name "$title" >/dev/null 2>&1; do sleep 0.01; done
    end=$(date +%s%N)
    sleep 1
    rss=$(awk "/VmHWM/ {print \$2}" /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    echo "$(( (end-start)/1000000 )) $rss"' _ "$1" "$2"
}

report() { # name, binary, title
  local name=$1 t=0 m=0 line ms kb
  for i in $(seq "$runs"); do
    line=$(measure "$2" "$3"); ms=${line% *}; kb=${line#* }
    t=$((t+ms)); m=$((m+kb))
  done
  printf '%-10s start-up %5d ms   peak RSS %6d KiB   (mean of %d runs)\n' "$name" $((t/runs)) $((m/runs)) "$runs"
}

report barefyne ./bin/barefyne "Keywizard baseline"
report keywizard ./bin/keywizard "^Keywizard$"
