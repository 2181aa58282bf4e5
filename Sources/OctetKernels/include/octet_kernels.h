// Octet's hot kernels: INT8 block quantization, INT8 matrix-vector and matrix-matrix
// products, and the small float ops of a transformer layer. Plain C with runtime CPU
// dispatch (AVX-512 VNNI, AVX2, portable scalar); everything else of the engine is Swift.
//
// Conventions: a "block" is 32 consecutive values with one float scale (the Q8_0 layout of
// GGUF); every length that is quantized is a multiple of 32. Matrices are stored as rows of
// output features (row r = output r), as in GGUF.
#ifndef OCTET_KERNELS_H
#define OCTET_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - CPU features and dispatch

/// Instruction-set levels, best last. `oct_isa_detect` returns the best this CPU (and OS)
/// supports; `oct_isa_set` forces a lower one (tests run every level they can).
typedef enum {
    OCT_ISA_SCALAR = 0,
    OCT_ISA_AVX2 = 1,        // AVX2 + FMA + F16C
    OCT_ISA_AVX512_VNNI = 2, // AVX-512 F/BW/VL + VNNI
} oct_isa;

oct_isa oct_isa_detect(void);
/// The level in use now (starts at `oct_isa_detect()`).
oct_isa oct_isa_current(void);
/// Uses `isa` from now on, or the best supported level below it. Returns the level chosen.
oct_isa oct_isa_set(oct_isa isa);
/// "scalar", "avx2" or "avx512-vnni".
const char *oct_isa_name(oct_isa isa);

// MARK: - Quantized activations

/// Values per quantization block.
#define OCT_BLOCK 32

/// Activations quantized per block of 32: `qs[i] = round(x[i] / scale[i / 32])`, with
/// `scale = max|x| / 127` over the block. `corr[b] = -128 * sum(qs of block b)`: the INT8
/// products run as unsigned(weight + 128) x signed(activation), and this term removes the
/// +128 (see the matrix layout below). `count` values in all, a multiple of 32; several
/// rows (tokens) of the same length are simply consecutive.
typedef struct {
    int8_t *qs;      ///< (count)
    float *scales;   ///< (count / 32)
    int32_t *corr;   ///< (count / 32)
} oct_q8_act;

/// Quantizes `count` floats (a multiple of 32) into `out`.
void oct_quantize_act(const float *x, size_t count, const oct_q8_act *out);

// MARK: - Quantized weight matrices

/// Rows per tile of the packed layout.
#define OCT_TILE 16

/// A weight matrix of `rows` x `cols` held as INT8 blocks of 32 with one half scale, packed
/// for the kernels: rows are grouped in tiles of 16 (the last tile padded with zero rows),
/// and inside a tile each block of 32 columns is stored as 8 chunks of 4 columns x 16 rows,
///   qs[((tile * nb + b) * 8 + c) * 64 + row_in_tile * 4 + k] = w[row][b * 32 + c * 4 + k] + 128
/// (nb = cols / 32), so one 64-byte load holds the same 4 columns of 16 rows: the operand
/// of one VNNI `vpdpbusd` against 4 broadcast activation bytes. Stored offset by +128 (as
/// unsigned bytes) because `vpdpbusd` multiplies unsigned by signed bytes; the activation's
/// `corr` term takes the offset back out. Scales are IEEE halves (as in Q8_0), at
/// `scales[(tile * nb + b) * 16 + row_in_tile]`.
typedef struct {
    uint8_t *qs;      ///< (tiles * 16 * cols) bytes
    uint16_t *scales; ///< (tiles * 16 * cols / 32) float16
    int rows;
    int cols;
} oct_q8_matrix;

/// Tiles of 16 rows holding `rows` rows.
int oct_q8_tiles(int rows);
/// Bytes of `qs` for a matrix of `rows` x `cols` (rows padded to a tile).
size_t oct_q8_matrix_qs_bytes(int rows, int cols);
/// Halves of `scales` for a matrix of `rows` x `cols`.
size_t oct_q8_matrix_scale_count(int rows, int cols);

