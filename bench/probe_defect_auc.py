#!/usr/bin/env python3
"""Which stats can see which planted defect of imagetext-noisy (issue 8)? For every stat of an analyzed
dataset and every defect kind, the within-source AUC of "defective vs clean" (Mann-Whitney, ties counted
half; per source, averaged weighted by the number of defective samples), computed from the ground truth
alone, never from probe results. A stat is a detector when |AUC - 0.5| >= --threshold for some defect,
unrelated when it stays below it for every defect (near_duplicate is left out: the copy and its original
look alike to every per-sample stat, only a deduplicator sees it).
Usage: probe_defect_auc.py ANALYZED.jsonl GROUND_TRUTH.jsonl [--threshold 0.1] [--json OUT.json]
"""
import argparse
import json
import math
from collections import defaultdict


def auc(pos, neg):
    """P(pos > neg) + P(tie)/2, by ranks."""
    if not pos or not neg:
        return None
    allv = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum = 0.0
    i = 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + 1 + j) / 2.0
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2.0) / (n1 * n0)


def number(v):
    if isinstance(v, bool):
        return float(v)
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, list) and v and all(isinstance(x, (int, float)) for x in v):
        return sum(v) / len(v)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("analyzed")
    ap.add_argument("truth")
    ap.add_argument("--threshold", type=float, default=0.1)
    ap.add_argument("--json")
    a = ap.parse_args()
    defects_of = {}
    for line in open(a.truth):
        g = json.loads(line)
        defects_of[g["id"]] = g["defects"]
    rows = []  # (source, defects, {stat: value})
    for line in open(a.analyzed):
        s = json.loads(line)
        sid = s["__dj__meta__"]["id"]
        stats = {k: number(v) for k, v in s.get("__dj__stats__", {}).items()}
        rows.append((s["__dj__meta__"].get("source", "?"), defects_of[sid], stats))
    stats = sorted({k for _, _, st in rows for k, v in st.items() if v is not None and math.isfinite(v)})
    kinds = sorted({d for _, ds, _ in rows for d in ds} - {"near_duplicate"})
    table = {}
    for st in stats:
        per = {}
        for d in kinds:
            num = den = 0.0
            for src in sorted({r[0] for r in rows}):
                pos = [r[2][st] for r in rows if r[0] == src and d in r[1] and r[2].get(st) is not None]
                neg = [r[2][st] for r in rows if r[0] == src and not r[1] and r[2].get(st) is not None]
                if len(pos) < 5 or len(neg) < 5:
                    continue
                num += auc(pos, neg) * len(pos)
                den += len(pos)
            per[d] = num / den if den else None
        dev = max(abs(v - 0.5) for v in per.values() if v is not None)
        table[st] = {"auc": per, "max_dev": dev, "label": "detector" if dev >= a.threshold else "unrelated"}
    print("| stat | " + " | ".join(kinds) + " | max abs(AUC-0.5) | label |")
    print("|---|" + "---|" * (len(kinds) + 2))
    for st in sorted(stats, key=lambda k: -table[k]["max_dev"]):
        t = table[st]
        cells = ["%.2f" % t["auc"][d] if t["auc"][d] is not None else "-" for d in kinds]
        print("| %s | %s | %.2f | %s |" % (st, " | ".join(cells), t["max_dev"], t["label"]))
    if a.json:
        json.dump(table, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
