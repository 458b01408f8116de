#!/usr/bin/env bash
# `just bench`: load test of the release server on a fresh, seeded database, plus PostgreSQL's
# own commit rate (pgbench TPC-B) on the same cluster.
#
#   BENCH_PROFILE=release   release (default: builds it) or debug (no build, quick try only)
#   BENCH_DURATION=20       seconds per load run and for pgbench (1-600)
#   BENCH_CONNECTIONS=100   concurrent connections per load run (2 threads)
#   BENCH_PORT=18090        first port tried for the server (the next nine if it is taken)
#   BENCH_COMPARE_AUDIT=1   also run catalogue and product with auditing off and print the ratio
#
# Endpoints: the patient's catalogue page (as the SPA's shop asks for it), one product page,
# /health, and the free consult slots of the next 30 days for one doctor and across ten (run
# with BENCH_SLOT_CONNECTIONS, default 10: these targets are latencies, not throughput). Everything runs on 127.0.0.1 and stops by itself; the server is killed on exit.
# The database rxgate_bench is kept afterwards for inspection; rxgate_pgbench is dropped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export SQLX_OFFLINE=true

profile="${BENCH_PROFILE:-release}"
duration="${BENCH_DURATION:-20}"
connections="${BENCH_CONNECTIONS:-100}"
first_port="${BENCH_PORT:-18090}"
compare_audit="${BENCH_COMPARE_AUDIT:-0}"
slot_connections="${BENCH_SLOT_CONNECTIONS:-10}"
threads=2
sql_requests=200   # sequential requests per endpoint for the statements/request count
bench_db=rxgate_bench
pgbench_db=rxgate_pgbench
target_dir="${CARGO_TARGET_DIR:-$root/target}"
log="$root/target/bench-server.log"

die() { echo "bench: $*" >&2; exit 1; }
is_int() { [[ "$1" =~ ^[0-9]+$ ]]; }

# Bounded on purpose: the access token lives 15 minutes and is taken fresh before each run, so
# no single run may outlive it.
is_int "$duration" && [ "$duration" -ge 1 ] && [ "$duration" -le 600 ] \
    || die "BENCH_DURATION must be 1-600 seconds, not '$duration'"
is_int "$connections" && [ "$connections" -ge "$threads" ] && [ "$connections" -le 1000 ] \
    || die "BENCH_CONNECTIONS must be $threads-1000, not '$connections'"
is_int "$first_port" || die "BENCH_PORT must be a number"
case "$profile" in
    release | debug) ;;
    *) die "BENCH_PROFILE must be release or debug, not '$profile'" ;;
esac
for tool in curl python3 psql pgbench; do
    command -v "$tool" >/dev/null || die "$tool is required (pgbench and psql: apt-get install postgresql-client)"
done

# --- Load generator: oha if present, else wrk (installed from Debian when missing) --------------
if command -v oha >/dev/null; then
    loadgen=oha
else
    loadgen=wrk
    if ! command -v wrk >/dev/null; then
        if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
            echo "==> installing wrk (apt-get)"
            apt-get install -y -q wrk >/dev/null 2>&1 \
                || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
        fi
        command -v wrk >/dev/null || die "no load generator: install wrk (apt-get install wrk) or oha (cargo install oha)"
    fi
fi

