/* transformers.h - v0.1.0 - Hugging Face Transformers inference in one C header.
   MIT licence (see the end of the file).

   DO THIS in exactly one C or C++ file before including the header:

       #define TRANSFORMERS_IMPLEMENTATION
       #include "transformers.h"

   Every other file just includes it. Build with one command, no flags needed for SIMD
   (the best kernel for the running CPU is picked at run time):

       cc app.c -O2 -lm -lpthread

   TEN LINES OF C

       tfm_weights *w = NULL;
       if (tfm_weights_open("models/bert-base-uncased", &w) != TFM_OK) {
           fprintf(stderr, "%s\n", tfm_last_error());       // precise reason, never a crash
           return 1;
       }
       const tfm_tensor_info *t = tfm_weights_find(w, "bert.embeddings.word_embeddings.weight");
       float *emb = malloc(t->numel * sizeof(float));
       tfm_weights_read_f32(w, t, emb, t->numel);            // F16/BF16/F8 converted to F32
       tfm_weights_close(w);

   TABLE OF CONTENTS (search for the banner text, e.g. "[SECTION 3]")

       Public API
         [API 1]  version, status codes, errors, logging
         [API 2]  allocation, dtypes, tensors
         [API 3]  JSON
         [API 4]  threads
         [API 5]  weights: safetensors read and write, sharded folders
         [API 6]  config.json
         [API 7]  kernels: GEMM, norms, activations, attention, convolutions
       Implementation (#ifdef TRANSFORMERS_IMPLEMENTATION), in dependency order
         [SECTION 1]  base: errors, allocation, files, arena
         [SECTION 2]  JSON parser
         [SECTION 3]  thread pool
         [SECTION 4]  dtypes and conversions
         [SECTION 5]  CPU features and ISA dispatch
         [SECTION 6]  GEMM (packed, cache-blocked, threaded; scalar / AVX2 / AVX-512 / NEON)
         [SECTION 7]  element-wise, normalisation, attention and convolution kernels
         [SECTION 8]  safetensors (read, validate, write) and sharded folders
         [SECTION 9]  config.json
       Licence

   COMPILE-TIME SWITCHES (define before the implementation include)

       TFM_STATIC              all functions static (private copy per translation unit)
       TFMDEF                  linkage of every public function (default: extern)
       TFM_MALLOC(sz)          allocator: define all three or none
       TFM_REALLOC(p,sz)
       TFM_FREE(p)
       TFM_ASSERT(x)           internal invariants only (default: assert.h); bad input never asserts
       TFM_NO_THREADS          no pthreads: every pool runs on the calling thread
       TFM_NO_SIMD             scalar kernels only
       TFM_NO_AVX512           leave out the AVX-512 kernels (e.g. for old assemblers)
       TFM_NO_MMAP             read files into memory instead of mapping them
       TFM_NO_VISION, TFM_NO_AUDIO, TFM_NO_CUDA
                               feature trimming for sections that later versions add
       TFM_MAX_JSON_DEPTH      nesting limit of the JSON parser (default 128)
       TFM_MAX_HEADER_BYTES    safetensors header limit (default 100,000,000, as the reference)

   RUN-TIME SETTINGS (environment)

       TFM_ISA=scalar|avx2|avx512|neon   pin a kernel family (tests, benchmarks); an ISA the CPU
                                         lacks falls back to the best available one.
       TFM_NUM_THREADS=N                 default thread count of pools created with 0 threads.

   CONVENTIONS

     * Fallible calls return tfm_status (TFM_OK == 0, errors negative) or NULL; the reason is in
       tfm_last_error(), a thread-local string. The library never exits, aborts or prints;
       diagnostics go to the log callback if one is set.
     * Ownership is stated on every function: "caller frees with X" or "borrowed".
     * Sizes are size_t (bytes) or int64_t (element counts, shapes).
     * Numbers are bit-identical for any thread count: work is split on fixed tile boundaries
       and every reduction runs in the same order whatever the split.
*/
#ifndef TRANSFORMERS_H
#define TRANSFORMERS_H

#include <stddef.h>
#include <stdint.h>

#define TFM_VERSION_MAJOR 0
#define TFM_VERSION_MINOR 1
#define TFM_VERSION_PATCH 0
#define TFM_VERSION_STRING "0.1.0"

#ifndef TFMDEF
#ifdef TFM_STATIC
#define TFMDEF static
#else
#define TFMDEF extern
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ===========================================================================================
   [API 1] version, status codes, errors, logging
   =========================================================================================== */

/* Values are stable: new codes are appended, never renumbered. */
typedef enum tfm_status {
    TFM_OK = 0,
    TFM_ERR_INVALID_ARGUMENT = -1, /* NULL pointer, negative size, unknown enum value */
    TFM_ERR_IO = -2,               /* file missing or unreadable */
    TFM_ERR_FORMAT = -3,           /* malformed file: JSON, safetensors, image, ... */
    TFM_ERR_OUT_OF_MEMORY = -4,
    TFM_ERR_NOT_FOUND = -5,        /* tensor, key or file not present */
    TFM_ERR_UNSUPPORTED = -6,      /* valid input this version cannot handle */
    TFM_ERR_SHAPE = -7,            /* tensor shapes or dtypes do not fit the operation */
    TFM_ERR_LIMIT = -8             /* input exceeds a configured limit */
} tfm_status;

TFMDEF const char *tfm_version(void);
/* Short name of a status code ("TFM_ERR_FORMAT"); static storage. */
TFMDEF const char *tfm_status_string(tfm_status status);
/* Message of the last failed call on this thread ("" if none); valid until the next failing
   call on the same thread. Thread-local: concurrent threads never see each other's errors. */
TFMDEF const char *tfm_last_error(void);
TFMDEF void tfm_clear_error(void);

typedef enum tfm_log_level { TFM_LOG_ERROR = 0, TFM_LOG_WARN = 1, TFM_LOG_INFO = 2, TFM_LOG_DEBUG = 3 } tfm_log_level;
typedef void (*tfm_log_fn)(tfm_log_level level, const char *message, void *user_data);
/* Process-wide log sink (NULL: silent, the default). Set it once before other calls; the
   pointer pair is read without locking, so changing it while other threads log is a race. */
TFMDEF void tfm_set_log_callback(tfm_log_fn fn, void *user_data);

/* ===========================================================================================
   [API 2] allocation, dtypes, tensors
   =========================================================================================== */

/* Frees memory that the library returned with "caller frees with tfm_free". */
TFMDEF void tfm_free(void *p);

/* Element types, with the safetensors spelling in tfm_dtype_name(). Appended to, never renumbered. */
typedef enum tfm_dtype {
    TFM_F32 = 0, TFM_F16, TFM_BF16, TFM_F64,
    TFM_I64, TFM_I32, TFM_I16, TFM_I8, TFM_U8, TFM_BOOL,
    TFM_F8_E4M3, TFM_F8_E5M2, TFM_U16, TFM_U32, TFM_U64,
    TFM_DTYPE_COUNT
} tfm_dtype;

TFMDEF size_t tfm_dtype_size(tfm_dtype dtype);       /* bytes per element; 0 if unknown */
TFMDEF const char *tfm_dtype_name(tfm_dtype dtype);  /* "F32", "BF16", ... */
/* Parses a safetensors dtype name; returns TFM_ERR_UNSUPPORTED for names it does not know. */
TFMDEF tfm_status tfm_dtype_from_name(const char *name, tfm_dtype *out);
TFMDEF int tfm_dtype_is_float(tfm_dtype dtype);

/* Converts n elements of src (any float or integer dtype) to f32. Never fails for known dtypes.
   F16/BF16/F8 conversions are exact (every value is representable in f32). */
TFMDEF tfm_status tfm_convert_to_f32(tfm_dtype src_dtype, const void *src, float *dst, size_t n);
/* f32 -> F16 / BF16 with round-to-nearest-even, NaN kept NaN, overflow to infinity (as torch). */
TFMDEF tfm_status tfm_convert_from_f32(const float *src, tfm_dtype dst_dtype, void *dst, size_t n);
TFMDEF float tfm_f16_to_f32(uint16_t h);
TFMDEF uint16_t tfm_f32_to_f16(float f);
TFMDEF float tfm_bf16_to_f32(uint16_t h);
TFMDEF uint16_t tfm_f32_to_bf16(float f);

#define TFM_MAX_DIMS 8

/* A view of n-dimensional row-major data. The view never owns `data`. */
typedef struct tfm_tensor {
    tfm_dtype dtype;
    int ndim;
    int64_t shape[TFM_MAX_DIMS];
    int64_t numel;
    void *data;
} tfm_tensor;

/* Fills a view; numel is derived from the shape. Returns TFM_ERR_INVALID_ARGUMENT for ndim outside
   0..TFM_MAX_DIMS or negative dims, and TFM_ERR_LIMIT if the element count overflows. */
TFMDEF tfm_status tfm_tensor_view(tfm_tensor *t, tfm_dtype dtype, int ndim, const int64_t *shape, void *data);

/* ===========================================================================================
   [API 3] JSON
   A strict RFC 8259 parser for config.json, tokenizer.json, safetensors headers and index
   files. The whole document lives in one allocation arena freed by tfm_json_free.
   =========================================================================================== */

typedef enum tfm_json_type {
    TFM_JSON_NULL = 0, TFM_JSON_FALSE, TFM_JSON_TRUE, TFM_JSON_NUMBER, TFM_JSON_STRING,
    TFM_JSON_ARRAY, TFM_JSON_OBJECT
} tfm_json_type;

typedef struct tfm_json tfm_json; /* a node; nodes belong to their document */

/* Parses len bytes (need not be NUL-terminated). On error returns NULL and tfm_last_error() says
   "line L, column C: ..." (prefixed with `what`, e.g. a file name, when not NULL).
   Caller frees the returned root with tfm_json_free. */
TFMDEF tfm_json *tfm_json_parse(const char *text, size_t len, const char *what);
/* Reads and parses a file. Caller frees with tfm_json_free. */
TFMDEF tfm_json *tfm_json_parse_file(const char *path);
TFMDEF void tfm_json_free(tfm_json *root);

/* Accessors accept NULL nodes and then return the default / 0 / NULL, so lookups chain:
   tfm_json_int(tfm_json_get(tfm_json_get(root, "model"), "max_len"), 512). */
TFMDEF tfm_json_type tfm_json_kind(const tfm_json *node);
TFMDEF size_t tfm_json_len(const tfm_json *node);                     /* array/object items, string bytes */
TFMDEF const tfm_json *tfm_json_get(const tfm_json *object, const char *key); /* last duplicate wins */
TFMDEF const tfm_json *tfm_json_at(const tfm_json *array_or_object, size_t index);
TFMDEF const char *tfm_json_key_at(const tfm_json *object, size_t index);
/* String value (NUL-terminated, may hold embedded NULs: use tfm_json_len), or NULL if not a string. */
TFMDEF const char *tfm_json_str(const tfm_json *node);
TFMDEF const char *tfm_json_str_or(const tfm_json *node, const char *fallback);
TFMDEF double tfm_json_num(const tfm_json *node, double fallback);
/* Integer value: exact for integer literals within int64; fallback for other kinds or fractions. */
TFMDEF int64_t tfm_json_int(const tfm_json *node, int64_t fallback);
TFMDEF int tfm_json_is_int(const tfm_json *node);
TFMDEF int tfm_json_bool(const tfm_json *node, int fallback);

/* ===========================================================================================
   [API 4] threads
   =========================================================================================== */

typedef struct tfm_pool tfm_pool;

/* Creates n_threads - 1 persistent workers (the caller is the n-th). n_threads <= 0 means
   TFM_NUM_THREADS from the environment, else the online core count. Caller frees with
   tfm_pool_free. A pool runs one parallel loop at a time: share it between threads only if the
   callers serialise their calls. */
TFMDEF tfm_pool *tfm_pool_create(int n_threads);
TFMDEF void tfm_pool_free(tfm_pool *pool);
TFMDEF int tfm_pool_threads(const tfm_pool *pool); /* 1 for NULL */

/* Calls fn(arg, task, thread_index) once for every task in [0, n_tasks), spread over the pool's
   threads (thread_index in [0, tfm_pool_threads)), and returns when all are done. NULL pool:
   runs serially on the caller. Tasks must not depend on which thread runs them. */
typedef void (*tfm_task_fn)(void *arg, int64_t task, int thread_index);
TFMDEF void tfm_pool_for(tfm_pool *pool, int64_t n_tasks, tfm_task_fn fn, void *arg);

/* ===========================================================================================
   [API 5] weights: safetensors read and write, sharded folders
   =========================================================================================== */

typedef struct tfm_tensor_info {
    const char *name;
    tfm_dtype dtype;
    int ndim;
    int64_t shape[TFM_MAX_DIMS];
    int64_t numel;
    uint64_t nbytes;
    uint64_t offset;  /* byte offset of the data inside its file */
    int shard;        /* index into tfm_weights_shard_path */
} tfm_tensor_info;

typedef struct tfm_weights tfm_weights;

/* Opens a .safetensors file, a model.safetensors.index.json, or a model folder holding
   model.safetensors or model.safetensors.index.json. Every header is validated up front
   (dtypes, shapes against byte spans, offsets inside the file, no gaps or overlaps, the index
   pointing to shards that hold the tensor); shards are mapped lazily on first data access.
   Caller frees with tfm_weights_close. */
TFMDEF tfm_status tfm_weights_open(const char *path, tfm_weights **out);
/* Reads a safetensors image held in memory; `bytes` is borrowed and must outlive the handle. */
TFMDEF tfm_status tfm_weights_open_memory(const void *bytes, size_t size, tfm_weights **out);
TFMDEF void tfm_weights_close(tfm_weights *w);

TFMDEF int64_t tfm_weights_count(const tfm_weights *w);
/* Tensors sorted by name. Borrowed: valid until tfm_weights_close. */
TFMDEF const tfm_tensor_info *tfm_weights_info(const tfm_weights *w, int64_t index);
/* Exact name lookup (hash); NULL and TFM_ERR_NOT_FOUND in tfm_last_error() if absent. */
TFMDEF const tfm_tensor_info *tfm_weights_find(const tfm_weights *w, const char *name);
TFMDEF int tfm_weights_shard_count(const tfm_weights *w);
TFMDEF const char *tfm_weights_shard_path(const tfm_weights *w, int shard);
/* __metadata__ value of the first file (or the index's "metadata" for sharded folders). */
TFMDEF const char *tfm_weights_metadata(const tfm_weights *w, const char *key);
TFMDEF int64_t tfm_weights_metadata_count(const tfm_weights *w);
TFMDEF const char *tfm_weights_metadata_key(const tfm_weights *w, int64_t index);

/* Raw little-endian bytes of a tensor, zero-copy from the mapping. Borrowed until close.
   Maps the tensor's shard on first use (thread-safe). */
TFMDEF tfm_status tfm_weights_data(tfm_weights *w, const tfm_tensor_info *t, const void **data);
/* Converts a tensor to f32 into dst (capacity in elements, must be >= t->numel). */
TFMDEF tfm_status tfm_weights_read_f32(tfm_weights *w, const tfm_tensor_info *t, float *dst, int64_t capacity);
/* A view of a tensor for the kernels: f32, f16 and bf16 data stay zero-copy when aligned;
   misaligned data and other dtypes are converted to f32 into a buffer owned by `w`. */
TFMDEF tfm_status tfm_weights_tensor(tfm_weights *w, const char *name, tfm_tensor *out);

/* Writes tensors to a safetensors file, sorted as the reference writer does (dtype size
   descending, then name) with the header padded to a multiple of 8. metadata_kv holds
   n_metadata key/value string pairs (may be NULL). Names must be unique. */
TFMDEF tfm_status tfm_safetensors_write(const char *path, const tfm_tensor *tensors, const char *const *names,
                                        int64_t n_tensors, const char *const *metadata_kv, int64_t n_metadata);

/* ===========================================================================================
   [API 6] config.json
   =========================================================================================== */

typedef struct tfm_config tfm_config;

/* Loads DIR/config.json, or the JSON file itself. Caller frees with tfm_config_free. */
TFMDEF tfm_status tfm_config_load(const char *path, tfm_config **out);
TFMDEF tfm_status tfm_config_parse(const char *text, size_t len, tfm_config **out);
TFMDEF void tfm_config_free(tfm_config *cfg);
TFMDEF const tfm_json *tfm_config_json(const tfm_config *cfg);
/* Typed getters with HF's attribute aliases: hidden_size = n_embd = d_model, num_hidden_layers =
   n_layer = num_layers, num_attention_heads = n_head, intermediate_size = n_inner,
   max_position_embeddings = n_positions = n_ctx, layer_norm_eps = layer_norm_epsilon. A key is
   found under its own name first, then under each alias, then `text_config` nesting is NOT
   searched (callers pick the sub-config explicitly). */
TFMDEF int64_t tfm_config_int(const tfm_config *cfg, const char *key, int64_t fallback);
TFMDEF double tfm_config_float(const tfm_config *cfg, const char *key, double fallback);
TFMDEF int tfm_config_bool(const tfm_config *cfg, const char *key, int fallback);
TFMDEF const char *tfm_config_str(const tfm_config *cfg, const char *key, const char *fallback);
TFMDEF const tfm_json *tfm_config_get(const tfm_config *cfg, const char *key);

/* ===========================================================================================
   [API 7] kernels
   The compute layer models call. Every op takes a tfm_ctx: the thread pool, the kernel family,
   and (later) the backend that owns the memory. All float data is f32 unless a tfm_tensor
   carries another dtype; weights may be F16/BF16 and are widened inside the kernels.
   =========================================================================================== */

typedef enum tfm_isa { TFM_ISA_AUTO = 0, TFM_ISA_SCALAR, TFM_ISA_AVX2, TFM_ISA_AVX512, TFM_ISA_NEON } tfm_isa;
TFMDEF const char *tfm_isa_name(tfm_isa isa);
/* Best family the CPU and this build support (honours TFM_ISA from the environment). */
TFMDEF tfm_isa tfm_isa_best(void);
TFMDEF int tfm_isa_available(tfm_isa isa);

/* Where an op runs. Only the CPU exists in this version; a CUDA backend will take the same calls
   with device pointers, so model code is written once against tfm_ctx. */
typedef enum tfm_backend { TFM_BACKEND_CPU = 0 } tfm_backend;

/* Zero-initialised means: calling thread only, best kernels, CPU. */
typedef struct tfm_ctx {
    tfm_pool *pool;      /* borrowed; NULL runs on the calling thread */
    tfm_isa isa;         /* TFM_ISA_AUTO: tfm_isa_best() */
    tfm_backend backend; /* TFM_BACKEND_CPU */
} tfm_ctx;

/* C[M,N] = alpha * A[M,K] . op(B) + beta * C, all row-major with leading dimensions.
   B is a tensor: f32, f16 or bf16. trans_b != 0: B is [N,K] (PyTorch nn.Linear weight layout,
   ldb >= K); else B is [K,N] (ldb >= N). beta == 0 ignores C's old contents (NaN too). */
TFMDEF tfm_status tfm_gemm(const tfm_ctx *ctx, int trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                           const float *A, int64_t lda, tfm_dtype b_dtype, const void *B, int64_t ldb,
                           float beta, float *C, int64_t ldc);
/* Same with `batch` independent problems, A/B/C advancing by the given element strides. */
TFMDEF tfm_status tfm_gemm_batched(const tfm_ctx *ctx, int64_t batch, int trans_b, int64_t M, int64_t N, int64_t K,
                                   float alpha, const float *A, int64_t lda, int64_t stride_a, tfm_dtype b_dtype,
                                   const void *B, int64_t ldb, int64_t stride_b, float beta, float *C, int64_t ldc,
                                   int64_t stride_c);
/* y[M,N] = x[M,K] . W^T + bias, W a 2-D tensor [N,K] (f32/f16/bf16); bias may be NULL (f32 [N]). */
TFMDEF tfm_status tfm_linear(const tfm_ctx *ctx, const float *x, int64_t M, int64_t K, const tfm_tensor *W,
                             const float *bias, float *y);

/* Row-wise ops over `rows` rows of `cols` contiguous floats; in-place allowed (y == x). */
TFMDEF void tfm_layer_norm(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, const float *gamma,
                           const float *beta, float eps, float *y);
TFMDEF void tfm_rms_norm(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, const float *gamma,
                         float eps, float *y);
/* softmax(scale * x + mask) per row; mask may be NULL or [rows, cols] additive (-inf allowed). A row
   whose every entry is -inf gives zeros (torch gives NaN; zeros keep padded rows harmless). */
TFMDEF void tfm_softmax(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, float scale,
                        const float *mask, float *y);

typedef enum tfm_act {
    TFM_ACT_IDENTITY = 0, TFM_ACT_RELU, TFM_ACT_GELU, TFM_ACT_GELU_TANH, TFM_ACT_SILU, TFM_ACT_SIGMOID,
    TFM_ACT_TANH, TFM_ACT_QUICK_GELU
} tfm_act;
/* Maps config.json hidden_act names ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu", "silu",
   "swish", "quick_gelu", "tanh", "sigmoid"); TFM_ERR_UNSUPPORTED for others. */
TFMDEF tfm_status tfm_act_from_name(const char *name, tfm_act *out);
TFMDEF void tfm_activation(const tfm_ctx *ctx, tfm_act act, const float *x, int64_t n, float *y);
/* y[i] = act(gate[i]) * up[i] (SwiGLU with TFM_ACT_SILU). */
TFMDEF void tfm_glu(const tfm_ctx *ctx, tfm_act act, const float *gate, const float *up, int64_t n, float *y);

TFMDEF void tfm_add(const float *a, const float *b, int64_t n, float *y);
TFMDEF void tfm_mul(const float *a, const float *b, int64_t n, float *y);
TFMDEF void tfm_scale(const float *x, float s, int64_t n, float *y);
/* y[r, :] += bias for each of rows rows. */
TFMDEF void tfm_add_bias(float *y, int64_t rows, int64_t cols, const float *bias);

/* Gathers rows of an embedding table (f32/f16/bf16 [vocab, dim]) into y[n, dim]; ids outside
   [0, vocab) give TFM_ERR_INVALID_ARGUMENT. */
TFMDEF tfm_status tfm_embedding(const tfm_tensor *table, const int64_t *ids, int64_t n, float *y);

/* Rotary embedding in place on x[heads, seq, head_dim] (rows contiguous) with cos/sin [seq, rot_dim]
   laid out as HF builds them (cat(freqs, freqs)). rot_dim <= head_dim (partial rotary).
   interleaved == 0: rotate_half pairs (i, i + rot_dim/2) as HF Llama; 1: pairs (2i, 2i+1), GPT-J. */
TFMDEF void tfm_rope(float *x, int64_t heads, int64_t seq, int64_t head_dim, int64_t rot_dim, const float *cos,
                     const float *sin, int interleaved);
/* cos/sin tables [seq, rot_dim] for positions pos0..pos0+seq-1, inv_freq[rot_dim/2]. */
TFMDEF void tfm_rope_tables(const float *inv_freq, int64_t rot_dim, int64_t pos0, int64_t seq, float attention_scaling,
                            float *cos, float *sin);

/* Scaled dot-product attention. q [B, Hq, Sq, D], k/v [B, Hkv, Sk, D] (Hq % Hkv == 0, grouped
   query), out [B, Hq, Sq, D], all contiguous. key_mask: NULL or [B, Sk] with 1 = attend, 0 = pad.
   causal: query i (aligned to the end of the keys) sees keys j <= i + (Sk - Sq). scale <= 0 means
   1/sqrt(D). scratch: tfm_attention_scratch_size() floats, or NULL to allocate internally. */
typedef struct tfm_attention_params {
    int64_t batch, q_heads, kv_heads, q_len, kv_len, head_dim;
    float scale;
    int causal;
    const uint8_t *key_mask;
} tfm_attention_params;
TFMDEF size_t tfm_attention_scratch_size(const tfm_ctx *ctx, const tfm_attention_params *p);
TFMDEF tfm_status tfm_attention(const tfm_ctx *ctx, const tfm_attention_params *p, const float *q, const float *k,
                                const float *v, float *out, float *scratch);

/* 1-D convolution, x [B, Cin, L], w [Cout, Cin/groups, Kw] (f32/f16/bf16), bias [Cout] or NULL,
   out [B, Cout, Lout] with Lout = (L + 2*pad - dil*(Kw-1) - 1)/stride + 1. */
TFMDEF tfm_status tfm_conv1d(const tfm_ctx *ctx, const float *x, int64_t batch, int64_t c_in, int64_t length,
                             const tfm_tensor *w, const float *bias, int64_t stride, int64_t pad, int64_t dilation,
                             int64_t groups, float *out);
/* 2-D convolution, x [B, Cin, H, W], w [Cout, Cin/groups, Kh, Kw], out [B, Cout, Ho, Wo]. */
TFMDEF tfm_status tfm_conv2d(const tfm_ctx *ctx, const float *x, int64_t batch, int64_t c_in, int64_t height,
                             int64_t width, const tfm_tensor *w, const float *bias, int64_t stride_h, int64_t stride_w,
                             int64_t pad_h, int64_t pad_w, int64_t groups, float *out);
/* Output length of a convolution axis; -1 if the input is too short. */
TFMDEF int64_t tfm_conv_out_len(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation);

/* Permutes a contiguous f32 array of shape `shape` (ndim <= TFM_MAX_DIMS) so that output axis i is
   input axis perm[i]. */
TFMDEF tfm_status tfm_permute(const float *x, int ndim, const int64_t *shape, const int *perm, float *y);

/* Bump allocator for forward-pass activations: reserve once, reset per pass, no malloc in layers.
   Caller frees with tfm_arena_free. Allocations are 64-byte aligned. */
typedef struct tfm_arena {
    unsigned char *base;
    size_t size, used, peak;
} tfm_arena;
TFMDEF tfm_status tfm_arena_init(tfm_arena *arena, size_t bytes);
TFMDEF void *tfm_arena_alloc(tfm_arena *arena, size_t bytes); /* NULL + TFM_ERR_LIMIT when full */
TFMDEF void tfm_arena_reset(tfm_arena *arena);
TFMDEF void tfm_arena_free(tfm_arena *arena);

