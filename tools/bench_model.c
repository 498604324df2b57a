/* tfm bench model - encoder forward latency (BERT-base by default) on all cores and on one core,
   GFLOP/s against the measured FMA peak, and peak RSS against the weight bytes. Included by
   tools/tfm.c after the transformers.h implementation and bench_gemm.c (no main here).

     tfm bench model [--model DIR] [--make-random DIR] [--threads N] [--reps R] [--batch B] [--seq S]
                     [--dtype f32|bf16|f16] [--compute auto|f32|bf16] [--json]

   Without --model a BERT-base-shaped model with random weights (fixed seed, std 0.02) is written
   to a temporary folder (kept with --make-random DIR) as HF's BertModel saves it: config.json and
   model.safetensors. It is generated in a child process so that the generator's buffers do not
   count in the peak RSS. Inputs: ids[i] = (i * 7919 + 101) % vocab over the flat [batch, seq]
   index, type ids 0, mask all 1 (tools/bench_model_baseline.py feeds the same ids; "check" in the
   JSON is last_hidden_state[0, 0, 0:4] to compare the two).

   Times are medians of R forward passes after 2 warm-ups. FLOPs per pass:
   2 * (encoder linear weights) * tokens + 4 * S * S * hidden * layers * batch (QK^T and PV). */
#include "bench_common.c"



/* ---- random BERT-base folder ------------------------------------------------------------------ */

typedef struct tfm__bm_cfg {
    int64_t vocab, hidden, layers, heads, inter, max_pos, type_vocab;
} tfm__bm_cfg;

static const tfm__bm_cfg tfm__bm_bert_base = {30522, 768, 12, 12, 3072, 512, 2};





static int tfm__bm_write_random(const char *dir, const tfm__bm_cfg *c, tfm_dtype dtype) {
    tfm__bench_gen g;
    char name[160];
    FILE *f;
    int64_t l, i;
    int ok;
    static const char *const lin[6] = {"attention.self.query", "attention.self.key", "attention.self.value",
                                       "attention.output.dense", "intermediate.dense", "output.dense"};
    memset(&g, 0, sizeof g);
    g.dtype = dtype;
    g.seed = 0x5EEDB0B5ull;
    tfm__bench_add(&g, "embeddings.word_embeddings.weight", 0, c->vocab, c->hidden, 0, 0);
    tfm__bench_add(&g, "embeddings.position_embeddings.weight", 0, c->max_pos, c->hidden, 0, 0);
    tfm__bench_add(&g, "embeddings.token_type_embeddings.weight", 0, c->type_vocab, c->hidden, 0, 0);
    tfm__bench_add(&g, "embeddings.LayerNorm.weight", 1, c->hidden, 0, 0, 0);
    tfm__bench_add(&g, "embeddings.LayerNorm.bias", 2, c->hidden, 0, 0, 0);
    for (l = 0; l < c->layers; l++) {
        for (i = 0; i < 6; i++) {
            int64_t out = i == 4 ? c->inter : c->hidden, in = i == 5 ? c->inter : c->hidden;
            snprintf(name, sizeof name, "encoder.layer.%lld.%s.weight", (long long)l, lin[i]);
            tfm__bench_add(&g, name, 0, out, in, 0, 0);
            snprintf(name, sizeof name, "encoder.layer.%lld.%s.bias", (long long)l, lin[i]);
            tfm__bench_add(&g, name, 2, out, 0, 0, 0);
            if (i == 3 || i == 5) {
                snprintf(name, sizeof name, "encoder.layer.%lld.%s.LayerNorm.weight", (long long)l,
                         i == 3 ? "attention.output" : "output");
                tfm__bench_add(&g, name, 1, c->hidden, 0, 0, 0);
                snprintf(name, sizeof name, "encoder.layer.%lld.%s.LayerNorm.bias", (long long)l,
                         i == 3 ? "attention.output" : "output");
                tfm__bench_add(&g, name, 2, c->hidden, 0, 0, 0);
            }
        }
    }
    tfm__bench_add(&g, "pooler.dense.weight", 0, c->hidden, c->hidden, 0, 0);
    tfm__bench_add(&g, "pooler.dense.bias", 2, c->hidden, 0, 0, 0);
    ok = tfm__bench_gen_write(&g, dir, "tfm bench model");
    if (!ok) return 0;
    if (!(f = tfm__bench_create(dir, "config.json", "tfm bench model"))) return 0;
    fprintf(f,
            "{\n  \"architectures\": [\"BertModel\"],\n  \"attention_probs_dropout_prob\": 0.1,\n"
            "  \"hidden_act\": \"gelu\",\n  \"hidden_dropout_prob\": 0.1,\n  \"hidden_size\": %lld,\n"
            "  \"initializer_range\": 0.02,\n  \"intermediate_size\": %lld,\n  \"layer_norm_eps\": 1e-12,\n"
            "  \"max_position_embeddings\": %lld,\n  \"model_type\": \"bert\",\n  \"num_attention_heads\": %lld,\n"
            "  \"num_hidden_layers\": %lld,\n  \"pad_token_id\": 0,\n  \"position_embedding_type\": \"absolute\",\n"
            "  \"torch_dtype\": \"%s\",\n  \"type_vocab_size\": %lld,\n  \"use_cache\": true,\n  \"vocab_size\": %lld\n}\n",
            (long long)c->hidden, (long long)c->inter, (long long)c->max_pos, (long long)c->heads,
            (long long)c->layers, dtype == TFM_F32 ? "float32" : dtype == TFM_BF16 ? "bfloat16" : "float16",
            (long long)c->type_vocab, (long long)c->vocab);
    return fclose(f) == 0;
}

