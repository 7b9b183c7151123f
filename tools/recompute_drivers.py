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
* the resamples: 1000 per group unless the group alone has more than
  10,000 complete respondents (then max(200, 1000 * 10000 // n)), never
  depending on other groups (DESIGN §10);
* adjusted R^2 = 1 - (1 - R^2)(n - 1)/(n - p - 1), p = number of categories;
* reference = n < 100 (the group's own importance is only 参考);
* the rank differences: the categories ordered by their estimated shares
  (largest first, ties in survey order), and for each pair next to each
  other share_higher - share_lower with its 2.5/97.5 percentiles over the
  same resamples that gave weights;
* important: the lower bound of the 95 % share interval above 100 / p, the
  group's own interval, or for a `reference` group the organisation's
  (ALL, no cut, same year; not important when the organisation has none);
* below: the category's score below its 目安 of the year (the trajectory of
  the year's progress entry for the category, else its target; none when
  there is no entry), or, for a department as a whole, its comparison with
  the rest of the organisation significant with a negative difference;
* the quadrant: improve (important, below), keep (important), watch
  (below), maintain (neither);
* each category's score is the group's shown score in the JSON and the mean
  of its respondents' category scores;
and checks that each published group (whole, or cut by a demographic value)
has at least 30 complete respondents.  Prints one line per difference and a
summary; exits 1 when anything differs.
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
REPLICATES = 1000
MIN_REPLICATES = 200
LARGE_GROUP = 10_000
REFERENCE_BELOW = 100


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


def replicates(n: int) -> int:
    """Resamples of a group of n complete respondents (DESIGN §10)."""
    return REPLICATES if n <= LARGE_GROUP else max(MIN_REPLICATES, REPLICATES * LARGE_GROUP // n)


def shown(v):
    return v.get("visibility", {}).get("shown") if isinstance(v, dict) else None


def main(argv):
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    survey, org, resp, model = rs.workspace_and_model(Path(argv[1]), Path(argv[2]))
    cats = [c[0] for c in survey.categories]
    p = len(cats)
    outcomes = survey.outcome_order
    diffs, checked, counts = [], 0, {}

    def plain(x):
        if isinstance(x, (list, tuple)):
            return [plain(v) for v in x]
        return x.tolist() if isinstance(x, (np.generic, np.ndarray)) else x

    def differ(what, ours, theirs):
        diffs.append(f"{what}: ishiki {plain(ours)!r}, python {plain(theirs)!r}")

    def count(what, by=1):
        counts[what] = counts.get(what, 0) + by

    def ivl(v):
        return np.percentile(v, [2.5, 97.5])

    def same_interval(ours, theirs):
        return ours is not None and len(ours) == 2 and close(ours[0], theirs[0]) and close(ours[1], theirs[1])

    for year in model["years"]:
        y = year["year"]
        d = year.get("drivers")
        if not d or not d["groups"]:
            continue
        if "replicates" in d:
            differ(f"{y} drivers: a year-wide resample count", d["replicates"], None)
        g = rs.YearGroups(y, resp, org, survey)
        json_groups = {(gr["department"], gr["cut"] or "", gr["cut_value"] or ""): gr for gr in year["groups"]}
        # Each category's 目安 of the year: its goal's trajectory, else its target.
        guide = {}
        for pr in year.get("progress", []):
            if pr["id"] in cats:
                t = pr.get("trajectory")
                guide[pr["id"]] = t if t is not None else pr.get("target")

        def complete(i):
            r = resp[i]
            return (all(r.cat_scores[c] is not None for c in cats)
                    and outcomes and all(r.outcome.get(o) is not None for o in outcomes))

        # The organisation's own share intervals (recomputed), for reference groups.
        city_intervals = None
        analysed = []
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
            share = raw / r2 * 100
            reps = replicates(n)
            if gd.get("replicates") != reps:
                differ(f"{where} replicates", gd.get("replicates"), reps)
            bg = generator(y, seed_name)
            picks = rows_of(bg.random_raw(reps * n), n).reshape(reps, n)
            draws = [w for w in (weights(x[pk]) for pk in picks) if w is not None]
            if gd["resamples_used"] != len(draws):
                differ(f"{where} resamples used", gd["resamples_used"], len(draws))
            b_raw = np.array([w[0] for w in draws])
            b_r2 = np.array([w[1] for w in draws])
            b_share = b_raw / b_r2[:, None] * 100
            share_ivl = [ivl(b_share[:, j]) for j in range(p)]
            if code == "ALL" and not cut:
                city_intervals = share_ivl
            if not close(gd["r2"], r2):
                differ(f"{where} R2", gd["r2"], r2)
            adjusted = 1 - (1 - r2) * (n - 1) / (n - p - 1)
            if not close(gd.get("adjusted_r2"), adjusted):
                differ(f"{where} adjusted R2", gd.get("adjusted_r2"), adjusted)
            if not same_interval(gd["r2_interval"], ivl(b_r2)):
                differ(f"{where} R2 interval", gd["r2_interval"], list(ivl(b_r2)))
            reference = n < REFERENCE_BELOW
            if gd.get("reference") != reference:
                differ(f"{where} reference", gd.get("reference"), reference)
            count("reference groups", reference)
            # Neighbours in the order of the estimated shares (largest first, ties in survey order).
            order = sorted(range(p), key=lambda j: (-share[j], j))
            want_ranks = [(cats[a], cats[b], share[a] - share[b], ivl(b_share[:, a] - b_share[:, b]))
                          for a, b in zip(order, order[1:])]
            ours_ranks = gd.get("rank_differences") or []
            if len(ours_ranks) != len(want_ranks):
                differ(f"{where} rank differences", len(ours_ranks), len(want_ranks))
            for rd, (hi, lo, diff, iv) in zip(ours_ranks, want_ranks):
                if (rd.get("higher"), rd.get("lower")) != (hi, lo):
                    differ(f"{where} rank pair", (rd.get("higher"), rd.get("lower")), (hi, lo))
                    continue
                if not close(rd.get("difference"), diff):
                    differ(f"{where} {hi}>{lo} difference", rd.get("difference"), diff)
                if not same_interval(rd.get("interval"), iv):
                    differ(f"{where} {hi}>{lo} interval", rd.get("interval"), list(iv))
                count("rank differences")
                count("clear ranks", bool(iv[0] > 0))
            mine = shown(json_groups.get((code, cut, value), {}))
            for j, cd in enumerate(gd["categories"]):
                if cd["category"] != cats[j]:
                    differ(f"{where} category {j}", cd["category"], cats[j])
                    continue
                for name, ours, theirs in [("correlation", cd["correlation"], corr[j]),
                                           ("raw", cd["raw"], raw[j]), ("share", cd["share"], share[j])]:
                    if not close(ours, theirs):
                        differ(f"{where} {cd['category']} {name}", ours, theirs)
                for name, ours, theirs in [("raw interval", cd["raw_interval"], ivl(b_raw[:, j])),
                                           ("share interval", cd["share_interval"], share_ivl[j])]:
                    if not same_interval(ours, theirs):
                        differ(f"{where} {cd['category']} {name}", ours, list(theirs))
                value = shown(mine["scores"][j]) if mine else None
                score = rs.mean([s for s in (resp[i].cat_scores[cats[j]] for i in g.members[key]) if s is not None])
                if value is None or not close(value["score"], cd["score"]):
                    differ(f"{where} {cd['category']} score against the group's", cd["score"],
                           value["score"] if value else "withheld")
                if not close(cd["score"], score):
                    differ(f"{where} {cd['category']} score", cd["score"], score)
                checked += 1
            analysed.append((where, code, cut, gd, n, share_ivl, mine))
        # Importance and the portfolio, once the organisation's intervals are known.
        for where, code, cut, gd, n, share_ivl, mine in analysed:
            reference = n < REFERENCE_BELOW
            basis = city_intervals if reference else share_ivl
            for j, cd in enumerate(gd["categories"]):
                c = cats[j]
                important = basis is not None and bool(basis[j][0] > 100 / p)
                t = guide.get(c)
                under_target = t is not None and cd["score"] < t
                versus = None
                if code != "ALL" and not cut and mine:
                    versus = (shown(mine["scores"][j]) or {}).get("versus_city")
                under_city = bool(versus and versus.get("significant") and versus.get("difference") < 0)
                below = under_target or under_city
                want = {(True, True): "improve", (True, False): "keep",
                        (False, False): "maintain", (False, True): "watch"}[(important, below)]
                for name, ours, theirs in [("important", cd.get("important"), important),
                                           ("below", cd.get("below"), below), ("quadrant", cd.get("quadrant"), want)]:
                    if ours != theirs:
                        differ(f"{where} {c} {name}", ours, theirs)
                count(f"quadrant {want}")
                count("below the city", under_city)
                count("important by the city", important and reference)
    for line in diffs:
        print(line)
    c = counts.get
    print(f"{checked} category weights checked ({c('rank differences', 0)} rank differences, "
          f"{c('clear ranks', 0)} clear; {c('reference groups', 0)} reference groups; quadrants: "
          f"{c('quadrant improve', 0)} improve, {c('quadrant keep', 0)} keep, {c('quadrant maintain', 0)} maintain, "
          f"{c('quadrant watch', 0)} watch; {c('below the city', 0)} below the rest of the city, "
          f"{c('important by the city', 0)} important by the organisation's interval), {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