#ifdef __cplusplus
}
#endif
#endif /* TRANSFORMERS_H */

/* =============================================================================================
   =============================================================================================
   IMPLEMENTATION
   =============================================================================================
   ============================================================================================= */
#ifdef TRANSFORMERS_IMPLEMENTATION
#ifndef TRANSFORMERS_IMPLEMENTATION_DONE
#define TRANSFORMERS_IMPLEMENTATION_DONE

#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(TFM_MALLOC) && defined(TFM_FREE) && defined(TFM_REALLOC)
/* all three supplied */
#elif !defined(TFM_MALLOC) && !defined(TFM_FREE) && !defined(TFM_REALLOC)
#define TFM_MALLOC(sz) malloc(sz)
#define TFM_REALLOC(p, sz) realloc(p, sz)
#define TFM_FREE(p) free(p)
#else
#error "transformers.h: define all of TFM_MALLOC, TFM_REALLOC and TFM_FREE, or none"
#endif

#ifndef TFM_ASSERT
#include <assert.h>
#define TFM_ASSERT(x) assert(x)
#endif

#ifndef TFM_MAX_JSON_DEPTH
#define TFM_MAX_JSON_DEPTH 128
#endif
#ifndef TFM_MAX_HEADER_BYTES
#define TFM_MAX_HEADER_BYTES 100000000u
#endif

#if defined(_WIN32)
#define TFM__WINDOWS 1
#ifndef TFM_NO_THREADS
#define TFM_NO_THREADS /* Win32 threads are not written yet: run serially */
#endif
#ifndef TFM_NO_MMAP
#define TFM_NO_MMAP
#endif
#else
#include <sys/stat.h>
#include <unistd.h>
#ifndef TFM_NO_MMAP
#include <fcntl.h>
#include <sys/mman.h>
#endif
#ifndef TFM_NO_THREADS
#include <pthread.h>
#endif
#endif

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#define TFM__X86 1
#endif
#if defined(__aarch64__) && defined(__ARM_NEON) && !defined(TFM_NO_SIMD)
#define TFM__NEON 1
#include <arm_neon.h>
#endif
#if defined(TFM__X86) && !defined(TFM_NO_SIMD) && (defined(__GNUC__) || defined(__clang__))
#define TFM__X86_SIMD 1
#include <immintrin.h>
#if !defined(TFM_NO_AVX512)
#define TFM__AVX512 1
#endif
#endif

#if defined(__cplusplus)
#define TFM__THREAD_LOCAL thread_local
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L && !defined(__STDC_NO_THREADS__)
#define TFM__THREAD_LOCAL _Thread_local
#elif defined(__GNUC__) || defined(__clang__)
#define TFM__THREAD_LOCAL __thread
#elif defined(_MSC_VER)
#define TFM__THREAD_LOCAL __declspec(thread)
#else
#define TFM__THREAD_LOCAL /* no TLS: last-error text is shared between threads */
#endif

#if defined(__GNUC__) || defined(__clang__)
#define TFM__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define TFM__LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define TFM__PRINTF(a, b)
#define TFM__LIKELY(x) (x)
#endif

#define TFM__MIN(a, b) ((a) < (b) ? (a) : (b))
#define TFM__MAX(a, b) ((a) > (b) ? (a) : (b))
#define TFM__UNUSED(x) ((void)(x))

/* =============================================================================================
   [SECTION 1] base: errors, allocation, files, arena
   Owns the thread-local error message, the log sink, checked size arithmetic, the aligned
   allocator and whole-file access (mmap or read).
   ============================================================================================= */

static TFM__THREAD_LOCAL char tfm__error_text[512];
static tfm_log_fn tfm__log_fn = NULL;
static void *tfm__log_user = NULL;

TFMDEF const char *tfm_version(void) { return TFM_VERSION_STRING; }

TFMDEF const char *tfm_status_string(tfm_status status) {
    switch (status) {
    case TFM_OK: return "TFM_OK";
    case TFM_ERR_INVALID_ARGUMENT: return "TFM_ERR_INVALID_ARGUMENT";
    case TFM_ERR_IO: return "TFM_ERR_IO";
    case TFM_ERR_FORMAT: return "TFM_ERR_FORMAT";
    case TFM_ERR_OUT_OF_MEMORY: return "TFM_ERR_OUT_OF_MEMORY";
    case TFM_ERR_NOT_FOUND: return "TFM_ERR_NOT_FOUND";
    case TFM_ERR_UNSUPPORTED: return "TFM_ERR_UNSUPPORTED";
    case TFM_ERR_SHAPE: return "TFM_ERR_SHAPE";
    case TFM_ERR_LIMIT: return "TFM_ERR_LIMIT";
    }
    return "TFM_ERR_UNKNOWN";
}

TFMDEF const char *tfm_last_error(void) { return tfm__error_text; }
TFMDEF void tfm_clear_error(void) { tfm__error_text[0] = 0; }

TFMDEF void tfm_set_log_callback(tfm_log_fn fn, void *user_data) {
    tfm__log_fn = fn;
    tfm__log_user = user_data;
}

static void tfm__log(tfm_log_level level, const char *fmt, ...) TFM__PRINTF(2, 3);
static void tfm__log(tfm_log_level level, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    if (!tfm__log_fn) return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tfm__log_fn(level, buf, tfm__log_user);
}

/* Records the message and returns the status so callers can `return tfm__fail(...)`. */
static tfm_status tfm__fail(tfm_status status, const char *fmt, ...) TFM__PRINTF(2, 3);
static tfm_status tfm__fail(tfm_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tfm__error_text, sizeof tfm__error_text, fmt, ap);
    va_end(ap);
    tfm__log(TFM_LOG_DEBUG, "%s: %s", tfm_status_string(status), tfm__error_text);
    return status;
}

/* Prepends context ("model.safetensors: ") to the current message. */
static tfm_status tfm__prefix_error(tfm_status status, const char *prefix) {
    char tmp[sizeof tfm__error_text];
    size_t n;
    if (!prefix || !*prefix) return status;
    memcpy(tmp, tfm__error_text, sizeof tmp);
    n = strlen(prefix);
    if (n > 255) n = 255;
    memcpy(tfm__error_text, prefix, n);
    memcpy(tfm__error_text + n, ": ", 2);
    memcpy(tfm__error_text + n + 2, tmp, sizeof tfm__error_text - n - 3);
    tfm__error_text[sizeof tfm__error_text - 1] = 0;
    return status;
}

static void *tfm__malloc(size_t n) { return TFM_MALLOC(n ? n : 1); }
static void *tfm__calloc(size_t count, size_t size) {
    void *p;
    if (size && count > SIZE_MAX / size) return NULL;
    p = tfm__malloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}
TFMDEF void tfm_free(void *p) {
    if (p) TFM_FREE(p);
}

/* 64-byte aligned blocks on top of TFM_MALLOC: the offset to the raw block sits just before. */
static void *tfm__aligned_alloc(size_t n) {
    unsigned char *raw, *p;
    if (n > SIZE_MAX - 64 - sizeof(void *)) return NULL;
    raw = (unsigned char *)TFM_MALLOC(n + 64 + sizeof(void *));
    if (!raw) return NULL;
    p = (unsigned char *)(((uintptr_t)(raw + sizeof(void *)) + 63) & ~(uintptr_t)63);
    memcpy(p - sizeof(void *), &raw, sizeof(void *));
    return p;
}
static void tfm__aligned_free(void *p) {
    void *raw;
    if (!p) return;
    memcpy(&raw, (unsigned char *)p - sizeof(void *), sizeof(void *));
    TFM_FREE(raw);
}

static char *tfm__strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)tfm__malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Checked arithmetic: return 0 on overflow. */
static int tfm__mul_u64(uint64_t a, uint64_t b, uint64_t *out) {
    if (a && b > UINT64_MAX / a) return 0;
    *out = a * b;
    return 1;
}

/* Joins a folder and a file name into a fresh string; caller frees with tfm_free. */
static char *tfm__path_join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    char *p = (char *)tfm__malloc(a + b + 2);
    if (!p) return NULL;
    memcpy(p, dir, a);
    if (a && dir[a - 1] != '/') p[a++] = '/';
    memcpy(p + a, name, b + 1);
    return p;
}

static char *tfm__path_dirname(const char *path) {
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char *d;
    if (!slash) return tfm__strdup(".");
    if (n == 0) n = 1; /* "/file" */
    d = (char *)tfm__malloc(n + 1);
    if (!d) return NULL;
    memcpy(d, path, n);
    d[n] = 0;
    return d;
}

/* 1 directory, 0 regular file or other, -1 missing. */
static int tfm__path_kind(const char *path) {
#if defined(TFM__WINDOWS)
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fclose(f);
    return 0;
#else
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return S_ISDIR(st.st_mode) ? 1 : 0;
#endif
}

/* A whole file in memory: mapped read-only, or read into a malloc'd buffer. */
typedef struct tfm__file {
    const unsigned char *data;
    size_t size;
    int mapped;
} tfm__file;

static tfm_status tfm__file_open(const char *path, tfm__file *f) {
    memset(f, 0, sizeof *f);
#if !defined(TFM_NO_MMAP)
    {
        struct stat st;
        void *p;
        int fd = open(path, O_RDONLY);
        if (fd < 0) return tfm__fail(TFM_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
        if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            close(fd);
            return tfm__fail(TFM_ERR_IO, "'%s' is not a regular file", path);
        }
        if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
            close(fd);
            return tfm__fail(TFM_ERR_LIMIT, "'%s' is too large to map", path);
        }
        f->size = (size_t)st.st_size;
        if (f->size == 0) {
            close(fd);
            f->data = (const unsigned char *)"";
            return TFM_OK;
        }
        p = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (p != MAP_FAILED) {
            f->data = (const unsigned char *)p;
            f->mapped = 1;
            return TFM_OK;
        }
        /* fall through to reading (e.g. filesystems without mmap) */
    }
#endif
    {
        FILE *fp = fopen(path, "rb");
        long end;
        unsigned char *buf;
        if (!fp) return tfm__fail(TFM_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
        if (fseek(fp, 0, SEEK_END) != 0 || (end = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
            fclose(fp);
            return tfm__fail(TFM_ERR_IO, "cannot size '%s'", path);
        }
        buf = (unsigned char *)tfm__malloc((size_t)end + 1);
        if (!buf) {
            fclose(fp);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "no memory to read '%s' (%ld bytes)", path, end);
        }
        if (fread(buf, 1, (size_t)end, fp) != (size_t)end) {
            fclose(fp);
            TFM_FREE(buf);
            return tfm__fail(TFM_ERR_IO, "short read on '%s'", path);
        }
        fclose(fp);
        buf[end] = 0;
        f->data = buf;
        f->size = (size_t)end;
        f->mapped = 0;
    }
    return TFM_OK;
}

static void tfm__file_close(tfm__file *f) {
    if (!f->data || f->size == 0) {
        memset(f, 0, sizeof *f);
        return;
    }
#if !defined(TFM_NO_MMAP)
    if (f->mapped) munmap((void *)f->data, f->size);
    else
#endif
        TFM_FREE((void *)f->data);
    memset(f, 0, sizeof *f);
}

TFMDEF tfm_status tfm_arena_init(tfm_arena *arena, size_t bytes) {
    if (!arena) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_arena_init: NULL arena");
    memset(arena, 0, sizeof *arena);
    arena->base = (unsigned char *)tfm__aligned_alloc(bytes);
    if (!arena->base) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "arena of %zu bytes", bytes);
    arena->size = bytes;
    return TFM_OK;
}
TFMDEF void *tfm_arena_alloc(tfm_arena *arena, size_t bytes) {
    size_t start, rounded;
    if (!arena || !arena->base) return NULL;
    start = (arena->used + 63) & ~(size_t)63;
    rounded = (bytes + 63) & ~(size_t)63;
    if (rounded < bytes || start > arena->size || rounded > arena->size - start) {
        tfm__fail(TFM_ERR_LIMIT, "arena full: %zu of %zu bytes used, %zu more asked", arena->used, arena->size, bytes);
        return NULL;
    }
    arena->used = start + rounded;
    if (arena->used > arena->peak) arena->peak = arena->used;
    return arena->base + start;
}
TFMDEF void tfm_arena_reset(tfm_arena *arena) {
    if (arena) arena->used = 0;
}
TFMDEF void tfm_arena_free(tfm_arena *arena) {
    if (!arena) return;
    tfm__aligned_free(arena->base);
    memset(arena, 0, sizeof *arena);
}


/* =============================================================================================
   [SECTION 2] JSON parser
   Owns tfm_json documents. Strict RFC 8259: no comments, no trailing commas, no NaN, strings
   must be valid UTF-8 with escapes fully decoded (surrogate pairs joined, lone surrogates
   rejected). All nodes and strings of a document live in one chunked arena, so a parse costs a
   handful of mallocs whatever the size and tfm_json_free releases everything at once.
   ============================================================================================= */

struct tfm_json {
    int type;            /* tfm_json_type */
    int is_int;          /* number literal that is an integer fitting int64 */
    size_t len;          /* items of an array/object, bytes of a string */
    const char *key;     /* member name when inside an object */
    union {
        double num;
        const char *str;
        struct tfm_json *items;
    } u;
    int64_t ival;
};

typedef struct tfm__chunk {
    struct tfm__chunk *next;
    size_t used, size;
    /* data follows, 16-byte aligned */
} tfm__chunk;

typedef struct tfm__json_doc {
    tfm_json root; /* first member: a root pointer is the document pointer */
    tfm__chunk *chunks;
} tfm__json_doc;

typedef struct tfm__json_parser {
    const char *text, *end, *p;
    const char *what;
    tfm__json_doc *doc;
    tfm_json *stack; /* children of the containers being parsed */
    size_t stack_len, stack_cap;
    int failed;
    char decimal_point; /* LC_NUMERIC's, for strtod */
} tfm__json_parser;

#define TFM__CHUNK_HEADER ((sizeof(tfm__chunk) + 15) & ~(size_t)15)

static void *tfm__chunk_alloc(tfm__chunk **head, size_t bytes) {
    tfm__chunk *c = *head;
    bytes = (bytes + 15) & ~(size_t)15;
    if (!c || c->size - c->used < bytes) {
        size_t size = TFM__MAX(bytes, (size_t)1 << 16);
        if (c && c->size < ((size_t)1 << 24)) size = TFM__MAX(bytes, c->size * 2); /* grow geometrically */
        c = (tfm__chunk *)tfm__malloc(TFM__CHUNK_HEADER + size);
        if (!c) return NULL;
        c->next = *head;
        c->used = 0;
        c->size = size;
        *head = c;
    }
    c->used += bytes;
    return (unsigned char *)c + TFM__CHUNK_HEADER + c->used - bytes;
}

static void tfm__chunks_free(tfm__chunk *c) {
    while (c) {
        tfm__chunk *next = c->next;
        TFM_FREE(c);
        c = next;
    }
}

static tfm_json *tfm__json_error(tfm__json_parser *ps, const char *at, const char *msg) {
    const char *q;
    long line = 1, col = 1;
    if (ps->failed) return NULL;
    ps->failed = 1;
    if (at > ps->end) at = ps->end;
    for (q = ps->text; q < at; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*q & 0xc0) != 0x80) {
            col++; /* columns count characters, not bytes */
        }
    }
    tfm__fail(TFM_ERR_FORMAT, "%s%sJSON line %ld, column %ld: %s", ps->what ? ps->what : "", ps->what ? ": " : "", line,
              col, msg);
    return NULL;
}

static void tfm__json_skip_ws(tfm__json_parser *ps) {
    const char *p = ps->p, *e = ps->end;
    while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    ps->p = p;
}

/* Length of the UTF-8 sequence at p (1-4), or 0 if invalid (overlong, surrogate, > U+10FFFF). */
static int tfm__utf8_valid_len(const unsigned char *p, const unsigned char *e) {
    unsigned c = p[0];
    if (c < 0x80) return 1;
    if (c < 0xc2 || c > 0xf4) return 0;
    if (c < 0xe0) return (e - p >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
    if (c < 0xf0) {
        if (e - p < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80) return 0;
        if (c == 0xe0 && p[1] < 0xa0) return 0; /* overlong */
        if (c == 0xed && p[1] >= 0xa0) return 0; /* UTF-16 surrogate */
        return 3;
    }
    if (e - p < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80) return 0;
    if (c == 0xf0 && p[1] < 0x90) return 0;
    if (c == 0xf4 && p[1] >= 0x90) return 0;
    return 4;
}

static int tfm__utf8_valid(const char *s, size_t n) {
    size_t k = 0;
    while (k < n) {
        int len = tfm__utf8_valid_len((const unsigned char *)s + k, (const unsigned char *)s + n);
        if (!len) return 0;
        k += (size_t)len;
    }
    return 1;
}

static size_t tfm__utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static int tfm__hex4(const char *p, uint32_t *out) {
    int i;
    uint32_t v = 0;
    for (i = 0; i < 4; i++) {
        char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

/* Parses the string starting at the opening quote into arena memory. */
static const char *tfm__json_string(tfm__json_parser *ps, size_t *out_len) {
    const char *start = ps->p + 1, *p = start, *e = ps->end;
    int has_escape = 0;
    char *buf, *o;
    /* pass 1: find the end quote and validate raw bytes */
    while (p < e && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c == '\\') {
            has_escape = 1;
            if (p + 1 >= e) break;
            p += 2;
        } else if (c < 0x20) {
            tfm__json_error(ps, p, "control character in string (must be escaped)");
            return NULL;
        } else if (c < 0x80) {
            p++;
        } else {
            int n = tfm__utf8_valid_len((const unsigned char *)p, (const unsigned char *)e);
            if (!n) {
                tfm__json_error(ps, p, "invalid UTF-8 in string");
                return NULL;
            }
            p += n;
        }
    }
    if (p >= e) {
        tfm__json_error(ps, ps->p, "unterminated string");
        return NULL;
    }
    buf = (char *)tfm__chunk_alloc(&ps->doc->chunks, (size_t)(p - start) + 1);
    if (!buf) {
        ps->failed = 1;
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "JSON string of %zu bytes", (size_t)(p - start));
        return NULL;
    }
    if (!has_escape) {
        memcpy(buf, start, (size_t)(p - start));
        buf[p - start] = 0;
        *out_len = (size_t)(p - start);
        ps->p = p + 1;
        return buf;
    }
    /* pass 2: decode escapes (output never longer than input) */
    o = buf;
    for (p = start; *p != '"';) {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        switch (p[1]) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (e - p < 6 || !tfm__hex4(p + 2, &cp)) {
                tfm__json_error(ps, p, "bad \\u escape");
                return NULL;
            }
            if (cp >= 0xdc00 && cp <= 0xdfff) {
                tfm__json_error(ps, p, "lone low surrogate in \\u escape");
                return NULL;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (e - p < 12 || p[6] != '\\' || p[7] != 'u' || !tfm__hex4(p + 8, &lo) || lo < 0xdc00 || lo > 0xdfff) {
                    tfm__json_error(ps, p, "high surrogate not followed by a low surrogate");
                    return NULL;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            }
            o += tfm__utf8_encode(cp, o);
            p += 6;
            continue;
        }
        default: tfm__json_error(ps, p, "invalid escape"); return NULL;
        }
        p += 2;
    }
    *o = 0;
    *out_len = (size_t)(o - buf);
    ps->p = p + 1;
    return buf;
}

static int tfm__json_number(tfm__json_parser *ps, tfm_json *node) {
    const char *p = ps->p, *e = ps->end, *start = p;
    int is_int = 1;
    char buf[64], *heap = NULL, *num;
    size_t n;
    const char *dp;
    if (p < e && *p == '-') p++;
    if (p >= e || *p < '0' || *p > '9') {
        tfm__json_error(ps, start, "invalid value");
        return 0;
    }
    if (*p == '0') {
        p++;
        if (p < e && *p >= '0' && *p <= '9') {
            tfm__json_error(ps, start, "leading zero in number");
            return 0;
        }
    } else {
        while (p < e && *p >= '0' && *p <= '9') p++;
    }
    if (p < e && *p == '.') {
        is_int = 0;
        p++;
        if (p >= e || *p < '0' || *p > '9') {
            tfm__json_error(ps, p, "digit expected after decimal point");
            return 0;
        }
        while (p < e && *p >= '0' && *p <= '9') p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        is_int = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-')) p++;
        if (p >= e || *p < '0' || *p > '9') {
            tfm__json_error(ps, p, "digit expected in exponent");
            return 0;
        }
        while (p < e && *p >= '0' && *p <= '9') p++;
    }
    n = (size_t)(p - start);
    node->type = TFM_JSON_NUMBER;
    if (is_int) {
        /* exact int64 when it fits */
        const char *q = start;
        int neg = (*q == '-');
        uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
        int fits = 1;
        if (neg) q++;
        for (; q < p; q++) {
            unsigned d = (unsigned)(*q - '0');
            if (v > (limit - d) / 10) {
                fits = 0;
                break;
            }
            v = v * 10 + d;
        }
        if (fits) {
            node->is_int = 1;
            node->ival = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
            node->u.num = (neg && v == 0) ? -0.0 : (double)node->ival;
            ps->p = p;
            return 1;
        }
    }
    {
        /* Clinger's fast path: <= 15 significant digits and a power of ten <= 1e22 are both
           exact doubles, so one multiply or divide rounds correctly (most config floats). */
        static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
        const char *q = start;
        uint64_t mant = 0;
        int digits = 0, exp10 = 0, neg = 0, ok = 1, after_point = 0;
        if (*q == '-') {
            neg = 1;
            q++;
        }
        for (; q < p && *q != 'e' && *q != 'E'; q++) {
            if (*q == '.') {
                after_point = 1;
                continue;
            }
            exp10 -= after_point;
            if (digits == 0 && *q == '0') continue; /* leading zeros */
            if (++digits > 15) {
                ok = 0;
                break;
            }
            mant = mant * 10 + (uint64_t)(*q - '0');
        }
        if (ok && q < p) {
            int e = 0, eneg = 0;
            q++;
            if (*q == '+' || *q == '-') eneg = (*q++ == '-');
            for (; q < p && e < 10000; q++) e = e * 10 + (*q - '0');
            if (q < p) ok = 0;
            exp10 += eneg ? -e : e;
        }
        if (ok && exp10 >= -22 && exp10 <= 22) {
            double v = (double)mant;
            v = exp10 < 0 ? v / pow10[-exp10] : v * pow10[exp10];
            node->u.num = neg ? -v : v;
            node->ival = (v >= -9.2e18 && v <= 9.2e18) ? (int64_t)node->u.num : 0;
            ps->p = p;
            return 1;
        }
    }
    /* strtod honours LC_NUMERIC: swap '.' for the locale's decimal point */
    num = buf;
    if (n + 8 > sizeof buf) {
        heap = (char *)tfm__malloc(n + 8);
        if (!heap) {
            ps->failed = 1;
            tfm__fail(TFM_ERR_OUT_OF_MEMORY, "JSON number");
            return 0;
        }
        num = heap;
    }
    memcpy(num, start, n);
    num[n] = 0;
    dp = strchr(num, '.');
    if (dp) num[dp - num] = ps->decimal_point;
    node->u.num = strtod(num, NULL);
    node->ival = (node->u.num >= -9.2e18 && node->u.num <= 9.2e18) ? (int64_t)node->u.num : 0;
    TFM_FREE(heap);
    ps->p = p;
    return 1;
}

static int tfm__json_push(tfm__json_parser *ps, const tfm_json *node) {
    if (ps->stack_len == ps->stack_cap) {
        size_t cap = ps->stack_cap ? ps->stack_cap * 2 : 256;
        tfm_json *s = (tfm_json *)TFM_REALLOC(ps->stack, cap * sizeof(tfm_json));
        if (!s) {
            ps->failed = 1;
            tfm__fail(TFM_ERR_OUT_OF_MEMORY, "JSON parser stack");
            return 0;
        }
        ps->stack = s;
        ps->stack_cap = cap;
    }
    ps->stack[ps->stack_len++] = *node;
    return 1;
}

static int tfm__json_value(tfm__json_parser *ps, tfm_json *node, int depth);

/* Moves the children pushed since `base` into one arena array owned by `node`. */
static int tfm__json_close(tfm__json_parser *ps, tfm_json *node, size_t base) {
    size_t count = ps->stack_len - base;
    node->len = count;
    node->u.items = NULL;
    if (count) {
        node->u.items = (tfm_json *)tfm__chunk_alloc(&ps->doc->chunks, count * sizeof(tfm_json));
        if (!node->u.items) {
            ps->failed = 1;
            tfm__fail(TFM_ERR_OUT_OF_MEMORY, "JSON container of %zu items", count);
            return 0;
        }
        memcpy(node->u.items, ps->stack + base, count * sizeof(tfm_json));
    }
    ps->stack_len = base;
    return 1;
}

static int tfm__json_container(tfm__json_parser *ps, tfm_json *node, int depth) {
    int is_object = (*ps->p == '{');
    char close = is_object ? '}' : ']';
    size_t base = ps->stack_len;
    if (depth >= TFM_MAX_JSON_DEPTH) {
        tfm__json_error(ps, ps->p, "nesting deeper than TFM_MAX_JSON_DEPTH");
        return 0;
    }
    node->type = is_object ? TFM_JSON_OBJECT : TFM_JSON_ARRAY;
    ps->p++;
    tfm__json_skip_ws(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return tfm__json_close(ps, node, base);
    }
    for (;;) {
        tfm_json child;
        memset(&child, 0, sizeof child);
        tfm__json_skip_ws(ps);
        if (is_object) {
            size_t klen;
            if (ps->p >= ps->end || *ps->p != '"') {
                tfm__json_error(ps, ps->p, "object key (a string) expected");
                return 0;
            }
            child.key = tfm__json_string(ps, &klen);
            if (!child.key) return 0;
            tfm__json_skip_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                tfm__json_error(ps, ps->p, "':' expected after object key");
                return 0;
            }
            ps->p++;
        }
        if (!tfm__json_value(ps, &child, depth + 1)) return 0;
        if (!tfm__json_push(ps, &child)) return 0;
        tfm__json_skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return tfm__json_close(ps, node, base);
        }
        tfm__json_error(ps, ps->p, is_object ? "',' or '}' expected" : "',' or ']' expected");
        return 0;
    }
}

