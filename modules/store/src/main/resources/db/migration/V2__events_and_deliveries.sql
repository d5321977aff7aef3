-- Durable intake and the delivery queue. PostgreSQL is the source of truth: an event is acknowledged only after
-- it and one delivery per matching profile are committed; the event bus and LISTEN/NOTIFY only carry wake-ups.

-- Bumped on every change of a profile, so dispatchers can cache profiles and notice when a cached one is stale.
alter table profiles add column revision bigint not null default 0;
-- When the last failed attempt of the current failure streak happened (auto-disable, API.md §7).
alter table profiles add column last_failure_at timestamptz;

create table events (
  event_id    text primary key,
  sid         text not null references accounts (sid),
  producer_id text,                  -- the producer's "id": an idempotency key per account
  event       text not null,
  channel     text not null,
  profile_id  text,                  -- set when the producer addressed one profile
  data        text not null,         -- JSON object: the variables replacers read
  deliveries  integer not null,      -- how many deliveries the fan-out created; answered again on a repeat
  created_at  timestamptz not null
);
create unique index events_producer_id on events (sid, producer_id) where producer_id is not null;

create table deliveries (
  delivery_id      text primary key,  -- also the webhook-id header, the same on every retry
  event_id         text not null references events (event_id),
  sid              text not null,
  profile_id       text not null references profiles (profile_id),
  status           text not null check (status in ('pending', 'delivering', 'delivered', 'failed', 'held', 'cancelled')),
  attempt_count    integer not null default 0,
  next_attempt_at  timestamptz not null,
  lease_token      uuid,              -- the claim that holds the delivery; finishing is fenced by it
  lease_expires_at timestamptz,
  created_at       timestamptz not null,
  finished_at      timestamptz,
  last_http_status integer,
  last_error       text
);
create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
create index deliveries_leased on deliveries (lease_expires_at) where status = 'delivering';
create index deliveries_by_profile on deliveries (profile_id, created_at);
create index deliveries_waiting_by_profile on deliveries (profile_id) where status in ('pending', 'held');

create table attempts (
  delivery_id          text not null references deliveries (delivery_id),
  attempt              integer not null,
  started_at           timestamptz not null,
  duration_ms          integer not null,
  http_status          integer,
  error                text,
  response_excerpt     text,           -- at most 4 KiB of the receiver's answer
  unknown_placeholders text[],
  primary key (delivery_id, attempt)
);
