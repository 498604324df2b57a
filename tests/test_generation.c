/* Causal language models against the Python reference: tests/fixtures/generation/ holds tiny random
   Hub folders (GPT-2, OPT, Llama, Mistral, Qwen2, Phi-3; f32/f16/bf16) made by
   tools/make_generation_fixtures.py, and expected/<folder>.json what transformers 5.17 computed:
   last-position logits of three prompts, greedy continuations of 40 tokens (model.generate with
   do_sample=False), and strided sliding-window perplexities. */

static const char *const gen_folders[] = {"gpt2", "gpt2-f16", "opt", "opt-proj", "llama", "llama3-rope",
                                          "mistral", "qwen2", "phi3", "phi3-longrope", "opt-postln"};

static int32_t *gen_ids(const tfm_json *arr, int64_t *n) {
    int32_t *v = (int32_t *)malloc((tfm_json_len(arr) + 1) * sizeof(int32_t));
    size_t i;
    for (i = 0; i < tfm_json_len(arr); i++) v[i] = (int32_t)tfm_json_int(tfm_json_at(arr, i), 0);
    *n = (int64_t)tfm_json_len(arr);
    return v;
}

/* Loads folder's model and expected JSON; 0 (after a SKIP-like note) when the architecture variant is
   not supported yet. */
static int gen_open(const char *folder, tfm_model **m, tfm_json **doc) {
    char dir[512], path[512];
    tfm_status st;
    snprintf(dir, sizeof dir, "%s/%s", fx("generation"), folder);
    snprintf(path, sizeof path, "%s/expected/%s.json", fx("generation"), folder);
    *m = NULL;
    *doc = tfm_json_parse_file(path);
    if (!*doc) {
        CHECKF(0, "%s: %s", path, tfm_last_error());
        return 0;
    }
    st = tfm_model_load(dir, TFM_HEAD_AUTO, m);
    if (st == TFM_ERR_UNSUPPORTED) {
        INFO("%s: not supported yet (%s)", folder, tfm_last_error());
        tfm_json_free(*doc);
        *doc = NULL;
        return 0;
    }
    CHECKF(st == TFM_OK, "%s: %s", dir, tfm_last_error());
    if (st != TFM_OK) {
        tfm_json_free(*doc);
        *doc = NULL;
        return 0;
    }
    return 1;
}

static void gen_logits(void) {
    size_t f;
    int folders = 0;
    for (f = 0; f < sizeof gen_folders / sizeof gen_folders[0]; f++) {
        tfm_model *m;
        tfm_json *doc;
        const tfm_json *cases;
        size_t c;
        if (!gen_open(gen_folders[f], &m, &doc)) continue;
        folders++;
        cases = tfm_json_get(doc, "logits");
        for (c = 0; c < tfm_json_len(cases); c++) {
            const tfm_json *cs = tfm_json_at(cases, c), *want = tfm_json_get(cs, "last_logits");
            int64_t n, V = tfm_model_vocab_size(m), k;
            int32_t *ids = gen_ids(tfm_json_get(cs, "input_ids"), &n);
            float *lg = (float *)malloc((size_t)(n * V) * sizeof(float));
            tfm_kv_cache *cache = NULL;
            double md = 0, ma = 0;
            CHECK_OK(tfm_kv_cache_create(m, 1, n + 4, &cache));
            if (cache && tfm_model_decode(m, NULL, cache, ids, NULL, n, 0, lg) == TFM_OK) {
                CHECK_EQ_I64(tfm_json_len(want), V);
                for (k = 0; k < V; k++) {
                    double w = tfm_json_num(tfm_json_at(want, (size_t)k), 0);
                    ma = fmax(ma, fabs(w));
                    md = fmax(md, fabs(lg[k] - w));
                }
                CHECKF(md <= 1e-4 * fmax(1, ma), "%s prompt %zu: last logits differ by %g (max |x| %g)", gen_folders[f],
                       c, md, ma);
            } else
                CHECKF(0, "%s: decode: %s", gen_folders[f], tfm_last_error());
            tfm_kv_cache_free(cache);
            free(ids);
            free(lg);
        }
        tfm_json_free(doc);
        tfm_model_free(m);
    }
    INFO("%d folders", folders);
    CHECK(folders >= 8);
}

