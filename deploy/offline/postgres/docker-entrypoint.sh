#!/bin/bash
# Entrypoint of the offline PostgreSQL stand-in: the part of the official image's interface this project uses.
# On the first start (empty PGDATA): initdb with POSTGRES_USER / POSTGRES_PASSWORD, create POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sh (executed when executable, else sourced) and *.sql on a server that listens on
# the Unix socket only -- so nobody connects over TCP before initialisation is complete -- then exec postgres.
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
  exec "$@"
fi

export POSTGRES_USER=${POSTGRES_USER:-postgres}
export POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
: "${PGDATA:?PGDATA must be set}"

run_init_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh)
        if [ -x "$f" ]; then
          echo "initdb.d: running $f"
          "$f"
        else
          echo "initdb.d: sourcing $f"
          # shellcheck disable=SC1090
          . "$f"
        fi ;;
      *.sql)
        echo "initdb.d: running $f"
        psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f "$f" ;;
      *) [ -e "$f" ] && echo "initdb.d: ignoring $f" ;;
    esac
  done
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (the password of POSTGRES_USER)}"
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 -D "$PGDATA" >/dev/null
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v db="$POSTGRES_DB" \
      <<<'CREATE DATABASE :"db";' >/dev/null
  fi
  export PGUSER=$POSTGRES_USER PGDATABASE=$POSTGRES_DB
  run_init_scripts
  unset PGUSER PGDATABASE
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "PostgreSQL initialised in $PGDATA."
fi

exec "$@"   # postgres finds its data directory in PGDATA
