-- Storage for months and millions (API.md §10): a small hot queue of unfinished deliveries, apart from an
-- append-only log partitioned by time, so that retention drops whole partitions instead of deleting rows.
--
--   delivery_queue  unfinished deliveries only (pending, delivering, held); never partitioned, never expired: a held
--                   delivery may wait here for months. A delivery leaves it when it finishes.
--   delivery_log    finished deliveries (delivered, failed, cancelled), with their last attempt folded into the row.
--   attempt_log     every other attempt (those that led to a retry).
--   event_log       the events.
--
-- The three logs are partitioned by range of creation time (attempts by their delivery's creation), with identical
-- bounds; the engine's partition maintenance creates partitions ahead and drops expired ones (PgPartitions). Each
-- log also has a default partition, "<log>_retained", for rows outside every time partition: the events and attempts
-- of unfinished deliveries that outlived their partition, and the rows from before this migration. Maintenance
-- prunes finished rows there with plain deletes; it stays small.
--
-- Keys are uuids (16 bytes instead of 36-character text); the API still shows them as evt_/msg_ + 32 hex digits.
-- New ones are time-ordered (UUIDv7 layout), so index inserts land on the right-most pages instead of random ones.
-- No foreign keys on the hot tables: a foreign-key check locks the referenced profile row for every insert, and
-- profiles are never deleted (only marked), events never before their deliveries.

alter table events rename to events_v3;
alter table deliveries rename to deliveries_v3;
alter table attempts rename to attempts_v3;

create table event_log (
  event_id    uuid not null,
  sid         text not null,
  producer_id text,                  -- the producer's "id": an idempotency key per account
  event       text not null,
  channel     text not null,
  profile_id  text,                  -- set when the producer addressed one profile
  data        text not null,         -- JSON object: the variables replacers read
  deliveries  integer not null,      -- how many deliveries the fan-out created; answered again on a repeat
  created_at  timestamptz not null,
  primary key (event_id, created_at)
) partition by range (created_at);
-- A unique index must hold the partition key, so uniqueness of (sid, producer_id) is kept per partition by an index
-- each partition gets (see PgPartitions); publishes look for a repeat in every partition before inserting.
create table event_log_retained partition of event_log default;
create unique index event_log_retained_producer_id on event_log_retained (sid, producer_id) where producer_id is not null;

create table delivery_queue (
  delivery_id      uuid primary key,  -- also the webhook-id header (msg_...), the same on every retry
  event_id         uuid not null,
  event_created_at timestamptz not null, -- finds the event's partition
  sid              text not null,
  profile_id       text not null,
  status           text not null check (status in ('pending', 'delivering', 'held')),
  attempt_count    integer not null default 0,
  due_at           timestamptz not null, -- pending and held: the next attempt; delivering: when the lease expires
  lease_token      uuid,              -- the claim that holds the delivery; finishing is fenced by it
  created_at       timestamptz not null,
  last_http_status integer,
  last_error       text
);
create index delivery_queue_due on delivery_queue (status, due_at);
create index delivery_queue_by_profile on delivery_queue (profile_id, created_at);
-- Rows come and go all the time: vacuum it early, so the table and its indexes stay the size of the backlog.
alter table delivery_queue set (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
                                autovacuum_vacuum_insert_scale_factor = 0.01);

create table delivery_log (
  delivery_id           uuid not null,
  event_id              uuid not null,
  event_created_at      timestamptz not null,
  sid                   text not null,
  profile_id            text not null,
  status                text not null check (status in ('delivered', 'failed', 'cancelled')),
  attempt_count         integer not null,
  created_at            timestamptz not null,
  finished_at           timestamptz not null,
  -- The last attempt, folded into the row (null when the delivery ended without one, e.g. cancelled while waiting).
  last_started_at       timestamptz,
  last_duration_ms      integer,
  last_http_status      integer,
  last_error            text,
  last_response_excerpt text,
  last_unknown_placeholders text[],
  primary key (delivery_id, created_at)
) partition by range (created_at);
create index delivery_log_by_profile on delivery_log (profile_id, created_at);
create table delivery_log_retained partition of delivery_log default;

create table attempt_log (
  delivery_id          uuid not null,
  attempt              integer not null,
  delivery_created_at  timestamptz not null,
  started_at           timestamptz not null,
  duration_ms          integer not null,
  http_status          integer,
  error                text,
  response_excerpt     text,           -- at most 4 KiB of the receiver's answer
  unknown_placeholders text[],
  primary key (delivery_id, attempt, delivery_created_at)
) partition by range (delivery_created_at);
create table attempt_log_retained partition of attempt_log default;

-- Rows from before: into the default partitions, where maintenance prunes them once they are past the retention.
insert into event_log (event_id, sid, producer_id, event, channel, profile_id, data, deliveries, created_at)
select substr(event_id, 5)::uuid, sid, producer_id, event, channel, profile_id, data, deliveries, created_at
  from events_v3;

insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count, due_at,
                            lease_token, created_at, last_http_status, last_error)
