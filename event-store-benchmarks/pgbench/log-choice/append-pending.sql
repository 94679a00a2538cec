with s as (insert into p_stream values (gen_random_uuid(), '', gen_random_uuid(), null, '', true, 1) returning id),
     e as (insert into p_event (stream_id, tenant_id, version, event_uuid, event_type, payload, context, created_at)
           select s.id, '', 1, gen_random_uuid(), 'MoneyDeposited', '{"account":"a1","amount":100.5}', '{}', now()
           from s returning seq)
insert into p_pending select seq from e;