tmp="$(mktemp -d)"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
        server_pid=""
    fi
}
cleanup() {
    stop_server
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Build -----------------------------------------------------------------------------------------
if [ "$profile" = release ]; then
    echo "==> cargo build --release -p rxgate-server"
    cargo build --release -p rxgate-server
fi
rxgate="$target_dir/$profile/rxgate"
[ -x "$rxgate" ] || die "$rxgate not found (BENCH_PROFILE=debug needs an existing debug build: just build)"

# --- Database: a fresh, migrated and seeded rxgate_bench --------------------------------------------
echo "==> PostgreSQL: fresh database $bench_db"
scripts/db.sh up
# Owner-role URL (DATABASE_URL) of a database on the same server, as db.sh describes it.
owner_url_of() { (eval "$(scripts/db.sh env "$1")" && printf '%s' "$DATABASE_URL"); }
admin_url="$(owner_url_of postgres)"
bench_url="$(owner_url_of "$bench_db")"
pgbench_url="$(owner_url_of "$pgbench_db")"
psql_at() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# db.sh recreate/drop, without the "database ... does not exist, skipping" NOTICEs.
db_quiet() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" scripts/db.sh "$@" >/dev/null; }

db_quiet recreate "$bench_db"
# DATABASE_URL (owner: migrate, seed) and RXGATE__DATABASE__URL (the app role: serve).
eval "$(scripts/db.sh env "$bench_db")"
"$rxgate" migrate >"$tmp/setup.out" 2>&1 || { cat "$tmp/setup.out" >&2; die "rxgate migrate failed"; }
"$rxgate" seed >"$tmp/setup.out" 2>&1 || { cat "$tmp/setup.out" >&2; die "rxgate seed failed"; }
# Nine more approved doctors of the demo clinic with the demo doctor's week, for the slot search
# across ten doctors.
psql_at "$DATABASE_URL" -c "
    WITH u AS (INSERT INTO users (id, email, display_name)
               SELECT gen_random_uuid(), 'bench.doc' || n || '@example.org', 'Bench Doctor ' || n FROM generate_series(1, 9) n
               RETURNING id, email),
         c AS (SELECT id FROM organisations WHERE slug = 'demo-clinic'),
         d AS (SELECT id FROM users WHERE email = 'doctor@rxgate.test'),
         p AS (INSERT INTO doctor_profiles (user_id, licence_number, licence_body, licence_region, licence_expires_on, time_zone, referral_code, status)
               SELECT id, 'MP' || substr(md5(email), 1, 8), 'HPCSA', 'ZA', '2030-01-01', 'Africa/Johannesburg', upper(substr(md5(email), 1, 10)), 'approved' FROM u),
         m AS (INSERT INTO memberships (id, user_id, organisation_id, role)
               SELECT gen_random_uuid(), u.id, c.id, 'doctor' FROM u, c),
         s AS (INSERT INTO doctor_schedules (doctor_id, clinic_id, slot_minutes, buffer_minutes, min_notice_minutes, horizon_days)
               SELECT u.id, c.id, 20, 5, 60, 60 FROM u, c)
    INSERT INTO doctor_schedule_intervals (doctor_id, clinic_id, weekday, starts, ends)
    SELECT u.id, i.clinic_id, i.weekday, i.starts, i.ends
      FROM u, doctor_schedule_intervals i WHERE i.doctor_id = (SELECT id FROM d)" >/dev/null

# --- Server ----------------------------------------------------------------------------------------
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=""
for candidate in $(seq "$first_port" $((first_port + 9))); do
    if ! port_taken "$candidate"; then port="$candidate"; break; fi
done
[ -n "$port" ] || die "ports $first_port-$((first_port + 9)) are all taken (set BENCH_PORT)"
base="http://127.0.0.1:$port"
mkdir -p "$root/target"
: >"$log"

# start_server [VAR=value...]: the server with the bench settings plus any extra ones.
# Request logging stays on at info, in the production (JSON) format: it is part of what a
# request costs. RUST_LOG=warn just bench shows how much.
start_server() {
    echo "--- rxgate serve $* ($(date -u +%FT%TZ))" >>"$log"
    env RXGATE__APPLICATION__HOST=127.0.0.1 \
        RXGATE__LOG__FORMAT="${RXGATE__LOG__FORMAT:-json}" \
        RXGATE__APPLICATION__PORT="$port" \
        RXGATE__APPLICATION__PUBLIC_URL="http://localhost:$port" \
        RXGATE__AUTH__RATE_LIMIT_PER_MINUTE=600000 \
        RXGATE__AUTH__RATE_LIMIT_BURST=100000 \
        "$@" "$rxgate" serve >>"$log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 150); do
        curl -fsS "$base/api/v1/ready" >/dev/null 2>&1 && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.2
    done
    tail -n 20 "$log" >&2
    die "the server did not become ready on $base (log: $log)"
}

# Signs in as the demo patient (no second factor for patients) and prints the access token.
login() {
    curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
        -d '{"email":"patient@rxgate.test","password":"rxgate-demo-password"}' \
        | python3 -c '
import json, sys
r = json.load(sys.stdin)
if r.get("mfa") not in ("not_required", "satisfied"):
    sys.exit("bench: the patient sign-in asks for a second factor: mfa=%s" % r.get("mfa"))
print(r["access_token"])'
}

# --- Load runs -------------------------------------------------------------------------------------
# wrk: the token comes from the environment (every thread runs this file in its own Lua state);
# done() prints one machine-readable line. wrk counts status >= 400 as `errors.status`: these
# endpoints answer no 1xx/3xx, so that is the non-2xx count. Timed-out requests are not in
# the latency histogram, hence the generous --timeout below.
cat >"$tmp/bench.lua" <<'LUA'
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
end
function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "BENCH rps=%.1f p50=%.2f p95=%.2f p99=%.2f non2xx=%d socket_errors=%d requests=%d\n",
        summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000,
        e.status, e.connect + e.read + e.write + e.timeout, summary.requests))
