// The dataset families; RegisterBuiltinDatasets calls each once.
#pragma once

namespace juicer {

class DatasetRegistry;

void RegisterImageTextDatasets(DatasetRegistry& registry);  // imagetext, imagetext-noisy, demo
void RegisterTextDatasets(DatasetRegistry& registry);       // text-en, text-multilingual
void RegisterVideoDatasets(DatasetRegistry& registry);      // video

}  // namespace juicer
