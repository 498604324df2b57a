/* tfm bench gemm - GEMM throughput of each kernel family against the measured FMA peak and
   OpenBLAS. Included by tools/tfm.c after the transformers.h implementation (no main here).

     tfm bench gemm [--threads N] [--reps R] [--blocks B] [--isa LIST] [--dtype LIST] [--no-openblas] [--json]

   Shapes: the three BERT-base linear layers at M=128 (B as nn.Linear weights, trans_b=1) and
   1024^3 (B as [K,N]). Times are medians of R calls per column (default 40), made in B blocks
   (default 5) in which the columns take turns, each block after 50 ms of warm-up calls. The FMA
   peak is a tight loop of independent FMA chains in each ISA's target-attributed code, run on every
   thread of the same pool at once, sampled before every column of every block; a row's % is
   against the median of its samples. OpenBLAS (libopenblas.so.0, libopenblas.so or libblas.so.3)
   is loaded at run time when present, with openblas_set_num_threads(N). */
#if !defined(_WIN32)
#include <dlfcn.h>
#endif
#include "bench_common.c"
#if !defined(_WIN32) && !defined(__cplusplus)
extern int setenv(const char *name, const char *value, int overwrite); /* POSIX; hidden by strict -std=c99 */
extern int usleep(unsigned int usec);
#endif

/* Lets the other library's spinning workers (OpenBLAS spins ~0.1 s after a call) go to sleep, so
   the next measurement does not share the cores with them. */
static void tfm__bench_settle(void) {
#if !defined(_WIN32)
    usleep(300000);
#endif
}

/* 1 if `name` is an item of the comma-separated `list`. */
static int tfm__bench_in_list(const char *list, const char *name) {
    size_t n = strlen(name);
    while (*list) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        if (len == n && strncmp(list, name, n) == 0) return 1;
        if (!end) break;
        list = end + 1;
    }
    return 0;
}

/* ---- FMA peak: independent chains, one task per thread ------------------------------------- */

typedef struct tfm__peak_job {
    int64_t iters;
    tfm_isa isa;
    float sink[64];
    int ran_by[64]; /* thread that ran each task: a run counts only if every thread ran one */
} tfm__peak_job;

