-- Removes the event store's tables and sequence, with everything stored in them.
drop table if exists es_snapshot;
drop table if exists es_event;
drop table if exists es_stream;
drop sequence if exists es_event_position_seq;
