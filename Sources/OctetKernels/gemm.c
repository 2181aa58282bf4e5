// INT8 matrix-matrix product for batched prefill: out[t][r] = (W x_t)[r] for n tokens. Each
// 64-byte weight load (4 columns of 16 rows) feeds one `vpdpbusd` per token of a group of
// 8, so a weight tile is read once per 8 tokens from L1 instead of once per token from
// memory. Cost: rows x cols x n byte MACs.
#include "kernels_internal.h"

// MARK: - Scalar

static void gemm_scalar(const oct_q8_matrix *m, const oct_q8_act *x, int n, float *out, int ldo,
                        int tile0, int tile1) {
    const int nb = m->cols / OCT_BLOCK;
    for (int i = 0; i < n; i++) {
        const oct_q8_act xi = {x->qs + (size_t)i * m->cols, x->scales + (size_t)i * nb,
                               x->corr + (size_t)i * nb};
        oct_q8_matvec(m, &xi, out + (size_t)i * ldo, tile0, tile1);
    }
}

#if OCT_X86
// MARK: - AVX2

/// Same sign trick as the AVX2 matrix-vector product (matvec.c).
OCT_TARGET_AVX2 static inline __m256i dot4x8(__m256i w, __m256i aw, __m256i xb) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(xb, w)), _mm256_set1_epi16(1));
}

/// 8 rows (half `h` of tile `t`) x 4 tokens.
OCT_TARGET_AVX2 static void gemm_avx2_8x4(const oct_q8_matrix *m, const oct_q8_act *x, int t, int h,
                                          int i0, int nt, float *out, int ldo) {
    const int nb = m->cols / OCT_BLOCK;
    const uint8_t *w = m->qs + (size_t)t * nb * (OCT_BLOCK * OCT_TILE) + h * 32;
    const uint16_t *ws = m->scales + (size_t)t * nb * OCT_TILE + h * 8;
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (int b = 0; b < nb; b++, w += OCT_BLOCK * OCT_TILE) {
        __m256i s[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                        _mm256_setzero_si256()};
        for (int c = 0; c < 8; c++) {
            const __m256i wv = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(w + c * 64)),
                                                _mm256_set1_epi8((char)0x80));
            const __m256i aw = _mm256_abs_epi8(wv);
            for (int i = 0; i < 4; i++) {
                if (i >= nt) break;
                int32_t xb;
                memcpy(&xb, x->qs + (size_t)(i0 + i) * m->cols + b * OCT_BLOCK + c * 4, 4);
                s[i] = _mm256_add_epi32(s[i], dot4x8(wv, aw, _mm256_set1_epi32(xb)));
            }
        }
        const __m256 sw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(ws + b * 16)));
        for (int i = 0; i < 4 && i < nt; i++) {
            const __m256 xs = _mm256_set1_ps(x->scales[(size_t)(i0 + i) * nb + b]);
            acc[i] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s[i]), _mm256_mul_ps(sw, xs), acc[i]);
        }
    }
    const int row0 = t * OCT_TILE + h * 8;
    const int valid = m->rows - row0 < 8 ? m->rows - row0 : 8;
    for (int i = 0; i < nt; i++) {
        float tmp[8];
        _mm256_storeu_ps(tmp, acc[i]);
        if (valid > 0) memcpy(out + (size_t)(i0 + i) * ldo + row0, tmp, sizeof(float) * valid);
    }
}

OCT_TARGET_AVX2 static void gemm_avx2(const oct_q8_matrix *m, const oct_q8_act *x, int n, float *out,
                                      int ldo, int tile0, int tile1) {
    for (int t = tile0; t < tile1; t++) {
        for (int i0 = 0; i0 < n; i0 += 4) {
            const int nt = n - i0 < 4 ? n - i0 : 4;
            gemm_avx2_8x4(m, x, t, 0, i0, nt, out, ldo);
            gemm_avx2_8x4(m, x, t, 1, i0, nt, out, ldo);
        }
    }
}

// MARK: - AVX-512 VNNI

