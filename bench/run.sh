#!/usr/bin/env bash
# RunLedger benchmarks, one command from the repository root:
#
#   bench/run.sh [s1|s2|s4|all]          (default all)
#
# Builds runledger-server/target/runledger.jar if it is missing, starts the throwaway PostgreSQL
# of bench/pg.sh, and for each scenario step (S1 once per value of S1_LEASE_MAX, then S2, then S4):
# empties the runledger database, starts a fresh server pinned to the benchmark CPUs, waits for
# /health/ready, runs bench/runledger.mjs (pinned too, bounded by `timeout`), stops the server.
# Prints a markdown table of this invocation's RESULT lines at the end; all of them are also
# appended to $BENCH_TMP/results.txt. Exits non-zero if any step failed.
#
# Environment (besides the driver's knobs in bench/README.md):
#   JAVA_HOME     a JDK 21+ to use (else ./runledger finds one, as for every command)
#   BENCH_TMP     scratch directory (default /tmp/runledger-bench): pgdata, logs, results.txt
#   BENCH_PORT    HTTP port of the server (default 7070); BENCH_PGPORT PostgreSQL port (default 55433)
#   PIN           CPUs for taskset (default 0,1); SERVER_HEAP java -Xmx (default 1g)
#   SERVER_JAVA_OPTS more JVM options for the server (e.g. the JIT settings in BENCHMARKS.md)
#   RUNLEDGER_AOT cache: the server starts from the build's AOT cache without compiling its trained
#                 methods eagerly; off: without the cache (JDK 25+; see docs/configuration.md)
#   STEP_TIMEOUT  seconds allowed to the driver per step (default 900)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

WHAT=${1:-all}
case "$WHAT" in s1|s2|s4|all) ;; *) echo "usage: bench/run.sh [s1|s2|s4|all]" >&2; exit 2 ;; esac

export BENCH_TMP=${BENCH_TMP:-/tmp/runledger-bench}
export BENCH_PGPORT=${BENCH_PGPORT:-55433}
PORT=${BENCH_PORT:-7070}
PIN=${PIN:-0,1}
SERVER_HEAP=${SERVER_HEAP:-1g}
# The server's JVM options: the AOT cache recorded below is only used with the same ones.
SERVER_OPTS="-Xmx$SERVER_HEAP ${SERVER_JAVA_OPTS:-}"
STEP_TIMEOUT=${STEP_TIMEOUT:-900}
S1_LEASE_MAX=${S1_LEASE_MAX:-"25 1000"}
mkdir -p "$BENCH_TMP"

