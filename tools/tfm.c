/* tfm - command-line front end of transformers.h.

   Build:  cc -O2 -o tfm tools/tfm.c -lm -lpthread        (or: make, which writes build/tfm)

   Conventions every subcommand follows:
     tfm <task> --model DIR [flags] [--] INPUT...
     - each pipeline keyword argument is a --kebab-case flag (top_k -> --top-k; "--top-k all" means
       top_k=None; booleans are bare flags; lists are comma-separated);
     - inputs are positional (several inputs give a list of results, as Python does) or lines/JSONL
       on stdin with --stdin;
     - stdout carries exactly the JSON of what Python's pipeline returns, floats with enough digits
       to round-trip float32; diagnostics go to stderr; errors exit non-zero with the library's
       message.

   Subcommands now: the text pipelines (feature-extraction, sentence-embedding, text-classification,
   token-classification, question-answering, fill-mask, zero-shot-classification), inspect,
   tokenize, decode, bench gemm, bench tokenize, version. */
#define _POSIX_C_SOURCE 200809L
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cli_fail(const char *what) {
    fprintf(stderr, "tfm: %s%s%s\n", what ? what : "", what && *tfm_last_error() ? ": " : "", tfm_last_error());
    return 1;
}

/* Prints s as a JSON string literal. */
static void print_json_string(FILE *out, const char *s) {
    tfm__buf b;
    memset(&b, 0, sizeof b);
    tfm__buf_json_string(&b, s, strlen(s));
    fputs(b.failed ? "\"\"" : b.data, out);
    tfm_free(b.data);
}

static void print_shape(FILE *out, const tfm_tensor_info *t, int json) {
    int d;
    fputc('[', out);
    for (d = 0; d < t->ndim; d++) fprintf(out, d ? (json ? ",%lld" : ", %lld") : "%lld", (long long)t->shape[d]);
    fputc(']', out);
}

static const char inspect_usage[] =
    "usage: tfm inspect PATH [--json]\n"
    "  PATH: a .safetensors file, a model.safetensors.index.json, or a model folder.\n"
    "  Lists every tensor (name, dtype, shape, bytes, shard) and the metadata.\n";

