-- Event store schema for PostgreSQL. Idempotent; usable as it is from Flyway or Liquibase.
create sequence if not exists es_event_position_seq start with 1 increment by 50;

create table if not exists es_stream (
    id          uuid         not null,
    tenant_id   varchar(64)  not null,
    stream_uuid uuid         not null,
    name        varchar(255),
    category    varchar(255) not null,
    versioned   boolean      not null,
    version     bigint       not null,
    constraint es_stream_pk primary key (id),
    constraint es_stream_tenant_uuid_category_uk unique (stream_uuid, tenant_id, category),
    constraint es_stream_tenant_name_category_uk unique (name, tenant_id, category)
);

create table if not exists es_event (
    position    bigint                   not null,
    stream_id   uuid                     not null,
    tenant_id   varchar(64)              not null,
    version     bigint,
    event_uuid  uuid                     not null,
    event_type  varchar(255)             not null,
    payload     jsonb                    not null,
    context     jsonb                    not null,
    created_at  timestamp(6) with time zone not null,
    constraint es_event_pk primary key (position),
    constraint es_event_uuid_uk unique (event_uuid),
    constraint es_event_stream_version_uk unique (stream_id, version),
    constraint es_event_stream_fk foreign key (stream_id) references es_stream (id)
);

create table if not exists es_snapshot (
    stream_id     uuid                     not null,
    version       bigint                   not null,
    tenant_id     varchar(64)              not null,
    snapshot_uuid uuid                     not null,
    event_type    varchar(255)             not null,
    payload       jsonb                    not null,
    context       jsonb                    not null,
    created_at    timestamp(6) with time zone not null,
    constraint es_snapshot_pk primary key (stream_id, version),
    constraint es_snapshot_stream_fk foreign key (stream_id) references es_stream (id)
);
