/* Kernels ([API 7]) against ops.safetensors and against naive loops. Compiled only with
   -DTFM_TEST_KERNELS (make test KERNELS=1) until sections 6-7 of the header link.

   Every op with a tfm_ctx runs with TFM_ISA_SCALAR and tfm_isa_best(), each on pools of 1 and 2
   threads; results must be within tolerance of the reference, and 1 vs 2 threads bit-identical.
   Tolerance: max abs error <= tol * max(1, max |expected|), tol 1e-5 (1e-4 for attention, conv,
   linear). */

#include <float.h>

#define KT_TOL 1e-5
#define KT_TOL_MM 1e-4

/* Runs op(ctx, arg, out) for every ISA x pool variant and checks the result. */
typedef tfm_status (*kt_op)(const tfm_ctx *ctx, void *arg, float *out);

static void kt_variants(const char *what, kt_op op, void *arg, const float *want, int64_t n, double tol) {
    tfm_isa isas[2];
    tfm_pool *pools[2];
    int i, p;
    size_t bytes = (size_t)(n > 0 ? n : 1) * sizeof(float);
    isas[0] = TFM_ISA_SCALAR;
    isas[1] = tfm_isa_best();
    pools[0] = tfm_pool_create(1);
    pools[1] = tfm_pool_create(2);
    for (i = 0; i < 2; i++) {
        float *out[2];
        for (p = 0; p < 2; p++) {
            tfm_ctx ctx;
            char label[200];
            int64_t k;
            memset(&ctx, 0, sizeof ctx);
            ctx.pool = pools[p];
            ctx.isa = isas[i];
            out[p] = (float *)malloc(bytes);
            for (k = 0; k < n; k++) out[p][k] = NAN; /* catches elements never written */
            snprintf(label, sizeof label, "%s [isa %s, %d thread%s]", what, tfm_isa_name(isas[i]), p + 1, p ? "s" : "");
            CHECKF(op(&ctx, arg, out[p]) == TFM_OK, "%s: %s", label, tfm_last_error());
            if (want) CHECK_CLOSE(out[p], want, n, tol, label);
        }
        CHECKF(memcmp(out[0], out[1], (size_t)n * sizeof(float)) == 0, "%s [isa %s]: 1 and 2 threads differ", what,
               tfm_isa_name(isas[i]));
        free(out[0]);
        free(out[1]);
    }
    tfm_pool_free(pools[0]);
    tfm_pool_free(pools[1]);
}

/* ---- activations ---- */

typedef struct kt_act_arg {
    tfm_act act;
    const float *x;
    int64_t n;
    int in_place;
} kt_act_arg;
static tfm_status kt_act_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_act_arg *a = (kt_act_arg *)p;
    if (a->in_place) {
        memcpy(out, a->x, (size_t)a->n * sizeof(float));
        tfm_activation(ctx, a->act, out, a->n, out);
    } else {
        tfm_activation(ctx, a->act, a->x, a->n, out);
    }
    return TFM_OK;
}

static void kt_activations(void) {
    static const struct {
        tfm_act act;
        const char *y;
    } acts[] = {{TFM_ACT_GELU, "gelu.y"},       {TFM_ACT_GELU_TANH, "gelu_tanh.y"}, {TFM_ACT_SILU, "silu.y"},
                {TFM_ACT_RELU, "relu.y"},       {TFM_ACT_SIGMOID, "sigmoid.y"},     {TFM_ACT_TANH, "tanh.y"},
                {TFM_ACT_QUICK_GELU, "quick_gelu.y"}};
    int64_t n = 0, ny = 0;
    float *x = OPS_F32("gelu.x", &n);
    size_t i;
    for (i = 0; x && i < sizeof acts / sizeof acts[0]; i++) {
        float *y = OPS_F32(acts[i].y, &ny);
        kt_act_arg a;
        CHECK_EQ_I64(ny, n);
        a.act = acts[i].act;
        a.x = x;
        a.n = n;
        a.in_place = 0;
        kt_variants(acts[i].y, kt_act_op, &a, y, n, KT_TOL);
        a.in_place = 1;
        kt_variants(acts[i].y, kt_act_op, &a, y, n, KT_TOL);
        /* odd lengths and offsets (vector tails) */
        a.x = x + 3;
        a.n = n - 10;
        a.in_place = 0;
        if (y) kt_variants(acts[i].y, kt_act_op, &a, y + 3, n - 10, KT_TOL);
        free(y);
    }
    if (x) {
        kt_act_arg a;
        a.act = TFM_ACT_IDENTITY;
        a.x = x;
        a.n = n;
        a.in_place = 0;
        kt_variants("identity", kt_act_op, &a, x, n, 0.0);
    }
    free(x);
}

static void kt_act_names(void) {
    static const struct {
        const char *name;
        tfm_act act;
    } names[] = {{"gelu", TFM_ACT_GELU},          {"gelu_new", TFM_ACT_GELU_TANH}, {"gelu_pytorch_tanh", TFM_ACT_GELU_TANH},
                 {"relu", TFM_ACT_RELU},          {"silu", TFM_ACT_SILU},          {"swish", TFM_ACT_SILU},
                 {"quick_gelu", TFM_ACT_QUICK_GELU}, {"tanh", TFM_ACT_TANH},       {"sigmoid", TFM_ACT_SIGMOID}};
    size_t i;
    tfm_act a = TFM_ACT_IDENTITY;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        CHECK_OK(tfm_act_from_name(names[i].name, &a));
        CHECKF(a == names[i].act, "%s -> %d", names[i].name, (int)a);
    }
    CHECK_STATUS(tfm_act_from_name("mish", &a), TFM_ERR_UNSUPPORTED);
    CHECK_STATUS(tfm_act_from_name("", &a), TFM_ERR_UNSUPPORTED);
    CHECK_ERROR_SET();
}

typedef struct kt_glu_arg {
    tfm_act act;
    const float *gate, *up;
    int64_t n;
} kt_glu_arg;
static tfm_status kt_glu_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_glu_arg *a = (kt_glu_arg *)p;
    tfm_glu(ctx, a->act, a->gate, a->up, a->n, out);
    return TFM_OK;
}
static void kt_glu(void) {
    int64_t n = 0, i;
    float *x = OPS_F32("gelu.x", &n), *silu = OPS_F32("silu.y", NULL), *gelu = OPS_F32("gelu_tanh.y", NULL);
    if (x && silu && gelu) {
        float *up = (float *)calloc((size_t)n + 1, sizeof(float)), *want = (float *)calloc((size_t)n + 1, sizeof(float));
        kt_glu_arg a;
        for (i = 0; i < n; i++) up[i] = x[n - 1 - i];
        a.gate = x;
        a.up = up;
        a.n = n;
        a.act = TFM_ACT_SILU;
        for (i = 0; i < n; i++) want[i] = silu[i] * up[i];
        kt_variants("glu silu", kt_glu_op, &a, want, n, KT_TOL);
        a.act = TFM_ACT_GELU_TANH;
        for (i = 0; i < n; i++) want[i] = gelu[i] * up[i];
        kt_variants("glu gelu_tanh", kt_glu_op, &a, want, n, KT_TOL);
        free(up);
        free(want);
    }
    free(x);
    free(silu);
    free(gelu);
}

