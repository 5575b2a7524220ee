#!/bin/sh
# Runs whenever the before-hook started, even if the backup failed: no snapshot is left behind.
snapshot="lifeboat-$LIFEBOAT_RUN_ID"
if zfs list -H -t snapshot "$DATASET@$snapshot" >/dev/null 2>&1; then
  zfs destroy "$DATASET@$snapshot"
fi
