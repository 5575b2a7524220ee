#!/bin/sh
set -eu
mkdir -p "$DUMP_DIR"
target="$DUMP_DIR/$(basename "$SQLITE_DB")"
# sqlite3 reads a dot-command argument in double quotes with C-style escapes.
quoted=$(printf '%s' "$target.partial" | sed 's/[\\"]/\\&/g')
sqlite3 "$SQLITE_DB" ".backup \"$quoted\""
mv "$target.partial" "$target"
echo "Copied $SQLITE_DB to $target"