/* Generates in a child process (its buffers stay out of this process's ru_maxrss). */
typedef struct tfm__bm_job {
    const char *dir;
    tfm_dtype dtype;
} tfm__bm_job;
static int tfm__bm_write_job(const void *arg) {
    const tfm__bm_job *j = (const tfm__bm_job *)arg;
    return tfm__bm_write_random(j->dir, &tfm__bm_bert_base, j->dtype);
}
static int tfm__bm_make_random(const char *dir, tfm_dtype dtype) {
    tfm__bm_job j;
    j.dir = dir;
    j.dtype = dtype;
    return tfm__bench_in_child(tfm__bm_write_job, &j);
}

/* ---- measurement ----------------------------------------------------------------------------- */



typedef struct tfm__bm_result {
    int64_t batch, seq;
    int threads;
    double ms, gflops, pct_peak;
} tfm__bm_result;

/* median seconds of `reps` forwards after 2 warm-ups; < 0 on failure */
static double tfm__bm_time(const tfm_model *m, const tfm_ctx *ctx, const tfm_model_input *in, int reps,
                           float check[4]) {
    double *t = (double *)malloc((size_t)reps * sizeof(double)), med;
    int r;
    if (!t) return -1;
    for (r = -2; r < reps; r++) {
        tfm_model_output out;
        double t0 = tfm__bench_now();
        if (tfm_model_forward(m, ctx, in, &out) != TFM_OK) {
            fprintf(stderr, "tfm bench model: forward failed: %s\n", tfm_last_error());
            free(t);
            return -1;
        }
        if (r >= 0) t[r] = tfm__bench_now() - t0;
        if (check && out.hidden_states && out.hidden >= 4) memcpy(check, out.hidden_states, 4 * sizeof(float));
        tfm_model_output_free(&out);
    }
    qsort(t, (size_t)reps, sizeof(double), tfm__bench_cmp_double);
    med = reps % 2 ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
    free(t);
    return med;
}

static const char tfm__bm_usage[] =
    "usage: tfm bench model [--model DIR] [--make-random DIR] [--threads N] [--reps R] [--batch B] [--seq S]\n"
    "                       [--dtype f32|bf16|f16] [--compute auto|f32|bf16] [--json]\n"
    "  Forward latency of an encoder at batch 1 and B (default 8) x seq S (default 128), on N threads\n"
    "  (default: TFM_NUM_THREADS, else every core) and on 1 thread; median of R (default 10) after 2\n"
    "  warm-ups. Without --model a random BERT-base (dtype f32 unless --dtype) is written to a temporary\n"
    "  folder, or to --make-random DIR and kept. Reports GFLOP/s, % of the measured FMA peak, peak RSS.\n";

