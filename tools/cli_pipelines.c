/* tfm <task> subcommands: the text and vision pipelines of transformers.h from the command line.
   Included by tools/tfm.c (one translation unit, so `cc tools/tfm.c` builds everything). */

#include <unistd.h>

static const char pipeline_usage[] =
    "usage: tfm TASK --model DIR [flags] [--] INPUT...\n"
    "       tfm TASK --model DIR [flags] --stdin        (one input per line: text, or a JSON\n"
    "                                                      string / {\"text\",\"text_pair\"} /\n"
    "                                                      {\"question\",\"context\"} object)\n"
    "TASK: feature-extraction, sentence-embedding, text-classification (sentiment-analysis),\n"
    "      token-classification (ner), question-answering, fill-mask, zero-shot-classification,\n"
    "      text-generation, image-classification, image-feature-extraction,\n"
    "      zero-shot-image-classification\n"
    "      (vision INPUT: an image file, '-' for image bytes on stdin, or a base64 / data URI string;\n"
    "       URLs are not fetched: download first)\n"
    "common:        --threads N  --batch-size N  --top-k K|all\n"
    "classification: --function-to-apply softmax|sigmoid|none  --text-pair TEXT\n"
    "ner:           --aggregation-strategy none|simple|first|average|max  --ignore-labels A,B\n"
    "qa:            --question Q --context C  --max-seq-len N  --doc-stride N  --max-answer-len N\n"
    "               --max-question-len N  --handle-impossible-answer  --no-align-to-words\n"
    "fill-mask:     --targets A,B\n"
    "zero-shot:     --candidate-labels A,B,C  --hypothesis-template T  --multi-label\n"
    "vision:        --pool (image-feature-extraction: pooler_output)\n"
    "generation:    --max-new-tokens N  --min-new-tokens N  --do-sample  --temperature T  --top-k K  --top-p P\n"
    "               --min-p P  --typical-p P  --repetition-penalty R  --no-repeat-ngram-size N  --seed S\n"
    "               --num-return-sequences N  --stop-strings A,B  --return-full-text false  --return-tensors\n"
    "               --stream (print the text as it is generated instead of the JSON)\n"
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

static int print_piece(void *user, const char *text, size_t len) {
    (void)user;
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    return 0;
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
    tfm_image stdin_image; /* '-' of a vision task */
} cli_inputs;

static int inputs_add(cli_inputs *in, const char *text, const char *pair) {
    if (in->n == in->cap) {
        int64_t c = in->cap ? in->cap * 2 : 16;
        tfm_pipeline_input *g = (tfm_pipeline_input *)realloc(in->v, (size_t)c * sizeof *g);
        if (!g) return 0;
        in->v = g;
        in->cap = c;
    }
    memset(&in->v[in->n], 0, sizeof in->v[in->n]);
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
    tfm_image_free(&in->stdin_image);
}