/// Quantizes float rows `[row0, row0 + nrows)` (`src` holds `nrows * cols` floats) into `m`:
/// per block, scale = max|w| / 127 (stored as a half) and q = round(w / scale).
void oct_q8_pack_f32(const oct_q8_matrix *m, int row0, int nrows, const float *src);
/// Copies GGUF Q8_0 rows (34-byte blocks: f16 scale, 32 int8) into `m` exactly.
void oct_q8_pack_q8_0(const oct_q8_matrix *m, int row0, int nrows, const void *src);
/// Sets the padding rows of the last tile to zero (call once after packing all rows).
void oct_q8_pack_padding(const oct_q8_matrix *m);
/// The dequantized row `row` of `m` (`cols` floats): the embedding lookup.
void oct_q8_row(const oct_q8_matrix *m, int row, float *out);

// MARK: - INT8 products

/// out[r] = sum over blocks b of w_scale[r, b] * x_scale[b] * (w[r, b] . x[b]) for the rows of
/// tiles `[tile0, tile1)`: the decode matrix-vector product. Cost: rows * cols byte MACs.
void oct_q8_matvec(const oct_q8_matrix *m, const oct_q8_act *x, float *out, int tile0, int tile1);
/// The same for `n` activation rows (tokens) at once: out[t * ldo + r] for t < n, reading each
/// weight tile once per group of tokens (the batched prefill product).
void oct_q8_gemm(const oct_q8_matrix *m, const oct_q8_act *x, int n, float *out, int ldo,
                 int tile0, int tile1);

// MARK: - Float ops of a layer

/// out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i], i < n.
void oct_rmsnorm(float *out, const float *x, const float *w, int n, float eps);
/// x = softmax(x) in place, n values.
void oct_softmax(float *x, int n);
/// out[i] = silu(gate[i]) * up[i] = gate / (1 + exp(-gate)) * up.
void oct_swiglu(float *out, const float *gate, const float *up, int n);
/// y[i] += x[i].
void oct_add(float *y, const float *x, int n);
/// Rotates each head of `x` (`heads` x `head_dim` floats) by the angles whose cosines and
/// sines are `cs` (`rot_dim / 2` pairs cos, sin): pairs (x[2i], x[2i+1]) for 2i < rot_dim
/// (the "normal", GPT-J pairing of llama.cpp's rope mode 0).
void oct_rope(float *x, int heads, int head_dim, int rot_dim, const float *cs);
/// cs[2i] = cos(pos * freq[i]), cs[2i+1] = sin(...), i < pairs, computed in double.
void oct_rope_angles(float *cs, const double *freqs, int pairs, double pos);

/// IEEE half to float and back (round to nearest even).
void oct_f16_to_f32(const uint16_t *src, float *dst, size_t n);
void oct_f32_to_f16(const float *src, uint16_t *dst, size_t n);

// MARK: - Attention over a float16 KV cache

/// One layer's KV cache. Keys are stored transposed in blocks of 16 positions so that one
/// vector load gives the same dimension of 16 keys:
///   k[((kvh * (capacity / 16) + t / 16) * head_dim + d) * 16 + t % 16]
/// Values are row-major: v[(kvh * capacity + t) * head_dim + d]. `capacity` is a multiple of 16.
typedef struct {
    uint16_t *k;
    uint16_t *v;
    int capacity;
    int kv_heads;
    int head_dim;
} oct_kv_layer;

/// Bytes of one of the two arrays (k or v) of a layer.
size_t oct_kv_layer_bytes(int capacity, int kv_heads, int head_dim);
/// Stores `n` tokens' keys and values (`n` x `kv_heads * head_dim` floats each) at positions
/// `[pos0, pos0 + n)`.
void oct_kv_store(const oct_kv_layer *kv, int pos0, int n, const float *k, const float *v);