static int tfm_cli_bench_model(int argc, char **argv) {
    const char *model_dir = NULL, *keep_dir = NULL, *dt_name = "f32";
    char tmp_dir[4096] = "", dir[4096];
    int threads = 0, reps = 10, json = 0, i, n_batches = 0, rc = 0, ti, bi, n_res = 0, first;
    int64_t batch_opt = 0, seq = 128, batches[2], hidden, layers, inter, heads, vocab, max_pos, linear_params = 0;
    tfm_dtype dtype = TFM_F32;
    tfm_model *m = NULL;
    tfm_weights *w = NULL;
    const tfm_config *cfg;
    tfm_pool *pools[2] = {NULL, NULL};
    double peak[2] = {0, 0}, weight_bytes = 0, t_load, rss_load, rss_peak;
    tfm__bm_result res[8];
    float check[4] = {0, 0, 0, 0};
    int have_check = 0;
    tfm_isa isa = tfm_isa_best();
    tfm_compute compute = TFM_COMPUTE_AUTO;

    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--model") == 0 && i + 1 < argc) model_dir = argv[++i];
        else if (strcmp(a, "--make-random") == 0 && i + 1 < argc) keep_dir = argv[++i];
        else if (strcmp(a, "--threads") == 0 && i + 1 < argc) threads = atoi(argv[++i]);
        else if (strcmp(a, "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else if (strcmp(a, "--batch") == 0 && i + 1 < argc) batch_opt = atoll(argv[++i]);
        else if (strcmp(a, "--seq") == 0 && i + 1 < argc) seq = atoll(argv[++i]);
        else if (strcmp(a, "--dtype") == 0 && i + 1 < argc) dt_name = argv[++i];
        else if (strcmp(a, "--compute") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            compute = strcmp(v, "bf16") == 0 ? TFM_COMPUTE_BF16 : strcmp(v, "f32") == 0 ? TFM_COMPUTE_F32 : TFM_COMPUTE_AUTO;
        } else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(tfm__bm_usage, stdout);
            return 0;
        } else {
            fprintf(stderr, "tfm bench model: unknown argument '%s'\n%s", a, tfm__bm_usage);
            return 2;
        }
    }
    if (strcmp(dt_name, "f32") == 0) dtype = TFM_F32;
    else if (strcmp(dt_name, "bf16") == 0) dtype = TFM_BF16;
    else if (strcmp(dt_name, "f16") == 0) dtype = TFM_F16;
    else {
        fprintf(stderr, "tfm bench model: --dtype takes f32, bf16 or f16\n");
        return 2;
    }
    if (model_dir && (keep_dir || dtype != TFM_F32)) {
        fprintf(stderr, "tfm bench model: --make-random and --dtype apply to the generated model, not --model\n");
        return 2;
    }
    if (reps < 1) reps = 1;
    if (seq < 1) seq = 1;
    batches[n_batches++] = 1;
    if (batch_opt != 1) batches[n_batches++] = batch_opt > 1 ? batch_opt : 8;

    /* the model folder */
    if (model_dir) {
        snprintf(dir, sizeof dir, "%s", model_dir);
    } else {
        if (!tfm__bench_scratch_dir(keep_dir, "model", tmp_dir, sizeof tmp_dir, dir, sizeof dir)) return 1;
        if (!json) fprintf(stderr, "tfm bench model: writing a random BERT-base (%s) to %s\n", dt_name, dir);
        if (!tfm__bm_make_random(dir, dtype)) {
            rc = 1;
            goto done;
        }
    }

    t_load = tfm__bench_now();
    if (tfm_model_load(dir, TFM_HEAD_BASE, &m) != TFM_OK) {
        rc = cli_fail("loading the model");
        goto done;
    }
    t_load = tfm__bench_now() - t_load;
    rss_load = tfm__bench_rss_bytes();
    cfg = tfm_model_config(m);
    hidden = tfm_model_hidden_size(m);
    layers = tfm_config_int(cfg, "num_hidden_layers", 0);
    if (!layers) layers = tfm_config_int(cfg, "n_layers", 0); /* distilbert */
    inter = tfm_config_int(cfg, "intermediate_size", 0);
    if (!inter) inter = tfm_config_int(cfg, "hidden_dim", 4 * hidden); /* distilbert */
    heads = tfm_config_int(cfg, "num_attention_heads", 0);
    if (!heads) heads = tfm_config_int(cfg, "n_heads", 0);
    vocab = tfm_config_int(cfg, "vocab_size", 30522);
    max_pos = tfm_model_max_positions(m);
    linear_params = layers * (4 * hidden * hidden + 2 * hidden * inter);
    if (seq > max_pos && max_pos > 0) {
        fprintf(stderr, "tfm bench model: --seq %lld is longer than the model's %lld positions\n", (long long)seq,
                (long long)max_pos);
        rc = 2;
        goto done;
    }
    if (tfm_weights_open(dir, &w) == TFM_OK) { /* total bytes; the dtype holding most of them */
        int64_t k, n = tfm_weights_count(w);
        double by_dtype[TFM_DTYPE_COUNT], most = 0;
        memset(by_dtype, 0, sizeof by_dtype);
        for (k = 0; k < n; k++) {
            const tfm_tensor_info *t = tfm_weights_info(w, k);
            weight_bytes += (double)t->nbytes;
            if ((int)t->dtype >= 0 && t->dtype < TFM_DTYPE_COUNT) by_dtype[t->dtype] += (double)t->nbytes;
        }
        for (k = 0; k < TFM_DTYPE_COUNT; k++)
            if (by_dtype[k] > most) {
                most = by_dtype[k];
                dt_name = k == TFM_F32 ? "f32" : k == TFM_BF16 ? "bf16" : k == TFM_F16 ? "f16" : tfm_dtype_name((tfm_dtype)k);
            }
        tfm_weights_close(w);
    }

    pools[0] = tfm_pool_create(threads);
    pools[1] = tfm_pool_create(1);
    if (!pools[0] || !pools[1]) {
        rc = cli_fail("thread pool");
        goto done;
    }
    threads = tfm_pool_threads(pools[0]);
#if defined(TFM_CLI_HAVE_BENCH_GEMM)
    peak[0] = tfm__bench_peak(pools[0], isa);
    peak[1] = threads == 1 ? peak[0] : tfm__bench_peak(pools[1], isa);
#endif
    if (!json) {
        printf("tfm bench model: %s (%s, %lld layers, hidden %lld, %lld heads, intermediate %lld, %s weights), "
               "kernels %s\n", model_dir ? model_dir : "random BERT-base", tfm_model_type(m), (long long)layers,
               (long long)hidden, (long long)heads, (long long)inter, dt_name, tfm_isa_name(isa));
        printf("weights %.1f MB, loaded in %.1f ms; median of %d forwards after 2 warm-ups\n", weight_bytes / 1e6,
               t_load * 1e3, reps);
        if (peak[0] > 0)
            printf("FMA peak (%s, f32): %.1f GFLOP/s on %d thread%s, %.1f on 1\n", tfm_isa_name(isa), peak[0], threads,
                   threads == 1 ? "" : "s", peak[1]);
        printf("\n%-8s %-6s %-8s %10s %10s %9s %12s\n", "batch", "seq", "threads", "ms", "GFLOP/s", "% peak",
               "ms/sequence");
    }
    for (ti = 0; ti < (threads == 1 ? 1 : 2); ti++) {
        for (bi = 0; bi < n_batches; bi++) {
            int64_t b = batches[bi], k;
            int32_t *ids = (int32_t *)malloc((size_t)(b * seq) * sizeof(int32_t));
            tfm_model_input in;
            tfm_ctx ctx;
            double t, flops;
            tfm__bm_result *r = &res[n_res];
            memset(&ctx, 0, sizeof ctx);
            if (!ids) {
                rc = cli_fail("out of memory");
                goto done;
            }
            for (k = 0; k < b * seq; k++) ids[k] = (int32_t)((k * 7919 + 101) % vocab);
            memset(&in, 0, sizeof in);
            in.batch = b;
            in.seq = seq;
            in.ids = ids;
            memset(&ctx, 0, sizeof ctx);
            ctx.pool = pools[ti];
            ctx.compute = compute;
            ctx.isa = isa;
            ctx.backend = TFM_BACKEND_CPU;
            t = tfm__bm_time(m, &ctx, &in, reps, have_check ? NULL : check);
            free(ids);
            if (t < 0) {
                rc = 1;
                goto done;
            }
            have_check = 1;
            flops = 2.0 * (double)linear_params * (double)(b * seq) +
                    4.0 * (double)seq * (double)seq * (double)hidden * (double)layers * (double)b;
            r->batch = b;
            r->seq = seq;
            r->threads = tfm_pool_threads(pools[ti]);
            r->ms = t * 1e3;
            r->gflops = flops / t * 1e-9;
            r->pct_peak = peak[ti] > 0 ? 100.0 * r->gflops / peak[ti] : 0;
            n_res++;
            if (!json) {
                printf("%-8lld %-6lld %-8d %10.1f %10.1f ", (long long)b, (long long)seq, r->threads, r->ms, r->gflops);
                if (peak[ti] > 0) printf("%8.0f%%", r->pct_peak);
                else printf("%9s", "-");
                printf(" %12.1f\n", r->ms / (double)b);
                fflush(stdout);
            }
        }
    }
    rss_peak = tfm__bench_maxrss_bytes();
    if (json) {
        printf("{\"impl\": \"transformers.h\", \"version\": \"%s\", \"model\": ", tfm_version());
        if (model_dir) print_json_string(stdout, model_dir);
        else printf("\"random-bert-base\"");
        printf(", \"dir\": ");
        print_json_string(stdout, dir);
        printf(", \"model_type\": \"%s\", \"dtype\": \"%s\", \"isa\": \"%s\", \"threads\": %d, \"reps\": %d, "
               "\"layers\": %lld, \"hidden\": %lld, \"heads\": %lld, \"intermediate\": %lld, "
               "\"linear_params\": %lld, \"weight_bytes\": %.0f, \"load_ms\": %.2f, \"rss_after_load_bytes\": %.0f, "
               "\"peak_rss_bytes\": %.0f, \"rss_over_weights\": %.3f, \"peak_gflops\": {\"%d\": %.2f",
               tfm_model_type(m), dt_name, tfm_isa_name(isa), threads, reps, (long long)layers,
               (long long)hidden, (long long)heads, (long long)inter, (long long)linear_params, weight_bytes,
               t_load * 1e3, rss_load, rss_peak, weight_bytes > 0 ? rss_peak / weight_bytes : 0, threads, peak[0]);
        if (threads != 1) printf(", \"1\": %.2f", peak[1]);
        printf("}, \"check\": [%.7g, %.7g, %.7g, %.7g], \"results\": [", check[0], check[1], check[2], check[3]);
        for (i = 0, first = 1; i < n_res; i++, first = 0) {
            printf("%s\n  {\"batch\": %lld, \"seq\": %lld, \"threads\": %d, \"ms\": %.3f, \"gflops\": %.2f, \"pct_peak\": ",
                   first ? "" : ",", (long long)res[i].batch, (long long)res[i].seq, res[i].threads, res[i].ms,
                   res[i].gflops);
            if (res[i].pct_peak > 0) printf("%.1f}", res[i].pct_peak);
            else printf("null}");
        }
        printf("\n]}\n");
    } else {
        printf("\npeak RSS %.1f MB (%.1f MB after load), weights %.1f MB: RSS / weights = %.2f\n", rss_peak / 1e6,
               rss_load / 1e6, weight_bytes / 1e6, weight_bytes > 0 ? rss_peak / weight_bytes : 0);
        printf("check: last_hidden_state[0,0,0:4] = %.6g %.6g %.6g %.6g\n", check[0], check[1], check[2], check[3]);
        if (keep_dir) printf("model kept in %s\n", dir);
    }

done:
    tfm_model_free(m);
    tfm_pool_free(pools[0]);
    tfm_pool_free(pools[1]);
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
