// INT8 matrix-vector product for decode: out = W x with W in the packed tile layout of
// oct_q8_matrix and x quantized per block (oct_q8_act). Cost: rows x cols byte MACs; the
// weights are streamed once, so the speed is that of reading them.
#include "kernels_internal.h"

/// Software prefetch distance for the weight stream: the hardware prefetcher alone leaves a
/// single core at ~10 GB/s from memory here; asking for the lines 4 KB ahead (into L2) gave
/// 25-35% more (measured on 142 MB of matrices, the size of the default model).
#define OCT_PREFETCH_AHEAD 4096

// MARK: - Scalar (the reference for the SIMD paths)

/// out[16 rows of tile t] = sum over blocks of scale_w * scale_x * (w . x).
static void matvec_tile_scalar(const oct_q8_matrix *m, const oct_q8_act *x, int t, float acc[16]) {
    const int nb = m->cols / OCT_BLOCK;
    const uint8_t *w = m->qs + (size_t)t * nb * (OCT_BLOCK * OCT_TILE);
    const uint16_t *ws = m->scales + (size_t)t * nb * OCT_TILE;
    for (int j = 0; j < OCT_TILE; j++) acc[j] = 0;
    for (int b = 0; b < nb; b++, w += OCT_BLOCK * OCT_TILE) {
        const int8_t *xq = x->qs + b * OCT_BLOCK;
        for (int j = 0; j < OCT_TILE; j++) {
            int32_t s = 0;
            for (int c = 0; c < 8; c++) {
                for (int k = 0; k < 4; k++) s += (int8_t)(w[c * 64 + j * 4 + k] ^ 0x80) * xq[c * 4 + k];
            }
            acc[j] += (float)s * (oct_half_to_float(ws[b * OCT_TILE + j]) * x->scales[b]);
        }
    }
}

static void matvec_scalar(const oct_q8_matrix *m, const oct_q8_act *x, float *out, int tile0, int tile1) {
    for (int t = tile0; t < tile1; t++) {
        float acc[OCT_TILE];
        matvec_tile_scalar(m, x, t, acc);
        const int valid = m->rows - t * OCT_TILE < OCT_TILE ? m->rows - t * OCT_TILE : OCT_TILE;
        memcpy(out + t * OCT_TILE, acc, sizeof(float) * valid);
    }
}

#if OCT_X86
// MARK: - AVX2

/// 8 rows x 4 columns of signed products summed per row: |w| * (x with w's sign) keeps each
/// pair sum of maddubs within int16 (2 * 127 * 127).
OCT_TARGET_AVX2 static inline __m256i dot4x8_avx2(__m256i wu, __m256i xb) {
    const __m256i w = _mm256_xor_si256(wu, _mm256_set1_epi8((char)0x80));
    const __m256i p = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(xb, w));
    return _mm256_madd_epi16(p, _mm256_set1_epi16(1));
}

OCT_TARGET_AVX2 static void matvec_avx2(const oct_q8_matrix *m, const oct_q8_act *x, float *out,
                                        int tile0, int tile1) {
    const int nb = m->cols / OCT_BLOCK;
    for (int t = tile0; t < tile1; t++) {
        const uint8_t *w = m->qs + (size_t)t * nb * (OCT_BLOCK * OCT_TILE);
        const uint16_t *ws = m->scales + (size_t)t * nb * OCT_TILE;
        __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
        for (int b = 0; b < nb; b++, w += OCT_BLOCK * OCT_TILE) {
            const int32_t *xq = (const int32_t *)(const void *)(x->qs + b * OCT_BLOCK);
            for (int l = 0; l < OCT_BLOCK * OCT_TILE; l += 64) {
                _mm_prefetch((const char *)w + OCT_PREFETCH_AHEAD + l, _MM_HINT_T1);
            }
            __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
            for (int c = 0; c < 8; c++) {
                const __m256i xb = _mm256_set1_epi32(xq[c]);
                s0 = _mm256_add_epi32(s0, dot4x8_avx2(_mm256_loadu_si256((const __m256i *)(w + c * 64)), xb));
                s1 = _mm256_add_epi32(s1, dot4x8_avx2(_mm256_loadu_si256((const __m256i *)(w + c * 64 + 32)), xb));
            }
            const __m256 xs = _mm256_set1_ps(x->scales[b]);
            const __m256 w0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(ws + b * 16)));
            const __m256 w1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(ws + b * 16 + 8)));
            acc0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s0), _mm256_mul_ps(w0, xs), acc0);
            acc1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s1), _mm256_mul_ps(w1, xs), acc1);
        }
        float tmp[OCT_TILE];
        _mm256_storeu_ps(tmp, acc0);
        _mm256_storeu_ps(tmp + 8, acc1);
        const int valid = m->rows - t * OCT_TILE < OCT_TILE ? m->rows - t * OCT_TILE : OCT_TILE;
        memcpy(out + t * OCT_TILE, tmp, sizeof(float) * valid);
    }
}

