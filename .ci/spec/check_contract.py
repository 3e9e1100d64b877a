#!/usr/bin/env python3
"""Project rules for the contract that a generic OpenAPI validator does not know.

- every operationId of expected-operations.json is present exactly once in its spec, and no
  other operationId exists (this covers the AsyncAPI operations too);
- no duplicate YAML keys; every local $ref resolves;
- every `x-inferred: true` carries a non-empty `x-inferred-reason`;
- every authenticated operation documents 401 and 429, every operation a success response,
  and every success response of an authenticated operation the X-RateLimit-* headers;
- every spec has a mock server `http://127.0.0.1:{port}/...` with a `port` variable;
- nextcap-crm.yaml repeats shared definitions of nextcap-data.yaml: they must be identical;
- CRM operations carry `x-permissions.anyOf`; `x-status-transitions` uses only ticket statuses;
- the webhook sections list exactly the events of each API's event-name enum;
- every response `links` entry targets an existing operationId and names its parameters.

Exit status 1 with one line per problem, 0 when everything holds.
"""

from __future__ import annotations

import re
import sys

import specs

RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
SHARED_COMPONENT_SECTIONS = ("schemas", "headers", "parameters")


class Problems(list):
    def add(self, where: str, msg: str) -> None:
        self.append(f"{where}: {msg}")


def check_operation_ids(name: str, found: list[str], expected: list[str], problems: Problems) -> None:
    for op_id in expected:
        n = found.count(op_id)
        if n == 0:
            problems.add(name, f"operationId {op_id} is missing")
        elif n > 1:
            problems.add(name, f"operationId {op_id} occurs {n} times")
    for op_id in sorted(set(found) - set(expected)):
        problems.add(name, f"operationId {op_id!r} is not in expected-operations.json")


def check_refs_and_inferred(name: str, doc, problems: Problems) -> None:
    for path, node in specs.walk(doc):
        where = f"{name} /{'/'.join(path)}"
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                specs.resolve_pointer(doc, ref)
            except (KeyError, IndexError, ValueError):
                problems.add(where, f"$ref {ref} does not resolve")
        if node.get("x-inferred") is True:
            reason = node.get("x-inferred-reason")
            if not isinstance(reason, str) or not reason.strip():
                problems.add(where, "x-inferred without x-inferred-reason")
        elif "x-inferred" in node:
            problems.add(where, "x-inferred must be the boolean true")
        elif "x-inferred-reason" in node:
            problems.add(where, "x-inferred-reason without x-inferred: true")


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = specs.resolve_pointer(doc, node["$ref"])
    return node


def check_operations(name: str, doc, problems: Problems) -> None:
    global_security = doc.get("security", [])
    for path, item in doc.get("paths", {}).items():
        templated = set(re.findall(r"{([^}]+)}", path))
        for method in specs.HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            where = f"{name} {method.upper()} {path}"
            responses = op.get("responses", {})
            success = [code for code in responses if str(code)[0] in "23"]
            if not success:
                problems.add(where, "no success response")
            authenticated = bool(op.get("security", global_security))
            if authenticated:
                for code in ("401", "429"):
                    if code not in responses:
                        problems.add(where, f"missing {code} response")
                for code in success:
                    headers = deref(doc, responses[code]).get("headers", {})
                    for header in RATE_LIMIT_HEADERS:
                        if header not in headers:
                            problems.add(where, f"{code} response lacks the {header} header")
            params = [deref(doc, p) for p in item.get("parameters", []) + op.get("parameters", [])]
            declared = {p.get("name") for p in params if p.get("in") == "path"}
            for var in sorted(templated - declared):
                problems.add(where, f"path parameter {{{var}}} is not declared")
            for var in sorted(declared - templated):
                problems.add(where, f"path parameter {var} is not in the path")


def check_links(name: str, doc, problems: Problems) -> None:
    """Links drive schemathesis's stateful phase; a dangling one silently tests nothing."""
    params_by_op = {}
    for path, item in doc.get("paths", {}).items():
        for method in specs.HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                params = [deref(doc, p) for p in item.get("parameters", []) + op.get("parameters", [])]
                params_by_op[op.get("operationId")] = {(p.get("in"), p.get("name")) for p in params}
    for path, item in doc.get("paths", {}).items():
        for method in specs.HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            for code, response in op.get("responses", {}).items():
                for link_name, link in (response.get("links") or {}).items():
                    where = f"{name} {op.get('operationId')} {code} links/{link_name}"
                    target = link.get("operationId")
                    if target not in params_by_op:
                        problems.add(where, f"operationId {target} does not exist")
                        continue
                    for param in link.get("parameters", {}):
                        location, _, pname = param.rpartition(".")
                        known = params_by_op[target]
                        if (location and (location, pname) not in known) or \
                                (not location and pname not in {n for _, n in known}):
                            problems.add(where, f"{target} has no parameter {param}")