static int tfm__json_literal(tfm__json_parser *ps, const char *word, int type, tfm_json *node) {
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        tfm__json_error(ps, ps->p, "invalid value");
        return 0;
    }
    node->type = type;
    ps->p += n;
    return 1;
}

static int tfm__json_value(tfm__json_parser *ps, tfm_json *node, int depth) {
    tfm__json_skip_ws(ps);
    if (ps->p >= ps->end) {
        tfm__json_error(ps, ps->p, "unexpected end of input");
        return 0;
    }
    switch (*ps->p) {
    case '{':
    case '[': return tfm__json_container(ps, node, depth);
    case '"':
        node->type = TFM_JSON_STRING;
        node->u.str = tfm__json_string(ps, &node->len);
        return node->u.str != NULL;
    case 't': return tfm__json_literal(ps, "true", TFM_JSON_TRUE, node);
    case 'f': return tfm__json_literal(ps, "false", TFM_JSON_FALSE, node);
    case 'n': return tfm__json_literal(ps, "null", TFM_JSON_NULL, node);
    default: return tfm__json_number(ps, node);
    }
}

TFMDEF tfm_json *tfm_json_parse(const char *text, size_t len, const char *what) {
    tfm__json_parser ps;
    tfm__json_doc *doc;
    if (!text && len) {
        tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_json_parse: NULL text");
        return NULL;
    }
    doc = (tfm__json_doc *)tfm__calloc(1, sizeof *doc);
    if (!doc) {
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "JSON document");
        return NULL;
    }
    memset(&ps, 0, sizeof ps);
    ps.text = ps.p = text ? text : "";
    ps.end = ps.text + len;
    ps.what = what;
    ps.doc = doc;
    ps.decimal_point = localeconv()->decimal_point[0] ? localeconv()->decimal_point[0] : '.';
    /* a UTF-8 byte-order mark is tolerated, as Python's json with utf-8-sig files */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ps.p += 3;
    if (tfm__json_value(&ps, &doc->root, 0)) {
        tfm__json_skip_ws(&ps);
        if (ps.p != ps.end) tfm__json_error(&ps, ps.p, "trailing characters after the JSON value");
    }
    TFM_FREE(ps.stack);
    if (ps.failed) {
        tfm__chunks_free(doc->chunks);
        TFM_FREE(doc);
        return NULL;
    }
    return &doc->root;
}

TFMDEF tfm_json *tfm_json_parse_file(const char *path) {
    tfm__file f;
    tfm_json *root;
    if (!path) {
        tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_json_parse_file: NULL path");
        return NULL;
    }
    if (tfm__file_open(path, &f) != TFM_OK) return NULL;
    root = tfm_json_parse((const char *)f.data, f.size, path);
    tfm__file_close(&f);
    return root;
}

TFMDEF void tfm_json_free(tfm_json *root) {
    tfm__json_doc *doc = (tfm__json_doc *)root;
    if (!doc) return;
    tfm__chunks_free(doc->chunks);
    TFM_FREE(doc);
}

TFMDEF tfm_json_type tfm_json_kind(const tfm_json *node) { return node ? (tfm_json_type)node->type : TFM_JSON_NULL; }
TFMDEF size_t tfm_json_len(const tfm_json *node) {
    if (!node) return 0;
    return (node->type == TFM_JSON_ARRAY || node->type == TFM_JSON_OBJECT || node->type == TFM_JSON_STRING) ? node->len : 0;
}
TFMDEF const tfm_json *tfm_json_get(const tfm_json *object, const char *key) {
    size_t i;
    if (!object || !key || object->type != TFM_JSON_OBJECT) return NULL;
    for (i = object->len; i-- > 0;) {
        if (strcmp(object->u.items[i].key, key) == 0) return &object->u.items[i];
    }
    return NULL;
}
TFMDEF const tfm_json *tfm_json_at(const tfm_json *node, size_t index) {
    if (!node || (node->type != TFM_JSON_ARRAY && node->type != TFM_JSON_OBJECT) || index >= node->len) return NULL;
    return &node->u.items[index];
}
TFMDEF const char *tfm_json_key_at(const tfm_json *object, size_t index) {
    if (!object || object->type != TFM_JSON_OBJECT || index >= object->len) return NULL;
    return object->u.items[index].key;
}
TFMDEF const char *tfm_json_str(const tfm_json *node) {
    return (node && node->type == TFM_JSON_STRING) ? node->u.str : NULL;
}
TFMDEF const char *tfm_json_str_or(const tfm_json *node, const char *fallback) {
    const char *s = tfm_json_str(node);
    return s ? s : fallback;
}
TFMDEF double tfm_json_num(const tfm_json *node, double fallback) {
    return (node && node->type == TFM_JSON_NUMBER) ? node->u.num : fallback;
}
TFMDEF int tfm_json_is_int(const tfm_json *node) { return node && node->type == TFM_JSON_NUMBER && node->is_int; }
TFMDEF int64_t tfm_json_int(const tfm_json *node, int64_t fallback) {
    if (!node || node->type != TFM_JSON_NUMBER) return fallback;
    if (node->is_int) return node->ival;
    /* 2.0 or 1e3 are integers too (Python configs sometimes write floats) */
    if (node->u.num == floor(node->u.num) && node->u.num >= -9.2e18 && node->u.num <= 9.2e18) return (int64_t)node->u.num;
    return fallback;
}
TFMDEF int tfm_json_bool(const tfm_json *node, int fallback) {
    if (!node) return fallback;
    if (node->type == TFM_JSON_TRUE) return 1;
    if (node->type == TFM_JSON_FALSE) return 0;
    return fallback;
}

/* =============================================================================================
   [SECTION 3] thread pool
   Owns the persistent workers, the parallel-for, and the per-thread scratch buffers the kernels
   pack into. A loop hands out task indices through one atomic counter; which thread runs a task
   never changes what it computes, so results do not depend on the thread count.
   ============================================================================================= */

#if defined(__GNUC__) || defined(__clang__)
#define TFM__ATOMIC_LOAD(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define TFM__ATOMIC_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define TFM__ATOMIC_FETCH_ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_ACQ_REL)
#define TFM__ATOMIC_SUB_FETCH(p, v) __atomic_sub_fetch((p), (v), __ATOMIC_ACQ_REL)
#else
#define TFM__ATOMIC_LOAD(p) (*(p))
#define TFM__ATOMIC_STORE(p, v) (*(p) = (v))
#define TFM__ATOMIC_FETCH_ADD(p, v) ((*(p) += (v)) - (v))
#define TFM__ATOMIC_SUB_FETCH(p, v) (*(p) -= (v))
#endif

#if defined(TFM__X86) && (defined(__GNUC__) || defined(__clang__))
#define TFM__PAUSE() __asm__ __volatile__("pause")
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
#define TFM__PAUSE() __asm__ __volatile__("yield")
#else
#define TFM__PAUSE() ((void)0)
#endif

typedef struct tfm__scratch {
    void *ptr;
    size_t size;
} tfm__scratch;

struct tfm_pool {
    int n_threads;
    int spin;              /* busy-wait rounds before sleeping; 0 when threads outnumber cores */
    tfm__scratch *scratch; /* n_threads + 1 slots: one per thread, the last shared */
#if !defined(TFM_NO_THREADS)
    pthread_t *workers;
    pthread_mutex_t mutex;
    pthread_cond_t work_cv, done_cv;
    int generation; /* bumped for each loop; workers wait for a change */
    int quit;
    int active;     /* workers still inside the current loop */
    tfm_task_fn fn;
    void *arg;
    int64_t n_tasks;
    int64_t next_task;
#endif
};

static void tfm__pool_drain(tfm_pool *pool, int thread_index) {
#if !defined(TFM_NO_THREADS)
    for (;;) {
        int64_t t = TFM__ATOMIC_FETCH_ADD(&pool->next_task, (int64_t)1);
        if (t >= pool->n_tasks) break;
        pool->fn(pool->arg, t, thread_index);
    }
#else
    TFM__UNUSED(pool);
    TFM__UNUSED(thread_index);
#endif
}

#if !defined(TFM_NO_THREADS)
typedef struct tfm__worker_start {
    tfm_pool *pool;
    int index;
} tfm__worker_start;

static void *tfm__worker_main(void *p) {
    tfm_pool *pool = ((tfm__worker_start *)p)->pool;
    int index = ((tfm__worker_start *)p)->index;
    int seen = 0;
    TFM_FREE(p);
    for (;;) {
        int spins;
        /* Spin briefly: back-to-back kernels (one per layer) then skip the futex round trip. */
        for (spins = 0; spins < pool->spin && TFM__ATOMIC_LOAD(&pool->generation) == seen; spins++) TFM__PAUSE();
        pthread_mutex_lock(&pool->mutex);
        while (pool->generation == seen && !pool->quit) pthread_cond_wait(&pool->work_cv, &pool->mutex);
        seen = pool->generation;
        if (pool->quit) {
            pthread_mutex_unlock(&pool->mutex);
            break;
        }
        pthread_mutex_unlock(&pool->mutex);
        tfm__pool_drain(pool, index);
        if (TFM__ATOMIC_SUB_FETCH(&pool->active, 1) == 0) {
            pthread_mutex_lock(&pool->mutex);
            pthread_cond_signal(&pool->done_cv);
            pthread_mutex_unlock(&pool->mutex);
        }
    }
    return NULL;
}
#endif

static int tfm__online_cores(void) {
    long n = 0;
#if !defined(TFM__WINDOWS) && defined(_SC_NPROCESSORS_ONLN)
    n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
    return n > 0 ? (n > 1024 ? 1024 : (int)n) : 1;
}

static int tfm__default_threads(void) {
    const char *env = getenv("TFM_NUM_THREADS");
    long n = 0;
    if (env && *env) n = strtol(env, NULL, 10);
    if (n <= 0) n = tfm__online_cores();
    if (n > 1024) n = 1024;
    return (int)n;
}

TFMDEF tfm_pool *tfm_pool_create(int n_threads) {
    tfm_pool *pool = (tfm_pool *)tfm__calloc(1, sizeof *pool);
    if (!pool) {
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "thread pool");
        return NULL;
    }
    if (n_threads <= 0) n_threads = tfm__default_threads();
#if defined(TFM_NO_THREADS)
    n_threads = 1;
#endif
    pool->n_threads = n_threads;
    /* Spinning only pays while every thread has a core; oversubscribed, it steals the core
       that the thread being waited for needs. */
    pool->spin = n_threads <= tfm__online_cores() ? 4000 : 0;
    pool->scratch = (tfm__scratch *)tfm__calloc((size_t)n_threads + 1, sizeof(tfm__scratch));
    if (!pool->scratch) {
        TFM_FREE(pool);
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "thread pool");
        return NULL;
    }
#if !defined(TFM_NO_THREADS)
    pthread_mutex_init(&pool->mutex, NULL);
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->done_cv, NULL);
    if (n_threads > 1) {
        int i;
        pool->workers = (pthread_t *)tfm__calloc((size_t)n_threads - 1, sizeof(pthread_t));
        if (!pool->workers) {
            tfm_pool_free(pool);
            tfm__fail(TFM_ERR_OUT_OF_MEMORY, "thread pool");
            return NULL;
        }
        for (i = 1; i < n_threads; i++) {
            tfm__worker_start *start = (tfm__worker_start *)tfm__malloc(sizeof *start);
            if (start) {
                start->pool = pool;
                start->index = i;
            }
            if (!start || pthread_create(&pool->workers[i - 1], NULL, tfm__worker_main, start) != 0) {
                TFM_FREE(start);
                pool->n_threads = i; /* keep the workers that started */
                break;
            }
        }
    }
#endif
    return pool;
}

TFMDEF void tfm_pool_free(tfm_pool *pool) {
    int i;
    if (!pool) return;
#if !defined(TFM_NO_THREADS)
    if (pool->workers) {
        pthread_mutex_lock(&pool->mutex);
        pool->quit = 1;
        pthread_cond_broadcast(&pool->work_cv);
        pthread_mutex_unlock(&pool->mutex);
        for (i = 1; i < pool->n_threads; i++) pthread_join(pool->workers[i - 1], NULL);
        TFM_FREE(pool->workers);
    }
    pthread_mutex_destroy(&pool->mutex);
    pthread_cond_destroy(&pool->work_cv);
    pthread_cond_destroy(&pool->done_cv);
#endif
    for (i = 0; i <= pool->n_threads; i++) tfm__aligned_free(pool->scratch[i].ptr);
    TFM_FREE(pool->scratch);
    TFM_FREE(pool);
}

TFMDEF int tfm_pool_threads(const tfm_pool *pool) { return pool ? pool->n_threads : 1; }

TFMDEF void tfm_pool_for(tfm_pool *pool, int64_t n_tasks, tfm_task_fn fn, void *arg) {
    int64_t t;
    if (n_tasks <= 0 || !fn) return;
#if !defined(TFM_NO_THREADS)
    if (pool && pool->n_threads > 1 && n_tasks > 1) {
        pthread_mutex_lock(&pool->mutex);
        pool->fn = fn;
        pool->arg = arg;
        pool->n_tasks = n_tasks;
        pool->next_task = 0;
        pool->active = pool->n_threads - 1;
        TFM__ATOMIC_STORE(&pool->generation, pool->generation + 1);
        pthread_cond_broadcast(&pool->work_cv);
        pthread_mutex_unlock(&pool->mutex);
        tfm__pool_drain(pool, 0);
        {
            int spins;
            for (spins = 0; spins < 4 * pool->spin && TFM__ATOMIC_LOAD(&pool->active) != 0; spins++) TFM__PAUSE();
        }
        if (TFM__ATOMIC_LOAD(&pool->active) != 0) {
            pthread_mutex_lock(&pool->mutex);
            while (TFM__ATOMIC_LOAD(&pool->active) != 0) pthread_cond_wait(&pool->done_cv, &pool->mutex);
            pthread_mutex_unlock(&pool->mutex);
        }
        return;
    }
#endif
    for (t = 0; t < n_tasks; t++) fn(arg, t, 0);
}

/* Per-thread scratch owned by the pool (slot == n_threads is the shared one). Grows, never
   shrinks, so steady-state calls do not allocate. Only thread `slot` may use its slot. */
static void *tfm__pool_scratch(tfm_pool *pool, int slot, size_t bytes) {
    tfm__scratch *s;
    if (!pool || slot < 0 || slot > pool->n_threads) return NULL;
    s = &pool->scratch[slot];
    if (s->size < bytes) {
        void *p = tfm__aligned_alloc(bytes);
        if (!p) return NULL;
        tfm__aligned_free(s->ptr);
        s->ptr = p;
        s->size = bytes;
    }
    return s->ptr;
}

/* =============================================================================================
   [SECTION 4] dtypes and conversions
   Owns the dtype table and exact conversions between f32 and the 16- and 8-bit float formats.
   ============================================================================================= */

static const struct {
    const char *name;
    size_t size;
    int is_float;
} tfm__dtypes[TFM_DTYPE_COUNT] = {
    {"F32", 4, 1}, {"F16", 2, 1}, {"BF16", 2, 1}, {"F64", 8, 1}, {"I64", 8, 0}, {"I32", 4, 0},
    {"I16", 2, 0}, {"I8", 1, 0}, {"U8", 1, 0}, {"BOOL", 1, 0}, {"F8_E4M3", 1, 1}, {"F8_E5M2", 1, 1},
    {"U16", 2, 0}, {"U32", 4, 0}, {"U64", 8, 0},
};

TFMDEF size_t tfm_dtype_size(tfm_dtype dtype) {
    return ((unsigned)dtype < TFM_DTYPE_COUNT) ? tfm__dtypes[dtype].size : 0;
}
TFMDEF const char *tfm_dtype_name(tfm_dtype dtype) {
    return ((unsigned)dtype < TFM_DTYPE_COUNT) ? tfm__dtypes[dtype].name : "?";
}
TFMDEF int tfm_dtype_is_float(tfm_dtype dtype) {
    return ((unsigned)dtype < TFM_DTYPE_COUNT) ? tfm__dtypes[dtype].is_float : 0;
}
TFMDEF tfm_status tfm_dtype_from_name(const char *name, tfm_dtype *out) {
    int i;
    for (i = 0; i < TFM_DTYPE_COUNT; i++) {
        if (name && strcmp(name, tfm__dtypes[i].name) == 0) {
            *out = (tfm_dtype)i;
            return TFM_OK;
        }
    }
    return tfm__fail(TFM_ERR_UNSUPPORTED, "unknown dtype '%s'", name ? name : "(null)");
}

static float tfm__bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static uint32_t tfm__f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

TFMDEF float tfm_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1f, man = h & 0x3ffu;
    if (exp == 0x1f) /* inf; NaN keeps its payload and comes out quiet, as the hardware converts */
        return tfm__bits_f32(sign | 0x7f800000u | (man << 13) | (man ? 0x00400000u : 0));
    if (exp == 0) {
        /* zero or subnormal: man * 2^-24, exact in f32 */
        float v = (float)man * 5.9604644775390625e-8f;
        return sign ? -v : v;
    }
    return tfm__bits_f32(sign | ((exp + 112) << 23) | (man << 13));
}

TFMDEF uint16_t tfm_f32_to_f16(float f) {
    uint32_t u = tfm__f32_bits(f), sign = (u >> 16) & 0x8000u, abs = u & 0x7fffffffu;
    if (abs > 0x7f800000u) return (uint16_t)(sign | 0x7e00u | ((abs >> 13) & 0x3ffu)); /* NaN stays quiet NaN */
    if (abs >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);                        /* rounds to >= 65520: inf */
    if (abs < 0x38800000u) {
        /* result is subnormal (or zero): round abs * 2^24 to an integer, ties to even */
        float v = tfm__bits_f32(abs) * 16777216.0f;
        uint32_t i = (uint32_t)v;
        float frac = v - (float)i;
        if (frac > 0.5f || (frac == 0.5f && (i & 1))) i++;
        return (uint16_t)(sign | i);
    }
    {
        uint32_t mant = abs + 0xfffu + ((abs >> 13) & 1); /* round to nearest even at bit 13 */
        return (uint16_t)(sign | ((mant - 0x38000000u) >> 13));
    }
}

TFMDEF float tfm_bf16_to_f32(uint16_t h) { return tfm__bits_f32((uint32_t)h << 16); }

TFMDEF uint16_t tfm_f32_to_bf16(float f) {
    uint32_t u = tfm__f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u); /* quiet NaN */
    u += 0x7fffu + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

/* OCP FP8: E4M3 ("fn": no infinities, S.1111.111 is NaN) and E5M2 (IEEE-like). */
static float tfm__f8e4m3_to_f32(uint8_t b) {
    uint32_t sign = (uint32_t)(b & 0x80) << 24, exp = (b >> 3) & 0xf, man = b & 7;
    float v;
    if (exp == 0xf && man == 7) return tfm__bits_f32(sign | 0x7fc00000u);
    if (exp == 0) v = (float)man * 0.001953125f; /* man * 2^-9 */
    else return tfm__bits_f32(sign | ((exp + 120) << 23) | (man << 20));
    return sign ? -v : v;
}
static float tfm__f8e5m2_to_f32(uint8_t b) { return tfm_f16_to_f32((uint16_t)(b << 8)); }

TFMDEF tfm_status tfm_convert_to_f32(tfm_dtype src_dtype, const void *src, float *dst, size_t n) {
    size_t i;
    const unsigned char *s = (const unsigned char *)src;
    if (n && (!src || !dst)) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_convert_to_f32: NULL buffer");
    switch (src_dtype) {
    case TFM_F32: memmove(dst, src, n * 4); break;
    case TFM_F16:
        for (i = 0; i < n; i++) {
            uint16_t h;
            memcpy(&h, s + 2 * i, 2);
            dst[i] = tfm_f16_to_f32(h);
        }
        break;
    case TFM_BF16:
        for (i = 0; i < n; i++) {
            uint16_t h;
            memcpy(&h, s + 2 * i, 2);
            dst[i] = tfm_bf16_to_f32(h);
        }
        break;
    case TFM_F64:
        for (i = 0; i < n; i++) {
            double d;
            memcpy(&d, s + 8 * i, 8);
            dst[i] = (float)d;
        }
        break;
    case TFM_F8_E4M3: for (i = 0; i < n; i++) dst[i] = tfm__f8e4m3_to_f32(s[i]); break;
    case TFM_F8_E5M2: for (i = 0; i < n; i++) dst[i] = tfm__f8e5m2_to_f32(s[i]); break;
    case TFM_I64:
        for (i = 0; i < n; i++) {
            int64_t v;
            memcpy(&v, s + 8 * i, 8);
            dst[i] = (float)v;
        }
        break;
    case TFM_U64:
        for (i = 0; i < n; i++) {
            uint64_t v;
            memcpy(&v, s + 8 * i, 8);
            dst[i] = (float)v;
        }
        break;
    case TFM_I32:
        for (i = 0; i < n; i++) {
            int32_t v;
            memcpy(&v, s + 4 * i, 4);
            dst[i] = (float)v;
        }
        break;
    case TFM_U32:
        for (i = 0; i < n; i++) {
            uint32_t v;
            memcpy(&v, s + 4 * i, 4);
            dst[i] = (float)v;
        }
        break;
    case TFM_I16:
        for (i = 0; i < n; i++) {
            int16_t v;
            memcpy(&v, s + 2 * i, 2);
            dst[i] = (float)v;
        }
        break;
    case TFM_U16:
        for (i = 0; i < n; i++) {
            uint16_t v;
            memcpy(&v, s + 2 * i, 2);
            dst[i] = (float)v;
        }
        break;
    case TFM_I8: for (i = 0; i < n; i++) dst[i] = (float)(int8_t)s[i]; break;
    case TFM_U8:
    case TFM_BOOL: for (i = 0; i < n; i++) dst[i] = (float)s[i]; break;
    default: return tfm__fail(TFM_ERR_UNSUPPORTED, "cannot convert dtype %d to F32", (int)src_dtype);
    }
    return TFM_OK;
}

TFMDEF tfm_status tfm_convert_from_f32(const float *src, tfm_dtype dst_dtype, void *dst, size_t n) {
    size_t i;
    unsigned char *d = (unsigned char *)dst;
    if (n && (!src || !dst)) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_convert_from_f32: NULL buffer");
    switch (dst_dtype) {
    case TFM_F32: memmove(dst, src, n * 4); break;
    case TFM_F16:
        for (i = 0; i < n; i++) {
            uint16_t h = tfm_f32_to_f16(src[i]);
            memcpy(d + 2 * i, &h, 2);
        }
        break;
    case TFM_BF16:
        for (i = 0; i < n; i++) {
            uint16_t h = tfm_f32_to_bf16(src[i]);
            memcpy(d + 2 * i, &h, 2);
        }
        break;
    case TFM_F64:
        for (i = 0; i < n; i++) {
            double v = src[i];
            memcpy(d + 8 * i, &v, 8);
        }
        break;
    default: return tfm__fail(TFM_ERR_UNSUPPORTED, "cannot convert F32 to %s", tfm_dtype_name(dst_dtype));
    }
    return TFM_OK;
}

