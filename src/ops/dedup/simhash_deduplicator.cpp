#include "ops/dedup/simhash_deduplicator.h"

#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <charconv>
#include <memory>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "ops/dedup/document_deduplicator.h"
#include "ops/text/char_tables.h"
#include "ops/text/clean_mappers.h"

namespace juicer {

namespace dedup {

uint64_t SimHashTokenHash(std::string_view bytes) {
  unsigned char d[16];
  if (!Md5(bytes, d).ok()) return 0;  // the op's factory checked that MD5 is available
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i) h = (h << 8) | d[i];
  return h;
}

uint64_t SimHashCombine(const std::vector<uint64_t>& token_hashes) {
  int64_t votes[64] = {};
  for (uint64_t h : token_hashes)
    for (int j = 0; j < 64; ++j) votes[j] += ((h >> j) & 1) != 0 ? 1 : -1;
  uint64_t out = 0;
  for (int j = 0; j < 64; ++j)
    if (votes[j] > 0) out |= uint64_t{1} << j;
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> SimHashNearPairs(const std::vector<uint64_t>& hashes, int num_blocks,
                                                            int max_distance) {
  // Block b covers bits [start_b, start_b + width_b): 64 bits split as evenly as possible.
  std::vector<uint64_t> block_mask(static_cast<size_t>(num_blocks));
  int start = 0;
  for (int b = 0; b < num_blocks; ++b) {
    const int width = 64 / num_blocks + (b < 64 % num_blocks ? 1 : 0);
    block_mask[b] = (width == 64 ? ~uint64_t{0} : ((uint64_t{1} << width) - 1)) << start;
    start += width;
  }
  const int keep = num_blocks - max_distance;  // blocks that must agree
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  std::vector<std::pair<uint64_t, uint32_t>> keyed(hashes.size());
  // Every choice of `keep` blocks: a bit vector over blocks with `keep` ones, in lexicographic order.
  std::vector<bool> choose(static_cast<size_t>(num_blocks), false);
  std::fill(choose.begin(), choose.begin() + keep, true);
  do {
    uint64_t mask = 0;
    for (int b = 0; b < num_blocks; ++b)
      if (choose[b]) mask |= block_mask[b];
    for (uint32_t i = 0; i < hashes.size(); ++i) keyed[i] = {hashes[i] & mask, i};
    std::sort(keyed.begin(), keyed.end());
    for (size_t a = 0; a < keyed.size();) {
      size_t e = a + 1;
      while (e < keyed.size() && keyed[e].first == keyed[a].first) ++e;
      for (size_t x = a; x < e; ++x)
        for (size_t y = x + 1; y < e; ++y) {
          const uint32_t i = keyed[x].second, j = keyed[y].second;
          if (std::popcount(hashes[i] ^ hashes[j]) <= max_distance)
            pairs.emplace_back(std::min(i, j), std::max(i, j));
        }
      a = e;
    }
  } while (std::prev_permutation(choose.begin(), choose.end()));
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

}  // namespace dedup

namespace {

enum class Tokenization { kSpace, kPunctuation, kCharacter, kUnknown };

uint32_t Find(std::vector<uint32_t>& parent, uint32_t x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

struct SimHashState final : DatasetState {
  std::vector<uint64_t> hashes;  // per observed sample, in order
};

class SimHashDeduplicator final : public DatasetOp {
 public:
  SimHashDeduplicator(const OpInfo& info, const OpParams& params, Tokenization tok, std::unique_ptr<RE2> ignore)
      : DatasetOp(info, params),
        tokenization_(tok),
        tokenization_name_(params.GetString("tokenization")),
        window_(static_cast<size_t>(params.GetInt("window_size"))),
        lowercase_(params.GetBool("lowercase")),
        ignore_(std::move(ignore)),
        num_blocks_(static_cast<int>(params.GetInt("num_blocks"))),
        distance_(static_cast<int>(params.GetInt("hamming_distance"))) {}

  Status Prepare(Sample& sample, WorkerContext& ctx) const override {
    if (sample.Has(fields::kSimHash)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string t;
    if (lowercase_) {
      JUICER_RETURN_IF_ERROR(dedup::PythonLower(text, &t));
    } else {
      t.assign(text);
    }
    if (ignore_) RE2::GlobalReplace(&t, *ignore_, "");
    std::vector<uint64_t> token_hashes;
    switch (tokenization_) {
      case Tokenization::kCharacter: CharacterShingles(t, &token_hashes); break;
      case Tokenization::kPunctuation: JoinedShingles(SplitPunctuation(t), &token_hashes); break;
      case Tokenization::kSpace: JoinedShingles(SplitSpaces(t), &token_hashes); break;
      case Tokenization::kUnknown:
        return Status::InvalidArgument("document_simhash_deduplicator: unimplemented tokenization method [" +
                                       tokenization_name_ + "] (use space, punctuation or character)");
    }
    sample.SetString(fields::kSimHash, std::to_string(dedup::SimHashCombine(token_hashes)));
    return Status::OK();
  }

  std::unique_ptr<DatasetState> NewState() const override { return std::make_unique<SimHashState>(); }

  std::optional<std::vector<std::string>> ObservedFields() const override {
    return std::vector<std::string>{std::string(fields::kSimHash)};
  }

  Status Observe(const Sample& sample, uint64_t, DatasetState& state) const override {
    auto& st = static_cast<SimHashState&>(state);
    const Sample::Field* f = sample.Find(fields::kSimHash);
    JUICER_CHECK_INTERNAL(f != nullptr, "document_simhash_deduplicator: sample observed without __dj__simhash");
    std::string_view raw = f->RawText();
    if (f->type == JsonType::kString) {
      JUICER_ASSIGN_OR_RETURN(raw, sample.GetText(fields::kSimHash));
    }
    uint64_t h = 0;
    const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), h);
    if (ec != std::errc() || end != raw.data() + raw.size())
      return Status::DataError("field __dj__simhash: '" + std::string(raw.substr(0, 40)) +
                               "' is not an unsigned 64-bit integer");
    st.hashes.push_back(h);
    return Status::OK();
  }

  Result<Selection> Finalize(DatasetState& state, const FinalizeContext& ctx) const override {
    auto& st = static_cast<SimHashState&>(state);
    Selection sel;
    const size_t n = st.hashes.size();
    std::vector<uint64_t> uniq = st.hashes;
    std::sort(uniq.begin(), uniq.end());
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    std::vector<uint32_t> parent(uniq.size());
    std::iota(parent.begin(), parent.end(), 0u);
    if (n > 1) {
      for (const auto& [a, b] : dedup::SimHashNearPairs(uniq, num_blocks_, distance_)) {
        const uint32_t ra = Find(parent, a), rb = Find(parent, b);
        if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
      }
    }
    // Keep the first sample of each cluster (of near hashes, or of one hash), in input order.
    std::vector<int64_t> first_of(uniq.size(), -1);
    std::vector<bool> traced(uniq.size(), false);
    for (uint64_t pos = 0; pos < n; ++pos) {
      const auto idx = static_cast<uint32_t>(std::lower_bound(uniq.begin(), uniq.end(), st.hashes[pos]) - uniq.begin());
      const uint32_t root = Find(parent, idx);
      if (first_of[root] < 0) {
        first_of[root] = static_cast<int64_t>(pos);
        sel.positions.push_back(pos);
      } else if (!traced[root] && sel.pairs.size() < static_cast<size_t>(std::max(ctx.trace_num, 0))) {
        traced[root] = true;
        sel.pairs.push_back(DuplicatePair{static_cast<uint64_t>(first_of[root]), pos});
      }
    }
    return sel;
  }

 private:
  void CharacterShingles(const std::string& t, std::vector<uint64_t>* out) const {
    const std::vector<size_t> off = text::CodePointOffsets(t);
    const size_t n = off.size() - 1;
    for (size_t i = 0; i + window_ <= n; ++i)
      out->push_back(dedup::SimHashTokenHash(std::string_view(t).substr(off[i], off[i + window_] - off[i])));
  }

  // regex.split(r"\p{P}", t): pieces between punctuation code points (empty pieces included).
  static std::vector<std::string_view> SplitPunctuation(const std::string& t) {
    static const RE2 punct("\\p{P}");
    std::vector<std::string_view> pieces;
    re2::StringPiece m;
    size_t pos = 0, last = 0;
    while (pos <= t.size() && punct.Match(t, pos, t.size(), RE2::UNANCHORED, &m, 1)) {
      const size_t ms = static_cast<size_t>(m.data() - t.data());
      pieces.emplace_back(t.data() + last, ms - last);
      last = pos = ms + m.size();
    }
    pieces.emplace_back(t.data() + last, t.size() - last);
    return pieces;
  }

  // DJ's split_on_whitespace: split on ' ' only, drop empty words.
  static std::vector<std::string_view> SplitSpaces(const std::string& t) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i <= t.size()) {
      size_t j = t.find(' ', i);
      if (j == std::string::npos) j = t.size();
      if (j > i) words.emplace_back(t.data() + i, j - i);
      i = j + 1;
    }
    return words;
  }

  // " ".join(tokens[i:i+window]) for every full window.
  void JoinedShingles(const std::vector<std::string_view>& tokens, std::vector<uint64_t>* out) const {
    std::string joined;
    for (size_t i = 0; i + window_ <= tokens.size(); ++i) {
      joined.clear();
      for (size_t k = 0; k < window_; ++k) {
        if (k > 0) joined += ' ';
        joined.append(tokens[i + k]);
      }
      out->push_back(dedup::SimHashTokenHash(joined));
    }
  }

  Tokenization tokenization_;
  std::string tokenization_name_;
  size_t window_;
  bool lowercase_;
  std::unique_ptr<RE2> ignore_;
  int num_blocks_, distance_;
};

OpInfo SimHashInfo() {
  OpInfo info;
  info.name = "document_simhash_deduplicator";
  info.kind = OpKind::kDeduplicator;
  info.modality = Modality::kText;
  info.summary = "Remove near-duplicate texts by SimHash Hamming distance, keeping the first of each cluster.";
  info.description =
      "As Data-Juicer (which uses the simhash library): the text is lowercased (Python str.lower()) when "
      "lowercase=true and every match of ignore_pattern (a Python regex, translated to RE2) is removed; "
      "tokens are then shingles of window_size units: 'space' splits on ' ' (empty words dropped), "
      "'punctuation' splits at every \\p{P} character (empty pieces kept) and 'character' uses code points; "
      "word shingles are joined with ' '. Each shingle's hash is the first 8 bytes of its UTF-8 MD5 "
      "(big-endian), and the 64-bit SimHash sets bit j when more shingles have bit j set than not (a text "
      "shorter than one window has SimHash 0). It is stored as a decimal string in __dj__simhash (kept when "
      "present). Two distinct SimHashes within hamming_distance bits are linked (found exactly with "
      "num_blocks blocks: all pairs agreeing on num_blocks - hamming_distance blocks are checked), equal "
      "SimHashes always are, and of each connected cluster the first sample in input order is kept. "
      "Memory: 8 bytes per sample; texts are not kept. An unknown tokenization is a per-sample error, as in "
      "Data-Juicer (which raises NotImplementedError when hashing).";
  info.params = {
      ParamSpec{.name = "tokenization",
                .type = ParamType::kString,
                .default_value = std::string("space"),
                .doc = "space, punctuation or character"},
      ParamSpec{.name = "window_size",
                .type = ParamType::kInt,
                .default_value = int64_t{6},
                .doc = "shingle size in tokens (code points for 'character')",
                .min_value = 1.0},
      ParamSpec{.name = "lowercase", .type = ParamType::kBool, .default_value = true, .doc = "lowercase the text first"},
      ParamSpec{.name = "ignore_pattern",
                .type = ParamType::kString,
                .default_value = std::monostate{},
                .doc = "Python regex of substrings removed before hashing, e.g. '\\p{P}'",
                .nullable = true},
      ParamSpec{.name = "num_blocks",
                .type = ParamType::kInt,
                .default_value = int64_t{6},
                .doc = "blocks the 64 bits are split into for the near-pair search",
                .min_value = 1.0,
                .max_value = 64.0},
      ParamSpec{.name = "hamming_distance",
                .type = ParamType::kInt,
                .default_value = int64_t{4},
                .doc = "texts whose SimHashes differ in at most this many bits are duplicates (< num_blocks)",
                .min_value = 1.0},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const std::string tok = p.GetString("tokenization");
    const Tokenization t = tok == "space"         ? Tokenization::kSpace
                           : tok == "punctuation" ? Tokenization::kPunctuation
                           : tok == "character"   ? Tokenization::kCharacter
                                                  : Tokenization::kUnknown;
    const int64_t blocks = p.GetInt("num_blocks"), dist = p.GetInt("hamming_distance");
    if (dist >= blocks)
      return Status::InvalidArgument("hamming_distance (" + std::to_string(dist) + ") must be less than num_blocks (" +
                                     std::to_string(blocks) + ")");
    // The search checks C(num_blocks, num_blocks - hamming_distance) block combinations.
    double combos = 1;
    for (int64_t k = 1; k <= dist; ++k) combos = combos * static_cast<double>(blocks - dist + k) / static_cast<double>(k);
    if (combos > 5000)
      return Status::InvalidArgument("num_blocks " + std::to_string(blocks) + " with hamming_distance " +
                                     std::to_string(dist) + " needs " + std::to_string(static_cast<int64_t>(combos)) +
                                     " block combinations; use fewer blocks (hamming_distance + 1 or 2 is enough)");
    unsigned char probe[16];  // MD5 must be available (OpenSSL in FIPS-only mode refuses it)
    JUICER_RETURN_IF_ERROR(dedup::Md5("", probe));
    std::unique_ptr<RE2> ignore;
    if (!p.IsNull("ignore_pattern") && !p.GetString("ignore_pattern").empty()) {
      JUICER_ASSIGN_OR_RETURN(std::string pat, text::PythonPatternToRe2(p.GetString("ignore_pattern")));
      RE2::Options opt;
      opt.set_log_errors(false);
      ignore = std::make_unique<RE2>(pat, opt);
      if (!ignore->ok())
        return Status::InvalidArgument("bad ignore_pattern '" + p.GetString("ignore_pattern") + "': " + ignore->error());
    }
    return std::unique_ptr<Op>(std::make_unique<SimHashDeduplicator>(i, p, t, std::move(ignore)));
  };
  return info;
}

}  // namespace

Status RegisterSimHashDedupOps(OpRegistry& registry) { return registry.Add(SimHashInfo()); }

}  // namespace juicer
