#include "cli/commands.h"

int main(int argc, char** argv) { return juicer::RunCli(argc, argv); }
