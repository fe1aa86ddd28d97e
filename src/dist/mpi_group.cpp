// RunGroup over MPI (Open MPI). Only the executor's main thread calls MPI (MPI_THREAD_FUNNELED).
#include "dist/mpi_group.h"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "dist/clusters.h"

namespace juicer::dist {

namespace {

Status Check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return Status::OK();
  char msg[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, msg, &len);
  return Status::IOError(std::string("MPI ") + what + " failed: " + std::string(msg, static_cast<size_t>(len)));
}

Result<int> ToCount(uint64_t n, const char* what) {
  if (n > static_cast<uint64_t>(INT_MAX))
    return Status::Unavailable(std::string("MPI ") + what + ": more than 2^31 elements from one rank; use more ranks");
  return static_cast<int>(n);
}

class MpiGroup final : public RunGroup {
 public:
  MpiGroup() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
    MPI_Comm_size(local, &local_size_);
    MPI_Comm_free(&local);
    MPI_Type_contiguous(static_cast<int>(sizeof(KeyRoot)), MPI_BYTE, &key_root_type_);
    MPI_Type_commit(&key_root_type_);
    MPI_Type_contiguous(static_cast<int>(sizeof(Edge)), MPI_BYTE, &edge_type_);
    MPI_Type_commit(&edge_type_);
  }
  ~MpiGroup() override {
    MPI_Type_free(&key_root_type_);
    MPI_Type_free(&edge_type_);
    MPI_Finalize();
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return local_size_; }

  Result<std::vector<uint64_t>> AllGatherU64(uint64_t v) override {
    std::vector<uint64_t> out(static_cast<size_t>(size_));
    JUICER_RETURN_IF_ERROR(Check(MPI_Allgather(&v, 1, MPI_UINT64_T, out.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
                                 "Allgather"));
    return out;
  }
  Result<std::vector<uint64_t>> SumU64(const std::vector<uint64_t>& v) override { return Sum(v, MPI_UINT64_T); }
  Result<std::vector<double>> SumF64(const std::vector<double>& v) override { return Sum(v, MPI_DOUBLE); }
  Result<uint64_t> MinU64(uint64_t v) override {
    uint64_t out = 0;
    JUICER_RETURN_IF_ERROR(Check(MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, MPI_MIN, MPI_COMM_WORLD), "Allreduce"));
    return out;
  }
  Result<std::vector<uint64_t>> ExclusiveSumU64(const std::vector<uint64_t>& v) override {
    std::vector<uint64_t> out(v.size(), 0);
    JUICER_ASSIGN_OR_RETURN(int n, ToCount(v.size(), "Exscan"));
    JUICER_RETURN_IF_ERROR(Check(MPI_Exscan(v.data(), out.data(), n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD), "Exscan"));
    if (rank_ == 0) out.assign(v.size(), 0);  // MPI leaves rank 0's result undefined
    return out;
  }
  Result<std::vector<std::string>> AllGather(std::string_view bytes) override { return Collect(bytes, true); }
  Result<std::vector<std::string>> Gather(std::string_view bytes) override { return Collect(bytes, false); }

