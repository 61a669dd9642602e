#!/usr/bin/env bash
# Builds what the benchmarks need and prints their figures. Everything runs against fakes on
# loopback; nothing here calls the real API. Needs curl; installs the provider's Python SDK
# into target/bench-venv for the comparison (skipped with a note if PyPI is unreachable).
# XINGTU_DASH_BASELINE=/path/to/an/older/xingtu-dash adds that build's figures at 10,000
# items to the same run, with the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
log="$target/bench-build.log"
mkdir -p "$target"

run_quietly() {
  if ! "$@" >>"$log" 2>&1; then
    echo "failed: $* (see $log)" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

: >"$log"
run_quietly cargo build --release --locked
run_quietly cargo bench --no-run --locked

# The installed binary: debug info is stripped from release builds (Cargo.toml).
size=$(stat -c %s "$target/release/xingtu-dash")
echo "release binary: $((size / 1024 / 1024)) MB ($size bytes; target <= 20 MB)"
if [ "$size" -gt $((20 * 1024 * 1024)) ]; then
  echo "failed: the release binary is larger than 20 MB" >&2
  exit 1
fi

if [ ! -x "$target/bench-venv/bin/python" ]; then
  python3 -m venv "$target/bench-venv" >>"$log" 2>&1 || true
fi
if [ -x "$target/bench-venv/bin/python" ]; then
  "$target/bench-venv/bin/pip" install -q justoneapi >>"$log" 2>&1 || echo "note: could not install the justoneapi SDK; SDK figures skipped"
fi
command -v curl >/dev/null || echo "note: curl not found; install it for the curl comparison"

for bench in cli ui history campaign team; do
  cargo bench --locked --bench "$bench" 2>>"$log" | grep -v -e '^$' -e '^running' -e '^test result'
done
