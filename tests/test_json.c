/* JSON parser: valid documents, numbers against strtod, real tokenizer files, a large document,
   and invalid documents (each must give NULL and a "line L, column C" message). */

#include <dirent.h>
#include <locale.h>

static tfm_json *json_parse_str(const char *s) { return tfm_json_parse(s, strlen(s), NULL); }

static void json_valid_basic(void) {
    const char *doc = " \t\r\n{\"a\": [1, -2, 3.5, true, false, null, \"x\", {}, []],\n"
                      "  \"b\": {\"c\": {\"d\": \"deep\"}}, \"\": 0, \"dup\": 1, \"dup\": 2, \"e\": -0.25e+2 } \n";
    tfm_json *root = json_parse_str(doc);
    const tfm_json *a, *b;
    CHECKF(root != NULL, "parse failed: %s", tfm_last_error());
    if (!root) return;
    CHECK(tfm_json_kind(root) == TFM_JSON_OBJECT);
    CHECK_EQ_I64(tfm_json_len(root), 6);
    a = tfm_json_get(root, "a");
    CHECK(tfm_json_kind(a) == TFM_JSON_ARRAY);
    CHECK_EQ_I64(tfm_json_len(a), 9);
    CHECK(tfm_json_is_int(tfm_json_at(a, 0)) && tfm_json_int(tfm_json_at(a, 0), 99) == 1);
    CHECK(tfm_json_int(tfm_json_at(a, 1), 99) == -2);
    CHECK(!tfm_json_is_int(tfm_json_at(a, 2)));
    CHECK(tfm_json_num(tfm_json_at(a, 2), 0) == strtod("3.5", NULL));
    CHECK(tfm_json_int(tfm_json_at(a, 2), 99) == 99); /* a fraction is not an integer */
    CHECK(tfm_json_kind(tfm_json_at(a, 3)) == TFM_JSON_TRUE && tfm_json_bool(tfm_json_at(a, 3), 0) == 1);
    CHECK(tfm_json_kind(tfm_json_at(a, 4)) == TFM_JSON_FALSE && tfm_json_bool(tfm_json_at(a, 4), 1) == 0);
    CHECK(tfm_json_kind(tfm_json_at(a, 5)) == TFM_JSON_NULL && tfm_json_at(a, 5) != NULL);
    CHECK(tfm_json_bool(tfm_json_at(a, 5), 7) == 7);
    CHECK_STR_EQ(tfm_json_str(tfm_json_at(a, 6)), "x");
    CHECK(tfm_json_str(tfm_json_at(a, 0)) == NULL);
    CHECK_STR_EQ(tfm_json_str_or(tfm_json_at(a, 0), "fb"), "fb");
    CHECK(tfm_json_kind(tfm_json_at(a, 7)) == TFM_JSON_OBJECT && tfm_json_len(tfm_json_at(a, 7)) == 0);
    CHECK(tfm_json_kind(tfm_json_at(a, 8)) == TFM_JSON_ARRAY && tfm_json_len(tfm_json_at(a, 8)) == 0);
    CHECK(tfm_json_at(a, 9) == NULL);
    b = tfm_json_get(root, "b");
    CHECK_STR_EQ(tfm_json_str(tfm_json_get(tfm_json_get(b, "c"), "d")), "deep");
    CHECK(tfm_json_get(b, "zz") == NULL);
    CHECK(tfm_json_get(root, "") != NULL && tfm_json_int(tfm_json_get(root, ""), 5) == 0);
    CHECK_EQ_I64(tfm_json_int(tfm_json_get(root, "dup"), 0), 2); /* last duplicate wins */
    CHECK(tfm_json_num(tfm_json_get(root, "e"), 0) == strtod("-0.25e+2", NULL));
    CHECK_STR_EQ(tfm_json_key_at(root, 0), "a");
    CHECK_STR_EQ(tfm_json_key_at(root, 1), "b");
    CHECK(tfm_json_key_at(root, 6) == NULL);
    CHECK(tfm_json_key_at(a, 0) == NULL); /* arrays have no keys */
    CHECK(tfm_json_at(root, 1) == b);     /* objects can be walked by index */
    CHECK(tfm_json_get(a, "a") == NULL);  /* get on an array */
    tfm_json_free(root);
}