// MARK: - AVX-512 VNNI

/// One tile: for each block, 8 `vpdpbusd` of (w + 128) x broadcast x bytes, started from
/// corr = -128 * sum(x) so that the int32 lanes hold exactly w . x for the 16 rows.
OCT_TARGET_AVX512 static inline __m512 matvec_tile_avx512(const uint8_t *w, const uint16_t *ws,
                                                          const oct_q8_act *x, int nb) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    int b = 0;
    for (; b + 1 < nb; b += 2, w += 2 * OCT_BLOCK * OCT_TILE) {
        const int32_t *xq = (const int32_t *)(const void *)(x->qs + b * OCT_BLOCK);
        for (int l = 0; l < 2 * OCT_BLOCK * OCT_TILE; l += 64) {
            _mm_prefetch((const char *)w + OCT_PREFETCH_AHEAD + l, _MM_HINT_T1);
        }
        __m512i s0 = _mm512_set1_epi32(x->corr[b]), s1 = _mm512_set1_epi32(x->corr[b + 1]);
        for (int c = 0; c < 8; c++) {
            s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(w + c * 64), _mm512_set1_epi32(xq[c]));
            s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(w + 512 + c * 64), _mm512_set1_epi32(xq[8 + c]));
        }
        acc0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0),
                               _mm512_mul_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(ws + b * 16))), _mm512_set1_ps(x->scales[b])), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s1),
                               _mm512_mul_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(ws + b * 16 + 16))), _mm512_set1_ps(x->scales[b + 1])), acc1);
    }
    if (b < nb) {
        const int32_t *xq = (const int32_t *)(const void *)(x->qs + b * OCT_BLOCK);
        __m512i s0 = _mm512_set1_epi32(x->corr[b]);
        for (int c = 0; c < 8; c++) {
            s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(w + c * 64), _mm512_set1_epi32(xq[c]));
        }
        acc0 = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s0),
                               _mm512_mul_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(ws + b * 16))), _mm512_set1_ps(x->scales[b])), acc0);
    }
    return _mm512_add_ps(acc0, acc1);
}

OCT_TARGET_AVX512 static void matvec_avx512(const oct_q8_matrix *m, const oct_q8_act *x, float *out,
                                            int tile0, int tile1) {
    const int nb = m->cols / OCT_BLOCK;
    for (int t = tile0; t < tile1; t++) {
        const uint8_t *w = m->qs + (size_t)t * nb * (OCT_BLOCK * OCT_TILE);
        const __m512 acc = matvec_tile_avx512(w, m->scales + (size_t)t * nb * OCT_TILE, x, nb);
        const int valid = m->rows - t * OCT_TILE < OCT_TILE ? m->rows - t * OCT_TILE : OCT_TILE;
        _mm512_mask_storeu_ps(out + t * OCT_TILE, (__mmask16)((1u << valid) - 1), acc);
    }
}
#endif

// MARK: - Dispatch

void oct_q8_matvec(const oct_q8_matrix *m, const oct_q8_act *x, float *out, int tile0, int tile1) {
#if OCT_X86
    switch (oct_isa_current()) {
    case OCT_ISA_AVX512_VNNI: matvec_avx512(m, x, out, tile0, tile1); return;
    case OCT_ISA_AVX2: matvec_avx2(m, x, out, tile0, tile1); return;
    default: break;
    }
#endif
    matvec_scalar(m, x, out, tile0, tile1);
}