/// 16 rows of tile `t` x NT tokens starting at token i0; NT is a compile-time constant at
/// every call so the accumulators stay in registers.
#define GEMM_AVX512_KERNEL(NT)                                                                     \
    OCT_TARGET_AVX512 static void gemm_avx512_##NT(const oct_q8_matrix *m, const oct_q8_act *x,    \
                                                   int t, int i0, float *out, int ldo) {           \
        const int nb = m->cols / OCT_BLOCK;                                                        \
        const uint8_t *w = m->qs + (size_t)t * nb * (OCT_BLOCK * OCT_TILE);                        \
        const uint16_t *ws = m->scales + (size_t)t * nb * OCT_TILE;                                \
        const int8_t *xq = x->qs + (size_t)i0 * m->cols;                                           \
        const float *xs = x->scales + (size_t)i0 * nb;                                             \
        const int32_t *xc = x->corr + (size_t)i0 * nb;                                             \
        __m512 acc[NT];                                                                            \
        for (int i = 0; i < NT; i++) acc[i] = _mm512_setzero_ps();                                 \
        for (int b = 0; b < nb; b++, w += OCT_BLOCK * OCT_TILE) {                                  \
            __m512i s[NT];                                                                         \
            for (int i = 0; i < NT; i++) s[i] = _mm512_set1_epi32(xc[(size_t)i * nb + b]);          \
            for (int c = 0; c < 8; c++) {                                                          \
                const __m512i wv = _mm512_loadu_si512(w + c * 64);                                 \
                for (int i = 0; i < NT; i++) {                                                     \
                    int32_t xb;                                                                    \
                    memcpy(&xb, xq + (size_t)i * m->cols + b * OCT_BLOCK + c * 4, 4);              \
                    s[i] = _mm512_dpbusd_epi32(s[i], wv, _mm512_set1_epi32(xb));                   \
                }                                                                                  \
            }                                                                                      \
            const __m512 sw = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(ws + b * 16)));  \
            for (int i = 0; i < NT; i++) {                                                         \
                acc[i] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s[i]),                                 \
                                         _mm512_mul_ps(sw, _mm512_set1_ps(xs[(size_t)i * nb + b])), \
                                         acc[i]);                                                  \
            }                                                                                      \
        }                                                                                          \
        const int valid = m->rows - t * OCT_TILE < OCT_TILE ? m->rows - t * OCT_TILE : OCT_TILE;   \
        const __mmask16 mask = (__mmask16)((1u << valid) - 1);                                     \
        for (int i = 0; i < NT; i++) {                                                             \
            _mm512_mask_storeu_ps(out + (size_t)(i0 + i) * ldo + t * OCT_TILE, mask, acc[i]);      \
        }                                                                                          \
    }

GEMM_AVX512_KERNEL(8)
GEMM_AVX512_KERNEL(4)
GEMM_AVX512_KERNEL(2)
GEMM_AVX512_KERNEL(1)

/// Tokens per pass over the tiles: 64 tokens' activations (37-98 KB) stay near the core
/// while every tile of the call is run against them.
#define GEMM_TOKEN_CHUNK 64

OCT_TARGET_AVX512 static void gemm_avx512(const oct_q8_matrix *m, const oct_q8_act *x, int n, float *out,
                                          int ldo, int tile0, int tile1) {
    for (int c0 = 0; c0 < n; c0 += GEMM_TOKEN_CHUNK) {
        const int c1 = n - c0 < GEMM_TOKEN_CHUNK ? n : c0 + GEMM_TOKEN_CHUNK;
        for (int t = tile0; t < tile1; t++) {
            int i = c0;
            for (; i + 8 <= c1; i += 8) gemm_avx512_8(m, x, t, i, out, ldo);
            if (i + 4 <= c1) { gemm_avx512_4(m, x, t, i, out, ldo); i += 4; }
            if (i + 2 <= c1) { gemm_avx512_2(m, x, t, i, out, ldo); i += 2; }
            if (i < c1) gemm_avx512_1(m, x, t, i, out, ldo);
        }
    }
}
#endif

// MARK: - Dispatch

void oct_q8_gemm(const oct_q8_matrix *m, const oct_q8_act *x, int n, float *out, int ldo,
                 int tile0, int tile1) {
#if OCT_X86
    switch (oct_isa_current()) {
    case OCT_ISA_AVX512_VNNI: gemm_avx512(m, x, n, out, ldo, tile0, tile1); return;
    case OCT_ISA_AVX2: gemm_avx2(m, x, n, out, ldo, tile0, tile1); return;
    default: break;
    }
#endif
    gemm_scalar(m, x, n, out, ldo, tile0, tile1);
}
