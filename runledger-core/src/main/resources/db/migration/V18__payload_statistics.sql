-- No planner statistics for the payload columns of runs and the ledger.
--
-- A queue table churns: every run is inserted, leased and settled, so autovacuum ANALYZEs
-- runs and run_events again and again while they are busiest. ANALYZE samples every column
-- of up to 30,000 rows, and for jsonb that means detoasting and comparing whole documents
-- (in a drain of 50,000 runs, ANALYZE took 11% of PostgreSQL's CPU, by perf). No statement
-- filters, joins or sorts on these columns (they are read by primary key and handed back
-- whole), so their statistics were never consulted. Target 0 makes ANALYZE skip them; the
-- columns the planner does use (status, service, created_at, keys, tags) keep theirs.
alter table runs
    alter column input set statistics 0,
    alter column output set statistics 0,
    alter column error set statistics 0,
    alter column metadata set statistics 0,
    alter column retry set statistics 0;

alter table run_events
    alter column data set statistics 0;
