/* Paired A/B timing of up to four builds of the GEMM (see tools/gemm_ab.sh, which builds them).
   The variants run call by call in turn on the same inputs and threads, so a slow spell of a
   shared machine hits each alike; per shape it prints each variant's median GFLOP/s and the
   median over rounds of t(v0) / t(vN): above 1 means vN was faster. Two identical builds show
   the noise floor (about +-1 % on the machines tried).

     gemm_ab [--variants N] [--threads T] [--reps R] [--shape MxKxN[t]]...   (t: B as [N, K]) */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 199309L /* clock_gettime under strict -std=c99 */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_time.c"

#define TFM_AB_DECL(n)                                                                                         \
    void *tfm_ab_v##n##_pool(int threads);                                                                     \
    int tfm_ab_v##n##_gemm(void *pool, int trans_b, int64_t M, int64_t N, int64_t K, const float *A,            \
                           const float *B, float *C);
TFM_AB_DECL(0)
TFM_AB_DECL(1)
TFM_AB_DECL(2)
TFM_AB_DECL(3)

typedef int (*tfm_ab_gemm_fn)(void *, int, int64_t, int64_t, int64_t, const float *, const float *, float *);

typedef struct tfm_ab_shape {
    int64_t M, K, N;
    int trans_b;
} tfm_ab_shape;

int main(int argc, char **argv) {
    static const tfm_ab_gemm_fn fns[4] = {tfm_ab_v0_gemm, tfm_ab_v1_gemm, tfm_ab_v2_gemm, tfm_ab_v3_gemm};
    tfm_ab_shape shapes[16] = {{128, 768, 768, 1}, {128, 768, 3072, 1}, {128, 3072, 768, 1}, {1024, 1024, 1024, 0}};
    int n_shapes = 4, custom = 0, variants = 2, threads = 2, reps = 60, i, s, r, v;
    void *pool;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--variants") == 0 && i + 1 < argc) variants = atoi(argv[++i]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--shape") == 0 && i + 1 < argc && n_shapes < 16) {
            long long m, k, n;
            char t = 0;
            if (sscanf(argv[++i], "%lldx%lldx%lld%c", &m, &k, &n, &t) < 3 || m < 1 || k < 1 || n < 1) {
                fprintf(stderr, "gemm_ab: bad shape '%s' (MxKxN, t after it for B as [N, K])\n", argv[i]);
                return 2;
            }
            if (!custom) n_shapes = 0;
            custom = 1;
            shapes[n_shapes].M = m;
            shapes[n_shapes].K = k;
            shapes[n_shapes].N = n;
            shapes[n_shapes++].trans_b = t == 't';
        } else {
            fprintf(stderr, "usage: gemm_ab [--variants N] [--threads T] [--reps R] [--shape MxKxN[t]]...\n");
            return 2;
        }
    }
    if (variants < 1 || variants > 4 || reps < 1 || threads < 1) {
        fprintf(stderr, "gemm_ab: 1-4 variants, reps and threads >= 1\n");
        return 2;
    }
    pool = tfm_ab_v0_pool(threads);
    if (!pool) {
        fprintf(stderr, "gemm_ab: no thread pool\n");
        return 1;
    }
    printf("gemm_ab: %d variants, %d threads, %d rounds (after 10 warm-up rounds); GFLOP/s and median t(v0)/t(vN)\n",
           variants, threads, reps);
    for (s = 0; s < n_shapes; s++) {
        const tfm_ab_shape *sh = &shapes[s];
        size_t na = (size_t)(sh->M * sh->K), nb = (size_t)(sh->K * sh->N), q;
        float *A = (float *)malloc(na * sizeof(float)), *B = (float *)malloc(nb * sizeof(float));
        float *C = (float *)malloc((size_t)(sh->M * sh->N) * sizeof(float));
        double *t = (double *)malloc((size_t)(4 * reps) * sizeof(double));
        double *ratio = (double *)malloc((size_t)(4 * reps) * sizeof(double));
        double flops = 2.0 * (double)sh->M * (double)sh->N * (double)sh->K;
        if (!A || !B || !C || !t || !ratio) {
            fprintf(stderr, "gemm_ab: out of memory\n");
            return 1;
        }
        for (q = 0; q < na; q++) A[q] = (float)((q * 2654435761u) % 2001) / 1000.0f - 1.0f;
        for (q = 0; q < nb; q++) B[q] = (float)((q * 40503u + 7) % 2001) / 1000.0f - 1.0f;
        for (r = -10; r < reps; r++)
            for (v = 0; v < variants; v++) {
                double t0 = tfm__bench_now();
                if (fns[v](pool, sh->trans_b, sh->M, sh->N, sh->K, A, B, C) != 0) {
                    fprintf(stderr, "gemm_ab: variant %d failed\n", v);
                    return 1;
                }
                if (r >= 0) t[v * reps + r] = tfm__bench_now() - t0;
            }
        for (v = 0; v < variants; v++)
            for (r = 0; r < reps; r++) ratio[v * reps + r] = t[r] / t[v * reps + r];
        printf("M=%lld K=%lld N=%lld%s", (long long)sh->M, (long long)sh->K, (long long)sh->N, sh->trans_b ? " B^T" : "");
        for (v = 0; v < variants; v++)
            printf("  v%d %.1f x%.3f", v, flops / tfm__bench_median(t + v * reps, reps) * 1e-9,
                   tfm__bench_median(ratio + v * reps, reps));
        printf("\n");
        free(A);
        free(B);
        free(C);
        free(t);
        free(ratio);
    }
    return 0;
}
