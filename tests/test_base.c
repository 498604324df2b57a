/* Base layer: version, status strings, last error, log callback, arena, tensor views. */

static void base_version(void) {
    char want[64];
    snprintf(want, sizeof want, "%d.%d.%d", TFM_VERSION_MAJOR, TFM_VERSION_MINOR, TFM_VERSION_PATCH);
    CHECK_STR_EQ(tfm_version(), want);
    CHECK_STR_EQ(tfm_version(), TFM_VERSION_STRING);
}

static void base_status_strings(void) {
    static const tfm_status all[] = {TFM_OK,           TFM_ERR_INVALID_ARGUMENT, TFM_ERR_IO,
                                     TFM_ERR_FORMAT,   TFM_ERR_OUT_OF_MEMORY,    TFM_ERR_NOT_FOUND,
                                     TFM_ERR_UNSUPPORTED, TFM_ERR_SHAPE,         TFM_ERR_LIMIT};
    size_t i, j;
    CHECK_EQ_I64(TFM_OK, 0);
    for (i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *s = tfm_status_string(all[i]);
        CHECKF(s && strncmp(s, "TFM_", 4) == 0, "status %d has name '%s'", (int)all[i], s ? s : "(null)");
        if (i) CHECKF(all[i] < 0, "error status %d is not negative", (int)all[i]);
        for (j = 0; j < i; j++) CHECKF(strcmp(s, tfm_status_string(all[j])) != 0, "two statuses named %s", s);
    }
    CHECK_STR_EQ(tfm_status_string(TFM_ERR_FORMAT), "TFM_ERR_FORMAT");
    CHECK(tfm_status_string((tfm_status)-1000) != NULL);
}

static void base_last_error(void) {
    tfm_json *j;
    tfm_clear_error();
    CHECK_STR_EQ(tfm_last_error(), "");
    j = tfm_json_parse("[", 1, NULL);
    CHECK(j == NULL);
    CHECK_ERROR_SET();
    tfm_clear_error();
    CHECK_STR_EQ(tfm_last_error(), "");
}

/* The last error is thread-local: a failure on another thread does not show up here. */
static void *base_error_thread(void *arg) {
    tfm_json *j = tfm_json_parse("{", 1, "other-thread");
    (void)arg;
    return (void *)(intptr_t)(j == NULL && strstr(tfm_last_error(), "other-thread") != NULL);
}
static void base_last_error_thread_local(void) {
    pthread_t th;
    void *ret = NULL;
    tfm_json *j = tfm_json_parse("[1,", 3, "main-thread");
    CHECK(j == NULL);
    CHECK(pthread_create(&th, NULL, base_error_thread, NULL) == 0);
    pthread_join(th, &ret);
    CHECK(ret == (void *)1);
    CHECKF(strstr(tfm_last_error(), "main-thread") != NULL, "error text changed by another thread: %s",
           tfm_last_error());
}

typedef struct base_log_state {
    int calls;
    char last[512];
} base_log_state;
static void base_log_fn(tfm_log_level level, const char *message, void *user) {
    base_log_state *s = (base_log_state *)user;
    (void)level;
    s->calls++;
    snprintf(s->last, sizeof s->last, "%s", message ? message : "");
}
static void base_log_callback(void) {
    base_log_state s;
    tfm_json *j;
    memset(&s, 0, sizeof s);
    tfm_set_log_callback(base_log_fn, &s);
    j = tfm_json_parse("[1,]", 4, NULL);
    CHECK(j == NULL);
    tfm_set_log_callback(NULL, NULL);
    /* the library may or may not log failures; if it does, the callback gets a message */
    if (s.calls) CHECK(s.last[0] != 0);
    j = tfm_json_parse("[1,]", 4, NULL); /* silent again, no crash */
    CHECK(j == NULL);
}

