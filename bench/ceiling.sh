#!/usr/bin/env bash
# The ceiling of RunLedger's writes in PostgreSQL alone, one command from the repository root:
#
#   bench/ceiling.sh
#
# Runs the statements the server writes for a bulk registration (1,000 runs per call) and for
# a drain (claim 500, then complete them, per worker turn) with pgbench, straight against
# PostgreSQL: no HTTP, no server, no driver, on two schemas side by side in one database:
#   schema   RunLedger's own (its migrations, applied by starting `./runledger serve` once)
#   minimal  the same columns with only what a run's three writes need (bench/ceiling/minimal.sql)
# each measured in turn, ROUNDS times. Prints runs/s per round and the medians, as a markdown
# table.
# What it is for: how far a change to the schema can take registration and drains before any
# server cost, and how that compares with a peer's end-to-end numbers on the same machine.
#
# Environment: ROUNDS (default 3); TX (default 75: bulk = 4 clients x TX calls of 1,000 runs,
# drain = 8 clients x TX turns of 500 runs, so both write 4 x TX thousand runs); PIN (CPUs for
# taskset, default 0,1); BENCH_TMP and BENCH_PGPORT as for bench/pg.sh (default 55433).
set -euo pipefail
shopt -s inherit_errexit

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-3}
TX=${TX:-75}
PIN=${PIN:-0,1}
export BENCH_TMP=${BENCH_TMP:-/tmp/runledger-bench}
export BENCH_PGPORT=${BENCH_PGPORT:-55433}
PORT=${BENCH_PORT:-7070}
mkdir -p "$BENCH_TMP"
command -v curl >/dev/null || { echo "ceiling.sh: curl not found" >&2; exit 1; }

PG_WAS_RUNNING=no
if bench/pg.sh status >/dev/null 2>&1; then PG_WAS_RUNNING=yes; fi
bench/pg.sh start
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$PGBIN/pgbench" ] || { echo "ceiling.sh: pgbench not found in $PGBIN" >&2; exit 1; }
PSQL=("$PGBIN/psql" -X -q -h 127.0.0.1 -p "$BENCH_PGPORT" -U postgres -d runledger -v ON_ERROR_STOP=1)

SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ "$PG_WAS_RUNNING" = no ]; then bench/pg.sh stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# ---- RunLedger's schema: a server migrates an empty database at start; a scope and a
# service give the runs their parent rows.
bench/pg.sh reset runledger >/dev/null
ADMIN_KEY=$(node -p 'require("node:crypto").randomBytes(24).toString("hex")' 2>/dev/null || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
RUNLEDGER_ADMIN_KEY=$ADMIN_KEY RUNLEDGER_DATABASE_USER=postgres \
  ./runledger serve --port "$PORT" --database-url "jdbc:postgresql://127.0.0.1:$BENCH_PGPORT/runledger" \
  >"$BENCH_TMP/ceiling-server.log" 2>&1 &
SERVER_PID=$!
api() { curl -sf -o /dev/null -X PUT -H "authorization: Bearer $ADMIN_KEY" -H 'content-type: application/json' \
          -d "$2" "http://127.0.0.1:$PORT$1"; }
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$BENCH_TMP/ceiling-server.log" >&2; exit 1; }
  sleep 0.5
done
api /v1/scopes/bench '{}'
api /v1/scopes/bench/services/noop '{"maxAttempts":1,"leaseTtlSeconds":300}'
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
"${PSQL[@]}" -f bench/ceiling/minimal.sql 2>&1 | grep -v NOTICE || true

# ---- one measurement of a schema: bulk-register 4 x TX thousand runs and drain them all,
# then bulk-register TX thousand with one call in flight; each on emptied tables
rate() { sed -n 's/^tps = \([0-9.]*\) (without initial connection time)$/\1/p'; }
empty() {
  "${PSQL[@]}" -c "truncate $1.run_events, $1.runs cascade" -c "vacuum analyze $1.runs, $1.run_events" -c checkpoint
}
# pgb SCHEMA CLIENTS SCRIPT: the script's transactions per second, TX per client
pgb() {
  PGOPTIONS="-c search_path=$1,public" taskset -c "$PIN" "$PGBIN/pgbench" -n -M simple -h 127.0.0.1 \
    -p "$BENCH_PGPORT" -U postgres -c "$2" -j "$(( $2 < 2 ? 1 : 2 ))" -t "$TX" -f "bench/ceiling/$3" runledger 2>&1 | rate
}
runs_per_s() { awk -v t="$1" -v n="$2" 'BEGIN{printf "%d", t*n}'; }
measure() {
  local schema=$1 bulk drain single left
  empty "$schema"
  bulk=$(pgb "$schema" 4 bulk.sql)
  drain=$(pgb "$schema" 8 drain.sql)
  left=$("${PSQL[@]}" -At -c "select count(*) from $schema.runs where status <> 'succeeded'")
  [ "$left" = 0 ] || { echo "ceiling.sh: $left runs of $schema were not drained" >&2; exit 1; }
  # One call in flight, as a client registering a bulk waits for its answer before the next.
  empty "$schema"
  single=$(pgb "$schema" 1 bulk.sql)
  echo "$schema $(runs_per_s "$bulk" 1000) $(runs_per_s "$single" 1000) $(runs_per_s "$drain" 500)"
}

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  for schema in public minimal; do
    line=$(measure "$schema")
    echo "round $round: $line (schema; runs/s: bulk with 4 calls in flight, with 1, drain)" >&2
    RESULTS+=("$line")
  done
done

median() { sort -n | awk '{a[NR]=$1} END{print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "runs/s in PostgreSQL alone: each round, then the median in bold"
echo
echo "| schema | bulk of 1,000 per call, 4 calls in flight | bulk of 1,000 per call, 1 call in flight | drain: claim 500, then complete them (8 workers) |"
echo "| --- | --- | --- | --- |"
cell() { echo "$(echo $1 | sed 's/ / \/ /g') (**$(echo "$1" | median)**)"; }
for schema in public minimal; do
  rows=$(printf '%s\n' "${RESULTS[@]}" | awk -v s="$schema" '$1==s')
  name=$([ "$schema" = public ] && echo "RunLedger's" || echo "minimal")
  echo "| $name | $(cell "$(echo "$rows" | awk '{print $2}')") | $(cell "$(echo "$rows" | awk '{print $3}')") | $(cell "$(echo "$rows" | awk '{print $4}')") |"
done
