#include "exec/batch_processor.h"

#include <chrono>

#include "core/json_text.h"
#include "core/media.h"

namespace juicer {

namespace {
double Since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

bool BatchProcessor::HandleError(const std::string& op_name, size_t op_index, const Status& st,
                                 const std::string& origin, const std::string& raw, bool raw_is_json,
                                 BatchResult* r) {
  bool skip = set_.recipe_skip_errors;
  if (op_index < set_.n_ops) {
    const Op* op = nullptr;
    for (size_t i = 0; i < seg_.ops.size(); ++i)
      if (seg_.op_index[i] == op_index) op = seg_.ops[i];
    if (seg_.barrier && seg_.barrier_index == op_index) op = seg_.barrier;
    if (op && op->skip_op_error()) skip = *op->skip_op_error();
    r->counters[op_index].errors++;
  }
  if (st.code() == StatusCode::kInternal) skip = false;  // a bug is never skipped
  if (!skip) {
    r->fatal = Status(st).WithContext(origin + ": " + (op_name.empty() ? "" : op_name + ": "));
    if (st.IsUserError())
      r->fatal = Status::DataError(r->fatal.message() + " (set skip_op_error: true to skip such samples)");
    return false;
  }
  r->rejected += "{\"origin\":";
  AppendJsonString(origin, &r->rejected);
  r->rejected += ",\"op\":";
  AppendJsonString(op_name.empty() ? "reader" : op_name, &r->rejected);
  r->rejected += ",\"error\":";
  AppendJsonString(st.message(), &r->rejected);
  r->rejected += ",\"sample\":";
  if (raw_is_json) r->rejected += raw;
  else AppendJsonString(raw, &r->rejected);
  r->rejected += "}\n";
  r->n_rejected++;
  return true;
}

void BatchProcessor::Process(const RecordBatch& batch, const std::vector<std::string>& file_names,
                             BatchResult* r) {
  r->seq = batch.seq;
  r->n_in = batch.recs.size();
  r->input_bytes = batch.input_bytes;
  r->counters.assign(set_.n_ops, OpCounter{});
  r->traces.assign(set_.n_ops, {});
  r->out.clear();
  r->stats.clear();
  r->rejected.clear();
  r->collected.clear();
  r->n_out = r->n_rejected = 0;
  r->fatal = Status::OK();
  r->out.reserve(batch.buffer.size() + batch.buffer.size() / 8 + 4096);  // no regrowth copies
  if (set_.write_stats) r->stats.reserve(batch.recs.size() * 128);
  cur_.clear();
  cur_.reserve(batch.recs.size());
  size_t err_i = 0;
  // ---- parse ----
  for (size_t i = 0; i < batch.recs.size(); ++i) {
    const auto& rec = batch.recs[i];
    std::string origin = file_names[rec.file] + ":" + std::to_string(rec.line);
    while (err_i < batch.read_errors.size() && batch.read_errors[err_i].first < i) ++err_i;
    if (err_i < batch.read_errors.size() && batch.read_errors[err_i].first == i) {
      if (!HandleError("", SIZE_MAX, Status::DataError(batch.read_errors[err_i].second), origin,
                       std::string(batch.data(rec), rec.len), false, r))
        return;
      continue;
    }
    Sample s;
    Status st = parser_.Parse(batch.data(rec), rec.len, batch.capacity(rec), &s);
    if (!st.ok()) {
      if (!HandleError("", SIZE_MAX, st, origin, std::string(batch.data(rec), rec.len), false, r)) return;
      continue;
    }
    s.index = batch.first_index + i;
    if (seg_.from_spill) {
      if (const auto* f = s.Find(kOriginField); f && f->has_decoded) {
        const std::string& o = f->decoded;
        size_t colon = o.rfind(':');
        s.origin.file = o.substr(0, colon);
        s.origin.line = colon == std::string::npos ? 0 : std::stoull(o.substr(colon + 1));
        s.Remove(kOriginField);
      }
    } else {
      s.origin.file = file_names[rec.file];
      s.origin.line = rec.line;
    }
    cur_.push_back(std::move(s));
  }
  // ---- ops, one at a time over the batch ----
  for (size_t k = 0; k < seg_.ops.size(); ++k) {
    const Op* op = seg_.ops[k];
    const size_t oi = seg_.op_index[k];
    OpCounter& c = r->counters[oi];
    auto t0 = std::chrono::steady_clock::now();
    next_.clear();
    const bool trace = set_.trace_op[oi];
    c.in += cur_.size();
    if (op->kind() == OpKind::kFilter) {
      const auto* f = static_cast<const Filter*>(op);
      for (auto& s : cur_) {
        Status st = f->ComputeStats(s, ctx_);
        if (!st.ok()) {
          std::string raw;
          s.AppendJson(&raw, true, true);
          if (!HandleError(op->name(), oi, st, s.origin.ToString(), raw, true, r)) return;
          continue;
        }
        if (set_.analyze) {
          next_.push_back(std::move(s));
          continue;
        }
        auto keep = f->Keep(s);
        if (!keep.ok()) {
          std::string raw;
          s.AppendJson(&raw, true, true);
          if (!HandleError(op->name(), oi, keep.status(), s.origin.ToString(), raw, true, r)) return;
          continue;
        }
        if (*keep) {
          next_.push_back(std::move(s));
        } else if (trace && static_cast<int>(r->traces[oi].size()) < set_.trace_num) {
          std::string line;
          s.AppendJson(&line, true, false);
          r->traces[oi].push_back(std::move(line));
        }
      }
    } else if (op->kind() == OpKind::kMapper) {
      const auto* m = static_cast<const Mapper*>(op);
      if (set_.analyze) {
        cur_.swap(next_);
      } else {
        for (auto& s : cur_) {
          std::string before_text;
          if (trace && static_cast<int>(r->traces[oi].size()) < set_.trace_num) {
            auto t = s.GetText(op->text_key());
            if (t.ok()) before_text.assign(*t);
          }
          const size_t n0 = next_.size();
          Status st = m->Map(s, &next_, ctx_);
          if (!st.ok()) {
            next_.resize(n0);
            std::string raw;
            s.AppendJson(&raw, true, true);
            if (!HandleError(op->name(), oi, st, s.origin.ToString(), raw, true, r)) return;
            continue;
          }
          if (trace && static_cast<int>(r->traces[oi].size()) < set_.trace_num && next_.size() == n0 + 1) {
            auto t = next_.back().GetText(op->text_key());
            if (t.ok() && *t != before_text) {
              std::string line = "{\"original_text\":";
              AppendJsonString(before_text, &line);
              line += ",\"processed_text\":";
              AppendJsonString(*t, &line);
              line += "}";
              r->traces[oi].push_back(std::move(line));
            }
          }
        }
      }
    }
    c.out += next_.size();
    cur_.swap(next_);
    c.seconds += Since(t0);
  }
  // ---- barrier preparation (hashes) ----
  if (seg_.barrier != nullptr) {
    auto t0 = std::chrono::steady_clock::now();
    next_.clear();
    for (auto& s : cur_) {
      Status st = seg_.barrier->Prepare(s, ctx_);
      if (!st.ok()) {
        std::string raw;
        s.AppendJson(&raw, true, true);
        if (!HandleError(seg_.barrier->name(), seg_.barrier_index, st, s.origin.ToString(), raw, true, r)) return;
        continue;
      }
      next_.push_back(std::move(s));
    }
    cur_.swap(next_);
    r->counters[seg_.barrier_index].seconds += Since(t0);
  }
  Serialize(cur_, r);
  cur_.clear();  // samples borrow from the batch buffer: do not keep them past this call
  next_.clear();
}

bool BatchProcessor::RebaseMedia(const Sample& s, Sample* out) const {
  if (s.origin.file.empty()) return false;
  const std::string src_dir = AbsoluteDirOf(s.origin.file);
  if (src_dir == set_.export_dir) return false;
  bool changed = false;
  for (const auto& key : set_.media_keys) {
    const Sample::Field* f = s.Find(key);
    if (f == nullptr || (!f->has_decoded_list && !f->has_decoded)) continue;
    std::vector<std::string> paths = f->has_decoded_list ? f->decoded_list : std::vector<std::string>{f->decoded};
    bool field_changed = false;
    for (auto& p : paths) {
      std::string rebased = RebaseMediaPath(src_dir, set_.export_dir, p);
      if (rebased != p) {
        p = std::move(rebased);
        field_changed = true;
      }
    }
    if (!field_changed) continue;
    if (!changed) *out = s;
    changed = true;
    if (f->has_decoded_list) {
      std::string raw = "[";
      for (size_t i = 0; i < paths.size(); ++i) {
        if (i) raw.push_back(',');
        AppendJsonString(paths[i], &raw);
      }
      raw.push_back(']');
      out->SetRaw(key, std::move(raw), JsonType::kArray);
    } else {
      out->SetString(key, paths[0]);
    }
  }
  return changed;
}

void BatchProcessor::Serialize(const std::vector<Sample>& samples, BatchResult* r) {
  for (const auto& s : samples) {
    if (seg_.to_spill) {
      const size_t start = r->out.size();
      s.AppendJson(&r->out, true, true);
      r->out.pop_back();  // '}'
      if (r->out.size() - start > 1) r->out.push_back(',');
      AppendJsonString(kOriginField, &r->out);
      r->out.push_back(':');
      AppendJsonString(s.origin.ToString(), &r->out);
      r->out += "}\n";
    } else {
      Sample rebased;
      const Sample& w = !set_.export_dir.empty() && RebaseMedia(s, &rebased) ? rebased : s;
      w.AppendJson(&r->out, set_.keep_stats, set_.keep_hashes);
      r->out.push_back('\n');
      if (set_.write_stats) {
        r->stats += "{\"__dj__stats__\":";
        AppendStatsJson(s.stats(), &r->stats);
        r->stats += "}\n";
      }
    }
    if (set_.collect_stats) r->collected.push_back(s.stats());
  }
  r->n_out = samples.size();
}

}  // namespace juicer