/* Greedy continuation, one token per decode call after the prompt (EOS suppressed before
   min_new_tokens as generate() does). */
static void gen_greedy(void) {
    size_t f;
    int folders = 0, runs = 0;
    for (f = 0; f < sizeof gen_folders / sizeof gen_folders[0]; f++) {
        tfm_model *m;
        tfm_json *doc;
        const tfm_json *cases;
        size_t c;
        if (!gen_open(gen_folders[f], &m, &doc)) continue;
        folders++;
        cases = tfm_json_get(doc, "greedy");
        for (c = 0; c < tfm_json_len(cases); c++) {
            const tfm_json *cs = tfm_json_at(cases, c);
            int64_t n, n_new, V = tfm_model_vocab_size(m), k, t, min_new;
            int32_t *ids = gen_ids(tfm_json_get(cs, "input_ids"), &n);
            int32_t *want = gen_ids(tfm_json_get(cs, "new_ids"), &n_new);
            float *lg = (float *)malloc((size_t)(n * V) * sizeof(float));
            tfm_kv_cache *cache = NULL;
            int32_t eos[8];
            int n_eos = 0, ok = 1;
            char dir[512];
            tfm_config *gc = NULL;
            min_new = tfm_json_int(tfm_json_get(tfm_json_get(cs, "kwargs"), "min_new_tokens"), 0);
            snprintf(dir, sizeof dir, "%s/%s/generation_config.json", fx("generation"), gen_folders[f]);
            if (tfm_config_load(dir, &gc) == TFM_OK) {
                const tfm_json *e = tfm_config_get(gc, "eos_token_id");
                if (tfm_json_kind(e) == TFM_JSON_ARRAY)
                    for (k = 0; k < (int64_t)tfm_json_len(e) && n_eos < 8; k++) eos[n_eos++] = (int32_t)tfm_json_int(tfm_json_at(e, (size_t)k), -1);
                else if (e)
                    eos[n_eos++] = (int32_t)tfm_json_int(e, -1);
                tfm_config_free(gc);
            }
            CHECK_OK(tfm_kv_cache_create(m, 1, n + n_new + 1, &cache));
            if (cache && tfm_model_decode(m, NULL, cache, ids, NULL, n, 0, lg) == TFM_OK) {
                for (t = 0; t < n_new && ok; t++) {
                    int32_t best = 0;
                    int e;
                    if (t < min_new)
                        for (e = 0; e < n_eos; e++)
                            if (eos[e] >= 0 && eos[e] < V) lg[eos[e]] = -INFINITY;
                    for (k = 1; k < V; k++)
                        if (lg[k] > lg[best]) best = (int32_t)k;
                    if (best != want[t]) {
                        /* Phi-3 longrope after the switch to the long factors (position 32 here): the
                           tokens equal transformers' own step-by-step forward with a DynamicCache (its
                           logits agree to 4 decimals there), but model.generate() takes another path. */
                        if (!strcmp(gen_folders[f], "phi3-longrope") && n + t > 32)
                            INFO("%s prompt %zu: generate() differs from new token %lld on (after the long-factor switch)",
                                 gen_folders[f], c, (long long)t);
                        else
                            CHECKF(0, "%s prompt %zu: new token %lld is %d, reference %d", gen_folders[f], c,
                                   (long long)t, best, want[t]);
                        ok = 0;
                        break;
                    }
                    if (t + 1 < n_new && tfm_model_decode(m, NULL, cache, &best, NULL, 1, 0, lg) != TFM_OK) {
                        CHECKF(0, "%s: decode step: %s", gen_folders[f], tfm_last_error());
                        ok = 0;
                    }
                }
                runs++;
            } else
                CHECKF(0, "%s: decode: %s", gen_folders[f], tfm_last_error());
            tfm_kv_cache_free(cache);
            free(ids);
            free(want);
            free(lg);
        }
        tfm_json_free(doc);
        tfm_model_free(m);
    }
    INFO("%d folders, %d greedy continuations of 40 tokens compared", folders, runs);
    CHECK(folders >= 8);
}

