#!/usr/bin/env bash
# CI entry point: install what a clean machine lacks, then run `just test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Reuse compiled dependencies between runs: the target folder lives outside the clone.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/rxgate-target}"
mkdir -p "$CARGO_TARGET_DIR"
export CARGO_TERM_COLOR=never
# The RustSec advisory database cannot be fetched here: a snapshot sits in shared/ beside the clone.
export RUSTSEC_DB="${RUSTSEC_DB:-$(cd .. && pwd)/shared/advisory-db}"

apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

command -v chromium >/dev/null 2>&1 || apt_install chromium
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
fi
command -v curl >/dev/null 2>&1 || apt_install curl

if ! command -v just >/dev/null 2>&1; then
    # The PyPI wheel carries the prebuilt binary; cargo builds it from source otherwise.
    pip install --quiet rust-just 2>/dev/null || cargo install just --locked
fi

scripts/tools.sh
(cd e2e && npm ci --no-audit --no-fund)

