-- Removes the tables of Axon's JPA storage engine and of the raw JDBC contender.
drop table if exists snapshot_event_entry;
drop table if exists domain_event_entry;
drop sequence if exists domain_event_entry_seq;
drop table if exists jdbc_log;
drop table if exists jdbc_pending;
drop table if exists jdbc_event;
drop table if exists jdbc_stream;