end
LUA

declare -A rps p50 p95 p99 non2xx sockerr stmts stmts_all
# load NAME URL TOKEN: one fixed-length run; results into the arrays above under NAME.
load() {
    local name="$1" url="$2" token="$3" line
    printf '==> %-22s %ss, %s connections ... ' "$name" "$duration" "$connections"
    if [ "$loadgen" = wrk ]; then
        BENCH_TOKEN="$token" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 10s \
            -s "$tmp/bench.lua" "$url" >"$tmp/$name.out" 2>&1 || true
        line="$(grep '^BENCH ' "$tmp/$name.out" || true)"
    else
        local auth=() json=(--output-format json)
        [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
        oha --help 2>/dev/null | grep -q -- '--output-format' || json=(-j)   # older oha
        oha -z "${duration}s" -c "$connections" --no-tui "${json[@]}" "${auth[@]}" "$url" \
            >"$tmp/$name.out" 2>&1 || true
        line="$(python3 - "$tmp/$name.out" <<'PY' || true
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
non2xx = sum(n for c, n in codes.items() if not str(c).startswith("2"))
errors = sum(r.get("errorDistribution", {}).values())
ok = sum(codes.values())
print("BENCH rps=%.1f p50=%.2f p95=%.2f p99=%.2f non2xx=%d socket_errors=%d requests=%d" % (
    r["summary"]["requestsPerSec"], (lat["p50"] or 0) * 1000, (lat["p95"] or 0) * 1000,
    (lat["p99"] or 0) * 1000, non2xx, errors, ok + errors))
PY
)"
    fi
    if [ -z "$line" ]; then
        echo "failed"
        cat "$tmp/$name.out" >&2
        die "$loadgen produced no result for $name"
    fi
    local k v field
    for field in ${line#BENCH }; do
        k="${field%%=*}" v="${field#*=}"
        case "$k" in
            rps) rps[$name]="$v" ;;
            p50) p50[$name]="$v" ;;
            p95) p95[$name]="$v" ;;
            p99) p99[$name]="$v" ;;
            non2xx) non2xx[$name]="$v" ;;
            socket_errors) sockerr[$name]="$v" ;;
        esac
    done
    printf '%s req/s, p50 %s ms, p95 %s ms, p99 %s ms, non-2xx %s, socket errors %s\n' \
        "${rps[$name]}" "${p50[$name]}" "${p95[$name]}" "${p99[$name]}" "${non2xx[$name]}" \
        "${sockerr[$name]}"
}

# --- SQL statements per request ------------------------------------------------------------------
# db.sh starts the local cluster with shared_preload_libraries=pg_stat_statements and
# pg_stat_statements.track=all. The view is created in the `postgres` database, so the
# counting queries themselves never land on rxgate_bench's statistics. If the library is not
# loaded (a cluster started by an older db.sh, or a DATABASE_URL server), add
#   -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all
# to the server options and restart it (scripts/db.sh stop && scripts/db.sh up).
pgss=0
pgss_reason="pg_stat_statements not loaded"
if psql_at "$admin_url" -c "SHOW shared_preload_libraries" | grep -q pg_stat_statements; then
    if psql_at "$admin_url" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" 2>"$tmp/pgss.err"; then
        pgss=1
    else
        pgss_reason="pg_stat_statements loaded but CREATE EXTENSION failed: $(head -n1 "$tmp/pgss.err")"
    fi
fi
# "calls of every statement, calls of top-level statements" on rxgate_bench. Top level is what
# the server sends (BEGIN, set_config, queries, COMMIT); the total adds what runs inside SQL
# functions and triggers (eligibility, the audit chain).
pgss_counts() {
    psql_at "$admin_url" -F ' ' -c "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE toplevel), 0)
        FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = '$bench_db')"
}
pgss_dealloc() { psql_at "$admin_url" -c "SELECT dealloc FROM pg_stat_statements_info"; }
now() { date +%s.%N; }