/* ---- element-wise helpers: exact ---- */
static void kt_elementwise(void) {
    tt_rng r = {3};
    enum { N = 1031, R = 7, C = 37 };
    static float a[N], b[N], y[N], w[N], bias[C];
    int i;
    for (i = 0; i < N; i++) {
        a[i] = tt_uniform(&r, -10, 10);
        b[i] = tt_uniform(&r, -10, 10);
    }
    for (i = 0; i < C; i++) bias[i] = tt_uniform(&r, -1, 1);
    tfm_add(a, b, N, y);
    for (i = 0; i < N; i++) w[i] = a[i] + b[i];
    CHECK(memcmp(y, w, sizeof y) == 0);
    tfm_mul(a, b, N, y);
    for (i = 0; i < N; i++) w[i] = a[i] * b[i];
    CHECK(memcmp(y, w, sizeof y) == 0);
    tfm_scale(a, 0.3f, N, y);
    for (i = 0; i < N; i++) w[i] = a[i] * 0.3f;
    CHECK(memcmp(y, w, sizeof y) == 0);
    memcpy(y, a, sizeof y);
    tfm_add(y, b, N, y); /* in place */
    for (i = 0; i < N; i++) w[i] = a[i] + b[i];
    CHECK(memcmp(y, w, sizeof y) == 0);
    memcpy(y, a, sizeof y);
    tfm_add_bias(y, R, C, bias);
    for (i = 0; i < R * C; i++) w[i] = a[i] + bias[i % C];
    CHECK(memcmp(y, w, R * C * sizeof(float)) == 0);
    CHECK(memcmp(y + R * C, a + R * C, (N - R * C) * sizeof(float)) == 0); /* nothing past rows*cols */
}

/* ---- softmax ---- */
typedef struct kt_sm_arg {
    const float *x, *mask;
    int64_t rows, cols;
    float scale;
    int in_place;
} kt_sm_arg;
static tfm_status kt_sm_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_sm_arg *a = (kt_sm_arg *)p;
    if (a->in_place) {
        memcpy(out, a->x, (size_t)(a->rows * a->cols) * sizeof(float));
        tfm_softmax(ctx, out, a->rows, a->cols, a->scale, a->mask, out);
    } else {
        tfm_softmax(ctx, a->x, a->rows, a->cols, a->scale, a->mask, out);
    }
    return TFM_OK;
}
static void kt_softmax(void) {
    const tfm_tensor_info *tx = OPS_INFO("softmax.x");
    float *x = OPS_F32("softmax.x", NULL), *y = OPS_F32("softmax.y", NULL), *mask = OPS_F32("softmax_masked.mask", NULL),
          *ym = OPS_F32("softmax_masked.y", NULL), *half = NULL;
    kt_sm_arg a;
    int64_t i, n;
    if (!tx || !x || !y || !mask || !ym) goto done;
    memset(&a, 0, sizeof a);
    a.rows = tx->shape[0];
    a.cols = tx->shape[1];
    n = a.rows * a.cols;
    a.x = x;
    a.scale = 1.0f;
    kt_variants("softmax", kt_sm_op, &a, y, n, KT_TOL);
    a.in_place = 1;
    kt_variants("softmax in place", kt_sm_op, &a, y, n, KT_TOL);
    a.in_place = 0;
    a.mask = mask;
    kt_variants("softmax masked", kt_sm_op, &a, ym, n, KT_TOL);
    /* scale: softmax(2 * (x/2)) == softmax(x); x/2 is exact */
    half = (float *)malloc((size_t)n * sizeof(float));
    for (i = 0; i < n; i++) half[i] = x[i] * 0.5f;
    a.x = half;
    a.scale = 2.0f;
    a.mask = NULL;
    kt_variants("softmax scale 2", kt_sm_op, &a, y, n, KT_TOL);
    /* a row masked entirely with -inf gives zeros (documented) */
    {
        float *m2 = (float *)malloc((size_t)n * sizeof(float)), *want = (float *)malloc((size_t)n * sizeof(float));
        memcpy(m2, mask, (size_t)n * sizeof(float));
        memcpy(want, ym, (size_t)n * sizeof(float));
        for (i = 0; i < a.cols; i++) {
            m2[a.cols + i] = -INFINITY;
            want[a.cols + i] = 0.0f;
        }
        a.x = x;
        a.scale = 1.0f;
        a.mask = m2;
        kt_variants("softmax all -inf row", kt_sm_op, &a, want, n, KT_TOL);
        free(m2);
        free(want);
    }
done:
    free(x);
    free(y);
    free(mask);
    free(ym);
    free(half);
}

/* ---- norms ---- */
typedef struct kt_norm_arg {
    const float *x, *g, *b;
    int64_t rows, cols;
    float eps;
    int rms, in_place;
} kt_norm_arg;
static tfm_status kt_norm_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_norm_arg *a = (kt_norm_arg *)p;
    const float *src = a->x;
    if (a->in_place) {
        memcpy(out, a->x, (size_t)(a->rows * a->cols) * sizeof(float));
        src = out;
    }
    if (a->rms) tfm_rms_norm(ctx, src, a->rows, a->cols, a->g, a->eps, out);
    else tfm_layer_norm(ctx, src, a->rows, a->cols, a->g, a->b, a->eps, out);
    return TFM_OK;
}
static void kt_layer_norm(void) {
    const tfm_tensor_info *tx = OPS_INFO("layer_norm.x");
    float *x = OPS_F32("layer_norm.x", NULL), *g = OPS_F32("layer_norm.w", NULL), *b = OPS_F32("layer_norm.b", NULL),
          *y = OPS_F32("layer_norm.y", NULL), *y5 = OPS_F32("layer_norm_5.y", NULL);
    kt_norm_arg a;
    if (tx && x && g && b && y && y5) {
        memset(&a, 0, sizeof a);
        a.x = x;
        a.g = g;
        a.b = b;
        a.rows = tx->shape[0];
        a.cols = tx->shape[1];
        a.eps = (float)OPS_META("layer_norm.eps");
        kt_variants("layer_norm eps 1e-12", kt_norm_op, &a, y, a.rows * a.cols, KT_TOL);
        a.in_place = 1;
        kt_variants("layer_norm in place", kt_norm_op, &a, y, a.rows * a.cols, KT_TOL);
        a.in_place = 0;
        a.eps = (float)OPS_META("layer_norm_5.eps");
        kt_variants("layer_norm eps 1e-5", kt_norm_op, &a, y5, a.rows * a.cols, KT_TOL);
    }
    free(x);
    free(g);
    free(b);
    free(y);
    free(y5);
}
static void kt_rms_norm(void) {
    const tfm_tensor_info *tx = OPS_INFO("rms_norm.x");
    float *x = OPS_F32("rms_norm.x", NULL), *g = OPS_F32("rms_norm.w", NULL), *y = OPS_F32("rms_norm.y", NULL);
    kt_norm_arg a;
    if (tx && x && g && y) {
        memset(&a, 0, sizeof a);
        a.x = x;
        a.g = g;
        a.rows = tx->shape[0];
        a.cols = tx->shape[1];
        a.eps = (float)OPS_META("rms_norm.eps");
        a.rms = 1;
        kt_variants("rms_norm", kt_norm_op, &a, y, a.rows * a.cols, KT_TOL);
        a.in_place = 1;
        kt_variants("rms_norm in place", kt_norm_op, &a, y, a.rows * a.cols, KT_TOL);
    }
    free(x);
    free(g);
    free(y);
}

