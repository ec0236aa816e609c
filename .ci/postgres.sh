#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 and prints a URL for the test suite.
# Uses a server already listening there; otherwise installs Debian's postgresql and starts a
# throwaway cluster as the postgres user. Exits non-zero if no server can be had.
set -euo pipefail

url="postgres://hadir:hadir@127.0.0.1:5432/postgres"
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! command -v pg_isready >/dev/null || ! ready; then
  if ! command -v pg_ctlcluster >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  data=/tmp/hadir-ci-pg
  if ! ready; then
    rm -rf "$data"
    install -d -o postgres -g postgres "$data"
    su postgres -c "$bin/initdb -D $data -A trust -U postgres" >/dev/null
    su postgres -c "$bin/pg_ctl -D $data -l $data/log -o '-c listen_addresses=127.0.0.1 -p 5432 -c fsync=off -c max_connections=300 -k /tmp' -w start" >&2
  fi
fi

for _ in $(seq 1 30); do ready && break; sleep 1; done
ready || { echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }

# A role the tests use to create and drop their own databases. The superuser is reached over a
# local socket: Debian's own cluster (peer auth, /var/run/postgresql) or ours (trust, /tmp).
psql_as() {
  local sock
  for sock in /var/run/postgresql /tmp; do
    if su postgres -c "psql -h $sock -p 5432 -U postgres -tAc \"$1\"" 2>/dev/null; then return 0; fi
  done
  return 1
}
if ! PGPASSWORD=hadir psql "$url" -tAc "SELECT 1" >/dev/null 2>&1; then
  psql_as "CREATE ROLE hadir LOGIN CREATEDB PASSWORD 'hadir'" >/dev/null \
    || psql_as "ALTER ROLE hadir LOGIN CREATEDB PASSWORD 'hadir'" >/dev/null \
    || { echo "cannot create the hadir role on the PostgreSQL server at 127.0.0.1:5432" >&2; exit 1; }
fi
PGPASSWORD=hadir psql "$url" -tAc "SELECT 1" >/dev/null || { echo "cannot sign in to PostgreSQL as hadir" >&2; exit 1; }
echo "$url"
