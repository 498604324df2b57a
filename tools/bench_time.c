/* Timing and medians for the benchmarks: included by bench_common.c and by gemm_ab.c, which
   links no library code of its own. The guard keeps one copy per translation unit. */
#ifndef TFM_BENCH_TIME_C
#define TFM_BENCH_TIME_C

#include <stdlib.h>
#include <time.h>
#if !defined(_WIN32)
#include <sys/time.h>
#endif

static double tfm__bench_now(void) {
#if defined(CLOCK_MONOTONIC)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
#elif !defined(_WIN32)
    struct timeval tv; /* strict -std=c99 hides clock_gettime */
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
#else
    return (double)clock() / CLOCKS_PER_SEC;
#endif
}

static int tfm__bench_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of t[0..n) (sorts t). */
static double tfm__bench_median(double *t, int n) {
    qsort(t, (size_t)n, sizeof(double), tfm__bench_cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

#endif