TFMDEF tfm_status tfm_tensor_view(tfm_tensor *t, tfm_dtype dtype, int ndim, const int64_t *shape, void *data) {
    int i;
    uint64_t numel = 1;
    if (!t || ndim < 0 || ndim > TFM_MAX_DIMS || (ndim && !shape))
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tensor_view: bad arguments (ndim %d)", ndim);
    memset(t, 0, sizeof *t);
    for (i = 0; i < ndim; i++) {
        if (shape[i] < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tensor_view: negative dim %d", i);
        if (!tfm__mul_u64(numel, (uint64_t)shape[i], &numel) || numel > (uint64_t)INT64_MAX)
            return tfm__fail(TFM_ERR_LIMIT, "tfm_tensor_view: element count overflows");
        t->shape[i] = shape[i];
    }
    t->dtype = dtype;
    t->ndim = ndim;
    t->numel = (int64_t)numel;
    t->data = data;
    return TFM_OK;
}

/* =============================================================================================
   [SECTION 5] CPU features and ISA dispatch
   Owns feature detection (cpuid + XCR0 on x86, compile-time on ARM) and the TFM_ISA override.
   The detected result is cached in a process-wide variable; computing it twice from two threads
   gives the same value, so the unsynchronised cache is benign.
   ============================================================================================= */

static int tfm__isa_detected = -1; /* -1: not yet; else bitmask of (1 << tfm_isa) */

static int tfm__detect_isas(void) {
    int mask = 1 << TFM_ISA_SCALAR;
#if defined(TFM__X86_SIMD)
    {
        unsigned a, b, c, d, max_leaf, xcr0_lo = 0, xcr0_hi = 0;
        __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
        max_leaf = a;
        __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
        if ((c & (1u << 27)) && (c & (1u << 28)) && (c & (1u << 12)) && (c & (1u << 29))) {
            /* OSXSAVE, AVX, FMA, F16C */
            __asm__ __volatile__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
            if ((xcr0_lo & 6) == 6 && max_leaf >= 7) {
                __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
                if (b & (1u << 5)) mask |= 1 << TFM_ISA_AVX2;
#if defined(TFM__AVX512)
                /* AVX512F + BW + VL and the OS saving opmask/zmm state */
                if ((b & (1u << 16)) && (b & (1u << 30)) && (b & (1u << 31)) && (xcr0_lo & 0xe0) == 0xe0)
                    mask |= 1 << TFM_ISA_AVX512;
#endif
            }
        }
        TFM__UNUSED(xcr0_hi);
    }
#elif defined(TFM__NEON)
    mask |= 1 << TFM_ISA_NEON;
#endif
    return mask;
}

TFMDEF const char *tfm_isa_name(tfm_isa isa) {
    switch (isa) {
    case TFM_ISA_AUTO: return "auto";
    case TFM_ISA_SCALAR: return "scalar";
    case TFM_ISA_AVX2: return "avx2";
    case TFM_ISA_AVX512: return "avx512";
    case TFM_ISA_NEON: return "neon";
    }
    return "?";
}

TFMDEF int tfm_isa_available(tfm_isa isa) {
    if (tfm__isa_detected < 0) tfm__isa_detected = tfm__detect_isas();
    if (isa == TFM_ISA_AUTO) return 1;
    return (unsigned)isa < 8 && (tfm__isa_detected >> isa) & 1;
}

static tfm_isa tfm__isa_best_detected(void) {
    if (tfm_isa_available(TFM_ISA_AVX512)) return TFM_ISA_AVX512;
    if (tfm_isa_available(TFM_ISA_AVX2)) return TFM_ISA_AVX2;
    if (tfm_isa_available(TFM_ISA_NEON)) return TFM_ISA_NEON;
    return TFM_ISA_SCALAR;
}

TFMDEF tfm_isa tfm_isa_best(void) {
    const char *env = getenv("TFM_ISA");
    if (env && *env) {
        int i;
        for (i = TFM_ISA_SCALAR; i <= TFM_ISA_NEON; i++) {
            if (strcmp(env, tfm_isa_name((tfm_isa)i)) == 0 && tfm_isa_available((tfm_isa)i)) return (tfm_isa)i;
        }
    }
    return tfm__isa_best_detected();
}

/* Resolves a context's ISA: AUTO -> best; an unavailable one -> best available. */
static tfm_isa tfm__ctx_isa(const tfm_ctx *ctx) {
    tfm_isa isa = ctx ? ctx->isa : TFM_ISA_AUTO;
    if (isa == TFM_ISA_AUTO || !tfm_isa_available(isa)) return tfm_isa_best();
    return isa;
}


/* =============================================================================================
   [SECTION 6] GEMM (packed, cache-blocked, threaded; scalar / AVX2 / AVX-512 / NEON)
   Owns tfm_gemm, tfm_gemm_batched and tfm_linear.

   Structure (GotoBLAS / BLIS): A is packed into MR-row panels (k-major, MR values per k) and B
   into NR-column strips (k-major, NR values per k; f16/bf16 widened and PyTorch [N,K] weights
   transposed while packing). A register-blocked micro-kernel computes one MR x NR tile of C over
   a KC slice of K; edge tiles run the same kernel on zero-padded panels into a stack tile that is
   then copied out. Per call:
     * A is packed once per M super-block (all of K, shared, parallel).
     * If M fits one row group (the M=128 transformer case), each task packs its own KC x NCT
       slice of B into its thread's scratch right before using it (L2-hot, every B element packed
       exactly once); otherwise B is packed once per N super-block into the shared slot.
     * Tasks are (row group, column group) rectangles of whole tiles; inside a task the K loop
       runs in fixed KC steps, strip by strip (the B micro-panel stays in L1), panel by panel.
   Determinism: KC and the per-element accumulation order are fixed per ISA; work is split only
   on whole MR x NR tiles, so any thread count gives bit-identical results.
   Small M (<= 4, the decode case) skips packing: direct dot products over rows of B (trans_b) or
   row sweeps of B (no trans_b), threaded over fixed column chunks.
   ============================================================================================= */

typedef struct tfm__gemm_prob {
    int trans_b;
    int64_t M, N, K;
    float alpha, beta;
    const float *A;
    int64_t lda;
    tfm_dtype bt;
    const void *B;
    int64_t ldb;
    float *C;
    int64_t ldc;
} tfm__gemm_prob;

/* kernel: c[MR x NR] (row stride ldc) = alpha * (a-panel . b-strip over kc) + beta * c; beta == 0
   never reads c. pack_b: nstrips NR-wide strips starting at column j0, k in [k0, k0+kc), strip s
   written at dst + s * sstride. gemv: rows [m..M) of C for columns [n0, n1), small M only. */
typedef void (*tfm__gemm_kernel_fn)(int64_t kc, const float *a, const float *b, float *c, int64_t ldc, float alpha,
                                    float beta);
typedef void (*tfm__gemm_packb_fn)(const tfm__gemm_prob *p, int nr, int64_t k0, int64_t kc, int64_t j0,
                                   int64_t nstrips, float *dst, int64_t sstride);
typedef void (*tfm__gemm_gemv_fn)(const tfm__gemm_prob *p, int64_t n0, int64_t n1);

typedef struct tfm__gemm_impl {
    int mr, nr;       /* micro-tile */
    int kc;           /* K slice: KC x NR strip lives in L1 */
    int mc_panels;    /* row group: MC = mc_panels * MR rows of packed A in L2 */
    int nct_strips;   /* widest column group a task packs locally (KC x NCT in L2) */
    tfm__gemm_kernel_fn kernel;
    tfm__gemm_packb_fn pack_b;
    tfm__gemm_gemv_fn gemv; /* NULL: small M goes through the packed path */
} tfm__gemm_impl;

#define TFM__GEMM_MAX_TILE (16 * 32)       /* largest MR * NR of any kernel */
#define TFM__GEMM_SMALL_M 4                /* M <= this takes the gemv path */
#define TFM__GEMM_SUPER_BYTES (8u << 20)   /* packed A / packed B super-block budget */

static float tfm__gemm_b_at(const tfm__gemm_prob *p, int64_t idx) {
    uint16_t h;
    if (p->bt == TFM_F32) return ((const float *)p->B)[idx];
    memcpy(&h, (const unsigned char *)p->B + 2 * idx, 2);
    return p->bt == TFM_F16 ? tfm_f16_to_f32(h) : tfm_bf16_to_f32(h);
}

/* C = beta * C (beta == 0: zeros, old NaNs included), for K == 0 or alpha == 0. */
static void tfm__gemm_scale_c(const tfm__gemm_prob *p) {
    int64_t i, j;
    for (i = 0; i < p->M; i++) {
        float *c = p->C + i * p->ldc;
        if (p->beta == 0.0f) memset(c, 0, (size_t)p->N * sizeof(float));
        else if (p->beta != 1.0f)
            for (j = 0; j < p->N; j++) c[j] *= p->beta;
    }
}

/* ---- scalar reference: plain C, k ascending for every element (the test oracle) ------------ */

static void tfm__gemm_ref_rows(const tfm__gemm_prob *p, int64_t m0, int64_t m1) {
    int64_t i, j, k;
    for (i = m0; i < m1; i++) {
        const float *a = p->A + i * p->lda;
        float *c = p->C + i * p->ldc;
        if (p->trans_b) {
            for (j = 0; j < p->N; j++) {
                float s = 0.0f;
                if (p->bt == TFM_F32) {
                    const float *b = (const float *)p->B + j * p->ldb;
                    for (k = 0; k < p->K; k++) s += a[k] * b[k];
                } else {
                    for (k = 0; k < p->K; k++) s += a[k] * tfm__gemm_b_at(p, j * p->ldb + k);
                }
                c[j] = p->beta == 0.0f ? p->alpha * s : p->alpha * s + p->beta * c[j];
            }
        } else {
            float acc[256];
            int64_t j0;
            for (j0 = 0; j0 < p->N; j0 += 256) {
                int64_t nj = TFM__MIN((int64_t)256, p->N - j0);
                for (j = 0; j < nj; j++) acc[j] = 0.0f;
                for (k = 0; k < p->K; k++) {
                    float av = a[k];
                    if (p->bt == TFM_F32) {
                        const float *b = (const float *)p->B + k * p->ldb + j0;
                        for (j = 0; j < nj; j++) acc[j] += av * b[j];
                    } else {
                        for (j = 0; j < nj; j++) acc[j] += av * tfm__gemm_b_at(p, k * p->ldb + j0 + j);
                    }
                }
                for (j = 0; j < nj; j++)
                    c[j0 + j] = p->beta == 0.0f ? p->alpha * acc[j] : p->alpha * acc[j] + p->beta * c[j0 + j];
            }
        }
    }
}

static void tfm__gemm_ref_task(void *arg, int64_t task, int thread_index) {
    const tfm__gemm_prob *p = (const tfm__gemm_prob *)arg;
    int64_t m0 = task * 8;
    TFM__UNUSED(thread_index);
    tfm__gemm_ref_rows(p, m0, TFM__MIN(m0 + 8, p->M));
}

/* ---- generic packing (plain C; NEON and fallbacks) -------------------------------------------- */

/* One MR-row panel of A over all K: dst[k * mr + r], rows past M zero. */
static void tfm__gemm_pack_a(const tfm__gemm_prob *p, int mr, int64_t row0, float *dst) {
    int64_t rows = TFM__MIN((int64_t)mr, p->M - row0), K = p->K, k;
    int r;
    if (rows == mr && mr == 12) {
        const float *a = p->A + row0 * p->lda;
        int64_t l = p->lda;
        for (k = 0; k < K; k++, dst += 12) {
            dst[0] = a[k]; dst[1] = a[l + k]; dst[2] = a[2 * l + k]; dst[3] = a[3 * l + k];
            dst[4] = a[4 * l + k]; dst[5] = a[5 * l + k]; dst[6] = a[6 * l + k]; dst[7] = a[7 * l + k];
            dst[8] = a[8 * l + k]; dst[9] = a[9 * l + k]; dst[10] = a[10 * l + k]; dst[11] = a[11 * l + k];
        }
        return;
    }
    if (rows == mr && mr == 6) {
        const float *a = p->A + row0 * p->lda;
        int64_t l = p->lda;
        for (k = 0; k < K; k++, dst += 6) {
            dst[0] = a[k]; dst[1] = a[l + k]; dst[2] = a[2 * l + k];
            dst[3] = a[3 * l + k]; dst[4] = a[4 * l + k]; dst[5] = a[5 * l + k];
        }
        return;
    }
    for (r = 0; r < mr; r++) {
        if (r < rows) {
            const float *a = p->A + (row0 + r) * p->lda;
            for (k = 0; k < K; k++) dst[k * mr + r] = a[k];
        } else {
            for (k = 0; k < K; k++) dst[k * mr + r] = 0.0f;
        }
    }
}

#if defined(TFM__NEON)
static void tfm__gemm_pack_b_generic(const tfm__gemm_prob *p, int nr, int64_t k0, int64_t kc, int64_t j0,
                                     int64_t nstrips, float *dst, int64_t sstride) {
    int64_t s, k, j;
    for (s = 0; s < nstrips; s++) {
        float *d = dst + s * sstride;
        int64_t jb = j0 + s * nr, nc = TFM__MAX((int64_t)0, TFM__MIN((int64_t)nr, p->N - jb));
        for (k = 0; k < kc; k++) {
            float *dk = d + k * nr;
            if (p->trans_b) {
                for (j = 0; j < nc; j++) dk[j] = tfm__gemm_b_at(p, (jb + j) * p->ldb + k0 + k);
            } else if (p->bt == TFM_F32) {
                memcpy(dk, (const float *)p->B + (k0 + k) * p->ldb + jb, (size_t)nc * sizeof(float));
            } else {
                for (j = 0; j < nc; j++) dk[j] = tfm__gemm_b_at(p, (k0 + k) * p->ldb + jb + j);
            }
            for (j = nc; j < nr; j++) dk[j] = 0.0f;
        }
    }
}
#endif

/* ---- x86: AVX2 + FMA + F16C ---------------------------------------------------------------- */
#if defined(TFM__X86_SIMD)
#define TFM__T256 __attribute__((target("avx2,fma,f16c")))

/* 8 widened values of B (f32/f16/bf16) at element index idx. */
#define TFM__LOAD8(bt, base, idx)                                                                              \
    ((bt) == TFM_F32   ? _mm256_loadu_ps((const float *)(base) + (idx))                                      \
     : (bt) == TFM_F16 ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)((const uint16_t *)(base) + (idx)))) \
                       : _mm256_castsi256_ps(_mm256_slli_epi32(                                               \
                             _mm256_cvtepu16_epi32(                                                           \
                                 _mm_loadu_si128((const __m128i *)((const uint16_t *)(base) + (idx)))),      \
                             16)))

TFM__T256 static void tfm__gemm_pack_b_x86(const tfm__gemm_prob *p, int nr, int64_t k0, int64_t kc, int64_t j0,
                                           int64_t nstrips, float *dst, int64_t sstride) {
    const tfm_dtype bt = p->bt;
    int64_t s, k, j;
    for (s = 0; s < nstrips; s++) {
        float *d = dst + s * sstride;
        int64_t jb = j0 + s * nr, nc = TFM__MAX((int64_t)0, TFM__MIN((int64_t)nr, p->N - jb));
        if (!p->trans_b) {
            for (k = 0; k < kc; k++) {
                float *dk = d + k * nr;
                int64_t row = (k0 + k) * p->ldb + jb;
                for (j = 0; j + 8 <= nc; j += 8) _mm256_storeu_ps(dk + j, TFM__LOAD8(bt, p->B, row + j));
                for (; j < nc; j++) dk[j] = tfm__gemm_b_at(p, row + j);
                for (; j < nr; j++) dk[j] = 0.0f;
            }
        } else {
            int g;
            for (g = 0; g < nr; g += 8) {
                /* 8 rows of B (columns of op(B)) -> 8 lanes; transpose 8x8 blocks */
                int64_t nrow = TFM__MAX((int64_t)0, TFM__MIN((int64_t)8, nc - g)), base[8];
                int t;
                float *dg = d + g;
                for (t = 0; t < 8; t++) base[t] = (jb + g + (t < nrow ? t : 0)) * p->ldb + k0;
                if (nrow == 0) {
                    for (k = 0; k < kc; k++) _mm256_storeu_ps(dg + k * nr, _mm256_setzero_ps());
                    continue;
                }
                for (k = 0; k + 8 <= kc; k += 8) {
                    __m256 r0, r1, r2, r3, r4, r5, r6, r7, t0, t1, t2, t3, t4, t5, t6, t7;
                    __m256 z = _mm256_setzero_ps();
                    r0 = TFM__LOAD8(bt, p->B, base[0] + k);
                    r1 = nrow > 1 ? TFM__LOAD8(bt, p->B, base[1] + k) : z;
                    r2 = nrow > 2 ? TFM__LOAD8(bt, p->B, base[2] + k) : z;
                    r3 = nrow > 3 ? TFM__LOAD8(bt, p->B, base[3] + k) : z;
                    r4 = nrow > 4 ? TFM__LOAD8(bt, p->B, base[4] + k) : z;
                    r5 = nrow > 5 ? TFM__LOAD8(bt, p->B, base[5] + k) : z;
                    r6 = nrow > 6 ? TFM__LOAD8(bt, p->B, base[6] + k) : z;
                    r7 = nrow > 7 ? TFM__LOAD8(bt, p->B, base[7] + k) : z;
                    t0 = _mm256_unpacklo_ps(r0, r1); t1 = _mm256_unpackhi_ps(r0, r1);
                    t2 = _mm256_unpacklo_ps(r2, r3); t3 = _mm256_unpackhi_ps(r2, r3);
                    t4 = _mm256_unpacklo_ps(r4, r5); t5 = _mm256_unpackhi_ps(r4, r5);
                    t6 = _mm256_unpacklo_ps(r6, r7); t7 = _mm256_unpackhi_ps(r6, r7);
                    r0 = _mm256_shuffle_ps(t0, t2, 0x44); r1 = _mm256_shuffle_ps(t0, t2, 0xEE);
                    r2 = _mm256_shuffle_ps(t1, t3, 0x44); r3 = _mm256_shuffle_ps(t1, t3, 0xEE);
                    r4 = _mm256_shuffle_ps(t4, t6, 0x44); r5 = _mm256_shuffle_ps(t4, t6, 0xEE);
                    r6 = _mm256_shuffle_ps(t5, t7, 0x44); r7 = _mm256_shuffle_ps(t5, t7, 0xEE);
                    _mm256_storeu_ps(dg + (k + 0) * nr, _mm256_permute2f128_ps(r0, r4, 0x20));
                    _mm256_storeu_ps(dg + (k + 1) * nr, _mm256_permute2f128_ps(r1, r5, 0x20));
                    _mm256_storeu_ps(dg + (k + 2) * nr, _mm256_permute2f128_ps(r2, r6, 0x20));
                    _mm256_storeu_ps(dg + (k + 3) * nr, _mm256_permute2f128_ps(r3, r7, 0x20));
                    _mm256_storeu_ps(dg + (k + 4) * nr, _mm256_permute2f128_ps(r0, r4, 0x31));
                    _mm256_storeu_ps(dg + (k + 5) * nr, _mm256_permute2f128_ps(r1, r5, 0x31));
                    _mm256_storeu_ps(dg + (k + 6) * nr, _mm256_permute2f128_ps(r2, r6, 0x31));
                    _mm256_storeu_ps(dg + (k + 7) * nr, _mm256_permute2f128_ps(r3, r7, 0x31));
                }
                for (; k < kc; k++)
                    for (t = 0; t < 8; t++) dg[k * nr + t] = t < nrow ? tfm__gemm_b_at(p, base[t] + k) : 0.0f;
            }
        }
    }
}

/* 6x16 micro-kernel: 12 ymm accumulators, 2 B loads + 6 broadcasts per k. */
#define TFM__K256_ROW(i)                                                                                       \
    do {                                                                                                       \
        __m256 av = _mm256_broadcast_ss(a + i);                                                                \
        c##i##_0 = _mm256_fmadd_ps(av, b0, c##i##_0);                                                          \
        c##i##_1 = _mm256_fmadd_ps(av, b1, c##i##_1);                                                          \
    } while (0)
