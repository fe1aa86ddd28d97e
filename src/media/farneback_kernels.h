// Internal to farneback.cpp: the matrix-update kernel shared by its portable and AVX2 versions.
#pragma once

namespace juicer::media::farneback_detail {

// One row of the matrix update: inputs and outputs as plane rows.
struct MatRow {
  const float* a[5];  // the previous frame's expansion, this row
  const float* b[5];  // the next frame's expansion, whole planes (row stride `step` floats)
  const float* fx;    // the current flow, this row
  const float* fy;
  float* m[5];        // out: G11, G12, G22, h1, h2
};

// True when the CPU runs the AVX2 + FMA kernel below.
bool HaveAvx2();

// The update for pixels [0, n) of row y, n the largest multiple of 8 not above width, reading the next
// frame's expansion from `packed` (5 floats per pixel, `pstep` floats per row, at least 3 readable floats
// after the last pixel). Returns n.
// `step` is the row stride of the planes r.b.
int UpdateMatricesRowAvx2(const MatRow& r, const float* packed, int pstep, int step, int y, int width, int height,
                          const float* bx, float by);

// Prefix sums of five rows of n doubles: out[c][0] = 0, out[c][i + 1] = out[c][i] + in[c][i].
void PrefixSums5Avx2(const double* const* in, int n, double* const* out);

}  // namespace juicer::media::farneback_detail
