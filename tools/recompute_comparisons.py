#!/usr/bin/env python3
"""Independent check of what ishiki's reports may call significant (DESIGN §10).

Usage:  python3 tools/recompute_comparisons.py WORKSPACE SCORES.json

Reads the workspace with recompute_scores.py's reader (itself checked against
the scores CSV) and recomputes, from DESIGN §4 and §10 alone, every test the
JSON carries, year by year.  "Shown" is read from the JSON (the visibility
itself is checked by recompute_scores.py through the CSV).

Each department against the rest of the organisation (`versus_city`):
* values: for every department (whole group, not ALL) whose group is shown,
  and every value (category or overall) shown both for the department and
  for the organisation: difference = the mean score of the department's
  subtree minus the mean of the rest of the organisation (everyone in ALL
  outside that subtree), rest = that mean, p = scipy's Welch test
  (ttest_ind(equal_var=False)), q = Benjamini-Hochberg
  (scipy.stats.false_discovery_control) over every department x value test
  of the year; significant when q < 0.05;
* items: for every item of a department's shown item block whose block is
  shown for the organisation too, the same on the item scores of the
  respondents who answered it, q over that department's items of the year
  (one family per department, together with its item changes);
* nothing else carries a comparison (the organisation, cuts, withheld values
  and blocks, blocks the organisation does not show).

Changes from last year (`change`), for every shown group, value and item:
* exists exactly when the value (item: its block) is shown this year and in
  every group it is compared with last year: the same code, or org.csv's
  previous_codes, with the same cut (§4);
* delta = this year's mean minus the mean over the union of those groups'
  respondents last year, p = Welch's test on the respondents' scores (item
  scores of those who answered), significant when p < 0.05;
* q = Benjamini-Hochberg within the family, fdr_significant when q < 0.05;
  the families of a year: (a) the organisation's categories and 総合;
  (b) every department's (whole group) categories and 総合 together;
  (c) every demographic group's (any department or ALL, cut by a value)
  categories and 総合 together; (d) each group's own items (one family per
  group).  A change without a p-value has no q and is not significant.
The families are adjusted with the recomputed p-values.

Prints each difference and a summary whose first words are
`<checked> comparisons checked (<marked> significant)` (department x value
comparisons), with the significant rises and falls per family; exits 1 when
anything differs.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recompute_scores as rs  # noqa: E402
from recompute_scores import close  # noqa: E402

FDR = 0.05
RAW = 0.05


def shown(v):
    return v.get("visibility", {}).get("shown") if isinstance(v, dict) else None


def plain(x):
    """numpy scalars and arrays as plain Python numbers, for messages."""
    return x.tolist() if isinstance(x, (np.generic, np.ndarray)) else x


def key_of(gr):
    return (gr["department"], gr["cut"] or "", gr["cut_value"] or "")


def welch(a, b):
    """Two-sided Welch p-value, or None when either side has fewer than two
    scores or the test is undefined (both sides without variance)."""
    if len(a) < 2 or len(b) < 2:
        return None
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.var() == 0 and b.var() == 0:
        return None
    p = float(stats.ttest_ind(a, b, equal_var=False).pvalue)
    return None if math.isnan(p) else p


def bh(ps):
    """Benjamini-Hochberg q-values of the p-values given (None stays None)."""
    real = [p for p in ps if p is not None]
    qs = iter(stats.false_discovery_control(real) if real else ())
    return [float(next(qs)) if p is not None else None for p in ps]


class Checker:
    def __init__(self, survey, org, resp, model):
        self.survey, self.org, self.resp, self.model = survey, org, resp, model
        self.values = [c[0] for c in survey.categories] + ["overall"]
        self.by_year = {y["year"]: y for y in model["years"]}
        self.members = {}
        for y in self.by_year:
            self.members.update(rs.YearGroups(y, resp, org, survey).members)
        self.groups = {y: {key_of(gr): gr for gr in year["groups"]} for y, year in self.by_year.items()}
        self.diffs = []
        self.counts = {}

    def count(self, what, by=1):
        self.counts[what] = self.counts.get(what, 0) + by

    def differ(self, where, name, ours, theirs):
        self.diffs.append(f"{where} {name}: ishiki {plain(ours)!r}, python {plain(theirs)!r}")

    # respondents' scores --------------------------------------------------
    def value_scores(self, idx, cat):
        return [s for s in (rs.resp_score(self.resp[i], cat) for i in idx) if s is not None]

    def item_scores(self, idx, iid):
        return [self.survey.item_score(v) for v in (self.resp[i].vprime[iid] for i in idx) if v is not None]

    # versus_city ----------------------------------------------------------
    def compare(self, where, ours, a, b, p, q, checked_as):
        """Checks one comparison (ours: the JSON's; a, b: the two samples; p, q
        their recomputed p- and q-values).  Returns whether it is significant."""
        if ours is None:
            self.diffs.append(f"{where}: no comparison in the JSON")
            return False
        self.count(checked_as)
        difference, rest = rs.mean(a) - rs.mean(b), rs.mean(b)
        for name, x, z in [("difference", ours.get("difference"), difference), ("rest", ours.get("rest"), rest),
                           ("p", ours.get("p_value"), p), ("q", ours.get("q_value"), q)]:
            if not close(x, z):
                self.differ(where, name, x, z)
        want = q is not None and q < FDR
        if ours.get("significant") != want:
            self.differ(where, "significant", ours.get("significant"), want)
        return want

    def versus_city(self, y):
        groups = self.groups[y]
        city = shown(groups.get(("ALL", "", ""), {}))
        everyone = self.members.get((y, rs.ALL, "", ""), [])
        # Nothing but whole departments carries a comparison.
        for key, gr in groups.items():
            f = shown(gr)
            if f is None or (key[0] != "ALL" and key[1] == ""):
                continue
            for v, sc in enumerate(f["scores"]):
                if (shown(sc) or {}).get("versus_city") is not None:
                    self.diffs.append(f"{y} {key} {self.values[v]}: a comparison on a group that is no department")
            for block in f["items"]:
                for it in shown(block) or []:
                    if it.get("versus_city") is not None:
                        self.diffs.append(f"{y} {key} {it['item']}: a comparison on a group that is no department")
        value_tests = []   # (where, ours, a, b)
        # A department's item comparisons, by its items family: adjusted
        # together with its item changes (one family per group, §10).
        item_city = {}
        for key, gr in groups.items():
            f = shown(gr)
            if key[0] == "ALL" or key[1] != "" or f is None:
                continue
            code = key[0]
            inside = set(self.members.get((y, code, "", ""), []))
            rest = [i for i in everyone if i not in inside]
            for v, cat in enumerate(self.values):
                mine = shown(f["scores"][v])
                theirs = shown(city["scores"][v]) if city else None
                ours = mine.get("versus_city") if mine else None
                a, b = (self.value_scores(inside, cat), self.value_scores(rest, cat)) if mine else ([], [])
                if mine is None or theirs is None or not a or not b:
                    if ours is not None:
                        self.diffs.append(f"{y} {code} {cat}: a comparison where there is none to make")
                    continue
                value_tests.append((f"{y} {code} {cat}", ours, a, b, welch(a, b)))
            # Items: one family per department.
            item_tests = []
            for bi, block in enumerate(f["items"]):
                items = shown(block)
                if items is None:
                    continue
                city_block = shown(city["items"][bi]) if city else None
                for it in items:
                    ours = it.get("versus_city")
                    iid = it["item"]
                    a, b = self.item_scores(inside, iid), self.item_scores(rest, iid)
                    if city_block is None or not a or not b:
                        if ours is not None:
                            self.diffs.append(f"{y} {code} {iid}: an item comparison where the organisation's "
                                              f"block is withheld")
                        continue
                    item_tests.append((f"{y} {code} {iid}", ours, a, b, welch(a, b)))
            if item_tests:
                self.count("item families")
                item_city[f"items {y} {code}"] = item_tests
        qs = bh([t[4] for t in value_tests])
        for (where, ours, a, b, p), q in zip(value_tests, qs):
            self.count("comparisons marked", self.compare(where, ours, a, b, p, q, "comparisons"))
        return item_city

    # changes ----------------------------------------------------------------
    def predecessors(self, y, code):
        """The codes of last year a group of `code` is compared with (§4)."""
        if code == "ALL":
            return ["ALL"]
        row = next((d for d in self.org.depts(y) if d["code"] == code), None)
        if row is None:
            return []
        return row["previous"] or [code]

    def changes(self, y):
        """Recomputes every change of year y; returns its families:
        family name -> [(where, ours, delta, p)]."""
        families = {}
        before = self.groups.get(y - 1)
        for key, gr in self.groups[y].items():
            f = shown(gr)
            if f is None:
                continue
            code, cut, value = key
            where = f"{y} {code}" + (f" {cut}={value}" if cut else "")
            compared = []
            if before is not None:
                compared = [before.get((p, cut, value)) for p in self.predecessors(y, code)]
            old = [shown(c) if c is not None else None for c in compared]
            comparable = bool(old) and all(o is not None for o in old)
            now_idx = self.members[(y, code, cut, value)]
            old_idx = sorted(set().union(*(self.members.get((y - 1, p, cut, value), [])
                                            for p in self.predecessors(y, code)))) if comparable else []
            family = "city values" if key == ("ALL", "", "") else "cut values" if cut else "department values"
            for v, cat in enumerate(self.values):
                mine = shown(f["scores"][v])
                if mine is None:
                    continue
                ours = mine.get("change")
                if not (comparable and all(shown(o["scores"][v]) is not None for o in old)):
                    if ours is not None:
                        self.diffs.append(f"{where} {cat}: a change where a value compared with was withheld")
                    continue
                a, b = self.value_scores(now_idx, cat), self.value_scores(old_idx, cat)
                families.setdefault(family, []).append(
                    (f"{where} {cat}", ours, rs.mean(a) - rs.mean(b), welch(a, b)))
            items_family = "city items" if key == ("ALL", "", "") else f"items {where}"
            for bi, block in enumerate(f["items"]):
                items = shown(block)
                if items is None:
                    continue
                ok = comparable and all(shown(o["items"][bi]) is not None for o in old)
                for it in items:
                    ours, iid = it.get("change"), it["item"]
                    if not ok:
                        if ours is not None:
                            self.diffs.append(f"{where} {iid}: a change where a block compared with was withheld")
                        continue
                    a, b = self.item_scores(now_idx, iid), self.item_scores(old_idx, iid)
                    families.setdefault(items_family, []).append(
                        (f"{where} {iid}", ours, rs.mean(a) - rs.mean(b), welch(a, b)))
        return families

    def check_changes(self, y, item_city):
        families = self.changes(y)
        for family in item_city:
            families.setdefault(family, [])
        for family, tests in families.items():
            kind = family if not family.startswith("items ") else "group items"
            city_tests = item_city.get(family, [])
            qs = bh([t[3] for t in tests] + [t[4] for t in city_tests])
            for (where, ours, a, b, p), q in zip(city_tests, qs[len(tests):]):
                self.count("item comparisons marked", self.compare(where, ours, a, b, p, q, "item comparisons"))
            if not tests:
                continue
            self.count(f"families {kind}")
            for (where, ours, delta, p), q in zip(tests, qs[:len(tests)]):
                if ours is None:
                    self.diffs.append(f"{where}: no change in the JSON")
                    continue
                self.count("changes")
                self.count("changes with p", p is not None)
                for name, x, z in [("delta", ours.get("delta"), delta), ("p", ours.get("p_value"), p),
                                   ("q", ours.get("q_value"), q)]:
                    if not close(x, z):
                        self.differ(f"{where} change", name, x, z)
                raw = p is not None and p < RAW
                if ours.get("significant") != raw:
                    self.differ(f"{where} change", "significant", ours.get("significant"), raw)
                fdr = q is not None and q < FDR
                if ours.get("fdr_significant") != fdr:
                    self.differ(f"{where} change", "fdr_significant", ours.get("fdr_significant"), fdr)
                if fdr:
                    self.count(f"{kind} {'rise' if delta > 0 else 'fall' if delta < 0 else 'flat'}")

    def run(self):
        for y in sorted(self.by_year):
            self.check_changes(y, self.versus_city(y))
        c = self.counts.get
        kinds = ["city values", "city items", "department values", "cut values", "group items"]
        per_family = ", ".join(f"{k}: {c('families ' + k, 0)} families +{c(k + ' rise', 0)}/-{c(k + ' fall', 0)}"
                               for k in kinds)
        return (f"{c('comparisons', 0)} comparisons checked ({c('comparisons marked', 0)} significant), "
                f"{c('item comparisons', 0)} item comparisons checked ({c('item comparisons marked', 0)} "
                f"significant) in {c('item families', 0)} departments, "
                f"{c('changes', 0)} changes checked ({c('changes with p', 0)} with p); "
                f"significant rises/falls (fdr) by family: {per_family}; {len(self.diffs)} differ")


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    checker = Checker(*rs.workspace_and_model(Path(argv[1]), Path(argv[2])))
    summary = checker.run()
    for line in checker.diffs:
        print(line)
    print(summary)
    return 1 if checker.diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