static void json_null_accessors(void) {
    CHECK(tfm_json_kind(NULL) == TFM_JSON_NULL);
    CHECK(tfm_json_len(NULL) == 0);
    CHECK(tfm_json_get(NULL, "a") == NULL);
    CHECK(tfm_json_at(NULL, 0) == NULL);
    CHECK(tfm_json_key_at(NULL, 0) == NULL);
    CHECK(tfm_json_str(NULL) == NULL);
    CHECK_STR_EQ(tfm_json_str_or(NULL, "x"), "x");
    CHECK(tfm_json_num(NULL, 2.5) == 2.5);
    CHECK(tfm_json_int(NULL, -3) == -3);
    CHECK(!tfm_json_is_int(NULL));
    CHECK(tfm_json_bool(NULL, 4) == 4);
    tfm_json_free(NULL);
    CHECK(tfm_json_int(tfm_json_get(tfm_json_get(NULL, "model"), "max_len"), 512) == 512);
    CHECK(tfm_json_parse(NULL, 3, NULL) == NULL);
    CHECK_ERROR_SET();
    CHECK(tfm_json_parse_file(NULL) == NULL);
    CHECK(tfm_json_parse_file(fx("no/such/file.json")) == NULL);
    CHECK_ERROR_SET();
}

static void json_scalars_top_level(void) {
    const char *docs[] = {"0", "-1", "1.5", "\"s\"", "true", "false", "null", " 7 ", "[]", "{}"};
    size_t i;
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        tfm_json *j = json_parse_str(docs[i]);
        CHECKF(j != NULL, "'%s' did not parse: %s", docs[i], tfm_last_error());
        tfm_json_free(j);
    }
    {
        /* a UTF-8 byte-order mark is tolerated */
        tfm_json *j = json_parse_str("\xEF\xBB\xBF{\"a\":1}");
        CHECKF(j != NULL, "BOM: %s", tfm_last_error());
        CHECK(tfm_json_int(tfm_json_get(j, "a"), 0) == 1);
        tfm_json_free(j);
    }
    {
        /* the length is honoured: no NUL terminator needed, bytes past len ignored */
        const char buf[] = "[1,2]xxxx";
        tfm_json *j = tfm_json_parse(buf, 5, NULL);
        CHECK(j != NULL && tfm_json_len(j) == 2);
        tfm_json_free(j);
    }
}

/* Escapes decode to the same bytes as the raw UTF-8 text. */
static void json_escapes(void) {
    const char *doc = "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\\uDBFF\\uDFFF\", "
                      "\"A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\", \"a\\u0000b\", \"\x7f\"]";
    tfm_json *j = json_parse_str(doc);
    const tfm_json *s0, *s1, *s2, *s3;
    CHECKF(j != NULL, "parse failed: %s", tfm_last_error());
    if (!j) return;
    s0 = tfm_json_at(j, 0);
    CHECK_EQ_I64(tfm_json_len(s0), 8);
    CHECK(tfm_json_str(s0) && memcmp(tfm_json_str(s0), "\"\\/\b\f\n\r\t", 9) == 0);
    s1 = tfm_json_at(j, 1);
    s2 = tfm_json_at(j, 2);
    CHECK_EQ_I64(tfm_json_len(s1), tfm_json_len(s2));
    CHECK_STR_EQ(tfm_json_str(s1), tfm_json_str(s2));
    s3 = tfm_json_at(j, 3);
    CHECK_EQ_I64(tfm_json_len(s3), 3);
    CHECK(tfm_json_str(s3) && memcmp(tfm_json_str(s3), "a\0b", 4) == 0);
    CHECK_STR_EQ(tfm_json_str(tfm_json_at(j, 4)), "\x7f");
    tfm_json_free(j);
    /* escaped keys */
    j = json_parse_str("{\"k\\u00e9y\": 1, \"q\\\"\": 2}");
    CHECK(j != NULL);
    CHECK(tfm_json_int(tfm_json_get(j, "k\xc3\xa9y"), 0) == 1);
    CHECK(tfm_json_int(tfm_json_get(j, "q\""), 0) == 2);
    tfm_json_free(j);
}

