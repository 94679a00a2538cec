-- Removes the event store's tables, with everything stored in them.
drop table if exists es_dead_letter;
drop table if exists es_projection;
drop table if exists es_deleted;
drop table if exists es_log_head;
drop table if exists es_log;
drop table if exists es_pending;
drop table if exists es_snapshot;
drop table if exists es_event;
drop table if exists es_stream;