select substr(d.delivery_id, 5)::uuid, substr(d.event_id, 5)::uuid, e.created_at, d.sid, d.profile_id, d.status,
       d.attempt_count, case when d.status = 'delivering' then coalesce(d.lease_expires_at, now()) else d.next_attempt_at end,
       d.lease_token, d.created_at, d.last_http_status, d.last_error
  from deliveries_v3 d join events_v3 e on e.event_id = d.event_id
 where d.status in ('pending', 'delivering', 'held');

insert into delivery_log (delivery_id, event_id, event_created_at, sid, profile_id, status, attempt_count, created_at,
                          finished_at)
select substr(d.delivery_id, 5)::uuid, substr(d.event_id, 5)::uuid, e.created_at, d.sid, d.profile_id, d.status,
       d.attempt_count, d.created_at, coalesce(d.finished_at, d.created_at)
  from deliveries_v3 d join events_v3 e on e.event_id = d.event_id
 where d.status in ('delivered', 'failed', 'cancelled');

insert into attempt_log (delivery_id, attempt, delivery_created_at, started_at, duration_ms, http_status, error,
                         response_excerpt, unknown_placeholders)
select substr(a.delivery_id, 5)::uuid, a.attempt, d.created_at, a.started_at, a.duration_ms, a.http_status, a.error,
       a.response_excerpt, a.unknown_placeholders
  from attempts_v3 a join deliveries_v3 d on d.delivery_id = a.delivery_id;

drop table attempts_v3;
drop table deliveries_v3;
drop table events_v3;

-- The operator's read model: the three tables as they were before this migration, with the API's ids, for ad-hoc
-- queries and dashboards. A status filter on "deliveries" skips the branch whose check constraint excludes it.
create view events as
select 'evt_' || replace(event_id::text, '-', '') as event_id, sid, producer_id, event, channel, profile_id, data,
       deliveries, created_at
  from event_log;

create view deliveries as
select 'msg_' || replace(delivery_id::text, '-', '') as delivery_id, 'evt_' || replace(event_id::text, '-', '') as event_id,
       sid, profile_id, status, attempt_count,
       case when status <> 'delivering' then due_at end as next_attempt_at, lease_token,
       case when status = 'delivering' then due_at end as lease_expires_at, created_at,
       null::timestamptz as finished_at, last_http_status, last_error
  from delivery_queue
union all
select 'msg_' || replace(delivery_id::text, '-', ''), 'evt_' || replace(event_id::text, '-', ''), sid, profile_id,
       status, attempt_count, null, null, null, created_at, finished_at, last_http_status, last_error
  from delivery_log;

-- Branches in the order partition maintenance locks the logs (delivery_log, attempt_log, event_log).
create view attempts as
select 'msg_' || replace(delivery_id::text, '-', '') as delivery_id, attempt_count as attempt,
       last_started_at as started_at, last_duration_ms as duration_ms, last_http_status as http_status,
       last_error as error, last_response_excerpt as response_excerpt, last_unknown_placeholders as unknown_placeholders
  from delivery_log where last_started_at is not null
union all
select 'msg_' || replace(delivery_id::text, '-', ''), attempt, started_at, duration_ms, http_status, error,
       response_excerpt, unknown_placeholders
  from attempt_log;
