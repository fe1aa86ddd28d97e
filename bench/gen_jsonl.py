#!/usr/bin/env python3
"""Synthetic Data-Juicer JSONL for benchmarks: N documents of about --doc-bytes bytes each.

Text is drawn from a Zipf-like English word list with punctuation, digits, some non-ASCII words and
newlines, plus extra fields (id, meta object) so readers do real work. Deterministic given --seed.
Usage: gen_jsonl.py OUT.jsonl --mb 200 [--doc-bytes 2048] [--seed 1]
"""
import argparse
import json
import random

WORDS = ("the of and to in a is that for it as was with be by on not he this are or his from at which "
         "but have an they you were her she there been one all we their has would when if so no what up "
         "data model sandbox probe recipe filter image text video quality sample token learn pool juicer "
         "training evaluation dataset operator statistic cluster correlation pyramid scaling caption "
         "café naïve über straße 数据 模型 données résumé").split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=200.0, help="approximate output size in MB")
    ap.add_argument("--doc-bytes", type=int, default=2048)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    weights = [1.0 / (i + 1) for i in range(len(WORDS))]
    target = int(a.mb * 1e6)
    written = 0
    i = 0
    with open(a.out, "w", encoding="utf-8") as f:
        while written < target:
            parts = []
            n = 0
            while n < a.doc_bytes - 40:
                w = rng.choices(WORDS, weights, k=12)
                s = " ".join(w)
                r = rng.random()
                if r < 0.1:
                    s += ". "
                elif r < 0.13:
                    s += ".\n"
                elif r < 0.15:
                    s += " %d, " % rng.randint(0, 99999)
                else:
                    s += " "
                parts.append(s)
                n += len(s.encode("utf-8"))
            text = "".join(parts)
            line = json.dumps({"id": i, "text": text, "meta": {"src": "synthetic", "n": i % 7}},
                              ensure_ascii=False) + "\n"
            f.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    print("%s: %d docs, %.1f MB" % (a.out, i, written / 1e6))


if __name__ == "__main__":
    main()
