#include "ops/general/general_field_filter.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "ops/general/field_path.h"

namespace juicer {

namespace {

constexpr const char* kStatKey = "general_field_filter_condition";

// ---- Values ------------------------------------------------------------------------------------

// A Python value as the expression sees it: None, bool, int, float, str, or a list/dict read from a
// field (lists compare by ==; dicts only by truthiness).
struct Value {
  enum class Kind { kNone, kBool, kInt, kFloat, kStr, kList, kDict };
  Kind kind = Kind::kNone;
  bool b = false;
  int64_t i = 0;
  double f = 0.0;
  std::string s;
  std::vector<StatScalar> list;
  bool dict_empty = true;
};

const char* PyTypeName(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNone: return "NoneType";
    case Value::Kind::kBool: return "bool";
    case Value::Kind::kInt: return "int";
    case Value::Kind::kFloat: return "float";
    case Value::Kind::kStr: return "str";
    case Value::Kind::kList: return "list";
    case Value::Kind::kDict: return "dict";
  }
  return "?";
}

Value FromScalar(const StatScalar& s) {
  Value v;
  if (const auto* b = std::get_if<bool>(&s)) {
    v.kind = Value::Kind::kBool;
    v.b = *b;
  } else if (const auto* i = std::get_if<int64_t>(&s)) {
    v.kind = Value::Kind::kInt;
    v.i = *i;
  } else if (const auto* d = std::get_if<double>(&s)) {
    v.kind = Value::Kind::kFloat;
    v.f = *d;
  } else if (const auto* str = std::get_if<std::string>(&s)) {
    v.kind = Value::Kind::kStr;
    v.s = *str;
  }
  return v;
}

bool Truthy(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNone: return false;
    case Value::Kind::kBool: return v.b;
    case Value::Kind::kInt: return v.i != 0;
    case Value::Kind::kFloat: return v.f != 0.0;
    case Value::Kind::kStr: return !v.s.empty();
    case Value::Kind::kList: return !v.list.empty();
    case Value::Kind::kDict: return !v.dict_empty;
  }
  return false;
}

bool IsNumber(const Value& v) {
  return v.kind == Value::Kind::kBool || v.kind == Value::Kind::kInt || v.kind == Value::Kind::kFloat;
}

enum class CmpOp { kLt, kLe, kGt, kGe, kEq, kNe };

const char* CmpName(CmpOp op) {
  switch (op) {
    case CmpOp::kLt: return "<";
    case CmpOp::kLe: return "<=";
    case CmpOp::kGt: return ">";
    case CmpOp::kGe: return ">=";
    case CmpOp::kEq: return "==";
    case CmpOp::kNe: return "!=";
  }
  return "?";
}

