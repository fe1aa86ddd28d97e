// The distributed parts of a run (RunOptions::group): each rank reads its byte range of the input,
// runs the per-sample ops on it with its own threads and spills the segment; dataset-wide ops are
// resolved across ranks (cluster keys exchanged for deduplicators, the observed fields all-gathered for
// the others) and the segment after a barrier reads the rank's share of the selection. Every rank
// writes its own output files; rank 0 writes the manifest that lists them in dataset order once every
// rank has committed. A rank keeps each finished segment (spill + marker) until the run completes, so a
// rerun after a crash continues from the last segment every rank finished.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "core/json_text.h"
#include "core/sample_parser.h"
#include "exec/run_internal.h"

namespace fs = std::filesystem;

namespace juicer::exec_internal {

namespace {

std::string RankSuffix(int rank, int size) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "-rank%05d-of-%05d", rank, size);
  return buf;
}

// Parses the JSON lines of `text` (padded by this function) and calls fn(sample) for each.
template <typename Fn>
Status ForEachLine(std::string text, const std::string& what, Fn&& fn) {
  const size_t n = text.size();
  text.append(JsonPadding(), '\0');
  SampleParser parser;
  size_t start = 0;
  uint64_t line = 0;
  while (start < n) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos || nl > n) nl = n;
    ++line;
    Sample s;
    JUICER_RETURN_IF_ERROR(parser.Parse(text.data() + start, nl - start, text.size() - start, &s)
                               .WithContext(what + " line " + std::to_string(line) + ": "));
    JUICER_RETURN_IF_ERROR(fn(s));
    start = nl + 1;
  }
  return Status::OK();
}

}  // namespace

std::string Run::RankPath(const std::string& path) const {
  const fs::path p(path);
  const std::string name = p.filename().string();
  const size_t dot = name.find('.');
  const std::string stem = name.substr(0, dot), ext = dot == std::string::npos ? "" : name.substr(dot);
  return (p.parent_path() / (stem + RankSuffix(group_->rank(), group_->size()) + ext)).string();
}

std::string Run::SpillPathOfRank(size_t k, int rank) const {
  return dist_dir_ + "/rank-" + std::to_string(rank) + "/seg-" + std::to_string(k) + ".jsonl";
}

Status Run::SetupDistributed() {
  if (r_.open_tracer)
    return Status::InvalidArgument("open_tracer is not supported in a distributed (MPI) run; trace with one process");
  if (r_.use_checkpoint && group_->rank() == 0)
    std::fprintf(stderr, "juicer: use_checkpoint is ignored by a distributed run (it resumes per finished segment)\n");
  if (r_.np <= 0) {
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads_ = std::max(1, cores / std::max(1, group_->local_size()));
  }
  if (group_->rank() != 0) opt_.progress = false;
  // work_dir must be one directory every rank sees (as export_path): ranks read each other's spills.
  dist_dir_ = r_.work_dir + "/.juicer-dist/" + fingerprint_ + "-n" + std::to_string(group_->size());
  tmp_dir_ = dist_dir_ + "/rank-" + std::to_string(group_->rank());
  ckpt_path_.clear();
  std::error_code ec;
  fs::create_directories(tmp_dir_, ec);
  if (ec) return Status::IOError("cannot create " + tmp_dir_ + ": " + ec.message());
  part_ = PartOfInput(files_, group_->rank(), group_->size());
  return Status::OK();
}

