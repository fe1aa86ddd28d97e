// The general data executor (DJ's GeneralDataExecutorHook): dataset format conversions, chosen by
// the config's `type`. Keys as DJ's executors use them: `dataset_path` (one path or a list; each
// must exist), `export_path` (a directory, created), plus the converter's own options. Each returns
// the list of files it wrote, in input order.
//
//   dj_to_llava       DJ multimodal JSONL -> LLaVA JSON (one JSON array per input), written to
//                     <export_path>/<stem>_llava_fmt.json. DJ's dj_to_llava.py rules: the text is
//                     split at role markers "[[<role>]]: " into (role, sentence) turns, which must
//                     pair up; each sentence is stripped, then a trailing `sent_separator`, a trailing
//                     `eoc_special_token`, and (after the first turn, when `keep_only_first_image`) a
//                     leading/trailing `image_special_token` are removed. At most one distinct image
//                     (-> "image"). Output {"id", "conversations", ["image"]} written like Python's
//                     json.dump (", "/": " separators, ASCII escapes). Options (DJ defaults):
//                     keep_only_first_image (true), eoc_special_token ("<|__dj__eoc|>"),
//                     image_special_token ("<image>"; DJ keeps the token as it is in the text, so set
//                     "<__dj__image>" for data whose text uses DJ's token), sent_separator ("\n"),
//                     restore_questions (false) with original_llava_ds_path (the first human turn is
//                     taken from the original sample of the same id, the text becomes the answer).
//   llava_to_dj       LLaVA JSON -> DJ JSONL <export_path>/<stem>_dj_fmt.jsonl, DJ's llava_to_dj.py:
//                     text "[[human]]: Q\n[[gpt]]: A" per round joined by sent_separator (" <eoc>"
//                     before it when split_chunk), " <eoc>" appended when add_eoc_at_last; "images" is
//                     [image] (one per round when image_broadcast). Options (DJ defaults): str_id (true),
//                     split_chunk (false), image_broadcast (false), image_broadcast_pos ("random":
//                     before/after drawn from `seed`, default 42, where DJ is unseeded), eoc/image
//                     tokens, add_eoc_at_last (true), sent_separator ("\n"), only_keep_caption (false).
//   dj_to_webdataset  DJ JSONL -> WebDataset tar shards <export_path>/shard-%06d.tar, samples_per_shard
//                     (1000) each. Sample i (0-based over all inputs) has key %09d and members, in name
//                     order: <key>.<ext> (or <key>.<j>.<ext> with several images) read from disk (a
//                     relative path is resolved against the dataset file's directory, then the working
//                     directory), <key>.json (the sample without `image_key`, compact), <key>.txt (the
//                     `text_key` string). POSIX ustar with mtime/uid/gid 0 and mode 0644, so the same
//                     input gives byte-identical shards. Options: text_key ("text"), image_key ("images").
//
// Errors: InvalidArgument (unknown type, bad option, missing dataset_path/export_path), NotFound (an
// input file), DataError naming file:line (bad JSON line, unbalanced turns, several images, missing
// image file), IOError (write failure).
#pragma once

#include "core/status.h"
#include "sandbox/json.h"

namespace juicer::sandbox {

// Runs the converter named by cfg["type"]; returns a JSON array of the written file paths.
Result<Json> RunGeneralDataExecutor(const Json& cfg);

// Serializes like Python's json.dumps with default separators (", ", ": "); ensure_ascii escapes
// every non-ASCII code point (as \uXXXX, surrogate pairs beyond the BMP), like json.dump's default.
std::string PyJsonDumps(const Json& value, bool ensure_ascii);

}  // namespace juicer::sandbox
