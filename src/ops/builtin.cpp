#include "ops/builtin.h"

#include <cstdio>
#include <cstdlib>

#include "ops/dedup/document_deduplicator.h"
#include "ops/dedup/minhash_deduplicator.h"
#include "ops/dedup/simhash_deduplicator.h"
#include "ops/general/field_filters.h"
#include "ops/general/general_field_filter.h"
#include "ops/image/clip_ops.h"
#include "ops/image/image_ops.h"
#include "ops/image/nsfw_ops.h"
#include "ops/select/field_selectors.h"
#include "ops/select/random_selector.h"
#include "ops/text/clean_mappers.h"
#include "ops/text/fix_unicode_mapper.h"
#include "ops/text/lang_id_filter.h"
#include "ops/text/latex_mappers.h"
#include "ops/text/line_filters.h"
#include "ops/text/normalize_mappers.h"
#include "ops/text/perplexity_filter.h"
#include "ops/text/repetition_filters.h"
#include "ops/text/structure_mappers.h"
#include "ops/text/text_action_filter.h"
#include "ops/text/text_filters.h"
#include "ops/text/token_num_filter.h"
#include "ops/text/word_list_filters.h"
#include "ops/video/video_ops.h"

namespace juicer {

Status RegisterBuiltinOps(OpRegistry& registry) {
  JUICER_RETURN_IF_ERROR(RegisterTextFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterTextLineFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterTextRepetitionFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterWordListFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterTextActionFilter(registry));
  JUICER_RETURN_IF_ERROR(RegisterTokenNumFilter(registry));
  JUICER_RETURN_IF_ERROR(RegisterLanguageIdOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterPerplexityOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterFieldFilters(registry));
  JUICER_RETURN_IF_ERROR(RegisterGeneralFieldFilter(registry));
  JUICER_RETURN_IF_ERROR(RegisterTextCleanMappers(registry));
  JUICER_RETURN_IF_ERROR(RegisterLatexMappers(registry));
  JUICER_RETURN_IF_ERROR(RegisterNormalizeMappers(registry));
  JUICER_RETURN_IF_ERROR(RegisterStructureMappers(registry));
  JUICER_RETURN_IF_ERROR(RegisterFixUnicodeMapper(registry));
  JUICER_RETURN_IF_ERROR(RegisterDedupOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterMinHashDedupOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterSimHashDedupOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterSelectorOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterFieldSelectors(registry));
  JUICER_RETURN_IF_ERROR(RegisterImageOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterImageTextOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterNsfwOps(registry));
  JUICER_RETURN_IF_ERROR(RegisterVideoOps(registry));
  return Status::OK();
}

const OpRegistry& BuiltinRegistry() {
  static const OpRegistry* registry = [] {
    auto* r = new OpRegistry();  // intentionally leaked: ops keep references into it until exit
    const Status st = RegisterBuiltinOps(*r);
    if (!st.ok()) {
      std::fprintf(stderr, "juicer: registering the built-in ops failed: %s\n", st.ToString().c_str());
      std::abort();
    }
    return r;
  }();
  return *registry;
}

}  // namespace juicer
