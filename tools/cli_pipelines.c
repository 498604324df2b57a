/* tfm <task> subcommands: the text pipelines of transformers.h from the command line.
   Included by tools/tfm.c (one translation unit, so `cc tools/tfm.c` builds everything). */

#include <unistd.h>

static const char pipeline_usage[] =
    "usage: tfm TASK --model DIR [flags] [--] INPUT...\n"
    "       tfm TASK --model DIR [flags] --stdin        (one input per line: text, or a JSON\n"
    "                                                      string / {\"text\",\"text_pair\"} /\n"
    "                                                      {\"question\",\"context\"} object)\n"
    "TASK: feature-extraction, sentence-embedding, text-classification (sentiment-analysis),\n"
    "      token-classification (ner), question-answering, fill-mask, zero-shot-classification\n"
    "common:        --threads N  --batch-size N  --top-k K|all\n"
    "classification: --function-to-apply softmax|sigmoid|none  --text-pair TEXT\n"
    "ner:           --aggregation-strategy none|simple|first|average|max  --ignore-labels A,B\n"
    "qa:            --question Q --context C  --max-seq-len N  --doc-stride N  --max-answer-len N\n"
    "               --max-question-len N  --handle-impossible-answer  --no-align-to-words\n"
    "fill-mask:     --targets A,B\n"
    "zero-shot:     --candidate-labels A,B,C  --hypothesis-template T  --multi-label\n"
    "Prints the JSON Python's pipeline returns for the same call.\n";

/* Splits a comma-separated list (pieces stripped, empty pieces dropped, as the reference does for
   candidate labels). The array and its strings are malloc'd; free with free_list. */
static const char **split_list(const char *s, int64_t *n) {
    const char **v = (const char **)calloc(strlen(s) + 2, sizeof(char *));
    const char *p = s;
    *n = 0;
    if (!v) return NULL;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t')) p++, len--;
        while (len && (p[len - 1] == ' ' || p[len - 1] == '\t')) len--;
        if (len) {
            char *c = (char *)malloc(len + 1);
            if (!c) break;
            memcpy(c, p, len);
            c[len] = 0;
            v[(*n)++] = c;
        }
        if (!e) break;
        p = e + 1;
    }
    return v;
}
static void free_list(const char **v, int64_t n) {
    int64_t i;
    if (!v) return;
    for (i = 0; i < n; i++) free((void *)v[i]);
    free((void *)v);
}

static void progress_bar(void *user, int64_t done, int64_t total) {
    int width = 40, filled = total > 0 ? (int)(width * done / total) : width, i;
    (void)user;
    fprintf(stderr, "\r[");
    for (i = 0; i < width; i++) fputc(i < filled ? '#' : ' ', stderr);
    fprintf(stderr, "] %lld/%lld", (long long)done, (long long)total);
    if (done >= total) fputc('\n', stderr);
    fflush(stderr);
}

typedef struct cli_inputs {
    tfm_pipeline_input *v;
    int64_t n, cap;
    char **owned;
    int64_t n_owned;
    tfm_json **docs;
    int64_t n_docs;
} cli_inputs;

static int inputs_add(cli_inputs *in, const char *text, const char *pair) {
    if (in->n == in->cap) {
        int64_t c = in->cap ? in->cap * 2 : 16;
        tfm_pipeline_input *g = (tfm_pipeline_input *)realloc(in->v, (size_t)c * sizeof *g);
        if (!g) return 0;
        in->v = g;
        in->cap = c;
    }
    in->v[in->n].text = text;
    in->v[in->n].text_pair = pair;
    in->n++;
    return 1;
}

/* One stdin line: a JSON string or object, else the raw text. */
static int inputs_add_line(cli_inputs *in, char *line, size_t len) {
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
    if (len && (line[0] == '{' || line[0] == '"')) {
        tfm_json *doc = tfm_json_parse(line, len, "stdin line");
        tfm_json **g;
        if (!doc) return 0;
        g = (tfm_json **)realloc(in->docs, (size_t)(in->n_docs + 1) * sizeof *g);
        if (!g) {
            tfm_json_free(doc);
            return 0;
        }
        in->docs = g;
        in->docs[in->n_docs++] = doc;
        if (tfm_json_kind(doc) == TFM_JSON_STRING) return inputs_add(in, tfm_json_str(doc), NULL);
        if (tfm_json_get(doc, "question"))
            return inputs_add(in, tfm_json_str(tfm_json_get(doc, "question")), tfm_json_str(tfm_json_get(doc, "context")));
        return inputs_add(in, tfm_json_str(tfm_json_get(doc, "text")), tfm_json_str(tfm_json_get(doc, "text_pair")));
    }
    {
        char *copy = (char *)malloc(len + 1);
        char **g = (char **)realloc(in->owned, (size_t)(in->n_owned + 1) * sizeof *g);
        if (!copy || !g) {
            free(copy);
            if (g) in->owned = g;
            return 0;
        }
        in->owned = g;
        memcpy(copy, line, len + 1);
        in->owned[in->n_owned++] = copy;
        return inputs_add(in, copy, NULL);
    }
}

static void inputs_free(cli_inputs *in) {
    int64_t i;
    for (i = 0; i < in->n_owned; i++) free(in->owned[i]);
    for (i = 0; i < in->n_docs; i++) tfm_json_free(in->docs[i]);
    free(in->owned);
    free(in->docs);
    free(in->v);
}

