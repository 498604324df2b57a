/* Tiny test framework for transformers.h, plus helpers shared by the per-area test files.
   Included once, by tests/test_main.c, after the library implementation. Everything is static.

   A test is a `static void name(void)` listed in its file's table with TT(name). CHECK macros
   record a failure (file:line + message) and continue. INFO prints a note, SKIP ends the test as
   passed with a note. Fixtures are found under $TFM_FIXTURES (default "tests/fixtures"). */
#ifndef TFM_TEST_H
#define TFM_TEST_H

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__GNUC__) || defined(__clang__)
#define TT_UNUSED __attribute__((unused))
#define TT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TT_UNUSED
#define TT_PRINTF(a, b)
#endif

typedef void (*tt_fn)(void);
typedef struct tt_case {
    const char *name;
    tt_fn fn;
} tt_case;
#define TT(f) {#f, f}

/* ---- state of the running test ---- */
static const char *tt_current = "";
static int tt_failed_checks;
static int tt_checks;
static char tt_first_failure[600];
static int tt_verbose;
static int tt_skipped;

static void tt_fail(const char *file, int line, const char *fmt, ...) TT_PRINTF(3, 4);
static void tt_fail(const char *file, int line, const char *fmt, ...) {
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (tt_failed_checks == 0) snprintf(tt_first_failure, sizeof tt_first_failure, "%s:%d: %s", file, line, msg);
    tt_failed_checks++;
    if (tt_verbose) fprintf(stderr, "  %s: %s:%d: %s\n", tt_current, file, line, msg);
}

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        tt_checks++;                                                                                                   \
        if (!(cond)) tt_fail(__FILE__, __LINE__, "%s", #cond);                                                         \
    } while (0)
#define CHECKF(cond, ...)                                                                                              \
    do {                                                                                                               \
        tt_checks++;                                                                                                   \
        if (!(cond)) tt_fail(__FILE__, __LINE__, __VA_ARGS__);                                                         \
    } while (0)
/* expr must give `want` (a tfm_status); prints both names and tfm_last_error() otherwise */
#define CHECK_STATUS(expr, want)                                                                                       \
    do {                                                                                                               \
        tfm_status tt_st_ = (expr), tt_want_ = (want);                                                                 \
        tt_checks++;                                                                                                   \
        if (tt_st_ != tt_want_)                                                                                        \
            tt_fail(__FILE__, __LINE__, "%s gave %s, expected %s (last error: %s)", #expr, tfm_status_string(tt_st_),  \
                    tfm_status_string(tt_want_), tfm_last_error());                                                    \
    } while (0)
#define CHECK_OK(expr) CHECK_STATUS(expr, TFM_OK)
#define CHECK_EQ_I64(a, b)                                                                                             \
    do {                                                                                                               \
        long long tt_a_ = (long long)(a), tt_b_ = (long long)(b);                                                      \
        tt_checks++;                                                                                                   \
        if (tt_a_ != tt_b_) tt_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, tt_a_, tt_b_);              \
    } while (0)
#define CHECK_STR_EQ(a, b)                                                                                             \
    do {                                                                                                               \
        const char *tt_a_ = (a), *tt_b_ = (b);                                                                         \
        tt_checks++;                                                                                                   \
        if (!tt_a_ || !tt_b_ || strcmp(tt_a_, tt_b_) != 0)                                                             \
            tt_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b, tt_a_ ? tt_a_ : "(null)",                \
                    tt_b_ ? tt_b_ : "(null)");                                                                         \
    } while (0)
/* the last error must be non-empty (every failing call sets one) */
#define CHECK_ERROR_SET()                                                                                              \
    CHECKF(tfm_last_error() && tfm_last_error()[0] != 0, "tfm_last_error() is empty after a failure")

static void tt_info(const char *fmt, ...) TT_PRINTF(1, 2);
static void tt_info(const char *fmt, ...) {
    va_list ap;
    printf("info: %s: ", tt_current);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}
#define INFO(...) tt_info(__VA_ARGS__)
#define SKIP(...)                                                                                                      \
    do {                                                                                                               \
        tt_skipped = 1;                                                                                                \
        tt_info("skipped: " __VA_ARGS__);                                                                              \
        return;                                                                                                        \
    } while (0)

/* ---- helpers ---- */