# The in-process job worker polls the database (about once a second) whatever the requests do:
# measure that idle rate once and subtract it over each measurement's wall time.
idle_all=0 idle_top=0
measure_idle() {
    local a0 t0 a1 t1 s0 s1 start
    read -r a0 t0 < <(pgss_counts)
    start="$(now)"
    sleep 5
    read -r a1 t1 < <(pgss_counts)
    s1="$(now)"
    idle_all="$(awk -v d=$((a1 - a0)) -v s="$start" -v e="$s1" 'BEGIN { printf "%.3f", d / (e - s) }')"
    idle_top="$(awk -v d=$((t1 - t0)) -v s="$start" -v e="$s1" 'BEGIN { printf "%.3f", d / (e - s) }')"
    echo "==> background (job worker) statements while idle: $idle_top/s top level, $idle_all/s in all"
}

# count_statements NAME URL TOKEN: statements/request over $sql_requests sequential requests.
count_statements() {
    local name="$1" url="$2" token="$3" auth=() args=() i
    [ -n "$token" ] && auth=(-H "Authorization: Bearer $token")
    for i in $(seq 1 "$sql_requests"); do args+=(-o /dev/null "$url"); done
    # Warm-up: the first requests on a pool connection also look up types and such.
    curl -sS "${auth[@]}" -o /dev/null "$url" "$url" "$url" "$url" "$url" >/dev/null
    if [ "$pgss" != 1 ]; then
        stmts[$name]="n/a" stmts_all[$name]="n/a"
        return
    fi
    local d0 a0 t0 a1 t1 s0 s1 codes ok
    d0="$(pgss_dealloc)"
    read -r a0 t0 < <(pgss_counts)
    s0="$(now)"
    # One curl process, one keep-alive connection, $sql_requests requests in a row.
    codes="$(curl -sS "${auth[@]}" -w '%{http_code}\n' "${args[@]}")"
    s1="$(now)"
    read -r a1 t1 < <(pgss_counts)
    ok="$(grep -c '^2' <<<"$codes" || true)"
    [ "$ok" = "$sql_requests" ] || echo "bench: warning: $name: only $ok of $sql_requests answered 2xx" >&2
    if [ "$(pgss_dealloc)" != "$d0" ]; then
        # pg_stat_statements.max was exceeded (e.g. tests running at the same time): evicted
        # entries make the sums meaningless.
        echo "bench: warning: pg_stat_statements evicted entries during the $name count" >&2
        stmts[$name]="evicted" stmts_all[$name]="evicted"
        return
    fi
    stmts[$name]="$(awk -v d=$((t1 - t0)) -v r="$idle_top" -v s="$s0" -v e="$s1" -v n="$sql_requests" \
        'BEGIN { x = (d - r * (e - s)) / n; if (x < 0) x = 0; printf "%.1f", x }')"
    stmts_all[$name]="$(awk -v d=$((a1 - a0)) -v r="$idle_all" -v s="$s0" -v e="$s1" -v n="$sql_requests" \
        'BEGIN { x = (d - r * (e - s)) / n; if (x < 0) x = 0; printf "%.1f", x }')"
    echo "==> $name: ${stmts[$name]} statements/request top level, ${stmts_all[$name]} including nested ($sql_requests requests)"
}

catalogue_url="$base/api/v1/catalogue/products?sort=name&limit=24"   # the SPA shop's first page
health_url="$base/api/v1/health"
slots_url="$base/api/v1/consults/slots?from=$(date -u +%FT%TZ)&to=$(date -u -d '+30 days' +%FT%TZ)"
doctor_id="$(psql_at "$DATABASE_URL" -c "SELECT id FROM users WHERE email = 'doctor@rxgate.test'")"

# run_suite SUFFIX NAMES...: statements/request, then a load run, for each named endpoint.
run_suite() {
    local suffix="$1" name token
    shift
    for name in "$@"; do
        token=""
        [ "$name" = health ] || token="$(login)"
        count_statements "$name$suffix" "$(url_for "$name")" "$token"
    done
    for name in "$@"; do
        token=""
        [ "$name" = health ] || token="$(login)"   # fresh: a run must not outlive the token
        load "$name$suffix" "$(url_for "$name")" "$token"
    done
}
url_for() {
    case "$1" in
        slots-1) echo "$slots_url&doctor_id=$doctor_id" ;;
        slots-10) echo "$slots_url" ;;
        catalogue) echo "$catalogue_url" ;;
        product) echo "$product_url" ;;
        health) echo "$health_url" ;;
    esac
}

