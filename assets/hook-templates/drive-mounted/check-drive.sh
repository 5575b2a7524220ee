#!/bin/sh
# Exit 75 means "skip this run": no failure, no alarm.
if [ -d "$DRIVE" ] && { mountpoint -q "$DRIVE" 2>/dev/null || [ "$(stat -c %d "$DRIVE")" != "$(stat -c %d "$DRIVE/..")" ]; }; then
  echo "Drive $DRIVE is connected"
  exit 0
fi
echo "Drive $DRIVE is not connected"
exit 75