#if defined(TFM__X86_SIMD)
__attribute__((target("avx2,fma"))) static float tfm__peak_avx2(int64_t iters) {
    __m256 x = _mm256_set1_ps(0.999999f), y = _mm256_set1_ps(1e-7f);
    /* distinct starting values so the compiler cannot merge identical chains */
    __m256 a0 = _mm256_set1_ps(1.0f), a1 = _mm256_set1_ps(1.001f), a2 = _mm256_set1_ps(1.002f);
    __m256 a3 = _mm256_set1_ps(1.003f), a4 = _mm256_set1_ps(1.004f), a5 = _mm256_set1_ps(1.005f);
    __m256 a6 = _mm256_set1_ps(1.006f), a7 = _mm256_set1_ps(1.007f), a8 = _mm256_set1_ps(1.008f);
    __m256 a9 = _mm256_set1_ps(1.009f), a10 = _mm256_set1_ps(1.010f), a11 = _mm256_set1_ps(1.011f);
    int64_t i;
    for (i = 0; i < iters; i++) {
        a0 = _mm256_fmadd_ps(a0, x, y); a1 = _mm256_fmadd_ps(a1, x, y); a2 = _mm256_fmadd_ps(a2, x, y);
        a3 = _mm256_fmadd_ps(a3, x, y); a4 = _mm256_fmadd_ps(a4, x, y); a5 = _mm256_fmadd_ps(a5, x, y);
        a6 = _mm256_fmadd_ps(a6, x, y); a7 = _mm256_fmadd_ps(a7, x, y); a8 = _mm256_fmadd_ps(a8, x, y);
        a9 = _mm256_fmadd_ps(a9, x, y); a10 = _mm256_fmadd_ps(a10, x, y); a11 = _mm256_fmadd_ps(a11, x, y);
        __asm__ __volatile__("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5), "+x"(a6), "+x"(a7),
                             "+x"(a8), "+x"(a9), "+x"(a10), "+x"(a11)); /* opaque: every chain stays */
    }
    a0 = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)),
                       _mm256_add_ps(_mm256_add_ps(a4, a5), _mm256_add_ps(a6, a7)));
    a0 = _mm256_add_ps(a0, _mm256_add_ps(_mm256_add_ps(a8, a9), _mm256_add_ps(a10, a11)));
    return _mm256_cvtss_f32(a0);
}
#if defined(TFM__AVX512)
__attribute__((target("avx512f,avx2,fma"))) static float tfm__peak_avx512(int64_t iters) {
    __m512 x = _mm512_set1_ps(0.999999f), y = _mm512_set1_ps(1e-7f);
    __m512 a0 = _mm512_set1_ps(1.0f), a1 = _mm512_set1_ps(1.001f), a2 = _mm512_set1_ps(1.002f);
    __m512 a3 = _mm512_set1_ps(1.003f), a4 = _mm512_set1_ps(1.004f), a5 = _mm512_set1_ps(1.005f);
    __m512 a6 = _mm512_set1_ps(1.006f), a7 = _mm512_set1_ps(1.007f), a8 = _mm512_set1_ps(1.008f);
    __m512 a9 = _mm512_set1_ps(1.009f), a10 = _mm512_set1_ps(1.010f), a11 = _mm512_set1_ps(1.011f);
    __m512 a12 = _mm512_set1_ps(1.012f), a13 = _mm512_set1_ps(1.013f), a14 = _mm512_set1_ps(1.014f);
    __m512 a15 = _mm512_set1_ps(1.015f);
    int64_t i;
    for (i = 0; i < iters; i++) {
        a0 = _mm512_fmadd_ps(a0, x, y); a1 = _mm512_fmadd_ps(a1, x, y); a2 = _mm512_fmadd_ps(a2, x, y);
        a3 = _mm512_fmadd_ps(a3, x, y); a4 = _mm512_fmadd_ps(a4, x, y); a5 = _mm512_fmadd_ps(a5, x, y);
        a6 = _mm512_fmadd_ps(a6, x, y); a7 = _mm512_fmadd_ps(a7, x, y); a8 = _mm512_fmadd_ps(a8, x, y);
        a9 = _mm512_fmadd_ps(a9, x, y); a10 = _mm512_fmadd_ps(a10, x, y); a11 = _mm512_fmadd_ps(a11, x, y);
        a12 = _mm512_fmadd_ps(a12, x, y); a13 = _mm512_fmadd_ps(a13, x, y); a14 = _mm512_fmadd_ps(a14, x, y);
        a15 = _mm512_fmadd_ps(a15, x, y);
        __asm__ __volatile__("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7));
        __asm__ __volatile__("" : "+v"(a8), "+v"(a9), "+v"(a10), "+v"(a11), "+v"(a12), "+v"(a13), "+v"(a14), "+v"(a15));
    }
    a0 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)),
                       _mm512_add_ps(_mm512_add_ps(a4, a5), _mm512_add_ps(a6, a7)));
    a8 = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(a8, a9), _mm512_add_ps(a10, a11)),
                       _mm512_add_ps(_mm512_add_ps(a12, a13), _mm512_add_ps(a14, a15)));
    return _mm512_cvtss_f32(_mm512_add_ps(a0, a8));
}
#endif
#endif
#if defined(TFM__NEON)
static float tfm__peak_neon(int64_t iters) {
    float32x4_t x = vdupq_n_f32(0.999999f), y = vdupq_n_f32(1e-7f), a[16];
    int64_t i;
    int j;
    for (j = 0; j < 16; j++) a[j] = vdupq_n_f32(1.0f + 0.001f * (float)j); /* distinct: no merged chains */
    for (i = 0; i < iters; i++) {
        a[0] = vfmaq_f32(y, a[0], x); a[1] = vfmaq_f32(y, a[1], x); a[2] = vfmaq_f32(y, a[2], x);
        a[3] = vfmaq_f32(y, a[3], x); a[4] = vfmaq_f32(y, a[4], x); a[5] = vfmaq_f32(y, a[5], x);
        a[6] = vfmaq_f32(y, a[6], x); a[7] = vfmaq_f32(y, a[7], x); a[8] = vfmaq_f32(y, a[8], x);
        a[9] = vfmaq_f32(y, a[9], x); a[10] = vfmaq_f32(y, a[10], x); a[11] = vfmaq_f32(y, a[11], x);
        a[12] = vfmaq_f32(y, a[12], x); a[13] = vfmaq_f32(y, a[13], x); a[14] = vfmaq_f32(y, a[14], x);
        a[15] = vfmaq_f32(y, a[15], x);
    }
    for (j = 1; j < 16; j++) a[0] = vaddq_f32(a[0], a[j]);
    return vgetq_lane_f32(a[0], 0);
}
#endif