static int cmd_inspect(int argc, char **argv) {
    const char *path = NULL;
    int json = 0, i;
    tfm_weights *w = NULL;
    uint64_t total_bytes = 0, params = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(inspect_usage, stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tfm inspect: unknown flag '%s'\n%s", argv[i], inspect_usage);
            return 2;
        } else if (!path) path = argv[i];
        else {
            fprintf(stderr, "tfm inspect: one PATH only\n%s", inspect_usage);
            return 2;
        }
    }
    if (!path) {
        fputs(inspect_usage, stderr);
        return 2;
    }
    if (tfm_weights_open(path, &w) != TFM_OK) return cli_fail(NULL);
    for (i = 0; i < tfm_weights_count(w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        total_bytes += t->nbytes;
        params += (uint64_t)t->numel;
    }
    if (json) {
        int64_t k;
        printf("{\"path\":");
        print_json_string(stdout, path);
        printf(",\"shards\":[");
        for (i = 0; i < tfm_weights_shard_count(w); i++) {
            if (i) putchar(',');
            print_json_string(stdout, tfm_weights_shard_path(w, i));
        }
        printf("],\"metadata\":{");
        for (k = 0; k < tfm_weights_metadata_count(w); k++) {
            const char *key = tfm_weights_metadata_key(w, k);
            if (k) putchar(',');
            print_json_string(stdout, key);
            putchar(':');
            print_json_string(stdout, tfm_weights_metadata(w, key));
        }
        printf("},\"tensors\":[");
        for (k = 0; k < tfm_weights_count(w); k++) {
            const tfm_tensor_info *t = tfm_weights_info(w, k);
            printf("%s{\"name\":", k ? "," : "");
            print_json_string(stdout, t->name);
            printf(",\"dtype\":\"%s\",\"shape\":", tfm_dtype_name(t->dtype));
            print_shape(stdout, t, 1);
            printf(",\"bytes\":%llu,\"shard\":%d}", (unsigned long long)t->nbytes, t->shard);
        }
        printf("],\"total_bytes\":%llu,\"parameters\":%llu}\n", (unsigned long long)total_bytes,
               (unsigned long long)params);
    } else {
        int64_t k;
        size_t width = 4;
        for (k = 0; k < tfm_weights_count(w); k++) width = TFM__MAX(width, strlen(tfm_weights_info(w, k)->name));
        printf("%s: %lld tensors, %llu parameters, %llu bytes in %d shard%s\n", path, (long long)tfm_weights_count(w),
               (unsigned long long)params, (unsigned long long)total_bytes, tfm_weights_shard_count(w),
               tfm_weights_shard_count(w) == 1 ? "" : "s");
        for (i = 0; i < tfm_weights_shard_count(w); i++) printf("  shard %d: %s\n", i, tfm_weights_shard_path(w, i));
        for (k = 0; k < tfm_weights_metadata_count(w); k++) {
            const char *key = tfm_weights_metadata_key(w, k);
            printf("  metadata %s = %s\n", key, tfm_weights_metadata(w, key));
        }
        printf("%-*s  %-7s  %-20s  %12s  %s\n", (int)width, "name", "dtype", "shape", "bytes", "shard");
        for (k = 0; k < tfm_weights_count(w); k++) {
            const tfm_tensor_info *t = tfm_weights_info(w, k);
            char shape[160];
            int d, n = 0;
            n += snprintf(shape + n, sizeof shape - (size_t)n, "[");
            for (d = 0; d < t->ndim && n < (int)sizeof shape - 24; d++)
                n += snprintf(shape + n, sizeof shape - (size_t)n, d ? ", %lld" : "%lld", (long long)t->shape[d]);
            snprintf(shape + n, sizeof shape - (size_t)n, "]");
            printf("%-*s  %-7s  %-20s  %12llu  %d\n", (int)width, t->name, tfm_dtype_name(t->dtype), shape,
                   (unsigned long long)t->nbytes, t->shard);
        }
    }
    tfm_weights_close(w);
    return 0;
}

/* ---- tokenize / decode ---- */

static void print_int_array(const int32_t *v, int64_t n) {
    int64_t i;
    putchar('[');
    for (i = 0; i < n; i++) printf(i ? ",%d" : "%d", v[i]);
    putchar(']');
}

static void print_encoding(const tfm_encoding *e) {
    int64_t i;
    printf("{\"ids\":");
    print_int_array(e->ids, e->length);
    printf(",\"tokens\":[");
    for (i = 0; i < e->length; i++) {
        if (i) putchar(',');
        print_json_string(stdout, e->tokens[i]);
    }
    printf("],\"offsets\":[");
    for (i = 0; i < e->length; i++) printf(i ? ",[%lld,%lld]" : "[%lld,%lld]", (long long)e->offsets[2 * i], (long long)e->offsets[2 * i + 1]);
    printf("],\"type_ids\":");
    print_int_array(e->type_ids, e->length);
    printf(",\"attention_mask\":");
    print_int_array(e->attention_mask, e->length);
}

static const char tokenize_usage[] =
    "usage: tfm tokenize --model PATH [--pair TEXT] [--no-special] [--max-length N] [--truncation STRATEGY]\n"
    "                    [--stride N] [--padding longest|max_length] TEXT\n"
    "  PATH: a model folder or a tokenizer.json. STRATEGY: longest_first (default when --max-length is\n"
    "  given), only_first, only_second. Prints {\"ids\",\"tokens\",\"offsets\",\"type_ids\",\"attention_mask\"}\n"
    "  with \"overflow\": [...] when truncation returns overflowing windows.\n";

