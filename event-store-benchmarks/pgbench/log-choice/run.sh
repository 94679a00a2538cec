#!/usr/bin/env bash
# Appends per second with 4 clients, without and with a numbering pass every 50 ms beside them, for the two
# ways of numbering the log (see schema.sql). Usage: run.sh [database] (default: bench).
set -euo pipefail
cd "$(dirname "$0")"
db=${1:-bench}
pg="-h 127.0.0.1 -U postgres"
psql $pg -q -d "$db" -f schema.sql
bench() { pgbench $pg -n -M prepared -T 10 -c 4 -j 4 -f "$1" "$db" 2>&1 | grep -o 'tps = [0-9.]*'; }
beside() { (pgbench $pg -n -M prepared -T 10 -c 1 -f "$2" "$db" >/dev/null 2>&1 &); bench "$1"; sleep 1; }
for way in update pending; do
    echo "$way, appends alone:             $(bench append-$way.sql)"
    echo "$way, appends beside numbering:  $(beside append-$way.sql number-$way.sql)"
done
