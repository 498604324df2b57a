/* Causal language models against the Python reference: tests/fixtures/generation/ holds tiny random
   Hub folders (GPT-2, OPT, Llama, Mistral, Qwen2, Phi-3; f32/f16/bf16) made by
   tools/make_generation_fixtures.py, and expected/<folder>.json what transformers 5.17 computed:
   last-position logits of three prompts, greedy continuations of 40 tokens (model.generate with
   do_sample=False), and strided sliding-window perplexities. */

static const char *const gen_folders[] = {"gpt2", "gpt2-f16", "opt", "opt-proj", "llama", "llama3-rope",
                                          "mistral", "qwen2", "phi3", "phi3-longrope"};

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
                        CHECKF(0, "%s prompt %zu: new token %lld is %d, reference %d", gen_folders[f], c, (long long)t,
                               best, want[t]);
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
        tfm_pipeline_free(p);
        tfm_json_free(doc);
    }
    INFO("%d pipeline cases", cases_run);
    CHECK(cases_run >= 40);
}

static const tt_case generation_tests[] = {TT(gen_logits), TT(gen_greedy), TT(gen_perplexity), TT(gen_pipeline)};
