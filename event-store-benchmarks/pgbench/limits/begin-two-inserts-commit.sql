begin;
insert into es_stream (id, tenant_id, stream_uuid, name, category, versioned, version)
values (gen_random_uuid(), '', gen_random_uuid(), null, '', true, 1);
insert into es_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, created_at)
values (gen_random_uuid(), '', 1, gen_random_uuid(), 'MoneyDeposited', convert_from(decode('7b226163636f756e74223a226131222c22616d6f756e74496e43656e7473223a31303035307d', 'hex'), 'UTF8')::json, convert_from(decode('7b22636f7272656c6174696f6e4964223a6e756c6c2c22636175736174696f6e4964223a6e756c6c2c2261747472696275746573223a7b7d7d', 'hex'), 'UTF8')::json, now());
commit;
