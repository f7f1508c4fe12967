#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, CI and benchmarks: initdb and
# pg_ctl under a directory of its own, listening on 127.0.0.1 only, trust
# authentication for the `postgres` role (nothing outside this machine can
# reach it); every other role signs in with its password (scram-sha-256), so
# that tests can check how a node finds one. PostgreSQL refuses to run as
# root: as root, the cluster runs as the unprivileged `postgres` system user
# (Debian's package creates it), via runuser; as anyone else, as that user.
#
#   scripts/pg-cluster.sh start DIR [--port N] [--fast] [--owner-pid PID]
#       Creates DIR (it must not exist), starts the cluster, prints its admin
#       URL (postgres://postgres@127.0.0.1:PORT/postgres) on stdout and
#       writes it to DIR/url. --fast turns fsync off (tests: a clean stop
#       or a crash of the server process loses nothing, an OS crash would).
#       --owner-pid: a detached watcher stops the cluster and removes DIR
#       once that process has exited (a test binary that starts a cluster).
#   scripts/pg-cluster.sh stop DIR      stops it (fast shutdown), removes DIR
#   scripts/pg-cluster.sh restart DIR   stops and starts it (same port)
#   scripts/pg-cluster.sh halt DIR      stops the server, keeps DIR
#   scripts/pg-cluster.sh resume DIR    starts a halted server again
#
# Binaries: $PG_BINDIR, else the newest /usr/lib/postgresql/*/bin.
set -euo pipefail

die() { echo "pg-cluster: $*" >&2; exit 1; }

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] || die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql, or set PG_BINDIR"
  echo "$d"
}

# Runs a PostgreSQL binary as the cluster's user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || die "running as root needs the unprivileged 'postgres' user (Debian's postgresql package creates it)"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

pg_start() {
  local dir=$1 port=$2 fast=$3 bin
  bin=$(bindir)
  local opts="-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c max_connections=300 -c shared_buffers=128MB"
  if [ "$fast" = 1 ]; then opts="$opts -c fsync=off -c full_page_writes=off"; fi
  echo "$opts" > "$dir/options"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "$opts" -w -t 60 start >/dev/null \
    || { cat "$dir/log" >&2 || true; die "the cluster in $dir did not start"; }
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|restart DIR [--port N] [--fast] [--owner-pid PID]"
shift 2
port="" fast=0 owner=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2 ;;
    --fast) fast=1; shift ;;
    --owner-pid) owner=$2; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

case "$cmd" in
  start)
    [ ! -e "$dir" ] || die "$dir exists: give a new directory"
    bin=$(bindir)
    mkdir -p "$dir/socket"
    # The cluster's user must reach DIR: let it traverse the parents.
    p=$(dirname "$dir")
    while [ "$p" != "/" ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # Trust for the admin role only; any other role needs its password.
    printf '%s\n' \
      'local all postgres trust' \
      'host  all postgres 127.0.0.1/32 trust' \
      'local all all scram-sha-256' \
      'host  all all 127.0.0.1/32 scram-sha-256' > "$dir/data/pg_hba.conf"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/data/pg_hba.conf"; fi
    [ -n "$port" ] || port=$(free_port)
    echo "$port" > "$dir/port"
    pg_start "$dir" "$port" "$fast"
    echo "$fast" > "$dir/fast"
    url="postgres://postgres@127.0.0.1:$port/postgres"
    echo "$url" > "$dir/url"
    if [ -n "$owner" ]; then
      self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
      setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; "$2" stop "$3"' \
        watcher "$owner" "$self" "$dir" </dev/null >/dev/null 2>&1 &
    fi
    echo "$url"
    ;;
  stop)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    bin=$(bindir)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    # The tests' temporary parent, once empty.
    case "$(basename "$(dirname "$dir")")" in tokensign-pg-*) rmdir "$(dirname "$dir")" 2>/dev/null || true ;; esac
    ;;
  restart)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    bin=$(bindir)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    pg_start "$dir" "$(cat "$dir/port")" "$(cat "$dir/fast")"
    ;;
  halt)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    as_pg "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    ;;
  resume)
    [ -d "$dir/data" ] || die "no cluster in $dir"
    pg_start "$dir" "$(cat "$dir/port")" "$(cat "$dir/fast")"
    ;;
  *) die "unknown command $cmd" ;;
esac
