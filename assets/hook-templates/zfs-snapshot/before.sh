#!/bin/sh
set -eu
snapshot="lifeboat-$LIFEBOAT_RUN_ID"
zfs snapshot "$DATASET@$snapshot"
mountpoint=$(zfs get -H -o value mountpoint "$DATASET")
echo "LIFEBOAT_SNAPSHOT_PATH=$mountpoint/.zfs/snapshot/$snapshot"
