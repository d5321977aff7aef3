-- The hot queue is read through its indexes; a parallel scan of it is never worth its workers. Its gauges (every
-- 5 s in every process) and ad-hoc counts were planned as parallel sequential scans whenever its statistics still
-- counted a drained backlog, or its table kept the pages of one: every few seconds PostgreSQL started worker
-- processes and waited for them, on a machine whose cores the deliveries need (seen as IPC:ExecuteGather and
-- IPC:BgWorkerShutdown waits every 5 and 10 s of a 2-core benchmark). The engine's queue vacuum runs without
-- parallel workers for the same reason (PgPartitions.vacuumQueue).
alter table delivery_queue set (parallel_workers = 0);
