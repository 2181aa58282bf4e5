// The small float ops of a transformer layer: RMSNorm, softmax, SwiGLU, residual add, RoPE,
// and half-precision conversions. Each costs O(n) on vectors of a few thousand values; the
// SIMD paths exist for softmax and SwiGLU (an exp per value) and the conversions.
#include "kernels_internal.h"

// MARK: - RMSNorm

void oct_rmsnorm(float *out, const float *x, const float *w, int n, float eps) {
    // The mean of squares in double, as the reference does: n is at most a few thousand.
    double ss = 0;
    for (int i = 0; i < n; i++) ss += (double)x[i] * x[i];
    const float inv = (float)(1.0 / sqrt(ss / n + eps));
    for (int i = 0; i < n; i++) out[i] = x[i] * inv * w[i];
}

// MARK: - Softmax

static void softmax_scalar(float *x, int n) {
    float max = -INFINITY;
    for (int i = 0; i < n; i++) max = fmaxf(max, x[i]);
    float sum = 0;
    for (int i = 0; i < n; i++) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; i++) x[i] *= inv;
}

#if OCT_X86
OCT_TARGET_AVX512 static void softmax_avx512(float *x, int n) {
    __m512 vmax = _mm512_set1_ps(-INFINITY);
    int i = 0;
    for (; i + 16 <= n; i += 16) vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(x + i));
    float max = _mm512_reduce_max_ps(vmax);
    for (int j = i; j < n; j++) max = fmaxf(max, x[j]);
    const __m512 vm = _mm512_set1_ps(max);
    __m512 vsum = _mm512_setzero_ps();
    for (i = 0; i + 16 <= n; i += 16) {
        const __m512 e = oct_exp512(_mm512_sub_ps(_mm512_loadu_ps(x + i), vm));
        _mm512_storeu_ps(x + i, e);
        vsum = _mm512_add_ps(vsum, e);
    }
    if (i < n) {
        const __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        const __m512 e = oct_exp512(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, x + i), vm));
        _mm512_mask_storeu_ps(x + i, k, e);
        vsum = _mm512_add_ps(vsum, _mm512_maskz_mov_ps(k, e));
    }
    const __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));
    for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_loadu_ps(x + i), inv));
    if (i < n) {
        const __mmask16 k = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, k, _mm512_mul_ps(_mm512_maskz_loadu_ps(k, x + i), inv));
    }
}

OCT_TARGET_AVX2 static void softmax_avx2(float *x, int n) {
    float max = -INFINITY;
    for (int i = 0; i < n; i++) max = fmaxf(max, x[i]);
    const __m256 vm = _mm256_set1_ps(max);
    __m256 vsum = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 e = oct_exp256(_mm256_sub_ps(_mm256_loadu_ps(x + i), vm));
        _mm256_storeu_ps(x + i, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    float sum = oct_hsum256(vsum);
    for (; i < n; i++) {
        x[i] = expf(x[i] - max);
        sum += x[i];
    }
    const float inv = 1.0f / sum;
    for (i = 0; i < n; i++) x[i] *= inv;
}
#endif

void oct_softmax(float *x, int n) {
#if OCT_X86
    switch (oct_isa_current()) {
    case OCT_ISA_AVX512_VNNI: softmax_avx512(x, n); return;
    case OCT_ISA_AVX2: softmax_avx2(x, n); return;
    default: break;
    }
#endif
    softmax_scalar(x, n);
}

// MARK: - SwiGLU and residual

static void swiglu_scalar(float *out, const float *gate, const float *up, int n) {
    for (int i = 0; i < n; i++) out[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

#if OCT_X86
OCT_TARGET_AVX512 static void swiglu_avx512(float *out, const float *gate, const float *up, int n) {
    int i = 0;
    const __m512 one = _mm512_set1_ps(1.0f);
    for (; i + 16 <= n; i += 16) {
        const __m512 g = _mm512_loadu_ps(gate + i);
        const __m512 e = oct_exp512(_mm512_sub_ps(_mm512_setzero_ps(), g));
        _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(one, e)), _mm512_loadu_ps(up + i)));
    }
    swiglu_scalar(out + i, gate + i, up + i, n - i);
}

OCT_TARGET_AVX2 static void swiglu_avx2(float *out, const float *gate, const float *up, int n) {
    int i = 0;
    const __m256 one = _mm256_set1_ps(1.0f);
    for (; i + 8 <= n; i += 8) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 e = oct_exp256(_mm256_sub_ps(_mm256_setzero_ps(), g));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(one, e)), _mm256_loadu_ps(up + i)));
    }
    swiglu_scalar(out + i, gate + i, up + i, n - i);
}
#endif

void oct_swiglu(float *out, const float *gate, const float *up, int n) {
#if OCT_X86
    switch (oct_isa_current()) {
    case OCT_ISA_AVX512_VNNI: swiglu_avx512(out, gate, up, n); return;
    case OCT_ISA_AVX2: swiglu_avx2(out, gate, up, n); return;
    default: break;
    }
#endif
    swiglu_scalar(out, gate, up, n);
}

void oct_add(float *y, const float *x, int n) {
    for (int i = 0; i < n; i++) y[i] += x[i];
}

// MARK: - RoPE

void oct_rope_angles(float *cs, const double *freqs, int pairs, double pos) {
    for (int i = 0; i < pairs; i++) {
        const double a = pos * freqs[i];
        cs[2 * i] = (float)cos(a);
        cs[2 * i + 1] = (float)sin(a);
    }
}

void oct_rope(float *x, int heads, int head_dim, int rot_dim, const float *cs) {
    for (int h = 0; h < heads; h++) {
        float *v = x + (size_t)h * head_dim;
        for (int i = 0; i < rot_dim / 2; i++) {
            const float c = cs[2 * i], s = cs[2 * i + 1];
            const float a = v[2 * i], b = v[2 * i + 1];
            v[2 * i] = a * c - b * s;
            v[2 * i + 1] = a * s + b * c;
        }
    }
}

// MARK: - Half precision

#if OCT_X86
OCT_TARGET_AVX2 static void f16_to_f32_f16c(const uint16_t *src, float *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + i))));
    }
    for (; i < n; i++) dst[i] = oct_half_to_float(src[i]);
}

OCT_TARGET_AVX2 static void f32_to_f16_f16c(const float *src, uint16_t *dst, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128((__m128i *)(dst + i), _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) dst[i] = oct_float_to_half(src[i]);
}
#endif

void oct_f16_to_f32(const uint16_t *src, float *dst, size_t n) {
#if OCT_X86
    if (oct_isa_current() >= OCT_ISA_AVX2) { f16_to_f32_f16c(src, dst, n); return; }
#endif
    for (size_t i = 0; i < n; i++) dst[i] = oct_half_to_float(src[i]);
}

void oct_f32_to_f16(const float *src, uint16_t *dst, size_t n) {
#if OCT_X86
    if (oct_isa_current() >= OCT_ISA_AVX2) { f32_to_f16_f16c(src, dst, n); return; }
#endif
    for (size_t i = 0; i < n; i++) dst[i] = oct_float_to_half(src[i]);
}
