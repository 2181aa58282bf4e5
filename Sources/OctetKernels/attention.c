// Causal multi-head attention (with grouped KV heads) over a float16 KV cache, for one token
// (decode) or a batch (prefill). Work item = one query head x a block of up to 8 queries:
// scores for 16 keys at a time (the transposed key layout gives 16 keys' dimension d in one
// load), a softmax per query, then the value rows weighted by the probabilities. Cost per
// query: 2 x positions x head_dim multiply-adds.
#include "kernels_internal.h"

/// Queries per work item: they share every key and value load.
#define QB 8

// MARK: - Cache layout

size_t oct_kv_layer_bytes(int capacity, int kv_heads, int head_dim) {
    return (size_t)capacity * kv_heads * head_dim * sizeof(uint16_t);
}

static inline size_t key_index(const oct_kv_layer *kv, int kvh, int t, int d) {
    return (((size_t)kvh * (kv->capacity / 16) + t / 16) * kv->head_dim + d) * 16 + t % 16;
}

void oct_kv_store(const oct_kv_layer *kv, int pos0, int n, const float *k, const float *v) {
    const int hd = kv->head_dim, dim = kv->kv_heads * hd;
    for (int i = 0; i < n; i++) {
        const int t = pos0 + i;
        for (int h = 0; h < kv->kv_heads; h++) {
            const float *src = k + (size_t)i * dim + h * hd;
            for (int d = 0; d < hd; d++) kv->k[key_index(kv, h, t, d)] = oct_float_to_half(src[d]);
            oct_f32_to_f16(v + (size_t)i * dim + h * hd, kv->v + ((size_t)h * kv->capacity + t) * hd, (size_t)hd);
        }
    }
}

int oct_attention_items(int n, int heads) { return heads * ((n + QB - 1) / QB); }

size_t oct_attention_scratch(int capacity) { return (size_t)QB * capacity; }

/// One work item's geometry.
typedef struct {
    const float *q[QB];
    float *out[QB];
    int last[QB];  // the last position each query sees
    int nq, keys, kvh;
} item_t;

static item_t item_at(const oct_kv_layer *kv, const float *q, float *out, int n, int pos0, int heads,
                      int item) {
    item_t it;
    const int h = item % heads, q0 = (item / heads) * QB, dim = heads * kv->head_dim;
    it.nq = n - q0 < QB ? n - q0 : QB;
    it.kvh = h / (heads / kv->kv_heads);
    for (int i = 0; i < it.nq; i++) {
        it.q[i] = q + (size_t)(q0 + i) * dim + h * kv->head_dim;
        it.out[i] = out + (size_t)(q0 + i) * dim + h * kv->head_dim;
        it.last[i] = pos0 + q0 + i;
    }
    it.keys = it.last[it.nq - 1] + 1;
    return it;
}

// MARK: - Scalar

static void item_scalar(const oct_kv_layer *kv, const item_t *it, float scale, float *scratch) {
    const int hd = kv->head_dim;
    for (int i = 0; i < it->nq; i++) {
        float *s = scratch + (size_t)i * kv->capacity;
        for (int t = 0; t <= it->last[i]; t++) {
            float dot = 0;
            for (int d = 0; d < hd; d++) dot += it->q[i][d] * oct_half_to_float(kv->k[key_index(kv, it->kvh, t, d)]);
            s[t] = dot * scale;
        }
        oct_softmax(s, it->last[i] + 1);
        for (int d = 0; d < hd; d++) it->out[i][d] = 0;
        for (int t = 0; t <= it->last[i]; t++) {
            const uint16_t *vr = kv->v + ((size_t)it->kvh * kv->capacity + t) * hd;
            for (int d = 0; d < hd; d++) it->out[i][d] += s[t] * oct_half_to_float(vr[d]);
        }
    }
}

#if OCT_X86
/// Softmax of each query's row over its own positions, zeros after it up to `keys`.
static void softmax_rows(const oct_kv_layer *kv, const item_t *it, float *scratch) {
    for (int i = 0; i < it->nq; i++) {
        float *s = scratch + (size_t)i * kv->capacity;
        oct_softmax(s, it->last[i] + 1);
        for (int t = it->last[i] + 1; t < it->keys; t++) s[t] = 0;
    }
}

