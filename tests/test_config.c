/* config.json loader: fixture configs, HF attribute aliases, fallbacks, errors. */

/* Loads a fixture config both as folder and as file; returns the folder one. */
static tfm_config *cfg_load_fixture(const char *model, tfm_json **raw) {
    char rel[256];
    tfm_config *a = NULL, *b = NULL;
    snprintf(rel, sizeof rel, "models/%s", model);
    CHECK_OK(tfm_config_load(fx(rel), &a));
    snprintf(rel, sizeof rel, "models/%s/config.json", model);
    CHECK_OK(tfm_config_load(fx(rel), &b));
    *raw = tfm_json_parse_file(fx(rel));
    CHECKF(*raw != NULL, "%s: %s", rel, tfm_last_error());
    if (a && b) CHECK_EQ_I64(tfm_json_len(tfm_config_json(a)), tfm_json_len(tfm_config_json(b)));
    tfm_config_free(b);
    return a;
}

/* Every top-level key of the raw file reads back the same through the config getters. */
static void cfg_check_all_keys(const tfm_config *c, const tfm_json *raw, const char *model) {
    size_t i;
    for (i = 0; i < tfm_json_len(raw); i++) {
        const char *k = tfm_json_key_at(raw, i);
        const tfm_json *v = tfm_json_at(raw, i);
        switch (tfm_json_kind(v)) {
        case TFM_JSON_NUMBER:
            CHECKF(tfm_config_float(c, k, -12345.0) == tfm_json_num(v, 0), "%s: %s", model, k);
            if (tfm_json_is_int(v)) CHECKF(tfm_config_int(c, k, -12345) == tfm_json_int(v, 0), "%s: %s", model, k);
            break;
        case TFM_JSON_STRING: CHECK_STR_EQ(tfm_config_str(c, k, NULL), tfm_json_str(v)); break;
        case TFM_JSON_TRUE: CHECKF(tfm_config_bool(c, k, 0) == 1, "%s: %s", model, k); break;
        case TFM_JSON_FALSE: CHECKF(tfm_config_bool(c, k, 1) == 0, "%s: %s", model, k); break;
        case TFM_JSON_OBJECT:
        case TFM_JSON_ARRAY: CHECKF(tfm_config_get(c, k) != NULL, "%s: %s", model, k); break;
        default: break;
        }
    }
}