/* ---- linear ---- */
typedef struct kt_lin_arg {
    const float *x, *bias;
    int64_t M, K;
    const tfm_tensor *W;
} kt_lin_arg;
static tfm_status kt_lin_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_lin_arg *a = (kt_lin_arg *)p;
    return tfm_linear(ctx, a->x, a->M, a->K, a->W, a->bias, out);
}
static void kt_linear(void) {
    static const struct {
        const char *w, *y;
    } cases[] = {{"linear.w", "linear.y"}, {"linear.w_f16", "linear.y_f16"}, {"linear.w_bf16", "linear.y_bf16"}};
    const tfm_tensor_info *tx = OPS_INFO("linear.x");
    float *x = OPS_F32("linear.x", NULL), *b = OPS_F32("linear.b", NULL);
    size_t i;
    for (i = 0; tx && x && b && i < 3; i++) {
        const tfm_tensor_info *tw = OPS_INFO(cases[i].w);
        float *y = OPS_F32(cases[i].y, NULL);
        tfm_tensor W;
        kt_lin_arg a;
        if (!tw || !y) {
            free(y);
            continue;
        }
        CHECK_OK(tfm_weights_tensor(tt_ops(), cases[i].w, &W));
        CHECK(W.dtype == tw->dtype); /* f16/bf16 weights stay 16-bit (zero-copy) */
        a.x = x;
        a.bias = b;
        a.M = tx->shape[0];
        a.K = tx->shape[1];
        a.W = &W;
        kt_variants(cases[i].y, kt_lin_op, &a, y, a.M * tw->shape[0], KT_TOL_MM);
        /* without bias: y - b */
        {
            int64_t r, c, N = tw->shape[0];
            float *want = (float *)malloc((size_t)(a.M * N) * sizeof(float));
            for (r = 0; r < a.M; r++)
                for (c = 0; c < N; c++) want[r * N + c] = y[r * N + c] - b[c];
            a.bias = NULL;
            kt_variants("linear without bias", kt_lin_op, &a, want, a.M * N, KT_TOL_MM);
            free(want);
        }
        /* one row (the decode case) */
        a.bias = b;
        a.M = 1;
        a.x = x + 2 * tx->shape[1];
        kt_variants("linear M=1", kt_lin_op, &a, y + 2 * tw->shape[0], tw->shape[0], KT_TOL_MM);
        free(y);
    }
    /* shape errors */
    if (tx && x) {
        tfm_tensor W;
        tfm_ctx ctx;
        float out[4096];
        memset(&ctx, 0, sizeof ctx);
        ctx.pool = NULL;
        ctx.isa = TFM_ISA_AUTO;
        CHECK_OK(tfm_weights_tensor(tt_ops(), "linear.w", &W));
        CHECK_STATUS(tfm_linear(&ctx, x, tx->shape[0], tx->shape[1] + 1, &W, NULL, out), TFM_ERR_SHAPE);
        CHECK_OK(tfm_weights_tensor(tt_ops(), "linear.b", &W)); /* 1-D */
        CHECK(tfm_linear(&ctx, x, tx->shape[0], tx->shape[1], &W, NULL, out) != TFM_OK);
    }
    free(x);
    free(b);
}

/* ---- GEMM vs a naive loop ---- */

typedef struct kt_gemm_case {
    int trans_b;
    int64_t M, N, K, lda, ldb, ldc;
    float alpha, beta;
    tfm_dtype bt;
    float *A, *Bf; /* Bf: f32 values of B (after 16-bit rounding) */
    void *B;       /* B in bt */
    float *C0;     /* initial C (ldc layout) */
} kt_gemm_case;

static tfm_status kt_gemm_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_gemm_case *g = (kt_gemm_case *)p;
    memcpy(out, g->C0, (size_t)(g->M * g->ldc) * sizeof(float));
    return tfm_gemm(ctx, g->trans_b, g->M, g->N, g->K, g->alpha, g->A, g->lda, g->bt, g->B, g->ldb, g->beta, out, g->ldc);
}

static void kt_gemm_case_run(tt_rng *r, int trans_b, int64_t M, int64_t N, int64_t K, tfm_dtype bt, float alpha,
                             float beta) {
    kt_gemm_case g;
    int64_t i, j, k, nb, bad = 0;
    double *ref, *bound;
    char label[160];
    tfm_isa isas[2];
    tfm_pool *pools[3];
    int ii, p;
    memset(&g, 0, sizeof g);
    g.trans_b = trans_b;
    g.M = M;
    g.N = N;
    g.K = K;
    g.alpha = alpha;
    g.beta = beta;
    g.bt = bt;
    g.lda = K + (int64_t)tt_below(r, 3);
    g.ldb = (trans_b ? K : N) + (int64_t)tt_below(r, 3);
    g.ldc = N + (int64_t)tt_below(r, 3);
    if (g.lda < 1) g.lda = 1;
    if (g.ldb < 1) g.ldb = 1;
    if (g.ldc < 1) g.ldc = 1;
    nb = (trans_b ? N : K) * g.ldb;
    g.A = (float *)malloc((size_t)(M * g.lda + 1) * sizeof(float));
    g.Bf = (float *)malloc((size_t)(nb + 1) * sizeof(float));
    g.B = malloc((size_t)(nb + 1) * 4);
    g.C0 = (float *)malloc((size_t)(M * g.ldc + 1) * sizeof(float));
    for (i = 0; i < M * g.lda; i++) g.A[i] = tt_uniform(r, -1, 1);
    for (i = 0; i < nb; i++) g.Bf[i] = tt_uniform(r, -1, 1);
    if (bt == TFM_F32) memcpy(g.B, g.Bf, (size_t)nb * sizeof(float));
    else {
        tfm_convert_from_f32(g.Bf, bt, g.B, (size_t)nb);
        tfm_convert_to_f32(bt, g.B, g.Bf, (size_t)nb);
    }
    for (i = 0; i < M * g.ldc; i++) g.C0[i] = beta == 0.0f ? NAN : tt_uniform(r, -1, 1); /* beta 0 ignores C */
    ref = (double *)calloc((size_t)(M * N + 1), sizeof(double));
    bound = (double *)calloc((size_t)(M * N + 1), sizeof(double));
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++) {
            double s = 0, sa = 0;
            for (k = 0; k < K; k++) {
                double a = g.A[i * g.lda + k], b = trans_b ? g.Bf[j * g.ldb + k] : g.Bf[k * g.ldb + j];
                s += a * b;
                sa += fabs(a * b);
            }
            ref[i * N + j] = alpha * s + (beta != 0.0f ? beta * (double)g.C0[i * g.ldc + j] : 0.0);
            bound[i * N + j] = (double)(K + 4) * FLT_EPSILON *
                                   (fabs(alpha) * sa + (beta != 0.0f ? fabs(beta * g.C0[i * g.ldc + j]) : 0.0)) +
                               1e-30;
        }
    snprintf(label, sizeof label, "gemm M=%lld N=%lld K=%lld trans_b=%d %s alpha=%g beta=%g", (long long)M,
             (long long)N, (long long)K, trans_b, tfm_dtype_name(bt), alpha, beta);
    isas[0] = TFM_ISA_SCALAR;
    isas[1] = tfm_isa_best();
    pools[0] = tfm_pool_create(1);
    pools[1] = tfm_pool_create(2);
    pools[2] = tfm_pool_create(3);
    for (ii = 0; ii < 2; ii++) {
        float *first = NULL;
        for (p = 0; p < 3; p++) {
            tfm_ctx ctx;
            float *out = (float *)malloc((size_t)(M * g.ldc + 1) * sizeof(float));
            memset(&ctx, 0, sizeof ctx);
            ctx.pool = pools[p];
            ctx.isa = isas[ii];
            CHECKF(kt_gemm_op(&ctx, &g, out) == TFM_OK, "%s: %s", label, tfm_last_error());
            for (i = 0; i < M; i++)
                for (j = 0; j < g.ldc; j++) {
                    float v = out[i * g.ldc + j];
                    if (j >= N) {
                        /* padding columns of C are left alone */
                        if (tt_f32_bits(v) != tt_f32_bits(g.C0[i * g.ldc + j]) && bad++ < 2)
                            CHECKF(0, "%s: wrote C[%lld][%lld] past N", label, (long long)i, (long long)j);
                    } else if (!(fabs((double)v - ref[i * N + j]) <= bound[i * N + j]) && bad++ < 2) {
                        CHECKF(0, "%s [isa %s, %d threads]: C[%lld][%lld] = %.9g, ref %.9g (bound %.3g)", label,
                               tfm_isa_name(isas[ii]), p + 1, (long long)i, (long long)j, v, ref[i * N + j],
                               bound[i * N + j]);
                    }
                }
            if (!first) first = out;
            else {
                CHECKF(memcmp(first, out, (size_t)(M * g.ldc) * sizeof(float)) == 0,
                       "%s [isa %s]: %d threads differ from 1", label, tfm_isa_name(isas[ii]), p + 1);
                free(out);
            }
        }
        free(first);
    }
    for (p = 0; p < 3; p++) tfm_pool_free(pools[p]);
    free(g.A);
    free(g.Bf);
    free(g.B);
    free(g.C0);
    free(ref);
    free(bound);
}

