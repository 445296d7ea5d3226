-- The settle trigger of V6 ran a query or two for every run that settled, though almost no
-- run is waited on: a drain of 50,000 batch runs paid for it in throughput. A run now carries
-- whether anything waits on it (a run waitpoint on it, or a batch waitpoint on its batch),
-- set by the suspend that creates the waitpoint, and only such runs fire the trigger. The
-- suspend sets it with an UPDATE of the run row, so a settlement racing the suspend waits for
-- that row and then sees the flag and the new waitpoint, and fires.
alter table runs add column awaited boolean not null default false;

drop trigger runs_settled_waitpoints on runs;

create trigger runs_settled_waitpoints after update of status on runs
    for each row
    when (new.awaited
          and new.status in ('succeeded', 'failed', 'cancelled', 'expired')
          and old.status not in ('succeeded', 'failed', 'cancelled', 'expired'))
    execute function runs_settle_waitpoints();