#define TFM__K256_STORE(i)                                                                                     \
    do {                                                                                                       \
        float *cr = c + i * ldc;                                                                               \
        if (beta == 0.0f) {                                                                                    \
            _mm256_storeu_ps(cr, _mm256_mul_ps(va, c##i##_0));                                                 \
            _mm256_storeu_ps(cr + 8, _mm256_mul_ps(va, c##i##_1));                                             \
        } else {                                                                                               \
            _mm256_storeu_ps(cr, _mm256_fmadd_ps(va, c##i##_0, _mm256_mul_ps(vb, _mm256_loadu_ps(cr))));      \
            _mm256_storeu_ps(cr + 8, _mm256_fmadd_ps(va, c##i##_1, _mm256_mul_ps(vb, _mm256_loadu_ps(cr + 8)))); \
        }                                                                                                      \
    } while (0)

TFM__T256 static void tfm__gemm_kernel_avx2_6x16(int64_t kc, const float *a, const float *b, float *c, int64_t ldc,
                                                 float alpha, float beta) {
    __m256 c0_0 = _mm256_setzero_ps(), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0;
    __m256 c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
    __m256 va, vb;
    int64_t k;
    for (k = 0; k < 6; k++) _mm_prefetch((const char *)(c + k * ldc), _MM_HINT_T0);
    for (k = 0; k < kc; k++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        _mm_prefetch((const char *)(a + 48), _MM_HINT_T0);
        TFM__K256_ROW(0); TFM__K256_ROW(1); TFM__K256_ROW(2);
        TFM__K256_ROW(3); TFM__K256_ROW(4); TFM__K256_ROW(5);
        a += 6;
        b += 16;
    }
    va = _mm256_set1_ps(alpha);
    vb = _mm256_set1_ps(beta);
    TFM__K256_STORE(0); TFM__K256_STORE(1); TFM__K256_STORE(2);
    TFM__K256_STORE(3); TFM__K256_STORE(4); TFM__K256_STORE(5);
}

TFM__T256 static float tfm__gemm_hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 0x55));
    return _mm_cvtss_f32(s);
}

static void tfm__gemm_store1(const tfm__gemm_prob *p, int64_t i, int64_t j, float v) {
    float *c = p->C + i * p->ldc + j;
    *c = p->beta == 0.0f ? p->alpha * v : p->alpha * v + p->beta * *c;
}

/* Small M, trans_b: MM rows of A against R rows of B at a time, 2 chains per pair over K. */
#define TFM__GEMV256_T(MM, R, BT)                                                                              \
    TFM__T256 static void tfm__gemv256_t_##MM##_##BT(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {     \
        const int64_t K = p->K;                                                                                \
        int64_t n = n0, k;                                                                                     \
        int m, r;                                                                                              \
        for (; n < n1; n += R) {                                                                               \
            int nr = (int)TFM__MIN((int64_t)R, n1 - n);                                                        \
            __m256 acc[MM][R];                                                                                 \
            int64_t boff[R];                                                                                   \
            for (r = 0; r < R; r++) boff[r] = (n + (r < nr ? r : 0)) * p->ldb;                                 \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < R; r++) acc[m][r] = _mm256_setzero_ps();                                       \
            for (k = 0; k + 8 <= K; k += 8) {                                                                  \
                __m256 bv[R];                                                                                  \
                for (r = 0; r < R; r++) bv[r] = TFM__LOAD8(BT, p->B, boff[r] + k);                             \
                for (m = 0; m < MM; m++) {                                                                     \
                    __m256 av = _mm256_loadu_ps(p->A + m * p->lda + k);                                        \
                    for (r = 0; r < R; r++) acc[m][r] = _mm256_fmadd_ps(av, bv[r], acc[m][r]);                \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < nr; r++) {                                                                     \
                    float s = tfm__gemm_hsum256(acc[m][r]);                                                         \
                    int64_t kk;                                                                                \
                    for (kk = k; kk < K; kk++) s += p->A[m * p->lda + kk] * tfm__gemm_b_at(p, boff[r] + kk);  \
                    tfm__gemm_store1(p, m, n + r, s);                                                          \
                }                                                                                              \
        }                                                                                                      \
    }
/* Small M, no trans_b: rows of B streamed in order, TFM__GEMV_NW columns at a time, sums kept in
   an L1-resident stack block (k ascending for every element). */
#define TFM__GEMV_NW 1024
#define TFM__GEMV256_N(MM, BT)                                                                                 \
    TFM__T256 static void tfm__gemv256_n_##MM##_##BT(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {     \
        float acc[MM * TFM__GEMV_NW];                                                                          \
        int64_t nb, k, j;                                                                                      \
        int m;                                                                                                 \
        for (nb = n0; nb < n1; nb += TFM__GEMV_NW) {                                                           \
            int64_t w = TFM__MIN((int64_t)TFM__GEMV_NW, n1 - nb), wv = w & ~(int64_t)7;                        \
            memset(acc, 0, sizeof acc);                                                                        \
            for (k = 0; k < p->K; k++) {                                                                       \
                const int64_t row = k * p->ldb + nb;                                                           \
                __m256 av[MM];                                                                                 \
                for (m = 0; m < MM; m++) av[m] = _mm256_set1_ps(p->A[m * p->lda + k]);                         \
                for (j = 0; j < wv; j += 8) {                                                                  \
                    __m256 bv = TFM__LOAD8(BT, p->B, row + j);                                                 \
                    for (m = 0; m < MM; m++) {                                                                 \
                        float *ac = acc + m * TFM__GEMV_NW + j;                                                \
                        _mm256_storeu_ps(ac, _mm256_fmadd_ps(av[m], bv, _mm256_loadu_ps(ac)));                \
                    }                                                                                          \
                }                                                                                              \
                for (; j < w; j++) {                                                                           \
                    float bs = tfm__gemm_b_at(p, row + j);                                                     \
                    for (m = 0; m < MM; m++) acc[m * TFM__GEMV_NW + j] += p->A[m * p->lda + k] * bs;           \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (j = 0; j < w; j++) tfm__gemm_store1(p, m, nb + j, acc[m * TFM__GEMV_NW + j]);             \
        }                                                                                                      \
    }

#define TFM__GEMV_ALL(X, TAG)                                                                                  \
    X(1, 4, TFM_F32) X(2, 4, TFM_F32) X(3, 2, TFM_F32) X(4, 2, TFM_F32)                                        \
    X(1, 4, TFM_F16) X(2, 4, TFM_F16) X(3, 2, TFM_F16) X(4, 2, TFM_F16)                                        \
    X(1, 4, TFM_BF16) X(2, 4, TFM_BF16) X(3, 2, TFM_BF16) X(4, 2, TFM_BF16)
#define TFM__GEMV256_N2(MM, R, BT) TFM__GEMV256_N(MM, BT)
TFM__GEMV_ALL(TFM__GEMV256_T, 0)
TFM__GEMV_ALL(TFM__GEMV256_N2, 0)

#define TFM__GEMV_PICK(PFX, p)                                                                                 \
    ((p)->bt == TFM_F32   ? ((p)->M == 1 ? PFX##_1_TFM_F32 : (p)->M == 2 ? PFX##_2_TFM_F32                      \
                                          : (p)->M == 3 ? PFX##_3_TFM_F32 : PFX##_4_TFM_F32)                  \
     : (p)->bt == TFM_F16 ? ((p)->M == 1 ? PFX##_1_TFM_F16 : (p)->M == 2 ? PFX##_2_TFM_F16                      \
                                          : (p)->M == 3 ? PFX##_3_TFM_F16 : PFX##_4_TFM_F16)                  \
                          : ((p)->M == 1 ? PFX##_1_TFM_BF16 : (p)->M == 2 ? PFX##_2_TFM_BF16                    \
                                          : (p)->M == 3 ? PFX##_3_TFM_BF16 : PFX##_4_TFM_BF16))

static void tfm__gemm_gemv_avx2(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {
    tfm__gemm_gemv_fn f = p->trans_b ? TFM__GEMV_PICK(tfm__gemv256_t, p) : TFM__GEMV_PICK(tfm__gemv256_n, p);
    f(p, n0, n1);
}

/* ---- x86: AVX-512 --------------------------------------------------------------------------- */
#if defined(TFM__AVX512)
#define TFM__T512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c")))

#define TFM__LOAD16(bt, base, idx)                                                                             \
    ((bt) == TFM_F32   ? _mm512_loadu_ps((const float *)(base) + (idx))                                      \
     : (bt) == TFM_F16 ? _mm512_maskz_cvtph_ps((__mmask16)0xFFFF,                                              \
                                               _mm256_loadu_si256((const __m256i *)((const uint16_t *)(base) + (idx)))) \
                       : _mm512_castsi512_ps(_mm512_maskz_slli_epi32(                                         \
                             (__mmask16)0xFFFF,                                                               \
                             _mm512_maskz_cvtepu16_epi32(                                                     \
                                 (__mmask16)0xFFFF,                                                           \
                                 _mm256_loadu_si256((const __m256i *)((const uint16_t *)(base) + (idx)))),   \
                             16)))
/* (maskz forms: the plain ones expand to _mm512_undefined_*, which g++ 12 flags as uninitialised) */

#ifndef TFM__GEMM512_MR
#define TFM__GEMM512_MR 12
#endif

/* 12x32 micro-kernel: 24 zmm accumulators, 2 B loads + 12 broadcasts per k. */
#define TFM__K512_ROW(i)                                                                                       \
    do {                                                                                                       \
        __m512 av = _mm512_set1_ps(a[i]);                                                                      \
        c##i##_0 = _mm512_fmadd_ps(av, b0, c##i##_0);                                                          \
        c##i##_1 = _mm512_fmadd_ps(av, b1, c##i##_1);                                                          \
    } while (0)
#define TFM__K512_STORE(i)                                                                                     \
    do {                                                                                                       \
        float *cr = c + i * ldc;                                                                               \
        if (beta == 0.0f) {                                                                                    \
            _mm512_storeu_ps(cr, _mm512_mul_ps(va, c##i##_0));                                                 \
            _mm512_storeu_ps(cr + 16, _mm512_mul_ps(va, c##i##_1));                                            \
        } else {                                                                                               \
            _mm512_storeu_ps(cr, _mm512_fmadd_ps(va, c##i##_0, _mm512_mul_ps(vb, _mm512_loadu_ps(cr))));      \
            _mm512_storeu_ps(cr + 16, _mm512_fmadd_ps(va, c##i##_1, _mm512_mul_ps(vb, _mm512_loadu_ps(cr + 16)))); \
        }                                                                                                      \
    } while (0)

TFM__T512 static void tfm__gemm_kernel_avx512_12x32(int64_t kc, const float *a, const float *b, float *c,
                                                    int64_t ldc, float alpha, float beta) {
    __m512 c0_0 = _mm512_setzero_ps(), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0;
    __m512 c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
    __m512 c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0;
    __m512 c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    __m512 va, vb;
    int64_t k;
    for (k = 0; k < 12; k++) {
        _mm_prefetch((const char *)(c + k * ldc), _MM_HINT_T0);
        _mm_prefetch((const char *)(c + k * ldc + 16), _MM_HINT_T0);
    }
    for (k = 0; k < kc; k++) {
        __m512 b0 = _mm512_loadu_ps(b), b1 = _mm512_loadu_ps(b + 16);
        _mm_prefetch((const char *)(a + 96), _MM_HINT_T0);
        TFM__K512_ROW(0); TFM__K512_ROW(1); TFM__K512_ROW(2); TFM__K512_ROW(3);
        TFM__K512_ROW(4); TFM__K512_ROW(5); TFM__K512_ROW(6); TFM__K512_ROW(7);
        TFM__K512_ROW(8); TFM__K512_ROW(9); TFM__K512_ROW(10); TFM__K512_ROW(11);
        a += 12;
        b += 32;
    }
    va = _mm512_set1_ps(alpha);
    vb = _mm512_set1_ps(beta);
    TFM__K512_STORE(0); TFM__K512_STORE(1); TFM__K512_STORE(2); TFM__K512_STORE(3);
    TFM__K512_STORE(4); TFM__K512_STORE(5); TFM__K512_STORE(6); TFM__K512_STORE(7);
    TFM__K512_STORE(8); TFM__K512_STORE(9); TFM__K512_STORE(10); TFM__K512_STORE(11);
}

/* Fixed-order horizontal sum (through memory: g++ 12 mis-warns on the 512->256 cast intrinsics). */
TFM__T512 static float tfm__gemm_hsum512(__m512 v) {
    float t[16];
    int i;
    _mm512_storeu_ps(t, v);
    for (i = 0; i < 8; i++) t[i] += t[i + 8];
    for (i = 0; i < 4; i++) t[i] += t[i + 4];
    return (t[0] + t[2]) + (t[1] + t[3]);
}

#define TFM__GEMV512_T(MM, R, BT)                                                                              \
    TFM__T512 static void tfm__gemv512_t_##MM##_##BT(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {     \
        const int64_t K = p->K;                                                                                \
        int64_t n = n0, k;                                                                                     \
        int m, r;                                                                                              \
        for (; n < n1; n += R) {                                                                               \
            int nr = (int)TFM__MIN((int64_t)R, n1 - n);                                                        \
            __m512 acc[MM][R];                                                                                 \
            int64_t boff[R];                                                                                   \
            for (r = 0; r < R; r++) boff[r] = (n + (r < nr ? r : 0)) * p->ldb;                                 \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < R; r++) acc[m][r] = _mm512_setzero_ps();                                       \
            for (k = 0; k + 16 <= K; k += 16) {                                                                \
                __m512 bv[R];                                                                                  \
                for (r = 0; r < R; r++) bv[r] = TFM__LOAD16(BT, p->B, boff[r] + k);                            \
                for (m = 0; m < MM; m++) {                                                                     \
                    __m512 av = _mm512_loadu_ps(p->A + m * p->lda + k);                                        \
                    for (r = 0; r < R; r++) acc[m][r] = _mm512_fmadd_ps(av, bv[r], acc[m][r]);                \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < nr; r++) {                                                                     \
                    float s = tfm__gemm_hsum512(acc[m][r]);                                                         \
                    int64_t kk;                                                                                \
                    for (kk = k; kk < K; kk++) s += p->A[m * p->lda + kk] * tfm__gemm_b_at(p, boff[r] + kk);  \
                    tfm__gemm_store1(p, m, n + r, s);                                                          \
                }                                                                                              \
        }                                                                                                      \
    }
#define TFM__GEMV512_N(MM, R, BT)                                                                              \
    TFM__T512 static void tfm__gemv512_n_##MM##_##BT(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {     \
        float acc[MM * TFM__GEMV_NW];                                                                          \
        int64_t nb, k, j;                                                                                      \
        int m;                                                                                                 \
        for (nb = n0; nb < n1; nb += TFM__GEMV_NW) {                                                           \
            int64_t w = TFM__MIN((int64_t)TFM__GEMV_NW, n1 - nb), wv = w & ~(int64_t)15;                       \
            memset(acc, 0, sizeof acc);                                                                        \
            for (k = 0; k < p->K; k++) {                                                                       \
                const int64_t row = k * p->ldb + nb;                                                           \
                __m512 av[MM];                                                                                 \
                for (m = 0; m < MM; m++) av[m] = _mm512_set1_ps(p->A[m * p->lda + k]);                         \
                for (j = 0; j < wv; j += 16) {                                                                 \
                    __m512 bv = TFM__LOAD16(BT, p->B, row + j);                                                \
                    for (m = 0; m < MM; m++) {                                                                 \
                        float *ac = acc + m * TFM__GEMV_NW + j;                                                \
                        _mm512_storeu_ps(ac, _mm512_fmadd_ps(av[m], bv, _mm512_loadu_ps(ac)));                \
                    }                                                                                          \
                }                                                                                              \
                for (; j < w; j++) {                                                                           \
                    float bs = tfm__gemm_b_at(p, row + j);                                                     \
                    for (m = 0; m < MM; m++) acc[m * TFM__GEMV_NW + j] += p->A[m * p->lda + k] * bs;           \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (j = 0; j < w; j++) tfm__gemm_store1(p, m, nb + j, acc[m * TFM__GEMV_NW + j]);             \
        }                                                                                                      \
    }
TFM__GEMV_ALL(TFM__GEMV512_T, 0)
TFM__GEMV_ALL(TFM__GEMV512_N, 0)

static void tfm__gemm_gemv_avx512(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {
    tfm__gemm_gemv_fn f = p->trans_b ? TFM__GEMV_PICK(tfm__gemv512_t, p) : TFM__GEMV_PICK(tfm__gemv512_n, p);
    f(p, n0, n1);
}
#endif /* TFM__AVX512 */
#endif /* TFM__X86_SIMD */

/* ---- NEON (AArch64) ------------------------------------------------------------------------- */
#if defined(TFM__NEON)
/* 8x12 micro-kernel: 24 q-register accumulators, 3 B loads + 2 A loads per k (lane FMAs). */
#define TFM__KN_ROW(i, av, lane)                                                                               \
    do {                                                                                                       \
        c##i##_0 = vfmaq_laneq_f32(c##i##_0, b0, av, lane);                                                    \
        c##i##_1 = vfmaq_laneq_f32(c##i##_1, b1, av, lane);                                                    \
        c##i##_2 = vfmaq_laneq_f32(c##i##_2, b2, av, lane);                                                    \
    } while (0)
#define TFM__KN_STORE(i)                                                                                       \
    do {                                                                                                       \
        float *cr = c + i * ldc;                                                                               \
        if (beta == 0.0f) {                                                                                    \
            vst1q_f32(cr, vmulq_n_f32(c##i##_0, alpha));                                                       \
            vst1q_f32(cr + 4, vmulq_n_f32(c##i##_1, alpha));                                                   \
            vst1q_f32(cr + 8, vmulq_n_f32(c##i##_2, alpha));                                                   \
        } else {                                                                                               \
            vst1q_f32(cr, vfmaq_n_f32(vmulq_n_f32(vld1q_f32(cr), beta), c##i##_0, alpha));                     \
            vst1q_f32(cr + 4, vfmaq_n_f32(vmulq_n_f32(vld1q_f32(cr + 4), beta), c##i##_1, alpha));             \
            vst1q_f32(cr + 8, vfmaq_n_f32(vmulq_n_f32(vld1q_f32(cr + 8), beta), c##i##_2, alpha));             \
        }                                                                                                      \
    } while (0)

static void tfm__gemm_kernel_neon_8x12(int64_t kc, const float *a, const float *b, float *c, int64_t ldc,
                                       float alpha, float beta) {
    float32x4_t z = vdupq_n_f32(0.0f);
    float32x4_t c0_0 = z, c0_1 = z, c0_2 = z, c1_0 = z, c1_1 = z, c1_2 = z, c2_0 = z, c2_1 = z, c2_2 = z;
    float32x4_t c3_0 = z, c3_1 = z, c3_2 = z, c4_0 = z, c4_1 = z, c4_2 = z, c5_0 = z, c5_1 = z, c5_2 = z;
    float32x4_t c6_0 = z, c6_1 = z, c6_2 = z, c7_0 = z, c7_1 = z, c7_2 = z;
    int64_t k;
    for (k = 0; k < kc; k++) {
        float32x4_t b0 = vld1q_f32(b), b1 = vld1q_f32(b + 4), b2 = vld1q_f32(b + 8);
        float32x4_t a0 = vld1q_f32(a), a1 = vld1q_f32(a + 4);
        TFM__KN_ROW(0, a0, 0); TFM__KN_ROW(1, a0, 1); TFM__KN_ROW(2, a0, 2); TFM__KN_ROW(3, a0, 3);
        TFM__KN_ROW(4, a1, 0); TFM__KN_ROW(5, a1, 1); TFM__KN_ROW(6, a1, 2); TFM__KN_ROW(7, a1, 3);
        a += 8;
        b += 12;
    }
    TFM__KN_STORE(0); TFM__KN_STORE(1); TFM__KN_STORE(2); TFM__KN_STORE(3);
    TFM__KN_STORE(4); TFM__KN_STORE(5); TFM__KN_STORE(6); TFM__KN_STORE(7);
}

static void tfm__gemm_pack_b_neon(const tfm__gemm_prob *p, int nr, int64_t k0, int64_t kc, int64_t j0,
                                  int64_t nstrips, float *dst, int64_t sstride) {
    int64_t s, k, j;
    if (p->trans_b || p->bt == TFM_F32) {
        tfm__gemm_pack_b_generic(p, nr, k0, kc, j0, nstrips, dst, sstride);
        return;
    }
    for (s = 0; s < nstrips; s++) {
        float *d = dst + s * sstride;
        int64_t jb = j0 + s * nr, nc = TFM__MAX((int64_t)0, TFM__MIN((int64_t)nr, p->N - jb));
        for (k = 0; k < kc; k++) {
            float *dk = d + k * nr;
            const uint16_t *row = (const uint16_t *)p->B + (k0 + k) * p->ldb + jb;
            for (j = 0; j + 4 <= nc; j += 4) {
                uint16x4_t h = vld1_u16(row + j);
                float32x4_t v = p->bt == TFM_F16 ? vcvt_f32_f16(vreinterpret_f16_u16(h))
                                                 : vreinterpretq_f32_u32(vshll_n_u16(h, 16));
                vst1q_f32(dk + j, v);
            }
            for (; j < nc; j++) dk[j] = tfm__gemm_b_at(p, (k0 + k) * p->ldb + jb + j);
            for (; j < nr; j++) dk[j] = 0.0f;
        }
    }
}
#endif /* TFM__NEON */

/* ---- kernel families ------------------------------------------------------------------------ */

#ifndef TFM__GEMM_KC_AVX2
#define TFM__GEMM_KC_AVX2 256
#endif
#ifndef TFM__GEMM_KC_AVX512
#define TFM__GEMM_KC_AVX512 256
#endif
#ifndef TFM__GEMM_MCP_AVX2
#define TFM__GEMM_MCP_AVX2 24 /* 144 rows */
#endif
#ifndef TFM__GEMM_MCP_AVX512
#define TFM__GEMM_MCP_AVX512 12 /* 144 rows */
#endif

#if defined(TFM__X86_SIMD)
static const tfm__gemm_impl tfm__gemm_impl_avx2 = {6, 16, TFM__GEMM_KC_AVX2, TFM__GEMM_MCP_AVX2, 16,
                                                   tfm__gemm_kernel_avx2_6x16, tfm__gemm_pack_b_x86,
                                                   tfm__gemm_gemv_avx2};
#if defined(TFM__AVX512)
static const tfm__gemm_impl tfm__gemm_impl_avx512 = {12, 32, TFM__GEMM_KC_AVX512, TFM__GEMM_MCP_AVX512, 12,
                                                     tfm__gemm_kernel_avx512_12x32, tfm__gemm_pack_b_x86,
                                                     tfm__gemm_gemv_avx512};
#endif
#endif
#if defined(TFM__NEON)
static const tfm__gemm_impl tfm__gemm_impl_neon = {8, 12, 256, 16, 24, tfm__gemm_kernel_neon_8x12,
                                                   tfm__gemm_pack_b_neon, NULL};
#endif

/* NULL: the scalar reference path. */
static const tfm__gemm_impl *tfm__gemm_impl_for(tfm_isa isa) {
    switch (isa) {
#if defined(TFM__X86_SIMD)
    case TFM_ISA_AVX2: return &tfm__gemm_impl_avx2;
#if defined(TFM__AVX512)
    case TFM_ISA_AVX512: return &tfm__gemm_impl_avx512;
#endif
#endif
#if defined(TFM__NEON)
    case TFM_ISA_NEON: return &tfm__gemm_impl_neon;
#endif
    default: return NULL;
    }
}

/* ---- packed driver -------------------------------------------------------------------------- */

typedef struct tfm__gemm_plan {
    int local_b;          /* 1: each task packs its own B slice per KC step */
    int64_t mb_panels;    /* panels per M super-block (A packed for all K) */
    int64_t nb_strips;    /* strips per N super-block (shared-B mode) */
    int64_t ig_panels;    /* panels per task row group */
    int64_t jg_strips;    /* strips per task column group */
    size_t shared_floats; /* packed A super-block (+ packed B super-block) */
    size_t local_floats;  /* per-thread packed B slice (local-B mode) */
} tfm__gemm_plan;

static void tfm__gemm_make_plan(const tfm__gemm_impl *im, const tfm__gemm_prob *p, int threads, tfm__gemm_plan *pl) {
    int64_t mr = im->mr, nr = im->nr, K = p->K, kc = TFM__MIN((int64_t)im->kc, K);
    int64_t panels = (p->M + mr - 1) / mr, strips = (p->N + nr - 1) / nr, want = 4 * (int64_t)threads, n_ig;
    int64_t limit_a = (int64_t)(TFM__GEMM_SUPER_BYTES / sizeof(float)) / (K * mr);
    memset(pl, 0, sizeof *pl);
    pl->mb_panels = TFM__MAX((int64_t)1, TFM__MIN(panels, limit_a));
    pl->ig_panels = TFM__MIN((int64_t)im->mc_panels, pl->mb_panels);
    pl->local_b = panels <= pl->ig_panels;
    n_ig = (pl->mb_panels + pl->ig_panels - 1) / pl->ig_panels;
    /* column groups: enough tasks to balance the threads, never wider than the L2 budget */
    pl->jg_strips = (strips * n_ig + want - 1) / want;
    pl->jg_strips = TFM__MAX((int64_t)1, TFM__MIN(pl->jg_strips, (int64_t)im->nct_strips));
    if (threads == 1) pl->jg_strips = TFM__MIN(strips, (int64_t)im->nct_strips);
    if (pl->local_b) {
        pl->nb_strips = strips;
        pl->shared_floats = (size_t)(pl->mb_panels * mr * K);
        pl->local_floats = (size_t)(pl->jg_strips * nr * kc);
    } else {
        int64_t limit_b = (int64_t)(TFM__GEMM_SUPER_BYTES / sizeof(float)) / (K * nr);
        pl->nb_strips = TFM__MAX(pl->jg_strips, TFM__MIN(strips, limit_b / pl->jg_strips * pl->jg_strips));
        pl->shared_floats = (size_t)(pl->mb_panels * mr * K + pl->nb_strips * nr * K);
        pl->local_floats = 0;
    }
}

typedef struct tfm__gemm_job {
    const tfm__gemm_impl *im;
    const tfm__gemm_prob *p;
    const tfm__gemm_plan *pl;
    int64_t m0_panel, n_panels; /* this M super-block, in panels */
    int64_t s0_strip, n_strips; /* this N super-block, in strips */
    int64_t n_pack_a, n_pack_b; /* packing tasks */
    float *ap, *bp;             /* shared packed A / B */
    float *serial_local;        /* serial runs: the local B buffer; else per-thread pool scratch */
    tfm_pool *pool;
    size_t local_bytes;
} tfm__gemm_job;

#define TFM__GEMM_PACK_GROUP 4 /* panels or strips per packing task */

static void tfm__gemm_pack_task(void *arg, int64_t task, int thread_index) {
    tfm__gemm_job *j = (tfm__gemm_job *)arg;
    const tfm__gemm_impl *im = j->im;
    const int64_t K = j->p->K, g = TFM__GEMM_PACK_GROUP;
    int64_t i, first, last;
    TFM__UNUSED(thread_index);
    if (task < j->n_pack_a) {
        first = task * g;
        last = TFM__MIN(first + g, j->n_panels);
        for (i = first; i < last; i++)
            tfm__gemm_pack_a(j->p, im->mr, (j->m0_panel + i) * im->mr, j->ap + i * K * im->mr);
    } else {
        first = (task - j->n_pack_a) * g;
        last = TFM__MIN(first + g, j->n_strips);
        im->pack_b(j->p, im->nr, 0, K, (j->s0_strip + first) * im->nr, last - first, j->bp + first * K * im->nr,
                   K * im->nr);
    }
}

static void tfm__gemm_compute_task(void *arg, int64_t task, int thread_index) {
    tfm__gemm_job *j = (tfm__gemm_job *)arg;
    const tfm__gemm_impl *im = j->im;
    const tfm__gemm_prob *p = j->p;
    const tfm__gemm_plan *pl = j->pl;
    const int64_t mr = im->mr, nr = im->nr, K = p->K;
    int64_t n_jg = (j->n_strips + pl->jg_strips - 1) / pl->jg_strips;
    int64_t ig = task / n_jg, jg = task % n_jg;
    int64_t pa0 = ig * pl->ig_panels, pa1 = TFM__MIN(pa0 + pl->ig_panels, j->n_panels);
    int64_t sb0 = jg * pl->jg_strips, sb1 = TFM__MIN(sb0 + pl->jg_strips, j->n_strips);
    float *loc = NULL;
    float tile[TFM__GEMM_MAX_TILE];
    int64_t pc, s, pa;
    if (pl->local_b)
        loc = j->serial_local ? j->serial_local : (float *)tfm__pool_scratch(j->pool, thread_index, j->local_bytes);
    for (pc = 0; pc < K; pc += im->kc) {
        int64_t kc = TFM__MIN((int64_t)im->kc, K - pc);
        float beta = pc == 0 ? p->beta : 1.0f;
        if (pl->local_b)
            im->pack_b(p, (int)nr, pc, kc, (j->s0_strip + sb0) * nr, sb1 - sb0, loc, kc * nr);
        for (s = sb0; s < sb1; s++) {
            const float *b = pl->local_b ? loc + (s - sb0) * kc * nr : j->bp + s * K * nr + pc * nr;
            int64_t col = (j->s0_strip + s) * nr, nc = TFM__MIN(nr, p->N - col);
            for (pa = pa0; pa < pa1; pa++) {
                const float *a = j->ap + pa * K * mr + pc * mr;
                int64_t row = (j->m0_panel + pa) * mr, mrows = TFM__MIN(mr, p->M - row);
                float *c = p->C + row * p->ldc + col;
                if (mrows == mr && nc == nr) {
                    im->kernel(kc, a, b, c, p->ldc, p->alpha, beta);
                } else {
                    int64_t r, q;
                    im->kernel(kc, a, b, tile, nr, p->alpha, 0.0f);
                    for (r = 0; r < mrows; r++)
                        for (q = 0; q < nc; q++) {
                            float *cq = c + r * p->ldc + q;
                            *cq = beta == 0.0f ? tile[r * nr + q] : tile[r * nr + q] + beta * *cq;
                        }
                }
            }
        }
    }
}

/* Runs one problem. pool: threads to spread over (NULL serial). Buffers: `shared` holds
   plan.shared_floats; serial runs pass `serial_local` (plan.local_floats), pooled runs use the
   per-thread slots (already grown by the caller). */
static void tfm__gemm_packed_run(const tfm__gemm_impl *im, const tfm__gemm_prob *p, const tfm__gemm_plan *pl,
                                 tfm_pool *pool, float *shared, float *serial_local) {
    const int64_t mr = im->mr, nr = im->nr;
    int64_t panels = (p->M + mr - 1) / mr, strips = (p->N + nr - 1) / nr, sb, mb;
    tfm__gemm_job j;
    memset(&j, 0, sizeof j);
    j.im = im;
    j.p = p;
    j.pl = pl;
    j.pool = pool;
    j.serial_local = serial_local;
    j.local_bytes = pl->local_floats * sizeof(float);
    j.ap = shared;
    j.bp = shared + pl->mb_panels * mr * p->K;
    for (sb = 0; sb < strips; sb += pl->nb_strips) {
        j.s0_strip = sb;
        j.n_strips = TFM__MIN(pl->nb_strips, strips - sb);
        for (mb = 0; mb < panels; mb += pl->mb_panels) {
            int64_t n_ig, n_jg;
            j.m0_panel = mb;
            j.n_panels = TFM__MIN(pl->mb_panels, panels - mb);
            j.n_pack_a = (j.n_panels + TFM__GEMM_PACK_GROUP - 1) / TFM__GEMM_PACK_GROUP;
            j.n_pack_b = (!pl->local_b && mb == 0) ? (j.n_strips + TFM__GEMM_PACK_GROUP - 1) / TFM__GEMM_PACK_GROUP : 0;
            tfm_pool_for(pool, j.n_pack_a + j.n_pack_b, tfm__gemm_pack_task, &j);
            n_ig = (j.n_panels + pl->ig_panels - 1) / pl->ig_panels;
            n_jg = (j.n_strips + pl->jg_strips - 1) / pl->jg_strips;
            tfm_pool_for(pool, n_ig * n_jg, tfm__gemm_compute_task, &j);
        }
    }
}

typedef struct tfm__gemv_job {
    const tfm__gemm_impl *im;
    const tfm__gemm_prob *p;
    int64_t chunk;
} tfm__gemv_job;

static void tfm__gemm_gemv_task(void *arg, int64_t task, int thread_index) {
    const tfm__gemv_job *g = (const tfm__gemv_job *)arg;
    int64_t n0 = task * g->chunk;
    TFM__UNUSED(thread_index);
    g->im->gemv(g->p, n0, TFM__MIN(n0 + g->chunk, g->p->N));
}

/* ---- validation and entry points ------------------------------------------------------------ */

static tfm_status tfm__gemm_check(const char *fn, int trans_b, int64_t M, int64_t N, int64_t K, const float *A,
                                  int64_t lda, tfm_dtype b_dtype, const void *B, int64_t ldb, const float *C,
                                  int64_t ldc) {
    if (M < 0 || N < 0 || K < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: negative size (M=%lld N=%lld K=%lld)", fn, (long long)M,
                         (long long)N, (long long)K);
    if (b_dtype != TFM_F32 && b_dtype != TFM_F16 && b_dtype != TFM_BF16)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "%s: B dtype %s not supported (F32, F16 or BF16)", fn,
                         tfm_dtype_name(b_dtype));
    if (lda < K)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: lda=%lld < K=%lld", fn, (long long)lda, (long long)K);
    if (ldb < (trans_b ? K : N))
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: ldb=%lld < %s=%lld (trans_b=%d)", fn, (long long)ldb,
                         trans_b ? "K" : "N", (long long)(trans_b ? K : N), trans_b);
    if (ldc < N)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: ldc=%lld < N=%lld", fn, (long long)ldc, (long long)N);
    if (M > 0 && K > 0 && !A) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: A is NULL", fn);
    if (N > 0 && K > 0 && !B) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: B is NULL", fn);
    if (M > 0 && N > 0 && !C) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: C is NULL", fn);
    return TFM_OK;
}

/* Runs `batch` problems that differ only in their A/B/C pointers. */
typedef struct tfm__gemm_batch_job {
    const tfm__gemm_impl *im;
    const tfm__gemm_prob *p0;
    const tfm__gemm_plan *pl;
    int64_t sa, sb, sc;
    size_t bt_size;
    tfm_pool *pool;
    size_t per_thread_floats;
} tfm__gemm_batch_job;

static tfm__gemm_prob tfm__gemm_item(const tfm__gemm_batch_job *bj, int64_t i) {
    tfm__gemm_prob q = *bj->p0;
    q.A = bj->p0->A ? bj->p0->A + i * bj->sa : NULL;
    q.B = bj->p0->B ? (const void *)((const unsigned char *)bj->p0->B + (size_t)(i * bj->sb) * bj->bt_size) : NULL;
    q.C = bj->p0->C + i * bj->sc;
    return q;
}

/* One whole problem on the calling thread with the given buffer. */
static void tfm__gemm_serial(const tfm__gemm_impl *im, const tfm__gemm_prob *p, const tfm__gemm_plan *pl, float *buf) {
    if (p->K == 0 || p->alpha == 0.0f) tfm__gemm_scale_c(p);
    else if (!im) tfm__gemm_ref_rows(p, 0, p->M);
    else if (im->gemv && p->M <= TFM__GEMM_SMALL_M) im->gemv(p, 0, p->N);
    else tfm__gemm_packed_run(im, p, pl, NULL, buf, buf + pl->shared_floats);
}

static void tfm__gemm_batch_task(void *arg, int64_t task, int thread_index) {
    const tfm__gemm_batch_job *bj = (const tfm__gemm_batch_job *)arg;
    tfm__gemm_prob q = tfm__gemm_item(bj, task);
    float *buf = bj->per_thread_floats
                     ? (float *)tfm__pool_scratch(bj->pool, thread_index, bj->per_thread_floats * sizeof(float))
                     : NULL;
    tfm__gemm_serial(bj->im, &q, bj->pl, buf);
}

static tfm_status tfm__gemm_dispatch(const tfm_ctx *ctx, int64_t batch, const tfm__gemm_prob *p0, int64_t sa,
                                     int64_t sb, int64_t sc) {
    tfm_pool *pool = ctx ? ctx->pool : NULL;
    const tfm__gemm_impl *im = tfm__gemm_impl_for(tfm__ctx_isa(ctx));
    int threads = tfm_pool_threads(pool);
    double flops = 2.0 * (double)p0->M * (double)p0->N * (double)p0->K;
    tfm__gemm_batch_job bj;
    tfm__gemm_plan pl;
    int64_t i;
    int packed = im && p0->K > 0 && p0->alpha != 0.0f && !(im->gemv && p0->M <= TFM__GEMM_SMALL_M);
    if (batch == 0 || p0->M == 0 || p0->N == 0) return TFM_OK;
    memset(&bj, 0, sizeof bj);
    bj.im = im;
    bj.p0 = p0;
    bj.pl = &pl;
    bj.sa = sa;
    bj.sb = sb;
    bj.sc = sc;
    bj.bt_size = tfm_dtype_size(p0->bt);
    bj.pool = pool;
    memset(&pl, 0, sizeof pl);

    /* Batches of small problems: one problem per task, each on one thread. */
    if (batch > 1 && threads > 1 && (batch >= 4 * (int64_t)threads || flops < 4e6)) {
        if (packed) {
            int t;
            tfm__gemm_make_plan(im, p0, 1, &pl);
            bj.per_thread_floats = pl.shared_floats + pl.local_floats;
            for (t = 0; t < threads; t++)
                if (!tfm__pool_scratch(pool, t, bj.per_thread_floats * sizeof(float)))
                    return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm: %zu bytes of packing scratch",
                                     bj.per_thread_floats * sizeof(float));
        }
        tfm_pool_for(pool, batch, tfm__gemm_batch_task, &bj);
        return TFM_OK;
    }

    for (i = 0; i < batch; i++) {
        tfm__gemm_prob q = tfm__gemm_item(&bj, i);
        if (q.K == 0 || q.alpha == 0.0f) {
            tfm__gemm_scale_c(&q);
        } else if (!im) {
            tfm_pool_for(pool, (q.M + 7) / 8, tfm__gemm_ref_task, &q);
        } else if (im->gemv && q.M <= TFM__GEMM_SMALL_M) {
            tfm__gemv_job g;
            /* trans_b: rows of B are independent, many small chunks balance well; otherwise each
               task sweeps all K rows of its columns, so fewer, wider chunks read longer runs */
            int64_t chunks = TFM__MAX((int64_t)1, TFM__MIN((q.N + 15) / 16, (q.trans_b ? 8 : 2) * (int64_t)threads));
            g.im = im;
            g.p = &q;
            g.chunk = (q.N + chunks - 1) / chunks;
            g.chunk = (g.chunk + 15) / 16 * 16; /* whole vector groups; results never depend on it */
            tfm_pool_for(pool, (q.N + g.chunk - 1) / g.chunk, tfm__gemm_gemv_task, &g);
        } else {
            float *shared, *heap = NULL;
            tfm__gemm_make_plan(im, &q, threads, &pl);
            if (pool) {
                int t;
                shared = (float *)tfm__pool_scratch(pool, threads, pl.shared_floats * sizeof(float));
                for (t = 0; shared && pl.local_floats && t < threads; t++)
                    if (!tfm__pool_scratch(pool, t, pl.local_floats * sizeof(float))) shared = NULL;
                if (!shared)
                    return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm: no memory for packing buffers");
                tfm__gemm_packed_run(im, &q, &pl, pool, shared, NULL);
            } else {
                heap = (float *)tfm__aligned_alloc((pl.shared_floats + pl.local_floats) * sizeof(float));
                if (!heap) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm: no memory for packing buffers");
                tfm__gemm_packed_run(im, &q, &pl, NULL, heap, heap + pl.shared_floats);
                tfm__aligned_free(heap);
            }
        }
    }
    return TFM_OK;
}

TFMDEF tfm_status tfm_gemm(const tfm_ctx *ctx, int trans_b, int64_t M, int64_t N, int64_t K, float alpha,
                           const float *A, int64_t lda, tfm_dtype b_dtype, const void *B, int64_t ldb, float beta,
                           float *C, int64_t ldc) {
    tfm__gemm_prob p;
    tfm_status st = tfm__gemm_check("tfm_gemm", trans_b, M, N, K, A, lda, b_dtype, B, ldb, C, ldc);
    if (st != TFM_OK) return st;
    p.trans_b = trans_b != 0;
    p.M = M;
    p.N = N;
    p.K = K;
    p.alpha = alpha;
    p.beta = beta;
    p.A = A;
    p.lda = lda;
    p.bt = b_dtype;
    p.B = B;
    p.ldb = ldb;
    p.C = C;
    p.ldc = ldc;
    return tfm__gemm_dispatch(ctx, 1, &p, 0, 0, 0);
}

TFMDEF tfm_status tfm_gemm_batched(const tfm_ctx *ctx, int64_t batch, int trans_b, int64_t M, int64_t N, int64_t K,
                                   float alpha, const float *A, int64_t lda, int64_t stride_a, tfm_dtype b_dtype,
                                   const void *B, int64_t ldb, int64_t stride_b, float beta, float *C, int64_t ldc,
                                   int64_t stride_c) {
    tfm__gemm_prob p;
    tfm_status st;
    if (batch < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_batched: negative batch %lld", (long long)batch);
    if (stride_a < 0 || stride_b < 0 || stride_c < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_batched: negative stride (a=%lld b=%lld c=%lld)",
                         (long long)stride_a, (long long)stride_b, (long long)stride_c);
    st = tfm__gemm_check("tfm_gemm_batched", trans_b, M, N, K, A, lda, b_dtype, B, ldb, C, ldc);
    if (st != TFM_OK) return st;
    if (batch > 1 && M > 0 && N > 0 && stride_c < (M - 1) * ldc + N)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_batched: stride_c=%lld makes outputs overlap",
                         (long long)stride_c);
    p.trans_b = trans_b != 0;
    p.M = M;
    p.N = N;
    p.K = K;
    p.alpha = alpha;
    p.beta = beta;
    p.A = A;
    p.lda = lda;
    p.bt = b_dtype;
    p.B = B;
    p.ldb = ldb;
    p.C = C;
    p.ldc = ldc;
    return tfm__gemm_dispatch(ctx, batch, &p, stride_a, stride_b, stride_c);
}

TFMDEF tfm_status tfm_linear(const tfm_ctx *ctx, const float *x, int64_t M, int64_t K, const tfm_tensor *W,
                             const float *bias, float *y) {
    int64_t N, i;
    if (!W) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_linear: W is NULL");
    if (W->ndim != 2)
        return tfm__fail(TFM_ERR_SHAPE, "tfm_linear: W must be 2-D [N,K], got %d dims", W->ndim);
    if (W->shape[1] != K)
        return tfm__fail(TFM_ERR_SHAPE, "tfm_linear: W is [%lld,%lld] but x has K=%lld", (long long)W->shape[0],
                         (long long)W->shape[1], (long long)K);
    N = W->shape[0];
    if (W->dtype != TFM_F32 && W->dtype != TFM_F16 && W->dtype != TFM_BF16)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "tfm_linear: W dtype %s not supported (F32, F16 or BF16)",
                         tfm_dtype_name(W->dtype));
    if (N > 0 && K > 0 && !W->data) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_linear: W has no data");
    if (M > 0 && K > 0 && !x) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_linear: x is NULL");
    if (M < 0 || K < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_linear: negative size (M=%lld K=%lld)",
                                         (long long)M, (long long)K);
    if (M > 0 && N > 0 && !y) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_linear: y is NULL");
    if (bias && M > 0 && N > 0) {
        for (i = 0; i < M; i++) memcpy(y + i * N, bias, (size_t)N * sizeof(float));
        return tfm_gemm(ctx, 1, M, N, K, 1.0f, x, K, W->dtype, W->data, K, 1.0f, y, N);
    }
    return tfm_gemm(ctx, 1, M, N, K, 1.0f, x, K, W->dtype, W->data, K, 0.0f, y, N);
}

/* =============================================================================================
   [SECTION 7] element-wise, normalisation, attention and convolution kernels
   Owns every op except GEMM. Row-wise ops are split over rows (each row always computed the
   same way), so thread count never changes a bit. Inner loops have AVX2/AVX-512 variants where
   they matter (dot products and axpy in attention); the rest is plain C.
   ============================================================================================= */

typedef void (*tfm__rows_fn)(void *arg, int64_t row);
typedef struct tfm__rows_job {
    tfm__rows_fn fn;
    void *arg;
    int64_t rows, rows_per_task;
} tfm__rows_job;

static void tfm__rows_task(void *arg, int64_t task, int thread_index) {
    tfm__rows_job *job = (tfm__rows_job *)arg;
    int64_t r, end = TFM__MIN(job->rows, (task + 1) * job->rows_per_task);
    TFM__UNUSED(thread_index);
    for (r = task * job->rows_per_task; r < end; r++) job->fn(job->arg, r);
}

/* Runs fn on every row, in parallel when the work (rows * cols) is worth waking the pool. */
static void tfm__for_rows(const tfm_ctx *ctx, int64_t rows, int64_t cols, tfm__rows_fn fn, void *arg) {
    tfm__rows_job job;
    tfm_pool *pool = ctx ? ctx->pool : NULL;
    int threads = tfm_pool_threads(pool);
    job.fn = fn;
    job.arg = arg;
    job.rows = rows;
    if (threads <= 1 || rows * cols < 16384 || rows < 2) {
        int64_t r;
        for (r = 0; r < rows; r++) fn(arg, r);
        return;
    }
    job.rows_per_task = TFM__MAX((int64_t)1, rows / (threads * 4));
    tfm_pool_for(pool, (rows + job.rows_per_task - 1) / job.rows_per_task, tfm__rows_task, &job);
}

/* ---- dot product and axpy, per ISA ---- */

static float tfm__dot_scalar(const float *a, const float *b, int64_t n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}
static void tfm__axpy_scalar(float *y, float a, const float *x, int64_t n) {
    int64_t i;
    for (i = 0; i < n; i++) y[i] += a * x[i];
}

#if defined(TFM__X86_SIMD)
__attribute__((target("avx2,fma"))) static float tfm__hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
__attribute__((target("avx2,fma"))) static float tfm__dot_avx2(const float *a, const float *b, int64_t n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    int64_t i = 0;
    float tail = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), s1);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), s0);
    for (; i < n; i++) tail += a[i] * b[i];
    return tfm__hsum256(_mm256_add_ps(s0, s1)) + tail;
}
__attribute__((target("avx2,fma"))) static void tfm__axpy_avx2(float *y, float a, const float *x, int64_t n) {
    __m256 va = _mm256_set1_ps(a);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] += a * x[i];
}
#if defined(TFM__AVX512)
__attribute__((target("avx512f,avx2,fma"))) static float tfm__dot_avx512(const float *a, const float *b, int64_t n) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), s1);
    }
    for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), s0);
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), s1);
    }
    { /* not _mm512_reduce_add_ps: GCC 12's version warns under -Wuninitialized in C++ */
        float lanes[16], sum = 0;
        int l;
        _mm512_storeu_ps(lanes, _mm512_add_ps(s0, s1));
        for (l = 0; l < 16; l++) sum += lanes[l];
        return sum;
    }
}
__attribute__((target("avx512f,avx2,fma"))) static void tfm__axpy_avx512(float *y, float a, const float *x, int64_t n) {
    __m512 va = _mm512_set1_ps(a);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, m, _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i)));
    }
}
#endif
#endif

typedef float (*tfm__dot_fn)(const float *, const float *, int64_t);
typedef void (*tfm__axpy_fn)(float *, float, const float *, int64_t);

static void tfm__vec_kernels(tfm_isa isa, tfm__dot_fn *dot, tfm__axpy_fn *axpy) {
    *dot = tfm__dot_scalar;
    *axpy = tfm__axpy_scalar;
#if defined(TFM__X86_SIMD)
    if (isa == TFM_ISA_AVX2) {
        *dot = tfm__dot_avx2;
        *axpy = tfm__axpy_avx2;
    }
#if defined(TFM__AVX512)
    if (isa == TFM_ISA_AVX512) {
        *dot = tfm__dot_avx512;
        *axpy = tfm__axpy_avx512;
    }
#endif
#else
    TFM__UNUSED(isa);
#endif
}

/* ---- normalisation ---- */

typedef struct tfm__norm_args {
    const float *x, *gamma, *beta;
    float *y;
    int64_t cols;
    float eps;
} tfm__norm_args;

static void tfm__layer_norm_row(void *arg, int64_t r) {
    const tfm__norm_args *a = (const tfm__norm_args *)arg;
    const float *x = a->x + r * a->cols;
    float *y = a->y + r * a->cols;
    double sum = 0, sq = 0;
    float mean, inv;
    int64_t i;
    for (i = 0; i < a->cols; i++) sum += x[i];
    mean = (float)(sum / (double)a->cols);
    for (i = 0; i < a->cols; i++) {
        double d = (double)x[i] - mean;
        sq += d * d;
    }
    inv = (float)(1.0 / sqrt(sq / (double)a->cols + a->eps));
    for (i = 0; i < a->cols; i++) {
        float v = (x[i] - mean) * inv;
        if (a->gamma) v *= a->gamma[i];
        if (a->beta) v += a->beta[i];
        y[i] = v;
    }
}

TFMDEF void tfm_layer_norm(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, const float *gamma,
                           const float *beta, float eps, float *y) {
    tfm__norm_args a;
    if (!x || !y || rows <= 0 || cols <= 0) return;
    a.x = x;
    a.gamma = gamma;
    a.beta = beta;
    a.y = y;
    a.cols = cols;
    a.eps = eps;
    tfm__for_rows(ctx, rows, cols, tfm__layer_norm_row, &a);
}

static void tfm__rms_norm_row(void *arg, int64_t r) {
    const tfm__norm_args *a = (const tfm__norm_args *)arg;
    const float *x = a->x + r * a->cols;
    float *y = a->y + r * a->cols;
    double sq = 0;
    float inv;
    int64_t i;
    for (i = 0; i < a->cols; i++) sq += (double)x[i] * x[i];
    inv = (float)(1.0 / sqrt(sq / (double)a->cols + a->eps));
    for (i = 0; i < a->cols; i++) y[i] = a->gamma ? a->gamma[i] * (x[i] * inv) : x[i] * inv;
}

TFMDEF void tfm_rms_norm(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, const float *gamma, float eps,
                         float *y) {
    tfm__norm_args a;
    if (!x || !y || rows <= 0 || cols <= 0) return;
    memset(&a, 0, sizeof a);
    a.x = x;
    a.gamma = gamma;
    a.y = y;
    a.cols = cols;
    a.eps = eps;
    tfm__for_rows(ctx, rows, cols, tfm__rms_norm_row, &a);
}

/* ---- softmax ---- */

typedef struct tfm__softmax_args {
    const float *x, *mask;
    float *y;
    int64_t cols;
    float scale;
} tfm__softmax_args;

/* softmax of scale*x+mask over n entries into y (x == y allowed). */
static void tfm__softmax_1(const float *x, const float *mask, int64_t n, float scale, float *y) {
    float mx = -INFINITY, sum = 0;
    int64_t i;
    for (i = 0; i < n; i++) {
        float v = x[i] * scale + (mask ? mask[i] : 0.0f);
        y[i] = v;
        if (v > mx) mx = v;
    }
    if (mx == -INFINITY) {
        for (i = 0; i < n; i++) y[i] = 0;
        return;
    }
    for (i = 0; i < n; i++) {
        y[i] = expf(y[i] - mx);
        sum += y[i];
    }
    sum = 1.0f / sum;
    for (i = 0; i < n; i++) y[i] *= sum;
}

static void tfm__softmax_row(void *arg, int64_t r) {
    const tfm__softmax_args *a = (const tfm__softmax_args *)arg;
    tfm__softmax_1(a->x + r * a->cols, a->mask ? a->mask + r * a->cols : NULL, a->cols, a->scale, a->y + r * a->cols);
}

TFMDEF void tfm_softmax(const tfm_ctx *ctx, const float *x, int64_t rows, int64_t cols, float scale, const float *mask,
                        float *y) {
    tfm__softmax_args a;
    if (!x || !y || rows <= 0 || cols <= 0) return;
    a.x = x;
    a.mask = mask;
    a.y = y;
    a.cols = cols;
    a.scale = scale;
    tfm__for_rows(ctx, rows, cols, tfm__softmax_row, &a);
}

/* ---- activations ---- */

TFMDEF tfm_status tfm_act_from_name(const char *name, tfm_act *out) {
    static const struct {
        const char *name;
        tfm_act act;
    } names[] = {
        {"gelu", TFM_ACT_GELU},           {"gelu_new", TFM_ACT_GELU_TANH}, {"gelu_pytorch_tanh", TFM_ACT_GELU_TANH},
        {"gelu_fast", TFM_ACT_GELU_TANH}, {"relu", TFM_ACT_RELU},          {"silu", TFM_ACT_SILU},
        {"swish", TFM_ACT_SILU},          {"quick_gelu", TFM_ACT_QUICK_GELU}, {"tanh", TFM_ACT_TANH},
        {"sigmoid", TFM_ACT_SIGMOID},     {"linear", TFM_ACT_IDENTITY},    {"identity", TFM_ACT_IDENTITY},
    };
    size_t i;
    if (!out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_act_from_name: NULL output");
    for (i = 0; name && i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].act;
            return TFM_OK;
        }
    }
    return tfm__fail(TFM_ERR_UNSUPPORTED, "activation '%s' is not supported", name ? name : "(null)");
}

static float tfm__act1(tfm_act act, float x) {
    switch (act) {
    case TFM_ACT_IDENTITY: return x;
    case TFM_ACT_RELU: return x > 0 ? x : 0.0f;
    case TFM_ACT_GELU: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case TFM_ACT_GELU_TANH: return 0.5f * x * (1.0f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
    case TFM_ACT_SILU: return x / (1.0f + expf(-x));
    case TFM_ACT_SIGMOID: return 1.0f / (1.0f + expf(-x));
    case TFM_ACT_TANH: return tanhf(x);
    case TFM_ACT_QUICK_GELU: return x / (1.0f + expf(-1.702f * x));
    }
    return x;
}

typedef struct tfm__act_args {
    tfm_act act;
    const float *x, *up;
    float *y;
    int64_t n, chunk;
} tfm__act_args;

static void tfm__act_chunk(void *arg, int64_t c) {
    const tfm__act_args *a = (const tfm__act_args *)arg;
    int64_t i, end = TFM__MIN(a->n, (c + 1) * a->chunk);
    for (i = c * a->chunk; i < end; i++) {
        float v = tfm__act1(a->act, a->x[i]);
        a->y[i] = a->up ? v * a->up[i] : v;
    }
}

static void tfm__act_run(const tfm_ctx *ctx, tfm_act act, const float *x, const float *up, int64_t n, float *y) {
    tfm__act_args a;
    if (!x || !y || n <= 0) return;
    a.act = act;
    a.x = x;
    a.up = up;
    a.y = y;
    a.n = n;
    a.chunk = 4096;
    tfm__for_rows(ctx, (n + a.chunk - 1) / a.chunk, a.chunk, tfm__act_chunk, &a);
}

TFMDEF void tfm_activation(const tfm_ctx *ctx, tfm_act act, const float *x, int64_t n, float *y) {
    tfm__act_run(ctx, act, x, NULL, n, y);
}
TFMDEF void tfm_glu(const tfm_ctx *ctx, tfm_act act, const float *gate, const float *up, int64_t n, float *y) {
    if (!up) return;
    tfm__act_run(ctx, act, gate, up, n, y);
}

TFMDEF void tfm_add(const float *a, const float *b, int64_t n, float *y) {
    int64_t i;
    for (i = 0; i < n; i++) y[i] = a[i] + b[i];
}
TFMDEF void tfm_mul(const float *a, const float *b, int64_t n, float *y) {
    int64_t i;
    for (i = 0; i < n; i++) y[i] = a[i] * b[i];
}
TFMDEF void tfm_scale(const float *x, float s, int64_t n, float *y) {
    int64_t i;
    for (i = 0; i < n; i++) y[i] = x[i] * s;
}
TFMDEF void tfm_add_bias(float *y, int64_t rows, int64_t cols, const float *bias) {
    int64_t r, c;
    if (!y || !bias) return;
    for (r = 0; r < rows; r++)
        for (c = 0; c < cols; c++) y[r * cols + c] += bias[c];
}

/* ---- embedding, rotary ---- */

TFMDEF tfm_status tfm_embedding(const tfm_tensor *table, const int64_t *ids, int64_t n, float *y) {
    int64_t i, dim;
    size_t esize;
    if (!table || !ids || !y || n < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_embedding: NULL argument");
    if (table->ndim != 2 || !tfm_dtype_is_float(table->dtype))
        return tfm__fail(TFM_ERR_SHAPE, "tfm_embedding: table must be a 2-D float tensor");
    dim = table->shape[1];
    esize = tfm_dtype_size(table->dtype);
    for (i = 0; i < n; i++) {
        if (ids[i] < 0 || ids[i] >= table->shape[0])
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_embedding: id %lld at position %lld is outside [0, %lld)",
                             (long long)ids[i], (long long)i, (long long)table->shape[0]);
        tfm_convert_to_f32(table->dtype, (const unsigned char *)table->data + (size_t)(ids[i] * dim) * esize,
                           y + i * dim, (size_t)dim);
    }
    return TFM_OK;
}

TFMDEF void tfm_rope_tables(const float *inv_freq, int64_t rot_dim, int64_t pos0, int64_t seq, float attention_scaling,
                            float *cos_out, float *sin_out) {
    int64_t s, i, half = rot_dim / 2;
    for (s = 0; s < seq; s++) {
        for (i = 0; i < half; i++) {
            float f = (float)(pos0 + s) * inv_freq[i]; /* float32 product, as HF computes it */
            float c = cosf(f) * attention_scaling, sn = sinf(f) * attention_scaling;
            cos_out[s * rot_dim + i] = cos_out[s * rot_dim + i + half] = c;
            sin_out[s * rot_dim + i] = sin_out[s * rot_dim + i + half] = sn;
        }
    }
}

TFMDEF void tfm_rope(float *x, int64_t heads, int64_t seq, int64_t head_dim, int64_t rot_dim, const float *cos_t,
                     const float *sin_t, int interleaved) {
    int64_t h, s, i, half = rot_dim / 2;
    if (!x || !cos_t || !sin_t || rot_dim > head_dim || rot_dim < 2) return;
    for (h = 0; h < heads; h++) {
        for (s = 0; s < seq; s++) {
            float *v = x + (h * seq + s) * head_dim;
            const float *c = cos_t + s * rot_dim, *sn = sin_t + s * rot_dim;
            for (i = 0; i < half; i++) {
                if (interleaved) {
                    float a = v[2 * i], b = v[2 * i + 1];
                    v[2 * i] = a * c[i] - b * sn[i];
                    v[2 * i + 1] = b * c[i] + a * sn[i];
                } else {
                    float a = v[i], b = v[i + half];
                    v[i] = a * c[i] - b * sn[i];
                    v[i + half] = b * c[i + half] + a * sn[i + half];
                }
            }
        }
    }
}

/* ---- attention ---- */

typedef struct tfm__attn_job {
    const tfm_attention_params *p;
    const float *q, *k, *v;
    float *out, *scratch;
    float scale;
    tfm__dot_fn dot;
    tfm__axpy_fn axpy;
} tfm__attn_job;

/* One task = one (batch, query head) pair; scores for one query row at a time in the thread's scratch. */
static void tfm__attn_task(void *arg, int64_t task, int thread_index) {
    const tfm__attn_job *j = (const tfm__attn_job *)arg;
    const tfm_attention_params *p = j->p;
    int64_t b = task / p->q_heads, h = task % p->q_heads, kvh = h / (p->q_heads / p->kv_heads);
    int64_t D = p->head_dim, Sq = p->q_len, Sk = p->kv_len, i, t;
    const float *q = j->q + (b * p->q_heads + h) * Sq * D;
    const float *k = j->k + (b * p->kv_heads + kvh) * Sk * D;
    const float *v = j->v + (b * p->kv_heads + kvh) * Sk * D;
    const uint8_t *km = p->key_mask ? p->key_mask + b * Sk : NULL;
    float *out = j->out + (b * p->q_heads + h) * Sq * D;
    float *s = j->scratch + (size_t)thread_index * (size_t)Sk;
    for (i = 0; i < Sq; i++) {
        int64_t last = p->causal ? TFM__MIN(Sk - 1, i + (Sk - Sq)) : Sk - 1;
        float mx = -INFINITY, sum = 0, inv;
        float *o = out + i * D;
        for (t = 0; t <= last; t++) {
            s[t] = (km && !km[t]) ? -INFINITY : j->dot(q + i * D, k + t * D, D) * j->scale;
            if (s[t] > mx) mx = s[t];
        }
        for (t = 0; t < D; t++) o[t] = 0;
        if (mx == -INFINITY) continue; /* nothing to attend to: zeros */
        for (t = 0; t <= last; t++) {
            s[t] = expf(s[t] - mx);
            sum += s[t];
        }
        inv = 1.0f / sum;
        for (t = 0; t <= last; t++)
            if (s[t] != 0) j->axpy(o, s[t] * inv, v + t * D, D);
    }
}

TFMDEF size_t tfm_attention_scratch_size(const tfm_ctx *ctx, const tfm_attention_params *p) {
    if (!p) return 0;
    return (size_t)tfm_pool_threads(ctx ? ctx->pool : NULL) * (size_t)TFM__MAX(p->kv_len, (int64_t)1);
}

TFMDEF tfm_status tfm_attention(const tfm_ctx *ctx, const tfm_attention_params *p, const float *q, const float *k,
                                const float *v, float *out, float *scratch) {
    tfm__attn_job j;
    float *owned = NULL;
    if (!p || !q || !k || !v || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_attention: NULL argument");
    if (p->batch <= 0 || p->q_heads <= 0 || p->kv_heads <= 0 || p->q_len <= 0 || p->kv_len <= 0 || p->head_dim <= 0 ||
        p->q_heads % p->kv_heads != 0)
        return tfm__fail(TFM_ERR_SHAPE, "tfm_attention: bad shape (batch %lld, heads %lld/%lld, len %lld/%lld, dim %lld)",
                         (long long)p->batch, (long long)p->q_heads, (long long)p->kv_heads, (long long)p->q_len,
                         (long long)p->kv_len, (long long)p->head_dim);
    if (!scratch) {
        owned = (float *)tfm__aligned_alloc(tfm_attention_scratch_size(ctx, p) * sizeof(float));
        if (!owned) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "attention scratch");
        scratch = owned;
    }
    j.p = p;
    j.q = q;
    j.k = k;
    j.v = v;
    j.out = out;
    j.scratch = scratch;
    j.scale = p->scale > 0 ? p->scale : 1.0f / sqrtf((float)p->head_dim);
    tfm__vec_kernels(tfm__ctx_isa(ctx), &j.dot, &j.axpy);
    tfm_pool_for(ctx ? ctx->pool : NULL, p->batch * p->q_heads, tfm__attn_task, &j);
    tfm__aligned_free(owned);
    return TFM_OK;
}

/* ---- convolutions: im2col + GEMM (depthwise: direct) ---- */

TFMDEF int64_t tfm_conv_out_len(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int64_t dilation) {
    int64_t span = dilation * (kernel - 1) + 1;
    if (stride <= 0 || in + 2 * pad < span) return -1;
    return (in + 2 * pad - span) / stride + 1;
}

/* Shared by conv1d (kh == 1, height == 1) and conv2d. */
static tfm_status tfm__conv2d(const tfm_ctx *ctx, const float *x, int64_t batch, int64_t c_in, int64_t height,
                              int64_t width, const tfm_tensor *w, const float *bias, int64_t sh, int64_t sw, int64_t ph,
                              int64_t pw, int64_t dil, int64_t groups, float *out, const char *what) {
    int64_t c_out, cig, cog, kh, kw, ho, wo, patch, b, g, oy, ox, c, ky, kx;
    float *col = NULL, *tmp = NULL;
    tfm_status st = TFM_OK;
    if (!x || !w || !out || !w->data) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "%s: NULL argument", what);
    if (w->dtype != TFM_F32 && w->dtype != TFM_F16 && w->dtype != TFM_BF16)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "%s: weight dtype %s", what, tfm_dtype_name(w->dtype));
    c_out = w->shape[0];
    cig = w->shape[1];
    kh = w->ndim == 4 ? w->shape[2] : 1;
    kw = w->shape[w->ndim - 1];
    if (groups <= 0 || c_in % groups || c_out % groups || cig != c_in / groups || batch <= 0)
        return tfm__fail(TFM_ERR_SHAPE, "%s: weight [%lld, %lld, ...] does not fit %lld input channels in %lld groups",
                         what, (long long)c_out, (long long)cig, (long long)c_in, (long long)groups);
    cog = c_out / groups;
    ho = tfm_conv_out_len(height, kh, sh, ph, dil);
    wo = tfm_conv_out_len(width, kw, sw, pw, dil);
    if (ho <= 0 || wo <= 0) return tfm__fail(TFM_ERR_SHAPE, "%s: input %lldx%lld is smaller than the kernel", what,
                                             (long long)height, (long long)width);
    patch = cig * kh * kw;
    if (cig == 1 && cog == 1) {
        /* depthwise: one small kernel per channel, direct loops */
        float *k32 = (float *)tfm__malloc((size_t)(kh * kw) * sizeof(float));
        if (!k32) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "%s", what);
        for (b = 0; b < batch; b++) {
            for (c = 0; c < c_in; c++) {
                const float *xc = x + (b * c_in + c) * height * width;
                float *oc = out + (b * c_out + c) * ho * wo;
                tfm_convert_to_f32(w->dtype, (const unsigned char *)w->data + (size_t)(c * kh * kw) * tfm_dtype_size(w->dtype),
                                   k32, (size_t)(kh * kw));
                for (oy = 0; oy < ho; oy++) {
                    for (ox = 0; ox < wo; ox++) {
                        float acc = bias ? bias[c] : 0.0f;
                        for (ky = 0; ky < kh; ky++) {
                            int64_t iy = oy * sh - ph + ky * dil;
                            if (iy < 0 || iy >= height) continue;
                            for (kx = 0; kx < kw; kx++) {
                                int64_t ix = ox * sw - pw + kx * dil;
                                if (ix >= 0 && ix < width) acc += xc[iy * width + ix] * k32[ky * kw + kx];
                            }
                        }
                        oc[oy * wo + ox] = acc;
                    }
                }
            }
        }
        TFM_FREE(k32);
        return TFM_OK;
    }
    col = (float *)tfm__aligned_alloc((size_t)(ho * wo * patch) * sizeof(float));
    tmp = (float *)tfm__aligned_alloc((size_t)(ho * wo * cog) * sizeof(float));
    if (!col || !tmp) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "%s: im2col buffer of %lld floats", what, (long long)(ho * wo * patch));
        goto done;
    }
    for (b = 0; b < batch; b++) {
        for (g = 0; g < groups; g++) {
            /* col[oy*wo+ox][c*kh*kw + ky*kw + kx] = x[b, g*cig + c, iy, ix] (0 outside) */
            for (oy = 0; oy < ho; oy++) {
                for (ox = 0; ox < wo; ox++) {
                    float *row = col + (oy * wo + ox) * patch;
                    for (c = 0; c < cig; c++) {
                        const float *xc = x + (b * c_in + g * cig + c) * height * width;
                        for (ky = 0; ky < kh; ky++) {
                            int64_t iy = oy * sh - ph + ky * dil;
                            for (kx = 0; kx < kw; kx++) {
                                int64_t ix = ox * sw - pw + kx * dil;
                                row[(c * kh + ky) * kw + kx] =
                                    (iy >= 0 && iy < height && ix >= 0 && ix < width) ? xc[iy * width + ix] : 0.0f;
                            }
                        }
                    }
                }
            }
            st = tfm_gemm(ctx, 1, ho * wo, cog, patch, 1.0f, col, patch, w->dtype,
                          (const unsigned char *)w->data + (size_t)(g * cog * patch) * tfm_dtype_size(w->dtype), patch,
                          0.0f, tmp, cog);
            if (st != TFM_OK) goto done;
            for (c = 0; c < cog; c++) {
                float *oc = out + (b * c_out + g * cog + c) * ho * wo;
                float bv = bias ? bias[g * cog + c] : 0.0f;
                int64_t pix;
                for (pix = 0; pix < ho * wo; pix++) oc[pix] = tmp[pix * cog + c] + bv;
            }
        }
    }
done:
    tfm__aligned_free(col);
    tfm__aligned_free(tmp);
    return st;
}

TFMDEF tfm_status tfm_conv1d(const tfm_ctx *ctx, const float *x, int64_t batch, int64_t c_in, int64_t length,
                             const tfm_tensor *w, const float *bias, int64_t stride, int64_t pad, int64_t dilation,
                             int64_t groups, float *out) {
    if (!w || w->ndim != 3) return tfm__fail(TFM_ERR_SHAPE, "tfm_conv1d: weight must be [out, in/groups, kernel]");
    return tfm__conv2d(ctx, x, batch, c_in, 1, length, w, bias, 1, stride, 0, pad, dilation, groups, out, "tfm_conv1d");
}

TFMDEF tfm_status tfm_conv2d(const tfm_ctx *ctx, const float *x, int64_t batch, int64_t c_in, int64_t height,
                             int64_t width, const tfm_tensor *w, const float *bias, int64_t stride_h, int64_t stride_w,
                             int64_t pad_h, int64_t pad_w, int64_t groups, float *out) {
    if (!w || w->ndim != 4) return tfm__fail(TFM_ERR_SHAPE, "tfm_conv2d: weight must be [out, in/groups, kh, kw]");
    return tfm__conv2d(ctx, x, batch, c_in, height, width, w, bias, stride_h, stride_w, pad_h, pad_w, 1, groups, out,
                       "tfm_conv2d");
}

TFMDEF tfm_status tfm_permute(const float *x, int ndim, const int64_t *shape, const int *perm, float *y) {
    int64_t in_stride[TFM_MAX_DIMS], out_shape[TFM_MAX_DIMS], idx[TFM_MAX_DIMS], total = 1, n;
    int d, seen = 0;
    if (!x || !y || !shape || !perm || ndim < 1 || ndim > TFM_MAX_DIMS)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_permute: bad arguments");
    for (d = ndim - 1; d >= 0; d--) {
        if (perm[d] < 0 || perm[d] >= ndim || (seen >> perm[d]) & 1)
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_permute: perm is not a permutation");
        seen |= 1 << perm[d];
        in_stride[d] = total;
        total *= shape[d];
    }
    for (d = 0; d < ndim; d++) {
        out_shape[d] = shape[perm[d]];
        idx[d] = 0;
    }
    for (n = 0; n < total; n++) {
        int64_t src = 0;
        for (d = 0; d < ndim; d++) src += idx[d] * in_stride[perm[d]];
        y[n] = x[src];
        for (d = ndim - 1; d >= 0; d--) {
            if (++idx[d] < out_shape[d]) break;
            idx[d] = 0;
        }
    }
    return TFM_OK;
}

/* =============================================================================================
   [SECTION 8] safetensors (read, validate, write) and sharded folders
   Owns tfm_weights: header parsing with every rule of the reference implementation checked
   before any tensor is used, the name hash, lazy shard mapping, converted copies, and the
   writer. Headers are read with plain reads; the data of a shard is mapped on first access.
   ============================================================================================= */

/* Growable byte buffer; `failed` latches on allocation failure so appends can be chained. */
typedef struct tfm__buf {
    char *data;
    size_t len, cap;
    int failed;
} tfm__buf;

static void tfm__buf_append(tfm__buf *b, const void *bytes, size_t n) {
    if (b->failed) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *d;
        while (cap < b->len + n + 1) cap *= 2;
        d = (char *)TFM_REALLOC(b->data, cap);
        if (!d) {
            b->failed = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = 0;
}
static void tfm__buf_puts(tfm__buf *b, const char *s) { tfm__buf_append(b, s, strlen(s)); }
static void tfm__buf_printf(tfm__buf *b, const char *fmt, ...) TFM__PRINTF(2, 3);
static void tfm__buf_printf(tfm__buf *b, const char *fmt, ...) {
    char tmp[256];
    int n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) b->failed = 1;
    else if ((size_t)n < sizeof tmp) tfm__buf_append(b, tmp, (size_t)n);
    else {
        char *big = (char *)tfm__malloc((size_t)n + 1);
        if (!big) {
            b->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        tfm__buf_append(b, big, (size_t)n);
        TFM_FREE(big);
    }
}
/* Appends s as a JSON string literal (UTF-8 kept, controls escaped). */
static void tfm__buf_json_string(tfm__buf *b, const char *s, size_t n) {
    size_t i, run = 0;
    tfm__buf_append(b, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        tfm__buf_append(b, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': tfm__buf_puts(b, "\\\""); break;
        case '\\': tfm__buf_puts(b, "\\\\"); break;
        case '\n': tfm__buf_puts(b, "\\n"); break;
        case '\r': tfm__buf_puts(b, "\\r"); break;
        case '\t': tfm__buf_puts(b, "\\t"); break;
        default: tfm__buf_printf(b, "\\u%04x", c); break;
        }
    }
    tfm__buf_append(b, s + run, n - run);
    tfm__buf_append(b, "\"", 1);
}

typedef struct tfm__shard {
    char *path;           /* NULL for an in-memory image */
    uint64_t file_size;
    uint64_t data_start;  /* 8 + header length */
    tfm__file file;       /* mapped lazily */
    int mapped;
    const unsigned char *memory; /* borrowed image (tfm_weights_open_memory) */
} tfm__shard;

struct tfm_weights {
    tfm__shard *shards;
    int n_shards;
    tfm_tensor_info *tensors; /* sorted by name */
    int64_t n_tensors, cap_tensors;
    int64_t *hash;            /* open addressing over tensors, -1 empty */
    size_t hash_mask;
    char **meta_keys, **meta_values;
    int64_t n_meta;
    void **converted;         /* per tensor: f32 copy made by tfm_weights_tensor, or NULL */
    tfm__chunk *strings;      /* names and metadata */
#if !defined(TFM_NO_THREADS)
    pthread_mutex_t lock;
#endif
};

static uint64_t tfm__hash_str(const char *s) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

static char *tfm__weights_strdup(tfm_weights *w, const char *s) {
    size_t n = strlen(s) + 1;
    char *d = (char *)tfm__chunk_alloc(&w->strings, n);
    if (d) memcpy(d, s, n);
    return d;
}

static int tfm__little_endian(void) {
    uint16_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

typedef struct tfm__st_entry {
    const tfm_json *node;
    uint64_t begin, end;
} tfm__st_entry;

static int tfm__st_entry_cmp(const void *a, const void *b) {
    const tfm__st_entry *x = (const tfm__st_entry *)a, *y = (const tfm__st_entry *)b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : (x->end > y->end);
}

/* Non-negative JSON integer or -1. */
static int64_t tfm__json_uint(const tfm_json *n) {
    if (!tfm_json_is_int(n) || n->ival < 0) return -1;
    return n->ival;
}

static tfm_status tfm__weights_add(tfm_weights *w, const tfm_tensor_info *t) {
    if (w->n_tensors == w->cap_tensors) {
        int64_t cap = w->cap_tensors ? w->cap_tensors * 2 : 64;
        tfm_tensor_info *p = (tfm_tensor_info *)TFM_REALLOC(w->tensors, (size_t)cap * sizeof *p);
        if (!p) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tensor table");
        w->tensors = p;
        w->cap_tensors = cap;
    }
    w->tensors[w->n_tensors++] = *t;
    return TFM_OK;
}

static tfm_status tfm__weights_add_meta(tfm_weights *w, const char *key, const char *value) {
    char **k = (char **)TFM_REALLOC(w->meta_keys, (size_t)(w->n_meta + 1) * sizeof(char *)), **v;
    if (!k) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "metadata");
    w->meta_keys = k;
    v = (char **)TFM_REALLOC(w->meta_values, (size_t)(w->n_meta + 1) * sizeof(char *));
    if (!v) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "metadata");
    w->meta_values = v;
    k[w->n_meta] = tfm__weights_strdup(w, key);
    v[w->n_meta] = tfm__weights_strdup(w, value);
    if (!k[w->n_meta] || !v[w->n_meta]) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "metadata");
    w->n_meta++;
    return TFM_OK;
}

/* Validates one safetensors header (JSON text) against a file of file_size bytes and appends its
   tensors to w with the given shard index. `wanted`, when not NULL, is an index's weight_map:
   only tensors it maps to `shard_name` are kept. */
static tfm_status tfm__st_parse_header(tfm_weights *w, const char *json_text, size_t header_len, uint64_t file_size,
                                       int shard, int keep_metadata, const char *what) {
    tfm_json *root = tfm_json_parse(json_text, header_len, NULL);
    tfm__st_entry *entries = NULL;
    size_t i, n = 0;
    uint64_t expect = 0, data_start = 8 + (uint64_t)header_len;
    tfm_status st = TFM_OK;
    if (!root) return tfm__prefix_error(TFM_ERR_FORMAT, what);
    if (tfm_json_kind(root) != TFM_JSON_OBJECT) {
        st = tfm__fail(TFM_ERR_FORMAT, "%s: header is not a JSON object", what);
        goto done;
    }
    entries = (tfm__st_entry *)tfm__calloc(tfm_json_len(root) + 1, sizeof *entries);
    if (!entries) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "%s: header of %zu entries", what, tfm_json_len(root));
        goto done;
    }
    for (i = 0; i < tfm_json_len(root); i++) {
        const tfm_json *e = tfm_json_at(root, i), *dt, *shape, *offs;
        const char *name = tfm_json_key_at(root, i);
        if (strcmp(name, "__metadata__") == 0) {
            size_t k;
            if (tfm_json_kind(e) != TFM_JSON_OBJECT) {
                st = tfm__fail(TFM_ERR_FORMAT, "%s: __metadata__ is not an object", what);
                goto done;
            }
            for (k = 0; k < tfm_json_len(e); k++) {
                const tfm_json *v = tfm_json_at(e, k);
                if (tfm_json_kind(v) != TFM_JSON_STRING) {
                    st = tfm__fail(TFM_ERR_FORMAT, "%s: __metadata__ value of '%s' is not a string", what,
                                   tfm_json_key_at(e, k));
                    goto done;
                }
                if (keep_metadata && (st = tfm__weights_add_meta(w, tfm_json_key_at(e, k), tfm_json_str(v))) != TFM_OK)
                    goto done;
            }
            continue;
        }
        if (tfm_json_kind(e) != TFM_JSON_OBJECT) {
            st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s' is not described by an object", what, name);
            goto done;
        }
        dt = tfm_json_get(e, "dtype");
        shape = tfm_json_get(e, "shape");
        offs = tfm_json_get(e, "data_offsets");
        if (tfm_json_kind(dt) != TFM_JSON_STRING || tfm_json_kind(shape) != TFM_JSON_ARRAY ||
            tfm_json_kind(offs) != TFM_JSON_ARRAY || tfm_json_len(offs) != 2) {
            st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s' needs \"dtype\" (string), \"shape\" (array) and "
                           "\"data_offsets\" ([begin, end])", what, name);
            goto done;
        }
        entries[n].node = e;
        {
            int64_t b = tfm__json_uint(tfm_json_at(offs, 0)), en = tfm__json_uint(tfm_json_at(offs, 1));
            if (b < 0 || en < 0 || en < b) {
                st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s': data_offsets must be non-negative integers with "
                               "begin <= end", what, name);
                goto done;
            }
            entries[n].begin = (uint64_t)b;
            entries[n].end = (uint64_t)en;
        }
        n++;
    }
    qsort(entries, n, sizeof *entries, tfm__st_entry_cmp);
    for (i = 0; i < n; i++) {
        tfm_tensor_info t;
        const tfm_json *e = entries[i].node, *shape = tfm_json_get(e, "shape");
        const char *name = e->key;
        size_t d;
        uint64_t numel = 1, bytes = 0;
        memset(&t, 0, sizeof t);
        if (tfm_dtype_from_name(tfm_json_str(tfm_json_get(e, "dtype")), &t.dtype) != TFM_OK) {
            st = tfm__fail(TFM_ERR_UNSUPPORTED, "%s: tensor '%s' has dtype '%s', which this version does not read",
                           what, name, tfm_json_str(tfm_json_get(e, "dtype")));
            goto done;
        }
        if (tfm_json_len(shape) > TFM_MAX_DIMS) {
            st = tfm__fail(TFM_ERR_UNSUPPORTED, "%s: tensor '%s' has %zu dimensions (at most %d)", what, name,
                           tfm_json_len(shape), TFM_MAX_DIMS);
            goto done;
        }
        t.ndim = (int)tfm_json_len(shape);
        for (d = 0; d < tfm_json_len(shape); d++) {
            int64_t v = tfm__json_uint(tfm_json_at(shape, d));
            if (v < 0) {
                st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s': shape[%zu] is not a non-negative integer", what, name, d);
                goto done;
            }
            t.shape[d] = v;
            if (!tfm__mul_u64(numel, (uint64_t)v, &numel) || numel > (uint64_t)INT64_MAX) {
                st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s': element count overflows", what, name);
                goto done;
            }
        }
        if (!tfm__mul_u64(numel, tfm_dtype_size(t.dtype), &bytes) || bytes != entries[i].end - entries[i].begin) {
            st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s': shape and dtype %s need %llu bytes but data_offsets "
                           "[%llu, %llu] span %llu", what, name, tfm_dtype_name(t.dtype), (unsigned long long)bytes,
                           (unsigned long long)entries[i].begin, (unsigned long long)entries[i].end,
                           (unsigned long long)(entries[i].end - entries[i].begin));
            goto done;
        }
        if (entries[i].begin != expect) {
            st = tfm__fail(TFM_ERR_FORMAT, "%s: tensor '%s' starts at data offset %llu but the previous tensor ends at "
                           "%llu (%s)", what, name, (unsigned long long)entries[i].begin, (unsigned long long)expect,
                           entries[i].begin < expect ? "overlap" : "gap");
            goto done;
        }
        expect = entries[i].end;
        t.numel = (int64_t)numel;
        t.nbytes = bytes;
        t.offset = data_start + entries[i].begin;
        t.shard = shard;
        t.name = tfm__weights_strdup(w, name);
        if (!t.name) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tensor names");
            goto done;
        }
        if ((st = tfm__weights_add(w, &t)) != TFM_OK) goto done;
    }
    if (data_start + expect != file_size) {
        st = tfm__fail(TFM_ERR_FORMAT, "%s: tensors end at byte %llu but the file has %llu bytes (%s)", what,
                       (unsigned long long)(data_start + expect), (unsigned long long)file_size,
                       data_start + expect > file_size ? "truncated" : "trailing bytes");
        goto done;
    }
