#include "exec/executor.h"

#include "core/media.h"

#include <signal.h>
#include <unistd.h>
#include <xxhash.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "analysis/analysis_writer.h"
#include "analysis/stats_collector.h"
#include "analysis/summary.h"
#include "core/dataset_writer.h"
#include "core/json_text.h"
#include "exec/batch_processor.h"
#include "exec/checkpoint.h"
#include "exec/progress.h"
#include "exec/run_internal.h"
#include "exec/spill.h"

namespace fs = std::filesystem;

namespace juicer {

namespace {

// Set by SIGINT/SIGTERM: the run stops at the next batch, removes its temporary files (or, with
// use_checkpoint, saves a checkpoint) and exits with "interrupted".
std::atomic<bool> g_interrupted{false};
extern "C" void OnInterrupt(int) { g_interrupted.store(true); }

std::string Fingerprint(const Recipe& r, RunMode mode, const std::vector<InputFile>& files) {
  std::string s = std::to_string(static_cast<int>(mode)) + "|" + r.export_path + "|" + std::to_string(r.seed) + "|" +
                  std::to_string(r.export_shard_size) + "|" + (r.keep_stats_in_res_ds ? "1" : "0") +
                  (r.keep_hashes_in_res_ds ? "1" : "0") + (r.skip_op_error ? "1" : "0") + "|";
  for (const auto& k : r.text_keys) s += k + ",";
  s += r.image_key + "," + r.video_key + "|";
  for (const auto& op : r.process) {
    s += op.name + "(";
    for (const auto& [k, v] : op.params) s += k + "=" + ParamValueToString(v) + ";";
    s += ")";
  }
  for (const auto& f : files) {
    std::error_code ec;
    auto t = fs::last_write_time(f.path, ec).time_since_epoch().count();
    s += "|" + f.path + ":" + std::to_string(f.size_bytes) + ":" + std::to_string(t) + ":" + std::to_string(f.weight);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH64(s.data(), s.size(), 0)));
  return buf;
}

// Spill lines end with the internal origin field; traces show the sample without it.
void StripOriginField(std::string* line) {
  const std::string key = "\"" + std::string(kOriginField) + "\":";
  size_t at = line->rfind(key);
  if (at == std::string::npos) return;
  if (at > 0 && (*line)[at - 1] == ',') --at;
  line->resize(at);
  line->push_back('}');
}

}  // namespace

