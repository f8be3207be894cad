#!/usr/bin/env bash
# Runs govulncheck offline. The Go vulnerability database is taken from the
# Go module proxy: the module golang.org/x/vulndb carries every report as an
# OSV file, and its own indexdb command turns them into the database layout
# govulncheck reads with -db file://. The result is kept in build/vulndb.
#
# Fails when a dependency has a known vulnerability the code calls. A
# vulnerability in the Go release itself (the standard library) is reported
# with the release that fixes it but does not fail the run: the Go toolchain
# belongs to the machine, not to this repository. When the database cannot
# be fetched, it says so and does not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
GOVULNCHECK=golang.org/x/vuln/cmd/govulncheck@v1.9.0
VULNDB=golang.org/x/vulndb
VULNDB_VERSION=${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}
db=$PWD/build/vulndb/$VULNDB_VERSION

if [ ! -s "$db/index/db.json" ]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  src=$(cd "$tmp" && "$GO" mod download -json "$VULNDB@$VULNDB_VERSION" 2>/dev/null |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || true
  if [ -z "$src" ] || [ ! -d "$src/data/osv" ]; then
    echo "govulncheck: NOT RUN: the vulnerability database ($VULNDB@$VULNDB_VERSION) could not be fetched from the Go module proxy ($("$GO" env GOPROXY))." >&2
    exit 0
  fi
  rm -rf "$db.tmp"
  "$GO" run "$VULNDB/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$db.tmp"
  mv "$db.tmp" "$db"
fi

set +e
out=$("$GO" run "$GOVULNCHECK" -db "file://$db" ./... 2>&1)
rc=$?
set -e
if [ $rc -eq 0 ]; then
  echo "govulncheck: no known vulnerability is called (database $VULNDB_VERSION, $(ls "$db/ID" | grep -c '\.json$') reports)."
  exit 0
fi
# 'go run' turns govulncheck's exit 3 (findings) into 1: read the report.
if ! grep -q '^Your code is affected by' <<<"$out"; then
  echo "$out" >&2; echo "govulncheck could not run" >&2; exit 1
fi
echo "$out"
modules=$(grep -E '^ +Found in: ' <<<"$out" | grep -v '@go[0-9]' || true)
if [ -n "$modules" ]; then
  echo "govulncheck: dependencies with known vulnerabilities that the code calls (see above); update them in go.mod." >&2
  exit 1
fi
fix=$(grep -Eo 'Fixed in: [^ ]+@go[0-9.]+' <<<"$out" | sed 's/.*@//' | sort -V | tail -1)
echo "govulncheck: WARNING: only the Go release $("$GO" env GOVERSION) is affected, fixed in $fix: build releases with $fix or later. Not failing: the toolchain is the machine's." >&2
