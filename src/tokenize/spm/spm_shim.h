// C interface of libjuicer_spm.so, a thin wrapper around Debian's libsentencepiece.
//
// Why a separate library: libsentencepiece bundles its own copy of protobuf-lite and exports those
// symbols, which clash with the libprotobuf that libtorch loads (the process crashes in protobuf's
// static initialisers). juicer therefore dlopen()s this wrapper with RTLD_LOCAL | RTLD_DEEPBIND, so
// SentencePiece binds to its own protobuf and nothing else sees it. Memory returned by the wrapper is
// released with juicer_spm_free.
#pragma once

#include <stddef.h>

extern "C" {

// Trains a unigram model on n texts; *model (serialized ModelProto) or *error is set (free both).
int juicer_spm_train(const char* const* texts, const size_t* lens, size_t n, int vocab_size, char** model,
                     size_t* model_len, char** error);
// A processor for a serialized model, or NULL with *error set.
void* juicer_spm_load(const char* model, size_t len, char** error);
void juicer_spm_unload(void* proc);
// Ids of text (*ids freed with juicer_spm_free). Returns 0 on success.
int juicer_spm_encode(const void* proc, const char* text, size_t len, int** ids, size_t* n);
// Pieces of text (encode_as_pieces): their bytes concatenated in *bytes, their sizes in *sizes
// (both freed with juicer_spm_free). Returns 0 on success.
int juicer_spm_encode_pieces(const void* proc, const char* text, size_t len, char** bytes, size_t** sizes,
                             size_t* n);
int juicer_spm_decode(const void* proc, const int* ids, size_t n, char** text, size_t* len);
// vocab size, pad, bos, eos ids.
void juicer_spm_info(const void* proc, int* vocab, int* pad, int* bos, int* eos);
void juicer_spm_free(void* p);
// The piece string of id (owned by the processor: valid until it is unloaded). Returns 0 on success.
int juicer_spm_piece(const void* proc, int id, const char** piece, size_t* len);

}
