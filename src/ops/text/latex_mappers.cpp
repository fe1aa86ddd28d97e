#include "ops/text/latex_mappers.h"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ops/text/clean_mappers.h"

namespace juicer {
namespace {


// Applies a list of Python-style substitutions in order (each a full re.sub over the text).
class SubsMapper final : public Mapper {
 public:
  SubsMapper(const OpInfo& info, const OpParams& params, std::vector<std::unique_ptr<text::PySub>> subs)
      : Mapper(info, params), subs_(std::move(subs)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string buffer, next;
    std::string_view current = text;
    bool changed = false;
    for (const auto& sub : subs_) {
      if (sub->Apply(current, &next)) {
        buffer.swap(next);
        current = buffer;
        changed = true;
      }
    }
    if (changed) sample.SetString(text_key(), buffer);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::vector<std::unique_ptr<text::PySub>> subs_;
};

// ---------------------------------------------------------------------------------------------
// remove_comments_mapper

OpInfo RemoveCommentsInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_comments_mapper", "Remove LaTeX comments (inline '%...' and whole '%' lines).",
      "As Data-Juicer: when inline, every match of [^\\\\]%.+$ (multi-line mode: a character other than a "
      "backslash, then '%' and the rest of the line) is removed, which also removes the character before the "
      "'%'; then, when multiline, every line starting with '%' is removed together with its newline "
      "((?m)^%.*\\n?). doc_type is accepted and ignored (Data-Juicer only supports 'tex' and ignores it too).");
  info.params = {
      ParamSpec{.name = "doc_type", .type = ParamType::kStringList, .default_value = std::vector<std::string>{"tex"},
                .doc = "document type(s), a string or a list of strings (only 'tex' is meaningful; unused)"},
      ParamSpec{.name = "inline", .type = ParamType::kBool, .default_value = true,
                .doc = "remove inline comments"},
      ParamSpec{.name = "multiline", .type = ParamType::kBool, .default_value = true,
                .doc = "remove lines that are comments"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::vector<std::unique_ptr<text::PySub>> subs;
    // '.' without DOTALL is written [^\n] (PySub compiles with DOTALL).
    if (p.GetBool("inline")) {
      JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make("(?m)[^\\\\]%[^\\n]+$", ""));
      subs.push_back(std::move(sub));
    }
    if (p.GetBool("multiline")) {
      JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make("(?m)^%[^\\n]*\\n?", ""));
      subs.push_back(std::move(sub));
    }
    return std::unique_ptr<Op>(std::make_unique<SubsMapper>(i, p, std::move(subs)));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------
// remove_bibliography_mapper

OpInfo RemoveBibliographyInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_bibliography_mapper", "Remove the bibliography (and appendix) at the end of a LaTeX document.",
      "As Data-Juicer: everything from the first \\appendix, \\begin{references}, \\begin{REFERENCES}, "
      "\\begin{thebibliography} or \\bibliography{...} to the end of the text is removed "
      "(re.sub of (\\\\appendix|...|\\\\bibliography\\{.*\\}).*$ with re.DOTALL).");
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::vector<std::unique_ptr<text::PySub>> subs;
    JUICER_ASSIGN_OR_RETURN(
        auto sub, text::PySub::Make("(\\\\appendix|\\\\begin\\{references\\}|\\\\begin\\{REFERENCES\\}|"
                                    "\\\\begin\\{thebibliography\\}|\\\\bibliography\\{.*\\}).*$",
                                    ""));
    subs.push_back(std::move(sub));
    return std::unique_ptr<Op>(std::make_unique<SubsMapper>(i, p, std::move(subs)));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------
// remove_header_mapper

OpInfo RemoveHeaderInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_header_mapper", "Remove the text before the first LaTeX section-like header.",
      "As Data-Juicer: the text before the first \\chapter, \\part, \\section, \\subsection, \\subsubsection or "
      "\\paragraph...\\subparagraph header (optionally starred, with an optional [short title] and a {title}) is "
      "removed (re.sub of ^(.*?)(header) with \\2, re.DOTALL). Data-Juicer's pattern joins the paragraph and "
      "subparagraph alternatives without '|', so a lone \\paragraph{...} is not a header; juicer keeps that. "
      "Texts without a header are left unchanged whatever drop_no_head says: Data-Juicer sets the text to '' "
      "in a local variable and never writes it back, and juicer matches that behaviour.");
  info.params = {
      ParamSpec{.name = "drop_no_head", .type = ParamType::kBool, .default_value = true,
                .doc = "meant to empty texts without a header (no effect, as in Data-Juicer)"},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::string pattern = "^(.*?)(";
    const char* heads[] = {"chapter", "part", "section", "subsection", "subsubsection", "paragraph", "subparagraph"};
    for (int h = 0; h < 7; ++h) {
      pattern += std::string("\\\\\\b") + heads[h] + "\\b\\*?(?:\\[(.*?)\\])?\\{(.*?)\\}";
      if (h < 5) pattern += "|";  // DJ: no '|' between paragraph and subparagraph
    }
    pattern += ")";
    std::vector<std::unique_ptr<text::PySub>> subs;
    JUICER_ASSIGN_OR_RETURN(auto sub, text::PySub::Make(pattern, "\\2"));
    subs.push_back(std::move(sub));
    return std::unique_ptr<Op>(std::make_unique<SubsMapper>(i, p, std::move(subs)));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------
// expand_macro_mapper

bool IsAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

class ExpandMacroMapper final : public Mapper {
 public:
  ExpandMacroMapper(const OpInfo& info, const OpParams& params)
      : Mapper(info, params),
        newcommand_(R"((?m)\\newcommand\*?\{(\\[a-zA-Z0-9]+?)\}\{([^\n]*?)\}$)", Options()),
        def_(R"((?m)\\def[\t\n\x0b\f\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f})"
             R"(\x{205f}\x{3000}]*(\\[a-zA-Z0-9]+?)[\t\n\x0b\f\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a})"
             R"(\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*\{([^\n]*?)\}$)",
             Options()) {}

  bool ok() const { return newcommand_.ok() && def_.ok(); }

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    // Macro table in Data-Juicer's dict order: first definition fixes the position, the last one the value.
    std::vector<std::pair<std::string, std::string>> macros;
    std::unordered_map<std::string, size_t> index;
    for (const RE2* re : {&newcommand_, &def_}) {
      re2::StringPiece input(text.data(), text.size());
      re2::StringPiece name, value;
      while (RE2::FindAndConsume(&input, *re, &name, &value)) {
        std::string n(name.data(), name.size());
        auto [it, inserted] = index.emplace(n, macros.size());
        if (inserted) {
          macros.emplace_back(std::move(n), std::string(value.data(), value.size()));
        } else {
          macros[it->second].second.assign(value.data(), value.size());
        }
      }
    }
    if (macros.empty()) {
      out->push_back(std::move(sample));
      return Status::OK();
    }
    std::string current(text), next;
    for (const auto& [name, value] : macros) {
      // re.sub('(' + name + ')([^a-zA-Z0-9])', value + r'\2'): the following character is consumed.
      next.clear();
      size_t pos = 0, copied = 0;
      while ((pos = current.find(name, pos)) != std::string::npos) {
        const size_t after = pos + name.size();
        if (after >= current.size() || IsAsciiAlnum(current[after])) {
          ++pos;
          continue;
        }
        size_t end = after + 1;  // one code point
        while (end < current.size() && (static_cast<unsigned char>(current[end]) & 0xC0) == 0x80) ++end;
        next.append(current, copied, pos - copied);
        next.append(value);
        next.append(current, after, end - after);
        copied = pos = end;
      }
      if (copied == 0) continue;
      next.append(current, copied, std::string::npos);
      current.swap(next);
    }
    if (current != text) sample.SetString(text_key(), current);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  static RE2::Options Options() {
    RE2::Options o;
    o.set_log_errors(false);
    return o;
  }
  RE2 newcommand_, def_;
};

OpInfo ExpandMacroInfo() {
  OpInfo info = text::TextMapperInfo(
      "expand_macro_mapper", "Expand argument-less LaTeX macros (\\newcommand, \\def) in the text.",
      "As Data-Juicer: definitions are the lines matching \\newcommand*?{\\name}{value} or \\def\\name{value} "
      "(the value ends at the last-possible-first '}' closing the line); for a name defined more than once the "
      "last value wins. Each macro, in order of first definition, is replaced by its value wherever it is "
      "followed by a character that is not an ASCII letter or digit (the definitions themselves included). "
      "Macros with arguments are not expanded. Difference: Data-Juicer passes the value through "
      "unicode-escape and uses it as a re.sub template, which fails (an error) when a value holds a non-ASCII "
      "character; juicer inserts such values literally.");
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    auto op = std::make_unique<ExpandMacroMapper>(i, p);
    if (!op->ok()) return Status::Internal("expand_macro_mapper: macro regex failed to compile");
    return std::unique_ptr<Op>(std::move(op));
  };
  return info;
}