namespace exec_internal {

Status Run::Setup() {
  JUICER_ASSIGN_OR_RETURN(files_, ResolveDatasetPath(r_.dataset_path));
  JUICER_ASSIGN_OR_RETURN(ops_, BuildRecipeOps(r_));
  threads_ = r_.np > 0 ? r_.np : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // segments: split at dataset-wide ops (analyze mode runs filters only)
  segs_.emplace_back();
  for (size_t i = 0; i < ops_.size(); ++i) {
    Op* op = ops_[i].get();
    if (mode_ == RunMode::kAnalyze && op->kind() != OpKind::kFilter) continue;
    if (op->kind() == OpKind::kFilter) any_filter_ = true;
    if (op->kind() == OpKind::kDeduplicator || op->kind() == OpKind::kSelector) {
      segs_.back().barrier = static_cast<const DatasetOp*>(op);
      segs_.back().barrier_index = i;
      segs_.back().to_spill = true;
      segs_.emplace_back();
      segs_.back().from_spill = true;
    } else {
      segs_.back().ops.push_back(op);
      segs_.back().op_index.push_back(i);
    }
  }
  settings_.analyze = mode_ == RunMode::kAnalyze;
  settings_.keep_stats = r_.keep_stats_in_res_ds || settings_.analyze;
  settings_.keep_hashes = r_.keep_hashes_in_res_ds;
  settings_.write_stats = any_filter_;
  settings_.collect_stats = settings_.analyze;
  settings_.recipe_skip_errors = r_.skip_op_error;
  settings_.trace_num = r_.trace_num;
  settings_.n_ops = ops_.size();
  settings_.export_dir = AbsoluteDirOf(r_.export_path);
  settings_.media_keys = {r_.image_key, r_.video_key};
  settings_.trace_op.assign(ops_.size(), false);
  if (r_.open_tracer)
    for (size_t i = 0; i < ops_.size(); ++i) {
      bool listed = r_.op_list_to_trace.empty();
      for (const auto& n : r_.op_list_to_trace) listed = listed || n == ops_[i]->name();
      settings_.trace_op[i] = listed;
    }
  for (const auto& op : ops_) sum_.ops.push_back({op->name(), op->kind(), 0, 0, 0, 0});
  st_.counters.assign(ops_.size(), OpCounter{});
  st_.traces.assign(ops_.size(), {});
  fingerprint_ = Fingerprint(r_, mode_, files_);
  std::error_code ec;
  fs::create_directories(r_.work_dir, ec);
  if (ec) return Status::IOError("cannot create work_dir " + r_.work_dir + ": " + ec.message());
  if (const char* k = std::getenv("JUICER_DEBUG_KILL_AFTER_BATCHES")) kill_after_ = std::atol(k);
  if (const char* c = std::getenv("JUICER_CHECKPOINT_INTERVAL_S")) ckpt_interval_s_ = std::atof(c);
  last_ckpt_ = std::chrono::steady_clock::now();
  if (group_ != nullptr) return SetupDistributed();
  const bool ckpt = r_.use_checkpoint && mode_ == RunMode::kProcess;
  tmp_dir_ = r_.work_dir + (ckpt ? "/.juicer-checkpoint/" + fingerprint_ : "/.juicer-tmp-" + std::to_string(getpid()));
  ckpt_path_ = ckpt ? tmp_dir_ + "/state.json" : "";
  if (ckpt && fs::exists(ckpt_path_)) {
    JUICER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(ckpt_path_));
    auto s = CheckpointFromJson(text);
    if (s.ok() && s->fingerprint == fingerprint_ && s->counters.size() == ops_.size()) {
      st_ = std::move(s).value();
      resumed_ = true;
      std::fprintf(stderr, "juicer: resuming from checkpoint (segment %u, %llu records done)\n", st_.segment + 1,
                   static_cast<unsigned long long>(st_.records_done));
    } else {
      std::fprintf(stderr, "juicer: ignoring an incompatible checkpoint in %s\n", tmp_dir_.c_str());
      fs::remove_all(tmp_dir_, ec);
    }
  }
  fs::create_directories(tmp_dir_, ec);
  if (ec) return Status::IOError("cannot create " + tmp_dir_ + ": " + ec.message());
  return Status::OK();
}

Status Run::MaybeCheckpoint(bool force) {
  if (ckpt_path_.empty()) return Status::OK();
  auto now = std::chrono::steady_clock::now();
  if (!force && std::chrono::duration<double>(now - last_ckpt_).count() < ckpt_interval_s_) return Status::OK();
  last_ckpt_ = now;
  JUICER_ASSIGN_OR_RETURN(st_.out, out_->Checkpoint());
  if (stats_) {
    JUICER_ASSIGN_OR_RETURN(st_.stats, stats_->Checkpoint());
  }
  JUICER_ASSIGN_OR_RETURN(st_.rejected, rejected_->Checkpoint());
  if (offsets_file_) {
    std::fflush(offsets_file_);
    st_.n_offsets = offsets_.size();
  }
  st_.fingerprint = fingerprint_;
  return WriteFileAtomic(ckpt_path_, CheckpointToJson(st_));
}

