-- Event store schema for MariaDB (10.7 or later, for the uuid type).
-- Text columns use utf8mb4_nopad_bin: tenant ids, stream names and categories compare exactly, case
-- and trailing spaces included, as on the other databases.
-- es_event.seq comes from a sequence rather than auto_increment: an insert … select into an auto_increment
-- table takes a table-wide AUTO-INC lock for the whole statement (innodb_autoinc_lock_mode 1, the default)
create sequence if not exists es_event_seq start with 1 increment by 1;

create table if not exists es_stream (
    id          uuid         not null,
    tenant_id   varchar(64)  not null,
    stream_uuid uuid         not null,
    name        varchar(255),
    category    varchar(255) not null,
    versioned   boolean      not null,
    version     bigint       not null,
    -- the key is derived from (tenant_id, stream_uuid, category): one row per stream, by construction
    constraint es_stream_pk primary key (id)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

create table if not exists es_event (
    seq         bigint       not null default nextval(es_event_seq),
    stream_id   uuid         not null,
    tenant_id   varchar(64)  not null,
    version     bigint,
    event_uuid  uuid         not null,
    event_type  varchar(255) not null,
    payload     json         not null,
    context     json         not null,
    created_at  datetime(6)  not null,
    constraint es_event_pk primary key (seq),
    constraint es_event_uuid_uk unique (event_uuid),
    -- no foreign key to es_stream: every append creates or locks the stream's row in the statement that inserts
    -- its events, and a delete locks it and removes the events first; a key would check and lock that row
    -- once per event (a quarter of a 100-event append on PostgreSQL)
    constraint es_event_stream_version_uk unique (stream_id, version)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

create table if not exists es_snapshot (
    stream_id     uuid         not null,
    version       bigint       not null,
    tenant_id     varchar(64)  not null,
    snapshot_uuid uuid         not null,
    event_type    varchar(255) not null,
    payload       json         not null,
    context       json         not null,
    created_at    datetime(6)  not null,
    constraint es_snapshot_pk primary key (stream_id, version),
    constraint es_snapshot_stream_fk foreign key (stream_id) references es_stream (id)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

-- The log. An append records its events in es_pending, in its own transaction; after they commit, the
-- sequencer gives them log positions in es_log, in commit order, under the lock of es_log_head's row, which
-- holds the highest position ever given (so positions are never reused).
create table if not exists es_pending (
    seq         bigint       not null,
    constraint es_pending_pk primary key (seq)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

create table if not exists es_log (
    position    bigint       not null,
    seq         bigint       not null,
    tenant_id   varchar(64)  not null,
    category    varchar(255) not null,
    event_type  varchar(255) not null,
    constraint es_log_pk primary key (position),
    constraint es_log_seq_uk unique (seq)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;
create index if not exists es_log_tenant_idx on es_log (tenant_id, position);
create index if not exists es_log_category_idx on es_log (category, position);
create index if not exists es_log_type_idx on es_log (event_type, position);

create table if not exists es_log_head (
    id          integer      not null,
    position    bigint       not null,
    constraint es_log_head_pk primary key (id)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;
insert into es_log_head (id, position) select 1, 0 from dual where not exists (select 1 from es_log_head);

-- every inserted event is pending until the sequencer gives it its position
create trigger if not exists es_event_pending after insert on es_event for each row
    insert into es_pending (seq) values (new.seq);

-- Projections. One row per projection: its checkpoint (the position of the last event it handled, moved in
-- the transaction of its handlers' writes), its state, and the lease of the instance that runs it (owner and
-- lease_until, in milliseconds since the epoch of that instance's clock). Idempotent, as the script above.
create table if not exists es_projection (
    name           varchar(255) not null,
    position       bigint       not null,
    state          varchar(16)  not null,
    owner          varchar(255),
    lease_until    bigint       not null,
    error          varchar(4000),
    error_position bigint,
    constraint es_projection_pk primary key (name)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

-- Events a projection gave up on, kept to be listed and replayed; the event itself stays in the log.
create table if not exists es_dead_letter (
    projection     varchar(255) not null,
    position       bigint       not null,
    tenant_id      varchar(64)  not null,
    stream         varchar(600) not null,
    event_uuid     varchar(36)  not null,
    event_type     varchar(255) not null,
    error          varchar(4000) not null,
    attempts       integer      not null,
    recorded_at    bigint       not null,
    constraint es_dead_letter_pk primary key (projection, position)
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

-- Schema versions. Every event and snapshot keeps the schema version of its JSON (@EventType's version);
-- rows stored before this migration were written at version 1, the default. Idempotent, as the scripts
-- above: a database they created gains the columns, one that has them is left as it is.
alter table es_event add column if not exists schema_version integer not null default 1;
alter table es_snapshot add column if not exists schema_version integer not null default 1;

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
