-- Issue 14: ordering per key (API.md §14). The deliveries of one profile with the same ordering key go one at a time,
-- in publish order (ordering_seq). Only the head of a key is ever due: the others wait in the queue with due_at
-- 'infinity', outside the range a claim scans, and the statement that finishes a head makes the next one due. The
-- log keeps the key, so a replayed delivery joins the end of its key.
alter table delivery_queue add column ordering_key text, add column ordering_seq bigint;
create sequence delivery_ordering_seq;
create index delivery_queue_by_key on delivery_queue (profile_id, ordering_key, ordering_seq)
  where ordering_key is not null;
alter table delivery_log add column ordering_key text;
