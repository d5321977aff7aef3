-- Issue 10: a delivery handed over at publish (leased to the publishing process's dispatcher, see DeliveryHandoff)
-- no longer enters the queue. Until V10 it was inserted into delivery_queue already leased and deleted again a few
-- milliseconds later by its finish: one heap row, two index entries and a delete per delivery, about half the
-- buffers both statements touched. Now the publish records one row per statement here instead, the finish writes the
-- delivery straight to the log (or, for a retry, into the queue), and the row goes when the last of its deliveries
-- has been recorded.
--
-- The row is the lease: a finish of a handed-over delivery is fenced by it (a row lock), as a claimed one is by its
-- lease token in the queue. If the process dies, or holds a delivery past expires_at, the lease reaper takes the row
-- (PgDeliveryQueue: REAP_HANDOFFS) and puts every delivery of it that neither the queue nor the log holds back in the
-- queue, exactly as it returns an expired claim.
--
-- The arrays are aligned, one element per delivery; all were created at accepted_at, as were their events.
create table delivery_handoff (
  lease_token  uuid primary key,
  accepted_at  timestamptz not null,
  expires_at   timestamptz not null,
  delivery_ids uuid[] not null,
  event_ids    uuid[] not null,
  sids         text[] not null,
  profile_ids  text[] not null
);
-- A statement's row is inserted and deleted within milliseconds: keep it in the heap page (a row of up to ~100
-- deliveries, instead of compressing or moving it to TOAST past 2 kB), and vacuum early.
alter table delivery_handoff set (toast_tuple_target = 8160, autovacuum_vacuum_scale_factor = 0.01,
                                  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.01);

-- The handed-over deliveries still being attempted: in a live row, and neither back in the queue nor in the log.
create view delivery_in_hand as
select u.delivery_id, u.event_id, h.accepted_at as event_created_at, u.sid, u.profile_id,
       'delivering'::text as status, h.lease_token, h.expires_at, h.accepted_at as created_at
  from delivery_handoff h
  cross join lateral unnest(h.delivery_ids, h.event_ids, h.sids, h.profile_ids) as u(delivery_id, event_id, sid, profile_id)
 where not exists (select 1 from delivery_queue q where q.delivery_id = u.delivery_id)
   and not exists (select 1 from delivery_log l where l.delivery_id = u.delivery_id and l.created_at = h.accepted_at);

-- The operator's read model shows them as before: delivering, with their lease.
create or replace view deliveries as
select 'msg_' || replace(delivery_id::text, '-', '') as delivery_id, 'evt_' || replace(event_id::text, '-', '') as event_id,
       sid, profile_id, status, attempt_count,
       case when status <> 'delivering' then due_at end as next_attempt_at, lease_token,
       case when status = 'delivering' then due_at end as lease_expires_at, created_at,
       null::timestamptz as finished_at, last_http_status, last_error
  from delivery_queue
union all
select 'msg_' || replace(delivery_id::text, '-', ''), 'evt_' || replace(event_id::text, '-', ''), sid, profile_id,
       status, attempt_count, null, null, null, created_at, finished_at, last_http_status, last_error
  from delivery_log
union all
select 'msg_' || replace(delivery_id::text, '-', ''), 'evt_' || replace(event_id::text, '-', ''), sid, profile_id,
       status, 0, null, lease_token, expires_at, created_at, null, null, null
  from delivery_in_hand;