Status Run::Commit(BatchResult& b, size_t k) {
  if (!b.fatal.ok()) return b.fatal;
  if (g_interrupted.load()) {
    JUICER_RETURN_IF_ERROR(MaybeCheckpoint(true));
    return Status::Cancelled(ckpt_path_.empty() ? "interrupted; no output was written"
                                                : "interrupted; rerun the same command to resume");
  }
  if (segs_[k].to_spill) {
    uint64_t pos = offsets_.empty() ? 0 : offsets_.back();
    size_t start = 0;
    while (start < b.out.size()) {
      size_t nl = b.out.find('\n', start);
      pos += nl - start + 1;
      offsets_.push_back(pos);
      std::fwrite(&pos, 8, 1, offsets_file_);
      start = nl + 1;
    }
  }
  JUICER_RETURN_IF_ERROR(out_->Write(b.out, b.n_out));
  if (stats_) JUICER_RETURN_IF_ERROR(stats_->Write(b.stats, b.n_out));
  if (b.n_rejected) JUICER_RETURN_IF_ERROR(rejected_->Write(b.rejected, b.n_rejected));
  st_.rejected_count += b.n_rejected;
  for (size_t i = 0; i < b.counters.size(); ++i) {
    st_.counters[i].in += b.counters[i].in;
    st_.counters[i].out += b.counters[i].out;
    st_.counters[i].errors += b.counters[i].errors;
    st_.counters[i].seconds += b.counters[i].seconds;
    for (auto& t : b.traces[i])
      if (static_cast<int>(st_.traces[i].size()) < r_.trace_num) st_.traces[i].push_back(std::move(t));
  }
  if (group_ != nullptr) {  // shipped to rank 0 at the end
    for (const auto& s : b.collected) {
      stats_lines_ += "{\"__dj__stats__\":";
      AppendStatsJson(s, &stats_lines_);
      stats_lines_ += "}\n";
    }
  } else {
    for (const auto& s : b.collected) collector_.Add(s);
  }
  st_.records_done += b.n_in;
  st_.bytes_done += b.input_bytes;
  if (k == 0) st_.samples_in += b.n_in;
  progress_->Update(st_.bytes_done, st_.records_done);
  ++batches_committed_;
  JUICER_RETURN_IF_ERROR(MaybeCheckpoint(false));
  if (kill_after_ >= 0 && static_cast<long>(batches_committed_) >= kill_after_) {
    std::fprintf(stderr, "juicer: JUICER_DEBUG_KILL_AFTER_BATCHES reached, killing myself\n");
    ::raise(SIGKILL);
  }
  return Status::OK();
}

size_t BatchRecordsFor(const SegmentSpec& seg) {
  size_t n = kBatchRecords;
  for (const Op* op : seg.ops) {
    const Modality m = op->info().modality;
    if (m == Modality::kVideo) n = std::min<size_t>(n, 1);
    if (m == Modality::kImage || m == Modality::kImageText) n = std::min<size_t>(n, 16);
  }
  return n;
}

