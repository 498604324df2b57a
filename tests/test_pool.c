/* Thread pool: every task runs exactly once, thread indices in range, NULL pool, stress. */

typedef struct pool_probe {
    int *hits;        /* per task */
    int64_t n_tasks;
    int n_threads;
    int bad_thread;   /* thread_index out of range */
    int64_t sum;      /* sum of task indices, atomically */
} pool_probe;

static void pool_probe_fn(void *arg, int64_t task, int thread_index) {
    pool_probe *p = (pool_probe *)arg;
    if (task < 0 || task >= p->n_tasks) {
        __atomic_fetch_add(&p->bad_thread, 1000000, __ATOMIC_RELAXED);
        return;
    }
    if (thread_index < 0 || thread_index >= p->n_threads) __atomic_fetch_add(&p->bad_thread, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&p->hits[task], 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&p->sum, task, __ATOMIC_RELAXED);
}

/* Runs one loop and checks it; returns 1 if fine. */
static int pool_run_check(tfm_pool *pool, int64_t n_tasks, int *hits) {
    pool_probe p;
    int64_t i, want = n_tasks > 0 ? n_tasks * (n_tasks - 1) / 2 : 0;
    int ok = 1;
    memset(&p, 0, sizeof p);
    p.hits = hits;
    p.n_tasks = n_tasks;
    p.n_threads = tfm_pool_threads(pool);
    for (i = 0; i < n_tasks; i++) hits[i] = 0;
    tfm_pool_for(pool, n_tasks, pool_probe_fn, &p);
    for (i = 0; i < n_tasks; i++) ok &= hits[i] == 1;
    return ok && p.bad_thread == 0 && p.sum == want;
}

static void pool_exactly_once(void) {
    int threads, *hits = (int *)malloc(1001 * sizeof(int));
    for (threads = 1; threads <= 4; threads++) {
        tfm_pool *pool = tfm_pool_create(threads);
        int64_t n;
        int bad = 0, rep;
        CHECK(pool != NULL);
        if (!pool) continue;
        CHECK_EQ_I64(tfm_pool_threads(pool), threads);
        for (rep = 0; rep < 3; rep++)
            for (n = 0; n <= 1000; n++)
                if (!pool_run_check(pool, n, hits) && bad++ < 3)
                    CHECKF(0, "%d threads, %lld tasks: a task ran other than once", threads, (long long)n);
        CHECK(bad == 0);
        tfm_pool_free(pool);
    }
    free(hits);
}

static void pool_null(void) {
    int hits[100];
    int64_t n;
    int bad = 0;
    CHECK_EQ_I64(tfm_pool_threads(NULL), 1);
    for (n = 0; n <= 100; n++)
        if (!pool_run_check(NULL, n, hits)) bad++;
    CHECK(bad == 0);
    /* negative counts and NULL functions are no-ops */
    tfm_pool_for(NULL, -5, pool_probe_fn, NULL);
    tfm_pool_for(NULL, 3, NULL, NULL);
    {
        tfm_pool *pool = tfm_pool_create(3);
        tfm_pool_for(pool, -1, pool_probe_fn, NULL);
        tfm_pool_for(pool, 10, NULL, NULL);
        tfm_pool_free(pool);
    }
    tfm_pool_free(NULL);
}

/* Serial order on the NULL pool: tasks run 0, 1, 2, ... on the calling thread. */
typedef struct pool_order {
    int64_t next;
    int ok;
} pool_order;
static void pool_order_fn(void *arg, int64_t task, int thread_index) {
    pool_order *o = (pool_order *)arg;
    if (task != o->next++ || thread_index != 0) o->ok = 0;
}
static void pool_null_serial_order(void) {
    pool_order o = {0, 1};
    tfm_pool *one = tfm_pool_create(1);
    tfm_pool_for(NULL, 50, pool_order_fn, &o);
    CHECK(o.ok && o.next == 50);
    o.next = 0;
    tfm_pool_for(one, 50, pool_order_fn, &o);
    CHECK(o.ok && o.next == 50);
    tfm_pool_free(one);
}