/// Causal attention for `n` queries at positions `pos0 .. pos0 + n - 1` (`q`: n x heads x
/// head_dim), each over cached positions `0 ... its own`; query head h reads KV head
/// h / (heads / kv_heads); out has q's shape. Computes the work items `first, first + step,
/// ...` below `oct_attention_items(n, heads)` (interleaved so that threads share the longer
/// causal rows evenly); `scratch` holds `oct_attention_scratch(capacity)` floats.
void oct_attention(const oct_kv_layer *kv, const float *q, int n, int pos0, int heads,
                   float scale, float *out, float *scratch, int first, int step);
/// The number of independent work items of an attention call.
int oct_attention_items(int n, int heads);
/// Floats of scratch one attention worker needs.
size_t oct_attention_scratch(int capacity);

// MARK: - Worker pool

/// A persistent pool of threads that share out the items of one task at a time, the caller
/// being thread 0. Items are taken one by one from a shared counter, so a thread that the OS
/// deschedules (other processes on a busy machine) delays the task by one item, not by its
/// share. Idle workers spin briefly (a decode step issues a task every few microseconds), then
/// sleep on a condition variable.
typedef struct oct_pool oct_pool;
/// Runs item `item` of a task on thread `thread` (< oct_pool_threads: per-thread scratch).
typedef void (*oct_item_fn)(void *ctx, int item, int thread);

/// A pool of `nthreads` threads in all (the caller plus nthreads - 1 workers); NULL on failure.
oct_pool *oct_pool_create(int nthreads);
void oct_pool_destroy(oct_pool *pool);
int oct_pool_threads(const oct_pool *pool);
/// Runs fn(ctx, i, thread) once for every item i < items and returns when all have finished.
void oct_pool_run(oct_pool *pool, oct_item_fn fn, void *ctx, int items);

// MARK: - Parallel forms (split over the pool's threads)

/// outs[i][t * ms[i]->rows + r] = the product of matrix i with activation row t, for `count`
/// matrices of the same `cols` that read the same activations (q, k, v; gate, up), `n` tokens,
/// in one pool task: the matrix-vector kernel when n == 1, the GEMM otherwise.
void oct_par_matmul(oct_pool *pool, int count, const oct_q8_matrix *const *ms,
                    const oct_q8_act *x, int n, float *const *outs);
/// `scratch` holds `oct_pool_threads(pool) * oct_attention_scratch(capacity)` floats.
void oct_par_attention(oct_pool *pool, const oct_kv_layer *kv, const float *q, int n, int pos0,
                       int heads, float scale, float *out, float *scratch);

/// Per row i < n (rows of `dim`): out_i = rmsnorm(x_i) * w, quantized into row i of `act`.
void oct_par_rmsnorm_quantize(oct_pool *pool, const float *x, const float *w, int n, int dim,
                              float eps, float *out, const oct_q8_act *act);
/// Per row: gate_i = silu(gate_i) * up_i, quantized into row i of `act`.
void oct_par_swiglu_quantize(oct_pool *pool, float *gate, const float *up, int n, int dim,
                             const oct_q8_act *act);
/// Per row: x_i quantized into row i of `act`.
void oct_par_quantize(oct_pool *pool, const float *x, int n, int dim, const oct_q8_act *act);
/// Per token i < n at position pos0 + i: RoPE on its queries (`heads` heads) and keys with
/// the angles `cs + i * rot_dim` (see oct_rope_angles), then its keys and values into `kv`.
void oct_par_rope_store(oct_pool *pool, const oct_kv_layer *kv, float *q, float *k, const float *v,
                        int n, int pos0, int heads, int rot_dim, const float *cs);

// MARK: - Diagnostics

/// Bytes malloc has handed out and not taken back (glibc; 0 where unknown): tests use it to
/// check that decoding allocates nothing.
size_t oct_heap_bytes_in_use(void);

#ifdef __cplusplus
}
#endif
#endif