Status Run::StreamSegment(size_t k, RecordSource* src) {
  const SegmentSpec& seg = segs_[k];
  const size_t batch_records = BatchRecordsFor(seg);
  // skip what a checkpoint already covers
  uint64_t to_skip = st_.records_done;
  uint64_t seq = 0, first_index = index_base_;
  RecordBatch skipbatch;
  while (to_skip > 0) {
    JUICER_ASSIGN_OR_RETURN(bool more, src->Next(&skipbatch, std::min<uint64_t>(to_skip, kBatchRecords), kBatchBytes));
    if (!more || skipbatch.recs.empty()) return Status::Internal("checkpoint is past the end of the input");
    to_skip -= skipbatch.recs.size();
    first_index += skipbatch.recs.size();
  }
  const auto& names = src->file_names();
  if (threads_ <= 1) {
    BatchProcessor proc(seg, settings_);
    RecordBatch batch;
    BatchResult res;  // reused: its buffers keep their capacity
    for (;;) {
      JUICER_ASSIGN_OR_RETURN(bool more, src->Next(&batch, batch_records, kBatchBytes));
      if (!more) break;
      batch.seq = seq++;
      batch.first_index = first_index;
      first_index += batch.recs.size();
      proc.Process(batch, names, &res);
      JUICER_RETURN_IF_ERROR(Commit(res, k));
    }
    return Status::OK();
  }
  // reader -> workers -> ordered commit (this thread)
  std::mutex mu;
  std::condition_variable cv_work, cv_done, cv_space;
  std::deque<std::unique_ptr<RecordBatch>> work;
  std::map<uint64_t, std::unique_ptr<BatchResult>> done;
  bool reader_done = false, stop = false;
  Status reader_status;
  uint64_t next_commit = 0, produced = 0;
  const uint64_t max_in_flight = static_cast<uint64_t>(threads_) * 2 + 2;

  std::thread reader([&] {
    for (;;) {
      auto b = std::make_unique<RecordBatch>();
      auto more = src->Next(b.get(), batch_records, kBatchBytes);
      std::unique_lock<std::mutex> lk(mu);
      if (!more.ok() || !*more) {
        if (!more.ok()) reader_status = more.status();
        reader_done = true;
        cv_work.notify_all();
        cv_done.notify_all();
        return;
      }
      cv_space.wait(lk, [&] { return stop || produced - next_commit < max_in_flight; });
      if (stop) return;
      b->seq = produced++;
      b->first_index = first_index;
      first_index += b->recs.size();
      work.push_back(std::move(b));
      cv_work.notify_one();
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads_; ++t) {
    workers.emplace_back([&] {
      BatchProcessor proc(seg, settings_);
      for (;;) {
        std::unique_ptr<RecordBatch> b;
        {
          std::unique_lock<std::mutex> lk(mu);
          cv_work.wait(lk, [&] { return stop || !work.empty() || reader_done; });
          if (stop || (work.empty() && reader_done)) return;
          b = std::move(work.front());
          work.pop_front();
        }
        auto res = std::make_unique<BatchResult>();
        proc.Process(*b, names, res.get());
        std::unique_lock<std::mutex> lk(mu);
        done[res->seq] = std::move(res);
        cv_done.notify_all();
      }
    });
  }
  Status status;
  for (;;) {
    std::unique_ptr<BatchResult> res;
    {
      std::unique_lock<std::mutex> lk(mu);
      cv_done.wait(lk, [&] { return done.count(next_commit) || (reader_done && next_commit == produced); });
      if (!done.count(next_commit)) break;
      res = std::move(done[next_commit]);
      done.erase(next_commit);
    }
    status = Commit(*res, k);
    {
      std::unique_lock<std::mutex> lk(mu);
      ++next_commit;
      cv_space.notify_all();
    }
    if (!status.ok()) break;
  }
  {
    std::unique_lock<std::mutex> lk(mu);
    stop = true;
    cv_work.notify_all();
    cv_space.notify_all();
  }
  reader.join();
  for (auto& w : workers) w.join();
  JUICER_RETURN_IF_ERROR(status);
  return reader_status;
}

Status Run::RunSegment(size_t k) {
  const SegmentSpec& seg = segs_[k];
  const bool fresh_segment = !(resumed_ && st_.segment == k);
  if (fresh_segment) {
    st_.segment = static_cast<uint32_t>(k);
    st_.records_done = 0;
    st_.bytes_done = 0;
    st_.out = WriterPosition{};
    st_.stats = WriterPosition{};
    st_.n_offsets = 0;
  }
  // input
  std::unique_ptr<RecordSource> src;
  std::string label;
  if (group_ != nullptr) {
    JUICER_ASSIGN_OR_RETURN(src, OpenDistributedInput(k));
  } else if (k == 0) {
    JUICER_ASSIGN_OR_RETURN(src, OpenDataset(files_, r_.seed));
  } else {
    JUICER_ASSIGN_OR_RETURN(auto offsets, LoadU64s(SpillPath(k - 1) + ".offsets"));
    offsets.insert(offsets.begin(), 0);
    JUICER_ASSIGN_OR_RETURN(auto sel, LoadU64s(SpillPath(k - 1) + ".selection"));
    JUICER_ASSIGN_OR_RETURN(src, OpenSpill(SpillPath(k - 1), std::move(offsets), std::move(sel)));
  }
  label = segs_.size() > 1 ? "[" + std::to_string(k + 1) + "/" + std::to_string(segs_.size()) + "]" : "";
  progress_ = std::make_unique<Progress>(label.empty() ? "juicer" : "juicer " + label, src->total_bytes(),
                                         opt_.progress);
  // outputs
  const WriterPosition* rs = fresh_segment ? nullptr : &st_.out;
  if (seg.to_spill) {
    JUICER_ASSIGN_OR_RETURN(out_, DatasetWriter::Create(SpillPath(k), 0, rs));
    offsets_.clear();
    const std::string opath = SpillPath(k) + ".offsets.part";
    if (!fresh_segment) {
      JUICER_ASSIGN_OR_RETURN(offsets_, LoadU64s(opath));
      offsets_.resize(st_.n_offsets);
      std::error_code ec;
      fs::resize_file(opath, st_.n_offsets * 8, ec);
    }
    offsets_file_ = std::fopen(opath.c_str(), fresh_segment ? "wb" : "ab");
    if (!offsets_file_) return Status::IOError(opath + ": cannot open");
    stats_.reset();
  } else {
    const std::string export_path = group_ != nullptr ? RankPath(r_.export_path) : r_.export_path;
    JUICER_ASSIGN_OR_RETURN(out_, DatasetWriter::Create(export_path, mode_ == RunMode::kProcess ?
                                                        r_.export_shard_size : 0, rs));
    if (settings_.write_stats) {
      std::string sp = export_path;
      const size_t dot = fs::path(sp).filename().string().find('.');
      sp = (fs::path(sp).parent_path() / (fs::path(sp).filename().string().substr(0, dot) + "_stats.jsonl")).string();
      sum_.stats_path = sp;
      JUICER_ASSIGN_OR_RETURN(stats_, DatasetWriter::Create(sp, 0, fresh_segment ? nullptr : &st_.stats));
    }
  }
  if (group_ != nullptr) {  // one file per segment, kept with its segment's marker
    JUICER_ASSIGN_OR_RETURN(rejected_, DatasetWriter::Create(tmp_dir_ + "/rejected-seg-" + std::to_string(k) + ".jsonl", 0));
  } else if (!rejected_) {
    sum_.rejected_path = r_.work_dir + "/rejected.jsonl";
    JUICER_ASSIGN_OR_RETURN(rejected_, DatasetWriter::Create(sum_.rejected_path, 0, resumed_ ? &st_.rejected : nullptr));
  }
  Status s = StreamSegment(k, src.get());
  if (!s.ok()) {
    if (ckpt_path_.empty()) {
      out_->Abort();
      if (stats_) stats_->Abort();
    }
    return s;
  }
  progress_->Finish(st_.bytes_done, st_.records_done);
  if (group_ != nullptr) JUICER_RETURN_IF_ERROR(rejected_->Commit().status());
  if (seg.to_spill) {
    std::fclose(offsets_file_);
    offsets_file_ = nullptr;
    JUICER_RETURN_IF_ERROR(out_->Commit().status());
    JUICER_RETURN_IF_ERROR(SaveU64s(SpillPath(k) + ".offsets", offsets_));
    if (group_ != nullptr) {
      st_.segment = static_cast<uint32_t>(k);
      st_.fingerprint = fingerprint_;
      JUICER_RETURN_IF_ERROR(WriteFileAtomic(MarkerPath(k), CheckpointToJson(st_)));
      JUICER_RETURN_IF_ERROR(FinishBarrierDistributed(k));
    } else {
      JUICER_RETURN_IF_ERROR(FinishBarrier(k));
    }
  } else if (group_ == nullptr) {
    JUICER_ASSIGN_OR_RETURN(sum_.outputs, out_->Commit());
    if (stats_) JUICER_RETURN_IF_ERROR(stats_->Commit().status());
    sum_.samples_out = out_->records();
  }  // a distributed run commits its output once every rank has finished (FinishDistributed)
  resumed_ = false;
  return Status::OK();
}

Status Run::FinishBarrier(size_t k) {
  const SegmentSpec& seg = segs_[k];
  const DatasetOp* op = seg.barrier;
  auto t0 = std::chrono::steady_clock::now();
  std::vector<uint64_t> offs = offsets_;
  offs.insert(offs.begin(), 0);
  std::vector<uint64_t> all(offsets_.size());
  for (uint64_t i = 0; i < all.size(); ++i) all[i] = i;
  JUICER_ASSIGN_OR_RETURN(auto src, OpenSpill(SpillPath(k), offs, all));
  auto state = op->NewState();
  SampleParser parser;
  RecordBatch batch;
  uint64_t pos = 0;
  Progress prog("juicer " + op->name(), src->total_bytes(), opt_.progress);
  uint64_t bytes = 0;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, src->Next(&batch, kBatchRecords, kBatchBytes));
    if (!more) break;
    bytes += batch.input_bytes;
    for (const auto& rec : batch.recs) {
      Sample s;
      JUICER_RETURN_IF_ERROR(parser.Parse(batch.data(rec), rec.len, batch.capacity(rec), &s)
                                 .WithContext("spill file " + SpillPath(k) + ":" + std::to_string(rec.line) + ": "));
      JUICER_RETURN_IF_ERROR(op->Observe(s, pos++, *state).WithContext(op->name() + ": "));
    }
    prog.Update(bytes, pos);
  }
  FinalizeContext fc;
  fc.total = pos;
  fc.seed = r_.seed;
  fc.trace_num = r_.trace_num;
  JUICER_ASSIGN_OR_RETURN(Selection sel, op->Finalize(*state, fc));
  prog.Finish(bytes, pos);
  auto& c = st_.counters[seg.barrier_index];
  c.in += pos;
  c.out += sel.positions.size();
  c.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (settings_.trace_op[seg.barrier_index]) {
    for (const auto& p : sel.pairs) {
      if (static_cast<int>(st_.traces[seg.barrier_index].size()) >= r_.trace_num) break;
      JUICER_ASSIGN_OR_RETURN(std::string a, ReadSpillLine(SpillPath(k), offs, p.kept));
      JUICER_ASSIGN_OR_RETURN(std::string b, ReadSpillLine(SpillPath(k), offs, p.removed));
      StripOriginField(&a);
      StripOriginField(&b);
      st_.traces[seg.barrier_index].push_back("{\"dup1\":" + a + ",\"dup2\":" + b + "}");
    }
  }
  JUICER_RETURN_IF_ERROR(SaveU64s(SpillPath(k) + ".selection", sel.positions));
  // the next segment starts from scratch
  st_.segment = static_cast<uint32_t>(k + 1);
  st_.records_done = 0;
  st_.bytes_done = 0;
  st_.n_offsets = 0;
  if (!ckpt_path_.empty()) {
    st_.out = WriterPosition{};
    st_.stats = WriterPosition{};
    JUICER_ASSIGN_OR_RETURN(st_.rejected, rejected_->Checkpoint());
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(ckpt_path_, CheckpointToJson(st_)));
  }
  return Status::OK();
}