static void kt_gemm(void) {
    tt_rng r = {2718};
    static const int64_t dims[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 127, 129};
    static const tfm_dtype bts[] = {TFM_F32, TFM_F16, TFM_BF16};
    int c;
    /* fixed corner cases */
    kt_gemm_case_run(&r, 1, 1, 1, 1, TFM_F32, 1.0f, 0.0f);
    kt_gemm_case_run(&r, 0, 1, 300, 257, TFM_F32, 1.0f, 0.0f); /* M = 1 (decode) */
    kt_gemm_case_run(&r, 1, 1, 300, 257, TFM_F16, 1.0f, 0.0f);
    kt_gemm_case_run(&r, 1, 1, 257, 300, TFM_BF16, 1.0f, 1.0f);
    kt_gemm_case_run(&r, 1, 257, 1, 33, TFM_F32, 1.0f, 0.0f); /* N = 1 */
    kt_gemm_case_run(&r, 0, 5, 7, 0, TFM_F32, 1.0f, 0.5f);    /* K = 0: C = beta C */
    kt_gemm_case_run(&r, 0, 5, 7, 0, TFM_F32, 1.0f, 0.0f);    /* K = 0, beta 0: zeros */
    kt_gemm_case_run(&r, 1, 150, 170, 190, TFM_F32, 1.0f, 0.0f);
    kt_gemm_case_run(&r, 0, 150, 170, 190, TFM_BF16, -0.5f, 2.0f);
    kt_gemm_case_run(&r, 1, 65, 513, 129, TFM_F16, 1.0f, 0.0f);
    kt_gemm_case_run(&r, 1, 128, 96, 300, TFM_F32, 1.0f, 0.0f); /* 8-row last panel; K = 256 + 44 */
    kt_gemm_case_run(&r, 1, 124, 70, 47, TFM_BF16, 1.0f, 0.5f); /* 4-row last panel */
    kt_gemm_case_run(&r, 1, 100, 1500, 40, TFM_F32, 1.0f, 0.0f); /* many shrinking column groups */
    /* several row groups on every ISA (so B is packed once and shared); [K, N] B pre-packed by
       blocks of rows (fewer threads) or by strips (more threads) */
    kt_gemm_case_run(&r, 0, 300, 70, 600, TFM_F32, 1.0f, 0.0f);
    kt_gemm_case_run(&r, 0, 310, 40, 1100, TFM_F16, 1.0f, 0.5f);
    kt_gemm_case_run(&r, 1, 300, 50, 280, TFM_F32, 1.0f, 0.0f);
    /* random shapes */
    for (c = 0; c < 60; c++) {
        int64_t M = dims[tt_below(&r, sizeof dims / sizeof dims[0])];
        int64_t N = dims[tt_below(&r, sizeof dims / sizeof dims[0])];
        int64_t K = dims[tt_below(&r, sizeof dims / sizeof dims[0])];
        float alpha = tt_below(&r, 3) ? 1.0f : tt_uniform(&r, -2, 2);
        float beta = tt_below(&r, 2) ? 0.0f : tt_uniform(&r, -2, 2);
        kt_gemm_case_run(&r, (int)tt_below(&r, 2), M, N, K, bts[tt_below(&r, 3)], alpha, beta);
    }
    /* bad arguments */
    {
        float a[4] = {0}, b[4] = {0}, cc[4] = {0};
        CHECK(tfm_gemm(NULL, 0, 2, 2, 2, 1.0f, a, 1, TFM_F32, b, 2, 0.0f, cc, 2) != TFM_OK); /* lda < K */
        CHECK(tfm_gemm(NULL, 0, 2, 2, 2, 1.0f, a, 2, TFM_I32, b, 2, 0.0f, cc, 2) != TFM_OK); /* B dtype */
        CHECK(tfm_gemm(NULL, 0, -1, 2, 2, 1.0f, a, 2, TFM_F32, b, 2, 0.0f, cc, 2) != TFM_OK);
        CHECK_OK(tfm_gemm(NULL, 0, 0, 2, 2, 1.0f, a, 2, TFM_F32, b, 2, 0.0f, cc, 2)); /* empty */
    }
}

typedef struct kt_gb_arg {
    int64_t batch, M, N, K;
    const float *A, *B;
    float *C0;
} kt_gb_arg;
static tfm_status kt_gb_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_gb_arg *a = (kt_gb_arg *)p;
    memcpy(out, a->C0, (size_t)(a->batch * a->M * a->N) * sizeof(float));
    return tfm_gemm_batched(ctx, a->batch, 1, a->M, a->N, a->K, 1.0f, a->A, a->K, a->M * a->K, TFM_F32, a->B, a->K,
                            a->N * a->K, 0.5f, out, a->N, a->M * a->N);
}
static void kt_gemm_batched(void) {
    tt_rng r = {11};
    kt_gb_arg a;
    int64_t i, b, n;
    float *A, *B, *C0, *want;
    a.batch = 5;
    a.M = 9;
    a.N = 13;
    a.K = 17;
    n = a.batch * a.M * a.N;
    A = (float *)malloc((size_t)(a.batch * a.M * a.K) * sizeof(float));
    B = (float *)malloc((size_t)(a.batch * a.N * a.K) * sizeof(float));
    C0 = (float *)malloc((size_t)n * sizeof(float));
    want = (float *)malloc((size_t)n * sizeof(float));
    for (i = 0; i < a.batch * a.M * a.K; i++) A[i] = tt_uniform(&r, -1, 1);
    for (i = 0; i < a.batch * a.N * a.K; i++) B[i] = tt_uniform(&r, -1, 1);
    for (i = 0; i < n; i++) C0[i] = tt_uniform(&r, -1, 1);
    for (b = 0; b < a.batch; b++) {
        int64_t m, j, k;
        for (m = 0; m < a.M; m++)
            for (j = 0; j < a.N; j++) {
                double s = 0;
                for (k = 0; k < a.K; k++) s += (double)A[b * a.M * a.K + m * a.K + k] * B[b * a.N * a.K + j * a.K + k];
                want[b * a.M * a.N + m * a.N + j] = (float)(s + 0.5 * C0[b * a.M * a.N + m * a.N + j]);
            }
    }
    a.A = A;
    a.B = B;
    a.C0 = C0;
    kt_variants("gemm_batched", kt_gb_op, &a, want, n, KT_TOL_MM);
    free(A);
    free(B);
    free(C0);
    free(want);
}