# ---- tools (the JDK: ./runledger finds one, and says what to install when there is none)
command -v node >/dev/null || { echo "run.sh: node (20+) not found" >&2; exit 1; }
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[ "$NODE_MAJOR" -ge 20 ] || { echo "run.sh: Node 20+ needed, found $(node --version)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "run.sh: taskset not found (util-linux)" >&2; exit 1; }

# ---- the jar: ./runledger builds it when it is missing or older than the sources (here,
# before any timing), and tells which JDK it runs on
JAVA_MAJOR=$(RUNLEDGER_JAVA_OPTS=-XshowSettings:properties ./runledger --version 2>&1 \
  | sed -n 's/^ *java.specification.version = //p')
[ -n "$JAVA_MAJOR" ] || { echo "run.sh: ./runledger --version failed" >&2; exit 1; }
# On a JDK 25+ the server starts from the build's AOT cache, recorded here (untimed) with the
# server's JVM options if it is not there yet, as every `./runledger serve` would otherwise
# do before its first start (RUNLEDGER_AOT=off: without it).
if [ "$JAVA_MAJOR" -ge 25 ] && [ "${RUNLEDGER_AOT:-on}" != off ]; then
  RUNLEDGER_JAVA_OPTS="$SERVER_OPTS" ./runledger aot-training
fi

# ---- PostgreSQL (stopped again at the end if this script started it)
PG_WAS_RUNNING=no
if bench/pg.sh status >/dev/null 2>&1; then PG_WAS_RUNNING=yes; fi
bench/pg.sh start

URL="http://127.0.0.1:$PORT"
ADMIN_KEY=$(node -p 'require("node:crypto").randomBytes(24).toString("hex")') # 48 characters, new every run
SERVER_PID=

port_busy() {
  node -e 'const s=require("node:net").connect(+process.argv[1],"127.0.0.1");
    s.on("connect",()=>process.exit(0)); s.on("error",()=>process.exit(1));' "$PORT"
}
ready() {
  node -e 'fetch(process.argv[1]).then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))' "$URL/health/ready"
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
finish() {
  stop_server
  if [ "$PG_WAS_RUNNING" = no ]; then bench/pg.sh stop >/dev/null || true; fi
}
trap finish EXIT
trap 'exit 130' INT TERM

start_server() {  # $1: log file
  if port_busy; then
    echo "run.sh: something already listens on 127.0.0.1:$PORT; stop it or set BENCH_PORT" >&2
    return 1
  fi
  RUNLEDGER_DATABASE_USER=postgres RUNLEDGER_ADMIN_KEY="$ADMIN_KEY" \
    RUNLEDGER_JAVA_OPTS="$SERVER_OPTS" taskset -c "$PIN" ./runledger serve --port "$PORT" \
      --data-dir "$BENCH_TMP/server-data" \
      --database-url "jdbc:postgresql://127.0.0.1:$BENCH_PGPORT/runledger" >"$1" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 240); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: the server exited during startup; its log ($1):" >&2
      tail -n 40 "$1" >&2
      SERVER_PID=
      return 1
    fi
    if ready; then return 0; fi
    sleep 0.5
  done
  echo "run.sh: the server was not ready within 120 s (log: $1)" >&2
  return 1
}

# One step: fresh database, fresh server, the driver, server stopped. $1 step name, $2 driver scenario,
# further arguments: environment assignments for the driver.
FAILED=()
step() {
  local name=$1 scenario=$2 rc=0 t0=$SECONDS
  shift 2
  local log="$BENCH_TMP/server-$name.log"
  echo "== $name"
  bench/pg.sh reset runledger >/dev/null
  if start_server "$log"; then
    env "$@" RUNLEDGER_URL="$URL" RUNLEDGER_ADMIN_KEY="$ADMIN_KEY" \
      timeout "$STEP_TIMEOUT" taskset -c "$PIN" node bench/runledger.mjs "$scenario" || rc=$?
    if [ "$rc" = 124 ]; then echo "run.sh: $name stopped after STEP_TIMEOUT=${STEP_TIMEOUT}s" >&2; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run.sh: the server exited while $name ran; the end of its log ($log):" >&2
      tail -n 20 "$log" >&2
      rc=${rc/#0/1}
    fi
  else
    rc=1
  fi
  stop_server
  if [ "$rc" != 0 ]; then FAILED+=("$name(rc=$rc)"); echo "== $name FAILED (rc=$rc; server log $log)"; fi
  echo "== $name took $((SECONDS - t0)) s"
}

RESULTS=$BENCH_TMP/results.txt
touch "$RESULTS"
FROM=$(($(wc -l <"$RESULTS") + 1))
{
  echo "# bench/run.sh $WHAT $(date -u +%FT%TZ) commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')" \
    "host=$(hostname) nproc=$(nproc) pin=$PIN java=$JAVA_MAJOR node=$(node --version)"
} | tee -a "$RESULTS"

if [ "$WHAT" = s1 ] || [ "$WHAT" = all ]; then
  for m in $S1_LEASE_MAX; do step "s1-lease$m" s1 S1_LEASE_MAX="$m"; done
fi
if [ "$WHAT" = s2 ] || [ "$WHAT" = all ]; then step s2 s2; fi
if [ "$WHAT" = s4 ] || [ "$WHAT" = all ]; then step s4 s4; fi

echo
tail -n +"$FROM" "$RESULTS" | node bench/summary.mjs -
echo
echo "RESULT lines appended to $RESULTS"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "FAILED steps: ${FAILED[*]}" >&2
  exit 1
fi
