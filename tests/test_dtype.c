/* dtypes and conversions, against the bit patterns in ops.safetensors conv.* (made by torch). */

static void dtype_table(void) {
    int i;
    for (i = 0; i < TFM_DTYPE_COUNT; i++) {
        tfm_dtype d = (tfm_dtype)i, back = TFM_DTYPE_COUNT;
        const char *name = tfm_dtype_name(d);
        CHECKF(tfm_dtype_size(d) == 1 || tfm_dtype_size(d) == 2 || tfm_dtype_size(d) == 4 || tfm_dtype_size(d) == 8,
               "dtype %s has size %zu", name, tfm_dtype_size(d));
        CHECK_OK(tfm_dtype_from_name(name, &back));
        CHECKF(back == d, "dtype name %s does not round-trip", name);
    }
    CHECK_EQ_I64(tfm_dtype_size(TFM_F32), sizeof(float));
    CHECK_EQ_I64(tfm_dtype_size(TFM_F64), sizeof(double));
    CHECK_EQ_I64(tfm_dtype_size(TFM_I64), sizeof(int64_t));
    CHECK_EQ_I64(tfm_dtype_size(TFM_U16), sizeof(uint16_t));
    CHECK_EQ_I64(tfm_dtype_size(TFM_DTYPE_COUNT), 0);
    CHECK(tfm_dtype_name(TFM_DTYPE_COUNT) != NULL);
    CHECK(tfm_dtype_is_float(TFM_F32) && tfm_dtype_is_float(TFM_BF16) && tfm_dtype_is_float(TFM_F8_E5M2));
    CHECK(!tfm_dtype_is_float(TFM_I32) && !tfm_dtype_is_float(TFM_BOOL) && !tfm_dtype_is_float(TFM_DTYPE_COUNT));
    {
        tfm_dtype out = TFM_F32;
        CHECK_STATUS(tfm_dtype_from_name("F128", &out), TFM_ERR_UNSUPPORTED);
        CHECK_ERROR_SET();
        CHECK_STATUS(tfm_dtype_from_name("f32", &out), TFM_ERR_UNSUPPORTED); /* case matters, as safetensors */
        CHECK_STATUS(tfm_dtype_from_name("", &out), TFM_ERR_UNSUPPORTED);
        CHECK_STATUS(tfm_dtype_from_name(NULL, &out), TFM_ERR_UNSUPPORTED);
    }
}

