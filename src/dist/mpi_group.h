// Joining the MPI job a process was started in (`mpirun -n N juicer process ...`): the RunGroup the
// executor uses to split a recipe run across the ranks. Built with Open MPI when JUICER_WITH_MPI is on
// (mpi_group.cpp); without it (mpi_none.cpp) a process started by mpirun refuses to run.
#pragma once

#include <memory>

#include "exec/run_group.h"

namespace juicer::dist {

// Whether this juicer was built with MPI.
bool MpiBuilt();
// Whether the environment says this process is one rank of an mpirun/srun MPI job.
bool LaunchedAsMpiRank();
// Initialises MPI and returns the group of all ranks; the group finalises MPI when destroyed.
Result<std::unique_ptr<RunGroup>> JoinMpiGroup();
// Ends every rank of the job (after an error on this one), exit code `code`.
[[noreturn]] void AbortMpiJob(int code);

}  // namespace juicer::dist
