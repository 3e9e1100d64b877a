#!/usr/bin/env bash
# Conformance of a running deskapi-mock to the OpenAPI specs in openapi/ (schemathesis).
#
#   MOCK_URL=http://127.0.0.1:PORT .ci/spec/mock_conformance.sh [conformance.py options]
#
# Start the mock first with a limit high enough not to throttle the fuzzing; not `--rate-limit off`,
# which also drops the X-RateLimit-* headers the specs require:
#   target/debug/deskapi-mock --port 0 --rate-limit 1000000/1m   # first line: listening on http://HOST:PORT
# Or let this script start it: MOCK_BIN=target/debug/deskapi-mock .ci/spec/mock_conformance.sh
#
# Tools come from .ci/spec/requirements.txt; set SPEC_VENV to a venv holding them
# (default /tmp/specvenv), or put them on PATH. Details: .ci/spec/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SPEC_VENV:-/tmp/specvenv}"
if [[ -x "$venv/bin/python" ]]; then py="$venv/bin/python"; else py="python3"; fi

mock_pid=""
cleanup() {
  if [[ -n "$mock_pid" ]]; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [[ -z "${MOCK_URL:-}" && -n "${MOCK_BIN:-}" ]]; then
  out="$(mktemp)"
  err="$(mktemp)"
  "$MOCK_BIN" --port 0 --rate-limit "${MOCK_RATE_LIMIT:-1000000/1m}" >"$out" 2>"$err" &
  mock_pid=$!
  for _ in $(seq 1 100); do
    line="$(head -n 1 "$out" 2>/dev/null || true)"
    if [[ "$line" == "listening on "* ]]; then break; fi
    if ! kill -0 "$mock_pid" 2>/dev/null; then
      echo "mock_conformance: $MOCK_BIN exited early:" >&2; cat "$out" "$err" >&2; exit 2
    fi
    sleep 0.1
  done
  if [[ "${line:-}" != "listening on "* ]]; then
    echo "mock_conformance: $MOCK_BIN printed no 'listening on' line" >&2; cat "$out" "$err" >&2; exit 2
  fi
  MOCK_URL="${line#listening on }"
  echo "mock_conformance: started $MOCK_BIN at $MOCK_URL (pid $mock_pid)"
fi

if [[ -z "${MOCK_URL:-}" ]]; then
  echo "mock_conformance: set MOCK_URL (or MOCK_BIN to start the mock)" >&2
  exit 2
fi

export MOCK_URL
"$py" "$here/conformance.py" "$@"
