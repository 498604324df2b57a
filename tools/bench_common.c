/* Helpers shared by the tfm bench subcommands (bench_gemm.c, bench_model.c, bench_generate.c,
   bench_vision.c): timing and medians (bench_time.c), resident memory, and random model weights
   written as a Hub folder's model.safetensors. Each of those files includes this one; the guard
   keeps one copy in the single translation unit of tools/tfm.c. */
#ifndef TFM_BENCH_COMMON_C
#define TFM_BENCH_COMMON_C

#if !defined(_WIN32)
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#endif
#include <time.h>
#if !defined(_WIN32) && !defined(__cplusplus)
extern char *mkdtemp(char *tmpl); /* POSIX 2008; hidden by strict -std=c99 */
#endif

#include "bench_time.c"

static double tfm__bench_maxrss_bytes(void) {
#if !defined(_WIN32)
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) return (double)ru.ru_maxrss * 1024.0; /* kB on Linux */
#endif
    return 0;
}

static double tfm__bench_rss_bytes(void) { /* current RSS, Linux only */
#if !defined(_WIN32)
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, res = 0;
    double r = 0;
    if (!f) return 0;
    if (fscanf(f, "%lld %lld", &size, &res) == 2) r = (double)res * (double)sysconf(_SC_PAGESIZE);
    fclose(f);
    return r;
#else
    return 0;
#endif
}

/* ---- random weights ---------------------------------------------------------------------------- */

static uint64_t tfm__bench_rng_next(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static float tfm__bench_normal(uint64_t *s) {
    double u = 0;
    int i;
    for (i = 0; i < 4; i++) u += (double)(tfm__bench_rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
    return (float)((u - 2.0) * 1.7320508075688772); /* var of the sum of 4 U(0,1) is 1/3 */
}

typedef struct tfm__bench_gen {
    tfm_tensor *t;
    char **names;
    int64_t n, cap;
    tfm_dtype dtype;
    uint64_t seed;
    int failed;
} tfm__bench_gen;

/* Appends a tensor of shape [d0, d1, d2, d3] (trailing zeros drop dimensions) in g->dtype:
   kind 0 N(0, 0.02), 1 a norm weight (1 + that), 2 a bias (a tenth of it). */
static void tfm__bench_add(tfm__bench_gen *g, const char *name, int kind, int64_t d0, int64_t d1, int64_t d2,
                           int64_t d3) {
    int64_t shape[4], n = 1, i;
    int ndim = 0;
    float *f;
    void *data;
    if (g->failed) return;
    if (g->n == g->cap) {
        int64_t cap = g->cap ? g->cap * 2 : 256;
        tfm_tensor *t = (tfm_tensor *)realloc(g->t, (size_t)cap * sizeof *t);
        char **nm = t ? (char **)realloc(g->names, (size_t)cap * sizeof *nm) : NULL;
        if (t) g->t = t;
        if (!t || !nm) {
            g->failed = 1;
            return;
        }
        g->names = nm;
        g->cap = cap;
    }
    shape[0] = d0;
    shape[1] = d1;
    shape[2] = d2;
    shape[3] = d3;
    while (ndim < 4 && shape[ndim] > 0) n *= shape[ndim++];
    f = (float *)malloc((size_t)n * sizeof(float));
    data = g->dtype == TFM_F32 ? (void *)f : malloc((size_t)n * tfm_dtype_size(g->dtype));
    g->names[g->n] = (char *)malloc(strlen(name) + 1);
    if (!f || !data || !g->names[g->n]) {
        if (data != f) free(data);
        free(f);
        free(g->names[g->n]);
        g->failed = 1;
        return;
    }
    strcpy(g->names[g->n], name);
    for (i = 0; i < n; i++) {
        float v = 0.02f * tfm__bench_normal(&g->seed);
        f[i] = kind == 1 ? 1.0f + v : kind == 2 ? 0.1f * v : v;
    }
    if (data != f) {
        tfm_convert_from_f32(f, g->dtype, data, (size_t)n);
        free(f);
    }
    if (tfm_tensor_view(&g->t[g->n], g->dtype, ndim, shape, data) != TFM_OK) {
        free(data);
        free(g->names[g->n]);
        g->failed = 1;
        return;
    }
    g->n++;
}

/* Writes dir/model.safetensors (metadata format "pt", as save_pretrained) and frees g's tensors.
   `what` names the command in messages. Returns 1 on success. */
/* dir/name opened for writing; NULL after saying why on stderr (`what` names the benchmark). */
static FILE *tfm__bench_create(const char *dir, const char *name, const char *what) {
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f) fprintf(stderr, "%s: cannot write %s\n", what, path);
    return f;
}

static int tfm__bench_gen_write(tfm__bench_gen *g, const char *dir, const char *what) {
    const char *meta[2] = {"format", "pt"};
    char path[4096];
    int64_t i;
    int ok = !g->failed;
    if (!ok) fprintf(stderr, "%s: out of memory generating the weights\n", what);
    snprintf(path, sizeof path, "%s/model.safetensors", dir);
    if (ok && tfm_safetensors_write(path, g->t, (const char *const *)g->names, g->n, meta, 1) != TFM_OK) {
        fprintf(stderr, "%s: writing %s: %s\n", what, path, tfm_last_error());
        ok = 0;
    }
    for (i = 0; i < g->n; i++) {
        free(g->t[i].data);
        free(g->names[i]);
    }
    free(g->t);
    free(g->names);
    memset(g, 0, sizeof *g);
    return ok;
}

/* The folder a bench writes its random model to: keep_dir (created when missing), else a new
   temporary folder whose path also goes to tmp_dir for the caller to remove. 0 when no folder
   could be made (the message names the bench, `what`). */
static int tfm__bench_scratch_dir(const char *keep_dir, const char *what, char *tmp_dir, size_t tmp_n, char *dir,
                                  size_t dir_n) {
    const char *td = getenv("TMPDIR");
    if (keep_dir) {
#if !defined(_WIN32)
        mkdir(keep_dir, 0777); /* may exist */
#endif
        snprintf(dir, dir_n, "%s", keep_dir);
        return 1;
    }
    if (!td || !*td) td = "/tmp";
    snprintf(tmp_dir, tmp_n, "%s/tfm-bench-%s-XXXXXX", td, what);
    if (!mkdtemp(tmp_dir)) {
        fprintf(stderr, "tfm bench %s: cannot create a temporary folder in %s\n", what, td);
        tmp_dir[0] = 0;
        return 0;
    }
    snprintf(dir, dir_n, "%s", tmp_dir);
    return 1;
}

/* Runs fn(arg) in a child process, so that its buffers stay out of this process's peak RSS
   (in-process where fork is unavailable). Returns fn's result (nonzero: success). */
static int tfm__bench_in_child(int (*fn)(const void *), const void *arg) {
#if !defined(_WIN32)
    pid_t pid;
    int st = 0;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) _exit(fn(arg) ? 0 : 1);
    if (pid > 0 && waitpid(pid, &st, 0) == pid) return WIFEXITED(st) && WEXITSTATUS(st) == 0;
#endif
    return fn(arg);
}

#endif /* TFM_BENCH_COMMON_C */
