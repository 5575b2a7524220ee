#!/usr/bin/env bash
# Prints the path of a restic 0.18 binary for the second test leg, fetching it once:
# Debian trixie's restic package, downloaded with apt-get against a private sources list
# (the machine's own apt setup is never changed) and unpacked into a cache. A second run
# only prints the cached path. Messages go to stderr; the path is the only line on stdout.
set -euo pipefail

CACHE="${LIFEBOAT_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lifeboat-test}/restic-0.18"
BINARY="$CACHE/restic"

answers_018() { "$1" version 2>/dev/null | grep -q '^restic 0\.18\.'; }

if [ -x "$BINARY" ] && answers_018 "$BINARY"; then
  echo "$BINARY"
  exit 0
fi

fail() {
  {
    echo "restic 0.18 for the second test leg could not be obtained: $1"
    echo "Fix: put a restic 0.18 binary at $BINARY: download restic_0.18.<patch>_<os>_<arch>.bz2 from"
    echo "https://github.com/restic/restic/releases, then bunzip2 it, chmod +x it and move it there."
  } >&2
  exit 1
}

command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1 || fail "apt-get and dpkg are needed to fetch Debian's package."
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || fail "$KEYRING is missing (Debian's package debian-archive-keyring)."

# The Debian mirror this machine already uses (deb822 "URIs:" or one-line "deb URL suite"),
# else deb.debian.org.
mirror=$(
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v -- '-security' | head -n 1 | tr -d ' ' | sed 's#/$##'
) || true
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$(dirname "$CACHE")"
work=$(mktemp -d "$(dirname "$CACHE")/.restic-0.18.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/x"
echo "deb [signed-by=$KEYRING] $mirror trixie main" >"$work/sources.list"
APT=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o Debug::NoLocking=true
  -o APT::Sandbox::User=root
)
echo "Fetching restic 0.18 (Debian trixie's package from $mirror) into $CACHE" >&2
apt-get "${APT[@]}" -qq update >"$work/apt.log" 2>&1 || fail "apt-get update against $mirror trixie failed: $(tail -n 1 "$work/apt.log")"
(cd "$work" && apt-get "${APT[@]}" -qq download restic) >>"$work/apt.log" 2>&1 ||
  fail "apt-get download restic failed: $(tail -n 1 "$work/apt.log")"
deb=$(ls "$work"/restic_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "apt-get download restic left no .deb behind."
dpkg -x "$deb" "$work/x"
answers_018 "$work/x/usr/bin/restic" || fail "the package holds $("$work/x/usr/bin/restic" version 2>&1 | head -n 1), not 0.18."
mkdir -p "$CACHE"
# A rename: a test leg starting at the same moment sees the old state or the whole binary.
mv "$work/x/usr/bin/restic" "$CACHE/.restic.$$"
mv -f "$CACHE/.restic.$$" "$BINARY"
echo "$BINARY"
