#include "exec/checkpoint.h"

#include <simdjson.h>

#include "core/json_text.h"
#include "core/stats.h"

namespace juicer {

namespace {
void Pos(const char* name, const WriterPosition& p, std::string* o) {
  *o += std::string(",\"") + name + "\":[" + std::to_string(p.shard) + "," + std::to_string(p.shard_bytes) + "," +
        std::to_string(p.shard_text) + "," + std::to_string(p.records) + "]";
}
Status ReadPos(simdjson::dom::element e, WriterPosition* p) {
  simdjson::dom::array a;
  if (e.get_array().get(a) || a.size() != 4) return Status::DataError("bad writer position");
  uint64_t v[4];
  size_t i = 0;
  for (auto x : a)
    if (x.get_uint64().get(v[i++])) return Status::DataError("bad writer position");
  p->shard = static_cast<uint32_t>(v[0]);
  p->shard_bytes = v[1];
  p->shard_text = v[2];
  p->records = v[3];
  return Status::OK();
}
}  // namespace

std::string CheckpointToJson(const CheckpointState& s) {
  std::string o = "{\"version\":" + std::to_string(CheckpointState::kVersion) + ",\"fingerprint\":";
  AppendJsonString(s.fingerprint, &o);
  o += ",\"segment\":" + std::to_string(s.segment) + ",\"records_done\":" + std::to_string(s.records_done) +
       ",\"bytes_done\":" + std::to_string(s.bytes_done) + ",\"samples_in\":" + std::to_string(s.samples_in) +
       ",\"n_offsets\":" + std::to_string(s.n_offsets) + ",\"rejected_count\":" + std::to_string(s.rejected_count);
  Pos("out", s.out, &o);
  Pos("stats", s.stats, &o);
  Pos("rejected", s.rejected, &o);
  o += ",\"counters\":[";
  for (size_t i = 0; i < s.counters.size(); ++i) {
    const auto& c = s.counters[i];
    o += (i ? ",[" : "[") + std::to_string(c.in) + "," + std::to_string(c.out) + "," + std::to_string(c.errors) + ",";
    AppendNumberJson(c.seconds, &o);
    o += "]";
  }
  o += "],\"traces\":[";
  for (size_t i = 0; i < s.traces.size(); ++i) {
    o += i ? ",[" : "[";
    for (size_t j = 0; j < s.traces[i].size(); ++j) {
      if (j) o += ",";
      AppendJsonString(s.traces[i][j], &o);
    }
    o += "]";
  }
  o += "]}\n";
  return o;
}

Result<CheckpointState> CheckpointFromJson(const std::string& text) {
  simdjson::dom::parser p;
  simdjson::dom::element root;
  if (p.parse(text).get(root)) return Status::DataError("checkpoint state is not valid JSON");
  CheckpointState s;
  int64_t version = 0;
  if (root["version"].get_int64().get(version) || version != CheckpointState::kVersion)
    return Status::DataError("checkpoint state has another format version");
  std::string_view fp;
  uint64_t seg = 0;
  if (root["fingerprint"].get_string().get(fp) || root["segment"].get_uint64().get(seg) ||
      root["records_done"].get_uint64().get(s.records_done) || root["bytes_done"].get_uint64().get(s.bytes_done) ||
      root["samples_in"].get_uint64().get(s.samples_in) || root["n_offsets"].get_uint64().get(s.n_offsets) ||
      root["rejected_count"].get_uint64().get(s.rejected_count))
    return Status::DataError("checkpoint state is incomplete");
  s.fingerprint = std::string(fp);
  s.segment = static_cast<uint32_t>(seg);
  JUICER_RETURN_IF_ERROR(ReadPos(root["out"], &s.out));
  JUICER_RETURN_IF_ERROR(ReadPos(root["stats"], &s.stats));
  JUICER_RETURN_IF_ERROR(ReadPos(root["rejected"], &s.rejected));
  simdjson::dom::array counters, traces;
  if (root["counters"].get_array().get(counters) || root["traces"].get_array().get(traces))
    return Status::DataError("checkpoint state is incomplete");
  for (auto c : counters) {
    OpCounter oc;
    simdjson::dom::array a;
    if (c.get_array().get(a) || a.size() != 4) return Status::DataError("bad counter");
    if (a.at(0).get_uint64().get(oc.in) || a.at(1).get_uint64().get(oc.out) || a.at(2).get_uint64().get(oc.errors) ||
        a.at(3).get_double().get(oc.seconds))
      return Status::DataError("bad counter");
    s.counters.push_back(oc);
  }
  for (auto t : traces) {
    s.traces.emplace_back();
    simdjson::dom::array a;
    if (t.get_array().get(a)) return Status::DataError("bad trace list");
    for (auto line : a) {
      std::string_view sv;
      if (line.get_string().get(sv)) return Status::DataError("bad trace line");
      s.traces.back().emplace_back(sv);
    }
  }
  return s;
}

}  // namespace juicer
