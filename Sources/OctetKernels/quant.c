// INT8 block quantization: activations (per call, hot) and weight matrices (at load), and
// the packed tile layout of oct_q8_matrix (see octet_kernels.h).
#include "kernels_internal.h"

// MARK: - One block of 32

// Every path computes d = max|x| / 127, id = 1 / d (0 for an all-zero block) and
// q = round-to-nearest-even(x * id) with the same float operations, so all ISA levels give
// bit-identical blocks. Weights keep their scale as a half: for them d is rounded to half
// first and q computed from the rounded d, so that q * d stays within half a step of x
// (|x| * id then reaches at most 127 * (1 + 2^-11), which still rounds to 127).

/// The block scale: max|x| / 127, rounded to a half's value when `half`.
static inline float block_scale(float amax, int half) {
    const float d = amax / 127.0f;
    return half ? oct_half_to_float(oct_float_to_half(d)) : d;
}

static float qblock_scalar(const float *x, int8_t *q, int32_t *sum, int half) {
    float amax = 0;
    for (int i = 0; i < OCT_BLOCK; i++) amax = fmaxf(amax, fabsf(x[i]));
    const float d = block_scale(amax, half), id = d != 0 ? 1.0f / d : 0.0f;
    int32_t s = 0;
    for (int i = 0; i < OCT_BLOCK; i++) {
        q[i] = (int8_t)lrintf(x[i] * id);
        s += q[i];
    }
    *sum = s;
    return d;
}

#if OCT_X86
/// block_scale with F16C for the half rounding.
OCT_TARGET_AVX2 static inline float block_scale_f16c(float amax, int half) {
    const float d = amax / 127.0f;
    return half ? _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtps_ph(_mm_set_ss(d), _MM_FROUND_TO_NEAREST_INT))) : d;
}

OCT_TARGET_AVX2 static float qblock_avx2(const float *x, int8_t *q, int32_t *sum, int half) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 v[4], m = _mm256_setzero_ps();
    for (int i = 0; i < 4; i++) {
        v[i] = _mm256_loadu_ps(x + 8 * i);
        m = _mm256_max_ps(m, _mm256_andnot_ps(sign, v[i]));
    }
    const float d = block_scale_f16c(oct_hmax256(m), half), id = d != 0 ? 1.0f / d : 0.0f;
    const __m256 vid = _mm256_set1_ps(id);
    __m256i i32[4];
    for (int i = 0; i < 4; i++) i32[i] = _mm256_cvtps_epi32(_mm256_mul_ps(v[i], vid));
    // Pack 32 int32 -> 32 int8 (packs work per 128-bit lane; the permute restores order).
    const __m256i s01 = _mm256_packs_epi32(i32[0], i32[1]), s23 = _mm256_packs_epi32(i32[2], i32[3]);
    __m256i b = _mm256_packs_epi16(s01, s23);
    b = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
    _mm256_storeu_si256((__m256i *)q, b);
    const __m256i t = _mm256_add_epi32(_mm256_add_epi32(i32[0], i32[1]), _mm256_add_epi32(i32[2], i32[3]));
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    *sum = _mm_cvtsi128_si32(s);
    return d;
}

OCT_TARGET_AVX512 static float qblock_avx512(const float *x, int8_t *q, int32_t *sum, int half) {
    const __m512 v0 = _mm512_loadu_ps(x), v1 = _mm512_loadu_ps(x + 16);
    const float amax = _mm512_reduce_max_ps(_mm512_max_ps(_mm512_abs_ps(v0), _mm512_abs_ps(v1)));
    const float d = block_scale_f16c(amax, half), id = d != 0 ? 1.0f / d : 0.0f;
    const __m512 vid = _mm512_set1_ps(id);
    const __m512i i0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, vid));
    const __m512i i1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, vid));
    _mm_storeu_si128((__m128i *)q, _mm512_cvtsepi32_epi8(i0));
    _mm_storeu_si128((__m128i *)(q + 16), _mm512_cvtsepi32_epi8(i1));
    *sum = _mm512_reduce_add_epi32(_mm512_add_epi32(i0, i1));
    return d;
}
#endif

typedef float (*qblock_fn)(const float *, int8_t *, int32_t *, int);