static int cmd_tokenize(int argc, char **argv) {
    const char *model = NULL, *text = NULL, *pair = NULL;
    tfm_encode_options o;
    tfm_tokenizer *tok = NULL;
    tfm_encoding e;
    int i, only_positional = 0;
    int64_t k;
    memset(&o, 0, sizeof o);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_positional && strcmp(a, "--") == 0) only_positional = 1;
        else if (!only_positional && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
            fputs(tokenize_usage, stdout);
            return 0;
        } else if (!only_positional && strcmp(a, "--model") == 0 && i + 1 < argc) model = argv[++i];
        else if (!only_positional && strcmp(a, "--pair") == 0 && i + 1 < argc) pair = argv[++i];
        else if (!only_positional && strcmp(a, "--no-special") == 0) o.no_special_tokens = 1;
        else if (!only_positional && strcmp(a, "--max-length") == 0 && i + 1 < argc) {
            o.max_length = strtoll(argv[++i], NULL, 10);
            if (o.truncation == TFM_TRUNCATE_NONE) o.truncation = TFM_TRUNCATE_LONGEST_FIRST;
        } else if (!only_positional && strcmp(a, "--stride") == 0 && i + 1 < argc) o.stride = strtoll(argv[++i], NULL, 10);
        else if (!only_positional && strcmp(a, "--truncation") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            if (strcmp(s, "longest_first") == 0 || strcmp(s, "true") == 0) o.truncation = TFM_TRUNCATE_LONGEST_FIRST;
            else if (strcmp(s, "only_first") == 0) o.truncation = TFM_TRUNCATE_ONLY_FIRST;
            else if (strcmp(s, "only_second") == 0) o.truncation = TFM_TRUNCATE_ONLY_SECOND;
            else if (strcmp(s, "do_not_truncate") == 0 || strcmp(s, "false") == 0) o.truncation = TFM_TRUNCATE_NONE;
            else {
                fprintf(stderr, "tfm tokenize: unknown truncation strategy '%s'\n", s);
                return 2;
            }
        } else if (!only_positional && strcmp(a, "--padding") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            o.padding = strcmp(s, "max_length") == 0 ? TFM_PAD_MAX_LENGTH : TFM_PAD_LONGEST;
        } else if (!only_positional && a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "tfm tokenize: unknown flag '%s'\n%s", a, tokenize_usage);
            return 2;
        } else if (!text) text = a;
        else {
            fprintf(stderr, "tfm tokenize: one TEXT only (use --pair for a second text)\n");
            return 2;
        }
    }
    if (!model || !text) {
        fputs(tokenize_usage, stderr);
        return 2;
    }
    if (tfm_tokenizer_load(model, &tok) != TFM_OK) return cli_fail(NULL);
    if (tfm_tokenizer_encode(tok, text, strlen(text), pair, pair ? strlen(pair) : 0, &o, &e) != TFM_OK) {
        tfm_tokenizer_free(tok);
        return cli_fail(NULL);
    }
    print_encoding(&e);
    if (e.n_overflowing) {
        printf(",\"overflow\":[");
        for (k = 0; k < e.n_overflowing; k++) {
            if (k) putchar(',');
            print_encoding(&e.overflowing[k]);
            putchar('}');
        }
        putchar(']');
    }
    printf("}\n");
    tfm_encoding_free(&e);
    tfm_tokenizer_free(tok);
    return 0;
}

static const char decode_usage[] = "usage: tfm decode --model PATH [--skip-special] ID...\n";

static int cmd_decode(int argc, char **argv) {
    const char *model = NULL;
    int32_t *ids = (int32_t *)malloc(((size_t)argc + 1) * sizeof(int32_t));
    int i, n = 0, skip = 0;
    tfm_tokenizer *tok = NULL;
    char *text = NULL;
    size_t len = 0;
    if (!ids) return 1;
    for (i = 0; i < argc; i++) {
        char *end;
        long v;
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) model = argv[++i];
        else if (strcmp(argv[i], "--skip-special") == 0) skip = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(decode_usage, stdout);
            free(ids);
            return 0;
        } else {
            v = strtol(argv[i], &end, 10);
            if (*end || end == argv[i] || v < 0 || v > INT32_MAX) {
                fprintf(stderr, "tfm decode: '%s' is not a token id\n%s", argv[i], decode_usage);
                free(ids);
                return 2;
            }
            ids[n++] = (int32_t)v;
        }
    }
    if (!model) {
        fputs(decode_usage, stderr);
        free(ids);
        return 2;
    }
    if (tfm_tokenizer_load(model, &tok) != TFM_OK || tfm_tokenizer_decode(tok, ids, n, skip, &text, &len) != TFM_OK) {
        free(ids);
        tfm_tokenizer_free(tok);
        return cli_fail(NULL);
    }
    fwrite(text, 1, len, stdout);
    putchar('\n');
    tfm_free(text);
    free(ids);
    tfm_tokenizer_free(tok);
    return 0;
}

