#!/usr/bin/env python3
"""Independent reference implementation of the ishiki scores-CSV contract.

Usage:  python3 tools/recompute_scores.py WORKSPACE OUT.csv

Written only from /work/shared/design/DESIGN.md (§2, §3, §4, §5, §7), without
looking at the Rust implementation.  It is meant for cross-checking, so it is
deliberately plain: every mean is an explicit mean of respondents' scores,
every group is an explicit list of respondents.

Interpretations of points the specification leaves open are marked
"JUDGEMENT" below; the same list is in the report that accompanied this file.

Reading inputs
--------------
* survey.toml via tomllib; org.csv (UTF-8 with/without BOM or CP932).
* responses/*: .csv (utf-8-sig, then cp932), .xlsx (openpyxl, first sheet or
  columns.sheet), .xls (xlrd, same).  Every cell is read as text; numbers that
  Excel stored as floats are turned back into integers when integral.
* Header row: the first row (within the first 20) that contains the
  department column header (also applied to CSV files; for normal CSVs that
  is the first row).  Completely blank data rows are skipped.
* Year: the year column when the file has one (per row), else the file name.

Confidentiality (§5, revised: one global order)
-----------------------------------------------
Each year apart, in this order:
1. Groups (measure: rows).  A group with fewer than k rows is hidden.  Then
   the no-differencing rule (below) runs with the rows as measure.
2. Each value on its own -- every category id and `overall` -- with that
   value's count as measure (n: the group's respondents with a score there).
   A part is hidden for the value when its group is hidden (step 1) or the
   value is withheld there; in a shown group a value whose count is under k
   is withheld.  Then the no-differencing rule runs again with these counts.
   Item results and the harassment survey are not in the scores CSV, so the
   item blocks of §5 are not computed here.
The no-differencing rule: a split is unsafe when its hidden parts together
hold 1..k-1 of the measure.  While some unsafe split still has a shown
printable part, every unsafe split offers its shown printable part with the
smallest measure, and the smallest offer is hidden; ties are broken by the
scores CSV's row order (department in org.csv order with ALL first, cut in
survey.toml order with none first, value in survey.toml order with 未回答
last).  Exactly one part is hidden per step, so the result does not depend
on any order of visiting splits.  A department's own-respondents part is
never printed: it is hidden exactly when its measure is under k and is never
chosen.  See build_splits() for the splits and no_differencing() for how the
rule is computed.
A row is `suppressed` when its group is hidden or its value is withheld
(n, score, favorable, delta and p_value empty, significant false).  delta,
p_value and significant exist only when the row is shown and, in every group
of last year it is compared with (same code or each previous code, same cut),
the same value was shown (§4).
"""

from __future__ import annotations

import csv
import heapq
import math
import re
import statistics
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import numpy as np
from scipy import stats

UNANSWERED = "未回答"
ALL = "ALL"


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def close(a, b, tol=1e-8):
    """Whether two recomputed values agree (relative to their size, at least 1);
    two missing values agree, one missing value does not."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def cell_text(v) -> str:
    """Any spreadsheet/CSV cell -> stripped text ('' for blank)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, int):
        return str(v)
    return str(v).strip()


def as_list(v) -> list[str]:
    """A survey.toml column name: one header or a list of accepted headers."""
    if v is None:
        return []
    return [str(h).strip() for h in (v if isinstance(v, list) else [v]) if str(h).strip()]


def first_header(headers: list[str], accepted: list[str]):
    """Index of the first accepted header (in survey.toml's order) the file has."""
    for h in accepted:
        if h in headers:
            return headers.index(h)
    return None


def parse_year(text: str) -> int | None:
    """'2022', 'R4', 'R04', '令和4年度', '令和4', '令和元年度', '2022年度' -> 2022."""
    t = nfkc(text).strip()
    if not t:
        return None
    m = re.search(r"令和\s*(\d{1,2}|元)", t)
    if m:
        g = m.group(1)
        return 2018 + (1 if g == "元" else int(g))
    m = re.search(r"(?<![A-Za-z0-9])[Rr]\s*(\d{1,2})(?!\d)", t)
    if m:
        return 2018 + int(m.group(1))
    m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", t)
    if m:
        return int(m.group(1))
    return None


