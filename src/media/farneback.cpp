#include "media/farneback.h"
#include "media/farneback_kernels.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#if defined(__x86_64__) || defined(__SSE2__)
#include <xmmintrin.h>
#endif

// The per-pixel kernels are written as plain loops over planes and compiled twice on x86-64: for AVX2 +
// FMA (x86-64-v3) and for the baseline; the loader picks one when the program starts.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define JUICER_FB_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define JUICER_FB_CLONES
#endif

namespace juicer::media {
namespace {

// Flushes denormal floats to zero while alive (restoring the caller's mode after): near-static regions
// drive the matrices into the denormal range, where every operation costs tens of cycles, while values
// that small (below 1e-38) cannot change a flow of pixels.
class FlushDenormals {
 public:
#if defined(__x86_64__) || defined(__SSE2__)
  FlushDenormals() : saved_(_mm_getcsr()) { _mm_setcsr(saved_ | 0x8040); }  // FTZ | DAZ
  ~FlushDenormals() { _mm_setcsr(saved_); }

 private:
  unsigned saved_;
#endif
  FlushDenormals(const FlushDenormals&) = delete;
  FlushDenormals& operator=(const FlushDenormals&) = delete;
};

using Planes = std::array<cv::Mat, 5>;

// Gaussian-weighted polynomial basis of half-width n and the entries of the inverse Gram matrix the
// expansion needs (OpenCV's FarnebackPrepareGaussian).
void PrepareGaussian(int n, double sigma, float* g, float* xg, float* xxg, double& ig11, double& ig03,
                     double& ig33, double& ig55) {
  if (sigma < FLT_EPSILON) sigma = n * 0.3;
  double s = 0.;
  for (int x = -n; x <= n; x++) {
    g[x] = static_cast<float>(std::exp(-x * x / (2 * sigma * sigma)));
    s += g[x];
  }
  s = 1. / s;
  for (int x = -n; x <= n; x++) {
    g[x] = static_cast<float>(g[x] * s);
    xg[x] = static_cast<float>(x * g[x]);
    xxg[x] = static_cast<float>(x * x * g[x]);
  }
  cv::Mat_<double> G = cv::Mat_<double>::zeros(6, 6);
  for (int y = -n; y <= n; y++)
    for (int x = -n; x <= n; x++) {
      G(0, 0) += g[y] * g[x];
      G(1, 1) += g[y] * g[x] * x * x;
      G(3, 3) += g[y] * g[x] * x * x * x * x;
      G(5, 5) += g[y] * g[x] * x * x * y * y;
    }
  G(2, 2) = G(0, 3) = G(0, 4) = G(3, 0) = G(4, 0) = G(1, 1);
  G(4, 4) = G(3, 3);
  G(3, 4) = G(4, 3) = G(5, 5);
  cv::Mat_<double> inv = G.inv(cv::DECOMP_CHOLESKY);
  ig11 = inv(1, 1);
  ig03 = inv(0, 3);
  ig33 = inv(3, 3);
  ig55 = inv(5, 5);
}

struct PolyConsts {
  const float* g;  // centred: g[-n..n]
  const float* xg;
  const float* xxg;
  float ig11, ig03, ig33, ig55;
};

// Horizontal pass of the expansion for one row: r0/r1/r2 are the vertically filtered rows (padded by N
// replicated pixels on each side), d the five output rows.
template <int N>
JUICER_FB_CLONES void PolyExpRow(const float* __restrict__ r0, const float* __restrict__ r1,
                                 const float* __restrict__ r2, int width, const PolyConsts& c, float* __restrict__ d0,
                                 float* __restrict__ d1, float* __restrict__ d2, float* __restrict__ d3,
                                 float* __restrict__ d4) {
  float g[N + 1], xg[N + 1], xxg[N + 1];  // local copies: the stores below cannot alias them
  for (int k = 0; k <= N; k++) g[k] = c.g[k], xg[k] = c.xg[k], xxg[k] = c.xxg[k];
  const float ig11 = c.ig11, ig03 = c.ig03, ig33 = c.ig33, ig55 = c.ig55;
  for (int x = 0; x < width; x++) {
    float b1 = r0[x] * g[0], b2 = 0, b3 = r1[x] * g[0], b4 = 0, b5 = r2[x] * g[0], b6 = 0;
    for (int k = 1; k <= N; k++) {
      const float tg = r0[x + k] + r0[x - k];
      b1 += tg * g[k];
      b4 += tg * xxg[k];
      b2 += (r0[x + k] - r0[x - k]) * xg[k];
      b3 += (r1[x + k] + r1[x - k]) * g[k];
      b6 += (r1[x + k] - r1[x - k]) * xg[k];
      b5 += (r2[x + k] + r2[x - k]) * g[k];
    }
    d1[x] = b2 * ig11;
    d0[x] = b3 * ig11;
    d3[x] = b1 * ig03 + b4 * ig33;
    d2[x] = b1 * ig03 + b5 * ig33;
    d4[x] = b6 * ig55;
  }
}

// Vertical pass for one row: rows[k] is the source row y+k (clamped), k = -N..N.
template <int N>
JUICER_FB_CLONES void PolyVertRow(const float* const* rows, int width, const PolyConsts& c, float* r0, float* r1,
                                  float* r2) {
  const float g0 = c.g[0];
  const float* s = rows[0];
  for (int x = 0; x < width; x++) {
    r0[x] = s[x] * g0;
    r1[x] = 0.f;
    r2[x] = 0.f;
  }
  for (int k = 1; k <= N; k++) {
    const float gk = c.g[k], xgk = c.xg[k], xxgk = c.xxg[k];
    const float* a = rows[-k];
    const float* b = rows[k];
    for (int x = 0; x < width; x++) {
      const float p = a[x] + b[x];
      r0[x] += gk * p;
      r1[x] += xgk * (b[x] - a[x]);
      r2[x] += xxgk * p;
    }
  }
}

template <int N>
void PolyExp(const cv::Mat& src, const PolyConsts& c, Planes* dst) {
  const int width = src.cols, height = src.rows;
  for (auto& m : *dst) m.create(height, width, CV_32F);
  std::vector<float> buf(3 * static_cast<size_t>(width + 2 * N));
  float* r0 = buf.data() + N;
  float* r1 = r0 + width + 2 * N;
  float* r2 = r1 + width + 2 * N;
  const float* rows_buf[2 * N + 1];
  const float** rows = rows_buf + N;
  for (int y = 0; y < height; y++) {
    for (int k = -N; k <= N; k++) rows[k] = src.ptr<float>(std::clamp(y + k, 0, height - 1));
    PolyVertRow<N>(rows, width, c, r0, r1, r2);
    for (int k = 1; k <= N; k++) {  // replicate the row's ends
      r0[-k] = r0[0], r1[-k] = r1[0], r2[-k] = r2[0];
      r0[width - 1 + k] = r0[width - 1], r1[width - 1 + k] = r1[width - 1], r2[width - 1 + k] = r2[width - 1];
    }
    PolyExpRow<N>(r0, r1, r2, width, c, (*dst)[0].ptr<float>(y), (*dst)[1].ptr<float>(y), (*dst)[2].ptr<float>(y),
                  (*dst)[3].ptr<float>(y), (*dst)[4].ptr<float>(y));
  }
}

using farneback_detail::MatRow;

// The matrices G and h of the displacement equation at pixels [x0, width) of row y, from the expansions
// of both frames (the second sampled bilinearly where the current flow points) and the row's flow.
JUICER_FB_CLONES void UpdateMatricesRow(const MatRow& r, int x0, int y, int width, int height, int step,
                                        const float* bx, float by) {
  const float* __restrict__ b0 = r.b[0];
  const float* __restrict__ b1 = r.b[1];
  const float* __restrict__ b2 = r.b[2];
  const float* __restrict__ b3 = r.b[3];
  const float* __restrict__ b4 = r.b[4];
  const float* __restrict__ a0 = r.a[0];
  const float* __restrict__ a1 = r.a[1];
  const float* __restrict__ a2 = r.a[2];
  const float* __restrict__ a3 = r.a[3];
  const float* __restrict__ a4 = r.a[4];
  const float* __restrict__ flow_x = r.fx;
  const float* __restrict__ flow_y = r.fy;
  float* __restrict__ m0 = r.m[0];
  float* __restrict__ m1 = r.m[1];
  float* __restrict__ m2 = r.m[2];
  float* __restrict__ m3 = r.m[3];
  float* __restrict__ m4 = r.m[4];
  const unsigned wlim = static_cast<unsigned>(width - 1), hlim = static_cast<unsigned>(height - 1);
  for (int x = x0; x < width; x++) {
    const float dx = flow_x[x], dy = flow_y[x];
    float fxp = static_cast<float>(x) + dx, fyp = static_cast<float>(y) + dy;
    const float flx = std::floor(fxp), fly = std::floor(fyp);
    const int x1 = static_cast<int>(flx), y1 = static_cast<int>(fly);
    fxp -= flx;
    fyp -= fly;
    const bool in = (static_cast<unsigned>(x1) < wlim) & (static_cast<unsigned>(y1) < hlim);
    const int o = in ? y1 * step + x1 : 0;  // outside: any valid pixel, the samples are discarded
    const float a00 = (1.f - fxp) * (1.f - fyp), a01 = fxp * (1.f - fyp), a10 = (1.f - fxp) * fyp, a11 = fxp * fyp;
    float r2 = a00 * b0[o] + a01 * b0[o + 1] + a10 * b0[o + step] + a11 * b0[o + step + 1];
    float r3 = a00 * b1[o] + a01 * b1[o + 1] + a10 * b1[o + step] + a11 * b1[o + step + 1];
    float r4 = a00 * b2[o] + a01 * b2[o + 1] + a10 * b2[o + step] + a11 * b2[o + step + 1];
    float r5 = a00 * b3[o] + a01 * b3[o + 1] + a10 * b3[o + step] + a11 * b3[o + step + 1];
    float r6 = a00 * b4[o] + a01 * b4[o + 1] + a10 * b4[o + step] + a11 * b4[o + step + 1];
    const float p2 = a2[x], p3 = a3[x], p4 = a4[x];
    r4 = in ? (p2 + r4) * 0.5f : p2;
    r5 = in ? (p3 + r5) * 0.5f : p3;
    r6 = in ? (p4 + r6) * 0.25f : p4 * 0.5f;
    r2 = in ? r2 : 0.f;
    r3 = in ? r3 : 0.f;
    r2 = (a0[x] - r2) * 0.5f;
    r3 = (a1[x] - r3) * 0.5f;
    r2 += r4 * dy + r6 * dx;
    r3 += r6 * dy + r5 * dx;
    const float s = bx[x] * by;  // 1 away from the image border
    r2 *= s, r3 *= s, r4 *= s, r5 *= s, r6 *= s;
    m0[x] = r4 * r4 + r6 * r6;
    m1[x] = (r4 + r5) * r6;
    m2[x] = r5 * r5 + r6 * r6;
    m3[x] = r4 * r2 + r6 * r3;
    m4[x] = r6 * r2 + r5 * r3;
  }
}

constexpr int kBorder = 5;
constexpr float kBorderWeights[kBorder] = {0.14f, 0.14f, 0.4472f, 0.4472f, 0.4472f};

float BorderWeight(int i, int n) {
  return (i < kBorder ? kBorderWeights[i] : 1.f) * (i >= n - kBorder ? kBorderWeights[n - i - 1] : 1.f);
}

// Five planes interleaved, five floats per pixel, plus spare floats at the end (the AVX2 kernel's layout:
// it reads 8 floats from a pixel's first channel). The result's rows are views into one buffer.
void Pack(const Planes& planes, cv::Mat* out) {
  const int width = planes[0].cols, height = planes[0].rows;
  const size_t row = static_cast<size_t>(width) * 5;
  if (out->rows != 1 || out->cols != static_cast<int>(row * static_cast<size_t>(height) + 8))
    out->create(1, static_cast<int>(row * static_cast<size_t>(height) + 8), CV_32F);
  float* base = out->ptr<float>();
  for (int y = 0; y < height; y++) {
    float* d = base + row * static_cast<size_t>(y);
    const float* s[5];
    for (size_t c = 0; c < 5; c++) s[c] = planes[c].ptr<float>(y);
    for (int x = 0; x < width; x++, d += 5)
      for (size_t c = 0; c < 5; c++) d[c] = s[c][x];
  }
  std::fill(base + row * static_cast<size_t>(height), base + row * static_cast<size_t>(height) + 8, 0.f);
}

// vsum[x] += add[x] - sub[x], in double.
JUICER_FB_CLONES void SlideColumn(double* vsum, const float* add, const float* sub, int width) {
  for (int x = 0; x < width; x++) vsum[x] += static_cast<double>(add[x]) - static_cast<double>(sub[x]);
}

// Prefix sums of the five border-padded column-sum rows (n doubles each): out[c][i] is the sum of the
// first i entries, so a box sum is the difference of two of them.
void PrefixSums5(const double* const* in, int n, double* const* out, bool avx2) {
  if (avx2) return farneback_detail::PrefixSums5Avx2(in, n, out);
  for (int c = 0; c < 5; c++) {
    out[c][0] = 0;
    for (int j = 0; j < n; j++) out[c][j + 1] = out[c][j] + in[c][j];
  }
}

// The regularised 2x2 solve of blur(G) d = blur(h) for one row; the box sums of pixel x are
// ps[c][x + block] - ps[c][x] (prefix sums of the padded column sums, see Iterate).
JUICER_FB_CLONES void SolveRow(const double* const* ps, int width, int block, double scale, float* __restrict__ fx,
                               float* __restrict__ fy) {
  const double* __restrict__ s0 = ps[0];
  const double* __restrict__ s1 = ps[1];
  const double* __restrict__ s2 = ps[2];
  const double* __restrict__ s3 = ps[3];
  const double* __restrict__ s4 = ps[4];
  for (int x = 0; x < width; x++) {
    const double g11 = (s0[x + block] - s0[x]) * scale, g12 = (s1[x + block] - s1[x]) * scale,
                 g22 = (s2[x + block] - s2[x]) * scale, h1 = (s3[x + block] - s3[x]) * scale,
                 h2 = (s4[x + block] - s4[x]) * scale;
    const double idet = 1. / (g11 * g22 - g12 * g12 + 1e-3);
    fx[x] = static_cast<float>((g11 * h2 - g12 * h1) * idet);
    fy[x] = static_cast<float>((g22 * h1 - g12 * h2) * idet);
  }
}

// One iteration at one level: the matrices from the current flow, box-filtered over block x block
// pixels (replicated borders), solved for the new flow, which replaces the old one in place. The
// matrices are computed a row at a time just before the vertical box sum needs them and live in a
// ring of 2 * (block / 2) + 2 rows, so they never leave the cache. A row's matrices depend only on
// that row's old flow, and they are computed block / 2 rows ahead of the row whose new flow is written,
// so the update in place reads only old flow, as OpenCV's separate passes do.
void Iterate(const Planes& r0, const Planes& r1, const cv::Mat* packed, int block, cv::Mat* fx, cv::Mat* fy,
             FarnebackScratch* sc) {
  const int width = fx->cols, height = fx->rows, half = block / 2, ring_rows = 2 * half + 2;
  const size_t w = static_cast<size_t>(width);
  const double scale = 1. / (block * block);
  sc->ring.resize(5 * static_cast<size_t>(ring_rows) * w);
  sc->bx.resize(w);
  for (int x = 0; x < width; x++) sc->bx[static_cast<size_t>(x)] = BorderWeight(x, width);
  auto ring_row = [&](size_t c, int row) {
    return sc->ring.data() + (c * static_cast<size_t>(ring_rows) + static_cast<size_t>(row % ring_rows)) * w;
  };
  MatRow mr{};
  for (size_t c = 0; c < 5; c++) mr.b[c] = r1[c].ptr<float>();
  const int step = static_cast<int>(r1[0].step1());
  const bool avx2 = packed != nullptr && !packed->empty();
  int computed = -1;
  auto ensure = [&](int row) {  // matrices of rows up to `row`
    while (computed < row) {
      const int y = ++computed;
      for (size_t c = 0; c < 5; c++) {
        mr.a[c] = r0[c].ptr<float>(y);
        mr.m[c] = ring_row(c, y);
      }
      mr.fx = fx->ptr<float>(y);
      mr.fy = fy->ptr<float>(y);
      const float by = BorderWeight(y, height);
      const int done = avx2 ? farneback_detail::UpdateMatricesRowAvx2(mr, packed->ptr<float>(), width * 5, step, y,
                                                                     width, height, sc->bx.data(), by)
                            : 0;
      UpdateMatricesRow(mr, done, y, width, height, step, sc->bx.data(), by);
    }
  };

  const size_t pad = static_cast<size_t>(half + 1), row = w + 2 * pad;
  sc->vbuf.resize(5 * row);
  sc->hbuf.resize(5 * (row + 1));
  double* vs[5];
  const double* vs_padded[5];
  double* ps[5];
  const double* ps_at[5];
  ensure(std::min(half - 1, height - 1));
  for (size_t c = 0; c < 5; c++) {
    vs[c] = sc->vbuf.data() + c * row + pad;
    vs_padded[c] = vs[c] - pad;
    ps[c] = sc->hbuf.data() + c * (row + 1);
    ps_at[c] = ps[c] + 1;
    const float* m0 = ring_row(c, 0);
    for (int x = 0; x < width; x++) vs[c][x] = m0[x] * (half + 2);
    for (int y = 1; y < half; y++) {
      const float* r = ring_row(c, std::min(y, height - 1));
      for (int x = 0; x < width; x++) vs[c][x] += r[x];
    }
  }
  for (int y = 0; y < height; y++) {
    const int add = std::min(y + half, height - 1), sub = std::max(y - half - 1, 0);
    ensure(add);
    for (size_t c = 0; c < 5; c++) {
      SlideColumn(vs[c], ring_row(c, add), ring_row(c, sub), width);
      for (size_t x = 0; x < pad; x++) {
        vs[c][-1 - static_cast<ptrdiff_t>(x)] = vs[c][0];
        vs[c][w + x] = vs[c][width - 1];
      }
    }
    // The box over columns x - half .. x + half is padded entries x + 1 .. x + 2 * half + 1.
    PrefixSums5(vs_padded, static_cast<int>(row), ps, avx2);
    SolveRow(ps_at, width, 2 * half + 1, scale, fx->ptr<float>(y), fy->ptr<float>(y));
  }
}

}  // namespace

Result<Farneback> Farneback::Create(const FarnebackParams& p) {
  if (p.poly_n != 5 && p.poly_n != 7)
    return Status::InvalidArgument("farneback: poly_n must be 5 or 7, got " + std::to_string(p.poly_n));
  if (!(p.pyr_scale > 0 && p.pyr_scale < 1))
    return Status::InvalidArgument("farneback: pyr_scale must be in (0, 1), got " + std::to_string(p.pyr_scale));
  if (p.winsize < 1 || p.iterations < 1 || p.levels < 0)
    return Status::InvalidArgument("farneback: winsize and iterations must be positive and levels >= 0");
  return Farneback(p);
}

Farneback::Farneback(const FarnebackParams& p) : p_(p) {
  const size_t taps = 2 * static_cast<size_t>(p.poly_n) + 1;
  g_.resize(taps);
  xg_.resize(taps);
  xxg_.resize(taps);
  PrepareGaussian(p.poly_n, p.poly_sigma, g_.data() + p.poly_n, xg_.data() + p.poly_n, xxg_.data() + p.poly_n, ig11_,
                  ig03_, ig33_, ig55_);
}

std::vector<Farneback::Level> Farneback::Levels(cv::Size full) const {
  constexpr int kMinSize = 32;
  int levels = 0;
  double scale = 1;
  for (; levels < p_.levels; levels++) {
    scale *= p_.pyr_scale;
    if (full.width * scale < kMinSize || full.height * scale < kMinSize) break;
  }
  std::vector<Level> out(static_cast<size_t>(levels) + 1);
  for (int k = 0; k <= levels; k++) {
    Level& l = out[static_cast<size_t>(k)];
    l.scale = 1;
    for (int i = 0; i < k; i++) l.scale *= p_.pyr_scale;
    l.sigma = (1. / l.scale - 1) * 0.5;
    l.smooth = std::max(cvRound(l.sigma * 5) | 1, 3);
    l.size = cv::Size(cvRound(full.width * l.scale), cvRound(full.height * l.scale));
  }
  return out;
}

void Farneback::Prepare(const cv::Mat& gray, FarnebackFrame* out) const {
  FlushDenormals ftz;
  out->size = gray.size();
  if (gray.cols < 2 || gray.rows < 2) {  // the kernels read a 2x2 neighbourhood
    out->levels.clear();
    out->packed.clear();
    gray.copyTo(out->tiny);
    return;
  }
  out->tiny.release();
  const std::vector<Level> levels = Levels(gray.size());
  out->levels.resize(levels.size());
  out->packed.resize(p_.simd && farneback_detail::HaveAvx2() ? levels.size() : 0);
  cv::Mat& fimg = out->work[0];
  cv::Mat& blurred = out->work[1];
  cv::Mat& level_img = out->work[2];
  gray.convertTo(fimg, CV_32F);
  const PolyConsts c{g_.data() + p_.poly_n,
                     xg_.data() + p_.poly_n,
                     xxg_.data() + p_.poly_n,
                     static_cast<float>(ig11_),
                     static_cast<float>(ig03_),
                     static_cast<float>(ig33_),
                     static_cast<float>(ig55_)};
  for (size_t k = 0; k < levels.size(); k++) {
    const Level& l = levels[k];
    cv::GaussianBlur(fimg, blurred, cv::Size(l.smooth, l.smooth), l.sigma, l.sigma);
    cv::resize(blurred, level_img, l.size, 0, 0, cv::INTER_LINEAR);
    if (p_.poly_n == 5)
      PolyExp<5>(level_img, c, &out->levels[k]);
    else
      PolyExp<7>(level_img, c, &out->levels[k]);
    if (k < out->packed.size()) Pack(out->levels[k], &out->packed[k]);
  }
}

void Farneback::Flow(const FarnebackFrame& prev, const FarnebackFrame& next, cv::Mat* fx, cv::Mat* fy,
                     FarnebackScratch* scratch) const {
  CV_Assert(prev.size == next.size && prev.levels.size() == next.levels.size());
  if (prev.levels.empty()) {
    CV_Assert(!prev.tiny.empty() && !next.tiny.empty());
    cv::Mat flow, xy[2];
    cv::calcOpticalFlowFarneback(prev.tiny, next.tiny, flow, p_.pyr_scale, p_.levels, p_.winsize, p_.iterations,
                                 p_.poly_n, p_.poly_sigma, 0);
    cv::split(flow, xy);
    *fx = xy[0];
    *fy = xy[1];
    return;
  }
  FlushDenormals ftz;
  const std::vector<Level> levels = Levels(prev.size);
  CV_Assert(levels.size() == prev.levels.size());
  FarnebackScratch local;
  FarnebackScratch* sc = scratch != nullptr ? scratch : &local;
  // Coarser levels' flow lives in the scratch (one buffer pair per level, reused across calls); the
  // finest level's is the caller's.
  sc->lfx.resize(levels.size());
  sc->lfy.resize(levels.size());
  cv::Mat* ux = nullptr;
  cv::Mat* uy = nullptr;
  for (size_t k = levels.size(); k-- > 0;) {
    const cv::Size size = levels[k].size;
    cv::Mat* lx = k == 0 ? fx : &sc->lfx[k];
    cv::Mat* ly = k == 0 ? fy : &sc->lfy[k];
    if (ux == nullptr) {
      lx->create(size, CV_32F);
      ly->create(size, CV_32F);
      lx->setTo(0);
      ly->setTo(0);
    } else {
      cv::resize(*ux, *lx, size, 0, 0, cv::INTER_LINEAR);
      cv::resize(*uy, *ly, size, 0, 0, cv::INTER_LINEAR);
      *lx *= 1. / p_.pyr_scale;
      *ly *= 1. / p_.pyr_scale;
    }
    ux = lx;
    uy = ly;
    const Planes& r0 = prev.levels[k];
    const Planes& r1 = next.levels[k];
    const cv::Mat* packed = k < next.packed.size() ? &next.packed[k] : nullptr;
    for (int i = 0; i < p_.iterations; i++) Iterate(r0, r1, packed, p_.winsize, lx, ly, sc);
  }
}

double Farneback::MeanMagnitude(const FarnebackFrame& prev, const FarnebackFrame& next,
                                FarnebackScratch* scratch) const {
  FarnebackScratch local;
  FarnebackScratch* sc = scratch != nullptr ? scratch : &local;
  Flow(prev, next, &sc->fx, &sc->fy, sc);
  cv::magnitude(sc->fx, sc->fy, sc->mag);
  return cv::mean(sc->mag)[0];
}

}  // namespace juicer::media
