#!/usr/bin/env bash
# Stops or starts the throwaway cluster scripts/pg.sh started, for the test of a database that
# goes away under a running server and comes back (tests/integration/store.rs):
#   scripts/pg-ctl.sh stop|start
# pg_start exports where the cluster is (QT_PG_BIN, QT_PG_DIR, QT_PG_PORT, QT_PG_OWNER) and this
# script's path as QT_PG_CTL.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/pg.sh"
PG_BIN="$QT_PG_BIN" PG_DIR="$QT_PG_DIR" PG_PORT="$QT_PG_PORT" PG_OWNER="$QT_PG_OWNER"
case "$1" in
  stop) pg_ctl_stop ;;
  start) pg_ctl_start ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