/* flops of one call of the peak loop per iteration */
static double tfm__peak_flops_per_iter(tfm_isa isa) {
    switch (isa) {
    case TFM_ISA_AVX2: return 12.0 * 8 * 2;
    case TFM_ISA_AVX512: return 16.0 * 16 * 2;
    case TFM_ISA_NEON: return 16.0 * 4 * 2;
    default: return 0;
    }
}

static void tfm__peak_task(void *arg, int64_t task, int thread_index) {
    tfm__peak_job *j = (tfm__peak_job *)arg;
    float r = 0;
#if defined(TFM__X86_SIMD)
    if (j->isa == TFM_ISA_AVX2) r = tfm__peak_avx2(j->iters);
#if defined(TFM__AVX512)
    if (j->isa == TFM_ISA_AVX512) r = tfm__peak_avx512(j->iters);
#endif
#endif
#if defined(TFM__NEON)
    if (j->isa == TFM_ISA_NEON) r = tfm__peak_neon(j->iters);
#endif
    j->sink[task & 63] = r;
    j->ran_by[task & 63] = thread_index;
}

static int tfm__peak_all_threads(const tfm__peak_job *j, int threads) {
    int seen[64] = {0}, t, n = 0;
    if (threads > 64) return 1;
    for (t = 0; t < threads; t++)
        if (!seen[j->ran_by[t] & 63]++) n++;
    return n == threads;
}

/* Loop iterations that take about `seconds` on every thread of the pool at once. */
static int64_t tfm__bench_peak_iters(tfm_pool *pool, tfm_isa isa, double seconds) {
    tfm__peak_job j;
    double t;
    int threads = tfm_pool_threads(pool);
    memset(&j, 0, sizeof j);
    j.isa = isa;
    j.iters = 100000;
    for (;;) {
        t = tfm__bench_now();
        tfm_pool_for(pool, threads, tfm__peak_task, &j);
        t = tfm__bench_now() - t;
        if (t > seconds / 2 || j.iters > ((int64_t)1 << 40)) break;
        j.iters *= 4;
    }
    return t > 0 ? (int64_t)((double)j.iters * seconds / t) + 1 : j.iters;
}

/* GFLOP/s of all threads together: the best of `runs` runs of `iters` iterations (0 if no run
   had every thread take part). */
static double tfm__bench_peak_sample(tfm_pool *pool, tfm_isa isa, int64_t iters, int runs) {
    tfm__peak_job j;
    double fpi = tfm__peak_flops_per_iter(isa), best = 0;
    int threads = tfm_pool_threads(pool), run;
    if (fpi == 0) return 0;
    memset(&j, 0, sizeof j);
    j.isa = isa;
    j.iters = iters;
    for (run = 0; run < runs; run++) {
        double t = tfm__bench_now(), g;
        tfm_pool_for(pool, threads, tfm__peak_task, &j);
        t = tfm__bench_now() - t;
        g = fpi * (double)j.iters * threads / t * 1e-9;
        if (g > best && tfm__peak_all_threads(&j, threads)) best = g;
    }
    return best;
}

/* GFLOP/s of all threads together: best of 5 runs of ~0.1 s. */
static double tfm__bench_peak(tfm_pool *pool, tfm_isa isa) {
    double best = 0;
    int64_t iters;
    int tries;
    if (tfm__peak_flops_per_iter(isa) == 0) return 0;
    iters = tfm__bench_peak_iters(pool, isa, 0.1);
    for (tries = 0; tries < 4 && best == 0; tries++) best = tfm__bench_peak_sample(pool, isa, iters, 5);
    return best;
}

/* ---- OpenBLAS through dlopen ---------------------------------------------------------------- */

