#!/usr/bin/env bash
# Checks the packages in dist/ (built by make dist): the checksums, the
# Linux archive's layout, .desktop entry, user install and version, and the
# Windows exe's subsystem, icon, version resource and DPI-aware manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "dist-check: $*" >&2; exit 1; }
# The version is the one in the package names (make dist empties dist/ first).
linux=$(ls dist/keywizard-*-linux-amd64.tar.xz 2>/dev/null | tail -1)
[ -n "$linux" ] || fail "no Linux package in dist/ (run make dist)"
version=${linux#dist/keywizard-}; version=${version%-linux-amd64.tar.xz}
windows=dist/keywizard-$version-windows-amd64.zip
numeric=${version%%-*}
build=1; if [[ $version =~ ^[0-9.]+-([0-9]+)-g ]]; then build=$((BASH_REMATCH[1] + 1)); fi
numeric=$numeric.$build
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for f in "$linux" "$windows" dist/SHA256SUMS; do [ -s "$f" ] || fail "missing $f (run make dist)"; done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
grep -q " $(basename "$linux")\$" dist/SHA256SUMS && grep -q " $(basename "$windows")\$" dist/SHA256SUMS ||
  fail "SHA256SUMS does not list both packages"

# Linux: fyne's layout, with /usr/local on a machine that has it.
tar -xJf "$linux" -C "$tmp"
root=$tmp/keywizard
prefix=usr/local; [ -d "$root/usr/local" ] || prefix=usr
for f in Makefile "$prefix/bin/keywizard" "$prefix/share/applications/io.keywizard.app.desktop" "$prefix/share/pixmaps/io.keywizard.app.png"; do
  [ -f "$root/$f" ] || fail "$linux has no keywizard/$f"
done
desktop=$root/$prefix/share/applications/io.keywizard.app.desktop
for line in '[Desktop Entry]' 'Type=Application' 'Name=Keywizard' 'Exec=keywizard' 'Icon=io.keywizard.app' 'Categories=Utility;Network;' 'StartupWMClass=Keywizard'; do
  grep -qxF "$line" "$desktop" || fail "the .desktop entry has no line '$line':$(printf '\n'; cat "$desktop")"
done
[ "$(file -b --mime-type "$root/$prefix/share/pixmaps/io.keywizard.app.png" 2>/dev/null || echo image/png)" = image/png ] || fail "the icon is not a PNG"
got=$("$root/$prefix/bin/keywizard" version)
[ "$got" = "keywizard $version" ] || fail "the Linux binary says '$got', want 'keywizard $version'"
home=$tmp/home
make -s -C "$root" user-install HOME="$home" >/dev/null
for f in .local/bin/keywizard .local/share/applications/io.keywizard.app.desktop .local/share/icons/io.keywizard.app.png; do
  [ -f "$home/$f" ] || fail "make user-install did not install ~/$f"
done
grep -qxF "Exec=$home/.local/bin/keywizard" "$home/.local/share/applications/io.keywizard.app.desktop" || fail "user-install left Exec pointing elsewhere"
make -s -C "$root" user-uninstall HOME="$home" >/dev/null
[ -z "$(find "$home" -type f)" ] || fail "make user-uninstall left files: $(find "$home" -type f)"
echo "ok  $linux: layout, .desktop entry, icon, user install and uninstall, version $version"

# Windows: one exe in a keywizard folder.
[ "$(unzip -Z1 "$windows" | grep -v '/$')" = keywizard/keywizard.exe ] || fail "$windows should hold keywizard/keywizard.exe only: $(unzip -Z1 "$windows")"
unzip -q "$windows" -d "$tmp/win"
exe=$tmp/win/keywizard/keywizard.exe
headers=$(x86_64-w64-mingw32-objdump -p "$exe")
grep -Eq '^Subsystem[[:space:]]+00000002' <<<"$headers" ||
  fail "keywizard.exe is not a GUI-subsystem program (a console would open on double-click)"
res=$(wrestool -l "$exe")
grep -q 'type=group_icon' <<<"$res" && grep -q 'type=icon' <<<"$res" || fail "keywizard.exe has no icon:$(printf '\n')$res"
grep -q 'type=version' <<<"$res" || fail "keywizard.exe has no version resource"
grep -q -- '--type=24 ' <<<"$res" || fail "keywizard.exe has no manifest"
vinfo=$(wrestool -x --raw --type=16 "$exe" | iconv -f UTF-16LE -t UTF-8 2>/dev/null | tr -c '[:print:]' '\n')
for want in ProductName Keywizard ProductVersion "$numeric" FileVersion; do
  grep -qxF "$want" <<<"$vinfo" || fail "the version resource lacks '$want':$(printf '\n')$(grep -v '^$' <<<"$vinfo")"
done
manifest=$(wrestool -x --raw --type=24 "$exe")
grep -qF "version=\"$numeric\"" <<<"$manifest" || fail "the manifest's version is not $numeric"
grep -qF '<dpiAware xmlns="http://schemas.microsoft.com/SMI/2005/WindowsSettings">true/pm</dpiAware>' <<<"$manifest" &&
  grep -qF 'PerMonitorV2' <<<"$manifest" || fail "the manifest is not DPI aware:$(printf '\n')$manifest"
echo "ok  $windows: GUI subsystem, icon, version resource $numeric, DPI-aware manifest"

# Both binaries are built with the release Go (the Makefile's RELEASE_GO).
if [ -n "${RELEASE_GO:-}" ]; then
  for b in "$root/$prefix/bin/keywizard" "$exe"; do
    built=$(go version "$b" | awk '{print $2}')
    [ "$built" = "$RELEASE_GO" ] || fail "$(basename "$b") was built with $built, want $RELEASE_GO"
  done
  echo "ok  both binaries built with $RELEASE_GO"
fi
