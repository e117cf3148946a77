# Shared by scripts/run and scripts/test: installs what is missing, skipping what is there.
# Nothing here downloads from anywhere but the package registries (crates.io, npm, Debian).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$ROOT/tools/node_modules/.bin:$CARGO_BIN:$PATH"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"

# Each step says how long the command has run so far (where a slow run spends its time).
say() { printf '\033[1;31m==>\033[0m [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing Trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    say "installing wasm-bindgen-cli $wbg (a few minutes, once)"
    # Not --locked: one of its pinned dependencies is no longer in the registry.
    cargo install wasm-bindgen-cli --version "$wbg"
  fi
  if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
    say "installing wasm-opt (npm's binaryen $BINARYEN_VERSION)"
    npm ci --prefix "$ROOT/tools" --no-audit --no-fund --loglevel=error
  fi
}

ensure_browser_tools() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # Installed again when the lock file changed since (a package added, as axe-core was).
  local e2e="$ROOT/tests/e2e"
  if [ ! -x "$e2e/node_modules/.bin/playwright" ] || [ ! -f "$e2e/node_modules/.package-lock.json" ] \
    || [ "$e2e/package-lock.json" -nt "$e2e/node_modules/.package-lock.json" ]; then
    say "installing Playwright and axe-core (Playwright uses Debian's chromium; no browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$e2e" --no-audit --no-fund --loglevel=error
  fi
}

# Builds the client with Trunk (release) unless its inputs are unchanged since the last build.
# A hash of everything the client is built from (its crates, styles, build settings).
client_inputs_hash() {
  (cd "$ROOT" && find app engine domain style -type f -not -path '*/node_modules/*' -print0 \
    | sort -z | xargs -0 sha256sum \
    | cat - Trunk.toml Cargo.toml Cargo.lock .cargo/config.toml rust-toolchain.toml \
    | sha256sum | cut -d' ' -f1)
}

# Builds the client into DIR (default dist/) unless its inputs are unchanged since the last
# build there: the main build (its page loading the app after the first paint), the staff build
# in DIR/staff/, DIR/sw.js listing both, and the precompressed copies.
build_client() {
  local dir="${1:-$ROOT/dist}" inputs stamp
  stamp="$ROOT/target/client-inputs-$(basename "$dir").sha256"
  inputs="$(client_inputs_hash)"
  if [ -f "$dir/index.html" ] && [ -f "$dir/staff/index.html" ] && [ -f "$stamp" ] \
    && [ "$(cat "$stamp")" = "$inputs" ]; then
    say "client is up to date ($dir)"
    return
  fi
  say "building the client into $dir (Trunk, release): the main build, the staff build, the service worker"
  (cd "$ROOT" && export CARGO_TARGET_DIR="$(client_target_dir)" && trunk build --dist "$dir" \
    && trunk build app/staff.html --dist "$dir/staff" --public-url /staff/ \
    && node app/build/first-paint.mjs "$dir" \
    && node app/build/stamp-sw.mjs "$dir" && node app/build/precompress.mjs "$dir")
  mkdir -p "$ROOT/target" && echo "$inputs" >"$stamp"
}

# The client's own target folder. Nothing else builds for wasm32 with its profile, so it shares
# nothing by being apart, and a folder of its own lets it build beside a native build (cargo
# locks a target folder for the length of a build).
client_target_dir() {
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/client"
}

build_server() {
  say "building the server (release)"
  (cd "$ROOT" && cargo build --release --locked -p server)
}

# The browser benchmark's packages (Dexie, Playwright, Lighthouse; no browser download). The
# benchmark's wasm32 half is built against bench/web/dexie.js, which their install writes.
ensure_bench_web() {
  local web="$ROOT/bench/web"
  if [ ! -f "$web/dexie.js" ] || [ ! -f "$web/node_modules/.package-lock.json" ] \
    || [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    say "installing the browser benchmark's packages (Dexie, Playwright, Lighthouse; no browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$web" --no-audit --no-fund --loglevel=error
  fi
}

# The server and the benchmark in one build (one set of features for the crates they share,
# so nothing is built twice), and the benchmark's browser half for wasm32.
build_server_and_bench() {
  ensure_bench_web
  say "building the server and the benchmark (release; the benchmark's browser half for wasm32)"
  (cd "$ROOT" && cargo build --release --locked -p server -p bench \
    && cargo test -p bench --target wasm32-unknown-unknown --release --locked \
      --test idb_vs_dexie --test verify_draw --no-run)
}

# Builds the client into DIR (as build_client does) while running the rest of the arguments, a
# native build, beside it: the client's last steps (its link-time optimisation, wasm-bindgen,
# wasm-opt) keep one core busy, and the native build fills the other. The client's output is
# shown once both are done; if either fails, this fails.
build_beside_client() {
  local dir="$1" log pid status=0
  shift
  log="$(mktemp)"
  build_client "$dir" >"$log" 2>&1 &
  pid=$!
  "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -f "$log"
    return "$status"
  fi
  wait "$pid" || status=$?
  cat "$log"
  rm -f "$log"
  [ "$status" -eq 0 ] || say "the client's build failed (above)"
  return "$status"
}
