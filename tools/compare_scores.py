#!/usr/bin/env python3
"""Compare two ishiki scores CSVs (DESIGN.md §7).

Usage:  python3 tools/compare_scores.py A.csv B.csv

Rows are matched by (year, department, cut, cut_value, category).
n, significant and suppressed must be equal as text; score, favorable,
delta and p_value must both be empty or both be numbers within a relative
tolerance of 1e-9 (score, favorable and delta, which are on the 0-100 point
scale, also accept an absolute difference up to 1e-9, so that a delta of
exactly 0 matches one of 1e-14).  A row present in only one file is a
difference, and so is a different order of the common rows (§7 fixes the
order).  Prints a summary and the first 20 differences; exit status 1 when
anything differs, 0 otherwise.
"""

import csv
import math
import sys

KEY = ("year", "department", "cut", "cut_value", "category")
EXACT = ("n", "significant", "suppressed")
NUMBERS = ("score", "favorable", "delta", "p_value")


def load(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for r in rows:
        key = tuple(r[c] for c in KEY)
        if key in out:
            raise SystemExit(f"{path}: duplicate row {key}")
        out[key] = r
    return out, [tuple(r[c] for c in KEY) for r in rows]


def same_number(col, a, b):
    if a == "" or b == "":
        return a == b
    x, y = float(a), float(b)
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=0.0 if col == "p_value" else 1e-9)


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    a, order_a = load(argv[1])
    b, order_b = load(argv[2])
    diffs = []
    for key in order_a + [k for k in order_b if k not in a]:
        ra, rb = a.get(key), b.get(key)
        if ra is None or rb is None:
            diffs.append(f"{','.join(key)}: only in {argv[1] if rb is None else argv[2]}")
            continue
        bad = [c for c in EXACT if ra[c] != rb[c]]
        bad += [c for c in NUMBERS if not same_number(c, ra[c], rb[c])]
        if bad:
            diffs.append(f"{','.join(key)}: " +
                         "; ".join(f"{c} {ra[c]!r} vs {rb[c]!r}" for c in bad))
    common = [k for k in order_a if k in b]
    same_order = common == [k for k in order_b if k in a]
    print(f"{argv[1]}: {len(a)} rows; {argv[2]}: {len(b)} rows; "
          f"{len(diffs)} differ" + ("" if same_order else "; common rows are in a different order"))
    for d in diffs[:20]:
        print("  " + d)
    if len(diffs) > 20:
        print(f"  ... and {len(diffs) - 20} more")
    return 1 if diffs or not same_order else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