#if defined(__has_include)
#if __has_include("bench_gemm.c")
#define TFM_CLI_HAVE_BENCH_GEMM 1
#include "bench_gemm.c"
#endif
#if __has_include("bench_model.c")
#define TFM_CLI_HAVE_BENCH_MODEL 1
#include "bench_model.c"
#endif
#if __has_include("bench_generate.c")
#define TFM_CLI_HAVE_BENCH_GENERATE 1
#include "bench_generate.c"
#endif
#if __has_include("bench_vision.c")
#define TFM_CLI_HAVE_BENCH_VISION 1
#include "bench_vision.c"
#endif
#endif

/* ---- bench tokenize ---- */

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Lines of a JSONL corpus (one JSON string per line) or of a plain text file. */
static int load_bench_lines(const char *path, char ***lines_out, size_t **lens_out, size_t *n_out) {
    FILE *f = fopen(path, "rb");
    char *buf, **lines;
    size_t *lens, n = 0, cap = 1024, i, start = 0;
    long size;
    int jsonl = strlen(path) > 6 && strcmp(path + strlen(path) - 6, ".jsonl") == 0;
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = (char *)malloc((size_t)size + 1);
    lines = (char **)malloc(cap * sizeof(char *));
    lens = (size_t *)malloc(cap * sizeof(size_t));
    if (!buf || !lines || !lens || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        free(lines);
        free(lens);
        return 0;
    }
    fclose(f);
    buf[size] = 0;
    for (i = 0; i <= (size_t)size; i++) {
        if (i < (size_t)size && buf[i] != '\n') continue;
        if (i > start) {
            char *text = NULL;
            size_t len = 0;
            if (jsonl) {
                tfm_json *j = tfm_json_parse(buf + start, i - start, NULL);
                if (tfm_json_str(j)) {
                    len = tfm_json_len(j);
                    text = (char *)malloc(len + 1);
                    if (text) memcpy(text, tfm_json_str(j), len + 1);
                }
                tfm_json_free(j);
            } else {
                len = i - start;
                text = (char *)malloc(len + 1);
                if (text) {
                    memcpy(text, buf + start, len);
                    text[len] = 0;
                }
            }
            if (text) {
                if (n == cap) {
                    cap *= 2;
                    lines = (char **)realloc(lines, cap * sizeof(char *));
                    lens = (size_t *)realloc(lens, cap * sizeof(size_t));
                    if (!lines || !lens) return 0;
                }
                lines[n] = text;
                lens[n++] = len;
            }
        }
        start = i + 1;
    }
    free(buf);
    *lines_out = lines;
    *lens_out = lens;
    *n_out = n;
    return 1;
}

static const char bench_tok_usage[] =
    "usage: tfm bench tokenize [--corpus FILE] [--mb N] [--threads N] [--json] MODEL_DIR...\n"
    "  Encodes the corpus (JSONL strings or text lines; default tests/tokenizer_corpus/corpus.jsonl)\n"
    "  repeated to about N MB (default 2), offsets on: single thread, then a batch over N threads.\n"
    "  Also times loading the tokenizer.json.\n";

