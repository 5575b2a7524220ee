#!/bin/sh
target="$SNAPSHOTS/lifeboat-$LIFEBOAT_RUN_ID"
if [ -d "$target" ]; then
  btrfs subvolume delete "$target"
fi
