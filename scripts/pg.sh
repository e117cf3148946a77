# A throwaway PostgreSQL cluster for a test run. Sourced after scripts/lib.sh (it uses `say`
# and `as_root`):
#
#   source scripts/pg.sh; ensure_postgres; pg_start   # exports QT_PG_URL
#   …tests…
#   pg_stop                                           # also run on exit
#
# The cluster lives in a temporary folder owned by an unprivileged user (initdb refuses to run
# as root): the `postgres` user Debian's package creates when run as root, the caller
# otherwise. It listens on 127.0.0.1 on a free port and on a socket in its own folder, trusts
# local connections except for the role `qt_pw` (password `qt_pw`, for tests of wrong
# credentials), and runs with fsync off: it holds nothing worth a crash. No system service is
# started and nothing is left behind.

PG_BIN=""
PG_DIR=""
PG_PORT=""
PG_OWNER=""

# The folder of Debian's initdb and pg_ctl (they are not on PATH): the newest version there.
pg_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  fi
}

ensure_postgres() {
  if [ -z "$(pg_bin_dir)" ]; then
    say "installing Debian's postgresql (its service is not started)"
    as_root apt-get update -qq
    # The package would start its system service where a service manager runs; a policy-rc.d
    # that says no (exit 101) keeps it stopped, and goes once the package is in.
    local deny=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
      as_root chmod 755 /usr/sbin/policy-rc.d
      deny=1
    fi
    local status=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || status=$?
    [ -z "$deny" ] || as_root rm -f /usr/sbin/policy-rc.d
    [ "$status" -eq 0 ] || return "$status"
  fi
  PG_BIN="$(pg_bin_dir)"
  [ -n "$PG_BIN" ] || { say "no initdb/pg_ctl under /usr/lib/postgresql/*/bin"; return 1; }
}

# Runs the rest as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u "$PG_OWNER" -- "$@")
  else
    "$@"
  fi
}

# A TCP port nobody listens on now: a random one a connection to is refused. (Another process
# may take it before the cluster does; the start then fails and says so.)
pg_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

pg_start() {
  [ -n "$PG_BIN" ] || ensure_postgres
  if [ "$(id -u)" = 0 ]; then PG_OWNER=postgres; else PG_OWNER="$(id -un)"; fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/qt-pg.XXXXXX")"
  chmod 700 "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown "$PG_OWNER": "$PG_DIR"
  # Stopped on exit, before whatever the caller's own exit trap does.
  local previous
  previous="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
  trap "pg_stop; $previous" EXIT
  PG_PORT="$(pg_free_port)"
  say "starting a throwaway PostgreSQL ($("$PG_BIN/postgres" --version | awk '{print $3}')) in $PG_DIR on 127.0.0.1:$PG_PORT"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U qt --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log"; return 1; }
  # Everyone local is trusted but `qt_pw`, who must give a password (tests of wrong ones).
  pg_as_owner sh -c "cat >'$PG_DIR/data/pg_hba.conf'" <<'EOF'
local all qt_pw scram-sha-256
host  all qt_pw 127.0.0.1/32 scram-sha-256
local all all trust
host  all all 127.0.0.1/32 trust
EOF
  pg_ctl_start
  pg_as_owner "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U qt -d postgres -qAt \
    -c "CREATE DATABASE qt" -c "CREATE ROLE qt_pw LOGIN PASSWORD 'qt_pw'" >/dev/null
  export QT_PG_URL="postgres://qt@127.0.0.1:$PG_PORT/qt"
  # For a test that stops and starts the cluster under a running writer (scripts/pg-ctl.sh).
  export QT_PG_BIN="$PG_BIN" QT_PG_DIR="$PG_DIR" QT_PG_PORT="$PG_PORT" QT_PG_OWNER="$PG_OWNER"
  export QT_PG_CTL="$ROOT/scripts/pg-ctl.sh"
  say "PostgreSQL ready: QT_PG_URL=$QT_PG_URL"
}

# Starts the cluster pg_start made (again, after pg_ctl_stop: tests of a database that goes
# away and comes back).
pg_ctl_start() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -s start \
    -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    || { cat "$PG_DIR/server.log"; return 1; }
}

# Stops the cluster, keeping its folder (pg_ctl_start brings it back with its data).
pg_ctl_stop() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -s -m fast stop
}

# Stops the cluster and removes its folder. Safe to call twice.
pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_ctl_stop || pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -s -m immediate stop || true
  fi
  rm -rf "$PG_DIR"
  say "PostgreSQL stopped, $PG_DIR removed"
  PG_DIR=""
  unset QT_PG_URL QT_PG_CTL
}
