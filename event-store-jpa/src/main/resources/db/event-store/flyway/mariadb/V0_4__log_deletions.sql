-- Deleted events still to leave the log. A delete of a stream records each event it deletes here, in its own
-- transaction, and touches no row of the log's tables; the sequencer's next pass removes those events from
-- es_log and es_pending, then these rows. So no transaction, however long it stays open after deleting a
-- stream, holds up the numbering of other events. Idempotent, as the scripts above.
create table if not exists es_deleted (
    seq         bigint       not null,
    constraint es_deleted_pk primary key (seq)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;
create trigger if not exists es_event_deleted after delete on es_event for each row
    insert into es_deleted (seq) values (old.seq);
