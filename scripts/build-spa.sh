#!/usr/bin/env bash
# Builds the Leptos SPA into frontend/dist (or $SPA_OUT): wasm32 release build, wasm-bindgen, wasm-opt, then
# everything under assets/<content hash>/ so the server can cache it forever.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile="${SPA_PROFILE:-wasm-release}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

cargo build -p rxgate-frontend --target wasm32-unknown-unknown --profile "$profile"
wasm="$target_dir/wasm32-unknown-unknown/$profile/rxgate-frontend.wasm"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name app "$wasm"

wasm_opt="$root/e2e/node_modules/.bin/wasm-opt"
if [ -x "$wasm_opt" ]; then
    "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-reference-types --enable-multivalue --enable-mutable-globals \
        "$stage/app_bg.wasm" -o "$stage/app_bg.wasm"
else
    echo "build-spa: binaryen's wasm-opt not installed (just tools); skipping size optimisation" >&2
fi

cp frontend/static/* "$stage/"
printf "import init from './app.js';\ninit();\n" > "$stage/boot.js"

hash=$(cd "$stage" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
out="${SPA_OUT:-$root/frontend/dist}"
rm -rf "$out"
mkdir -p "$out/assets/$hash"
cp -r "$stage"/. "$out/assets/$hash/"
sed "s#{{ASSETS}}#/assets/$hash#g" frontend/index.html > "$out/index.html"

# Precompress every asset next to itself (x.br at brotli quality 11, x.gz at gzip -9): the server
# sends these files as they are (crates/api/src/spa.rs), so no request waits for compression.
python3 - "$out/assets/$hash" <<'PY'
import pathlib, sys
import brotli
for f in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    if f.is_file() and f.suffix not in (".br", ".gz"):
        f.with_name(f.name + ".br").write_bytes(brotli.compress(f.read_bytes(), quality=11))
PY
find "$out/assets/$hash" -type f ! -name '*.br' ! -name '*.gz' -exec gzip -9 -n -k -f {} +

# The first load of every page (home and sign-in included): wasm + js + css, as brotli.
# SPA_BUDGET_KB is today's size (811 KiB, 2026-12-02) plus a small margin, so growth fails the
# build; the issue's target is 300 KB, which needs code splitting (not done yet).
budget_kb="${SPA_BUDGET_KB:-850}"
target_kb=300
first_load=(app_bg.wasm app.js boot.js styles.css)
total=0
for f in "${first_load[@]}"; do
    raw=$(stat -c %s "$out/assets/$hash/$f")
    br=$(stat -c %s "$out/assets/$hash/$f.br")
    gz=$(stat -c %s "$out/assets/$hash/$f.gz")
    total=$((total + br))
    printf 'build-spa: %-12s %8d B raw  %8d B gzip  %8d B brotli\n' "$f" "$raw" "$gz" "$br" >&2
done
total_kb=$(( (total + 1023) / 1024 ))
echo "SPA built: $out" >&2
echo "build-spa: first load (wasm+js+css) ${total_kb} KiB brotli; budget ${budget_kb} KiB; target ${target_kb} KiB" >&2
if [ "$total_kb" -gt "$budget_kb" ]; then
    echo "build-spa: first load ${total_kb} KiB brotli is over the budget of ${budget_kb} KiB" >&2
    exit 1
fi
