/* Malformed safetensors and sharded indexes, generated here (no binary files committed). Each case
   is opened from memory (an exact-size heap copy, so ASan sees over-reads) and from a file, and
   must give an expected non-OK status, a message, no handle, no crash and no leak. Then random
   mutations of a real fixture file must never crash. */

#define MF(s) (1u << (unsigned)(-(int)(s)))
#define MF_FORMAT MF(TFM_ERR_FORMAT)
#define MF_UNSUP MF(TFM_ERR_UNSUPPORTED)
#define MF_LIMIT MF(TFM_ERR_LIMIT)
#define MF_NOTFOUND MF(TFM_ERR_NOT_FOUND)
#define MF_IO MF(TFM_ERR_IO)

/* 8-byte little-endian length (declared) + header bytes + data_len pattern bytes. */
static unsigned char *mf_image(const char *header, size_t hlen, uint64_t declared, size_t data_len, size_t *size) {
    unsigned char *p = (unsigned char *)malloc(8 + hlen + data_len + 1);
    size_t i;
    for (i = 0; i < 8; i++) p[i] = (unsigned char)(declared >> (8 * i));
    memcpy(p + 8, header, hlen);
    for (i = 0; i < data_len; i++) p[8 + hlen + i] = (unsigned char)(i * 7 + 1);
    *size = 8 + hlen + data_len;
    return p;
}

static const char *mf_status_list(unsigned mask, char *buf, size_t n) {
    int s;
    buf[0] = 0;
    for (s = 0; s <= 8; s++)
        if (mask & (1u << s)) {
            size_t len = strlen(buf);
            snprintf(buf + len, n - len, "%s%s", len ? "|" : "", tfm_status_string((tfm_status)-s));
        }
    return buf;
}

/* Opens `bytes` from memory and from a temp file; both must fail with a status in `allowed`. */
#define MF_EXPECT(label, bytes, size, allowed) mf_expect(__FILE__, __LINE__, label, bytes, size, allowed)
static void mf_expect(const char *file, int line, const char *label, const unsigned char *bytes, size_t size,
                      unsigned allowed) {
    int how;
    char names[200];
    for (how = 0; how < 2; how++) {
        tfm_weights *w = (tfm_weights *)(uintptr_t)1;
        tfm_status st;
        unsigned char *copy = NULL;
        tfm_clear_error();
        if (how == 0) {
            copy = (unsigned char *)malloc(size ? size : 1);
            if (size) memcpy(copy, bytes, size);
            st = tfm_weights_open_memory(copy, size, &w);
        } else {
            const char *path = tt_tmp_path("malformed.safetensors");
            if (!tt_write_file(path, bytes, size)) {
                tt_fail(file, line, "%s: cannot write a temp file", label);
                return;
            }
            st = tfm_weights_open(path, &w);
        }
        tt_checks++;
        if (st == TFM_OK) {
            tt_fail(file, line, "%s (%s): accepted, expected %s", label, how ? "file" : "memory",
                    mf_status_list(allowed, names, sizeof names));
            tfm_weights_close(w);
        } else {
            if (!(allowed & MF(st)))
                tt_fail(file, line, "%s (%s): %s, expected %s (%s)", label, how ? "file" : "memory",
                        tfm_status_string(st), mf_status_list(allowed, names, sizeof names), tfm_last_error());
            if (w != NULL) tt_fail(file, line, "%s: *out not NULL after a failure", label);
            if (!tfm_last_error()[0]) tt_fail(file, line, "%s (%s): empty error message", label, how ? "file" : "memory");
        }
        free(copy);
    }
}

/* A header that must be accepted (positive controls around the negative cases). */
#define MF_ACCEPT(label, header, data_len, n_tensors) mf_accept(__FILE__, __LINE__, label, header, data_len, n_tensors)
static void mf_accept(const char *file, int line, const char *label, const char *header, size_t data_len,
                      int64_t n_tensors) {
    size_t size;
    unsigned char *img = mf_image(header, strlen(header), strlen(header), data_len, &size);
    tfm_weights *w = NULL;
    tfm_status st = tfm_weights_open_memory(img, size, &w);
    tt_checks++;
    if (st != TFM_OK) tt_fail(file, line, "%s: rejected: %s", label, tfm_last_error());
    else if (tfm_weights_count(w) != n_tensors)
        tt_fail(file, line, "%s: %lld tensors, expected %lld", label, (long long)tfm_weights_count(w),
                (long long)n_tensors);
    tfm_weights_close(w);
    free(img);
}

/* Header text -> image with the right length and data_len data bytes, expected to fail. */
#define MF_HEADER(label, header, data_len, allowed) mf_header(__FILE__, __LINE__, label, header, data_len, allowed)
static void mf_header(const char *file, int line, const char *label, const char *header, size_t data_len,
                      unsigned allowed) {
    size_t size;
    unsigned char *img = mf_image(header, strlen(header), strlen(header), data_len, &size);
    mf_expect(file, line, label, img, size, allowed);
    free(img);
}