/* ---- RoPE ---- */
static void kt_rope(void) {
    const tfm_tensor_info *tq = OPS_INFO("rope.q"), *tk = OPS_INFO("rope.k"), *tc = OPS_INFO("rope.cos");
    float *q = OPS_F32("rope.q", NULL), *k = OPS_F32("rope.k", NULL), *cs = OPS_F32("rope.cos", NULL),
          *sn = OPS_F32("rope.sin", NULL), *qo = OPS_F32("rope.q_out", NULL), *ko = OPS_F32("rope.k_out", NULL);
    int64_t seq, hd, hq, hk, nq, i;
    float *buf = NULL;
    if (!tq || !tk || !tc || !q || !k || !cs || !sn || !qo || !ko) goto done;
    seq = tq->shape[2];
    hd = tq->shape[3];
    hq = tq->shape[0] * tq->shape[1];
    hk = tk->shape[0] * tk->shape[1];
    nq = hq * seq * hd;
    CHECK_EQ_I64(hd, (int64_t)OPS_META("rope.head_dim"));
    buf = (float *)malloc((size_t)nq * sizeof(float) * 2);
    memcpy(buf, q, (size_t)nq * sizeof(float));
    tfm_rope(buf, hq, seq, hd, hd, cs, sn, 0);
    CHECK_CLOSE(buf, qo, nq, KT_TOL, "rope q");
    memcpy(buf, k, (size_t)(hk * seq * hd) * sizeof(float));
    tfm_rope(buf, hk, seq, hd, hd, cs, sn, 0);
    CHECK_CLOSE(buf, ko, hk * seq * hd, KT_TOL, "rope k");
    /* tables from theta */
    {
        double theta = OPS_META("rope.theta");
        int64_t half = hd / 2, j;
        float *inv = (float *)malloc((size_t)half * sizeof(float)), *c2 = (float *)malloc((size_t)(seq * hd) * sizeof(float)),
              *s2 = (float *)malloc((size_t)(seq * hd) * sizeof(float));
        for (j = 0; j < half; j++) inv[j] = 1.0f / powf((float)theta, (float)(2 * j) / (float)hd);
        tfm_rope_tables(inv, hd, 0, seq, 1.0f, c2, s2);
        CHECK_CLOSE(c2, cs, seq * hd, KT_TOL, "rope_tables cos");
        CHECK_CLOSE(s2, sn, seq * hd, KT_TOL, "rope_tables sin");
        /* pos0 shifts the window */
        tfm_rope_tables(inv, hd, 3, seq - 3, 1.0f, c2, s2);
        CHECK_CLOSE(c2, cs + 3 * hd, (seq - 3) * hd, KT_TOL, "rope_tables cos pos0=3");
        CHECK_CLOSE(s2, sn + 3 * hd, (seq - 3) * hd, KT_TOL, "rope_tables sin pos0=3");
        /* attention_scaling multiplies both */
        tfm_rope_tables(inv, hd, 0, seq, 2.0f, c2, s2);
        for (j = 0; j < seq * hd; j++) {
            c2[j] *= 0.5f;
            s2[j] *= 0.5f;
        }
        CHECK_CLOSE(c2, cs, seq * hd, KT_TOL, "rope_tables scaled cos");
        CHECK_CLOSE(s2, sn, seq * hd, KT_TOL, "rope_tables scaled sin");
        free(inv);
        free(c2);
        free(s2);
    }
    /* partial rotary: head_dim hd + 8, rot_dim hd; the tail is untouched */
    {
        int64_t hd2 = hd + 8, h, s;
        float *x2 = (float *)malloc((size_t)(hq * seq * hd2) * sizeof(float)), *w2 = (float *)malloc((size_t)(hq * seq * hd2) * sizeof(float));
        for (h = 0; h < hq; h++)
            for (s = 0; s < seq; s++)
                for (i = 0; i < hd2; i++) {
                    size_t o = (size_t)((h * seq + s) * hd2 + i);
                    x2[o] = i < hd ? q[(h * seq + s) * hd + i] : (float)(i * 0.25 - s);
                    w2[o] = i < hd ? qo[(h * seq + s) * hd + i] : x2[o];
                }
        tfm_rope(x2, hq, seq, hd2, hd, cs, sn, 0);
        CHECK_CLOSE(x2, w2, hq * seq * hd2, KT_TOL, "rope partial rotary");
        free(x2);
        free(w2);
    }
    /* interleaved (GPT-J): the same rotation with pairs (2i, 2i+1) */
    {
        int64_t half = hd / 2, row;
        float *xi = (float *)malloc((size_t)nq * sizeof(float)), *wi = (float *)malloc((size_t)nq * sizeof(float));
        for (row = 0; row < hq * seq; row++)
            for (i = 0; i < half; i++) {
                xi[row * hd + 2 * i] = q[row * hd + i];
                xi[row * hd + 2 * i + 1] = q[row * hd + i + half];
                wi[row * hd + 2 * i] = qo[row * hd + i];
                wi[row * hd + 2 * i + 1] = qo[row * hd + i + half];
            }
        tfm_rope(xi, hq, seq, hd, hd, cs, sn, 1);
        CHECK_CLOSE(xi, wi, nq, KT_TOL, "rope interleaved");
        free(xi);
        free(wi);
    }
done:
    free(buf);
    free(q);
    free(k);
    free(cs);
    free(sn);
    free(qo);
    free(ko);
}