Status Run::WriteTraces() {
  if (!r_.open_tracer) return Status::OK();
  sum_.trace_dir = r_.work_dir + "/trace";
  for (size_t i = 0; i < ops_.size(); ++i) {
    if (!settings_.trace_op[i] || ops_[i]->kind() == OpKind::kSelector) continue;  // DJ traces no selector
    const char* prefix = ops_[i]->kind() == OpKind::kMapper   ? "mapper-"
                         : ops_[i]->kind() == OpKind::kFilter ? "filter-"
                         : ops_[i]->kind() == OpKind::kDeduplicator ? "duplicate-"
                                                                    : "selector-";
    std::string text;
    for (const auto& l : st_.traces[i]) text += l + "\n";
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(sum_.trace_dir + "/" + prefix + ops_[i]->name() + ".jsonl", text));
  }
  return Status::OK();
}

Result<RunSummary> Run::Go() {
  auto t0 = std::chrono::steady_clock::now();
  JUICER_RETURN_IF_ERROR(Setup());
  sum_.resumed = resumed_;
  sum_.threads = threads_;
  size_t first = resumed_ ? st_.segment : 0;
  if (group_ != nullptr) {
    JUICER_ASSIGN_OR_RETURN(first, FirstSegmentToRun());
    sum_.resumed = first > 0;
  }
  for (size_t k = first; k < segs_.size(); ++k) {
    Status s = RunSegment(k);
    if (!s.ok()) {
      if (ckpt_path_.empty() && group_ == nullptr) {
        if (rejected_) rejected_->Abort();
        std::error_code ec;
        fs::remove_all(tmp_dir_, ec);
      }
      return s;
    }
  }
  if (group_ != nullptr) {
    JUICER_RETURN_IF_ERROR(FinishDistributed());
  } else {
    JUICER_RETURN_IF_ERROR(rejected_->Commit().status());
    JUICER_RETURN_IF_ERROR(WriteTraces());
  }
  if (mode_ == RunMode::kAnalyze && (group_ == nullptr || group_->rank() == 0)) {
    AnalysisOptions ao;
    ao.percentiles = WithQuartiles(r_.percentiles);  // DJ merges its default quartiles in
    ao.pearson = false;
    for (const auto& m : r_.correlation_methods) {
      if (m == "pearson") ao.pearson = true;
      if (m == "spearman") ao.spearman = true;
      if (m == "kendall") ao.kendall = true;
    }
    sum_.analysis_dir = r_.work_dir + "/analysis";
    JUICER_RETURN_IF_ERROR(WriteAnalysis(collector_.Finish(), ao, sum_.analysis_dir, &sum_.analysis_files));
  }
  std::error_code ec;
  if (group_ == nullptr) fs::remove_all(tmp_dir_, ec);
  if (!ckpt_path_.empty()) fs::remove(fs::path(tmp_dir_).parent_path(), ec);  // only when empty
  for (size_t i = 0; i < ops_.size(); ++i) {
    sum_.ops[i].in = st_.counters[i].in;
    sum_.ops[i].out = st_.counters[i].out;
    sum_.ops[i].errors = st_.counters[i].errors;
    sum_.ops[i].seconds = st_.counters[i].seconds;
  }
  sum_.samples_in = st_.samples_in;
  sum_.rejected = st_.rejected_count;
  uint64_t in_bytes = 0;
  for (const auto& f : files_) in_bytes += f.size_bytes;
  sum_.input_bytes = in_bytes;
  if (group_ == nullptr && sum_.rejected == 0) fs::remove(sum_.rejected_path, ec), sum_.rejected_path.clear();
  sum_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum_;
}

}  // namespace exec_internal

