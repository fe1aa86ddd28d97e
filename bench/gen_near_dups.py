#!/usr/bin/env python3
"""A corpus with planted near-duplicates for the MinHash benchmark, and the ground truth.

Base documents (~--doc-bytes each) are drawn from a Zipf distribution over --vocab pseudo-words. A
fraction of them get copies: 'light' copies (a few words replaced/inserted/deleted: 5-gram Jaccard well
above 0.7) and 'heavy' copies (many edits: Jaccard well below 0.7). Every copy's exact Jaccard with its
source is computed with Data-Juicer's default MinHash tokenization (lowercase, split on spaces, 5-word
shingles) and written to TRUTH.jsonl, so precision/recall are measured against real similarity.
Usage: gen_near_dups.py OUT.jsonl TRUTH.jsonl --mb 100 [--doc-bytes 2048] [--seed 1]
"""
import argparse
import bisect
import itertools
import json
import random


def shingles(text, w=5):
    toks = [t for t in text.lower().split(" ") if t]
    return {" ".join(toks[i:i + w]) for i in range(len(toks) - w + 1)}


def jaccard(a, b):
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / max(1, len(sa | sb))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("truth")
    ap.add_argument("--mb", type=float, default=100.0)
    ap.add_argument("--doc-bytes", type=int, default=2048)
    ap.add_argument("--vocab", type=int, default=20000)
    ap.add_argument("--dup-fraction", type=float, default=0.2, help="share of base docs that get copies")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    syl = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ga", "ri", "mo", "za", "be", "xu"]
    vocab = sorted({"".join(rng.choice(syl) for _ in range(rng.randint(1, 4))) for _ in range(a.vocab * 2)})
    rng.shuffle(vocab)
    vocab = vocab[:a.vocab]
    cum = list(itertools.accumulate(1.0 / (i + 1) ** 1.05 for i in range(len(vocab))))

    def words(n):
        return [vocab[bisect.bisect_left(cum, rng.random() * cum[-1])] for _ in range(n)]

    def edit(ws, n_edits):
        ws = list(ws)
        for _ in range(n_edits):
            op = rng.random()
            i = rng.randrange(len(ws))
            if op < 0.5:
                ws[i] = words(1)[0]
            elif op < 0.75:
                ws.insert(i, words(1)[0])
            elif len(ws) > 10:
                del ws[i]
        return ws

    target = int(a.mb * 1e6)
    written = 0
    doc_id = 0
    with open(a.out, "w") as out, open(a.truth, "w") as truth:
        while written < target:
            n = max(20, a.doc_bytes // 7)
            base = words(n)
            text = " ".join(base)
            rows = [(doc_id, text, None, None)]
            if rng.random() < a.dup_fraction:
                for kind in ("light", "heavy"):
                    if rng.random() < 0.6:
                        edits = rng.randint(1, 4) if kind == "light" else rng.randint(n // 6, n // 3)
                        t = " ".join(edit(base, edits))
                        rows.append((None, t, kind, jaccard(text, t)))
            for src, t, kind, j in rows:
                line = json.dumps({"text": t, "id": doc_id}, ensure_ascii=False)
                out.write(line + "\n")
                written += len(line) + 1
                if kind is not None:
                    truth.write(json.dumps({"id": doc_id, "source": rows[0][0], "kind": kind,
                                            "jaccard": round(j, 4)}) + "\n")
                doc_id += 1


if __name__ == "__main__":
    main()
