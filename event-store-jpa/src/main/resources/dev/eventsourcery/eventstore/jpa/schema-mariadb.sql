-- Event store schema for MariaDB (10.7 or later, for the uuid type).
-- Text columns use utf8mb4_nopad_bin: tenant ids, stream names and categories compare exactly, case
-- and trailing spaces included, as on the other databases.
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
) engine = InnoDB default charset = utf8mb4 collate = utf8mb4_nopad_bin;

create table if not exists es_event (
    seq         bigint       not null auto_increment,
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
    constraint es_event_stream_version_uk unique (stream_id, version),
    constraint es_event_stream_fk foreign key (stream_id) references es_stream (id)
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