Result<RunSummary> RunRecipe(const Recipe& recipe, RunMode mode, const RunOptions& options) {
  g_interrupted.store(false);
  struct sigaction sa {}, old_int {}, old_term {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  exec_internal::Run run(recipe, mode, options);
  auto result = run.Go();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return result;
}

std::string FormatSummary(const RunSummary& s) {
  std::string o;
  char buf[512];
  std::snprintf(buf, sizeof buf, "%-32s %-13s %10s %10s %8s %9s\n", "op", "kind", "in", "out", "errors", "seconds");
  o += buf;
  for (const auto& op : s.ops) {
    std::snprintf(buf, sizeof buf, "%-32s %-13s %10llu %10llu %8llu %9.2f\n", op.name.c_str(),
                  std::string(OpKindName(op.kind)).c_str(), static_cast<unsigned long long>(op.in),
                  static_cast<unsigned long long>(op.out), static_cast<unsigned long long>(op.errors), op.seconds);
    o += buf;
  }
  std::snprintf(buf, sizeof buf,
                "samples: %llu in, %llu out, %llu rejected; %s in %.2f s (%.1f MB/s, %.0f samples/s, %d threads)%s\n",
                static_cast<unsigned long long>(s.samples_in), static_cast<unsigned long long>(s.samples_out),
                static_cast<unsigned long long>(s.rejected), HumanBytes(static_cast<double>(s.input_bytes)).c_str(),
                s.seconds, s.seconds > 0 ? s.input_bytes / s.seconds / 1e6 : 0.0,
                s.seconds > 0 ? s.samples_in / s.seconds : 0.0, s.threads, s.resumed ? " [resumed]" : "");
  o += buf;
  return o;
}

}  // namespace juicer
