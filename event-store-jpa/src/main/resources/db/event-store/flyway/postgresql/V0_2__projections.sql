-- Projections. One row per projection: its checkpoint (the position of the last event it handled, moved in
-- the transaction of its handlers' writes), its state, and the lease of the instance that runs it (owner and
-- lease_until, in milliseconds since the epoch of that instance's clock). Idempotent, as the script above.
create table if not exists es_projection (
    name           varchar(255) not null,
    position       bigint       not null,
    state          varchar(16)  not null,
    owner          varchar(255),
    lease_until    bigint       not null,
    error          text,
    error_position bigint,
    constraint es_projection_pk primary key (name)
);

-- Events a projection gave up on, kept to be listed and replayed; the event itself stays in the log.
create table if not exists es_dead_letter (
    projection     varchar(255) not null,
    position       bigint       not null,
    tenant_id      varchar(64)  not null,
    stream         varchar(600) not null,
    event_uuid     varchar(36)  not null,
    event_type     varchar(255) not null,
    error          text not null,
    attempts       integer      not null,
    recorded_at    bigint       not null,
    constraint es_dead_letter_pk primary key (projection, position)
);