static int cmd_bench_tokenize(int argc, char **argv) {
    const char *corpus = "tests/tokenizer_corpus/corpus.jsonl";
    double mb = 2.0;
    int threads = 0, json = 0, i, n_models = 0;
    const char **models = (const char **)calloc((size_t)argc + 1, sizeof(char *));
    char **lines = NULL;
    size_t *lens = NULL, n_lines = 0, reps, bytes_once = 0, k;
    tfm_pool *pool;
    if (!models) return 1;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--corpus") == 0 && i + 1 < argc) corpus = argv[++i];
        else if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) mb = atof(argv[++i]);
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--json") == 0) json = 1;
        else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(bench_tok_usage, stdout);
            free(models);
            return 0;
        } else models[n_models++] = argv[i];
    }
    if (!n_models || !load_bench_lines(corpus, &lines, &lens, &n_lines) || !n_lines) {
        fputs(n_models ? "tfm bench tokenize: cannot read the corpus\n" : bench_tok_usage, stderr);
        free(models);
        return 2;
    }
    for (k = 0; k < n_lines; k++) bytes_once += lens[k];
    reps = (size_t)(mb * 1e6 / (double)(bytes_once ? bytes_once : 1)) + 1;
    pool = tfm_pool_create(threads);
    if (!json)
        printf("tfm bench tokenize: %zu strings x %zu = %.2f MB, offsets on, batch on %d threads\n"
               "%-28s %9s %10s %12s %10s %12s\n", n_lines, reps, (double)bytes_once * (double)reps / 1e6,
               tfm_pool_threads(pool), "tokenizer", "load ms", "1T MB/s", "1T Mtok/s", "batch MB/s", "batch Mtok/s");
    else
        printf("[");
    for (i = 0; i < n_models; i++) {
        tfm_tokenizer *tok = NULL;
        double t0 = now_seconds(), t_load, t1, t_single, t_batch;
        size_t r, tokens = 0, batch_tokens = 0;
        tfm_encoding *encs;
        if (tfm_tokenizer_load(models[i], &tok) != TFM_OK) {
            fprintf(stderr, "tfm bench tokenize: %s\n", tfm_last_error());
            continue;
        }
        t_load = now_seconds() - t0;
        t1 = now_seconds();
        for (r = 0; r < reps; r++) {
            for (k = 0; k < n_lines; k++) {
                tfm_encoding e;
                if (tfm_tokenizer_encode(tok, lines[k], lens[k], NULL, 0, NULL, &e) == TFM_OK) tokens += (size_t)e.length;
                tfm_encoding_free(&e);
            }
        }
        t_single = now_seconds() - t1;
        encs = (tfm_encoding *)calloc(n_lines, sizeof *encs);
        t1 = now_seconds();
        for (r = 0; encs && r < reps; r++) {
            if (tfm_tokenizer_encode_batch(tok, pool, (const char *const *)lines, lens, NULL, NULL, (int64_t)n_lines, NULL,
                                           encs) != TFM_OK)
                break;
            for (k = 0; k < n_lines; k++) {
                batch_tokens += (size_t)encs[k].length;
                tfm_encoding_free(&encs[k]);
            }
        }
        t_batch = now_seconds() - t1;
        free(encs);
        {
            double total_mb = (double)bytes_once * (double)reps / 1e6;
            if (json)
                printf("%s{\"model\":\"%s\",\"load_ms\":%.2f,\"single_mb_s\":%.3f,\"single_mtok_s\":%.3f,"
                       "\"batch_mb_s\":%.3f,\"batch_mtok_s\":%.3f,\"threads\":%d}",
                       i ? "," : "", models[i], t_load * 1e3, total_mb / t_single, (double)tokens / t_single / 1e6,
                       total_mb / t_batch, (double)batch_tokens / t_batch / 1e6, tfm_pool_threads(pool));
            else
                printf("%-28.28s %9.1f %10.2f %12.3f %10.2f %12.3f\n", models[i], t_load * 1e3, total_mb / t_single,
                       (double)tokens / t_single / 1e6, total_mb / t_batch, (double)batch_tokens / t_batch / 1e6);
        }
        tfm_tokenizer_free(tok);
    }
    if (json) printf("]\n");
    for (k = 0; k < n_lines; k++) free(lines[k]);
    free(lines);
    free(lens);
    free(models);
    tfm_pool_free(pool);
    return 0;
}

