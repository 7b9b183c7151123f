#!/usr/bin/env python3
"""Lists import cycles between the modules of src/ (ARCHITECTURE.md).

    python3 tools/import_cycles.py

A module is a file of src/ (src/report/charts.rs is `report::charts`, a
mod.rs is its folder). An edge A → B is a `crate::B…` path anywhere in A's
file outside its `#[cfg(test)]` modules; a path names the longest module it
starts with. Prints each strongly connected component of more than one
module and exits 1 if there is one, else prints that there is none.
"""

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def module_of(path):
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts)


def without_tests(text):
    # Drop `#[cfg(test)] mod name { ... }` blocks by brace matching.
    out, i = [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        while depth and j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def main():
    files = {module_of(p): p for p in SRC.rglob("*.rs")}
    modules = set(files)
    edges = {m: set() for m in modules}
    for m, path in files.items():
        text = without_tests(path.read_text(encoding="utf-8"))
        parent = m.rsplit("::", 1)[0] if "::" in m else ""
        paths = re.findall(r"crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)", text)
        # `super::x` from a file module a::b names a::x.
        for found in re.findall(r"(?<![:\w])super::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)", text):
            paths.append(f"{parent}::{found}" if parent else found)
        for found in paths:
            parts = found.split("::")
            target = None
            for n in range(len(parts), 0, -1):
                if "::".join(parts[:n]) in modules:
                    target = "::".join(parts[:n])
                    break
            if target and target != m and not m.startswith(target + "::") and not target.startswith(m + "::"):
                edges[m].add(target)
    # Tarjan's strongly connected components.
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                sccs.append(sorted(scc))

    sys.setrecursionlimit(10000)
    for v in sorted(modules):
        if v not in index:
            visit(v)
    for scc in sccs:
        print("cycle:", " ↔ ".join(scc))
    if not sccs:
        print(f"no import cycle among {len(modules)} modules")
    return 1 if sccs else 0


if __name__ == "__main__":
    sys.exit(main())
