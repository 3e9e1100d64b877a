"""Shared helpers for the contract checks: where the specs live and how to read them.

The specs are plain YAML, but PyYAML silently keeps the last of two equal mapping keys, which
would hide a copy-paste mistake in a spec; `load` refuses duplicate keys instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OPENAPI_DIR = ROOT / "openapi"

# API name (as used by the mock's control API) -> spec file.
OPENAPI_SPECS = {
    "nextcap-data": OPENAPI_DIR / "nextcap-data.yaml",
    "nextcap-crm": OPENAPI_DIR / "nextcap-crm.yaml",
    "nexadesk": OPENAPI_DIR / "nexadesk.yaml",
    "deskhive": OPENAPI_DIR / "deskhive.yaml",
}
ASYNCAPI_SPECS = {
    "nextcap-chat": OPENAPI_DIR / "nextcap-chat.yaml",
}
EXPECTED_OPERATIONS = Path(__file__).resolve().parent / "expected-operations.json"

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class DuplicateKeyError(yaml.YAMLError):
    pass


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys in a mapping."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    f"duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                    f"(first at line {seen[key] + 1})"
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load(path: Path | str):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_StrictLoader)


def expected_operations() -> dict[str, list[str]]:
    with open(EXPECTED_OPERATIONS, encoding="utf-8") as f:
        return json.load(f)


def openapi_operations(doc) -> list[dict]:
    """Every operation under `paths`, in document order: method, path, operationId."""
    ops = []
    for path, item in (doc.get("paths") or {}).items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                ops.append({"method": method.upper(), "path": path, "operationId": op.get("operationId")})
    return ops


def asyncapi_operations(doc) -> list[dict]:
    """Every AsyncAPI operation: action, Socket.IO event name (title), operationId (its key)."""
    ops = []
    for op_id, op in (doc.get("operations") or {}).items():
        ops.append({"action": op.get("action"), "event": op.get("title"), "operationId": op_id})
    return ops


def resolve_pointer(doc, ref: str):
    """Resolve a local JSON pointer (`#/a/b`) in doc; raises KeyError when it does not exist."""
    if not ref.startswith("#"):
        raise KeyError(f"only local references are used in this project: {ref}")
    node = doc
    for raw in ref[1:].split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(ref)
    return node


def walk(node, path=()):
    """Yield (path, dict) for every mapping in a parsed document."""
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from walk(v, path + (str(k),))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, path + (str(i),))