def read_text_file(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp932")


def fmt_float(x) -> str:
    if x is None:
        return ""
    return repr(float(x))


def mean(xs):
    # Mean of the respondents' scores.  statistics.fmean = exactly-rounded
    # sum (math.fsum) / count: the most accurate value, not any particular
    # streaming-summation order.  Cross-checks must use a float tolerance.
    return statistics.fmean(xs) if xs else None


# --------------------------------------------------------------------------
# survey.toml
# --------------------------------------------------------------------------

class Survey:
    def __init__(self, path: Path):
        with open(path, "rb") as f:
            t = tomllib.load(f)
        sc = t.get("scale", {})
        self.min = int(sc.get("min", 1))
        self.max = int(sc.get("max", 5))
        self.threshold = sc.get("favorable_threshold", 4)
        self.labels = {}  # label text -> int value
        for k, v in (sc.get("labels") or {}).items():
            self.labels[str(v).strip()] = int(k)
        self.labels_nfkc = {nfkc(k): v for k, v in self.labels.items()}
        self.k = int(t.get("min_group_size", 5))
        cols = t.get("columns", {})
        # A column may be named by one header or a list of accepted headers
        # (the first one a file has is used).
        self.dept_col = as_list(cols.get("department", "所属コード"))
        self.year_col = as_list(cols.get("year"))
        self.sheet = cols.get("sheet")
        self.demographics = []  # list of (name, column, [values])
        for d in t.get("demographics", []):
            self.demographics.append(
                (d["name"], as_list(d.get("column", d["name"])), [str(v) for v in d.get("values", [])]))
        self.categories = [(c["id"], c.get("name", c["id"]), list(c["items"]))
                           for c in t.get("categories", [])]
        self.items = {}
        self.item_order = []
        for it in t.get("items", []):
            self.items[it["id"]] = {
                "text": it.get("text", ""),
                "reverse": bool(it.get("reverse", False)),
                "header": it.get("header"),
            }
            self.item_order.append(it["id"])
        # Outcome questions (§3): in no category, not part of 総合, optional
        # in an export.  Only the driver cross-check reads them.
        self.outcome_order = []
        for it in t.get("outcomes", []):
            self.items[it["id"]] = {
                "text": it.get("text", ""),
                "reverse": bool(it.get("reverse", False)),
                "header": it.get("header"),
            }
            self.outcome_order.append(it["id"])
        # JUDGEMENT: "for overall, over all items" = every item that belongs
        # to a category (items outside every category are not scored at all).
        # With the default questionnaire these are all items.
        self.scored_items = []
        for _, _, items in self.categories:
            for i in items:
                if i not in self.scored_items:
                    self.scored_items.append(i)

    def parse_answer(self, text: str):
        """Raw cell -> reversed value v' (int) or None for no answer."""
        t = text.strip()
        if not t:
            return None
        if t in self.labels:
            v = self.labels[t]
        else:
            n = nfkc(t).strip()
            if n in self.labels_nfkc:
                v = self.labels_nfkc[n]
            else:
                try:
                    f = float(n)
                except ValueError:
                    raise ValueError(f"unreadable answer {text!r}")
                if not f.is_integer():
                    raise ValueError(f"non-integral answer {text!r}")
                v = int(f)
        if not (self.min <= v <= self.max):
            raise ValueError(f"answer {text!r} out of range")
        return v

    def item_score(self, vprime: int) -> float:
        return (vprime - self.min) / (self.max - self.min) * 100.0

    def demo_value(self, values, text: str) -> str:
        t = text.strip()
        if not t:
            return UNANSWERED
        if t in values:
            return t
        n = nfkc(t)
        for v in values:
            if nfkc(v) == n:
                return v
        # assumed valid input; keep the text as is
        return t


# --------------------------------------------------------------------------
# org.csv
# --------------------------------------------------------------------------

class Org:
    def __init__(self, path: Path):
        rows = list(csv.DictReader(read_text_file(path).splitlines()))
        self.years = {}  # year -> list of dicts in file order
        for r in rows:
            r = {k.strip(): (v or "").strip() for k, v in r.items()}
            y = parse_year(r["year"])
            prev = [p.strip() for p in r.get("previous_codes", "").split(";") if p.strip()]
            self.years.setdefault(y, []).append({
                "code": r["code"], "name": r.get("name", ""),
                "parent": r.get("parent", ""), "previous": prev,
            })

    def depts(self, year):
        return self.years.get(year, [])


# --------------------------------------------------------------------------
# responses
# --------------------------------------------------------------------------

def load_table(path: Path, sheet_name):
    suf = path.suffix.lower()
    if suf == ".csv":
        return [list(r) for r in csv.reader(read_text_file(path).splitlines())]
    if suf in (".xlsx", ".xlsm"):
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet_name] if sheet_name and sheet_name in wb.sheetnames else wb.worksheets[0]
        out = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return out
    if suf == ".xls":
        import xlrd
        wb = xlrd.open_workbook(str(path))
        ws = (wb.sheet_by_name(sheet_name) if sheet_name and sheet_name in wb.sheet_names()
              else wb.sheet_by_index(0))
        out = []
        for i in range(ws.nrows):
            row = []
            for c in ws.row(i):
                if c.ctype in (0, 6):       # empty / blank
                    row.append(None)
                elif c.ctype == 2:          # number
                    row.append(float(c.value))
                elif c.ctype == 4:          # bool
                    row.append(int(c.value))
                else:
                    row.append(c.value)
            out.append(row)
        return out
    return None


