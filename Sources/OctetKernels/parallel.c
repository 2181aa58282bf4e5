// The kernels split over the worker pool. Matrix products split by tiles of 16 rows (the
// tiles of all matrices of one call form one sequence, cut into equal runs per thread);
// attention splits by work items, interleaved.
#include "kernels_internal.h"

// MARK: - Matrix products

typedef struct {
    int count;
    const oct_q8_matrix *const *ms;
    const oct_q8_act *x;
    int n;
    float *const *outs;
    int total_tiles;
} matmul_task;

static void matmul_run(void *p, int thread, int nthreads) {
    const matmul_task *task = (const matmul_task *)p;
    const int begin = (int)((long)task->total_tiles * thread / nthreads);
    const int end = (int)((long)task->total_tiles * (thread + 1) / nthreads);
    int offset = 0;
    for (int i = 0; i < task->count; i++) {
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
    matmul_task task = {count, ms, x, n, outs, 0};
    for (int i = 0; i < count; i++) task.total_tiles += oct_q8_tiles(ms[i]->rows);
    oct_pool_run(pool, matmul_run, &task);
}

// MARK: - Attention

typedef struct {
    const oct_kv_layer *kv;
    const float *q;
    int n, pos0, heads;
    float scale;
    float *out;
    float *scratch;
} attention_task;

static void attention_run(void *p, int thread, int nthreads) {
    const attention_task *t = (const attention_task *)p;
    float *scratch = t->scratch + (size_t)thread * oct_attention_scratch(t->kv->capacity);
    oct_attention(t->kv, t->q, t->n, t->pos0, t->heads, t->scale, t->out, scratch, thread, nthreads);
}

void oct_par_attention(oct_pool *pool, const oct_kv_layer *kv, const float *q, int n, int pos0,
                       int heads, float scale, float *out, float *scratch) {
    attention_task task = {kv, q, n, pos0, heads, scale, out, scratch};
    oct_pool_run(pool, attention_run, &task);
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

static void rows_run(void *p, int thread, int nthreads) {
    const rows_task *t = (const rows_task *)p;
    rows_range(t, (int)((long)t->n * thread / nthreads), (int)((long)t->n * (thread + 1) / nthreads));
}

static void rows_dispatch(oct_pool *pool, const rows_task *t) {
    if (t->n < OCT_PAR_MIN_ROWS) {
        rows_range(t, 0, t->n);
    } else {
        oct_pool_run(pool, rows_run, (void *)t);
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