/* ---- attention ---- */
typedef struct kt_att_arg {
    tfm_attention_params p;
    const float *q, *k, *v;
    int use_scratch;
} kt_att_arg;
static tfm_status kt_att_op(const tfm_ctx *ctx, void *arg, float *out) {
    kt_att_arg *a = (kt_att_arg *)arg;
    float *scratch = NULL;
    tfm_status st;
    if (a->use_scratch) {
        size_t n = tfm_attention_scratch_size(ctx, &a->p);
        scratch = (float *)malloc((n ? n : 1) * sizeof(float));
    }
    st = tfm_attention(ctx, &a->p, a->q, a->k, a->v, out, scratch);
    free(scratch);
    return st;
}
static void kt_attention(void) {
    const tfm_tensor_info *tq = OPS_INFO("sdpa.q"), *tk = OPS_INFO("sdpa.k"), *tm = OPS_INFO("sdpa.mask");
    float *q = OPS_F32("sdpa.q", NULL), *k = OPS_F32("sdpa.k", NULL), *v = OPS_F32("sdpa.v", NULL),
          *yc = OPS_F32("sdpa.y_causal", NULL), *yp = OPS_F32("sdpa.y_padmask", NULL),
          *yc64 = OPS_F32("sdpa.y_causal_f64", NULL), *yp64 = OPS_F32("sdpa.y_padmask_f64", NULL);
    const uint8_t *mask = (const uint8_t *)tt_ops_raw(tm);
    kt_att_arg a;
    int64_t n, B, Hq, S, D;
    if (!tq || !tk || !tm || !q || !k || !v || !yc || !yp || !yc64 || !yp64 || !mask) goto done;
    CHECK_EQ_I64(tm->dtype, TFM_BOOL);
    B = tq->shape[0];
    Hq = tq->shape[1];
    S = tq->shape[2];
    D = tq->shape[3];
    n = B * Hq * S * D;
    memset(&a, 0, sizeof a);
    a.p.batch = B;
    a.p.q_heads = Hq;
    a.p.kv_heads = tk->shape[1];
    a.p.q_len = S;
    a.p.kv_len = tk->shape[2];
    a.p.head_dim = D;
    a.p.scale = 0.0f; /* 1/sqrt(D) */
    a.q = q;
    a.k = k;
    a.v = v;
    a.p.causal = 1;
    kt_variants("attention causal GQA", kt_att_op, &a, yc, n, KT_TOL_MM);
    kt_variants("attention causal GQA vs f64", kt_att_op, &a, yc64, n, KT_TOL_MM);
    a.use_scratch = 1;
    kt_variants("attention causal, caller scratch", kt_att_op, &a, yc, n, KT_TOL_MM);
    a.p.scale = (float)OPS_META("sdpa.scale");
    kt_variants("attention causal, explicit scale", kt_att_op, &a, yc, n, KT_TOL_MM);
    a.use_scratch = 0;
    a.p.causal = 0;
    a.p.key_mask = mask;
    kt_variants("attention key padding mask", kt_att_op, &a, yp, n, KT_TOL_MM);
    kt_variants("attention key padding mask vs f64", kt_att_op, &a, yp64, n, KT_TOL_MM);
    /* decode: the last Sq queries against all keys, causal aligned to the end */
    {
        int64_t sq, b, h;
        for (sq = 1; sq <= 3; sq++) {
            float *qs = (float *)malloc((size_t)(B * Hq * sq * D) * sizeof(float)),
                  *want = (float *)malloc((size_t)(B * Hq * sq * D) * sizeof(float));
            char label[64];
            for (b = 0; b < B; b++)
                for (h = 0; h < Hq; h++) {
                    size_t src = (size_t)(((b * Hq + h) * S + (S - sq)) * D), dst = (size_t)((b * Hq + h) * sq * D);
                    memcpy(qs + dst, q + src, (size_t)(sq * D) * sizeof(float));
                    memcpy(want + dst, yc + src, (size_t)(sq * D) * sizeof(float));
                }
            a.q = qs;
            a.p.q_len = sq;
            a.p.causal = 1;
            a.p.key_mask = NULL;
            a.p.scale = 0.0f;
            snprintf(label, sizeof label, "attention decode q_len=%lld", (long long)sq);
            kt_variants(label, kt_att_op, &a, want, B * Hq * sq * D, KT_TOL_MM);
            free(qs);
            free(want);
        }
        a.q = q;
        a.p.q_len = S;
    }
    /* bad shapes */
    {
        tfm_ctx ctx;
        float *out = (float *)malloc((size_t)n * sizeof(float));
        memset(&ctx, 0, sizeof ctx);
        ctx.pool = NULL;
        ctx.isa = TFM_ISA_AUTO;
        a.p.kv_heads = 3; /* 4 % 3 != 0 */
        CHECK(tfm_attention(&ctx, &a.p, q, k, v, out, NULL) != TFM_OK);
        free(out);
    }
done:
    free(q);
    free(k);
    free(v);
    free(yc);
    free(yp);
    free(yc64);
    free(yp64);
}

/* ---- convolutions ---- */
typedef struct kt_conv_arg {
    const float *x, *bias;
    const tfm_tensor *w;
    int64_t batch, cin, h, wdt, sh, sw, ph, pw, dil, groups;
    int two_d;
} kt_conv_arg;
static tfm_status kt_conv_op(const tfm_ctx *ctx, void *p, float *out) {
    kt_conv_arg *a = (kt_conv_arg *)p;
    if (a->two_d)
        return tfm_conv2d(ctx, a->x, a->batch, a->cin, a->h, a->wdt, a->w, a->bias, a->sh, a->sw, a->ph, a->pw, a->groups,
                          out);
    return tfm_conv1d(ctx, a->x, a->batch, a->cin, a->wdt, a->w, a->bias, a->sw, a->pw, a->dil, a->groups, out);
}

/* Naive conv1d in double: x [B, Cin, L], w [Cout, Cin/g, Kw]. */
static void kt_conv1d_ref(const float *x, int64_t B, int64_t Cin, int64_t L, const float *w, int64_t Cout, int64_t Kw,
                          const float *bias, int64_t stride, int64_t pad, int64_t dil, int64_t groups, float *y,
                          int64_t Lo) {
    int64_t b, co, o, ci, kk, cpg = Cin / groups, opg = Cout / groups;
    for (b = 0; b < B; b++)
        for (co = 0; co < Cout; co++)
            for (o = 0; o < Lo; o++) {
                double s = bias ? bias[co] : 0.0;
                int64_t g = co / opg;
                for (ci = 0; ci < cpg; ci++)
                    for (kk = 0; kk < Kw; kk++) {
                        int64_t pos = o * stride - pad + kk * dil;
                        if (pos < 0 || pos >= L) continue;
                        s += (double)x[(b * Cin + g * cpg + ci) * L + pos] * w[(co * cpg + ci) * Kw + kk];
                    }
                y[(b * Cout + co) * Lo + o] = (float)s;
            }
}

static void kt_conv1d(void) {
    const tfm_tensor_info *tx = OPS_INFO("conv1d.x"), *ty = OPS_INFO("conv1d.y");
    float *x = OPS_F32("conv1d.x", NULL), *b = OPS_F32("conv1d.b", NULL), *y = OPS_F32("conv1d.y", NULL);
    tfm_tensor W;
    kt_conv_arg a;
    if (!tx || !ty || !x || !b || !y) goto done;
    CHECK_OK(tfm_weights_tensor(tt_ops(), "conv1d.w", &W));
    memset(&a, 0, sizeof a);
    a.x = x;
    a.bias = b;
    a.w = &W;
    a.batch = tx->shape[0];
    a.cin = tx->shape[1];
    a.wdt = tx->shape[2];
    a.sw = (int64_t)OPS_META("conv1d.stride");
    a.pw = (int64_t)OPS_META("conv1d.padding");
    a.dil = 1;
    a.groups = 1;
    CHECK_EQ_I64(tfm_conv_out_len(a.wdt, W.shape[2], a.sw, a.pw, 1), ty->shape[2]);
    kt_variants("conv1d", kt_conv_op, &a, y, ty->numel, KT_TOL_MM);
    /* f16 weights, dilation 2, groups, no bias vs the naive loop */
    {
        tt_rng r = {8};
        int64_t Cin = 6, Cout = 4, Kw = 3, L = 23, groups = 2, dil = 2, stride = 1, pad = 2, Lo, i;
        float *xx = (float *)malloc((size_t)(2 * Cin * L) * sizeof(float)), *wf = (float *)malloc((size_t)(Cout * 3 * Kw) * sizeof(float)), *want;
        uint16_t *wh = (uint16_t *)malloc((size_t)(Cout * 3 * Kw) * 2);
        tfm_tensor Wh;
        int64_t wshape[3];
        Lo = tfm_conv_out_len(L, Kw, stride, pad, dil);
        CHECK_EQ_I64(Lo, (L + 2 * pad - dil * (Kw - 1) - 1) / stride + 1);
        for (i = 0; i < 2 * Cin * L; i++) xx[i] = tt_uniform(&r, -1, 1);
        for (i = 0; i < Cout * 3 * Kw; i++) wh[i] = tfm_f32_to_f16(tt_uniform(&r, -1, 1));
        for (i = 0; i < Cout * 3 * Kw; i++) wf[i] = tfm_f16_to_f32(wh[i]);
        wshape[0] = Cout;
        wshape[1] = Cin / groups;
        wshape[2] = Kw;
        tfm_tensor_view(&Wh, TFM_F16, 3, wshape, wh);
        want = (float *)malloc((size_t)(2 * Cout * Lo) * sizeof(float));
        kt_conv1d_ref(xx, 2, Cin, L, wf, Cout, Kw, NULL, stride, pad, dil, groups, want, Lo);
        a.x = xx;
        a.bias = NULL;
        a.w = &Wh;
        a.batch = 2;
        a.cin = Cin;
        a.wdt = L;
        a.sw = stride;
        a.pw = pad;
        a.dil = dil;
        a.groups = groups;
        kt_variants("conv1d f16 dilated grouped", kt_conv_op, &a, want, 2 * Cout * Lo, KT_TOL_MM);
        free(xx);
        free(wf);
        free(wh);
        free(want);
    }
    CHECK_EQ_I64(tfm_conv_out_len(2, 5, 1, 0, 1), -1);
done:
    free(x);
    free(b);
    free(y);
}

