begin;
select position from u_head where id = 1 for update;
with p as (select seq, row_number() over (order by seq) rn from u_event where position is null order by seq limit 1000),
     h as (select position from u_head where id = 1),
     u as (update u_event e set position = h.position + p.rn from p, h where e.seq = p.seq and e.position is null
           returning e.position)
update u_head set position = coalesce((select max(position) from u), position) where id = 1;
commit;
\sleep 50 ms
