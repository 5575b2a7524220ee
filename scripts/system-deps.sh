#!/usr/bin/env bash
# Makes sure the programs the tests drive for real are installed: installs the missing ones
# with apt-get where it can, and otherwise says exactly what to install.
set -euo pipefail

# command → Debian package
declare -A PACKAGES=(
  [restic]=restic
  [rclone]=rclone
  [setpriv]=util-linux
  [unshare]=util-linux
  [sqlite3]=sqlite3
  [Xvfb]=xvfb
  [dunst]=dunst
  [notify-send]=libnotify-bin
  [dbus-daemon]=dbus-daemon
  [dbus-monitor]=dbus-bin
  [chromium]=chromium
  [zsh]=zsh
  [fish]=fish
  [desktop-file-validate]=desktop-file-utils
  [systemd-analyze]=systemd
  [promtool]=prometheus
  [prometheus-node-exporter]=prometheus-node-exporter
)

missing=()
for command in "${!PACKAGES[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${PACKAGES[$command]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "Installing what the tests need: ${missing[*]}"
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
  fi
  echo "Cannot install them from here. Run: sudo apt-get install ${missing[*]}" >&2
elif command -v brew >/dev/null 2>&1; then
  brew install "${missing[@]/util-linux/}" && exit 0
  echo "Cannot install them from here. Run: brew install ${missing[*]}" >&2
else
  echo "Install these with your package manager, then run the tests again: ${missing[*]}" >&2
fi
exit 1
