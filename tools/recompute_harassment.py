#!/usr/bin/env python3
"""Independent check of the harassment survey in the scores JSON.

Usage:  python3 tools/recompute_harassment.py WORKSPACE SCORES.json

Written from DESIGN.md §2, §3 and §5, with recompute_scores.py's readers
(survey.toml's scale, org.csv, tables) and its no_differencing(), not from
the Rust.  Reads harassment/* (CSV in UTF-8 or CP932, .xlsx, .xls; a
multiple-choice question in one cell separated by 、 , ; / or as one 0/1
column per choice, `H02_パワハラ`), then for every year:

1. Groups: the whole organisation and every department (its own
   respondents and those of every department below it), existing when they
   have a respondent.  A group under the harassment survey's k (rows) is
   hidden; then §5's no-differencing rule runs on rows along the department
   tree: the organisation into its top-level departments, a department into
   the departments directly below it plus its own direct respondents (never
   printed).
2. Each question by the respondents who answered it (「該当なし」 is no
   answer to count: a share of 受けた際に相談した is among those it applies
   to): in a shown group, under k is withheld; the rule runs again with these
   counts.
3. Each share (§5 "Harassment answers"): below the whole organisation, a
   share is withheld unless at least 5 respondents chose its answer and at
   least 5 answered the question without choosing it.  Both counts are
   measures under the rule with k = 5: a part is hidden when its group or
   question is, or the share is withheld there; a department's own
   respondents are hidden for a count exactly when that count is under 5.
   JUDGEMENT: the shares of a single-choice question add up to 100 %, so one
   withheld share could be worked out from the others: they are withheld
   together (one hidden set, the counts of every choice as measures).  Each
   type of a multiple-choice question is a share of its own.
   JUDGEMENT: the rule runs on the measures in turn (choices in survey.toml
   order, chosen before not chosen), and again over all of them until one
   whole round hides nothing, since hiding for one count can leave a split
   unsafe for another.
   The scale question has no shares: score = mean of (v - min) * 100 /
   (max - min), favorable = share of v >= the favorable threshold.

It checks that the JSON's harassment groups, their respondents, every
question's visibility, count, score and favorable share, and every share's
value or reason are exactly these.  Prints each difference and a summary;
exits 1 on any.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recompute_scores as rs  # noqa: E402
from recompute_scores import close  # noqa: E402

ALL = rs.ALL
SHARE_MIN = 5
NOT_APPLICABLE = {"該当なし", "非該当", "該当しない"}
SEPARATORS = re.compile(r"[、,，;；/／\n]")
YES = {"1", "○", "〇", "●", "✓", "true", "はい", "あり"}
NO = {"", "0", "×", "false", "いいえ", "なし", "-"}


def norm(s: str) -> str:
    return "".join(rs.nfkc(s).split()).lower()


class Harassment:
    def __init__(self, path: Path):
        with open(path, "rb") as f:
            t = tomllib.load(f)
        h = t.get("harassment")
        if h is None:
            raise SystemExit("survey.toml has no [harassment]")
        self.k = int(h.get("min_group_size", 10))
        self.sheet = h.get("sheet")
        self.questions = [
            {"id": q["id"], "text": q.get("text", ""), "kind": q["kind"],
             "choices": [str(c) for c in q.get("choices", [])], "header": q.get("header")}
            for q in h.get("questions", [])
        ]


def base_choices(q):
    """The choices whose shares are published (not 「該当なし」)."""
    return [c for c in q["choices"] if c not in NOT_APPLICABLE]


def column(headers, names):
    wanted = {norm(n) for n in names if n}
    return next((i for i, h in enumerate(headers) if norm(h) in wanted), None)


def load_harassment(ws: Path, survey: rs.Survey, hs: Harassment, org: rs.Org):
    """Respondents as (year, department, {question id: answer}); an answer is
    a choice, a set of choices (multiple), an int (scale) or None."""
    out = []
    files = sorted(p for p in (ws / "harassment").iterdir()
                   if p.is_file() and not p.name.startswith((".", "~$")))
    for path in files:
        table = rs.load_table(path, hs.sheet)
        if table is None:
            continue
        top = next(i for i, row in enumerate(table[:20])
                   if any(rs.cell_text(c) in survey.dept_col for c in row))
        headers = [rs.cell_text(c) for c in table[top]]
        dept_i = rs.first_header(headers, survey.dept_col)
        year_i = rs.first_header(headers, survey.year_col)
        cols = {}
        for q in hs.questions:
            names = [q["header"]] if q["header"] else [q["id"], q["text"], f"{q['id']} {q['text']}"]
            one = column(headers, names)
            per_choice = None
            if q["kind"] == "multiple" and one is None:
                b = q["header"] or q["id"]
                per_choice = [column(headers, [f"{b}_{c}", f"{b}:{c}", f"{b}（{c}）", f"{b}({c})"])
                              for c in q["choices"]]
            cols[q["id"]] = (one, per_choice)
        for row in table[top + 1:]:
            cells = [rs.cell_text(c) for c in row]
            if not any(cells):
                continue
            cells += [""] * (len(headers) - len(cells))
            y = rs.parse_year(cells[year_i]) if year_i is not None else None
            y = y if y is not None else rs.parse_year(path.stem)
            codes = [d["code"] for d in org.depts(y)]
            code = cells[dept_i].strip()
            if code not in codes and code.isdigit():
                code = next((c for c in codes if c.isdigit() and int(c) == int(code)), code)
            answers = {}
            for q in hs.questions:
                one, per_choice = cols[q["id"]]
                if q["kind"] == "scale":
                    answers[q["id"]] = survey.parse_answer(cells[one])
                elif q["kind"] == "single":
                    t = norm(cells[one])
                    answers[q["id"]] = next(c for c in q["choices"] if norm(c) == t) if t else None
                elif one is not None:
                    parts = [norm(p) for p in SEPARATORS.split(cells[one]) if p.strip()]
                    answers[q["id"]] = {c for c in q["choices"] if norm(c) in parts} if parts else None
                else:
                    texts = [norm(cells[i]) if i is not None else "" for i in per_choice]
                    if all(t == "" for t in texts):
                        answers[q["id"]] = None
                    else:
                        for t in texts:
                            assert t in YES or t in NO or t in map(norm, q["choices"]), t
                        answers[q["id"]] = {c for c, t in zip(q["choices"], texts)
                                            if t in YES or t == norm(c)}
            out.append((y, code, answers))
    return out


def answered(q, a):
    if q["kind"] == "single":
        return a is not None and a not in NOT_APPLICABLE
    return a is not None


def chose(q, a, choice):
    return a == choice if q["kind"] == "single" else (a is not None and choice in a)


class Year:
    """One year's groups, splits and the rule's results."""

    def __init__(self, y, people, org: rs.Org, hs: Harassment, survey: rs.Survey):
        self.year = y
        depts = org.depts(y)
        codes = [d["code"] for d in depts]
        parent = {d["code"]: d["parent"] for d in depts}
        children = {c: [] for c in codes}
        tops = []
        for c in codes:
            (children[parent[c]] if parent[c] in children else tops).append(c)
        mine = [p for p in people if p[0] == y]
        self.members = {ALL: mine}
        own = {c: [p for p in mine if p[1] == c] for c in codes}
        for c in codes:
            subtree, todo = set(), [c]
            while todo:
                d = todo.pop()
                subtree.add(d)
                todo += children[d]
            self.members[c] = [p for p in mine if p[1] in subtree]
        self.keys = [key for key in [ALL] + codes if self.members[key]]
        self.row_order = {key: i for i, key in enumerate(self.keys)}
        self.splits = [rs.Split(ALL, [t for t in tops if self.members[t]], [])]
        for c in codes:
            if self.members[c] and children[c]:
                self.splits.append(rs.Split(c, [ch for ch in children[c] if self.members[ch]], [own[c]]))
        k = hs.k

        def rule(count, hidden, kk):
            """Runs no_differencing with `count` (people -> int) as the measure."""
            measure = {key: count(self.members[key]) for key in self.keys}
            return rs.no_differencing(self.splits, measure, hidden, count, self.row_order, kk)

        # Groups by rows.
        self.group_reason = {key: "too_few" if len(self.members[key]) < k else None for key in self.keys}
        hidden = {key: r is not None for key, r in self.group_reason.items()}
        for key in rule(len, hidden, k):
            self.group_reason[key] = "differencing"
        group_hidden = dict(hidden)

        # Questions by their answered counts; then shares.
        self.question_reason = {}
        self.share_reason = {}
        self.counts = {}
        for q in hs.questions:
            qid = q["id"]

            def n_answered(ps, q=q):
                return sum(1 for p in ps if answered(q, p[2][q["id"]]))

            reason = {key: None if group_hidden[key] else "too_few" if n_answered(self.members[key]) < k else None
                      for key in self.keys}
            hidden = {key: group_hidden[key] or reason[key] is not None for key in self.keys}
            for key in rule(n_answered, hidden, k):
                reason[key] = "differencing"
            q_hidden = dict(hidden)
            for key in self.keys:
                self.question_reason[(key, qid)] = reason[key]
                self.counts[(key, qid)] = n_answered(self.members[key])
            if q["kind"] == "scale":
                continue
            base = base_choices(q)
            blocks = [base] if q["kind"] == "single" else [[c] for c in base]
            for block in blocks:
                measures = []
                for c in block:
                    def chosen(ps, q=q, c=c):
                        return sum(1 for p in ps if chose(q, p[2][q["id"]], c))

                    def not_chosen(ps, q=q, c=c):
                        return sum(1 for p in ps if answered(q, p[2][q["id"]]) and not chose(q, p[2][q["id"]], c))
                    measures += [chosen, not_chosen]
                reason = {}
                for key in self.keys:
                    few = key != ALL and any(m(self.members[key]) < SHARE_MIN for m in measures)
                    reason[key] = None if q_hidden[key] else "small_count" if few else None
                hidden = {key: q_hidden[key] or reason[key] is not None for key in self.keys}
                while True:
                    newly = [key for m in measures for key in rule(m, hidden, SHARE_MIN)]
                    for key in newly:
                        reason[key] = "differencing"
                    if not newly:
                        break
                for c in block:
                    for key in self.keys:
                        self.share_reason[(key, qid, c)] = reason[key]


def withheld_reason(v):
    w = v.get("withheld") if isinstance(v, dict) else None
    return w["reason"] if w else None


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    ws = Path(argv[1])
    survey, org, _, model = rs.workspace_and_model(ws, Path(argv[2]))
    hs = Harassment(ws / "survey.toml")
    people = load_harassment(ws, survey, hs, org)
    span = survey.max - survey.min
    diffs = []
    n_groups = n_questions = n_shares = few = differenced = 0
    for year in model["years"]:
        y = year["year"]
        h = year.get("harassment")
        if not any(p[0] == y for p in people):
            if h is not None:
                diffs.append(f"{y}: harassment results without respondents")
            continue
        if h is None:
            diffs.append(f"{y}: no harassment results")
            continue
        r = Year(y, people, org, hs, survey)
        if h["min_group_size"] != hs.k:
            diffs.append(f"{y}: k {h['min_group_size']} != {hs.k}")
        ours = {g["department"]: g for g in h["groups"]}
        if list(ours) != r.keys:
            diffs.append(f"{y}: groups {list(ours)} != {r.keys}")
        for key in r.keys:
            g = ours.get(key)
            if g is None:
                continue
            n_groups += 1
            where = f"{y} {key}"
            if withheld_reason(g["visibility"]) != r.group_reason[key]:
                diffs.append(f"{where}: group {g['visibility']} != {r.group_reason[key]}")
                continue
            f = g["visibility"].get("shown")
            if f is None:
                continue
            if f["respondents"] != len(r.members[key]):
                diffs.append(f"{where}: respondents {f['respondents']} != {len(r.members[key])}")
            for q, jq in zip(hs.questions, f["questions"]):
                qid = q["id"]
                at = f"{where} {qid}"
                n_questions += 1
                if jq["id"] != qid:
                    diffs.append(f"{at}: question {jq['id']}")
                    continue
                want_choices = base_choices(q) if q["kind"] != "scale" else []
                if jq["choices"] != want_choices:
                    diffs.append(f"{at}: choices {jq['choices']} != {want_choices}")
                if withheld_reason(jq["visibility"]) != r.question_reason[(key, qid)]:
                    diffs.append(f"{at}: question {jq['visibility']} != {r.question_reason[(key, qid)]}")
                    continue
                qf = jq["visibility"].get("shown")
                if qf is None:
                    continue
                n = r.counts[(key, qid)]
                if qf["answered"] != n:
                    diffs.append(f"{at}: answered {qf['answered']} != {n}")
                answers = [p[2][qid] for p in r.members[key] if answered(q, p[2][qid])]
                if q["kind"] == "scale":
                    score = sum((v - survey.min) * 100.0 / span for v in answers) / n
                    favorable = sum(1 for v in answers if v >= survey.threshold) * 100.0 / n
                    for name, a, b in [("score", qf["score"], score), ("favorable", qf["favorable"], favorable)]:
                        if not close(a, b):
                            diffs.append(f"{at} {name}: ishiki {a!r}, python {b!r}")
                    continue
                if len(qf["shares"]) != len(want_choices):
                    diffs.append(f"{at}: {len(qf['shares'])} shares")
                    continue
                for c, share in zip(want_choices, qf["shares"]):
                    n_shares += 1
                    want = r.share_reason[(key, qid, c)]
                    few += want == "small_count"
                    differenced += want == "differencing"
                    got = withheld_reason(share)
                    if got != want:
                        diffs.append(f"{at} {c}: ishiki {got or share}, python {want}")
                    elif want is None:
                        value = sum(1 for a in answers if chose(q, a, c)) * 100.0 / n
                        if not close(share.get("shown"), value):
                            diffs.append(f"{at} {c}: ishiki {share}, python {value!r}")
    for line in diffs:
        print(line)
    print(f"{n_shares} shares checked ({few} withheld as few chose them or few did not, {differenced} by "
          f"differencing), {n_questions} questions, {n_groups} groups, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
