// Writing videos with libav: a cut [start, end] and/or a resize of the first video stream, re-encoded
// with an encoder for the source's codec (Data-Juicer's cut_video_by_seconds), the first audio stream's
// packets in the same interval copied as they are.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"

namespace juicer::media {

struct TranscodeSpec {
  double start = 0;           // seconds
  std::optional<double> end;  // seconds; none = to the end
  int width = 0, height = 0;  // output frame size; 0 = the source's
};

struct TranscodeResult {
  int64_t frames = 0;  // video frames written
};

// Writes `dst` (format from its extension; written to a temp name, then renamed). As Data-Juicer:
// frames with pts in [start, end] are kept (decoding stops at the first I/P frame after end), their
// pts shifted by start; audio packets with pts in the interval are copied. H.264 is encoded with
// libx264 (preset veryfast, crf 23); other codecs with libavcodec's encoder for the codec.
Result<TranscodeResult> TranscodeVideo(const std::string& src, const std::string& dst, const TranscodeSpec& spec);

}  // namespace juicer::media