/* Checks a 16-bit -> f32 table: bits tensor (raw) and torch's .float() of it. */
static void dtype_check_16(const char *bits_name, const char *f32_name, tfm_dtype dt, float (*one)(uint16_t)) {
    const tfm_tensor_info *tb = OPS_INFO(bits_name);
    const uint16_t *bits = (const uint16_t *)tt_ops_raw(tb);
    int64_t n = 0, i, nan_diff = 0, bad = 0, bad_bulk = 0;
    float *want = OPS_F32(f32_name, &n), *bulk;
    if (!tb || !bits || !want) {
        CHECKF(0, "fixture tensors %s / %s missing", bits_name, f32_name);
        free(want);
        return;
    }
    CHECK_EQ_I64(tb->numel, n);
    CHECK_EQ_I64(tb->dtype, dt);
    bulk = (float *)malloc((size_t)n * sizeof(float));
    CHECK_OK(tfm_convert_to_f32(dt, bits, bulk, (size_t)n));
    for (i = 0; i < n; i++) {
        uint16_t h;
        float got;
        memcpy(&h, bits + i, 2);
        got = one(h);
        if (isnan(want[i])) {
            if (!isnan(got)) {
                if (bad++ < 3) CHECKF(0, "%s 0x%04x: want NaN, got %.9g", bits_name, h, got);
            } else if (tt_f32_bits(got) != tt_f32_bits(want[i])) {
                nan_diff++;
            }
            if (!isnan(bulk[i]) && bad_bulk++ < 3) CHECKF(0, "%s bulk 0x%04x: want NaN", bits_name, h);
            continue;
        }
        if (tt_f32_bits(got) != tt_f32_bits(want[i]) && bad++ < 3)
            CHECKF(0, "%s 0x%04x: got 0x%08x want 0x%08x", bits_name, h, tt_f32_bits(got), tt_f32_bits(want[i]));
        if (tt_f32_bits(bulk[i]) != tt_f32_bits(want[i]) && bad_bulk++ < 3)
            CHECKF(0, "%s bulk 0x%04x: got 0x%08x want 0x%08x", bits_name, h, tt_f32_bits(bulk[i]),
                   tt_f32_bits(want[i]));
    }
    CHECKF(bad == 0, "%s: %lld patterns differ", bits_name, (long long)bad);
    CHECKF(bad_bulk == 0, "%s: %lld patterns differ in tfm_convert_to_f32", bits_name, (long long)bad_bulk);
    if (nan_diff) INFO("%s: %lld NaN patterns give other NaN bits than torch (allowed)", bits_name, (long long)nan_diff);
    /* the reader path gives the same as the converter */
    {
        float *rd = (float *)malloc((size_t)n * sizeof(float));
        CHECK_OK(tfm_weights_read_f32(tt_ops(), tb, rd, n));
        CHECK(memcmp(rd, bulk, (size_t)n * sizeof(float)) == 0);
        free(rd);
    }
    free(bulk);
    free(want);
}
static void dtype_f16_to_f32_all(void) { dtype_check_16("conv.f16_bits", "conv.f16_as_f32", TFM_F16, tfm_f16_to_f32); }
static void dtype_bf16_to_f32_all(void) {
    dtype_check_16("conv.bf16_bits", "conv.bf16_as_f32", TFM_BF16, tfm_bf16_to_f32);
}

static void dtype_check_f8(const char *bits_name, const char *f32_name, tfm_dtype dt) {
    const tfm_tensor_info *tb = OPS_INFO(bits_name);
    const uint8_t *bits = (const uint8_t *)tt_ops_raw(tb);
    int64_t n = 0, i, nan_diff = 0, bad = 0;
    float *want = OPS_F32(f32_name, &n), got[256];
    if (!tb || !bits || !want || n != 256) {
        CHECKF(0, "fixture tensors %s / %s missing or not 256 long", bits_name, f32_name);
        free(want);
        return;
    }
    CHECK_EQ_I64(tb->dtype, dt);
    CHECK_OK(tfm_convert_to_f32(dt, bits, got, 256));
    for (i = 0; i < n; i++) {
        if (isnan(want[i])) {
            if (!isnan(got[i]) && bad++ < 3) CHECKF(0, "%s 0x%02x: want NaN, got %.9g", bits_name, bits[i], got[i]);
            else if (tt_f32_bits(got[i]) != tt_f32_bits(want[i])) nan_diff++;
            continue;
        }
        if (tt_f32_bits(got[i]) != tt_f32_bits(want[i]) && bad++ < 3)
            CHECKF(0, "%s 0x%02x: got %.9g (0x%08x) want %.9g (0x%08x)", bits_name, bits[i], got[i],
                   tt_f32_bits(got[i]), want[i], tt_f32_bits(want[i]));
    }
    CHECKF(bad == 0, "%s: %lld patterns differ", bits_name, (long long)bad);
    if (nan_diff) INFO("%s: %lld NaN patterns give other NaN bits than torch (allowed)", bits_name, (long long)nan_diff);
    free(want);
}
static void dtype_f8_e4m3_all(void) { dtype_check_f8("conv.f8e4m3_bits", "conv.f8e4m3_as_f32", TFM_F8_E4M3); }
static void dtype_f8_e5m2_all(void) { dtype_check_f8("conv.f8e5m2_bits", "conv.f8e5m2_as_f32", TFM_F8_E5M2); }