Result<size_t> Run::FirstSegmentToRun() {
  uint64_t done = 0;
  for (size_t k = 0; k + 1 < segs_.size(); ++k) {
    if (!fs::exists(MarkerPath(k))) break;
    auto text = ReadFileToString(MarkerPath(k));
    if (!text.ok()) break;
    auto s = CheckpointFromJson(*text);
    if (!s.ok() || s->fingerprint != fingerprint_ || s->counters.size() != ops_.size()) break;
    done = k + 1;
  }
  JUICER_ASSIGN_OR_RETURN(uint64_t first, group_->MinU64(done));  // the segments every rank finished
  if (first == 0) return size_t{0};
  const size_t k = first - 1;
  JUICER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(MarkerPath(k)));
  JUICER_ASSIGN_OR_RETURN(st_, CheckpointFromJson(text));
  JUICER_ASSIGN_OR_RETURN(offsets_, LoadU64s(SpillPath(k) + ".offsets"));
  if (group_->rank() == 0)
    std::fprintf(stderr, "juicer: resuming after segment %zu of %zu (finished by every rank in an earlier run)\n",
                 k + 1, segs_.size());
  JUICER_RETURN_IF_ERROR(FinishBarrierDistributed(k));
  return static_cast<size_t>(first);
}

Result<std::unique_ptr<RecordSource>> Run::OpenDistributedInput(size_t k) {
  if (k > 0) return OpenSpills(next_files_, next_positions_);
  // Count this part's records and lines once, so records get their global index and lines their number.
  JUICER_ASSIGN_OR_RETURN(PartCounts counts, CountInputPart(files_, r_.seed, part_));
  JUICER_ASSIGN_OR_RETURN(part_.line_base, group_->ExclusiveSumU64(counts.lines));
  JUICER_ASSIGN_OR_RETURN(auto base, group_->ExclusiveSumU64({counts.records}));
  index_base_ = base[0];
  return OpenDatasetPart(files_, r_.seed, part_);
}

