/* tfm bench generate - text generation speed of a decoder-only LM at batch 1: prompt tokens/s
   (one tfm_model_decode call over the whole prompt) and decode tokens/s (greedy, one token per
   call, KV cache), on all cores; peak RSS; and the memory-bandwidth bound of decoding, measured in
   the same run. Included by tools/tfm.c after the transformers.h implementation (no main here).

     tfm bench generate [--model DIR | --make-random gpt2|llama1b [--keep DIR] [--dtype f32|bf16|f16]]
                        [--threads N] [--prompt-tokens P] [--new-tokens G] [--reps R] [--json]

   Without --model a random model is written (fixed seed; weights N(0, 0.02), norm weights
   1 + N(0, 0.02), biases 0.1 * N(0, 0.02)) as HF saves it: config.json and model.safetensors, to
   a temporary folder or to --keep DIR (kept, for tools/bench_generate_baseline.py). Shapes:
     gpt2     GPT-2 small: vocab 50257, n_embd 768, 12 layers, 12 heads, n_positions 1024, tied
              lm_head (GPT2LMHeadModel, Conv1D weights [in, out], gelu_new)
     llama1b  TinyLlama-1.1B: vocab 32000, hidden 2048, 16 layers, 32 heads, 8 KV heads,
              intermediate 5632, untied lm_head, rms_norm_eps 1e-5, rope_theta 10000
   It is generated in a child process so that the generator's buffers do not count in the peak RSS.

   Prompt ids: ids[i] = (i * 7919 + 101) % vocab (tools/bench_generate_baseline.py feeds the same).
   One repetition: reset the cache, decode the P prompt tokens in one call (timed: prompt tokens/s),
   take the argmax, then G calls of one token each, feeding back the argmax (timed together: decode
   tokens/s). Medians of R repetitions after one short warm-up (prompt + 2 tokens). "tokens" in
   the JSON are the first greedy tokens (the prompt's argmax first), to compare with the baseline.

   Bandwidth bound: bytes a decode step reads from the weights = every tensor except the embedding
   tables, of which one row is gathered (a tied input embedding is read whole as the LM head; GPT-2's
   position table: one row), divided into the read bandwidth measured by summing a 1 GiB buffer on
   the same threads (best of 3). The KV cache reads (f32, growing with the position) are reported
   apart and not in the bound. The bandwidth buffer is allocated after the peak RSS is read. */
#include "bench_common.c"




/* ---- random model folders --------------------------------------------------------------------- */

typedef struct tfm__bg_cfg {
    const char *name;
    int llama;
    int64_t vocab, hidden, layers, heads, kv_heads, inter, max_pos;
} tfm__bg_cfg;

static const tfm__bg_cfg tfm__bg_gpt2 = {"gpt2", 0, 50257, 768, 12, 12, 12, 3072, 1024};
static const tfm__bg_cfg tfm__bg_llama1b = {"llama1b", 1, 32000, 2048, 16, 32, 8, 5632, 2048};





static const char *tfm__bg_torch_dtype(tfm_dtype d) {
    return d == TFM_F32 ? "float32" : d == TFM_BF16 ? "bfloat16" : "float16";
}

