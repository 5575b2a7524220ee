#!/bin/sh
set -eu
name="lifeboat-$LIFEBOAT_RUN_ID"
lvcreate --snapshot --size "$SNAPSHOT_SIZE" --name "$name" "$VG/$LV" >/dev/null
mkdir -p "$LIFEBOAT_WORKING_DIR/lvm"
mount -o ro "/dev/$VG/$name" "$LIFEBOAT_WORKING_DIR/lvm"
echo "LIFEBOAT_SNAPSHOT_PATH=$LIFEBOAT_WORKING_DIR/lvm"
