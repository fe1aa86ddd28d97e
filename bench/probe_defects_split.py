#!/usr/bin/env python3
"""Held-out split for the imagetext-noisy acceptance (issue 8): the image-text similarity stat must come
from a juicer CLIP scorer trained on clean data the probes never see.

Items are grouped into families by image path (emoji: the base code point, so skin-tone and gender
variants stay together; Openclipart and Tux Paint: the directory; Fashion-MNIST: the image), and a family
goes to the scorer side when md5(family) mod 10 < 4. Writes
  CLEAN_DIR/scorer_train.jsonl  clean train items of scorer families (train the scorer on these)
  NOISY_DIR/probe_train.jsonl   noisy train samples of the other families (run the probe loop on these)
  NOISY_DIR/probe_ground_truth.jsonl  their ground-truth lines, in the same order
The family rule does not depend on the dataset seed, so one scorer serves every noisy seed.
Usage: probe_defects_split.py CLEAN_DIR NOISY_DIR [NOISY_DIR ...]
"""
import hashlib
import json
import os
import sys


def family(image_path):
    parts = image_path.split("/")
    source = parts[1] if len(parts) > 2 else ""
    stem = os.path.splitext(parts[-1])[0]
    if source == "emoji":
        return "emoji/" + stem.split("-")[0]
    if source == "fashion_mnist":
        return "fashion_mnist/" + stem
    return "/".join(parts[1:-1])


def scorer_side(image_path):
    return int(hashlib.md5(family(image_path).encode()).hexdigest()[:8], 16) % 10 < 4


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    clean = sys.argv[1]
    n = 0
    with open(os.path.join(clean, "train.jsonl")) as f, open(os.path.join(clean, "scorer_train.jsonl"), "w") as out:
        for line in f:
            s = json.loads(line)
            if scorer_side(s["images"][0]):
                out.write(line)
                n += 1
    print("%s/scorer_train.jsonl: %d clean samples" % (clean, n))
    for noisy in sys.argv[2:]:
        kept = 0
        with open(os.path.join(noisy, "train.jsonl")) as f, open(os.path.join(noisy, "ground_truth.jsonl")) as g, \
                open(os.path.join(noisy, "probe_train.jsonl"), "w") as out, \
                open(os.path.join(noisy, "probe_ground_truth.jsonl"), "w") as gout:
            for line, truth in zip(f, g):
                s = json.loads(line)
                if not scorer_side(s["images"][0]):
                    out.write(line)
                    gout.write(truth)
                    kept += 1
        print("%s/probe_train.jsonl: %d noisy samples" % (noisy, kept))


if __name__ == "__main__":
    main()