// -1, 0, 1 for two numbers (bool counts as int, as in Python; int vs int exactly).
int CompareNumbers(const Value& a, const Value& b) {
  auto as_int = [](const Value& v, int64_t* out) {
    if (v.kind == Value::Kind::kBool) *out = v.b ? 1 : 0;
    else if (v.kind == Value::Kind::kInt) *out = v.i;
    else return false;
    return true;
  };
  int64_t x, y;
  if (as_int(a, &x) && as_int(b, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  auto as_double = [](const Value& v) {
    return v.kind == Value::Kind::kFloat ? v.f : static_cast<double>(v.kind == Value::Kind::kBool ? v.b : v.i);
  };
  const double p = as_double(a), q = as_double(b);
  if (std::isnan(p) || std::isnan(q)) return 2;  // unordered: every comparison but != is false
  return p < q ? -1 : (p > q ? 1 : 0);
}

bool ScalarEq(const StatScalar& a, const StatScalar& b) {
  const Value x = FromScalar(a), y = FromScalar(b);
  if (IsNumber(x) && IsNumber(y)) return CompareNumbers(x, y) == 0;
  if (x.kind != y.kind) return false;
  if (x.kind == Value::Kind::kStr) return x.s == y.s;
  return x.kind == Value::Kind::kNone;
}

bool FromOrder(CmpOp op, int c) {  // c: -1, 0, 1, or 2 for unordered (nan)
  if (c == 2) return op == CmpOp::kNe;
  switch (op) {
    case CmpOp::kLt: return c < 0;
    case CmpOp::kLe: return c <= 0;
    case CmpOp::kGt: return c > 0;
    case CmpOp::kGe: return c >= 0;
    case CmpOp::kEq: return c == 0;
    case CmpOp::kNe: return c != 0;
  }
  return false;
}

// Python's `a op b` for two non-None values.
Result<bool> Compare(CmpOp op, const Value& a, const Value& b) {
  if (IsNumber(a) && IsNumber(b)) return FromOrder(op, CompareNumbers(a, b));
  if (a.kind == Value::Kind::kStr && b.kind == Value::Kind::kStr)
    return FromOrder(op, a.s < b.s ? -1 : (a.s > b.s ? 1 : 0));  // UTF-8 byte order = code point order
  if (op == CmpOp::kEq || op == CmpOp::kNe) {
    bool eq = false;
    if (a.kind == Value::Kind::kList && b.kind == Value::Kind::kList && a.list.size() == b.list.size()) {
      eq = true;
      for (size_t k = 0; k < a.list.size() && eq; ++k) eq = ScalarEq(a.list[k], b.list[k]);
    }
    return op == CmpOp::kEq ? eq : !eq;
  }
  return Status::DataError(std::string("general_field_filter: '") + CmpName(op) +
                           "' not supported between instances of '" + PyTypeName(a) + "' and '" +
                           PyTypeName(b) + "'");
}

// ---- Expression tree ---------------------------------------------------------------------------

struct Node {
  enum class Kind { kConst, kField, kAnd, kOr, kNot, kNeg, kCompare };
  Kind kind = Kind::kConst;
  Value constant;                         // kConst
  std::string key;                        // kField: the dotted name as written
  std::vector<std::string> path;          // kField
  std::vector<std::unique_ptr<Node>> kids;  // operands (kCompare: left, then one per op)
  std::vector<CmpOp> ops;                 // kCompare
};

Result<Value> Eval(const Node& n, const Sample& sample, std::string& scratch) {
  switch (n.kind) {
    case Node::Kind::kConst: return n.constant;
    case Node::Kind::kField: {
      Value v;
      auto r = ResolveField(sample, n.path, n.key, scratch);
      if (!r.ok()) return v;  // DJ: an attribute of a non-dict reads as None
      FieldValue fv = std::move(r).value();
      if (fv.kind == FieldValue::Kind::kScalar) return FromScalar(fv.scalar);
      if (fv.kind == FieldValue::Kind::kList) {
        v.kind = Value::Kind::kList;
        v.list = std::move(fv.list);
      } else if (fv.kind == FieldValue::Kind::kObject) {
        v.kind = Value::Kind::kDict;
        v.dict_empty = fv.empty_object;
      }
      return v;
    }
    case Node::Kind::kAnd:
    case Node::Kind::kOr: {  // DJ: all()/any() over the operands, short-circuiting, giving a bool
      const bool is_and = n.kind == Node::Kind::kAnd;
      for (const auto& k : n.kids) {
        JUICER_ASSIGN_OR_RETURN(Value v, Eval(*k, sample, scratch));
        if (Truthy(v) != is_and) {
          Value out;
          out.kind = Value::Kind::kBool;
          out.b = !is_and;
          return out;
        }
      }
      Value out;
      out.kind = Value::Kind::kBool;
      out.b = is_and;
      return out;
    }
    case Node::Kind::kNot: {
      JUICER_ASSIGN_OR_RETURN(Value v, Eval(*n.kids[0], sample, scratch));
      Value out;
      out.kind = Value::Kind::kBool;
      out.b = !Truthy(v);
      return out;
    }
    case Node::Kind::kNeg: {
      JUICER_ASSIGN_OR_RETURN(Value v, Eval(*n.kids[0], sample, scratch));
      if (v.kind == Value::Kind::kBool || v.kind == Value::Kind::kInt) {
        const int64_t x = v.kind == Value::Kind::kBool ? v.b : v.i;
        v.kind = Value::Kind::kInt;
        v.i = -x;
        return v;
      }
      if (v.kind == Value::Kind::kFloat) {
        v.f = -v.f;
        return v;
      }
      return Status::DataError(std::string("general_field_filter: bad operand type for unary -: '") +
                               PyTypeName(v) + "'");
    }
    case Node::Kind::kCompare: {  // DJ: a None operand makes the whole chain false
      Value out;
      out.kind = Value::Kind::kBool;
      JUICER_ASSIGN_OR_RETURN(Value left, Eval(*n.kids[0], sample, scratch));
      std::vector<Value> rights;
      for (size_t k = 1; k < n.kids.size(); ++k) {
        JUICER_ASSIGN_OR_RETURN(Value r, Eval(*n.kids[k], sample, scratch));
        rights.push_back(std::move(r));
      }
      out.b = true;
      for (size_t k = 0; k < n.ops.size(); ++k) {
        if (left.kind == Value::Kind::kNone || rights[k].kind == Value::Kind::kNone) {
          out.b = false;
          return out;
        }
        JUICER_ASSIGN_OR_RETURN(bool holds, Compare(n.ops[k], left, rights[k]));
        if (!holds) {
          out.b = false;
          break;
        }
        left = std::move(rights[k]);
      }
      return out;
    }
  }
  return Status::Internal("general_field_filter: unknown node");
}

class Condition final : public FieldCondition {
 public:
  explicit Condition(std::unique_ptr<Node> root) : root_(std::move(root)) {}
  Result<bool> Evaluate(const Sample& sample, std::string& scratch) const override {
    JUICER_ASSIGN_OR_RETURN(Value v, Eval(*root_, sample, scratch));
    return Truthy(v);
  }

 private:
  std::unique_ptr<Node> root_;
};

// ---- Parser ------------------------------------------------------------------------------------

struct Token {
  enum class Kind { kEnd, kNumber, kString, kName, kOp };
  Kind kind = Kind::kEnd;
  std::string text;  // kName/kOp: as written; kString: the decoded value
  Value number;      // kNumber
  size_t pos = 0;
};

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

class Parser {
 public:
  explicit Parser(const std::string& src) : src_(src) {}

  Result<std::unique_ptr<Node>> Parse() {
    JUICER_RETURN_IF_ERROR(Lex());
    JUICER_ASSIGN_OR_RETURN(auto root, ParseOr());
    if (Peek().kind != Token::Kind::kEnd) return Error("unexpected '" + Peek().text + "'");
    return root;
  }

 private:
  Status Error(const std::string& what) const {
    const size_t pos = pos_ < toks_.size() ? toks_[pos_].pos : src_.size();
    return Status::InvalidArgument("invalid filter_condition \"" + src_ + "\": " + what + " at column " +
                                   std::to_string(pos + 1));
  }

  Status Lex() {
    size_t i = 0;
    while (i < src_.size()) {
      const char c = src_[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
        continue;
      }
      Token t;
      t.pos = i;
      if (std::isdigit(static_cast<unsigned char>(c)) ||
          (c == '.' && i + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[i + 1])))) {
        size_t j = i;
        bool is_float = false;
        std::string digits;
        while (j < src_.size() && (std::isdigit(static_cast<unsigned char>(src_[j])) || src_[j] == '_' ||
                                   src_[j] == '.' || src_[j] == 'e' || src_[j] == 'E' ||
                                   ((src_[j] == '+' || src_[j] == '-') && (src_[j - 1] == 'e' || src_[j - 1] == 'E')))) {
          if (src_[j] == '.' || src_[j] == 'e' || src_[j] == 'E') is_float = true;
          if (src_[j] != '_') digits += src_[j];
          ++j;
        }
        char* end = nullptr;
        t.kind = Token::Kind::kNumber;
        if (is_float) {
          t.number.kind = Value::Kind::kFloat;
          t.number.f = std::strtod(digits.c_str(), &end);
        } else {
          t.number.kind = Value::Kind::kInt;
          errno = 0;
          t.number.i = std::strtoll(digits.c_str(), &end, 10);
          if (errno == ERANGE) {  // Python ints are unbounded; beyond int64 compare as float
            t.number.kind = Value::Kind::kFloat;
            t.number.f = std::strtod(digits.c_str(), &end);
          }
        }
        if (end == nullptr || *end != '\0') {
          pos_ = toks_.size();
          toks_.push_back(t);
          return Error("bad number '" + src_.substr(i, j - i) + "'");
        }
        t.text = src_.substr(i, j - i);
        i = j;
      } else if (c == '\'' || c == '"') {
        size_t j = i + 1;
        std::string val;
        bool closed = false;
        while (j < src_.size()) {
          const char d = src_[j];
          if (d == c) {
            closed = true;
            ++j;
            break;
          }
          if (d == '\\' && j + 1 < src_.size()) {
            const char e = src_[j + 1];
            switch (e) {
              case 'n': val += '\n'; break;
              case 't': val += '\t'; break;
              case 'r': val += '\r'; break;
              case '0': val += '\0'; break;
              case '\\': val += '\\'; break;
              case '\'': val += '\''; break;
              case '"': val += '"'; break;
              default: val += '\\'; val += e; break;  // Python keeps unknown escapes as written
            }
            j += 2;
            continue;
          }
          val += d;
          ++j;
        }
        if (!closed) {
          pos_ = toks_.size();
          toks_.push_back(t);
          return Error("unterminated string");
        }
        t.kind = Token::Kind::kString;
        t.text = std::move(val);
        i = j;
      } else if (IsNameStart(c)) {
        size_t j = i;
        while (j < src_.size() && IsNameChar(src_[j])) ++j;
        t.kind = Token::Kind::kName;
        t.text = src_.substr(i, j - i);
        i = j;
      } else {
        static constexpr std::string_view kTwo[] = {"<=", ">=", "==", "!="};
        std::string op(1, c);
        for (std::string_view two : kTwo)
          if (src_.compare(i, 2, two) == 0) op = std::string(two);
        if (op.size() == 1 && std::string_view("<>()-.").find(c) == std::string_view::npos) {
          pos_ = toks_.size();
          toks_.push_back(t);
          return Error("unsupported character '" + op + "'");
        }
        t.kind = Token::Kind::kOp;
        t.text = op;
        i += op.size();
      }
      toks_.push_back(std::move(t));
    }
    Token end;
    end.pos = src_.size();
    toks_.push_back(end);
    return Status::OK();
  }

  const Token& Peek() const { return toks_[pos_]; }
  bool IsOp(std::string_view op) const { return Peek().kind == Token::Kind::kOp && Peek().text == op; }
  bool IsWord(std::string_view w) const { return Peek().kind == Token::Kind::kName && Peek().text == w; }

  Result<std::unique_ptr<Node>> ParseBool(Node::Kind kind, const char* word,
                                          Result<std::unique_ptr<Node>> (Parser::*sub)()) {
    JUICER_ASSIGN_OR_RETURN(auto first, (this->*sub)());
    if (!IsWord(word)) return first;
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->kids.push_back(std::move(first));
    while (IsWord(word)) {
      ++pos_;
      JUICER_ASSIGN_OR_RETURN(auto next, (this->*sub)());
      n->kids.push_back(std::move(next));
    }
    return n;
  }
  Result<std::unique_ptr<Node>> ParseOr() { return ParseBool(Node::Kind::kOr, "or", &Parser::ParseAnd); }
  Result<std::unique_ptr<Node>> ParseAnd() { return ParseBool(Node::Kind::kAnd, "and", &Parser::ParseNot); }

  Result<std::unique_ptr<Node>> ParseNot() {
    if (!IsWord("not")) return ParseCompare();
    ++pos_;
    JUICER_ASSIGN_OR_RETURN(auto kid, ParseNot());
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kNot;
    n->kids.push_back(std::move(kid));
    return n;
  }

  std::optional<CmpOp> PeekCmp() const {
    if (Peek().kind != Token::Kind::kOp) return std::nullopt;
    const std::string& t = Peek().text;
    if (t == "<") return CmpOp::kLt;
    if (t == "<=") return CmpOp::kLe;
    if (t == ">") return CmpOp::kGt;
    if (t == ">=") return CmpOp::kGe;
    if (t == "==") return CmpOp::kEq;
    if (t == "!=") return CmpOp::kNe;
    return std::nullopt;
  }

  Result<std::unique_ptr<Node>> ParseCompare() {
    JUICER_ASSIGN_OR_RETURN(auto left, ParseUnary());
    if (!PeekCmp()) {
      if (IsWord("in") || IsWord("is")) return Error("operator '" + Peek().text + "' is not supported");
      return left;
    }
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kCompare;
    n->kids.push_back(std::move(left));
    while (auto op = PeekCmp()) {
      ++pos_;
      JUICER_ASSIGN_OR_RETURN(auto right, ParseUnary());
      n->ops.push_back(*op);
      n->kids.push_back(std::move(right));
    }
    return n;
  }

  Result<std::unique_ptr<Node>> ParseUnary() {
    if (!IsOp("-")) return ParsePrimary();
    ++pos_;
    JUICER_ASSIGN_OR_RETURN(auto kid, ParseUnary());
    auto n = std::make_unique<Node>();
    n->kind = Node::Kind::kNeg;
    n->kids.push_back(std::move(kid));
    return n;
  }

  Result<std::unique_ptr<Node>> ParsePrimary() {
    const Token& t = Peek();
    auto n = std::make_unique<Node>();
    switch (t.kind) {
      case Token::Kind::kEnd: return Error("unexpected end of the condition");
      case Token::Kind::kNumber:
        n->constant = t.number;
        ++pos_;
        return n;
      case Token::Kind::kString:
        n->constant.kind = Value::Kind::kStr;
        n->constant.s = t.text;
        ++pos_;
        return n;
      case Token::Kind::kOp: {
        if (t.text != "(") return Error("unexpected '" + t.text + "'");
        ++pos_;
        JUICER_ASSIGN_OR_RETURN(auto inner, ParseOr());
        if (!IsOp(")")) return Error("expected ')'");
        ++pos_;
        return inner;
      }
      case Token::Kind::kName: break;
    }
    if (t.text == "True" || t.text == "False") {
      n->constant.kind = Value::Kind::kBool;
      n->constant.b = t.text == "True";
      ++pos_;
      return n;
    }
    if (t.text == "None") {
      ++pos_;
      return n;
    }
    static constexpr std::string_view kReserved[] = {"and", "or", "not", "in", "is", "if", "else", "lambda"};
    for (std::string_view r : kReserved)
      if (t.text == r) return Error("unexpected '" + t.text + "'");
    n->kind = Node::Kind::kField;
    n->key = t.text;
    ++pos_;
    while (IsOp(".")) {
      ++pos_;
      if (Peek().kind != Token::Kind::kName) return Error("expected a field name after '.'");
      n->key += "." + Peek().text;
      ++pos_;
    }
    if (IsOp("(")) return Error("function calls are not supported");
    n->path = SplitKey(n->key);
    return n;
  }

  const std::string& src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
};