/* Every \u escape of the BMP (except surrogates) decodes like the raw character. */
static void json_escapes_exhaustive(void) {
    tt_buf esc = {0}, raw = {0};
    uint32_t cp;
    tfm_json *a, *b;
    tt_buf_puts(&esc, "\"");
    tt_buf_puts(&raw, "\"");
    for (cp = 1; cp < 0x110000; cp += (cp < 0x10000 ? 1 : 97)) {
        char u[8];
        int n = 0;
        if (cp >= 0xd800 && cp <= 0xdfff) continue;
        if (cp < 0x10000) tt_buf_printf(&esc, "\\u%04x", (unsigned)cp);
        else {
            uint32_t v = cp - 0x10000;
            tt_buf_printf(&esc, "\\u%04X\\u%04X", (unsigned)(0xd800 + (v >> 10)), (unsigned)(0xdc00 + (v & 0x3ff)));
        }
        if (cp < 0x20 || cp == '"' || cp == '\\') {
            tt_buf_printf(&raw, "\\u%04x", (unsigned)cp); /* must stay escaped in raw text */
            continue;
        }
        if (cp < 0x80) u[n++] = (char)cp;
        else if (cp < 0x800) {
            u[n++] = (char)(0xc0 | (cp >> 6));
            u[n++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            u[n++] = (char)(0xe0 | (cp >> 12));
            u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            u[n++] = (char)(0x80 | (cp & 0x3f));
        } else {
            u[n++] = (char)(0xf0 | (cp >> 18));
            u[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
            u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            u[n++] = (char)(0x80 | (cp & 0x3f));
        }
        tt_buf_add(&raw, u, (size_t)n);
    }
    tt_buf_puts(&esc, "\"");
    tt_buf_puts(&raw, "\"");
    a = tfm_json_parse(esc.p, esc.n, NULL);
    b = tfm_json_parse(raw.p, raw.n, NULL);
    CHECKF(a != NULL, "escaped: %s", tfm_last_error());
    CHECKF(b != NULL, "raw: %s", tfm_last_error());
    if (a && b) {
        CHECK_EQ_I64(tfm_json_len(a), tfm_json_len(b));
        CHECK(tfm_json_len(a) == tfm_json_len(b) && memcmp(tfm_json_str(a), tfm_json_str(b), tfm_json_len(a)) == 0);
    }
    tfm_json_free(a);
    tfm_json_free(b);
    tt_buf_free(&esc);
    tt_buf_free(&raw);
}

/* Parses one number document and compares with strtod bit for bit. Returns 1 if equal. */
static int json_num_matches(const char *text, double *got_out) {
    tfm_json *j = json_parse_str(text);
    double want = strtod(text, NULL), got;
    int ok;
    if (!j) {
        CHECKF(0, "'%s' did not parse: %s", text, tfm_last_error());
        return 0;
    }
    got = tfm_json_num(j, NAN);
    tfm_json_free(j);
    if (got_out) *got_out = got;
    ok = tt_f64_bits(got) == tt_f64_bits(want);
    return ok;
}

static void json_numbers_edge(void) {
    static const char *nums[] = {
        "0", "1", "-1", "0.0", "-0.0", "1e0", "1E0", "1e+0", "1e-0", "0e10", "-0e-10", "0.1", "0.2", "0.3",
        "3.141592653589793", "2.718281828459045", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992",
        "9007199254740993", "9007199254740994", "9007199254740995", "18014398509481985",
        "123456789012345", "1234567890123456", "12345678901234567", "123456789012345678901234567890",
        "0.000001", "1e-7", "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
        "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "1e400", "-1e400", "1e-99999",
        "1e99999", "1e999999999999999999999", "0.5e-323", "7.038531e-26", "8.98846567431158e307",
        "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124",
        "1.00000000000000011102230246251565404236316680908203126", "9.999999999999999e22", "1e21", "1.5e300",
        "4503599627370496.5", "4503599627370497.5", "0.1e1", "100e-2", "1000000000000000000000000e-24",
        "0.00000000000000000000000000000000000000000000000000000000000000000000000000000001",
        "123.456e-10", "-9.87654321e100", "1.2345678901234567e-5", "6.02214076e23", "1.602176634e-19",
        "99999999999999999999999999999999999999999999999999999999999999999999999999999999.5",
        "3.0517578125e-05", "65504", "65520", "1e-12", "1e-05", "1e-06", "0.02", "10000.0", "500000.0",
    };
    size_t i;
    for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        double got = 0;
        int ok = json_num_matches(nums[i], &got);
        CHECKF(ok, "'%s': got %.17g (0x%016llx) strtod %.17g (0x%016llx)", nums[i], got,
               (unsigned long long)tt_f64_bits(got), strtod(nums[i], NULL),
               (unsigned long long)tt_f64_bits(strtod(nums[i], NULL)));
    }
}

/* "-0" is an integer literal; its double value must still be negative zero (as strtod). */
static void json_negative_zero_int(void) {
    double got = 0;
    int ok = json_num_matches("-0", &got);
    CHECKF(ok, "'-0': tfm_json_num gives %g (sign bit %d), strtod gives -0", got, signbit(got) != 0);
}

static void json_numbers_random_vs_strtod(void) {
    tt_rng r = {12345};
    int i, bad = 0;
    char text[128];
    for (i = 0; i < 200000; i++) {
        int p = 0, nd = 1 + (int)tt_below(&r, 24), k, frac = (int)tt_below(&r, 3), expo = (int)tt_below(&r, 3);
        double got = 0;
        if (tt_below(&r, 2)) text[p++] = '-';
        /* integer part: no leading zero unless it is the only digit */
        if (tt_below(&r, 4) == 0) text[p++] = '0';
        else {
            text[p++] = (char)('1' + tt_below(&r, 9));
            for (k = 1; k < nd; k++) text[p++] = (char)('0' + tt_below(&r, 10));
        }
        if (frac) {
            int nf = 1 + (int)tt_below(&r, 20);
            text[p++] = '.';
            for (k = 0; k < nf; k++) text[p++] = (char)('0' + tt_below(&r, 10));
        }
        if (expo) {
            int e = (int)tt_below(&r, 700) - 350;
            if (tt_below(&r, 8) == 0) e = (int)tt_below(&r, 50) - 25; /* fast-path range */
            p += snprintf(text + p, sizeof text - (size_t)p, "%s%s%d", tt_below(&r, 2) ? "e" : "E",
                          e >= 0 && tt_below(&r, 2) ? "+" : "", e);
        }
        text[p] = 0;
        if (!json_num_matches(text, &got) && bad++ < 5)
            CHECKF(0, "'%s': got %.17g strtod %.17g", text, got, strtod(text, NULL));
    }
    CHECKF(bad == 0, "%d of 200000 random numbers differ from strtod", bad);
    /* and round trips of random doubles printed with %.17g */
    bad = 0;
    for (i = 0; i < 100000; i++) {
        uint64_t u = tt_rand(&r);
        double d, got = 0;
        memcpy(&d, &u, 8);
        if (isnan(d) || isinf(d)) continue;
        snprintf(text, sizeof text, "%.17g", d);
        if (!json_num_matches(text, &got) && bad++ < 5) CHECKF(0, "'%s': got %.17g", text, got);
    }
    CHECKF(bad == 0, "%d random %%.17g doubles differ from strtod", bad);
}

static void json_int64(void) {
    char text[64];
    tfm_json *j;
    snprintf(text, sizeof text, "%lld", (long long)INT64_MAX);
    j = json_parse_str(text);
    CHECK(tfm_json_is_int(j) && tfm_json_int(j, 0) == INT64_MAX);
    CHECK(tfm_json_num(j, 0) == (double)INT64_MAX);
    tfm_json_free(j);
    snprintf(text, sizeof text, "%lld", (long long)INT64_MIN);
    j = json_parse_str(text);
    CHECK(tfm_json_is_int(j) && tfm_json_int(j, 0) == INT64_MIN);
    CHECK(tfm_json_num(j, 0) == (double)INT64_MIN);
    tfm_json_free(j);
    snprintf(text, sizeof text, "%lld", (long long)(INT64_MAX - 1));
    j = json_parse_str(text);
    CHECK(tfm_json_is_int(j) && tfm_json_int(j, 0) == INT64_MAX - 1);
    tfm_json_free(j);
    /* one past the limits: not an int64, falls back to a double */
    {
        static const char *big[] = {"9223372036854775808", "-9223372036854775809", "18446744073709551615",
                                    "18446744073709551616", "-18446744073709551616",
                                    "100000000000000000000000000000000000000"};
        size_t i;
        for (i = 0; i < sizeof big / sizeof big[0]; i++) {
            double got = 0;
            j = json_parse_str(big[i]);
            CHECKF(j != NULL, "%s did not parse", big[i]);
            CHECKF(!tfm_json_is_int(j), "%s claims to be an int64", big[i]);
            tfm_json_free(j);
            CHECKF(json_num_matches(big[i], &got), "%s: got %.17g, strtod %.17g", big[i], got, strtod(big[i], NULL));
        }
    }
    /* random int64 round trip */
    {
        tt_rng r = {7};
        int i, bad = 0;
        for (i = 0; i < 20000; i++) {
            int64_t v = (int64_t)tt_rand(&r) >> tt_below(&r, 63);
            snprintf(text, sizeof text, "%lld", (long long)v);
            j = json_parse_str(text);
            if ((!tfm_json_is_int(j) || tfm_json_int(j, 0) != v || tfm_json_num(j, 0) != strtod(text, NULL)) &&
                bad++ < 3)
                CHECKF(0, "%s: int %lld num %.17g", text, (long long)tfm_json_int(j, 0), tfm_json_num(j, 0));
            tfm_json_free(j);
        }
        CHECK(bad == 0);
    }
    /* integral doubles are accepted by tfm_json_int, fractions are not */
    j = json_parse_str("[2.0, 1e3, 2.5, -4E0, 1e300, \"3\"]");
    CHECK(j != NULL);
    CHECK(!tfm_json_is_int(tfm_json_at(j, 0)));
    CHECK(tfm_json_int(tfm_json_at(j, 0), -1) == 2);
    CHECK(tfm_json_int(tfm_json_at(j, 1), -1) == 1000);
    CHECK(tfm_json_int(tfm_json_at(j, 2), -1) == -1);
    CHECK(tfm_json_int(tfm_json_at(j, 3), -1) == -4);
    CHECK(tfm_json_int(tfm_json_at(j, 4), -1) == -1); /* out of int64 range */
    CHECK(tfm_json_int(tfm_json_at(j, 5), -1) == -1); /* strings are not numbers */
    CHECK(tfm_json_num(tfm_json_at(j, 5), -1) == -1);
    tfm_json_free(j);
}

/* strtod honours LC_NUMERIC; the parser must not (only if such a locale is installed). */
static void json_numbers_locale(void) {
    static const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8"};
    size_t i;
    const char *set = NULL;
    char *old = setlocale(LC_NUMERIC, NULL);
    char saved[128];
    snprintf(saved, sizeof saved, "%s", old ? old : "C");
    for (i = 0; i < sizeof locales / sizeof locales[0] && !set; i++) set = setlocale(LC_NUMERIC, locales[i]);
    if (!set) SKIP("no locale with a decimal comma installed");
    {
        tfm_json *j = json_parse_str("[1.5, 0.1, 1.2345678901234567890123]");
        CHECK(j != NULL);
        setlocale(LC_NUMERIC, "C");
        CHECK(tfm_json_num(tfm_json_at(j, 0), 0) == strtod("1.5", NULL));
        CHECK(tfm_json_num(tfm_json_at(j, 1), 0) == strtod("0.1", NULL));
        CHECK(tfm_json_num(tfm_json_at(j, 2), 0) == strtod("1.2345678901234567890123", NULL));
        tfm_json_free(j);
    }
    setlocale(LC_NUMERIC, saved);
}

static void json_depth_limit(void) {
    int depth;
    for (depth = TFM_MAX_JSON_DEPTH - 1; depth <= TFM_MAX_JSON_DEPTH + 1; depth++) {
        tt_buf b = {0}, o = {0};
        int i;
        tfm_json *j;
        for (i = 0; i < depth; i++) tt_buf_puts(&b, "[");
        for (i = 0; i < depth; i++) tt_buf_puts(&b, "]");
        for (i = 0; i < depth; i++) tt_buf_puts(&o, "{\"k\":");
        tt_buf_puts(&o, "1");
        for (i = 0; i < depth; i++) tt_buf_puts(&o, "}");
        j = tfm_json_parse(b.p, b.n, NULL);
        if (depth <= TFM_MAX_JSON_DEPTH) CHECKF(j != NULL, "%d nested arrays rejected: %s", depth, tfm_last_error());
        else {
            CHECKF(j == NULL, "%d nested arrays accepted (limit %d)", depth, TFM_MAX_JSON_DEPTH);
            CHECK(strstr(tfm_last_error(), "line") && strstr(tfm_last_error(), "column"));
        }
        tfm_json_free(j);
        j = tfm_json_parse(o.p, o.n, NULL);
        if (depth <= TFM_MAX_JSON_DEPTH) CHECKF(j != NULL, "%d nested objects rejected: %s", depth, tfm_last_error());
        else CHECKF(j == NULL, "%d nested objects accepted", depth);
        tfm_json_free(j);
        tt_buf_free(&b);
        tt_buf_free(&o);
    }
    {
        /* very deep input fails cleanly (no stack overflow) */
        size_t n = 1000000, i;
        char *deep = (char *)malloc(n);
        for (i = 0; i < n; i++) deep[i] = "[{"[0];
        CHECK(tfm_json_parse(deep, n, NULL) == NULL);
        free(deep);
    }
}

/* Checks that parsing text (len bytes) fails with a line/column message. */
#define CHECK_JSON_INVALID(text, len, label) json_check_invalid(__FILE__, __LINE__, text, len, label)
static void json_check_invalid(const char *file, int line, const char *text, size_t len, const char *label) {
    tfm_json *j;
    tfm_clear_error();
    j = tfm_json_parse(text, len, NULL);
    tt_checks++;
    if (j) {
        tt_fail(file, line, "invalid JSON accepted: %s", label);
        tfm_json_free(j);
        return;
    }
    if (!strstr(tfm_last_error(), "line") || !strstr(tfm_last_error(), "column"))
        tt_fail(file, line, "%s: error without line/column: '%s'", label, tfm_last_error());
}

static void json_invalid_documents(void) {
    static const char *bad[] = {
        "", " ", "\n\t", "[1,]", "[1,2,]", "{\"a\":1,}", "{\"a\":1,,\"b\":2}", "[,1]", "[1,,2]", "{,}", "['a']",
        "{'a':1}", "{\"a\":'b'}", "\"a\tb\"", "\"a\nb\"", "\"\x01\"", "\"\x1f\"", "[\"\\ud800\"]", "\"\\udc00\"",
        "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\ud83d\\ud83d\"", "\"\\udbff\"", "\"\\ude00\\ud83d\"", "01", "-01",
        "00", "00.5", "1.", "-", "-.5", ".5", "+1", "1e", "1e+", "1E-", "1.e5", "0x10", "1e5.5", "--1", "1-", "1.5.5",
        "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "[NaN]", "{\"a\":Infinity}", "// c\n{}", "/* c */{}",
        "{} // c", "{/*c*/}", "# c\n{}", "{}#", "{} x", "[1] [2]", "{}{}", "1 2", "tru", "nul", "fals", "True",
        "NULL", "truex", "nulll", "{\"a\" 1}", "{\"a\":}", "{\"a\"}", "{1:2}", "{a:1}", "{null:1}", "[1 2]",
        "\"\\x41\"", "\"\\u12G4\"", "\"\\U0041\"", "\"\\u00\"", "\"\\u\"", "\"\\\"", "\"abc", "[", "{", "]", "}", ",",
        ":", "[}", "{]", "{\"a\":1]", "[1}", "\"\\a\"", "\"\\'\"", "\"\\0\"", "\f[]", "\v[]", "[]\f", "\xEF\xBB\xBF",
        "\xEF\xBB\xBF\xEF\xBB\xBF{}", "\xEF\xBB{}", "[\"\xff\"]", "\"\xc0\x80\"", "\"\xc1\xbf\"", "\"\xe0\x80\x80\"",
        "\"\xe0\x9f\xbf\"", "\"\xed\xa0\x80\"", "\"\xed\xbf\xbf\"", "\"\xf0\x80\x80\x80\"", "\"\xf0\x8f\xbf\xbf\"",
        "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", "\"\xf8\x88\x80\x80\x80\"", "\"\x80\"", "\"\xbf\"",
        "\"\xc3\"", "\"\xe2\x82\"", "\"\xf0\x9f\x98\"", "\"\xc3\xc3\"", "\"\xe2\x28\xa1\"", "{\"\xff\":1}",
        "\xff", "[\xc2\xa0]", "[1]\xc2\xa0", "\xe2\x80\x8b[]",
    };
    size_t i;
    char label[64];
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(label, sizeof label, "bad[%zu]", i);
        CHECK_JSON_INVALID(bad[i], strlen(bad[i]), label);
    }
    /* embedded NUL bytes: after the value, inside a string, instead of whitespace */
    CHECK_JSON_INVALID("[1]\0", 4, "NUL after the value");
    CHECK_JSON_INVALID("\"a\0b\"", 5, "raw NUL in a string");
    CHECK_JSON_INVALID("[1,\0 2]", 7, "NUL as whitespace");
    CHECK_JSON_INVALID("\0", 1, "NUL only");
    /* the message carries `what` */
    {
        tfm_json *j = tfm_json_parse("[1,]", 4, "my-file.json");
        CHECK(j == NULL);
        CHECKF(strstr(tfm_last_error(), "my-file.json") != NULL, "error lacks the name: %s", tfm_last_error());
    }
    /* line and column point at the problem */
    {
        const char *doc = "{\n  \"a\": 1,\n  \"b\": tru\n}";
        tfm_json *j = json_parse_str(doc);
        CHECK(j == NULL);
        CHECKF(strstr(tfm_last_error(), "line 3, column 8") != NULL, "wrong position: %s", tfm_last_error());
    }
    {
        /* columns count characters, not bytes */
        const char *doc = "[\"\xc3\xa9\xc3\xa9\", x]";
        tfm_json *j = json_parse_str(doc);
        CHECK(j == NULL);
        CHECKF(strstr(tfm_last_error(), "line 1, column 8") != NULL, "wrong position: %s", tfm_last_error());
    }
}

static const char json_full_doc[] =
    "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"\\u00e9\\ud83d\\ude00\":1,\"\\\"q\\\"\":2},"
    "\"merges\":[\"a b\",[\"c\",\"d\"]],\"dropout\":null,\"fuse\":false,\"byte\":true},"
    "\"nums\":[0,-0,1.5e-3,-12.25E+2,123456789012345678901,9223372036854775807,-1],"
    "\"s\":\"tab\\tnl\\nuni\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \\/\\\\\",\"e\":[],\"o\":{},"
    "\"nested\":[[[{\"x\":[true,false,null]}]]]}";

/* Every proper prefix of a valid document is invalid (NULL + line/column), and so is every
   single-byte deletion that breaks structure; the full document parses. */
static void json_truncations(void) {
    size_t n = strlen(json_full_doc), cut;
    tfm_json *j = tfm_json_parse(json_full_doc, n, NULL);
    CHECKF(j != NULL, "full document: %s", tfm_last_error());
    tfm_json_free(j);
    for (cut = 0; cut < n; cut++) {
        char label[64];
        /* heap copy of exactly `cut` bytes so ASan sees any read past the end */
        char *p = (char *)malloc(cut ? cut : 1);
        memcpy(p, json_full_doc, cut);
        snprintf(label, sizeof label, "prefix of %zu bytes", cut);
        CHECK_JSON_INVALID(p, cut, label);
        free(p);
    }
}

static void json_guarded_parse(const unsigned char *p, size_t len) {
    tfm_json *j = tfm_json_parse((const char *)p, len, NULL);
    tfm_json_free(j);
}

/* Inputs placed right before an unreadable page: the parser must never read past len. */
static void json_no_overread(void) {
    static const char *tails[] = {"\"\\", "[\"\\", "{\"a\\", "\"\\u", "\"\\u12", "\"\\ud83d", "\"\\ud83d\\",
                                  "\"\\ud83d\\u", "\"\\ud83d\\ude0", "\"\xe2", "\"\xe2\x82", "\"\xf0\x9f\x98", "tru",
                                  "-", "1e", "1e+", "1.", "-0.", "[1", "{\"a\"", "{\"a\":", "\"abc", "\xEF\xBB"};
    size_t i, n = strlen(json_full_doc);
    int sig, bad = 0;
    for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        sig = tt_guarded(tails[i], strlen(tails[i]), json_guarded_parse);
        CHECKF(sig == 0, "parsing the %zu bytes '%s' at the end of readable memory: %s (reads past the end)",
               strlen(tails[i]), tails[i], tt_guard_desc(sig));
    }
    for (i = 0; i <= n; i++) {
        sig = tt_guarded(json_full_doc, i, json_guarded_parse);
        if (sig && bad++ < 3)
            CHECKF(0, "prefix of %zu bytes ('...%.12s') at the end of readable memory: %s (reads past the end)", i,
                   json_full_doc + (i > 12 ? i - 12 : 0), tt_guard_desc(sig));
    }
    CHECKF(bad == 0, "%d prefixes read past the end of the input", bad);
}