static int cmd_pipeline(const char *task, int argc, char **argv) {
    const char *model = NULL, *question = NULL, *context = NULL, *pair = NULL;
    const char **targets = NULL, **labels = NULL, **ignore = NULL;
    int64_t n_targets = 0, n_labels = 0, n_ignore = 0;
    const char **stops = NULL;
    int64_t n_stops = 0;
    tfm_pipeline_options o;
    tfm_generation_options go;
    tfm_pipeline *p = NULL;
    tfm_json *result = NULL;
    cli_inputs in;
    int i, only_positional = 0, from_stdin = 0, rc = 0, stream = 0, is_gen = strcmp(task, "text-generation") == 0;
    int is_vision = strstr(task, "image") != NULL;
    memset(&o, 0, sizeof o);
    memset(&go, 0, sizeof go);
    memset(&in, 0, sizeof in);
    o.generation = &go;
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
        else if (FLAG("--top-k") && has && is_gen) go.top_k = strtoll(argv[++i], NULL, 10) > 0 ? strtoll(argv[i], NULL, 10) : -1;
        else if (FLAG("--max-new-tokens") && has) go.max_new_tokens = strtoll(argv[++i], NULL, 10) > 0 ? strtoll(argv[i], NULL, 10) : -1;
        else if (FLAG("--min-new-tokens") && has) go.min_new_tokens = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--do-sample")) go.do_sample = 1;
        else if (FLAG("--temperature") && has) go.temperature = (float)atof(argv[++i]);
        else if (FLAG("--top-p") && has) go.top_p = (float)atof(argv[++i]);
        else if (FLAG("--min-p") && has) go.min_p = (float)atof(argv[++i]);
        else if (FLAG("--typical-p") && has) go.typical_p = (float)atof(argv[++i]);
        else if (FLAG("--repetition-penalty") && has) go.repetition_penalty = (float)atof(argv[++i]);
        else if (FLAG("--no-repeat-ngram-size") && has) go.no_repeat_ngram_size = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--seed") && has) go.seed = strtoull(argv[++i], NULL, 10);
        else if (FLAG("--num-return-sequences") && has) go.num_return_sequences = strtoll(argv[++i], NULL, 10);
        else if (FLAG("--stop-strings") && has) {
            stops = split_list(argv[++i], &n_stops);
            go.stop_strings = stops;
            go.n_stop_strings = n_stops;
        } else if (FLAG("--return-full-text") && has) o.return_full_text = strcmp(argv[++i], "false") == 0 ? -1 : 1;
        else if (FLAG("--return-tensors")) o.return_tensors = 1;
        else if (FLAG("--stream")) stream = 1;
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
        else if (FLAG("--pool")) o.pool = 1;
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
    for (i = 0; i < in.n; i++)
        if (is_vision && in.v[i].text && !strcmp(in.v[i].text, "-")) { /* image bytes on stdin */
            unsigned char *buf = NULL;
            size_t len = 0, cap = 0, got;
            if (in.stdin_image.data) {
                fprintf(stderr, "tfm %s: '-' (stdin) can be given once\n", task);
                rc = 2;
                goto done;
            }
            do {
                if (len == cap) {
                    unsigned char *g = (unsigned char *)realloc(buf, cap = cap ? cap * 2 : 65536);
                    if (!g) {
                        free(buf);
                        rc = cli_fail("out of memory");
                        goto done;
                    }
                    buf = g;
                }
                got = fread(buf + len, 1, cap - len, stdin);
                len += got;
            } while (got > 0);
            if (tfm_image_decode(buf, len, &in.stdin_image) != TFM_OK) {
                free(buf);
                rc = cli_fail(NULL);
                goto done;
            }
            free(buf);
            in.v[i].image = &in.stdin_image;
            in.v[i].text = NULL;
        }
    if (isatty(2) && in.n > 1) o.progress = progress_bar;
    if (stream) {
        if (!is_gen || in.n != 1) {
            fprintf(stderr, "tfm %s: --stream takes text-generation and one prompt\n", task);
            rc = 2;
            goto done;
        }
        go.stream = print_piece;
    }
    if (tfm_pipeline_open(task, model, &o, &p) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    if (tfm_pipeline_run(p, in.v, in.n, in.n > 1 || from_stdin, NULL, &result) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    if (stream) {
        putchar('\n');
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
    free_list(stops, n_stops);
    return rc;
}

static int is_pipeline_task(const char *t) {
    static const char *const tasks[] = {"feature-extraction", "sentence-embedding", "sentence-similarity",
                                        "text-classification", "sentiment-analysis", "token-classification", "ner",
                                        "question-answering", "fill-mask", "zero-shot-classification",
                                        "text-generation", "image-classification", "image-feature-extraction",
                                        "zero-shot-image-classification"};
    size_t i;
    for (i = 0; i < sizeof tasks / sizeof tasks[0]; i++)
        if (strcmp(t, tasks[i]) == 0) return 1;
    return 0;
}

static const char perplexity_usage[] =
    "usage: tfm perplexity --model DIR [--max-length N] [--stride S] [--threads N] FILE\n"
    "  Strided sliding-window perplexity of FILE's text (tokenized with the folder's tokenizer and its\n"
    "  default special tokens); max-length defaults to the model's positions, stride to max-length.\n"
    "  Prints {\"perplexity\": x, \"tokens\": n}.\n";

static int cmd_perplexity(int argc, char **argv) {
    const char *model = NULL, *file = NULL;
    int64_t max_length = 0, stride = 0, count = 0;
    int threads = 0, i, rc = 0;
    tfm_model *m = NULL;
    tfm_tokenizer *tok = NULL;
    tfm_encoding e;
    tfm_ctx ctx;
    double ppl = 0;
    FILE *f;
    char *text = NULL;
    long size;
    memset(&e, 0, sizeof e);
    memset(&ctx, 0, sizeof ctx);
    for (i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) model = argv[++i];
        else if (!strcmp(argv[i], "--max-length") && i + 1 < argc) max_length = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--stride") && i + 1 < argc) stride = strtoll(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(perplexity_usage, stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "tfm perplexity: unknown flag '%s'\n%s", argv[i], perplexity_usage);
            return 2;
        } else
            file = argv[i];
    }
    if (!model || !file) {
        fputs(perplexity_usage, stderr);
        return 2;
    }
    f = strcmp(file, "-") ? fopen(file, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "tfm perplexity: cannot open %s\n", file);
        return 1;
    }
    {
        size_t cap = 1 << 16, len = 0, got;
        text = (char *)malloc(cap + 1);
        while (text && (got = fread(text + len, 1, cap - len, f)) > 0) {
            len += got;
            if (len == cap) {
                char *g = (char *)realloc(text, cap * 2 + 1);
                if (!g) break;
                text = g;
                cap *= 2;
            }
        }
        if (text) text[len] = 0;
        size = (long)len;
    }
    if (f != stdin) fclose(f);
    if (!text) return cli_fail("out of memory");
    if (tfm_model_load(model, TFM_HEAD_AUTO, &m) != TFM_OK || tfm_tokenizer_load(model, &tok) != TFM_OK ||
        tfm_tokenizer_encode(tok, text, (size_t)size, NULL, 0, NULL, &e) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    if (max_length <= 0) max_length = tfm_model_max_positions(m);
    if (stride <= 0) stride = max_length;
    ctx.pool = tfm_pool_create(threads);
    if (tfm_perplexity(m, &ctx, e.ids, e.length, max_length, stride, &ppl, &count) != TFM_OK) {
        rc = cli_fail(NULL);
        goto done;
    }
    printf("{\"perplexity\": %.9g, \"tokens\": %lld}\n", ppl, (long long)count);
done:
    tfm_pool_free(ctx.pool);
    tfm_encoding_free(&e);
    tfm_tokenizer_free(tok);
    tfm_model_free(m);
    free(text);
    return rc;
}
