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
size=$(stat -c %s "$out/assets/$hash/app_bg.wasm")
echo "SPA built: $out (wasm $((size / 1024)) KiB)" >&2
