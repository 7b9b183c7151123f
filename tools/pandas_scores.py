#!/usr/bin/env python3
"""The speed yardstick of the scale benchmark: one year's scores with pandas.

Usage:  python3 tools/pandas_scores.py WORKSPACE OUT.csv

Issue 10 asks for ishiki to be at least eight times faster than "a vectorised
pandas script" computing the same scores from the same CSV. This is that
script, so the ratio can be measured side by side on the same machine on the
same day (`cargo bench --bench scale` runs both in turn when pandas is
installed). It computes what the scores CSV's numbers need (DESIGN §4):

* item scores with reversal on the 0-100 scale;
* each respondent's category scores (at least half of the items, rounded up)
  and overall score (at least half of the categories);
* for every group - the city and every department with the departments below
  it, each whole and cut by every demographic value (blank = 未回答) - the
  mean and n of every category and overall, and the favourable rate.

It is written the way an analyst would write it in pandas: read_csv with the
dtypes given, whole-column arithmetic, and groupby sums. It leaves out what is
cheap in either implementation (the confidentiality rule, year-over-year
deltas, which need more than one year) and does not check the input. It is
not a reference for correctness; tools/recompute_scores.py is.
"""

from __future__ import annotations

import math
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

UNANSWERED = "未回答"


def main() -> None:
    workspace, out = Path(sys.argv[1]), Path(sys.argv[2])
    survey = tomllib.loads((workspace / "survey.toml").read_text(encoding="utf-8"))
    scale = survey["scale"]
    low, high, threshold = scale["min"], scale["max"], scale["favorable_threshold"]
    columns = survey["columns"]
    department = columns["department"]
    demographics = [(d["name"], d.get("column", d["name"])) for d in survey["demographics"]]
    reverse = {item["id"] for item in survey["items"] if item.get("reverse")}
    headers = {item["id"]: item.get("header", item["id"]) for item in survey["items"]}
    categories = [(c["id"], [headers[i] for i in c["items"]], c["items"]) for c in survey["categories"]]

    org = pd.read_csv(workspace / "org.csv", dtype=str, keep_default_na=False)
    parent = dict(zip(org["code"], org["parent"]))

    items = [h for _, hs, _ in categories for h in hs]
    dtypes = {department: str, **{column: "category" for _, column in demographics}}
    dtypes.update({h: "float32" for h in items})
    frames = [
        pd.read_csv(path, usecols=[department, *[c for _, c in demographics], *items], dtype=dtypes)
        for path in sorted((workspace / "responses").glob("*.csv"))
    ]
    answers = pd.concat(frames, ignore_index=True)

    values = pd.DataFrame(index=answers.index)
    category_scores = []
    for cid, hs, ids in categories:
        block = answers[hs].to_numpy()
        reversed_ = np.array([i in reverse for i in ids])
        block = np.where(reversed_, low + high - block, block)
        answered = ~np.isnan(block)
        count = answered.sum(axis=1)
        score = np.nansum((block - low) / (high - low) * 100.0, axis=1) / np.maximum(count, 1)
        score = np.where(count >= math.ceil(len(hs) / 2), score, np.nan)
        category_scores.append(score)
        values[f"{cid}_sum"] = np.nan_to_num(score)
        values[f"{cid}_n"] = ~np.isnan(score)
        values[f"{cid}_fav"] = ((block >= threshold) & answered).sum(axis=1)
        values[f"{cid}_ans"] = count
    stacked = np.column_stack(category_scores)
    have = (~np.isnan(stacked)).sum(axis=1)
    overall = np.nansum(stacked, axis=1) / np.maximum(have, 1)
    overall = np.where(have >= math.ceil(len(categories) / 2), overall, np.nan)
    values["overall_sum"] = np.nan_to_num(overall)
    values["overall_n"] = ~np.isnan(overall)
    values["overall_fav"] = sum(values[f"{cid}_fav"] for cid, _, _ in categories)
    values["overall_ans"] = sum(values[f"{cid}_ans"] for cid, _, _ in categories)

    # One groupby over the finest cells (department x every demographic), then
    # every published group is a sum of cells: the city, each department with
    # the departments below it, and each of those cut by one demographic.
    keys = [answers[column].cat.add_categories([UNANSWERED]).fillna(UNANSWERED) for _, column in demographics]
    names = [name for name, _ in demographics]
    cells = values.groupby([answers[department], *keys], observed=True).sum()
    cells.index.names = ["department", *names]
    cells = cells.reset_index()

    chains: dict[str, list[str]] = {}
    for code in org["code"]:
        chain, at = [], code
        while at:
            chain.append(at)
            at = parent.get(at, "")
        chains[code] = chain
    rolled = pd.concat(
        [cells.assign(department=cells["department"].map(lambda c, i=i: chains[c][i] if i < len(chains[c]) else None))
         for i in range(max(len(c) for c in chains.values()))]
        + [cells.assign(department="ALL")],
        ignore_index=True,
    ).dropna(subset=["department"])
    sums = [rolled.drop(columns=names).groupby("department").sum().reset_index().assign(cut="", value="")]
    for name in names:
        part = rolled.drop(columns=[n for n in names if n != name]).groupby(["department", name], observed=True).sum()
        sums.append(part.reset_index().rename(columns={name: "value"}).assign(cut=name))
    groups = pd.concat(sums, ignore_index=True).sort_values(["department", "cut", "value"], ignore_index=True)

    rows = []
    for cid in [c for c, _, _ in categories] + ["overall"]:
        n = groups[f"{cid}_n"]
        rows.append(
            pd.DataFrame(
                {
                    "department": groups["department"],
                    "cut": groups["cut"],
                    "value": groups["value"],
                    "category": cid,
                    "n": n.astype(int),
                    "score": groups[f"{cid}_sum"] / n.where(n > 0),
                    "favorable": 100.0 * groups[f"{cid}_fav"] / groups[f"{cid}_ans"].where(groups[f"{cid}_ans"] > 0),
                }
            )
        )
    pd.concat(rows, ignore_index=True).to_csv(out, index=False, float_format="%.6f")


if __name__ == "__main__":
    main()
