// Building an image-text dataset (imagetext, demo, imagetext-noisy) from the loaders in imagetext_items.h:
// split assignment, image writing, JSONL lines, zero-shot class lists, and a hook that lets the noisy
// variant plant defects into the train split before it is written.
#pragma once

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/status.h"
#include "datasets/dataset_registry.h"
#include "datasets/imagetext_items.h"

namespace juicer {

class DatasetOutput;

struct ImageTextConfig {
  bool emoji = true, tuxpaint = true, openclipart = true, fashion_mnist = true;
  size_t emoji_max = 0, tuxpaint_max = 0, openclipart_max = 0;  // 0 = all (then --limit applies)
  size_t fm_train = 5000, fm_test = 1000;                       // Fashion-MNIST subset sizes
  // Shares of each source (by group) held out for evaluation; the rest is train.
  double retrieval_frac = 0.06, zeroshot_frac = 0.06, caption_frac = 0.06;
  bool foreign = false;             // load translations of emoji names (for planted defects)
  bool minimal_train_meta = false;  // train meta: id, source, licence only (no label-like fields)
};

// One sample of a split. `uid` is unique within the split and survives reordering.
struct SampleRecord {
  const ImageTextItem* item = nullptr;
  std::string caption;
  std::string image_rel;
  size_t uid = 0;
  std::vector<std::string> defects;  // planted defects (imagetext-noisy ground truth)
  long duplicate_of = -1;            // uid of the sample this one near-duplicates
};

// Called with the (shuffled) train split after its images are written; may edit captions, rewrite
// images, insert samples (fresh uids) and record defects. Returns a one-line summary for the log.
using TrainHook = std::function<Result<std::string>(std::vector<SampleRecord>& train, DatasetOutput& out,
                                                    std::mt19937_64& rng)>;

Status BuildImageText(const DatasetBuildOptions& o, DatasetOutput& out, const ImageTextConfig& cfg,
                      const TrainHook& hook = nullptr);

// The noisy variant (imagetext_noisy.cpp): its hook and its card text.
// Rates come from the defaults or $JUICER_NOISE_RATES ("mismatch=0.1,blur=0,..."); the hook writes the
// rates used and the counts planted to noise_config.json.
Result<TrainHook> MakeNoiseHook();
extern const char* const kNoisyCardText;

}  // namespace juicer
