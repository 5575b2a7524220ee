#!/bin/sh
# Values reach AppleScript as arguments, never spliced into its text.
osascript -e 'on run argv' -e 'display notification (item 2 of argv) with title (item 1 of argv)' -e 'end run' \
  "Backup $LIFEBOAT_STATUS: $LIFEBOAT_PLAN_NAME" "${LIFEBOAT_ERROR:-}"
