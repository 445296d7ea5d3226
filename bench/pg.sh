#!/usr/bin/env bash
# A disposable PostgreSQL for the RunLedger benchmarks, with durable settings.
#
#   bench/pg.sh start        create the cluster on first use, start it, make sure the runledger DB exists
#   bench/pg.sh stop         fast shutdown; the data directory is kept
#   bench/pg.sh status       whether it runs, and the settings that matter for the numbers
#   bench/pg.sh reset DB     drop DB (closing its sessions) and create it again, empty
#   bench/pg.sh destroy      stop, then delete the data directory and the log
#
# Every subcommand can be repeated safely. Listens on 127.0.0.1 only (trust auth, user postgres).
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin, the newest one);
# when there are none and we are root, installs the `postgresql` package with apt-get.
# When run as root the server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
#
# Environment: BENCH_TMP (default /tmp/runledger-bench), BENCH_PGPORT (default 55433),
#              PIN (CPUs for taskset, default 0,1), BENCH_DATABASES (default "runledger").
set -euo pipefail

BENCH_TMP=${BENCH_TMP:-/tmp/runledger-bench}
PORT=${BENCH_PGPORT:-55433}
DATA=$BENCH_TMP/pgdata
SOCK=$BENCH_TMP/pgsock
LOG=$BENCH_TMP/postgres.log
PIN=${PIN:-0,1}
DATABASES=${BENCH_DATABASES:-runledger}

is_root() { [ "$(id -u)" = 0 ]; }

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$d" ] || [ ! -x "$d/pg_ctl" ]; then
    if is_root && command -v apt-get >/dev/null; then
      echo "pg.sh: no PostgreSQL binaries under /usr/lib/postgresql; installing the postgresql package" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >/dev/null
      d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    fi
  fi
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] || { echo "pg.sh: PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$d"
}
PGBIN=$(find_bin)

as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
sql() { "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
is_running() { [ -f "$DATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

create_cluster() {
  mkdir -p "$BENCH_TMP" "$DATA" "$SOCK"
  chmod 755 "$BENCH_TMP"
  if is_root; then chown postgres:postgres "$DATA" "$SOCK"; fi
  chmod 700 "$DATA"
  as_pg "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
  cat >>"$DATA/postgresql.conf" <<EOF

# --- RunLedger bench (bench/pg.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$SOCK'
max_connections = 200
shared_buffers = 256MB
fsync = on
synchronous_commit = on
full_page_writes = on
max_wal_size = 2GB
log_min_messages = warning
log_checkpoints = on
EOF
}

ensure_databases() {
  local db
  for db in $DATABASES; do
    if [ -z "$(sql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      sql -c "CREATE DATABASE \"$db\""
    fi
  done
}

case "${1:-}" in
  start)
    [ -f "$DATA/PG_VERSION" ] || create_cluster
    if ! is_running; then
      touch "$LOG"
      if is_root; then chown postgres:postgres "$LOG"; fi
      as_pg taskset -c "$PIN" "$PGBIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >/dev/null
    fi
    ensure_databases
    echo "postgres on 127.0.0.1:$PORT (user postgres; databases: $DATABASES; data $DATA; log $LOG)"
    ;;
  stop)
    if is_running; then
      as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
      echo "postgres stopped"
    else
      echo "postgres not running"
    fi
    ;;
  status)
    if is_running; then
      echo "postgres running on 127.0.0.1:$PORT (data $DATA)"
      sql -tAc "SELECT name || ' = ' || current_setting(name) FROM pg_settings WHERE name IN
        ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers',
         'max_connections', 'max_wal_size') ORDER BY name"
    else
      echo "postgres not running"
      exit 1
    fi
    ;;
  reset)
    db=${2:?usage: bench/pg.sh reset DB}
    is_running || { echo "pg.sh: postgres is not running (bench/pg.sh start)" >&2; exit 1; }
    sql -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
    echo "database $db is empty"
    ;;
  destroy)
    if is_running; then as_pg "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi
    rm -rf "$DATA" "$SOCK" "$LOG"
    echo "postgres data removed ($DATA)"
    ;;
  *)
    echo "usage: $0 start|stop|status|reset DB|destroy" >&2
    exit 2
    ;;
esac
