#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the second test pass; prints its URL, then
# the pg_ctl and data directory that stop it.
# Exits non-zero (and prints why on stderr) when PostgreSQL cannot be had on this machine.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  command -v apt-get >/dev/null || { echo "no apt-get: cannot install PostgreSQL" >&2; exit 1; }
  timeout 300 apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq postgresql >/dev/null
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/exit-coach-pg.XXXXXX)
chown postgres "$dir" 2>/dev/null || true
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
run "$bin/initdb -D $dir/data -A trust -U coach" >/dev/null
run "$bin/pg_ctl -D $dir/data -o '-p 55432 -k $dir -c listen_addresses=127.0.0.1' -l $dir/log start -w" >/dev/null
run "$bin/createdb -h 127.0.0.1 -p 55432 -U coach coach"
echo "postgresql+asyncpg://coach@127.0.0.1:55432/coach $bin/pg_ctl $dir/data"