// ---------------------------------------------------------------------------------------------
// remove_table_text_mapper

class RemoveTableTextMapper final : public Mapper {
 public:
  RemoveTableTextMapper(const OpInfo& info, const OpParams& params, std::vector<std::unique_ptr<RE2>> tables)
      : Mapper(info, params), tables_(std::move(tables)) {}

  Status Map(Sample& sample, std::vector<Sample>* out, WorkerContext& ctx) const override {
    JUICER_ASSIGN_OR_RETURN(std::string_view text, sample.GetText(text_key()));
    std::string current(text), next;
    re2::StringPiece m;
    for (const auto& re : tables_) {
      // Python's (?<=\n) look-behind: try an anchored match at every position right after a '\n'.
      next.clear();
      size_t copied = 0, pos = current.find('\n');
      while (pos != std::string::npos && pos + 1 < current.size()) {
        const size_t start = pos + 1;
        if (re->Match(current, start, current.size(), RE2::ANCHOR_START, &m, 1) && !m.empty()) {
          next.append(current, copied, start - copied);
          copied = start + m.size();
          pos = copied - 1;  // a match ends with '\n'
        } else {
          pos = current.find('\n', start);
        }
      }
      if (copied == 0) continue;
      next.append(current, copied, std::string::npos);
      current.swap(next);
    }
    if (current != text) sample.SetString(text_key(), current);
    out->push_back(std::move(sample));
    return Status::OK();
  }