/* Byte-exact heap copies of random mutations must never crash (result may be valid or not). */
static void json_mutations(void) {
    tt_rng r = {99};
    size_t n = strlen(json_full_doc);
    int i, bad_msg = 0;
    for (i = 0; i < 20000; i++) {
        size_t len = n, k;
        char *p = (char *)malloc(n + 8);
        tfm_json *j;
        memcpy(p, json_full_doc, n);
        for (k = 0; k < 1 + tt_below(&r, 3) && len > 0; k++) {
            size_t at = tt_below(&r, len);
            switch (tt_below(&r, 4)) {
            case 0: p[at] = (char)tt_rand(&r); break;
            case 1: p[at] = "{}[]\",:\\0-eE.u"[tt_below(&r, 14)]; break;
            case 2: memmove(p + at, p + at + 1, len - at - 1); len--; break;
            default: len = at; break;
            }
        }
        tfm_clear_error();
        j = tfm_json_parse(p, len, NULL);
        if (!j && (!strstr(tfm_last_error(), "line") || !strstr(tfm_last_error(), "column")) && bad_msg++ < 3)
            CHECKF(0, "error without line/column: '%s'", tfm_last_error());
        if (j) {
            /* walk it */
            size_t m;
            for (m = 0; m < tfm_json_len(j); m++) (void)tfm_json_kind(tfm_json_at(j, m));
        }
        tfm_json_free(j);
        free(p);
    }
    CHECK(bad_msg == 0);
}