// ---- The op ------------------------------------------------------------------------------------

class GeneralFieldFilter final : public Filter {
 public:
  GeneralFieldFilter(const OpInfo& info, const OpParams& params, std::unique_ptr<FieldCondition> cond)
      : Filter(info, params), cond_(std::move(cond)) {}

  Status ComputeStats(Sample& sample, WorkerContext& ctx) const override {
    if (cond_ == nullptr || sample.stats().Has(kStatKey)) return Status::OK();
    JUICER_ASSIGN_OR_RETURN(bool holds, cond_->Evaluate(sample, ctx.scratch));
    sample.stats().Set(kStatKey, StatValue(holds));
    return Status::OK();
  }

  Result<bool> Keep(const Sample& sample) const override {
    if (cond_ == nullptr) return true;
    const StatValue* v = sample.stats().Find(kStatKey);
    if (v == nullptr || v->is_list()) return true;  // DJ: .get(key, True)
    return Truthy(FromScalar(v->scalar()));
  }

 private:
  std::unique_ptr<FieldCondition> cond_;
};

std::string Strip(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n\f\v");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n\f\v") - b + 1);
}

OpInfo GeneralFieldFilterInfo() {
  OpInfo info;
  info.name = "general_field_filter";
  info.kind = OpKind::kFilter;
  info.modality = Modality::kAny;
  info.summary = "Keep samples for which a boolean expression over their fields holds.";
  info.description =
      "filter_condition is a Python-style expression, e.g. \"10 < num <= 30 and text != 'nothing here' and "
      "__dj__meta__.a == 3\": `and`/`or` (evaluated like Python's all()/any()), chained comparisons "
      "(<, <=, >, >=, ==, !=), parentheses, numbers, quoted strings, True/False/None, field names and "
      "dotted names into nested objects (__dj__meta__.a, __dj__stats__.text_len, meta.lang). A missing "
      "field, or an attribute of something that is not an object, reads as None, and a comparison with "
      "None makes the whole chain false (as in Data-Juicer). Numbers compare by value (True == 1), strings "
      "by code point; == between different types is false, while ordering a string against a number is a "
      "per-sample DataError naming both types (Python raises TypeError). Stat general_field_filter_condition "
      "(bool) = the expression's truth value; an existing one is reused. An empty condition keeps every "
      "sample and writes no stat. The condition is parsed when the recipe is loaded, so a syntax error "
      "stops the run before any data is read. juicer extensions: `not` and unary minus (Data-Juicer's "
      "evaluator rejects both); a bare value as the whole condition is stored as its truthiness (Data-Juicer "
      "stores the value itself).";
  info.params = {
      ParamSpec{.name = "filter_condition",
                .type = ParamType::kString,
                .default_value = std::string(),
                .doc = "the boolean expression; empty keeps every sample"},
  };
  info.stat_keys = {kStatKey};
  info.factory = [](const OpInfo& i, const OpParams& p) -> Result<std::unique_ptr<Op>> {
    const std::string expr = Strip(p.GetString("filter_condition"));
    std::unique_ptr<FieldCondition> cond;
    if (!expr.empty()) {
      JUICER_ASSIGN_OR_RETURN(cond, ParseFieldCondition(expr));
    }
    return std::unique_ptr<Op>(std::make_unique<GeneralFieldFilter>(i, p, std::move(cond)));
  };
  return info;
}

}  // namespace

Result<std::unique_ptr<FieldCondition>> ParseFieldCondition(const std::string& expr) {
  Parser parser(expr);
  JUICER_ASSIGN_OR_RETURN(auto root, parser.Parse());
  return std::unique_ptr<FieldCondition>(std::make_unique<Condition>(std::move(root)));
}

Status RegisterGeneralFieldFilter(OpRegistry& registry) { return registry.Add(GeneralFieldFilterInfo()); }

}  // namespace juicer