 private:
  std::vector<std::unique_ptr<RE2>> tables_;
};

OpInfo RemoveTableTextInfo() {
  OpInfo info = text::TextMapperInfo(
      "remove_table_text_mapper", "Remove plain-text tables (runs of lines with the same number of columns).",
      "As Data-Juicer: for each column count n from min_col to max_col in turn, every run of two or more lines "
      "that start right after a '\\n' and consist of n non-space cells separated by single spaces, '|' or tabs "
      "(each line followed by one or more newlines) is removed: re.sub of "
      "(?<=\\n)((\\S+?)([ |\\t](\\S+?)){n-1}\\n+){2,} with ''. \\S is Python's Unicode non-space class; the "
      "look-behind is checked by hand (RE2 has none).");
  info.params = {
      ParamSpec{.name = "min_col", .type = ParamType::kInt, .default_value = int64_t{2},
                .doc = "fewest columns of a table to remove", .min_value = 2, .max_value = 20},
      ParamSpec{.name = "max_col", .type = ParamType::kInt, .default_value = int64_t{20},
                .doc = "most columns of a table to remove", .min_value = 2, .max_value = 20},
  };
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    std::vector<std::unique_ptr<RE2>> tables;
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    for (int64_t n = p.GetInt("min_col") - 1; n < p.GetInt("max_col"); ++n) {
      JUICER_ASSIGN_OR_RETURN(std::string pattern,
                              text::PythonPatternToRe2("((\\S+?)([ |\\t](\\S+?)){" + std::to_string(n) + "}\\n+){2,}"));
      auto re = std::make_unique<RE2>(pattern, opts);
      if (!re->ok()) return Status::Internal("remove_table_text_mapper: " + re->error());
      tables.push_back(std::move(re));
    }
    return std::unique_ptr<Op>(std::make_unique<RemoveTableTextMapper>(i, p, std::move(tables)));
  };
  return info;
}

}  // namespace

Status RegisterLatexMappers(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveCommentsInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveBibliographyInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(ExpandMacroInfo()));
  JUICER_RETURN_IF_ERROR(registry.Add(RemoveTableTextInfo()));
  return registry.Add(RemoveHeaderInfo());
}

}  // namespace juicer