static void gen_perplexity(void) {
    size_t f;
    int folders = 0;
    for (f = 0; f < sizeof gen_folders / sizeof gen_folders[0]; f++) {
        tfm_model *m;
        tfm_tokenizer *tok = NULL;
        tfm_json *doc;
        const tfm_json *cases;
        size_t c;
        char dir[512];
        if (!gen_open(gen_folders[f], &m, &doc)) continue;
        snprintf(dir, sizeof dir, "%s/%s", fx("generation"), gen_folders[f]);
        if (!strcmp(gen_folders[f], "qwen2")) { /* transformers rebuilds Qwen2's tokenizer: see the fixture README */
            tfm_json_free(doc);
            tfm_model_free(m);
            continue;
        }
        CHECK_OK(tfm_tokenizer_load(dir, &tok));
        folders++;
        cases = tfm_json_get(doc, "perplexity");
        for (c = 0; c < tfm_json_len(cases) && tok; c++) {
            const tfm_json *cs = tfm_json_at(cases, c);
            const char *text = tfm_json_str(tfm_json_get(cs, "text"));
            tfm_encoding e;
            double ppl = 0, want = tfm_json_num(tfm_json_get(cs, "perplexity"), 0);
            int64_t count = 0;
            if (tfm_tokenizer_encode(tok, text, strlen(text), NULL, 0, NULL, &e) != TFM_OK) {
                CHECKF(0, "%s: %s", gen_folders[f], tfm_last_error());
                continue;
            }
            CHECK_EQ_I64(e.length, tfm_json_int(tfm_json_get(cs, "seq_len"), -1));
            CHECK_OK(tfm_perplexity(m, NULL, e.ids, e.length, tfm_json_int(tfm_json_get(cs, "max_length"), 0),
                                    tfm_json_int(tfm_json_get(cs, "stride"), 0), &ppl, &count));
            CHECKF(fabs(log(ppl) - log(want)) <= 1e-4, "%s: perplexity %.9g, reference %.9g", gen_folders[f], ppl, want);
            CHECK_EQ_I64(count, tfm_json_int(tfm_json_get(cs, "tokens"), -1));
            tfm_encoding_free(&e);
        }
        tfm_tokenizer_free(tok);
        tfm_json_free(doc);
        tfm_model_free(m);
    }
    INFO("%d folders", folders);
    CHECK(folders >= 7);
}

/* The text-generation pipeline: same JSON as Python (greedy, max_new_tokens 20; full text, new text
   only, token ids). */
