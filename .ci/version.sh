#!/usr/bin/env bash
# Prints Keywizard's version, taken from the newest git tag vX.Y.Z:
#   version.sh           the full version: 1.2.0, or 1.2.0-3-gabc1234(-dirty)
#                        for commits after the tag; 0.0.0-N-gHASH with no tag
#   version.sh numeric   X.Y.Z only (what installers and Windows accept)
#   version.sh build     commits since the tag, plus one (Windows' 4th number)
set -euo pipefail
cd "$(dirname "$0")/.."

if desc=$(git describe --tags --match 'v[0-9]*.[0-9]*.[0-9]*' --dirty 2>/dev/null); then
  full=${desc#v}
else
  hash=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
  dirty=$(git diff --quiet HEAD 2>/dev/null || echo -dirty)
  full="0.0.0-$count-g$hash$dirty"
fi
numeric=${full%%-*}
rest=${full#"$numeric"}
commits=0
if [[ $rest =~ ^-([0-9]+)-g ]]; then commits=${BASH_REMATCH[1]}; fi

case "${1:-full}" in
  full)    echo "$full" ;;
  numeric) echo "$numeric" ;;
  build)   echo $((commits + 1)) ;;
  *) echo "usage: $0 [full|numeric|build]" >&2; exit 2 ;;
esac
