#!/usr/bin/env python3
"""Independent check of each department against the rest of the organisation.

Usage:  python3 tools/recompute_comparisons.py WORKSPACE SCORES.json

Reads the workspace with recompute_scores.py's reader, then for every year
and every department whose group the JSON shows, and every value (category
or overall) shown both for the department and for the whole organisation:
* difference = the department's mean score minus the organisation's;
* p = scipy.stats.ttest_ind(department, everyone else, equal_var=False);
* q = scipy.stats.false_discovery_control over all p-values of the year
  (Benjamini-Hochberg); significant when q <= 0.05.
It checks that exactly those values carry a comparison in the JSON, with the
same numbers.

Item changes from last year, for the whole organisation: where the item's
category block is shown in both years, delta = the mean item score minus
last year's, p = Welch's test on the respondents' item scores of the two
years, significant when p < 0.05; where the block was withheld in either
year there must be no change.

Prints each difference and a summary; exits 1 on any.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recompute_scores as rs  # noqa: E402
from recompute_scores import close  # noqa: E402

FDR = 0.05


def shown(v):
    return v.get("visibility", {}).get("shown") if isinstance(v, dict) else None


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    survey, org, resp, model = rs.workspace_and_model(Path(argv[1]), Path(argv[2]))
    values = [c[0] for c in survey.categories] + ["overall"]
    diffs, checked, marked = [], 0, 0
    for year in model["years"]:
        y = year["year"]
        g = rs.YearGroups(y, resp, org, survey)
        groups = {gr["department"]: gr for gr in year["groups"] if gr["cut"] is None}
        city = shown(groups.get("ALL", {}))
        if city is None:
            continue
        everyone = g.members[(y, rs.ALL, "", "")]
        tests = []  # (code, value index, p, difference, ours)
        for code, gr in groups.items():
            f = shown(gr)
            if code == "ALL" or f is None:
                continue
            members = set(g.members.get((y, code, "", ""), []))
            for v, cat in enumerate(values):
                mine, theirs = shown(f["scores"][v]), shown(city["scores"][v])
                ours = mine.get("versus_city") if mine else None
                if mine is None or theirs is None:
                    if ours is not None:
                        diffs.append(f"{y} {code} {cat}: a comparison for a withheld value")
                    continue
                a = np.array([rs.resp_score(resp[i], cat) for i in members if rs.resp_score(resp[i], cat) is not None])
                b = np.array([rs.resp_score(resp[i], cat) for i in everyone
                              if i not in members and rs.resp_score(resp[i], cat) is not None])
                p = None
                if len(a) >= 2 and len(b) >= 2 and (a.var() > 0 or b.var() > 0):
                    p = float(stats.ttest_ind(a, b, equal_var=False).pvalue)
                tests.append((code, cat, p, mine["score"] - theirs["score"], ours))
        ps = [t[2] for t in tests if t[2] is not None]
        qs = iter(stats.false_discovery_control(ps)) if ps else iter(())
        for code, cat, p, difference, ours in tests:
            q = float(next(qs)) if p is not None else None
            where = f"{y} {code} {cat}"
            if ours is None:
                diffs.append(f"{where}: no comparison in the JSON")
                continue
            checked += 1
            for name, a, b in [("difference", ours["difference"], difference), ("p", ours["p_value"], p),
                               ("q", ours["q_value"], q)]:
                if not close(a, b):
                    diffs.append(f"{where} {name}: ishiki {a!r}, python {b!r}")
            want = q is not None and q <= FDR
            marked += want
            if ours["significant"] != want:
                diffs.append(f"{where} significant: ishiki {ours['significant']}, python {want}")
    # Item changes of the whole organisation.
    items_checked = 0
    by_year = {y["year"]: y for y in model["years"]}
    for y, year in by_year.items():
        before = by_year.get(y - 1)
        city = shown(next((gr for gr in year["groups"] if gr["department"] == "ALL" and gr["cut"] is None), {}))
        if city is None:
            continue
        old_city = None
        if before is not None:
            old_city = shown(next((gr for gr in before["groups"]
                                   if gr["department"] == "ALL" and gr["cut"] is None), {}))
        now_members = [i for i, r in enumerate(resp) if r.year == y]
        old_members = [i for i, r in enumerate(resp) if r.year == y - 1]
        for b, block in enumerate(city["items"]):
            items = shown(block)
            if items is None:
                continue
            old_block = shown(old_city["items"][b]) if old_city is not None else None
            for it in items:
                ours = it.get("change")
                where = f"{y} ALL {it['item']}"
                if old_block is None:
                    if ours is not None:
                        diffs.append(f"{where}: a change where last year's block was withheld")
                    continue
                if ours is None:
                    diffs.append(f"{where}: no change in the JSON")
                    continue
                iid = it["item"]
                a = np.array([survey.item_score(resp[i].vprime[iid]) for i in now_members
                              if resp[i].vprime[iid] is not None])
                c = np.array([survey.item_score(resp[i].vprime[iid]) for i in old_members
                              if resp[i].vprime[iid] is not None])
                delta = a.mean() - c.mean()
                p = float(stats.ttest_ind(a, c, equal_var=False).pvalue)
                for name, x, z in [("delta", ours["delta"], delta), ("p", ours["p_value"], p)]:
                    if not close(x, z):
                        diffs.append(f"{where} {name}: ishiki {x!r}, python {z!r}")
                if ours["significant"] != (p < 0.05):
                    diffs.append(f"{where} significant: ishiki {ours['significant']}, python {p < 0.05}")
                items_checked += 1
    for line in diffs:
        print(line)
    print(f"{checked} comparisons checked ({marked} significant), {items_checked} item changes checked, "
          f"{len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