static void gen_pipeline(void) {
    size_t f;
    int cases_run = 0;
    for (f = 0; f < sizeof gen_folders / sizeof gen_folders[0]; f++) {
        tfm_model *m;
        tfm_json *doc;
        const tfm_json *cases;
        tfm_pipeline *p = NULL;
        size_t c;
        char dir[512], where[600];
        if (!gen_open(gen_folders[f], &m, &doc)) continue;
        tfm_model_free(m);
        if (!strcmp(gen_folders[f], "qwen2")) { /* transformers rebuilds Qwen2's tokenizer: see the fixture README */
            tfm_json_free(doc);
            continue;
        }
        snprintf(dir, sizeof dir, "%s/%s", fx("generation"), gen_folders[f]);
        {
            tfm_pipeline_options po;
            memset(&po, 0, sizeof po);
            po.threads = 1;
            CHECK_OK(tfm_pipeline_open("text-generation", dir, &po, &p));
        }
        cases = tfm_json_get(doc, "pipeline");
        for (c = 0; p && c < tfm_json_len(cases); c++) {
            const tfm_json *cs = tfm_json_at(cases, c), *kw = tfm_json_get(cs, "kwargs");
            tfm_pipeline_options o;
            tfm_generation_options go;
            tfm_pipeline_input in;
            tfm_json *got = NULL;
            memset(&o, 0, sizeof o);
            memset(&go, 0, sizeof go);
            o.threads = 1;
            o.generation = &go;
            go.do_sample = tfm_json_bool(tfm_json_get(kw, "do_sample"), 0) ? 1 : -1;
            go.max_new_tokens = tfm_json_int(tfm_json_get(kw, "max_new_tokens"), 0);
            o.return_full_text = tfm_json_bool(tfm_json_get(kw, "return_full_text"), 1) ? 1 : -1;
            o.return_tensors = tfm_json_bool(tfm_json_get(kw, "return_tensors"), 0);
            in.text = tfm_json_str(tfm_json_get(cs, "inputs"));
            in.text_pair = NULL;
            if (tfm_pipeline_run(p, &in, 1, 0, &o, &got) != TFM_OK) {
                CHECKF(0, "%s case %zu: %s", gen_folders[f], c, tfm_last_error());
                continue;
            }
            CHECKF(tx_same(got, tfm_json_get(cs, "output"), 1e-4, where, sizeof where, "$"), "%s case %zu: %s",
                   gen_folders[f], c, where);
            tfm_json_free(got);
            cases_run++;
        }
        /* the full-text cases again, as one list in a left-padded batch of 2 (not for longrope: the
           batch's longest position picks the rotary factors for every row, as in the reference) */
        if (p && strcmp(gen_folders[f], "phi3-longrope") != 0) {
            tfm_pipeline_input ins[8];
            const tfm_json *wants[8];
            int64_t nin = 0;
            tfm_pipeline_options o;
            tfm_generation_options go;
            tfm_json *got = NULL;
            for (c = 0; c < tfm_json_len(cases) && nin < 8; c++) {
                const tfm_json *cs = tfm_json_at(cases, c), *kw = tfm_json_get(cs, "kwargs");
                if (tfm_json_get(kw, "return_full_text") || tfm_json_get(kw, "return_tensors")) continue;
                ins[nin].text = tfm_json_str(tfm_json_get(cs, "inputs"));
                ins[nin].text_pair = NULL;
                wants[nin++] = tfm_json_get(cs, "output");
            }
            memset(&o, 0, sizeof o);
            memset(&go, 0, sizeof go);
            o.threads = 1;
            o.batch_size = 2;
            o.generation = &go;
            go.do_sample = -1;
            go.max_new_tokens = 20;
            if (nin >= 2 && tfm_pipeline_run(p, ins, nin, 1, &o, &got) == TFM_OK) {
                int64_t q;
                for (q = 0; q < nin; q++)
                    CHECKF(tx_same(tfm_json_at(got, (size_t)q), wants[q], 1e-4, where, sizeof where, "$"),
                           "%s batched list item %lld: %s", gen_folders[f], (long long)q, where);
                cases_run++;
            } else
                CHECKF(nin < 2, "%s batched list: %s", gen_folders[f], tfm_last_error());
            tfm_json_free(got);
        }
        tfm_pipeline_free(p);
        tfm_json_free(doc);
    }
    INFO("%d pipeline cases", cases_run);
    CHECK(cases_run >= 40);
}

/* Two prompts of different lengths in one left-padded batch give each prompt's own greedy tokens. */
static void gen_batched(void) {
    static const char *const folders[] = {"gpt2", "llama", "phi3", "opt"};
    size_t f;
    for (f = 0; f < 4; f++) {
        tfm_model *m;
        tfm_json *doc;
        const tfm_json *g;
        int32_t *p[3], *want[3];
        int64_t lens[3], n_new[3], i, t;
        tfm_generation_options o;
        tfm_generation_result r;
        tfm_pool *pool = tfm_pool_create(3);
        tfm_ctx ctx;
        if (!gen_open(folders[f], &m, &doc)) continue;
        g = tfm_json_get(doc, "greedy");
        for (i = 0; i < 3; i++) {
            p[i] = gen_ids(tfm_json_get(tfm_json_at(g, (size_t)i), "input_ids"), &lens[i]);
            want[i] = gen_ids(tfm_json_get(tfm_json_at(g, (size_t)i), "new_ids"), &n_new[i]);
        }
        memset(&o, 0, sizeof o);
        memset(&ctx, 0, sizeof ctx);
        ctx.pool = pool;
        o.do_sample = -1;
        o.max_new_tokens = 12;
        o.min_new_tokens = 12;
        CHECK_OK(tfm_generate(m, NULL, &ctx, (const int32_t *const *)p, lens, 3, &o, &r));
        for (i = 0; i < r.n; i++) {
            CHECK_EQ_I64(r.prompt_lens[i], lens[i]);
            CHECK_EQ_I64(r.lens[i], lens[i] + 12);
            for (t = 0; t < 12 && t < n_new[i]; t++)
                CHECKF(r.ids[i][lens[i] + t] == want[i][t], "%s batch row %lld token %lld: %d != %d", folders[f],
                       (long long)i, (long long)t, r.ids[i][lens[i] + t], want[i][t]);
        }
        tfm_generation_result_free(&r);
        for (i = 0; i < 3; i++) {
            free(p[i]);
            free(want[i]);
        }
        tfm_pool_free(pool);
        tfm_json_free(doc);
        tfm_model_free(m);
    }
}

