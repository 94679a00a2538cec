#!/usr/bin/env bash
# Transactions per second PostgreSQL allows for the event store's statements, 1 and 4 clients (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
db=${1:-pglimits}
pg="-h ${PGHOST:-127.0.0.1} -U ${PGUSER:-postgres}"
psql $pg -d postgres -tAc "select 1 from pg_database where datname = '$db'" | grep -q 1 \
    || psql $pg -d postgres -qc "create database $db"
schema=../../../event-store-jpa/src/main/resources/dev/eventsourcery/eventstore/jpa
psql $pg -q -d "$db" -f "$schema/drop-postgresql.sql" -f "$schema/schema-postgresql.sql"
for script in insert append begin-two-inserts-commit append-100; do
    for clients in 1 4; do
        tps=$(pgbench $pg -n -M prepared -T 8 -c $clients -j $clients -f $script.sql "$db" 2>&1 \
            | grep -o 'tps = [0-9.]*' | cut -d' ' -f3)
        printf '%-26s %d client(s): %8.0f tps\n' "$script" "$clients" "$tps"
    done
    # the pending rows pile up without a sequencer: start every script from an empty table
    psql $pg -q -d "$db" -c "truncate es_pending"
done
