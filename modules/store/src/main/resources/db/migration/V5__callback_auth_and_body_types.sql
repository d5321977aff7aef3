-- Issue 13: callback authentication (API.md §12) and body types (§13).
-- body_type: null (JSON, or multipart when the headers ask for it), 'form', 'urlencoded', 'xml', 'html' or 'text'.
--   For 'xml', 'html' and 'text' the body column holds the string template itself, not JSON.
-- auth: the JSON description of the callback authentication without its secret; auth_secret: the password or
--   client secret, sealed with the master key like enc_key.
alter table profiles
  add column body_type   text,
  add column auth        text,
  add column auth_secret bytea;