/* f32 -> 16-bit: bit-exact against torch for non-NaN inputs, NaN stays NaN. */
static void dtype_check_from_f32(const char *want_name, tfm_dtype dt, uint16_t (*one)(float), float (*back)(uint16_t)) {
    const tfm_tensor_info *ts = OPS_INFO("conv.f32_src"), *tw = OPS_INFO(want_name);
    const float *src = (const float *)tt_ops_raw(ts);
    const uint16_t *want = (const uint16_t *)tt_ops_raw(tw);
    int64_t i, n, bad = 0, bad_bulk = 0, nan_diff = 0, n_nan = 0;
    uint16_t *bulk;
    if (!ts || !tw || !src || !want) return;
    n = ts->numel;
    CHECK_EQ_I64(tw->numel, n);
    CHECK_EQ_I64(tw->dtype, dt);
    CHECK_EQ_I64(ts->dtype, TFM_F32);
    bulk = (uint16_t *)malloc((size_t)n * 2);
    CHECK_OK(tfm_convert_from_f32(src, dt, bulk, (size_t)n));
    for (i = 0; i < n; i++) {
        float x;
        uint16_t w, got;
        memcpy(&x, src + i, 4);
        memcpy(&w, want + i, 2);
        got = one(x);
        if (isnan(x)) {
            n_nan++;
            if (!isnan(back(got)) && bad++ < 3) CHECKF(0, "%s: NaN 0x%08x gave non-NaN 0x%04x", want_name, tt_f32_bits(x), got);
            if (!isnan(back(bulk[i])) && bad_bulk++ < 3) CHECKF(0, "%s bulk: NaN gave non-NaN", want_name);
            if (got != w) nan_diff++;
            continue;
        }
        if (got != w && bad++ < 5)
            CHECKF(0, "%s: %.9g (0x%08x) -> 0x%04x, torch 0x%04x", want_name, x, tt_f32_bits(x), got, w);
        if (bulk[i] != w && bad_bulk++ < 3)
            CHECKF(0, "%s bulk: %.9g (0x%08x) -> 0x%04x, torch 0x%04x", want_name, x, tt_f32_bits(x), bulk[i], w);
    }
    CHECKF(bad == 0, "%s: %lld of %lld values differ", want_name, (long long)bad, (long long)n);
    CHECKF(bad_bulk == 0, "%s: %lld values differ in tfm_convert_from_f32", want_name, (long long)bad_bulk);
    CHECKF(n_nan > 0, "conv.f32_src has no NaN inputs");
    if (nan_diff) INFO("%s: %lld of %lld NaN inputs give other NaN bits than torch (allowed)", want_name,
                       (long long)nan_diff, (long long)n_nan);
    free(bulk);
}
static void dtype_f32_to_f16(void) { dtype_check_from_f32("conv.f32_to_f16", TFM_F16, tfm_f32_to_f16, tfm_f16_to_f32); }
static void dtype_f32_to_bf16(void) {
    dtype_check_from_f32("conv.f32_to_bf16", TFM_BF16, tfm_f32_to_bf16, tfm_bf16_to_f32);
}

/* Every f16 / bf16 value survives f32 and back (exhaustive, self-consistency). */
static void dtype_roundtrip_16(void) {
    uint32_t i;
    int64_t bad16 = 0, badbf = 0;
    for (i = 0; i < 65536; i++) {
        uint16_t h = (uint16_t)i;
        float f = tfm_f16_to_f32(h), b = tfm_bf16_to_f32(h);
        if (!isnan(f) && tfm_f32_to_f16(f) != h) bad16++;
        if (isnan(f) && !isnan(tfm_f16_to_f32(tfm_f32_to_f16(f)))) bad16++;
        if (!isnan(b) && tfm_f32_to_bf16(b) != h) badbf++;
        if (isnan(b) && !isnan(tfm_bf16_to_f32(tfm_f32_to_bf16(b)))) badbf++;
    }
    CHECKF(bad16 == 0, "%lld f16 values do not round-trip", (long long)bad16);
    CHECKF(badbf == 0, "%lld bf16 values do not round-trip", (long long)badbf);
}

