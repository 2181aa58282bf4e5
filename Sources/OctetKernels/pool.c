// A persistent worker pool. A decode step runs ~150 short tasks (a few to tens of
// microseconds each), so waking sleeping threads through the kernel for every task would
// cost more than the task; idle workers therefore spin on a generation counter for a while
// (OCT_SPIN_NS) before they sleep on a condition variable. Measured on 2 cores: 1.7-1.9x
// over one thread, where DispatchQueue.concurrentPerform gave nothing.
//
// Items are claimed from `work` = (generation, item count, next item) in one 64-bit word by
// compare-and-swap. The count must be in the same word: read from a separate atomic, a late
// worker could see the next task's (larger) count while `work` still held the finished task's
// last value, and claim an item past that task's end with the next task's context, before the
// next task was published (ThreadSanitizer found it). A claim is valid for the generation in
// the word it succeeded on, and the function and context are read after it. The caller waits
// for the items to be done, never for a thread to show up.
#include "kernels_internal.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

/// How long an idle worker spins before it sleeps: longer than the gap between two tasks of
/// a decode step and between two tokens (sampling), short enough not to steal a core for
/// long from other processes.
#define OCT_SPIN_NS 2000000L

struct oct_pool {
    int nthreads;
    pthread_t *threads;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    // The task being run: published before `work` and `generation` are bumped (atomics
    // because a late worker may read them while the next task is being published).
    _Atomic(oct_item_fn) fn;
    _Atomic(void *) ctx;
    _Atomic uint64_t work;       // generation, item count, next unclaimed item (see pack_work)
    _Atomic int done;            // items finished in the current task
    _Atomic uint32_t generation; // bumped once per task, to wake the workers
    _Atomic int sleepers;        // workers waiting (or about to wait) on `wake`
    _Atomic int stop;
};

typedef struct {
    oct_pool *pool;
    int index;
} worker_arg;

static inline void cpu_relax(void) {
#if OCT_X86
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/// Pauses in a spin loop; after the first rounds (~10 us) it yields the core instead, so that
/// when other processes (or more threads than cores) compete for the cores, the thread being
/// waited for gets to run. On an idle core sched_yield returns at once.
static inline void spin_pause(int round) {
    if (round < 200) {
        cpu_relax();
    } else {
        sched_yield();
    }
}

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

// MARK: - Claiming items

// `work`: 24 bits of generation (it wraps after 16.7M tasks, minutes of decoding, far longer
// than a worker holds a value between its load and its compare-and-swap), 20 bits of item
// count, 20 bits of next item.
#define OCT_WORK_BITS 20
#define OCT_WORK_MAX_ITEMS ((1 << OCT_WORK_BITS) - 1)
#define OCT_GEN_MASK 0xffffffu

static inline uint64_t pack_work(uint32_t gen, uint32_t items, uint32_t next) {
    return ((uint64_t)(gen & OCT_GEN_MASK) << (2 * OCT_WORK_BITS)) | ((uint64_t)items << OCT_WORK_BITS) | next;
}
static inline uint32_t work_gen(uint64_t w) { return (uint32_t)(w >> (2 * OCT_WORK_BITS)); }
static inline uint32_t work_items(uint64_t w) { return (uint32_t)(w >> OCT_WORK_BITS) & OCT_WORK_MAX_ITEMS; }
static inline uint32_t work_next(uint64_t w) { return (uint32_t)w & OCT_WORK_MAX_ITEMS; }

/// Runs items of the task of generation `gen` until none is left (or the task is another's).
static void run_items(oct_pool *pool, uint32_t gen, int thread) {
    for (;;) {
        uint64_t w = atomic_load_explicit(&pool->work, memory_order_acquire);
        if (work_gen(w) != (gen & OCT_GEN_MASK)) return;
        const uint32_t item = work_next(w);
        if (item >= work_items(w)) return;
        if (!atomic_compare_exchange_weak_explicit(&pool->work, &w, w + 1, memory_order_acq_rel,
                                                   memory_order_acquire)) {
            continue;
        }
        // The claim synchronizes with the task's publication, and the task cannot end before
        // this item is done: these are the task's function and context.
        const oct_item_fn fn = atomic_load_explicit(&pool->fn, memory_order_relaxed);
        void *ctx = atomic_load_explicit(&pool->ctx, memory_order_relaxed);
        fn(ctx, (int)item, thread);
        atomic_fetch_add_explicit(&pool->done, 1, memory_order_release);
    }
}

// MARK: - Workers

/// Waits until `generation` differs from `seen` (or stop), spinning first. Returns the new one.
static uint32_t wait_for_task(oct_pool *pool, uint32_t seen) {
    const long deadline = now_ns() + OCT_SPIN_NS;
    for (int i = 0;; i++) {
        const uint32_t g = atomic_load_explicit(&pool->generation, memory_order_acquire);
        if (g != seen || atomic_load(&pool->stop)) return g;
        spin_pause(i);
        if ((i & 255) == 255 && now_ns() > deadline) break;
    }
    pthread_mutex_lock(&pool->mutex);
    atomic_fetch_add(&pool->sleepers, 1);
    uint32_t g;
    while ((g = atomic_load(&pool->generation)) == seen && !atomic_load(&pool->stop)) {
        pthread_cond_wait(&pool->wake, &pool->mutex);
    }
    atomic_fetch_sub(&pool->sleepers, 1);
    pthread_mutex_unlock(&pool->mutex);
    return g;
}

static void *worker_main(void *p) {
    worker_arg arg = *(worker_arg *)p;
    free(p);
    oct_pool *pool = arg.pool;
    uint32_t seen = 0;
    for (;;) {
        seen = wait_for_task(pool, seen);
        if (atomic_load(&pool->stop)) break;
        run_items(pool, seen, arg.index);
    }
    return NULL;
}

// MARK: - Pool

oct_pool *oct_pool_create(int nthreads) {
    if (nthreads < 1) nthreads = 1;
    oct_pool *pool = calloc(1, sizeof(oct_pool));
    if (!pool) return NULL;
    pool->nthreads = nthreads;
    pool->threads = calloc((size_t)nthreads, sizeof(pthread_t));
    pthread_mutex_init(&pool->mutex, NULL);
    pthread_cond_init(&pool->wake, NULL);
    for (int i = 1; i < nthreads; i++) {
        worker_arg *arg = malloc(sizeof(worker_arg));
        if (!arg) { pool->nthreads = i; break; }
        arg->pool = pool;
        arg->index = i;
        if (pthread_create(&pool->threads[i], NULL, worker_main, arg) != 0) {
            free(arg);
            pool->nthreads = i;
            break;
        }
    }
    return pool;
}

void oct_pool_destroy(oct_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->mutex);
    atomic_store(&pool->stop, 1);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    for (int i = 1; i < pool->nthreads; i++) pthread_join(pool->threads[i], NULL);
    pthread_mutex_destroy(&pool->mutex);
    pthread_cond_destroy(&pool->wake);
    free(pool->threads);
    free(pool);
}

