// Status / Result<T>: the one error type of juicer.
// User errors (bad recipe, bad input data, missing file) and internal bugs are different codes:
// the CLI prints the first as one clear line and exits 2, the second as "internal error" and exits 70.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace juicer {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // user: bad recipe, bad parameter, bad command line
  kNotFound,         // user: missing file, unknown op
  kIOError,          // environment: read/write failure
  kDataError,        // user: malformed sample (bad JSON line, wrong field type, invalid UTF-8)
  kUnavailable,      // user: feature needs something not installed / not configured
  kCancelled,        // interrupted (signal)
  kInternal,         // bug: an invariant did not hold
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(StatusCode::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
  static Status IOError(std::string m) { return Status(StatusCode::kIOError, std::move(m)); }
  static Status DataError(std::string m) { return Status(StatusCode::kDataError, std::move(m)); }
  static Status Unavailable(std::string m) { return Status(StatusCode::kUnavailable, std::move(m)); }
  static Status Cancelled(std::string m) { return Status(StatusCode::kCancelled, std::move(m)); }
  static Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // True for errors caused by the user's input or environment rather than a juicer bug.
  bool IsUserError() const { return code_ != StatusCode::kOk && code_ != StatusCode::kInternal; }
  // Prefixes the message with context ("file.jsonl:12: ").
  Status WithContext(const std::string& ctx) const {
    if (ok()) return *this;
    return Status(code_, ctx + message_);
  }
  std::string ToString() const;

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT(runtime/explicit)
  Result(Status status) : v_(std::move(status)) {}      // NOLINT(runtime/explicit)
  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(v_);
  }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace juicer

#define JUICER_CONCAT_INNER(a, b) a##b
#define JUICER_CONCAT(a, b) JUICER_CONCAT_INNER(a, b)

#define JUICER_RETURN_IF_ERROR(expr)          \
  do {                                        \
    ::juicer::Status _st = (expr);            \
    if (!_st.ok()) return _st;                \
  } while (0)

#define JUICER_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#define JUICER_ASSIGN_OR_RETURN(lhs, expr) \
  JUICER_ASSIGN_OR_RETURN_IMPL(JUICER_CONCAT(_res_, __COUNTER__), lhs, expr)

// An internal invariant: failing it is a bug, never a user error.
#define JUICER_CHECK_INTERNAL(cond, msg) \
  do {                                   \
    if (!(cond)) return ::juicer::Status::Internal(std::string(msg) + " (" #cond ")"); \
  } while (0)
