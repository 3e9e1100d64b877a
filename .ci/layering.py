#!/usr/bin/env python3
"""Checks that no import cycle spans two folders in a crate's `src/`.

Each `.rs` file is a module. A module depends on another when it names it in a path:
`use crate::a::b`, `crate::a::b::f()`, `super::x` (nested `use` trees included). `mod x;`
declarations do not count: a parent declaring a child is containment, not use. Test modules
(`#[cfg(test)] mod tests`) are left out, since they may reach anywhere.

The strongly connected components of that graph are the import cycles. A cycle among files of
one folder is allowed (a folder is one unit); a cycle whose files sit in two or more folders is
reported, with the edges that close it, and the script exits 1.

Usage: layering.py CRATE_SRC_DIR [CRATE_SRC_DIR ...]
"""

import os
import re
import sys

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def module_files(src):
    """Maps module path tuples (() for the crate root) to file paths."""
    modules = {}
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)[:-3].split(os.sep)
            if rel in (["lib"], ["main"]):
                mod = ()
            elif rel[-1] == "mod":
                mod = tuple(rel[:-1])
            else:
                mod = tuple(rel)
            if rel == ["main"] and () in modules:
                continue  # a binary next to a library: check the library's tree
            modules[mod] = path
    return modules


def strip(code):
    """Code without comments, string literals and the test module."""
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(r"/\*.*?\*/", "", code, flags=re.S)
    code = re.sub(r'"(?:\\.|[^"\\])*"', '""', code)
    cut = re.search(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", code)
    return code[: cut.start()] if cut else code


def use_paths(tree, prefix=()):
    """Expands a `use` tree such as `crate::{a::{b, c}, d as e}` into paths."""
    tree = tree.strip()
    depth, parts, current = 0, [], ""
    if tree.endswith("}") and "{" in tree:
        head, _, rest = tree.partition("{")
        head_segments = tuple(s for s in head.strip().rstrip(":").split("::") if s)
        inner = rest[:-1]
        for ch in inner:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(current)
                current = ""
            else:
                current += ch
        parts.append(current)
        out = []
        for part in parts:
            if part.strip():
                out.extend(use_paths(part, prefix + head_segments))
        return out
    tree = re.sub(r"\s+as\s+\w+$", "", tree)
    return [prefix + tuple(s for s in tree.split("::") if s)]


def references(code):
    """Every path starting with `crate`, `super` or `self` the code names."""
    paths = []
    for m in re.finditer(r"\buse\s+([^;]+);", code):
        paths.extend(p for p in use_paths(m.group(1)) if p and p[0] in ("crate", "super", "self"))
    code_wo_use = re.sub(r"\buse\s+[^;]+;", "", code)
    for m in re.finditer(rf"\b(crate|super)((?:::{IDENT})+)", code_wo_use):
        paths.append((m.group(1),) + tuple(s for s in m.group(2).split("::") if s))
    return paths


def resolve(path, here, modules):
    """The module a path names (its longest prefix that is a file module), or None."""
    segments = list(path)
    if segments[0] == "crate":
        base, segments = (), segments[1:]
    elif segments[0] == "self":
        base, segments = here, segments[1:]
    else:
        base = here
        while segments and segments[0] == "super":
            base = base[:-1]
            segments = segments[1:]
    best = base if base in modules else None
    for i in range(1, len(segments) + 1):
        candidate = base + tuple(segments[:i])
        if candidate in modules:
            best = candidate
    return best


def sccs(graph):
    """Tarjan's strongly connected components."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(comp)

    sys.setrecursionlimit(10000)
    for v in graph:
        if v not in index:
            visit(v)
    return out


def check(src):
    modules = module_files(src)
    graph = {m: set() for m in modules}
    for mod, path in modules.items():
        with open(path, encoding="utf-8") as f:
            code = strip(f.read())
        for ref in references(code):
            target = resolve(ref, mod, modules)
            if target is not None and target != mod:
                graph[mod].add(target)
    folder = lambda m: os.path.dirname(modules[m])
    problems = []
    for comp in sccs(graph):
        folders = {folder(m) for m in comp}
        if len(comp) > 1 and len(folders) > 1:
            members = set(comp)
            edges = sorted(
                f"{os.path.relpath(modules[a], src)} -> {os.path.relpath(modules[b], src)}"
                for a in comp
                for b in graph[a]
                if b in members and folder(a) != folder(b)
            )
            problems.append((sorted(os.path.relpath(modules[m], src) for m in comp), edges))
    return len(modules), problems


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    failed = False
    for src in argv[1:]:
        count, problems = check(src)
        if not problems:
            print(f"{src}: {count} modules, no import cycle spans two folders")
        for files, edges in problems:
            failed = True
            print(f"{src}: import cycle across folders among {', '.join(files)}")
            for edge in edges:
                print(f"    {edge}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