done:
    TFM_FREE(entries);
    tfm_json_free(root);
    return st;
}

/* Reads the header of a safetensors image: from memory (bytes != NULL) or from path. */
static tfm_status tfm__st_read_header(tfm_weights *w, int shard, int keep_metadata) {
    tfm__shard *s = &w->shards[shard];
    const char *what = s->path ? s->path : "safetensors image";
    unsigned char len8[8];
    uint64_t header_len = 0;
    char *header = NULL;
    tfm_status st;
    int i;
    FILE *fp = NULL;
    if (s->memory) {
        if (s->file_size < 8) return tfm__fail(TFM_ERR_FORMAT, "%s: %llu bytes, shorter than the 8-byte header length",
                                                what, (unsigned long long)s->file_size);
        memcpy(len8, s->memory, 8);
    } else {
        fp = fopen(s->path, "rb");
        if (!fp) return tfm__fail(TFM_ERR_IO, "cannot open '%s': %s", s->path, strerror(errno));
        if (fseek(fp, 0, SEEK_END) != 0) {
            fclose(fp);
            return tfm__fail(TFM_ERR_IO, "cannot size '%s'", s->path);
        }
        {
            long end = ftell(fp);
            if (end < 0) {
                fclose(fp);
                return tfm__fail(TFM_ERR_IO, "cannot size '%s'", s->path);
            }
            s->file_size = (uint64_t)end;
        }
        if (s->file_size < 8 || fseek(fp, 0, SEEK_SET) != 0 || fread(len8, 1, 8, fp) != 8) {
            fclose(fp);
            return tfm__fail(TFM_ERR_FORMAT, "%s: %llu bytes, shorter than the 8-byte header length", what,
                             (unsigned long long)s->file_size);
        }
    }
    for (i = 7; i >= 0; i--) header_len = (header_len << 8) | len8[i];
    if (header_len > TFM_MAX_HEADER_BYTES) {
        if (fp) fclose(fp);
        return tfm__fail(TFM_ERR_FORMAT, "%s: header length %llu exceeds the limit of %llu bytes", what,
                         (unsigned long long)header_len, (unsigned long long)TFM_MAX_HEADER_BYTES);
    }
    if (header_len > s->file_size - 8) {
        if (fp) fclose(fp);
        return tfm__fail(TFM_ERR_FORMAT, "%s: header length %llu runs past the end of the %llu-byte file", what,
                         (unsigned long long)header_len, (unsigned long long)s->file_size);
    }
    if (s->memory) {
        header = (char *)s->memory + 8;
    } else {
        header = (char *)tfm__malloc((size_t)header_len + 1);
        if (!header) {
            fclose(fp);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "%s: header of %llu bytes", what, (unsigned long long)header_len);
        }
        if (fread(header, 1, (size_t)header_len, fp) != (size_t)header_len) {
            fclose(fp);
            TFM_FREE(header);
            return tfm__fail(TFM_ERR_IO, "%s: short read of the header", what);
        }
        fclose(fp);
    }
    s->data_start = 8 + header_len;
    if (header_len == 0 || header[0] != '{') {
        st = tfm__fail(TFM_ERR_FORMAT, "%s: header does not start with '{'", what);
    } else {
        st = tfm__st_parse_header(w, header, (size_t)header_len, s->file_size, shard, keep_metadata, what);
    }
    if (!s->memory) TFM_FREE(header);
    return st;
}