Status Run::FinishBarrierDistributed(size_t k) {
  const SegmentSpec& seg = segs_[k];
  const DatasetOp* op = seg.barrier;
  const auto t0 = std::chrono::steady_clock::now();
  const int rank = group_->rank(), ranks = group_->size();
  const uint64_t n_local = offsets_.size();
  JUICER_ASSIGN_OR_RETURN(std::vector<uint64_t> counts, group_->AllGatherU64(n_local));
  std::vector<uint64_t> starts(counts.size() + 1, 0);  // global position of each rank's first sample
  for (size_t r = 0; r < counts.size(); ++r) starts[r + 1] = starts[r] + counts[r];
  std::vector<uint64_t> offs = offsets_;
  offs.insert(offs.begin(), 0);
  std::vector<uint64_t> all(n_local);
  for (uint64_t i = 0; i < n_local; ++i) all[i] = i;
  JUICER_ASSIGN_OR_RETURN(auto src, OpenSpill(SpillPath(k), offs, all));
  // what the op needs from each local sample
  const bool keyed = op->HasClusterKeys();
  const std::optional<std::vector<std::string>> fields = op->ObservedFields();
  std::vector<KeyAt> keys;
  std::vector<ClusterKey> ks;
  std::string lines;
  SampleParser parser;
  RecordBatch batch;
  uint64_t pos = 0;
  for (;;) {
    JUICER_ASSIGN_OR_RETURN(bool more, src->Next(&batch, kBatchRecords, kBatchBytes));
    if (!more) break;
    for (const auto& rec : batch.recs) {
      if (!keyed && !fields) {  // the whole sample
        lines.append(batch.data(rec), rec.len);
        lines.push_back('\n');
        ++pos;
        continue;
      }
      Sample s;
      JUICER_RETURN_IF_ERROR(parser.Parse(batch.data(rec), rec.len, batch.capacity(rec), &s)
                                 .WithContext("spill file " + SpillPath(k) + ":" + std::to_string(rec.line) + ": "));
      if (keyed) {
        JUICER_RETURN_IF_ERROR(op->ClusterKeys(s, &ks).WithContext(op->name() + ": "));
        for (const ClusterKey& key : ks) keys.push_back(KeyAt{key, pos});
      } else {
        std::vector<std::string> drop;
        for (const auto& f : s.fields())
          if (std::find(fields->begin(), fields->end(), f.key) == fields->end()) drop.push_back(f.key);
        for (const auto& key : drop) s.Remove(key);
        if (std::find(fields->begin(), fields->end(), std::string(fields::kStats)) == fields->end()) s.stats().Clear();
        s.AppendJson(&lines, true, true);
        lines.push_back('\n');
      }
      ++pos;
    }
  }
  auto& c = st_.counters[seg.barrier_index];
  next_files_.clear();
  next_positions_.clear();
  if (keyed) {
    JUICER_ASSIGN_OR_RETURN(std::vector<uint64_t> kept,
                            group_->KeepFirstOfClusters(std::move(keys), n_local, starts[static_cast<size_t>(rank)]));
    c.in += n_local;
    c.out += kept.size();
    next_files_.push_back(SpillFile{SpillPath(k), offs});
    for (uint64_t p : kept) next_positions_.push_back(SpillPos{0, p});
    JUICER_ASSIGN_OR_RETURN(auto base, group_->ExclusiveSumU64({kept.size()}));
    index_base_ = base[0];
  } else {
    // Every rank observes the whole dataset's observed fields in order and finalises the same selection.
    JUICER_ASSIGN_OR_RETURN(std::vector<std::string> parts, group_->AllGather(lines));
    std::string().swap(lines);
    auto state = op->NewState();
    uint64_t g = 0;
    for (int r = 0; r < ranks; ++r) {
      JUICER_RETURN_IF_ERROR(ForEachLine(std::move(parts[static_cast<size_t>(r)]), "observations of rank " + std::to_string(r),
                                         [&](const Sample& s) { return op->Observe(s, g++, *state).WithContext(op->name() + ": "); }));
    }
    FinalizeContext fc;
    fc.total = g;
    fc.seed = r_.seed;
    fc.trace_num = 0;
    JUICER_ASSIGN_OR_RETURN(Selection sel, op->Finalize(*state, fc));
    if (rank == 0) {
      c.in += g;
      c.out += sel.positions.size();
    }
    // this rank continues with an equal share of the selection, in selection order
    const uint64_t n = sel.positions.size();
    const uint64_t lo = n * static_cast<uint64_t>(rank) / static_cast<uint64_t>(ranks);
    const uint64_t hi = n * static_cast<uint64_t>(rank + 1) / static_cast<uint64_t>(ranks);
    std::vector<int> file_of_rank(static_cast<size_t>(ranks), -1);
    for (uint64_t i = lo; i < hi; ++i) {
      const uint64_t gp = sel.positions[i];
      const size_t owner = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), gp) - starts.begin()) - 1;
      if (file_of_rank[owner] < 0) {
        file_of_rank[owner] = static_cast<int>(next_files_.size());
        SpillFile f;
        f.path = SpillPathOfRank(k, static_cast<int>(owner));
        if (static_cast<int>(owner) == rank) {
          f.offsets = offs;
        } else {
          JUICER_ASSIGN_OR_RETURN(f.offsets, LoadU64s(f.path + ".offsets"));
          f.offsets.insert(f.offsets.begin(), 0);
        }
        next_files_.push_back(std::move(f));
      }
      next_positions_.push_back(SpillPos{static_cast<uint32_t>(file_of_rank[owner]), gp - starts[owner]});
    }
    index_base_ = lo;
  }
  c.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  st_.segment = static_cast<uint32_t>(k + 1);
  st_.records_done = 0;
  st_.bytes_done = 0;
  st_.n_offsets = 0;
  return Status::OK();
}