static void kt_conv2d_case(const char *prefix, int64_t groups_default) {
    char nx[64], nw[64], nb[64], ny[64], ns[64], np[64], ng[64];
    const tfm_tensor_info *tx, *ty;
    float *x, *b, *y;
    tfm_tensor W;
    kt_conv_arg a;
    snprintf(nx, sizeof nx, "%s.x", prefix);
    snprintf(nw, sizeof nw, "%s.w", prefix);
    snprintf(nb, sizeof nb, "%s.b", prefix);
    snprintf(ny, sizeof ny, "%s.y", prefix);
    snprintf(ns, sizeof ns, "%s.stride", prefix);
    snprintf(np, sizeof np, "%s.padding", prefix);
    snprintf(ng, sizeof ng, "%s.groups", prefix);
    tx = OPS_INFO(nx);
    ty = OPS_INFO(ny);
    x = OPS_F32(nx, NULL);
    b = OPS_F32(nb, NULL);
    y = OPS_F32(ny, NULL);
    if (tx && ty && x && b && y) {
        CHECK_OK(tfm_weights_tensor(tt_ops(), nw, &W));
        memset(&a, 0, sizeof a);
        a.two_d = 1;
        a.x = x;
        a.bias = b;
        a.w = &W;
        a.batch = tx->shape[0];
        a.cin = tx->shape[1];
        a.h = tx->shape[2];
        a.wdt = tx->shape[3];
        a.sh = a.sw = (int64_t)OPS_META(ns);
        a.ph = a.pw = (int64_t)OPS_META(np);
        a.groups = tfm_weights_metadata(tt_ops(), ng) ? (int64_t)OPS_META(ng) : groups_default;
        CHECK_EQ_I64(tfm_conv_out_len(a.h, W.shape[2], a.sh, a.ph, 1), ty->shape[2]);
        CHECK_EQ_I64(tfm_conv_out_len(a.wdt, W.shape[3], a.sw, a.pw, 1), ty->shape[3]);
        kt_variants(prefix, kt_conv_op, &a, y, ty->numel, KT_TOL_MM);
    }
    free(x);
    free(b);
    free(y);
}
static void kt_conv2d_patch(void) { kt_conv2d_case("conv2d", 1); }
static void kt_conv2d_depthwise(void) { kt_conv2d_case("conv2d_dw", 1); }

/* ---- embedding ---- */
static void kt_embedding(void) {
    const tfm_tensor_info *ti = OPS_INFO("embedding.ids"), *tw = OPS_INFO("embedding.w");
    float *y = OPS_F32("embedding.y", NULL), *out = NULL, *wf = NULL;
    const int64_t *ids_raw = (const int64_t *)tt_ops_raw(ti);
    int64_t *ids = NULL, n, dim, i, j;
    tfm_tensor T;
    if (!ti || !tw || !y || !ids_raw) goto done;
    n = ti->numel;
    dim = tw->shape[1];
    ids = (int64_t *)malloc((size_t)n * sizeof(int64_t));
    memcpy(ids, ids_raw, (size_t)n * sizeof(int64_t));
    out = (float *)malloc((size_t)(n * dim) * sizeof(float));
    CHECK_OK(tfm_weights_tensor(tt_ops(), "embedding.w", &T));
    CHECK_OK(tfm_embedding(&T, ids, n, out));
    CHECKF(memcmp(out, y, (size_t)(n * dim) * sizeof(float)) == 0, "embedding rows differ (a gather is exact)");
    /* 16-bit tables widen exactly */
    {
        tfm_dtype dts[2];
        int d;
        dts[0] = TFM_F16;
        dts[1] = TFM_BF16;
        wf = OPS_F32("embedding.w", NULL);
        for (d = 0; d < 2 && wf; d++) {
            uint16_t *h = (uint16_t *)malloc((size_t)tw->numel * 2);
            tfm_tensor H;
            tfm_convert_from_f32(wf, dts[d], h, (size_t)tw->numel);
            tfm_tensor_view(&H, dts[d], 2, tw->shape, h);
            CHECK_OK(tfm_embedding(&H, ids, n, out));
            for (i = 0; i < n; i++)
                for (j = 0; j < dim; j++) {
                    float want = d ? tfm_bf16_to_f32(h[ids[i] * dim + j]) : tfm_f16_to_f32(h[ids[i] * dim + j]);
                    CHECK(tt_f32_bits(out[i * dim + j]) == tt_f32_bits(want));
                }
            free(h);
        }
    }
    ids[3] = tw->shape[0]; /* out of range */
    CHECK_STATUS(tfm_embedding(&T, ids, n, out), TFM_ERR_INVALID_ARGUMENT);
    ids[3] = -1;
    CHECK_STATUS(tfm_embedding(&T, ids, n, out), TFM_ERR_INVALID_ARGUMENT);
    CHECK_ERROR_SET();
done:
    free(ids);
    free(out);
    free(y);
    free(wf);
}

/* ---- permute ---- */
static void kt_permute(void) {
    tt_rng r = {21};
    int64_t shape[4] = {3, 4, 5, 6}, n = 360, i;
    int perm[4] = {2, 0, 3, 1};
    float *x = (float *)malloc((size_t)n * sizeof(float)), *y = (float *)malloc((size_t)n * sizeof(float)),
          *w = (float *)malloc((size_t)n * sizeof(float));
    int64_t a, b, c, d;
    for (i = 0; i < n; i++) x[i] = tt_uniform(&r, -1, 1);
    /* out[i0][i1][i2][i3] = in[...] with out axis k = in axis perm[k]: out shape [5,3,6,4] */
    for (a = 0; a < 3; a++)
        for (b = 0; b < 4; b++)
            for (c = 0; c < 5; c++)
                for (d = 0; d < 6; d++) w[((c * 3 + a) * 6 + d) * 4 + b] = x[((a * 4 + b) * 5 + c) * 6 + d];
    CHECK_OK(tfm_permute(x, 4, shape, perm, y));
    CHECK(memcmp(y, w, (size_t)n * sizeof(float)) == 0);
    perm[0] = 0;
    CHECK(tfm_permute(x, 4, shape, perm, y) != TFM_OK); /* not a permutation */
    free(x);
    free(y);
    free(w);
}

/* Prepacked B: bit-identical to tfm_gemm on the same B, for every ISA, dtype, layout and thread
   count (1 and 2), small M (the direct path) included; bad arguments are refused. */
