#!/usr/bin/env bash
# Prove a backup restores: dump the database with pg_dump, restore it into a fresh database
# with pg_restore, and compare the row count of every table. Exits non-zero on any difference.
#
#   scripts/backup_roundtrip.sh [postgres://user@host:5432/dbname]   (default: $DATABASE_URL)
#
# The scratch database (<dbname>_restore_check_<pid>) is dropped at the end, whatever happens.
set -euo pipefail

url="${1:-${DATABASE_URL:-}}"
case "$url" in
  postgres://*|postgresql://*) ;;
  *) echo "usage: $0 postgres://user@host:port/dbname (or set DATABASE_URL)" >&2; exit 2 ;;
esac

base="${url%/*}"                  # postgres://user@host:port
source_db="${url##*/}"; source_db="${source_db%%\?*}"
restore_db="${source_db}_restore_check_$$"
restore_url="$base/$restore_db"
work="$(mktemp -d)"

cleanup() {
  psql "$url" -q -v ON_ERROR_STOP=0 -c "DROP DATABASE IF EXISTS \"$restore_db\"" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "Dumping $source_db"
pg_dump --format=custom --no-owner --no-privileges --file "$work/backup.dump" "$url"
echo "Restoring into $restore_db"
psql "$url" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$restore_db\"" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname "$restore_url" "$work/backup.dump"

tables_sql="SELECT quote_ident(table_name) FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
count_rows() {
  local db_url="$1" table
  for table in $(psql "$db_url" -At -c "$tables_sql"); do
    printf '%s %s\n' "$table" "$(psql "$db_url" -At -c "SELECT count(*) FROM $table")"
  done
}
count_rows "$url" > "$work/source.txt"
count_rows "$restore_url" > "$work/restored.txt"

if ! diff -u "$work/source.txt" "$work/restored.txt"; then
  echo "Backup round trip FAILED: row counts differ (above)." >&2
  exit 1
fi
tables=$(wc -l < "$work/source.txt")
rows=$(awk '{ sum += $2 } END { print sum + 0 }' "$work/source.txt")
echo "Backup round trip OK: $tables tables, $rows rows, every count equal."
