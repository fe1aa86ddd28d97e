// The Farneback matrix update with AVX2 + FMA, eight pixels at a time. The bilinear samples of the next
// frame's expansion are the part that does not vectorise along a row (each pixel reads where its own
// flow points), so they are read one pixel at a time as an 8-float vector starting at the pixel's five
// channels (the last three lanes belong to the next pixel and are ignored), and an 8x8 transpose turns
// eight such pixels back into per-channel vectors.
#include "media/farneback_kernels.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define JUICER_FB_X86 1
#endif

namespace juicer::media::farneback_detail {

#ifdef JUICER_FB_X86

bool HaveAvx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

namespace {

__attribute__((target("avx2,fma"))) inline void Transpose8(__m256* v) {
  const __m256 t0 = _mm256_unpacklo_ps(v[0], v[1]), t1 = _mm256_unpackhi_ps(v[0], v[1]);
  const __m256 t2 = _mm256_unpacklo_ps(v[2], v[3]), t3 = _mm256_unpackhi_ps(v[2], v[3]);
  const __m256 t4 = _mm256_unpacklo_ps(v[4], v[5]), t5 = _mm256_unpackhi_ps(v[4], v[5]);
  const __m256 t6 = _mm256_unpacklo_ps(v[6], v[7]), t7 = _mm256_unpackhi_ps(v[6], v[7]);
  const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  v[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  v[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  v[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  v[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  v[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  v[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  v[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  v[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

}  // namespace

__attribute__((target("avx2,fma"))) int UpdateMatricesRowAvx2(const MatRow& r, const float* packed, int pstep, int step,
                                                              int y, int width, int height, const float* bx,
                                                              float by) {
  const __m256 lane = _mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i lane_i = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256 vy = _mm256_set1_ps(static_cast<float>(y));
  const __m256 one = _mm256_set1_ps(1.f), half = _mm256_set1_ps(0.5f), quarter = _mm256_set1_ps(0.25f);
  const __m256 vby = _mm256_set1_ps(by);
  const __m256i zero = _mm256_setzero_si256();
  const __m256i wlim = _mm256_set1_epi32(width - 1), hlim = _mm256_set1_epi32(height - 1);
  const __m256i vstep = _mm256_set1_epi32(pstep), five = _mm256_set1_epi32(5);
  alignas(32) int off[8];
  alignas(32) float w[4][8];
  int x = 0;
  for (; x + 8 <= width; x += 8) {
    const __m256 dx = _mm256_loadu_ps(r.fx + x), dy = _mm256_loadu_ps(r.fy + x);
    __m256 fxp = _mm256_add_ps(_mm256_add_ps(_mm256_set1_ps(static_cast<float>(x)), lane), dx);
    __m256 fyp = _mm256_add_ps(vy, dy);
    const __m256 flx = _mm256_floor_ps(fxp), fly = _mm256_floor_ps(fyp);
    const __m256i x1 = _mm256_cvttps_epi32(flx), y1 = _mm256_cvttps_epi32(fly);
    fxp = _mm256_sub_ps(fxp, flx);
    fyp = _mm256_sub_ps(fyp, fly);
    const __m256i inx = _mm256_andnot_si256(_mm256_cmpgt_epi32(zero, x1), _mm256_cmpgt_epi32(wlim, x1));
    const __m256i iny = _mm256_andnot_si256(_mm256_cmpgt_epi32(zero, y1), _mm256_cmpgt_epi32(hlim, y1));
    const __m256i in = _mm256_and_si256(inx, iny);
    const __m256 inf = _mm256_castsi256_ps(in);
    const __m256 omx = _mm256_sub_ps(one, fxp), omy = _mm256_sub_ps(one, fyp);
    const __m256 w00 = _mm256_mul_ps(omx, omy), w01 = _mm256_mul_ps(fxp, omy), w10 = _mm256_mul_ps(omx, fyp),
                 w11 = _mm256_mul_ps(fxp, fyp);
    __m256 v[8];
    // Where the flow moves the eight pixels by the same whole-pixel offset (smooth flow, most of a
    // frame), their samples are eight consecutive pixels of the planes: contiguous loads.
    const __m256i shift = _mm256_sub_epi32(x1, _mm256_add_epi32(_mm256_set1_epi32(x), lane_i));
    const __m256i same = _mm256_and_si256(
        in, _mm256_and_si256(_mm256_cmpeq_epi32(shift, _mm256_permutevar8x32_epi32(shift, zero)),
                             _mm256_cmpeq_epi32(y1, _mm256_permutevar8x32_epi32(y1, zero))));
    if (_mm256_movemask_ps(_mm256_castsi256_ps(same)) == 0xFF) {
      const size_t base = static_cast<size_t>(_mm256_extract_epi32(y1, 0)) * static_cast<size_t>(step) +
                          static_cast<size_t>(x + _mm256_extract_epi32(shift, 0));
      for (int c = 0; c < 5; c++) {
        const float* p = r.b[c] + base;
        __m256 t = _mm256_mul_ps(w00, _mm256_loadu_ps(p));
        t = _mm256_fmadd_ps(w01, _mm256_loadu_ps(p + 1), t);
        t = _mm256_fmadd_ps(w10, _mm256_loadu_ps(p + step), t);
        v[c] = _mm256_fmadd_ps(w11, _mm256_loadu_ps(p + step + 1), t);
      }
    } else {
      const __m256i o =
          _mm256_and_si256(in, _mm256_add_epi32(_mm256_mullo_epi32(y1, vstep), _mm256_mullo_epi32(x1, five)));
      _mm256_store_si256(reinterpret_cast<__m256i*>(off), o);
      _mm256_store_ps(w[0], w00);
      _mm256_store_ps(w[1], w01);
      _mm256_store_ps(w[2], w10);
      _mm256_store_ps(w[3], w11);
      for (int j = 0; j < 8; j++) {
        const float* p = packed + off[j];
        __m256 t = _mm256_mul_ps(_mm256_broadcast_ss(&w[0][j]), _mm256_loadu_ps(p));
        t = _mm256_fmadd_ps(_mm256_broadcast_ss(&w[1][j]), _mm256_loadu_ps(p + 5), t);
        t = _mm256_fmadd_ps(_mm256_broadcast_ss(&w[2][j]), _mm256_loadu_ps(p + pstep), t);
        v[j] = _mm256_fmadd_ps(_mm256_broadcast_ss(&w[3][j]), _mm256_loadu_ps(p + pstep + 5), t);
      }
      Transpose8(v);
    }
    const __m256 p2 = _mm256_loadu_ps(r.a[2] + x), p3 = _mm256_loadu_ps(r.a[3] + x), p4 = _mm256_loadu_ps(r.a[4] + x);
    __m256 r4 = _mm256_blendv_ps(p2, _mm256_mul_ps(_mm256_add_ps(p2, v[2]), half), inf);
    __m256 r5 = _mm256_blendv_ps(p3, _mm256_mul_ps(_mm256_add_ps(p3, v[3]), half), inf);
    __m256 r6 = _mm256_blendv_ps(_mm256_mul_ps(p4, half), _mm256_mul_ps(_mm256_add_ps(p4, v[4]), quarter), inf);
    __m256 r2 = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(r.a[0] + x), _mm256_and_ps(v[0], inf)), half);
    __m256 r3 = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(r.a[1] + x), _mm256_and_ps(v[1], inf)), half);
    r2 = _mm256_add_ps(r2, _mm256_fmadd_ps(r4, dy, _mm256_mul_ps(r6, dx)));
    r3 = _mm256_add_ps(r3, _mm256_fmadd_ps(r6, dy, _mm256_mul_ps(r5, dx)));
    const __m256 s = _mm256_mul_ps(_mm256_loadu_ps(bx + x), vby);
    r2 = _mm256_mul_ps(r2, s);
    r3 = _mm256_mul_ps(r3, s);
    r4 = _mm256_mul_ps(r4, s);
    r5 = _mm256_mul_ps(r5, s);
    r6 = _mm256_mul_ps(r6, s);
    _mm256_storeu_ps(r.m[0] + x, _mm256_fmadd_ps(r4, r4, _mm256_mul_ps(r6, r6)));
    _mm256_storeu_ps(r.m[1] + x, _mm256_mul_ps(_mm256_add_ps(r4, r5), r6));
    _mm256_storeu_ps(r.m[2] + x, _mm256_fmadd_ps(r5, r5, _mm256_mul_ps(r6, r6)));
    _mm256_storeu_ps(r.m[3] + x, _mm256_fmadd_ps(r4, r2, _mm256_mul_ps(r6, r3)));
    _mm256_storeu_ps(r.m[4] + x, _mm256_fmadd_ps(r6, r2, _mm256_mul_ps(r5, r3)));
  }
  return x;
}

__attribute__((target("avx2,fma"))) void PrefixSums5Avx2(const double* const* in, int n, double* const* out) {
  // Four lanes at a time: an in-register scan (shift by one lane and add, by two and add) plus the
  // running total carried from the previous four; the five rows are interleaved so that their carry
  // chains overlap.
  const __m256d zero = _mm256_setzero_pd();
  __m256d carry[5];
  for (int c = 0; c < 5; c++) {
    carry[c] = zero;
    out[c][0] = 0;
  }
  int i = 0;
  for (; i + 4 <= n; i += 4)
    for (int c = 0; c < 5; c++) {
      __m256d v = _mm256_loadu_pd(in[c] + i);
      v = _mm256_add_pd(v, _mm256_blend_pd(_mm256_permute4x64_pd(v, 0x90), zero, 0x1));  // + [0, a, b, c]
      v = _mm256_add_pd(v, _mm256_permute2f128_pd(v, v, 0x08));                          // + [0, 0, a, a+b]
      v = _mm256_add_pd(v, carry[c]);
      _mm256_storeu_pd(out[c] + i + 1, v);
      carry[c] = _mm256_permute4x64_pd(v, 0xFF);
    }
  for (int c = 0; c < 5; c++)
    for (int j = i; j < n; j++) out[c][j + 1] = out[c][j] + in[c][j];
}

#else

void PrefixSums5Avx2(const double* const* in, int n, double* const* out) {
  for (int c = 0; c < 5; c++) {
    out[c][0] = 0;
    for (int j = 0; j < n; j++) out[c][j + 1] = out[c][j] + in[c][j];
  }
}

bool HaveAvx2() { return false; }
int UpdateMatricesRowAvx2(const MatRow&, const float*, int, int, int, int, int, const float*, float) { return 0; }

#endif

}  // namespace juicer::media::farneback_detail