Status Run::FinishDistributed() {
  const int rank = group_->rank(), ranks = group_->size();
  const uint64_t local_out = out_->records(), local_rejected = st_.rejected_count;
  // totals over the ranks (also the point where every rank has finished its last segment)
  std::vector<uint64_t> u = {st_.samples_in, local_out, local_rejected};
  std::vector<double> secs;
  for (const auto& c : st_.counters) {
    u.insert(u.end(), {c.in, c.out, c.errors});
    secs.push_back(c.seconds);
  }
  JUICER_ASSIGN_OR_RETURN(u, group_->SumU64(u));
  JUICER_ASSIGN_OR_RETURN(secs, group_->SumF64(secs));
  st_.samples_in = u[0];
  sum_.samples_out = u[1];
  st_.rejected_count = u[2];
  for (size_t i = 0; i < st_.counters.size(); ++i) {
    st_.counters[i] = OpCounter{u[3 + 3 * i], u[4 + 3 * i], u[5 + 3 * i], secs[i]};
  }
  // the output becomes visible only now
  JUICER_ASSIGN_OR_RETURN(sum_.outputs, out_->Commit());
  std::vector<std::string> stats_files;
  if (stats_) {
    JUICER_ASSIGN_OR_RETURN(stats_files, stats_->Commit());
  }
  // this rank's rejected samples, all segments in order
  if (local_rejected > 0) {
    sum_.rejected_path = r_.work_dir + "/rejected" + RankSuffix(rank, ranks) + ".jsonl";
    std::string text;
    for (size_t k = 0; k < segs_.size(); ++k) {
      const std::string p = tmp_dir_ + "/rejected-seg-" + std::to_string(k) + ".jsonl";
      if (!fs::exists(p)) continue;
      JUICER_ASSIGN_OR_RETURN(std::string part, ReadFileToString(p));
      text += part;
    }
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(sum_.rejected_path, text));
  }
  // analyzer: rank 0 collects every rank's stats, in dataset order
  if (settings_.collect_stats) {
    JUICER_ASSIGN_OR_RETURN(std::vector<std::string> parts, group_->Gather(stats_lines_));
    std::string().swap(stats_lines_);
    for (size_t r = 0; r < parts.size(); ++r) {
      JUICER_RETURN_IF_ERROR(ForEachLine(std::move(parts[r]), "stats of rank " + std::to_string(r), [&](const Sample& s) {
        collector_.Add(s.stats());
        return Status::OK();
      }));
    }
  }
  // manifest: every rank's files, in dataset order
  std::string part = "{\"rank\":" + std::to_string(rank) + ",\"records\":" + std::to_string(local_out) + ",\"files\":[";
  for (size_t i = 0; i < sum_.outputs.size(); ++i) {
    if (i) part += ",";
    AppendJsonString(fs::path(sum_.outputs[i]).filename().string(), &part);
  }
  part += "],\"stats_files\":[";
  for (size_t i = 0; i < stats_files.size(); ++i) {
    if (i) part += ",";
    AppendJsonString(fs::path(stats_files[i]).filename().string(), &part);
  }
  part += "]}";
  JUICER_ASSIGN_OR_RETURN(std::vector<std::string> parts, group_->Gather(part));
  const fs::path ep(r_.export_path);
  const std::string name = ep.filename().string();
  sum_.manifest_path = (ep.parent_path() / (name.substr(0, name.find('.')) + ".manifest.json")).string();
  sum_.ranks = ranks;
  if (rank == 0) {
    std::string m = "{\"format\":\"juicer-distributed-output\",\"version\":1,\"ranks\":" + std::to_string(ranks) +
                    ",\"records\":" + std::to_string(sum_.samples_out) + ",\"parts\":[\n";
    for (size_t r = 0; r < parts.size(); ++r) m += (r ? ",\n" : "") + parts[r];
    m += "\n]}\n";
    JUICER_RETURN_IF_ERROR(WriteFileAtomic(sum_.manifest_path, m));
  }
  // every rank is done reading the others' spills: remove the run's temporary files
  JUICER_RETURN_IF_ERROR(group_->Barrier());
  std::error_code ec;
  fs::remove_all(tmp_dir_, ec);
  JUICER_RETURN_IF_ERROR(group_->Barrier());
  if (rank == 0) {
    fs::remove_all(dist_dir_, ec);
    fs::remove(fs::path(dist_dir_).parent_path(), ec);  // only when empty
  }
  return Status::OK();
}

}  // namespace juicer::exec_internal