// MARK: - AVX-512

/// Scores of NQ queries against keys [kb, kb + 16 * NB) (NB = 1 or 2 blocks of 16): NQ x NB
/// accumulators, one key load per block and dimension, one broadcast per query and dimension.
/// NQ and NB are constants at every call (always inlined), so everything stays in registers.
OCT_TARGET_AVX512 __attribute__((always_inline)) static inline void
scores_avx512(const oct_kv_layer *kv, const item_t *it, const uint16_t *kp, int kb, float scale,
              float *scratch, const int NQ, const int NB) {
    const int hd = kv->head_dim;
    __m512 acc[QB][2];
    for (int i = 0; i < NQ; i++) for (int j = 0; j < NB; j++) acc[i][j] = _mm512_setzero_ps();
    for (int d = 0; d < hd; d++) {
        __m512 k[2];
        for (int j = 0; j < NB; j++) {
            k[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(kp + ((size_t)j * hd + d) * 16)));
        }
        for (int i = 0; i < NQ; i++) {
            const __m512 q = _mm512_set1_ps(it->q[i][d]);
            for (int j = 0; j < NB; j++) acc[i][j] = _mm512_fmadd_ps(q, k[j], acc[i][j]);
        }
    }
    for (int i = 0; i < NQ; i++) {
        for (int j = 0; j < NB; j++) {
            _mm512_storeu_ps(scratch + (size_t)i * kv->capacity + kb + 16 * j,
                             _mm512_mul_ps(acc[i][j], _mm512_set1_ps(scale)));
        }
    }
}

/// out[i][dc, dc + 16 * NV) = sum over t of p[i][t] v[t][...] for NQ queries (NV = 1 or 2).
OCT_TARGET_AVX512 __attribute__((always_inline)) static inline void
values_avx512(const oct_kv_layer *kv, const item_t *it, const uint16_t *vbase, int dc,
              const float *scratch, const int NQ, const int NV) {
    const int hd = kv->head_dim;
    __m512 acc[QB][2];
    for (int i = 0; i < NQ; i++) for (int j = 0; j < NV; j++) acc[i][j] = _mm512_setzero_ps();
    for (int t = 0; t < it->keys; t++) {
        const uint16_t *vr = vbase + (size_t)t * hd + dc;
        __m512 v[2];
        for (int j = 0; j < NV; j++) v[j] = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(vr + 16 * j)));
        for (int i = 0; i < NQ; i++) {
            const __m512 p = _mm512_set1_ps(scratch[(size_t)i * kv->capacity + t]);
            for (int j = 0; j < NV; j++) acc[i][j] = _mm512_fmadd_ps(p, v[j], acc[i][j]);
        }
    }
    for (int i = 0; i < NQ; i++) {
        for (int j = 0; j < NV; j++) _mm512_storeu_ps(it->out[i] + dc + 16 * j, acc[i][j]);
    }
}

/// One work item of exactly NQ queries: scores 32 keys at a time, softmax, values 32
/// dimensions at a time.
OCT_TARGET_AVX512 __attribute__((always_inline)) static inline void
item_avx512_n(const oct_kv_layer *kv, const item_t *it, float scale, float *scratch, const int NQ) {
    const int hd = kv->head_dim;
    const uint16_t *kbase = kv->k + key_index(kv, it->kvh, 0, 0);
    int kb = 0;
    for (; kb + 16 < it->keys && kb + 32 <= kv->capacity; kb += 32) {
        scores_avx512(kv, it, kbase + (size_t)(kb / 16) * hd * 16, kb, scale, scratch, NQ, 2);
    }
    if (kb < it->keys) scores_avx512(kv, it, kbase + (size_t)(kb / 16) * hd * 16, kb, scale, scratch, NQ, 1);
    softmax_rows(kv, it, scratch);
    const uint16_t *vbase = kv->v + (size_t)it->kvh * kv->capacity * hd;
    int dc = 0;
    for (; dc + 32 <= hd; dc += 32) values_avx512(kv, it, vbase, dc, scratch, NQ, 2);
    if (dc < hd) values_avx512(kv, it, vbase, dc, scratch, NQ, 1);
}