#define MF_T(name, dtype, shape, b, e) "\"" name "\":{\"dtype\":\"" dtype "\",\"shape\":" shape ",\"data_offsets\":[" b "," e "]}"
static const char mf_good[] = "{\"__metadata__\":{\"format\":\"pt\"}," MF_T("a", "F32", "[2]", "0", "8") ","
                              MF_T("b", "F16", "[2,2]", "8", "16") "}";

static void mf_controls(void) {
    MF_ACCEPT("base", mf_good, 16, 2);
    MF_ACCEPT("empty header object", "{}", 0, 0);
    MF_ACCEPT("metadata only", "{\"__metadata__\":{}}", 0, 0);
    MF_ACCEPT("trailing spaces (padding)", "{" MF_T("a", "F32", "[2]", "0", "8") "}        ", 8, 1);
    MF_ACCEPT("zero-size tensors share an offset",
              "{" MF_T("z", "F32", "[0]", "0", "0") "," MF_T("a", "F32", "[2]", "0", "8") ","
                  MF_T("y", "BF16", "[3,0]", "8", "8") "}",
              8, 3);
    MF_ACCEPT("8 dims", "{" MF_T("a", "U8", "[1,1,1,1,1,1,1,2]", "0", "2") "}", 2, 1);
    /* the reference multiplies dims left to right with overflow checks: 0 * anything is 0 */
    MF_ACCEPT("zero dim before huge dims", "{" MF_T("a", "F32", "[0,4294967296,4294967296]", "0", "0") "}", 0, 1);
    MF_ACCEPT("scalar", "{" MF_T("a", "F64", "[]", "0", "8") "}", 8, 1);
    MF_ACCEPT("offsets not in name order", "{" MF_T("b", "F32", "[1]", "0", "4") "," MF_T("a", "F32", "[1]", "4", "8") "}",
              8, 2);
    MF_ACCEPT("escaped name", "{\"a\\u00e9\\n\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, 1);
}

static void mf_lengths(void) {
    size_t hlen = strlen(mf_good), size, n;
    unsigned char *img = mf_image(mf_good, hlen, hlen, 16, &size);
    uint64_t declared[] = {0, hlen + 1, hlen + 17, (uint64_t)TFM_MAX_HEADER_BYTES + 1, 200000000u,
                           (uint64_t)1 << 40, UINT64_MAX, UINT64_MAX - 7, hlen - 1, 1};
    size_t i;
    char label[64];
    MF_EXPECT("empty file", img, 0, MF_FORMAT);
    for (n = 1; n < 8; n++) {
        snprintf(label, sizeof label, "%zu-byte file", n);
        MF_EXPECT(label, img, n, MF_FORMAT);
    }
    MF_EXPECT("length only", img, 8, MF_FORMAT);
    for (i = 0; i < sizeof declared / sizeof declared[0]; i++) {
        unsigned char *bad = mf_image(mf_good, hlen, declared[i], 16, &n);
        snprintf(label, sizeof label, "declared header length %llu", (unsigned long long)declared[i]);
        MF_EXPECT(label, bad, n, MF_FORMAT | MF_LIMIT);
        free(bad);
    }
    /* truncated in the header and in the data */
    MF_EXPECT("truncated mid-header", img, 8 + hlen / 2, MF_FORMAT);
    MF_EXPECT("truncated at the header end", img, 8 + hlen, MF_FORMAT);
    MF_EXPECT("truncated mid-data", img, size - 3, MF_FORMAT);
    MF_EXPECT("truncated by one byte", img, size - 1, MF_FORMAT);
    {
        unsigned char *longer = mf_image(mf_good, hlen, hlen, 17, &n);
        MF_EXPECT("one trailing byte", longer, n, MF_FORMAT);
        free(longer);
        longer = mf_image(mf_good, hlen, hlen, 4096, &n);
        MF_EXPECT("many trailing bytes", longer, n, MF_FORMAT);
        free(longer);
    }
    free(img);
}

static void mf_header_json(void) {
    MF_HEADER("not JSON", "{not json}", 0, MF_FORMAT);
    MF_HEADER("array header", "[]", 0, MF_FORMAT);
    MF_HEADER("string header", "\"abc\"", 0, MF_FORMAT);
    MF_HEADER("number header", "12345678", 0, MF_FORMAT);
    MF_HEADER("null header", "null", 0, MF_FORMAT);
    MF_HEADER("leading space", " {}", 0, MF_FORMAT);
    MF_HEADER("unterminated object", "{", 0, MF_FORMAT);
    MF_HEADER("unterminated string", "{\"a", 0, MF_FORMAT);
    MF_HEADER("trailing comma", "{" MF_T("a", "F32", "[2]", "0", "8") ",}", 8, MF_FORMAT);
    MF_HEADER("garbage after the object", "{" MF_T("a", "F32", "[2]", "0", "8") "}x", 8, MF_FORMAT);
    MF_HEADER("two objects", "{}{}", 0, MF_FORMAT);
    MF_HEADER("comment", "{/*c*/}", 0, MF_FORMAT);
    {
        /* a NUL byte inside the header */
        char h[] = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        size_t size;
        unsigned char *img;
        h[3] = 0;
        img = mf_image(h, sizeof h - 1, sizeof h - 1, 4, &size);
        MF_EXPECT("NUL in the header", img, size, MF_FORMAT);
        free(img);
    }
    {
        /* deep nesting inside a tensor entry and inside metadata */
        tt_buf b = {0};
        int i;
        tt_buf_puts(&b, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":");
        for (i = 0; i < TFM_MAX_JSON_DEPTH + 50; i++) tt_buf_puts(&b, "[");
        for (i = 0; i < TFM_MAX_JSON_DEPTH + 50; i++) tt_buf_puts(&b, "]");
        tt_buf_puts(&b, "}}");
        MF_HEADER("deep nesting", b.p, 4, MF_FORMAT | MF_LIMIT);
        tt_buf_free(&b);
        tt_buf_puts(&b, "{\"__metadata__\":");
        for (i = 0; i < 100000; i++) tt_buf_puts(&b, "{\"k\":");
        MF_HEADER("very deep unterminated nesting", b.p, 0, MF_FORMAT | MF_LIMIT);
        tt_buf_free(&b);
    }
}

static void mf_entries(void) {
    MF_HEADER("entry is a number", "{\"a\":5}", 0, MF_FORMAT);
    MF_HEADER("entry is an array", "{\"a\":[]}", 0, MF_FORMAT);
    MF_HEADER("entry is a string", "{\"a\":\"x\"}", 0, MF_FORMAT);
    MF_HEADER("entry is null", "{\"a\":null}", 0, MF_FORMAT);
    MF_HEADER("missing dtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, MF_FORMAT);
    MF_HEADER("missing shape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, MF_FORMAT);
    MF_HEADER("missing data_offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, MF_FORMAT);
    MF_HEADER("empty entry", "{\"a\":{}}", 0, MF_FORMAT);
    MF_HEADER("dtype is a number", "{\"a\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, MF_FORMAT);
    MF_HEADER("dtype is null", "{\"a\":{\"dtype\":null,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, MF_FORMAT);
    MF_HEADER("unknown dtype", "{" MF_T("a", "F128", "[2]", "0", "8") "}", 8, MF_UNSUP);
    MF_HEADER("lower-case dtype", "{" MF_T("a", "f32", "[2]", "0", "8") "}", 8, MF_UNSUP);
    MF_HEADER("empty dtype", "{" MF_T("a", "", "[2]", "0", "8") "}", 8, MF_UNSUP);
    MF_HEADER("negative dim", "{" MF_T("a", "F32", "[-2]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("float dim", "{" MF_T("a", "F32", "[2.5]", "0", "10") "}", 10, MF_FORMAT);
    MF_HEADER("integral float dim", "{" MF_T("a", "F32", "[2.0]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("exponent dim", "{" MF_T("a", "F32", "[2e0]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("string dim", "{" MF_T("a", "F32", "[\"2\"]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("null dim", "{" MF_T("a", "F32", "[null]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("nested dim", "{" MF_T("a", "F32", "[[2]]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("shape is a number", "{" MF_T("a", "F32", "2", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("shape is an object", "{" MF_T("a", "F32", "{}", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("dim beyond int64", "{" MF_T("a", "U8", "[9223372036854775808]", "0", "8") "}", 8,
              MF_FORMAT | MF_LIMIT);
    MF_HEADER("shape product overflows int64", "{" MF_T("a", "F32", "[4294967296,4294967296]", "0", "8") "}", 8,
              MF_FORMAT | MF_LIMIT);
    MF_HEADER("shape product overflows (3 dims)", "{" MF_T("a", "U8", "[3037000500,3037000500,2]", "0", "8") "}", 8,
              MF_FORMAT | MF_LIMIT);
    MF_HEADER("byte count overflows uint64", "{" MF_T("a", "F32", "[4611686018427387904]", "0", "0") "}", 0,
              MF_FORMAT | MF_LIMIT);
    MF_HEADER("byte count overflows (I64)", "{" MF_T("a", "I64", "[2305843009213693952,1]", "0", "0") "}", 0,
              MF_FORMAT | MF_LIMIT);
    MF_HEADER("9 dims", "{" MF_T("a", "U8", "[1,1,1,1,1,1,1,1,2]", "0", "2") "}", 2, MF_UNSUP | MF_LIMIT | MF_FORMAT);
    MF_HEADER("100 dims", "{" MF_T("a", "U8",
                                   "[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                                   "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                                   "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2]",
                                   "0", "2") "}",
              2, MF_UNSUP | MF_LIMIT | MF_FORMAT);
}

static void mf_offsets(void) {
    MF_HEADER("begin > end", "{" MF_T("a", "F32", "[2]", "8", "0") "}", 8, MF_FORMAT);
    MF_HEADER("one offset", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8, MF_FORMAT);
    MF_HEADER("three offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", 8, MF_FORMAT);
    MF_HEADER("no offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[]}}", 8, MF_FORMAT);
    MF_HEADER("offsets not an array", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":8}}", 8, MF_FORMAT);
    MF_HEADER("offsets object", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"0\":0,\"1\":8}}}", 8,
              MF_FORMAT);
    MF_HEADER("negative begin", "{" MF_T("a", "F32", "[2]", "-8", "0") "}", 8, MF_FORMAT);
    MF_HEADER("negative both", "{" MF_T("a", "F32", "[2]", "-8", "-16") "}", 8, MF_FORMAT);
    MF_HEADER("float offsets", "{" MF_T("a", "F32", "[2]", "0.0", "8.0") "}", 8, MF_FORMAT);
    MF_HEADER("string offsets", "{" MF_T("a", "F32", "[2]", "\"0\"", "\"8\"") "}", 8, MF_FORMAT);
    MF_HEADER("null offset", "{" MF_T("a", "F32", "[2]", "null", "8") "}", 8, MF_FORMAT);
    MF_HEADER("end beyond uint64", "{" MF_T("a", "U8", "[2]", "0", "18446744073709551616") "}", 2, MF_FORMAT);
    MF_HEADER("end = UINT64_MAX", "{" MF_T("a", "U8", "[2]", "18446744073709551613", "18446744073709551615") "}", 2,
              MF_FORMAT);
    MF_HEADER("end = INT64_MAX", "{" MF_T("a", "U8", "[2]", "9223372036854775805", "9223372036854775807") "}", 2,
              MF_FORMAT);
    MF_HEADER("span longer than the shape", "{" MF_T("a", "F32", "[2]", "0", "12") "}", 12, MF_FORMAT);
    MF_HEADER("span shorter than the shape", "{" MF_T("a", "F32", "[2]", "0", "4") "}", 4, MF_FORMAT);
    MF_HEADER("span for the wrong dtype", "{" MF_T("a", "F16", "[2]", "0", "8") "}", 8, MF_FORMAT);
    MF_HEADER("zero-size tensor with a span", "{" MF_T("a", "F32", "[0]", "0", "4") "}", 4, MF_FORMAT);
    MF_HEADER("overlap", "{" MF_T("a", "F32", "[2]", "0", "8") "," MF_T("b", "F32", "[2]", "4", "12") "}", 12,
              MF_FORMAT);
    MF_HEADER("same range twice", "{" MF_T("a", "F32", "[2]", "0", "8") "," MF_T("b", "F32", "[2]", "0", "8") "}", 8,
              MF_FORMAT);
    MF_HEADER("one inside another", "{" MF_T("a", "F32", "[4]", "0", "16") "," MF_T("b", "F32", "[1]", "4", "8") "}", 16,
              MF_FORMAT);
    MF_HEADER("gap", "{" MF_T("a", "F32", "[2]", "0", "8") "," MF_T("b", "F32", "[2]", "12", "20") "}", 20, MF_FORMAT);
    MF_HEADER("data not starting at 0", "{" MF_T("a", "F32", "[2]", "4", "12") "}", 12, MF_FORMAT);
    MF_HEADER("offsets past the end", "{" MF_T("a", "F32", "[2]", "0", "8") "}", 4, MF_FORMAT);
    MF_HEADER("huge offsets past the end", "{" MF_T("a", "U8", "[1099511627776]", "0", "1099511627776") "}", 8,
              MF_FORMAT);
}

static void mf_metadata_and_names(void) {
    MF_HEADER("metadata number value", "{\"__metadata__\":{\"format\":1}}", 0, MF_FORMAT);
    MF_HEADER("metadata null value", "{\"__metadata__\":{\"x\":null}}", 0, MF_FORMAT);
    MF_HEADER("metadata object value", "{\"__metadata__\":{\"x\":{}}}", 0, MF_FORMAT);
    MF_HEADER("metadata array value", "{\"__metadata__\":{\"x\":[\"a\"]}}", 0, MF_FORMAT);
    MF_HEADER("metadata bool value", "{\"__metadata__\":{\"x\":true}}", 0, MF_FORMAT);
    MF_HEADER("metadata is a string", "{\"__metadata__\":\"x\"}", 0, MF_FORMAT);
    MF_HEADER("metadata is an array", "{\"__metadata__\":[]}", 0, MF_FORMAT);
    MF_HEADER("metadata is null", "{\"__metadata__\":null}", 0, MF_FORMAT);
    MF_HEADER("name 0xff", "{\"a\xff\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, MF_FORMAT);
    MF_HEADER("name overlong", "{\"\xc0\xaf\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, MF_FORMAT);
    MF_HEADER("name surrogate", "{\"\xed\xa0\x80\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
              MF_FORMAT);
    MF_HEADER("name cut sequence", "{\"\xe2\x82\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
              MF_FORMAT);
    MF_HEADER("name escaped lone surrogate", "{\"\\ud800\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
              1, MF_FORMAT);
    MF_HEADER("name with raw control", "{\"a\tb\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
              MF_FORMAT);
    MF_HEADER("metadata value 0xff", "{\"__metadata__\":{\"k\":\"\xff\"}}", 0, MF_FORMAT);
    MF_HEADER("duplicate name, two spans", "{" MF_T("a", "F32", "[2]", "0", "8") "," MF_T("a", "F32", "[2]", "8", "16") "}",
              16, MF_FORMAT);
    MF_HEADER("duplicate name, same span", "{" MF_T("a", "F32", "[2]", "0", "8") "," MF_T("a", "F32", "[2]", "0", "8") "}",
              8, MF_FORMAT);
    MF_HEADER("duplicate zero-size name", "{" MF_T("a", "F32", "[0]", "0", "0") "," MF_T("a", "F32", "[0]", "0", "0") "}",
              0, MF_FORMAT);
    MF_HEADER("duplicate metadata object with a bad one",
              "{\"__metadata__\":{\"a\":\"b\"},\"__metadata__\":{\"a\":1}}", 0, MF_FORMAT);
}

/* ---- sharded folders ---- */

/* Writes a small valid shard holding the given F32 tensors (each [2]) into dir/file. */
static void mf_write_shard(const char *dir, const char *file, const char *const *names, int n) {
    char path[1400];
    tfm_tensor t[8];
    float data[8][2];
    int i;
    int64_t shape[1] = {2};
    snprintf(path, sizeof path, "%s/%s", dir, file);
    for (i = 0; i < n; i++) {
        data[i][0] = (float)i;
        data[i][1] = (float)(i + 100 * (int)strlen(file));
        tfm_tensor_view(&t[i], TFM_F32, 1, shape, data[i]);
    }
    CHECKF(tfm_safetensors_write(path, t, names, n, NULL, 0) == TFM_OK, "writing %s: %s", path, tfm_last_error());
}

/* Makes a folder with shards s1 = {a, b}, s2 = {c} and the given index text; returns the folder. */
static const char *mf_shard_dir(const char *index_text) {
    static const char *s1[] = {"a", "b"}, *s2[] = {"c"};
    const char *dir = tt_tmp_path("sharded");
    char path[1400];
    mkdir(dir, 0700);
    mf_write_shard(dir, "s1.safetensors", s1, 2);
    mf_write_shard(dir, "s2.safetensors", s2, 1);
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    CHECK(tt_write_file(path, index_text, strlen(index_text)));
    return dir;
}

/* Opens the folder and its index path; both must give a status in `allowed` (0: must succeed). */
#define MF_INDEX(label, index_text, allowed) mf_index(__FILE__, __LINE__, label, index_text, allowed, -1)
static void mf_index(const char *file, int line, const char *label, const char *index_text, unsigned allowed,
                     int64_t want_count) {
    const char *dir = mf_shard_dir(index_text);
    char path[1400], names[200];
    int how;
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    for (how = 0; how < 2; how++) {
        tfm_weights *w = NULL;
        tfm_status st;
        tfm_clear_error();
        st = tfm_weights_open(how ? path : dir, &w);
        tt_checks++;
        if (allowed == 0) {
            if (st != TFM_OK) tt_fail(file, line, "%s: rejected: %s", label, tfm_last_error());
            else if (want_count >= 0 && tfm_weights_count(w) != want_count)
                tt_fail(file, line, "%s: %lld tensors, expected %lld", label, (long long)tfm_weights_count(w),
                        (long long)want_count);
        } else if (st == TFM_OK) {
            tt_fail(file, line, "%s (%s): accepted, expected %s", label, how ? "index" : "folder",
                    mf_status_list(allowed, names, sizeof names));
        } else {
            if (!(allowed & MF(st)))
                tt_fail(file, line, "%s (%s): %s, expected %s (%s)", label, how ? "index" : "folder",
                        tfm_status_string(st), mf_status_list(allowed, names, sizeof names), tfm_last_error());
            if (w) tt_fail(file, line, "%s: handle returned with an error", label);
            if (!tfm_last_error()[0]) tt_fail(file, line, "%s: empty error message", label);
        }
        /* reading everything works when it opened */
        if (st == TFM_OK && w) {
            int64_t i;
            for (i = 0; i < tfm_weights_count(w); i++) {
                float buf[2];
                if (tfm_weights_read_f32(w, tfm_weights_info(w, i), buf, 2) != TFM_OK)
                    tt_fail(file, line, "%s: reading tensor %lld failed: %s", label, (long long)i, tfm_last_error());
            }
        }
        tfm_weights_close(w);
    }
}

static void mf_sharded(void) {
    const char *ok = "{\"metadata\":{\"total_size\":24},\"weight_map\":{\"a\":\"s1.safetensors\","
                     "\"b\":\"s1.safetensors\",\"c\":\"s2.safetensors\"}}";
    mf_index(__FILE__, __LINE__, "valid index", ok, 0, 3);
    mf_index(__FILE__, __LINE__, "index naming a subset", "{\"weight_map\":{\"a\":\"s1.safetensors\"}}", 0, 1);
    MF_INDEX("not JSON", "{weight_map}", MF_FORMAT);
    MF_INDEX("empty file", "", MF_FORMAT);
    MF_INDEX("array", "[]", MF_FORMAT);
    MF_INDEX("missing weight_map", "{\"metadata\":{\"total_size\":24}}", MF_FORMAT);
    MF_INDEX("weight_map is an array", "{\"weight_map\":[\"s1.safetensors\"]}", MF_FORMAT);
    MF_INDEX("weight_map is a string", "{\"weight_map\":\"s1.safetensors\"}", MF_FORMAT);
    MF_INDEX("weight_map value not a string", "{\"weight_map\":{\"a\":1}}", MF_FORMAT);
    MF_INDEX("weight_map value null", "{\"weight_map\":{\"a\":null}}", MF_FORMAT);
    MF_INDEX("weight_map value object", "{\"weight_map\":{\"a\":{\"file\":\"s1.safetensors\"}}}", MF_FORMAT);
    MF_INDEX("shard missing", "{\"weight_map\":{\"a\":\"s1.safetensors\",\"x\":\"nope.safetensors\"}}",
             MF_NOTFOUND | MF_IO);
    MF_INDEX("shard path ../", "{\"weight_map\":{\"a\":\"../s1.safetensors\"}}", MF_FORMAT);
    MF_INDEX("shard path ..", "{\"weight_map\":{\"a\":\"..\"}}", MF_FORMAT);
    MF_INDEX("shard path sub/../../", "{\"weight_map\":{\"a\":\"sub/../../s1.safetensors\"}}", MF_FORMAT);
    MF_INDEX("shard path absolute", "{\"weight_map\":{\"a\":\"/etc/passwd\"}}", MF_FORMAT);
    MF_INDEX("shard path absolute (tmp)", "{\"weight_map\":{\"a\":\"/tmp/s1.safetensors\"}}", MF_FORMAT);
    MF_INDEX("shard path backslash", "{\"weight_map\":{\"a\":\"..\\\\s1.safetensors\"}}", MF_FORMAT);
    MF_INDEX("shard path empty", "{\"weight_map\":{\"a\":\"\"}}", MF_FORMAT | MF_NOTFOUND | MF_IO);
    MF_INDEX("shard is the folder itself", "{\"weight_map\":{\"a\":\".\"}}", MF_FORMAT | MF_NOTFOUND | MF_IO);
    MF_INDEX("tensor in a shard that does not hold it",
             "{\"weight_map\":{\"a\":\"s1.safetensors\",\"c\":\"s1.safetensors\"}}", MF_FORMAT);
    MF_INDEX("tensor that no shard holds", "{\"weight_map\":{\"a\":\"s1.safetensors\",\"zz\":\"s2.safetensors\"}}",
             MF_FORMAT);
    MF_INDEX("shard is the index", "{\"weight_map\":{\"a\":\"model.safetensors.index.json\"}}", MF_FORMAT);
    MF_INDEX("duplicate key to two shards", "{\"weight_map\":{\"a\":\"s1.safetensors\",\"a\":\"s2.safetensors\"}}",
             MF_FORMAT);
    {
        /* a shard that is itself malformed */
        const char *dir = mf_shard_dir("{\"weight_map\":{\"a\":\"s1.safetensors\",\"c\":\"s2.safetensors\"}}");
        char path[1400];
        tfm_weights *w = NULL;
        snprintf(path, sizeof path, "%s/s2.safetensors", dir);
        CHECK(tt_write_file(path, "garbage!garbage!", 16));
        CHECK_STATUS(tfm_weights_open(dir, &w), TFM_ERR_FORMAT);
        CHECK(w == NULL);
        CHECK_ERROR_SET();
    }
}

/* A tensor present in two shards, the index picking one: the index decides (the reader has code
   for this case: "the name may also exist in another shard"). */
static void mf_sharded_duplicate_across_shards(void) {
    static const char *s1[] = {"a", "b"}, *s2[] = {"a", "c"};
    const char *dir = tt_tmp_path("dup_shards");
    const char *index = "{\"weight_map\":{\"a\":\"s2.safetensors\",\"b\":\"s1.safetensors\",\"c\":\"s2.safetensors\"}}";
    char path[1400];
    tfm_weights *w = NULL;
    mkdir(dir, 0700);
    mf_write_shard(dir, "s1.safetensors", s1, 2);
    mf_write_shard(dir, "s2.safetensors", s2, 2);
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    CHECK(tt_write_file(path, index, strlen(index)));
    CHECK_OK(tfm_weights_open(dir, &w));
    if (w) {
        const tfm_tensor_info *a = tfm_weights_find(w, "a");
        CHECK_EQ_I64(tfm_weights_count(w), 3);
        CHECK(a != NULL);
        if (a) CHECK_STR_EQ(strrchr(tfm_weights_shard_path(w, a->shard), '/') + 1, "s2.safetensors");
    }
    tfm_weights_close(w);
}

/* Images placed right before an unreadable page: opening and reading must stay inside. */
static void mf_guarded_open(const unsigned char *p, size_t len) {
    tfm_weights *w = NULL;
    if (tfm_weights_open_memory(p, len, &w) == TFM_OK) {
        int64_t i;
        for (i = 0; i < tfm_weights_count(w); i++) {
            const tfm_tensor_info *t = tfm_weights_info(w, i);
            float *buf = (float *)malloc((size_t)t->numel * sizeof(float) + 1);
            tfm_weights_read_f32(w, t, buf, t->numel);
            free(buf);
        }
    }
    tfm_weights_close(w);
}
static void mf_no_overread(void) {
    static const char *headers[] = {"{\"a\\", "{\"a\":\"\\", "{\"__metadata__\":{\"k\":\"\\", "{\"a\":{\"dtype\":\"F3",
                                    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}"};
    size_t i, size, hlen = strlen(mf_good);
    int sig, bad = 0;
    unsigned char *img;
    for (i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        /* the declared length covers the whole (cut) header, which ends the image */
        img = mf_image(headers[i], strlen(headers[i]), strlen(headers[i]), 0, &size);
        sig = tt_guarded(img, size, mf_guarded_open);
        CHECKF(sig == 0, "header '%s' at the end of the image: %s (reads past the end)", headers[i], tt_guard_desc(sig));
        free(img);
    }
    /* every cut of a valid image, with the header length fixed up to the cut */
    img = mf_image(mf_good, hlen, hlen, 16, &size);
    for (i = 9; i < 8 + hlen; i++) {
        unsigned char *cut = mf_image(mf_good, i - 8, i - 8, 0, &size);
        sig = tt_guarded(cut, size, mf_guarded_open);
        if (sig && bad++ < 3) CHECKF(0, "header cut to %zu bytes: %s (reads past the end)", i - 8, tt_guard_desc(sig));
        free(cut);
    }
    CHECK(bad == 0);
    free(img);
}

/* ---- random mutations of a real file ---- */

static void mf_read_everything(tfm_weights *w, size_t size) {
    int64_t i;
    for (i = 0; i < tfm_weights_count(w); i++) {
        const tfm_tensor_info *t = tfm_weights_info(w, i);
        float *buf;
        tfm_tensor v;
        CHECKF(t->offset + t->nbytes <= size, "accepted tensor '%s' ends past the image", t->name);
        CHECK((uint64_t)t->numel * tfm_dtype_size(t->dtype) == t->nbytes);
        buf = (float *)malloc((size_t)t->numel * sizeof(float) + 1);
        CHECK_OK(tfm_weights_read_f32(w, t, buf, t->numel));
        CHECK_OK(tfm_weights_tensor(w, t->name, &v));
        free(buf);
    }
}

static void mf_mutation_fuzz(void) {
    size_t size = 0, hlen;
    unsigned char *orig = tt_read_file(fx("models/gpt2-f16/model.safetensors"), &size);
    tt_rng r = {0x5afe};
    int it, n_ok = 0, bad_status = 0;
    unsigned seen = 0;
    double t0 = tt_now();
    if (!orig || size < 8) {
        CHECK(orig != NULL);
        free(orig);
        return;
    }
    hlen = (size_t)orig[0] | ((size_t)orig[1] << 8) | ((size_t)orig[2] << 16);
    for (it = 0; it < 4000; it++) {
        size_t n = size, k, muts = 1 + tt_below(&r, 4);
        unsigned char *m = (unsigned char *)malloc(size + 64);
        tfm_weights *w = NULL;
        tfm_status st;
        memcpy(m, orig, size);
        for (k = 0; k < muts && n > 0; k++) {
            /* most mutations hit the header, where the parsing is */
            size_t at = tt_below(&r, 4) ? tt_below(&r, 8 + hlen < n ? 8 + hlen : n) : tt_below(&r, n);
            switch (tt_below(&r, 7)) {
            case 0: m[at] ^= (unsigned char)(1u << tt_below(&r, 8)); break;
            case 1: m[at] = (unsigned char)tt_rand(&r); break;
            case 2: m[at] = (unsigned char)"{}[]\",:0123456789-e.\\"[tt_below(&r, 22)]; break;
            case 3: n = at; break; /* truncate */
            case 4:
                if (n < size + 60) { /* insert */
                    memmove(m + at + 1, m + at, n - at);
                    m[at] = (unsigned char)"{}[]\",: 0123456789"[tt_below(&r, 18)];
                    n++;
                }
                break;
            case 5: memmove(m + at, m + at + 1, n - at - 1); n--; break; /* delete */
            default: m[tt_below(&r, 8 < n ? 8 : n)] = (unsigned char)tt_rand(&r); break; /* length bytes */
            }
        }
        /* exact-size copy so that any read past the image is an ASan error */
        {
            unsigned char *exact = (unsigned char *)malloc(n ? n : 1);
            memcpy(exact, m, n);
            tfm_clear_error();
            st = tfm_weights_open_memory(exact, n, &w);
            if (st == TFM_OK) {
                n_ok++;
                mf_read_everything(w, n);
                tfm_weights_close(w);
            } else {
                seen |= MF(st);
                if ((st != TFM_ERR_FORMAT && st != TFM_ERR_UNSUPPORTED && st != TFM_ERR_LIMIT) || !tfm_last_error()[0] ||
                    w != NULL) {
                    if (bad_status++ < 3)
                        CHECKF(0, "mutation %d: %s, message '%s'", it, tfm_status_string(st), tfm_last_error());
                }
            }
            free(exact);
        }
        /* every 20th through a file as well */
        if (it % 20 == 0) {
            const char *path = tt_tmp_path("mut.safetensors");
            tfm_weights *wf = NULL;
            tfm_status sf;
            tt_write_file(path, m, n);
            sf = tfm_weights_open(path, &wf);
            CHECKF(sf == st, "mutation %d: memory gives %s, file gives %s", it, tfm_status_string(st),
                   tfm_status_string(sf));
            if (wf) mf_read_everything(wf, n);
            tfm_weights_close(wf);
            remove(path);
        }
        free(m);
    }
    CHECK(bad_status == 0);
    INFO("4000 mutations: %d still valid, statuses seen 0x%x, %.2f s", n_ok, seen, tt_now() - t0);
    free(orig);
}

/* Random mutations of a real index file (shards intact). */
static void mf_index_mutation_fuzz(void) {
    size_t size = 0;
    unsigned char *orig = tt_read_file(fx("models/bert-sharded/model.safetensors.index.json"), &size);
    static const char *shards[] = {"model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                                   "model-00003-of-00003.safetensors"};
    const char *dir = tt_tmp_path("index_fuzz");
    char path[1400];
    tt_rng r = {77};
    int it, k, n_ok = 0;
    if (!orig) {
        CHECK(orig != NULL);
        return;
    }
    mkdir(dir, 0700);
    for (k = 0; k < 3; k++) {
        char rel[256];
        size_t n = 0;
        unsigned char *b;
        snprintf(rel, sizeof rel, "models/bert-sharded/%s", shards[k]);
        b = tt_read_file(fx(rel), &n);
        snprintf(path, sizeof path, "%s/%s", dir, shards[k]);
        CHECK(b && tt_write_file(path, b, n));
        free(b);
    }
    snprintf(path, sizeof path, "%s/model.safetensors.index.json", dir);
    for (it = 0; it < 600; it++) {
        unsigned char *m = (unsigned char *)malloc(size + 1);
        size_t n = size, j;
        tfm_weights *w = NULL;
        tfm_status st;
        memcpy(m, orig, size);
        for (j = 0; j < 1 + tt_below(&r, 3) && n > 0; j++) {
            size_t at = tt_below(&r, n);
            switch (tt_below(&r, 4)) {
            case 0: m[at] = (unsigned char)tt_rand(&r); break;
            case 1: m[at] = (unsigned char)"{}[]\",:./0123-"[tt_below(&r, 15)]; break;
            case 2: n = at; break;
            default: memmove(m + at, m + at + 1, n - at - 1); n--; break;
            }
        }
        tt_write_file(path, m, n);
        st = tfm_weights_open(dir, &w);
        if (st == TFM_OK) {
            n_ok++;
            mf_read_everything(w, SIZE_MAX);
        } else {
            CHECK(w == NULL);
            CHECK_ERROR_SET();
        }
        tfm_weights_close(w);
        free(m);
    }
    INFO("600 index mutations: %d still open", n_ok);
    free(orig);
}

static const tt_case malformed_tests[] = {
    TT(mf_controls),       TT(mf_lengths), TT(mf_header_json),     TT(mf_entries),
    TT(mf_offsets),        TT(mf_metadata_and_names), TT(mf_sharded), TT(mf_sharded_duplicate_across_shards), TT(mf_no_overread),
    TT(mf_mutation_fuzz),  TT(mf_index_mutation_fuzz),
};