typedef void (*tfm__cblas_sgemm_fn)(int order, int transa, int transb, int m, int n, int k, float alpha,
                                    const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*tfm__blas_set_threads_fn)(int n);
typedef char *(*tfm__blas_corename_fn)(void);

typedef struct tfm__blas {
    void *handle;
    const char *lib;
    tfm__cblas_sgemm_fn sgemm;
    tfm__blas_set_threads_fn set_threads;
    tfm__blas_corename_fn corename;
    int coretype_set; /* we set OPENBLAS_CORETYPE */
} tfm__blas;

static void tfm__blas_open(tfm__blas *b) {
#if !defined(_WIN32)
    static const char *const libs[] = {"libopenblas.so.0", "libopenblas.so", "libblas.so.3"};
    size_t i;
    memset(b, 0, sizeof *b);
    /* Debian's OpenBLAS 0.3.21 does not know recent Xeons and falls back to its SSE3 kernel; pick the
       AVX-512 one as a tuned user would (an explicit OPENBLAS_CORETYPE is respected). */
    if (!getenv("OPENBLAS_CORETYPE") && tfm_isa_available(TFM_ISA_AVX512)) {
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 0);
        b->coretype_set = 1;
    }
    for (i = 0; i < sizeof libs / sizeof libs[0] && !b->handle; i++) {
        b->handle = dlopen(libs[i], RTLD_NOW | RTLD_LOCAL);
        if (b->handle) b->lib = libs[i];
    }
    if (!b->handle) return;
    {
        void *s = dlsym(b->handle, "cblas_sgemm");
        memcpy(&b->sgemm, &s, sizeof s);
        s = dlsym(b->handle, "openblas_set_num_threads");
        memcpy(&b->set_threads, &s, sizeof s);
        s = dlsym(b->handle, "openblas_get_corename");
        memcpy(&b->corename, &s, sizeof s);
    }
    if (!b->sgemm) {
        dlclose(b->handle);
        memset(b, 0, sizeof *b);
    }
#else
    memset(b, 0, sizeof *b);
#endif
}

/* ---- the benchmark -------------------------------------------------------------------------- */

typedef struct tfm__bench_shape {
    int64_t M, K, N;
    int trans_b;
} tfm__bench_shape;

