with s as (insert into u_stream values (gen_random_uuid(), '', gen_random_uuid(), null, '', true, 1) returning id)
insert into u_event (stream_id, tenant_id, category, version, event_uuid, event_type, payload, context, created_at)
select s.id, '', '', 1, gen_random_uuid(), 'MoneyDeposited', '{"account":"a1","amount":100.5}', '{}', now() from s;