def find_item_column(survey: Survey, item_id: str, headers: list[str]):
    """Column index for an item (JUDGEMENT: priority header= > id > id-prefix > text)."""
    it = survey.items[item_id]
    hn = [nfkc(h).strip() for h in headers]
    if it["header"]:
        for i, h in enumerate(headers):
            if h == it["header"].strip() or hn[i] == nfkc(it["header"]).strip():
                return i
        return None
    idn = nfkc(item_id)
    for i, h in enumerate(hn):
        if h == idn:
            return i
    for i, h in enumerate(hn):
        if h.startswith(idn) and len(h) > len(idn) and not h[len(idn)].isalnum():
            return i
    text = it["text"].strip()
    if text:
        tn = nfkc(text)
        for i, h in enumerate(headers):
            if text in h or tn in hn[i]:
                return i
    return None


class Respondent:
    __slots__ = ("year", "dept", "demo", "vprime", "outcome", "cat_scores", "overall")


def load_responses(ws: Path, survey: Survey, org: Org):
    resp = []
    files = sorted(p for p in (ws / "responses").iterdir()
                   if p.is_file() and not p.name.startswith((".", "~$")))
    for path in files:
        table = load_table(path, survey.sheet)
        if table is None:
            print(f"warning: ignored {path.name}", file=sys.stderr)
            continue
        hdr_idx = None
        for i, row in enumerate(table[:20]):
            if any(cell_text(c) in survey.dept_col for c in row):
                hdr_idx = i
                break
        if hdr_idx is None:
            raise SystemExit(f"{path}: no header row with {survey.dept_col!r}")
        headers = [cell_text(c) for c in table[hdr_idx]]
        dept_i = first_header(headers, survey.dept_col)
        year_i = first_header(headers, survey.year_col)
        file_year = parse_year(path.stem)
        demo_i = []
        for name, cols, values in survey.demographics:
            demo_i.append(first_header(headers, cols))
        item_i = {}
        for iid in survey.scored_items:
            ci = find_item_column(survey, iid, headers)
            if ci is None:
                raise SystemExit(f"{path}: no column for item {iid}")
            item_i[iid] = ci
        if len(set(item_i.values())) != len(item_i):
            raise SystemExit(f"{path}: two items resolve to the same column")
        outcome_i = {oid: find_item_column(survey, oid, headers) for oid in survey.outcome_order}
        n_file = 0
        for row in table[hdr_idx + 1:]:
            cells = [cell_text(c) for c in row]
            if not any(cells):
                continue
            cells += [""] * (len(headers) - len(cells))
            r = Respondent()
            y = parse_year(cells[year_i]) if year_i is not None else None
            if y is None:
                y = file_year
            if y is None:
                raise SystemExit(f"{path}: cannot tell the fiscal year")
            r.year = y
            code = cells[dept_i].strip()
            codes = {d["code"] for d in org.depts(y)}
            if code not in codes and code.isdigit():
                # a code that lost its leading zeros in a spreadsheet
                for c in codes:
                    if c.isdigit() and int(c) == int(code):
                        code = c
                        break
            if code not in codes:
                print(f"warning: {path.name}: department {code!r} not in org.csv {y}",
                      file=sys.stderr)
            r.dept = code
            r.demo = {}
            for (name, col, values), ci in zip(survey.demographics, demo_i):
                r.demo[name] = survey.demo_value(values, cells[ci] if ci is not None else "")
            r.vprime = {}
            for iid, ci in item_i.items():
                v = survey.parse_answer(cells[ci])
                if v is not None and survey.items[iid]["reverse"]:
                    v = survey.min + survey.max - v
                r.vprime[iid] = v
            r.outcome = {}
            for oid, ci in outcome_i.items():
                v = survey.parse_answer(cells[ci]) if ci is not None else None
                if v is not None and survey.items[oid]["reverse"]:
                    v = survey.min + survey.max - v
                r.outcome[oid] = v
            score_respondent(survey, r)
            resp.append(r)
            n_file += 1
        print(f"read {path.name}: {n_file} respondents", file=sys.stderr)
    return resp