static int tfm_cli_bench_gemm(int argc, char **argv) {
    static const tfm__bench_shape shapes[] = {
        {128, 768, 768, 1}, {128, 768, 3072, 1}, {128, 3072, 768, 1}, {1024, 1024, 1024, 0}};
    const int n_shapes = (int)(sizeof shapes / sizeof shapes[0]);
    int threads = 0, reps = 40, blocks = 5, json = 0, no_blas = 0, i, n_isa = 0, n_dt = 0, s, d, k, first = 1;
    tfm_isa isas[8];
    tfm_dtype dts[3];
    double peak[8], all_peaks[8][64], best_peak;
    int64_t peak_iters[8];
    int n_all = 0;
    const char *isa_list = NULL, *dt_list = "f32";
    tfm_pool *pool;
    tfm__blas blas;
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(a, "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(a, "--blocks") == 0 && i + 1 < argc) blocks = atoi(argv[++i]);
        else if (strcmp(a, "--isa") == 0 && i + 1 < argc) isa_list = argv[++i];
        else if (strcmp(a, "--dtype") == 0 && i + 1 < argc) dt_list = argv[++i];
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--no-openblas") == 0) no_blas = 1;
        else {
            fprintf(stderr, "tfm bench gemm: unknown argument '%s'\n"
                            "usage: tfm bench gemm [--threads N] [--reps R] [--blocks B] [--isa LIST] [--dtype LIST]\n"
                            "                      [--no-openblas] [--json]\n"
                            "  LIST: comma-separated; ISAs scalar,avx2,avx512,neon (default: all available);\n"
                            "  dtypes of B f32,f16,bf16 (default f32)\n",
                    a);
            return 2;
        }
    }
    if (reps < 1) reps = 1;
    if (blocks < 1) blocks = 1;
    if (blocks > reps) blocks = reps;
    if (blocks > 64) blocks = 64;
    for (k = TFM_ISA_SCALAR; k <= TFM_ISA_NEON; k++) {
        const char *name = tfm_isa_name((tfm_isa)k);
        int want = 1;
        if (isa_list) {
            want = tfm__bench_in_list(isa_list, name);
            if (want && !tfm_isa_available((tfm_isa)k)) {
                fprintf(stderr, "tfm bench gemm: %s is not available on this CPU/build, skipped\n", name);
                want = 0;
            }
        }
        if (want && tfm_isa_available((tfm_isa)k)) isas[n_isa++] = (tfm_isa)k;
    }
    if (tfm__bench_in_list(dt_list, "f32")) dts[n_dt++] = TFM_F32;
    if (tfm__bench_in_list(dt_list, "f16")) dts[n_dt++] = TFM_F16;
    if (tfm__bench_in_list(dt_list, "bf16")) dts[n_dt++] = TFM_BF16;
    if (!n_isa || !n_dt) {
        fprintf(stderr, "tfm bench gemm: nothing to run (check --isa / --dtype)\n");
        return 2;
    }
    pool = tfm_pool_create(threads);
    if (!pool) return cli_fail("thread pool");
    threads = tfm_pool_threads(pool);
    if (no_blas) memset(&blas, 0, sizeof blas);
    else tfm__blas_open(&blas);
    if (blas.set_threads) blas.set_threads(threads);

    for (k = 0; k < n_isa; k++)
        peak_iters[k] = tfm__peak_flops_per_iter(isas[k]) > 0 ? tfm__bench_peak_iters(pool, isas[k], 0.01) : 0;
    if (json) {
        printf("{\"threads\": %d, \"reps\": %d, \"blocks\": %d, \"openblas\": ", threads, reps, blocks);
        if (blas.sgemm) {
            printf("{\"library\": \"%s\", \"core\": \"%s\"}", blas.lib, blas.corename ? blas.corename() : "?");
        } else {
            printf("null");
        }
        printf(", \"results\": [");
    } else {
        printf("tfm bench gemm: %d thread%s, median of %d calls in %d interleaved blocks, GFLOP/s (%% of the ISA's "
               "FMA peak,\nsampled on all threads before every column of every block: the median of the row's samples)\n",
               threads, threads == 1 ? "" : "s", reps, blocks);
        if (blas.sgemm)
            printf("OpenBLAS: %s, core %s%s, %d thread%s (%% of the best ISA's peak)\n", blas.lib,
                   blas.corename ? blas.corename() : "?", blas.coretype_set ? " (OPENBLAS_CORETYPE=SkylakeX set)" : "",
                   threads, threads == 1 ? "" : "s");
        else
            printf("OpenBLAS: not found (apt-get install libopenblas0-pthread)\n");
        printf("\n%-30s", "shape");
        for (k = 0; k < n_isa; k++) printf("  %16s", tfm_isa_name(isas[k]));
        if (blas.sgemm) printf("  %16s", "OpenBLAS");
        printf("\n");
    }
    first = 1;
    for (s = 0; s < n_shapes; s++) {
        const tfm__bench_shape *sh = &shapes[s];
        size_t na = (size_t)(sh->M * sh->K), nb = (size_t)(sh->K * sh->N), nc = (size_t)(sh->M * sh->N), q;
        float *A = (float *)tfm__aligned_alloc(na * sizeof(float)), *Bf = (float *)tfm__aligned_alloc(nb * sizeof(float));
        uint16_t *Bh = (uint16_t *)tfm__aligned_alloc(nb * sizeof(uint16_t));
        float *C = (float *)tfm__aligned_alloc(nc * sizeof(float));
        double flops = 2.0 * (double)sh->M * (double)sh->N * (double)sh->K;
        if (!A || !Bf || !Bh || !C) {
            fprintf(stderr, "tfm bench gemm: out of memory\n");
            return 1;
        }
        for (q = 0; q < na; q++) A[q] = (float)((q * 2654435761u) % 2001) / 1000.0f - 1.0f;
        for (q = 0; q < nb; q++) Bf[q] = (float)((q * 40503u + 7) % 2001) / 1000.0f - 1.0f;
        for (d = 0; d < n_dt; d++) {
            const void *B = Bf;
            char label[64];
            /* columns: each ISA, then OpenBLAS (f32 only), then the best ISA with B packed once */
            int n_col = n_isa + 2, col, blk, ok = 1, n_samp[8] = {0};
            double *times[10], samples[8][64];
            int count[10];
            tfm_packed_b *pb = NULL;
            tfm_ctx pctx;
            if (dts[d] != TFM_F32) {
                tfm_convert_from_f32(Bf, dts[d], Bh, nb);
                B = Bh;
            }
            memset(&pctx, 0, sizeof pctx);
            pctx.pool = pool;
            pctx.isa = isas[n_isa - 1];
            if (isas[n_isa - 1] == TFM_ISA_SCALAR ||
                tfm_gemm_pack_b(&pctx, sh->trans_b, sh->N, sh->K, dts[d], B, sh->trans_b ? sh->K : sh->N, &pb) != TFM_OK)
                pb = NULL;
            for (col = 0; col < n_col; col++) {
                times[col] = (double *)malloc((size_t)(reps + 1) * sizeof(double));
                count[col] = 0;
                if (!times[col]) ok = 0;
            }
            /* Blocks of calls per column, the columns taking turns, so that a slow spell of the
               shared machine lands on every column alike rather than on whichever ran then. */
            for (blk = 0; ok && blk < blocks; blk++) {
                for (col = 0; ok && col < n_col; col++) {
                    tfm_ctx ctx;
                    int want = reps / blocks + (blk < reps % blocks), r;
                    double warm_until;
                    const tfm__blas *bl = col == n_isa ? &blas : NULL;
                    if (col == n_isa && (!blas.sgemm || dts[d] != TFM_F32)) continue;
                    if (col == n_isa + 1 && !pb) continue;
                    if (col < n_isa && isas[col] == TFM_ISA_SCALAR) { /* slow: a few calls, once */
                        if (blk > 0) continue;
                        want = reps < 3 ? reps : 3;
                    }
                    memset(&ctx, 0, sizeof ctx);
                    ctx.pool = pool;
                    ctx.isa = col < n_isa ? isas[col] : col == n_isa + 1 ? isas[n_isa - 1] : TFM_ISA_AUTO;
                    if (blas.sgemm) tfm__bench_settle();
                    /* The FMA peak is sampled here too, before each column (that of the column's ISA,
                       the best one for OpenBLAS), so a busy neighbour or a clock change weighs on
                       peak and GEMM alike. */
                    k = col < n_isa ? col : n_isa - 1;
                    if (peak_iters[k] && n_samp[k] < 64) {
                        double g;
                        warm_until = tfm__bench_now() + 0.05;
                        while (tfm__bench_now() < warm_until) tfm__bench_peak_sample(pool, isas[k], peak_iters[k], 1);
                        g = tfm__bench_peak_sample(pool, isas[k], peak_iters[k], 3);
                        if (g > 0) samples[k][n_samp[k]++] = g;
                    }
                    /* r < 0: warm-up calls, for at least 50 ms: cores idle during the pause above come
                       back slowly (seen as halved speed for a few ms on VMs), whichever column is next */
                    warm_until = tfm__bench_now() + 0.05;
                    for (r = -1; ok && r < want; r++) {
                        double t0 = tfm__bench_now();
                        if (bl)
                            /* CblasRowMajor = 101, CblasNoTrans = 111, CblasTrans = 112 */
                            bl->sgemm(101, 111, sh->trans_b ? 112 : 111, (int)sh->M, (int)sh->N, (int)sh->K, 1.0f, A,
                                      (int)sh->K, (const float *)B, (int)(sh->trans_b ? sh->K : sh->N), 0.0f, C,
                                      (int)sh->N);
                        else if (col == n_isa + 1)
                            ok = tfm_gemm_packed(&ctx, sh->M, 1.0f, A, sh->K, pb, 0.0f, C, sh->N) == TFM_OK;
                        else
                            ok = tfm_gemm(&ctx, sh->trans_b, sh->M, sh->N, sh->K, 1.0f, A, sh->K, dts[d], B,
                                          sh->trans_b ? sh->K : sh->N, 0.0f, C, sh->N) == TFM_OK;
                        if (r >= 0 && count[col] <= reps) times[col][count[col]++] = tfm__bench_now() - t0;
                        else if (r < 0 && tfm__bench_now() < warm_until) r--; /* another warm-up call */
                    }
                }
            }
            best_peak = 0;
            for (k = 0; k < n_isa; k++) {
                peak[k] = n_samp[k] ? tfm__bench_median(samples[k], n_samp[k]) : 0;
                if (peak[k] > best_peak) best_peak = peak[k];
                if (n_all < 64) all_peaks[k][n_all] = peak[k];
            }
            n_all++;
            snprintf(label, sizeof label, "M=%lld K=%lld N=%lld%s %s", (long long)sh->M, (long long)sh->K,
                     (long long)sh->N, sh->trans_b ? " B^T" : "", tfm_dtype_name(dts[d]));
            if (!json) printf("%-30s", label);
            for (col = 0; col < n_col; col++) {
                const char *name = col < n_isa ? tfm_isa_name(isas[col]) : col == n_isa ? "openblas" : NULL;
                char pname[32];
                double pk = col < n_isa ? peak[col] : col == n_isa ? best_peak : peak[n_isa - 1], t, g;
                if (!count[col] || !ok) {
                    if (!json && col == n_isa && blas.sgemm) printf("  %16s", "-");
                    continue;
                }
                if (col == n_isa + 1) {
                    snprintf(pname, sizeof pname, "%s+packed_b", tfm_isa_name(isas[n_isa - 1]));
                    name = pname;
                }
                t = tfm__bench_median(times[col], count[col]);
                g = t > 0 ? flops / t * 1e-9 : 0;
                if (json) {
                    printf("%s\n  {\"M\": %lld, \"K\": %lld, \"N\": %lld, \"trans_b\": %d, \"b_dtype\": \"%s\", "
                           "\"impl\": \"%s\", \"calls\": %d, \"ms\": %.4f, \"gflops\": %.2f, \"peak_gflops\": %.2f, "
                           "\"pct_peak\": ",
                           first ? "" : ",", (long long)sh->M, (long long)sh->K, (long long)sh->N, sh->trans_b,
                           tfm_dtype_name(dts[d]), name, count[col], t * 1e3, g, pk);
                    if (pk > 0) printf("%.1f}", 100 * g / pk);
                    else printf("null}");
                    first = 0;
                } else if (col == n_isa + 1) {
                    printf("\n%-30s  %16s  %8.1f (%4.0f%%)  %s, B packed once", "", "", g, pk > 0 ? 100 * g / pk : 0,
                           tfm_isa_name(isas[n_isa - 1]));
                } else if (pk > 0) {
                    printf("  %8.1f (%4.0f%%)", g, 100 * g / pk);
                } else {
                    printf("  %16.1f", g);
                }
            }
            if (!json) printf("\n");
            if (!ok) fprintf(stderr, "tfm bench gemm: %s: %s\n", label, tfm_last_error());
            for (col = 0; col < n_col; col++) free(times[col]);
            tfm_packed_b_free(pb);
        }
        tfm__aligned_free(A);
        tfm__aligned_free(Bf);
        tfm__aligned_free(Bh);
        tfm__aligned_free(C);
    }
    /* the peak over the whole run: median and range of the rows' peaks */
    if (n_all > 64) n_all = 64;
    if (json) printf("\n], \"peak_gflops\": {");
    else printf("FMA peak (%d thread%s), median of the rows (lowest-highest):", threads, threads == 1 ? "" : "s");
    for (k = 0, first = 1; k < n_isa && n_all > 0; k++) {
        double lo = all_peaks[k][0], hi = lo, med;
        for (i = 1; i < n_all; i++) {
            lo = all_peaks[k][i] < lo ? all_peaks[k][i] : lo;
            hi = all_peaks[k][i] > hi ? all_peaks[k][i] : hi;
        }
        med = tfm__bench_median(all_peaks[k], n_all);
        if (med <= 0) continue;
        if (json) printf("%s\"%s\": %.2f", first ? "" : ", ", tfm_isa_name(isas[k]), med);
        else printf("  %s %.1f GFLOP/s (%.1f-%.1f)", tfm_isa_name(isas[k]), med, lo, hi);
        first = 0;
    }
    printf(json ? "}}\n" : "\n");
    tfm_pool_free(pool);
    if (blas.handle) dlclose(blas.handle);
    return 0;
}