int oct_pool_threads(const oct_pool *pool) { return pool ? pool->nthreads : 1; }

/// A task of more items than `work` counts runs as consecutive tasks of at most that many.
typedef struct {
    oct_item_fn fn;
    void *ctx;
    int offset;
} offset_task;

static void offset_item(void *p, int item, int thread) {
    const offset_task *t = p;
    t->fn(t->ctx, t->offset + item, thread);
}

void oct_pool_run(oct_pool *pool, oct_item_fn fn, void *ctx, int items) {
    if (!pool || pool->nthreads == 1 || items <= 1) {
        for (int i = 0; i < items; i++) fn(ctx, i, 0);
        return;
    }
    if (items > OCT_WORK_MAX_ITEMS) {
        for (int offset = 0; offset < items; offset += OCT_WORK_MAX_ITEMS) {
            offset_task t = {fn, ctx, offset};
            const int n = items - offset < OCT_WORK_MAX_ITEMS ? items - offset : OCT_WORK_MAX_ITEMS;
            oct_pool_run(pool, offset_item, &t, n);
        }
        return;
    }
    const uint32_t gen = atomic_load_explicit(&pool->generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&pool->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&pool->ctx, ctx, memory_order_relaxed);
    atomic_store_explicit(&pool->done, 0, memory_order_relaxed);
    atomic_store_explicit(&pool->work, pack_work(gen, (uint32_t)items, 0), memory_order_release);
    atomic_store(&pool->generation, gen);  // seq_cst: ordered before the sleepers check
    if (atomic_load(&pool->sleepers) > 0) {
        pthread_mutex_lock(&pool->mutex);
        pthread_cond_broadcast(&pool->wake);
        pthread_mutex_unlock(&pool->mutex);
    }
    run_items(pool, gen, 0);
    for (int i = 0; atomic_load_explicit(&pool->done, memory_order_acquire) < items; i++) spin_pause(i);
}
