// Microbenchmarks of the per-sample hot path: parse, serialise, and each text filter's stats.
// Run: build/juicer_microbench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "core/json_text.h"
#include "core/op_builder.h"
#include "core/sample_parser.h"
#include "ops/builtin.h"

namespace juicer {
namespace {

std::string Doc(size_t bytes) {
  static const char* words[] = {"the", "of", "data", "model", "sandbox", "probe", "café", "数据", "quality", "a"};
  std::mt19937 rng(1);
  std::string t;
  while (t.size() < bytes) {
    t += words[rng() % 10];
    t += rng() % 15 == 0 ? ". " : " ";
  }
  return "{\"id\":12345,\"text\":" + JsonString(t) + ",\"meta\":{\"src\":\"synthetic\",\"n\":3}}";
}

void BM_Parse(benchmark::State& st) {
  std::string doc = Doc(2048);
  const size_t len = doc.size();
  doc.append(JsonPadding(), '\0');
  SampleParser p;
  for (auto _ : st) {
    Sample s;
    benchmark::DoNotOptimize(p.Parse(doc.data(), len, doc.size(), &s));
  }
  st.SetBytesProcessed(st.iterations() * len);
}
BENCHMARK(BM_Parse);

void BM_ParseAndSerialize(benchmark::State& st) {
  std::string doc = Doc(2048);
  const size_t len = doc.size();
  doc.append(JsonPadding(), '\0');
  SampleParser p;
  std::string out;
  for (auto _ : st) {
    Sample s;
    (void)p.Parse(doc.data(), len, doc.size(), &s);
    out.clear();
    s.AppendJson(&out, false, false);
    benchmark::DoNotOptimize(out.data());
  }
  st.SetBytesProcessed(st.iterations() * len);
}
BENCHMARK(BM_ParseAndSerialize);

void BM_FilterStats(benchmark::State& st, const char* op_name) {
  std::string doc = Doc(2048);
  const size_t len = doc.size();
  doc.append(JsonPadding(), '\0');
  SampleParser p;
  Sample proto;
  (void)p.Parse(doc.data(), len, doc.size(), &proto);
  auto info = BuiltinRegistry().Find(op_name);
  auto op = BuildOp(**info, {});
  const auto* f = static_cast<const Filter*>(op->get());
  WorkerContext ctx;
  for (auto _ : st) {
    st.PauseTiming();
    Sample s = proto;
    st.ResumeTiming();
    benchmark::DoNotOptimize(f->ComputeStats(s, ctx));
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK_CAPTURE(BM_FilterStats, text_length, "text_length_filter");
BENCHMARK_CAPTURE(BM_FilterStats, words_num, "words_num_filter");
BENCHMARK_CAPTURE(BM_FilterStats, alphanumeric, "alphanumeric_filter");
BENCHMARK_CAPTURE(BM_FilterStats, special_characters, "special_characters_filter");
BENCHMARK_CAPTURE(BM_FilterStats, character_repetition, "character_repetition_filter");
BENCHMARK_CAPTURE(BM_FilterStats, word_repetition, "word_repetition_filter");

}  // namespace
}  // namespace juicer