static int tfm__info_name_cmp(const void *a, const void *b) {
    return strcmp(((const tfm_tensor_info *)a)->name, ((const tfm_tensor_info *)b)->name);
}

static int tfm__info_name_shard_cmp(const void *a, const void *b) {
    const tfm_tensor_info *x = (const tfm_tensor_info *)a, *y = (const tfm_tensor_info *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->shard > y->shard) - (x->shard < y->shard);
}

/* Sorts by name, builds the hash, rejects duplicate names. */
static tfm_status tfm__weights_index(tfm_weights *w) {
    size_t cap = 16;
    int64_t i;
    if (w->n_tensors) qsort(w->tensors, (size_t)w->n_tensors, sizeof *w->tensors, tfm__info_name_cmp);
    for (i = 1; i < w->n_tensors; i++) {
        if (strcmp(w->tensors[i - 1].name, w->tensors[i].name) == 0)
            return tfm__fail(TFM_ERR_FORMAT, "tensor '%s' appears twice", w->tensors[i].name);
    }
    while (cap < (size_t)w->n_tensors * 2) cap *= 2;
    w->hash = (int64_t *)tfm__malloc(cap * sizeof(int64_t));
    w->converted = (void **)tfm__calloc((size_t)w->n_tensors + 1, sizeof(void *));
    if (!w->hash || !w->converted) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tensor index");
    memset(w->hash, 0xff, cap * sizeof(int64_t));
    w->hash_mask = cap - 1;
    for (i = 0; i < w->n_tensors; i++) {
        size_t h = (size_t)tfm__hash_str(w->tensors[i].name) & w->hash_mask;
        while (w->hash[h] >= 0) h = (h + 1) & w->hash_mask;
        w->hash[h] = i;
    }
    return TFM_OK;
}