static void base_arena(void) {
    tfm_arena a;
    void *p, *q, *r;
    CHECK_OK(tfm_arena_init(&a, 1000));
    CHECK(a.base != NULL);
    CHECK(((uintptr_t)a.base % 64) == 0);
    p = tfm_arena_alloc(&a, 1);
    q = tfm_arena_alloc(&a, 100);
    CHECK(p && q);
    CHECK(((uintptr_t)p % 64) == 0 && ((uintptr_t)q % 64) == 0);
    CHECK((unsigned char *)q >= (unsigned char *)p + 1);
    if (p && q) memset(q, 0xab, 100);
    r = tfm_arena_alloc(&a, 100000);
    CHECK(r == NULL);
    CHECK_ERROR_SET();
    CHECK(a.peak >= a.used && a.used <= a.size);
    {
        size_t peak = a.peak;
        tfm_arena_reset(&a);
        CHECK_EQ_I64(a.used, 0);
        CHECK_EQ_I64(a.peak, peak);
        CHECK(tfm_arena_alloc(&a, 8) == p);
    }
    CHECK(tfm_arena_alloc(&a, (size_t)-1) == NULL); /* no wrap-around */
    tfm_arena_free(&a);
    CHECK(a.base == NULL);
    tfm_arena_free(&a); /* twice is harmless */
    CHECK(tfm_arena_alloc(&a, 8) == NULL);
    CHECK_STATUS(tfm_arena_init(NULL, 8), TFM_ERR_INVALID_ARGUMENT);
}

static void base_tensor_view(void) {
    tfm_tensor t;
    int64_t shape[TFM_MAX_DIMS + 1];
    float data[6];
    int i;
    shape[0] = 2;
    shape[1] = 3;
    CHECK_OK(tfm_tensor_view(&t, TFM_F32, 2, shape, data));
    CHECK_EQ_I64(t.numel, 6);
    CHECK_EQ_I64(t.ndim, 2);
    CHECK(t.data == data && t.dtype == TFM_F32 && t.shape[0] == 2 && t.shape[1] == 3);
    CHECK_OK(tfm_tensor_view(&t, TFM_F32, 0, NULL, data));
    CHECK_EQ_I64(t.numel, 1); /* scalar */
    shape[0] = 0;
    CHECK_OK(tfm_tensor_view(&t, TFM_BF16, 2, shape, NULL));
    CHECK_EQ_I64(t.numel, 0);
    for (i = 0; i <= TFM_MAX_DIMS; i++) shape[i] = 1;
    CHECK_OK(tfm_tensor_view(&t, TFM_F32, TFM_MAX_DIMS, shape, data));
    CHECK_STATUS(tfm_tensor_view(&t, TFM_F32, TFM_MAX_DIMS + 1, shape, data), TFM_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(tfm_tensor_view(&t, TFM_F32, -1, shape, data), TFM_ERR_INVALID_ARGUMENT);
    shape[0] = -2;
    CHECK_STATUS(tfm_tensor_view(&t, TFM_F32, 2, shape, data), TFM_ERR_INVALID_ARGUMENT);
    shape[0] = INT64_MAX;
    shape[1] = 2;
    CHECK_STATUS(tfm_tensor_view(&t, TFM_F32, 2, shape, data), TFM_ERR_LIMIT);
    shape[0] = (int64_t)1 << 32;
    shape[1] = (int64_t)1 << 32;
    CHECK_STATUS(tfm_tensor_view(&t, TFM_F32, 2, shape, data), TFM_ERR_LIMIT);
    CHECK_STATUS(tfm_tensor_view(NULL, TFM_F32, 0, NULL, data), TFM_ERR_INVALID_ARGUMENT);
}

static void base_isa(void) {
    tfm_isa best = tfm_isa_best();
    CHECK(tfm_isa_available(TFM_ISA_SCALAR));
    CHECK(tfm_isa_available(TFM_ISA_AUTO));
    CHECK(tfm_isa_available(best));
    CHECK(best != TFM_ISA_AUTO);
    CHECK_STR_EQ(tfm_isa_name(TFM_ISA_SCALAR), "scalar");
    CHECK(tfm_isa_name((tfm_isa)99) != NULL);
    INFO("best ISA: %s", tfm_isa_name(best));
}

static const tt_case base_tests[] = {
    TT(base_version),     TT(base_status_strings), TT(base_last_error), TT(base_last_error_thread_local),
    TT(base_log_callback), TT(base_arena),         TT(base_tensor_view), TT(base_isa),
};
