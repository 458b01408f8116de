#!/usr/bin/env bash
# Supply-chain check of `just test`: `cargo deny` (deny.toml) with advisories, licences, bans and
# sources. Offline: the RustSec advisory database is read from RUSTSEC_DB (a snapshot directory
# holding `crates/` and `rust/`), by default ../shared/advisory-db beside the checkout. Fails on
# any advisory that deny.toml does not ignore with a reason, on a licence it has not accepted
# and on a banned crate.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

db="${RUSTSEC_DB:-$(cd "$root/.." && pwd)/shared/advisory-db}"
if [ ! -d "$db/crates" ]; then
    echo "supply-chain: no RustSec advisory database at $db (set RUSTSEC_DB)" >&2
    exit 1
fi
command -v cargo-deny >/dev/null 2>&1 || { echo "supply-chain: cargo-deny missing (run scripts/tools.sh)" >&2; exit 1; }

# cargo deny reads a database from `<db-path>/<name from its URL>` and asks git for its date.
# The snapshot is neither writable nor a clone: copy it into a scratch git repository under the
# folder name cargo-deny 0.20 derives from the URL (the folder is named in its error otherwise).
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
url="https://github.com/rustsec/advisory-db"
clone="$work/db/advisory-db-3157b0e258782691"
mkdir -p "$work/db"
cp -r "$db" "$clone"
chmod -R u+w "$clone"
git -C "$clone" init -q
git -C "$clone" add -A
git -C "$clone" -c user.name=rxgate -c user.email=rxgate@localhost -c commit.gpgsign=false \
    commit -q -m "RustSec snapshot from $db"
sed '/^\[advisories\]/a db-path = "'"$work/db"'"\ndb-urls = ["'"$url"'"]' deny.toml >"$work/deny.toml"

cargo deny --offline --locked --config "$work/deny.toml" check advisories licenses bans sources
echo "supply-chain: no unaccepted advisory, licence, banned crate or source (database $db)"
