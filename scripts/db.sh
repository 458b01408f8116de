#!/usr/bin/env bash
# Project-local PostgreSQL cluster for development and tests.
#
#   scripts/db.sh up        create (first time) and start the cluster, ensure database and roles
#   scripts/db.sh stop      stop it
#   scripts/db.sh reset     stop it and delete its data
#   scripts/db.sh recreate NAME   drop and create database NAME (owned by the owner role)
#   scripts/db.sh drop NAME       drop database NAME
#   scripts/db.sh env       print the connection variables (eval "$(scripts/db.sh env)")
#
# With DATABASE_URL set in the environment nothing local is started: that server is used.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="$root/.data"
# As root, the cluster runs as the postgres user, who must be able to reach the folder. A
# checkout under a private home (e.g. /root) is not reachable: keep the cluster in /var/tmp then.
if [ "$(id -u)" = "0" ] && [ -z "${RXGATE_PG_DATA:-}" ] && id postgres >/dev/null 2>&1 \
    && ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
    base="/var/tmp/rxgate-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
fi
# Two clusters: `dev` (the default: `just run`'s data, crash-safe) and `test` (RXGATE_PG_PROFILE=test,
# used by `just test`: throwaway databases, so durability is traded for speed). Separate
# clusters also keep the tests' statement statistics and load away from a running `just run`.
profile="${RXGATE_PG_PROFILE:-dev}"
case "$profile" in
    dev)
        data="${RXGATE_PG_DATA:-$base/pg}"
        sock="$base/pg-socket"
        port="${RXGATE_PG_PORT:-55432}"
        durability=""
        ;;
    test)
        data="${RXGATE_PG_DATA:-$base/pg-test}"
        sock="$base/pg-test-socket"
        port="${RXGATE_PG_PORT:-55433}"
        durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        ;;
    *) echo "RXGATE_PG_PROFILE must be dev or test" >&2; exit 2 ;;
esac
superpw="postgres"
app_pw="${RXGATE_APP_DB_PASSWORD:-rxgate-local-app}"

pgbin() {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    else
        local found
        found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
        [ -n "$found" ] || { echo "PostgreSQL binaries not found (install postgresql)" >&2; exit 1; }
        echo "$found/$1"
    fi
}

# initdb and pg_ctl refuse to run as root: run them as the postgres user then.
as_pg() {
    if [ "$(id -u)" = "0" ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

owner_url() { echo "postgres://postgres:${superpw}@127.0.0.1:${port}/${1:-rxgate}"; }

app_url_from() {
    # Same server and database as the owner URL, as the application role.
    python3 - "$1" "$app_pw" <<'PY'
import sys, urllib.parse as u
url, pw = sys.argv[1], sys.argv[2]
p = u.urlsplit(url)
host = p.hostname or "127.0.0.1"
netloc = f"rxgate_app:{u.quote(pw, safe='')}@{host}" + (f":{p.port}" if p.port else "")
print(u.urlunsplit((p.scheme, netloc, p.path, p.query, p.fragment)))
PY
}

psql_owner() {
    "$(pgbin psql)" -X -q -v ON_ERROR_STOP=1 "$(owner_url postgres)" "$@"
}

cmd_up() {
    if [ -n "${DATABASE_URL:-}" ]; then
        echo "DATABASE_URL is set: using that server, no local cluster." >&2
        return 0
    fi
    mkdir -p "$base" "$sock"
    if [ ! -s "$data/PG_VERSION" ]; then
        echo "Creating local PostgreSQL cluster in $data" >&2
        mkdir -p "$data"
        local pwfile="$base/.pgpw"
        printf '%s\n' "$superpw" >"$pwfile"
        if [ "$(id -u)" = "0" ]; then
            id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
            chown -R postgres "$base"
        fi
        as_pg "$(pgbin initdb)" -D "$data" -U postgres --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
    fi
    if [ "$(id -u)" = "0" ]; then chown -R postgres "$base"; fi
    if ! as_pg "$(pgbin pg_ctl)" -D "$data" status >/dev/null 2>&1; then
        as_pg "$(pgbin pg_ctl)" -D "$data" -l "$base/pg-$profile.log" -w -t 60 \
            -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=20000 $durability" \
            start >/dev/null
    elif [ "$profile" = dev ] && [ "$("$(pgbin psql)" -X -At "$(owner_url postgres)" -c 'SHOW fsync' 2>/dev/null)" = "off" ]; then
        # A cluster of an older checkout still runs without fsync: restart it crash-safe.
        echo "Restarting the local cluster with crash-safe settings" >&2
        as_pg "$(pgbin pg_ctl)" -D "$data" -m fast stop >/dev/null
        as_pg "$(pgbin pg_ctl)" -D "$data" -l "$base/pg.log" -w -t 60 \
            -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all -c pg_stat_statements.max=20000" \
            start >/dev/null
    fi
    psql_owner <<SQL
SELECT 'CREATE DATABASE rxgate' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'rxgate') \gexec
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rxgate_app') THEN
        CREATE ROLE rxgate_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
\$\$;
ALTER ROLE rxgate_app LOGIN PASSWORD '${app_pw}';
SQL
}

cmd_stop() {
    [ -s "$data/PG_VERSION" ] || return 0
    as_pg "$(pgbin pg_ctl)" -D "$data" -m fast stop >/dev/null 2>&1 || true
}

cmd_reset() {
    cmd_stop
    rm -rf "$data" "$sock"
    echo "Local cluster removed." >&2
}

cmd_recreate() {
    local name="$1"
    if [ -n "${DATABASE_URL:-}" ]; then
        local admin
        admin=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit((p.scheme,p.netloc,"/postgres",p.query,"")))' "$DATABASE_URL")
        "$(pgbin psql)" -X -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
    else
        psql_owner -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" -c "CREATE DATABASE \"$name\""
    fi
}

cmd_drop() {
    local name="$1" admin
    if [ -n "${DATABASE_URL:-}" ]; then
        admin=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit((p.scheme,p.netloc,"/postgres",p.query,"")))' "$DATABASE_URL")
    else
        admin=$(owner_url postgres)
    fi
    "$(pgbin psql)" -X -q -v ON_ERROR_STOP=1 "$admin" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
}

cmd_env() {
    local db="${1:-}"
    local url
    if [ -n "${DATABASE_URL:-}" ] && [ -z "$db" ]; then
        url="$DATABASE_URL"
    elif [ -n "${DATABASE_URL:-}" ]; then
        url=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit((p.scheme,p.netloc,"/"+sys.argv[2],p.query,"")))' "$DATABASE_URL" "$db")
    else
        url=$(owner_url "${db:-rxgate}")
    fi
    local app
    if [ -n "${RXGATE__DATABASE__URL:-}" ] && [ -n "$db" ]; then
        # A configured application URL keeps its credentials and host; only the database changes.
        app=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit((p.scheme,p.netloc,"/"+sys.argv[2],p.query,"")))' "$RXGATE__DATABASE__URL" "$db")
    else
        app="${RXGATE__DATABASE__URL:-$(app_url_from "$url")}"
    fi
    echo "export DATABASE_URL='$url'"
    echo "export RXGATE__DATABASE__URL='$app'"
}

case "${1:-}" in
    up) cmd_up ;;
    stop) cmd_stop ;;
    reset) cmd_reset ;;
    recreate) cmd_recreate "${2:?database name}" ;;
    drop) cmd_drop "${2:?database name}" ;;
    env) cmd_env "${2:-}" ;;
    *) sed -n '2,11p' "$0"; exit 2 ;;
esac
