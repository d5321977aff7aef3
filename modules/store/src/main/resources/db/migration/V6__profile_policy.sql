-- Issue 14: a profile's own delivery settings (API.md §14 "Policy"): retry schedule, timeout, requests in flight,
-- rate limit and final statuses, as the JSON object of the settings it sets; null: the engine's defaults for all.
alter table profiles add column policy text;