static int cmd_pipeline(const char *task, int argc, char **argv) {
    const char *model = NULL, *question = NULL, *context = NULL, *pair = NULL;
    const char **targets = NULL, **labels = NULL, **ignore = NULL;
    int64_t n_targets = 0, n_labels = 0, n_ignore = 0;
    tfm_pipeline_options o;
    tfm_pipeline *p = NULL;
    tfm_json *result = NULL;
    cli_inputs in;
    int i, only_positional = 0, from_stdin = 0, rc = 0;
    memset(&o, 0, sizeof o);
    memset(&in, 0, sizeof in);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
#define FLAG(name) (!only_positional && strcmp(a, name) == 0)
        if (FLAG("--")) only_positional = 1;
        else if (FLAG("-h") || FLAG("--help")) {
            fputs(pipeline_usage, stdout);
            rc = 0;
            goto done;
        } else if (FLAG("--model") && has) model = argv[++i];
        else if (FLAG("--threads") && has) o.threads = atoi(argv[++i]);
        else if (FLAG("--batch-size") && has) o.batch_size = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--top-k") && has) {
            const char *v = argv[++i];
            o.top_k = (!strcmp(v, "all") || !strcmp(v, "None")) ? TFM_TOP_K_ALL : strtoll(v, NULL, 10);
            if (o.top_k == 0) {
                fprintf(stderr, "tfm %s: --top-k must be >= 1 or 'all'\n", task);
                rc = 2;
                goto done;
            }
        } else if (FLAG("--function-to-apply") && has) o.function_to_apply = argv[++i];
        else if (FLAG("--aggregation-strategy") && has) o.aggregation_strategy = argv[++i];
        else if (FLAG("--ignore-labels") && has) {
            ignore = split_list(argv[++i], &n_ignore);
            o.ignore_labels = ignore;
            o.n_ignore_labels = n_ignore ? n_ignore : -1;
        } else if (FLAG("--text-pair") && has) pair = argv[++i];
        else if (FLAG("--question") && has) question = argv[++i];
        else if (FLAG("--context") && has) context = argv[++i];
        else if (FLAG("--max-seq-len") && has) o.max_seq_len = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--doc-stride") && has) o.doc_stride = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--max-answer-len") && has) o.max_answer_len = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--max-question-len") && has) o.max_question_len = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--handle-impossible-answer")) o.handle_impossible_answer = 1;
        else if (FLAG("--no-align-to-words")) o.no_align_to_words = 1;
        else if (FLAG("--targets") && has) {
            targets = split_list(argv[++i], &n_targets);
            o.targets = targets;
            o.n_targets = n_targets;
        } else if (FLAG("--candidate-labels") && has) {
            labels = split_list(argv[++i], &n_labels);
            o.candidate_labels = labels;
            o.n_candidate_labels = n_labels;
        } else if (FLAG("--hypothesis-template") && has) o.hypothesis_template = argv[++i];
        else if (FLAG("--multi-label")) o.multi_label = 1;
        else if (FLAG("--stdin")) from_stdin = 1;
        else if (!only_positional && a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "tfm %s: unknown flag '%s' (or missing value)\n%s", task, a, pipeline_usage);
            rc = 2;
            goto done;
        } else if (!inputs_add(&in, a, pair)) {
            rc = cli_fail("out of memory");
            goto done;
        }
#undef FLAG
    }
    if (question || context) {
        if (!question || !context) {
            fprintf(stderr, "tfm %s: --question and --context go together\n", task);
            rc = 2;
            goto done;
        }
        if (!inputs_add(&in, question, context)) {
            rc = cli_fail("out of memory");
            goto done;
        }
    }
    for (i = 0; i < in.n; i++)
        if (!in.v[i].text_pair && pair && strcmp(task, "question-answering") != 0) in.v[i].text_pair = pair;
    if (from_stdin) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t got;
        while ((got = getline(&line, &cap, stdin)) >= 0)
            if (!inputs_add_line(&in, line, (size_t)got)) {
                free(line);
                rc = cli_fail("stdin");
                goto done;
            }
        free(line);
    }
    if (!model || in.n == 0) {
        fputs(pipeline_usage, stderr);
        rc = 2;
        goto done;
    }
    if (isatty(2) && in.n > 1) o.progress = progress_bar;
    if (tfm_pipeline_open(task, model, &o, &p) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    if (tfm_pipeline_run(p, in.v, in.n, in.n > 1 || from_stdin, NULL, &result) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    {
        char *js = tfm_json_write(result, NULL);
        if (!js) {
            rc = cli_fail(NULL);
            goto done;
        }
        puts(js);
        tfm_free(js);
    }
done:
    tfm_json_free(result);
    tfm_pipeline_free(p);
    inputs_free(&in);
    free_list(targets, n_targets);
    free_list(labels, n_labels);
    free_list(ignore, n_ignore);
    return rc;
}

static int is_pipeline_task(const char *t) {
    static const char *const tasks[] = {"feature-extraction", "sentence-embedding", "sentence-similarity",
                                        "text-classification", "sentiment-analysis", "token-classification", "ner",
                                        "question-answering", "fill-mask", "zero-shot-classification"};
    size_t i;
    for (i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
        if (strcmp(t, tasks[i]) == 0) return 1;
    return 0;
}
