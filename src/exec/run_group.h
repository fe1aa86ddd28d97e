// A recipe run split across processes (`mpirun -n N juicer process`): the collective operations the
// executor needs, as an interface so src/exec does not depend on MPI (src/dist/mpi_group.cpp implements
// it). Every process calls the same operations in the same order; a failing process aborts the group.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/op.h"
#include "core/status.h"

namespace juicer {

// A cluster key of one sample at a process-local position (see DatasetOp::ClusterKeys).
struct KeyAt {
  ClusterKey key;
  uint64_t pos = 0;
};

class RunGroup {
 public:
  virtual ~RunGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Processes on this machine (to divide its cores among them).
  virtual int local_size() const = 0;
  virtual Result<std::vector<uint64_t>> AllGatherU64(uint64_t v) = 0;      // one value per rank, rank order
  virtual Result<std::vector<uint64_t>> SumU64(const std::vector<uint64_t>& v) = 0;  // element-wise, on all
  virtual Result<std::vector<double>> SumF64(const std::vector<double>& v) = 0;
  virtual Result<uint64_t> MinU64(uint64_t v) = 0;
  // Element-wise sum over the ranks before this one.
  virtual Result<std::vector<uint64_t>> ExclusiveSumU64(const std::vector<uint64_t>& v) = 0;
  // Every rank's bytes, in rank order, on every rank (AllGather) or on rank 0 only (Gather; others get {}).
  virtual Result<std::vector<std::string>> AllGather(std::string_view bytes) = 0;
  virtual Result<std::vector<std::string>> Gather(std::string_view bytes) = 0;
  // Deduplication across ranks: this rank holds the samples at global positions first_pos ..
  // first_pos + n_local - 1 (ranks hold consecutive ranges in rank order) and `keys` lists their cluster
  // keys by local position. Samples sharing a key are in one cluster (transitively, over all ranks);
  // returns the local positions, ascending, of the samples that are the first of their cluster.
  virtual Result<std::vector<uint64_t>> KeepFirstOfClusters(std::vector<KeyAt> keys, uint64_t n_local,
                                                            uint64_t first_pos) = 0;
  virtual Status Barrier() = 0;
};

}  // namespace juicer