echo "==> starting $profile server on $base (log: $log)"
start_server
token="$(login)"
product_id="$(curl -fsS -H "Authorization: Bearer $token" "$catalogue_url" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')" \
    || die "the patient's catalogue is empty or unreadable"
product_url="$base/api/v1/catalogue/products/$product_id"
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$product_url" \
    || die "GET $product_url failed"
[ "$pgss" = 1 ] && measure_idle
run_suite "" catalogue product health
all_connections="$connections"
connections="$slot_connections"
run_suite "" slots-1 slots-10
connections="$all_connections"

if [ "$compare_audit" = 1 ]; then
    echo "==> restarting the server with RXGATE__AUDIT__ENABLED=false"
    stop_server
    start_server RXGATE__AUDIT__ENABLED=false
    head_seq() { psql_at "$bench_url" -c "SELECT coalesce(max(seq), 0) FROM audit_events"; }
    seq0="$(head_seq)"
    run_suite "-noaudit" catalogue product
    # Sign-ins write events too when auditing is on, so any growth means it is not off.
    audit_written=$(($(head_seq) - seq0))
    if [ "$audit_written" != 0 ]; then
        echo "bench: warning: $audit_written audit events were written with RXGATE__AUDIT__ENABLED=false: does this build know the setting?" >&2
    fi
fi
stop_server

# --- pgbench: PostgreSQL's own commit rate on the same cluster ---------------------------------
echo "==> pgbench TPC-B: -i -s 10, then -c 16 -j 2 -T $duration ($pgbench_db)"
db_quiet recreate "$pgbench_db"
pgbench -i -s 10 -q "$pgbench_url" >"$tmp/pgbench-init.out" 2>&1 \
    || { cat "$tmp/pgbench-init.out" >&2; die "pgbench -i failed"; }
pgbench -c 16 -j 2 -T "$duration" "$pgbench_url" >"$tmp/pgbench.out" 2>&1 \
    || { cat "$tmp/pgbench.out" >&2; die "pgbench failed"; }
tps="$(awk '/^tps = / { printf "%.0f", $3; exit }' "$tmp/pgbench.out")"
pg_settings="$(psql_at "$admin_url" -c "SELECT 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', ' || split_part(version(), ' on ', 1)")"
db_quiet drop "$pgbench_db" || true

# --- Summary ---------------------------------------------------------------------------------------
cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo
echo "=== just bench summary ==="
echo "machine:    $(nproc) cores, ${cpu:-unknown CPU}, $mem RAM"
echo "server:     $profile build, $loadgen, $threads threads, $connections connections ($slot_connections for slots-*), ${duration}s per run, loopback"
echo "postgres:   $pg_settings"
[ "$pgss" = 1 ] || echo "statements/request: n/a ($pgss_reason)"
echo
printf '%-18s %9s %8s %8s %8s %7s %6s %9s %10s\n' endpoint 'req/s' 'p50 ms' 'p95 ms' 'p99 ms' non-2xx errors 'stmts/req' 'incl.nested'
rows=(catalogue product health slots-1 slots-10)
[ "$compare_audit" = 1 ] && rows+=(catalogue-noaudit product-noaudit)
for name in "${rows[@]}"; do
    printf '%-18s %9s %8s %8s %8s %7s %6s %9s %10s\n' "$name" "${rps[$name]}" "${p50[$name]}" \
        "${p95[$name]}" "${p99[$name]}" "${non2xx[$name]}" "${sockerr[$name]}" "${stmts[$name]}" \
        "${stmts_all[$name]}"
done
echo
echo "pgbench TPC-B (scale 10, 16 clients, ${duration}s): ${tps:-?} tps"
if [ "$compare_audit" = 1 ]; then
    for name in catalogue product; do
        awk -v a="${rps[$name]}" -v u="${rps[$name-noaudit]}" -v n="$name" \
            'BEGIN { printf "audit cost, %s: audited / unaudited req/s = %.2f\n", n, (u > 0 ? a / u : 0) }'
    done
    if [ "$audit_written" != 0 ]; then
        echo "  (not meaningful: $audit_written audit events were written in the \"unaudited\" runs, so auditing was not off)"
    fi
fi
echo
echo "errors: socket errors and timeouts (10 s). stmts/req: statements the server sends per request"
echo "(pg_stat_statements, top level, job-worker background subtracted); incl.nested adds the"
echo "statements run inside SQL functions and triggers."