def score_respondent(survey: Survey, r: Respondent):
    r.cat_scores = {}
    for cid, _, items in survey.categories:
        scores = [survey.item_score(r.vprime[i]) for i in items if r.vprime[i] is not None]
        need = math.ceil(len(items) / 2)
        r.cat_scores[cid] = mean(scores) if len(scores) >= need and scores else None
    have = [s for s in r.cat_scores.values() if s is not None]
    need = math.ceil(len(survey.categories) / 2)
    r.overall = mean(have) if len(have) >= need and have else None


def resp_score(r: Respondent, cat: str):
    return r.overall if cat == "overall" else r.cat_scores[cat]


# --------------------------------------------------------------------------
# groups (§4 "Groups")
# --------------------------------------------------------------------------

class YearGroups:
    """The groups of one fiscal year and the department tree behind them."""

    def __init__(self, y, resp, org: Org, survey: Survey):
        self.year = y
        ridx = [i for i, r in enumerate(resp) if r.year == y]
        depts = org.depts(y)
        self.codes = [d["code"] for d in depts]
        parent = {d["code"]: d["parent"] for d in depts}
        self.children = {c: [] for c in self.codes}
        self.tops = []
        for c in self.codes:
            p = parent[c]
            if p and p in self.children:
                self.children[p].append(c)
            else:
                # JUDGEMENT: a parent code that is not in that year's org.csv
                # makes the department top-level.
                self.tops.append(c)

        def ancestors(c):
            out, seen = [], set()
            while c and c in parent and c not in seen:
                seen.add(c)
                out.append(c)
                c = parent[c]
            return out

        # A respondent coded to D belongs to D's group and every ancestor's.
        self.own = {c: [] for c in self.codes}   # direct respondents
        dgroups = {c: [] for c in self.codes}
        for i in ridx:
            c = resp[i].dept
            if c in self.own:
                self.own[c].append(i)
            for a in ancestors(c):
                dgroups[a].append(i)

        # members[(year, dept, cut, value)] = respondent indices.
        # "A group exists for a year only when it has at least one respondent."
        self.members = {}

        def put(key, idx):
            if idx:
                self.members[key] = idx

        put((y, ALL, "", ""), ridx)
        for c in self.codes:
            put((y, c, "", ""), dgroups[c])
        for name, _, values in survey.demographics:
            vals = values + [UNANSWERED]
            for v in vals:
                put((y, ALL, name, v), [i for i in ridx if resp[i].demo[name] == v])
                for c in self.codes:
                    put((y, c, name, v), [i for i in dgroups[c] if resp[i].demo[name] == v])
            extra = sorted({resp[i].demo[name] for i in ridx} - set(vals))
            if extra:
                print(f"warning: {y} {name}: values not in survey.toml: {extra}", file=sys.stderr)


# --------------------------------------------------------------------------
# confidentiality (§5)
# --------------------------------------------------------------------------

