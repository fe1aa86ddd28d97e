#include "ops/text/line_filters.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>

namespace juicer {

namespace text {

namespace {

// Byte classes: 1 = an ASCII line break, 2 = a lead byte that may start a non-ASCII break
// (C2 85 = U+0085, E2 80 A8/A9 = U+2028/9), 0 = other.
struct ByteClasses {
  uint8_t c[256] = {};
  constexpr ByteClasses() {
    for (unsigned b : {0x0Au, 0x0Bu, 0x0Cu, 0x0Du, 0x1Cu, 0x1Du, 0x1Eu}) c[b] = 1;
    c[0xC2] = 2;
    c[0xE2] = 2;
  }
};
constexpr ByteClasses kClasses;

inline bool IsContinuation(unsigned char b) { return (b & 0xC0u) == 0x80u; }

}  // namespace

LineStats ComputeLineStats(std::string_view text) {
  LineStats r;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* const end = p + text.size();
  int64_t cur = 0;       // code points of the current line so far
  bool open = false;     // the current line has started (some code point after the last break)
  int64_t breaks = 0;
  auto end_line = [&]() {
    r.max_line = std::max(r.max_line, cur);
    cur = 0;
    open = false;
    ++breaks;
  };
  while (p < end) {
    // Fast path: 8 bytes without break candidates (no byte < 0x20 nor >= 0xC2 lead of interest).
    while (end - p >= 8) {
      bool plain = true;
      int cps = 0;
      for (int i = 0; i < 8; ++i) {
        plain = plain && kClasses.c[p[i]] == 0;
        cps += IsContinuation(p[i]) ? 0 : 1;
      }
      if (!plain) break;
      r.chars += cps;
      cur += cps;
      open = open || cps > 0;
      p += 8;
    }
    if (p >= end) break;
    const unsigned char b = *p;
    const uint8_t cls = kClasses.c[b];
    if (cls == 1) {
      ++r.chars;
      if (b == '\r' && p + 1 < end && p[1] == '\n') {
        ++r.chars;
        ++p;
      }
      ++p;
      end_line();
      continue;
    }
    if (cls == 2) {
      if (b == 0xC2 && end - p >= 2 && p[1] == 0x85) {
        ++r.chars;
        p += 2;
        end_line();
        continue;
      }
      if (b == 0xE2 && end - p >= 3 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
        ++r.chars;
        p += 3;
        end_line();
        continue;
      }
    }
    if (!IsContinuation(b)) {
      ++r.chars;
      ++cur;
      open = true;
    }
    ++p;
  }
  r.max_line = std::max(r.max_line, cur);
  r.lines = breaks + (open ? 1 : 0);
  return r;
}

}  // namespace text

namespace {

enum class LineStat { kAverage, kMaximum };

// A filter on one line statistic; the stat is computed once and reused when present.
class LineLengthFilter final : public Filter {
 public:
  LineLengthFilter(const OpInfo& info, const OpParams& params, LineStat which)
      : Filter(info, params),
        which_(which),
        key_(which == LineStat::kAverage ? "avg_line_length" : "max_line_length"),
        min_(params.GetOptDouble("min_len")),
        max_(params.GetOptDouble("max_len")) {}

  Status ComputeStats(Sample& sample, WorkerContext&) const override {
    if (sample.stats().Has(key_)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(std::string_view t, sample.GetText(text_key()));
    const text::LineStats s = text::ComputeLineStats(t);
    if (which_ == LineStat::kAverage) {
      // len(text) / len(lines): both far below 2^53, so this is Python's correctly rounded division.
      const double avg = s.lines != 0 ? static_cast<double>(s.chars) / static_cast<double>(s.lines) : 0.0;
      sample.stats().Set(key_, StatValue(avg));
    } else {
      sample.stats().Set(key_, StatValue(s.max_line));
    }
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    JUICER_ASSIGN_OR_RETURN(double v, NumericStat(sample, key_));
    return KeepRange(v, min_, max_);
  }

 private:
  LineStat which_;
  std::string key_;
  std::optional<double> min_, max_;
};

ParamSpec LenBound(std::string name, int64_t def, std::string doc) {
  return ParamSpec{.name = std::move(name), .type = ParamType::kInt, .default_value = def, .doc = std::move(doc),
                   .nullable = true};
}

constexpr const char* kLinesDoc =
    "Lines are Python's text.splitlines(): the text is cut at \\n, \\r, \\r\\n (one break), \\v, \\f, "
    "\\x1c, \\x1d, \\x1e, U+0085, U+2028 and U+2029; a break at the very end does not start another "
    "(empty) line, so \"a\\n\" has one line and \"a\\n\\nb\" three. Lengths count Unicode code points as "
    "Python's len() does. ";

OpInfo AverageLineLengthInfo() {
  OpInfo info;
  info.name = "average_line_length_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose average line length (in characters) is within [min_len, max_len].";
  info.description =
      std::string("Stat avg_line_length (float) = len(text) / len(text.splitlines()), 0.0 when the text "
                  "has no lines (empty text). As in Data-Juicer the numerator is the length of the whole "
                  "text, line breaks included. ") +
      kLinesDoc +
      "Kept when min_len <= avg_line_length <= max_len (the common filter params can open either bound "
      "or reverse the range; a null bound is no bound). Same name, params, defaults and stat key as "
      "Data-Juicer; an avg_line_length already in the sample's stats is reused, not recomputed.";
  info.params = {
      LenBound("min_len", 10, "samples whose average line length is below this are dropped"),
      LenBound("max_len", std::numeric_limits<int64_t>::max(),
               "samples whose average line length exceeds this are dropped (default sys.maxsize: no limit)"),
  };
  info.stat_keys = {"avg_line_length"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<LineLengthFilter>(i, p, LineStat::kAverage));
  };
  return info;
}

OpInfo MaximumLineLengthInfo() {
  OpInfo info;
  info.name = "maximum_line_length_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kText;
  info.summary = "Keep samples whose longest line (in characters) is within [min_len, max_len].";
  info.description =
      std::string("Stat max_line_length (int) = max(len(line) for line in text.splitlines()), 0 when the "
                  "text has no lines. Line breaks are not part of a line. ") +
      kLinesDoc +
      "Kept when min_len <= max_line_length <= max_len (the common filter params can open either bound "
      "or reverse the range; a null bound is no bound). Same name, params, defaults and stat key as "
      "Data-Juicer; a max_line_length already in the sample's stats is reused, not recomputed.";
  info.params = {
      LenBound("min_len", 10, "samples whose longest line is shorter than this are dropped"),
      LenBound("max_len", std::numeric_limits<int64_t>::max(),
               "samples whose longest line is longer than this are dropped (default sys.maxsize: no limit)"),
  };
  info.stat_keys = {"max_line_length"};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    return std::unique_ptr<Op>(std::make_unique<LineLengthFilter>(i, p, LineStat::kMaximum));
  };
  return info;
}

}  // namespace

Status RegisterTextLineFilters(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(AverageLineLengthInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(MaximumLineLengthInfo()));
  return Status::OK();
}

}  // namespace juicer
