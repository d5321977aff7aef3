-- Most deliveries are handed over at publish, already leased ('delivering'), and leave the queue within
-- milliseconds. Every statement that looks for a profile's deliveries in the queue wants its waiting ones (hold,
-- release, cancel: pending or held), or reads those being attempted apart (the delivery log, by status: there are no
-- more than the dispatchers hold). So the index by profile leaves out deliveries being attempted: one index entry
-- fewer to write, and to vacuum away, per delivery handed over.
drop index delivery_queue_by_profile;
create index delivery_queue_waiting_by_profile on delivery_queue (profile_id, created_at) where status <> 'delivering';
