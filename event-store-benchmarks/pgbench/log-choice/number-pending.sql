begin;
select position from p_head where id = 1 for update;
with d as (delete from p_pending where seq in (select seq from p_pending order by seq limit 1000) returning seq),
     n as (select d.seq, row_number() over (order by d.seq) rn from d),
     h as (select position from p_head where id = 1),
     l as (insert into p_log select h.position + n.rn, e.seq, e.tenant_id, s.category, e.event_type
           from n join p_event e on e.seq = n.seq join p_stream s on s.id = e.stream_id, h returning position)
update p_head set position = coalesce((select max(position) from l), position) where id = 1;
commit;
\sleep 50 ms
