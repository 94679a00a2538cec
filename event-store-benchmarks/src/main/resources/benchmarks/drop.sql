-- Removes the tables of Axon's JPA storage engine and token store, of the raw JDBC contender, P1's read models and O1's checkpoint.
drop table if exists token_entry;
drop table if exists es_balance_row;
drop table if exists axon_balance_row;
drop table if exists jdbc_balance_row;
drop table if exists jdbc_projection;
drop table if exists jdbc_outbox;
drop table if exists snapshot_event_entry;
drop table if exists domain_event_entry;
drop sequence if exists domain_event_entry_seq;
drop table if exists jdbc_log;
drop table if exists jdbc_pending;
drop table if exists jdbc_event;
drop table if exists jdbc_stream;
