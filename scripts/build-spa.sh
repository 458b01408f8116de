#!/usr/bin/env bash
# Builds the Leptos SPA into frontend/dist (or $SPA_OUT): wasm32 release build, WASM splitting,
# wasm-bindgen, wasm-opt, then everything under assets/<content hash>/ so the server can cache it
# forever. The portals' code is split into modules of their own that load on first use
# (frontend/src/portals.rs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile="${SPA_PROFILE:-wasm-release}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

# `erase_components` makes Leptos erase the types of components and routes (every view an
# `AnyView`) instead of compiling one copy of the rendering code per nested view type: about a
# quarter less WASM (first load 299 -> 268 KiB brotli, the admin portal 425 -> 369 KiB,
# 2026-12-02). It is a cfg of the whole dependency graph (a one-time rebuild of the wasm32
# dependencies), set here only, so clippy's build for wasm32 keeps its own.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:---cfg erase_components}"
# `--emit-relocs` keeps the linker's relocations, which wasm-split-cli needs to move each portal's
# functions out of the first module. It is passed to the final link only (`cargo rustc`), so the
# dependencies stay the ones `cargo build` made.
cargo rustc -p rxgate-frontend --bin rxgate-frontend --target wasm32-unknown-unknown --profile "$profile" \
    -- -Clink-args=--emit-relocs
wasm="$target_dir/wasm32-unknown-unknown/$profile/rxgate-frontend.wasm"

stage=$(mktemp -d)
split=$(mktemp -d)
trap 'rm -rf "$stage" "$split"' EXIT
# The first module (app.wasm, app_bg.wasm after wasm-bindgen), one split_<portal>.wasm per portal,
# chunk_<n>.wasm for code several portals share, and the loader __wasm_split.js that fetches them
# (relative to itself) the first time someone opens a page of the portal.
wasm-split-cli --target web --out-name app "$wasm" "$split"
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle --out-dir "$stage" \
    --out-name app "$split/app.wasm"
rm "$split/app.wasm"
cp "$split"/* "$stage/"

wasm_opt="$root/e2e/node_modules/.bin/wasm-opt"
if [ -x "$wasm_opt" ]; then
    # Every module on its own, as many at once as there are cores (binaryen's wasm-opt runs in
    # node: its start-up, not the small chunks, is most of the time).
    find "$stage" -name '*.wasm' -print0 \
        | xargs -0 -P "$(nproc)" -I{} "$wasm_opt" -Oz --enable-bulk-memory \
            --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
            --enable-multivalue --enable-mutable-globals {} -o {} \
            2> >(grep -v 'unknown name subsection' >&2)
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

echo "SPA built: $out" >&2
# Sizes as brotli, as the browser is sent them. The first load of every page (home and sign-in
# included) is the first module with its JS and CSS; the first visit to a portal adds its split
# module and the shared chunks it needs (the loader lists them). Targets from issue #10.
python3 - "$out/assets/$hash" "${SPA_FIRST_LOAD_KB:-300}" "${SPA_PORTAL_KB:-400}" <<'PY'
import pathlib, re, sys

assets, first_kb, portal_kb = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])


def size(name, ext=""):
    return (assets / (name + ext)).stat().st_size


def kib(n):
    return (n + 1023) // 1024


failed = False
for f in sorted(assets.iterdir()):
    if f.suffix in (".wasm", ".js", ".css"):
        print(f"build-spa: {f.name:18} {size(f.name):8} B raw {size(f.name, '.gz'):8} B gzip "
              f"{size(f.name, '.br'):8} B brotli", file=sys.stderr)

first = ["app_bg.wasm", "app.js", "__wasm_split.js", "boot.js", "styles.css"]
total = kib(sum(size(f, ".br") for f in first))
print(f"build-spa: first load {total:4} KiB brotli ({', '.join(first)}); target {first_kb} KiB",
      file=sys.stderr)
if total > first_kb:
    print(f"build-spa: the first load is over {first_kb} KiB", file=sys.stderr)
    failed = True

loader = (assets / "__wasm_split.js").read_text()
portals = re.findall(
    r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\((.*?), \[(.*?)\]\)\);",
    loader, re.S)
if not portals:
    print("build-spa: the loader names no split module", file=sys.stderr)
    failed = True
for name, fetch, deps in sorted(portals):
    files = re.findall(r'"\./(\w+\.wasm)"', fetch)
    files += [f"chunk_{n}.wasm" for n in re.findall(r"__chunk_(\d+)", deps)]
    total = kib(sum(size(f, ".br") for f in files))
    print(f"build-spa: portal {name:10} {total:4} KiB brotli ({', '.join(files) or 'empty'}); "
          f"target {portal_kb} KiB", file=sys.stderr)
    if total > portal_kb:
        print(f"build-spa: the {name} portal is over {portal_kb} KiB", file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
PY
