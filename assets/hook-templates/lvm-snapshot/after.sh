#!/bin/sh
name="lifeboat-$LIFEBOAT_RUN_ID"
mountpoint -q "$LIFEBOAT_WORKING_DIR/lvm" && umount "$LIFEBOAT_WORKING_DIR/lvm"
if lvs "$VG/$name" >/dev/null 2>&1; then
  lvremove -y "$VG/$name" >/dev/null
fi
