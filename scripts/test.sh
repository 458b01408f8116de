#!/usr/bin/env bash
# `just test`: every check, in order, with a summary at the end. Exits non-zero if any failed.
#   scripts/test.sh        all steps
#   scripts/test.sh e2e    only what the browser tests need
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export SQLX_OFFLINE=true
# The test cluster (port 55433, no fsync): never the data of `just run`, which may be up.
export RXGATE_PG_PROFILE=test
target_dir="${CARGO_TARGET_DIR:-$root/target}"
rxgate="$target_dir/debug/rxgate"
only="${1:-all}"
e2e_port="${RXGATE_E2E_PORT:-18080}"

names=()
results=()
failed=0
step() {
    local name="$1"
    shift
    printf '\n==> %s\n' "$name"
    local start=$SECONDS
    if "$@"; then
        results+=("pass  $(printf '%4ss' $((SECONDS - start)))  $name")
    else
        results+=("FAIL  $(printf '%4ss' $((SECONDS - start)))  $name")
        failed=1
    fi
}

summary() {
    printf '\n=== just test summary ===\n'
    printf '%s\n' "${results[@]}"
    if [ "$failed" = 0 ]; then
        printf 'just test: every step passed\n'
    else
        printf 'just test: FAILED\n'
    fi
}

scripts/db.sh up || { echo "cannot start PostgreSQL" >&2; exit 1; }
eval "$(scripts/db.sh env)"

fmt() { cargo fmt --all -- --check; }
build() { cargo build --workspace --exclude rxgate-frontend --all-targets; }
migrate_dev() { "$rxgate" migrate; }
clippy_server() { cargo clippy --workspace --exclude rxgate-frontend --all-targets -- -D warnings; }
clippy_spa() { cargo clippy -p rxgate-frontend --target wasm32-unknown-unknown -- -D warnings; }
sqlx_check() { (cd crates/persistence && SQLX_OFFLINE=false cargo sqlx prepare --check -- --all-targets); }
rust_tests() {
    # API tests create one database each; drop those of earlier runs first.
    psql -X -q -At "$DATABASE_URL" -c "SELECT datname FROM pg_database WHERE datname LIKE 'rxgate_test_%'" \
        | while read -r name; do scripts/db.sh drop "$name"; done
    cargo test --workspace --exclude rxgate-frontend --no-fail-fast
}
spa() { scripts/build-spa.sh; }
supply_chain() { scripts/supply-chain.sh; }
openapi_valid() {
    # The committed document (the drift test holds it to the code) against a standard
    # OpenAPI 3.1 validator: what client generators need before they generate anything.
    python3 -c "
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
validate(read_from_filename('openapi/openapi.json')[0])
print('openapi/openapi.json is a valid OpenAPI 3.1 document')"
}

fuzz() {
    # Conformance fuzzing (schemathesis, every check, three callers) against a server of its
    # own on a database of its own: the fuzzer signs up, locks and changes things that the
    # browser journeys must not meet.
    local db="${RXGATE_FUZZ_DB:-rxgate_fuzz}" port=$((e2e_port + 2))
    scripts/db.sh recreate "$db" >/dev/null || return 1
    (
        eval "$(scripts/db.sh env "$db")"
        "$rxgate" migrate >/dev/null || exit 1
        "$rxgate" seed >/dev/null || exit 1
        export RXGATE__APPLICATION__PORT="$port" RXGATE__APPLICATION__PUBLIC_URL="http://localhost:$port"
        export RXGATE__AUTH__RATE_LIMIT_PER_MINUTE=60000 RXGATE__AUTH__RATE_LIMIT_BURST=10000
        RUST_LOG=warn "$rxgate" serve >"$root/target/fuzz-server-$port.log" 2>&1 &
        server=$!
        trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT
        for _ in $(seq 1 100); do
            curl -fsS "http://127.0.0.1:$port/api/v1/ready" >/dev/null 2>&1 && break
            sleep 0.2
        done
        RXGATE_E2E_URL="http://localhost:$port" python3 "$root/e2e/contract/fuzz.py"
    )
}