OCT_TARGET_AVX512 static void item_avx512(const oct_kv_layer *kv, const item_t *it, float scale,
                                          float *scratch) {
    switch (it->nq) {
    case 1: item_avx512_n(kv, it, scale, scratch, 1); break;
    case 2: item_avx512_n(kv, it, scale, scratch, 2); break;
    case 3: item_avx512_n(kv, it, scale, scratch, 3); break;
    case 4: item_avx512_n(kv, it, scale, scratch, 4); break;
    case 5: item_avx512_n(kv, it, scale, scratch, 5); break;
    case 6: item_avx512_n(kv, it, scale, scratch, 6); break;
    case 7: item_avx512_n(kv, it, scale, scratch, 7); break;
    default: item_avx512_n(kv, it, scale, scratch, 8); break;
    }
}

// MARK: - AVX2

OCT_TARGET_AVX2 static void item_avx2(const oct_kv_layer *kv, const item_t *it, float scale, float *scratch) {
    const int hd = kv->head_dim, nq = it->nq;
    const uint16_t *kbase = kv->k + key_index(kv, it->kvh, 0, 0);
    for (int kb = 0; kb < it->keys; kb += 16) {
        const uint16_t *kp = kbase + (size_t)(kb / 16) * hd * 16;
        for (int half = 0; half < 2; half++) {
            __m256 acc[QB];
            for (int i = 0; i < QB; i++) acc[i] = _mm256_setzero_ps();
            for (int d = 0; d < hd; d++) {
                const __m256 k = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(kp + d * 16 + half * 8)));
                for (int i = 0; i < QB; i++) {
                    if (i < nq) acc[i] = _mm256_fmadd_ps(_mm256_set1_ps(it->q[i][d]), k, acc[i]);
                }
            }
            for (int i = 0; i < nq; i++) {
                _mm256_storeu_ps(scratch + (size_t)i * kv->capacity + kb + half * 8,
                                 _mm256_mul_ps(acc[i], _mm256_set1_ps(scale)));
            }
        }
    }
    softmax_rows(kv, it, scratch);
    const uint16_t *vbase = kv->v + (size_t)it->kvh * kv->capacity * hd;
    // 8 dimensions at a time: 8 queries' accumulators fit AVX2's 16 registers.
    for (int dc = 0; dc < hd; dc += 8) {
        __m256 acc[QB];
        for (int i = 0; i < QB; i++) acc[i] = _mm256_setzero_ps();
        for (int t = 0; t < it->keys; t++) {
            const __m256 v = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(vbase + (size_t)t * hd + dc)));
            for (int i = 0; i < QB; i++) {
                if (i >= nq) break;
                acc[i] = _mm256_fmadd_ps(_mm256_set1_ps(scratch[(size_t)i * kv->capacity + t]), v, acc[i]);
            }
        }
        for (int i = 0; i < nq; i++) _mm256_storeu_ps(it->out[i] + dc, acc[i]);
    }
}
#endif

// MARK: - Dispatch

void oct_attention(const oct_kv_layer *kv, const float *q, int n, int pos0, int heads,
                   float scale, float *out, float *scratch, int first, int step) {
    const int items = oct_attention_items(n, heads);
    const oct_isa isa = oct_isa_current();
    // The SIMD paths read 16 dimensions at a time.
    const int simd = kv->head_dim % 16 == 0;
    for (int item = first; item < items; item += step) {
        const item_t it = item_at(kv, q, out, n, pos0, heads, item);
#if OCT_X86
        if (simd && isa == OCT_ISA_AVX512_VNNI) { item_avx512(kv, &it, scale, scratch); continue; }
        if (simd && isa == OCT_ISA_AVX2) { item_avx2(kv, &it, scale, scratch); continue; }
#endif
        (void)isa;
        (void)simd;
        item_scalar(kv, &it, scale, scratch);
    }
}
