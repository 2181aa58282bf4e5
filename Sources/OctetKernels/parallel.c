// The kernels split over the worker pool into items that the threads claim one by one.
// Matrix products: runs of tiles of 16 rows (the tiles of all matrices of one call form one
// sequence); attention: its own work items (a head x a block of queries); row-wise ops: runs
// of 8 rows.
#include "kernels_internal.h"

// MARK: - Matrix products

typedef struct {
    int count;
    const oct_q8_matrix *const *ms;
    const oct_q8_act *x;
    int n;
    float *const *outs;
    int total_tiles;
    int tiles_per_item;
} matmul_task;

/// Item `item`: tiles [item * tiles_per_item, ...) of the matrices' tiles in sequence.
static void matmul_item(void *p, int item, int thread) {
    (void)thread;
    const matmul_task *task = (const matmul_task *)p;
    const int begin = item * task->tiles_per_item;
    const int end = begin + task->tiles_per_item < task->total_tiles ? begin + task->tiles_per_item
                                                                     : task->total_tiles;
    int offset = 0;
    for (int i = 0; i < task->count && offset < end; i++) {
        const oct_q8_matrix *m = task->ms[i];
        const int tiles = oct_q8_tiles(m->rows);
        const int t0 = begin > offset ? begin - offset : 0;
        const int t1 = end - offset < tiles ? end - offset : tiles;
        if (t0 < t1) {
            if (task->n == 1) {
                oct_q8_matvec(m, task->x, task->outs[i], t0, t1);
            } else {
                oct_q8_gemm(m, task->x, task->n, task->outs[i], m->rows, t0, t1);
            }
        }
        offset += tiles;
    }
}

void oct_par_matmul(oct_pool *pool, int count, const oct_q8_matrix *const *ms,
                    const oct_q8_act *x, int n, float *const *outs) {
    matmul_task task = {count, ms, x, n, outs, 0, 1};
    for (int i = 0; i < count; i++) task.total_tiles += oct_q8_tiles(ms[i]->rows);
    // About 8 items per thread: small enough to even out, large enough to amortize the claim.
    const int want = 8 * oct_pool_threads(pool);
    task.tiles_per_item = task.total_tiles / want > 1 ? task.total_tiles / want : 1;
    const int items = (task.total_tiles + task.tiles_per_item - 1) / task.tiles_per_item;
    oct_pool_run(pool, matmul_item, &task, items);
}

// MARK: - Attention

typedef struct {
    const oct_kv_layer *kv;
    const float *q;
    int n, pos0, heads, items;
    float scale;
    float *out;
    float *scratch;
} attention_task;

static void attention_item(void *p, int item, int thread) {
    const attention_task *t = (const attention_task *)p;
    float *scratch = t->scratch + (size_t)thread * oct_attention_scratch(t->kv->capacity);
    oct_attention(t->kv, t->q, t->n, t->pos0, t->heads, t->scale, t->out, scratch, item, t->items);
}

void oct_par_attention(oct_pool *pool, const oct_kv_layer *kv, const float *q, int n, int pos0,
                       int heads, float scale, float *out, float *scratch) {
    const int items = oct_attention_items(n, heads);
    attention_task task = {kv, q, n, pos0, heads, items, scale, out, scratch};
    oct_pool_run(pool, attention_item, &task, items);
}

// MARK: - Row-wise ops of a batch

/// Below this many rows the ops run on the caller: a pool round trip costs more than them.
#define OCT_PAR_MIN_ROWS 4

typedef enum { ROW_NORM_QUANT, ROW_SWIGLU_QUANT, ROW_QUANT, ROW_ROPE_STORE } row_op;

typedef struct {
    row_op op;
    int n, dim;
    float *x;          // norm: input; swiglu: gate (in/out); quant: input; rope: q
    const float *w;    // norm: weight; swiglu: up
    float eps;
    float *out;        // norm: output
    const oct_q8_act *act;
    // RoPE and cache store
    float *k;
    const float *v;
    int pos0, heads, rot_dim;
    const float *cs;
    const oct_kv_layer *kv;
} rows_task;