static void kt_gemm_packed(void) {
    static const int64_t Ms[] = {1, 3, 7, 64, 131, 300}; /* 300: several row groups on every ISA */
    static const tfm_isa isas[] = {TFM_ISA_SCALAR, TFM_ISA_AVX2, TFM_ISA_AVX512, TFM_ISA_NEON};
    tt_rng r = {77};
    tfm_pool *pool2 = tfm_pool_create(2);
    const int64_t N = 75, K = 301;
    float *A = (float *)malloc(300 * K * sizeof(float)), *Bf = (float *)malloc(N * K * sizeof(float));
    uint16_t *Bh = (uint16_t *)malloc(N * K * sizeof(uint16_t));
    float *C1 = (float *)malloc(300 * N * sizeof(float)), *C2 = (float *)malloc(300 * N * sizeof(float));
    size_t i, mi, ii;
    int tb, dt, th, bad = 0;
    for (i = 0; i < (size_t)(300 * K); i++) A[i] = tt_uniform(&r, -1, 1);
    for (i = 0; i < (size_t)(N * K); i++) Bf[i] = tt_uniform(&r, -1, 1);
    for (ii = 0; ii < sizeof isas / sizeof isas[0]; ii++) {
        if (!tfm_isa_available(isas[ii])) continue;
        for (dt = 0; dt < 3; dt++) {
            tfm_dtype bt = dt == 0 ? TFM_F32 : dt == 1 ? TFM_F16 : TFM_BF16;
            const void *B = Bf;
            if (bt != TFM_F32) {
                tfm_convert_from_f32(Bf, bt, Bh, (size_t)(N * K));
                B = Bh;
            }
            for (tb = 0; tb < 2; tb++) {
                int64_t ldb = tb ? K : N;
                for (th = 0; th < 2; th++) {
                    tfm_ctx ctx;
                    tfm_packed_b *pb = NULL;
                    memset(&ctx, 0, sizeof ctx);
                    ctx.isa = isas[ii];
                    ctx.pool = th ? pool2 : NULL;
                    CHECK_OK(tfm_gemm_pack_b(&ctx, tb, N, K, bt, B, ldb, &pb));
                    for (mi = 0; pb && mi < sizeof Ms / sizeof Ms[0]; mi++) {
                        int64_t M = Ms[mi];
                        for (i = 0; i < (size_t)(M * N); i++) C1[i] = C2[i] = (float)i;
                        CHECK_OK(tfm_gemm(&ctx, tb, M, N, K, 0.5f, A, K, bt, B, ldb, 0.25f, C1, N));
                        CHECK_OK(tfm_gemm_packed(&ctx, M, 0.5f, A, K, pb, 0.25f, C2, N));
                        if (memcmp(C1, C2, (size_t)(M * N) * sizeof(float)) != 0 && bad++ < 3)
                            CHECKF(0, "%s %s trans_b %d M %lld threads %d: packed differs", tfm_isa_name(isas[ii]),
                                   tfm_dtype_name(bt), tb, (long long)M, th ? 2 : 1);
                    }
                    tfm_packed_b_free(pb);
                }
            }
        }
    }
    {
        tfm_packed_b *pb = NULL;
        CHECK(tfm_gemm_pack_b(NULL, 1, N, K, TFM_F32, NULL, K, &pb) == TFM_ERR_INVALID_ARGUMENT && !pb);
        CHECK(tfm_gemm_pack_b(NULL, 1, N, K, TFM_I8, Bf, K, &pb) == TFM_ERR_UNSUPPORTED && !pb);
        CHECK(tfm_gemm_pack_b(NULL, 1, N, K, TFM_F32, Bf, K - 1, &pb) == TFM_ERR_INVALID_ARGUMENT && !pb);
        CHECK(tfm_gemm_packed(NULL, 4, 1.0f, A, K, NULL, 0.0f, C1, N) == TFM_ERR_INVALID_ARGUMENT);
    }
    CHECK(bad == 0);
    tfm_pool_free(pool2);
    free(A);
    free(Bf);
    free(Bh);
    free(C1);
    free(C2);
}

/* bf16 compute mode: both operands rounded to bf16, f32 accumulation (AVX-512 BF16 only). */
static void kt_gemm_bf16(void) {
    static const int64_t shapes[][3] = {{1, 1, 1},   {5, 7, 3},     {12, 32, 256}, {13, 33, 257}, {30, 70, 513},
                                        {128, 96, 768}, {4, 40, 9},  {25, 17, 1000}};
    static const tfm_dtype bts[] = {TFM_F32, TFM_BF16, TFM_F16};
    tt_rng r = {4242};
    size_t c, d;
    int t;
    if (!tfm_bf16_compute_available()) SKIP("this CPU has no AVX-512 BF16 dot products");
    for (c = 0; c < sizeof shapes / sizeof shapes[0]; c++)
        for (d = 0; d < 3; d++)
            for (t = 0; t < 2; t++) {
                int64_t M = shapes[c][0], N = shapes[c][1], K = shapes[c][2], i, j, k, nb = N * K, bad = 0;
                float *A = (float *)malloc((size_t)(M * K) * sizeof(float)), *Bf = (float *)malloc((size_t)nb * sizeof(float));
                float *C1 = (float *)malloc((size_t)(M * N) * sizeof(float)), *C2 = (float *)malloc((size_t)(M * N) * sizeof(float));
                void *B = malloc((size_t)nb * 4);
                tfm_ctx ctx;
                tfm_pool *pool = tfm_pool_create(3);
                for (i = 0; i < M * K; i++) A[i] = tt_uniform(&r, -1, 1);
                for (i = 0; i < nb; i++) Bf[i] = tt_uniform(&r, -1, 1);
                if (bts[d] == TFM_F32) memcpy(B, Bf, (size_t)nb * sizeof(float));
                else {
                    tfm_convert_from_f32(Bf, bts[d], B, (size_t)nb);
                    tfm_convert_to_f32(bts[d], B, Bf, (size_t)nb);
                }
                memset(&ctx, 0, sizeof ctx);
                ctx.compute = TFM_COMPUTE_BF16;
                CHECK_OK(tfm_gemm(&ctx, t, M, N, K, 1.0f, A, K, bts[d], B, t ? K : N, 0.0f, C1, N));
                ctx.pool = pool;
                CHECK_OK(tfm_gemm(&ctx, t, M, N, K, 1.0f, A, K, bts[d], B, t ? K : N, 0.0f, C2, N));
                CHECKF(memcmp(C1, C2, (size_t)(M * N) * sizeof(float)) == 0, "bf16 gemm %lldx%lldx%lld: 3 threads differ",
                       (long long)M, (long long)N, (long long)K);
                for (i = 0; i < M; i++)
                    for (j = 0; j < N; j++) {
                        double s = 0, sa = 0;
                        for (k = 0; k < K; k++) {
                            double a = tfm_bf16_to_f32(tfm_f32_to_bf16(A[i * K + k]));
                            double b = tfm_bf16_to_f32(tfm_f32_to_bf16(t ? Bf[j * K + k] : Bf[k * N + j]));
                            s += a * b;
                            sa += fabs(a * b);
                        }
                        /* M <= 4 runs the f32 dot products (no rounding of A): allow the bf16 step */
                        if (!(fabs(C1[i * N + j] - s) <= (double)(K + 4) * FLT_EPSILON * sa + (M <= 4 ? 8e-3 * sa : 0) + 1e-30) &&
                            bad++ < 2)
                            CHECKF(0, "bf16 gemm %lldx%lldx%lld trans_b=%d %s: C[%lld][%lld] = %.9g, ref %.9g",
                                   (long long)M, (long long)N, (long long)K, t, tfm_dtype_name(bts[d]), (long long)i,
                                   (long long)j, C1[i * N + j], s);
                    }
                tfm_pool_free(pool);
                free(A);
                free(Bf);
                free(B);
                free(C1);
                free(C2);
            }
}

static const tt_case kernel_tests[] = {
    TT(kt_activations), TT(kt_act_names),  TT(kt_glu),        TT(kt_elementwise),     TT(kt_softmax),
    TT(kt_layer_norm),  TT(kt_rms_norm),   TT(kt_linear),     TT(kt_gemm),            TT(kt_gemm_batched),
    TT(kt_rope),        TT(kt_attention),  TT(kt_conv1d),     TT(kt_conv2d_patch),    TT(kt_conv2d_depthwise),
    TT(kt_embedding),   TT(kt_permute),    TT(kt_gemm_packed), TT(kt_gemm_bf16),
};