static qblock_fn qblock_for_isa(void) {
#if OCT_X86
    switch (oct_isa_current()) {
    case OCT_ISA_AVX512_VNNI: return qblock_avx512;
    case OCT_ISA_AVX2: return qblock_avx2;
    default: break;
    }
#endif
    return qblock_scalar;
}

// MARK: - Activations

void oct_quantize_act(const float *x, size_t count, const oct_q8_act *out) {
    const qblock_fn qblock = qblock_for_isa();
    const size_t blocks = count / OCT_BLOCK;
    for (size_t b = 0; b < blocks; b++) {
        int32_t sum;
        out->scales[b] = qblock(x + b * OCT_BLOCK, out->qs + b * OCT_BLOCK, &sum, 0);
        out->corr[b] = -128 * sum;
    }
}

// MARK: - Packed matrix geometry

int oct_q8_tiles(int rows) { return (rows + OCT_TILE - 1) / OCT_TILE; }

size_t oct_q8_matrix_qs_bytes(int rows, int cols) {
    return (size_t)oct_q8_tiles(rows) * OCT_TILE * (size_t)cols;
}

size_t oct_q8_matrix_scale_count(int rows, int cols) {
    return (size_t)oct_q8_tiles(rows) * OCT_TILE * (size_t)(cols / OCT_BLOCK);
}

/// Writes one block of 32 signed values of `row`, block `b`, into the tile layout (+128).
static void put_block(const oct_q8_matrix *m, int row, int b, const int8_t *q, float d) {
    const int nb = m->cols / OCT_BLOCK, tile = row / OCT_TILE, j = row % OCT_TILE;
    uint8_t *base = m->qs + ((size_t)tile * nb + b) * (OCT_BLOCK * OCT_TILE) + j * 4;
    uint64_t words[4];
    memcpy(words, q, sizeof(words));
    for (int i = 0; i < 4; i++) words[i] ^= 0x8080808080808080ull;  // + 128 as unsigned
    const uint8_t *u = (const uint8_t *)words;
    for (int c = 0; c < 8; c++) memcpy(base + c * 64, u + c * 4, 4);
    m->scales[((size_t)tile * nb + b) * OCT_TILE + j] = oct_float_to_half(d);  // exact: d is a half
}

// MARK: - Packing weights

void oct_q8_pack_f32(const oct_q8_matrix *m, int row0, int nrows, const float *src) {
    const qblock_fn qblock = qblock_for_isa();
    const int nb = m->cols / OCT_BLOCK;
    int8_t q[OCT_BLOCK];
    for (int r = 0; r < nrows; r++) {
        for (int b = 0; b < nb; b++) {
            int32_t sum;
            const float d = qblock(src + (size_t)r * m->cols + b * OCT_BLOCK, q, &sum, 1);
            put_block(m, row0 + r, b, q, d);
        }
    }
}

void oct_q8_pack_q8_0(const oct_q8_matrix *m, int row0, int nrows, const void *src) {
    const int nb = m->cols / OCT_BLOCK;
    const uint8_t *p = (const uint8_t *)src;
    for (int r = 0; r < nrows; r++) {
        for (int b = 0; b < nb; b++, p += 34) {
            uint16_t h;
            memcpy(&h, p, 2);
            put_block(m, row0 + r, b, (const int8_t *)(p + 2), oct_half_to_float(h));
        }
    }
}

void oct_q8_pack_padding(const oct_q8_matrix *m) {
    const int nb = m->cols / OCT_BLOCK;
    const int8_t zero[OCT_BLOCK] = {0};
    for (int row = m->rows; row < oct_q8_tiles(m->rows) * OCT_TILE; row++) {
        for (int b = 0; b < nb; b++) put_block(m, row, b, zero, 0.0f);
    }
}

void oct_q8_row(const oct_q8_matrix *m, int row, float *out) {
    const int nb = m->cols / OCT_BLOCK, tile = row / OCT_TILE, j = row % OCT_TILE;
    for (int b = 0; b < nb; b++) {
        const uint8_t *base = m->qs + ((size_t)tile * nb + b) * (OCT_BLOCK * OCT_TILE) + j * 4;
        const float d = oct_half_to_float(m->scales[((size_t)tile * nb + b) * OCT_TILE + j]);
        for (int c = 0; c < 8; c++) {
            for (int k = 0; k < 4; k++) {
                out[b * OCT_BLOCK + c * 4 + k] = d * (float)(int8_t)(base[c * 64 + k] ^ 0x80);
            }
        }
    }
}