static void rows_range(const rows_task *t, int i0, int i1) {
    const size_t dim = (size_t)t->dim, nb = dim / OCT_BLOCK;
    for (int i = i0; i < i1; i++) {
        const oct_q8_act a = t->act ? (oct_q8_act){t->act->qs + i * dim, t->act->scales + i * nb,
                                                   t->act->corr + i * nb}
                                    : (oct_q8_act){0, 0, 0};
        switch (t->op) {
        case ROW_NORM_QUANT:
            oct_rmsnorm(t->out + i * dim, t->x + i * dim, t->w, t->dim, t->eps);
            oct_quantize_act(t->out + i * dim, dim, &a);
            break;
        case ROW_SWIGLU_QUANT:
            oct_swiglu(t->x + i * dim, t->x + i * dim, t->w + i * dim, t->dim);
            oct_quantize_act(t->x + i * dim, dim, &a);
            break;
        case ROW_QUANT:
            oct_quantize_act(t->x + i * dim, dim, &a);
            break;
        case ROW_ROPE_STORE: {
            const int hd = t->kv->head_dim, kvdim = t->kv->kv_heads * hd;
            const float *cs = t->cs + (size_t)i * t->rot_dim;
            oct_rope(t->x + (size_t)i * t->heads * hd, t->heads, hd, t->rot_dim, cs);
            oct_rope(t->k + (size_t)i * kvdim, t->kv->kv_heads, hd, t->rot_dim, cs);
            oct_kv_store(t->kv, t->pos0 + i, 1, t->k + (size_t)i * kvdim, t->v + (size_t)i * kvdim);
            break;
        }
        }
    }
}

/// Rows per item of a row-wise task.
#define OCT_ROWS_PER_ITEM 8

static void rows_item(void *p, int item, int thread) {
    (void)thread;
    const rows_task *t = (const rows_task *)p;
    const int i0 = item * OCT_ROWS_PER_ITEM;
    rows_range(t, i0, i0 + OCT_ROWS_PER_ITEM < t->n ? i0 + OCT_ROWS_PER_ITEM : t->n);
}

static void rows_dispatch(oct_pool *pool, const rows_task *t) {
    if (t->n < OCT_PAR_MIN_ROWS) {
        rows_range(t, 0, t->n);
    } else {
        oct_pool_run(pool, rows_item, (void *)t, (t->n + OCT_ROWS_PER_ITEM - 1) / OCT_ROWS_PER_ITEM);
    }
}

void oct_par_rmsnorm_quantize(oct_pool *pool, const float *x, const float *w, int n, int dim,
                              float eps, float *out, const oct_q8_act *act) {
    const rows_task t = {.op = ROW_NORM_QUANT, .n = n, .dim = dim, .x = (float *)x, .w = w,
                         .eps = eps, .out = out, .act = act};
    rows_dispatch(pool, &t);
}

void oct_par_swiglu_quantize(oct_pool *pool, float *gate, const float *up, int n, int dim,
                             const oct_q8_act *act) {
    const rows_task t = {.op = ROW_SWIGLU_QUANT, .n = n, .dim = dim, .x = gate, .w = up, .act = act};
    rows_dispatch(pool, &t);
}

void oct_par_quantize(oct_pool *pool, const float *x, int n, int dim, const oct_q8_act *act) {
    const rows_task t = {.op = ROW_QUANT, .n = n, .dim = dim, .x = (float *)x, .act = act};
    rows_dispatch(pool, &t);
}

void oct_par_rope_store(oct_pool *pool, const oct_kv_layer *kv, float *q, float *k, const float *v,
                        int n, int pos0, int heads, int rot_dim, const float *cs) {
    const rows_task t = {.op = ROW_ROPE_STORE, .n = n, .x = q, .k = k, .v = v, .pos0 = pos0,
                         .heads = heads, .rot_dim = rot_dim, .cs = cs, .kv = kv};
    rows_dispatch(pool, &t);
}