/* Recursively collects *.json files below dir. */
static void json_collect(const char *dir, char ***list, size_t *n) {
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) return;
    while ((e = readdir(d)) != NULL) {
        char path[2048];
        struct stat st;
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) json_collect(path, list, n);
        else if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            *list = (char **)realloc(*list, (*n + 1) * sizeof(char *));
            (*list)[*n] = (char *)malloc(strlen(path) + 1);
            strcpy((*list)[*n], path);
            (*n)++;
        }
    }
    closedir(d);
}

static void json_shared_vocab_files(void) {
    const char *dir = getenv("TFM_SHARED_VOCAB");
    char **files = NULL;
    size_t n = 0, i, n_tok = 0;
    double t0, total = 0;
    size_t bytes = 0;
    if (!dir || !*dir) dir = "../shared/vocab";
    if (!tt_exists(dir)) SKIP("%s does not exist", dir);
    json_collect(dir, &files, &n);
    for (i = 0; i < n; i++) {
        size_t size = 0;
        unsigned char *text = tt_read_file(files[i], &size);
        tfm_json *j, *jf;
        int is_tok = strstr(files[i], "tokenizer.json") != NULL && strstr(files[i], "tokenizer.json")[14] == 0;
        CHECKF(text != NULL, "cannot read %s", files[i]);
        t0 = tt_now();
        j = tfm_json_parse((const char *)text, size, files[i]);
        total += tt_now() - t0;
        bytes += size;
        CHECKF(j != NULL, "%s: %s", files[i], tfm_last_error());
        if (j && is_tok) {
            const tfm_json *model = tfm_json_get(j, "model");
            n_tok++;
            CHECKF(tfm_json_kind(j) == TFM_JSON_OBJECT, "%s: not an object", files[i]);
            CHECKF(tfm_json_kind(model) == TFM_JSON_OBJECT, "%s: no model object", files[i]);
            CHECKF(tfm_json_kind(tfm_json_get(model, "vocab")) == TFM_JSON_OBJECT ||
                       tfm_json_kind(tfm_json_get(model, "vocab")) == TFM_JSON_ARRAY,
                   "%s: model.vocab missing", files[i]);
        }
        /* the file reader gives the same document */
        jf = tfm_json_parse_file(files[i]);
        CHECKF(jf != NULL, "tfm_json_parse_file(%s): %s", files[i], tfm_last_error());
        if (j && jf) CHECK_EQ_I64(tfm_json_len(j), tfm_json_len(jf));
        tfm_json_free(jf);
        tfm_json_free(j);
        free(text);
        free(files[i]);
    }
    free(files);
    CHECKF(n_tok > 0, "no tokenizer.json below %s", dir);
    INFO("%zu JSON files (%zu tokenizer.json, %.1f MB) parsed in %.3f s", n, n_tok, (double)bytes / 1e6, total);
}

