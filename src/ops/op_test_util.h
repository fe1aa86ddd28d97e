// Helpers for op unit tests (header-only, included by *_test.cpp only): build samples by hand and
// run an op over a small in-memory dataset the way an executor would.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "core/op_builder.h"
#include "core/op_registry.h"
#include "core/sample_parser.h"
#include "ops/builtin.h"

namespace juicer::testing {

inline Sample::Field StringField(std::string_view key, std::string_view value) {
  Sample::Field f;
  f.key = std::string(key);
  f.type = JsonType::kString;
  f.raw = JsonString(value);
  f.has_decoded = true;
  f.decoded = std::string(value);
  return f;
}

inline Sample TextSample(std::string_view text, std::string_view key = "text") {
  Sample s;
  s.AddField(StringField(key, text));
  return s;
}

inline std::vector<Sample> TextSamples(const std::vector<std::string>& texts) {
  std::vector<Sample> out;
  for (size_t i = 0; i < texts.size(); ++i) {
    out.push_back(TextSample(texts[i]));
    out.back().index = i;
  }
  return out;
}

// Builds a built-in op; fails the test on an error.
inline std::unique_ptr<Op> MustBuild(std::string_view name, const GivenParams& params = {}) {
  auto info = BuiltinRegistry().Find(name);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  if (!info.ok()) return nullptr;
  auto op = BuildOp(**info, params);
  EXPECT_TRUE(op.ok()) << op.status().ToString();
  if (!op.ok()) return nullptr;
  return std::move(op).value();
}

// The status of building a built-in op (for expected failures).
inline Status BuildStatus(std::string_view name, const GivenParams& params) {
  auto info = BuiltinRegistry().Find(name);
  if (!info.ok()) return info.status();
  auto op = BuildOp(**info, params);
  return op.ok() ? Status::OK() : op.status();
}

// Runs a filter: stats for every sample, then Keep. Returns the kept positions.
inline Result<std::vector<uint64_t>> RunFilter(const Op& op, std::vector<Sample>& samples) {
  const auto* filter = dynamic_cast<const Filter*>(&op);
  if (filter == nullptr) return Status::Internal(op.name() + " is not a filter");
  WorkerContext ctx;
  std::vector<uint64_t> kept;
  for (uint64_t i = 0; i < samples.size(); ++i) {
    JUICER_RETURN_IF_ERROR(filter->ComputeStats(samples[i], ctx));
    JUICER_ASSIGN_OR_RETURN(bool keep, filter->Keep(samples[i]));
    if (keep) kept.push_back(i);
  }
  return kept;
}

// Runs a deduplicator / selector: Prepare each sample, Observe in order, Finalize.
inline Result<Selection> RunDatasetOp(const Op& op, std::vector<Sample>& samples, uint64_t seed = 42,
                                      int trace_num = 10) {
  const auto* dop = dynamic_cast<const DatasetOp*>(&op);
  if (dop == nullptr) return Status::Internal(op.name() + " is not a dataset op");
  WorkerContext ctx;
  for (auto& s : samples) JUICER_RETURN_IF_ERROR(dop->Prepare(s, ctx));
  auto state = dop->NewState();
  for (uint64_t i = 0; i < samples.size(); ++i) JUICER_RETURN_IF_ERROR(dop->Observe(samples[i], i, *state));
  FinalizeContext fctx;
  fctx.total = samples.size();
  fctx.seed = seed;
  fctx.trace_num = trace_num;
  return dop->Finalize(*state, fctx);
}

// Texts of the samples at `positions`.
inline std::vector<std::string> TextsAt(const std::vector<Sample>& samples, const std::vector<uint64_t>& positions) {
  std::vector<std::string> out;
  for (uint64_t p : positions) out.emplace_back(*samples[p].GetText("text"));
  return out;
}

}  // namespace juicer::testing

namespace juicer::testing {

// Samples parsed from JSON lines (as a reader would), each field owning its raw text.
inline Result<std::vector<Sample>> ParseJsonLines(const std::vector<std::string>& lines) {
  SampleParser parser;
  std::vector<Sample> out;
  for (const std::string& line : lines) {
    std::string buf = line;
    buf.resize(line.size() + JsonPadding(), '\0');
    Sample s;
    JUICER_RETURN_IF_ERROR(parser.Parse(buf.data(), line.size(), buf.size(), &s));
    for (auto& f : s.mutable_fields())
      if (f.raw.empty()) f.raw = std::string(f.borrowed);
    s.index = out.size();
    out.push_back(std::move(s));
  }
  return out;
}

// Runs a mapper over `samples` in order; returns every output sample.
inline Result<std::vector<Sample>> RunMapper(const Op& op, std::vector<Sample> samples) {
  const auto* mapper = dynamic_cast<const Mapper*>(&op);
  if (mapper == nullptr) return Status::Internal(op.name() + " is not a mapper");
  WorkerContext ctx;
  std::vector<Sample> out;
  for (auto& s : samples) JUICER_RETURN_IF_ERROR(mapper->Map(s, &out, ctx));
  return out;
}

// Builds `name` from `registry` (not the built-in one); fails the test on an error.
inline std::unique_ptr<Op> MustBuildFrom(const OpRegistry& registry, std::string_view name,
                                         const GivenParams& params = {}) {
  auto info = registry.Find(name);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  if (!info.ok()) return nullptr;
  auto op = BuildOp(**info, params);
  EXPECT_TRUE(op.ok()) << op.status().ToString();
  if (!op.ok()) return nullptr;
  return std::move(op).value();
}

// A registry holding one op family (built once per family and test binary).
template <Status (*Register)(OpRegistry&)>
const OpRegistry& FamilyRegistry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();
    const Status s = Register(*r);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return r;
  }();
  return *registry;
}

// One conformance case of a mapper: its params, input JSON lines and expected output texts, in order.
struct MapperCase {
  std::string id;
  GivenParams params;
  std::vector<std::string> input;
  std::vector<std::string> expected;
};

}  // namespace juicer::testing
