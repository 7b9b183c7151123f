#!/usr/bin/env python3
"""Independent check of ishiki's driver analysis (issue 12) in its JSON.

Usage:  python3 tools/recompute_drivers.py WORKSPACE SCORES.json

Reads the workspace with recompute_scores.py's reader (itself checked against
the scores CSV), then for every year and every group whose analysis the JSON
publishes recomputes with numpy:

* the complete respondents: every category score and every outcome question
  answered; the outcome score is the mean of the outcome item scores;
* the correlations of each category score with the outcome score;
* Johnson's relative weights from the correlation matrix: with
  Rxx = V diag(l) V', Lambda = V diag(sqrt l) V', beta = Lambda^-1 rxy,
  raw_j = sum_k Lambda_jk^2 beta_k^2, R^2 = sum raw, share = raw / R^2 * 100;
* the bootstrap intervals: numpy's PCG64 set to the state ishiki documents
  (inc = 2 * fnv1a64(name) + 1, state = ((year + inc) * M + inc) mod 2^128,
  the name being the code, or `code|demographic|value` for a cut),
  row floor(u * n / 2^64) for each raw 64-bit output u, resamples with a
  constant variable skipped, numpy.percentile at 2.5 and 97.5;
* the quadrant: share against 100 / categories, score against the mean of
  the group's category scores;
and checks that each published group (whole, or cut by a demographic value)
has at least 30 complete respondents.  Prints one line per difference and a summary; exits 1
when anything differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import recompute_scores as rs  # noqa: E402
from recompute_scores import close  # noqa: E402

MUL = 0x2360ED051FC65DA44385DF649FCCF645
MASK128 = (1 << 128) - 1
MIN_RESPONDENTS = 30


def fnv1a64(text: str) -> int:
    h = 0xCBF29CE484222325
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & ((1 << 64) - 1)
    return h


def generator(year: int, code: str) -> np.random.PCG64:
    inc = ((fnv1a64(code) << 1) | 1) & MASK128
    state = ((year + inc) * MUL + inc) & MASK128
    bg = np.random.PCG64()
    bg.state = {"bit_generator": "PCG64", "state": {"state": state, "inc": inc},
                "has_uint32": 0, "uinteger": 0}
    return bg


def rows_of(raw: np.ndarray, n: int) -> np.ndarray:
    """floor(u * n / 2^64) for uint64 u and n < 2^32, without overflow."""
    hi = raw >> np.uint64(32)
    lo = raw & np.uint64(0xFFFFFFFF)
    n = np.uint64(n)
    return ((hi * n + ((lo * n) >> np.uint64(32))) >> np.uint64(32)).astype(np.int64)


def weights(x: np.ndarray):
    """(raw weights, R^2, correlations) of the last column on the others, or None."""
    if x.shape[0] < 3 or np.any(x.std(axis=0) == 0):
        return None
    r = np.corrcoef(x, rowvar=False)
    p = r.shape[0] - 1
    rxx, rxy = r[:p, :p], r[:p, p]
    lam, vec = np.linalg.eigh(rxx)
    if np.any(lam <= 1e-10):
        return None
    big = vec @ np.diag(np.sqrt(lam)) @ vec.T
    beta = vec @ np.diag(1 / np.sqrt(lam)) @ vec.T @ rxy
    raw = (big ** 2) @ (beta ** 2)
    return raw, raw.sum(), rxy


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    survey, org, resp, model = rs.workspace_and_model(Path(argv[1]), Path(argv[2]))
    cats = [c[0] for c in survey.categories]
    outcomes = survey.outcome_order
    diffs, checked = [], 0

    def differ(what, ours, theirs):
        diffs.append(f"{what}: ishiki {ours!r}, python {theirs!r}")

    for year in model["years"]:
        y = year["year"]
        d = year.get("drivers")
        if not d or not d["groups"]:
            continue
        g = rs.YearGroups(y, resp, org, survey)

        def complete(i):
            r = resp[i]
            return (all(r.cat_scores[c] is not None for c in cats)
                    and outcomes and all(r.outcome.get(o) is not None for o in outcomes))

        for gd in d["groups"]:
            code = gd["department"]
            cut, value = gd["cut"] or "", gd["cut_value"] or ""
            key = (y, code, cut, value)
            seed_name = f"{code}|{cut}|{value}" if cut else code
            members = [i for i in g.members.get(key, []) if complete(i)]
            n = len(members)
            where = f"{y} {code} {cut}={value}" if cut else f"{y} {code}"
            if n != gd["n"]:
                differ(f"{where} n", gd["n"], n)
                continue
            if n < MIN_RESPONDENTS:
                differ(f"{where} published with fewer than {MIN_RESPONDENTS}", n, MIN_RESPONDENTS)
            x = np.array([[resp[i].cat_scores[c] for c in cats]
                          + [float(np.mean([survey.item_score(resp[i].outcome[o]) for o in outcomes]))]
                          for i in members])
            est = weights(x)
            if est is None:
                differ(f"{where} weights", "defined", None)
                continue
            raw, r2, corr = est
            bg = generator(y, seed_name)
            reps = d["replicates"]
            picks = rows_of(bg.random_raw(reps * n), n).reshape(reps, n)
            draws = [w for w in (weights(x[p]) for p in picks) if w is not None]
            if gd["resamples_used"] != len(draws):
                differ(f"{where} resamples used", gd["resamples_used"], len(draws))
            b_raw = np.array([w[0] for w in draws])
            b_r2 = np.array([w[1] for w in draws])
            b_share = b_raw / b_r2[:, None] * 100
            ivl = lambda v: np.percentile(v, [2.5, 97.5])  # noqa: E731
            if not close(gd["r2"], r2):
                differ(f"{where} R2", gd["r2"], r2)
            lo, hi = ivl(b_r2)
            if not (close(gd["r2_interval"][0], lo) and close(gd["r2_interval"][1], hi)):
                differ(f"{where} R2 interval", gd["r2_interval"], [lo, hi])
            scores = []
            for j, cd in enumerate(gd["categories"]):
                scores.append(cd["score"])
                share = raw[j] / r2 * 100
                for name, ours, theirs in [("correlation", cd["correlation"], corr[j]),
                                           ("raw", cd["raw"], raw[j]), ("share", cd["share"], share)]:
                    if not close(ours, theirs):
                        differ(f"{where} {cd['category']} {name}", ours, theirs)
                for name, ours, theirs in [("raw interval", cd["raw_interval"], ivl(b_raw[:, j])),
                                           ("share interval", cd["share_interval"], ivl(b_share[:, j]))]:
                    if not (close(ours[0], theirs[0]) and close(ours[1], theirs[1])):
                        differ(f"{where} {cd['category']} {name}", ours, list(theirs))
                checked += 1
            mean_score = sum(scores) / len(scores)
            for j, cd in enumerate(gd["categories"]):
                share = raw[j] / r2 * 100
                important, high = share >= 100 / len(cats), cd["score"] >= mean_score
                want = {(True, False): "improve", (True, True): "keep",
                        (False, True): "maintain", (False, False): "watch"}[(important, high)]
                if cd["quadrant"] != want:
                    differ(f"{where} {cd['category']} quadrant", cd["quadrant"], want)
    for line in diffs:
        print(line)
    print(f"{checked} category weights checked, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
