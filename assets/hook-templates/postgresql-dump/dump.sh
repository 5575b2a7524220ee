#!/bin/sh
set -eu
mkdir -p "$DUMP_DIR"
# Write to a temporary name first, so a failed dump never replaces the last good one.
pg_dump --format=custom --file "$DUMP_DIR/$PGDATABASE.dump.partial" "$PGDATABASE"
mv "$DUMP_DIR/$PGDATABASE.dump.partial" "$DUMP_DIR/$PGDATABASE.dump"
echo "Dumped $PGDATABASE to $DUMP_DIR/$PGDATABASE.dump"