/* Integer and F64 sources convert like a C cast. */
static void dtype_convert_other(void) {
    tt_rng r = {42};
    enum { N = 257 };
    int64_t i64[N];
    int32_t i32[N];
    int16_t i16[N];
    int8_t i8[N];
    uint8_t u8[N];
    uint16_t u16[N];
    uint32_t u32[N];
    uint64_t u64[N];
    double f64[N];
    float out[N], f32[N];
    int i, bad = 0;
    for (i = 0; i < N; i++) {
        uint64_t x = tt_rand(&r);
        i64[i] = (int64_t)x;
        i32[i] = (int32_t)(uint32_t)x;
        i16[i] = (int16_t)(uint16_t)x;
        i8[i] = (int8_t)(uint8_t)x;
        u8[i] = (uint8_t)x;
        u16[i] = (uint16_t)x;
        u32[i] = (uint32_t)x;
        u64[i] = x;
        f64[i] = (double)(int64_t)x * 1e-10;
        f32[i] = (float)f64[i];
    }
    f64[0] = 1e300; /* overflows f32 */
    f64[1] = -0.0;
#define DT_CHECK(dt, arr)                                                                                              \
    do {                                                                                                               \
        CHECK_OK(tfm_convert_to_f32(dt, arr, out, N));                                                                 \
        for (i = 0; i < N; i++)                                                                                        \
            if (tt_f32_bits(out[i]) != tt_f32_bits((float)arr[i]) && bad++ < 3)                                        \
                CHECKF(0, "%s[%d]: got %.9g want %.9g", #dt, i, out[i], (float)arr[i]);                                \
    } while (0)
    DT_CHECK(TFM_I64, i64);
    DT_CHECK(TFM_I32, i32);
    DT_CHECK(TFM_I16, i16);
    DT_CHECK(TFM_I8, i8);
    DT_CHECK(TFM_U8, u8);
    DT_CHECK(TFM_BOOL, u8);
    DT_CHECK(TFM_U16, u16);
    DT_CHECK(TFM_U32, u32);
    DT_CHECK(TFM_U64, u64);
    DT_CHECK(TFM_F64, f64);
    DT_CHECK(TFM_F32, f32);
#undef DT_CHECK
    CHECK(bad == 0);
    /* F32 -> F64 */
    {
        double d[N];
        CHECK_OK(tfm_convert_from_f32(f32, TFM_F64, d, N));
        for (i = 0; i < N; i++) CHECK((double)f32[i] == d[i]);
        CHECK_OK(tfm_convert_from_f32(f32, TFM_F32, out, N));
        CHECK(memcmp(out, f32, sizeof out) == 0);
    }
    CHECK_STATUS(tfm_convert_from_f32(f32, TFM_I32, out, N), TFM_ERR_UNSUPPORTED);
    CHECK_STATUS(tfm_convert_to_f32(TFM_DTYPE_COUNT, f32, out, N), TFM_ERR_UNSUPPORTED);
    CHECK_STATUS(tfm_convert_to_f32(TFM_F16, NULL, out, 4), TFM_ERR_INVALID_ARGUMENT);
    CHECK_OK(tfm_convert_to_f32(TFM_F16, NULL, NULL, 0));
    /* unaligned sources are fine */
    {
        unsigned char raw[4 * 8 + 1];
        float o2[8];
        memcpy(raw + 1, f32, 4 * 8);
        CHECK_OK(tfm_convert_to_f32(TFM_F32, raw + 1, o2, 8));
        CHECK(memcmp(o2, f32, sizeof o2) == 0);
    }
}

static const tt_case dtype_tests[] = {
    TT(dtype_table),      TT(dtype_f16_to_f32_all), TT(dtype_bf16_to_f32_all), TT(dtype_f8_e4m3_all),
    TT(dtype_f8_e5m2_all), TT(dtype_f32_to_f16),    TT(dtype_f32_to_bf16),     TT(dtype_roundtrip_16),
    TT(dtype_convert_other),
};