e2e() {
    local db="${RXGATE_E2E_DB:-rxgate_e2e}"
    scripts/db.sh recreate "$db" >/dev/null || return 1
    (
        eval "$(scripts/db.sh env "$db")"
        "$rxgate" migrate || exit 1
        export RXGATE__APPLICATION__PORT="$e2e_port"
        [ -n "${SPA_OUT:-}" ] && export RXGATE__APPLICATION__SPA_DIR="$SPA_OUT"
        # A host name, not 127.0.0.1: browsers refuse passkeys for IP-address sites. The
        # server still listens on 127.0.0.1, which is where localhost resolves.
        export RXGATE__APPLICATION__PUBLIC_URL="http://localhost:$e2e_port"
        export RXGATE__JOBS__POLL_INTERVAL_MS=200
        # Every browser test signs in from 127.0.0.1: lift the per-address auth limit.
        export RXGATE__AUTH__RATE_LIMIT_PER_MINUTE=6000
        export RXGATE__AUTH__RATE_LIMIT_BURST=1000
        "$rxgate" seed || exit 1
        "$rxgate" serve >"$root/target/e2e-server-$e2e_port.log" 2>&1 &
        server=$!
        # A second server on the same database whose access tokens live 2 seconds, for the
        # browser test of a request that meets a really expired token (no jobs: the first
        # server runs them).
        short_port=$((e2e_port + 1))
        RXGATE__APPLICATION__PORT="$short_port" RXGATE__APPLICATION__PUBLIC_URL="http://localhost:$short_port" \
            RXGATE__AUTH__ACCESS_TOKEN_SECS=2 RXGATE__JOBS__RUN_IN_PROCESS=false \
            "$rxgate" serve >"$root/target/e2e-server-$short_port.log" 2>&1 &
        short_server=$!
        trap 'kill $server $short_server 2>/dev/null; wait $server $short_server 2>/dev/null' EXIT
        for port in "$e2e_port" "$short_port"; do
            for _ in $(seq 1 100); do
                curl -fsS "http://127.0.0.1:$port/api/v1/ready" >/dev/null 2>&1 && break
                sleep 0.2
            done
        done
        # The contract as integrators meet it: a client generated from the committed document by
        # a standard generator, driven through sign-in and the catalogue.
        client_dir="$root/target/contract-client-$e2e_port"
        rm -rf "$client_dir" && mkdir -p "$client_dir"
        openapi-python-client generate --path "$root/openapi/openapi.json" --meta none \
            --output-path "$client_dir/rxgate_client" >"$client_dir.log" 2>&1 \
            || { cat "$client_dir.log"; exit 1; }
        RXGATE_E2E_URL="http://localhost:$e2e_port" python3 "$root/e2e/contract/journey.py" "$client_dir" \
            || exit 1
        cd e2e && RXGATE_E2E_URL="http://localhost:$e2e_port" \
            RXGATE_E2E_SHORT_TTL_URL="http://localhost:$short_port" CHROMIUM_PATH="$(command -v chromium)" \
            npx playwright test --output "$root/target/playwright-$e2e_port" ${RXGATE_E2E_SPECS:-}
    )
}

mkdir -p "$root/target"
if [ "$only" = "e2e" ]; then
    step "build server" cargo build -p rxgate-server
    step "build SPA" spa
    step "browser tests (Playwright, Chromium)" e2e
else
    step "cargo fmt --check" fmt
    step "build (debug, all targets)" build
    step "migrate dev database" migrate_dev
    step "clippy server crates -D warnings" clippy_server
    step "clippy SPA (wasm32) -D warnings" clippy_spa
    step "sqlx offline query data is current" sqlx_check
    step "supply chain: cargo deny advisories, licences, bans (RustSec snapshot)" supply_chain
    step "Rust tests: unit, database, API, OpenAPI drift" rust_tests
    step "OpenAPI 3.1 validation (openapi-spec-validator)" openapi_valid
    step "contract fuzzing (schemathesis, 3 callers, 0 failures)" fuzz
    step "build SPA (wasm release)" spa
    step "generated client journey and browser tests (Playwright, Chromium)" e2e
fi
summary
exit "$failed"
