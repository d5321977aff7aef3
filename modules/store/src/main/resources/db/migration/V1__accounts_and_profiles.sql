-- Accounts, their api keys and their callback profiles.
-- Secrets (enc key and IV, signing secrets) are stored sealed with the master key (AES-256-GCM), never in clear.

create table accounts (
  sid        text primary key,
  name       text not null,
  created_at timestamptz not null
);

create table api_keys (
  key_id     text primary key,
  sid        text not null references accounts (sid) on delete cascade,
  prefix     text not null,
  key_hash   bytea not null unique,          -- SHA-256 of the key; the key itself is shown once and never stored
  created_at timestamptz not null,
  revoked_at timestamptz
);
create index api_keys_by_account on api_keys (sid, created_at);

create table profiles (
  profile_id                 text primary key,
  sid                        text not null references accounts (sid),
  title                      text not null,
  http_method                text not null,
  url                        text not null,
  headers                    text not null,   -- compact JSON object, in the account's order
  body                       text,            -- compact JSON object (the body template) or null
  response_message           text,
  enc_algo                   text,
  enc_key                    bytea,           -- sealed
  enc_iv                     bytea,           -- sealed; null means a random IV per value
  enc_params                 text,            -- JSON array of top-level body fields, or null for all
  channel                    text not null,
  events                     text[],          -- null: every event of the channel (default channel only)
  dynamic_variables          text,
  replacers                  text not null,   -- JSON object: placeholder name -> path in the event data
  status                     smallint not null default 1,
  signing_secret             bytea not null,  -- sealed
  previous_signing_secret    bytea,           -- sealed; still signs until previous_secret_expires_at
  previous_secret_expires_at timestamptz,
  consecutive_failures       integer not null default 0,
  failing_since              timestamptz,
  created_at                 timestamptz not null,
  modified_at                timestamptz,
  deleted_at                 timestamptz      -- deleted profiles stay for the delivery log, invisible to the API
);
create unique index profiles_title_per_account on profiles (sid, lower(title)) where deleted_at is null;
create index profiles_by_account on profiles (sid, created_at, profile_id) where deleted_at is null;

-- Facts the engine keeps about itself, e.g. a sealed known value that proves the master key is the right one.
create table engine_settings (
  name  text primary key,
  value bytea not null
);