class Split:
    """A group divided into disjoint parts (§5 "Splits").

    parts: the printable parts, as group keys.  Only groups that exist are
           listed: a group without respondents holds 0 of every measure, so
           it can neither make a split unsafe nor be printed.
    owns:  the never-printed parts, each a list of respondent indices.
    """
    __slots__ = ("whole", "parts", "owns")

    def __init__(self, whole, parts, owns):
        self.whole, self.parts, self.owns = whole, parts, owns


def build_splits(g: YearGroups, survey: Survey, resp) -> list[Split]:
    """Every split of one year.

    * the organisation into its top-level departments;
    * a department into the departments directly below it plus one part of
      its own direct respondents;
    * the organisation or a department into the values of one demographic
      column (未回答 included);
    * for each value of a demographic column, the organisation's group of
      that value split along the department tree in the same way (the two
      tree splits above, restricted to respondents with that value).

    JUDGEMENT: a leaf department (no department below it) has no split.  Its
    "split" would be the own-respondents part alone: that part holds the
    department's whole measure, is hidden exactly when the department is
    under k, and there is never a printable part to choose, so it would
    change nothing.

    JUDGEMENT: respondents whose department code is not in that year's
    org.csv (invalid input; `check` rejects it) are in the organisation's
    groups but in no department's.  They form one extra never-printed part of
    the organisation's tree split, treated like an own-respondents part.
    With valid input this part is empty and is left out.

    JUDGEMENT: splits are listed whether or not their whole group is shown;
    §5 puts no condition on the whole ("while some unsafe split ...").
    """
    y = g.year
    m = g.members
    splits = []

    def existing(keys):
        return [key for key in keys if key in m]

    def tree_splits(cut, value):
        if cut:
            def keep(i):
                return resp[i].demo[cut] == value
        else:
            def keep(i):
                return True
        out = []
        whole = (y, ALL, cut, value)
        if whole in m:
            tops = existing([(y, t, cut, value) for t in g.tops])
            covered = set()
            for key in tops:
                covered.update(m[key])
            unassigned = [i for i in m[whole] if i not in covered]
            out.append(Split(whole, tops, [unassigned] if unassigned else []))
        for c in g.codes:
            whole = (y, c, cut, value)
            if g.children[c] and whole in m:
                kids = existing([(y, ch, cut, value) for ch in g.children[c]])
                out.append(Split(whole, kids, [[i for i in g.own[c] if keep(i)]]))
        return out

    splits += tree_splits("", "")
    for d in [ALL] + g.codes:
        whole = (y, d, "", "")
        if whole not in m:
            continue
        for name, _, values in survey.demographics:
            vals = values + [UNANSWERED]
            splits.append(Split(whole, existing([(y, d, name, v) for v in vals]), []))
    for name, _, values in survey.demographics:
        for v in values + [UNANSWERED]:
            splits += tree_splits(name, v)
    return splits


