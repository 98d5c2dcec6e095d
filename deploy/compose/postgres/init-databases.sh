#!/bin/bash
# One database per service, each owned by its own login role that cannot connect to the others' databases.
# Run once, by the postgres image's entrypoint, on an empty data directory (/docker-entrypoint-initdb.d/).
#   SERVICE_DATABASES      names, space-separated (default: "users orders"); role name = database name
#   <NAME>_DB_PASSWORD     each role's password, e.g. USERS_DB_PASSWORD, ORDERS_DB_PASSWORD
# Works with the official postgres image and with the offline stand-in (deploy/offline/postgres/).
set -eo pipefail   # no -u: the official image sources (rather than runs) a script that lost its x bit

for db in ${SERVICE_DATABASES:-users orders}; do
  password_var="${db^^}_DB_PASSWORD"
  password=${!password_var:?$password_var must be set}
  echo "Creating role and database '$db'"
  # psql variables (:"name" quotes an identifier, :'pw' a literal) keep the values out of the SQL text.
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    -v name="$db" -v pw="$password" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'pw';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