static tfm_weights *tfm__weights_new(int n_shards) {
    tfm_weights *w = (tfm_weights *)tfm__calloc(1, sizeof *w);
    if (!w) return NULL;
    w->shards = (tfm__shard *)tfm__calloc((size_t)n_shards, sizeof(tfm__shard));
    if (!w->shards) {
        TFM_FREE(w);
        return NULL;
    }
    w->n_shards = n_shards;
#if !defined(TFM_NO_THREADS)
    pthread_mutex_init(&w->lock, NULL);
#endif
    return w;
}

TFMDEF void tfm_weights_close(tfm_weights *w) {
    int i;
    if (!w) return;
    for (i = 0; i < w->n_shards; i++) {
        if (w->shards[i].mapped) tfm__file_close(&w->shards[i].file);
        TFM_FREE(w->shards[i].path);
    }
    if (w->converted) {
        int64_t t;
        for (t = 0; t < w->n_tensors; t++) tfm__aligned_free(w->converted[t]);
    }
#if !defined(TFM_NO_THREADS)
    pthread_mutex_destroy(&w->lock);
#endif
    TFM_FREE(w->converted);
    TFM_FREE(w->shards);
    TFM_FREE(w->tensors);
    TFM_FREE(w->hash);
    TFM_FREE(w->meta_keys);
    TFM_FREE(w->meta_values);
    tfm__chunks_free(w->strings);
    TFM_FREE(w);
}

static tfm_status tfm__weights_fail_close(tfm_weights *w, tfm_status st) {
    tfm_weights_close(w);
    return st;
}

TFMDEF tfm_status tfm_weights_open_memory(const void *bytes, size_t size, tfm_weights **out) {
    tfm_weights *w;
    tfm_status st;
    if (!out || (!bytes && size)) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_open_memory: NULL argument");
    *out = NULL;
    if (!tfm__little_endian()) return tfm__fail(TFM_ERR_UNSUPPORTED, "big-endian hosts are not supported");
    w = tfm__weights_new(1);
    if (!w) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "weights");
    w->shards[0].memory = (const unsigned char *)(bytes ? bytes : "");
    w->shards[0].file_size = size;
    if ((st = tfm__st_read_header(w, 0, 1)) != TFM_OK || (st = tfm__weights_index(w)) != TFM_OK)
        return tfm__weights_fail_close(w, st);
    *out = w;
    return TFM_OK;
}

/* Rejects shard names that leave the index's folder. */
static int tfm__safe_relative_path(const char *p) {
    const char *c;
    if (!*p || p[0] == '/' || p[0] == '\\') return 0;
    for (c = p; *c; c++) {
        if (*c == '\\' || *c == ':') return 0;
        if (c[0] == '.' && c[1] == '.' && (c == p || c[-1] == '/') && (c[2] == 0 || c[2] == '/')) return 0;
    }
    return 1;
}

static tfm_status tfm__weights_open_index(const char *index_path, tfm_weights **out) {
    tfm_json *root = tfm_json_parse_file(index_path);
    const tfm_json *map, *meta;
    tfm_weights *w = NULL;
    char *dir = NULL;
    const char **shard_names = NULL;
    int n_shards = 0;
    size_t i;
    tfm_status st = TFM_OK;
    if (!root) return TFM_ERR_FORMAT;
    map = tfm_json_get(root, "weight_map");
    if (tfm_json_kind(map) != TFM_JSON_OBJECT) {
        tfm_json_free(root);
        return tfm__fail(TFM_ERR_FORMAT, "%s: no \"weight_map\" object", index_path);
    }
    shard_names = (const char **)tfm__calloc(tfm_json_len(map) + 1, sizeof(char *));
    dir = tfm__path_dirname(index_path);
    if (!shard_names || !dir) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "index");
        goto done;
    }
    for (i = 0; i < tfm_json_len(map); i++) {
        const char *file = tfm_json_str(tfm_json_at(map, i));
        int s;
        if (!file || !tfm__safe_relative_path(file)) {
            st = tfm__fail(TFM_ERR_FORMAT, "%s: weight_map entry '%s' must name a shard file inside the folder",
                           index_path, tfm_json_key_at(map, i));
            goto done;
        }
        for (s = 0; s < n_shards && strcmp(shard_names[s], file) != 0; s++) {
        }
        if (s == n_shards) shard_names[n_shards++] = file;
    }
    w = tfm__weights_new(n_shards ? n_shards : 1);
    if (!w) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "weights");
        goto done;
    }
    w->n_shards = n_shards;
    for (i = 0; i < (size_t)n_shards; i++) {
        w->shards[i].path = tfm__path_join(dir, shard_names[i]);
        if (!w->shards[i].path) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "shard path");
            goto done;
        }
        if ((st = tfm__st_read_header(w, (int)i, 0)) != TFM_OK) {
            if (st == TFM_ERR_IO)
                st = tfm__fail(TFM_ERR_NOT_FOUND, "%s: shard '%s' named in the weight_map cannot be opened: %s",
                               index_path, shard_names[i], tfm_last_error());
            goto done;
        }
    }
    /* keep exactly the tensors the weight_map assigns to each shard (a name may also sit in
       another shard: the map decides, as transformers' loader does) */
    if (w->n_tensors) qsort(w->tensors, (size_t)w->n_tensors, sizeof *w->tensors, tfm__info_name_shard_cmp);
    {
        tfm_tensor_info *kept = (tfm_tensor_info *)tfm__calloc(tfm_json_len(map) + 1, sizeof *kept);
        size_t n_kept = 0;
        if (!kept) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "index");
            goto done;
        }
        for (i = 0; i < tfm_json_len(map); i++) {
            const char *name = tfm_json_key_at(map, i), *file = tfm_json_str(tfm_json_at(map, i));
            const tfm_tensor_info *t;
            int s;
            for (s = 0; strcmp(shard_names[s], file) != 0; s++) {
            }
            {
                tfm_tensor_info key;
                memset(&key, 0, sizeof key);
                key.name = name;
                key.shard = s;
                t = (const tfm_tensor_info *)bsearch(&key, w->tensors, (size_t)w->n_tensors, sizeof key,
                                                     tfm__info_name_shard_cmp);
            }
            if (!t) {
                TFM_FREE(kept);
                st = tfm__fail(TFM_ERR_FORMAT, "%s: weight_map puts '%s' in '%s', which does not hold it", index_path,
                               name, file);
                goto done;
            }
            kept[n_kept++] = *t;
        }
        TFM_FREE(w->tensors);
        w->tensors = kept;
        w->n_tensors = w->cap_tensors = (int64_t)n_kept;
        if ((st = tfm__weights_index(w)) != TFM_OK) goto done;
    }
    meta = tfm_json_get(root, "metadata");
    for (i = 0; i < tfm_json_len(meta) && tfm_json_kind(meta) == TFM_JSON_OBJECT; i++) {
        const tfm_json *v = tfm_json_at(meta, i);
        char num[64];
        const char *text = tfm_json_str(v);
        if (!text && tfm_json_kind(v) == TFM_JSON_NUMBER) {
            if (tfm_json_is_int(v)) snprintf(num, sizeof num, "%lld", (long long)tfm_json_int(v, 0));
            else snprintf(num, sizeof num, "%.17g", tfm_json_num(v, 0));
            text = num;
        }
        if (text && (st = tfm__weights_add_meta(w, tfm_json_key_at(meta, i), text)) != TFM_OK) goto done;
    }
done:
    TFM_FREE(shard_names);
    TFM_FREE(dir);
    tfm_json_free(root);
    if (st != TFM_OK) {
        tfm_weights_close(w);
        return st;
    }
    *out = w;
    return TFM_OK;
}

static int tfm__ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

TFMDEF tfm_status tfm_weights_open(const char *path, tfm_weights **out) {
    int kind;
    tfm_weights *w;
    tfm_status st;
    if (!path || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_open: NULL argument");
    *out = NULL;
    if (!tfm__little_endian()) return tfm__fail(TFM_ERR_UNSUPPORTED, "big-endian hosts are not supported");
    kind = tfm__path_kind(path);
    if (kind < 0) return tfm__fail(TFM_ERR_IO, "'%s' does not exist", path);
    if (kind == 1) {
        char *index = tfm__path_join(path, "model.safetensors.index.json");
        char *single = tfm__path_join(path, "model.safetensors");
        if (!index || !single) {
            TFM_FREE(index);
            TFM_FREE(single);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "path");
        }
        if (tfm__path_kind(single) == 0) st = tfm_weights_open(single, out);
        else if (tfm__path_kind(index) == 0) st = tfm_weights_open(index, out);
        else st = tfm__fail(TFM_ERR_NOT_FOUND, "'%s' holds neither model.safetensors nor model.safetensors.index.json "
                            "(.bin and .pt checkpoints are not read: convert them to safetensors)", path);
        TFM_FREE(index);
        TFM_FREE(single);
        return st;
    }
    if (tfm__ends_with(path, ".json")) return tfm__weights_open_index(path, out);
    w = tfm__weights_new(1);
    if (!w) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "weights");
    w->shards[0].path = tfm__strdup(path);
    if (!w->shards[0].path) return tfm__weights_fail_close(w, tfm__fail(TFM_ERR_OUT_OF_MEMORY, "path"));
    if ((st = tfm__st_read_header(w, 0, 1)) != TFM_OK || (st = tfm__weights_index(w)) != TFM_OK)
        return tfm__weights_fail_close(w, st);
    *out = w;
    return TFM_OK;
}

TFMDEF int64_t tfm_weights_count(const tfm_weights *w) { return w ? w->n_tensors : 0; }
TFMDEF const tfm_tensor_info *tfm_weights_info(const tfm_weights *w, int64_t index) {
    return (w && index >= 0 && index < w->n_tensors) ? &w->tensors[index] : NULL;
}
TFMDEF const tfm_tensor_info *tfm_weights_find(const tfm_weights *w, const char *name) {
    size_t h;
    if (!w || !name || !w->hash) return NULL;
    for (h = (size_t)tfm__hash_str(name) & w->hash_mask; w->hash[h] >= 0; h = (h + 1) & w->hash_mask) {
        if (strcmp(w->tensors[w->hash[h]].name, name) == 0) return &w->tensors[w->hash[h]];
    }
    tfm__fail(TFM_ERR_NOT_FOUND, "no tensor named '%s'", name);
    return NULL;
}
TFMDEF int tfm_weights_shard_count(const tfm_weights *w) { return w ? w->n_shards : 0; }
TFMDEF const char *tfm_weights_shard_path(const tfm_weights *w, int shard) {
    return (w && shard >= 0 && shard < w->n_shards) ? (w->shards[shard].path ? w->shards[shard].path : "(memory)") : NULL;
}
TFMDEF const char *tfm_weights_metadata(const tfm_weights *w, const char *key) {
    int64_t i;
    if (!w || !key) return NULL;
    for (i = 0; i < w->n_meta; i++)
        if (strcmp(w->meta_keys[i], key) == 0) return w->meta_values[i];
    return NULL;
}
TFMDEF int64_t tfm_weights_metadata_count(const tfm_weights *w) { return w ? w->n_meta : 0; }
TFMDEF const char *tfm_weights_metadata_key(const tfm_weights *w, int64_t index) {
    return (w && index >= 0 && index < w->n_meta) ? w->meta_keys[index] : NULL;
}

static void tfm__weights_lock(tfm_weights *w) {
#if !defined(TFM_NO_THREADS)
    pthread_mutex_lock(&w->lock);
#else
    TFM__UNUSED(w);
#endif
}
static void tfm__weights_unlock(tfm_weights *w) {
#if !defined(TFM_NO_THREADS)
    pthread_mutex_unlock(&w->lock);
#else
    TFM__UNUSED(w);
#endif
}

static int tfm__info_belongs(const tfm_weights *w, const tfm_tensor_info *t) {
    return w && t && t >= w->tensors && t < w->tensors + w->n_tensors;
}

TFMDEF tfm_status tfm_weights_data(tfm_weights *w, const tfm_tensor_info *t, const void **data) {
    tfm__shard *s;
    if (!data) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_data: NULL output");
    *data = NULL;
    if (!tfm__info_belongs(w, t))
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_data: tensor info does not belong to these weights");
    s = &w->shards[t->shard];
    if (s->memory) {
        *data = s->memory + t->offset;
        return TFM_OK;
    }
    if (!TFM__ATOMIC_LOAD(&s->mapped)) {
        tfm_status st = TFM_OK;
        tfm__weights_lock(w);
        if (!s->mapped) {
            st = tfm__file_open(s->path, &s->file);
            if (st == TFM_OK && s->file.size != s->file_size) {
                tfm__file_close(&s->file);
                st = tfm__fail(TFM_ERR_IO, "'%s' changed size since it was opened", s->path);
            }
            if (st == TFM_OK) TFM__ATOMIC_STORE(&s->mapped, 1);
        }
        tfm__weights_unlock(w);
        if (st != TFM_OK) return st;
    }
    *data = s->file.data + t->offset;
    return TFM_OK;
}

TFMDEF tfm_status tfm_weights_read_f32(tfm_weights *w, const tfm_tensor_info *t, float *dst, int64_t capacity) {
    const void *src;
    tfm_status st;
    if (!dst) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_read_f32: NULL destination");
    if ((st = tfm_weights_data(w, t, &src)) != TFM_OK) return st;
    if (capacity < t->numel)
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s' has %lld elements, the buffer holds %lld", t->name,
                         (long long)t->numel, (long long)capacity);
    return tfm_convert_to_f32(t->dtype, src, dst, (size_t)t->numel);
}

TFMDEF tfm_status tfm_weights_tensor(tfm_weights *w, const char *name, tfm_tensor *out) {
    const tfm_tensor_info *t;
    const void *src;
    tfm_status st;
    size_t esize;
    if (!out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_weights_tensor: NULL output");
    memset(out, 0, sizeof *out);
    t = tfm_weights_find(w, name);
    if (!t) return TFM_ERR_NOT_FOUND;
    if ((st = tfm_weights_data(w, t, &src)) != TFM_OK) return st;
    esize = tfm_dtype_size(t->dtype);
    if ((t->dtype == TFM_F32 || t->dtype == TFM_F16 || t->dtype == TFM_BF16) && ((uintptr_t)src % esize) == 0) {
        return tfm_tensor_view(out, t->dtype, t->ndim, t->shape, (void *)src);
    }
    {
        int64_t idx = t - w->tensors;
        tfm__weights_lock(w);
        if (!w->converted[idx]) {
            float *f = (float *)tfm__aligned_alloc((size_t)t->numel * sizeof(float));
            if (!f) {
                tfm__weights_unlock(w);
                return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "f32 copy of '%s' (%lld elements)", t->name, (long long)t->numel);
            }
            tfm_convert_to_f32(t->dtype, src, f, (size_t)t->numel);
            w->converted[idx] = f;
        }
        tfm__weights_unlock(w);
        return tfm_tensor_view(out, TFM_F32, t->ndim, t->shape, w->converted[idx]);
    }
}

typedef struct tfm__write_order {
    const tfm_tensor *t;
    const char *name;
} tfm__write_order;

static int tfm__write_order_cmp(const void *a, const void *b) {
    const tfm__write_order *x = (const tfm__write_order *)a, *y = (const tfm__write_order *)b;
    size_t sx = tfm_dtype_size(x->t->dtype), sy = tfm_dtype_size(y->t->dtype);
    if (sx != sy) return sx > sy ? -1 : 1;
    return strcmp(x->name, y->name);
}

TFMDEF tfm_status tfm_safetensors_write(const char *path, const tfm_tensor *tensors, const char *const *names,
                                        int64_t n_tensors, const char *const *metadata_kv, int64_t n_metadata) {
    tfm__write_order *order = NULL;
    tfm__buf header;
    FILE *fp = NULL;
    uint64_t offset = 0;
    int64_t i, d;
    tfm_status st = TFM_OK;
    memset(&header, 0, sizeof header);
    if (!path || n_tensors < 0 || (n_tensors && (!tensors || !names)) || n_metadata < 0 || (n_metadata && !metadata_kv))
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_safetensors_write: bad arguments");
    order = (tfm__write_order *)tfm__calloc((size_t)n_tensors + 1, sizeof *order);
    if (!order) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_safetensors_write");
    for (i = 0; i < n_tensors; i++) {
        const char *nm = names[i];
        if (!nm || !*nm || strcmp(nm, "__metadata__") == 0 || (unsigned)tensors[i].dtype >= TFM_DTYPE_COUNT ||
            (tensors[i].numel && !tensors[i].data)) {
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_safetensors_write: tensor %lld has no usable name, dtype or data",
                           (long long)i);
            goto done;
        }
        if (!tfm__utf8_valid(nm, strlen(nm))) {
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_safetensors_write: name of tensor %lld is not valid UTF-8",
                           (long long)i);
            goto done;
        }
        order[i].t = &tensors[i];
        order[i].name = nm;
    }
    qsort(order, (size_t)n_tensors, sizeof *order, tfm__write_order_cmp);
    for (i = 1; i < n_tensors; i++) {
        if (strcmp(order[i - 1].name, order[i].name) == 0) {
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_safetensors_write: duplicate tensor name '%s'", order[i].name);
            goto done;
        }
    }
    tfm__buf_puts(&header, "{");
    if (n_metadata) {
        tfm__buf_puts(&header, "\"__metadata__\":{");
        for (i = 0; i < n_metadata; i++) {
            const char *k = metadata_kv[2 * i], *v = metadata_kv[2 * i + 1];
            if (!k || !v || !tfm__utf8_valid(k, strlen(k)) || !tfm__utf8_valid(v, strlen(v))) {
                st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_safetensors_write: metadata entry %lld is NULL or not "
                               "valid UTF-8", (long long)i);
                goto done;
            }
            if (i) tfm__buf_puts(&header, ",");
            tfm__buf_json_string(&header, k, strlen(k));
            tfm__buf_puts(&header, ":");
            tfm__buf_json_string(&header, v, strlen(v));
        }
        tfm__buf_puts(&header, "}");
    }
    for (i = 0; i < n_tensors; i++) {
        const tfm_tensor *t = order[i].t;
        uint64_t bytes = (uint64_t)t->numel * tfm_dtype_size(t->dtype);
        if (i || n_metadata) tfm__buf_puts(&header, ",");
        tfm__buf_json_string(&header, order[i].name, strlen(order[i].name));
        tfm__buf_printf(&header, ":{\"dtype\":\"%s\",\"shape\":[", tfm_dtype_name(t->dtype));
        for (d = 0; d < t->ndim; d++) tfm__buf_printf(&header, "%s%lld", d ? "," : "", (long long)t->shape[d]);
        tfm__buf_printf(&header, "],\"data_offsets\":[%llu,%llu]}", (unsigned long long)offset,
                        (unsigned long long)(offset + bytes));
        offset += bytes;
    }
    tfm__buf_puts(&header, "}");
    while ((8 + header.len) % 8) tfm__buf_puts(&header, " ");
    if (header.failed) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_safetensors_write: header");
        goto done;
    }
    fp = fopen(path, "wb");
    if (!fp) {
        st = tfm__fail(TFM_ERR_IO, "cannot create '%s': %s", path, strerror(errno));
        goto done;
    }
    {
        unsigned char len8[8];
        uint64_t n = header.len;
        int b;
        for (b = 0; b < 8; b++) len8[b] = (unsigned char)(n >> (8 * b));
        if (fwrite(len8, 1, 8, fp) != 8 || fwrite(header.data, 1, header.len, fp) != header.len) st = TFM_ERR_IO;
    }
    for (i = 0; i < n_tensors && st == TFM_OK; i++) {
        const tfm_tensor *t = order[i].t;
        size_t bytes = (size_t)t->numel * tfm_dtype_size(t->dtype);
        if (bytes && fwrite(t->data, 1, bytes, fp) != bytes) st = TFM_ERR_IO;
    }
    if (fclose(fp) != 0) st = TFM_ERR_IO;
    fp = NULL;
    if (st != TFM_OK) {
        remove(path);
        st = tfm__fail(TFM_ERR_IO, "writing '%s' failed", path);
    }
done:
    TFM_FREE(header.data);
    TFM_FREE(order);
    return st;
}

/* =============================================================================================
   [SECTION 9] config.json
   Owns tfm_config: the parsed document plus HF's attribute aliases.
   ============================================================================================= */

struct tfm_config {
    tfm_json *root;
};

/* Each row: the canonical name first, then the names other architectures use for it. */
static const char *const tfm__config_aliases[][4] = {
    {"hidden_size", "n_embd", "d_model", NULL},
    {"num_hidden_layers", "n_layer", "num_layers", NULL},
    {"num_attention_heads", "n_head", "encoder_attention_heads", NULL},
    {"intermediate_size", "n_inner", "encoder_ffn_dim", NULL},
    {"max_position_embeddings", "n_positions", "n_ctx", NULL},
    {"layer_norm_eps", "layer_norm_epsilon", "rms_norm_eps", NULL},
    {"hidden_act", "activation_function", NULL, NULL},
    {"hidden_dropout_prob", "resid_pdrop", NULL, NULL},
};

TFMDEF const tfm_json *tfm_config_get(const tfm_config *cfg, const char *key) {
    const tfm_json *v;
    size_t r;
    int c;
    if (!cfg || !key) return NULL;
    v = tfm_json_get(cfg->root, key);
    if (v && tfm_json_kind(v) != TFM_JSON_NULL) return v;
    for (r = 0; r < sizeof tfm__config_aliases / sizeof tfm__config_aliases[0]; r++) {
        int hit = 0;
        for (c = 0; c < 4 && tfm__config_aliases[r][c]; c++) hit |= strcmp(tfm__config_aliases[r][c], key) == 0;
        if (!hit) continue;
        for (c = 0; c < 4 && tfm__config_aliases[r][c]; c++) {
            v = tfm_json_get(cfg->root, tfm__config_aliases[r][c]);
            if (v && tfm_json_kind(v) != TFM_JSON_NULL) return v;
        }
    }
    return NULL;
}

TFMDEF tfm_status tfm_config_parse(const char *text, size_t len, tfm_config **out) {
    tfm_config *cfg;
    tfm_json *root;
    if (!out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_config_parse: NULL output");
    *out = NULL;
    root = tfm_json_parse(text, len, "config.json");
    if (!root) return TFM_ERR_FORMAT;
    if (tfm_json_kind(root) != TFM_JSON_OBJECT) {
        tfm_json_free(root);
        return tfm__fail(TFM_ERR_FORMAT, "config.json: top level is not an object");
    }
    cfg = (tfm_config *)tfm__calloc(1, sizeof *cfg);
    if (!cfg) {
        tfm_json_free(root);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "config");
    }
    cfg->root = root;
    *out = cfg;
    return TFM_OK;
}

TFMDEF tfm_status tfm_config_load(const char *path, tfm_config **out) {
    tfm__file f;
    tfm_status st;
    char *file = NULL;
    if (!path || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_config_load: NULL argument");
    *out = NULL;
    if (tfm__path_kind(path) == 1) {
        file = tfm__path_join(path, "config.json");
        if (!file) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "path");
    }
    st = tfm__file_open(file ? file : path, &f);
    if (st == TFM_OK) {
        st = tfm_config_parse((const char *)f.data, f.size, out);
        tfm__file_close(&f);
        if (st != TFM_OK) tfm__prefix_error(st, file ? file : path);
    }
    TFM_FREE(file);
    return st;
}

TFMDEF void tfm_config_free(tfm_config *cfg) {
    if (!cfg) return;
    tfm_json_free(cfg->root);
    TFM_FREE(cfg);
}
TFMDEF const tfm_json *tfm_config_json(const tfm_config *cfg) { return cfg ? cfg->root : NULL; }
TFMDEF int64_t tfm_config_int(const tfm_config *cfg, const char *key, int64_t fallback) {
    return tfm_json_int(tfm_config_get(cfg, key), fallback);
}
TFMDEF double tfm_config_float(const tfm_config *cfg, const char *key, double fallback) {
    return tfm_json_num(tfm_config_get(cfg, key), fallback);
}
TFMDEF int tfm_config_bool(const tfm_config *cfg, const char *key, int fallback) {
    return tfm_json_bool(tfm_config_get(cfg, key), fallback);
}
TFMDEF const char *tfm_config_str(const tfm_config *cfg, const char *key, const char *fallback) {
    return tfm_json_str_or(tfm_config_get(cfg, key), fallback);
}

#endif /* TRANSFORMERS_IMPLEMENTATION_DONE */
#endif /* TRANSFORMERS_IMPLEMENTATION */

/*
------------------------------------------------------------------------------
MIT License

Copyright (c) 2026 the transformers.h authors

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
------------------------------------------------------------------------------
*/