  Result<std::vector<uint64_t>> KeepFirstOfClusters(std::vector<KeyAt> keys, uint64_t n_local,
                                                    uint64_t first_pos) override {
    std::vector<uint64_t> local_root;
    std::vector<KeyRoot> roots = LocalClusters(std::move(keys), n_local, first_pos, &local_root);
    // key roots to their owners
    std::vector<std::vector<KeyRoot>> by_owner(static_cast<size_t>(size_));
    for (const KeyRoot& k : roots) by_owner[static_cast<size_t>(OwnerOfKey(k.key, size_))].push_back(k);
    std::vector<KeyRoot>().swap(roots);
    std::vector<int> send_n(static_cast<size_t>(size_)), send_at(static_cast<size_t>(size_)),
        recv_n(static_cast<size_t>(size_)), recv_at(static_cast<size_t>(size_));
    std::vector<KeyRoot> send;
    for (int r = 0; r < size_; ++r) {
      send_at[static_cast<size_t>(r)] = static_cast<int>(send.size());
      JUICER_ASSIGN_OR_RETURN(send_n[static_cast<size_t>(r)], ToCount(by_owner[static_cast<size_t>(r)].size(), "Alltoallv"));
      send.insert(send.end(), by_owner[static_cast<size_t>(r)].begin(), by_owner[static_cast<size_t>(r)].end());
      std::vector<KeyRoot>().swap(by_owner[static_cast<size_t>(r)]);
    }
    JUICER_RETURN_IF_ERROR(
        Check(MPI_Alltoall(send_n.data(), 1, MPI_INT, recv_n.data(), 1, MPI_INT, MPI_COMM_WORLD), "Alltoall"));
    uint64_t total = 0;
    for (int r = 0; r < size_; ++r) {
      JUICER_ASSIGN_OR_RETURN(recv_at[static_cast<size_t>(r)], ToCount(total, "Alltoallv"));
      total += static_cast<uint64_t>(recv_n[static_cast<size_t>(r)]);
    }
    JUICER_RETURN_IF_ERROR(ToCount(total, "Alltoallv").status());
    std::vector<KeyRoot> recv(total);
    JUICER_RETURN_IF_ERROR(Check(MPI_Alltoallv(send.data(), send_n.data(), send_at.data(), key_root_type_, recv.data(),
                                               recv_n.data(), recv_at.data(), key_root_type_, MPI_COMM_WORLD),
                                 "Alltoallv"));
    std::vector<KeyRoot>().swap(send);
    std::vector<Edge> edges = EdgesOfSharedKeys(std::move(recv));
    // every rank gets every cross-rank edge
    JUICER_ASSIGN_OR_RETURN(int n_edges, ToCount(edges.size(), "Allgatherv"));
    std::vector<int> counts(static_cast<size_t>(size_)), at(static_cast<size_t>(size_));
    JUICER_RETURN_IF_ERROR(
        Check(MPI_Allgather(&n_edges, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD), "Allgather"));
    uint64_t all = 0;
    for (int r = 0; r < size_; ++r) {
      JUICER_ASSIGN_OR_RETURN(at[static_cast<size_t>(r)], ToCount(all, "Allgatherv"));
      all += static_cast<uint64_t>(counts[static_cast<size_t>(r)]);
    }
    JUICER_RETURN_IF_ERROR(ToCount(all, "Allgatherv").status());
    std::vector<Edge> all_edges(all);
    JUICER_RETURN_IF_ERROR(Check(MPI_Allgatherv(edges.data(), n_edges, edge_type_, all_edges.data(), counts.data(),
                                                at.data(), edge_type_, MPI_COMM_WORLD),
                                 "Allgatherv"));
    return KeptPositions(local_root, first_pos, all_edges);
  }

  Status Barrier() override { return Check(MPI_Barrier(MPI_COMM_WORLD), "Barrier"); }

 private:
  // Element-wise sum of v over all ranks.
  template <class T>
  static Result<std::vector<T>> Sum(const std::vector<T>& v, MPI_Datatype type) {
    std::vector<T> out(v.size());
    JUICER_ASSIGN_OR_RETURN(int n, ToCount(v.size(), "Allreduce"));
    JUICER_RETURN_IF_ERROR(Check(MPI_Allreduce(v.data(), out.data(), n, type, MPI_SUM, MPI_COMM_WORLD), "Allreduce"));
    return out;
  }

  Result<std::vector<std::string>> Collect(std::string_view bytes, bool all) {
    JUICER_ASSIGN_OR_RETURN(int n, ToCount(bytes.size(), all ? "Allgatherv" : "Gatherv"));
    std::vector<int> counts(static_cast<size_t>(size_)), at(static_cast<size_t>(size_));
    JUICER_RETURN_IF_ERROR(Check(all ? MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD)
                                     : MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD),
                                 "gather of sizes"));
    uint64_t total = 0;
    for (int r = 0; r < size_; ++r) {
      JUICER_ASSIGN_OR_RETURN(at[static_cast<size_t>(r)], ToCount(total, all ? "Allgatherv" : "Gatherv"));
      total += static_cast<uint64_t>(counts[static_cast<size_t>(r)]);
    }
    if (!all && rank_ != 0) total = 0;
    JUICER_RETURN_IF_ERROR(ToCount(total, all ? "Allgatherv" : "Gatherv").status());
    std::string buf(total, '\0');
    if (all) {
      JUICER_RETURN_IF_ERROR(Check(MPI_Allgatherv(bytes.data(), n, MPI_BYTE, buf.data(), counts.data(), at.data(),
                                                  MPI_BYTE, MPI_COMM_WORLD),
                                   "Allgatherv"));
    } else {
      JUICER_RETURN_IF_ERROR(Check(MPI_Gatherv(bytes.data(), n, MPI_BYTE, buf.data(), counts.data(), at.data(),
                                               MPI_BYTE, 0, MPI_COMM_WORLD),
                                   "Gatherv"));
    }
    std::vector<std::string> out;
    if (!all && rank_ != 0) return out;
    for (int r = 0; r < size_; ++r)
      out.emplace_back(buf.data() + at[static_cast<size_t>(r)], static_cast<size_t>(counts[static_cast<size_t>(r)]));
    return out;
  }

  int rank_ = 0, size_ = 1, local_size_ = 1;
  MPI_Datatype key_root_type_{}, edge_type_{};
};

}  // namespace

bool MpiBuilt() { return true; }

bool LaunchedAsMpiRank() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

Result<std::unique_ptr<RunGroup>> JoinMpiGroup() {
  int provided = 0;
  JUICER_RETURN_IF_ERROR(Check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "Init"));
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  return std::unique_ptr<RunGroup>(new MpiGroup());
}

void AbortMpiJob(int code) {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

}  // namespace juicer::dist