def no_differencing(splits, measure, hidden, own_measure, row_order, k):
    """§5 "No differencing", for one measure of one year.

    measure[key]    the measure of every printable group that exists
    hidden[key]     True when the part is hidden before the rule runs
                    (updated in place; hiding only grows)
    own_measure(ix) the measure of a never-printed part (respondent indices)
    row_order[key]  the group's position in the scores CSV (§7)
    Returns the keys hidden by this rule, in the order they were hidden.

    The text: "A split is unsafe when its hidden parts together hold 1 to k−1
    of the measure.  While some unsafe split still has a shown printable
    part: take, in every such split, its shown printable part with the
    smallest measure; of those, hide the one with the smallest measure, ties
    broken by the scores CSV's row order; repeat."

    JUDGEMENT: inside one split, parts with equal measure are also ordered by
    the scores CSV's row order (the text names no other order).  With one
    total order (measure, row order) used both inside a split and across
    splits, "the smallest of the per-split smallest" is simply the smallest
    shown printable part of any unsafe split, which is what is computed
    here: each split keeps the running sum of its hidden parts, each part
    counts the unsafe splits it belongs to, and a heap ordered by
    (measure, row order) yields the next part to hide.  Exactly one part is
    hidden per step, and all sums are brought up to date before the next
    choice.

    The own-respondents part is hidden exactly when its measure is under k
    and is never chosen.
    """
    hidden_sum = []
    for s in splits:
        h = sum(measure[p] for p in s.parts if hidden[p])
        for ix in s.owns:
            mo = own_measure(ix)
            if mo < k:
                h += mo
        hidden_sum.append(h)

    def unsafe(h):
        return 0 < h < k

    in_splits = {}                     # part -> indices of the splits holding it
    for si, s in enumerate(splits):
        for p in s.parts:
            in_splits.setdefault(p, []).append(si)
    n_unsafe = {p: sum(1 for si in sis if unsafe(hidden_sum[si]))
                for p, sis in in_splits.items()}

    heap = [(measure[p], row_order[p], p) for p in in_splits
            if n_unsafe[p] > 0 and not hidden[p]]
    heapq.heapify(heap)
    newly = []
    while heap:
        mp, _, p = heapq.heappop(heap)
        if hidden[p] or n_unsafe[p] == 0:
            continue                    # stale entry; re-pushed if it matters again
        hidden[p] = True
        newly.append(p)
        for si in in_splits[p]:
            was = unsafe(hidden_sum[si])
            hidden_sum[si] += mp
            now = unsafe(hidden_sum[si])
            if was == now:
                continue
            for q in splits[si].parts:
                n_unsafe[q] += 1 if now else -1
                if now and n_unsafe[q] == 1 and not hidden[q]:
                    heapq.heappush(heap, (measure[q], row_order[q], q))
    # the loop's exit condition, checked plainly
    assert not any(unsafe(hidden_sum[si]) and any(not hidden[p] for p in s.parts)
                   for si, s in enumerate(splits))
    return newly


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def workspace_and_model(ws: Path, model_json: Path):
    """The workspace read as above, and ishiki's JSON model (for the other checks)."""
    import json

    survey = Survey(ws / "survey.toml")
    org = Org(ws / "org.csv")
    resp = load_responses(ws, survey, org)
    return survey, org, resp, json.loads(model_json.read_text(encoding="utf-8"))


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    ws = Path(argv[1])
    out = Path(argv[2])
    survey = Survey(ws / "survey.toml")
    org = Org(ws / "org.csv")
    resp = load_responses(ws, survey, org)
    k = survey.k
    cat_ids = [c[0] for c in survey.categories] + ["overall"]
    cat_items = {c[0]: c[2] for c in survey.categories}
    cat_items["overall"] = survey.scored_items

    years = sorted({r.year for r in resp})

    # ---- row order of the scores CSV (§7) --------------------------------
    dept_order = {y: [d["code"] for d in org.depts(y)] for y in years}
    demo_pos = {name: j for j, (name, _, _) in enumerate(survey.demographics)}
    val_pos = {}
    for name, _, values in survey.demographics:
        val_pos[name] = {v: j for j, v in enumerate(values + [UNANSWERED])}

    def sort_key(key):
        y, d, c, v = key
        dpos = -1 if d == ALL else dept_order[y].index(d) if d in dept_order[y] else 10**9
        cpos = -1 if c == "" else demo_pos[c]
        vpos = -1 if c == "" else val_pos[c][v]
        return (y, dpos, cpos, vpos)

    def has_score(i, cat):
        return resp_score(resp[i], cat) is not None

    members = {}
    group_hidden = {}   # group key -> True when the group is hidden
    value_shown = {}    # (group key, value) -> True when the row is shown
    count = {}          # (group key, value) -> n

    for y in years:
        t0 = time.perf_counter()
        g = YearGroups(y, resp, org, survey)
        members.update(g.members)
        keys = list(g.members)
        row_order = {key: sort_key(key) for key in keys}
        splits = build_splits(g, survey, resp)

        # ---- groups (measure: rows) --------------------------------------
        rows_n = {key: len(g.members[key]) for key in keys}
        hidden = {key: rows_n[key] < k for key in keys}
        by_size = sum(hidden.values())
        newly = no_differencing(splits, rows_n, hidden, len, row_order, k)
        group_hidden.update(hidden)
        print(f"{y}: {len(keys)} groups, {by_size} hidden (< k rows), "
              f"{len(newly)} hidden by differencing; {len(splits)} splits", file=sys.stderr)

        # ---- each value on its own (measure: that value's count) ---------
        # JUDGEMENT: "for each value on its own" -- the runs of different
        # values do not affect each other or the groups: a category withheld
        # by the rule does not withhold `overall` or another category, and
        # no group is hidden because of a value.  They all start from the
        # same hidden groups of the run above and use the same splits.
        for cat in cat_ids:
            n = {key: sum(1 for i in g.members[key] if has_score(i, cat)) for key in keys}
            # JUDGEMENT: "a value whose count is under k is withheld" includes
            # a count of 0 (0 is under k).  Such a row is suppressed rather
            # than shown with n = 0 and no score; otherwise its favorable
            # rate, which counts answered items, could be printed for
            # respondents none of whom has a score there.
            hidden = {key: group_hidden[key] or n[key] < k for key in keys}
            by_count = sum(1 for key in keys if not group_hidden[key] and n[key] < k)

            def own_n(ix, cat=cat):
                return sum(1 for i in ix if has_score(i, cat))

            newly = no_differencing(splits, n, hidden, own_n, row_order, k)
            for key in keys:
                count[(key, cat)] = n[key]
                value_shown[(key, cat)] = not hidden[key]
            if by_count or newly:
                print(f"{y} {cat}: {by_count} withheld in shown groups (count < k), "
                      f"{len(newly)} by differencing", file=sys.stderr)
        print(f"{y}: confidentiality done in {time.perf_counter() - t0:.2f} s", file=sys.stderr)

    # ---- year over year (§4) -------------------------------------------
    def predecessors(y, dept):
        """Departments of year y-1 that the group is compared with."""
        if dept == ALL:
            return [ALL]
        row = next((d for d in org.depts(y) if d["code"] == dept), None)
        if row is None:
            return None
        return row["previous"] if row["previous"] else [dept]

    def scores_of(idx, cat):
        return [s for s in (resp_score(resp[i], cat) for i in idx) if s is not None]

    # ---- rows ----------------------------------------------------------
    rows = []
    n_supp_groups = 0
    n_supp_values = 0
    for key in sorted(members, key=sort_key):
        y, d, c, v = key
        idx = members[key]
        if group_hidden[key]:
            n_supp_groups += 1
        # the groups of last year it is compared with (same cut)
        prev_keys = None
        pd = predecessors(y, d)
        if pd is not None and (y - 1) in years:
            prev_keys = [(y - 1, p, c, v) for p in pd]
        for cat in cat_ids:
            if not value_shown[(key, cat)]:
                if not group_hidden[key]:
                    n_supp_values += 1
                rows.append([y, d, c, v, cat, "", "", "", "", "", "false", "true"])
                continue
            sc = scores_of(idx, cat)
            n = len(sc)
            assert n == count[(key, cat)] and n >= k
            score = mean(sc)
            vs = [resp[i].vprime[it] for i in idx for it in cat_items[cat]]
            vs = [x for x in vs if x is not None]
            fav = (100.0 * sum(1 for x in vs if x >= survey.threshold) / len(vs)) if vs else None
            delta = p = None
            sig = False
            # §4: only when, in every group it is compared with, the same
            # value was shown the year before.  JUDGEMENT: a group that did
            # not exist last year (no respondent, or a code not in last
            # year's org.csv) was not shown, so there is no delta.
            if prev_keys is not None and all(value_shown.get((pk, cat), False)
                                             for pk in prev_keys):
                # a merger compares with the union of its predecessors' respondents
                prev_idx = sorted(set().union(*(members[pk] for pk in prev_keys)))
                psc = scores_of(prev_idx, cat)
                delta = score - mean(psc)
                if len(sc) >= 2 and len(psc) >= 2:
                    res = stats.ttest_ind(np.array(sc), np.array(psc), equal_var=False)
                    pv = float(res.pvalue)
                    if not math.isnan(pv):
                        p = pv
                        sig = p < 0.05
            rows.append([y, d, c, v, cat, str(n), fmt_float(score), fmt_float(fav),
                         fmt_float(delta), fmt_float(p), "true" if sig else "false", "false"])

    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "department", "cut", "cut_value", "category", "n", "score",
                    "favorable", "delta", "p_value", "significant", "suppressed"])
        w.writerows(rows)
    print(f"wrote {out}: {len(rows)} rows, {len(members)} groups, "
          f"{n_supp_groups} hidden groups, {n_supp_values} more withheld values",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