static TT_UNUSED double tt_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Deterministic PRNG (splitmix64). */
typedef struct tt_rng {
    uint64_t s;
} tt_rng;
static TT_UNUSED uint64_t tt_rand(tt_rng *r) {
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static TT_UNUSED uint64_t tt_below(tt_rng *r, uint64_t n) { return n ? tt_rand(r) % n : 0; }
static TT_UNUSED float tt_uniform(tt_rng *r, float lo, float hi) {
    return lo + (hi - lo) * (float)((double)(tt_rand(r) >> 11) * (1.0 / 9007199254740992.0));
}

static TT_UNUSED uint32_t tt_f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static TT_UNUSED float tt_bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static TT_UNUSED uint64_t tt_f64_bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* Path under the fixture folder; a ring of static buffers so a few can be live at once. */
static TT_UNUSED const char *fx(const char *rel) {
    static char bufs[8][1024];
    static int next;
    const char *root = getenv("TFM_FIXTURES");
    char *b = bufs[next++ & 7];
    if (!root || !*root) root = "tests/fixtures";
    snprintf(b, sizeof bufs[0], "%s/%s", root, rel);
    return b;
}

/* Whole file into a malloc'd buffer (+ NUL); NULL if unreadable. */
static TT_UNUSED unsigned char *tt_read_file(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    long n;
    unsigned char *buf;
    *size = 0;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = (unsigned char *)malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    buf[n] = 0;
    *size = (size_t)n;
    return buf;
}
static TT_UNUSED int tt_write_file(const char *path, const void *data, size_t size) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return 0;
    ok = fwrite(data, 1, size, f) == size;
    if (fclose(f) != 0) ok = 0;
    return ok;
}
static TT_UNUSED int tt_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* One scratch folder for the whole run, removed at exit. */
static char tt_tmp_root[512];
static int tt_tmp_counter;
static TT_UNUSED const char *tt_tmpdir(void) {
    if (!tt_tmp_root[0]) {
        const char *base = getenv("TMPDIR");
        if (!base || !*base) base = "/tmp";
        snprintf(tt_tmp_root, sizeof tt_tmp_root, "%s/tfm_test_XXXXXX", base);
        if (!mkdtemp(tt_tmp_root)) {
            fprintf(stderr, "cannot create a temp folder under %s: %s\n", base, strerror(errno));
            exit(2);
        }
    }
    return tt_tmp_root;
}
/* A fresh path (file or folder name) inside the scratch folder. */
static TT_UNUSED const char *tt_tmp_path(const char *name) {
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ & 7];
    snprintf(b, sizeof bufs[0], "%s/%ld_%d_%s", tt_tmpdir(), (long)getpid(), ++tt_tmp_counter, name);
    return b;
}
static int tt_rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}
static void tt_tmp_cleanup(void) {
    if (tt_tmp_root[0] && !getenv("TFM_TEST_KEEP_TMP")) nftw(tt_tmp_root, tt_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Growable byte buffer for building documents and images. */
typedef struct tt_buf {
    char *p;
    size_t n, cap;
} tt_buf;
static TT_UNUSED void tt_buf_add(tt_buf *b, const void *d, size_t n) {
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        b->p = (char *)realloc(b->p, cap);
        if (!b->p) {
            fprintf(stderr, "out of memory in the test\n");
            exit(2);
        }
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    b->p[b->n] = 0;
}
static TT_UNUSED void tt_buf_puts(tt_buf *b, const char *s) { tt_buf_add(b, s, strlen(s)); }
static TT_UNUSED void tt_buf_printf(tt_buf *b, const char *fmt, ...) TT_PRINTF(2, 3);
static TT_UNUSED void tt_buf_printf(tt_buf *b, const char *fmt, ...) {
    char tmp[1024];
    int n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) tt_buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
static TT_UNUSED void tt_buf_free(tt_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

/* Runs fn(p, len) in a child process with the len bytes placed right before an unreadable page, so
   a read past the end faults. Returns 0 if the child finished normally, else the signal number
   (or 1000 + exit status). */
typedef void (*tt_guarded_fn)(const unsigned char *p, size_t len);
static TT_UNUSED int tt_guarded(const void *data, size_t len, tt_guarded_fn fn) {
    pid_t pid;
    int status = 0;
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) return 0; /* cannot test: treat as fine */
    if (pid == 0) {
        long page = sysconf(_SC_PAGESIZE);
        size_t span = (len + (size_t)page - 1) / (size_t)page * (size_t)page, total = span + (size_t)page;
        unsigned char *m = (unsigned char *)mmap(NULL, total ? total : (size_t)page, PROT_READ | PROT_WRITE,
                                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        unsigned char *p;
        if (m == MAP_FAILED) _exit(0);
        if (mprotect(m + span, (size_t)page, PROT_NONE) != 0) _exit(0);
        p = m + span - len;
        if (len) memcpy(p, data, len);
        fn(p, len);
        _exit(0); /* no leak check here: the library's own handles are closed by fn */
    }
    if (waitpid(pid, &status, 0) < 0) return 0;
    if (WIFSIGNALED(status)) return WTERMSIG(status);
    return WEXITSTATUS(status) ? 1000 + WEXITSTATUS(status) : 0;
}

/* "signal 11" / "exit status 1" for a tt_guarded result. */
static TT_UNUSED const char *tt_guard_desc(int sig) {
    static char buf[4][48];
    static int next;
    char *b = buf[next++ & 3];
    if (sig >= 1000) snprintf(b, sizeof buf[0], "exit status %d", sig - 1000);
    else snprintf(b, sizeof buf[0], "signal %d", sig);
    return b;
}

/* ---- ops.safetensors access ---- */
static tfm_weights *tt_ops_w;
static int tt_ops_tried;
static TT_UNUSED tfm_weights *tt_ops(void) {
    if (!tt_ops_tried) {
        tt_ops_tried = 1;
        if (tfm_weights_open(fx("ops.safetensors"), &tt_ops_w) != TFM_OK) {
            fprintf(stderr, "cannot open %s: %s\n", fx("ops.safetensors"), tfm_last_error());
            tt_ops_w = NULL;
        }
    }
    return tt_ops_w;
}
static void tt_ops_close(void) {
    tfm_weights_close(tt_ops_w);
    tt_ops_w = NULL;
}
/* A tensor of ops.safetensors converted to f32 (malloc'd; caller frees); NULL + a failed check if absent. */
#define OPS_F32(name, n_out) tt_ops_f32(__FILE__, __LINE__, name, n_out)
static TT_UNUSED float *tt_ops_f32(const char *file, int line, const char *name, int64_t *n_out) {
    tfm_weights *w = tt_ops();
    const tfm_tensor_info *t = w ? tfm_weights_find(w, name) : NULL;
    float *d;
    tt_checks++;
    if (n_out) *n_out = 0;
    if (!t) {
        tt_fail(file, line, "ops.safetensors has no tensor '%s'", name);
        return NULL;
    }
    d = (float *)malloc((size_t)(t->numel ? t->numel : 1) * sizeof(float));
    if (!d || tfm_weights_read_f32(w, t, d, t->numel) != TFM_OK) {
        tt_fail(file, line, "cannot read '%s': %s", name, tfm_last_error());
        free(d);
        return NULL;
    }
    if (n_out) *n_out = t->numel;
    return d;
}
#define OPS_INFO(name) tt_ops_info(__FILE__, __LINE__, name)
static TT_UNUSED const tfm_tensor_info *tt_ops_info(const char *file, int line, const char *name) {
    tfm_weights *w = tt_ops();
    const tfm_tensor_info *t = w ? tfm_weights_find(w, name) : NULL;
    tt_checks++;
    if (!t) tt_fail(file, line, "ops.safetensors has no tensor '%s'", name);
    return t;
}
/* Raw bytes of an ops tensor (borrowed). */
static TT_UNUSED const void *tt_ops_raw(const tfm_tensor_info *t) {
    const void *p = NULL;
    if (!t || tfm_weights_data(tt_ops(), t, &p) != TFM_OK) return NULL;
    return p;
}
/* Numeric parameter from the ops metadata (strings); NAN + a failed check if absent. */
#define OPS_META(key) tt_ops_meta(__FILE__, __LINE__, key)
static TT_UNUSED double tt_ops_meta(const char *file, int line, const char *key) {
    const char *v = tt_ops() ? tfm_weights_metadata(tt_ops(), key) : NULL;
    char *end = NULL;
    double d;
    tt_checks++;
    if (!v) {
        tt_fail(file, line, "ops.safetensors metadata has no '%s'", key);
        return NAN;
    }
    d = strtod(v, &end);
    if (end == v) {
        tt_fail(file, line, "ops.safetensors metadata '%s' = '%s' is not a number", key, v);
        return NAN;
    }
    return d;
}

/* max |got - want| <= tol * max(1, max |want|); reports the worst element. */
#define CHECK_CLOSE(got, want, n, tol, what) tt_check_close(__FILE__, __LINE__, got, want, n, tol, what)
static TT_UNUSED int tt_check_close(const char *file, int line, const float *got, const float *want, int64_t n,
                                    double tol, const char *what) {
    double max_ref = 1.0, worst = 0.0;
    int64_t i, at = -1;
    tt_checks++;
    if (!got || !want) {
        tt_fail(file, line, "%s: missing data", what);
        return 0;
    }
    for (i = 0; i < n; i++)
        if (fabs((double)want[i]) > max_ref) max_ref = fabs((double)want[i]);
    for (i = 0; i < n; i++) {
        double d = fabs((double)got[i] - (double)want[i]);
        if (d != d) d = INFINITY; /* NaN in either */
        if (isnan(got[i]) && isnan(want[i])) d = 0;
        if (d > worst || (at < 0 && d != d)) {
            worst = d;
            at = i;
        }
    }
    if (worst > tol * max_ref) {
        tt_fail(file, line, "%s: max abs error %.3g at [%lld] (got %.9g, want %.9g) > %.3g", what, worst,
                (long long)at, at >= 0 ? got[at] : 0.0, at >= 0 ? want[at] : 0.0, tol * max_ref);
        return 0;
    }
    return 1;
}

#endif /* TFM_TEST_H */