static void pool_stress(void) {
    tt_rng r = {5};
    int threads, *hits = (int *)malloc(200 * sizeof(int));
    double t0 = tt_now();
    for (threads = 2; threads <= 4; threads++) {
        tfm_pool *pool = tfm_pool_create(threads);
        int i, bad = 0;
        for (i = 0; i < 20000; i++) {
            int64_t n = (int64_t)tt_below(&r, 200);
            if (!pool_run_check(pool, n, hits) && bad++ < 3) CHECKF(0, "%d threads, loop %d: wrong", threads, i);
        }
        CHECK(bad == 0);
        tfm_pool_free(pool);
    }
    /* create / free churn, with and without a loop in between */
    {
        int i;
        for (i = 0; i < 200; i++) {
            tfm_pool *pool = tfm_pool_create(1 + i % 4);
            if (i % 2) CHECK(pool_run_check(pool, 1 + i % 37, hits));
            tfm_pool_free(pool);
        }
    }
    free(hits);
    INFO("%.2f s", tt_now() - t0);
}

/* Work that takes a while per task, so that all workers really run concurrently. */
typedef struct pool_heavy {
    double *out;
} pool_heavy;
static void pool_heavy_fn(void *arg, int64_t task, int thread_index) {
    pool_heavy *h = (pool_heavy *)arg;
    double acc = 0;
    int k;
    (void)thread_index;
    for (k = 0; k < 20000; k++) acc += sin((double)(task * 20000 + k));
    h->out[task] = acc;
}
static void pool_results_independent_of_threads(void) {
    double ref[64], got[64];
    pool_heavy h;
    int threads;
    h.out = ref;
    tfm_pool_for(NULL, 64, pool_heavy_fn, &h);
    for (threads = 1; threads <= 4; threads++) {
        tfm_pool *pool = tfm_pool_create(threads);
        memset(got, 0, sizeof got);
        h.out = got;
        tfm_pool_for(pool, 64, pool_heavy_fn, &h);
        CHECKF(memcmp(ref, got, sizeof ref) == 0, "%d threads: results differ", threads);
        tfm_pool_free(pool);
    }
}

static void pool_default_threads(void) {
    tfm_pool *pool;
    char *old = getenv("TFM_NUM_THREADS"), saved[64];
    int had = old != NULL;
    if (had) snprintf(saved, sizeof saved, "%s", old);
    setenv("TFM_NUM_THREADS", "3", 1);
    pool = tfm_pool_create(0);
    CHECK(pool != NULL);
    CHECK_EQ_I64(tfm_pool_threads(pool), 3);
    {
        int hits[40];
        CHECK(pool_run_check(pool, 40, hits));
    }
    tfm_pool_free(pool);
    unsetenv("TFM_NUM_THREADS");
    pool = tfm_pool_create(-1);
    CHECK(pool != NULL);
    CHECK(tfm_pool_threads(pool) >= 1);
    tfm_pool_free(pool);
    if (had) setenv("TFM_NUM_THREADS", saved, 1);
}

/* Two pools used from two threads at once. */
typedef struct pool_pair_arg {
    tfm_pool *pool;
    int ok;
} pool_pair_arg;
static void *pool_pair_thread(void *arg) {
    pool_pair_arg *a = (pool_pair_arg *)arg;
    int *hits = (int *)malloc(300 * sizeof(int));
    int i;
    a->ok = 1;
    for (i = 0; i < 2000; i++) a->ok &= pool_run_check(a->pool, i % 300, hits);
    free(hits);
    return NULL;
}
static void pool_two_pools_concurrently(void) {
    pool_pair_arg a, b;
    pthread_t ta, tb;
    a.pool = tfm_pool_create(2);
    b.pool = tfm_pool_create(3);
    CHECK(pthread_create(&ta, NULL, pool_pair_thread, &a) == 0);
    CHECK(pthread_create(&tb, NULL, pool_pair_thread, &b) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(a.ok && b.ok);
    tfm_pool_free(a.pool);
    tfm_pool_free(b.pool);
}

static const tt_case pool_tests[] = {
    TT(pool_exactly_once),      TT(pool_null),          TT(pool_null_serial_order),
    TT(pool_stress),            TT(pool_results_independent_of_threads),
    TT(pool_default_threads),   TT(pool_two_pools_concurrently),
};
