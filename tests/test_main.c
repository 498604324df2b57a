/* Test runner for transformers.h: the single translation unit that holds the implementation and
   every per-area test file.

     build/test_main [FILTER]     runs the tests whose name contains FILTER (all without one)
     build/test_main -l           lists the tests

   Prints one line per failing test and ends with "N passed, N failed"; exit status 1 if any
   failed. Each test runs in a forked child, so a crash, a sanitizer report or a leak (LeakSanitizer
   runs when the child exits) fails that test only and the run goes on.

   Environment: TFM_FIXTURES (default tests/fixtures), TFM_SHARED_VOCAB (default ../shared/vocab),
   TFM_TEST_VERBOSE=1 prints every failed check, TFM_TEST_NOFORK=1 runs tests in-process (for a
   debugger), TFM_TEST_KEEP_TMP=1 keeps the scratch folder. Kernel tests (sections 6-7 of the
   header) are compiled with -DTFM_TEST_KERNELS. */
#define _GNU_SOURCE
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include "test.h"

#include <pthread.h>

#include "test_base.c"
#include "test_dtype.c"
#include "test_json.c"
#include "test_pool.c"
#include "test_safetensors.c"
#include "test_config.c"
#include "test_malformed.c"
#include "test_tokenizers.c"
#include "test_text.c"
#include "test_generation.c"
#include "test_vision.c"
#ifdef TFM_TEST_KERNELS
#include "test_kernels.c"
#endif

typedef struct tt_group {
    const tt_case *cases;
    size_t n;
} tt_group;
#define TT_GROUP(arr) {arr, sizeof arr / sizeof arr[0]}

static const tt_group tt_groups[] = {
    TT_GROUP(base_tests),       TT_GROUP(dtype_tests),  TT_GROUP(json_tests),      TT_GROUP(pool_tests),
    TT_GROUP(safetensors_tests), TT_GROUP(config_tests), TT_GROUP(malformed_tests), TT_GROUP(tokenizer_tests), TT_GROUP(text_tests), TT_GROUP(generation_tests), TT_GROUP(vision_tests),
#ifdef TFM_TEST_KERNELS
    TT_GROUP(kernel_tests),
#endif
};

/* Result of one test, sent from the child to the parent. */
typedef struct tt_result {
    int failed_checks;
    int skipped;
    char first[sizeof tt_first_failure];
} tt_result;

static void tt_run_here(const tt_case *tc, tt_result *r) {
    tt_current = tc->name;
    tt_failed_checks = 0;
    tt_skipped = 0;
    tt_first_failure[0] = 0;
    tfm_clear_error();
    tc->fn();
    r->failed_checks = tt_failed_checks;
    r->skipped = tt_skipped;
    memcpy(r->first, tt_first_failure, sizeof r->first);
}

/* Runs a test in a child process; a crash or a non-zero exit (sanitizer error, leak) fails it. */
static void tt_run_forked(const tt_case *tc, tt_result *r) {
    int fds[2], status = 0;
    pid_t pid;
    ssize_t got = 0;
    memset(r, 0, sizeof *r);
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        tt_run_here(tc, r);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        tt_run_here(tc, r);
        tt_ops_close();
        if (write(fds[1], r, sizeof *r) != (ssize_t)sizeof *r) _exit(3);
        close(fds[1]);
        fflush(stdout);
        exit(0); /* exit, not _exit: LeakSanitizer checks at exit */
    }
    close(fds[1]);
    while (got < (ssize_t)sizeof *r) {
        ssize_t n = read(fds[0], (char *)r + got, sizeof *r - (size_t)got);
        if (n <= 0) break;
        got += n;
    }
    close(fds[0]);
    waitpid(pid, &status, 0);
    if (got != (ssize_t)sizeof *r) {
        r->failed_checks++;
        if (WIFSIGNALED(status))
            snprintf(r->first, sizeof r->first, "crashed with signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
        else
            snprintf(r->first, sizeof r->first, "died with exit status %d before finishing (sanitizer report on stderr?)",
                     WEXITSTATUS(status));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (!r->failed_checks)
            snprintf(r->first, sizeof r->first,
                     "checks passed but the process ended with %s %d (leak or sanitizer report on stderr)",
                     WIFSIGNALED(status) ? "signal" : "exit status",
                     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        r->failed_checks++;
    }
}

int main(int argc, char **argv) {
    const char *filter = NULL;
    int list = 0, i, passed = 0, failed = 0, fork_tests;
    size_t g, c;
    const char *v = getenv("TFM_TEST_VERBOSE"), *nf = getenv("TFM_TEST_NOFORK");
    tt_verbose = v && *v && strcmp(v, "0") != 0;
    fork_tests = !(nf && *nf && strcmp(nf, "0") != 0);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-l") == 0) list = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            printf("usage: %s [-l] [FILTER]\n", argv[0]);
            return 0;
        } else filter = argv[i];
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!list) tt_tmpdir(); /* one scratch folder shared by all test processes */
    for (g = 0; g < sizeof tt_groups / sizeof tt_groups[0]; g++) {
        for (c = 0; c < tt_groups[g].n; c++) {
            const tt_case *tc = &tt_groups[g].cases[c];
            tt_result r;
            if (filter && !strstr(tc->name, filter)) continue;
            if (list) {
                printf("%s\n", tc->name);
                continue;
            }
            if (tt_verbose) fprintf(stderr, "[ run ] %s\n", tc->name);
            if (fork_tests) tt_run_forked(tc, &r);
            else tt_run_here(tc, &r);
            if (r.failed_checks) {
                failed++;
                printf("FAIL %s: %d check%s failed; first: %s\n", tc->name, r.failed_checks,
                       r.failed_checks == 1 ? "" : "s", r.first);
            } else {
                passed++;
            }
        }
    }
    tt_ops_close();
    tt_tmp_cleanup();
    if (list) return 0;
    fflush(stderr);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