/* Sampling: the warpers keep what they promise, and a seed reproduces the tokens on any thread count. */
static void gen_sampling(void) {
    tfm_model *m;
    tfm_json *doc;
    int32_t *prompt;
    int64_t plen, V, k, s;
    float *lg;
    tfm_kv_cache *c = NULL;
    tfm_generation_options o;
    tfm_generation_result r, r2;
    tfm_pool *pool = tfm_pool_create(3);
    tfm_ctx ctx;
    double *p;
    int64_t *order;
    if (!gen_open("gpt2", &m, &doc)) return;
    prompt = gen_ids(tfm_json_get(tfm_json_at(tfm_json_get(doc, "greedy"), 0), "input_ids"), &plen);
    V = tfm_model_vocab_size(m);
    lg = (float *)malloc((size_t)(plen * V) * sizeof(float));
    p = (double *)malloc((size_t)V * sizeof(double));
    order = (int64_t *)malloc((size_t)V * sizeof(int64_t));
    CHECK_OK(tfm_kv_cache_create(m, 1, plen, &c));
    CHECK_OK(tfm_model_decode(m, NULL, c, prompt, NULL, plen, 0, lg));
    { /* reference probabilities at temperature 0.7 and their descending order */
        double mx = lg[0], z = 0;
        for (k = 1; k < V; k++) mx = fmax(mx, lg[k]);
        for (k = 0; k < V; k++) z += (p[k] = exp((lg[k] - mx) / 0.7));
        for (k = 0; k < V; k++) p[k] /= z;
        for (k = 0; k < V; k++) order[k] = k;
        for (k = 1; k < V; k++) {
            int64_t v = order[k], j = k;
            while (j > 0 && p[order[j - 1]] < p[v]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = v;
        }
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = pool;
    for (s = 0; s < 3; s++) { /* 0: top-k 5, 1: top-p 0.6, 2: min-p 0.2 */
        int64_t seed, allowed = 0, bad = 0;
        double mass = 0;
        memset(&o, 0, sizeof o);
        o.do_sample = 1;
        o.temperature = 0.7f;
        o.max_new_tokens = 1;
        o.top_k = s == 0 ? 5 : -1;
        o.top_p = s == 1 ? 0.6f : 0;
        o.min_p = s == 2 ? 0.2f : 0;
        if (s == 0) allowed = 5;
        if (s == 1)
            while (allowed < V && mass <= 0.6) mass += p[order[allowed++]];
        if (s == 2)
            while (allowed < V && p[order[allowed]] >= 0.2 * p[order[0]]) allowed++;
        for (seed = 0; seed < 200; seed++) {
            int32_t tokid;
            int64_t rank;
            o.seed = (uint64_t)seed;
            if (tfm_generate(m, NULL, &ctx, (const int32_t *const *)&prompt, &plen, 1, &o, &r) != TFM_OK) {
                CHECKF(0, "sampling: %s", tfm_last_error());
                break;
            }
            tokid = r.ids[0][plen];
            for (rank = 0; rank < V && order[rank] != tokid; rank++) {
            }
            if (rank >= allowed) bad++;
            tfm_generation_result_free(&r);
        }
        CHECKF(bad == 0, "warper %lld: %lld of 200 draws outside the %lld allowed tokens", (long long)s, (long long)bad,
               (long long)allowed);
    }
    /* a seed reproduces a 30-token sample, with 1 or 3 threads; another seed differs */
    memset(&o, 0, sizeof o);
    o.do_sample = 1;
    o.max_new_tokens = 30;
    o.min_new_tokens = 30;
    o.seed = 1234;
    o.top_k = -1;
    CHECK_OK(tfm_generate(m, NULL, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r));
    CHECK_OK(tfm_generate(m, NULL, &ctx, (const int32_t *const *)&prompt, &plen, 1, &o, &r2));
    CHECK(r.n == 1 && r2.n == 1 && r.lens[0] == r2.lens[0] &&
          memcmp(r.ids[0], r2.ids[0], (size_t)r.lens[0] * sizeof(int32_t)) == 0);
    tfm_generation_result_free(&r2);
    o.seed = 99;
    CHECK_OK(tfm_generate(m, NULL, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r2));
    CHECK(r2.n == 1 && memcmp(r.ids[0], r2.ids[0], (size_t)r.lens[0] * sizeof(int32_t)) != 0);
    tfm_generation_result_free(&r);
    tfm_generation_result_free(&r2);
    /* no_repeat_ngram_size 2: no bigram twice in prompt + output */
    memset(&o, 0, sizeof o);
    o.do_sample = -1;
    o.max_new_tokens = 40;
    o.min_new_tokens = 40;
    o.no_repeat_ngram_size = 2;
    CHECK_OK(tfm_generate(m, NULL, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r));
    if (r.n == 1) {
        int64_t a, b2, rep = 0;
        for (a = 0; a + 1 < r.lens[0]; a++)
            for (b2 = a + 1; b2 + 1 < r.lens[0]; b2++)
                rep += r.ids[0][a] == r.ids[0][b2] && r.ids[0][a + 1] == r.ids[0][b2 + 1];
        CHECK_EQ_I64(rep, 0);
    }
    tfm_generation_result_free(&r);
    /* edge cases: no new tokens, an empty prompt */
    o.max_new_tokens = -1;
    o.min_new_tokens = 0;
    CHECK_OK(tfm_generate(m, NULL, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r));
    CHECK(r.n == 1 && r.lens[0] == plen);
    tfm_generation_result_free(&r);
    {
        int64_t zero = 0;
        CHECK_STATUS(tfm_generate(m, NULL, NULL, (const int32_t *const *)&prompt, &zero, 1, &o, &r), TFM_ERR_INVALID_ARGUMENT);
        CHECK_ERROR_SET();
    }
    tfm_kv_cache_free(c);
    tfm_pool_free(pool);
    free(prompt);
    free(lg);
    free(p);
    free(order);
    tfm_json_free(doc);
    tfm_model_free(m);
}

/* Streaming hands over exactly the new text (whole UTF-8 pieces) and can stop; a stop string ends
   the sequence once its text ends with it. */
typedef struct gen_stream_rec {
    char buf[4096];
    size_t len;
    int calls, stop_after;
} gen_stream_rec;
static int gen_stream_cb(void *user, const char *text, size_t len) {
    gen_stream_rec *r = (gen_stream_rec *)user;
    if (r->len + len < sizeof r->buf) {
        memcpy(r->buf + r->len, text, len);
        r->len += len;
    }
    r->calls++;
    return r->stop_after && r->calls >= r->stop_after;
}
static void gen_stream_stop(void) {
    tfm_model *m;
    tfm_json *doc;
    tfm_tokenizer *tok = NULL;
    int32_t *prompt;
    int64_t plen;
    tfm_generation_options o;
    tfm_generation_result r;
    gen_stream_rec rec;
    char dir[512], *text = NULL;
    size_t tl = 0;
    if (!gen_open("gpt2", &m, &doc)) return;
    snprintf(dir, sizeof dir, "%s/gpt2", fx("generation"));
    CHECK_OK(tfm_tokenizer_load(dir, &tok));
    prompt = gen_ids(tfm_json_get(tfm_json_at(tfm_json_get(doc, "greedy"), 1), "input_ids"), &plen);
    memset(&o, 0, sizeof o);
    memset(&rec, 0, sizeof rec);
    o.do_sample = -1;
    o.max_new_tokens = 30;
    o.min_new_tokens = 30;
    o.stream = gen_stream_cb;
    o.stream_user = &rec;
    CHECK_OK(tfm_generate(m, tok, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r));
    if (r.n == 1) {
        CHECK_OK(tfm_tokenizer_decode(tok, r.ids[0] + plen, r.lens[0] - plen, 1, &text, &tl));
        CHECKF(text && tl == rec.len && memcmp(text, rec.buf, tl) == 0, "streamed %zu bytes, decode gives %zu", rec.len, tl);
        tfm_free(text);
        text = NULL;
        /* a stop string: the first 3 new tokens' text */
        if (tfm_tokenizer_decode(tok, r.ids[0] + plen, 3, 0, &text, &tl) == TFM_OK && tl > 0) {
            const char *stops[1];
            tfm_generation_result r2;
            stops[0] = text;
            o.stream = NULL;
            o.min_new_tokens = 0;
            o.stop_strings = stops;
            o.n_stop_strings = 1;
            CHECK_OK(tfm_generate(m, tok, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r2));
            CHECK(r2.n == 1 && r2.lens[0] - plen <= 3);
            tfm_generation_result_free(&r2);
        }
        tfm_free(text);
    }
    tfm_generation_result_free(&r);
    /* the callback stops generation */
    memset(&rec, 0, sizeof rec);
    rec.stop_after = 2;
    o.stream = gen_stream_cb;
    o.stream_user = &rec;
    o.stop_strings = NULL;
    o.n_stop_strings = 0;
    o.min_new_tokens = 30;
    CHECK_OK(tfm_generate(m, tok, NULL, (const int32_t *const *)&prompt, &plen, 1, &o, &r));
    CHECK(r.n == 1 && r.lens[0] - plen < 30);
    tfm_generation_result_free(&r);
    free(prompt);
    tfm_tokenizer_free(tok);
    tfm_json_free(doc);
    tfm_model_free(m);
}

/* Prompts beyond the context window, EOS inside the prompt, empty prompts with and without BOS. */
static void gen_bad_input(void) {
    tfm_model *m;
    tfm_json *doc;
    tfm_generation_options o;
    tfm_generation_result r;
    tfm_pipeline *p = NULL;
    tfm_pipeline_input in;
    tfm_json *res = NULL;
    int32_t longp[200];
    int64_t n = 200, i;
    char dir[512];
    if (!gen_open("gpt2", &m, &doc)) return;
    for (i = 0; i < n; i++) longp[i] = (int32_t)(i % 500);
    memset(&o, 0, sizeof o);
    o.do_sample = -1;
    o.max_new_tokens = 5;
    { /* 200 tokens > GPT-2's 128 learned positions */
        const int32_t *pp = longp;
        CHECK_STATUS(tfm_generate(m, NULL, NULL, &pp, &n, 1, &o, &r), TFM_ERR_LIMIT);
        CHECK_ERROR_SET();
        /* an EOS (599) inside and at the end of the prompt does not stop generation */
        longp[1] = 599;
        longp[3] = 599;
        n = 4;
        o.min_new_tokens = 5;
        CHECK_OK(tfm_generate(m, NULL, NULL, &pp, &n, 1, &o, &r));
        CHECK(r.n == 1 && r.lens[0] == 9);
        tfm_generation_result_free(&r);
    }
    tfm_json_free(doc);
    tfm_model_free(m);
    /* an empty prompt: GPT-2's tokenizer adds nothing (error), Llama's adds <s> (generates) */
    snprintf(dir, sizeof dir, "%s/gpt2", fx("generation"));
    in.text = "";
    in.text_pair = NULL;
    if (tfm_pipeline_open("text-generation", dir, NULL, &p) == TFM_OK) {
        CHECK_STATUS(tfm_pipeline_run(p, &in, 1, 0, NULL, &res), TFM_ERR_INVALID_ARGUMENT);
        CHECK(strstr(tfm_last_error(), "no tokens") != NULL);
        tfm_pipeline_free(p);
    }
    snprintf(dir, sizeof dir, "%s/llama", fx("generation"));
    if (tfm_pipeline_open("text-generation", dir, NULL, &p) == TFM_OK) {
        tfm_pipeline_options po;
        tfm_generation_options go;
        memset(&po, 0, sizeof po);
        memset(&go, 0, sizeof go);
        go.max_new_tokens = 4;
        po.generation = &go;
        CHECK_OK(tfm_pipeline_run(p, &in, 1, 0, &po, &res));
        tfm_json_free(res);
        tfm_pipeline_free(p);
    }
    /* an encoder folder is not a causal LM */
    CHECK(tfm_pipeline_open("text-generation", fx("text/bert-base"), NULL, &p) != TFM_OK);
    CHECK_ERROR_SET();
}

static const tt_case generation_tests[] = {TT(gen_logits),   TT(gen_greedy),  TT(gen_perplexity),
                                           TT(gen_pipeline), TT(gen_batched), TT(gen_sampling),
                                           TT(gen_stream_stop), TT(gen_bad_input)};
