#!/bin/sh
set -eu
mkdir -p "$DUMP_DIR"
mysqldump --single-transaction --routines --triggers "$DATABASE" > "$DUMP_DIR/$DATABASE.sql.partial"
mv "$DUMP_DIR/$DATABASE.sql.partial" "$DUMP_DIR/$DATABASE.sql"
echo "Dumped $DATABASE to $DUMP_DIR/$DATABASE.sql"
