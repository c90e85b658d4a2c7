#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start <dir> [port]` creates it (trust auth, local
# only, fsync off: its data is disposable) on the port given or the first free one from 55432, and
# prints its URL for TEST_DATABASE_URL; `stop <dir>` stops it and removes the directory.
# Uses Debian's postgresql package; run as root, the server runs as the postgres user.
set -euo pipefail

cmd=${1:?usage: cluster.sh start|stop <dir> [port]}
dir=${2:?usage: cluster.sh start|stop <dir> [port]}
port=${3:-}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql (or set TEST_DATABASE_URL)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "$cmd" in
  start)
    if [ -z "$port" ]; then
      port=55432
      while port_in_use "$port"; do port=$((port + 1)); done
    fi
    mkdir -p "$dir"
    if [ -n "$(ls -A "$dir")" ]; then echo "$dir is not empty" >&2; exit 1; fi
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_owner "'$bindir/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync" >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start \
      -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$dir" ] || exit 0
    # Only a directory this script made: the cluster's data and its logs.
    if [ -n "$(ls -A "$dir" | grep -v -x -e data -e initdb.log -e server.log -e '.s.PGSQL.*')" ]; then
      echo "$dir does not look like a throwaway cluster; left alone" >&2; exit 1
    fi
    if [ -f "$dir/data/PG_VERSION" ]; then as_owner "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop" >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: cluster.sh start|stop <dir> [port]" >&2
    exit 2
    ;;
esac
