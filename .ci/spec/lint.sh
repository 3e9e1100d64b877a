#!/usr/bin/env bash
# Static checks of the API contract in openapi/ (no server needed).
#   1. openapi-spec-validator on the four OpenAPI 3.1 files;
#   2. a structural check of the AsyncAPI 3.0 chat protocol;
#   3. the project rules (operationIds exactly once, refs, x-inferred reasons, shared
#      definitions between the two Next Cap specs, ...).
# Tools come from .ci/spec/requirements.txt; set SPEC_VENV to a venv holding them
# (default /tmp/specvenv), or put them on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${SPEC_VENV:-/tmp/specvenv}"
if [[ -x "$venv/bin/python" ]]; then
  py="$venv/bin/python"
  validator="$venv/bin/openapi-spec-validator"
else
  py="python3"
  validator="openapi-spec-validator"
fi

cd "$root"
status=0

for spec in openapi/nextcap-data.yaml openapi/nextcap-crm.yaml openapi/nexadesk.yaml openapi/deskhive.yaml; do
  if ! "$validator" "$spec"; then
    status=1
  fi
done

if ! "$py" "$here/check_asyncapi.py" openapi/nextcap-chat.yaml; then
  status=1
fi

if ! "$py" "$here/check_contract.py"; then
  status=1
fi

if [[ $status -ne 0 ]]; then
  echo "lint: FAILED" >&2
else
  echo "lint: OK"
fi
exit $status
