#!/usr/bin/env python3
"""Run schemathesis against a running deskapi-mock, one API at a time.

For each OpenAPI spec the mock serves: read the demo keys (`GET /__mock/keys`) and the
operations the mock implements (`GET /__mock/operations`), pick an active key with the widest
rights, reset the mock to its fixtures, and run schemathesis on the served operations with the
checks not_a_server_error, status_code_conformance, content_type_conformance,
response_headers_conformance and response_schema_conformance. The stateful phase follows the
specs' OpenAPI `links` (list -> get/update/...), so operations on existing fixtures are tested
with real IDs, not only with random ones that get 404. Spec operations the mock does
not serve are printed as "known gaps" (they fail the run only with --fail-on-gaps).

Usage: conformance.py [--mock-url URL] [--api NAME]... [--max-examples N] [--fail-on-gaps]
                      [--all-operations]
Environment: MOCK_URL, SPEC_VENV, CONFORMANCE_MAX_EXAMPLES, CONFORMANCE_WORKERS,
CONFORMANCE_RUN_TIMEOUT (seconds per API), CONFORMANCE_REPORT_DIR, and
CONFORMANCE_KEY_<API> (e.g. CONFORMANCE_KEY_NEXTCAP_DATA) to force a key.
Exit status: 0 all served operations conform; 1 failures; 2 the mock or a tool is unusable.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import specs

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])

# API name -> (path prefix on the mock, auth header name, header value template)
APIS = {
    "nextcap-data": ("/nextcap/api/v1", "X-Api-Key", "{key}"),
    "nextcap-crm": ("/nextcap/api/v1", "X-Api-Key", "{key}"),
    "nexadesk": ("/nexadesk/api/v1/external", "Authorization", "Bearer {key}"),
    "deskhive": ("/deskhive/api/v1", "X-API-KEY", "{key}"),
}

PRIVILEGED_ROLES = ("owner", "admin")


class Unusable(Exception):
    """The mock or the tooling cannot be used at all (exit status 2)."""


def http_json(method: str, url: str, timeout: float = 10.0):
    req = urllib.request.Request(url, method=method, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        body = resp.read()
    return json.loads(body) if body else None


def fetch_control(mock_url: str, path: str, wait_seconds: float = 30.0):
    """GET a control endpoint, waiting for the mock to come up."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return http_json("GET", mock_url + path)
        except urllib.error.HTTPError as e:
            raise Unusable(f"GET {path} answered {e.code}; the mock must implement it "
                           "(or pass --all-operations to test every spec operation)") from e
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            if time.monotonic() > deadline:
                raise Unusable(f"cannot reach {mock_url}{path}: {e}") from e
            time.sleep(0.5)


def default_workers() -> str:
    # CPython 3.11's `ast` keeps its recursion counter per interpreter, so hypothesis parsing
    # lambda sources in two schemathesis workers at once fails with "AST constructor recursion
    # depth mismatch" now and then. This script runs in the same venv as schemathesis.
    return "2" if sys.version_info >= (3, 12) else "1"


def key_rank(entry: dict) -> tuple:
    role = str(entry.get("role") or "").lower()
    label = str(entry.get("label") or "").lower()
    perms = entry.get("permissions") or []
    perm_text = " ".join(map(str, perms)).lower()
    privileged = any(r in role for r in PRIVILEGED_ROLES)
    writes = "write" in role or "write" in perm_text or "manage" in perm_text
    # Desk Hive's external API takes only external (agent) keys.
    internal = "internal" in role or "internal" in label
    # Next Cap keys carry their organisation's plan; a key below Enterprise is refused on part
    # of the API by design, so it is no key to test the whole contract with.
    plan = {"enterprise": 2, "pro": 1, "free": 0}.get(str(entry.get("plan") or "enterprise"), 0)
    return (not internal, plan, privileged, writes, len(perms))


def choose_key(keys: list[dict], api: str) -> dict | None:
    override = os.environ.get("CONFORMANCE_KEY_" + api.upper().replace("-", "_"))
    if override:
        return {"key": override, "api": api, "label": "from environment"}
    candidates = [k for k in keys if k.get("api") == api and k.get("active") is True and k.get("key")]
    if not candidates:
        return None
    return max(candidates, key=key_rank)


def find_schemathesis() -> str:
    venv = Path(os.environ.get("SPEC_VENV", "/tmp/specvenv"))
    candidate = venv / "bin" / "schemathesis"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("schemathesis") or shutil.which("st")
    if not found:
        raise Unusable("schemathesis not found: install .ci/spec/requirements.txt (see README.md)")
    return found


def served_spec(spec: Path, served: list[str], out_dir: Path) -> Path:
    """A copy of `spec` whose response `links` point only at served operations.

    Schemathesis's stateful phase refuses a link whose target operation was filtered out
    ("Missing Open API links"); the contract keeps every link, and the copy drops only those
    the mock cannot follow yet, so the stateful tests grow by themselves as the mock does.
    """
    import yaml

    doc = specs.load(spec)
    keep = set(served)
    dropped = 0
    for item in doc.get("paths", {}).values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for response in op.get("responses", {}).values():
                links = response.get("links") if isinstance(response, dict) else None
                if not links:
                    continue
                for name in [n for n, link in links.items() if link.get("operationId") not in keep]:
                    del links[name]
                    dropped += 1
                if not links:
                    del response["links"]
    out = out_dir / f"{spec.stem}.served.yaml"
    out.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if dropped:
        print(f"{spec.name}: {dropped} link(s) to operations the mock does not serve yet left out of this run")
    return out