/* A generated ~10 MB document parses, and every value reads back as written. */
static void json_large_document(void) {
    tt_buf b = {0};
    tt_rng r = {2024};
    int64_t i, count = 0, bad = 0;
    double t0, dt;
    tfm_json *j;
    const tfm_json *items;
    tt_buf_puts(&b, "{\"version\": 1, \"items\": [\n");
    for (i = 0; b.n < 10u * 1000 * 1000; i++) {
        uint64_t u = tt_rand(&r);
        double d;
        memcpy(&d, &u, 8);
        if (isnan(d) || isinf(d)) d = (double)(int64_t)u;
        tt_buf_printf(&b,
                      "%s  {\"id\": %lld, \"name\": \"item \\u00e9\\\"%lld\\\"\", \"value\": %.17g, \"flags\": [true, "
                      "false, null], \"nested\": {\"a\": [%lld, [%lld]], \"s\": \"\xe2\x82\xac\"}}",
                      i ? ",\n" : "", (long long)i, (long long)i, d, (long long)(i * 3), (long long)-i);
        count++;
    }
    tt_buf_puts(&b, "\n]}\n");
    t0 = tt_now();
    j = tfm_json_parse(b.p, b.n, "large");
    dt = tt_now() - t0;
    CHECKF(j != NULL, "%s", tfm_last_error());
    INFO("%.1f MB, %lld objects parsed in %.3f s (%.0f MB/s)", (double)b.n / 1e6, (long long)count, dt,
         (double)b.n / 1e6 / (dt > 0 ? dt : 1e-9));
    items = tfm_json_get(j, "items");
    CHECK_EQ_I64(tfm_json_len(items), count);
    r.s = 2024;
    for (i = 0; i < count && j; i++) {
        const tfm_json *it = tfm_json_at(items, (size_t)i);
        uint64_t u = tt_rand(&r);
        double d;
        char name[64];
        memcpy(&d, &u, 8);
        if (isnan(d) || isinf(d)) d = (double)(int64_t)u;
        snprintf(name, sizeof name, "item \xc3\xa9\"%lld\"", (long long)i);
        if (tfm_json_int(tfm_json_get(it, "id"), -1) != i || tt_f64_bits(tfm_json_num(tfm_json_get(it, "value"), 0)) !=
                                                                 tt_f64_bits(d) ||
            strcmp(tfm_json_str_or(tfm_json_get(it, "name"), ""), name) != 0 ||
            tfm_json_int(tfm_json_at(tfm_json_at(tfm_json_get(tfm_json_get(it, "nested"), "a"), 1), 0), 0) != -i ||
            tfm_json_len(tfm_json_get(it, "flags")) != 3) {
            if (bad++ < 3) CHECKF(0, "item %lld reads back wrong", (long long)i);
        }
    }
    CHECK(bad == 0);
    tfm_json_free(j);
    tt_buf_free(&b);
}

static const tt_case json_tests[] = {
    TT(json_valid_basic),
    TT(json_null_accessors),
    TT(json_scalars_top_level),
    TT(json_escapes),
    TT(json_escapes_exhaustive),
    TT(json_numbers_edge),
    TT(json_negative_zero_int),
    TT(json_numbers_random_vs_strtod),
    TT(json_int64),
    TT(json_numbers_locale),
    TT(json_depth_limit),
    TT(json_invalid_documents),
    TT(json_truncations),
    TT(json_no_overread),
    TT(json_mutations),
    TT(json_shared_vocab_files),
    TT(json_large_document),
};