static void cfg_bert(void) {
    tfm_json *raw = NULL;
    tfm_config *c = cfg_load_fixture("bert-f32", &raw);
    if (c && raw) {
        cfg_check_all_keys(c, raw, "bert");
        CHECK_STR_EQ(tfm_config_str(c, "model_type", NULL), "bert");
        /* BERT's own names answer GPT-2 style aliases too */
        CHECK_EQ_I64(tfm_config_int(c, "n_embd", -1), tfm_json_int(tfm_json_get(raw, "hidden_size"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "n_layer", -1), tfm_json_int(tfm_json_get(raw, "num_hidden_layers"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "n_head", -1), tfm_json_int(tfm_json_get(raw, "num_attention_heads"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "n_positions", -1),
                     tfm_json_int(tfm_json_get(raw, "max_position_embeddings"), -2));
        CHECK(tfm_config_float(c, "layer_norm_epsilon", -1) == tfm_json_num(tfm_json_get(raw, "layer_norm_eps"), -2));
        /* JSON null falls back (bos_token_id is null in the fixture) */
        CHECK(tfm_json_kind(tfm_json_get(raw, "bos_token_id")) == TFM_JSON_NULL);
        CHECK_EQ_I64(tfm_config_int(c, "bos_token_id", -7), -7);
        CHECK(tfm_config_get(c, "bos_token_id") == NULL);
        CHECK(tfm_json_get(tfm_config_json(c), "bos_token_id") != NULL);
    }
    tfm_json_free(raw);
    tfm_config_free(c);
}

static void cfg_gpt2_aliases(void) {
    tfm_json *raw = NULL;
    tfm_config *c = cfg_load_fixture("gpt2-f16", &raw);
    if (c && raw) {
        cfg_check_all_keys(c, raw, "gpt2");
        CHECK(tfm_json_get(raw, "hidden_size") == NULL); /* only n_embd in the file */
        CHECK_EQ_I64(tfm_config_int(c, "hidden_size", -1), tfm_json_int(tfm_json_get(raw, "n_embd"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "num_hidden_layers", -1), tfm_json_int(tfm_json_get(raw, "n_layer"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "num_attention_heads", -1), tfm_json_int(tfm_json_get(raw, "n_head"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "max_position_embeddings", -1),
                     tfm_json_int(tfm_json_get(raw, "n_positions"), -2));
        CHECK(tfm_config_float(c, "layer_norm_eps", -1) == tfm_json_num(tfm_json_get(raw, "layer_norm_epsilon"), -2));
        CHECK_STR_EQ(tfm_config_str(c, "hidden_act", NULL), tfm_json_str(tfm_json_get(raw, "activation_function")));
        CHECK(tfm_config_float(c, "hidden_dropout_prob", -1) == tfm_json_num(tfm_json_get(raw, "resid_pdrop"), -2));
        /* n_inner is null: intermediate_size falls back to the caller's default */
        CHECK(tfm_json_kind(tfm_json_get(raw, "n_inner")) == TFM_JSON_NULL);
        CHECK_EQ_I64(tfm_config_int(c, "intermediate_size", -3), -3);
        CHECK_EQ_I64(tfm_config_int(c, "n_inner", -4), -4);
        /* the alias chain is not extended to text_config */
        CHECK(tfm_config_get(c, "text_config") == NULL);
    }
    tfm_json_free(raw);
    tfm_config_free(c);
}

static void cfg_llama(void) {
    tfm_json *raw = NULL;
    tfm_config *c = cfg_load_fixture("llama-bf16", &raw);
    if (c && raw) {
        cfg_check_all_keys(c, raw, "llama");
        CHECK(tfm_config_float(c, "layer_norm_eps", -1) == tfm_json_num(tfm_json_get(raw, "rms_norm_eps"), -2));
        CHECK(tfm_config_float(c, "rms_norm_eps", -1) == tfm_json_num(tfm_json_get(raw, "rms_norm_eps"), -2));
        CHECK(tfm_config_float(c, "rope_theta", -1) == -1); /* nested under rope_parameters, not aliased */
        CHECK(tfm_json_num(tfm_json_get(tfm_config_get(c, "rope_parameters"), "rope_theta"), -1) ==
              tfm_json_num(tfm_json_get(tfm_json_get(raw, "rope_parameters"), "rope_theta"), -2));
        CHECK_EQ_I64(tfm_config_int(c, "num_key_value_heads", -1),
                     tfm_json_int(tfm_json_get(raw, "num_key_value_heads"), -2));
        CHECK(tfm_config_bool(c, "tie_word_embeddings", 1) == 0);
        CHECK(tfm_config_bool(c, "use_cache", 0) == 1);
        CHECK(tfm_config_bool(c, "hidden_size", 5) == 5); /* wrong kind: fallback */
        CHECK(tfm_config_str(c, "hidden_size", NULL) == NULL);
        CHECK_EQ_I64(tfm_config_int(c, "hidden_act", -9), -9);
        CHECK(tfm_config_float(c, "model_type", 2.5) == 2.5);
    }
    tfm_json_free(raw);
    tfm_config_free(c);
}

static void cfg_parse_inline(void) {
    const char *doc = "{\"hidden_size\": 10, \"n_embd\": 20, \"d_model\": 30, \"n_layer\": 4, \"num_layers\": 5, "
                      "\"n_ctx\": 77, \"encoder_ffn_dim\": 99, \"x\": 2.0, \"y\": 2.5, \"t\": true}";
    tfm_config *c = NULL;
    CHECK_OK(tfm_config_parse(doc, strlen(doc), &c));
    if (!c) return;
    /* own name first, then the aliases in order */
    CHECK_EQ_I64(tfm_config_int(c, "hidden_size", -1), 10);
    CHECK_EQ_I64(tfm_config_int(c, "n_embd", -1), 20);
    CHECK_EQ_I64(tfm_config_int(c, "d_model", -1), 30);
    CHECK_EQ_I64(tfm_config_int(c, "num_hidden_layers", -1), 4);
    CHECK_EQ_I64(tfm_config_int(c, "max_position_embeddings", -1), 77);
    CHECK_EQ_I64(tfm_config_int(c, "n_positions", -1), 77);
    CHECK_EQ_I64(tfm_config_int(c, "intermediate_size", -1), 99);
    CHECK_EQ_I64(tfm_config_int(c, "x", -1), 2); /* integral float */
    CHECK_EQ_I64(tfm_config_int(c, "y", -1), -1);
    CHECK(tfm_config_float(c, "y", 0) == 2.5);
    CHECK(tfm_config_bool(c, "t", 0) == 1);
    CHECK(tfm_config_get(c, "missing") == NULL);
    CHECK_EQ_I64(tfm_config_int(c, "missing", 42), 42);
    CHECK(tfm_config_float(c, "missing", 0.5) == 0.5);
    CHECK_STR_EQ(tfm_config_str(c, "missing", "fb"), "fb");
    CHECK(tfm_config_get(c, NULL) == NULL);
    tfm_config_free(c);
    /* NULL config: every getter gives the fallback */
    CHECK_EQ_I64(tfm_config_int(NULL, "hidden_size", 3), 3);
    CHECK(tfm_config_json(NULL) == NULL);
    tfm_config_free(NULL);
}

static void cfg_errors(void) {
    tfm_config *c = NULL;
    const char *dir = tt_tmp_path("cfg_dir");
    char path[1200];
    mkdir(dir, 0700);
    CHECK_STATUS(tfm_config_load(fx("models/no-such-model"), &c), TFM_ERR_IO);
    CHECK(c == NULL);
    CHECK_ERROR_SET();
    CHECK_STATUS(tfm_config_load(fx("models/no-such-model/config.json"), &c), TFM_ERR_IO);
    CHECK_STATUS(tfm_config_load(dir, &c), TFM_ERR_IO); /* folder without config.json */
    CHECK_ERROR_SET();
    CHECK_OK(tfm_config_load(fx("models/bert-f32/"), &c)); /* trailing slash */
    tfm_config_free(c);
    c = NULL;
    CHECK_STATUS(tfm_config_load(NULL, &c), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_config_load(fx("models/bert-f32"), NULL), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_config_parse("{}", 2, NULL), TFM_ERR_INVALID_ARGUMENT);
    {
        static const char *bad[] = {"{\"a\": 1,}", "[1, 2]", "\"str\"", "42", "", "{\"a\":", "null", "{'a': 1}"};
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            c = NULL;
            CHECK_STATUS(tfm_config_parse(bad[i], strlen(bad[i]), &c), TFM_ERR_FORMAT);
            CHECK(c == NULL);
            CHECK_ERROR_SET();
            snprintf(path, sizeof path, "%s/config.json", dir);
            CHECK(tt_write_file(path, bad[i], strlen(bad[i])));
            CHECK_STATUS(tfm_config_load(dir, &c), TFM_ERR_FORMAT);
            CHECKF(strstr(tfm_last_error(), "config.json") != NULL, "message lacks the file: %s", tfm_last_error());
            CHECK_STATUS(tfm_config_load(path, &c), TFM_ERR_FORMAT);
            CHECK(c == NULL);
        }
    }
    {
        /* a syntax error reports line and column */
        const char *doc = "{\n\"a\": 1,\n}";
        CHECK_STATUS(tfm_config_parse(doc, strlen(doc), &c), TFM_ERR_FORMAT);
        CHECK(strstr(tfm_last_error(), "line") && strstr(tfm_last_error(), "column"));
    }
}

static const tt_case config_tests[] = {
    TT(cfg_bert), TT(cfg_gpt2_aliases), TT(cfg_llama), TT(cfg_parse_inline), TT(cfg_errors),
};