def run_api(api: str, spec: Path, served: list[str], key: dict, mock_url: str,
            args, st: str, report_dir: Path) -> bool:
    prefix, header, template = APIS[api]
    spec = served_spec(spec, served, report_dir)
    base_url = mock_url + prefix
    regex = "^(?:" + "|".join(sorted(served)) + ")$"
    cmd = [
        st, "run", str(spec),
        "--url", base_url,
        "--header", f"{header}: {template.format(key=key['key'])}",
        "--checks", CHECKS,
        "--include-operation-id-regex", regex,
        "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", str(args.max_examples),
        "--workers", str(args.workers),
        "--seed", str(args.seed),
        "--generation-with-security-parameters", "false",
        "--generation-database", "none",
        "--suppress-health-check", "all",
        "--max-redirects", "0",
        "--request-timeout", "10",
        "--no-color",
        "--report", "junit",
        "--report-junit-path", str(report_dir / f"{api}.junit.xml"),
    ]
    label = key.get("label") or key.get("role") or "?"
    print(f"\n=== {api}: {len(served)} operation(s) at {base_url} with key '{label}'", flush=True)
    try:
        http_json("POST", mock_url + "/__mock/reset")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
        print(f"warning: POST /__mock/reset failed ({e}); testing against the current state")
    try:
        proc = subprocess.run(cmd, timeout=args.run_timeout, check=False)
    except subprocess.TimeoutExpired:
        print(f"FAIL {api}: schemathesis did not finish within {args.run_timeout} s")
        return False
    if proc.returncode != 0:
        print(f"FAIL {api}: schemathesis exit status {proc.returncode}")
        return False
    print(f"PASS {api}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mock-url", default=os.environ.get("MOCK_URL"))
    parser.add_argument("--api", action="append", choices=sorted(APIS), help="only these APIs (repeatable)")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("CONFORMANCE_MAX_EXAMPLES", "30")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("CONFORMANCE_WORKERS", default_workers())))
    parser.add_argument("--run-timeout", type=int, default=int(os.environ.get("CONFORMANCE_RUN_TIMEOUT", "180")))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fail-on-gaps", action="store_true")
    parser.add_argument("--all-operations", action="store_true",
                        help="test every spec operation; for a mock without GET /__mock/operations")
    parser.add_argument("--report-dir", default=os.environ.get(
        "CONFORMANCE_REPORT_DIR", str(specs.ROOT / "target" / "spec-conformance")))
    args = parser.parse_args()
    if not args.mock_url:
        parser.error("set MOCK_URL or pass --mock-url (the URL the mock prints: listening on http://HOST:PORT)")
    mock_url = args.mock_url.rstrip("/")

    try:
        st = find_schemathesis()
        keys = fetch_control(mock_url, "/__mock/keys")
        if args.all_operations:
            served_ops = [
                {"api": api, "operation_id": op["operationId"], "method": op["method"], "path": op["path"]}
                for api, path in specs.OPENAPI_SPECS.items()
                for op in specs.openapi_operations(specs.load(path))
            ]
        else:
            served_ops = fetch_control(mock_url, "/__mock/operations")
    except Unusable as e:
        print(f"conformance: {e}", file=sys.stderr)
        return 2
    if not isinstance(keys, list) or not isinstance(served_ops, list):
        print("conformance: /__mock/keys and /__mock/operations must return JSON arrays", file=sys.stderr)
        return 2

    report_dir = Path(args.report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, str] = {}
    gaps: dict[str, list[str]] = {}
    ok = True

    for api in args.api or list(APIS):
        spec_path = specs.OPENAPI_SPECS[api]
        spec_ops = {op["operationId"]: op for op in specs.openapi_operations(specs.load(spec_path))}
        mock_ops = {o.get("operation_id"): o for o in served_ops if o.get("api") == api}
        for op_id, entry in sorted(mock_ops.items()):
            if op_id not in spec_ops:
                print(f"warning: {api}: the mock serves {op_id}, which is not in {spec_path.name}")
            elif str(entry.get("method", "")).upper() != spec_ops[op_id]["method"]:
                print(f"warning: {api}: {op_id} is {entry.get('method')} on the mock, "
                      f"{spec_ops[op_id]['method']} in the spec")
        served = sorted(set(spec_ops) & set(mock_ops))
        gaps[api] = sorted(set(spec_ops) - set(mock_ops))
        if not served:
            results[api] = "skipped (the mock serves none of its operations)"
            continue
        key = choose_key(keys, api)
        if key is None:
            results[api] = "FAIL (no active key for this API in /__mock/keys)"
            ok = False
            continue
        passed = run_api(api, spec_path, served, key, mock_url, args, st, report_dir)
        results[api] = f"{'PASS' if passed else 'FAIL'} ({len(served)} operations)"
        ok = ok and passed

    print("\n=== summary")
    for api, result in results.items():
        print(f"{api}: {result}")
    print("\n=== known gaps (in the spec, not served by the mock)")
    any_gap = False
    for api, missing in gaps.items():
        for op_id in missing:
            any_gap = True
            op = specs.openapi_operations(specs.load(specs.OPENAPI_SPECS[api]))
            where = next((f"{o['method']} {o['path']}" for o in op if o["operationId"] == op_id), "")
            print(f"{api}: {op_id}  {where}")
    if not any_gap:
        print("(none)")
    if any_gap and args.fail_on_gaps:
        ok = False
    print(f"\njunit reports: {report_dir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
