// The probe report: one self-contained HTML page (inline SVG charts, inline base64 JPEG thumbnails,
// no network and no external files) rendered from the results.json of `juicer sandbox probe`.
//
// Every section is rendered only when its key is present, so partial results render too:
//   header      data, task, size, metric, lower_is_better, seeds, pool_size, n_samples, ops, eval,
//               phases_s {<phase>_s: seconds}
//   ranking     [{pool, stat, third, values, summary{n,mean,sd,ci95}, vs_random{rel_change, rel_ci95,
//               p_paired_t, p_sign_flip}}] (best third per OP), then `pools` (same rows, plus random)
//   pools       also drawn as a chart of metric means with 95% CI error bars grouped by OP
//   correlation {stats, spearman, pearson} (row-major matrices) and clustering {merges: [[a, b,
//               height, size]] in scipy linkage convention, k, silhouette, clusters: [[stat]], method}
//   recipes     [{name, ops[{stat, third, range}], n_intersection, pool_size, values, summary,
//               vs_random}]
//   scaling     {curves{repeat|add: [{compute, samples_unique, summary{mean, ci95}}]},
//               fits{repeat|add: {a, b, c, r2, formula}}, levels[{level, n, ops}], verdict};
//               a fit is drawn as metric = a * compute^b + c
//   refined_recipe {yaml, path, applied{export_path, kept, total}}
//   transfer    {size, pools[{pool, xs_mean, m_mean}], spearman, p, n}
//   diversity   {pool name: PoolDiversity() json} (word cloud, verb–noun bars, thumbnails; an image
//               that cannot be read becomes a grey box with its file name)
// A small script at the end checks that every <img> loaded and every <svg> has a non-empty box and
// writes the outcome into <div id="render-check" data-status="ok|fail" data-failed="...">.
#pragma once

#include <string>

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// The HTML text of the report.
std::string RenderProbeReport(const Json& results);

// RenderProbeReport written to html_path atomically.
Status WriteProbeReport(const Json& results, const std::string& html_path);

}  // namespace juicer::sandbox
