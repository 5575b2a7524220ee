#!/bin/sh
set -eu
target="$SNAPSHOTS/lifeboat-$LIFEBOAT_RUN_ID"
btrfs subvolume snapshot -r "$SUBVOLUME" "$target" >/dev/null
echo "LIFEBOAT_SNAPSHOT_PATH=$target"