def check_servers(name: str, doc, problems: Problems) -> None:
    mock = [
        s for s in doc.get("servers", [])
        if s.get("url", "").startswith("http://127.0.0.1:{port}/") and "port" in s.get("variables", {})
    ]
    if not mock:
        problems.add(name, "no mock server http://127.0.0.1:{port}/... with a `port` variable")
    real = [s for s in doc.get("servers", []) if s.get("url", "").startswith("https://")]
    if not real:
        problems.add(name, "no https server for the real API")


def check_shared_with_data(data, crm, problems: Problems) -> None:
    """nextcap-crm.yaml repeats definitions of nextcap-data.yaml; they must not drift apart."""
    for section in SHARED_COMPONENT_SECTIONS:
        d = data.get("components", {}).get(section, {})
        c = crm.get("components", {}).get(section, {})
        for key in sorted(set(d) & set(c)):
            if d[key] != c[key]:
                problems.add("nextcap-crm", f"components/{section}/{key} differs from nextcap-data.yaml")
    for event, item in (crm.get("webhooks") or {}).items():
        if event not in (data.get("webhooks") or {}):
            problems.add("nextcap-crm", f"webhook {event} is not defined in nextcap-data.yaml")
        elif item != data["webhooks"][event]:
            problems.add("nextcap-crm", f"webhook {event} differs from nextcap-data.yaml")
    if crm.get("x-webhook-signature") != data.get("x-webhook-signature"):
        problems.add("nextcap-crm", "x-webhook-signature differs from nextcap-data.yaml")


def check_crm_rules(crm, problems: Problems) -> None:
    statuses = set(crm["components"]["schemas"]["TicketStatus"]["enum"])
    for op in specs.openapi_operations(crm):
        node = crm["paths"][op["path"]][op["method"].lower()]
        perms = node.get("x-permissions")
        if not (isinstance(perms, dict) and isinstance(perms.get("anyOf"), list) and perms["anyOf"]):
            problems.add(f"nextcap-crm {op['operationId']}", "missing x-permissions.anyOf")
        transitions = node.get("x-status-transitions")
        if transitions is not None:
            if set(transitions) != statuses:
                problems.add("nextcap-crm x-status-transitions", "keys must be exactly the ticket statuses")
            for source, targets in transitions.items():
                for target in targets:
                    if target not in statuses or target == source:
                        problems.add("nextcap-crm x-status-transitions", f"{source} -> {target} is not valid")
    update = crm["paths"]["/external/crm/tickets/{id}"]["patch"]
    if "x-status-transitions" not in update:
        problems.add("nextcap-crm updateCrmTicket", "missing x-status-transitions")


def check_webhook_events(name: str, doc, enum_path: str, problems: Problems) -> None:
    events = set(specs.resolve_pointer(doc, enum_path))
    declared = set((doc.get("webhooks") or {}).keys())
    for missing in sorted(events - declared):
        problems.add(name, f"webhook event {missing} has no entry under `webhooks`")
    for extra in sorted(declared - events):
        problems.add(name, f"webhook {extra} is not in {enum_path}")


def main() -> int:
    problems = Problems()
    expected = specs.expected_operations()
    docs = {}
    for name, path in {**specs.OPENAPI_SPECS, **specs.ASYNCAPI_SPECS}.items():
        try:
            docs[name] = specs.load(path)
        except (OSError, specs.yaml.YAMLError) as e:
            problems.add(name, f"cannot load {path}: {e}")

    for name in specs.OPENAPI_SPECS:
        doc = docs.get(name)
        if doc is None:
            continue
        found = [op["operationId"] for op in specs.openapi_operations(doc)]
        check_operation_ids(name, found, expected[name], problems)
        check_refs_and_inferred(name, doc, problems)
        check_operations(name, doc, problems)
        check_servers(name, doc, problems)
        check_links(name, doc, problems)

    for name in specs.ASYNCAPI_SPECS:
        doc = docs.get(name)
        if doc is not None:
            found = [op["operationId"] for op in specs.asyncapi_operations(doc)]
            check_operation_ids(name, found, expected[name], problems)

    if "nextcap-data" in docs and "nextcap-crm" in docs:
        check_shared_with_data(docs["nextcap-data"], docs["nextcap-crm"], problems)
        check_crm_rules(docs["nextcap-crm"], problems)
    if "nextcap-data" in docs:
        check_webhook_events("nextcap-data", docs["nextcap-data"],
                             "#/components/schemas/WebhookEventName/enum", problems)
    if "nexadesk" in docs:
        check_webhook_events("nexadesk", docs["nexadesk"],
                             "#/components/schemas/WebhookEnvelope/properties/event/enum", problems)

    for line in problems:
        print(f"contract: {line}", file=sys.stderr)
    if problems:
        print(f"contract: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    counts = ", ".join(f"{k} {len(v)}" for k, v in expected.items())
    print(f"contract: OK ({counts} operations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
