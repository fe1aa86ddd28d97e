#!/usr/bin/env python3
"""Markdown summary of bench/probe_acceptance.sh results (budget curves, baselines, clean vs noisy)."""
import json
import os
import statistics
import sys

out = sys.argv[1]


def load(name, f="metrics.json"):
    p = os.path.join(out, name, f)
    return json.load(open(p)) if os.path.exists(p) else None


def fmt(x, d=3):
    return "–" if x is None else f"{x:.{d}f}"


print("## Budget curves (xs, 1 thread)\n")
print("| task | steps | samples | train s | metric | value | baseline |")
print("|---|---|---|---|---|---|---|")
for s in (250, 500, 1000, 2000):
    m, t = load(f"clip_steps{s}"), load(f"clip_steps{s}", "train.json")
    if not m:
        continue
    z, r = m["eval_zeroshot"], m["eval_retrieval"]
    print(f"| clip | {s} | {t['budget_samples']:,} | {t['seconds_train']:.0f} | zero-shot acc (mean of 3 tasks) | "
          f"{fmt(z['zeroshot_mean_accuracy'])} | chance {fmt(z['zeroshot_mean_chance'])} |")
    print(f"| | | | | retrieval i2t / t2i R@1, R@10 | {fmt(r['i2t_R@1'])} / {fmt(r['t2i_R@1'])}, "
          f"{fmt(r['i2t_R@10'])} / {fmt(r['t2i_R@10'])} | chance {fmt(r['chance_R@1'], 4)}, {fmt(r['chance_R@10'], 4)} |")
bc = json.load(open(os.path.join(out, "baseline_caption.json"))) if os.path.exists(os.path.join(out, "baseline_caption.json")) else None
for s in (375, 1500, 3000):
    m, t = load(f"caption_steps{s}"), load(f"caption_steps{s}", "train.json")
    if not m:
        continue
    c = m["eval_caption"]
    base = ""
    if bc:
        nn = bc["eval_caption"]["nearest_neighbour_caption"]
        base = f"NN caption {fmt(nn['BLEU-4'])} / {fmt(nn['CIDEr-D'])}"
    print(f"| caption | {s} | {t['budget_samples']:,} | {t['seconds_train']:.0f} | BLEU-4 / CIDEr-D (ppl) | "
          f"{fmt(c['BLEU-4'])} / {fmt(c['CIDEr-D'])} ({c['caption_perplexity']:.1f}) | {base} |")
bl = json.load(open(os.path.join(out, "baseline_lm.json"))) if os.path.exists(os.path.join(out, "baseline_lm.json")) else None
for s in (250, 1000, 2000):
    m, t = load(f"lm_steps{s}"), load(f"lm_steps{s}", "train.json")
    if not m:
        continue
    e = m["eval_lm"]
    base = ""
    if bl:
        u = bl["eval_lm"]["unigram"]
        base = f"unigram {u['perplexity']:.0f} ({fmt(u['bits_per_byte'])} bpb)"
    print(f"| lm | {s} | {t['budget_samples']:,} | {t['seconds_train']:.0f} | perplexity (bits/byte) | "
          f"{e['perplexity']:.0f} ({fmt(e['bits_per_byte'])}) | {base} |")

print("\n## Clean vs noisy training data (clip xs, 1000 steps x 128, 3 seeds; eval on clean imagetext)\n")
print("| train data | zero-shot acc mean ± sd | i2t R@1 mean ± sd | t2i R@10 mean ± sd |")
print("|---|---|---|---|")
rows = {}
for kind in ("clean", "noisy", "mismatch50"):
    zs, r1, r10 = [], [], []
    for seed in (1, 2, 3):
        m = load(f"{kind}_seed{seed}")
        if m:
            zs.append(m["eval_zeroshot"]["zeroshot_mean_accuracy"])
            r1.append(m["eval_retrieval"]["i2t_R@1"])
            r10.append(m["eval_retrieval"]["t2i_R@10"])
    if not zs:
        continue
    rows[kind] = (zs, r1, r10)
    sd = lambda v: statistics.stdev(v) if len(v) > 1 else 0.0
    label = {"clean": "imagetext (clean)", "noisy": "imagetext-noisy (9 defects x 5%)",
             "mismatch50": "imagetext, 50% captions mismatched"}[kind]
    print(f"| {label} | {statistics.mean(zs):.3f} ± {sd(zs):.3f} | {statistics.mean(r1):.3f} ± {sd(r1):.3f} | "
          f"{statistics.mean(r10):.3f} ± {sd(r10):.3f} |")
if "clean" in rows:
    for kind in ("noisy", "mismatch50"):
        if kind in rows:
            gaps = [c - n for c, n in zip(rows["clean"][1], rows[kind][1])]
            gz = [c - n for c, n in zip(rows["clean"][0], rows[kind][0])]
            print(f"\nclean − {kind} per seed: i2t R@1 {', '.join(f'{g:+.3f}' for g in gaps)}; "
                  f"zero-shot {', '.join(f'{g:+.3f}' for g in gz)}")
