// mpi_group.h without MPI (JUICER_WITH_MPI off or Open MPI not found).
#include <cstdlib>

#include "dist/mpi_group.h"

namespace juicer::dist {

bool MpiBuilt() { return false; }

bool LaunchedAsMpiRank() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

Result<std::unique_ptr<RunGroup>> JoinMpiGroup() {
  return Status::Unavailable(
      "this juicer was built without MPI (install libopenmpi-dev and configure with -DJUICER_WITH_MPI=ON); "
      "under mpirun every rank would process the whole dataset");
}

void AbortMpiJob(int code) { std::exit(code); }

}  // namespace juicer::dist
