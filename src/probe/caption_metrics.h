// Caption and retrieval metrics for probe evaluation (no libtorch).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace juicer::probe {

// COCO-caption style word tokenisation: lower-case, punctuation removed (as pycocoevalcap's
// PTBTokenizer drops it), split on whitespace.
std::vector<std::string> CaptionWords(std::string_view text);

// Corpus BLEU-1..4 (Papineni et al.; pycocoevalcap's Bleu with "closest" reference length for the
// brevity penalty). hyps[i] is scored against refs[i] (one or more references). Returns {B1,B2,B3,B4}.
std::vector<double> CorpusBleu(const std::vector<std::string>& hyps,
                               const std::vector<std::vector<std::string>>& refs);

// CIDEr-D (Vedantam et al. 2015, pycocoevalcap's CiderD: n=1..4, sigma=6, document frequencies from the
// references of this eval set, clipped hypothesis counts, x10). Returns the corpus mean.
double CiderD(const std::vector<std::string>& hyps, const std::vector<std::vector<std::string>>& refs);

// Retrieval recall@k from a row-major n x n similarity matrix where item i matches item i:
// fraction of rows whose true column is among the k highest (ties broken by lower index).
double RecallAtK(const std::vector<float>& sim, int n, int k);

}  // namespace juicer::probe
