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

Which stats are D and which U is either given (--detect/--unrelated) or, with RUN_DIR:GROUND_TRUTH
arguments, decided from the ground truth alone, before looking at any probe result: a stat is a detector
when its cleanest third (the pools the run trained on) holds at least --min-removal (default 7.5%) fewer
defective samples than the data as a whole, unrelated otherwise (near_duplicate is not counted: no
per-sample stat can tell a copy from its original). Then also the Spearman correlation, over all stats,
of the share of defects removed by the cleanest third and the probe improvement of the best third
(one-sided permutation p, 20,000 shuffles).

usage: probe_defects_summary.py --detect a,b,c --unrelated x,y RUN_DIR [RUN_DIR ...]
       probe_defects_summary.py RUN_DIR:GROUND_TRUTH.jsonl [...]   (D and U from the ground truth)
"""
import glob
import random
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


def removal_by_stat(run, truth_path):
    """stat -> share of (non near-duplicate) defective samples its cleanest third removes vs the data."""
    defective = {}
    for line in open(truth_path):
        g = json.loads(line)
        defective[g["id"]] = any(d != "near_duplicate" for d in g["defects"])
    base = sum(defective.values()) / len(defective)
    out = {}
    for stat_dir in sorted(glob.glob(os.path.join(run, "pools", "*"))):
        stat = os.path.basename(stat_dir)
        if stat == "random":
            continue
        rates = []
        for f in sorted(glob.glob(os.path.join(stat_dir, "*.jsonl"))):
            ids = [json.loads(l)["__dj__meta__"]["id"] for l in open(f) if l.strip()]
            rates.append(sum(defective[i] for i in ids) / len(ids))
        out[stat] = 1 - min(rates) / base
    return out


def spearman(x, y):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(v):
            j = i
            while j + 1 < len(v) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2.0
            i = j + 1
        return r
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.mean(rx), statistics.mean(ry)
    num = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    den = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return num / den if den > 0 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--detect")
    ap.add_argument("--unrelated")
    ap.add_argument("--min-removal", type=float, default=0.075)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    print("| run | rank (best third vs random, mean improvement; **D**, _U_; cleanest third's defect removal) | T | p (OP-label permutation) | p (paired t over seeds) | Spearman(removal, improvement), p |")
    print("|---|---|---|---|---|---|")
    for arg in a.runs:
        run, _, truth = arg.partition(":")
        removal = removal_by_stat(run, truth) if truth else {}
        if a.detect and a.unrelated:
            detect, unrelated = a.detect.split(","), a.unrelated.split(",")
        elif truth:
            detect = sorted(s for s, r in removal.items() if r >= a.min_removal)
            unrelated = sorted(s for s, r in removal.items() if r < a.min_removal)
        else:
            raise SystemExit("give --detect and --unrelated, or RUN_DIR:GROUND_TRUTH.jsonl")
        if not detect or not unrelated:
            raise SystemExit(f"{run}: need at least one detector and one unrelated stat (removal: {removal})")
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
        rank_txt = ", ".join(f"{'**' if s in detect else '_'}{s}{'**' if s in detect else '_'} {100 * mean_imp[s]:+.1f}%" +
                             (f" ({100 * removal[s]:.0f}%)" if s in removal else "") for s in ranked)
        rho_txt = "-"
        if removal:
            xs = [removal[s] for s in stats]
            ys = [mean_imp[s] for s in stats]
            rho = spearman(xs, ys)
            rng = random.Random(1)
            hits = 0
            for _ in range(20000):
                perm = ys[:]
                rng.shuffle(perm)
                hits += spearman(xs, perm) >= rho - 1e-12
            rho_txt = f"{rho:+.2f}, p {(hits + 1) / 20001:.3g}"
        print(f"| {os.path.basename(os.path.normpath(run))} | {rank_txt} | {100 * obs:+.1f} pts | {p_perm:.3g} | {p_t:.3g} | {rho_txt} |")


if __name__ == "__main__":
    main()
