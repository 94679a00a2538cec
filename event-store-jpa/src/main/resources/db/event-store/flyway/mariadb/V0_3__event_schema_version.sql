-- Schema versions. Every event and snapshot keeps the schema version of its JSON (@EventType's version);
-- rows stored before this migration were written at version 1, the default. Idempotent, as the scripts
-- above: a database they created gains the columns, one that has them is left as it is.
alter table es_event add column if not exists schema_version integer not null default 1;
alter table es_snapshot add column if not exists schema_version integer not null default 1;