#include "cli_pipelines.c"

static const char bench_usage[] = "usage: tfm bench gemm [--threads N] [--reps R] [--blocks B] [--isa LIST] [--dtype LIST]\n"
                                  "                      [--no-openblas] [--json]\n"
                                  "       tfm bench tokenize [--corpus FILE] [--mb N] [--threads N] [--json] MODEL_DIR...\n"
                                  "       tfm bench model [--model DIR] [--threads N] [--reps R] [--batch B] [--seq S] [--json]\n"
                                  "       tfm bench generate [--model DIR | --make-random gpt2|llama1b] [--threads N] [--json]\n"
                                  "       tfm bench vision [--model DIR] [--images DIR] [--threads N] [--reps R] [--json]\n";

static int cmd_bench(int argc, char **argv) {
    if (argc >= 1 && strcmp(argv[0], "tokenize") == 0) return cmd_bench_tokenize(argc - 1, argv + 1);
#if defined(TFM_CLI_HAVE_BENCH_MODEL)
    if (argc >= 1 && strcmp(argv[0], "model") == 0) return tfm_cli_bench_model(argc - 1, argv + 1);
#endif
#if defined(TFM_CLI_HAVE_BENCH_GENERATE)
    if (argc >= 1 && strcmp(argv[0], "generate") == 0) return tfm_cli_bench_generate(argc - 1, argv + 1);
#endif
#if defined(TFM_CLI_HAVE_BENCH_VISION)
    if (argc >= 1 && strcmp(argv[0], "vision") == 0) return tfm_cli_bench_vision(argc - 1, argv + 1);
#endif
    if (argc >= 1 && strcmp(argv[0], "gemm") == 0) {
#if defined(TFM_CLI_HAVE_BENCH_GEMM)
        return tfm_cli_bench_gemm(argc - 1, argv + 1);
#else
        fputs("tfm bench gemm: this build has no benchmark code\n", stderr);
        return 1;
#endif
    }
    fputs(bench_usage, argc ? stderr : stdout);
    return argc ? 2 : 0;
}

static const char usage[] =
    "tfm - Hugging Face Transformers inference from one C header\n"
    "usage: tfm <command> [args]\n"
    "  TASK --model DIR INPUT... a pipeline: feature-extraction, sentence-embedding,\n"
    "                            text-classification, token-classification, question-answering,\n"
    "                            fill-mask, zero-shot-classification, text-generation ('tfm TASK --help')\n"
    "  perplexity --model DIR FILE  strided sliding-window perplexity of a text\n"
    "  inspect PATH [--json]     list the tensors and metadata of a safetensors file or model folder\n"
    "  tokenize --model PATH TEXT  ids, tokens, offsets of a text (tokenizer.json)\n"
    "  decode --model PATH ID...   text of token ids\n"
    "  bench gemm [...]          GEMM throughput per kernel family against the FMA peak and OpenBLAS\n"
    "  bench tokenize [...]      tokenizer throughput, single thread and batch\n"
    "  bench vision [...]        image classification: decode + preprocess, forward, pipeline\n"
    "  version                   print the library version and the kernel family this CPU uses\n"
    "Run 'tfm <command> --help' for the flags of a command.\n";

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (is_pipeline_task(argv[1])) return cmd_pipeline(argv[1], argc - 2, argv + 2);
    if (strcmp(argv[1], "perplexity") == 0) return cmd_perplexity(argc - 2, argv + 2);
    if (strcmp(argv[1], "inspect") == 0) return cmd_inspect(argc - 2, argv + 2);
    if (strcmp(argv[1], "tokenize") == 0) return cmd_tokenize(argc - 2, argv + 2);
    if (strcmp(argv[1], "decode") == 0) return cmd_decode(argc - 2, argv + 2);
    if (strcmp(argv[1], "bench") == 0) return cmd_bench(argc - 2, argv + 2);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("transformers.h %s (kernels: %s)\n", tfm_version(), tfm_isa_name(tfm_isa_best()));
        return 0;
    }
    fprintf(stderr, "tfm: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
