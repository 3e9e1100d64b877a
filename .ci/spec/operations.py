#!/usr/bin/env python3
"""Print the operations of a spec as JSON.

OpenAPI: [{"method", "path", "operationId"}, ...] in document order.
AsyncAPI: [{"action", "event", "operationId"}, ...] (event = the Socket.IO event name).

Usage:
  operations.py FILE            one spec -> a JSON array
  operations.py FILE FILE...    several  -> a JSON object keyed by file
  operations.py --all           every spec of openapi/ -> a JSON object keyed by API name
"""

from __future__ import annotations

import json
import sys

import specs


def operations(path) -> list[dict]:
    doc = specs.load(path)
    if "asyncapi" in doc:
        return specs.asyncapi_operations(doc)
    return specs.openapi_operations(doc)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if argv == ["--all"]:
        every = {**specs.OPENAPI_SPECS, **specs.ASYNCAPI_SPECS}
        out = {name: operations(path) for name, path in every.items()}
    elif len(argv) == 1:
        out = operations(argv[0])
    else:
        out = {path: operations(path) for path in argv}
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
