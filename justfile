# Rxgate — `just run` sets up and starts everything; `just test` runs every check.
set shell := ["bash", "-euo", "pipefail", "-c"]

# Builds use the committed query metadata in .sqlx/, never a live database.
export SQLX_OFFLINE := "true"
target_dir := env("CARGO_TARGET_DIR", justfile_directory() / "target")
rxgate := target_dir / "debug" / "rxgate"

# List the recipes.
default:
    @just --list

# Set up and start Rxgate on http://localhost:8080 (local PostgreSQL unless DATABASE_URL is set).
run: tools db-up build migrate seed spa serve

# Install missing tools: wasm32 target, wasm-bindgen-cli (Cargo.lock's version), sqlx-cli, npm packages.
tools:
    scripts/tools.sh

# Start (creating on first use) the project-local PostgreSQL cluster in .data/pg.
db-up:
    scripts/db.sh up

# Stop the local cluster.
db-stop:
    scripts/db.sh stop

# Delete the local cluster and all its data.
db-reset:
    scripts/db.sh reset

# Build the server binary (debug profile, shared with the tests).
build:
    cargo build -p rxgate-server

# Apply migrations as the owner role.
migrate: build
    eval "$(scripts/db.sh env)"; {{rxgate}} migrate

# Load demo data (idempotent; refused in production).
seed: build
    eval "$(scripts/db.sh env)"; {{rxgate}} seed

# Build the SPA into frontend/dist.
spa:
    scripts/build-spa.sh

# Serve API + SPA (run `just run` the first time).
serve:
    #!/usr/bin/env bash
    set -euo pipefail
    eval "$(scripts/db.sh env)"
    port="${RXGATE__APPLICATION__PORT:-8080}"
    # The address to open is the public URL (a host name: browsers refuse passkeys on IPs).
    url="${RXGATE__APPLICATION__PUBLIC_URL:-http://localhost:$port}"
    cat <<BANNER

      Rxgate is starting on $url
      API docs:          $url/api/docs/
      Developer mailbox: $url/dev/mailbox
      Demo accounts:     listed above by the seed step (password: rxgate-demo-password)
      Stop with Ctrl-C; the database keeps running (just db-stop).

    BANNER
    exec {{rxgate}} serve

# Print the current second-factor code of the demo staff accounts.
totp: build
    {{rxgate}} demo-totp

# Write openapi/openapi.json from the code.
openapi: build
    {{rxgate}} openapi --out openapi/openapi.json

# Regenerate .sqlx/ query metadata against the local database (after changing a query).
prepare: db-up build
    #!/usr/bin/env bash
    set -euo pipefail
    eval "$(scripts/db.sh env)"
    {{rxgate}} migrate
    # Only crates/persistence holds compile-time checked queries.
    cd crates/persistence && SQLX_OFFLINE=false cargo sqlx prepare -- --all-targets

# Run every check: fmt, clippy, sqlx metadata, supply chain (cargo deny), Rust tests on PostgreSQL, OpenAPI drift, SPA build, browser tests.
test:
    scripts/test.sh

# Only the browser tests (builds what they need).
e2e:
    scripts/test.sh e2e

# Only the supply-chain check: cargo deny against the RustSec snapshot in RUSTSEC_DB.
supply-chain:
    scripts/supply-chain.sh

# Load test the release server on a fresh seeded database, plus pgbench (BENCH_* settings: scripts/bench.sh).
bench:
    scripts/bench.sh
