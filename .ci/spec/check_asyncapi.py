#!/usr/bin/env python3
"""Structural check of an AsyncAPI 3.x document (no official Python validator exists).

Checks: `asyncapi: 3.x`; info title/version; servers with host and protocol; every channel
has an address and messages; every operation has a valid action, a channel that exists,
messages that belong to that channel, and a reply whose channel and messages exist; every
channel message is used by some operation; every component message has a name and payload;
every local $ref resolves; `x-inferred: true` carries an `x-inferred-reason`; every operation
but `connectError` carries `x-permissions.anyOf`.

Usage: check_asyncapi.py FILE...   Exit status 1 with one line per problem.
"""

from __future__ import annotations

import sys

import specs


def check(path: str) -> list[str]:
    problems: list[str] = []

    def add(where: str, msg: str) -> None:
        problems.append(f"{path}: {where}: {msg}")

    try:
        doc = specs.load(path)
    except (OSError, specs.yaml.YAMLError) as e:
        return [f"{path}: cannot load: {e}"]
    if not isinstance(doc, dict):
        return [f"{path}: not a mapping"]

    version = str(doc.get("asyncapi", ""))
    if not version.startswith("3."):
        add("asyncapi", f"expected 3.x, found {version!r}")
    info = doc.get("info") or {}
    for key in ("title", "version"):
        if not isinstance(info.get(key), str) or not info[key]:
            add("info", f"missing {key}")

    for name, server in (doc.get("servers") or {}).items():
        for key in ("host", "protocol"):
            if not server.get(key):
                add(f"servers/{name}", f"missing {key}")
        host = server.get("host", "") + server.get("pathname", "")
        for var in server.get("variables", {}):
            if "{" + var + "}" not in host:
                add(f"servers/{name}", f"variable {var} not used in host/pathname")

    # Every $ref resolves; x-inferred has a reason.
    for p, node in specs.walk(doc):
        where = "/" + "/".join(p)
        ref = node.get("$ref")
        if isinstance(ref, str):
            try:
                specs.resolve_pointer(doc, ref)
            except (KeyError, IndexError, ValueError):
                add(where, f"$ref {ref} does not resolve")
        if node.get("x-inferred") is True and not str(node.get("x-inferred-reason", "")).strip():
            add(where, "x-inferred without x-inferred-reason")

    channels = doc.get("channels") or {}
    if not channels:
        add("channels", "no channels")
    for name, ch in channels.items():
        if "address" not in ch:
            add(f"channels/{name}", "missing address")
        if not ch.get("messages"):
            add(f"channels/{name}", "no messages")

    for name, msg in ((doc.get("components") or {}).get("messages") or {}).items():
        for key in ("name", "payload"):
            if key not in msg:
                add(f"components/messages/{name}", f"missing {key}")

    def channel_of(ref_holder, where):
        ref = (ref_holder or {}).get("$ref", "")
        prefix = "#/channels/"
        if not ref.startswith(prefix) or "/" in ref[len(prefix):]:
            add(where, f"channel must be a $ref to #/channels/<name>, found {ref!r}")
            return None
        name = ref[len(prefix):]
        if name not in channels:
            add(where, f"channel {name} does not exist")
            return None
        return name

    def check_messages(refs, channel, where):
        if not refs:
            add(where, "no messages")
        for m in refs or []:
            ref = m.get("$ref", "")
            prefix = f"#/channels/{channel}/messages/"
            if not ref.startswith(prefix):
                add(where, f"message {ref!r} is not a message of channel {channel}")
            elif ref[len(prefix):] not in channels[channel].get("messages", {}):
                add(where, f"message {ref} does not exist")
            else:
                used.add((channel, ref[len(prefix):]))

    used: set[tuple[str, str]] = set()
    operations = doc.get("operations") or {}
    if not operations:
        add("operations", "no operations")
    for name, op in operations.items():
        where = f"operations/{name}"
        if op.get("action") not in ("send", "receive"):
            add(where, f"action must be send or receive, found {op.get('action')!r}")
        ch = channel_of(op.get("channel"), where)
        if ch:
            check_messages(op.get("messages"), ch, where)
        reply = op.get("reply")
        if reply is not None:
            rch = channel_of(reply.get("channel"), where + "/reply")
            if rch:
                check_messages(reply.get("messages"), rch, where + "/reply")
        if name != "connectError":
            perms = op.get("x-permissions")
            if not (isinstance(perms, dict) and perms.get("anyOf")):
                add(where, "missing x-permissions.anyOf")

    for ch_name, ch in channels.items():
        for msg_name in ch.get("messages", {}):
            if (ch_name, msg_name) not in used:
                add(f"channels/{ch_name}/messages/{msg_name}", "not used by any operation")
    return problems


def main(argv: list[str]) -> int:
    paths = argv or [str(p) for p in specs.ASYNCAPI_SPECS.values()]
    problems = [p for path in paths for p in check(path)]
    for line in problems:
        print(f"asyncapi: {line}", file=sys.stderr)
    if problems:
        return 1
    print(f"asyncapi: OK ({', '.join(paths)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
