#!/usr/bin/env python3
"""Issue-8 acceptance on imagetext-noisy: do the OPs that can see a planted defect rank above the
unrelated ones?  Reads the results.json of `juicer sandbox probe` runs (one per dataset seed) and, per
run, compares the best-third improvement over the random pool of the defect-detecting stats (D) with
that of the unrelated stats (U):

  * T = mean over D of the mean improvement - mean over U of the mean improvement;
  * an exact OP-label permutation test: the share of all ways to pick |U| of the |D|+|U| stats as
    "unrelated" whose T is at least the observed one (one-sided; min p = 1 / C(|D|+|U|, |U|));
  * a paired t-test over model seeds of (mean over D - mean over U) of the per-seed improvements
    (one-sided).

usage: probe_defects_summary.py --detect a,b,c --unrelated x,y RUN_DIR [RUN_DIR ...]
"""
import argparse
import itertools
import json
import math
import os
import statistics


def t_sf(t, df):
    """One-sided upper tail of Student's t (regularized incomplete beta by continued fraction)."""
    x = df / (df + t * t)
    a, b = df / 2.0, 0.5

    def betacf(a, b, x):
        qab, qap, qam = a + b, a + 1, a - 1
        c, d = 1.0, 1 - qab * x / qap
        d = 1 / d if abs(d) > 1e-300 else 1e300
        h = d
        for m in range(1, 300):
            m2 = 2 * m
            aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            d = 1 / d if abs(d) > 1e-300 else 1e300
            c = 1 + aa / c if abs(c) > 1e-300 else 1e300
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            d = 1 / d if abs(d) > 1e-300 else 1e300
            c = 1 + aa / c if abs(c) > 1e-300 else 1e300
            de = d * c
            h *= de
            if abs(de - 1) < 1e-12:
                break
        return h

    lbeta = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
    front = math.exp(lbeta + a * math.log(x) + b * math.log(1 - x))
    ib = front * betacf(a, b, x) / a if x < (a + 1) / (a + b + 2) else 1 - front * betacf(b, a, 1 - x) / b
    p_two_tail_half = ib / 2
    return p_two_tail_half if t > 0 else 1 - p_two_tail_half


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--detect", required=True)
    ap.add_argument("--unrelated", required=True)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    detect, unrelated = a.detect.split(","), a.unrelated.split(",")
    print("| run | rank (best third vs random, mean improvement) | T | p (OP-label permutation) | p (paired t over seeds) |")
    print("|---|---|---|---|---|")
    for run in a.runs:
        res = json.load(open(os.path.join(run, "results.json")))
        sign = -1.0 if res["lower_is_better"] else 1.0
        pools = res["pools"]
        rnd = next(p for p in pools if p["pool"] == "random")["values"]
        rmean = statistics.mean(rnd)
        per_seed = {}  # stat -> improvement by seed of its best third
        for stat in detect + unrelated:
            best = None
            for p in pools:
                if p["stat"] != stat:
                    continue
                imp = [sign * (v - r) / rmean for v, r in zip(p["values"], rnd)]
                if best is None or statistics.mean(imp) > statistics.mean(best[1]):
                    best = (p["third"], imp)
            if best is None:
                raise SystemExit(f"{run}: no pools for stat {stat}")
            per_seed[stat] = best[1]
        mean_imp = {s: statistics.mean(v) for s, v in per_seed.items()}
        stats = detect + unrelated

        def t_of(u_set):
            d_set = [s for s in stats if s not in u_set]
            return statistics.mean(mean_imp[s] for s in d_set) - statistics.mean(mean_imp[s] for s in u_set)

        obs = t_of(unrelated)
        combos = list(itertools.combinations(stats, len(unrelated)))
        p_perm = sum(1 for c in combos if t_of(list(c)) >= obs - 1e-15) / len(combos)
        n_seeds = len(rnd)
        diffs = [statistics.mean(per_seed[s][i] for s in detect) - statistics.mean(per_seed[s][i] for s in unrelated)
                 for i in range(n_seeds)]
        md, sd = statistics.mean(diffs), statistics.stdev(diffs) if n_seeds > 1 else float("nan")
        p_t = t_sf(md / (sd / math.sqrt(n_seeds)), n_seeds - 1) if sd > 0 else (0.0 if md > 0 else 1.0)
        ranked = sorted(stats, key=lambda s: -mean_imp[s])
        rank_txt = ", ".join(f"{'**' if s in detect else '_'}{s}{'**' if s in detect else '_'} {100 * mean_imp[s]:+.1f}%"
                             for s in ranked)
        print(f"| {os.path.basename(os.path.normpath(run))} | {rank_txt} | {100 * obs:+.1f} pts | {p_perm:.3g} | {p_t:.3g} |")


if __name__ == "__main__":
    main()