static int tfm__bg_write_random(const char *dir, const tfm__bg_cfg *c, tfm_dtype dtype) {
    tfm__bench_gen g;
    char name[200];
    FILE *f;
    int64_t l, i, H = c->hidden, I = c->inter, D = c->hidden / c->heads;
    int ok;
    memset(&g, 0, sizeof g);
    g.dtype = dtype;
    g.seed = 0x5EEDB0B5ull;
    if (!c->llama) {
        static const char *const ln[2] = {"ln_1", "ln_2"};
        tfm__bench_add(&g, "transformer.wte.weight", 0, c->vocab, H, 0, 0);
        tfm__bench_add(&g, "transformer.wpe.weight", 0, c->max_pos, H, 0, 0);
        for (l = 0; l < c->layers; l++) {
            /* Conv1D: weight [in, out] */
            static const char *const lin[4] = {"attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"};
            int64_t in[4], out[4];
            in[0] = H, out[0] = 3 * H, in[1] = H, out[1] = H, in[2] = H, out[2] = I, in[3] = I, out[3] = H;
            for (i = 0; i < 2; i++) {
                snprintf(name, sizeof name, "transformer.h.%lld.%s.weight", (long long)l, ln[i]);
                tfm__bench_add(&g, name, 1, H, 0, 0, 0);
                snprintf(name, sizeof name, "transformer.h.%lld.%s.bias", (long long)l, ln[i]);
                tfm__bench_add(&g, name, 2, H, 0, 0, 0);
            }
            for (i = 0; i < 4; i++) {
                snprintf(name, sizeof name, "transformer.h.%lld.%s.weight", (long long)l, lin[i]);
                tfm__bench_add(&g, name, 0, in[i], out[i], 0, 0);
                snprintf(name, sizeof name, "transformer.h.%lld.%s.bias", (long long)l, lin[i]);
                tfm__bench_add(&g, name, 2, out[i], 0, 0, 0);
            }
        }
        tfm__bench_add(&g, "transformer.ln_f.weight", 1, H, 0, 0, 0);
        tfm__bench_add(&g, "transformer.ln_f.bias", 2, H, 0, 0, 0);
    } else {
        int64_t KV = c->kv_heads * D;
        tfm__bench_add(&g, "model.embed_tokens.weight", 0, c->vocab, H, 0, 0);
        for (l = 0; l < c->layers; l++) {
            static const char *const lin[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                                               "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};
            int64_t out[7], in[7];
            out[0] = c->heads * D, in[0] = H, out[1] = KV, in[1] = H, out[2] = KV, in[2] = H;
            out[3] = H, in[3] = c->heads * D, out[4] = I, in[4] = H, out[5] = I, in[5] = H, out[6] = H, in[6] = I;
            snprintf(name, sizeof name, "model.layers.%lld.input_layernorm.weight", (long long)l);
            tfm__bench_add(&g, name, 1, H, 0, 0, 0);
            snprintf(name, sizeof name, "model.layers.%lld.post_attention_layernorm.weight", (long long)l);
            tfm__bench_add(&g, name, 1, H, 0, 0, 0);
            for (i = 0; i < 7; i++) { /* nn.Linear: weight [out, in] */
                snprintf(name, sizeof name, "model.layers.%lld.%s.weight", (long long)l, lin[i]);
                tfm__bench_add(&g, name, 0, out[i], in[i], 0, 0);
            }
        }
        tfm__bench_add(&g, "model.norm.weight", 1, H, 0, 0, 0);
        tfm__bench_add(&g, "lm_head.weight", 0, c->vocab, H, 0, 0);
    }
    ok = tfm__bench_gen_write(&g, dir, "tfm bench generate");
    if (!ok) return 0;
    if (!(f = tfm__bench_create(dir, "config.json", "tfm bench generate"))) return 0;
    if (!c->llama)
        fprintf(f,
                "{\n  \"activation_function\": \"gelu_new\",\n  \"architectures\": [\"GPT2LMHeadModel\"],\n"
                "  \"attn_pdrop\": 0.1,\n  \"bos_token_id\": 50256,\n  \"embd_pdrop\": 0.1,\n  \"eos_token_id\": 50256,\n"
                "  \"initializer_range\": 0.02,\n  \"layer_norm_epsilon\": 1e-05,\n  \"model_type\": \"gpt2\",\n"
                "  \"n_ctx\": %lld,\n  \"n_embd\": %lld,\n  \"n_head\": %lld,\n  \"n_inner\": null,\n  \"n_layer\": %lld,\n"
                "  \"n_positions\": %lld,\n  \"resid_pdrop\": 0.1,\n  \"scale_attn_weights\": true,\n"
                "  \"tie_word_embeddings\": true,\n  \"torch_dtype\": \"%s\",\n  \"use_cache\": true,\n"
                "  \"vocab_size\": %lld\n}\n",
                (long long)c->max_pos, (long long)H, (long long)c->heads, (long long)c->layers, (long long)c->max_pos,
                tfm__bg_torch_dtype(dtype), (long long)c->vocab);
    else
        fprintf(f,
                "{\n  \"architectures\": [\"LlamaForCausalLM\"],\n  \"attention_bias\": false,\n"
                "  \"bos_token_id\": 1,\n  \"eos_token_id\": 2,\n  \"hidden_act\": \"silu\",\n  \"hidden_size\": %lld,\n"
                "  \"initializer_range\": 0.02,\n  \"intermediate_size\": %lld,\n  \"max_position_embeddings\": %lld,\n"
                "  \"model_type\": \"llama\",\n  \"num_attention_heads\": %lld,\n  \"num_hidden_layers\": %lld,\n"
                "  \"num_key_value_heads\": %lld,\n  \"pretraining_tp\": 1,\n  \"rms_norm_eps\": 1e-05,\n"
                "  \"rope_scaling\": null,\n  \"rope_theta\": 10000.0,\n  \"tie_word_embeddings\": false,\n"
                "  \"torch_dtype\": \"%s\",\n  \"use_cache\": true,\n  \"vocab_size\": %lld\n}\n",
                (long long)H, (long long)I, (long long)c->max_pos, (long long)c->heads, (long long)c->layers,
                (long long)c->kv_heads, tfm__bg_torch_dtype(dtype), (long long)c->vocab);
    return fclose(f) == 0;
}

/* Generates in a child process (its buffers stay out of this process's ru_maxrss). */
typedef struct tfm__bg_job {
    const char *dir;
    const tfm__bg_cfg *c;
    tfm_dtype dtype;
} tfm__bg_job;
static int tfm__bg_write_job(const void *arg) {
    const tfm__bg_job *j = (const tfm__bg_job *)arg;
    return tfm__bg_write_random(j->dir, j->c, j->dtype);
}
static int tfm__bg_make_random(const char *dir, const tfm__bg_cfg *c, tfm_dtype dtype) {
    tfm__bg_job j;
    j.dir = dir;
    j.c = c;
    j.dtype = dtype;
    return tfm__bench_in_child(tfm__bg_write_job, &j);
}

/* ---- memory ----------------------------------------------------------------------------------- */



/* read bandwidth: each task sums one chunk of 64-bit words (8 independent accumulators) */
typedef struct tfm__bg_bw_job {
    const uint64_t *buf;
    int64_t words_per_task;
    uint64_t *sums;
} tfm__bg_bw_job;

static void tfm__bg_bw_task(void *arg, int64_t task, int thread_index) {
    tfm__bg_bw_job *j = (tfm__bg_bw_job *)arg;
    const uint64_t *p = j->buf + task * j->words_per_task;
    uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    int64_t i, n = j->words_per_task;
    (void)thread_index;
    for (i = 0; i + 8 <= n; i += 8) {
        a0 += p[i], a1 += p[i + 1], a2 += p[i + 2], a3 += p[i + 3];
        a4 += p[i + 4], a5 += p[i + 5], a6 += p[i + 6], a7 += p[i + 7];
    }
    j->sums[task] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7;
}

/* bytes/s, best of 3 passes over a 1 GiB buffer; 0 on failure */
static double tfm__bg_bandwidth(tfm_pool *pool) {
    const int64_t bytes = (int64_t)1 << 30, n_tasks = 256;
    tfm__bg_bw_job j;
    uint64_t *buf = (uint64_t *)malloc((size_t)bytes), total = 0;
    double best = 0;
    int64_t i;
    int r;
    if (!buf) return 0;
    memset(&j, 0, sizeof j);
    j.sums = (uint64_t *)calloc((size_t)n_tasks, sizeof(uint64_t));
    if (!j.sums) {
        free(buf);
        return 0;
    }
    for (i = 0; i < bytes / 8; i++) buf[i] = (uint64_t)i; /* faults every page in */
    j.buf = buf;
    j.words_per_task = bytes / 8 / n_tasks;
    for (r = 0; r < 4; r++) { /* the first pass warms up */
        double t = tfm__bench_now(), bw;
        tfm_pool_for(pool, n_tasks, tfm__bg_bw_task, &j);
        t = tfm__bench_now() - t;
        for (i = 0; i < n_tasks; i++) total += j.sums[i];
        bw = (double)bytes / t;
        if (r > 0 && bw > best) best = bw;
    }
    if (total == 42) fputc(' ', stderr); /* keeps the sums live */
    free(j.sums);
    free(buf);
    return best;
}

/* ---- measurement ------------------------------------------------------------------------------ */

static int32_t tfm__bg_argmax(const float *x, int64_t n) {
    int64_t i, best = 0;
    for (i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return (int32_t)best;
}

static int tfm__bg_ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

#define TFM__BG_NTOK 16

static const char tfm__bg_usage[] =
    "usage: tfm bench generate [--model DIR | --make-random gpt2|llama1b [--keep DIR] [--dtype f32|bf16|f16]]\n"
    "                          [--threads N] [--prompt-tokens P] [--new-tokens G] [--reps R] [--json]\n"
    "  Greedy generation at batch 1 with a KV cache on N threads (default: TFM_NUM_THREADS, else every\n"
    "  core): prompt tokens/s over P (default 128) prompt tokens in one call, decode tokens/s over G\n"
    "  (default 64) one-token calls; medians of R (default 3) after a warm-up. Without --model a random\n"
    "  GPT-2 small (default) or ~1B Llama is written to a temporary folder, or to --keep DIR and kept.\n"
    "  Reports peak RSS and the bandwidth bound: measured read bandwidth / weight bytes read per token.\n";

static int tfm_cli_bench_generate(int argc, char **argv) {
    const char *model_dir = NULL, *keep_dir = NULL, *dt_name = "f32", *shape_name = NULL;
    const tfm__bg_cfg *shape = &tfm__bg_gpt2;
    char tmp_dir[4096] = "", dir[4096];
    int threads = 0, reps = 3, json = 0, i, r, rc = 0, n_tok = 0;
    int64_t P = 128, G = 64, vocab, max_pos, k, layers, kv_heads, head_dim, total_len;
    tfm_dtype dtype = TFM_F32;
    tfm_model *m = NULL;
    tfm_kv_cache *cache = NULL;
    tfm_weights *w = NULL;
    tfm_pool *pool = NULL;
    tfm_ctx ctx;
    const tfm_config *cfg;
    double weight_bytes = 0, read_bytes = 0, kv_bytes = 0, t_load, rss_load, rss_peak, bw = 0, bound = 0;
    double *t_prompt = NULL, *t_decode = NULL, prompt_s, decode_s, prompt_tps, decode_tps;
    int32_t *ids = NULL, tokens[TFM__BG_NTOK], cur;
    float *logits = NULL;
    tfm_isa isa = tfm_isa_best();

    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0 && i + 1 < argc) model_dir = argv[++i];
        else if (strcmp(a, "--make-random") == 0 && i + 1 < argc) shape_name = argv[++i];
        else if (strcmp(a, "--keep") == 0 && i + 1 < argc) keep_dir = argv[++i];
        else if (strcmp(a, "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(a, "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(a, "--prompt-tokens") == 0 && i + 1 < argc) P = atoll(argv[++i]);
        else if (strcmp(a, "--new-tokens") == 0 && i + 1 < argc) G = atoll(argv[++i]);
        else if (strcmp(a, "--dtype") == 0 && i + 1 < argc) dt_name = argv[++i];
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(tfm__bg_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "tfm bench generate: unknown argument '%s'\n%s", a, tfm__bg_usage);
            return 2;
        }
    }
    if (strcmp(dt_name, "f32") == 0) dtype = TFM_F32;
    else if (strcmp(dt_name, "bf16") == 0) dtype = TFM_BF16;
    else if (strcmp(dt_name, "f16") == 0) dtype = TFM_F16;
    else {
        fprintf(stderr, "tfm bench generate: --dtype takes f32, bf16 or f16\n");
        return 2;
    }
    if (shape_name) {
        if (strcmp(shape_name, "gpt2") == 0) shape = &tfm__bg_gpt2;
        else if (strcmp(shape_name, "llama1b") == 0) shape = &tfm__bg_llama1b;
        else {
            fprintf(stderr, "tfm bench generate: --make-random takes gpt2 or llama1b\n");
            return 2;
        }
    }
    if (model_dir && (keep_dir || shape_name || dtype != TFM_F32)) {
        fprintf(stderr, "tfm bench generate: --make-random, --keep and --dtype apply to a generated model, not --model\n");
        return 2;
    }
    if (reps < 1) reps = 1;
    if (P < 1) P = 1;
    if (G < 1) G = 1;

    /* the model folder */
    if (model_dir) {
        snprintf(dir, sizeof dir, "%s", model_dir);
    } else {
        if (!tfm__bench_scratch_dir(keep_dir, "generate", tmp_dir, sizeof tmp_dir, dir, sizeof dir)) return 1;
        if (!json) fprintf(stderr, "tfm bench generate: writing a random %s (%s) to %s\n", shape->name, dt_name, dir);
        if (!tfm__bg_make_random(dir, shape, dtype)) {
            rc = 1;
            goto done;
        }
    }

    t_load = tfm__bench_now();
    if (tfm_model_load(dir, TFM_HEAD_AUTO, &m) != TFM_OK) {
        rc = cli_fail("loading the model");
        goto done;
    }
    t_load = tfm__bench_now() - t_load;
    rss_load = tfm__bench_rss_bytes();
    if (tfm_model_head(m) != TFM_HEAD_CAUSAL_LM) {
        fprintf(stderr, "tfm bench generate: %s is not a causal LM (architectures in config.json)\n", dir);
        rc = 2;
        goto done;
    }
    cfg = tfm_model_config(m);
    vocab = tfm_model_vocab_size(m);
    max_pos = tfm_model_max_positions(m);
    layers = tfm_config_int(cfg, "num_hidden_layers", 0);
    kv_heads = tfm_config_int(cfg, "num_key_value_heads", tfm_config_int(cfg, "num_attention_heads", 1));
    head_dim = tfm_config_int(cfg, "head_dim", tfm_model_hidden_size(m) / tfm_config_int(cfg, "num_attention_heads", 1));
    if (max_pos > 0 && P + G > max_pos) {
        fprintf(stderr, "tfm bench generate: %lld prompt + %lld new tokens exceed the model's %lld positions\n",
                (long long)P, (long long)G, (long long)max_pos);
        rc = 2;
        goto done;
    }
    /* bytes a decode step reads from the weights */
    if (tfm_weights_open(dir, &w) == TFM_OK) {
        int64_t n = tfm_weights_count(w);
        int untied = tfm_weights_find(w, "lm_head.weight") != NULL;
        double by_dtype[TFM_DTYPE_COUNT], most = 0;
        memset(by_dtype, 0, sizeof by_dtype);
        for (k = 0; k < n; k++) {
            const tfm_tensor_info *t = tfm_weights_info(w, k);
            double row = t->ndim == 2 ? (double)t->nbytes / (double)t->shape[0] : (double)t->nbytes;
            int input_emb = tfm__bg_ends_with(t->name, "wte.weight") || tfm__bg_ends_with(t->name, "embed_tokens.weight");
            int pos_emb = tfm__bg_ends_with(t->name, "wpe.weight") || tfm__bg_ends_with(t->name, "embed_positions.weight");
            weight_bytes += (double)t->nbytes;
            if ((int)t->dtype >= 0 && t->dtype < TFM_DTYPE_COUNT) by_dtype[t->dtype] += (double)t->nbytes;
            if (pos_emb || (input_emb && untied)) read_bytes += row;
            else read_bytes += (double)t->nbytes + (input_emb ? row : 0);
        }
        for (k = 0; k < TFM_DTYPE_COUNT; k++)
            if (by_dtype[k] > most) {
                most = by_dtype[k];
                dt_name = k == TFM_F32 ? "f32" : k == TFM_BF16 ? "bf16" : k == TFM_F16 ? "f16" : tfm_dtype_name((tfm_dtype)k);
            }
        tfm_weights_close(w);
    }
    /* mean KV cache bytes read per decoded token (f32 keys and values of every layer) */
    kv_bytes = 2.0 * 4.0 * (double)layers * (double)kv_heads * (double)head_dim * ((double)P + 0.5 * (double)(G + 1));

    pool = tfm_pool_create(threads);
    if (!pool) {
        rc = cli_fail("thread pool");
        goto done;
    }
    threads = tfm_pool_threads(pool);
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = pool;
    ctx.isa = isa;
    total_len = P + G;
    ids = (int32_t *)malloc((size_t)P * sizeof(int32_t));
    logits = (float *)malloc((size_t)vocab * sizeof(float));
    t_prompt = (double *)malloc((size_t)reps * sizeof(double));
    t_decode = (double *)malloc((size_t)reps * sizeof(double));
    if (!ids || !logits || !t_prompt || !t_decode) {
        rc = cli_fail("out of memory");
        goto done;
    }
    for (k = 0; k < P; k++) ids[k] = (int32_t)((k * 7919 + 101) % vocab);
    if (tfm_kv_cache_create(m, 1, total_len, &cache) != TFM_OK) {
        rc = cli_fail("KV cache");
        goto done;
    }
    if (!json) {
        printf("tfm bench generate: %s (%s, %s weights %.1f MB), kernels %s, %d thread%s\n",
               model_dir ? model_dir : shape->name, tfm_model_type(m), dt_name, weight_bytes / 1e6, tfm_isa_name(isa),
               threads, threads == 1 ? "" : "s");
        printf("loaded in %.1f ms; prompt %lld tokens, %lld new tokens (greedy), median of %d after a warm-up\n",
               t_load * 1e3, (long long)P, (long long)G, reps);
        fflush(stdout);
    }
    for (r = -1; r < reps; r++) { /* r = -1: warm-up, prompt + 2 tokens */
        int64_t g, n_new = r < 0 ? 2 : G;
        double t0;
        tfm_kv_cache_reset(cache);
        t0 = tfm__bench_now();
        if (tfm_model_decode(m, &ctx, cache, ids, NULL, P, 0, logits) != TFM_OK) {
            rc = cli_fail("decoding the prompt");
            goto done;
        }
        cur = tfm__bg_argmax(logits, vocab);
        if (r >= 0) t_prompt[r] = tfm__bench_now() - t0;
        if (r == 0) tokens[n_tok++] = cur;
        t0 = tfm__bench_now();
        for (g = 0; g < n_new; g++) {
            if (tfm_model_decode(m, &ctx, cache, &cur, NULL, 1, 0, logits) != TFM_OK) {
                rc = cli_fail("decoding");
                goto done;
            }
            cur = tfm__bg_argmax(logits, vocab);
            if (r == 0 && n_tok < TFM__BG_NTOK) tokens[n_tok++] = cur;
        }
        if (r >= 0) t_decode[r] = tfm__bench_now() - t0;
        if (!json && r >= 0) {
            fprintf(stderr, "  rep %d: prompt %.1f ms, decode %.2f ms/token\n", r + 1, t_prompt[r] * 1e3,
                    t_decode[r] * 1e3 / (double)G);
        }
    }
    rss_peak = tfm__bench_maxrss_bytes();
    prompt_s = tfm__bench_median(t_prompt, reps);
    decode_s = tfm__bench_median(t_decode, reps);
    prompt_tps = (double)P / prompt_s;
    decode_tps = (double)G / decode_s;
    tfm_kv_cache_free(cache);
    cache = NULL;
    bw = tfm__bg_bandwidth(pool); /* after the peak RSS: its buffer is not the model's */
    bound = bw > 0 && read_bytes > 0 ? bw / read_bytes : 0;

    if (json) {
        printf("{\"impl\": \"transformers.h\", \"version\": \"%s\", \"model\": ", tfm_version());
        if (model_dir) print_json_string(stdout, model_dir);
        else printf("\"random-%s\"", shape->name);
        printf(", \"dir\": ");
        print_json_string(stdout, dir);
        printf(", \"model_type\": \"%s\", \"dtype\": \"%s\", \"isa\": \"%s\", \"threads\": %d, \"reps\": %d, "
               "\"prompt_tokens\": %lld, \"new_tokens\": %lld, \"vocab\": %lld, \"weight_bytes\": %.0f, "
               "\"read_bytes_per_token\": %.0f, \"kv_bytes_per_token\": %.0f, \"load_ms\": %.2f, "
               "\"rss_after_load_bytes\": %.0f, \"peak_rss_bytes\": %.0f, \"rss_over_weights\": %.3f, "
               "\"bandwidth_gbs\": %.3f, \"bound_tok_s\": %.3f, \"prompt_ms\": %.3f, \"prompt_tok_s\": %.3f, "
               "\"decode_ms_per_token\": %.4f, \"decode_tok_s\": %.3f, \"pct_bound\": %.2f, \"prompt_ms_all\": [",
               tfm_model_type(m), dt_name, tfm_isa_name(isa), threads, reps, (long long)P, (long long)G,
               (long long)vocab, weight_bytes, read_bytes, kv_bytes, t_load * 1e3, rss_load, rss_peak,
               weight_bytes > 0 ? rss_peak / weight_bytes : 0, bw / 1e9, bound, prompt_s * 1e3, prompt_tps,
               decode_s * 1e3 / (double)G, decode_tps, bound > 0 ? 100.0 * decode_tps / bound : 0);
        for (r = 0; r < reps; r++) printf(r ? ", %.3f" : "%.3f", t_prompt[r] * 1e3);
        printf("], \"decode_ms_per_token_all\": [");
        for (r = 0; r < reps; r++) printf(r ? ", %.4f" : "%.4f", t_decode[r] * 1e3 / (double)G);
        printf("], \"tokens\": [");
        for (i = 0; i < n_tok; i++) printf(i ? ", %d" : "%d", tokens[i]);
        printf("]}\n");
    } else {
        printf("\n%-28s %12s %12s\n", "", "ms", "tokens/s");
        printf("%-28s %12.1f %12.1f\n", "prompt (one call)", prompt_s * 1e3, prompt_tps);
        printf("%-28s %12.2f %12.2f\n", "decode (per token)", decode_s * 1e3 / (double)G, decode_tps);
        printf("\nread bandwidth %.2f GB/s (%d thread%s); weights read per token %.1f MB (+ KV cache %.1f MB on "
               "average)\n", bw / 1e9, threads, threads == 1 ? "" : "s", read_bytes / 1e6, kv_bytes / 1e6);
        printf("bandwidth bound %.2f tokens/s: decode reaches %.0f%% of it\n", bound,
               bound > 0 ? 100.0 * decode_tps / bound : 0);
        printf("peak RSS %.1f MB (%.1f MB after load), weights %.1f MB: RSS / weights = %.2f\n", rss_peak / 1e6,
               rss_load / 1e6, weight_bytes / 1e6, weight_bytes > 0 ? rss_peak / weight_bytes : 0);
        printf("greedy tokens:");
        for (i = 0; i < n_tok; i++) printf(" %d", tokens[i]);
        printf("\n");
        if (keep_dir) printf("model kept in %s\n", dir);
    }

done:
    tfm_kv_cache_free(cache);
    tfm_model_free(m);
    tfm_pool_free(pool);
    free(ids);
    free(logits);
    free(t_prompt);
    free(t_decode);
    if (tmp_dir[0]) {
        char path[4200];
        snprintf(path, sizeof path, "%s/model.safetensors", tmp_dir);
        remove(path);
        snprintf(path, sizeof path, "%s/config.json", tmp_dir);
        remove(path);
        remove(tmp_dir);
    }
    return rc;
}
