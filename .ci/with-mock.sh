#!/usr/bin/env bash
# Usage: .ci/with-mock.sh MOCK_BINARY COMMAND [ARGS...]
# Starts the standalone mock on a free port with rate limits off, exports MOCK_URL from its
# first stdout line (`listening on http://HOST:PORT`), runs COMMAND, and always stops the mock.
set -euo pipefail
bin="$1"; shift
log="$(mktemp)"
"$bin" --port 0 --rate-limit off >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
    line="$(head -n 1 "$log" 2>/dev/null || true)"
    case "$line" in
        "listening on http://"*) break ;;
    esac
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "the mock exited before listening:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.1
done
case "${line:-}" in
    "listening on http://"*) ;;
    *) echo "the mock did not print its address in time:" >&2; cat "$log" >&2; exit 1 ;;
esac
export MOCK_URL="${line#listening on }"
echo "mock at $MOCK_URL"
"$@"
