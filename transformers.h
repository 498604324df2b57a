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

   AND A TOKENIZER

       tfm_tokenizer *tok;
       tfm_encoding enc;                                     // ids, type_ids, offsets, tokens, masks
       tfm_tokenizer_load("models/bert-base-uncased", &tok); // tokenizer.json (+ tokenizer_config.json)
       tfm_tokenizer_encode(tok, "Hello, world!", 13, NULL, 0, NULL, &enc);
       tfm_encoding_free(&enc);
       tfm_tokenizer_free(tok);

   AND A PIPELINE (same inputs, defaults and JSON as Python's pipeline())

       tfm_pipeline *clf;
       tfm_pipeline_input in = {"I love this movie!", NULL};
       tfm_json *result;                                     // [{"label": ..., "score": ...}]
       tfm_pipeline_open("text-classification", "models/distilbert-sst2", NULL, &clf);
       tfm_pipeline_run(clf, &in, 1, 0, NULL, &result);
       char *json = tfm_json_write(result, NULL);            // or read it with tfm_json_get/at/num
       tfm_free(json); tfm_json_free(result); tfm_pipeline_free(clf);

   TABLE OF CONTENTS (search for the banner text, e.g. "[SECTION 3]")

       Public API
         [API 1]  version, status codes, errors, logging
         [API 2]  allocation, dtypes, tensors
         [API 3]  JSON
         [API 4]  threads
         [API 5]  weights: safetensors read and write, sharded folders
         [API 6]  config.json
         [API 7]  kernels: GEMM, norms, activations, attention, convolutions
         [API 8]  tokenizers: tokenizer.json encode / decode
         [API 9]  models: transformer encoders and their task heads; causal LMs, KV cache,
                  generation, perplexity
         [API 10] pipelines: pipeline(task) for text, results as JSON
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
         [SECTION 10] images: PNG (inflate), JPEG, BMP, PPM/PGM decoders, base64, EXIF orientation
         [SECTION 11] Unicode data (generated tables)
         [SECTION 12] regex engine for tokenizer patterns
         [SECTION 13] tokenizers: normalizers, pre-tokenizers, models, post-processors, decoders
         [SECTION 14] encoder models: BERT, DistilBERT, RoBERTa / XLM-R, ELECTRA, MPNet, DeBERTa-v2
         [SECTION 15] decoder-only LMs: GPT-2, OPT, Llama / Mistral / Qwen2, Phi-3; generation
         [SECTION 16] vision models: ViT, DeiT, ConvNeXt, CLIP
         [SECTION 17] image processors: resize, crop, rescale, normalize (preprocessor_config.json)
         [SECTION 18] pipelines: text, sentence-transformers embeddings, vision
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
#if defined(__GNUC__) || defined(__clang__)
#define TFMDEF static __attribute__((unused)) /* a program calls only some of them */
#else
#define TFMDEF static
#endif
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

/* Arithmetic of the weight products. TFM_COMPUTE_AUTO: currently f32 (the library picks; see
   TFM_COMPUTE_BF16 for why bf16 weights do not switch it yet). TFM_COMPUTE_F32: f32 everywhere.
   TFM_COMPUTE_BF16: products with a weight matrix (B of tfm_gemm) round both operands to bf16 and
   accumulate in f32 with AVX-512 BF16 dot products, whatever the weights' dtype (about 3
   significant digits per operand). On the Xeons measured so far these dot products run at half the
   f32 FMA rate, so the mode is opt-in. Without AVX-512 BF16 every mode computes in f32. */
typedef enum tfm_compute { TFM_COMPUTE_AUTO = 0, TFM_COMPUTE_F32, TFM_COMPUTE_BF16 } tfm_compute;
/* 1 when this CPU and build have the bf16 dot-product kernels. */
TFMDEF int tfm_bf16_compute_available(void);

/* Zero-initialised means: calling thread only, best kernels, CPU, f32 arithmetic (see tfm_compute). */
typedef struct tfm_ctx {
    tfm_pool *pool;      /* borrowed; NULL runs on the calling thread */
    tfm_isa isa;         /* TFM_ISA_AUTO: tfm_isa_best() */
    tfm_backend backend; /* TFM_BACKEND_CPU */
    tfm_compute compute; /* TFM_COMPUTE_AUTO */
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
/* Weights packed once for the kernel family ctx selects: every later product with them skips
   the per-call packing of B (a transformer multiplies by the same weights in every forward pass).
   B as tfm_gemm takes it; it is borrowed and must outlive the packed copy (products with few rows
   read it directly). Caller frees with tfm_packed_b_free. */
typedef struct tfm_packed_b tfm_packed_b;
TFMDEF tfm_status tfm_gemm_pack_b(const tfm_ctx *ctx, int trans_b, int64_t N, int64_t K, tfm_dtype b_dtype,
                                  const void *B, int64_t ldb, tfm_packed_b **out);
TFMDEF void tfm_packed_b_free(tfm_packed_b *packed);
/* C[M,N] = alpha * A[M,K] . op(B) + beta * C with B packed by tfm_gemm_pack_b. Bit-identical to
   tfm_gemm on the same B and kernel family. */
TFMDEF tfm_status tfm_gemm_packed(const tfm_ctx *ctx, int64_t M, float alpha, const float *A, int64_t lda,
                                  const tfm_packed_b *B, float beta, float *C, int64_t ldc);
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

/* ===========================================================================================
   [API 8] tokenizers
   tokenizer.json (the format of the Hugging Face `tokenizers` library) with the transformers
   settings of tokenizer_config.json. Same ids, type ids, offsets and decoded text as Python.
   =========================================================================================== */

typedef struct tfm_tokenizer tfm_tokenizer;

typedef enum tfm_truncation {
    TFM_TRUNCATE_NONE = 0,
    TFM_TRUNCATE_LONGEST_FIRST,
    TFM_TRUNCATE_ONLY_FIRST,
    TFM_TRUNCATE_ONLY_SECOND
} tfm_truncation;

typedef enum tfm_padding { TFM_PAD_NONE = 0, TFM_PAD_LONGEST, TFM_PAD_MAX_LENGTH } tfm_padding;

/* Zero-initialised means Python's defaults: special tokens added, no truncation, no padding. */
typedef struct tfm_encode_options {
    int no_special_tokens;      /* 1: add_special_tokens=False */
    tfm_truncation truncation;
    int64_t max_length;         /* 0: the tokenizer's model_max_length */
    int64_t stride;             /* overlap of overflowing windows */
    int truncate_left;          /* 1: truncation_side "left", -1: "right", 0: tokenizer_config.json's (right if absent) */
    tfm_padding padding;        /* pads with tokenizer.json's "padding" token, else tokenizer_config's pad_token, else id 0 */
    int pad_left;               /* 1: padding_side "left", -1: "right", 0: tokenizer_config.json's (right if absent) */
    int64_t pad_to_multiple_of;
} tfm_encode_options;

/* One encoded sequence (or pair). Arrays hold `length` entries; offsets holds 2 * length
   [start, end) code-point offsets into the text the token came from (special tokens and
   padding: 0, 0). Invalid UTF-8 in the input is read as U+FFFD, one per invalid byte, and offsets
   count those as one code point each. */
typedef struct tfm_encoding {
    int64_t length;
    int32_t *ids;
    int32_t *type_ids;
    int32_t *attention_mask;
    int32_t *special_tokens_mask;
    int64_t *offsets;
    int32_t *word_ids;       /* -1: none (special tokens, padding) */
    int32_t *sequence_ids;   /* -1: none, 0: first text, 1: second text */
    char **tokens;           /* token strings as the model vocabulary spells them */
    int64_t n_overflowing;   /* further windows when truncation returned overflowing tokens */
    struct tfm_encoding *overflowing;
    void *storage_;          /* private */
} tfm_encoding;

/* Loads DIR/tokenizer.json (+ tokenizer_config.json when present), or a tokenizer.json path. A
   folder without tokenizer.json is converted the way transformers converts slow tokenizers:
   vocab.txt gives BERT's WordPiece pipeline (do_lower_case / strip_accents /
   tokenize_chinese_chars from tokenizer_config.json), vocab.json + merges.txt give GPT-2's
   byte-level BPE (RoBERTa's when config.json says model_type "roberta"). Caller frees with
   tfm_tokenizer_free. A loaded tokenizer is read-only: any number of threads may encode and
   decode with it at once. */
TFMDEF tfm_status tfm_tokenizer_load(const char *path, tfm_tokenizer **out);
/* From memory: tokenizer.json text, and tokenizer_config.json text or NULL. */
TFMDEF tfm_status tfm_tokenizer_load_memory(const char *json, size_t len, const char *config_json, size_t config_len,
                                            tfm_tokenizer **out);
TFMDEF void tfm_tokenizer_free(tfm_tokenizer *tok);

/* Encodes text (and pair when not NULL); lengths in bytes. opts may be NULL. On success the
   caller frees `out` with tfm_encoding_free (also on failure it is left empty and safe to free). */
TFMDEF tfm_status tfm_tokenizer_encode(const tfm_tokenizer *tok, const char *text, size_t len, const char *pair,
                                       size_t pair_len, const tfm_encode_options *opts, tfm_encoding *out);
TFMDEF void tfm_encoding_free(tfm_encoding *enc);
/* Encodes n texts (pairs when `pairs` is not NULL) across the pool's threads; out[i] as from
   tfm_tokenizer_encode (caller frees each). Padding to the longest applies across the batch.
   On failure every out[i] is left empty and the first error is reported. */
TFMDEF tfm_status tfm_tokenizer_encode_batch(const tfm_tokenizer *tok, tfm_pool *pool, const char *const *texts,
                                             const size_t *lens, const char *const *pairs, const size_t *pair_lens,
                                             int64_t n, const tfm_encode_options *opts, tfm_encoding *out);

/* Decodes ids to UTF-8 text, as tokenizers' decode (skip_special_tokens drops special added
   tokens; ids that name no token are dropped). *out is NUL-terminated; the text may hold NUL
   characters, so *out_len (may be NULL) gives its length. Caller frees *out with tfm_free. */
TFMDEF tfm_status tfm_tokenizer_decode(const tfm_tokenizer *tok, const int32_t *ids, int64_t n, int skip_special_tokens,
                                       char **out, size_t *out_len);

/* Streaming decode for token-by-token output: feed ids one at a time and get back only text that
   is complete UTF-8 (a byte-fallback or byte-level character split over several tokens comes out
   once its last byte arrives), exactly as the reference's DecodeStream. Caller frees the stream
   with tfm_decode_stream_free. */
typedef struct tfm_decode_stream tfm_decode_stream;
TFMDEF tfm_status tfm_decode_stream_create(const tfm_tokenizer *tok, int skip_special_tokens, tfm_decode_stream **out);
/* *piece: new text (caller frees with tfm_free) or NULL when nothing is complete yet. */
TFMDEF tfm_status tfm_decode_stream_step(tfm_decode_stream *s, int32_t id, char **piece, size_t *piece_len);
TFMDEF void tfm_decode_stream_free(tfm_decode_stream *s);

/* The transformers-level decode: tfm_tokenizer_decode, then, when tokenizer_config.json sets
   clean_up_tokenization_spaces (false when absent, as in transformers 5), the clean-up that
   removes the space before . , ! ? and in contractions ("do n't" -> "don't"). */
TFMDEF tfm_status tfm_tokenizer_decode_text(const tfm_tokenizer *tok, const int32_t *ids, int64_t n,
                                            int skip_special_tokens, char **out, size_t *out_len);
/* A named special token from tokenizer_config.json: which = "bos", "eos", "unk", "sep", "pad",
   "cls" or "mask". Returns its text (borrowed) and id, or NULL when the tokenizer has none. */
TFMDEF const char *tfm_tokenizer_special_token(const tfm_tokenizer *tok, const char *which, int32_t *id);

TFMDEF int64_t tfm_tokenizer_vocab_size(const tfm_tokenizer *tok);      /* model vocab + added tokens */
TFMDEF int32_t tfm_tokenizer_token_to_id(const tfm_tokenizer *tok, const char *token); /* -1 if absent */
TFMDEF const char *tfm_tokenizer_id_to_token(const tfm_tokenizer *tok, int32_t id);    /* NULL if absent */
TFMDEF int64_t tfm_tokenizer_model_max_length(const tfm_tokenizer *tok);

/* The decoder alone over token strings (convert_tokens_to_string in transformers): "##ing"
   joins its word for WordPiece, byte-level pieces become text. Caller frees *out with tfm_free. */
TFMDEF tfm_status tfm_tokenizer_decode_tokens(const tfm_tokenizer *tok, const char *const *tokens, int64_t n,
                                              char **out, size_t *out_len);
TFMDEF const char *tfm_tokenizer_subword_prefix(const tfm_tokenizer *tok);

/* ===========================================================================================
   [API 9] models: transformer encoders (BERT family, DeBERTa-v2) with their task heads, and
   decoder-only language models (GPT-2, OPT, Llama family, Phi-3) with generation
   A tfm_model is a Hub folder's config.json + weights resolved into layers. It is read-only once
   loaded: any number of threads may run forward passes on it at once, each with its own tfm_ctx
   (a pool runs one loop at a time) and, for language models, its own KV cache. Weights stay in
   the file mapping (f16/bf16 stay 16-bit).
   =========================================================================================== */

typedef struct tfm_model tfm_model;

typedef enum tfm_head {
    TFM_HEAD_AUTO = 0,                 /* from config.json "architectures" */
    TFM_HEAD_BASE,                     /* last_hidden_state (+ pooler_output when the model has one) */
    TFM_HEAD_SEQUENCE_CLASSIFICATION,  /* logits [batch, num_labels] */
    TFM_HEAD_TOKEN_CLASSIFICATION,     /* logits [batch, seq, num_labels] */
    TFM_HEAD_QUESTION_ANSWERING,       /* logits [batch, seq, 2]: start, end */
    TFM_HEAD_MASKED_LM,                /* logits [batch, seq, vocab] */
    TFM_HEAD_CAUSAL_LM                 /* decoder-only LM: tfm_model_decode */
} tfm_head;

/* Loads DIR (config.json + model.safetensors or a sharded index). model_type bert, roberta,
   xlm-roberta, camembert, distilbert, electra, mpnet and deberta-v2 are supported. head picks the
   head to run; a head checkpoint also serves TFM_HEAD_BASE. Caller frees with tfm_model_free. */
TFMDEF tfm_status tfm_model_load(const char *dir, tfm_head head, tfm_model **out);
TFMDEF void tfm_model_free(tfm_model *m);
TFMDEF tfm_head tfm_model_head(const tfm_model *m);
TFMDEF const char *tfm_model_type(const tfm_model *m);       /* config.json model_type, borrowed */
TFMDEF const tfm_config *tfm_model_config(const tfm_model *m); /* borrowed */
TFMDEF int64_t tfm_model_hidden_size(const tfm_model *m);
TFMDEF int64_t tfm_model_max_positions(const tfm_model *m); /* longest input the model accepts */
/* Labels of a classification head: config.json id2label, else LABEL_0..LABEL_{n-1}. */
TFMDEF int64_t tfm_model_num_labels(const tfm_model *m);
TFMDEF const char *tfm_model_label(const tfm_model *m, int64_t id); /* borrowed; NULL out of range */

/* A padded batch of token ids. type_ids NULL: all 0; attention_mask NULL: all 1. */
typedef struct tfm_model_input {
    int64_t batch, seq;
    const int32_t *ids, *type_ids, *attention_mask; /* [batch, seq] each */
} tfm_model_input;

typedef struct tfm_model_output {
    int64_t batch, seq, hidden;
    float *hidden_states;   /* [batch, seq, hidden]: last_hidden_state */
    float *pooled;          /* [batch, hidden] pooler_output, or NULL */
    int64_t n_logits;       /* last dimension of logits (0 for TFM_HEAD_BASE) */
    float *logits;          /* see tfm_head for the shape */
    /* vision models: ConvNeXt's hidden_states are [batch, hidden, grid_h, grid_w] (channels first,
       as the reference), seq = grid_h * grid_w; 0 for the others */
    int64_t grid_h, grid_w;
    /* CLIP: the projected image_embeds / text_embeds [batch, embed_dim] (not normalised) */
    int64_t embed_dim;
    float *embeds;
} tfm_model_output;

/* Runs the encoder and its head (not causal LMs: see tfm_model_decode). ctx NULL: calling thread,
   best kernels. Fills *out; the caller frees its arrays with tfm_model_output_free. */
TFMDEF tfm_status tfm_model_forward(const tfm_model *m, const tfm_ctx *ctx, const tfm_model_input *in,
                                    tfm_model_output *out);
TFMDEF void tfm_model_output_free(tfm_model_output *out);

/* Vision models (model_type vit, deit, convnext, clip, clip_vision_model) on pixel_values
   [batch, channels, height, width] as tfm_image_processor_run makes them. hidden_states:
   ViT / DeiT / CLIP [batch, seq, hidden] (class token first; DeiT's distillation token second);
   ConvNeXt [batch, hidden, grid_h, grid_w]. pooled: the pooler_output of base checkpoints
   (ViT / DeiT pooler, ConvNeXt's normalised mean, CLIP's post-LayerNorm class token); logits
   [batch, num_labels] for image classification heads (TFM_HEAD_SEQUENCE_CLASSIFICATION; DeiT
   with a teacher head averages both heads); embeds: CLIP's projected image_embeds.
   ViT-family models need height == width == the config's image_size. The CLIP text tower runs
   through tfm_model_forward (pooled = end-of-text token, embeds = text_embeds). */
TFMDEF tfm_status tfm_model_forward_image(const tfm_model *m, const tfm_ctx *ctx, const float *pixel_values,
                                          int64_t batch, int64_t height, int64_t width, tfm_model_output *out);
/* CLIP: exp(logit_scale), the factor of logits_per_image; 0 for other models. */
TFMDEF float tfm_model_logit_scale(const tfm_model *m);

/* Causal language models (model_type gpt2, opt, llama, mistral, qwen2, phi3). The KV cache holds
   keys and values for `batch` rows of up to max_len positions (prompt + generation), allocated once.
   Caller frees with tfm_kv_cache_free; reset empties it for a new prompt. A cache belongs to one
   model and one thread at a time. */
typedef struct tfm_kv_cache tfm_kv_cache;
TFMDEF tfm_status tfm_kv_cache_create(const tfm_model *m, int64_t batch, int64_t max_len, tfm_kv_cache **out);
TFMDEF void tfm_kv_cache_free(tfm_kv_cache *cache);
TFMDEF void tfm_kv_cache_reset(tfm_kv_cache *cache);
TFMDEF int64_t tfm_kv_cache_length(const tfm_kv_cache *cache); /* positions filled */
/* Appends seq tokens to every row of the cache (ids [batch, seq]; attention_mask [batch, seq] with 0
   for left padding, or NULL) and writes logits [batch, vocab] for each row's last new position, or
   [batch, seq, vocab] with all_positions. Position ids count each row's real tokens. On failure
   the cache is left as it was. */
TFMDEF tfm_status tfm_model_decode(const tfm_model *m, const tfm_ctx *ctx, tfm_kv_cache *cache, const int32_t *ids,
                                   const int32_t *attention_mask, int64_t seq, int all_positions, float *logits);
TFMDEF int64_t tfm_model_vocab_size(const tfm_model *m);
/* Text generation. Zero fields mean: the model folder's generation_config.json, else the
   reference's defaults (greedy; max_length 20 in all; top_k 50 and top_p 1 when sampling).
   do_sample: 1 sample, -1 greedy. top_k -1: no top-k. max_new_tokens -1: none. */
typedef int (*tfm_stream_fn)(void *user, const char *text, size_t len); /* nonzero stops generation */
typedef struct tfm_generation_options {
    int64_t max_new_tokens, min_new_tokens;
    int do_sample;
    float temperature, top_p, min_p, typical_p, repetition_penalty;
    int64_t top_k, no_repeat_ngram_size;
    int64_t num_return_sequences;       /* per prompt */
    uint64_t seed;                      /* sampling: same seed, same tokens on every machine and thread count */
    const int32_t *eos_token_ids;       /* overrides the configured EOS ids when n_eos_token_ids > 0 */
    int n_eos_token_ids;
    const char *const *stop_strings;    /* a sequence ends once its new text ends with one of them */
    int64_t n_stop_strings;
    tfm_stream_fn stream;               /* the first sequence's new text, piece by piece (needs tok) */
    void *stream_user;
} tfm_generation_options;
typedef struct tfm_generation_result {
    int64_t n;                /* prompts x num_return_sequences, prompt-major */
    int32_t **ids;            /* ids[i]: prompt then new tokens (EOS kept), lens[i] of them */
    int64_t *lens, *prompt_lens;
} tfm_generation_result;
/* Generates from n prompts at once (left-padded into one batch; each stops on its own). The KV
   cache is sized for the longest prompt plus max_new_tokens. tok may be NULL unless streaming or
   stop strings are used. Caller frees *out with tfm_generation_result_free. */
TFMDEF tfm_status tfm_generate(const tfm_model *m, const tfm_tokenizer *tok, const tfm_ctx *ctx,
                               const int32_t *const *prompts, const int64_t *lens, int64_t n,
                               const tfm_generation_options *opts, tfm_generation_result *out);
TFMDEF void tfm_generation_result_free(tfm_generation_result *r);
/* Strided sliding-window perplexity (the transformers docs' recipe for fixed-length models): windows
   of max_length tokens every `stride`, each scoring only the tokens not scored by the previous
   window, weighted as the reference weights them. *tokens (may be NULL) receives the weight sum. */
TFMDEF tfm_status tfm_perplexity(const tfm_model *m, const tfm_ctx *ctx, const int32_t *ids, int64_t n,
                                 int64_t max_length, int64_t stride, double *perplexity, int64_t *tokens);

/* ===========================================================================================
   [API 10] pipelines: pipeline(task) with Python's inputs, defaults and output JSON
   =========================================================================================== */

typedef struct tfm_pipeline tfm_pipeline;

/* Called after each batch with the number of inputs done so far. */
typedef void (*tfm_progress_fn)(void *user, int64_t done, int64_t total);

/* Zero-initialised means the reference's defaults. Strings and arrays are borrowed for the call
   that receives them (tfm_pipeline_open copies what it keeps). */
typedef struct tfm_pipeline_options {
    int threads;                     /* 0: TFM_NUM_THREADS, else every core */
    int64_t batch_size;              /* 0: 1. Inputs are sorted by length into padded batches */
    int64_t top_k;                   /* 0: not given (task default); TFM_TOP_K_ALL: top_k=None */
    const char *function_to_apply;   /* text-classification: NULL (reference rule), "softmax", "sigmoid", "none" */
    const char *aggregation_strategy;/* token-classification: NULL/"none", "simple", "first", "average", "max" */
    const char *const *ignore_labels;/* token-classification: NULL means ["O"] */
    int64_t n_ignore_labels;         /* with ignore_labels; -1 together with NULL means [] */
    int64_t max_seq_len, doc_stride, max_answer_len, max_question_len; /* question-answering; 0: default */
    int handle_impossible_answer;    /* question-answering */
    int no_align_to_words;           /* question-answering: align_to_words=False */
    const char *const *targets;      /* fill-mask */
    int64_t n_targets;
    const char *const *candidate_labels; /* zero-shot-classification */
    int64_t n_candidate_labels;
    const char *hypothesis_template; /* zero-shot: NULL means "This example is {}." */
    int multi_label;                 /* zero-shot */
    tfm_compute compute;             /* weight products: TFM_COMPUTE_AUTO (f32) or TFM_COMPUTE_BF16 (see tfm_compute) */
    const struct tfm_generation_options *generation; /* text-generation: NULL = defaults (max_new_tokens 256) */
    int return_full_text;            /* text-generation: 0 or 1 prompt + new text (default), -1 new text only */
    int return_tensors;              /* text-generation: {"generated_token_ids": prompt + new ids} */
    tfm_progress_fn progress;
    void *progress_user;
} tfm_pipeline_options;
#define TFM_TOP_K_ALL (-1)

/* One input. text-classification: text (+ text_pair); question-answering: text is the question,
   text_pair the context; zero-shot: text is the sequence; other tasks: text only. */
typedef struct tfm_pipeline_input {
    const char *text;
    const char *text_pair;
} tfm_pipeline_input;

/* Tasks: "feature-extraction", "sentence-embedding" (a sentence-transformers folder: modules.json,
   pooling, Dense, Normalize), "text-classification" (alias "sentiment-analysis"),
   "token-classification" (alias "ner"), "question-answering", "fill-mask",
   "zero-shot-classification", "text-generation". Loads the model and tokenizer from DIR. The options become the
   pipeline's defaults. Caller frees with tfm_pipeline_free. */
TFMDEF tfm_status tfm_pipeline_open(const char *task, const char *dir, const tfm_pipeline_options *opts,
                                    tfm_pipeline **out);
/* Same over a model and tokenizer the caller loaded (borrowed: they must outlive the pipeline);
   one model can serve several pipelines. */
TFMDEF tfm_status tfm_pipeline_open_with(const char *task, const tfm_model *model, const tfm_tokenizer *tok,
                                         const tfm_pipeline_options *opts, tfm_pipeline **out);
TFMDEF void tfm_pipeline_free(tfm_pipeline *p);

/* Runs the task on n inputs. as_list != 0 answers like Python called with a list (a list of
   per-input results), else like a call with one input (n must be 1). opts NULL: the pipeline's
   defaults, else these options for this call. *result is the output as a JSON document
   (read it with the [API 3] accessors, serialise it with tfm_json_write); caller frees it with
   tfm_json_free. Several threads may run the same pipeline at once when opts->threads is 1
   (each call otherwise shares the pipeline's thread pool and calls are serialised). */
TFMDEF tfm_status tfm_pipeline_run(tfm_pipeline *p, const tfm_pipeline_input *inputs, int64_t n, int as_list,
                                   const tfm_pipeline_options *opts, tfm_json **result);

/* Compact JSON text of a node, floats with 9 significant digits (round-trip float32). Caller
   frees with tfm_free. */
TFMDEF char *tfm_json_write(const tfm_json *node, size_t *len);

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
    int owned; /* data was allocated (read fallback) */
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
        f->owned = 1;
    }
    return TFM_OK;
}

static void tfm__file_close(tfm__file *f) {
    if (f->data && f->mapped) {
#if !defined(TFM_NO_MMAP)
        munmap((void *)f->data, f->size);
#endif
    } else if (f->owned) {
        TFM_FREE((void *)f->data);
    }
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
            if (p + 1 >= e) {
                p = e; /* a backslash as the last byte: unterminated */
                break;
            }
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

#if !defined(TFM_NO_THREADS)
static void tfm__pool_drain(tfm_pool *pool, int thread_index) {
    for (;;) {
        int64_t t = TFM__ATOMIC_FETCH_ADD(&pool->next_task, (int64_t)1);
        if (t >= pool->n_tasks) break;
        pool->fn(pool->arg, t, thread_index);
    }
}
#endif

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
    TFM__UNUSED(pool);
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

static int tfm__isa_detected = -1; /* -1: not yet; else bitmask of (1 << tfm_isa), plus TFM__BF16DOT_BIT */
#define TFM__BF16DOT_BIT 8

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
                if ((b & (1u << 16)) && (b & (1u << 30)) && (b & (1u << 31)) && (xcr0_lo & 0xe0) == 0xe0) {
                    mask |= 1 << TFM_ISA_AVX512;
                    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(1));
                    if (a & (1u << 5)) mask |= 1 << TFM__BF16DOT_BIT; /* AVX512_BF16 */
                }
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

TFMDEF int tfm_bf16_compute_available(void) {
#if defined(TFM__AVX512) && !defined(TFM_NO_BF16)
    if (tfm__isa_detected < 0) tfm__isa_detected = tfm__detect_isas();
    return (tfm__isa_detected >> TFM__BF16DOT_BIT) & 1 && tfm_isa_best() == TFM_ISA_AVX512;
#else
    return 0;
#endif
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
typedef void (*tfm__gemm_packa_fn)(const tfm__gemm_prob *p, int mr, int64_t row0, float *dst);

typedef struct tfm__gemm_impl {
    int mr, nr;       /* micro-tile */
    int kc;           /* K slice: KC x NR strip lives in L1 */
    int mc_panels;    /* row group: MC = mc_panels * MR rows of packed A in L2 */
    int nct_strips;   /* widest column group a task packs locally (KC x NCT in L2) */
    tfm__gemm_kernel_fn kernel;
    tfm__gemm_packb_fn pack_b;
    tfm__gemm_gemv_fn gemv; /* NULL: small M goes through the packed path */
    tfm__gemm_packa_fn pack_a; /* NULL: tfm__gemm_pack_a (f32 values, MR per k) */
} tfm__gemm_impl;

#define TFM__GEMM_MAX_TILE (16 * 32)       /* largest MR * NR of any kernel */
#ifndef TFM__A_RESIDENT
#define TFM__A_RESIDENT 0 /* 1: keep the A panel in L1 and stream B strips (see the compute task) */
#endif
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
/* Small M, no trans_b (AVX-512 below: rows of B streamed in order, TFM__GEMV_NW columns at a time,
   sums kept in an L1-resident stack block, k ascending for every element). */
#define TFM__GEMV_NW 1024
/* AVX2 row sweeps of a [K,N] B: column blocks of NV vectors stay in registers over all of K (one FMA
   chain per element, in k order, so results equal a one-column-at-a-time sweep); the last partial
   block accumulates in memory. */
#define TFM__GEMV256_N(MM, BT)                                                                                 \
    TFM__T256 static void tfm__gemv256_n_##MM##_##BT(const tfm__gemm_prob *p, int64_t n0, int64_t n1) {     \
        enum { NV = MM <= 2 ? 4 : 2 };                                                                         \
        float acc[MM * 8 * NV];                                                                                \
        int64_t nb, k, j;                                                                                      \
        int m, r;                                                                                              \
        for (nb = n0; nb + 8 * NV <= n1; nb += 8 * NV) {                                                       \
            __m256 c[MM][NV];                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < NV; r++) c[m][r] = _mm256_setzero_ps();                                        \
            for (k = 0; k < p->K; k++) {                                                                       \
                const int64_t row = k * p->ldb + nb;                                                           \
                __m256 bv[NV];                                                                                 \
                for (r = 0; r < NV; r++) bv[r] = TFM__LOAD8(BT, p->B, row + 8 * r);                            \
                for (m = 0; m < MM; m++) {                                                                     \
                    __m256 av = _mm256_set1_ps(p->A[m * p->lda + k]);                                          \
                    for (r = 0; r < NV; r++) c[m][r] = _mm256_fmadd_ps(av, bv[r], c[m][r]);                    \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (r = 0; r < NV; r++) _mm256_storeu_ps(acc + m * 8 * NV + 8 * r, c[m][r]);                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (j = 0; j < 8 * NV; j++) tfm__gemm_store1(p, m, nb + j, acc[m * 8 * NV + j]);              \
        }                                                                                                      \
        if (nb < n1) {                                                                                         \
            int64_t w = n1 - nb, wv = w & ~(int64_t)7;                                                         \
            memset(acc, 0, sizeof acc);                                                                        \
            for (k = 0; k < p->K; k++) {                                                                       \
                const int64_t row = k * p->ldb + nb;                                                           \
                for (j = 0; j < wv; j += 8) {                                                                  \
                    __m256 bv = TFM__LOAD8(BT, p->B, row + j);                                                 \
                    for (m = 0; m < MM; m++) {                                                                 \
                        float *ac = acc + m * 8 * NV + j;                                                      \
                        _mm256_storeu_ps(ac, _mm256_fmadd_ps(_mm256_set1_ps(p->A[m * p->lda + k]), bv,         \
                                                             _mm256_loadu_ps(ac)));                            \
                    }                                                                                          \
                }                                                                                              \
                for (; j < w; j++) {                                                                           \
                    float bs = tfm__gemm_b_at(p, row + j);                                                     \
                    for (m = 0; m < MM; m++) acc[m * 8 * NV + j] += p->A[m * p->lda + k] * bs;                 \
                }                                                                                              \
            }                                                                                                  \
            for (m = 0; m < MM; m++)                                                                           \
                for (j = 0; j < w; j++) tfm__gemm_store1(p, m, nb + j, acc[m * 8 * NV + j]);                   \
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

/* Fixed-order horizontal sum: halves, then quarters, then (0+2)+(1+3). In registers: a 64-byte
   store into a stack array faults under GCC 13's AddressSanitizer; maskz extract: the plain one
   expands to _mm256_undefined_pd, which g++ 12 flags. */
TFM__T512 static float tfm__gemm_hsum512(__m512 v) {
    __m256 h = _mm256_add_ps(_mm256_castpd_ps(_mm512_maskz_extractf64x4_pd((__mmask8)0xF, _mm512_castps_pd(v), 0)),
                             _mm256_castpd_ps(_mm512_maskz_extractf64x4_pd((__mmask8)0xF, _mm512_castps_pd(v), 1)));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
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
                                                   tfm__gemm_gemv_avx2, NULL};
#if defined(TFM__AVX512)
static const tfm__gemm_impl tfm__gemm_impl_avx512 = {12, 32, TFM__GEMM_KC_AVX512, TFM__GEMM_MCP_AVX512, 12,
                                                     tfm__gemm_kernel_avx512_12x32, tfm__gemm_pack_b_x86,
                                                     tfm__gemm_gemv_avx512, NULL};

/* ---- AVX-512 BF16 dot products (the bf16 compute mode) ----------------------------------------
   A and B are rounded to bf16 (round to nearest even; bf16 weights are copied as they are) and
   packed as k-pairs: one 32-bit lane holds the values of k and k+1, so VDPBF16PS adds two products
   per lane per instruction into f32 accumulators. A panel keeps, for each KC block starting at pc,
   ceil(kc/2) rows of MR pairs at float offset pc * MR (the place the f32 layout gives the block);
   a B strip likewise ceil(kc/2) rows of NR pairs. An odd last k pairs with zero. */
#if defined(TFM__AVX512) && !defined(TFM_NO_BF16)
#define TFM__HAVE_BF16DOT 1
#define TFM__T512BF __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,avx2,fma,f16c")))

static uint32_t tfm__bf16_pair(uint16_t lo, uint16_t hi) { return (uint32_t)lo | ((uint32_t)hi << 16); }

/* 32 consecutive floats of a row to bf16 (round to nearest even), i.e. 16 k-pairs. */
TFM__T512BF static void tfm__bf16_convert32(const float *src, uint32_t *pairs) {
    __m512bh v = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(src + 16), _mm512_loadu_ps(src));
    _mm512_storeu_si512((void *)pairs, (__m512i)v);
}

static void tfm__gemm_pack_a_bf16(const tfm__gemm_prob *p, int mr, int64_t row0, float *dst) {
    int64_t rows = TFM__MIN((int64_t)mr, p->M - row0), K = p->K, pc, t;
    uint32_t conv[16];
    int r;
    for (pc = 0; pc < K; pc += TFM__GEMM_KC_AVX512) {
        int64_t kc = TFM__MIN((int64_t)TFM__GEMM_KC_AVX512, K - pc);
        uint32_t *d = (uint32_t *)(dst + pc * mr);
        for (r = 0; r < mr; r++) {
            const float *a = r < rows ? p->A + (row0 + r) * p->lda + pc : NULL;
            t = 0;
            if (a)
                for (; 2 * t + 32 <= kc; t += 16) {
                    int q;
                    tfm__bf16_convert32(a + 2 * t, conv);
                    for (q = 0; q < 16; q++) d[(t + q) * mr + r] = conv[q];
                }
            for (; t < (kc + 1) / 2; t++) {
                uint16_t lo = 0, hi = 0;
                if (a) {
                    lo = tfm_f32_to_bf16(a[2 * t]);
                    if (2 * t + 1 < kc) hi = tfm_f32_to_bf16(a[2 * t + 1]);
                }
                d[t * mr + r] = tfm__bf16_pair(lo, hi);
            }
        }
    }
}

/* B(k, col) as bf16 bits. */
static uint16_t tfm__gemm_b_bf16(const tfm__gemm_prob *p, int64_t k, int64_t col) {
    int64_t idx = p->trans_b ? col * p->ldb + k : k * p->ldb + col;
    uint16_t h;
    if (p->bt == TFM_F32) return tfm_f32_to_bf16(((const float *)p->B)[idx]);
    memcpy(&h, (const unsigned char *)p->B + 2 * idx, 2);
    return p->bt == TFM_BF16 ? h : tfm_f32_to_bf16(tfm_f16_to_f32(h));
}

static void tfm__gemm_pack_b_bf16(const tfm__gemm_prob *p, int nr, int64_t k0, int64_t kc, int64_t j0,
                                  int64_t nstrips, float *dst, int64_t sstride) {
    /* column c's values of one KC block as bf16 k-pairs, then written pair-row by pair-row */
    uint32_t cols[32][TFM__GEMM_KC_AVX512 / 2];
    int64_t s, pc, t, c;
    for (s = 0; s < nstrips; s++) {
        int64_t col0 = j0 + s * nr;
        for (pc = k0; pc < k0 + kc; pc += TFM__GEMM_KC_AVX512) {
            int64_t kb = TFM__MIN((int64_t)TFM__GEMM_KC_AVX512, k0 + kc - pc), np = (kb + 1) / 2, half = kb / 2;
            uint32_t *d = (uint32_t *)(dst + s * sstride + (pc - k0) * nr);
            for (c = 0; c < nr && c < 32; c++) {
                int64_t col = col0 + c;
                uint32_t *cp = cols[c];
                if (col >= p->N) {
                    memset(cp, 0, (size_t)np * sizeof(uint32_t));
                    continue;
                }
                t = 0;
                if (p->trans_b && p->bt == TFM_BF16) { /* a weight row: pairs are adjacent in memory */
                    memcpy(cp, (const unsigned char *)p->B + 2 * (col * p->ldb + pc), (size_t)half * 4);
                    t = half;
                } else if (p->trans_b && p->bt == TFM_F32) {
                    const float *row = (const float *)p->B + col * p->ldb + pc;
                    for (; 2 * t + 32 <= kb; t += 16) tfm__bf16_convert32(row + 2 * t, cp + t);
                }
                for (; t < half; t++)
                    cp[t] = tfm__bf16_pair(tfm__gemm_b_bf16(p, pc + 2 * t, col), tfm__gemm_b_bf16(p, pc + 2 * t + 1, col));
                if (kb & 1) cp[half] = tfm__bf16_pair(tfm__gemm_b_bf16(p, pc + kb - 1, col), 0);
            }
            for (t = 0; t < np; t++)
                for (c = 0; c < nr; c++) d[t * nr + c] = cols[c][t];
        }
    }
}

#define TFM__KBF_ROW(i)                                                                                        \
    do {                                                                                                       \
        __m512bh av = (__m512bh)_mm512_set1_epi32((int)ap[i]);                                                  \
        c##i##_0 = _mm512_dpbf16_ps(c##i##_0, av, b0);                                                         \
        c##i##_1 = _mm512_dpbf16_ps(c##i##_1, av, b1);                                                         \
    } while (0)

TFM__T512BF static void tfm__gemm_kernel_avx512bf16_12x32(int64_t kc, const float *a, const float *b, float *c,
                                                          int64_t ldc, float alpha, float beta) {
    __m512 c0_0 = _mm512_setzero_ps(), c0_1 = c0_0, c1_0 = c0_0, c1_1 = c0_0, c2_0 = c0_0, c2_1 = c0_0;
    __m512 c3_0 = c0_0, c3_1 = c0_0, c4_0 = c0_0, c4_1 = c0_0, c5_0 = c0_0, c5_1 = c0_0;
    __m512 c6_0 = c0_0, c6_1 = c0_0, c7_0 = c0_0, c7_1 = c0_0, c8_0 = c0_0, c8_1 = c0_0;
    __m512 c9_0 = c0_0, c9_1 = c0_0, c10_0 = c0_0, c10_1 = c0_0, c11_0 = c0_0, c11_1 = c0_0;
    __m512 va, vb;
    const uint32_t *ap = (const uint32_t *)a;
    int64_t t, pairs = (kc + 1) / 2;
    for (t = 0; t < pairs; t++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512((const void *)b), b1 = (__m512bh)_mm512_loadu_si512((const void *)(b + 16));
        TFM__KBF_ROW(0); TFM__KBF_ROW(1); TFM__KBF_ROW(2); TFM__KBF_ROW(3);
        TFM__KBF_ROW(4); TFM__KBF_ROW(5); TFM__KBF_ROW(6); TFM__KBF_ROW(7);
        TFM__KBF_ROW(8); TFM__KBF_ROW(9); TFM__KBF_ROW(10); TFM__KBF_ROW(11);
        ap += 12;
        b += 32;
    }
    va = _mm512_set1_ps(alpha);
    vb = _mm512_set1_ps(beta);
    TFM__K512_STORE(0); TFM__K512_STORE(1); TFM__K512_STORE(2); TFM__K512_STORE(3);
    TFM__K512_STORE(4); TFM__K512_STORE(5); TFM__K512_STORE(6); TFM__K512_STORE(7);
    TFM__K512_STORE(8); TFM__K512_STORE(9); TFM__K512_STORE(10); TFM__K512_STORE(11);
}
#endif
#if defined(TFM__HAVE_BF16DOT)
static const tfm__gemm_impl tfm__gemm_impl_avx512_bf16 = {12, 32, TFM__GEMM_KC_AVX512, TFM__GEMM_MCP_AVX512, 12,
                                                          tfm__gemm_kernel_avx512bf16_12x32, tfm__gemm_pack_b_bf16,
                                                          tfm__gemm_gemv_avx512, tfm__gemm_pack_a_bf16};
#endif
#endif
#endif
#if defined(TFM__NEON)
static const tfm__gemm_impl tfm__gemm_impl_neon = {8, 12, 256, 16, 24, tfm__gemm_kernel_neon_8x12,
                                                   tfm__gemm_pack_b_neon, NULL, NULL};
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

/* The kernel family a context asks for (bf16 dot products only on request and on AVX-512 BF16). */
static const tfm__gemm_impl *tfm__gemm_select(const tfm_ctx *ctx) {
    tfm_isa isa = tfm__ctx_isa(ctx);
#if defined(TFM__HAVE_BF16DOT)
    if (isa == TFM_ISA_AVX512 && ctx && ctx->compute == TFM_COMPUTE_BF16 && tfm_bf16_compute_available())
        return &tfm__gemm_impl_avx512_bf16;
#endif
    return tfm__gemm_impl_for(isa);
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
            (im->pack_a ? im->pack_a : tfm__gemm_pack_a)(j->p, im->mr, (j->m0_panel + i) * im->mr,
                                                          j->ap + i * K * im->mr);
    } else {
        first = (task - j->n_pack_a) * g;
        last = TFM__MIN(first + g, j->n_strips);
        im->pack_b(j->p, im->nr, 0, K, (j->s0_strip + first) * im->nr, last - first, j->bp + first * K * im->nr,
                   K * im->nr);
    }
}

/* One MR x NR tile of C over one K slice: strip s (packed B at b), panel pa. Edge tiles run the
   same kernel into `tile` and copy the valid part. */
static void tfm__gemm_tile(const tfm__gemm_impl *im, const tfm__gemm_prob *p, const tfm__gemm_job *j, const float *b,
                           int64_t s, int64_t pa, int64_t pc, int64_t kc, float beta, float *tile) {
    const int64_t mr = im->mr, nr = im->nr;
    const float *a = j->ap + pa * p->K * mr + pc * mr;
    int64_t row = (j->m0_panel + pa) * mr, mrows = TFM__MIN(mr, p->M - row);
    int64_t col = (j->s0_strip + s) * nr, nc = TFM__MIN(nr, p->N - col);
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

static void tfm__gemm_compute_task(void *arg, int64_t task, int thread_index) {
    tfm__gemm_job *j = (tfm__gemm_job *)arg;
    const tfm__gemm_impl *im = j->im;
    const tfm__gemm_prob *p = j->p;
    const tfm__gemm_plan *pl = j->pl;
    const int64_t nr = im->nr, K = p->K;
    int64_t n_jg = (j->n_strips + pl->jg_strips - 1) / pl->jg_strips;
    int64_t ig = task / n_jg, jg = task % n_jg;
    int64_t pa0 = ig * pl->ig_panels, pa1 = TFM__MIN(pa0 + pl->ig_panels, j->n_panels);
    int64_t sb0 = jg * pl->jg_strips, sb1 = TFM__MIN(sb0 + pl->jg_strips, j->n_strips);
    float *loc = NULL;
    float tile[TFM__GEMM_MAX_TILE];
    int64_t pc, o, q, n_outer = TFM__A_RESIDENT ? pa1 - pa0 : sb1 - sb0, n_inner = TFM__A_RESIDENT ? sb1 - sb0 : pa1 - pa0;
    if (pl->local_b)
        loc = j->serial_local ? j->serial_local : (float *)tfm__pool_scratch(j->pool, thread_index, j->local_bytes);
    for (pc = 0; pc < K; pc += im->kc) {
        int64_t kc = TFM__MIN((int64_t)im->kc, K - pc);
        float beta = pc == 0 ? p->beta : 1.0f;
        if (pl->local_b)
            im->pack_b(p, (int)nr, pc, kc, (j->s0_strip + sb0) * nr, sb1 - sb0, loc, kc * nr);
        /* which micro-panel stays in L1 while the other streams from L2: the B strip (default)
           or, with TFM__A_RESIDENT, the A panel; every tile's sum is the same either way */
        for (o = 0; o < n_outer; o++) {
            for (q = 0; q < n_inner; q++) {
                int64_t s_i = TFM__A_RESIDENT ? q : o, p_i = TFM__A_RESIDENT ? o : q;
                tfm__gemm_tile(im, p, j, pl->local_b ? loc + s_i * kc * nr : j->bp + (sb0 + s_i) * K * nr + pc * nr,
                               sb0 + s_i, pa0 + p_i, pc, kc, beta, tile);
            }
        }
    }
}

static void tfm__gemm_packed_run(const tfm__gemm_impl *im, const tfm__gemm_prob *p, const tfm__gemm_plan *pl,
                                 tfm_pool *pool, float *shared, float *serial_local, const float *prepacked_b) {
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
    j.bp = prepacked_b ? (float *)(uintptr_t)prepacked_b : shared + pl->mb_panels * mr * p->K;
    for (sb = 0; sb < strips; sb += pl->nb_strips) {
        j.s0_strip = sb;
        j.n_strips = TFM__MIN(pl->nb_strips, strips - sb);
        for (mb = 0; mb < panels; mb += pl->mb_panels) {
            int64_t n_ig, n_jg;
            j.m0_panel = mb;
            j.n_panels = TFM__MIN(pl->mb_panels, panels - mb);
            j.n_pack_a = (j.n_panels + TFM__GEMM_PACK_GROUP - 1) / TFM__GEMM_PACK_GROUP;
            j.n_pack_b = (!pl->local_b && mb == 0 && !prepacked_b)
                             ? (j.n_strips + TFM__GEMM_PACK_GROUP - 1) / TFM__GEMM_PACK_GROUP
                             : 0;
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
    else tfm__gemm_packed_run(im, p, pl, NULL, buf, buf + pl->shared_floats, NULL);
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
    const tfm__gemm_impl *im = tfm__gemm_select(ctx);
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
                tfm__gemm_packed_run(im, &q, &pl, pool, shared, NULL, NULL);
            } else {
                heap = (float *)tfm__aligned_alloc((pl.shared_floats + pl.local_floats) * sizeof(float));
                if (!heap) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm: no memory for packing buffers");
                tfm__gemm_packed_run(im, &q, &pl, NULL, heap, heap + pl.shared_floats, NULL);
                tfm__aligned_free(heap);
            }
        }
    }
    return TFM_OK;
}

struct tfm_packed_b {
    const tfm__gemm_impl *im; /* kernel family it was packed for; NULL: not packed (scalar path) */
    int trans_b;
    int64_t N, K, ldb;
    tfm_dtype bt;
    const void *B;            /* the original, borrowed */
    float *data;              /* strips of NR columns over all of K, as the shared-B mode lays them out */
};

TFMDEF tfm_status tfm_gemm_pack_b(const tfm_ctx *ctx, int trans_b, int64_t N, int64_t K, tfm_dtype b_dtype,
                                  const void *B, int64_t ldb, tfm_packed_b **out) {
    tfm_packed_b *pb;
    tfm__gemm_prob p;
    int64_t strips, s;
    if (!out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_pack_b: NULL output");
    *out = NULL;
    if (!B || N < 0 || K < 0 || ldb < (trans_b ? K : N) || ldb < 1)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_pack_b: bad B (N %lld, K %lld, ldb %lld)", (long long)N,
                         (long long)K, (long long)ldb);
    if (b_dtype != TFM_F32 && b_dtype != TFM_F16 && b_dtype != TFM_BF16)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "tfm_gemm_pack_b: B dtype %s (F32, F16, BF16 only)", tfm_dtype_name(b_dtype));
    pb = (tfm_packed_b *)tfm__calloc(1, sizeof *pb);
    if (!pb) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm_pack_b");
    pb->im = tfm__gemm_select(ctx);
    pb->trans_b = trans_b;
    pb->N = N;
    pb->K = K;
    pb->ldb = ldb;
    pb->bt = b_dtype;
    pb->B = B;
    if (pb->im && N > 0 && K > 0) {
        const int64_t nr = pb->im->nr;
        strips = (N + nr - 1) / nr;
        pb->data = (float *)tfm__aligned_alloc((size_t)(strips * K * nr) * sizeof(float));
        if (!pb->data) {
            TFM_FREE(pb);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm_pack_b: %lld floats", (long long)(strips * K * nr));
        }
        memset(&p, 0, sizeof p);
        p.trans_b = trans_b;
        p.N = N;
        p.K = K;
        p.bt = b_dtype;
        p.B = B;
        p.ldb = ldb;
        for (s = 0; s < strips; s += TFM__GEMM_PACK_GROUP) {
            int64_t n_s = TFM__MIN((int64_t)TFM__GEMM_PACK_GROUP, strips - s);
            pb->im->pack_b(&p, (int)nr, 0, K, s * nr, n_s, pb->data + s * K * nr, K * nr);
        }
    }
    *out = pb;
    return TFM_OK;
}

TFMDEF void tfm_packed_b_free(tfm_packed_b *packed) {
    if (!packed) return;
    tfm__aligned_free(packed->data);
    TFM_FREE(packed);
}

TFMDEF tfm_status tfm_gemm_packed(const tfm_ctx *ctx, int64_t M, float alpha, const float *A, int64_t lda,
                                  const tfm_packed_b *B, float beta, float *C, int64_t ldc) {
    tfm_pool *pool = ctx ? ctx->pool : NULL;
    const tfm__gemm_impl *im;
    tfm__gemm_prob q;
    tfm__gemm_plan pl;
    float *shared;
    tfm_status st;
    if (!B) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_gemm_packed: NULL packed B");
    st = tfm__gemm_check("tfm_gemm_packed", B->trans_b, M, B->N, B->K, A, lda, B->bt, B->B, B->ldb, C, ldc);
    if (st != TFM_OK) return st;
    im = tfm__gemm_select(ctx);
    /* another kernel family, or a shape the packed path does not take: the plain call gives the
       same result */
    if (!B->data || im != B->im || M == 0 || alpha == 0.0f || (im->gemv && M <= TFM__GEMM_SMALL_M))
        return tfm_gemm(ctx, B->trans_b, M, B->N, B->K, alpha, A, lda, B->bt, B->B, B->ldb, beta, C, ldc);
    memset(&q, 0, sizeof q);
    q.trans_b = B->trans_b;
    q.M = M;
    q.N = B->N;
    q.K = B->K;
    q.alpha = alpha;
    q.beta = beta;
    q.A = A;
    q.lda = lda;
    q.bt = B->bt;
    q.B = B->B;
    q.ldb = B->ldb;
    q.C = C;
    q.ldc = ldc;
    tfm__gemm_make_plan(im, &q, tfm_pool_threads(pool), &pl);
    pl.local_b = 0;
    pl.nb_strips = (q.N + im->nr - 1) / im->nr;
    pl.local_floats = 0;
    pl.shared_floats = (size_t)(pl.mb_panels * im->mr * q.K);
    if (pool) {
        shared = (float *)tfm__pool_scratch(pool, tfm_pool_threads(pool), pl.shared_floats * sizeof(float));
        if (!shared) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm_packed: no memory for packing A");
        tfm__gemm_packed_run(im, &q, &pl, pool, shared, NULL, B->data);
    } else {
        shared = (float *)tfm__aligned_alloc(pl.shared_floats * sizeof(float));
        if (!shared) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_gemm_packed: no memory for packing A");
        tfm__gemm_packed_run(im, &q, &pl, NULL, shared, NULL, B->data);
        tfm__aligned_free(shared);
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
TFM__T512 static float tfm__dot_avx512(const float *a, const float *b, int64_t n) {
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
    return tfm__gemm_hsum512(_mm512_add_ps(s0, s1));
}
TFM__T512 static void tfm__axpy_avx512(float *y, float a, const float *x, int64_t n) {
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
    tfm_isa isa;
} tfm__softmax_args;

/* softmax of scale*x+mask over n entries into y (x == y allowed). */
static float tfm__exp_shifted(tfm_isa isa, float *y, int64_t n, float mx);

/* softmax of scale*x+mask over n entries into y (x == y allowed); exp on the ISA's vectors. */
static void tfm__softmax_isa(tfm_isa isa, const float *x, const float *mask, int64_t n, float scale, float *y) {
    float mx = -INFINITY, sum;
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
    sum = 1.0f / tfm__exp_shifted(isa, y, n, mx);
    for (i = 0; i < n; i++) y[i] *= sum;
}

static void tfm__softmax_row(void *arg, int64_t r) {
    const tfm__softmax_args *a = (const tfm__softmax_args *)arg;
    tfm__softmax_isa(a->isa, a->x + r * a->cols, a->mask ? a->mask + r * a->cols : NULL, a->cols, a->scale,
                     a->y + r * a->cols);
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
    a.isa = tfm__ctx_isa(ctx);
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

/* Vector activations. exp: n = round(x / ln2), r = x - n ln2 in two parts, a degree-6 polynomial
   for e^r, then 2^n through the exponent bits (relative error ~2e-7). erf: Abramowitz & Stegun
   7.1.26 (absolute error <= 1.5e-7). tanh and the sigmoids come from exp. Inputs are clamped so no
   lane overflows; NaN propagates through the arithmetic. */
#if defined(TFM__X86_SIMD)
#define TFM__VEXP_BODY(V, SET1, ADD, SUB, MUL, FMA, MAXF, MINF, ROUND, CVT, CASTI, SLLI, ADDI, SET1I)                   \
    V n, r, p;                                                                                                         \
    x = MINF(MAXF(x, SET1(-87.3f)), SET1(88.3f));                                                                      \
    n = ROUND(MUL(x, SET1(1.44269504088896341f)));                                                                     \
    r = FMA(n, SET1(-0.693359375f), x);                                                                                \
    r = FMA(n, SET1(2.12194440e-4f), r);                                                                               \
    p = SET1(1.9875691500e-4f);                                                                                        \
    p = FMA(p, r, SET1(1.3981999507e-3f));                                                                             \
    p = FMA(p, r, SET1(8.3334519073e-3f));                                                                             \
    p = FMA(p, r, SET1(4.1665795894e-2f));                                                                             \
    p = FMA(p, r, SET1(1.6666665459e-1f));                                                                             \
    p = FMA(p, r, SET1(5.0000001201e-1f));                                                                             \
    p = FMA(p, MUL(r, r), ADD(r, SET1(1.0f)));                                                                         \
    return MUL(p, CASTI(SLLI(ADDI(CVT(n), SET1I(127)), 23)));

TFM__T256 static __m256 tfm__exp8(__m256 x) {
#define TFM__R256(v) _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
    TFM__VEXP_BODY(__m256, _mm256_set1_ps, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_fmadd_ps,
                   _mm256_max_ps, _mm256_min_ps, TFM__R256, _mm256_cvtps_epi32, _mm256_castsi256_ps,
                   _mm256_slli_epi32, _mm256_add_epi32, _mm256_set1_epi32)
#undef TFM__R256
}

TFM__T256 static __m256 tfm__act8(tfm_act act, __m256 x) {
    const __m256 one = _mm256_set1_ps(1.0f), half = _mm256_set1_ps(0.5f);
    switch (act) {
    case TFM_ACT_GELU: {
        __m256 z = _mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f));
        __m256 az = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), z);
        __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(az, _mm256_set1_ps(0.3275911f), one));
        __m256 poly = _mm256_set1_ps(1.061405429f);
        __m256 e;
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(-1.453152027f));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(1.421413741f));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(-0.284496736f));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(0.254829592f));
        poly = _mm256_mul_ps(poly, t);
        e = _mm256_fnmadd_ps(poly, tfm__exp8(_mm256_mul_ps(_mm256_sub_ps(_mm256_setzero_ps(), az), az)), one);
        e = _mm256_or_ps(e, _mm256_and_ps(z, _mm256_set1_ps(-0.0f))); /* erf is odd */
        return _mm256_mul_ps(_mm256_mul_ps(half, x), _mm256_add_ps(one, e));
    }
    case TFM_ACT_GELU_TANH:
    case TFM_ACT_TANH: {
        __m256 u = act == TFM_ACT_TANH ? x
                                       : _mm256_mul_ps(_mm256_set1_ps(0.79788456080286536f),
                                                       _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(0.044715f), x),
                                                                       _mm256_mul_ps(x, x), x));
        /* tanh(u) = 1 - 2 / (e^{2u} + 1) */
        __m256 th = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f),
                                                     _mm256_add_ps(tfm__exp8(_mm256_add_ps(u, u)), one)));
        return act == TFM_ACT_TANH ? th : _mm256_mul_ps(_mm256_mul_ps(half, x), _mm256_add_ps(one, th));
    }
    case TFM_ACT_SILU:
    case TFM_ACT_SIGMOID:
    case TFM_ACT_QUICK_GELU: {
        __m256 k = act == TFM_ACT_QUICK_GELU ? _mm256_set1_ps(-1.702f) : _mm256_set1_ps(-1.0f);
        __m256 s = _mm256_div_ps(one, _mm256_add_ps(one, tfm__exp8(_mm256_mul_ps(k, x))));
        return act == TFM_ACT_SIGMOID ? s : _mm256_mul_ps(x, s);
    }
    case TFM_ACT_RELU: return _mm256_max_ps(x, _mm256_setzero_ps());
    default: return x;
    }
}

TFM__T256 static float tfm__exp_shifted_avx2(float *y, int64_t n, float mx) {
    __m256 acc = _mm256_setzero_ps(), m = _mm256_set1_ps(mx);
    float lanes[8], sum = 0;
    int64_t i = 0;
    int l;
    for (; i + 8 <= n; i += 8) {
        __m256 e = tfm__exp8(_mm256_sub_ps(_mm256_loadu_ps(y + i), m));
        _mm256_storeu_ps(y + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    _mm256_storeu_ps(lanes, acc);
    for (l = 0; l < 8; l++) sum += lanes[l];
    for (; i < n; i++) sum += (y[i] = expf(y[i] - mx));
    return sum;
}

TFM__T256 static void tfm__act_avx2(tfm_act act, const float *x, const float *up, int64_t n, float *y) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = tfm__act8(act, _mm256_loadu_ps(x + i));
        if (up) v = _mm256_mul_ps(v, _mm256_loadu_ps(up + i));
        _mm256_storeu_ps(y + i, v);
    }
    if (i < n) {
        float bx[8] = {0}, bu[8] = {0}, by[8];
        int64_t k, r = n - i;
        __m256 v;
        for (k = 0; k < r; k++) bx[k] = x[i + k];
        v = tfm__act8(act, _mm256_loadu_ps(bx));
        if (up) {
            for (k = 0; k < r; k++) bu[k] = up[i + k];
            v = _mm256_mul_ps(v, _mm256_loadu_ps(bu));
        }
        _mm256_storeu_ps(by, v);
        for (k = 0; k < r; k++) y[i + k] = by[k];
    }
}

#if defined(TFM__AVX512)
/* (maskz forms throughout: the plain ones expand to _mm512_undefined_*, which g++ 12 flags) */
#define TFM__M16 ((__mmask16)0xFFFF)
#define TFM__R512(v) _mm512_maskz_roundscale_ps(TFM__M16, v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define TFM__MAX512(a, b) _mm512_maskz_max_ps(TFM__M16, a, b)
#define TFM__MIN512(a, b) _mm512_maskz_min_ps(TFM__M16, a, b)
#define TFM__CVT512(v) _mm512_maskz_cvtps_epi32(TFM__M16, v)
#define TFM__SLLI512(v, n) _mm512_maskz_slli_epi32(TFM__M16, v, n)
TFM__T512 static __m512 tfm__exp16(__m512 x) {
    TFM__VEXP_BODY(__m512, _mm512_set1_ps, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_fmadd_ps,
                   TFM__MAX512, TFM__MIN512, TFM__R512, TFM__CVT512, _mm512_castsi512_ps, TFM__SLLI512,
                   _mm512_add_epi32, _mm512_set1_epi32)
}

TFM__T512 static __m512 tfm__act16(tfm_act act, __m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f), half = _mm512_set1_ps(0.5f);
    const __m512i sign = _mm512_set1_epi32((int)0x80000000u);
    switch (act) {
    case TFM_ACT_GELU: {
        __m512 z = _mm512_mul_ps(x, _mm512_set1_ps(0.70710678118654752f));
        __m512 az = _mm512_castsi512_ps(_mm512_maskz_andnot_epi32(TFM__M16, sign, _mm512_castps_si512(z)));
        __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(az, _mm512_set1_ps(0.3275911f), one));
        __m512 poly = _mm512_set1_ps(1.061405429f);
        __m512 e;
        poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-1.453152027f));
        poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(1.421413741f));
        poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(-0.284496736f));
        poly = _mm512_fmadd_ps(poly, t, _mm512_set1_ps(0.254829592f));
        poly = _mm512_mul_ps(poly, t);
        e = _mm512_fnmadd_ps(poly, tfm__exp16(_mm512_mul_ps(_mm512_sub_ps(_mm512_setzero_ps(), az), az)), one);
        e = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(e),
                                                _mm512_and_si512(_mm512_castps_si512(z), sign)));
        return _mm512_mul_ps(_mm512_mul_ps(half, x), _mm512_add_ps(one, e));
    }
    case TFM_ACT_GELU_TANH:
    case TFM_ACT_TANH: {
        __m512 u = act == TFM_ACT_TANH ? x
                                       : _mm512_mul_ps(_mm512_set1_ps(0.79788456080286536f),
                                                       _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(0.044715f), x),
                                                                       _mm512_mul_ps(x, x), x));
        __m512 th = _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.0f),
                                                     _mm512_add_ps(tfm__exp16(_mm512_add_ps(u, u)), one)));
        return act == TFM_ACT_TANH ? th : _mm512_mul_ps(_mm512_mul_ps(half, x), _mm512_add_ps(one, th));
    }
    case TFM_ACT_SILU:
    case TFM_ACT_SIGMOID:
    case TFM_ACT_QUICK_GELU: {
        __m512 k = act == TFM_ACT_QUICK_GELU ? _mm512_set1_ps(-1.702f) : _mm512_set1_ps(-1.0f);
        __m512 s = _mm512_div_ps(one, _mm512_add_ps(one, tfm__exp16(_mm512_mul_ps(k, x))));
        return act == TFM_ACT_SIGMOID ? s : _mm512_mul_ps(x, s);
    }
    case TFM_ACT_RELU: return TFM__MAX512(x, _mm512_setzero_ps());
    default: return x;
    }
}

/* (The sum is a second, scalar pass: a 64-byte store of an accumulator into a stack array faults
   under GCC 13's AddressSanitizer, whose fake stack frames are not 64-byte aligned.) */
TFM__T512 static float tfm__exp_shifted_avx512(float *y, int64_t n, float mx) {
    __m512 m = _mm512_set1_ps(mx);
    float sum = 0;
    int64_t i = 0, j;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, tfm__exp16(_mm512_sub_ps(_mm512_loadu_ps(y + i), m)));
    for (j = 0; j < i; j++) sum += y[j];
    for (; i < n; i++) sum += (y[i] = expf(y[i] - mx));
    return sum;
}

TFM__T512 static void tfm__act_avx512(tfm_act act, const float *x, const float *up, int64_t n, float *y) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = tfm__act16(act, _mm512_loadu_ps(x + i));
        if (up) v = _mm512_mul_ps(v, _mm512_loadu_ps(up + i));
        _mm512_storeu_ps(y + i, v);
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m512 v = tfm__act16(act, _mm512_maskz_loadu_ps(m, x + i));
        if (up) v = _mm512_mul_ps(v, _mm512_maskz_loadu_ps(m, up + i));
        _mm512_mask_storeu_ps(y + i, m, v);
    }
}
#endif
#endif

/* y[i] = exp(y[i] - mx) in place; returns the sum (accumulated in lane order, then lanes in order). */
static float tfm__exp_shifted(tfm_isa isa, float *y, int64_t n, float mx) {
    int64_t i = 0;
    float sum = 0;
#if defined(TFM__X86_SIMD)
#if defined(TFM__AVX512)
    if (isa == TFM_ISA_AVX512) return tfm__exp_shifted_avx512(y, n, mx);
#endif
    if (isa == TFM_ISA_AVX2 || isa == TFM_ISA_AVX512) return tfm__exp_shifted_avx2(y, n, mx);
#else
    TFM__UNUSED(isa);
#endif
    for (; i < n; i++) sum += (y[i] = expf(y[i] - mx));
    return sum;
}

typedef struct tfm__act_args {
    tfm_act act;
    tfm_isa isa;
    const float *x, *up;
    float *y;
    int64_t n, chunk;
} tfm__act_args;

static void tfm__act_chunk(void *arg, int64_t c) {
    const tfm__act_args *a = (const tfm__act_args *)arg;
    int64_t i, start = c * a->chunk, end = TFM__MIN(a->n, (c + 1) * a->chunk);
#if defined(TFM__X86_SIMD)
    if (a->act != TFM_ACT_IDENTITY) {
#if defined(TFM__AVX512)
        if (a->isa == TFM_ISA_AVX512) {
            tfm__act_avx512(a->act, a->x + start, a->up ? a->up + start : NULL, end - start, a->y + start);
            return;
        }
#endif
        if (a->isa == TFM_ISA_AVX2 || a->isa == TFM_ISA_AVX512) {
            tfm__act_avx2(a->act, a->x + start, a->up ? a->up + start : NULL, end - start, a->y + start);
            return;
        }
    }
#endif
    for (i = start; i < end; i++) {
        float v = tfm__act1(a->act, a->x[i]);
        a->y[i] = a->up ? v * a->up[i] : v;
    }
}

static void tfm__act_run(const tfm_ctx *ctx, tfm_act act, const float *x, const float *up, int64_t n, float *y) {
    tfm__act_args a;
    if (!x || !y || n <= 0) return;
    a.act = act;
    a.isa = tfm__ctx_isa(ctx);
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

/* =============================================================================================
   [SECTION 11] Unicode data
   Owns the character tables the tokenizers need. Everything between the GENERATED markers is
   written by tools/gen_unicode.py, which rewrites that block in place.
   ============================================================================================= */
/* BEGIN GENERATED UNICODE TABLES */
/* =============================================================================================
   Unicode 15.0.0 character data: categories, properties, case mapping, normalization.
   GENERATED by `python3 tools/gen_unicode.py` (it rewrites this block of transformers.h) from the
   Unicode 15.0.0 Character Database (Debian package unicode-data); do not edit by hand.

   API (all static, code points are uint32_t; anything above U+10FFFF is unassigned):
     tfm__uc_category(cp)            general category, TFM__UC_LU .. TFM__UC_CN
     tfm__uc_is_whitespace(cp)       White_Space property (Rust char::is_whitespace)
     tfm__uc_is_alphabetic(cp)       Alphabetic derived property (Rust char::is_alphabetic)
     tfm__uc_is_numeric(cp)          Nd | Nl | No (Rust char::is_numeric)
     tfm__uc_is_combining_mark(cp)   Mn | Mc | Me (unicode-normalization char::is_combining_mark,
                                     used by tokenizers' StripAccents)
     tfm__uc_is_cjk_ideograph(cp)    the CJK ranges of BERT's BasicTokenizer / BertNormalizer
     tfm__uc_is_bert_punct(cp)       ASCII 33-47, 58-64, 91-96, 123-126, or category P*
     tfm__uc_ccc(cp)                 canonical combining class
     tfm__uc_to_lower(cp, out[3])    full lowercase of one char as Rust char::to_lowercase:
     tfm__uc_to_upper(cp, out[3])    UnicodeData simple mapping, overridden by the unconditional
                                     SpecialCasing entries; returns the count (1..3). No final
                                     sigma rule (char-level, like Rust).
     tfm__uc_simple_fold(cp)         simple case folding (CaseFolding.txt status C + S)
     tfm__uc_normalize(in, n, form, &out)   NFD / NFC / NFKD / NFKC with alignment changes
   ============================================================================================= */

enum {
    TFM__UC_LU, TFM__UC_LL, TFM__UC_LT, TFM__UC_LM, TFM__UC_LO, TFM__UC_MN, TFM__UC_MC,
    TFM__UC_ME, TFM__UC_ND, TFM__UC_NL, TFM__UC_NO, TFM__UC_PC, TFM__UC_PD, TFM__UC_PS,
    TFM__UC_PE, TFM__UC_PI, TFM__UC_PF, TFM__UC_PO, TFM__UC_SM, TFM__UC_SC, TFM__UC_SK,
    TFM__UC_SO, TFM__UC_ZS, TFM__UC_ZL, TFM__UC_ZP, TFM__UC_CC, TFM__UC_CF, TFM__UC_CS,
    TFM__UC_CO, TFM__UC_CN
};
enum { TFM__UC_NFD = 0, TFM__UC_NFC = 1, TFM__UC_NFKD = 2, TFM__UC_NFKC = 3 };
#define TFM__UC_MAX_DECOMP 18 /* longest full decomposition (U+FDFA) */

typedef struct tfm__uc_case_run {
    uint32_t first;
    uint16_t count;
    uint8_t stride;
    int32_t delta;
} tfm__uc_case_run;
typedef struct tfm__uc_case_special { uint32_t cp, lower[3], upper[3]; } tfm__uc_case_special;
typedef struct tfm__uc_comp_pair { uint32_t first, second, composite; } tfm__uc_comp_pair;
/* One output code point and its change value as the Rust crate reports it. */
typedef struct tfm__uc_change { uint32_t cp; int32_t change; } tfm__uc_change;

/* bits 0-4 general category, bit 5 White_Space, bit 6 Alphabetic.
   Three-level table: cp >> 9 selects a middle block of 64 entries, which selects a leaf
   block of 8 entries. */
static const uint8_t tfm__uc_prop_top[2176] = {
   0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,26,26,26,26,26,26,26,26,
   26,26,26,27,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,
   26,26,26,26,26,26,26,26,26,26,26,26,26,28,26,29,30,31,32,26,26,26,26,26,26,26,26,26,26,26,26,26,
   26,26,26,26,26,26,26,26,33,34,34,34,34,35,35,35,35,35,35,35,35,35,35,35,35,36,37,38,39,40,41,42,
   43,44,45,46,47,48,49,50,51,52,53,54,55,26,56,57,58,58,58,58,59,26,26,60,58,58,58,58,58,58,58,26,
   61,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,26,62,58,63,26,26,26,26,26,26,26,26,26,26,26,
   64,26,26,65,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,66,67,68,58,58,58,58,69,58,58,58,58,
   58,58,58,58,70,71,72,73,74,75,76,58,77,78,79,80,81,82,58,83,84,85,86,75,87,88,89,58,58,26,26,26,
   26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,
   26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,
   26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,26,90,26,26,26,26,26,26,26,91,92,26,26,26,26,26,26,
   26,26,26,26,93,26,26,26,26,26,26,26,26,26,26,26,26,26,94,58,58,58,58,58,58,26,95,58,58,26,26,26,
   26,26,26,26,26,26,96,26,26,26,26,26,26,26,97,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,98,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,
   58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,58,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,99,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,
   35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,35,99,
};
static const uint16_t tfm__uc_prop_mid[6400] = {
   0,1,0,0,2,3,4,5,6,7,7,8,9,10,10,11,12,0,0,0,13,14,15,16,7,7,17,18,10,10,19,10,20,20,20,20,20,20,
   20,21,21,22,20,20,20,20,20,23,24,25,26,27,28,29,30,31,32,33,21,34,20,20,35,20,20,20,20,20,20,20,
   36,37,38,20,10,10,10,10,10,10,10,10,39,10,10,10,40,40,41,40,42,43,44,45,43,43,46,46,46,46,46,46,
   46,46,47,46,46,46,46,46,48,49,50,51,52,7,53,54,10,10,10,55,56,20,20,20,57,58,7,7,7,7,7,7,10,10,
   10,10,10,10,20,20,20,20,59,60,20,20,20,20,20,20,61,62,20,20,20,20,20,20,20,20,20,20,20,20,63,7,7,
   7,64,65,10,10,10,10,10,66,67,46,46,46,68,69,70,71,72,72,72,73,74,71,75,76,68,77,72,72,72,72,78,
   79,68,80,4,81,82,72,72,72,72,72,72,72,72,72,72,72,83,84,85,86,4,87,88,89,90,72,72,72,68,68,46,91,
   72,72,72,72,72,72,72,72,72,72,92,68,93,71,4,94,72,72,72,95,96,97,72,72,92,98,99,100,88,101,72,72,
   72,102,72,103,72,72,72,104,105,46,72,72,72,72,72,106,107,68,108,109,68,68,110,72,72,72,72,72,72,
   111,112,113,114,72,115,4,116,72,117,118,119,72,72,120,121,122,123,124,125,126,127,4,128,129,130,
   73,119,72,72,120,131,132,133,134,135,136,137,4,138,71,130,139,140,72,72,120,141,122,142,143,144,
   71,127,4,145,146,147,118,119,72,72,120,141,148,123,149,150,126,127,4,151,71,152,153,154,155,156,
   153,72,157,158,159,160,71,137,4,161,162,163,164,120,72,72,120,72,165,166,167,168,169,127,4,170,
   171,172,164,120,72,72,120,173,148,174,175,176,177,127,4,178,71,179,164,120,72,72,72,72,180,181,
   182,183,184,127,4,185,186,147,72,187,188,72,72,140,189,187,190,191,192,137,4,193,71,194,72,72,72,
   72,72,195,196,197,198,4,199,71,71,71,71,155,200,72,72,201,72,195,202,203,204,4,205,71,71,71,71,
   206,88,207,208,4,209,210,211,72,194,72,72,72,212,213,214,215,216,68,213,68,68,68,217,218,219,220,
   221,71,71,71,71,72,72,72,72,72,222,223,224,4,225,226,227,228,229,230,72,231,232,4,233,7,7,7,7,
   234,235,10,10,10,10,10,236,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,154,187,154,72,72,72,72,72,154,72,72,72,72,
   154,187,154,72,187,72,72,72,72,72,72,72,154,72,72,72,72,72,72,72,72,237,88,238,185,239,72,72,240,
   241,7,7,7,7,7,7,7,7,7,7,242,243,244,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,245,72,72,246,72,72,247,
   72,72,72,72,72,72,72,72,72,248,249,144,72,72,250,251,72,72,252,71,72,72,253,71,72,164,254,71,72,
   72,72,72,72,72,255,256,257,258,259,260,4,261,185,262,263,264,4,261,72,72,72,72,265,72,72,72,72,
   72,72,144,266,72,72,72,72,267,72,72,72,72,72,72,72,72,268,71,72,72,72,187,269,270,271,272,273,4,
   72,72,72,268,212,71,72,72,72,72,72,274,72,72,72,275,4,276,240,240,240,240,72,72,277,278,72,72,72,
   72,72,72,279,280,281,282,283,284,4,261,4,261,285,286,46,287,288,289,71,71,71,71,71,71,290,72,72,
   72,72,72,291,292,293,212,4,225,294,295,296,297,298,72,72,72,299,300,4,94,72,72,72,72,301,302,303,
   304,72,72,72,72,305,306,307,308,4,309,4,94,72,72,72,310,10,311,7,7,7,7,7,312,88,71,313,46,314,
   315,316,317,10,10,10,10,10,318,40,40,40,40,40,40,40,319,10,320,10,10,10,321,40,40,40,40,46,46,46,
   46,322,68,323,46,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,20,324,325,20,20,20,20,20,20,
   20,20,20,20,20,20,10,7,243,242,10,7,10,7,243,242,10,326,10,7,10,243,10,327,10,327,10,327,328,329,
   330,331,332,333,10,334,335,336,337,338,339,340,88,341,88,342,343,88,344,345,346,347,348,349,185,
   350,40,351,352,352,352,352,353,71,46,354,355,46,356,71,357,358,359,360,361,362,363,364,365,366,
   185,185,367,367,367,367,368,369,370,371,372,373,240,240,240,374,375,240,240,240,376,377,377,377,
   377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,
   377,377,377,377,377,377,240,378,240,240,379,380,240,240,240,240,240,240,240,240,240,381,240,240,
   240,382,377,377,383,240,240,240,240,376,379,240,240,240,240,240,240,240,384,71,71,71,240,385,71,
   71,185,185,185,185,185,185,185,386,240,240,387,388,388,388,388,388,388,389,185,185,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,390,240,391,240,240,
   240,240,240,240,377,240,240,240,240,240,240,240,240,240,240,240,240,240,390,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,392,393,185,185,185,386,240,240,240,240,240,394,377,377,377,395,392,377,377,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,396,397,397,
   398,377,377,377,377,377,377,377,399,377,377,377,400,377,377,377,377,377,377,377,377,377,377,377,
   377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,377,240,240,240,
   240,240,240,377,377,401,370,240,240,240,240,402,240,240,240,403,240,240,240,240,240,240,240,240,
   240,240,240,240,240,7,7,7,7,7,7,10,10,10,10,10,10,404,405,406,407,20,20,20,20,20,20,20,20,20,20,
   20,20,408,409,410,411,10,10,10,10,412,413,72,72,72,72,72,72,72,414,415,416,72,72,187,71,187,187,
   187,187,187,187,187,187,68,68,68,68,417,418,419,420,421,422,88,423,424,88,425,426,71,71,71,71,
   240,240,240,427,240,240,240,240,240,240,240,240,240,240,428,71,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,429,71,71,71,240,428,430,
   392,431,432,433,434,435,436,194,72,72,72,72,72,72,72,72,72,187,437,244,72,72,72,72,72,72,72,72,
   72,72,438,439,72,72,72,72,72,194,72,72,72,72,72,72,72,72,72,72,187,440,240,72,72,72,72,240,240,
   240,240,428,71,72,72,240,240,240,384,185,441,240,240,240,185,442,185,240,240,240,240,185,441,240,
   240,240,240,442,185,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,240,240,240,240,240,240,240,240,72,
   72,443,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,212,240,240,240,240,240,240,384,71,72,72,72,72,
   72,310,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,444,72,72,4,445,71,71,20,20,20,20,20,446,447,448,20,20,20,449,72,72,72,72,72,72,72,72,
   450,367,451,71,43,43,452,40,453,20,22,20,20,20,20,20,20,20,320,454,20,455,456,20,20,457,458,20,
   459,460,461,462,71,71,463,464,465,466,72,72,467,468,469,470,72,72,72,72,72,72,471,71,472,72,72,
   72,72,72,305,192,473,474,4,261,46,46,475,476,4,94,72,72,92,477,72,72,277,68,478,170,72,72,72,212,
   110,72,72,72,72,72,479,480,481,482,4,483,484,72,4,485,72,72,72,72,72,486,487,71,466,488,4,489,72,
   72,490,491,72,72,72,72,72,72,492,493,494,71,71,495,72,496,497,71,498,498,498,71,187,187,10,10,10,
   10,10,499,10,500,10,10,10,10,10,10,10,10,10,10,72,72,72,72,501,502,4,261,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,274,71,72,72,187,503,72,72,72,72,72,274,504,504,504,504,504,
   504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,
   504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,504,
   504,504,504,504,504,504,504,504,504,504,504,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,268,72,72,72,
   72,72,72,72,72,72,72,72,72,72,275,71,71,71,71,506,71,507,508,72,509,187,510,511,72,72,72,72,72,
   72,72,72,72,72,72,72,72,512,43,513,71,503,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,514,240,240,72,72,
   72,72,72,72,72,72,188,72,72,72,72,72,72,515,71,71,71,71,72,516,46,46,517,518,46,46,519,397,520,
   521,522,523,524,525,164,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,526,527,3,4,5,6,7,7,8,9,
   10,10,528,529,72,78,72,72,72,72,530,72,72,72,187,188,188,188,531,532,533,71,534,72,173,72,72,187,
   72,72,535,72,268,72,268,71,71,71,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,103,536,185,185,
   185,185,185,537,240,367,367,367,367,367,367,538,539,240,540,240,541,542,71,71,71,71,71,240,240,
   240,240,240,543,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,212,72,72,72,72,72,72,
   144,71,544,185,185,545,72,72,72,72,545,439,72,72,546,547,72,72,72,72,92,548,72,72,72,549,72,72,
   72,72,274,72,550,71,71,71,71,71,7,7,7,7,7,10,10,10,10,10,72,72,72,72,72,72,72,72,72,268,4,261,7,
   7,7,7,551,10,10,10,10,552,72,72,72,72,72,71,72,72,72,72,72,72,274,170,7,553,7,553,554,10,555,10,
   555,556,71,71,71,71,71,71,71,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,187,71,72,72,268,71,72,71,71,71,557,40,40,40,
   40,40,558,559,71,71,71,71,71,71,71,71,268,120,72,72,72,72,139,560,72,72,549,185,72,72,561,442,72,
   72,72,187,562,185,71,71,71,71,71,71,72,72,563,564,72,72,565,566,72,72,72,567,71,71,71,71,71,71,
   71,71,72,72,72,72,72,72,72,568,185,185,569,185,185,185,185,185,570,571,173,194,72,72,268,572,185,
   573,88,415,72,72,72,574,72,72,72,575,71,71,71,71,72,576,72,72,577,564,101,71,72,72,72,72,72,72,
   268,578,72,72,268,185,72,72,103,185,72,72,275,579,71,580,71,71,71,71,71,71,71,71,71,71,72,72,72,
   72,72,72,72,72,72,144,71,71,71,71,71,71,7,7,7,7,7,7,581,71,10,10,10,10,10,10,582,569,72,72,72,72,
   583,71,4,261,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,185,185,185,584,72,72,72,72,72,585,275,71,71,71,71,71,71,71,71,586,72,72,
   72,575,184,71,72,72,587,46,588,589,71,71,72,72,590,589,71,71,71,71,72,72,575,545,71,71,72,72,187,
   71,591,72,72,72,72,72,72,68,592,286,569,185,593,4,594,416,298,72,72,72,72,72,595,596,597,598,72,
   72,72,144,4,261,599,72,72,72,277,600,601,4,602,71,72,72,72,72,603,71,298,72,72,72,72,72,604,214,
   605,606,4,607,580,185,239,71,72,72,140,72,72,608,609,610,611,71,71,71,71,71,71,71,187,612,72,139,
   72,613,72,72,72,72,72,277,614,615,4,261,616,118,119,72,72,120,141,617,618,619,160,439,620,621,
   621,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,72,72,72,622,68,623,624,4,625,
   275,71,71,71,72,72,72,72,72,72,614,626,627,71,4,261,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,72,72,72,72,72,628,629,630,631,88,88,632,71,71,71,71,72,72,72,72,72,72,614,633,
   634,71,4,261,88,635,71,71,72,72,72,72,72,636,637,613,4,261,71,71,71,71,71,71,72,72,72,638,639,
   640,4,641,187,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,72,
   72,608,68,642,71,71,71,71,71,71,71,71,71,71,71,71,7,7,7,7,10,10,10,10,4,209,643,251,187,644,645,
   72,72,72,646,647,648,71,4,261,71,71,71,71,71,71,71,71,72,188,72,72,72,72,649,650,651,71,71,71,
   652,599,72,72,72,72,653,654,655,71,486,656,72,72,72,72,72,657,214,658,659,71,72,72,72,72,72,72,
   72,72,72,144,88,589,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,72,120,72,72,72,628,280,660,661,71,4,209,185,239,662,72,72,72,663,68,68,664,665,
   71,71,71,71,71,71,71,71,71,187,140,72,72,72,72,666,667,668,71,4,261,139,120,72,72,72,669,670,144,
   4,261,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,72,72,671,415,672,72,120,72,72,72,673,674,675,88,4,261,71,71,71,71,71,71,
   71,71,71,71,144,71,185,185,676,677,678,240,241,170,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,275,71,71,71,71,71,71,71,71,71,71,71,71,367,367,367,367,367,367,367,367,367,367,367,
   367,367,679,635,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,274,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,72,72,72,72,72,72,72,72,72,72,72,72,680,71,72,72,72,72,72,72,347,347,
   681,46,682,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,72,72,72,72,
   72,187,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,72,72,72,72,
   144,72,72,72,187,4,483,72,72,72,72,72,72,72,72,72,187,4,261,72,72,72,268,683,71,72,72,72,72,72,
   72,684,685,686,71,4,687,688,72,72,439,72,72,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,7,7,7,7,10,10,10,10,185,185,689,659,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,
   72,72,72,72,72,72,690,691,192,192,192,192,192,192,692,693,40,71,71,71,71,71,71,71,71,694,71,695,
   71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,268,71,71,71,71,
   71,72,144,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,696,
   697,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,103,71,698,71,71,71,169,71,699,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,274,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,72,72,72,72,72,72,72,72,72,72,72,72,72,103,72,212,72,144,72,700,701,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,46,46,46,46,46,682,46,46,702,71,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,428,71,71,71,71,71,71,71,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,429,71,240,240,240,240,384,703,240,240,240,
   240,240,240,704,705,706,707,708,296,240,240,240,709,240,240,240,240,240,240,240,385,71,71,240,
   240,240,240,240,240,240,240,710,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,185,185,545,71,185,
   185,545,71,240,240,240,240,240,240,240,240,240,240,384,71,185,185,185,573,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,7,7,7,711,10,10,712,7,7,713,328,10,10,7,7,7,711,10,10,714,715,716,713,
   717,718,10,7,7,7,711,10,10,719,312,720,721,10,10,10,722,723,724,725,10,10,712,7,7,713,10,10,10,7,
   7,7,711,10,10,712,7,7,713,10,10,10,7,7,7,711,10,10,712,7,7,713,10,10,10,7,7,7,711,10,10,243,7,7,
   7,726,10,10,727,728,7,7,729,10,10,730,712,7,7,731,10,10,19,732,7,7,17,10,10,10,733,7,7,7,726,10,
   10,727,734,4,4,4,4,4,4,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,46,46,46,
   46,46,46,735,295,46,46,46,46,46,736,737,240,738,739,71,740,67,46,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   10,741,10,506,742,582,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,280,68,68,743,744,548,40,40,40,40,40,40,40,745,71,71,71,692,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,72,72,72,72,72,212,746,745,4,747,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,748,71,71,72,72,72,72,
   72,749,4,750,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,
   72,751,4,261,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   187,645,72,187,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,752,185,
   702,71,71,71,71,71,7,7,7,7,711,10,10,10,753,754,4,483,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,580,185,185,185,185,185,185,755,756,
   71,71,71,71,71,71,71,71,71,580,185,185,185,185,757,185,758,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,173,72,72,72,759,194,200,760,761,762,759,763,759,200,200,136,
   72,140,72,274,764,140,72,274,71,71,71,71,71,71,765,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,240,240,240,240,240,428,240,240,240,240,
   240,240,240,240,240,240,240,240,428,71,240,384,703,240,703,240,703,240,240,240,429,71,185,676,
   240,240,240,240,388,388,388,766,388,388,388,766,388,388,388,766,240,240,240,429,71,71,71,71,71,
   71,767,240,240,240,385,71,240,240,240,240,240,428,240,542,241,71,429,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,768,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,769,240,541,240,541,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,384,770,240,240,240,240,240,240,240,240,
   240,240,240,241,240,428,542,71,240,428,240,240,240,240,240,240,240,71,240,241,240,240,240,240,
   240,71,240,240,240,429,241,71,71,71,71,71,71,71,71,71,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   240,240,240,240,240,240,240,240,428,71,240,429,240,541,240,542,240,240,240,240,240,403,429,767,
   240,428,240,542,240,542,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,240,
   771,240,240,240,240,240,240,385,71,71,71,71,4,261,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,71,71,71,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,275,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,268,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,275,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,144,71,71,71,72,72,72,268,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,
   71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,103,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,72,
   72,72,72,72,72,72,72,72,71,71,71,71,71,71,71,71,71,71,772,71,71,71,347,347,347,347,347,347,347,
   347,347,347,347,347,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,71,46,46,46,46,46,46,46,46,46,
   46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,46,71,71,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,505,
   505,505,505,505,505,505,505,505,773,
};
static const uint8_t tfm__uc_prop_leaf[6192] = {
   25,25,25,25,25,25,25,25,25,57,57,57,57,57,25,25,54,17,17,17,19,17,17,17,13,14,17,18,17,12,17,17,
   8,8,8,8,8,8,8,8,8,8,17,17,18,18,18,17,17,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,64,
   13,17,14,20,11,20,65,65,65,65,65,65,65,65,65,65,65,65,65,65,65,65,65,65,13,18,14,18,25,25,25,25,
   25,25,57,25,25,54,17,19,19,19,19,21,17,20,21,68,15,18,26,21,20,21,18,10,10,20,65,17,17,20,10,68,
   16,10,10,10,17,64,64,64,64,64,64,64,18,64,64,64,64,64,64,64,65,65,65,65,65,65,65,65,18,64,65,64,
   65,64,65,64,65,65,64,65,64,65,64,65,64,65,65,64,65,64,65,64,65,64,64,65,64,65,64,65,65,65,64,64,
   65,64,65,64,64,65,64,64,64,65,65,64,64,64,64,65,64,64,65,64,64,64,65,65,65,64,64,65,64,64,65,64,
   65,64,65,64,64,65,64,65,65,64,65,64,64,65,64,64,64,65,64,65,64,64,65,65,68,64,65,65,65,68,68,68,
   68,64,66,65,64,66,65,64,66,65,64,65,64,65,64,65,64,65,65,64,65,65,64,66,65,64,65,64,64,64,65,64,
   65,65,65,65,65,65,65,64,64,65,64,64,65,65,64,65,64,64,64,64,65,65,65,65,65,68,65,65,65,67,67,67,
   67,67,67,67,67,67,67,20,20,20,20,67,67,67,67,20,20,20,20,20,20,20,20,20,20,20,20,20,20,67,67,67,
   67,67,20,20,20,20,20,20,20,67,20,67,20,5,5,5,5,5,5,5,5,5,5,5,5,5,69,5,5,64,65,64,65,67,20,64,65,
   29,29,67,65,65,65,17,64,29,29,29,29,20,20,64,17,64,64,64,29,64,29,64,64,65,64,64,64,64,64,64,64,
   64,64,29,64,64,64,64,64,64,64,64,64,65,65,65,65,65,65,65,65,65,65,65,64,65,65,64,64,64,65,65,65,
   65,65,65,65,64,65,18,64,65,64,64,65,65,64,64,64,64,65,21,5,5,5,5,5,7,7,64,65,64,65,64,65,64,64,
   65,64,65,64,65,64,65,64,65,64,65,64,65,65,29,64,64,64,64,64,64,64,64,64,64,64,64,64,64,29,29,67,
   17,17,17,17,17,17,65,17,12,29,29,21,21,19,29,5,5,5,5,5,5,5,69,69,69,69,69,69,69,69,69,69,69,69,
   69,69,12,69,17,69,69,17,69,69,17,69,29,29,29,29,29,29,29,29,68,68,68,68,68,68,68,68,68,68,68,29,
   29,29,29,68,68,68,68,17,17,29,29,29,26,26,26,26,26,26,18,18,18,17,17,19,17,17,21,21,69,69,69,17,
   26,17,17,17,67,68,68,68,68,68,68,68,68,68,68,69,69,69,69,69,5,69,69,69,69,69,69,69,8,8,17,17,17,
   17,68,68,69,68,68,68,68,68,68,68,68,68,68,68,17,68,69,69,69,69,69,69,69,26,21,5,5,69,69,69,69,67,
   67,69,69,21,5,5,5,69,68,68,8,8,68,68,68,21,21,68,17,17,17,17,17,17,17,17,17,17,17,17,17,17,29,26,
   68,69,68,68,68,68,68,68,5,5,5,29,29,68,68,68,68,68,68,68,68,68,69,69,69,68,29,29,29,29,29,29,8,8,
   68,68,68,68,68,68,68,68,68,5,5,5,5,5,5,5,5,5,67,67,21,17,17,17,67,29,29,5,19,19,5,5,67,69,69,69,
   69,69,69,69,69,69,67,69,69,69,67,69,69,69,69,5,29,29,17,17,17,17,17,17,17,29,68,5,5,5,29,29,17,
   29,68,68,68,29,29,29,29,29,20,68,68,68,68,68,68,29,26,26,29,29,29,29,29,29,68,67,5,5,5,5,5,5,5,5,
   5,5,69,69,69,69,5,5,26,69,69,69,69,69,69,69,5,5,5,5,5,5,69,69,69,70,68,68,68,68,68,68,69,70,5,68,
   70,70,70,69,69,69,69,69,69,69,69,70,70,70,70,5,70,70,68,5,5,5,5,69,69,69,68,68,69,69,17,17,8,8,
   17,67,68,68,68,68,68,68,68,69,70,70,29,68,68,68,68,68,68,68,68,29,29,68,68,29,29,68,68,68,68,68,
   68,29,68,68,68,68,68,68,68,29,68,29,29,29,68,68,68,68,29,29,5,68,70,70,70,69,69,69,69,29,29,70,
   70,29,29,70,70,5,68,29,29,29,29,29,29,29,29,70,29,29,29,29,68,68,29,68,68,68,69,69,29,29,8,8,68,
   68,19,19,10,10,10,10,10,10,21,19,68,17,5,29,29,69,69,70,29,68,68,68,68,29,68,68,29,68,68,29,68,
   68,29,29,5,29,70,70,70,69,69,29,29,29,29,69,69,29,29,69,69,5,29,29,29,69,29,29,29,29,29,29,29,68,
   68,68,68,29,68,29,29,29,29,29,29,29,8,8,69,69,68,68,68,69,17,29,68,68,68,68,68,68,29,68,68,68,29,
   68,68,68,68,68,68,29,68,68,29,68,68,68,70,69,69,69,69,69,29,69,69,70,29,70,70,5,29,29,68,29,29,
   29,29,29,29,29,17,19,29,29,29,29,29,29,29,68,69,69,69,5,5,5,29,69,70,70,29,68,68,68,68,68,29,29,
   5,68,70,69,70,29,29,70,70,5,29,29,29,29,29,29,29,5,69,70,21,68,10,10,10,10,10,10,29,29,69,68,29,
   68,68,68,68,68,68,29,29,29,68,68,68,29,68,68,68,68,29,29,29,68,68,29,68,29,68,68,29,29,29,68,68,
   29,29,29,68,68,29,29,29,29,70,70,69,70,70,29,29,29,70,70,70,29,70,70,70,5,29,29,68,29,29,29,29,
   29,29,70,10,10,10,21,21,21,21,21,21,19,21,29,29,29,29,29,69,70,70,70,69,68,68,68,68,68,68,68,68,
   29,68,68,68,68,29,29,5,68,69,69,69,70,70,70,70,29,69,69,69,29,69,69,69,5,29,29,29,29,29,29,29,69,
   69,29,68,68,68,29,29,68,29,29,29,29,29,29,29,29,29,17,10,10,10,10,10,10,10,21,68,69,70,70,17,68,
   68,68,68,68,68,68,29,68,68,68,70,70,70,70,70,29,69,70,70,29,70,70,69,5,29,29,29,29,29,29,29,70,
   70,29,29,29,29,29,29,68,68,29,29,68,68,70,29,29,29,29,69,69,70,70,68,68,68,68,68,68,68,5,5,68,70,
   70,70,69,69,69,69,29,70,70,70,29,70,70,70,5,68,21,29,29,29,29,68,68,68,70,10,10,10,10,10,10,10,
   68,10,10,10,10,10,10,10,10,10,21,68,68,68,68,68,68,68,68,68,68,68,68,68,29,29,29,68,68,68,68,68,
   68,68,68,68,68,29,68,29,29,29,29,5,29,29,29,29,70,70,70,69,69,69,29,69,29,70,70,70,70,70,70,70,
   70,29,29,70,70,17,29,29,29,29,68,68,68,68,68,68,68,68,69,68,68,69,69,69,69,69,69,69,29,29,29,29,
   19,68,68,68,68,68,68,67,5,5,5,5,5,5,69,5,17,8,8,17,17,29,29,29,29,68,68,68,29,68,68,68,68,68,68,
   68,68,29,68,29,68,69,69,5,69,69,68,29,29,68,68,68,68,68,29,67,29,5,5,5,5,5,69,5,29,8,8,29,29,68,
   68,68,68,68,21,21,21,17,17,17,17,17,17,17,21,17,21,21,21,5,5,21,21,21,21,21,21,8,8,10,10,10,10,
   10,10,10,10,10,10,21,5,21,5,21,5,13,14,13,14,6,6,68,68,68,68,68,29,29,29,29,69,69,69,69,69,69,69,
   69,69,69,69,69,69,69,70,69,69,69,69,5,17,5,5,68,68,68,68,68,69,69,69,69,69,69,69,69,29,21,21,21,
   21,21,21,21,21,5,21,21,21,21,21,21,29,21,21,17,17,17,17,17,21,21,21,21,17,17,29,29,29,29,29,68,
   68,68,70,70,69,69,69,69,70,69,69,69,69,69,5,70,5,5,70,70,69,69,68,8,8,17,17,17,17,17,17,68,68,68,
   68,68,68,70,70,69,69,68,68,68,68,69,69,69,68,70,70,70,68,68,70,70,70,70,70,70,70,68,68,68,69,69,
   69,69,68,68,68,68,68,69,70,70,69,69,70,70,70,70,70,70,69,68,70,8,8,70,70,70,69,21,21,64,64,64,64,
   64,64,29,64,29,29,29,29,29,64,29,29,65,65,65,17,67,65,65,65,68,68,68,29,29,5,5,5,17,10,10,10,10,
   10,10,10,10,10,10,10,10,29,29,29,21,21,21,21,21,21,21,21,21,21,29,29,29,29,29,29,64,64,64,64,64,
   64,29,29,65,65,65,65,65,65,29,29,12,68,68,68,68,68,68,68,68,68,68,68,68,21,17,68,54,68,68,68,68,
   68,68,68,68,68,68,13,14,29,29,29,68,68,68,17,17,17,73,73,73,68,68,68,68,68,68,68,68,68,69,69,5,6,
   29,29,29,29,29,29,29,29,29,68,68,68,69,69,6,17,17,29,68,68,69,69,29,29,29,29,68,29,69,69,29,29,
   29,29,68,68,68,68,5,5,70,69,69,69,69,69,69,69,70,70,70,70,70,70,70,70,69,70,70,5,5,5,5,5,5,5,5,5,
   5,5,17,17,17,67,17,17,17,19,68,5,29,29,8,8,29,29,29,29,29,29,10,10,29,29,29,29,29,29,17,17,17,17,
   17,17,12,17,17,17,17,5,5,5,26,5,68,68,68,67,68,68,68,68,68,68,68,68,68,69,69,68,68,69,68,29,29,
   29,29,29,68,68,68,68,68,68,29,29,69,69,69,70,70,70,70,69,69,70,70,70,29,29,29,29,70,70,69,70,70,
   70,70,70,70,5,5,5,29,29,29,29,21,29,29,29,17,17,8,8,68,68,68,68,29,29,29,29,68,68,29,29,29,29,29,
   29,8,8,10,29,29,29,21,21,68,68,68,68,68,68,68,69,69,70,70,69,29,29,17,17,68,68,68,68,68,70,69,70,
   69,69,69,69,69,69,69,29,5,70,69,70,70,69,69,69,69,69,69,69,69,70,70,70,70,70,70,69,69,5,5,5,5,5,
   5,5,5,29,29,5,17,17,17,17,17,17,17,67,17,17,17,17,17,17,29,29,5,5,5,5,5,5,7,69,69,5,5,5,5,5,5,5,
   5,5,5,5,69,69,69,29,69,69,69,69,70,68,68,68,68,68,68,68,5,70,69,69,69,69,69,70,69,70,70,70,70,70,
   69,70,6,68,68,68,17,21,21,21,21,21,21,21,21,21,21,5,5,5,5,5,5,5,5,5,21,21,21,21,21,21,21,21,21,
   17,17,29,69,69,70,68,68,68,68,68,68,70,69,69,69,69,70,70,69,69,6,5,69,69,68,68,68,68,68,68,68,68,
   5,70,69,69,70,70,70,69,70,69,69,69,6,6,29,29,29,29,29,29,29,29,17,17,17,17,68,68,68,68,70,70,70,
   70,70,70,70,70,69,69,69,69,69,69,69,69,70,70,69,5,29,29,29,17,17,17,17,17,8,8,29,29,29,68,68,68,
   67,67,67,67,67,67,17,17,65,29,29,29,29,29,29,29,64,64,64,29,29,64,64,64,5,5,5,17,5,5,5,5,5,6,5,5,
   5,5,5,5,5,68,68,68,68,5,68,68,68,68,68,68,5,68,68,6,5,5,68,29,29,29,29,29,65,65,65,65,67,67,67,
   67,67,67,67,65,65,65,65,65,67,65,65,65,65,65,65,65,65,65,65,67,67,67,67,67,5,5,5,5,5,5,5,69,69,
   69,69,69,69,5,5,5,64,65,64,65,64,65,65,65,65,65,65,65,65,65,64,65,29,64,29,64,29,64,29,64,66,66,
   66,66,66,66,66,66,65,65,65,65,65,29,65,65,64,64,64,64,66,20,65,20,20,20,65,65,65,29,65,65,64,64,
   64,64,66,20,20,20,65,65,65,65,29,29,65,65,64,64,64,64,29,20,20,20,64,64,64,64,64,20,20,20,29,29,
   65,65,65,29,65,65,64,64,64,64,66,20,20,29,54,54,54,54,54,54,54,54,54,54,54,26,26,26,26,26,12,12,
   12,12,12,12,17,17,15,16,13,15,15,16,13,15,55,56,26,26,26,26,26,54,17,15,16,17,17,17,17,11,11,17,
   17,17,18,13,14,17,17,17,18,17,11,17,17,17,17,17,17,17,17,17,17,54,26,26,26,26,26,29,26,26,26,26,
   26,26,26,26,26,26,10,67,29,29,10,10,10,10,10,10,18,18,18,13,14,67,10,10,18,18,18,13,14,29,67,67,
   67,67,67,29,29,29,19,19,19,19,19,19,19,19,19,29,29,29,29,29,29,29,5,5,5,5,5,7,7,7,7,5,7,7,7,5,5,
   5,5,29,29,29,29,29,29,29,21,21,64,21,21,21,21,64,21,21,65,64,64,64,65,65,64,64,64,65,21,64,21,21,
   18,64,64,64,64,64,21,21,21,21,21,21,64,21,64,21,64,21,64,64,64,64,21,65,64,64,64,64,65,68,68,68,
   68,65,21,21,65,65,64,64,18,18,18,18,18,64,65,65,65,65,21,18,21,21,65,21,73,73,73,73,73,73,73,73,
   73,73,73,64,65,73,73,73,73,10,21,21,29,29,29,29,18,18,18,18,18,21,21,21,21,21,18,18,21,21,21,21,
   18,21,21,18,21,21,18,21,21,21,21,21,21,21,18,21,21,21,21,21,21,21,18,18,21,21,18,21,18,21,21,21,
   21,21,21,21,18,18,18,18,18,18,18,18,18,18,18,18,13,14,13,14,21,21,21,21,18,18,21,21,21,21,21,21,
   21,13,14,21,21,21,21,21,21,21,21,21,18,21,21,21,21,21,21,18,18,18,18,18,18,18,18,18,21,21,21,21,
   21,21,21,21,21,21,21,29,21,21,21,29,29,29,29,29,10,10,10,10,21,21,21,21,21,21,21,21,21,21,85,85,
   85,85,85,85,85,85,85,85,85,85,10,10,10,10,10,10,21,21,21,21,21,21,21,18,21,18,21,21,21,21,21,21,
   13,14,13,14,13,14,13,14,13,14,13,14,13,14,10,10,18,18,18,18,18,13,14,18,18,18,18,18,18,18,13,14,
   18,18,18,13,14,13,14,13,14,13,14,13,14,13,14,13,14,18,18,18,18,18,18,18,13,14,13,14,18,18,18,18,
   18,18,18,18,13,14,18,18,18,18,18,18,18,21,21,18,21,21,21,21,29,29,21,21,21,21,21,21,21,21,29,21,
   64,65,64,64,64,65,65,64,65,64,65,64,65,64,64,64,64,65,64,65,65,64,65,65,65,65,65,65,67,67,64,64,
   64,65,64,65,65,21,21,21,21,21,21,64,65,64,65,5,5,5,64,65,29,29,29,29,29,17,17,17,17,10,17,17,65,
   65,65,65,65,65,29,65,29,29,29,29,29,65,29,29,29,29,29,29,29,29,29,67,17,29,29,29,29,29,29,29,29,
   29,29,29,29,29,29,5,17,17,15,16,15,16,17,17,17,15,16,17,15,16,17,17,17,17,17,17,17,17,17,12,17,
   17,12,17,15,16,17,17,15,16,13,14,13,14,13,14,13,14,17,17,17,17,17,67,17,17,12,12,17,17,17,17,12,
   17,13,17,17,17,17,17,21,21,17,17,17,13,14,13,14,13,14,13,14,12,29,29,21,21,29,21,21,21,21,21,21,
   21,21,21,29,29,29,29,21,21,21,21,21,21,29,29,54,17,17,17,21,67,68,73,13,14,21,21,13,14,13,14,13,
   14,13,14,12,13,14,14,21,73,73,73,73,73,73,73,73,73,5,5,5,5,6,6,12,67,67,67,67,67,21,21,73,73,73,
   67,68,17,21,21,29,5,5,20,20,67,67,68,68,68,68,17,67,67,67,68,29,29,29,29,29,68,68,68,21,21,10,10,
   10,10,21,21,10,10,21,21,21,21,21,21,21,10,10,10,10,10,10,10,68,68,68,68,68,67,68,68,68,68,68,68,
   67,17,17,17,8,8,68,68,29,29,29,29,64,65,64,65,64,65,68,5,7,7,7,17,69,69,69,69,69,69,69,69,5,5,17,
   67,64,65,64,65,67,67,69,69,68,68,68,68,68,68,73,73,5,5,17,17,17,17,17,17,20,20,20,20,20,20,20,67,
   20,20,64,65,64,65,64,65,65,64,65,64,65,64,64,65,67,20,20,64,65,64,65,68,64,65,64,65,65,65,64,65,
   64,65,64,64,64,64,64,65,64,64,64,64,64,65,64,65,64,65,64,65,64,64,64,64,65,64,65,29,29,29,29,29,
   64,65,29,65,29,65,64,65,64,65,29,29,29,29,29,29,29,29,67,67,67,64,65,68,67,67,65,68,68,68,68,68,
   68,68,69,68,68,68,5,68,68,68,68,69,68,68,68,68,68,68,68,70,70,69,69,70,21,21,21,21,5,29,29,29,10,
   10,10,10,10,10,21,21,19,21,29,29,29,29,29,29,68,68,68,68,17,17,17,17,70,70,68,68,68,68,68,68,70,
   70,70,70,5,69,29,29,29,29,29,29,29,29,17,17,5,5,68,68,68,68,68,68,17,17,17,68,17,68,68,69,69,69,
   69,5,5,5,17,17,69,69,70,6,29,29,29,29,68,68,68,5,70,70,69,69,69,69,70,70,69,69,70,70,6,17,17,17,
   17,17,17,17,17,17,17,17,17,17,29,67,8,8,29,29,29,29,17,17,68,68,68,68,68,69,67,68,8,8,68,68,68,
   68,68,29,68,69,69,69,69,69,69,70,70,69,69,70,70,69,69,29,68,68,68,68,69,70,29,29,8,8,29,29,17,17,
   17,17,67,68,68,68,68,68,68,21,21,21,68,70,69,70,68,68,69,68,69,69,69,68,68,69,69,68,68,68,68,68,
   69,5,68,5,68,29,29,29,29,29,29,29,29,68,68,67,17,17,68,68,68,70,69,69,70,70,17,17,68,67,67,70,5,
   29,29,68,68,68,68,68,68,29,65,65,65,20,67,67,67,67,65,67,20,20,29,29,29,29,68,68,68,70,70,69,70,
   70,69,70,70,17,6,5,29,29,29,29,29,68,68,68,68,68,27,27,27,27,27,27,27,27,28,28,28,28,28,28,28,28,
   65,65,65,65,65,65,65,29,29,29,29,65,65,65,65,65,29,29,29,29,29,68,69,68,68,18,68,68,68,68,68,68,
   68,68,68,68,68,29,68,29,68,68,29,68,68,29,68,68,68,68,20,20,20,20,20,20,20,20,20,29,29,29,29,29,
   68,68,68,68,68,68,14,13,29,29,29,29,29,29,29,21,68,68,68,68,19,21,21,21,17,17,17,17,17,17,17,13,
   14,17,29,29,29,29,29,29,17,12,12,11,11,13,14,13,14,13,14,13,14,17,17,13,14,17,17,17,17,11,11,11,
   17,17,17,29,17,17,17,17,12,13,14,13,14,13,14,17,17,17,18,12,18,18,18,29,17,19,17,17,29,29,29,29,
   68,68,68,68,68,29,29,26,29,17,17,17,19,17,17,17,65,65,65,13,18,14,18,13,14,17,13,14,17,17,68,68,
   68,68,68,68,68,68,67,67,29,29,68,68,68,29,29,29,19,19,18,20,21,19,19,29,21,18,18,18,18,21,21,29,
   29,26,26,26,21,21,29,29,68,68,68,29,68,68,29,68,17,17,17,29,29,29,29,10,10,10,10,10,29,29,29,21,
   73,73,73,73,73,10,10,10,10,21,21,21,21,21,21,21,21,21,10,10,21,21,21,29,21,21,21,21,21,29,29,29,
   21,29,29,29,29,29,29,29,21,21,21,21,21,5,29,29,5,10,10,10,10,10,10,10,10,10,10,10,29,29,29,29,68,
   73,68,68,68,68,68,68,68,68,73,29,29,29,29,29,69,69,69,29,29,29,29,29,68,68,68,68,68,68,29,17,17,
   73,73,73,73,73,29,29,64,64,64,64,29,29,29,29,65,65,65,65,29,29,29,29,64,64,64,29,64,64,64,64,64,
   64,64,29,64,64,29,65,65,65,29,65,65,65,65,65,65,65,29,65,65,29,29,29,67,67,67,67,67,67,29,67,67,
   29,67,67,67,67,67,67,67,67,67,29,29,29,29,29,68,29,29,29,68,29,29,68,68,68,68,68,68,68,68,21,29,
   29,29,29,29,29,29,10,68,68,68,29,68,68,29,29,29,29,29,10,10,10,10,10,68,68,68,68,68,68,10,10,10,
   10,10,10,29,29,29,17,68,68,29,29,29,29,29,17,29,29,29,29,10,10,68,68,29,29,10,10,10,10,10,10,68,
   69,69,69,29,69,69,29,29,29,29,29,69,69,69,69,5,5,5,29,29,29,29,5,10,29,29,29,29,29,29,29,68,68,
   68,68,68,10,10,17,68,68,68,68,68,10,10,10,21,68,68,68,68,68,68,68,68,68,68,68,68,5,5,29,29,17,17,
   17,17,17,17,17,29,17,17,17,17,29,29,29,29,10,10,10,10,10,10,10,64,64,64,29,29,29,29,29,65,65,65,
   29,29,29,29,29,68,68,68,68,69,69,69,69,10,10,10,10,10,10,10,29,68,68,29,69,69,12,29,29,29,29,29,
   29,29,5,5,5,68,68,68,68,68,68,5,5,5,10,10,10,10,17,17,17,17,17,29,29,29,29,29,29,68,68,5,5,5,5,
   17,17,70,69,70,68,68,68,68,68,69,69,69,69,69,69,5,17,10,10,10,10,10,10,8,8,5,68,68,69,69,68,29,
   29,70,70,70,69,69,69,69,70,70,5,5,17,17,26,17,17,17,17,69,29,29,29,29,29,29,29,29,29,29,26,29,29,
   69,69,69,68,68,68,68,68,69,69,69,69,70,69,69,69,69,69,69,5,5,29,8,8,17,17,17,17,68,70,70,68,68,
   68,68,5,17,17,68,29,68,68,68,70,70,70,69,69,6,68,68,68,68,17,17,17,17,5,5,5,5,17,70,69,8,8,68,17,
   68,17,17,17,68,68,68,68,70,70,70,69,69,69,70,70,69,6,5,69,17,17,17,17,17,17,69,68,68,69,29,29,29,
   29,29,29,68,29,68,68,68,68,29,68,68,17,29,29,29,29,29,29,70,70,70,69,69,69,69,69,69,5,5,29,29,29,
   29,29,69,69,70,70,29,68,68,68,68,68,29,5,5,68,70,70,69,70,70,70,70,29,29,70,70,29,29,70,70,6,29,
   29,68,68,70,70,29,29,5,5,5,5,5,5,5,29,29,29,68,68,68,68,68,70,70,70,70,70,5,69,69,70,5,68,68,68,
   68,17,17,17,17,17,8,8,17,17,29,17,5,68,69,70,69,70,70,70,70,69,69,70,5,5,68,68,17,68,68,68,68,68,
   68,68,68,70,70,70,69,69,69,69,29,29,70,70,70,70,69,69,70,5,5,17,17,17,17,17,17,17,68,68,68,68,69,
   69,29,29,69,69,69,70,70,69,70,5,69,17,17,17,68,29,29,29,17,17,17,17,17,29,29,29,68,68,68,69,70,
   69,70,70,69,69,69,69,69,69,6,5,68,68,68,29,29,69,69,69,70,70,69,69,69,69,70,69,69,69,69,5,29,29,
   29,29,8,8,10,10,17,17,17,21,70,5,5,17,29,29,29,29,10,10,10,29,29,29,29,29,29,68,29,29,68,68,68,
   68,68,68,68,68,29,68,68,29,70,70,70,70,70,70,29,70,70,29,29,69,69,6,5,68,70,68,70,5,17,17,17,29,
   68,70,70,70,69,69,69,69,29,29,69,69,70,70,70,70,5,68,17,68,70,29,29,29,68,69,69,69,69,69,69,69,
   68,68,68,5,5,69,69,69,69,70,68,69,69,69,69,17,17,17,17,17,17,17,17,5,70,69,69,69,68,68,68,68,68,
   68,69,69,69,69,69,69,5,5,17,17,17,68,17,17,17,17,17,29,29,29,29,29,69,69,69,69,69,69,70,5,68,17,
   17,17,17,17,29,29,17,17,68,68,68,68,68,68,29,29,69,69,69,69,69,69,29,70,69,69,69,69,69,69,69,70,
   69,69,70,69,69,29,68,69,69,69,69,69,69,29,29,29,69,29,69,69,29,69,69,69,5,69,5,5,68,69,68,68,70,
   70,70,70,70,29,69,69,29,70,70,69,70,5,68,68,68,69,69,70,70,17,69,69,68,70,68,68,68,68,68,68,68,
   68,70,70,69,69,69,69,69,29,29,29,70,70,69,6,5,17,17,17,17,17,10,10,10,10,10,21,21,21,21,21,21,21,
   21,19,19,19,19,21,21,21,21,21,21,21,73,73,73,73,73,73,73,29,68,17,17,29,29,29,29,29,5,68,68,68,
   68,68,68,5,5,5,5,5,5,5,29,29,5,5,5,5,5,17,29,29,5,5,5,5,5,5,5,17,17,17,17,17,21,21,21,21,67,67,
   67,67,17,21,29,29,8,8,29,10,10,10,10,10,10,10,29,68,68,68,68,68,10,10,10,10,10,10,10,17,68,68,68,
   29,29,29,29,69,68,70,70,70,70,70,70,70,29,29,29,29,29,29,29,69,69,69,69,67,67,67,67,67,67,67,17,
   67,5,29,29,29,70,70,29,29,29,29,29,29,67,67,67,67,29,67,67,67,67,67,67,67,29,67,67,29,29,29,68,
   29,29,29,29,29,29,29,29,29,68,68,68,68,68,68,29,29,21,5,69,17,26,26,26,26,29,29,29,29,5,5,5,5,5,
   5,5,29,29,21,21,21,21,21,21,21,21,21,21,21,21,6,6,5,5,5,21,21,21,6,6,6,6,6,6,26,26,26,26,26,26,
   26,26,5,5,5,5,5,5,5,5,21,21,5,5,5,21,21,5,5,5,5,21,21,21,21,5,5,5,21,29,29,64,64,65,65,65,65,65,
   65,65,65,65,65,64,64,64,64,64,64,64,64,64,64,65,65,65,65,65,65,64,29,64,64,29,29,64,29,29,64,64,
   29,29,64,64,64,64,29,64,64,65,65,29,65,29,65,65,65,65,65,65,65,29,65,65,65,65,65,65,65,64,64,29,
   64,64,64,64,64,64,29,64,64,64,64,64,64,64,29,65,65,64,64,29,64,64,64,64,29,64,64,64,64,64,29,64,
   29,29,29,64,64,64,64,64,64,64,29,65,65,65,65,65,65,64,18,65,65,65,65,65,65,65,65,65,18,65,65,65,
   65,65,65,64,64,64,64,64,64,64,64,64,18,65,65,65,65,65,65,65,65,65,18,65,65,64,64,64,64,64,18,65,
   65,65,65,65,65,65,65,64,64,65,18,65,65,65,65,65,65,65,65,64,65,29,29,8,8,5,5,5,5,5,5,5,21,5,5,5,
   5,5,21,21,21,21,21,21,21,21,5,21,21,21,21,21,21,5,21,21,17,17,17,17,17,29,29,29,29,29,29,29,5,5,
   5,5,5,65,65,68,65,65,65,65,65,29,29,29,29,29,65,65,65,69,29,29,69,69,69,69,69,69,69,29,69,69,29,
   69,69,67,67,67,67,67,67,29,29,5,5,5,5,5,5,5,67,8,8,29,29,29,29,68,21,68,68,68,68,68,68,5,29,68,
   68,68,68,5,5,5,5,8,8,29,29,29,29,29,19,68,68,68,67,5,5,5,5,68,68,68,68,68,29,29,10,65,65,65,65,5,
   5,5,69,5,5,5,67,29,29,29,29,10,10,10,10,21,10,10,10,19,10,10,10,10,29,29,29,10,10,10,10,10,10,21,
   10,10,10,10,10,10,10,29,29,29,68,68,29,68,29,29,68,29,68,29,68,29,29,29,29,29,29,68,29,29,29,29,
   68,29,68,29,68,29,68,68,68,29,68,29,68,29,68,29,68,29,68,68,68,29,68,68,68,18,18,29,29,29,29,29,
   29,85,85,21,21,21,21,21,21,29,29,29,29,29,29,21,21,21,21,21,20,20,20,20,20,29,29,29,29,21,21,21,
   21,29,29,29,21,21,21,21,21,21,21,21,29,21,21,21,21,29,26,29,29,29,29,29,29,28,28,28,28,28,28,29,
   29,
};
static unsigned tfm__uc_prop_get(uint32_t cp) {
    unsigned m = tfm__uc_prop_top[cp >> 9];
    unsigned l = tfm__uc_prop_mid[(m << 6) + ((cp >> 3) & 63u)];
    return tfm__uc_prop_leaf[(l << 3) + (cp & 7u)];
}
/* canonical combining class.
   Three-level table: cp >> 10 selects a middle block of 64 entries, which selects a leaf
   block of 16 entries. */
static const uint8_t tfm__uc_ccc_top[1088] = {
   0,1,2,3,4,5,6,7,8,9,9,10,11,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,12,13,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,14,15,16,9,17,18,19,20,21,22,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   23,24,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,25,9,9,9,9,26,9,9,9,27,28,29,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
   9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,9,
};
static const uint8_t tfm__uc_ccc_mid[1920] = {
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   1,2,3,4,5,6,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,8,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,10,11,12,0,0,
   0,0,13,0,0,14,15,0,16,0,0,0,0,0,17,18,0,0,19,0,20,21,0,0,0,0,0,0,0,0,0,22,23,0,24,25,0,0,26,0,0,
   0,27,0,0,28,29,30,31,0,0,0,32,33,34,0,0,0,0,0,32,33,0,0,35,0,0,0,32,33,0,0,0,0,0,0,32,33,0,0,0,0,
   0,0,32,33,0,0,0,0,0,0,0,33,0,0,0,0,0,0,32,33,36,0,0,0,0,0,32,33,0,0,0,0,0,0,37,33,0,0,0,0,0,0,0,
   38,0,0,0,0,0,0,39,40,0,0,0,0,0,0,41,42,0,0,0,0,43,0,44,0,0,0,45,46,0,0,0,47,0,0,0,0,0,0,48,0,0,0,
   0,49,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,50,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,51,0,52,0,0,0,0,0,0,0,0,0,53,0,0,0,0,0,0,0,0,0,0,0,0,54,0,0,0,0,0,0,0,0,55,
   0,0,0,0,0,0,0,0,0,0,0,0,0,56,0,0,0,0,57,58,0,0,0,59,60,0,0,0,0,0,0,61,52,0,62,63,0,0,64,0,0,0,65,
   66,0,0,0,67,0,0,0,0,0,0,0,0,0,68,69,70,0,0,0,0,0,0,0,0,0,0,0,0,71,72,1,73,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,74,75,76,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,77,78,0,0,0,0,0,0,0,79,0,0,0,0,0,0,1,1,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,80,0,0,0,0,0,0,81,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,77,82,0,83,0,0,0,0,0,78,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,84,0,85,0,0,0,0,0,0,0,0,0,52,0,1,78,0,0,86,0,0,87,0,0,0,0,0,88,57,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,89,90,0,0,84,0,0,0,0,0,0,0,0,0,0,0,0,0,0,33,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,91,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,92,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,49,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,93,0,0,0,0,0,0,0,0,94,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,95,0,0,96,0,0,0,0,0,0,0,0,0,0,97,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,98,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,99,0,0,
   0,0,100,0,0,0,0,101,93,0,0,102,0,0,0,0,0,0,0,0,0,0,0,84,0,0,103,0,0,0,104,0,0,0,0,105,0,0,106,0,
   0,0,88,0,0,0,0,107,0,0,0,0,0,0,108,0,0,0,0,0,0,0,0,0,0,109,0,0,0,0,110,33,0,111,112,0,0,0,0,0,0,
   0,0,0,0,0,0,113,35,0,0,0,0,0,0,114,0,0,0,0,0,0,0,0,0,0,0,0,0,0,79,115,0,0,0,0,0,0,79,0,0,0,0,0,0,
   0,116,0,0,0,0,0,0,117,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,104,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,118,88,0,
   0,0,0,0,0,0,0,0,57,0,0,0,0,52,119,0,0,0,0,120,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   79,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,121,0,0,0,0,119,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,122,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,123,0,0,0,124,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,125,0,0,0,0,0,0,0,0,0,126,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,127,128,129,
   0,130,0,0,0,0,0,0,0,0,0,131,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,132,133,134,0,
   0,0,0,0,77,0,0,0,0,0,0,0,0,0,0,124,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,35,0,0,0,135,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,136,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,137,0,
   0,0,0,0,0,138,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,
};
static const uint8_t tfm__uc_ccc_leaf[2224] = {
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,230,230,230,230,230,230,230,230,230,
   230,230,230,230,230,232,220,220,220,220,232,216,220,220,220,220,220,202,202,220,220,220,220,202,
   202,220,220,220,220,220,220,220,220,220,220,220,1,1,1,1,1,220,220,220,220,230,230,230,230,230,
   230,230,230,240,230,220,220,220,230,230,230,220,220,0,230,230,230,220,220,220,220,230,232,220,
   220,230,233,234,234,233,234,234,233,230,230,230,230,230,230,230,230,230,230,230,230,230,0,0,0,
   230,230,230,230,230,0,0,0,0,0,0,0,0,0,220,230,230,230,230,220,230,230,230,222,220,230,230,230,
   230,230,230,220,220,220,220,220,220,230,230,220,230,230,222,228,230,10,11,12,13,14,15,16,17,18,
   19,19,20,21,22,0,23,0,24,25,0,230,220,0,18,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,230,30,31,
   32,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,27,28,29,30,31,32,33,34,230,230,220,220,230,230,230,230,230,
   220,230,230,220,35,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,0,0,230,
   230,230,230,220,230,0,0,230,230,0,220,230,230,220,0,0,0,36,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,220,
   230,230,220,230,230,220,220,220,230,220,220,230,220,230,230,230,220,230,220,230,220,230,220,230,
   230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,220,230,0,0,0,0,0,0,0,0,0,220,0,
   0,0,0,0,0,0,0,230,230,230,230,0,230,230,230,230,230,230,230,230,230,0,230,230,230,0,230,230,230,
   230,230,0,0,0,0,0,0,0,0,0,0,0,220,220,220,0,0,0,0,0,0,0,0,0,0,0,0,230,220,220,220,230,230,230,
   230,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,220,220,220,220,220,230,230,230,230,230,230,230,230,
   230,230,230,230,230,230,0,220,230,230,220,230,230,220,230,230,230,220,220,220,27,28,29,230,230,
   230,220,230,230,220,220,230,230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,9,0,0,0,230,220,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,0,0,0,0,0,0,
   84,91,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,
   0,0,0,0,103,103,9,0,0,0,0,0,0,0,0,0,0,0,0,0,107,107,107,107,0,0,0,0,0,0,0,0,0,0,0,0,118,118,9,0,
   0,0,0,0,0,0,0,0,0,0,0,0,122,122,122,122,0,0,0,0,0,0,0,0,0,0,0,0,220,220,0,0,0,0,0,0,0,0,0,0,0,
   220,0,220,0,216,0,0,0,0,0,0,0,129,130,0,132,0,0,0,0,0,130,130,130,130,0,0,130,0,230,230,9,0,230,
   230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,220,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,7,0,9,9,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,220,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,0,0,0,0,9,9,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,230,0,0,0,0,0,0,0,0,0,0,0,228,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,222,230,220,0,0,0,0,0,0,0,0,0,0,0,230,220,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,230,0,0,220,230,230,230,230,230,220,220,220,
   220,220,220,230,230,220,0,220,220,230,230,220,220,230,230,230,230,230,220,230,230,230,230,0,0,0,
   0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,220,230,230,230,230,230,230,230,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,0,0,0,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,7,0,0,0,0,0,0,0,0,230,230,230,0,1,220,220,220,220,220,230,230,220,
   220,220,220,230,0,1,1,1,1,1,1,1,0,0,0,0,220,0,0,0,0,0,0,230,0,0,0,230,230,0,0,0,0,0,0,230,230,
   220,230,230,230,230,230,230,230,220,230,230,234,214,220,202,230,230,230,230,230,230,230,230,230,
   230,230,230,230,230,230,230,230,230,230,230,230,232,228,228,220,218,230,233,220,230,220,230,230,
   1,1,230,230,230,230,1,1,1,230,230,0,0,0,0,230,0,0,0,1,1,230,220,230,1,1,220,220,220,220,230,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,218,228,232,222,224,224,0,0,0,0,0,0,0,0,0,8,
   8,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,
   230,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,220,
   220,220,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,230,0,230,230,220,0,
   0,230,230,0,0,0,0,0,230,230,0,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,26,0,
   230,230,230,230,230,230,230,220,220,220,220,220,220,220,230,230,220,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,230,230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,220,0,230,0,0,0,0,0,0,0,0,
   230,1,220,0,0,0,0,9,0,0,0,0,0,230,220,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,220,220,220,0,0,0,0,0,0,220,220,
   230,230,230,220,230,220,220,220,0,0,230,220,230,220,0,0,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,9,0,0,0,0,0,0,0,0,0,9,7,0,0,0,0,0,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,
   0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,7,0,0,0,0,0,0,0,0,0,0,9,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   7,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,7,7,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,0,0,0,230,
   230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,9,7,0,0,0,0,0,0,0,0,0,
   0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,7,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,0,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,9,0,0,0,
   0,0,0,0,0,7,0,9,9,0,0,0,0,0,0,0,0,0,0,0,9,9,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,0,0,0,0,0,0,0,0,
   0,0,0,230,230,230,230,230,230,230,0,0,0,0,0,0,0,0,0,6,6,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,216,216,1,1,1,0,0,0,226,216,216,216,216,216,0,0,0,0,0,0,0,0,220,
   220,220,220,220,220,220,220,0,0,230,230,230,230,230,220,220,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,
   230,230,0,0,0,0,230,230,230,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,230,0,230,230,230,230,
   230,230,230,230,230,230,230,230,230,230,230,230,230,0,0,230,230,230,230,230,230,230,0,230,230,0,
   230,230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,0,0,0,0,0,0,0,0,0,0,0,0,
   232,232,220,230,220,220,220,220,220,220,220,0,0,0,0,0,0,0,0,0,0,0,0,0,230,230,230,230,230,230,7,
   0,0,0,0,0,
};
static unsigned tfm__uc_ccc_get(uint32_t cp) {
    unsigned m = tfm__uc_ccc_top[cp >> 10];
    unsigned l = tfm__uc_ccc_mid[(m << 6) + ((cp >> 4) & 63u)];
    return tfm__uc_ccc_leaf[(l << 4) + (cp & 15u)];
}
/* decomposition: 0 = none, else index of a header in tfm__uc_dec_pool.
   Three-level table: cp >> 10 selects a middle block of 64 entries, which selects a leaf
   block of 16 entries. */
static const uint8_t tfm__uc_dec_top[1088] = {
   0,1,2,3,4,5,6,7,8,9,10,11,12,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,13,14,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,15,16,5,17,5,5,18,19,20,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,21,22,5,5,23,5,5,24,25,5,26,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,27,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
   5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
};
static const uint16_t tfm__uc_dec_mid[1792] = {
   0,0,0,0,0,0,0,0,0,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,0,0,15,16,17,18,19,20,21,22,23,24,0,0,0,0,0,
   0,0,25,0,26,27,0,0,0,0,0,28,0,0,29,30,31,32,33,34,35,0,36,37,38,0,39,0,40,0,41,0,0,0,0,42,43,44,
   45,0,0,0,0,0,0,0,0,46,0,0,0,0,0,0,0,0,0,47,0,0,0,0,48,0,0,0,0,49,50,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,51,52,0,53,0,0,0,0,0,0,54,55,0,0,0,0,0,56,0,57,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,58,59,0,0,0,60,0,0,61,0,0,0,0,0,0,0,62,0,0,0,0,0,0,0,63,0,0,0,0,0,0,0,64,0,
   0,0,0,0,0,0,0,65,0,0,0,0,0,66,0,0,0,0,0,0,0,67,0,68,0,0,69,0,0,0,70,71,72,73,74,75,76,77,0,0,0,0,
   0,0,78,0,0,0,0,0,0,0,0,0,0,0,0,79,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,80,81,0,82,83,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,84,85,86,87,88,89,0,90,91,92,0,0,0,0,93,94,95,96,97,98,
   99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,
   123,124,125,126,127,128,129,130,0,131,132,133,134,0,0,0,0,0,135,136,137,138,139,140,141,142,143,
   144,145,0,146,0,0,0,147,0,148,149,150,0,151,152,153,0,154,0,0,0,155,0,0,0,156,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,157,158,159,160,161,162,163,164,165,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,166,0,0,0,0,0,0,167,0,0,0,0,0,168,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,169,0,0,0,0,0,0,0,0,0,0,0,0,0,0,170,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,171,0,0,0,
   0,0,172,173,174,175,176,177,178,179,180,181,182,183,184,185,186,0,0,187,0,0,188,189,190,191,192,
   0,193,194,195,196,197,0,198,0,0,0,199,200,201,202,203,204,205,0,0,0,0,0,0,206,207,208,209,210,
   211,212,213,214,215,216,217,218,219,220,221,222,223,224,225,226,227,228,229,230,231,232,233,234,
   235,236,237,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   238,0,0,0,0,0,0,0,0,0,0,0,0,0,239,0,0,0,0,0,0,0,240,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,241,242,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,243,244,245,246,247,248,249,250,251,252,253,254,255,256,257,258,259,260,
   261,262,263,264,265,266,267,268,269,270,271,272,0,0,273,274,275,276,277,278,279,280,281,282,283,
   284,0,285,286,287,288,289,290,291,292,293,294,295,296,297,298,299,300,301,302,303,304,305,306,
   307,0,308,309,310,311,312,313,314,315,0,0,316,0,317,0,318,319,320,321,322,323,324,325,326,327,
   328,329,330,331,332,333,334,335,336,337,338,339,340,341,342,343,344,345,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,346,
   347,348,349,0,0,0,0,0,0,0,0,0,0,0,0,0,350,351,0,0,0,0,0,0,0,352,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,353,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,354,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,355,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,356,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,357,358,0,0,0,0,359,
   360,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,361,362,363,364,365,
   366,367,368,369,370,371,372,373,374,375,376,377,378,379,380,381,382,383,384,385,386,387,388,389,
   390,391,392,393,394,395,396,397,398,399,400,401,402,403,404,405,406,407,408,409,410,411,412,413,
   414,415,416,417,418,419,420,421,422,423,424,0,0,0,425,426,427,428,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,429,430,431,432,433,434,435,436,437,438,439,
   440,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,441,442,443,444,445,
   0,446,0,0,447,0,0,0,0,0,0,448,449,450,451,452,453,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,454,455,456,457,458,459,460,461,462,463,464,465,466,467,468,
   469,470,471,472,473,474,475,476,477,478,479,480,481,482,483,484,485,486,487,488,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
};
static const uint16_t tfm__uc_dec_leaf[7824] = {
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0,0,3,0,6,0,0,0,0,8,0,0,11,13,15,18,0,0,20,23,25,0,
   27,31,35,0,39,42,45,48,51,54,0,57,60,63,66,69,72,75,78,81,0,84,87,90,93,96,99,0,0,102,105,108,
   111,114,0,0,117,120,123,126,129,132,0,135,138,141,144,147,150,153,156,159,0,162,165,168,171,174,
   177,0,0,180,183,186,189,192,0,195,198,201,204,207,210,213,216,219,222,225,228,231,234,237,240,
   243,0,0,246,249,252,255,258,261,264,267,270,273,276,279,282,285,288,291,294,297,300,303,0,0,306,
   309,312,315,318,321,324,327,330,0,333,336,339,342,345,348,0,351,354,357,360,363,366,369,372,0,0,
   375,378,381,384,387,390,393,0,0,396,399,402,405,408,411,0,0,414,417,420,423,426,429,432,435,438,
   441,444,447,450,453,456,459,462,465,0,0,468,471,474,477,480,483,486,489,492,495,498,501,504,507,
   510,513,516,519,522,525,528,531,534,537,539,542,0,0,0,0,0,0,0,0,0,0,0,0,0,545,548,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,551,555,559,563,566,569,572,575,578,581,584,587,590,593,596,599,602,605,
   609,613,617,621,625,629,633,0,637,641,645,649,653,656,0,0,659,662,665,668,671,674,677,681,685,
   688,691,694,697,700,703,706,0,0,709,712,715,719,723,726,729,732,735,738,741,744,747,750,753,756,
   759,762,765,768,771,774,777,780,783,786,789,792,795,798,801,804,807,810,813,816,0,0,819,822,0,0,
   0,0,0,0,825,828,831,834,837,841,845,849,853,856,859,863,867,870,0,0,0,0,0,0,0,0,0,0,0,0,873,875,
   877,879,881,883,885,887,889,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,891,894,897,900,903,906,0,0,909,911,
   913,915,917,0,0,0,0,0,0,0,0,0,0,0,919,921,0,923,925,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,928,0,0,0,0,0,
   930,0,0,0,933,0,0,0,0,0,935,938,944,947,949,952,955,0,958,0,961,964,967,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,971,974,977,980,983,986,989,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,993,996,999,1002,1005,0,1008,1010,1012,1014,1019,1024,1026,0,0,0,0,0,0,0,0,0,1028,1030,
   1032,0,1034,1036,0,0,0,1038,0,0,0,0,0,0,1040,1043,0,1046,0,0,0,1049,0,0,0,0,1052,1055,1058,0,0,0,
   0,0,0,0,0,0,0,1061,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1064,0,0,0,0,0,0,1067,1070,0,1073,0,0,0,1076,0,
   0,0,0,1079,1082,1085,0,0,0,0,0,0,0,1088,1091,0,0,0,0,0,0,0,0,0,1094,1097,0,0,0,0,0,0,0,0,0,0,0,0,
   0,1100,1103,1106,1109,0,0,1112,1115,0,0,1118,1121,1124,1127,1130,1133,0,0,1136,1139,1142,1145,
   1148,1151,0,0,1154,1157,1160,1163,1166,1169,1172,1175,1178,1181,1184,1187,0,0,1190,1193,0,0,0,0,
   0,0,0,0,0,0,0,0,0,1196,0,0,0,0,0,0,0,0,0,0,1199,1202,1205,1208,1211,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   1214,1217,1220,1223,0,0,0,0,0,0,0,1226,0,1229,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1232,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,1235,0,0,0,0,0,0,0,1238,0,0,1241,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,1244,1247,1250,1253,1256,1259,1262,1265,0,0,0,0,0,0,0,0,0,0,0,1268,1271,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,1274,1277,0,1280,0,0,0,1283,0,0,1286,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1289,1292,1295,
   0,0,1298,0,0,0,0,0,0,0,0,0,1301,0,0,1304,1307,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1310,1313,0,0,0,0,0,
   0,1316,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1319,1322,1325,0,0,0,0,0,0,0,0,0,0,0,1328,0,0,0,
   0,0,0,0,1331,0,0,0,0,0,0,1334,1337,0,1340,1343,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1347,1350,1353,0,0,0,
   0,0,0,0,0,0,0,0,0,0,1356,0,1359,1362,1366,0,0,0,0,1369,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1372,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1375,1378,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1381,0,0,0,0,0,0,
   1383,0,0,0,0,0,0,0,0,0,1386,0,0,0,0,1389,0,0,0,0,1392,0,0,0,0,1395,0,0,0,0,0,0,0,0,0,0,0,0,1398,
   0,0,0,0,0,0,0,0,0,1401,0,1404,1407,1410,1414,1417,0,0,0,0,0,0,0,1421,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,1424,0,0,0,0,0,0,0,0,0,1427,0,0,0,0,1430,0,0,0,0,1433,0,0,0,0,1436,0,0,0,0,0,0,0,0,0,0,0,0,
   1439,0,0,0,0,0,0,0,0,0,0,0,0,1442,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1445,0,0,0,0,0,0,0,0,
   0,1447,0,1450,0,1453,0,1456,0,1459,0,0,0,1462,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   1465,0,1468,0,0,1471,1474,0,1477,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1480,1482,1484,
   0,1486,1488,1490,1492,1494,1496,1498,1500,1502,1504,1506,0,1508,1510,1512,1514,1516,1518,1520,
   1522,1524,1526,1528,1530,1532,1534,1536,1538,1540,1542,0,1544,1546,1548,1550,1552,1554,1556,1558,
   1560,1562,1564,1566,1568,1570,1572,1574,1576,1578,1580,1582,1584,1586,1588,1590,1592,1594,1596,
   1598,0,0,0,0,0,0,0,0,0,0,0,0,0,1600,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1602,1604,1606,1608,1610,
   1612,1614,1616,1618,1620,1622,1624,1626,1628,1630,1632,1634,1636,1638,1640,1642,1644,1646,1648,
   1650,1652,1654,1656,1658,1660,1662,1664,1666,1668,1670,1672,1674,1676,1679,1682,1685,1688,1691,
   1694,1697,1700,1704,1708,1711,1714,1717,1720,1723,1726,1729,1732,1735,1738,1742,1746,1750,1754,
   1757,1760,1763,1766,1770,1774,1777,1780,1783,1786,1789,1792,1795,1798,1801,1804,1807,1810,1813,
   1816,1819,1822,1826,1830,1833,1836,1839,1842,1845,1848,1851,1854,1858,1862,1865,1868,1871,1874,
   1877,1880,1883,1886,1889,1892,1895,1898,1901,1904,1907,1910,1913,1916,1920,1924,1928,1932,1936,
   1940,1944,1948,1951,1954,1957,1960,1963,1966,1969,1972,1976,1980,1983,1986,1989,1992,1995,1998,
   2002,2006,2010,2014,2018,2022,2025,2028,2031,2034,2037,2040,2043,2046,2049,2052,2055,2058,2061,
   2064,2068,2072,2076,2080,2083,2086,2089,2092,2095,2098,2101,2104,2107,2110,2113,2116,2119,2122,
   2125,2128,2131,2134,2137,2140,2143,2146,2149,2152,2155,2158,2161,2164,2167,2170,2173,0,0,0,0,
   2178,2181,2184,2187,2190,2194,2198,2202,2206,2210,2214,2218,2222,2226,2230,2234,2238,2242,2246,
   2250,2254,2258,2262,2266,2270,2273,2276,2279,2282,2285,2288,2292,2296,2300,2304,2308,2312,2316,
   2320,2324,2328,2331,2334,2337,2340,2343,2346,2349,2352,2356,2360,2364,2368,2372,2376,2380,2384,
   2388,2392,2396,2400,2404,2408,2412,2416,2420,2424,2428,2432,2435,2438,2441,2444,2448,2452,2456,
   2460,2464,2468,2472,2476,2480,2484,2487,2490,2493,2496,2499,2502,2505,0,0,0,0,0,0,2508,2511,2514,
   2518,2522,2526,2530,2534,2538,2541,2544,2548,2552,2556,2560,2564,2568,2571,2574,2578,2582,2586,0,
   0,2590,2593,2596,2600,2604,2608,0,0,2612,2615,2618,2622,2626,2630,2634,2638,2642,2645,2648,2652,
   2656,2660,2664,2668,2672,2675,2678,2682,2686,2690,2694,2698,2702,2705,2708,2712,2716,2720,2724,
   2728,2732,2735,2738,2742,2746,2750,0,0,2754,2757,2760,2764,2768,2772,0,0,2776,2779,2782,2786,
   2790,2794,2798,2802,0,2806,0,2809,0,2813,0,2817,2821,2824,2827,2831,2835,2839,2843,2847,2851,
   2854,2857,2861,2865,2869,2873,2877,2881,2884,2887,2890,2893,2896,2899,2902,2905,2908,2911,2914,
   2917,2920,0,0,2923,2927,2931,2936,2941,2946,2951,2956,2961,2965,2969,2974,2979,2984,2989,2994,
   2999,3003,3007,3012,3017,3022,3027,3032,3037,3041,3045,3050,3055,3060,3065,3070,3075,3079,3083,
   3088,3093,3098,3103,3108,3113,3117,3121,3126,3131,3136,3141,3146,3151,3154,3157,3161,3164,0,3168,
   3171,3175,3178,3181,3184,3187,3190,3193,3195,3198,3201,3207,3211,3214,0,3218,3221,3225,3228,3231,
   3234,3237,3240,3246,3252,3258,3261,3264,3268,0,0,3272,3275,3279,3282,3285,3288,0,3291,3297,3303,
   3309,3312,3315,3319,3323,3326,3329,3332,3336,3339,3342,3345,3348,3351,3357,3363,0,0,3365,3369,
   3372,0,3376,3379,3383,3386,3389,3392,3395,3398,3402,0,3405,3408,3411,3413,3415,3417,3419,3421,
   3423,3425,3427,0,0,0,0,0,0,3429,0,0,0,0,0,3431,0,0,0,0,0,0,0,0,0,0,0,0,3434,3436,3439,0,0,0,0,0,
   0,0,0,3443,0,0,0,3445,3448,0,3452,3455,0,0,0,0,3459,0,3462,0,0,0,0,0,0,0,0,3465,3468,3471,0,0,0,
   0,0,0,0,0,0,0,0,0,0,3474,0,0,0,0,0,0,0,3479,3481,3483,0,0,3485,3487,3489,3491,3493,3495,3497,
   3499,3501,3503,3505,3507,3509,3511,3513,3515,3517,3519,3521,3523,3525,3527,3529,3531,3533,3535,
   3537,0,3539,3541,3543,3545,3547,3549,3551,3553,3555,3557,3559,3561,3563,0,0,0,0,0,0,0,0,0,0,0,
   3565,0,0,0,0,0,0,0,3568,3572,3576,3578,0,3581,3585,3589,0,3591,3594,3596,3598,3600,3602,3604,
   3606,3608,3610,3612,0,3614,3616,0,0,3619,3621,3623,3625,3627,0,0,3629,3632,3636,0,3639,0,3641,0,
   3643,0,3645,3647,3650,3652,0,3654,3656,3658,0,3660,3662,3664,3666,3668,3670,3672,0,3674,3678,
   3680,3682,3684,3686,0,0,0,0,3688,3690,3692,3694,3696,0,0,0,0,0,0,3698,3702,3706,3711,3715,3719,
   3723,3727,3731,3735,3739,3743,3747,3751,3755,3759,3762,3764,3767,3771,3774,3776,3779,3783,3788,
   3791,3793,3796,3800,3802,3804,3806,3808,3810,3813,3817,3820,3822,3825,3829,3834,3837,3839,3842,
   3846,3848,3850,3852,0,0,0,0,0,0,0,0,0,3854,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3858,3861,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,3864,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3867,3870,3873,0,0,0,0,3876,0,0,0,0,
   3879,0,0,3882,0,0,0,0,0,0,0,3885,0,3888,0,0,0,0,0,3891,3894,0,3898,3901,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,3905,0,0,3908,0,0,3911,0,3914,0,0,0,0,0,0,3917,0,3920,0,0,0,0,0,0,0,0,0,0,3923,3926,3929,
   3932,3935,0,0,3938,3941,0,0,3944,3947,0,0,0,0,0,0,3950,3953,0,0,3956,3959,0,0,3962,3965,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,0,3968,3971,3974,3977,3980,3983,3986,3989,0,0,0,0,0,0,3992,3995,3998,
   4001,0,0,0,0,0,0,0,0,0,0,0,4004,4006,0,0,0,0,0,4008,4010,4012,4014,4016,4018,4020,4022,4024,4026,
   4029,4032,4035,4038,4041,4044,4047,4050,4053,4056,4059,4063,4067,4071,4075,4079,4083,4087,4091,
   4095,4100,4105,4110,4115,4120,4125,4130,4135,4140,4145,4150,4153,4156,4159,4162,4165,4168,4171,
   4174,4177,4181,4185,4189,4193,4197,4201,4205,4209,4213,4217,4221,4225,4229,4233,4237,4241,4245,
   4249,4253,4257,4261,4265,4269,4273,4277,4281,4285,4289,4293,4297,4301,4305,4309,4313,4317,4321,
   4325,4327,4329,4331,4333,4335,4337,4339,4341,4343,4345,4347,4349,4351,4353,4355,4357,4359,4361,
   4363,4365,4367,4369,4371,4373,4375,4377,4379,4381,4383,4385,4387,4389,4391,4393,4395,4397,4399,
   4401,4403,4405,4407,4409,4411,4413,4415,4417,4419,4421,4423,4425,4427,4429,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,0,0,4431,0,0,0,0,0,0,0,4436,4440,4443,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4447,0,0,
   0,0,0,0,0,0,0,0,0,0,0,0,0,4450,4452,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4454,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,4456,0,0,0,4458,0,0,0,0,0,0,0,0,0,0,0,0,4460,4462,4464,4466,4468,4470,4472,4474,4476,
   4478,4480,4482,4484,4486,4488,4490,4492,4494,4496,4498,4500,4502,4504,4506,4508,4510,4512,4514,
   4516,4518,4520,4522,4524,4526,4528,4530,4532,4534,4536,4538,4540,4542,4544,4546,4548,4550,4552,
   4554,4556,4558,4560,4562,4564,4566,4568,4570,4572,4574,4576,4578,4580,4582,4584,4586,4588,4590,
   4592,4594,4596,4598,4600,4602,4604,4606,4608,4610,4612,4614,4616,4618,4620,4622,4624,4626,4628,
   4630,4632,4634,4636,4638,4640,4642,4644,4646,4648,4650,4652,4654,4656,4658,4660,4662,4664,4666,
   4668,4670,4672,4674,4676,4678,4680,4682,4684,4686,4688,4690,4692,4694,4696,4698,4700,4702,4704,
   4706,4708,4710,4712,4714,4716,4718,4720,4722,4724,4726,4728,4730,4732,4734,4736,4738,4740,4742,
   4744,4746,4748,4750,4752,4754,4756,4758,4760,4762,4764,4766,4768,4770,4772,4774,4776,4778,4780,
   4782,4784,4786,4788,4790,4792,4794,4796,4798,4800,4802,4804,4806,4808,4810,4812,4814,4816,4818,
   4820,4822,4824,4826,4828,4830,4832,4834,4836,4838,4840,4842,4844,4846,4848,4850,4852,4854,4856,
   4858,4860,4862,4864,4866,4868,4870,4872,4874,4876,4878,4880,4882,4884,4886,0,0,0,0,0,0,0,0,0,0,
   4888,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4890,0,4892,4894,4896,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,4898,0,4901,0,4904,0,4907,0,4910,0,4913,0,4916,0,4919,0,4922,0,4925,0,4928,0,4931,0,0,4934,
   0,4937,0,4940,0,0,0,0,0,0,4943,4946,0,4949,4952,0,4955,4958,0,4961,4964,0,4967,4970,0,0,0,0,0,0,
   4973,0,0,0,0,0,0,4976,4979,0,4982,4985,0,0,0,0,0,0,0,0,0,0,0,0,4988,0,4991,0,4994,0,4997,0,5000,
   0,5003,0,5006,0,5009,0,5012,0,5015,0,5018,0,5021,0,0,5024,0,5027,0,5030,0,0,0,0,0,0,5033,5036,0,
   5039,5042,0,5045,5048,0,5051,5054,0,5057,5060,0,0,0,0,0,0,5063,0,0,5066,5069,5072,5075,0,0,0,
   5078,5081,0,5084,5086,5088,5090,5092,5094,5096,5098,5100,5102,5104,5106,5108,5110,5112,5114,5116,
   5118,5120,5122,5124,5126,5128,5130,5132,5134,5136,5138,5140,5142,5144,5146,5148,5150,5152,5154,
   5156,5158,5160,5162,5164,5166,5168,5170,5172,5174,5176,5178,5180,5182,5184,5186,5188,5190,5192,
   5194,5196,5198,5200,5202,5204,5206,5208,5210,5212,5214,5216,5218,5220,5222,5224,5226,5228,5230,
   5232,5234,5236,5238,5240,5242,5244,5246,5248,5250,5252,5254,5256,5258,5260,5262,5264,5266,5268,
   5270,0,0,0,5272,5274,5276,5278,5280,5282,5284,5286,5288,5290,5292,5294,5296,5298,5300,5304,5308,
   5312,5316,5320,5324,5328,5332,5336,5340,5344,5348,5352,5356,5361,5366,5371,5376,5381,5386,5391,
   5396,5401,5406,5411,5416,5421,5426,5431,5439,0,5446,5450,5454,5458,5462,5466,5470,5474,5478,5482,
   5486,5490,5494,5498,5502,5506,5510,5514,5518,5522,5526,5530,5534,5538,5542,5546,5550,5554,5558,
   5562,5566,5570,5574,5578,5582,5586,5590,5592,5594,5596,0,0,0,0,0,0,0,0,5598,5602,5605,5608,5611,
   5614,5617,5620,5623,5626,5629,5632,5635,5638,5641,5644,5647,5649,5651,5653,5655,5657,5659,5661,
   5663,5665,5667,5669,5671,5673,5675,5678,5681,5684,5687,5690,5693,5696,5699,5702,5705,5708,5711,
   5714,5717,5723,5728,0,5731,5733,5735,5737,5739,5741,5743,5745,5747,5749,5751,5753,5755,5757,5759,
   5761,5763,5765,5767,5769,5771,5773,5775,5777,5779,5781,5783,5785,5787,5789,5791,5793,5795,5797,
   5799,5801,5803,5805,5807,5809,5811,5813,5815,5817,5819,5821,5823,5825,5827,5829,5832,5835,5838,
   5841,5844,5847,5850,5853,5856,5859,5862,5865,5868,5871,5874,5877,5880,5883,5886,5889,5892,5895,
   5898,5901,5905,5909,5913,5916,5920,5923,5927,5929,5931,5933,5935,5937,5939,5941,5943,5945,5947,
   5949,5951,5953,5955,5957,5959,5961,5963,5965,5967,5969,5971,5973,5975,5977,5979,5981,5983,5985,
   5987,5989,5991,5993,5995,5997,5999,6001,6003,6005,6007,6009,6011,6013,6015,6017,6019,6021,6024,
   6030,6035,6041,6045,6051,6055,6059,6066,6071,6075,6079,6083,6088,6093,6098,6103,6108,6113,6118,
   6125,6128,6135,6142,6148,6153,6160,6167,6172,6176,6180,6185,6190,6196,6202,6206,6210,6215,6219,
   6223,6226,6229,6233,6237,6244,6249,6255,6262,6267,6271,6275,6282,6287,6294,6298,6304,6308,6313,
   6317,6322,6328,6333,6339,6344,6347,6353,6357,6361,6366,6370,6374,6378,6384,6389,6392,6399,6403,
   6409,6414,6419,6423,6427,6432,6435,6440,6446,6449,6456,6460,6463,6466,6469,6472,6475,6478,6481,
   6484,6487,6490,6494,6498,6502,6506,6510,6514,6518,6522,6526,6530,6534,6538,6542,6546,6550,6554,
   6557,6560,6564,6567,6570,6573,6577,6581,6584,6587,6590,6593,6596,6601,6604,6607,6610,6613,6616,
   6619,6622,6625,6629,6634,6637,6640,6643,6646,6649,6652,6655,6659,6663,6667,6671,6674,6677,6680,
   6683,6686,6689,6692,6695,6698,6701,6705,6709,6712,6716,6720,6724,6727,6731,6735,6740,6743,6747,
   6751,6755,6759,6765,6772,6775,6778,6781,6784,6787,6790,6793,6796,6799,6802,6805,6808,6811,6814,
   6817,6820,6823,6826,6831,6834,6837,6840,6845,6849,6852,6855,6858,6861,6864,6867,6870,6873,6876,
   6879,6883,6886,6889,6893,6897,6900,6905,6909,6912,6915,6918,6921,6925,6929,6932,6935,6938,6941,
   6944,6947,6950,6953,6956,6960,6964,6968,6972,6976,6980,6984,6988,6992,6996,7000,7004,7008,7012,
   7016,7020,7024,7028,7032,7036,7040,7044,0,0,0,0,0,0,0,0,0,0,0,0,7048,7050,0,0,7052,0,0,0,0,0,0,0,
   0,0,0,0,0,0,0,0,0,0,7054,7056,7058,0,0,0,7060,7062,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,7064,7066,
   7068,7070,0,0,0,0,0,0,0,0,0,7072,0,0,0,0,0,0,7074,7076,7078,7080,7082,7084,7086,7088,7090,7092,
   7094,7096,7098,7100,7102,7104,7106,7108,7110,7112,7114,7116,7118,7120,7122,7124,7126,7128,7130,
   7132,7134,7136,7138,7140,7142,7144,7146,7148,7150,7152,7154,7156,7158,7160,7162,7164,7166,7168,
   7170,7172,7174,7176,7178,7180,7182,7184,7186,7188,7190,7192,7194,7196,7198,7200,7202,7204,7206,
   7208,7210,7212,7214,7216,7218,7220,7222,7224,7226,7228,7230,7232,7234,7236,7238,7240,7242,7244,
   7246,7248,7250,7252,7254,7256,7258,7260,7262,7264,7266,7268,7270,7272,7274,7276,7278,7280,7282,
   7284,7286,7288,7290,7292,7294,7296,7298,7300,7302,7304,7306,7308,7310,7312,7314,7316,7318,7320,
   7322,7324,7326,7328,7330,7332,7334,7336,7338,7340,7342,7344,7346,7348,7350,7352,7354,7356,7358,
   7360,7362,7364,7366,7368,7370,7372,7374,7376,7378,7380,7382,7384,7386,7388,7390,7392,7394,7396,
   7398,7400,7402,7404,7406,7408,7410,7412,7414,7416,7418,7420,7422,7424,7426,7428,7430,7432,7434,
   7436,7438,7440,7442,7444,7446,7448,7450,7452,7454,7456,7458,7460,7462,7464,7466,7468,7470,7472,
   7474,7476,7478,7480,7482,7484,7486,7488,7490,7492,7494,7496,7498,7500,7502,7504,7506,7508,7510,
   7512,7514,7516,7518,7520,7522,7524,7526,7528,7530,7532,7534,7536,7538,7540,7542,7544,7546,7548,
   7550,7552,7554,7556,7558,7560,7562,7564,7566,7568,7570,7572,7574,7576,7578,7580,7582,7584,7586,
   7588,7590,7592,7594,7596,7598,7600,7602,7604,7606,7608,7610,7612,0,0,7614,0,7616,0,0,7618,7620,
   7622,7624,7626,7628,7630,7632,7634,7636,0,7638,0,7640,0,0,7642,7644,0,0,0,7646,7648,7650,7652,
   7654,7656,7658,7660,7662,7664,7666,7668,7670,7672,7674,7676,7678,7680,7682,7684,7686,7688,7690,
   7692,7694,7696,7698,7700,7702,7704,7706,7708,7710,7712,7714,7716,7718,7720,7722,7724,7726,7728,
   7730,7732,7734,7736,7738,7740,7742,7744,7746,7748,7750,7752,7754,7756,7758,7760,7762,7764,7766,
   7768,7770,7772,7774,7776,7778,7780,0,0,7782,7784,7786,7788,7790,7792,7794,7796,7798,7800,7802,
   7804,7806,7808,7810,7812,7814,7816,7818,7820,7822,7824,7826,7828,7830,7832,7834,7836,7838,7840,
   7842,7844,7846,7848,7850,7852,7854,7856,7858,7860,7862,7864,7866,7868,7870,7872,7874,7876,7878,
   7880,7882,7884,7886,7888,7890,7892,7894,7896,7898,7900,7902,7904,7906,7908,7910,7912,7914,7916,
   7918,7920,7922,7924,7926,7928,7930,7932,7934,7936,7938,7940,7942,7944,7946,7948,7950,7952,7954,
   7956,7958,7960,7962,7964,7966,7968,7970,7972,7974,7976,7978,7980,7982,7984,7986,7988,7990,7992,0,
   0,0,0,0,0,7994,7997,8000,8003,8007,8011,8014,0,0,0,0,0,0,0,0,0,0,0,0,8017,8020,8023,8026,8029,0,
   0,0,0,0,8032,0,8035,8038,8040,8042,8044,8046,8048,8050,8052,8054,8056,8058,8061,8064,8068,8072,
   8075,8078,8081,8084,8087,8090,8093,8096,0,8099,8102,8105,8108,8111,0,8114,0,8117,8120,0,8123,
   8126,0,8129,8132,8135,8138,8141,8144,8147,8150,8153,8156,8159,8161,8163,8165,8167,8169,8171,8173,
   8175,8177,8179,8181,8183,8185,8187,8189,8191,8193,8195,8197,8199,8201,8203,8205,8207,8209,8211,
   8213,8215,8217,8219,8221,8223,8225,8227,8229,8231,8233,8235,8237,8239,8241,8243,8245,8247,8249,
   8251,8253,8255,8257,8259,8261,8263,8265,8267,8269,8271,8273,8275,8277,8279,8281,8283,8285,8287,
   8289,8291,8293,8295,8297,8299,8301,8303,8305,8307,8309,8311,8313,8315,8317,8319,8321,8323,8325,
   8327,8330,8333,8335,8337,8339,8341,8343,8345,8347,8349,8351,8353,8356,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,8359,8361,8363,8365,8367,8369,8371,8373,8375,8377,8379,8382,8384,8386,8388,8390,8392,
   8394,8396,8398,8400,8402,8404,8406,8410,8414,8418,8422,8426,8430,8434,8438,8442,8446,8450,8454,
   8458,8462,8466,8470,8474,8478,8480,8482,8484,8486,8490,8494,8498,8502,8506,8509,8512,8515,8518,
   8521,8524,8527,8530,8533,8536,8539,8542,8545,8548,8551,8554,8557,8560,8563,8566,8569,8572,8575,
   8578,8581,8584,8587,8590,8593,8596,8599,8602,8605,8608,8611,8614,8617,8620,8623,8626,8629,8632,
   8635,8638,8641,8644,8647,8650,8653,8656,8659,8662,8665,8668,8671,8674,8677,8680,8683,8686,8689,
   8692,8695,8698,8701,8704,8707,8710,8713,8716,8719,8722,8725,8728,8731,8734,8737,8740,8743,8746,
   8749,8752,8755,8758,8761,8764,8767,8770,8773,8777,8781,8785,8789,8793,8797,8801,8805,8809,8813,
   8817,8821,8824,8827,8830,8833,8836,8839,8842,8845,8848,8851,8854,8857,8860,8863,8866,8869,8872,
   8875,8878,8881,8884,8887,8890,8893,8896,8899,8902,8905,8908,8911,8914,8917,8920,8923,8926,8929,
   8932,8935,8938,8941,8944,8947,8950,8953,8956,8960,8964,8968,8972,8976,8979,8982,8985,8988,8991,
   8994,8997,9000,9003,9006,9009,9012,9015,9018,9021,9024,9027,9030,9033,9036,9039,9042,9045,9048,
   9051,9054,9057,9060,9063,9066,9069,9072,9075,9078,9081,9084,9087,9090,9093,9096,9099,9102,9105,
   9108,9111,9114,9117,9120,9123,9126,9129,9132,9135,9138,9141,9144,9147,9150,9153,9156,9159,9162,
   9165,9168,9171,9174,9177,9181,9185,9188,9191,9194,9197,9200,9203,9206,9209,9212,9215,9218,9221,
   9224,9227,9230,9233,9236,9240,9244,9248,9251,9254,9257,9260,9263,9266,9269,9272,9275,9278,9281,
   9284,9287,9290,9293,9296,9299,9302,9305,9308,9311,9314,9317,9320,9323,9326,9329,9332,9335,9338,
   9341,9344,9347,9350,9353,9356,9359,9362,9365,9368,9371,9374,9377,9380,9383,9386,9389,9392,9395,
   9398,9401,9404,9407,9410,9413,9416,9419,9422,9425,9428,9431,9434,9437,9440,9443,9446,9449,9452,
   9455,9458,9461,9464,0,0,9467,9471,9475,9479,9483,9487,9491,9495,9499,9503,9507,9511,9515,9519,
   9523,9527,9531,9535,9539,9543,9547,9551,9555,9559,9563,9567,9571,9575,9579,9583,9587,9591,9595,
   9599,9603,9607,9611,9615,9619,9623,9627,9631,9635,9639,9643,9647,9651,9655,9659,9663,9667,9671,
   9675,9679,9683,9687,9691,9695,9699,9703,9707,9711,9715,9719,0,0,9723,9727,9731,9735,9739,9743,
   9747,9751,9755,9759,9763,9767,9771,9775,9779,9783,9787,9791,9795,9799,9803,9807,9811,9815,9819,
   9823,9827,9831,9835,9839,9843,9847,9851,9855,9859,9863,9867,9871,9875,9879,9883,9887,9891,9895,
   9899,9903,9907,9911,9915,9919,9923,9927,9931,9935,0,0,0,0,0,0,0,0,9939,9943,9947,9952,9957,9962,
   9967,9972,9977,9982,9986,10005,10014,0,0,0,10019,10021,10023,10025,10027,10029,10031,10033,10035,
   10037,0,0,0,0,0,0,10041,10044,10046,10048,10050,10052,10054,10056,10058,10060,10062,10064,10066,
   10068,10070,10072,10074,10076,10078,10080,10082,0,0,10084,10086,10088,10091,10094,10097,10100,
   10102,10104,10106,10108,10110,0,10112,10114,10116,10118,10120,10122,10124,10126,10128,10130,
   10132,10134,10136,10138,10140,10142,10144,10146,10148,0,10150,10152,10154,10156,0,0,0,0,10158,
   10161,10164,0,10167,0,10170,10173,10176,10179,10182,10185,10188,10191,10194,10197,10200,10202,
   10205,10208,10211,10214,10217,10220,10223,10226,10229,10232,10235,10238,10240,10242,10244,10246,
   10248,10250,10252,10254,10256,10258,10260,10262,10264,10266,10268,10270,10272,10274,10276,10278,
   10280,10282,10284,10286,10288,10290,10292,10294,10296,10298,10300,10302,10304,10306,10308,10310,
   10312,10314,10316,10318,10320,10322,10324,10326,10328,10330,10332,10334,10336,10338,10340,10342,
   10344,10346,10348,10350,10352,10354,10356,10358,10360,10362,10364,10366,10368,10370,10372,10374,
   10376,10378,10380,10382,10384,10386,10388,10390,10392,10394,10396,10398,10400,10402,10404,10406,
   10408,10410,10412,10414,10416,10418,10420,10422,10424,10426,10428,10430,10432,10434,10436,10438,
   10440,10442,10444,10446,10450,10454,10458,10462,10466,10470,10473,0,0,0,0,10476,10478,10480,
   10482,10484,10486,10488,10490,10492,10494,10496,10498,10500,10502,10504,10506,10508,10510,10512,
   10514,10516,10518,10520,10522,10524,10526,10528,10530,10532,10534,10536,10538,10540,10542,10544,
   10546,10548,10550,10552,10554,10556,10558,10560,10562,10564,10566,10568,10570,10572,10574,10576,
   10578,10580,10582,10584,10586,10588,10590,10592,10594,10596,10598,10600,10602,10604,10606,10608,
   10610,10612,10614,10616,10618,10620,10622,10624,10626,10628,10630,10632,10634,10636,10638,10640,
   10642,10644,10646,10648,10650,10652,10654,10656,10658,10660,10662,10664,10666,10668,10670,10672,
   10674,10676,10678,10680,10682,10684,10686,10688,10690,10692,10694,10696,10698,10700,10702,10704,
   10706,10708,10710,10712,10714,10716,10718,10720,10722,10724,10726,10728,10730,10732,10734,10736,
   10738,10740,10742,10744,10746,10748,10750,10752,10754,10756,10758,10760,10762,10764,10766,10768,
   10770,10772,10774,10776,10778,10780,10782,10784,10786,10788,10790,10792,10794,10796,10798,10800,
   10802,10804,10806,10808,10810,10812,10814,10816,10818,10820,10822,10824,10826,10828,10830,10832,
   10834,10836,10838,10840,10842,10844,10846,10848,10850,10852,10854,0,0,0,10856,10858,10860,10862,
   10864,10866,0,0,10868,10870,10872,10874,10876,10878,0,0,10880,10882,10884,10886,10888,10890,0,0,
   10892,10894,10896,0,0,0,10898,10900,10902,10904,10907,10909,10911,0,10913,10915,10917,10919,
   10921,10923,10925,0,0,10927,10929,10931,10933,10935,0,10937,10939,10941,10943,10945,10947,10949,
   10951,10953,10955,10957,10959,10961,10963,10965,10967,10969,10971,10973,10975,10977,10979,10981,
   10983,10985,10987,10989,10991,10993,10995,10997,10999,11001,11003,11005,11007,11009,11011,11013,
   11015,11017,11019,0,11021,11023,11025,11027,11029,11031,11033,11035,11037,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,11039,0,11042,0,0,0,0,0,0,0,0,0,0,0,0,0,0,11045,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   11048,11051,0,0,0,0,0,0,0,0,0,0,0,11054,11057,0,0,0,0,0,0,0,0,0,0,0,0,0,0,11060,11063,0,11066,0,
   0,0,0,0,0,0,0,0,0,0,11069,11072,0,0,0,0,0,0,0,0,0,0,0,0,11075,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   0,0,0,0,11078,11081,11084,11088,11092,11096,11100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
   11104,11107,11110,11114,11118,11122,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,11126,11128,11130,11132,11134,
   11136,11138,11140,11142,11144,11146,11148,11150,11152,11154,11156,11158,11160,11162,11164,11166,
   11168,11170,11172,11174,11176,11178,11180,11182,11184,11186,11188,11190,11192,11194,11196,11198,
   11200,11202,11204,11206,11208,11210,11212,11214,11216,11218,11220,11222,11224,11226,11228,11230,
   11232,11234,11236,11238,11240,11242,11244,11246,11248,11250,11252,11254,11256,11258,11260,11262,
   11264,11266,11268,11270,11272,11274,11276,11278,11280,11282,11284,11286,11288,11290,11292,11294,
   0,11296,11298,11300,11302,11304,11306,11308,11310,11312,11314,11316,11318,11320,11322,11324,
   11326,11328,11330,11332,11334,11336,11338,11340,11342,11344,11346,11348,11350,11352,11354,11356,
   11358,11360,11362,11364,11366,11368,11370,11372,11374,11376,11378,11380,11382,11384,11386,11388,
   11390,11392,11394,11396,11398,11400,11402,11404,11406,11408,11410,11412,11414,11416,11418,11420,
   11422,11424,11426,11428,11430,11432,11434,11436,0,11438,11440,0,0,11442,0,0,11444,11446,0,0,
   11448,11450,11452,11454,0,11456,11458,11460,11462,11464,11466,11468,11470,11472,11474,11476,
   11478,0,11480,0,11482,11484,11486,11488,11490,11492,11494,0,11496,11498,11500,11502,11504,11506,
   11508,11510,11512,11514,11516,11518,11520,11522,11524,11526,11528,11530,11532,11534,11536,11538,
   11540,11542,11544,11546,11548,11550,11552,11554,11556,11558,11560,11562,11564,11566,11568,11570,
   11572,11574,11576,11578,11580,11582,11584,11586,11588,11590,11592,11594,11596,11598,11600,11602,
   11604,11606,11608,11610,11612,11614,11616,11618,11620,11622,11624,0,11626,11628,11630,11632,0,0,
   11634,11636,11638,11640,11642,11644,11646,11648,0,11650,11652,11654,11656,11658,11660,11662,0,
   11664,11666,11668,11670,11672,11674,11676,11678,11680,11682,11684,11686,11688,11690,11692,11694,
   11696,11698,11700,11702,11704,11706,11708,11710,11712,11714,11716,11718,0,11720,11722,11724,
   11726,0,11728,11730,11732,11734,11736,0,11738,0,0,0,11740,11742,11744,11746,11748,11750,11752,0,
   11754,11756,11758,11760,11762,11764,11766,11768,11770,11772,11774,11776,11778,11780,11782,11784,
   11786,11788,11790,11792,11794,11796,11798,11800,11802,11804,11806,11808,11810,11812,11814,11816,
   11818,11820,11822,11824,11826,11828,11830,11832,11834,11836,11838,11840,11842,11844,11846,11848,
   11850,11852,11854,11856,11858,11860,11862,11864,11866,11868,11870,11872,11874,11876,11878,11880,
   11882,11884,11886,11888,11890,11892,11894,11896,11898,11900,11902,11904,11906,11908,11910,11912,
   11914,11916,11918,11920,11922,11924,11926,11928,11930,11932,11934,11936,11938,11940,11942,11944,
   11946,11948,11950,11952,11954,11956,11958,11960,11962,11964,11966,11968,11970,11972,11974,11976,
   11978,11980,11982,11984,11986,11988,11990,11992,11994,11996,11998,12000,12002,12004,12006,12008,
   12010,12012,12014,12016,12018,12020,12022,12024,12026,12028,12030,12032,12034,12036,12038,12040,
   12042,12044,12046,12048,12050,12052,12054,12056,12058,12060,12062,12064,12066,12068,12070,12072,
   12074,12076,12078,12080,12082,12084,12086,12088,12090,12092,12094,12096,12098,12100,12102,12104,
   12106,12108,12110,12112,12114,12116,12118,12120,12122,12124,12126,12128,12130,12132,12134,12136,
   12138,12140,12142,12144,12146,12148,12150,12152,12154,12156,12158,12160,12162,12164,12166,12168,
   12170,12172,12174,12176,12178,12180,12182,12184,12186,12188,12190,12192,12194,12196,12198,12200,
   12202,12204,12206,12208,12210,12212,12214,12216,12218,12220,12222,12224,12226,12228,12230,12232,
   12234,12236,12238,12240,12242,12244,12246,12248,12250,12252,12254,12256,12258,12260,12262,12264,
   12266,12268,12270,12272,12274,12276,12278,12280,12282,12284,12286,12288,12290,12292,12294,12296,
   12298,12300,12302,12304,12306,12308,12310,12312,12314,12316,12318,12320,12322,12324,12326,12328,
   12330,12332,12334,12336,12338,12340,12342,12344,12346,12348,12350,12352,12354,12356,12358,12360,
   12362,12364,12366,12368,12370,12372,12374,12376,12378,12380,12382,12384,12386,12388,12390,12392,
   12394,12396,12398,12400,12402,12404,12406,12408,12410,12412,12414,12416,12418,12420,12422,12424,
   12426,12428,12430,12432,0,0,12434,12436,12438,12440,12442,12444,12446,12448,12450,12452,12454,
   12456,12458,12460,12462,12464,12466,12468,12470,12472,12474,12476,12478,12480,12482,12484,12486,
   12488,12490,12492,12494,12496,12498,12500,12502,12504,12506,12508,12510,12512,12514,12516,12518,
   12520,12522,12524,12526,12528,12530,12532,12534,12536,12538,12540,12542,12544,12546,12548,12550,
   12552,12554,12556,12558,12560,12562,12564,12566,12568,12570,12572,12574,12576,12578,12580,12582,
   12584,12586,12588,12590,12592,12594,12596,12598,12600,12602,12604,12606,12608,12610,12612,12614,
   12616,12618,12620,12622,12624,12626,12628,12630,12632,12634,12636,12638,12640,12642,12644,12646,
   12648,12650,12652,12654,12656,12658,12660,12662,12664,12666,12668,12670,12672,12674,12676,12678,
   12680,12682,12684,12686,12688,12690,12692,12694,12696,12698,12700,12702,12704,12706,12708,12710,
   12712,12714,12716,12718,12720,12722,12724,12726,12728,12730,12732,12734,12736,12738,12740,12742,
   12744,12746,12748,12750,12752,12754,12756,12758,12760,12762,12764,12766,12768,12770,12772,12774,
   12776,12778,12780,12782,12784,12786,12788,12790,12792,12794,12796,12798,12800,12802,12804,12806,
   12808,12810,12812,12814,12816,12818,12820,12822,12824,12826,12828,12830,12832,12834,12836,12838,
   12840,12842,12844,12846,12848,12850,12852,12854,12856,12858,12860,12862,12864,12866,12868,12870,
   12872,12874,12876,12878,12880,12882,12884,12886,12888,12890,12892,12894,12896,12898,12900,12902,
   12904,12906,12908,12910,12912,12914,12916,12918,12920,12922,12924,12926,12928,12930,12932,12934,
   12936,12938,12940,12942,12944,12946,12948,12950,12952,12954,12956,12958,12960,12962,12964,12966,
   12968,12970,12972,12974,12976,12978,12980,12982,12984,12986,12988,12990,12992,12994,12996,12998,
   13000,13002,13004,13006,13008,13010,13012,13014,13016,0,0,13018,13020,13022,13024,13026,13028,
   13030,13032,13034,13036,13038,13040,13042,13044,13046,13048,13050,13052,13054,13056,13058,13060,
   13062,13064,13066,13068,13070,13072,13074,13076,13078,13080,13082,13084,13086,13088,13090,13092,
   13094,13096,13098,13100,13102,13104,13106,13108,13110,13112,13114,13116,13118,13120,13122,13124,
   13126,13128,13130,13132,13134,13136,13138,13140,13142,13144,13146,13148,13150,13152,13154,13156,
   13158,13160,13162,13164,13166,13168,13170,13172,13174,13176,13178,13180,13182,13184,13186,13188,
   13190,13192,13194,13196,13198,13200,13202,13204,13206,13208,13210,13212,13214,13216,13218,13220,
   13222,13224,13226,13228,13230,13232,13234,13236,13238,13240,0,0,13242,13244,13246,13248,0,13250,
   13252,13254,13256,13258,13260,13262,13264,13266,13268,13270,13272,13274,13276,13278,13280,13282,
   13284,13286,13288,13290,13292,13294,13296,13298,13300,13302,0,13304,13306,0,13308,0,0,13310,0,
   13312,13314,13316,13318,13320,13322,13324,13326,13328,13330,0,13332,13334,13336,13338,0,13340,0,
   13342,0,0,0,0,0,0,13344,0,0,0,0,13346,0,13348,0,13350,0,13352,13354,13356,0,13358,13360,0,13362,
   0,0,13364,0,13366,0,13368,0,13370,0,13372,0,13374,13376,0,13378,0,0,13380,13382,13384,13386,0,
   13388,13390,13392,13394,13396,13398,13400,0,13402,13404,13406,13408,0,13410,13412,13414,13416,0,
   13418,0,13420,13422,13424,13426,13428,13430,13432,13434,13436,13438,0,13440,13442,13444,13446,
   13448,13450,13452,13454,13456,13458,13460,13462,13464,13466,13468,13470,13472,0,0,0,0,0,13474,
   13476,13478,0,13480,13482,13484,13486,13488,0,13490,13492,13494,13496,13498,13500,13502,13504,
   13506,13508,13510,13512,13514,13516,13518,13520,13522,0,0,0,0,13524,13527,13530,13533,13536,
   13539,13542,13545,13548,13551,13554,0,0,0,0,0,13557,13561,13565,13569,13573,13577,13581,13585,
   13589,13593,13597,13601,13605,13609,13613,13617,13621,13625,13629,13633,13637,13641,13645,13649,
   13653,13657,13661,13665,13667,13669,13672,0,13675,13677,13679,13681,13683,13685,13687,13689,
   13691,13693,13695,13697,13699,13701,13703,13705,13707,13709,13711,13713,13715,13717,13719,13721,
   13723,13725,13727,13730,13733,13736,13739,13743,0,0,0,0,0,0,0,0,0,0,13746,13749,13752,0,0,0,
   13755,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,13758,13761,13764,0,0,0,0,0,0,0,0,0,0,0,0,0,13766,13768,
   13770,13772,13775,13777,13779,13781,13783,13785,13787,13789,13791,13793,13795,13797,13799,13801,
   13803,13805,13807,13809,13811,13813,13815,13817,13819,13821,13823,13825,13827,13829,13831,13833,
   13835,13837,13839,13841,13843,13845,13847,13849,13851,13853,0,0,0,0,13855,13859,13863,13867,
   13871,13875,13879,13883,13887,0,0,0,0,0,0,0,13891,13893,0,0,0,0,0,0,0,0,0,0,0,0,0,0,13895,13897,
   13899,13901,13903,13905,13907,13909,13911,13913,0,0,0,0,0,0,13915,13917,13919,13921,13923,13925,
   13927,13929,13931,13933,13935,13937,13939,13941,13943,13945,13947,13949,13951,13953,13955,13957,
   13959,13961,13963,13965,13967,13969,13971,13973,13975,13977,13979,13981,13983,13985,13987,13989,
   13991,13993,13995,13997,13999,14001,14003,14005,14007,14009,14011,14013,14015,14017,14019,14021,
   14023,14025,14027,14029,14031,14033,14035,14037,14039,14041,14043,14045,14047,14049,14051,14053,
   14055,14057,14059,14061,14063,14065,14067,14069,14071,14073,14075,14077,14079,14081,14083,14085,
   14087,14089,14091,14093,14095,14097,14099,14101,14103,14105,14107,14109,14111,14113,14115,14117,
   14119,14121,14123,14125,14127,14129,14131,14133,14135,14137,14139,14141,14143,14145,14147,14149,
   14151,14153,14155,14157,14159,14161,14163,14165,14167,14169,14171,14173,14175,14177,14179,14181,
   14183,14185,14187,14189,14191,14193,14195,14197,14199,14201,14203,14205,14207,14209,14211,14213,
   14215,14217,14219,14221,14223,14225,14227,14229,14231,14233,14235,14237,14239,14241,14243,14245,
   14247,14249,14251,14253,14255,14257,14259,14261,14263,14265,14267,14269,14271,14273,14275,14277,
   14279,14281,14283,14285,14287,14289,14291,14293,14295,14297,14299,14301,14303,14305,14307,14309,
   14311,14313,14315,14317,14319,14321,14323,14325,14327,14329,14331,14333,14335,14337,14339,14341,
   14343,14345,14347,14349,14351,14353,14355,14357,14359,14361,14363,14365,14367,14369,14371,14373,
   14375,14377,14379,14381,14383,14385,14387,14389,14391,14393,14395,14397,14399,14401,14403,14405,
   14407,14409,14411,14413,14415,14417,14419,14421,14423,14425,14427,14429,14431,14433,14435,14437,
   14439,14441,14443,14445,14447,14449,14451,14453,14455,14457,14459,14461,14463,14465,14467,14469,
   14471,14473,14475,14477,14479,14481,14483,14485,14487,14489,14491,14493,14495,14497,14499,14501,
   14503,14505,14507,14509,14511,14513,14515,14517,14519,14521,14523,14525,14527,14529,14531,14533,
   14535,14537,14539,14541,14543,14545,14547,14549,14551,14553,14555,14557,14559,14561,14563,14565,
   14567,14569,14571,14573,14575,14577,14579,14581,14583,14585,14587,14589,14591,14593,14595,14597,
   14599,14601,14603,14605,14607,14609,14611,14613,14615,14617,14619,14621,14623,14625,14627,14629,
   14631,14633,14635,14637,14639,14641,14643,14645,14647,14649,14651,14653,14655,14657,14659,14661,
   14663,14665,14667,14669,14671,14673,14675,14677,14679,14681,14683,14685,14687,14689,14691,14693,
   14695,14697,14699,14701,14703,14705,14707,14709,14711,14713,14715,14717,14719,14721,14723,14725,
   14727,14729,14731,14733,14735,14737,14739,14741,14743,14745,14747,14749,14751,14753,14755,14757,
   14759,14761,14763,14765,14767,14769,14771,14773,14775,14777,14779,14781,14783,14785,14787,14789,
   14791,14793,14795,14797,14799,14801,14803,14805,14807,14809,14811,14813,14815,14817,14819,14821,
   14823,14825,14827,14829,14831,14833,14835,14837,14839,14841,14843,14845,14847,14849,14851,14853,
   14855,14857,14859,14861,14863,14865,14867,14869,14871,14873,14875,14877,14879,14881,14883,14885,
   14887,14889,14891,14893,14895,14897,14899,14901,14903,14905,14907,14909,14911,14913,14915,14917,
   14919,14921,14923,14925,14927,14929,14931,14933,14935,14937,14939,14941,14943,14945,14947,14949,
   14951,14953,14955,14957,14959,14961,14963,14965,14967,14969,14971,14973,14975,14977,14979,14981,
   14983,14985,14987,14989,14991,14993,14995,14997,0,0,
};
static unsigned tfm__uc_dec_get(uint32_t cp) {
    unsigned m = tfm__uc_dec_top[cp >> 10];
    unsigned l = tfm__uc_dec_mid[(m << 6) + ((cp >> 4) & 63u)];
    return tfm__uc_dec_leaf[(l << 4) + (cp & 15u)];
}
/* Full (recursive) decompositions. Header word: bits 0-4 canonical length (0: none), bits
   5-9 compatibility length (0: same as canonical), then the canonical code points, then
   the compatibility ones. Hangul syllables are decomposed arithmetically instead. */
static const uint32_t tfm__uc_dec_pool[14999] = {
   0,32,32,64,32,776,32,97,64,32,772,32,50,32,51,64,32,769,32,956,64,32,807,32,49,32,111,96,49,8260,
   52,96,49,8260,50,96,51,8260,52,2,65,768,2,65,769,2,65,770,2,65,771,2,65,776,2,65,778,2,67,807,2,
   69,768,2,69,769,2,69,770,2,69,776,2,73,768,2,73,769,2,73,770,2,73,776,2,78,771,2,79,768,2,79,769,
   2,79,770,2,79,771,2,79,776,2,85,768,2,85,769,2,85,770,2,85,776,2,89,769,2,97,768,2,97,769,2,97,
   770,2,97,771,2,97,776,2,97,778,2,99,807,2,101,768,2,101,769,2,101,770,2,101,776,2,105,768,2,105,
   769,2,105,770,2,105,776,2,110,771,2,111,768,2,111,769,2,111,770,2,111,771,2,111,776,2,117,768,2,
   117,769,2,117,770,2,117,776,2,121,769,2,121,776,2,65,772,2,97,772,2,65,774,2,97,774,2,65,808,2,
   97,808,2,67,769,2,99,769,2,67,770,2,99,770,2,67,775,2,99,775,2,67,780,2,99,780,2,68,780,2,100,
   780,2,69,772,2,101,772,2,69,774,2,101,774,2,69,775,2,101,775,2,69,808,2,101,808,2,69,780,2,101,
   780,2,71,770,2,103,770,2,71,774,2,103,774,2,71,775,2,103,775,2,71,807,2,103,807,2,72,770,2,104,
   770,2,73,771,2,105,771,2,73,772,2,105,772,2,73,774,2,105,774,2,73,808,2,105,808,2,73,775,64,73,
   74,64,105,106,2,74,770,2,106,770,2,75,807,2,107,807,2,76,769,2,108,769,2,76,807,2,108,807,2,76,
   780,2,108,780,64,76,183,64,108,183,2,78,769,2,110,769,2,78,807,2,110,807,2,78,780,2,110,780,64,
   700,110,2,79,772,2,111,772,2,79,774,2,111,774,2,79,779,2,111,779,2,82,769,2,114,769,2,82,807,2,
   114,807,2,82,780,2,114,780,2,83,769,2,115,769,2,83,770,2,115,770,2,83,807,2,115,807,2,83,780,2,
   115,780,2,84,807,2,116,807,2,84,780,2,116,780,2,85,771,2,117,771,2,85,772,2,117,772,2,85,774,2,
   117,774,2,85,778,2,117,778,2,85,779,2,117,779,2,85,808,2,117,808,2,87,770,2,119,770,2,89,770,2,
   121,770,2,89,776,2,90,769,2,122,769,2,90,775,2,122,775,2,90,780,2,122,780,32,115,2,79,795,2,111,
   795,2,85,795,2,117,795,96,68,90,780,96,68,122,780,96,100,122,780,64,76,74,64,76,106,64,108,106,
   64,78,74,64,78,106,64,110,106,2,65,780,2,97,780,2,73,780,2,105,780,2,79,780,2,111,780,2,85,780,2,
   117,780,3,85,776,772,3,117,776,772,3,85,776,769,3,117,776,769,3,85,776,780,3,117,776,780,3,85,
   776,768,3,117,776,768,3,65,776,772,3,97,776,772,3,65,775,772,3,97,775,772,2,198,772,2,230,772,2,
   71,780,2,103,780,2,75,780,2,107,780,2,79,808,2,111,808,3,79,808,772,3,111,808,772,2,439,780,2,
   658,780,2,106,780,64,68,90,64,68,122,64,100,122,2,71,769,2,103,769,2,78,768,2,110,768,3,65,778,
   769,3,97,778,769,2,198,769,2,230,769,2,216,769,2,248,769,2,65,783,2,97,783,2,65,785,2,97,785,2,
   69,783,2,101,783,2,69,785,2,101,785,2,73,783,2,105,783,2,73,785,2,105,785,2,79,783,2,111,783,2,
   79,785,2,111,785,2,82,783,2,114,783,2,82,785,2,114,785,2,85,783,2,117,783,2,85,785,2,117,785,2,
   83,806,2,115,806,2,84,806,2,116,806,2,72,780,2,104,780,2,65,775,2,97,775,2,69,807,2,101,807,3,79,
   776,772,3,111,776,772,3,79,771,772,3,111,771,772,2,79,775,2,111,775,3,79,775,772,3,111,775,772,2,
   89,772,2,121,772,32,104,32,614,32,106,32,114,32,633,32,635,32,641,32,119,32,121,64,32,774,64,32,
   775,64,32,778,64,32,808,64,32,771,64,32,779,32,611,32,108,32,115,32,120,32,661,1,768,1,769,1,787,
   2,776,769,1,697,64,32,837,1,59,64,32,769,98,168,769,32,776,769,2,913,769,1,183,2,917,769,2,919,
   769,2,921,769,2,927,769,2,933,769,2,937,769,3,953,776,769,2,921,776,2,933,776,2,945,769,2,949,
   769,2,951,769,2,953,769,3,965,776,769,2,953,776,2,965,776,2,959,769,2,965,769,2,969,769,32,946,
   32,952,32,933,66,978,769,933,769,66,978,776,933,776,32,966,32,960,32,954,32,961,32,962,32,920,32,
   949,32,931,2,1045,768,2,1045,776,2,1043,769,2,1030,776,2,1050,769,2,1048,768,2,1059,774,2,1048,
   774,2,1080,774,2,1077,768,2,1077,776,2,1075,769,2,1110,776,2,1082,769,2,1080,768,2,1091,774,2,
   1140,783,2,1141,783,2,1046,774,2,1078,774,2,1040,774,2,1072,774,2,1040,776,2,1072,776,2,1045,774,
   2,1077,774,2,1240,776,2,1241,776,2,1046,776,2,1078,776,2,1047,776,2,1079,776,2,1048,772,2,1080,
   772,2,1048,776,2,1080,776,2,1054,776,2,1086,776,2,1256,776,2,1257,776,2,1069,776,2,1101,776,2,
   1059,772,2,1091,772,2,1059,776,2,1091,776,2,1059,779,2,1091,779,2,1063,776,2,1095,776,2,1067,776,
   2,1099,776,64,1381,1410,2,1575,1619,2,1575,1620,2,1608,1620,2,1575,1621,2,1610,1620,64,1575,1652,
   64,1608,1652,64,1735,1652,64,1610,1652,2,1749,1620,2,1729,1620,2,1746,1620,2,2344,2364,2,2352,
   2364,2,2355,2364,2,2325,2364,2,2326,2364,2,2327,2364,2,2332,2364,2,2337,2364,2,2338,2364,2,2347,
   2364,2,2351,2364,2,2503,2494,2,2503,2519,2,2465,2492,2,2466,2492,2,2479,2492,2,2610,2620,2,2616,
   2620,2,2582,2620,2,2583,2620,2,2588,2620,2,2603,2620,2,2887,2902,2,2887,2878,2,2887,2903,2,2849,
   2876,2,2850,2876,2,2962,3031,2,3014,3006,2,3015,3006,2,3014,3031,2,3142,3158,2,3263,3285,2,3270,
   3285,2,3270,3286,2,3270,3266,3,3270,3266,3285,2,3398,3390,2,3399,3390,2,3398,3415,2,3545,3530,2,
   3545,3535,3,3545,3535,3530,2,3545,3551,64,3661,3634,64,3789,3762,64,3755,3737,64,3755,3745,32,
   3851,2,3906,4023,2,3916,4023,2,3921,4023,2,3926,4023,2,3931,4023,2,3904,4021,2,3953,3954,2,3953,
   3956,2,4018,3968,96,4018,3953,3968,2,4019,3968,96,4019,3953,3968,2,3953,3968,2,3986,4023,2,3996,
   4023,2,4001,4023,2,4006,4023,2,4011,4023,2,3984,4021,2,4133,4142,32,4316,2,6917,6965,2,6919,6965,
   2,6921,6965,2,6923,6965,2,6925,6965,2,6929,6965,2,6970,6965,2,6972,6965,2,6974,6965,2,6975,6965,
   2,6978,6965,32,65,32,198,32,66,32,68,32,69,32,398,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,
   78,32,79,32,546,32,80,32,82,32,84,32,85,32,87,32,97,32,592,32,593,32,7426,32,98,32,100,32,101,32,
   601,32,603,32,604,32,103,32,107,32,109,32,331,32,111,32,596,32,7446,32,7447,32,112,32,116,32,117,
   32,7453,32,623,32,118,32,7461,32,946,32,947,32,948,32,966,32,967,32,105,32,114,32,117,32,118,32,
   946,32,947,32,961,32,966,32,967,32,1085,32,594,32,99,32,597,32,240,32,604,32,102,32,607,32,609,
   32,613,32,616,32,617,32,618,32,7547,32,669,32,621,32,7557,32,671,32,625,32,624,32,626,32,627,32,
   628,32,629,32,632,32,642,32,643,32,427,32,649,32,650,32,7452,32,651,32,652,32,122,32,656,32,657,
   32,658,32,952,2,65,805,2,97,805,2,66,775,2,98,775,2,66,803,2,98,803,2,66,817,2,98,817,3,67,807,
   769,3,99,807,769,2,68,775,2,100,775,2,68,803,2,100,803,2,68,817,2,100,817,2,68,807,2,100,807,2,
   68,813,2,100,813,3,69,772,768,3,101,772,768,3,69,772,769,3,101,772,769,2,69,813,2,101,813,2,69,
   816,2,101,816,3,69,807,774,3,101,807,774,2,70,775,2,102,775,2,71,772,2,103,772,2,72,775,2,104,
   775,2,72,803,2,104,803,2,72,776,2,104,776,2,72,807,2,104,807,2,72,814,2,104,814,2,73,816,2,105,
   816,3,73,776,769,3,105,776,769,2,75,769,2,107,769,2,75,803,2,107,803,2,75,817,2,107,817,2,76,803,
   2,108,803,3,76,803,772,3,108,803,772,2,76,817,2,108,817,2,76,813,2,108,813,2,77,769,2,109,769,2,
   77,775,2,109,775,2,77,803,2,109,803,2,78,775,2,110,775,2,78,803,2,110,803,2,78,817,2,110,817,2,
   78,813,2,110,813,3,79,771,769,3,111,771,769,3,79,771,776,3,111,771,776,3,79,772,768,3,111,772,
   768,3,79,772,769,3,111,772,769,2,80,769,2,112,769,2,80,775,2,112,775,2,82,775,2,114,775,2,82,803,
   2,114,803,3,82,803,772,3,114,803,772,2,82,817,2,114,817,2,83,775,2,115,775,2,83,803,2,115,803,3,
   83,769,775,3,115,769,775,3,83,780,775,3,115,780,775,3,83,803,775,3,115,803,775,2,84,775,2,116,
   775,2,84,803,2,116,803,2,84,817,2,116,817,2,84,813,2,116,813,2,85,804,2,117,804,2,85,816,2,117,
   816,2,85,813,2,117,813,3,85,771,769,3,117,771,769,3,85,772,776,3,117,772,776,2,86,771,2,118,771,
   2,86,803,2,118,803,2,87,768,2,119,768,2,87,769,2,119,769,2,87,776,2,119,776,2,87,775,2,119,775,2,
   87,803,2,119,803,2,88,775,2,120,775,2,88,776,2,120,776,2,89,775,2,121,775,2,90,770,2,122,770,2,
   90,803,2,122,803,2,90,817,2,122,817,2,104,817,2,116,776,2,119,778,2,121,778,64,97,702,66,383,775,
   115,775,2,65,803,2,97,803,2,65,777,2,97,777,3,65,770,769,3,97,770,769,3,65,770,768,3,97,770,768,
   3,65,770,777,3,97,770,777,3,65,770,771,3,97,770,771,3,65,803,770,3,97,803,770,3,65,774,769,3,97,
   774,769,3,65,774,768,3,97,774,768,3,65,774,777,3,97,774,777,3,65,774,771,3,97,774,771,3,65,803,
   774,3,97,803,774,2,69,803,2,101,803,2,69,777,2,101,777,2,69,771,2,101,771,3,69,770,769,3,101,770,
   769,3,69,770,768,3,101,770,768,3,69,770,777,3,101,770,777,3,69,770,771,3,101,770,771,3,69,803,
   770,3,101,803,770,2,73,777,2,105,777,2,73,803,2,105,803,2,79,803,2,111,803,2,79,777,2,111,777,3,
   79,770,769,3,111,770,769,3,79,770,768,3,111,770,768,3,79,770,777,3,111,770,777,3,79,770,771,3,
   111,770,771,3,79,803,770,3,111,803,770,3,79,795,769,3,111,795,769,3,79,795,768,3,111,795,768,3,
   79,795,777,3,111,795,777,3,79,795,771,3,111,795,771,3,79,795,803,3,111,795,803,2,85,803,2,117,
   803,2,85,777,2,117,777,3,85,795,769,3,117,795,769,3,85,795,768,3,117,795,768,3,85,795,777,3,117,
   795,777,3,85,795,771,3,117,795,771,3,85,795,803,3,117,795,803,2,89,768,2,121,768,2,89,803,2,121,
   803,2,89,777,2,121,777,2,89,771,2,121,771,2,945,787,2,945,788,3,945,787,768,3,945,788,768,3,945,
   787,769,3,945,788,769,3,945,787,834,3,945,788,834,2,913,787,2,913,788,3,913,787,768,3,913,788,
   768,3,913,787,769,3,913,788,769,3,913,787,834,3,913,788,834,2,949,787,2,949,788,3,949,787,768,3,
   949,788,768,3,949,787,769,3,949,788,769,2,917,787,2,917,788,3,917,787,768,3,917,788,768,3,917,
   787,769,3,917,788,769,2,951,787,2,951,788,3,951,787,768,3,951,788,768,3,951,787,769,3,951,788,
   769,3,951,787,834,3,951,788,834,2,919,787,2,919,788,3,919,787,768,3,919,788,768,3,919,787,769,3,
   919,788,769,3,919,787,834,3,919,788,834,2,953,787,2,953,788,3,953,787,768,3,953,788,768,3,953,
   787,769,3,953,788,769,3,953,787,834,3,953,788,834,2,921,787,2,921,788,3,921,787,768,3,921,788,
   768,3,921,787,769,3,921,788,769,3,921,787,834,3,921,788,834,2,959,787,2,959,788,3,959,787,768,3,
   959,788,768,3,959,787,769,3,959,788,769,2,927,787,2,927,788,3,927,787,768,3,927,788,768,3,927,
   787,769,3,927,788,769,2,965,787,2,965,788,3,965,787,768,3,965,788,768,3,965,787,769,3,965,788,
   769,3,965,787,834,3,965,788,834,2,933,788,3,933,788,768,3,933,788,769,3,933,788,834,2,969,787,2,
   969,788,3,969,787,768,3,969,788,768,3,969,787,769,3,969,788,769,3,969,787,834,3,969,788,834,2,
   937,787,2,937,788,3,937,787,768,3,937,788,768,3,937,787,769,3,937,788,769,3,937,787,834,3,937,
   788,834,2,945,768,2,945,769,2,949,768,2,949,769,2,951,768,2,951,769,2,953,768,2,953,769,2,959,
   768,2,959,769,2,965,768,2,965,769,2,969,768,2,969,769,3,945,787,837,3,945,788,837,4,945,787,768,
   837,4,945,788,768,837,4,945,787,769,837,4,945,788,769,837,4,945,787,834,837,4,945,788,834,837,3,
   913,787,837,3,913,788,837,4,913,787,768,837,4,913,788,768,837,4,913,787,769,837,4,913,788,769,
   837,4,913,787,834,837,4,913,788,834,837,3,951,787,837,3,951,788,837,4,951,787,768,837,4,951,788,
   768,837,4,951,787,769,837,4,951,788,769,837,4,951,787,834,837,4,951,788,834,837,3,919,787,837,3,
   919,788,837,4,919,787,768,837,4,919,788,768,837,4,919,787,769,837,4,919,788,769,837,4,919,787,
   834,837,4,919,788,834,837,3,969,787,837,3,969,788,837,4,969,787,768,837,4,969,788,768,837,4,969,
   787,769,837,4,969,788,769,837,4,969,787,834,837,4,969,788,834,837,3,937,787,837,3,937,788,837,4,
   937,787,768,837,4,937,788,768,837,4,937,787,769,837,4,937,788,769,837,4,937,787,834,837,4,937,
   788,834,837,2,945,774,2,945,772,3,945,768,837,2,945,837,3,945,769,837,2,945,834,3,945,834,837,2,
   913,774,2,913,772,2,913,768,2,913,769,2,913,837,64,32,787,1,953,64,32,787,64,32,834,98,168,834,
   32,776,834,3,951,768,837,2,951,837,3,951,769,837,2,951,834,3,951,834,837,2,917,768,2,917,769,2,
   919,768,2,919,769,2,919,837,98,8127,768,32,787,768,98,8127,769,32,787,769,98,8127,834,32,787,834,
   2,953,774,2,953,772,3,953,776,768,3,953,776,769,2,953,834,3,953,776,834,2,921,774,2,921,772,2,
   921,768,2,921,769,98,8190,768,32,788,768,98,8190,769,32,788,769,98,8190,834,32,788,834,2,965,774,
   2,965,772,3,965,776,768,3,965,776,769,2,961,787,2,961,788,2,965,834,3,965,776,834,2,933,774,2,
   933,772,2,933,768,2,933,769,2,929,788,98,168,768,32,776,768,98,168,769,32,776,769,1,96,3,969,768,
   837,2,969,837,3,969,769,837,2,969,834,3,969,834,837,2,927,768,2,927,769,2,937,768,2,937,769,2,
   937,837,65,180,32,769,64,32,788,33,8194,32,33,8195,32,32,32,32,32,32,32,32,32,32,32,32,32,32,32,
   32,32,32,32,32,8208,64,32,819,32,46,64,46,46,96,46,46,46,32,32,64,8242,8242,96,8242,8242,8242,64,
   8245,8245,96,8245,8245,8245,64,33,33,64,32,773,64,63,63,64,63,33,64,33,63,128,8242,8242,8242,
   8242,32,32,32,48,32,105,32,52,32,53,32,54,32,55,32,56,32,57,32,43,32,8722,32,61,32,40,32,41,32,
   110,32,48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,32,43,32,8722,32,61,32,40,32,41,
   32,97,32,101,32,111,32,120,32,601,32,104,32,107,32,108,32,109,32,110,32,112,32,115,32,116,64,82,
   115,96,97,47,99,96,97,47,115,32,67,64,176,67,96,99,47,111,96,99,47,117,32,400,64,176,70,32,103,
   32,72,32,72,32,72,32,104,32,295,32,73,32,73,32,76,32,108,32,78,64,78,111,32,80,32,81,32,82,32,82,
   32,82,64,83,77,96,84,69,76,64,84,77,32,90,1,937,32,90,1,75,2,65,778,32,66,32,67,32,101,32,69,32,
   70,32,77,32,111,32,1488,32,1489,32,1490,32,1491,32,105,96,70,65,88,32,960,32,947,32,915,32,928,
   32,8721,32,68,32,100,32,101,32,105,32,106,96,49,8260,55,96,49,8260,57,128,49,8260,49,48,96,49,
   8260,51,96,50,8260,51,96,49,8260,53,96,50,8260,53,96,51,8260,53,96,52,8260,53,96,49,8260,54,96,
   53,8260,54,96,49,8260,56,96,51,8260,56,96,53,8260,56,96,55,8260,56,64,49,8260,32,73,64,73,73,96,
   73,73,73,64,73,86,32,86,64,86,73,96,86,73,73,128,86,73,73,73,64,73,88,32,88,64,88,73,96,88,73,73,
   32,76,32,67,32,68,32,77,32,105,64,105,105,96,105,105,105,64,105,118,32,118,64,118,105,96,118,105,
   105,128,118,105,105,105,64,105,120,32,120,64,120,105,96,120,105,105,32,108,32,99,32,100,32,109,
   96,48,8260,51,2,8592,824,2,8594,824,2,8596,824,2,8656,824,2,8660,824,2,8658,824,2,8707,824,2,
   8712,824,2,8715,824,2,8739,824,2,8741,824,64,8747,8747,96,8747,8747,8747,64,8750,8750,96,8750,
   8750,8750,2,8764,824,2,8771,824,2,8773,824,2,8776,824,2,61,824,2,8801,824,2,8781,824,2,60,824,2,
   62,824,2,8804,824,2,8805,824,2,8818,824,2,8819,824,2,8822,824,2,8823,824,2,8826,824,2,8827,824,2,
   8834,824,2,8835,824,2,8838,824,2,8839,824,2,8866,824,2,8872,824,2,8873,824,2,8875,824,2,8828,824,
   2,8829,824,2,8849,824,2,8850,824,2,8882,824,2,8883,824,2,8884,824,2,8885,824,1,12296,1,12297,32,
   49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,64,49,48,64,49,49,64,49,50,64,49,51,64,49,52,
   64,49,53,64,49,54,64,49,55,64,49,56,64,49,57,64,50,48,96,40,49,41,96,40,50,41,96,40,51,41,96,40,
   52,41,96,40,53,41,96,40,54,41,96,40,55,41,96,40,56,41,96,40,57,41,128,40,49,48,41,128,40,49,49,
   41,128,40,49,50,41,128,40,49,51,41,128,40,49,52,41,128,40,49,53,41,128,40,49,54,41,128,40,49,55,
   41,128,40,49,56,41,128,40,49,57,41,128,40,50,48,41,64,49,46,64,50,46,64,51,46,64,52,46,64,53,46,
   64,54,46,64,55,46,64,56,46,64,57,46,96,49,48,46,96,49,49,46,96,49,50,46,96,49,51,46,96,49,52,46,
   96,49,53,46,96,49,54,46,96,49,55,46,96,49,56,46,96,49,57,46,96,50,48,46,96,40,97,41,96,40,98,41,
   96,40,99,41,96,40,100,41,96,40,101,41,96,40,102,41,96,40,103,41,96,40,104,41,96,40,105,41,96,40,
   106,41,96,40,107,41,96,40,108,41,96,40,109,41,96,40,110,41,96,40,111,41,96,40,112,41,96,40,113,
   41,96,40,114,41,96,40,115,41,96,40,116,41,96,40,117,41,96,40,118,41,96,40,119,41,96,40,120,41,96,
   40,121,41,96,40,122,41,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,
   32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,
   32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,32,112,
   32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,48,128,8747,8747,8747,
   8747,96,58,58,61,64,61,61,96,61,61,61,2,10973,824,32,106,32,86,32,11617,32,27597,32,40863,32,
   19968,32,20008,32,20022,32,20031,32,20057,32,20101,32,20108,32,20128,32,20154,32,20799,32,20837,
   32,20843,32,20866,32,20886,32,20907,32,20960,32,20981,32,20992,32,21147,32,21241,32,21269,32,
   21274,32,21304,32,21313,32,21340,32,21353,32,21378,32,21430,32,21448,32,21475,32,22231,32,22303,
   32,22763,32,22786,32,22794,32,22805,32,22823,32,22899,32,23376,32,23424,32,23544,32,23567,32,
   23586,32,23608,32,23662,32,23665,32,24027,32,24037,32,24049,32,24062,32,24178,32,24186,32,24191,
   32,24308,32,24318,32,24331,32,24339,32,24400,32,24417,32,24435,32,24515,32,25096,32,25142,32,
   25163,32,25903,32,25908,32,25991,32,26007,32,26020,32,26041,32,26080,32,26085,32,26352,32,26376,
   32,26408,32,27424,32,27490,32,27513,32,27571,32,27595,32,27604,32,27611,32,27663,32,27668,32,
   27700,32,28779,32,29226,32,29238,32,29243,32,29247,32,29255,32,29273,32,29275,32,29356,32,29572,
   32,29577,32,29916,32,29926,32,29976,32,29983,32,29992,32,30000,32,30091,32,30098,32,30326,32,
   30333,32,30382,32,30399,32,30446,32,30683,32,30690,32,30707,32,31034,32,31160,32,31166,32,31348,
   32,31435,32,31481,32,31859,32,31992,32,32566,32,32593,32,32650,32,32701,32,32769,32,32780,32,
   32786,32,32819,32,32895,32,32905,32,33251,32,33258,32,33267,32,33276,32,33292,32,33307,32,33311,
   32,33390,32,33394,32,33400,32,34381,32,34411,32,34880,32,34892,32,34915,32,35198,32,35211,32,
   35282,32,35328,32,35895,32,35910,32,35925,32,35960,32,35997,32,36196,32,36208,32,36275,32,36523,
   32,36554,32,36763,32,36784,32,36789,32,37009,32,37193,32,37318,32,37324,32,37329,32,38263,32,
   38272,32,38428,32,38582,32,38585,32,38632,32,38737,32,38750,32,38754,32,38761,32,38859,32,38893,
   32,38899,32,38913,32,39080,32,39131,32,39135,32,39318,32,39321,32,39340,32,39592,32,39640,32,
   39647,32,39717,32,39727,32,39730,32,39740,32,39770,32,40165,32,40565,32,40575,32,40613,32,40635,
   32,40643,32,40653,32,40657,32,40697,32,40701,32,40718,32,40723,32,40736,32,40763,32,40778,32,
   40786,32,40845,32,40860,32,40864,32,32,32,12306,32,21313,32,21316,32,21317,2,12363,12441,2,12365,
   12441,2,12367,12441,2,12369,12441,2,12371,12441,2,12373,12441,2,12375,12441,2,12377,12441,2,
   12379,12441,2,12381,12441,2,12383,12441,2,12385,12441,2,12388,12441,2,12390,12441,2,12392,12441,
   2,12399,12441,2,12399,12442,2,12402,12441,2,12402,12442,2,12405,12441,2,12405,12442,2,12408,
   12441,2,12408,12442,2,12411,12441,2,12411,12442,2,12358,12441,64,32,12441,64,32,12442,2,12445,
   12441,64,12424,12426,2,12459,12441,2,12461,12441,2,12463,12441,2,12465,12441,2,12467,12441,2,
   12469,12441,2,12471,12441,2,12473,12441,2,12475,12441,2,12477,12441,2,12479,12441,2,12481,12441,
   2,12484,12441,2,12486,12441,2,12488,12441,2,12495,12441,2,12495,12442,2,12498,12441,2,12498,
   12442,2,12501,12441,2,12501,12442,2,12504,12441,2,12504,12442,2,12507,12441,2,12507,12442,2,
   12454,12441,2,12527,12441,2,12528,12441,2,12529,12441,2,12530,12441,2,12541,12441,64,12467,12488,
   32,4352,32,4353,32,4522,32,4354,32,4524,32,4525,32,4355,32,4356,32,4357,32,4528,32,4529,32,4530,
   32,4531,32,4532,32,4533,32,4378,32,4358,32,4359,32,4360,32,4385,32,4361,32,4362,32,4363,32,4364,
   32,4365,32,4366,32,4367,32,4368,32,4369,32,4370,32,4449,32,4450,32,4451,32,4452,32,4453,32,4454,
   32,4455,32,4456,32,4457,32,4458,32,4459,32,4460,32,4461,32,4462,32,4463,32,4464,32,4465,32,4466,
   32,4467,32,4468,32,4469,32,4448,32,4372,32,4373,32,4551,32,4552,32,4556,32,4558,32,4563,32,4567,
   32,4569,32,4380,32,4573,32,4575,32,4381,32,4382,32,4384,32,4386,32,4387,32,4391,32,4393,32,4395,
   32,4396,32,4397,32,4398,32,4399,32,4402,32,4406,32,4416,32,4423,32,4428,32,4593,32,4594,32,4439,
   32,4440,32,4441,32,4484,32,4485,32,4488,32,4497,32,4498,32,4500,32,4510,32,4513,32,19968,32,
   20108,32,19977,32,22235,32,19978,32,20013,32,19979,32,30002,32,20057,32,19993,32,19969,32,22825,
   32,22320,32,20154,96,40,4352,41,96,40,4354,41,96,40,4355,41,96,40,4357,41,96,40,4358,41,96,40,
   4359,41,96,40,4361,41,96,40,4363,41,96,40,4364,41,96,40,4366,41,96,40,4367,41,96,40,4368,41,96,
   40,4369,41,96,40,4370,41,128,40,4352,4449,41,128,40,4354,4449,41,128,40,4355,4449,41,128,40,4357,
   4449,41,128,40,4358,4449,41,128,40,4359,4449,41,128,40,4361,4449,41,128,40,4363,4449,41,128,40,
   4364,4449,41,128,40,4366,4449,41,128,40,4367,4449,41,128,40,4368,4449,41,128,40,4369,4449,41,128,
   40,4370,4449,41,128,40,4364,4462,41,224,40,4363,4457,4364,4453,4523,41,192,40,4363,4457,4370,
   4462,41,96,40,19968,41,96,40,20108,41,96,40,19977,41,96,40,22235,41,96,40,20116,41,96,40,20845,
   41,96,40,19971,41,96,40,20843,41,96,40,20061,41,96,40,21313,41,96,40,26376,41,96,40,28779,41,96,
   40,27700,41,96,40,26408,41,96,40,37329,41,96,40,22303,41,96,40,26085,41,96,40,26666,41,96,40,
   26377,41,96,40,31038,41,96,40,21517,41,96,40,29305,41,96,40,36001,41,96,40,31069,41,96,40,21172,
   41,96,40,20195,41,96,40,21628,41,96,40,23398,41,96,40,30435,41,96,40,20225,41,96,40,36039,41,96,
   40,21332,41,96,40,31085,41,96,40,20241,41,96,40,33258,41,96,40,33267,41,32,21839,32,24188,32,
   25991,32,31631,96,80,84,69,64,50,49,64,50,50,64,50,51,64,50,52,64,50,53,64,50,54,64,50,55,64,50,
   56,64,50,57,64,51,48,64,51,49,64,51,50,64,51,51,64,51,52,64,51,53,32,4352,32,4354,32,4355,32,
   4357,32,4358,32,4359,32,4361,32,4363,32,4364,32,4366,32,4367,32,4368,32,4369,32,4370,64,4352,
   4449,64,4354,4449,64,4355,4449,64,4357,4449,64,4358,4449,64,4359,4449,64,4361,4449,64,4363,4449,
   64,4364,4449,64,4366,4449,64,4367,4449,64,4368,4449,64,4369,4449,64,4370,4449,160,4366,4449,4535,
   4352,4457,128,4364,4462,4363,4468,64,4363,4462,32,19968,32,20108,32,19977,32,22235,32,20116,32,
   20845,32,19971,32,20843,32,20061,32,21313,32,26376,32,28779,32,27700,32,26408,32,37329,32,22303,
   32,26085,32,26666,32,26377,32,31038,32,21517,32,29305,32,36001,32,31069,32,21172,32,31192,32,
   30007,32,22899,32,36969,32,20778,32,21360,32,27880,32,38917,32,20241,32,20889,32,27491,32,19978,
   32,20013,32,19979,32,24038,32,21491,32,21307,32,23447,32,23398,32,30435,32,20225,32,36039,32,
   21332,32,22812,64,51,54,64,51,55,64,51,56,64,51,57,64,52,48,64,52,49,64,52,50,64,52,51,64,52,52,
   64,52,53,64,52,54,64,52,55,64,52,56,64,52,57,64,53,48,64,49,26376,64,50,26376,64,51,26376,64,52,
   26376,64,53,26376,64,54,26376,64,55,26376,64,56,26376,64,57,26376,96,49,48,26376,96,49,49,26376,
   96,49,50,26376,64,72,103,96,101,114,103,64,101,86,96,76,84,68,32,12450,32,12452,32,12454,32,
   12456,32,12458,32,12459,32,12461,32,12463,32,12465,32,12467,32,12469,32,12471,32,12473,32,12475,
   32,12477,32,12479,32,12481,32,12484,32,12486,32,12488,32,12490,32,12491,32,12492,32,12493,32,
   12494,32,12495,32,12498,32,12501,32,12504,32,12507,32,12510,32,12511,32,12512,32,12513,32,12514,
   32,12516,32,12518,32,12520,32,12521,32,12522,32,12523,32,12524,32,12525,32,12527,32,12528,32,
   12529,32,12530,64,20196,21644,160,12450,12495,12442,12540,12488,128,12450,12523,12501,12449,160,
   12450,12531,12504,12442,12450,96,12450,12540,12523,160,12452,12491,12531,12463,12441,96,12452,
   12531,12481,96,12454,12457,12531,192,12456,12473,12463,12540,12488,12441,128,12456,12540,12459,
   12540,96,12458,12531,12473,96,12458,12540,12512,96,12459,12452,12522,128,12459,12521,12483,12488,
   128,12459,12525,12522,12540,128,12459,12441,12525,12531,128,12459,12441,12531,12510,128,12461,
   12441,12459,12441,128,12461,12441,12491,12540,128,12461,12517,12522,12540,192,12461,12441,12523,
   12479,12441,12540,64,12461,12525,192,12461,12525,12463,12441,12521,12512,192,12461,12525,12513,
   12540,12488,12523,160,12461,12525,12527,12483,12488,128,12463,12441,12521,12512,192,12463,12441,
   12521,12512,12488,12531,192,12463,12523,12475,12441,12452,12525,128,12463,12525,12540,12493,96,
   12465,12540,12473,96,12467,12523,12490,128,12467,12540,12507,12442,128,12469,12452,12463,12523,
   160,12469,12531,12481,12540,12512,160,12471,12522,12531,12463,12441,96,12475,12531,12481,96,
   12475,12531,12488,128,12479,12441,12540,12473,96,12486,12441,12471,96,12488,12441,12523,64,12488,
   12531,64,12490,12494,96,12494,12483,12488,96,12495,12452,12484,192,12495,12442,12540,12475,12531,
   12488,128,12495,12442,12540,12484,160,12495,12441,12540,12524,12523,192,12498,12442,12450,12473,
   12488,12523,128,12498,12442,12463,12523,96,12498,12442,12467,96,12498,12441,12523,192,12501,
   12449,12521,12483,12488,12441,128,12501,12451,12540,12488,192,12501,12441,12483,12471,12455,
   12523,96,12501,12521,12531,160,12504,12463,12479,12540,12523,96,12504,12442,12477,128,12504,
   12442,12491,12498,96,12504,12523,12484,128,12504,12442,12531,12473,160,12504,12442,12540,12471,
   12441,128,12504,12441,12540,12479,160,12507,12442,12452,12531,12488,128,12507,12441,12523,12488,
   64,12507,12531,160,12507,12442,12531,12488,12441,96,12507,12540,12523,96,12507,12540,12531,128,
   12510,12452,12463,12525,96,12510,12452,12523,96,12510,12483,12495,96,12510,12523,12463,160,12510,
   12531,12471,12519,12531,128,12511,12463,12525,12531,64,12511,12522,192,12511,12522,12495,12441,
   12540,12523,96,12513,12459,12441,160,12513,12459,12441,12488,12531,128,12513,12540,12488,12523,
   128,12516,12540,12488,12441,96,12516,12540,12523,96,12518,12450,12531,128,12522,12483,12488,
   12523,64,12522,12521,128,12523,12498,12442,12540,160,12523,12540,12501,12441,12523,64,12524,
   12512,192,12524,12531,12488,12465,12441,12531,96,12527,12483,12488,64,48,28857,64,49,28857,64,50,
   28857,64,51,28857,64,52,28857,64,53,28857,64,54,28857,64,55,28857,64,56,28857,64,57,28857,96,49,
   48,28857,96,49,49,28857,96,49,50,28857,96,49,51,28857,96,49,52,28857,96,49,53,28857,96,49,54,
   28857,96,49,55,28857,96,49,56,28857,96,49,57,28857,96,50,48,28857,96,50,49,28857,96,50,50,28857,
   96,50,51,28857,96,50,52,28857,96,104,80,97,64,100,97,64,65,85,96,98,97,114,64,111,86,64,112,99,
   64,100,109,96,100,109,50,96,100,109,51,64,73,85,64,24179,25104,64,26157,21644,64,22823,27491,64,
   26126,27835,128,26666,24335,20250,31038,64,112,65,64,110,65,64,956,65,64,109,65,64,107,65,64,75,
   66,64,77,66,64,71,66,96,99,97,108,128,107,99,97,108,64,112,70,64,110,70,64,956,70,64,956,103,64,
   109,103,64,107,103,64,72,122,96,107,72,122,96,77,72,122,96,71,72,122,96,84,72,122,64,956,108,64,
   109,108,64,100,108,64,107,108,64,102,109,64,110,109,64,956,109,64,109,109,64,99,109,64,107,109,
   96,109,109,50,96,99,109,50,64,109,50,96,107,109,50,96,109,109,51,96,99,109,51,64,109,51,96,107,
   109,51,96,109,8725,115,128,109,8725,115,50,64,80,97,96,107,80,97,96,77,80,97,96,71,80,97,96,114,
   97,100,160,114,97,100,8725,115,192,114,97,100,8725,115,50,64,112,115,64,110,115,64,956,115,64,
   109,115,64,112,86,64,110,86,64,956,86,64,109,86,64,107,86,64,77,86,64,112,87,64,110,87,64,956,87,
   64,109,87,64,107,87,64,77,87,64,107,937,64,77,937,128,97,46,109,46,64,66,113,64,99,99,64,99,100,
   128,67,8725,107,103,96,67,111,46,64,100,66,64,71,121,64,104,97,64,72,80,64,105,110,64,75,75,64,
   75,77,64,107,116,64,108,109,64,108,110,96,108,111,103,64,108,120,64,109,98,96,109,105,108,96,109,
   111,108,64,80,72,128,112,46,109,46,96,80,80,77,64,80,82,64,115,114,64,83,118,64,87,98,96,86,8725,
   109,96,65,8725,109,64,49,26085,64,50,26085,64,51,26085,64,52,26085,64,53,26085,64,54,26085,64,55,
   26085,64,56,26085,64,57,26085,96,49,48,26085,96,49,49,26085,96,49,50,26085,96,49,51,26085,96,49,
   52,26085,96,49,53,26085,96,49,54,26085,96,49,55,26085,96,49,56,26085,96,49,57,26085,96,50,48,
   26085,96,50,49,26085,96,50,50,26085,96,50,51,26085,96,50,52,26085,96,50,53,26085,96,50,54,26085,
   96,50,55,26085,96,50,56,26085,96,50,57,26085,96,51,48,26085,96,51,49,26085,96,103,97,108,32,1098,
   32,1100,32,42863,32,67,32,70,32,81,32,294,32,339,32,42791,32,43831,32,619,32,43858,32,653,1,
   35912,1,26356,1,36554,1,36040,1,28369,1,20018,1,21477,1,40860,1,40860,1,22865,1,37329,1,21895,1,
   22856,1,25078,1,30313,1,32645,1,34367,1,34746,1,35064,1,37007,1,27138,1,27931,1,28889,1,29662,1,
   33853,1,37226,1,39409,1,20098,1,21365,1,27396,1,29211,1,34349,1,40478,1,23888,1,28651,1,34253,1,
   35172,1,25289,1,33240,1,34847,1,24266,1,26391,1,28010,1,29436,1,37070,1,20358,1,20919,1,21214,1,
   25796,1,27347,1,29200,1,30439,1,32769,1,34310,1,34396,1,36335,1,38706,1,39791,1,40442,1,30860,1,
   31103,1,32160,1,33737,1,37636,1,40575,1,35542,1,22751,1,24324,1,31840,1,32894,1,29282,1,30922,1,
   36034,1,38647,1,22744,1,23650,1,27155,1,28122,1,28431,1,32047,1,32311,1,38475,1,21202,1,32907,1,
   20956,1,20940,1,31260,1,32190,1,33777,1,38517,1,35712,1,25295,1,27138,1,35582,1,20025,1,23527,1,
   24594,1,29575,1,30064,1,21271,1,30971,1,20415,1,24489,1,19981,1,27852,1,25976,1,32034,1,21443,1,
   22622,1,30465,1,33865,1,35498,1,27578,1,36784,1,27784,1,25342,1,33509,1,25504,1,30053,1,20142,1,
   20841,1,20937,1,26753,1,31975,1,33391,1,35538,1,37327,1,21237,1,21570,1,22899,1,24300,1,26053,1,
   28670,1,31018,1,38317,1,39530,1,40599,1,40654,1,21147,1,26310,1,27511,1,36706,1,24180,1,24976,1,
   25088,1,25754,1,28451,1,29001,1,29833,1,31178,1,32244,1,32879,1,36646,1,34030,1,36899,1,37706,1,
   21015,1,21155,1,21693,1,28872,1,35010,1,35498,1,24265,1,24565,1,25467,1,27566,1,31806,1,29557,1,
   20196,1,22265,1,23527,1,23994,1,24604,1,29618,1,29801,1,32666,1,32838,1,37428,1,38646,1,38728,1,
   38936,1,20363,1,31150,1,37300,1,38584,1,24801,1,20102,1,20698,1,23534,1,23615,1,26009,1,27138,1,
   29134,1,30274,1,34044,1,36988,1,40845,1,26248,1,38446,1,21129,1,26491,1,26611,1,27969,1,28316,1,
   29705,1,30041,1,30827,1,32016,1,39006,1,20845,1,25134,1,38520,1,20523,1,23833,1,28138,1,36650,1,
   24459,1,24900,1,26647,1,29575,1,38534,1,21033,1,21519,1,23653,1,26131,1,26446,1,26792,1,27877,1,
   29702,1,30178,1,32633,1,35023,1,35041,1,37324,1,38626,1,21311,1,28346,1,21533,1,29136,1,29848,1,
   34298,1,38563,1,40023,1,40607,1,26519,1,28107,1,33256,1,31435,1,31520,1,31890,1,29376,1,28825,1,
   35672,1,20160,1,33590,1,21050,1,20999,1,24230,1,25299,1,31958,1,23429,1,27934,1,26292,1,36667,1,
   34892,1,38477,1,35211,1,24275,1,20800,1,21952,1,22618,1,26228,1,20958,1,29482,1,30410,1,31036,1,
   31070,1,31077,1,31119,1,38742,1,31934,1,32701,1,34322,1,35576,1,36920,1,37117,1,39151,1,39164,1,
   39208,1,40372,1,37086,1,38583,1,20398,1,20711,1,20813,1,21193,1,21220,1,21329,1,21917,1,22022,1,
   22120,1,22592,1,22696,1,23652,1,23662,1,24724,1,24936,1,24974,1,25074,1,25935,1,26082,1,26257,1,
   26757,1,28023,1,28186,1,28450,1,29038,1,29227,1,29730,1,30865,1,31038,1,31049,1,31048,1,31056,1,
   31062,1,31069,1,31117,1,31118,1,31296,1,31361,1,31680,1,32244,1,32265,1,32321,1,32626,1,32773,1,
   33261,1,33401,1,33401,1,33879,1,35088,1,35222,1,35585,1,35641,1,36051,1,36104,1,36790,1,36920,1,
   38627,1,38911,1,38971,1,24693,1,148206,1,33304,1,20006,1,20917,1,20840,1,20352,1,20805,1,20864,1,
   21191,1,21242,1,21917,1,21845,1,21913,1,21986,1,22618,1,22707,1,22852,1,22868,1,23138,1,23336,1,
   24274,1,24281,1,24425,1,24493,1,24792,1,24910,1,24840,1,24974,1,24928,1,25074,1,25140,1,25540,1,
   25628,1,25682,1,25942,1,26228,1,26391,1,26395,1,26454,1,27513,1,27578,1,27969,1,28379,1,28363,1,
   28450,1,28702,1,29038,1,30631,1,29237,1,29359,1,29482,1,29809,1,29958,1,30011,1,30237,1,30239,1,
   30410,1,30427,1,30452,1,30538,1,30528,1,30924,1,31409,1,31680,1,31867,1,32091,1,32244,1,32574,1,
   32773,1,33618,1,33775,1,34681,1,35137,1,35206,1,35222,1,35519,1,35576,1,35531,1,35585,1,35582,1,
   35565,1,35641,1,35722,1,36104,1,36664,1,36978,1,37273,1,37494,1,38524,1,38627,1,38742,1,38875,1,
   38911,1,38923,1,38971,1,39698,1,40860,1,141386,1,141380,1,144341,1,15261,1,16408,1,16441,1,
   152137,1,154832,1,163539,1,40771,1,40846,64,102,102,64,102,105,64,102,108,96,102,102,105,96,102,
   102,108,64,115,116,64,115,116,64,1396,1398,64,1396,1381,64,1396,1387,64,1406,1398,64,1396,1389,2,
   1497,1460,2,1522,1463,32,1506,32,1488,32,1491,32,1492,32,1499,32,1500,32,1501,32,1512,32,1514,32,
   43,2,1513,1473,2,1513,1474,3,1513,1468,1473,3,1513,1468,1474,2,1488,1463,2,1488,1464,2,1488,1468,
   2,1489,1468,2,1490,1468,2,1491,1468,2,1492,1468,2,1493,1468,2,1494,1468,2,1496,1468,2,1497,1468,
   2,1498,1468,2,1499,1468,2,1500,1468,2,1502,1468,2,1504,1468,2,1505,1468,2,1507,1468,2,1508,1468,
   2,1510,1468,2,1511,1468,2,1512,1468,2,1513,1468,2,1514,1468,2,1493,1465,2,1489,1471,2,1499,1471,
   2,1508,1471,64,1488,1500,32,1649,32,1649,32,1659,32,1659,32,1659,32,1659,32,1662,32,1662,32,1662,
   32,1662,32,1664,32,1664,32,1664,32,1664,32,1658,32,1658,32,1658,32,1658,32,1663,32,1663,32,1663,
   32,1663,32,1657,32,1657,32,1657,32,1657,32,1700,32,1700,32,1700,32,1700,32,1702,32,1702,32,1702,
   32,1702,32,1668,32,1668,32,1668,32,1668,32,1667,32,1667,32,1667,32,1667,32,1670,32,1670,32,1670,
   32,1670,32,1671,32,1671,32,1671,32,1671,32,1677,32,1677,32,1676,32,1676,32,1678,32,1678,32,1672,
   32,1672,32,1688,32,1688,32,1681,32,1681,32,1705,32,1705,32,1705,32,1705,32,1711,32,1711,32,1711,
   32,1711,32,1715,32,1715,32,1715,32,1715,32,1713,32,1713,32,1713,32,1713,32,1722,32,1722,32,1723,
   32,1723,32,1723,32,1723,64,1749,1620,64,1749,1620,32,1729,32,1729,32,1729,32,1729,32,1726,32,
   1726,32,1726,32,1726,32,1746,32,1746,64,1746,1620,64,1746,1620,32,1709,32,1709,32,1709,32,1709,
   32,1735,32,1735,32,1734,32,1734,32,1736,32,1736,64,1735,1652,32,1739,32,1739,32,1733,32,1733,32,
   1737,32,1737,32,1744,32,1744,32,1744,32,1744,32,1609,32,1609,96,1610,1620,1575,96,1610,1620,1575,
   96,1610,1620,1749,96,1610,1620,1749,96,1610,1620,1608,96,1610,1620,1608,96,1610,1620,1735,96,
   1610,1620,1735,96,1610,1620,1734,96,1610,1620,1734,96,1610,1620,1736,96,1610,1620,1736,96,1610,
   1620,1744,96,1610,1620,1744,96,1610,1620,1744,96,1610,1620,1609,96,1610,1620,1609,96,1610,1620,
   1609,32,1740,32,1740,32,1740,32,1740,96,1610,1620,1580,96,1610,1620,1581,96,1610,1620,1605,96,
   1610,1620,1609,96,1610,1620,1610,64,1576,1580,64,1576,1581,64,1576,1582,64,1576,1605,64,1576,
   1609,64,1576,1610,64,1578,1580,64,1578,1581,64,1578,1582,64,1578,1605,64,1578,1609,64,1578,1610,
   64,1579,1580,64,1579,1605,64,1579,1609,64,1579,1610,64,1580,1581,64,1580,1605,64,1581,1580,64,
   1581,1605,64,1582,1580,64,1582,1581,64,1582,1605,64,1587,1580,64,1587,1581,64,1587,1582,64,1587,
   1605,64,1589,1581,64,1589,1605,64,1590,1580,64,1590,1581,64,1590,1582,64,1590,1605,64,1591,1581,
   64,1591,1605,64,1592,1605,64,1593,1580,64,1593,1605,64,1594,1580,64,1594,1605,64,1601,1580,64,
   1601,1581,64,1601,1582,64,1601,1605,64,1601,1609,64,1601,1610,64,1602,1581,64,1602,1605,64,1602,
   1609,64,1602,1610,64,1603,1575,64,1603,1580,64,1603,1581,64,1603,1582,64,1603,1604,64,1603,1605,
   64,1603,1609,64,1603,1610,64,1604,1580,64,1604,1581,64,1604,1582,64,1604,1605,64,1604,1609,64,
   1604,1610,64,1605,1580,64,1605,1581,64,1605,1582,64,1605,1605,64,1605,1609,64,1605,1610,64,1606,
   1580,64,1606,1581,64,1606,1582,64,1606,1605,64,1606,1609,64,1606,1610,64,1607,1580,64,1607,1605,
   64,1607,1609,64,1607,1610,64,1610,1580,64,1610,1581,64,1610,1582,64,1610,1605,64,1610,1609,64,
   1610,1610,64,1584,1648,64,1585,1648,64,1609,1648,96,32,1612,1617,96,32,1613,1617,96,32,1614,1617,
   96,32,1615,1617,96,32,1616,1617,96,32,1617,1648,96,1610,1620,1585,96,1610,1620,1586,96,1610,1620,
   1605,96,1610,1620,1606,96,1610,1620,1609,96,1610,1620,1610,64,1576,1585,64,1576,1586,64,1576,
   1605,64,1576,1606,64,1576,1609,64,1576,1610,64,1578,1585,64,1578,1586,64,1578,1605,64,1578,1606,
   64,1578,1609,64,1578,1610,64,1579,1585,64,1579,1586,64,1579,1605,64,1579,1606,64,1579,1609,64,
   1579,1610,64,1601,1609,64,1601,1610,64,1602,1609,64,1602,1610,64,1603,1575,64,1603,1604,64,1603,
   1605,64,1603,1609,64,1603,1610,64,1604,1605,64,1604,1609,64,1604,1610,64,1605,1575,64,1605,1605,
   64,1606,1585,64,1606,1586,64,1606,1605,64,1606,1606,64,1606,1609,64,1606,1610,64,1609,1648,64,
   1610,1585,64,1610,1586,64,1610,1605,64,1610,1606,64,1610,1609,64,1610,1610,96,1610,1620,1580,96,
   1610,1620,1581,96,1610,1620,1582,96,1610,1620,1605,96,1610,1620,1607,64,1576,1580,64,1576,1581,
   64,1576,1582,64,1576,1605,64,1576,1607,64,1578,1580,64,1578,1581,64,1578,1582,64,1578,1605,64,
   1578,1607,64,1579,1605,64,1580,1581,64,1580,1605,64,1581,1580,64,1581,1605,64,1582,1580,64,1582,
   1605,64,1587,1580,64,1587,1581,64,1587,1582,64,1587,1605,64,1589,1581,64,1589,1582,64,1589,1605,
   64,1590,1580,64,1590,1581,64,1590,1582,64,1590,1605,64,1591,1581,64,1592,1605,64,1593,1580,64,
   1593,1605,64,1594,1580,64,1594,1605,64,1601,1580,64,1601,1581,64,1601,1582,64,1601,1605,64,1602,
   1581,64,1602,1605,64,1603,1580,64,1603,1581,64,1603,1582,64,1603,1604,64,1603,1605,64,1604,1580,
   64,1604,1581,64,1604,1582,64,1604,1605,64,1604,1607,64,1605,1580,64,1605,1581,64,1605,1582,64,
   1605,1605,64,1606,1580,64,1606,1581,64,1606,1582,64,1606,1605,64,1606,1607,64,1607,1580,64,1607,
   1605,64,1607,1648,64,1610,1580,64,1610,1581,64,1610,1582,64,1610,1605,64,1610,1607,96,1610,1620,
   1605,96,1610,1620,1607,64,1576,1605,64,1576,1607,64,1578,1605,64,1578,1607,64,1579,1605,64,1579,
   1607,64,1587,1605,64,1587,1607,64,1588,1605,64,1588,1607,64,1603,1604,64,1603,1605,64,1604,1605,
   64,1606,1605,64,1606,1607,64,1610,1605,64,1610,1607,96,1600,1614,1617,96,1600,1615,1617,96,1600,
   1616,1617,64,1591,1609,64,1591,1610,64,1593,1609,64,1593,1610,64,1594,1609,64,1594,1610,64,1587,
   1609,64,1587,1610,64,1588,1609,64,1588,1610,64,1581,1609,64,1581,1610,64,1580,1609,64,1580,1610,
   64,1582,1609,64,1582,1610,64,1589,1609,64,1589,1610,64,1590,1609,64,1590,1610,64,1588,1580,64,
   1588,1581,64,1588,1582,64,1588,1605,64,1588,1585,64,1587,1585,64,1589,1585,64,1590,1585,64,1591,
   1609,64,1591,1610,64,1593,1609,64,1593,1610,64,1594,1609,64,1594,1610,64,1587,1609,64,1587,1610,
   64,1588,1609,64,1588,1610,64,1581,1609,64,1581,1610,64,1580,1609,64,1580,1610,64,1582,1609,64,
   1582,1610,64,1589,1609,64,1589,1610,64,1590,1609,64,1590,1610,64,1588,1580,64,1588,1581,64,1588,
   1582,64,1588,1605,64,1588,1585,64,1587,1585,64,1589,1585,64,1590,1585,64,1588,1580,64,1588,1581,
   64,1588,1582,64,1588,1605,64,1587,1607,64,1588,1607,64,1591,1605,64,1587,1580,64,1587,1581,64,
   1587,1582,64,1588,1580,64,1588,1581,64,1588,1582,64,1591,1605,64,1592,1605,64,1575,1611,64,1575,
   1611,96,1578,1580,1605,96,1578,1581,1580,96,1578,1581,1580,96,1578,1581,1605,96,1578,1582,1605,
   96,1578,1605,1580,96,1578,1605,1581,96,1578,1605,1582,96,1580,1605,1581,96,1580,1605,1581,96,
   1581,1605,1610,96,1581,1605,1609,96,1587,1581,1580,96,1587,1580,1581,96,1587,1580,1609,96,1587,
   1605,1581,96,1587,1605,1581,96,1587,1605,1580,96,1587,1605,1605,96,1587,1605,1605,96,1589,1581,
   1581,96,1589,1581,1581,96,1589,1605,1605,96,1588,1581,1605,96,1588,1581,1605,96,1588,1580,1610,
   96,1588,1605,1582,96,1588,1605,1582,96,1588,1605,1605,96,1588,1605,1605,96,1590,1581,1609,96,
   1590,1582,1605,96,1590,1582,1605,96,1591,1605,1581,96,1591,1605,1581,96,1591,1605,1605,96,1591,
   1605,1610,96,1593,1580,1605,96,1593,1605,1605,96,1593,1605,1605,96,1593,1605,1609,96,1594,1605,
   1605,96,1594,1605,1610,96,1594,1605,1609,96,1601,1582,1605,96,1601,1582,1605,96,1602,1605,1581,
   96,1602,1605,1605,96,1604,1581,1605,96,1604,1581,1610,96,1604,1581,1609,96,1604,1580,1580,96,
   1604,1580,1580,96,1604,1582,1605,96,1604,1582,1605,96,1604,1605,1581,96,1604,1605,1581,96,1605,
   1581,1580,96,1605,1581,1605,96,1605,1581,1610,96,1605,1580,1581,96,1605,1580,1605,96,1605,1582,
   1580,96,1605,1582,1605,96,1605,1580,1582,96,1607,1605,1580,96,1607,1605,1605,96,1606,1581,1605,
   96,1606,1581,1609,96,1606,1580,1605,96,1606,1580,1605,96,1606,1580,1609,96,1606,1605,1610,96,
   1606,1605,1609,96,1610,1605,1605,96,1610,1605,1605,96,1576,1582,1610,96,1578,1580,1610,96,1578,
   1580,1609,96,1578,1582,1610,96,1578,1582,1609,96,1578,1605,1610,96,1578,1605,1609,96,1580,1605,
   1610,96,1580,1581,1609,96,1580,1605,1609,96,1587,1582,1609,96,1589,1581,1610,96,1588,1581,1610,
   96,1590,1581,1610,96,1604,1580,1610,96,1604,1605,1610,96,1610,1581,1610,96,1610,1580,1610,96,
   1610,1605,1610,96,1605,1605,1610,96,1602,1605,1610,96,1606,1581,1610,96,1602,1605,1581,96,1604,
   1581,1605,96,1593,1605,1610,96,1603,1605,1610,96,1606,1580,1581,96,1605,1582,1610,96,1604,1580,
   1605,96,1603,1605,1605,96,1604,1580,1605,96,1606,1580,1581,96,1580,1581,1610,96,1581,1580,1610,
   96,1605,1580,1610,96,1601,1605,1610,96,1576,1581,1610,96,1603,1605,1605,96,1593,1580,1605,96,
   1589,1605,1605,96,1587,1582,1610,96,1606,1580,1610,96,1589,1604,1746,96,1602,1604,1746,128,1575,
   1604,1604,1607,128,1575,1603,1576,1585,128,1605,1581,1605,1583,128,1589,1604,1593,1605,128,1585,
   1587,1608,1604,128,1593,1604,1610,1607,128,1608,1587,1604,1605,96,1589,1604,1609,576,1589,1604,
   1609,32,1575,1604,1604,1607,32,1593,1604,1610,1607,32,1608,1587,1604,1605,256,1580,1604,32,1580,
   1604,1575,1604,1607,128,1585,1740,1575,1604,32,44,32,12289,32,12290,32,58,32,59,32,33,32,63,32,
   12310,32,12311,96,46,46,46,64,46,46,32,8212,32,8211,32,95,32,95,32,40,32,41,32,123,32,125,32,
   12308,32,12309,32,12304,32,12305,32,12298,32,12299,32,12296,32,12297,32,12300,32,12301,32,12302,
   32,12303,32,91,32,93,64,32,773,64,32,773,64,32,773,64,32,773,32,95,32,95,32,95,32,44,32,12289,32,
   46,32,59,32,58,32,63,32,33,32,8212,32,40,32,41,32,123,32,125,32,12308,32,12309,32,35,32,38,32,42,
   32,43,32,45,32,60,32,62,32,61,32,92,32,36,32,37,32,64,64,32,1611,64,1600,1611,64,32,1612,64,32,
   1613,64,32,1614,64,1600,1614,64,32,1615,64,1600,1615,64,32,1616,64,1600,1616,64,32,1617,64,1600,
   1617,64,32,1618,64,1600,1618,32,1569,64,1575,1619,64,1575,1619,64,1575,1620,64,1575,1620,64,1608,
   1620,64,1608,1620,64,1575,1621,64,1575,1621,64,1610,1620,64,1610,1620,64,1610,1620,64,1610,1620,
   32,1575,32,1575,32,1576,32,1576,32,1576,32,1576,32,1577,32,1577,32,1578,32,1578,32,1578,32,1578,
   32,1579,32,1579,32,1579,32,1579,32,1580,32,1580,32,1580,32,1580,32,1581,32,1581,32,1581,32,1581,
   32,1582,32,1582,32,1582,32,1582,32,1583,32,1583,32,1584,32,1584,32,1585,32,1585,32,1586,32,1586,
   32,1587,32,1587,32,1587,32,1587,32,1588,32,1588,32,1588,32,1588,32,1589,32,1589,32,1589,32,1589,
   32,1590,32,1590,32,1590,32,1590,32,1591,32,1591,32,1591,32,1591,32,1592,32,1592,32,1592,32,1592,
   32,1593,32,1593,32,1593,32,1593,32,1594,32,1594,32,1594,32,1594,32,1601,32,1601,32,1601,32,1601,
   32,1602,32,1602,32,1602,32,1602,32,1603,32,1603,32,1603,32,1603,32,1604,32,1604,32,1604,32,1604,
   32,1605,32,1605,32,1605,32,1605,32,1606,32,1606,32,1606,32,1606,32,1607,32,1607,32,1607,32,1607,
   32,1608,32,1608,32,1609,32,1609,32,1610,32,1610,32,1610,32,1610,96,1604,1575,1619,96,1604,1575,
   1619,96,1604,1575,1620,96,1604,1575,1620,96,1604,1575,1621,96,1604,1575,1621,64,1604,1575,64,
   1604,1575,32,33,32,34,32,35,32,36,32,37,32,38,32,39,32,40,32,41,32,42,32,43,32,44,32,45,32,46,32,
   47,32,48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,32,58,32,59,32,60,32,61,32,62,32,
   63,32,64,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,
   79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,91,32,92,32,93,32,94,32,
   95,32,96,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,
   32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,
   123,32,124,32,125,32,126,32,10629,32,10630,32,12290,32,12300,32,12301,32,12289,32,12539,32,12530,
   32,12449,32,12451,32,12453,32,12455,32,12457,32,12515,32,12517,32,12519,32,12483,32,12540,32,
   12450,32,12452,32,12454,32,12456,32,12458,32,12459,32,12461,32,12463,32,12465,32,12467,32,12469,
   32,12471,32,12473,32,12475,32,12477,32,12479,32,12481,32,12484,32,12486,32,12488,32,12490,32,
   12491,32,12492,32,12493,32,12494,32,12495,32,12498,32,12501,32,12504,32,12507,32,12510,32,12511,
   32,12512,32,12513,32,12514,32,12516,32,12518,32,12520,32,12521,32,12522,32,12523,32,12524,32,
   12525,32,12527,32,12531,32,12441,32,12442,32,4448,32,4352,32,4353,32,4522,32,4354,32,4524,32,
   4525,32,4355,32,4356,32,4357,32,4528,32,4529,32,4530,32,4531,32,4532,32,4533,32,4378,32,4358,32,
   4359,32,4360,32,4385,32,4361,32,4362,32,4363,32,4364,32,4365,32,4366,32,4367,32,4368,32,4369,32,
   4370,32,4449,32,4450,32,4451,32,4452,32,4453,32,4454,32,4455,32,4456,32,4457,32,4458,32,4459,32,
   4460,32,4461,32,4462,32,4463,32,4464,32,4465,32,4466,32,4467,32,4468,32,4469,32,162,32,163,32,
   172,64,32,772,32,166,32,165,32,8361,32,9474,32,8592,32,8593,32,8594,32,8595,32,9632,32,9675,32,
   720,32,721,32,230,32,665,32,595,32,675,32,43878,32,677,32,676,32,598,32,599,32,7569,32,600,32,
   606,32,681,32,612,32,610,32,608,32,667,32,295,32,668,32,615,32,644,32,682,32,683,32,620,32,
   122628,32,42894,32,622,32,122629,32,654,32,122630,32,248,32,630,32,631,32,113,32,634,32,122632,
   32,637,32,638,32,640,32,680,32,678,32,43879,32,679,32,648,32,11377,32,655,32,673,32,674,32,664,
   32,448,32,449,32,450,32,122634,32,122654,2,69785,69818,2,69787,69818,2,69797,69818,2,69937,69927,
   2,69938,69927,2,70471,70462,2,70471,70487,2,70841,70842,2,70841,70832,2,70841,70845,2,71096,
   71087,2,71097,71087,2,71989,71984,2,119127,119141,2,119128,119141,3,119128,119141,119150,3,
   119128,119141,119151,3,119128,119141,119152,3,119128,119141,119153,3,119128,119141,119154,2,
   119225,119141,2,119226,119141,3,119225,119141,119150,3,119226,119141,119150,3,119225,119141,
   119151,3,119226,119141,119151,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,
   32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,
   32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,
   32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,66,32,67,
   32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,
   32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,105,
   32,106,32,107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,
   119,32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,
   32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,
   32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,32,112,
   32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,67,32,68,32,71,32,
   74,32,75,32,78,32,79,32,80,32,81,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,
   99,32,100,32,102,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,112,32,113,32,114,32,115,32,
   116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,
   73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,
   89,32,90,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,
   32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,
   32,66,32,68,32,69,32,70,32,71,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,83,32,84,32,85,
   32,86,32,87,32,88,32,89,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,
   107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,
   32,121,32,122,32,65,32,66,32,68,32,69,32,70,32,71,32,73,32,74,32,75,32,76,32,77,32,79,32,83,32,
   84,32,85,32,86,32,87,32,88,32,89,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,
   106,32,107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,
   32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,
   77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,
   99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,32,112,32,
   113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,
   32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,
   32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,
   32,107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,
   120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,
   32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,
   32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,32,112,32,
   113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,
   32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,
   32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,
   32,107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,
   120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,
   32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,
   32,100,32,101,32,102,32,103,32,104,32,105,32,106,32,107,32,108,32,109,32,110,32,111,32,112,32,
   113,32,114,32,115,32,116,32,117,32,118,32,119,32,120,32,121,32,122,32,65,32,66,32,67,32,68,32,69,
   32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,84,32,85,
   32,86,32,87,32,88,32,89,32,90,32,97,32,98,32,99,32,100,32,101,32,102,32,103,32,104,32,105,32,106,
   32,107,32,108,32,109,32,110,32,111,32,112,32,113,32,114,32,115,32,116,32,117,32,118,32,119,32,
   120,32,121,32,122,32,305,32,567,32,913,32,914,32,915,32,916,32,917,32,918,32,919,32,920,32,921,
   32,922,32,923,32,924,32,925,32,926,32,927,32,928,32,929,32,920,32,931,32,932,32,933,32,934,32,
   935,32,936,32,937,32,8711,32,945,32,946,32,947,32,948,32,949,32,950,32,951,32,952,32,953,32,954,
   32,955,32,956,32,957,32,958,32,959,32,960,32,961,32,962,32,963,32,964,32,965,32,966,32,967,32,
   968,32,969,32,8706,32,949,32,952,32,954,32,966,32,961,32,960,32,913,32,914,32,915,32,916,32,917,
   32,918,32,919,32,920,32,921,32,922,32,923,32,924,32,925,32,926,32,927,32,928,32,929,32,920,32,
   931,32,932,32,933,32,934,32,935,32,936,32,937,32,8711,32,945,32,946,32,947,32,948,32,949,32,950,
   32,951,32,952,32,953,32,954,32,955,32,956,32,957,32,958,32,959,32,960,32,961,32,962,32,963,32,
   964,32,965,32,966,32,967,32,968,32,969,32,8706,32,949,32,952,32,954,32,966,32,961,32,960,32,913,
   32,914,32,915,32,916,32,917,32,918,32,919,32,920,32,921,32,922,32,923,32,924,32,925,32,926,32,
   927,32,928,32,929,32,920,32,931,32,932,32,933,32,934,32,935,32,936,32,937,32,8711,32,945,32,946,
   32,947,32,948,32,949,32,950,32,951,32,952,32,953,32,954,32,955,32,956,32,957,32,958,32,959,32,
   960,32,961,32,962,32,963,32,964,32,965,32,966,32,967,32,968,32,969,32,8706,32,949,32,952,32,954,
   32,966,32,961,32,960,32,913,32,914,32,915,32,916,32,917,32,918,32,919,32,920,32,921,32,922,32,
   923,32,924,32,925,32,926,32,927,32,928,32,929,32,920,32,931,32,932,32,933,32,934,32,935,32,936,
   32,937,32,8711,32,945,32,946,32,947,32,948,32,949,32,950,32,951,32,952,32,953,32,954,32,955,32,
   956,32,957,32,958,32,959,32,960,32,961,32,962,32,963,32,964,32,965,32,966,32,967,32,968,32,969,
   32,8706,32,949,32,952,32,954,32,966,32,961,32,960,32,913,32,914,32,915,32,916,32,917,32,918,32,
   919,32,920,32,921,32,922,32,923,32,924,32,925,32,926,32,927,32,928,32,929,32,920,32,931,32,932,
   32,933,32,934,32,935,32,936,32,937,32,8711,32,945,32,946,32,947,32,948,32,949,32,950,32,951,32,
   952,32,953,32,954,32,955,32,956,32,957,32,958,32,959,32,960,32,961,32,962,32,963,32,964,32,965,
   32,966,32,967,32,968,32,969,32,8706,32,949,32,952,32,954,32,966,32,961,32,960,32,988,32,989,32,
   48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,32,48,32,49,32,50,32,51,32,52,32,53,32,
   54,32,55,32,56,32,57,32,48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,32,48,32,49,32,
   50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,32,48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,
   56,32,57,32,1072,32,1073,32,1074,32,1075,32,1076,32,1077,32,1078,32,1079,32,1080,32,1082,32,1083,
   32,1084,32,1086,32,1087,32,1088,32,1089,32,1090,32,1091,32,1092,32,1093,32,1094,32,1095,32,1096,
   32,1099,32,1101,32,1102,32,42633,32,1241,32,1110,32,1112,32,1257,32,1199,32,1231,32,1072,32,1073,
   32,1074,32,1075,32,1076,32,1077,32,1078,32,1079,32,1080,32,1082,32,1083,32,1086,32,1087,32,1089,
   32,1091,32,1092,32,1093,32,1094,32,1095,32,1096,32,1098,32,1099,32,1169,32,1110,32,1109,32,1119,
   32,1195,32,42577,32,1201,32,1575,32,1576,32,1580,32,1583,32,1608,32,1586,32,1581,32,1591,32,1610,
   32,1603,32,1604,32,1605,32,1606,32,1587,32,1593,32,1601,32,1589,32,1602,32,1585,32,1588,32,1578,
   32,1579,32,1582,32,1584,32,1590,32,1592,32,1594,32,1646,32,1722,32,1697,32,1647,32,1576,32,1580,
   32,1607,32,1581,32,1610,32,1603,32,1604,32,1605,32,1606,32,1587,32,1593,32,1601,32,1589,32,1602,
   32,1588,32,1578,32,1579,32,1582,32,1590,32,1594,32,1580,32,1581,32,1610,32,1604,32,1606,32,1587,
   32,1593,32,1589,32,1602,32,1588,32,1582,32,1590,32,1594,32,1722,32,1647,32,1576,32,1580,32,1607,
   32,1581,32,1591,32,1610,32,1603,32,1605,32,1606,32,1587,32,1593,32,1601,32,1589,32,1602,32,1588,
   32,1578,32,1579,32,1582,32,1590,32,1592,32,1594,32,1646,32,1697,32,1575,32,1576,32,1580,32,1583,
   32,1607,32,1608,32,1586,32,1581,32,1591,32,1610,32,1604,32,1605,32,1606,32,1587,32,1593,32,1601,
   32,1589,32,1602,32,1585,32,1588,32,1578,32,1579,32,1582,32,1584,32,1590,32,1592,32,1594,32,1576,
   32,1580,32,1583,32,1608,32,1586,32,1581,32,1591,32,1610,32,1604,32,1605,32,1606,32,1587,32,1593,
   32,1601,32,1589,32,1602,32,1585,32,1588,32,1578,32,1579,32,1582,32,1584,32,1590,32,1592,32,1594,
   64,48,46,64,48,44,64,49,44,64,50,44,64,51,44,64,52,44,64,53,44,64,54,44,64,55,44,64,56,44,64,57,
   44,96,40,65,41,96,40,66,41,96,40,67,41,96,40,68,41,96,40,69,41,96,40,70,41,96,40,71,41,96,40,72,
   41,96,40,73,41,96,40,74,41,96,40,75,41,96,40,76,41,96,40,77,41,96,40,78,41,96,40,79,41,96,40,80,
   41,96,40,81,41,96,40,82,41,96,40,83,41,96,40,84,41,96,40,85,41,96,40,86,41,96,40,87,41,96,40,88,
   41,96,40,89,41,96,40,90,41,96,12308,83,12309,32,67,32,82,64,67,68,64,87,90,32,65,32,66,32,67,32,
   68,32,69,32,70,32,71,32,72,32,73,32,74,32,75,32,76,32,77,32,78,32,79,32,80,32,81,32,82,32,83,32,
   84,32,85,32,86,32,87,32,88,32,89,32,90,64,72,86,64,77,86,64,83,68,64,83,83,96,80,80,86,64,87,67,
   64,77,67,64,77,68,64,77,82,64,68,74,64,12411,12363,64,12467,12467,32,12469,32,25163,32,23383,32,
   21452,64,12486,12441,32,20108,32,22810,32,35299,32,22825,32,20132,32,26144,32,28961,32,26009,32,
   21069,32,24460,32,20877,32,26032,32,21021,32,32066,32,29983,32,36009,32,22768,32,21561,32,28436,
   32,25237,32,25429,32,19968,32,19977,32,36938,32,24038,32,20013,32,21491,32,25351,32,36208,32,
   25171,32,31105,32,31354,32,21512,32,28288,32,26377,32,26376,32,30003,32,21106,32,21942,32,37197,
   96,12308,26412,12309,96,12308,19977,12309,96,12308,20108,12309,96,12308,23433,12309,96,12308,
   28857,12309,96,12308,25171,12309,96,12308,30423,12309,96,12308,21213,12309,96,12308,25943,12309,
   32,24471,32,21487,32,48,32,49,32,50,32,51,32,52,32,53,32,54,32,55,32,56,32,57,1,20029,1,20024,1,
   20033,1,131362,1,20320,1,20398,1,20411,1,20482,1,20602,1,20633,1,20711,1,20687,1,13470,1,132666,
   1,20813,1,20820,1,20836,1,20855,1,132380,1,13497,1,20839,1,20877,1,132427,1,20887,1,20900,1,
   20172,1,20908,1,20917,1,168415,1,20981,1,20995,1,13535,1,21051,1,21062,1,21106,1,21111,1,13589,1,
   21191,1,21193,1,21220,1,21242,1,21253,1,21254,1,21271,1,21321,1,21329,1,21338,1,21363,1,21373,1,
   21375,1,21375,1,21375,1,133676,1,28784,1,21450,1,21471,1,133987,1,21483,1,21489,1,21510,1,21662,
   1,21560,1,21576,1,21608,1,21666,1,21750,1,21776,1,21843,1,21859,1,21892,1,21892,1,21913,1,21931,
   1,21939,1,21954,1,22294,1,22022,1,22295,1,22097,1,22132,1,20999,1,22766,1,22478,1,22516,1,22541,
   1,22411,1,22578,1,22577,1,22700,1,136420,1,22770,1,22775,1,22790,1,22810,1,22818,1,22882,1,
   136872,1,136938,1,23020,1,23067,1,23079,1,23000,1,23142,1,14062,1,14076,1,23304,1,23358,1,23358,
   1,137672,1,23491,1,23512,1,23527,1,23539,1,138008,1,23551,1,23558,1,24403,1,23586,1,14209,1,
   23648,1,23662,1,23744,1,23693,1,138724,1,23875,1,138726,1,23918,1,23915,1,23932,1,24033,1,24034,
   1,14383,1,24061,1,24104,1,24125,1,24169,1,14434,1,139651,1,14460,1,24240,1,24243,1,24246,1,24266,
   1,172946,1,24318,1,140081,1,140081,1,33281,1,24354,1,24354,1,14535,1,144056,1,156122,1,24418,1,
   24427,1,14563,1,24474,1,24525,1,24535,1,24569,1,24705,1,14650,1,14620,1,24724,1,141012,1,24775,1,
   24904,1,24908,1,24910,1,24908,1,24954,1,24974,1,25010,1,24996,1,25007,1,25054,1,25074,1,25078,1,
   25104,1,25115,1,25181,1,25265,1,25300,1,25424,1,142092,1,25405,1,25340,1,25448,1,25475,1,25572,1,
   142321,1,25634,1,25541,1,25513,1,14894,1,25705,1,25726,1,25757,1,25719,1,14956,1,25935,1,25964,1,
   143370,1,26083,1,26360,1,26185,1,15129,1,26257,1,15112,1,15076,1,20882,1,20885,1,26368,1,26268,1,
   32941,1,17369,1,26391,1,26395,1,26401,1,26462,1,26451,1,144323,1,15177,1,26618,1,26501,1,26706,1,
   26757,1,144493,1,26766,1,26655,1,26900,1,15261,1,26946,1,27043,1,27114,1,27304,1,145059,1,27355,
   1,15384,1,27425,1,145575,1,27476,1,15438,1,27506,1,27551,1,27578,1,27579,1,146061,1,138507,1,
   146170,1,27726,1,146620,1,27839,1,27853,1,27751,1,27926,1,27966,1,28023,1,27969,1,28009,1,28024,
   1,28037,1,146718,1,27956,1,28207,1,28270,1,15667,1,28363,1,28359,1,147153,1,28153,1,28526,1,
   147294,1,147342,1,28614,1,28729,1,28702,1,28699,1,15766,1,28746,1,28797,1,28791,1,28845,1,132389,
   1,28997,1,148067,1,29084,1,148395,1,29224,1,29237,1,29264,1,149000,1,29312,1,29333,1,149301,1,
   149524,1,29562,1,29579,1,16044,1,29605,1,16056,1,16056,1,29767,1,29788,1,29809,1,29829,1,29898,1,
   16155,1,29988,1,150582,1,30014,1,150674,1,30064,1,139679,1,30224,1,151457,1,151480,1,151620,1,
   16380,1,16392,1,30452,1,151795,1,151794,1,151833,1,151859,1,30494,1,30495,1,30495,1,30538,1,
   16441,1,30603,1,16454,1,16534,1,152605,1,30798,1,30860,1,30924,1,16611,1,153126,1,31062,1,153242,
   1,153285,1,31119,1,31211,1,16687,1,31296,1,31306,1,31311,1,153980,1,154279,1,154279,1,31470,1,
   16898,1,154539,1,31686,1,31689,1,16935,1,154752,1,31954,1,17056,1,31976,1,31971,1,32000,1,155526,
   1,32099,1,17153,1,32199,1,32258,1,32325,1,17204,1,156200,1,156231,1,17241,1,156377,1,32634,1,
   156478,1,32661,1,32762,1,32773,1,156890,1,156963,1,32864,1,157096,1,32880,1,144223,1,17365,1,
   32946,1,33027,1,17419,1,33086,1,23221,1,157607,1,157621,1,144275,1,144284,1,33281,1,33284,1,
   36766,1,17515,1,33425,1,33419,1,33437,1,21171,1,33457,1,33459,1,33469,1,33510,1,158524,1,33509,1,
   33565,1,33635,1,33709,1,33571,1,33725,1,33767,1,33879,1,33619,1,33738,1,33740,1,33756,1,158774,1,
   159083,1,158933,1,17707,1,34033,1,34035,1,34070,1,160714,1,34148,1,159532,1,17757,1,17761,1,
   159665,1,159954,1,17771,1,34384,1,34396,1,34407,1,34409,1,34473,1,34440,1,34574,1,34530,1,34681,
   1,34600,1,34667,1,34694,1,17879,1,34785,1,34817,1,17913,1,34912,1,34915,1,161383,1,35031,1,35038,
   1,17973,1,35066,1,13499,1,161966,1,162150,1,18110,1,18119,1,35488,1,35565,1,35722,1,35925,1,
   162984,1,36011,1,36033,1,36123,1,36215,1,163631,1,133124,1,36299,1,36284,1,36336,1,133342,1,
   36564,1,36664,1,165330,1,165357,1,37012,1,37105,1,37137,1,165678,1,37147,1,37432,1,37591,1,37592,
   1,37500,1,37881,1,37909,1,166906,1,38283,1,18837,1,38327,1,167287,1,18918,1,38595,1,23986,1,
   38691,1,168261,1,168474,1,19054,1,19062,1,38880,1,168970,1,19122,1,169110,1,38923,1,38923,1,
   38953,1,169398,1,39138,1,19251,1,39209,1,39335,1,39362,1,39422,1,19406,1,170800,1,39698,1,40000,
   1,40189,1,19662,1,19693,1,40295,1,172238,1,19704,1,172293,1,172558,1,172689,1,40635,1,19798,1,
   40697,1,40702,1,40709,1,40719,1,40726,1,40763,1,173568,
};
/* Canonical compositions (primary composites, Full_Composition_Exclusion removed), sorted
   by (first, second). Hangul is composed arithmetically. */
static const tfm__uc_comp_pair tfm__uc_comp[941] = {
   {60,824,8814},{61,824,8800},{62,824,8815},{65,768,192},{65,769,193},{65,770,194},{65,771,195},
   {65,772,256},{65,774,258},{65,775,550},{65,776,196},{65,777,7842},{65,778,197},{65,780,461},
   {65,783,512},{65,785,514},{65,803,7840},{65,805,7680},{65,808,260},{66,775,7682},{66,803,7684},
   {66,817,7686},{67,769,262},{67,770,264},{67,775,266},{67,780,268},{67,807,199},{68,775,7690},
   {68,780,270},{68,803,7692},{68,807,7696},{68,813,7698},{68,817,7694},{69,768,200},{69,769,201},
   {69,770,202},{69,771,7868},{69,772,274},{69,774,276},{69,775,278},{69,776,203},{69,777,7866},
   {69,780,282},{69,783,516},{69,785,518},{69,803,7864},{69,807,552},{69,808,280},{69,813,7704},
   {69,816,7706},{70,775,7710},{71,769,500},{71,770,284},{71,772,7712},{71,774,286},{71,775,288},
   {71,780,486},{71,807,290},{72,770,292},{72,775,7714},{72,776,7718},{72,780,542},{72,803,7716},
   {72,807,7720},{72,814,7722},{73,768,204},{73,769,205},{73,770,206},{73,771,296},{73,772,298},
   {73,774,300},{73,775,304},{73,776,207},{73,777,7880},{73,780,463},{73,783,520},{73,785,522},
   {73,803,7882},{73,808,302},{73,816,7724},{74,770,308},{75,769,7728},{75,780,488},{75,803,7730},
   {75,807,310},{75,817,7732},{76,769,313},{76,780,317},{76,803,7734},{76,807,315},{76,813,7740},
   {76,817,7738},{77,769,7742},{77,775,7744},{77,803,7746},{78,768,504},{78,769,323},{78,771,209},
   {78,775,7748},{78,780,327},{78,803,7750},{78,807,325},{78,813,7754},{78,817,7752},{79,768,210},
   {79,769,211},{79,770,212},{79,771,213},{79,772,332},{79,774,334},{79,775,558},{79,776,214},
   {79,777,7886},{79,779,336},{79,780,465},{79,783,524},{79,785,526},{79,795,416},{79,803,7884},
   {79,808,490},{80,769,7764},{80,775,7766},{82,769,340},{82,775,7768},{82,780,344},{82,783,528},
   {82,785,530},{82,803,7770},{82,807,342},{82,817,7774},{83,769,346},{83,770,348},{83,775,7776},
   {83,780,352},{83,803,7778},{83,806,536},{83,807,350},{84,775,7786},{84,780,356},{84,803,7788},
   {84,806,538},{84,807,354},{84,813,7792},{84,817,7790},{85,768,217},{85,769,218},{85,770,219},
   {85,771,360},{85,772,362},{85,774,364},{85,776,220},{85,777,7910},{85,778,366},{85,779,368},
   {85,780,467},{85,783,532},{85,785,534},{85,795,431},{85,803,7908},{85,804,7794},{85,808,370},
   {85,813,7798},{85,816,7796},{86,771,7804},{86,803,7806},{87,768,7808},{87,769,7810},{87,770,372},
   {87,775,7814},{87,776,7812},{87,803,7816},{88,775,7818},{88,776,7820},{89,768,7922},{89,769,221},
   {89,770,374},{89,771,7928},{89,772,562},{89,775,7822},{89,776,376},{89,777,7926},{89,803,7924},
   {90,769,377},{90,770,7824},{90,775,379},{90,780,381},{90,803,7826},{90,817,7828},{97,768,224},
   {97,769,225},{97,770,226},{97,771,227},{97,772,257},{97,774,259},{97,775,551},{97,776,228},
   {97,777,7843},{97,778,229},{97,780,462},{97,783,513},{97,785,515},{97,803,7841},{97,805,7681},
   {97,808,261},{98,775,7683},{98,803,7685},{98,817,7687},{99,769,263},{99,770,265},{99,775,267},
   {99,780,269},{99,807,231},{100,775,7691},{100,780,271},{100,803,7693},{100,807,7697},
   {100,813,7699},{100,817,7695},{101,768,232},{101,769,233},{101,770,234},{101,771,7869},
   {101,772,275},{101,774,277},{101,775,279},{101,776,235},{101,777,7867},{101,780,283},
   {101,783,517},{101,785,519},{101,803,7865},{101,807,553},{101,808,281},{101,813,7705},
   {101,816,7707},{102,775,7711},{103,769,501},{103,770,285},{103,772,7713},{103,774,287},
   {103,775,289},{103,780,487},{103,807,291},{104,770,293},{104,775,7715},{104,776,7719},
   {104,780,543},{104,803,7717},{104,807,7721},{104,814,7723},{104,817,7830},{105,768,236},
   {105,769,237},{105,770,238},{105,771,297},{105,772,299},{105,774,301},{105,776,239},
   {105,777,7881},{105,780,464},{105,783,521},{105,785,523},{105,803,7883},{105,808,303},
   {105,816,7725},{106,770,309},{106,780,496},{107,769,7729},{107,780,489},{107,803,7731},
   {107,807,311},{107,817,7733},{108,769,314},{108,780,318},{108,803,7735},{108,807,316},
   {108,813,7741},{108,817,7739},{109,769,7743},{109,775,7745},{109,803,7747},{110,768,505},
   {110,769,324},{110,771,241},{110,775,7749},{110,780,328},{110,803,7751},{110,807,326},
   {110,813,7755},{110,817,7753},{111,768,242},{111,769,243},{111,770,244},{111,771,245},
   {111,772,333},{111,774,335},{111,775,559},{111,776,246},{111,777,7887},{111,779,337},
   {111,780,466},{111,783,525},{111,785,527},{111,795,417},{111,803,7885},{111,808,491},
   {112,769,7765},{112,775,7767},{114,769,341},{114,775,7769},{114,780,345},{114,783,529},
   {114,785,531},{114,803,7771},{114,807,343},{114,817,7775},{115,769,347},{115,770,349},
   {115,775,7777},{115,780,353},{115,803,7779},{115,806,537},{115,807,351},{116,775,7787},
   {116,776,7831},{116,780,357},{116,803,7789},{116,806,539},{116,807,355},{116,813,7793},
   {116,817,7791},{117,768,249},{117,769,250},{117,770,251},{117,771,361},{117,772,363},
   {117,774,365},{117,776,252},{117,777,7911},{117,778,367},{117,779,369},{117,780,468},
   {117,783,533},{117,785,535},{117,795,432},{117,803,7909},{117,804,7795},{117,808,371},
   {117,813,7799},{117,816,7797},{118,771,7805},{118,803,7807},{119,768,7809},{119,769,7811},
   {119,770,373},{119,775,7815},{119,776,7813},{119,778,7832},{119,803,7817},{120,775,7819},
   {120,776,7821},{121,768,7923},{121,769,253},{121,770,375},{121,771,7929},{121,772,563},
   {121,775,7823},{121,776,255},{121,777,7927},{121,778,7833},{121,803,7925},{122,769,378},
   {122,770,7825},{122,775,380},{122,780,382},{122,803,7827},{122,817,7829},{168,768,8173},
   {168,769,901},{168,834,8129},{194,768,7846},{194,769,7844},{194,771,7850},{194,777,7848},
   {196,772,478},{197,769,506},{198,769,508},{198,772,482},{199,769,7688},{202,768,7872},
   {202,769,7870},{202,771,7876},{202,777,7874},{207,769,7726},{212,768,7890},{212,769,7888},
   {212,771,7894},{212,777,7892},{213,769,7756},{213,772,556},{213,776,7758},{214,772,554},
   {216,769,510},{220,768,475},{220,769,471},{220,772,469},{220,780,473},{226,768,7847},
   {226,769,7845},{226,771,7851},{226,777,7849},{228,772,479},{229,769,507},{230,769,509},
   {230,772,483},{231,769,7689},{234,768,7873},{234,769,7871},{234,771,7877},{234,777,7875},
   {239,769,7727},{244,768,7891},{244,769,7889},{244,771,7895},{244,777,7893},{245,769,7757},
   {245,772,557},{245,776,7759},{246,772,555},{248,769,511},{252,768,476},{252,769,472},
   {252,772,470},{252,780,474},{258,768,7856},{258,769,7854},{258,771,7860},{258,777,7858},
   {259,768,7857},{259,769,7855},{259,771,7861},{259,777,7859},{274,768,7700},{274,769,7702},
   {275,768,7701},{275,769,7703},{332,768,7760},{332,769,7762},{333,768,7761},{333,769,7763},
   {346,775,7780},{347,775,7781},{352,775,7782},{353,775,7783},{360,769,7800},{361,769,7801},
   {362,776,7802},{363,776,7803},{383,775,7835},{416,768,7900},{416,769,7898},{416,771,7904},
   {416,777,7902},{416,803,7906},{417,768,7901},{417,769,7899},{417,771,7905},{417,777,7903},
   {417,803,7907},{431,768,7914},{431,769,7912},{431,771,7918},{431,777,7916},{431,803,7920},
   {432,768,7915},{432,769,7913},{432,771,7919},{432,777,7917},{432,803,7921},{439,780,494},
   {490,772,492},{491,772,493},{550,772,480},{551,772,481},{552,774,7708},{553,774,7709},
   {558,772,560},{559,772,561},{658,780,495},{913,768,8122},{913,769,902},{913,772,8121},
   {913,774,8120},{913,787,7944},{913,788,7945},{913,837,8124},{917,768,8136},{917,769,904},
   {917,787,7960},{917,788,7961},{919,768,8138},{919,769,905},{919,787,7976},{919,788,7977},
   {919,837,8140},{921,768,8154},{921,769,906},{921,772,8153},{921,774,8152},{921,776,938},
   {921,787,7992},{921,788,7993},{927,768,8184},{927,769,908},{927,787,8008},{927,788,8009},
   {929,788,8172},{933,768,8170},{933,769,910},{933,772,8169},{933,774,8168},{933,776,939},
   {933,788,8025},{937,768,8186},{937,769,911},{937,787,8040},{937,788,8041},{937,837,8188},
   {940,837,8116},{942,837,8132},{945,768,8048},{945,769,940},{945,772,8113},{945,774,8112},
   {945,787,7936},{945,788,7937},{945,834,8118},{945,837,8115},{949,768,8050},{949,769,941},
   {949,787,7952},{949,788,7953},{951,768,8052},{951,769,942},{951,787,7968},{951,788,7969},
   {951,834,8134},{951,837,8131},{953,768,8054},{953,769,943},{953,772,8145},{953,774,8144},
   {953,776,970},{953,787,7984},{953,788,7985},{953,834,8150},{959,768,8056},{959,769,972},
   {959,787,8000},{959,788,8001},{961,787,8164},{961,788,8165},{965,768,8058},{965,769,973},
   {965,772,8161},{965,774,8160},{965,776,971},{965,787,8016},{965,788,8017},{965,834,8166},
   {969,768,8060},{969,769,974},{969,787,8032},{969,788,8033},{969,834,8182},{969,837,8179},
   {970,768,8146},{970,769,912},{970,834,8151},{971,768,8162},{971,769,944},{971,834,8167},
   {974,837,8180},{978,769,979},{978,776,980},{1030,776,1031},{1040,774,1232},{1040,776,1234},
   {1043,769,1027},{1045,768,1024},{1045,774,1238},{1045,776,1025},{1046,774,1217},{1046,776,1244},
   {1047,776,1246},{1048,768,1037},{1048,772,1250},{1048,774,1049},{1048,776,1252},{1050,769,1036},
   {1054,776,1254},{1059,772,1262},{1059,774,1038},{1059,776,1264},{1059,779,1266},{1063,776,1268},
   {1067,776,1272},{1069,776,1260},{1072,774,1233},{1072,776,1235},{1075,769,1107},{1077,768,1104},
   {1077,774,1239},{1077,776,1105},{1078,774,1218},{1078,776,1245},{1079,776,1247},{1080,768,1117},
   {1080,772,1251},{1080,774,1081},{1080,776,1253},{1082,769,1116},{1086,776,1255},{1091,772,1263},
   {1091,774,1118},{1091,776,1265},{1091,779,1267},{1095,776,1269},{1099,776,1273},{1101,776,1261},
   {1110,776,1111},{1140,783,1142},{1141,783,1143},{1240,776,1242},{1241,776,1243},{1256,776,1258},
   {1257,776,1259},{1575,1619,1570},{1575,1620,1571},{1575,1621,1573},{1608,1620,1572},
   {1610,1620,1574},{1729,1620,1730},{1746,1620,1747},{1749,1620,1728},{2344,2364,2345},
   {2352,2364,2353},{2355,2364,2356},{2503,2494,2507},{2503,2519,2508},{2887,2878,2891},
   {2887,2902,2888},{2887,2903,2892},{2962,3031,2964},{3014,3006,3018},{3014,3031,3020},
   {3015,3006,3019},{3142,3158,3144},{3263,3285,3264},{3270,3266,3274},{3270,3285,3271},
   {3270,3286,3272},{3274,3285,3275},{3398,3390,3402},{3398,3415,3404},{3399,3390,3403},
   {3545,3530,3546},{3545,3535,3548},{3545,3551,3550},{3548,3530,3549},{4133,4142,4134},
   {6917,6965,6918},{6919,6965,6920},{6921,6965,6922},{6923,6965,6924},{6925,6965,6926},
   {6929,6965,6930},{6970,6965,6971},{6972,6965,6973},{6974,6965,6976},{6975,6965,6977},
   {6978,6965,6979},{7734,772,7736},{7735,772,7737},{7770,772,7772},{7771,772,7773},{7778,775,7784},
   {7779,775,7785},{7840,770,7852},{7840,774,7862},{7841,770,7853},{7841,774,7863},{7864,770,7878},
   {7865,770,7879},{7884,770,7896},{7885,770,7897},{7936,768,7938},{7936,769,7940},{7936,834,7942},
   {7936,837,8064},{7937,768,7939},{7937,769,7941},{7937,834,7943},{7937,837,8065},{7938,837,8066},
   {7939,837,8067},{7940,837,8068},{7941,837,8069},{7942,837,8070},{7943,837,8071},{7944,768,7946},
   {7944,769,7948},{7944,834,7950},{7944,837,8072},{7945,768,7947},{7945,769,7949},{7945,834,7951},
   {7945,837,8073},{7946,837,8074},{7947,837,8075},{7948,837,8076},{7949,837,8077},{7950,837,8078},
   {7951,837,8079},{7952,768,7954},{7952,769,7956},{7953,768,7955},{7953,769,7957},{7960,768,7962},
   {7960,769,7964},{7961,768,7963},{7961,769,7965},{7968,768,7970},{7968,769,7972},{7968,834,7974},
   {7968,837,8080},{7969,768,7971},{7969,769,7973},{7969,834,7975},{7969,837,8081},{7970,837,8082},
   {7971,837,8083},{7972,837,8084},{7973,837,8085},{7974,837,8086},{7975,837,8087},{7976,768,7978},
   {7976,769,7980},{7976,834,7982},{7976,837,8088},{7977,768,7979},{7977,769,7981},{7977,834,7983},
   {7977,837,8089},{7978,837,8090},{7979,837,8091},{7980,837,8092},{7981,837,8093},{7982,837,8094},
   {7983,837,8095},{7984,768,7986},{7984,769,7988},{7984,834,7990},{7985,768,7987},{7985,769,7989},
   {7985,834,7991},{7992,768,7994},{7992,769,7996},{7992,834,7998},{7993,768,7995},{7993,769,7997},
   {7993,834,7999},{8000,768,8002},{8000,769,8004},{8001,768,8003},{8001,769,8005},{8008,768,8010},
   {8008,769,8012},{8009,768,8011},{8009,769,8013},{8016,768,8018},{8016,769,8020},{8016,834,8022},
   {8017,768,8019},{8017,769,8021},{8017,834,8023},{8025,768,8027},{8025,769,8029},{8025,834,8031},
   {8032,768,8034},{8032,769,8036},{8032,834,8038},{8032,837,8096},{8033,768,8035},{8033,769,8037},
   {8033,834,8039},{8033,837,8097},{8034,837,8098},{8035,837,8099},{8036,837,8100},{8037,837,8101},
   {8038,837,8102},{8039,837,8103},{8040,768,8042},{8040,769,8044},{8040,834,8046},{8040,837,8104},
   {8041,768,8043},{8041,769,8045},{8041,834,8047},{8041,837,8105},{8042,837,8106},{8043,837,8107},
   {8044,837,8108},{8045,837,8109},{8046,837,8110},{8047,837,8111},{8048,837,8114},{8052,837,8130},
   {8060,837,8178},{8118,837,8119},{8127,768,8141},{8127,769,8142},{8127,834,8143},{8134,837,8135},
   {8182,837,8183},{8190,768,8157},{8190,769,8158},{8190,834,8159},{8592,824,8602},{8594,824,8603},
   {8596,824,8622},{8656,824,8653},{8658,824,8655},{8660,824,8654},{8707,824,8708},{8712,824,8713},
   {8715,824,8716},{8739,824,8740},{8741,824,8742},{8764,824,8769},{8771,824,8772},{8773,824,8775},
   {8776,824,8777},{8781,824,8813},{8801,824,8802},{8804,824,8816},{8805,824,8817},{8818,824,8820},
   {8819,824,8821},{8822,824,8824},{8823,824,8825},{8826,824,8832},{8827,824,8833},{8828,824,8928},
   {8829,824,8929},{8834,824,8836},{8835,824,8837},{8838,824,8840},{8839,824,8841},{8849,824,8930},
   {8850,824,8931},{8866,824,8876},{8872,824,8877},{8873,824,8878},{8875,824,8879},{8882,824,8938},
   {8883,824,8939},{8884,824,8940},{8885,824,8941},{12358,12441,12436},{12363,12441,12364},
   {12365,12441,12366},{12367,12441,12368},{12369,12441,12370},{12371,12441,12372},
   {12373,12441,12374},{12375,12441,12376},{12377,12441,12378},{12379,12441,12380},
   {12381,12441,12382},{12383,12441,12384},{12385,12441,12386},{12388,12441,12389},
   {12390,12441,12391},{12392,12441,12393},{12399,12441,12400},{12399,12442,12401},
   {12402,12441,12403},{12402,12442,12404},{12405,12441,12406},{12405,12442,12407},
   {12408,12441,12409},{12408,12442,12410},{12411,12441,12412},{12411,12442,12413},
   {12445,12441,12446},{12454,12441,12532},{12459,12441,12460},{12461,12441,12462},
   {12463,12441,12464},{12465,12441,12466},{12467,12441,12468},{12469,12441,12470},
   {12471,12441,12472},{12473,12441,12474},{12475,12441,12476},{12477,12441,12478},
   {12479,12441,12480},{12481,12441,12482},{12484,12441,12485},{12486,12441,12487},
   {12488,12441,12489},{12495,12441,12496},{12495,12442,12497},{12498,12441,12499},
   {12498,12442,12500},{12501,12441,12502},{12501,12442,12503},{12504,12441,12505},
   {12504,12442,12506},{12507,12441,12508},{12507,12442,12509},{12527,12441,12535},
   {12528,12441,12536},{12529,12441,12537},{12530,12441,12538},{12541,12441,12542},
   {69785,69818,69786},{69787,69818,69788},{69797,69818,69803},{69937,69927,69934},
   {69938,69927,69935},{70471,70462,70475},{70471,70487,70476},{70841,70832,70844},
   {70841,70842,70843},{70841,70845,70846},{71096,71087,71098},{71097,71087,71099},
   {71989,71984,71992},
};
/* simple lowercase (UnicodeData field 13): 181 runs {first, count, stride, delta}:
   cp = first + k * stride (k < count) maps to cp + delta. */
static const tfm__uc_case_run tfm__uc_lower_runs[181] = {
   {65,26,1,32},{192,23,1,32},{216,7,1,32},{256,24,2,1},{306,3,2,1},{313,8,2,1},{330,23,2,1},
   {376,1,1,-121},{377,3,2,1},{385,1,1,210},{386,2,2,1},{390,1,1,206},{391,1,1,1},{393,2,1,205},
   {395,1,1,1},{398,1,1,79},{399,1,1,202},{400,1,1,203},{401,1,1,1},{403,1,1,205},{404,1,1,207},
   {406,1,1,211},{407,1,1,209},{408,1,1,1},{412,1,1,211},{413,1,1,213},{415,1,1,214},{416,3,2,1},
   {422,1,1,218},{423,1,1,1},{425,1,1,218},{428,1,1,1},{430,1,1,218},{431,1,1,1},{433,2,1,217},
   {435,2,2,1},{439,1,1,219},{440,1,1,1},{444,1,1,1},{452,1,1,2},{453,1,1,1},{455,1,1,2},
   {456,1,1,1},{458,1,1,2},{459,9,2,1},{478,9,2,1},{497,1,1,2},{498,2,2,1},{502,1,1,-97},
   {503,1,1,-56},{504,20,2,1},{544,1,1,-130},{546,9,2,1},{570,1,1,10795},{571,1,1,1},{573,1,1,-163},
   {574,1,1,10792},{577,1,1,1},{579,1,1,-195},{580,1,1,69},{581,1,1,71},{582,5,2,1},{880,2,2,1},
   {886,1,1,1},{895,1,1,116},{902,1,1,38},{904,3,1,37},{908,1,1,64},{910,2,1,63},{913,17,1,32},
   {931,9,1,32},{975,1,1,8},{984,12,2,1},{1012,1,1,-60},{1015,1,1,1},{1017,1,1,-7},{1018,1,1,1},
   {1021,3,1,-130},{1024,16,1,80},{1040,32,1,32},{1120,17,2,1},{1162,27,2,1},{1216,1,1,15},
   {1217,7,2,1},{1232,48,2,1},{1329,38,1,48},{4256,38,1,7264},{4295,1,1,7264},{4301,1,1,7264},
   {5024,80,1,38864},{5104,6,1,8},{7312,43,1,-3008},{7357,3,1,-3008},{7680,75,2,1},{7838,1,1,-7615},
   {7840,48,2,1},{7944,8,1,-8},{7960,6,1,-8},{7976,8,1,-8},{7992,8,1,-8},{8008,6,1,-8},
   {8025,4,2,-8},{8040,8,1,-8},{8072,8,1,-8},{8088,8,1,-8},{8104,8,1,-8},{8120,2,1,-8},
   {8122,2,1,-74},{8124,1,1,-9},{8136,4,1,-86},{8140,1,1,-9},{8152,2,1,-8},{8154,2,1,-100},
   {8168,2,1,-8},{8170,2,1,-112},{8172,1,1,-7},{8184,2,1,-128},{8186,2,1,-126},{8188,1,1,-9},
   {8486,1,1,-7517},{8490,1,1,-8383},{8491,1,1,-8262},{8498,1,1,28},{8544,16,1,16},{8579,1,1,1},
   {9398,26,1,26},{11264,48,1,48},{11360,1,1,1},{11362,1,1,-10743},{11363,1,1,-3814},
   {11364,1,1,-10727},{11367,3,2,1},{11373,1,1,-10780},{11374,1,1,-10749},{11375,1,1,-10783},
   {11376,1,1,-10782},{11378,1,1,1},{11381,1,1,1},{11390,2,1,-10815},{11392,50,2,1},{11499,2,2,1},
   {11506,1,1,1},{42560,23,2,1},{42624,14,2,1},{42786,7,2,1},{42802,31,2,1},{42873,2,2,1},
   {42877,1,1,-35332},{42878,5,2,1},{42891,1,1,1},{42893,1,1,-42280},{42896,2,2,1},{42902,10,2,1},
   {42922,1,1,-42308},{42923,1,1,-42319},{42924,1,1,-42315},{42925,1,1,-42305},{42926,1,1,-42308},
   {42928,1,1,-42258},{42929,1,1,-42282},{42930,1,1,-42261},{42931,1,1,928},{42932,8,2,1},
   {42948,1,1,-48},{42949,1,1,-42307},{42950,1,1,-35384},{42951,2,2,1},{42960,1,1,1},{42966,2,2,1},
   {42997,1,1,1},{65313,26,1,32},{66560,40,1,40},{66736,36,1,40},{66928,11,1,39},{66940,15,1,39},
   {66956,7,1,39},{66964,2,1,39},{68736,51,1,64},{71840,32,1,32},{93760,32,1,32},{125184,34,1,34},
};
#ifdef TFM_UNICODE_UPPERCASE /* unused by the tokenizers; kept for callers that want it */
/* simple uppercase (UnicodeData field 12): 194 runs {first, count, stride, delta}:
   cp = first + k * stride (k < count) maps to cp + delta. */
static const tfm__uc_case_run tfm__uc_upper_runs[194] = {
   {97,26,1,-32},{181,1,1,743},{224,23,1,-32},{248,7,1,-32},{255,1,1,121},{257,24,2,-1},
   {305,1,1,-232},{307,3,2,-1},{314,8,2,-1},{331,23,2,-1},{378,3,2,-1},{383,1,1,-300},{384,1,1,195},
   {387,2,2,-1},{392,1,1,-1},{396,1,1,-1},{402,1,1,-1},{405,1,1,97},{409,1,1,-1},{410,1,1,163},
   {414,1,1,130},{417,3,2,-1},{424,1,1,-1},{429,1,1,-1},{432,1,1,-1},{436,2,2,-1},{441,1,1,-1},
   {445,1,1,-1},{447,1,1,56},{453,1,1,-1},{454,1,1,-2},{456,1,1,-1},{457,1,1,-2},{459,1,1,-1},
   {460,1,1,-2},{462,8,2,-1},{477,1,1,-79},{479,9,2,-1},{498,1,1,-1},{499,1,1,-2},{501,1,1,-1},
   {505,20,2,-1},{547,9,2,-1},{572,1,1,-1},{575,2,1,10815},{578,1,1,-1},{583,5,2,-1},
   {592,1,1,10783},{593,1,1,10780},{594,1,1,10782},{595,1,1,-210},{596,1,1,-206},{598,2,1,-205},
   {601,1,1,-202},{603,1,1,-203},{604,1,1,42319},{608,1,1,-205},{609,1,1,42315},{611,1,1,-207},
   {613,1,1,42280},{614,1,1,42308},{616,1,1,-209},{617,1,1,-211},{618,1,1,42308},{619,1,1,10743},
   {620,1,1,42305},{623,1,1,-211},{625,1,1,10749},{626,1,1,-213},{629,1,1,-214},{637,1,1,10727},
   {640,1,1,-218},{642,1,1,42307},{643,1,1,-218},{647,1,1,42282},{648,1,1,-218},{649,1,1,-69},
   {650,2,1,-217},{652,1,1,-71},{658,1,1,-219},{669,1,1,42261},{670,1,1,42258},{837,1,1,84},
   {881,2,2,-1},{887,1,1,-1},{891,3,1,130},{940,1,1,-38},{941,3,1,-37},{945,17,1,-32},{962,1,1,-31},
   {963,9,1,-32},{972,1,1,-64},{973,2,1,-63},{976,1,1,-62},{977,1,1,-57},{981,1,1,-47},
   {982,1,1,-54},{983,1,1,-8},{985,12,2,-1},{1008,1,1,-86},{1009,1,1,-80},{1010,1,1,7},
   {1011,1,1,-116},{1013,1,1,-96},{1016,1,1,-1},{1019,1,1,-1},{1072,32,1,-32},{1104,16,1,-80},
   {1121,17,2,-1},{1163,27,2,-1},{1218,7,2,-1},{1231,1,1,-15},{1233,48,2,-1},{1377,38,1,-48},
   {4304,43,1,3008},{4349,3,1,3008},{5112,6,1,-8},{7296,1,1,-6254},{7297,1,1,-6253},
   {7298,1,1,-6244},{7299,2,1,-6242},{7301,1,1,-6243},{7302,1,1,-6236},{7303,1,1,-6181},
   {7304,1,1,35266},{7545,1,1,35332},{7549,1,1,3814},{7566,1,1,35384},{7681,75,2,-1},{7835,1,1,-59},
   {7841,48,2,-1},{7936,8,1,8},{7952,6,1,8},{7968,8,1,8},{7984,8,1,8},{8000,6,1,8},{8017,4,2,8},
   {8032,8,1,8},{8048,2,1,74},{8050,4,1,86},{8054,2,1,100},{8056,2,1,128},{8058,2,1,112},
   {8060,2,1,126},{8112,2,1,8},{8126,1,1,-7205},{8144,2,1,8},{8160,2,1,8},{8165,1,1,7},
   {8526,1,1,-28},{8560,16,1,-16},{8580,1,1,-1},{9424,26,1,-26},{11312,48,1,-48},{11361,1,1,-1},
   {11365,1,1,-10795},{11366,1,1,-10792},{11368,3,2,-1},{11379,1,1,-1},{11382,1,1,-1},
   {11393,50,2,-1},{11500,2,2,-1},{11507,1,1,-1},{11520,38,1,-7264},{11559,1,1,-7264},
   {11565,1,1,-7264},{42561,23,2,-1},{42625,14,2,-1},{42787,7,2,-1},{42803,31,2,-1},{42874,2,2,-1},
   {42879,5,2,-1},{42892,1,1,-1},{42897,2,2,-1},{42900,1,1,48},{42903,10,2,-1},{42933,8,2,-1},
   {42952,2,2,-1},{42961,1,1,-1},{42967,2,2,-1},{42998,1,1,-1},{43859,1,1,-928},{43888,80,1,-38864},
   {65345,26,1,-32},{66600,40,1,-40},{66776,36,1,-40},{66967,11,1,-39},{66979,15,1,-39},
   {66995,7,1,-39},{67003,2,1,-39},{68800,51,1,-64},{71872,32,1,-32},{93792,32,1,-32},
   {125218,34,1,-34},
};
#endif
/* simple case folding (CaseFolding.txt C + S): 202 runs {first, count, stride, delta}:
   cp = first + k * stride (k < count) maps to cp + delta. */
static const tfm__uc_case_run tfm__uc_fold_runs[202] = {
   {65,26,1,32},{181,1,1,775},{192,23,1,32},{216,7,1,32},{256,24,2,1},{306,3,2,1},{313,8,2,1},
   {330,23,2,1},{376,1,1,-121},{377,3,2,1},{383,1,1,-268},{385,1,1,210},{386,2,2,1},{390,1,1,206},
   {391,1,1,1},{393,2,1,205},{395,1,1,1},{398,1,1,79},{399,1,1,202},{400,1,1,203},{401,1,1,1},
   {403,1,1,205},{404,1,1,207},{406,1,1,211},{407,1,1,209},{408,1,1,1},{412,1,1,211},{413,1,1,213},
   {415,1,1,214},{416,3,2,1},{422,1,1,218},{423,1,1,1},{425,1,1,218},{428,1,1,1},{430,1,1,218},
   {431,1,1,1},{433,2,1,217},{435,2,2,1},{439,1,1,219},{440,1,1,1},{444,1,1,1},{452,1,1,2},
   {453,1,1,1},{455,1,1,2},{456,1,1,1},{458,1,1,2},{459,9,2,1},{478,9,2,1},{497,1,1,2},{498,2,2,1},
   {502,1,1,-97},{503,1,1,-56},{504,20,2,1},{544,1,1,-130},{546,9,2,1},{570,1,1,10795},{571,1,1,1},
   {573,1,1,-163},{574,1,1,10792},{577,1,1,1},{579,1,1,-195},{580,1,1,69},{581,1,1,71},{582,5,2,1},
   {837,1,1,116},{880,2,2,1},{886,1,1,1},{895,1,1,116},{902,1,1,38},{904,3,1,37},{908,1,1,64},
   {910,2,1,63},{913,17,1,32},{931,9,1,32},{962,1,1,1},{975,1,1,8},{976,1,1,-30},{977,1,1,-25},
   {981,1,1,-15},{982,1,1,-22},{984,12,2,1},{1008,1,1,-54},{1009,1,1,-48},{1012,1,1,-60},
   {1013,1,1,-64},{1015,1,1,1},{1017,1,1,-7},{1018,1,1,1},{1021,3,1,-130},{1024,16,1,80},
   {1040,32,1,32},{1120,17,2,1},{1162,27,2,1},{1216,1,1,15},{1217,7,2,1},{1232,48,2,1},
   {1329,38,1,48},{4256,38,1,7264},{4295,1,1,7264},{4301,1,1,7264},{5112,6,1,-8},{7296,1,1,-6222},
   {7297,1,1,-6221},{7298,1,1,-6212},{7299,2,1,-6210},{7301,1,1,-6211},{7302,1,1,-6204},
   {7303,1,1,-6180},{7304,1,1,35267},{7312,43,1,-3008},{7357,3,1,-3008},{7680,75,2,1},
   {7835,1,1,-58},{7838,1,1,-7615},{7840,48,2,1},{7944,8,1,-8},{7960,6,1,-8},{7976,8,1,-8},
   {7992,8,1,-8},{8008,6,1,-8},{8025,4,2,-8},{8040,8,1,-8},{8072,8,1,-8},{8088,8,1,-8},
   {8104,8,1,-8},{8120,2,1,-8},{8122,2,1,-74},{8124,1,1,-9},{8126,1,1,-7173},{8136,4,1,-86},
   {8140,1,1,-9},{8152,2,1,-8},{8154,2,1,-100},{8168,2,1,-8},{8170,2,1,-112},{8172,1,1,-7},
   {8184,2,1,-128},{8186,2,1,-126},{8188,1,1,-9},{8486,1,1,-7517},{8490,1,1,-8383},{8491,1,1,-8262},
   {8498,1,1,28},{8544,16,1,16},{8579,1,1,1},{9398,26,1,26},{11264,48,1,48},{11360,1,1,1},
   {11362,1,1,-10743},{11363,1,1,-3814},{11364,1,1,-10727},{11367,3,2,1},{11373,1,1,-10780},
   {11374,1,1,-10749},{11375,1,1,-10783},{11376,1,1,-10782},{11378,1,1,1},{11381,1,1,1},
   {11390,2,1,-10815},{11392,50,2,1},{11499,2,2,1},{11506,1,1,1},{42560,23,2,1},{42624,14,2,1},
   {42786,7,2,1},{42802,31,2,1},{42873,2,2,1},{42877,1,1,-35332},{42878,5,2,1},{42891,1,1,1},
   {42893,1,1,-42280},{42896,2,2,1},{42902,10,2,1},{42922,1,1,-42308},{42923,1,1,-42319},
   {42924,1,1,-42315},{42925,1,1,-42305},{42926,1,1,-42308},{42928,1,1,-42258},{42929,1,1,-42282},
   {42930,1,1,-42261},{42931,1,1,928},{42932,8,2,1},{42948,1,1,-48},{42949,1,1,-42307},
   {42950,1,1,-35384},{42951,2,2,1},{42960,1,1,1},{42966,2,2,1},{42997,1,1,1},{43888,80,1,-38864},
   {65313,26,1,32},{66560,40,1,40},{66736,36,1,40},{66928,11,1,39},{66940,15,1,39},{66956,7,1,39},
   {66964,2,1,39},{68736,51,1,64},{71840,32,1,32},{93760,32,1,32},{125184,34,1,34},
};
/* Unconditional SpecialCasing entries with a multi-code-point lowercase or uppercase;
   the other direction is filled with the simple mapping. Zero-padded. */
static const tfm__uc_case_special tfm__uc_case_specials[103] = {
    {223,{223,0,0},{83,83,0}},
    {304,{105,775,0},{304,0,0}},
    {329,{329,0,0},{700,78,0}},
    {496,{496,0,0},{74,780,0}},
    {912,{912,0,0},{921,776,769}},
    {944,{944,0,0},{933,776,769}},
    {1415,{1415,0,0},{1333,1362,0}},
    {7830,{7830,0,0},{72,817,0}},
    {7831,{7831,0,0},{84,776,0}},
    {7832,{7832,0,0},{87,778,0}},
    {7833,{7833,0,0},{89,778,0}},
    {7834,{7834,0,0},{65,702,0}},
    {8016,{8016,0,0},{933,787,0}},
    {8018,{8018,0,0},{933,787,768}},
    {8020,{8020,0,0},{933,787,769}},
    {8022,{8022,0,0},{933,787,834}},
    {8064,{8064,0,0},{7944,921,0}},
    {8065,{8065,0,0},{7945,921,0}},
    {8066,{8066,0,0},{7946,921,0}},
    {8067,{8067,0,0},{7947,921,0}},
    {8068,{8068,0,0},{7948,921,0}},
    {8069,{8069,0,0},{7949,921,0}},
    {8070,{8070,0,0},{7950,921,0}},
    {8071,{8071,0,0},{7951,921,0}},
    {8072,{8064,0,0},{7944,921,0}},
    {8073,{8065,0,0},{7945,921,0}},
    {8074,{8066,0,0},{7946,921,0}},
    {8075,{8067,0,0},{7947,921,0}},
    {8076,{8068,0,0},{7948,921,0}},
    {8077,{8069,0,0},{7949,921,0}},
    {8078,{8070,0,0},{7950,921,0}},
    {8079,{8071,0,0},{7951,921,0}},
    {8080,{8080,0,0},{7976,921,0}},
    {8081,{8081,0,0},{7977,921,0}},
    {8082,{8082,0,0},{7978,921,0}},
    {8083,{8083,0,0},{7979,921,0}},
    {8084,{8084,0,0},{7980,921,0}},
    {8085,{8085,0,0},{7981,921,0}},
    {8086,{8086,0,0},{7982,921,0}},
    {8087,{8087,0,0},{7983,921,0}},
    {8088,{8080,0,0},{7976,921,0}},
    {8089,{8081,0,0},{7977,921,0}},
    {8090,{8082,0,0},{7978,921,0}},
    {8091,{8083,0,0},{7979,921,0}},
    {8092,{8084,0,0},{7980,921,0}},
    {8093,{8085,0,0},{7981,921,0}},
    {8094,{8086,0,0},{7982,921,0}},
    {8095,{8087,0,0},{7983,921,0}},
    {8096,{8096,0,0},{8040,921,0}},
    {8097,{8097,0,0},{8041,921,0}},
    {8098,{8098,0,0},{8042,921,0}},
    {8099,{8099,0,0},{8043,921,0}},
    {8100,{8100,0,0},{8044,921,0}},
    {8101,{8101,0,0},{8045,921,0}},
    {8102,{8102,0,0},{8046,921,0}},
    {8103,{8103,0,0},{8047,921,0}},
    {8104,{8096,0,0},{8040,921,0}},
    {8105,{8097,0,0},{8041,921,0}},
    {8106,{8098,0,0},{8042,921,0}},
    {8107,{8099,0,0},{8043,921,0}},
    {8108,{8100,0,0},{8044,921,0}},
    {8109,{8101,0,0},{8045,921,0}},
    {8110,{8102,0,0},{8046,921,0}},
    {8111,{8103,0,0},{8047,921,0}},
    {8114,{8114,0,0},{8122,921,0}},
    {8115,{8115,0,0},{913,921,0}},
    {8116,{8116,0,0},{902,921,0}},
    {8118,{8118,0,0},{913,834,0}},
    {8119,{8119,0,0},{913,834,921}},
    {8124,{8115,0,0},{913,921,0}},
    {8130,{8130,0,0},{8138,921,0}},
    {8131,{8131,0,0},{919,921,0}},
    {8132,{8132,0,0},{905,921,0}},
    {8134,{8134,0,0},{919,834,0}},
    {8135,{8135,0,0},{919,834,921}},
    {8140,{8131,0,0},{919,921,0}},
    {8146,{8146,0,0},{921,776,768}},
    {8147,{8147,0,0},{921,776,769}},
    {8150,{8150,0,0},{921,834,0}},
    {8151,{8151,0,0},{921,776,834}},
    {8162,{8162,0,0},{933,776,768}},
    {8163,{8163,0,0},{933,776,769}},
    {8164,{8164,0,0},{929,787,0}},
    {8166,{8166,0,0},{933,834,0}},
    {8167,{8167,0,0},{933,776,834}},
    {8178,{8178,0,0},{8186,921,0}},
    {8179,{8179,0,0},{937,921,0}},
    {8180,{8180,0,0},{911,921,0}},
    {8182,{8182,0,0},{937,834,0}},
    {8183,{8183,0,0},{937,834,921}},
    {8188,{8179,0,0},{937,921,0}},
    {64256,{64256,0,0},{70,70,0}},
    {64257,{64257,0,0},{70,73,0}},
    {64258,{64258,0,0},{70,76,0}},
    {64259,{64259,0,0},{70,70,73}},
    {64260,{64260,0,0},{70,70,76}},
    {64261,{64261,0,0},{83,84,0}},
    {64262,{64262,0,0},{83,84,0}},
    {64275,{64275,0,0},{1348,1350,0}},
    {64276,{64276,0,0},{1348,1333,0}},
    {64277,{64277,0,0},{1348,1339,0}},
    {64278,{64278,0,0},{1358,1350,0}},
    {64279,{64279,0,0},{1348,1341,0}},
};

/* ---- properties ---- */
static int tfm__uc_category(uint32_t cp) {
    if (cp > 0x10FFFFu) return TFM__UC_CN;
    return (int)(tfm__uc_prop_get(cp) & 31u);
}
static int tfm__uc_is_whitespace(uint32_t cp) {
    if (cp < 128) return cp == 32 || (cp >= 9 && cp <= 13);
    return cp <= 0x10FFFFu && ((tfm__uc_prop_get(cp) >> 5) & 1u);
}
static int tfm__uc_is_alphabetic(uint32_t cp) {
    if (cp < 128) return (cp | 32u) >= 'a' && (cp | 32u) <= 'z';
    return cp <= 0x10FFFFu && ((tfm__uc_prop_get(cp) >> 6) & 1u);
}
static int tfm__uc_is_numeric(uint32_t cp) {
    int c;
    if (cp < 128) return cp >= '0' && cp <= '9';
    c = tfm__uc_category(cp);
    return c == TFM__UC_ND || c == TFM__UC_NL || c == TFM__UC_NO;
}
/* unicode-normalization's is_combining_mark is General_Category=Mark (Mn | Mc | Me). */
static int tfm__uc_is_combining_mark(uint32_t cp) {
    int c = tfm__uc_category(cp);
    return c == TFM__UC_MN || c == TFM__UC_MC || c == TFM__UC_ME;
}
/* BERT's _is_chinese_char ranges (transformers BasicTokenizer, tokenizers BertNormalizer). */
static int tfm__uc_is_cjk_ideograph(uint32_t cp) {
    return (cp >= 0x4E00u && cp <= 0x9FFFu) || (cp >= 0x3400u && cp <= 0x4DBFu) ||
           (cp >= 0x20000u && cp <= 0x2A6DFu) || (cp >= 0x2A700u && cp <= 0x2B73Fu) ||
           (cp >= 0x2B740u && cp <= 0x2B81Fu) || (cp >= 0x2B920u && cp <= 0x2CEAFu) ||
           (cp >= 0xF900u && cp <= 0xFAFFu) || (cp >= 0x2F800u && cp <= 0x2FA1Fu);
}
/* BERT's _is_punctuation: every non-alphanumeric printable ASCII char, or category P*. */
static int tfm__uc_is_bert_punct(uint32_t cp) {
    int c;
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) ||
        (cp >= 123 && cp <= 126))
        return 1;
    if (cp < 128) return 0;
    c = tfm__uc_category(cp);
    return c >= TFM__UC_PC && c <= TFM__UC_PO;
}
static int tfm__uc_ccc(uint32_t cp) {
    if (cp < 0x300u || cp > 0x10FFFFu) return 0;
    return (int)tfm__uc_ccc_get(cp);
}

/* ---- case mapping ---- */
static uint32_t tfm__uc_case_find(const tfm__uc_case_run *runs, int n, uint32_t cp) {
    int lo = 0, hi = n - 1;
    uint32_t d;
    while (lo <= hi) { /* last run whose first code point is <= cp */
        int mid = lo + (hi - lo) / 2;
        if (runs[mid].first <= cp) lo = mid + 1;
        else hi = mid - 1;
    }
    if (hi < 0) return cp;
    d = cp - runs[hi].first;
    if (d % runs[hi].stride != 0 || d / runs[hi].stride >= runs[hi].count) return cp;
    return (uint32_t)((int32_t)cp + runs[hi].delta);
}
static const tfm__uc_case_special *tfm__uc_case_special_find(uint32_t cp) {
    int lo = 0, hi = 103 - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (tfm__uc_case_specials[mid].cp == cp) return &tfm__uc_case_specials[mid];
        if (tfm__uc_case_specials[mid].cp < cp) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}
static int tfm__uc_copy_special(const uint32_t *src, uint32_t out[3]) {
    int k = 0;
    while (k < 3 && src[k]) { out[k] = src[k]; k++; }
    return k;
}
static int tfm__uc_to_lower(uint32_t cp, uint32_t out[3]) {
    const tfm__uc_case_special *s;
    if (cp < 128) { out[0] = (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp; return 1; }
    if ((s = tfm__uc_case_special_find(cp)) != NULL) return tfm__uc_copy_special(s->lower, out);
    out[0] = tfm__uc_case_find(tfm__uc_lower_runs, 181, cp);
    return 1;
}
#ifdef TFM_UNICODE_UPPERCASE
static int tfm__uc_to_upper(uint32_t cp, uint32_t out[3]) {
    const tfm__uc_case_special *s;
    if (cp < 128) { out[0] = (cp >= 'a' && cp <= 'z') ? cp - 32 : cp; return 1; }
    if ((s = tfm__uc_case_special_find(cp)) != NULL) return tfm__uc_copy_special(s->upper, out);
    out[0] = tfm__uc_case_find(tfm__uc_upper_runs, 194, cp);
    return 1;
}
#endif
static uint32_t tfm__uc_simple_fold(uint32_t cp) {
    if (cp < 128) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    return tfm__uc_case_find(tfm__uc_fold_runs, 202, cp);
}

/* ---- normalization ----

   How the Rust crate `unicode-normalization-alignments` (used by tokenizers'
   NormalizedString::nfd/nfkd/nfc/nfkc) reports changes, restated:

   Decomposition (NFD / NFKD). Each input char is fully decomposed (ASCII never decomposes,
   Hangul syllables arithmetically into L V [T], others through the recursive canonical or
   compatibility mapping). The first char of each input char's decomposition gets change 0
   ("replaces the input char"), every further one gets +1 ("inserted"); a char without a
   decomposition is itself with 0. Then every maximal run of chars with a non-zero combining
   class is stably sorted by class, and each char carries its change value with it while
   moving. So the changes still sum to (outputs - inputs) but after a reorder the values are
   no longer in input order: NFD of U+1E0B U+0323 yields d 0, U+0323 0, U+0307 +1.

   Composition (NFC / NFKC) runs over that decomposed stream. It keeps a "composee" (the last
   starter), the chars buffered after it, and the class of the last buffered char. A char with
   nothing to compose with (no starter seen yet) passes through with its own change. When a
   char composes with the composee, it disappears and the composee's change becomes
   (composee change + char change - 1): e + U+0301 (0, 0) gives é with -1, while e +1-inserted
   U+0301 (NFD of é) gives back é with 0. Composition is tried when nothing is buffered (even
   for two starters, e.g. Hangul L+V, LV+T) or when the last buffered class is lower than the
   char's class; otherwise the char is blocked and buffered, and a blocked starter flushes the
   composee and the buffer and becomes the new composee. Output order = composee, then its
   buffered chars, so the result is the standard NFC string; uncomposed chars keep their
   (possibly reordered) decomposition changes.

   The caller (tokenizers' NormalizedString::transform) walks the outputs in order: change <= 0
   consumes the next original char (and -n more), +1 inserts a char aligned like the previous
   output char. */
static uint32_t tfm__uc_compose_pair(uint32_t a, uint32_t b) {
    int lo = 0, hi = 941 - 1;
    if (a >= 0x1100u && a < 0x1100u + 19u && b >= 0x1161u && b < 0x1161u + 21u)
        return 0xAC00u + ((a - 0x1100u) * 21u + (b - 0x1161u)) * 28u;
    if (a >= 0xAC00u && a < 0xAC00u + 11172u && (a - 0xAC00u) % 28u == 0 && b > 0x11A7u &&
        b < 0x11A7u + 28u)
        return a + (b - 0x11A7u);
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        const tfm__uc_comp_pair *p = &tfm__uc_comp[mid];
        if (p->first == a && p->second == b) return p->composite;
        if (p->first < a || (p->first == a && p->second < b)) lo = mid + 1;
        else hi = mid - 1;
    }
    return 0;
}
/* Full decomposition of cp into out (room for TFM__UC_MAX_DECOMP); returns the count (>= 1). */
static int tfm__uc_decompose(uint32_t cp, int compat, uint32_t *out) {
    unsigned idx, h, cl, kl, k;
    const uint32_t *src;
    if (cp < 0xA0u || cp > 0x10FFFFu) { out[0] = cp; return 1; }
    if (cp >= 0xAC00u && cp < 0xAC00u + 11172u) {
        uint32_t s = cp - 0xAC00u;
        out[0] = 0x1100u + s / 588u;
        out[1] = 0x1161u + (s % 588u) / 28u;
        if (s % 28u == 0) return 2;
        out[2] = 0x11A7u + s % 28u;
        return 3;
    }
    idx = tfm__uc_dec_get(cp);
    if (idx == 0) { out[0] = cp; return 1; }
    h = tfm__uc_dec_pool[idx];
    cl = h & 31u;
    kl = (h >> 5) & 31u;
    if (compat && kl) src = tfm__uc_dec_pool + idx + 1 + cl;
    else if (cl) { src = tfm__uc_dec_pool + idx + 1; kl = cl; }
    else { out[0] = cp; return 1; }
    for (k = 0; k < kl; k++) out[k] = src[k];
    return (int)kl;
}
/* Stable sort of items [s, e) by combining class (counting sort through tmp). */
static void tfm__uc_sort_run(tfm__uc_change *buf, unsigned char *cc, int64_t s, int64_t e,
                             tfm__uc_change *tmp, unsigned char *tmpc) {
    int64_t i, j, pos[256];
    if (e - s <= 8) { /* insertion sort: the common short case */
        for (i = s + 1; i < e; i++) {
            tfm__uc_change x = buf[i];
            unsigned char c = cc[i];
            for (j = i; j > s && cc[j - 1] > c; j--) { buf[j] = buf[j - 1]; cc[j] = cc[j - 1]; }
            buf[j] = x;
            cc[j] = c;
        }
        return;
    }
    for (i = 0; i < 256; i++) pos[i] = 0;
    for (i = s; i < e; i++) pos[cc[i]]++;
    for (i = 0, j = 0; i < 256; i++) { int64_t t = pos[i]; pos[i] = j; j += t; }
    for (i = s; i < e; i++) { int64_t p = pos[cc[i]]++; tmp[p] = buf[i]; tmpc[p] = cc[i]; }
    for (i = s; i < e; i++) { buf[i] = tmp[i - s]; cc[i] = tmpc[i - s]; }
}
/* Normalizes n code points (form 0 NFD, 1 NFC, 2 NFKD, 3 NFKC) into *out (TFM_MALLOC'd, caller
   frees with TFM_FREE) with the change values of unicode-normalization-alignments. Returns the
   count, or -1 on allocation failure / size overflow (*out is then NULL). */
static int64_t tfm__uc_normalize(const uint32_t *in, int64_t n, int form, tfm__uc_change **out) {
    int compat = (form == TFM__UC_NFKD || form == TFM__UC_NFKC);
    int compose = (form == TFM__UC_NFC || form == TFM__UC_NFKC);
    uint32_t d[TFM__UC_MAX_DECOMP];
    tfm__uc_change *buf, *tmp = NULL;
    unsigned char *cc, *tmpc = NULL;
    int64_t total = 0, len = 0, i, s;
    *out = NULL;
    if (n < 0) return -1;
    for (i = 0; i < n; i++) total += tfm__uc_decompose(in[i], compat, d);
    if ((uint64_t)total > (uint64_t)(SIZE_MAX / sizeof(tfm__uc_change))) return -1;
    buf = (tfm__uc_change *)tfm__malloc((size_t)total * sizeof(tfm__uc_change));
    cc = (unsigned char *)tfm__malloc((size_t)total);
    if (!buf || !cc) goto fail;
    for (i = 0; i < n; i++) {
        int k, m = tfm__uc_decompose(in[i], compat, d);
        for (k = 0; k < m; k++) {
            buf[len].cp = d[k];
            buf[len].change = k ? 1 : 0;
            cc[len] = (unsigned char)tfm__uc_ccc(d[k]);
            len++;
        }
    }
    /* canonical ordering: stable sort of every maximal run of non-starters */
    for (s = 0; s < len;) {
        int64_t e;
        if (cc[s] == 0) { s++; continue; }
        for (e = s + 1; e < len && cc[e] != 0; e++) {}
        if (e - s > 1) {
            if (e - s > 8 && !tmp) {
                tmp = (tfm__uc_change *)tfm__malloc((size_t)len * sizeof(tfm__uc_change));
                tmpc = (unsigned char *)tfm__malloc((size_t)len);
                if (!tmp || !tmpc) goto fail;
            }
            tfm__uc_sort_run(buf, cc, s, e, tmp, tmpc);
        }
        s = e;
    }
    if (compose) { /* in place: the write index never passes the read index */
        int64_t w = 0, si = -1; /* si: output index of the composee, -1 before any starter */
        int last = -1;          /* class of the last char buffered after the composee, -1: none */
        for (i = 0; i < len; i++) {
            tfm__uc_change it = buf[i];
            int c = cc[i];
            if (si >= 0 && (last < 0 || last < c)) {
                uint32_t r = tfm__uc_compose_pair(buf[si].cp, it.cp);
                if (r) {
                    buf[si].cp = r;
                    buf[si].change += it.change - 1;
                    continue;
                }
            }
            if (c == 0) { si = w; last = -1; }
            else if (si >= 0) last = c;
            buf[w] = it;
            cc[w] = (unsigned char)c;
            w++;
        }
        len = w;
    }
    TFM_FREE(cc);
    TFM_FREE(tmp);
    TFM_FREE(tmpc);
    *out = buf;
    return len;
fail:
    TFM_FREE(buf);
    TFM_FREE(cc);
    TFM_FREE(tmp);
    TFM_FREE(tmpc);
    return -1;
}
/* END GENERATED UNICODE TABLES */


/* =============================================================================================
   [SECTION 12] regex: a small backtracking engine for tokenizer patterns (Oniguruma semantics)
   The `tokenizers` library compiles Split / Replace / ByteLevel / Whitespace regexes with
   Oniguruma (rust-onig, ONIG_SYNTAX_ONIGURUMA, ONIG_OPTION_NONE, UTF-8). This engine reproduces
   that dialect for the subset tokenizer files use, with the same leftmost, priority-ordered
   (Perl-style) backtracking semantics.

   Syntax (anything else is rejected at compile time with the column):
     literals (UTF-8), `.` (not \n; any char under (?m)), `|`, `( )`, `(?: )`, `(?<name> )`,
     `(?'name' )` (groups capture nothing: only the whole match is reported), `(?imx-imx)` and
     `(?imx-imx: )` (i: simple case folding, m: dot matches \n, x: extended), `(?= )`, `(?! )`,
     `(?<= )`, `(?<! )` (each alternative of a look-behind of fixed length), `(?> )`, `(?# )`;
     quantifiers `* + ? {n} {n,} {,m} {n,m}`, lazy `*? +? ?? {n,m}?`, possessive `*+ ++ ?+`;
     as in Oniguruma, `{n,m}+` is NOT possessive but a nested `+` ((?:x{n,m})+), `{n}?` is
     (?:x{n})?, and a `{` that does not start a valid interval is a literal;
     anchors `^ $` (line anchors: Oniguruma's default), `\A \z \Z \b \B \G`;
     escapes \t \n \r \f \v \a \e \cX \0oo \o{..} \xHH \x{H..} \uHHHH (raw bytes \xHH >= 0x80
     combine into one UTF-8 character, as Oniguruma reads them), \w \W \s \S \d \D \h \H,
     \p{..} \p{^..} \P{..} (general categories, one or two letters or long names, and Alpha,
     Alphabetic, Alnum, Digit, Space, White_Space, Word, Blank, Cntrl, Punct, XDigit, ASCII,
     Any, Assigned), \N \O \R; any other escaped character is that character (so `\pL` is a
     literal "pL", exactly as in Oniguruma);
     classes [...] with ranges, negation, escapes, properties, [:posix:] names and nested [...].
   Unicode definitions (Oniguruma with UTF-8): \s = White_Space, \d = Nd,
     \w = Alphabetic | M | Nd | Pc, \h = [0-9A-Fa-f]; \b uses \w.
   Not supported (error): back-references, \k \g \K \X \y \Y, conditionals, absent groups,
     callouts, class intersection `&&`, Unicode scripts and blocks, variable-length look-behind,
     multi-character case folding (ß vs ss).
   Matching runs on code points; an invalid UTF-8 byte is read as U+FFFD of length 1 (and a
   literal U+FFFD in the pattern matches it). The matcher is iterative with an explicit
   backtrack stack (64 entries on the C stack, then heap, at most 2^24) and a step budget of
   10M + 64 per byte of text per search: hostile pattern/input pairs end with TFM_ERR_LIMIT
   instead of hanging or overflowing the C stack. Compile errors are TFM_ERR_FORMAT with the
   1-based column. Speed: alternations of 3+ branches dispatch on the next byte through a
   table, each branch and loop is guarded by the set of bytes that can start it, single-
   character repeats run as one tight loop with a single backtrack entry (none when MATCH
   follows), and the search skips bytes that cannot start a match.
   API: tfm__re_compile / tfm__re_free / tfm__re_search, plus tfm__re_iter + tfm__re_next,
   which iterate exactly like rust-onig's find_iter (what tokenizers' Split uses).
   ============================================================================================= */

typedef struct tfm__re tfm__re;

#define TFM__RE_MAX_DEPTH 200           /* nesting of groups and classes */
#define TFM__RE_MAX_PROG (1 << 18)      /* instructions after expanding counted repeats */
#define TFM__RE_MAX_REPEAT 100000       /* Oniguruma's ONIG_MAX_REPEAT_NUM */
#define TFM__RE_STEP_BASE 10000000u     /* Oniguruma's default retry limit in match */
#define TFM__RE_MAX_FRAMES (1u << 24)   /* backtrack stack entries */
#define TFM__RE_NONE 0xFFFFFFFFu

enum { /* AST nodes */
    TFM__RE_N_EMPTY, TFM__RE_N_CHAR, TFM__RE_N_ANY, TFM__RE_N_CLASS, TFM__RE_N_CAT, TFM__RE_N_ALT,
    TFM__RE_N_REP, TFM__RE_N_LOOK, TFM__RE_N_ASSERT
};
enum { TFM__RE_GREEDY, TFM__RE_LAZY, TFM__RE_POSSESSIVE };
enum { TFM__RE_LK_AHEAD, TFM__RE_LK_NAHEAD, TFM__RE_LK_BEHIND, TFM__RE_LK_NBEHIND, TFM__RE_LK_ATOMIC };
enum {
    TFM__RE_AS_BOL, TFM__RE_AS_EOL, TFM__RE_AS_BOS, TFM__RE_AS_EOS, TFM__RE_AS_EOSNL, TFM__RE_AS_WORDB,
    TFM__RE_AS_NWORDB, TFM__RE_AS_GSTART
};
enum { /* single-character matchers (N_CHAR / N_ANY / N_CLASS, and the REP instruction) */
    TFM__RE_M_CHAR, TFM__RE_M_CHARI, TFM__RE_M_ANY, TFM__RE_M_ANYNL, TFM__RE_M_CLASS
};
enum { /* program */
    TFM__RE_OP_BYTES, TFM__RE_OP_ONE, TFM__RE_OP_REP, TFM__RE_OP_SPLIT, TFM__RE_OP_JMP, TFM__RE_OP_ASSERT,
    TFM__RE_OP_LOOK, TFM__RE_OP_LOOK_END, TFM__RE_OP_EC_START, TFM__RE_OP_EC_END, TFM__RE_OP_MATCH
};
enum { /* class items */
    TFM__RE_IK_RANGE, TFM__RE_IK_CATS, TFM__RE_IK_SPACE, TFM__RE_IK_WORD, TFM__RE_IK_ALPHA, TFM__RE_IK_ALNUM,
    TFM__RE_IK_BLANK, TFM__RE_IK_PUNCT, TFM__RE_IK_ANY, TFM__RE_IK_CLASS
};
enum { TFM__RE_BT_CHOICE, TFM__RE_BT_REPG, TFM__RE_BT_REPL, TFM__RE_BT_SLOT, TFM__RE_BT_LOOK };

#define TFM__RE_OPT_I 1u
#define TFM__RE_OPT_M 2u
#define TFM__RE_OPT_X 4u

#define TFM__RE_CAT_L ((1u << TFM__UC_LU) | (1u << TFM__UC_LL) | (1u << TFM__UC_LT) | (1u << TFM__UC_LM) | (1u << TFM__UC_LO))
#define TFM__RE_CAT_M ((1u << TFM__UC_MN) | (1u << TFM__UC_MC) | (1u << TFM__UC_ME))
#define TFM__RE_CAT_N ((1u << TFM__UC_ND) | (1u << TFM__UC_NL) | (1u << TFM__UC_NO))
#define TFM__RE_CAT_P                                                                                      \
    ((1u << TFM__UC_PC) | (1u << TFM__UC_PD) | (1u << TFM__UC_PS) | (1u << TFM__UC_PE) | (1u << TFM__UC_PI) | \
     (1u << TFM__UC_PF) | (1u << TFM__UC_PO))
#define TFM__RE_CAT_S ((1u << TFM__UC_SM) | (1u << TFM__UC_SC) | (1u << TFM__UC_SK) | (1u << TFM__UC_SO))
#define TFM__RE_CAT_Z ((1u << TFM__UC_ZS) | (1u << TFM__UC_ZL) | (1u << TFM__UC_ZP))
#define TFM__RE_CAT_C \
    ((1u << TFM__UC_CC) | (1u << TFM__UC_CF) | (1u << TFM__UC_CS) | (1u << TFM__UC_CO) | (1u << TFM__UC_CN))

typedef struct tfm__re_item {
    uint8_t kind, neg;
    uint32_t lo, hi; /* RANGE: code points; CATS: category mask in lo; CLASS: class index in lo */
} tfm__re_item;

typedef struct tfm__re_class {
    uint32_t ascii[4];     /* final answer (negation and case folding applied) for code points < 128 */
    uint32_t item0, nitems;
    uint8_t neg, fold, nonascii; /* nonascii: may match some code point >= 128 */
} tfm__re_class;

typedef struct tfm__re_inst {
    uint8_t op, kind, mode, tail; /* tail: MATCH follows (through JMPs), so no backtrack entry is needed */
    int32_t x, y; /* SPLIT: preferred / other target; REP: min / max (-1: no limit); BYTES: offset / length;
                     LOOK: pc after its LOOK_END; EC_END: exit pc; JMP: target */
    uint32_t a, b; /* ONE/REP: matcher argument; SPLIT: guard sets of x / y; LOOK: chars to step back;
                      EC_*: slot */
    int32_t tab;   /* first SPLIT of an alternation: offset of its 257-entry dispatch table in
                      tfm__re.tabs (by next byte, 256 = end of text: pc of the first alternative
                      that can match, -1 none), else -1 */
} tfm__re_inst;

struct tfm__re {
    tfm__re_inst *prog;
    int32_t nprog;
    tfm__re_class *classes;
    int32_t nclasses;
    tfm__re_item *items;
    int32_t nitems;
    unsigned char *bytes;
    int32_t nbytes;
    unsigned char (*sets)[32];
    int32_t nsets;
    int32_t *tabs;
    int32_t ntabs;
    int32_t nslots;
    uint32_t first_set; /* prefilter: bytes that can start a match, TFM__RE_NONE if any */
    int nullable;
};

typedef struct tfm__re_node {
    uint8_t type, mode, fold, dotall;
    int32_t child, last, next; /* children list (CAT, ALT, REP, LOOK) */
    int32_t min, max;
    uint32_t a; /* CHAR: code point; CLASS: index; LOOK / ASSERT: kind */
} tfm__re_node;

typedef struct tfm__re_parse {
    const unsigned char *pat;
    size_t len, i;
    tfm__re *re;
    tfm__re_node *nodes;
    int32_t nnodes, capnodes, capclasses, capitems, capbytes, capsets, capprog, captabs;
    int32_t barrier; /* a jump targets this pc: don't merge literal bytes into the instruction before it */
    int depth, failed;
} tfm__re_parse;

/* ---- UTF-8 ---------------------------------------------------------------------------------- */

/* Decodes one well-formed UTF-8 sequence at s (n > 0 bytes available); anything else is U+FFFD
   of length 1. */
static uint32_t tfm__re_decode(const unsigned char *s, size_t n, size_t *adv) {
    unsigned c = s[0];
    if (c < 0x80) {
        *adv = 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n >= 2 && (s[1] & 0xC0) == 0x80) {
            *adv = 2;
            return ((uint32_t)(c & 0x1F) << 6) | (s[1] & 0x3F);
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (c != 0xE0 || s[1] >= 0xA0) &&
            (c != 0xED || s[1] < 0xA0)) {
            *adv = 3;
            return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80 &&
            (c != 0xF0 || s[1] >= 0x90) && (c != 0xF4 || s[1] < 0x90)) {
            *adv = 4;
            return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
                   (s[3] & 0x3F);
        }
    }
    *adv = 1;
    return 0xFFFD;
}

/* Start of the character that ends at pos (pos > lo), as forward decoding from lo would split. */
static size_t tfm__re_prev(const unsigned char *t, size_t pos, size_t lo) {
    size_t k, adv;
    if (t[pos - 1] < 0x80) return pos - 1;
    for (k = 2; k <= 4 && k <= pos - lo; k++) {
        size_t q = pos - k;
        if ((t[q] & 0xC0) != 0x80) {
            tfm__re_decode(t + q, k, &adv);
            return adv == k ? q : pos - 1;
        }
    }
    return pos - 1;
}

static int tfm__re_encode(uint32_t cp, unsigned char *out) {
    if (cp < 0x80) { out[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- character classes ------------------------------------------------------------------------ */

static int tfm__re_is_word(uint32_t cp) {
    int cat;
    if (cp < 128) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
    cat = tfm__uc_category(cp);
    return ((TFM__RE_CAT_M | (1u << TFM__UC_ND) | (1u << TFM__UC_PC)) >> cat & 1u) || tfm__uc_is_alphabetic(cp);
}

static int tfm__re_items_match(const tfm__re *re, const tfm__re_item *it, uint32_t n, uint32_t cp, int depth);

static int tfm__re_class_eval(const tfm__re *re, const tfm__re_class *c, uint32_t cp, int depth) {
    int r = tfm__re_items_match(re, re->items + c->item0, c->nitems, cp, depth);
    if (!r && c->fold) {
        uint32_t f = tfm__uc_simple_fold(cp);
        if (f != cp) r = tfm__re_items_match(re, re->items + c->item0, c->nitems, f, depth);
    }
    return r ^ c->neg;
}

static int tfm__re_items_match(const tfm__re *re, const tfm__re_item *it, uint32_t n, uint32_t cp, int depth) {
    int cat = -1;
    uint32_t k;
    for (k = 0; k < n; k++, it++) {
        int r;
        switch (it->kind) {
        case TFM__RE_IK_RANGE: r = cp >= it->lo && cp <= it->hi; break;
        case TFM__RE_IK_CATS:
            if (cat < 0) cat = tfm__uc_category(cp);
            r = (int)((it->lo >> cat) & 1u);
            break;
        case TFM__RE_IK_SPACE: r = tfm__uc_is_whitespace(cp); break;
        case TFM__RE_IK_WORD: r = tfm__re_is_word(cp); break;
        case TFM__RE_IK_ALPHA: r = tfm__uc_is_alphabetic(cp); break;
        case TFM__RE_IK_ALNUM:
            if (cat < 0) cat = tfm__uc_category(cp);
            r = cat == TFM__UC_ND || tfm__uc_is_alphabetic(cp);
            break;
        case TFM__RE_IK_BLANK:
            if (cat < 0) cat = tfm__uc_category(cp);
            r = cp == '\t' || cat == TFM__UC_ZS;
            break;
        case TFM__RE_IK_PUNCT:
            if (cat < 0) cat = tfm__uc_category(cp);
            r = (TFM__RE_CAT_P >> cat & 1u) || (cp < 128 && strchr("$+<=>^`|~", (int)cp) && cp);
            break;
        case TFM__RE_IK_ANY: r = 1; break;
        default: r = depth < TFM__RE_MAX_DEPTH && tfm__re_class_eval(re, &re->classes[it->lo], cp, depth + 1); break;
        }
        if (r != it->neg) return 1;
    }
    return 0;
}

static int tfm__re_class_match(const tfm__re *re, const tfm__re_class *c, uint32_t cp) {
    if (cp < 128) return (int)((c->ascii[cp >> 5] >> (cp & 31)) & 1u);
    if (!c->nonascii) return 0;
    return tfm__re_class_eval(re, c, cp, 0);
}

/* Bytes consumed by one character matching (kind, arg) at pos, 0 if none. */
static size_t tfm__re_one(const tfm__re *re, int kind, uint32_t arg, const unsigned char *t, size_t len, size_t pos) {
    uint32_t cp;
    size_t n = 1;
    if (pos >= len) return 0;
    cp = t[pos];
    if (cp >= 0x80) cp = tfm__re_decode(t + pos, len - pos, &n);
    switch (kind) {
    case TFM__RE_M_CHAR: return cp == arg ? n : 0;
    case TFM__RE_M_CHARI: return (cp == arg || tfm__uc_simple_fold(cp) == arg) ? n : 0;
    case TFM__RE_M_ANY: return cp != '\n' ? n : 0;
    case TFM__RE_M_ANYNL: return n;
    default: return tfm__re_class_match(re, &re->classes[arg], cp) ? n : 0;
    }
}

/* ---- parser ---------------------------------------------------------------------------------- */

static void tfm__re_err(tfm__re_parse *ps, size_t col, const char *msg) {
    if (ps->failed) return;
    ps->failed = 1;
    tfm__fail(TFM_ERR_FORMAT, "regex: %s at column %lu of /%.*s/", msg, (unsigned long)(col + 1),
              (int)(ps->len > 200 ? 200 : ps->len), (const char *)ps->pat);
}

static void tfm__re_oom(tfm__re_parse *ps) {
    if (ps->failed) return;
    ps->failed = 1;
    tfm__fail(TFM_ERR_OUT_OF_MEMORY, "regex: out of memory compiling /%.*s/", (int)(ps->len > 200 ? 200 : ps->len),
              (const char *)ps->pat);
}

/* Makes room for `need` elements of `elem` bytes in *p (capacity *cap). */
static int tfm__re_reserve(tfm__re_parse *ps, void **p, int32_t *cap, int32_t need, size_t elem) {
    void *q;
    int32_t c;
    if (need <= *cap) return 1;
    if (need > (1 << 28)) {
        tfm__re_err(ps, ps->i, "pattern too large");
        return 0;
    }
    c = *cap ? *cap : 16;
    while (c < need) c *= 2;
    q = TFM_REALLOC(*p, (size_t)c * elem);
    if (!q) {
        tfm__re_oom(ps);
        return 0;
    }
    *p = q;
    *cap = c;
    return 1;
}

static int32_t tfm__re_node_new(tfm__re_parse *ps, int type) {
    tfm__re_node *n;
    if (ps->failed || !tfm__re_reserve(ps, (void **)&ps->nodes, &ps->capnodes, ps->nnodes + 1, sizeof *n)) return -1;
    n = &ps->nodes[ps->nnodes];
    memset(n, 0, sizeof *n);
    n->type = (uint8_t)type;
    n->child = n->last = n->next = -1;
    return ps->nnodes++;
}

static void tfm__re_add_child(tfm__re_parse *ps, int32_t parent, int32_t child) {
    tfm__re_node *p = &ps->nodes[parent];
    if (p->last < 0) p->child = child;
    else ps->nodes[p->last].next = child;
    p->last = child;
}

static int tfm__re_hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Parses a pattern character (UTF-8) at ps->i. */
static uint32_t tfm__re_pat_char(tfm__re_parse *ps) {
    size_t adv;
    uint32_t cp = tfm__re_decode(ps->pat + ps->i, ps->len - ps->i, &adv);
    if (cp == 0xFFFD && adv == 1 && ps->pat[ps->i] >= 0x80) tfm__re_err(ps, ps->i, "invalid UTF-8 in pattern");
    ps->i += adv;
    return cp;
}

static void tfm__re_skip_x(tfm__re_parse *ps, unsigned opts) {
    if (!(opts & TFM__RE_OPT_X)) return;
    while (ps->i < ps->len) {
        unsigned char c = ps->pat[ps->i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') ps->i++;
        else if (c == '#') {
            while (ps->i < ps->len && ps->pat[ps->i] != '\n') ps->i++;
        } else break;
    }
}

/* A property name: sets *item (kind, neg untouched, lo). Returns 0 if unknown. */
static int tfm__re_property(const unsigned char *name, size_t n, tfm__re_item *item) {
    static const struct { const char *name; uint32_t mask; } cats[] = {
        {"l", TFM__RE_CAT_L}, {"letter", TFM__RE_CAT_L},
        {"lc", (1u << TFM__UC_LU) | (1u << TFM__UC_LL) | (1u << TFM__UC_LT)},
        {"casedletter", (1u << TFM__UC_LU) | (1u << TFM__UC_LL) | (1u << TFM__UC_LT)},
        {"l&", (1u << TFM__UC_LU) | (1u << TFM__UC_LL) | (1u << TFM__UC_LT)},
        {"lu", 1u << TFM__UC_LU}, {"uppercaseletter", 1u << TFM__UC_LU},
        {"ll", 1u << TFM__UC_LL}, {"lowercaseletter", 1u << TFM__UC_LL},
        {"lt", 1u << TFM__UC_LT}, {"titlecaseletter", 1u << TFM__UC_LT},
        {"lm", 1u << TFM__UC_LM}, {"modifierletter", 1u << TFM__UC_LM},
        {"lo", 1u << TFM__UC_LO}, {"otherletter", 1u << TFM__UC_LO},
        {"m", TFM__RE_CAT_M}, {"mark", TFM__RE_CAT_M}, {"combiningmark", TFM__RE_CAT_M},
        {"mn", 1u << TFM__UC_MN}, {"nonspacingmark", 1u << TFM__UC_MN},
        {"mc", 1u << TFM__UC_MC}, {"spacingmark", 1u << TFM__UC_MC},
        {"me", 1u << TFM__UC_ME}, {"enclosingmark", 1u << TFM__UC_ME},
        {"n", TFM__RE_CAT_N}, {"number", TFM__RE_CAT_N},
        {"nd", 1u << TFM__UC_ND}, {"decimalnumber", 1u << TFM__UC_ND}, {"digit", 1u << TFM__UC_ND},
        {"nl", 1u << TFM__UC_NL}, {"letternumber", 1u << TFM__UC_NL},
        {"no", 1u << TFM__UC_NO}, {"othernumber", 1u << TFM__UC_NO},
        {"p", TFM__RE_CAT_P}, {"punctuation", TFM__RE_CAT_P},
        {"pc", 1u << TFM__UC_PC}, {"connectorpunctuation", 1u << TFM__UC_PC},
        {"pd", 1u << TFM__UC_PD}, {"dashpunctuation", 1u << TFM__UC_PD},
        {"ps", 1u << TFM__UC_PS}, {"openpunctuation", 1u << TFM__UC_PS},
        {"pe", 1u << TFM__UC_PE}, {"closepunctuation", 1u << TFM__UC_PE},
        {"pi", 1u << TFM__UC_PI}, {"initialpunctuation", 1u << TFM__UC_PI},
        {"pf", 1u << TFM__UC_PF}, {"finalpunctuation", 1u << TFM__UC_PF},
        {"po", 1u << TFM__UC_PO}, {"otherpunctuation", 1u << TFM__UC_PO},
        {"s", TFM__RE_CAT_S}, {"symbol", TFM__RE_CAT_S},
        {"sm", 1u << TFM__UC_SM}, {"mathsymbol", 1u << TFM__UC_SM},
        {"sc", 1u << TFM__UC_SC}, {"currencysymbol", 1u << TFM__UC_SC},
        {"sk", 1u << TFM__UC_SK}, {"modifiersymbol", 1u << TFM__UC_SK},
        {"so", 1u << TFM__UC_SO}, {"othersymbol", 1u << TFM__UC_SO},
        {"z", TFM__RE_CAT_Z}, {"separator", TFM__RE_CAT_Z},
        {"zs", 1u << TFM__UC_ZS}, {"spaceseparator", 1u << TFM__UC_ZS},
        {"zl", 1u << TFM__UC_ZL}, {"lineseparator", 1u << TFM__UC_ZL},
        {"zp", 1u << TFM__UC_ZP}, {"paragraphseparator", 1u << TFM__UC_ZP},
        {"c", TFM__RE_CAT_C}, {"other", TFM__RE_CAT_C},
        {"cc", 1u << TFM__UC_CC}, {"control", 1u << TFM__UC_CC}, {"cntrl", 1u << TFM__UC_CC},
        {"cf", 1u << TFM__UC_CF}, {"format", 1u << TFM__UC_CF},
        {"cs", 1u << TFM__UC_CS}, {"surrogate", 1u << TFM__UC_CS},
        {"co", 1u << TFM__UC_CO}, {"privateuse", 1u << TFM__UC_CO},
        {"cn", 1u << TFM__UC_CN}, {"unassigned", 1u << TFM__UC_CN},
        {"assigned", TFM__RE_CAT_L | TFM__RE_CAT_M | TFM__RE_CAT_N | TFM__RE_CAT_P | TFM__RE_CAT_S | TFM__RE_CAT_Z |
                         (TFM__RE_CAT_C & ~(1u << TFM__UC_CN))}};
    static const struct { const char *name; int kind; } special[] = {
        {"alpha", TFM__RE_IK_ALPHA}, {"alphabetic", TFM__RE_IK_ALPHA}, {"space", TFM__RE_IK_SPACE},
        {"whitespace", TFM__RE_IK_SPACE}, {"wspace", TFM__RE_IK_SPACE}, {"word", TFM__RE_IK_WORD},
        {"alnum", TFM__RE_IK_ALNUM}, {"blank", TFM__RE_IK_BLANK}, {"punct", TFM__RE_IK_PUNCT}, {"any", TFM__RE_IK_ANY}};
    char buf[48];
    size_t k, m = 0;
    for (k = 0; k < n; k++) { /* Oniguruma ignores case, spaces, '_' and '-' in names */
        unsigned char c = name[k];
        if (c == ' ' || c == '_' || c == '-') continue;
        if (m + 1 >= sizeof buf || c >= 0x80) return 0;
        buf[m++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    buf[m] = 0;
    for (k = 0; k < sizeof cats / sizeof cats[0]; k++)
        if (!strcmp(buf, cats[k].name)) {
            item->kind = TFM__RE_IK_CATS;
            item->lo = cats[k].mask;
            return 1;
        }
    for (k = 0; k < sizeof special / sizeof special[0]; k++)
        if (!strcmp(buf, special[k].name)) {
            item->kind = (uint8_t)special[k].kind;
            return 1;
        }
    if (!strcmp(buf, "ascii")) {
        item->kind = TFM__RE_IK_RANGE;
        item->lo = 0;
        item->hi = 0x7F;
        return 1;
    }
    return 0;
}

enum { TFM__RE_E_CHAR, TFM__RE_E_ITEM, TFM__RE_E_ASSERT, TFM__RE_E_ANY, TFM__RE_E_ANYNL, TFM__RE_E_NEWLINE };

/* Parses the escape after a backslash (ps->i is past the backslash). Fills *cp or *item. */
static int tfm__re_escape(tfm__re_parse *ps, int in_class, uint32_t *cp, tfm__re_item *item) {
    size_t at = ps->i - 1, k;
    unsigned c;
    uint32_t v;
    memset(item, 0, sizeof *item);
    if (ps->i >= ps->len) {
        tfm__re_err(ps, at, "end pattern at escape");
        return -1;
    }
    c = ps->pat[ps->i];
    if (c >= 0x80) {
        *cp = tfm__re_pat_char(ps);
        return TFM__RE_E_CHAR;
    }
    ps->i++;
    switch (c) {
    case 't': *cp = '\t'; return TFM__RE_E_CHAR;
    case 'n': *cp = '\n'; return TFM__RE_E_CHAR;
    case 'r': *cp = '\r'; return TFM__RE_E_CHAR;
    case 'f': *cp = '\f'; return TFM__RE_E_CHAR;
    case 'v': *cp = '\v'; return TFM__RE_E_CHAR;
    case 'a': *cp = 7; return TFM__RE_E_CHAR;
    case 'e': *cp = 27; return TFM__RE_E_CHAR;
    case 'w': case 'W': item->kind = TFM__RE_IK_WORD; item->neg = c == 'W'; return TFM__RE_E_ITEM;
    case 's': case 'S': item->kind = TFM__RE_IK_SPACE; item->neg = c == 'S'; return TFM__RE_E_ITEM;
    case 'd': case 'D':
        item->kind = TFM__RE_IK_CATS;
        item->lo = 1u << TFM__UC_ND;
        item->neg = c == 'D';
        return TFM__RE_E_ITEM;
    case 'h': case 'H': /* \h is a hex digit in Oniguruma; one RANGE item can't hold it: use a CLASS-free trick */
        item->kind = TFM__RE_IK_RANGE;
        item->lo = 0xFFFFFFFFu; /* patched by the caller (needs three ranges) */
        item->hi = c == 'H';
        return TFM__RE_E_ITEM;
    case 'p': case 'P': {
        size_t s;
        if (ps->i >= ps->len || ps->pat[ps->i] != '{') { /* Oniguruma: invalid property, literal 'p' */
            *cp = c;
            return TFM__RE_E_CHAR;
        }
        ps->i++;
        item->neg = c == 'P';
        if (ps->i < ps->len && ps->pat[ps->i] == '^') {
            item->neg ^= 1;
            ps->i++;
        }
        s = ps->i;
        while (ps->i < ps->len && ps->pat[ps->i] != '}') ps->i++;
        if (ps->i >= ps->len) {
            tfm__re_err(ps, at, "invalid character property name: missing '}'");
            return -1;
        }
        if (!tfm__re_property(ps->pat + s, ps->i - s, item)) {
            tfm__re_err(ps, at, "unsupported or invalid character property name (scripts and blocks are not supported)");
            return -1;
        }
        ps->i++;
        return TFM__RE_E_ITEM;
    }
    case 'x':
        if (ps->i < ps->len && ps->pat[ps->i] == '{') {
            ps->i++;
            v = 0;
            for (k = 0; ps->i < ps->len && tfm__re_hex(ps->pat[ps->i]) >= 0; k++, ps->i++) {
                if (k >= 8) break;
                v = v * 16 + (uint32_t)tfm__re_hex(ps->pat[ps->i]);
            }
            if (k == 0 || k > 8 || ps->i >= ps->len || ps->pat[ps->i] != '}') {
                tfm__re_err(ps, at, "invalid \\x{...} code point value");
                return -1;
            }
            ps->i++;
            if (v > 0x10FFFF) {
                tfm__re_err(ps, at, "code point value too big");
                return -1;
            }
            *cp = v;
            return TFM__RE_E_CHAR;
        } else {
            unsigned char raw[4];
            size_t nraw = 0, need, adv;
            for (;;) { /* \xHH: a byte; bytes >= 0x80 join into one UTF-8 sequence, as Oniguruma reads them */
                v = 0;
                for (k = 0; k < 2 && ps->i < ps->len && tfm__re_hex(ps->pat[ps->i]) >= 0; k++, ps->i++)
                    v = v * 16 + (uint32_t)tfm__re_hex(ps->pat[ps->i]);
                raw[nraw++] = (unsigned char)v;
                if (raw[0] < 0x80) {
                    *cp = v;
                    return TFM__RE_E_CHAR;
                }
                need = raw[0] >= 0xF0 ? 4 : raw[0] >= 0xE0 ? 3 : raw[0] >= 0xC0 ? 2 : 1;
                if (nraw >= need) break;
                if (ps->i + 1 >= ps->len || ps->pat[ps->i] != '\\' || ps->pat[ps->i + 1] != 'x') break;
                ps->i += 2;
            }
            *cp = tfm__re_decode(raw, nraw, &adv);
            if (adv != nraw || *cp == 0xFFFD) {
                tfm__re_err(ps, at, "\\xHH bytes do not form a valid UTF-8 character");
                return -1;
            }
            return TFM__RE_E_CHAR;
        }
    case 'u':
        v = 0;
        for (k = 0; k < 4; k++, ps->i++) {
            if (ps->i >= ps->len || tfm__re_hex(ps->pat[ps->i]) < 0) {
                tfm__re_err(ps, at, "invalid \\uHHHH escape");
                return -1;
            }
            v = v * 16 + (uint32_t)tfm__re_hex(ps->pat[ps->i]);
        }
        *cp = v;
        return TFM__RE_E_CHAR;
    case 'o':
        if (ps->i < ps->len && ps->pat[ps->i] == '{') {
            ps->i++;
            v = 0;
            for (k = 0; ps->i < ps->len && ps->pat[ps->i] >= '0' && ps->pat[ps->i] <= '7'; k++, ps->i++) {
                v = v * 8 + (uint32_t)(ps->pat[ps->i] - '0');
                if (v > 0x10FFFF) break;
            }
            if (k == 0 || v > 0x10FFFF || ps->i >= ps->len || ps->pat[ps->i] != '}') {
                tfm__re_err(ps, at, "invalid \\o{...} code point value");
                return -1;
            }
            ps->i++;
            *cp = v;
            return TFM__RE_E_CHAR;
        }
        *cp = 'o';
        return TFM__RE_E_CHAR;
    case '0':
        v = 0;
        for (k = 0; k < 2 && ps->i < ps->len && ps->pat[ps->i] >= '0' && ps->pat[ps->i] <= '7'; k++, ps->i++)
            v = v * 8 + (uint32_t)(ps->pat[ps->i] - '0');
        *cp = v;
        return TFM__RE_E_CHAR;
    case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9':
        if (!in_class) { /* Oniguruma: \1..\9 (and any number of a defined group) is a back-reference,
                            a larger number starting with an octal digit is an octal escape */
            unsigned long num = c - '0';
            for (k = ps->i; k < ps->len && ps->pat[k] >= '0' && ps->pat[k] <= '9' && num < 1000; k++)
                num = num * 10 + (ps->pat[k] - '0');
            if (num <= 9 || c >= '8') {
                tfm__re_err(ps, at, "back-references are not supported");
                return -1;
            }
        }
        if (c >= '8') {
            *cp = c;
            return TFM__RE_E_CHAR;
        }
        v = c - '0';
        for (k = 0; k < 2 && ps->i < ps->len && ps->pat[ps->i] >= '0' && ps->pat[ps->i] <= '7'; k++, ps->i++)
            v = v * 8 + (uint32_t)(ps->pat[ps->i] - '0');
        *cp = v;
        return TFM__RE_E_CHAR;
    case 'c':
        if (ps->i >= ps->len || ps->pat[ps->i] >= 0x80) {
            tfm__re_err(ps, at, "invalid \\c control escape");
            return -1;
        }
        v = ps->pat[ps->i++];
        *cp = v == '?' ? 0x7F : (v & 0x1F);
        return TFM__RE_E_CHAR;
    case 'b':
        if (in_class) {
            *cp = 8;
            return TFM__RE_E_CHAR;
        }
        *cp = TFM__RE_AS_WORDB;
        return TFM__RE_E_ASSERT;
    case 'B': case 'A': case 'z': case 'Z': case 'G':
        if (in_class) {
            *cp = c;
            return TFM__RE_E_CHAR;
        }
        *cp = c == 'B' ? TFM__RE_AS_NWORDB : c == 'A' ? TFM__RE_AS_BOS : c == 'z' ? TFM__RE_AS_EOS
            : c == 'Z' ? TFM__RE_AS_EOSNL : TFM__RE_AS_GSTART;
        return TFM__RE_E_ASSERT;
    case 'N': case 'O': case 'R':
        if (in_class) {
            *cp = c;
            return TFM__RE_E_CHAR;
        }
        return c == 'N' ? TFM__RE_E_ANY : c == 'O' ? TFM__RE_E_ANYNL : TFM__RE_E_NEWLINE;
    case 'k': case 'g': case 'K': case 'X': case 'y': case 'Y': case 'C': case 'M':
        if (!in_class || c == 'C' || c == 'M') {
            tfm__re_err(ps, at, "unsupported escape (back-reference, call, keep, grapheme or meta/control)");
            return -1;
        }
        *cp = c;
        return TFM__RE_E_CHAR;
    default: *cp = c; return TFM__RE_E_CHAR; /* escaped metacharacter or unknown letter: itself */
    }
}

/* Appends class items for one escape item (\h needs ranges). */
static int tfm__re_push_item(tfm__re_parse *ps, tfm__re_item **v, int32_t *n, int32_t *cap, const tfm__re_item *it) {
    if (it->kind == TFM__RE_IK_RANGE && it->lo == 0xFFFFFFFFu) { /* \h or \H */
        tfm__re_item r[3];
        int32_t k, m = 3;
        memset(r, 0, sizeof r);
        r[0].lo = '0'; r[0].hi = '9'; r[1].lo = 'A'; r[1].hi = 'F'; r[2].lo = 'a'; r[2].hi = 'f';
        if (it->hi) { /* \H: a nested negated class is overkill; complement of three ranges */
            m = 4;
        }
        if (!tfm__re_reserve(ps, (void **)v, cap, *n + 4, sizeof **v)) return 0;
        if (m == 3) {
            for (k = 0; k < 3; k++) (*v)[(*n)++] = r[k];
        } else {
            tfm__re_item q;
            memset(&q, 0, sizeof q);
            q.lo = 0; q.hi = '0' - 1; (*v)[(*n)++] = q;
            q.lo = '9' + 1; q.hi = 'A' - 1; (*v)[(*n)++] = q;
            q.lo = 'F' + 1; q.hi = 'a' - 1; (*v)[(*n)++] = q;
            q.lo = 'f' + 1; q.hi = 0x10FFFF; (*v)[(*n)++] = q;
        }
        return 1;
    }
    if (!tfm__re_reserve(ps, (void **)v, cap, *n + 1, sizeof **v)) return 0;
    (*v)[(*n)++] = *it;
    return 1;
}

/* Stores a finished class: items, case-fold closure of ranges, ASCII bitmap. Returns its index. */
static int32_t tfm__re_class_add(tfm__re_parse *ps, tfm__re_item *v, int32_t n, int neg, int fold) {
    tfm__re *re = ps->re;
    tfm__re_class *c;
    int32_t k, idx, n0 = n, cap = n;
    uint32_t cp;
    if (fold) { /* add fold(x) for every x of every range, so that "x ~ y" is "x or fold(x) in set" */
        for (k = 0; k < n0 && !ps->failed; k++) {
            uint32_t lo = v[k].lo, hi = v[k].hi;
            if (v[k].kind != TFM__RE_IK_RANGE || v[k].neg) continue;
            if (hi > 0x1FFFF) hi = 0x1FFFF;
            for (cp = lo; cp <= hi && cp >= lo; cp++) {
                uint32_t f = tfm__uc_simple_fold(cp);
                if (f == cp || (f >= v[k].lo && f <= v[k].hi)) continue;
                if (n > n0 && v[n - 1].hi + 1 == f) {
                    v[n - 1].hi = f;
                    continue;
                }
                if (!tfm__re_reserve(ps, (void **)&v, &cap, n + 1, sizeof *v)) break;
                memset(&v[n], 0, sizeof v[n]);
                v[n].lo = v[n].hi = f;
                n++;
            }
        }
    }
    if (ps->failed ||
        !tfm__re_reserve(ps, (void **)&re->items, &ps->capitems, re->nitems + n, sizeof *re->items) ||
        !tfm__re_reserve(ps, (void **)&re->classes, &ps->capclasses, re->nclasses + 1, sizeof *re->classes)) {
        if (v) TFM_FREE(v);
        return -1;
    }
    if (n) memcpy(re->items + re->nitems, v, (size_t)n * sizeof *v);
    idx = re->nclasses++;
    c = &re->classes[idx];
    memset(c, 0, sizeof *c);
    c->item0 = (uint32_t)re->nitems;
    c->nitems = (uint32_t)n;
    c->neg = (uint8_t)neg;
    c->fold = (uint8_t)fold;
    re->nitems += n;
    c->nonascii = (uint8_t)neg;
    for (k = 0; k < n; k++)
        if (v[k].kind != TFM__RE_IK_RANGE || v[k].neg || v[k].hi >= 0x80) c->nonascii = 1;
    for (cp = 0; cp < 128; cp++)
        if (tfm__re_class_eval(re, c, cp, 0)) c->ascii[cp >> 5] |= 1u << (cp & 31);
    if (v) TFM_FREE(v);
    return idx;
}

/* ps->i at '['. Returns the class index. */
static int32_t tfm__re_parse_class(tfm__re_parse *ps, unsigned opts) {
    tfm__re_item *v = NULL, it;
    int32_t n = 0, cap = 0;
    size_t at = ps->i;
    int neg = 0, first = 1;
    if (++ps->depth > TFM__RE_MAX_DEPTH) {
        tfm__re_err(ps, at, "character classes nested too deeply");
        return -1;
    }
    ps->i++;
    if (ps->i < ps->len && ps->pat[ps->i] == '^') {
        neg = 1;
        ps->i++;
    }
    for (;;) {
        uint32_t lo, hi;
        int kind;
        size_t here = ps->i;
        if (ps->failed) break;
        if (ps->i >= ps->len) {
            tfm__re_err(ps, at, "premature end of char-class");
            break;
        }
        if (ps->pat[ps->i] == ']' && !first) {
            ps->i++;
            break;
        }
        first = 0;
        if (ps->pat[ps->i] == '[') {
            if (ps->i + 1 < ps->len && ps->pat[ps->i + 1] == ':') { /* [:name:] or [:^name:] */
                size_t s = ps->i + 2, e = s;
                int pneg = 0;
                if (e < ps->len && ps->pat[e] == '^') {
                    pneg = 1;
                    s = ++e;
                }
                while (e + 1 < ps->len && ps->pat[e] != ':' && ps->pat[e] != ']') e++;
                if (e + 1 < ps->len && ps->pat[e] == ':' && ps->pat[e + 1] == ']') {
                    memset(&it, 0, sizeof it);
                    if ((e - s == 5 && !memcmp(ps->pat + s, "digit", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "alpha", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "alnum", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "space", 5)) ||
                        (e - s == 4 && !memcmp(ps->pat + s, "word", 4)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "blank", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "cntrl", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "punct", 5)) ||
                        (e - s == 5 && !memcmp(ps->pat + s, "ascii", 5))) {
                        tfm__re_property(ps->pat + s, e - s, &it);
                    } else if (e - s == 6 && !memcmp(ps->pat + s, "xdigit", 6)) {
                        it.kind = TFM__RE_IK_RANGE;
                        it.lo = 0xFFFFFFFFu;
                        it.hi = (uint32_t)pneg;
                        pneg = 0;
                    } else {
                        tfm__re_err(ps, ps->i, "unsupported POSIX bracket (upper, lower, graph, print are not supported)");
                        break;
                    }
                    it.neg = (uint8_t)(it.neg ^ pneg);
                    ps->i = e + 2;
                    if (!tfm__re_push_item(ps, &v, &n, &cap, &it)) break;
                    continue;
                }
            }
            {
                int32_t sub = tfm__re_parse_class(ps, opts);
                if (sub < 0) break;
                memset(&it, 0, sizeof it);
                it.kind = TFM__RE_IK_CLASS;
                it.lo = (uint32_t)sub;
                if (!tfm__re_push_item(ps, &v, &n, &cap, &it)) break;
                continue;
            }
        }
        if (ps->pat[ps->i] == '&' && ps->i + 1 < ps->len && ps->pat[ps->i + 1] == '&') {
            tfm__re_err(ps, ps->i, "character class intersection '&&' is not supported");
            break;
        }
        if (ps->pat[ps->i] == '\\') {
            ps->i++;
            kind = tfm__re_escape(ps, 1, &lo, &it);
            if (kind < 0) break;
            if (kind == TFM__RE_E_ITEM) {
                if (!tfm__re_push_item(ps, &v, &n, &cap, &it)) break;
                continue;
            }
        } else {
            lo = tfm__re_pat_char(ps);
            if (ps->failed) break;
        }
        hi = lo;
        if (ps->i + 1 < ps->len && ps->pat[ps->i] == '-' && ps->pat[ps->i + 1] != ']') {
            ps->i++;
            if (ps->pat[ps->i] == '\\') {
                ps->i++;
                kind = tfm__re_escape(ps, 1, &hi, &it);
                if (kind < 0) break;
                if (kind != TFM__RE_E_CHAR) {
                    tfm__re_err(ps, here, "char-class value at end of range");
                    break;
                }
            } else if (ps->pat[ps->i] == '[') {
                tfm__re_err(ps, here, "char-class value at end of range");
                break;
            } else {
                hi = tfm__re_pat_char(ps);
                if (ps->failed) break;
            }
            if (hi < lo) {
                tfm__re_err(ps, here, "empty range in char class");
                break;
            }
        }
        memset(&it, 0, sizeof it);
        it.kind = TFM__RE_IK_RANGE;
        it.lo = lo;
        it.hi = hi;
        if (!tfm__re_push_item(ps, &v, &n, &cap, &it)) break;
    }
    ps->depth--;
    if (ps->failed) {
        if (v) TFM_FREE(v);
        return -1;
    }
    return tfm__re_class_add(ps, v, n, neg, (opts & TFM__RE_OPT_I) != 0);
}

/* {n}, {n,}, {,m}, {n,m}: 1 and advances when valid, 0 (a literal '{') otherwise, -1 on error. */
static int tfm__re_interval(tfm__re_parse *ps, int32_t *min, int32_t *max) {
    size_t j = ps->i + 1, at = ps->i;
    long a = -1, b = -1;
    int comma = 0;
    while (j < ps->len && ps->pat[j] >= '0' && ps->pat[j] <= '9') {
        a = (a < 0 ? 0 : a) * 10 + (ps->pat[j++] - '0');
        if (a > TFM__RE_MAX_REPEAT) goto too_big;
    }
    if (j < ps->len && ps->pat[j] == ',') {
        comma = 1;
        j++;
        while (j < ps->len && ps->pat[j] >= '0' && ps->pat[j] <= '9') {
            b = (b < 0 ? 0 : b) * 10 + (ps->pat[j++] - '0');
            if (b > TFM__RE_MAX_REPEAT) goto too_big;
        }
    }
    if (j >= ps->len || ps->pat[j] != '}' || (a < 0 && b < 0)) return 0;
    ps->i = j + 1;
    if (a < 0) a = 0;
    *min = (int32_t)a;
    *max = comma ? (int32_t)b : (int32_t)a; /* b < 0: no upper limit */
    return 1;
too_big:
    tfm__re_err(ps, at, "too big number for repeat range");
    return -1;
}

static int32_t tfm__re_parse_alt(tfm__re_parse *ps, unsigned opts);

/* Group after '(' at ps->i - 1 ... returns the node, or -1. `*isolated` set for (?imx) forms. */
static int32_t tfm__re_parse_group(tfm__re_parse *ps, unsigned *opts, int *isolated) {
    size_t at = ps->i;
    int32_t node = -1, inner;
    unsigned o = *opts;
    int look = -1;
    ps->i++; /* '(' */
    *isolated = 0;
    if (ps->i < ps->len && ps->pat[ps->i] == '?') {
        unsigned char c;
        ps->i++;
        c = ps->i < ps->len ? ps->pat[ps->i] : 0;
        if (c == ':') ps->i++;
        else if (c == '=') { look = TFM__RE_LK_AHEAD; ps->i++; }
        else if (c == '!') { look = TFM__RE_LK_NAHEAD; ps->i++; }
        else if (c == '>') { look = TFM__RE_LK_ATOMIC; ps->i++; }
        else if (c == '#') {
            while (ps->i < ps->len && ps->pat[ps->i] != ')') ps->i++;
            if (ps->i >= ps->len) {
                tfm__re_err(ps, at, "end pattern in group");
                return -1;
            }
            ps->i++;
            return tfm__re_node_new(ps, TFM__RE_N_EMPTY);
        } else if (c == '<' && ps->i + 1 < ps->len && (ps->pat[ps->i + 1] == '=' || ps->pat[ps->i + 1] == '!')) {
            look = ps->pat[ps->i + 1] == '=' ? TFM__RE_LK_BEHIND : TFM__RE_LK_NBEHIND;
            ps->i += 2;
        } else if (c == '<' || c == '\'') { /* named group: captures nothing here */
            unsigned char close = c == '<' ? '>' : '\'';
            size_t s = ++ps->i;
            while (ps->i < ps->len && ps->pat[ps->i] != close) {
                unsigned char ch = ps->pat[ps->i];
                if (!(ch >= 0x80 || ch == '_' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                      (ch >= 'A' && ch <= 'Z'))) {
                    tfm__re_err(ps, ps->i, "invalid group name");
                    return -1;
                }
                ps->i++;
            }
            if (ps->i >= ps->len || ps->i == s) {
                tfm__re_err(ps, at, "invalid group name");
                return -1;
            }
            ps->i++;
        } else if (c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            int off = 0;
            while (ps->i < ps->len) {
                c = ps->pat[ps->i];
                if (c == '-') off = 1;
                else if (c == 'i' || c == 'm' || c == 'x') {
                    unsigned f = c == 'i' ? TFM__RE_OPT_I : c == 'm' ? TFM__RE_OPT_M : TFM__RE_OPT_X;
                    o = off ? (o & ~f) : (o | f);
                } else break;
                ps->i++;
            }
            if (ps->i < ps->len && ps->pat[ps->i] == ')') { /* (?i): to the end of the enclosing group */
                ps->i++;
                *opts = o;
                *isolated = 1;
                return -1;
            }
            if (ps->i >= ps->len || ps->pat[ps->i] != ':') {
                tfm__re_err(ps, ps->i, "undefined group option (supported: i, m, x)");
                return -1;
            }
            ps->i++;
        } else {
            tfm__re_err(ps, at, "unsupported group syntax (conditionals, absent groups, callouts, P-names)");
            return -1;
        }
    }
    if (++ps->depth > TFM__RE_MAX_DEPTH) {
        tfm__re_err(ps, at, "groups nested too deeply");
        return -1;
    }
    inner = tfm__re_parse_alt(ps, o);
    ps->depth--;
    if (ps->failed) return -1;
    if (ps->i >= ps->len || ps->pat[ps->i] != ')') {
        tfm__re_err(ps, at, "end pattern with unmatched parenthesis");
        return -1;
    }
    ps->i++;
    if (look < 0) return inner;
    node = tfm__re_node_new(ps, TFM__RE_N_LOOK);
    if (node < 0) return -1;
    ps->nodes[node].a = (uint32_t)look;
    tfm__re_add_child(ps, node, inner);
    return node;
}

static int32_t tfm__re_char_node(tfm__re_parse *ps, uint32_t cp, unsigned opts) {
    int32_t n = tfm__re_node_new(ps, TFM__RE_N_CHAR);
    if (n < 0) return -1;
    ps->nodes[n].a = cp;
    if ((opts & TFM__RE_OPT_I) &&
        (cp >= 128 || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))) {
        ps->nodes[n].fold = 1;
        ps->nodes[n].a = tfm__uc_simple_fold(cp);
    }
    return n;
}

/* One atom (without quantifiers). Returns node or -1; *isolated for (?i) forms. */
static int32_t tfm__re_parse_atom(tfm__re_parse *ps, unsigned *opts, int *isolated) {
    size_t at = ps->i;
    unsigned char c = ps->pat[ps->i];
    int32_t n;
    *isolated = 0;
    switch (c) {
    case '(': return tfm__re_parse_group(ps, opts, isolated);
    case ')': tfm__re_err(ps, at, "unmatched close parenthesis"); return -1;
    case '[': {
        int32_t cls = tfm__re_parse_class(ps, *opts);
        if (cls < 0) return -1;
        n = tfm__re_node_new(ps, TFM__RE_N_CLASS);
        if (n >= 0) ps->nodes[n].a = (uint32_t)cls;
        return n;
    }
    case '.':
        ps->i++;
        n = tfm__re_node_new(ps, TFM__RE_N_ANY);
        if (n >= 0) ps->nodes[n].dotall = (*opts & TFM__RE_OPT_M) != 0;
        return n;
    case '^': case '$':
        ps->i++;
        n = tfm__re_node_new(ps, TFM__RE_N_ASSERT);
        if (n >= 0) ps->nodes[n].a = c == '^' ? TFM__RE_AS_BOL : TFM__RE_AS_EOL;
        return n;
    case '*': case '+': case '?':
        tfm__re_err(ps, at, "target of repeat operator is not specified");
        return -1;
    case '{': {
        int32_t a, b;
        size_t save = ps->i;
        int r = tfm__re_interval(ps, &a, &b);
        if (r != 0) {
            if (r > 0) tfm__re_err(ps, at, "target of repeat operator is not specified");
            return -1;
        }
        ps->i = save + 1;
        return tfm__re_char_node(ps, '{', *opts);
    }
    case '\\': {
        uint32_t cp;
        tfm__re_item it;
        int kind;
        ps->i++;
        kind = tfm__re_escape(ps, 0, &cp, &it);
        if (kind < 0) return -1;
        if (kind == TFM__RE_E_CHAR) return tfm__re_char_node(ps, cp, *opts);
        if (kind == TFM__RE_E_ASSERT) {
            n = tfm__re_node_new(ps, TFM__RE_N_ASSERT);
            if (n >= 0) ps->nodes[n].a = cp;
            return n;
        }
        if (kind == TFM__RE_E_ANY || kind == TFM__RE_E_ANYNL) {
            n = tfm__re_node_new(ps, TFM__RE_N_ANY);
            if (n >= 0) ps->nodes[n].dotall = kind == TFM__RE_E_ANYNL;
            return n;
        }
        if (kind == TFM__RE_E_NEWLINE) { /* \R = (?>\r\n|[\n\v\f\r\x85\x{2028}\x{2029}]) */
            int32_t look, alt, cat, cls, cn;
            tfm__re_item *v = (tfm__re_item *)TFM_MALLOC(3 * sizeof *v);
            if (!v) {
                tfm__re_oom(ps);
                return -1;
            }
            memset(v, 0, 3 * sizeof *v);
            v[0].lo = '\n'; v[0].hi = '\r'; v[1].lo = v[1].hi = 0x85; v[2].lo = 0x2028; v[2].hi = 0x2029;
            cls = tfm__re_class_add(ps, v, 3, 0, 0);
            look = tfm__re_node_new(ps, TFM__RE_N_LOOK);
            alt = tfm__re_node_new(ps, TFM__RE_N_ALT);
            cat = tfm__re_node_new(ps, TFM__RE_N_CAT);
            cn = tfm__re_node_new(ps, TFM__RE_N_CLASS);
            if (cls < 0 || look < 0 || alt < 0 || cat < 0 || cn < 0) return -1;
            ps->nodes[look].a = TFM__RE_LK_ATOMIC;
            ps->nodes[cn].a = (uint32_t)cls;
            tfm__re_add_child(ps, cat, tfm__re_char_node(ps, '\r', 0));
            tfm__re_add_child(ps, cat, tfm__re_char_node(ps, '\n', 0));
            tfm__re_add_child(ps, alt, cat);
            tfm__re_add_child(ps, alt, cn);
            tfm__re_add_child(ps, look, alt);
            return ps->failed ? -1 : look;
        }
        { /* a class escape: one-item class */
            tfm__re_item *v = NULL;
            int32_t cnt = 0, cap = 0, cls;
            if (!tfm__re_push_item(ps, &v, &cnt, &cap, &it)) {
                if (v) TFM_FREE(v);
                return -1;
            }
            cls = tfm__re_class_add(ps, v, cnt, 0, (*opts & TFM__RE_OPT_I) != 0);
            if (cls < 0) return -1;
            n = tfm__re_node_new(ps, TFM__RE_N_CLASS);
            if (n >= 0) ps->nodes[n].a = (uint32_t)cls;
            return n;
        }
    }
    default: {
        uint32_t cp = tfm__re_pat_char(ps);
        if (ps->failed) return -1;
        return tfm__re_char_node(ps, cp, *opts);
    }
    }
}

/* A concatenation, up to '|', ')' or the end. *stop when an isolated option swallowed the rest. */
static int32_t tfm__re_parse_seq(tfm__re_parse *ps, unsigned opts, int *stop) {
    int32_t cat = tfm__re_node_new(ps, TFM__RE_N_CAT);
    *stop = 0;
    while (!ps->failed) {
        int32_t atom;
        int isolated;
        size_t at;
        tfm__re_skip_x(ps, opts);
        if (ps->i >= ps->len || ps->pat[ps->i] == '|' || ps->pat[ps->i] == ')') break;
        at = ps->i;
        atom = tfm__re_parse_atom(ps, &opts, &isolated);
        if (isolated) { /* (?i)rest == (?i:rest) up to the enclosing ')' */
            int32_t rest;
            if (++ps->depth > TFM__RE_MAX_DEPTH) {
                tfm__re_err(ps, at, "groups nested too deeply");
                return -1;
            }
            rest = tfm__re_parse_alt(ps, opts);
            ps->depth--;
            if (rest < 0) return -1;
            tfm__re_add_child(ps, cat, rest);
            *stop = 1;
            break;
        }
        if (atom < 0) return -1;
        for (;;) { /* quantifiers */
            int32_t min, max, rep;
            int mode = TFM__RE_GREEDY;
            unsigned char q;
            tfm__re_skip_x(ps, opts);
            if (ps->i >= ps->len) break;
            q = ps->pat[ps->i];
            if (q == '*' || q == '+' || q == '?') {
                ps->i++;
                min = q == '+' ? 1 : 0;
                max = q == '?' ? 1 : -1;
                if (ps->i < ps->len && ps->pat[ps->i] == '?') {
                    mode = TFM__RE_LAZY;
                    ps->i++;
                } else if (ps->i < ps->len && ps->pat[ps->i] == '+') {
                    mode = TFM__RE_POSSESSIVE;
                    ps->i++;
                }
            } else if (q == '{') {
                int r = tfm__re_interval(ps, &min, &max);
                if (r < 0) return -1;
                if (r == 0) break;
                if (max >= 0 && min > max) { /* Oniguruma: {n,m} with n > m is possessive {m,n} */
                    int32_t t = min;
                    min = max;
                    max = t;
                    mode = TFM__RE_POSSESSIVE;
                } else if (ps->i < ps->len && ps->pat[ps->i] == '?' && min != max) {
                    mode = TFM__RE_LAZY;
                    ps->i++;
                } /* {n}? is (?:x{n})? and {n,m}+ is (?:x{n,m})+: the next loop turn reads them */
            } else break;
            if (ps->nodes[atom].type == TFM__RE_N_ASSERT || ps->nodes[atom].type == TFM__RE_N_LOOK) {
                if (ps->nodes[atom].type == TFM__RE_N_ASSERT || ps->nodes[atom].a != TFM__RE_LK_ATOMIC) {
                    tfm__re_err(ps, at, "target of repeat operator is invalid");
                    return -1;
                }
            }
            rep = tfm__re_node_new(ps, TFM__RE_N_REP);
            if (rep < 0) return -1;
            ps->nodes[rep].min = min;
            ps->nodes[rep].max = max;
            ps->nodes[rep].mode = (uint8_t)mode;
            tfm__re_add_child(ps, rep, atom);
            atom = rep;
        }
        tfm__re_add_child(ps, cat, atom);
    }
    return ps->failed ? -1 : cat;
}

static int32_t tfm__re_parse_alt(tfm__re_parse *ps, unsigned opts) {
    int32_t alt = tfm__re_node_new(ps, TFM__RE_N_ALT), count = 0;
    for (;;) {
        int stop;
        int32_t seq = tfm__re_parse_seq(ps, opts, &stop);
        if (seq < 0 || alt < 0) return -1;
        tfm__re_add_child(ps, alt, seq);
        count++;
        if (stop || ps->i >= ps->len || ps->pat[ps->i] != '|') break;
        ps->i++;
    }
    return count == 1 ? ps->nodes[alt].child : alt;
}

/* ---- analysis and code generation ------------------------------------------------------------ */

static void tfm__re_set_add(unsigned char *set, unsigned b) { set[b >> 3] = (unsigned char)(set[b >> 3] | (1u << (b & 7))); }

/* Adds the bytes that can start a match of node to set; returns 1 if node can match empty. */
static int tfm__re_first(tfm__re_parse *ps, int32_t node, unsigned char *set) {
    tfm__re_node *n = &ps->nodes[node];
    unsigned b;
    int32_t c;
    switch (n->type) {
    case TFM__RE_N_CHAR:
        if (!n->fold && n->a != 0xFFFD) { /* U+FFFD also stands for any invalid byte */
            unsigned char u[4];
            tfm__re_encode(n->a, u);
            tfm__re_set_add(set, u[0]);
        } else {
            for (b = 0; b < 128; b++)
                if (tfm__uc_simple_fold(b) == n->a) tfm__re_set_add(set, b);
            for (b = 128; b < 256; b++) tfm__re_set_add(set, b);
        }
        return 0;
    case TFM__RE_N_ANY:
        for (b = 0; b < 256; b++)
            if (b != '\n' || n->dotall) tfm__re_set_add(set, b);
        return 0;
    case TFM__RE_N_CLASS: {
        const tfm__re_class *cls = &ps->re->classes[n->a];
        for (b = 0; b < 128; b++)
            if (cls->ascii[b >> 5] >> (b & 31) & 1u) tfm__re_set_add(set, b);
        if (cls->nonascii)
            for (b = 128; b < 256; b++) tfm__re_set_add(set, b);
        return 0;
    }
    case TFM__RE_N_CAT:
        for (c = n->child; c >= 0; c = ps->nodes[c].next)
            if (!tfm__re_first(ps, c, set)) return 0;
        return 1;
    case TFM__RE_N_ALT: {
        int nullable = 0;
        for (c = n->child; c >= 0; c = ps->nodes[c].next) nullable |= tfm__re_first(ps, c, set);
        return nullable;
    }
    case TFM__RE_N_REP:
        if (n->max == 0) return 1;
        return tfm__re_first(ps, n->child, set) || n->min == 0;
    case TFM__RE_N_LOOK:
        if (n->a == TFM__RE_LK_ATOMIC) return tfm__re_first(ps, n->child, set);
        return 1;
    default: return 1; /* EMPTY, ASSERT */
    }
}

/* Length in characters if fixed, else -1. */
static long tfm__re_fixlen(tfm__re_parse *ps, int32_t node) {
    tfm__re_node *n = &ps->nodes[node];
    long total = 0, l;
    int32_t c;
    switch (n->type) {
    case TFM__RE_N_CHAR: case TFM__RE_N_ANY: case TFM__RE_N_CLASS: return 1;
    case TFM__RE_N_CAT:
        for (c = n->child; c >= 0; c = ps->nodes[c].next) {
            l = tfm__re_fixlen(ps, c);
            if (l < 0) return -1;
            total += l;
        }
        return total;
    case TFM__RE_N_ALT:
        total = -2;
        for (c = n->child; c >= 0; c = ps->nodes[c].next) {
            l = tfm__re_fixlen(ps, c);
            if (l < 0 || (total != -2 && l != total)) return -1;
            total = l;
        }
        return total;
    case TFM__RE_N_REP:
        if (n->min != n->max) return -1;
        l = tfm__re_fixlen(ps, n->child);
        return l < 0 ? -1 : l * n->min;
    case TFM__RE_N_LOOK: return n->a == TFM__RE_LK_ATOMIC ? tfm__re_fixlen(ps, n->child) : 0;
    default: return 0;
    }
}

static int32_t tfm__re_emit(tfm__re_parse *ps, int op) {
    tfm__re *re = ps->re;
    tfm__re_inst *in;
    if (ps->failed) return -1;
    if (re->nprog >= TFM__RE_MAX_PROG) {
        tfm__re_err(ps, 0, "pattern too large after expanding counted repeats");
        return -1;
    }
    if (!tfm__re_reserve(ps, (void **)&re->prog, &ps->capprog, re->nprog + 1, sizeof *re->prog)) return -1;
    in = &re->prog[re->nprog];
    memset(in, 0, sizeof *in);
    in->op = (uint8_t)op;
    in->a = in->b = TFM__RE_NONE;
    in->tab = -1;
    return re->nprog++;
}

/* Guard set for `node` (the bytes that can start it) or TFM__RE_NONE when it can match empty. */
static uint32_t tfm__re_guard(tfm__re_parse *ps, int32_t from, int all_siblings) {
    unsigned char set[32];
    int32_t c;
    tfm__re *re = ps->re;
    memset(set, 0, sizeof set);
    for (c = from; c >= 0; c = all_siblings ? ps->nodes[c].next : -1)
        if (tfm__re_first(ps, c, set)) return TFM__RE_NONE;
    for (c = 0; c < 32; c++)
        if (set[c] != 0xFF) break;
    if (c == 32) return TFM__RE_NONE;
    if (!tfm__re_reserve(ps, (void **)&re->sets, &ps->capsets, re->nsets + 1, sizeof *re->sets)) return TFM__RE_NONE;
    memcpy(re->sets[re->nsets], set, 32);
    return (uint32_t)re->nsets++;
}

static int tfm__re_single(tfm__re_parse *ps, int32_t node, int *kind, uint32_t *arg) {
    tfm__re_node *n = &ps->nodes[node];
    if (n->type == TFM__RE_N_CHAR) {
        *kind = n->fold ? TFM__RE_M_CHARI : TFM__RE_M_CHAR;
        *arg = n->a;
        return 1;
    }
    if (n->type == TFM__RE_N_ANY) {
        *kind = n->dotall ? TFM__RE_M_ANYNL : TFM__RE_M_ANY;
        *arg = 0;
        return 1;
    }
    if (n->type == TFM__RE_N_CLASS) {
        *kind = TFM__RE_M_CLASS;
        *arg = n->a;
        return 1;
    }
    return 0;
}

static void tfm__re_compile_node(tfm__re_parse *ps, int32_t node);

static void tfm__re_compile_look(tfm__re_parse *ps, int kind, int32_t body, long back) {
    int32_t look = tfm__re_emit(ps, TFM__RE_OP_LOOK), end;
    if (look < 0) return;
    ps->re->prog[look].kind = (uint8_t)kind;
    ps->re->prog[look].b = (uint32_t)back;
    tfm__re_compile_node(ps, body);
    end = tfm__re_emit(ps, TFM__RE_OP_LOOK_END);
    if (end < 0) return;
    ps->re->prog[look].x = end + 1;
}

static void tfm__re_compile_rep(tfm__re_parse *ps, int32_t node) {
    tfm__re *re = ps->re;
    int32_t child = ps->nodes[node].child, min = ps->nodes[node].min, max = ps->nodes[node].max, k, pc;
    int mode = ps->nodes[node].mode, kind;
    uint32_t arg;
    if (max == 0) return;
    if (tfm__re_single(ps, child, &kind, &arg)) {
        pc = tfm__re_emit(ps, TFM__RE_OP_REP);
        if (pc < 0) return;
        re->prog[pc].kind = (uint8_t)kind;
        re->prog[pc].a = arg;
        re->prog[pc].x = min;
        re->prog[pc].y = max;
        re->prog[pc].mode = (uint8_t)mode;
        return;
    }
    if (mode == TFM__RE_POSSESSIVE) { /* x*+ == (?>x*) */
        int32_t look = tfm__re_emit(ps, TFM__RE_OP_LOOK), end;
        if (look < 0) return;
        re->prog[look].kind = TFM__RE_LK_ATOMIC;
        ps->nodes[node].mode = TFM__RE_GREEDY;
        tfm__re_compile_rep(ps, node);
        ps->nodes[node].mode = TFM__RE_POSSESSIVE;
        end = tfm__re_emit(ps, TFM__RE_OP_LOOK_END);
        if (end >= 0) re->prog[look].x = end + 1;
        return;
    }
    for (k = 0; k < min && !ps->failed; k++) tfm__re_compile_node(ps, child);
    if (max < 0) { /* L: SPLIT body, exit; body: [EC_START] child [EC_END exit] JMP L; exit: */
        unsigned char tmp[32];
        int nullable;
        int32_t split, slot = -1, ec = -1, jmp;
        memset(tmp, 0, sizeof tmp);
        nullable = tfm__re_first(ps, child, tmp);
        split = tfm__re_emit(ps, TFM__RE_OP_SPLIT);
        if (split < 0) return;
        if (nullable) { /* an iteration that matched empty ends the loop (Oniguruma's empty check) */
            int32_t s = tfm__re_emit(ps, TFM__RE_OP_EC_START);
            if (s < 0) return;
            slot = re->nslots++;
            re->prog[s].a = (uint32_t)slot;
        }
        tfm__re_compile_node(ps, child);
        if (nullable) {
            ec = tfm__re_emit(ps, TFM__RE_OP_EC_END);
            if (ec < 0) return;
            re->prog[ec].a = (uint32_t)slot;
        }
        jmp = tfm__re_emit(ps, TFM__RE_OP_JMP);
        if (jmp < 0) return;
        re->prog[jmp].x = split;
        if (mode == TFM__RE_LAZY) {
            re->prog[split].x = jmp + 1;
            re->prog[split].y = split + 1;
        } else {
            re->prog[split].x = split + 1;
            re->prog[split].y = jmp + 1;
            re->prog[split].a = tfm__re_guard(ps, child, 0);
        }
        if (ec >= 0) re->prog[ec].x = jmp + 1;
        ps->barrier = re->nprog;
        return;
    }
    { /* (max - min) nested optionals: SPLIT a, end; a: child; SPLIT b, end; b: child ... end: */
        int32_t prev = -1, end;
        uint32_t guard = mode == TFM__RE_LAZY ? TFM__RE_NONE : tfm__re_guard(ps, child, 0);
        for (k = 0; k < max - min && !ps->failed; k++) {
            int32_t s = tfm__re_emit(ps, TFM__RE_OP_SPLIT);
            if (s < 0) return;
            re->prog[s].a = guard;
            re->prog[s].y = prev; /* temporary chain */
            prev = s;
            tfm__re_compile_node(ps, child);
        }
        end = re->nprog;
        while (prev >= 0 && !ps->failed) {
            int32_t nx = re->prog[prev].y;
            if (mode == TFM__RE_LAZY) {
                re->prog[prev].x = end;
                re->prog[prev].y = prev + 1;
                re->prog[prev].a = TFM__RE_NONE;
            } else {
                re->prog[prev].x = prev + 1;
                re->prog[prev].y = end;
            }
            prev = nx;
        }
        ps->barrier = end;
    }
}

static void tfm__re_compile_node(tfm__re_parse *ps, int32_t node) {
    tfm__re *re = ps->re;
    tfm__re_node *n;
    int32_t c, pc;
    if (ps->failed) return;
    n = &ps->nodes[node];
    switch (n->type) {
    case TFM__RE_N_EMPTY: return;
    case TFM__RE_N_CHAR: case TFM__RE_N_ANY: case TFM__RE_N_CLASS: {
        int kind;
        uint32_t arg;
        if (n->type == TFM__RE_N_CHAR && !n->fold && n->a != 0xFFFD) { /* literal bytes, merged with a preceding BYTES */
            unsigned char u[4];
            int len = tfm__re_encode(n->a, u);
            tfm__re_inst *last = re->nprog ? &re->prog[re->nprog - 1] : NULL;
            if (!tfm__re_reserve(ps, (void **)&re->bytes, &ps->capbytes, re->nbytes + 4, 1)) return;
            memcpy(re->bytes + re->nbytes, u, (size_t)len);
            if (last && last->op == TFM__RE_OP_BYTES && re->nprog != ps->barrier && last->x + last->y == re->nbytes) {
                last->y += len;
            } else {
                pc = tfm__re_emit(ps, TFM__RE_OP_BYTES);
                if (pc < 0) return;
                re->prog[pc].x = re->nbytes;
                re->prog[pc].y = len;
            }
            re->nbytes += len;
            return;
        }
        tfm__re_single(ps, node, &kind, &arg);
        pc = tfm__re_emit(ps, TFM__RE_OP_ONE);
        if (pc < 0) return;
        re->prog[pc].kind = (uint8_t)kind;
        re->prog[pc].a = arg;
        return;
    }
    case TFM__RE_N_CAT:
        for (c = n->child; c >= 0; c = ps->nodes[c].next) tfm__re_compile_node(ps, c);
        return;
    case TFM__RE_N_ALT: {
        int32_t jumps_head = -1, first_split = re->nprog, nalts = 0, tab = -1;
        for (c = n->child; c >= 0; c = ps->nodes[c].next) nalts++;
        if (nalts >= 3) { /* dispatch table on the next byte, filled as the alternatives are emitted */
            int32_t b;
            if (!tfm__re_reserve(ps, (void **)&re->tabs, &ps->captabs, re->ntabs + 257, sizeof *re->tabs)) return;
            tab = re->ntabs;
            re->ntabs += 257;
            for (b = 0; b < 257; b++) re->tabs[tab + b] = -1;
        }
        for (c = n->child; c >= 0 && !ps->failed; c = ps->nodes[c].next) {
            int32_t split = -1, j, entry = re->nprog, b;
            uint32_t guard = tfm__re_guard(ps, c, 0);
            if (ps->nodes[c].next >= 0) {
                split = tfm__re_emit(ps, TFM__RE_OP_SPLIT);
                if (split < 0) return;
                re->prog[split].a = guard;
                re->prog[split].b = tfm__re_guard(ps, ps->nodes[c].next, 1);
                re->prog[split].x = split + 1;
                if (split == first_split) re->prog[split].tab = tab;
            }
            if (tab >= 0) {
                ps->barrier = entry; /* the table jumps here */
                for (b = 0; b < 257; b++)
                    if (re->tabs[tab + b] < 0 &&
                        (guard == TFM__RE_NONE || (b < 256 && (re->sets[guard][b >> 3] >> (b & 7) & 1))))
                        re->tabs[tab + b] = entry;
            }
            tfm__re_compile_node(ps, c);
            if (split < 0 || ps->failed) break;
            j = tfm__re_emit(ps, TFM__RE_OP_JMP);
            if (j < 0) return;
            re->prog[j].y = jumps_head;
            jumps_head = j;
            re->prog[split].y = j + 1;
        }
        while (jumps_head >= 0 && !ps->failed) {
            int32_t nx = re->prog[jumps_head].y;
            re->prog[jumps_head].x = re->nprog;
            re->prog[jumps_head].y = 0;
            jumps_head = nx;
        }
        ps->barrier = re->nprog;
        return;
    }
    case TFM__RE_N_REP: tfm__re_compile_rep(ps, node); return;
    case TFM__RE_N_LOOK:
        if (n->a == TFM__RE_LK_BEHIND || n->a == TFM__RE_LK_NBEHIND) {
            long len = tfm__re_fixlen(ps, n->child);
            tfm__re_node *body = &ps->nodes[n->child];
            if (len >= 0) {
                tfm__re_compile_look(ps, (int)n->a, n->child, len);
                return;
            }
            if (body->type != TFM__RE_N_ALT) {
                tfm__re_err(ps, 0, "variable-length look-behind is not supported");
                return;
            }
            for (c = body->child; c >= 0; c = ps->nodes[c].next)
                if (tfm__re_fixlen(ps, c) < 0) {
                    tfm__re_err(ps, 0, "variable-length look-behind is not supported");
                    return;
                }
            if (n->a == TFM__RE_LK_NBEHIND) { /* (?<!A|BB) == (?<!A)(?<!BB) */
                for (c = body->child; c >= 0; c = ps->nodes[c].next)
                    tfm__re_compile_look(ps, TFM__RE_LK_NBEHIND, c, tfm__re_fixlen(ps, c));
            } else { /* (?<=A|BB) == (?:(?<=A)|(?<=BB)) */
                int32_t jumps_head = -1;
                for (c = body->child; c >= 0 && !ps->failed; c = ps->nodes[c].next) {
                    int32_t split = -1, j;
                    if (ps->nodes[c].next >= 0) {
                        split = tfm__re_emit(ps, TFM__RE_OP_SPLIT);
                        if (split < 0) return;
                        re->prog[split].x = split + 1;
                    }
                    tfm__re_compile_look(ps, TFM__RE_LK_BEHIND, c, tfm__re_fixlen(ps, c));
                    if (split < 0 || ps->failed) break;
                    j = tfm__re_emit(ps, TFM__RE_OP_JMP);
                    if (j < 0) return;
                    re->prog[j].y = jumps_head;
                    jumps_head = j;
                    re->prog[split].y = j + 1;
                }
                while (jumps_head >= 0 && !ps->failed) {
                    int32_t nx = re->prog[jumps_head].y;
                    re->prog[jumps_head].x = re->nprog;
                    re->prog[jumps_head].y = 0;
                    jumps_head = nx;
                }
                ps->barrier = re->nprog;
            }
            return;
        }
        tfm__re_compile_look(ps, (int)n->a, n->child, 0);
        return;
    case TFM__RE_N_ASSERT:
        pc = tfm__re_emit(ps, TFM__RE_OP_ASSERT);
        if (pc >= 0) re->prog[pc].kind = (uint8_t)n->a;
        return;
    default: return;
    }
}

static void tfm__re_free(tfm__re *re) {
    if (!re) return;
    TFM_FREE(re->prog);
    TFM_FREE(re->classes);
    TFM_FREE(re->items);
    TFM_FREE(re->bytes);
    TFM_FREE(re->sets);
    TFM_FREE(re->tabs);
    TFM_FREE(re);
}

static tfm__re *tfm__re_compile(const char *pattern, size_t len) {
    tfm__re_parse ps;
    tfm__re *re;
    int32_t root, k;
    memset(&ps, 0, sizeof ps);
    ps.pat = (const unsigned char *)pattern;
    ps.len = len;
    if (!pattern && len) {
        tfm__fail(TFM_ERR_INVALID_ARGUMENT, "regex: NULL pattern");
        return NULL;
    }
    re = (tfm__re *)TFM_MALLOC(sizeof *re);
    if (!re) {
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "regex: out of memory");
        return NULL;
    }
    memset(re, 0, sizeof *re);
    ps.re = re;
    root = tfm__re_parse_alt(&ps, 0);
    if (!ps.failed && ps.i < ps.len) tfm__re_err(&ps, ps.i, "unmatched close parenthesis");
    if (!ps.failed) {
        unsigned char set[32];
        tfm__re_compile_node(&ps, root);
        tfm__re_emit(&ps, TFM__RE_OP_MATCH);
        for (k = 0; k + 1 < re->nprog && !ps.failed; k++) { /* mark repeats whose continuation is MATCH */
            int32_t to = k + 1, hops = 0;
            while (re->prog[to].op == TFM__RE_OP_JMP && hops++ < 64) to = re->prog[to].x;
            re->prog[k].tail = re->prog[k].op == TFM__RE_OP_REP && re->prog[to].op == TFM__RE_OP_MATCH;
        }
        memset(set, 0, sizeof set);
        re->nullable = tfm__re_first(&ps, root, set);
        re->first_set = re->nullable ? TFM__RE_NONE : tfm__re_guard(&ps, root, 0);
    }
    TFM_FREE(ps.nodes);
    if (ps.failed) {
        tfm__re_free(re);
        return NULL;
    }
    return re;
}

/* ---- matcher --------------------------------------------------------------------------------- */

typedef struct tfm__re_frame {
    uint32_t type, pc;
    size_t pos, aux;
} tfm__re_frame;

typedef struct tfm__re_exec {
    const tfm__re *re;
    const unsigned char *t;
    size_t len, gstart;
    tfm__re_frame *st;
    size_t sp, cap;
    int heap;
    size_t *slots;
    uint64_t steps, limit;
} tfm__re_exec;

static int tfm__re_grow(tfm__re_exec *ex) {
    size_t ncap = ex->cap * 2;
    tfm__re_frame *n;
    if (ncap > TFM__RE_MAX_FRAMES) {
        tfm__fail(TFM_ERR_LIMIT, "regex: backtracking stack limit (%u entries) exceeded", TFM__RE_MAX_FRAMES);
        return 0;
    }
    n = (tfm__re_frame *)(ex->heap ? TFM_REALLOC(ex->st, ncap * sizeof *n) : TFM_MALLOC(ncap * sizeof *n));
    if (!n) {
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "regex: out of memory for the backtracking stack");
        return 0;
    }
    if (!ex->heap) memcpy(n, ex->st, ex->sp * sizeof *n);
    ex->st = n;
    ex->cap = ncap;
    ex->heap = 1;
    return 1;
}

static int tfm__re_word_at(const tfm__re_exec *ex, size_t pos) {
    size_t n;
    if (pos >= ex->len) return 0;
    return tfm__re_is_word(ex->t[pos] < 0x80 ? ex->t[pos] : tfm__re_decode(ex->t + pos, ex->len - pos, &n));
}

static int tfm__re_assert(const tfm__re_exec *ex, int kind, size_t pos) {
    const unsigned char *t = ex->t;
    size_t len = ex->len;
    switch (kind) {
    case TFM__RE_AS_BOL: return pos == 0 || (t[pos - 1] == '\n' && pos != len);
    case TFM__RE_AS_EOL: return pos == len || t[pos] == '\n';
    case TFM__RE_AS_BOS: return pos == 0;
    case TFM__RE_AS_EOS: return pos == len;
    case TFM__RE_AS_EOSNL: return pos == len || (pos + 1 == len && t[pos] == '\n');
    case TFM__RE_AS_GSTART: return pos == ex->gstart;
    default: {
        int a = pos > 0 && tfm__re_word_at(ex, tfm__re_prev(t, pos, 0)), b = tfm__re_word_at(ex, pos);
        return kind == TFM__RE_AS_WORDB ? a != b : a == b;
    }
    }
}

#define TFM__RE_IN(set, byte) (((set)[(byte) >> 3] >> ((byte) & 7)) & 1u)
/* Pushes a backtrack entry (fast path inline); returns -1 from tfm__re_run on failure. */
#define TFM__RE_PUSH(ex, ty, pc_, pos_, aux_)                                   \
    do {                                                                        \
        tfm__re_frame *f_;                                                      \
        if ((ex)->sp == (ex)->cap && !tfm__re_grow(ex)) return -1;              \
        f_ = &(ex)->st[(ex)->sp++];                                             \
        f_->type = (ty);                                                        \
        f_->pc = (pc_);                                                         \
        f_->pos = (pos_);                                                       \
        f_->aux = (aux_);                                                       \
    } while (0)

/* Runs the program anchored at pos. 1: match (end in *end), 0: none, -1: error. */
static int tfm__re_run(tfm__re_exec *ex, size_t pos, size_t *end) {
    const tfm__re *re = ex->re;
    const tfm__re_inst *prog = re->prog;
    const unsigned char *t = ex->t;
    size_t len = ex->len, mark = (size_t)-1;
    uint32_t pc = 0;
    uint64_t steps = ex->steps, limit = ex->limit; /* in registers; written back on return */
    ex->sp = 0;
    for (;;) {
        const tfm__re_inst *in = &prog[pc];
        if (++steps > limit) goto budget;
        switch (in->op) {
        case TFM__RE_OP_BYTES:
            if (len - pos < (size_t)in->y || memcmp(t + pos, re->bytes + in->x, (size_t)in->y) != 0) goto fail;
            pos += (size_t)in->y;
            pc++;
            continue;
        case TFM__RE_OP_ONE: {
            size_t n = tfm__re_one(re, in->kind, in->a, t, len, pos);
            if (!n) goto fail;
            pos += n;
            pc++;
            continue;
        }
        case TFM__RE_OP_REP: {
            size_t p = pos, minpos = pos, n;
            int32_t count = 0, max = in->y;
            if (in->mode == TFM__RE_LAZY) {
                for (; count < in->x; count++) {
                    n = tfm__re_one(re, in->kind, in->a, t, len, p);
                    if (!n) goto fail;
                    p += n;
                }
                steps += (uint64_t)count;
                if (count != max && !in->tail) TFM__RE_PUSH(ex, TFM__RE_BT_REPL, pc, p, (size_t)count);
                pos = p;
                pc++;
                continue;
            }
            if (in->kind == TFM__RE_M_CLASS) { /* ASCII fast path */
                const tfm__re_class *cls = &re->classes[in->a];
                for (;;) {
                    unsigned b;
                    if (count == max || p >= len) break;
                    b = t[p];
                    if (b < 0x80) {
                        if (!((cls->ascii[b >> 5] >> (b & 31)) & 1u)) break;
                        n = 1;
                    } else {
                        uint32_t cp = tfm__re_decode(t + p, len - p, &n);
                        if (!tfm__re_class_match(re, cls, cp)) break;
                    }
                    p += n;
                    if (++count == in->x) minpos = p;
                }
            } else {
                while (count != max && (n = tfm__re_one(re, in->kind, in->a, t, len, p)) != 0) {
                    p += n;
                    if (++count == in->x) minpos = p;
                }
            }
            steps += (uint64_t)count;
            if (count < in->x) goto fail;
            if (in->mode == TFM__RE_GREEDY && count > in->x && !in->tail) TFM__RE_PUSH(ex, TFM__RE_BT_REPG, pc, p, minpos);
            pos = p;
            pc++;
            continue;
        }
        case TFM__RE_OP_SPLIT: {
            uint32_t b = pos < len ? t[pos] : 256;
            if (in->tab >= 0) { /* alternation: go straight to the first alternative that can match */
                int32_t to = re->tabs[in->tab + (int32_t)b];
                if (to < 0) goto fail;
                pc = (uint32_t)to;
                in = &prog[pc];
                if (in->op != TFM__RE_OP_SPLIT) continue;
            }
            if (in->a != TFM__RE_NONE && (b == 256 || !TFM__RE_IN(re->sets[in->a], b))) {
                pc = (uint32_t)in->y;
                continue;
            }
            if (in->b == TFM__RE_NONE || (b != 256 && TFM__RE_IN(re->sets[in->b], b)))
                TFM__RE_PUSH(ex, TFM__RE_BT_CHOICE, (uint32_t)in->y, pos, 0);
            pc = (uint32_t)in->x;
            continue;
        }
        case TFM__RE_OP_JMP: pc = (uint32_t)in->x; continue;
        case TFM__RE_OP_ASSERT:
            if (!tfm__re_assert(ex, in->kind, pos)) goto fail;
            pc++;
            continue;
        case TFM__RE_OP_LOOK: {
            size_t start = pos;
            if (in->kind == TFM__RE_LK_BEHIND || in->kind == TFM__RE_LK_NBEHIND) {
                uint32_t k;
                for (k = 0; k < in->b; k++) {
                    if (start == 0) break;
                    start = tfm__re_prev(t, start, 0);
                }
                if (k < in->b) {
                    if (in->kind == TFM__RE_LK_BEHIND) goto fail;
                    pc = (uint32_t)in->x;
                    continue;
                }
            }
            TFM__RE_PUSH(ex, TFM__RE_BT_LOOK, pc, pos, mark);
            mark = ex->sp - 1;
            pos = start;
            pc++;
            continue;
        }
        case TFM__RE_OP_LOOK_END: {
            tfm__re_frame *f = &ex->st[mark];
            int kind = prog[f->pc].kind;
            if ((kind == TFM__RE_LK_BEHIND || kind == TFM__RE_LK_NBEHIND) && pos != f->pos) goto fail;
            ex->sp = mark;
            mark = f->aux;
            if (kind == TFM__RE_LK_NAHEAD || kind == TFM__RE_LK_NBEHIND) goto fail;
            if (kind != TFM__RE_LK_ATOMIC) pos = f->pos;
            pc++;
            continue;
        }
        case TFM__RE_OP_EC_START:
            TFM__RE_PUSH(ex, TFM__RE_BT_SLOT, in->a, 0, ex->slots[in->a]);
            ex->slots[in->a] = pos;
            pc++;
            continue;
        case TFM__RE_OP_EC_END:
            pc = ex->slots[in->a] == pos ? (uint32_t)in->x : pc + 1;
            continue;
        default: /* MATCH */
            *end = pos;
            ex->steps = steps;
            return 1;
        }
    fail:
        for (;;) {
            tfm__re_frame *f;
            if (ex->sp == 0) {
                ex->steps = steps;
                return 0;
            }
            if (++steps > limit) goto budget;
            f = &ex->st[ex->sp - 1];
            switch (f->type) {
            case TFM__RE_BT_CHOICE:
                pc = f->pc;
                pos = f->pos;
                ex->sp--;
                break;
            case TFM__RE_BT_REPG:
                pos = tfm__re_prev(t, f->pos, f->aux);
                pc = f->pc + 1;
                if (pos == f->aux) ex->sp--;
                else f->pos = pos;
                break;
            case TFM__RE_BT_REPL: {
                const tfm__re_inst *ri = &prog[f->pc];
                size_t n = tfm__re_one(re, ri->kind, ri->a, t, len, f->pos);
                if (!n) {
                    ex->sp--;
                    continue;
                }
                pos = f->pos + n;
                pc = f->pc + 1;
                if ((int32_t)++f->aux == ri->y) ex->sp--;
                else f->pos = pos;
                break;
            }
            case TFM__RE_BT_SLOT:
                ex->slots[f->pc] = f->aux;
                ex->sp--;
                continue;
            default: { /* LOOK: the body failed */
                int kind = prog[f->pc].kind;
                mark = f->aux;
                ex->sp--;
                if (kind != TFM__RE_LK_NAHEAD && kind != TFM__RE_LK_NBEHIND) continue;
                pc = (uint32_t)prog[f->pc].x;
                pos = f->pos;
                break;
            }
            }
            break;
        }
    }
budget:
    tfm__fail(TFM_ERR_LIMIT, "regex: backtracking step budget exhausted (pattern too complex for this input)");
    return -1;
}

/* Finds the leftmost match starting at or after byte offset `start` in text[0..len) (UTF-8;
   invalid bytes are U+FFFD of length 1). Returns 1 and sets *mstart, *mend (byte offsets), 0 if
   none, -1 on error (step budget or memory; tfm_last_error says which). Lookarounds, \b and ^
   may look at text before `start`; \G matches at `start`. `start` must be a character boundary.
   Iterating like rust-onig's find_iter (which tokenizers uses): search from `pos` (0 first);
   an empty match that ends where the previous match ended is skipped by searching again one
   character after `pos`; otherwise report it and continue from its end (tfm__re_next does this). */
static int tfm__re_search(const tfm__re *re, const char *text, size_t len, size_t start, size_t *mstart, size_t *mend) {
    tfm__re_exec ex;
    tfm__re_frame local[64];
    size_t local_slots[16], s = start, end = 0, n;
    const unsigned char *t = (const unsigned char *)text;
    const unsigned char *first = re->first_set != TFM__RE_NONE ? re->sets[re->first_set] : NULL;
    int r = 0;
    if (start > len) return 0;
    memset(&ex, 0, sizeof ex);
    ex.re = re;
    ex.t = t;
    ex.len = len;
    ex.gstart = start;
    ex.st = local;
    ex.cap = sizeof local / sizeof local[0];
    ex.limit = TFM__RE_STEP_BASE + (uint64_t)(len - start) * 64u;
    ex.slots = local_slots;
    if (re->nslots > 16) {
        ex.slots = (size_t *)TFM_MALLOC((size_t)re->nslots * sizeof(size_t));
        if (!ex.slots) {
            tfm__fail(TFM_ERR_OUT_OF_MEMORY, "regex: out of memory");
            return -1;
        }
    }
    for (;;) {
        if (first) { /* skip characters that cannot start a match (s stays on a character boundary) */
            while (s < len && !TFM__RE_IN(first, t[s])) {
                if (t[s] < 0x80) s++;
                else {
                    tfm__re_decode(t + s, len - s, &n);
                    s += n;
                }
            }
            if (s >= len) break; /* a non-nullable pattern cannot match at the end */
        }
        r = tfm__re_run(&ex, s, &end);
        if (r != 0) break;
        if (s >= len) break;
        if (t[s] < 0x80) s++;
        else {
            tfm__re_decode(t + s, len - s, &n);
            s += n;
        }
    }
    if (ex.heap) TFM_FREE(ex.st);
    if (ex.slots != local_slots) TFM_FREE(ex.slots);
    if (r == 1) {
        *mstart = s;
        *mend = end;
    }
    return r;
}

/* find_iter state: zero-initialise, then call tfm__re_next until it returns 0 (or -1). */
typedef struct tfm__re_iter {
    size_t pos, last_end;
    int has_last;
} tfm__re_iter;

/* Next match in rust-onig find_iter order (tokenizers' Split): 1 with *mstart, *mend, 0 at the
   end, -1 on error. */
static int tfm__re_next(const tfm__re *re, const char *text, size_t len, tfm__re_iter *it, size_t *mstart,
                        size_t *mend) {
    for (;;) {
        int r;
        if (it->pos > len) return 0;
        r = tfm__re_search(re, text, len, it->pos, mstart, mend);
        if (r <= 0) return r;
        if (*mstart == *mend && it->has_last && it->last_end == *mend) {
            size_t n = 1;
            if (it->pos < len && (unsigned char)text[it->pos] >= 0x80)
                tfm__re_decode((const unsigned char *)text + it->pos, len - it->pos, &n);
            it->pos += n;
            continue;
        }
        it->pos = *mend;
        it->last_end = *mend;
        it->has_last = 1;
        return 1;
    }
}

/* =============================================================================================
   [SECTION 13] tokenizers
   Owns tfm_tokenizer: loading tokenizer.json, the normalizers / pre-tokenizers / models /
   post-processors / decoders of the `tokenizers` library, added-token matching, truncation and
   padding. Text travels as a "normalized string": UTF-8 bytes plus, for every byte, the byte
   range of the caller's original text it came from, so offsets survive every rewrite exactly as
   the reference computes them.
   ============================================================================================= */

/* ---- UTF-8 ---- */

/* Decodes one code point at p (n bytes available); invalid sequences give U+FFFD of length 1. */
static uint32_t tfm__utf8_next(const char *p, size_t n, int *len) {
    const unsigned char *u = (const unsigned char *)p;
    int l = tfm__utf8_valid_len(u, u + n);
    if (l == 0) {
        *len = 1;
        return 0xFFFD;
    }
    *len = l;
    switch (l) {
    case 1: return u[0];
    case 2: return ((uint32_t)(u[0] & 0x1f) << 6) | (u[1] & 0x3f);
    case 3: return ((uint32_t)(u[0] & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
    default:
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) | ((uint32_t)(u[2] & 0x3f) << 6) |
               (u[3] & 0x3f);
    }
}

/* ---- string -> id hash map (keys borrowed: they live in the JSON document or the tokenizer's arena) ---- */

typedef struct tfm__smap_entry {
    const char *key;
    uint32_t len;
    int32_t value;
} tfm__smap_entry;

typedef struct tfm__smap {
    tfm__smap_entry *slots;
    size_t mask, count;
} tfm__smap;

static uint64_t tfm__hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    size_t i;
    for (i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h ^ (h >> 29);
}

static int tfm__smap_init(tfm__smap *m, size_t expected) {
    size_t cap = 16;
    while (cap < expected * 2 + 2) cap *= 2;
    m->slots = (tfm__smap_entry *)tfm__calloc(cap, sizeof(tfm__smap_entry));
    m->mask = cap - 1;
    m->count = 0;
    return m->slots != NULL;
}
static void tfm__smap_free(tfm__smap *m) {
    TFM_FREE(m->slots);
    memset(m, 0, sizeof *m);
}
static tfm__smap_entry *tfm__smap_slot(const tfm__smap *m, const char *key, size_t len) {
    size_t h;
    if (!m->slots) return NULL;
    for (h = (size_t)tfm__hash_bytes(key, len) & m->mask;; h = (h + 1) & m->mask) {
        tfm__smap_entry *e = &m->slots[h];
        if (!e->key || (e->len == len && memcmp(e->key, key, len) == 0)) return e;
    }
}
static int32_t tfm__smap_get(const tfm__smap *m, const char *key, size_t len) {
    tfm__smap_entry *e = tfm__smap_slot(m, key, len);
    return (e && e->key) ? e->value : -1;
}
/* Inserts or overwrites; grows at half load. Returns 0 on allocation failure. */
static int tfm__smap_put(tfm__smap *m, const char *key, size_t len, int32_t value) {
    tfm__smap_entry *e;
    if ((m->count + 1) * 2 > m->mask + 1) {
        tfm__smap bigger;
        size_t i;
        if (!tfm__smap_init(&bigger, (m->mask + 1))) return 0;
        for (i = 0; i <= m->mask; i++)
            if (m->slots[i].key) *tfm__smap_slot(&bigger, m->slots[i].key, m->slots[i].len) = m->slots[i];
        bigger.count = m->count;
        TFM_FREE(m->slots);
        *m = bigger;
    }
    e = tfm__smap_slot(m, key, len);
    if (!e->key) m->count++;
    e->key = key;
    e->len = (uint32_t)len;
    e->value = value;
    return 1;
}

/* (id, id) -> (rank, merged id) for BPE merges */
typedef struct tfm__pmap_entry {
    uint64_t key; /* (a << 32 | b) + 1, 0 = empty */
    int32_t rank, id;
} tfm__pmap_entry;
typedef struct tfm__pmap {
    tfm__pmap_entry *slots;
    size_t mask;
} tfm__pmap;

static size_t tfm__pmap_hash(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return (size_t)k;
}
static tfm__pmap_entry *tfm__pmap_slot(const tfm__pmap *m, uint64_t key) {
    size_t h;
    for (h = tfm__pmap_hash(key) & m->mask;; h = (h + 1) & m->mask)
        if (m->slots[h].key == key || m->slots[h].key == 0) return &m->slots[h];
}

/* ---- normalized string ---- */

typedef struct tfm__ns {
    char *s;
    uint32_t *a0, *a1; /* original byte range of each byte of s (absolute in the input) */
    size_t len, cap;
    uint32_t base;     /* original start of this piece: alignment of inserted text at its very start */
} tfm__ns;

static void tfm__ns_free(tfm__ns *ns) {
    TFM_FREE(ns->s);
    TFM_FREE(ns->a0);
    TFM_FREE(ns->a1);
    memset(ns, 0, sizeof *ns);
}

static int tfm__ns_reserve(tfm__ns *ns, size_t need) {
    if (need + 1 > ns->cap) {
        size_t cap = ns->cap ? ns->cap : 32;
        char *s;
        uint32_t *a0, *a1;
        while (cap < need + 1) cap *= 2;
        s = (char *)TFM_REALLOC(ns->s, cap);
        if (!s) return 0;
        ns->s = s;
        a0 = (uint32_t *)TFM_REALLOC(ns->a0, cap * sizeof(uint32_t));
        if (!a0) return 0;
        ns->a0 = a0;
        a1 = (uint32_t *)TFM_REALLOC(ns->a1, cap * sizeof(uint32_t));
        if (!a1) return 0;
        ns->a1 = a1;
        ns->cap = cap;
    }
    return 1;
}

/* Appends a code point whose bytes all map to original range [o0, o1). */
static int tfm__ns_push(tfm__ns *ns, uint32_t cp, uint32_t o0, uint32_t o1) {
    char tmp[4];
    size_t n = tfm__utf8_encode(cp, tmp), i;
    if (!tfm__ns_reserve(ns, ns->len + n)) return 0;
    for (i = 0; i < n; i++) {
        ns->s[ns->len] = tmp[i];
        ns->a0[ns->len] = o0;
        ns->a1[ns->len] = o1;
        ns->len++;
    }
    ns->s[ns->len] = 0;
    return 1;
}

/* A fresh normalized string for original text bytes [0, n) (offset by `at`), invalid UTF-8
   replaced by U+FFFD aligned to its byte. */
static int tfm__ns_from_text(tfm__ns *ns, const char *text, size_t n, uint32_t at) {
    size_t i = 0;
    memset(ns, 0, sizeof *ns);
    ns->base = at;
    if (!tfm__ns_reserve(ns, n)) return 0;
    ns->s[0] = 0;
    while (i < n) {
        int l;
        uint32_t cp = tfm__utf8_next(text + i, n - i, &l);
        if (!tfm__ns_push(ns, cp, at + (uint32_t)i, at + (uint32_t)(i + (size_t)l))) return 0;
        i += (size_t)l;
    }
    return 1;
}

/* Copy of bytes [s, e) as a new piece. */
static int tfm__ns_slice(const tfm__ns *src, size_t s, size_t e, tfm__ns *out) {
    memset(out, 0, sizeof *out);
    if (!tfm__ns_reserve(out, e - s)) return 0;
    memcpy(out->s, src->s + s, e - s);
    memcpy(out->a0, src->a0 + s, (e - s) * sizeof(uint32_t));
    memcpy(out->a1, src->a1 + s, (e - s) * sizeof(uint32_t));
    out->len = e - s;
    out->s[out->len] = 0;
    out->base = (e > s) ? src->a0[s] : (s < src->len ? src->a0[s] : (src->len ? src->a1[src->len - 1] : src->base));
    return 1;
}

typedef struct tfm__change {
    uint32_t cp;
    int32_t change;
} tfm__change;

/* Rewrites ns from a list of (char, change) the way the reference's NormalizedString::transform
   does: change 0 replaces the next original char and inherits its alignment, +1 inserts a char
   that inherits the alignment of the byte before (the piece start at the very beginning), -n
   replaces the next char and deletes n more. `skip` chars at the start are deleted first. */
static int tfm__ns_transform(tfm__ns *ns, const tfm__change *ch, size_t n, size_t skip) {
    tfm__ns out;
    size_t off = 0, i;
    memset(&out, 0, sizeof out);
    out.base = ns->base;
    if (!tfm__ns_reserve(&out, ns->len + n + 4)) {
        tfm__ns_free(&out);
        return 0;
    }
    out.s[0] = 0;
    for (i = 0; i < skip && off < ns->len; i++) {
        int l;
        tfm__utf8_next(ns->s + off, ns->len - off, &l);
        off += (size_t)l;
    }
    for (i = 0; i < n; i++) {
        uint32_t o0, o1;
        int32_t c = ch[i].change;
        if (c > 0) {
            if (off < 1) o0 = o1 = ns->base;
            else {
                o0 = ns->a0[off - 1];
                o1 = ns->a1[off - 1];
            }
        } else if (off < ns->len) {
            o0 = ns->a0[off];
            o1 = ns->a1[off];
        } else { /* more replacements than chars: keep the end alignment */
            o0 = o1 = ns->len ? ns->a1[ns->len - 1] : ns->base;
        }
        if (c <= 0) {
            int32_t k;
            for (k = 0; k <= -c && off < ns->len; k++) {
                int l;
                tfm__utf8_next(ns->s + off, ns->len - off, &l);
                off += (size_t)l;
            }
        }
        if (!tfm__ns_push(&out, ch[i].cp, o0, o1)) {
            tfm__ns_free(&out);
            return 0;
        }
    }
    tfm__ns_free(ns);
    *ns = out;
    return 1;
}

/* Decodes ns into code points (caller frees). */
static uint32_t *tfm__ns_cps(const tfm__ns *ns, size_t *count) {
    uint32_t *cps = (uint32_t *)tfm__malloc((ns->len + 1) * sizeof(uint32_t));
    size_t i = 0, n = 0;
    if (!cps) return NULL;
    while (i < ns->len) {
        int l;
        cps[n++] = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        i += (size_t)l;
    }
    *count = n;
    return cps;
}

/* Growable change list. */
typedef struct tfm__changes {
    tfm__change *v;
    size_t n, cap;
    int failed;
} tfm__changes;
static void tfm__changes_push(tfm__changes *c, uint32_t cp, int32_t change) {
    if (c->failed) return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        tfm__change *v = (tfm__change *)TFM_REALLOC(c->v, cap * sizeof *v);
        if (!v) {
            c->failed = 1;
            return;
        }
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n].cp = cp;
    c->v[c->n].change = change;
    c->n++;
}
static int tfm__changes_apply(tfm__changes *c, tfm__ns *ns, size_t skip) {
    int ok = !c->failed && tfm__ns_transform(ns, c->v, c->n, skip);
    TFM_FREE(c->v);
    memset(c, 0, sizeof *c);
    return ok;
}

/* ---- patterns: the match lists Split-style operations consume ---- */

/* One segment of a piece: bytes [s, e), and whether it matched the pattern. */
typedef struct tfm__seg {
    size_t s, e;
    int match;
} tfm__seg;

typedef struct tfm__segs {
    tfm__seg *v;
    size_t n, cap;
    int failed;
} tfm__segs;

static void tfm__segs_push(tfm__segs *g, size_t s, size_t e, int match) {
    if (g->failed) return;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 16;
        tfm__seg *v = (tfm__seg *)TFM_REALLOC(g->v, cap * sizeof *v);
        if (!v) {
            g->failed = 1;
            return;
        }
        g->v = v;
        g->cap = cap;
    }
    g->v[g->n].s = s;
    g->v[g->n].e = e;
    g->v[g->n].match = match;
    g->n++;
}

typedef int (*tfm__char_pred)(uint32_t cp, const void *arg);

/* Every char satisfying pred is its own match; gaps between are non-matches. */
static void tfm__find_char_matches(const tfm__ns *ns, tfm__char_pred pred, const void *arg, tfm__segs *out) {
    size_t i = 0, last = 0;
    if (ns->len == 0) {
        tfm__segs_push(out, 0, 0, 0);
        return;
    }
    while (i < ns->len) {
        int l;
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        if (pred(cp, arg)) {
            if (last < i) tfm__segs_push(out, last, i, 0);
            tfm__segs_push(out, i, i + (size_t)l, 1);
            last = i + (size_t)l;
        }
        i += (size_t)l;
    }
    if (last < ns->len) tfm__segs_push(out, last, ns->len, 0);
}

/* Non-overlapping literal occurrences, left to right. */
static void tfm__find_literal_matches(const tfm__ns *ns, const char *lit, size_t lit_len, tfm__segs *out) {
    size_t i = 0, last = 0;
    if (ns->len == 0) {
        tfm__segs_push(out, 0, 0, 0);
        return;
    }
    if (lit_len == 0) {
        tfm__segs_push(out, 0, ns->len, 0);
        return;
    }
    while (i + lit_len <= ns->len) {
        if (memcmp(ns->s + i, lit, lit_len) == 0) {
            if (last < i) tfm__segs_push(out, last, i, 0);
            tfm__segs_push(out, i, i + lit_len, 1);
            i += lit_len;
            last = i;
        } else {
            i++;
        }
    }
    if (last < ns->len) tfm__segs_push(out, last, ns->len, 0);
}

/* Regex matches in the order the reference's find_iter reports them. */
static int tfm__find_regex_matches(const tfm__ns *ns, const tfm__re *re, tfm__segs *out) {
    tfm__re_iter it;
    size_t prev = 0, ms, me;
    int r;
    if (ns->len == 0) {
        tfm__segs_push(out, 0, 0, 0);
        return 1;
    }
    memset(&it, 0, sizeof it);
    while ((r = tfm__re_next(re, ns->s, ns->len, &it, &ms, &me)) > 0) {
        if (prev != ms) tfm__segs_push(out, prev, ms, 0);
        tfm__segs_push(out, ms, me, 1);
        prev = me;
    }
    if (r < 0) return 0;
    if (prev != ns->len) tfm__segs_push(out, prev, ns->len, 0);
    return 1;
}

enum { TFM__SPLIT_REMOVED, TFM__SPLIT_ISOLATED, TFM__SPLIT_MERGED_PREV, TFM__SPLIT_MERGED_NEXT, TFM__SPLIT_CONTIGUOUS };

/* Applies a split behaviour to a match list in place; segments with match == 1 afterwards are
   dropped by the caller ("removed"). */
static void tfm__apply_behavior(tfm__segs *g, int behavior) {
    size_t i, n = 0;
    int prev = 0;
    switch (behavior) {
    case TFM__SPLIT_REMOVED: return;
    case TFM__SPLIT_ISOLATED:
        for (i = 0; i < g->n; i++) g->v[i].match = 0;
        return;
    case TFM__SPLIT_CONTIGUOUS:
        for (i = 0; i < g->n; i++) {
            int m = g->v[i].match;
            if (m == prev && n > 0) g->v[n - 1].e = g->v[i].e;
            else {
                g->v[n] = g->v[i];
                g->v[n].match = 0;
                n++;
            }
            prev = m;
        }
        g->n = n;
        return;
    case TFM__SPLIT_MERGED_PREV:
        for (i = 0; i < g->n; i++) {
            int m = g->v[i].match;
            if (m && !prev && n > 0) g->v[n - 1].e = g->v[i].e;
            else {
                g->v[n] = g->v[i];
                g->v[n].match = 0;
                n++;
            }
            prev = m;
        }
        g->n = n;
        return;
    case TFM__SPLIT_MERGED_NEXT: {
        /* walk backwards, merging a match into the piece after it */
        size_t k;
        for (k = g->n; k-- > 0;) {
            int m = g->v[k].match;
            if (m && !prev && n > 0) g->v[g->n - n].s = g->v[k].s;
            else {
                n++;
                g->v[g->n - n] = g->v[k];
                g->v[g->n - n].match = 0;
            }
            prev = m;
        }
        memmove(g->v, g->v + (g->n - n), n * sizeof(tfm__seg));
        g->n = n;
        return;
    }
    }
}

/* ---- pieces: a pre-tokenized string ---- */

typedef struct tfm__piece {
    tfm__ns ns;
    int32_t id; /* >= 0: an added token already resolved */
} tfm__piece;

typedef struct tfm__pieces {
    tfm__piece *v;
    size_t n, cap;
} tfm__pieces;

static void tfm__pieces_free(tfm__pieces *p) {
    size_t i;
    for (i = 0; i < p->n; i++) tfm__ns_free(&p->v[i].ns);
    TFM_FREE(p->v);
    memset(p, 0, sizeof *p);
}
/* Takes ownership of ns. */
static int tfm__pieces_push(tfm__pieces *p, tfm__ns *ns, int32_t id) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        tfm__piece *v = (tfm__piece *)TFM_REALLOC(p->v, cap * sizeof *v);
        if (!v) {
            tfm__ns_free(ns);
            return 0;
        }
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n].ns = *ns;
    p->v[p->n].id = id;
    p->n++;
    memset(ns, 0, sizeof *ns);
    return 1;
}

/* Splits `ns` by the segments (after the behaviour) into `out`, dropping matched segments and
   empty pieces. */
static int tfm__split_into(const tfm__ns *ns, tfm__segs *g, int behavior, tfm__pieces *out) {
    size_t i;
    if (g->failed) return 0;
    tfm__apply_behavior(g, behavior);
    for (i = 0; i < g->n; i++) {
        tfm__ns piece;
        if (g->v[i].match || g->v[i].e <= g->v[i].s) continue;
        if (!tfm__ns_slice(ns, g->v[i].s, g->v[i].e, &piece) || !tfm__pieces_push(out, &piece, -1)) return 0;
    }
    return 1;
}

/* ---- components ---- */

enum {
    TFM__N_BERT = 1, TFM__N_LOWERCASE, TFM__N_NFC, TFM__N_NFD, TFM__N_NFKC, TFM__N_NFKD, TFM__N_STRIP,
    TFM__N_STRIP_ACCENTS, TFM__N_REPLACE, TFM__N_PREPEND, TFM__N_PRECOMPILED, TFM__N_NMT, TFM__N_BYTELEVEL,
    TFM__N_SEQUENCE
};
enum {
    TFM__P_BERT = 1, TFM__P_WHITESPACE, TFM__P_WHITESPACE_SPLIT, TFM__P_PUNCTUATION, TFM__P_DIGITS, TFM__P_DELIMITER,
    TFM__P_SPLIT, TFM__P_METASPACE, TFM__P_BYTELEVEL, TFM__P_SEQUENCE
};
enum {
    TFM__D_BYTELEVEL = 1, TFM__D_WORDPIECE, TFM__D_METASPACE, TFM__D_BPE, TFM__D_CTC, TFM__D_REPLACE,
    TFM__D_BYTE_FALLBACK, TFM__D_FUSE, TFM__D_STRIP, TFM__D_SEQUENCE
};
enum { TFM__M_WORDPIECE = 1, TFM__M_BPE, TFM__M_UNIGRAM, TFM__M_WORDLEVEL };
enum { TFM__PREPEND_ALWAYS, TFM__PREPEND_FIRST, TFM__PREPEND_NEVER };

/* One normalizer, pre-tokenizer or decoder node (fields used per type). */
typedef struct tfm__comp {
    int type;
    int flag_a, flag_b, flag_c, flag_d; /* per-type booleans, see the loader */
    int behavior, invert;
    uint32_t ch;                        /* a single char (delimiter, replacement, strip content) */
    const char *str;                    /* literal pattern / prepend / prefix / suffix */
    size_t str_len;
    const char *content;                /* replacement text */
    size_t content_len;
    tfm__re *re;                        /* regex pattern (owned) */
    int64_t n_a, n_b;                   /* counts (strip start/stop) */
    unsigned char *blob;                /* Precompiled charsmap (owned) */
    size_t blob_len;
    struct tfm__comp *items;            /* Sequence children (owned) */
    int n_items;
} tfm__comp;

static void tfm__comp_free(tfm__comp *c) {
    int i;
    if (!c) return;
    for (i = 0; i < c->n_items; i++) tfm__comp_free(&c->items[i]);
    TFM_FREE(c->items);
    if (c->re) tfm__re_free(c->re);
    TFM_FREE(c->blob);
    memset(c, 0, sizeof *c);
}

/* ---- normalizers ---- */

static int tfm__is_bert_ws(uint32_t c) { return c == '\t' || c == '\n' || c == '\r' || tfm__uc_is_whitespace(c); }
static int tfm__is_bert_control(uint32_t c) {
    int cat;
    if (c == '\t' || c == '\n' || c == '\r') return 0;
    cat = tfm__uc_category(c);
    return cat == TFM__UC_CC || cat == TFM__UC_CF || cat == TFM__UC_CN || cat == TFM__UC_CO || cat == TFM__UC_CS;
}

/* Keeps chars for which keep() holds, as NormalizedString::filter (deleted chars fold into the
   change of the kept char before them). */
static int tfm__ns_filter(tfm__ns *ns, int (*keep)(uint32_t, const void *), const void *arg) {
    tfm__changes c;
    size_t i = 0, skip = 0;
    int32_t removed = 0;
    int have_last = 0;
    uint32_t last = 0;
    memset(&c, 0, sizeof c);
    while (i < ns->len) {
        int l;
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        if (keep(cp, arg)) {
            if (have_last) tfm__changes_push(&c, last, -removed);
            else skip = (size_t)removed;
            last = cp;
            have_last = 1;
            removed = 0;
        } else {
            removed++;
        }
        i += (size_t)l;
    }
    if (have_last) tfm__changes_push(&c, last, -removed);
    else skip = (size_t)removed;
    return tfm__changes_apply(&c, ns, skip);
}

static int tfm__keep_bert_clean(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return !(c == 0 || c == 0xFFFD || tfm__is_bert_control(c));
}
static int tfm__keep_not_mn(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return tfm__uc_category(c) != TFM__UC_MN;
}
static int tfm__keep_not_mark(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return !tfm__uc_is_combining_mark(c);
}
static int tfm__keep_nmt(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return !((c >= 0x0001 && c <= 0x0008) || c == 0x000B || (c >= 0x000E && c <= 0x001F) || c == 0x007F ||
             c == 0x008F || c == 0x009F);
}

/* Per-char 1:1 map. */
static int tfm__ns_map(tfm__ns *ns, uint32_t (*fn)(uint32_t)) {
    tfm__changes c;
    size_t i = 0;
    memset(&c, 0, sizeof c);
    while (i < ns->len) {
        int l;
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        tfm__changes_push(&c, fn(cp), 0);
        i += (size_t)l;
    }
    return tfm__changes_apply(&c, ns, 0);
}
static uint32_t tfm__map_bert_ws(uint32_t c) { return tfm__is_bert_ws(c) ? ' ' : c; }
static uint32_t tfm__map_nmt(uint32_t c) {
    switch (c) {
    case 0x0009: case 0x000A: case 0x000C: case 0x000D: case 0x1680: case 0x200B: case 0x200C: case 0x200D:
    case 0x200E: case 0x200F: case 0x2028: case 0x2029: case 0x2581: case 0xFEFF: case 0xFFFD: return ' ';
    default: return c;
    }
}

static int tfm__ns_lowercase(tfm__ns *ns) {
    tfm__changes c;
    size_t i = 0;
    memset(&c, 0, sizeof c);
    while (i < ns->len) {
        int l, k, n;
        uint32_t low[3];
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        n = tfm__uc_to_lower(cp, low);
        for (k = 0; k < n; k++) tfm__changes_push(&c, low[k], k > 0);
        i += (size_t)l;
    }
    return tfm__changes_apply(&c, ns, 0);
}

static int tfm__ns_chinese(tfm__ns *ns) {
    tfm__changes c;
    size_t i = 0;
    memset(&c, 0, sizeof c);
    while (i < ns->len) {
        int l;
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        if (tfm__uc_is_cjk_ideograph(cp)) {
            tfm__changes_push(&c, ' ', 0);
            tfm__changes_push(&c, cp, 1);
            tfm__changes_push(&c, ' ', 1);
        } else {
            tfm__changes_push(&c, cp, 0);
        }
        i += (size_t)l;
    }
    return tfm__changes_apply(&c, ns, 0);
}

static int tfm__ns_unicode_form(tfm__ns *ns, int form) {
    size_t n, i;
    uint32_t *cps = tfm__ns_cps(ns, &n);
    tfm__uc_change *out = NULL;
    int64_t m;
    tfm__changes c;
    if (!cps) return 0;
    m = tfm__uc_normalize(cps, (int64_t)n, form, &out);
    TFM_FREE(cps);
    if (m < 0) return 0;
    memset(&c, 0, sizeof c);
    for (i = 0; i < (size_t)m; i++) tfm__changes_push(&c, out[i].cp, out[i].change);
    TFM_FREE(out);
    return tfm__changes_apply(&c, ns, 0);
}

/* Replaces each match by `content`: the matched chars go, the new chars take the alignment of
   the match's last byte (NormalizedString::replace). */
static int tfm__ns_replace_segs(tfm__ns *ns, const tfm__segs *g, const char *content, size_t content_len) {
    tfm__ns out;
    size_t k;
    memset(&out, 0, sizeof out);
    out.base = ns->base;
    if (g->failed || !tfm__ns_reserve(&out, ns->len + 8)) return 0;
    out.s[0] = 0;
    for (k = 0; k < g->n; k++) {
        const tfm__seg *sg = &g->v[k];
        if (!sg->match || sg->e == sg->s) {
            size_t b;
            if (!tfm__ns_reserve(&out, out.len + (sg->e - sg->s))) goto fail;
            for (b = sg->s; b < sg->e; b++) {
                out.s[out.len] = ns->s[b];
                out.a0[out.len] = ns->a0[b];
                out.a1[out.len] = ns->a1[b];
                out.len++;
            }
        } else {
            size_t i = 0;
            uint32_t o0 = ns->a0[sg->e - 1], o1 = ns->a1[sg->e - 1];
            while (i < content_len) {
                int l;
                uint32_t cp = tfm__utf8_next(content + i, content_len - i, &l);
                if (!tfm__ns_push(&out, cp, o0, o1)) goto fail;
                i += (size_t)l;
            }
        }
    }
    if (out.s) out.s[out.len] = 0;
    tfm__ns_free(ns);
    *ns = out;
    return 1;
fail:
    tfm__ns_free(&out);
    return 0;
}

static int tfm__ns_prepend(tfm__ns *ns, const char *s, size_t n) {
    tfm__changes c;
    size_t i = 0;
    int l, first = 1;
    uint32_t next;
    if (ns->len == 0) return 1;
    memset(&c, 0, sizeof c);
    next = tfm__utf8_next(ns->s, ns->len, &l);
    while (i < n) {
        int m;
        uint32_t cp = tfm__utf8_next(s + i, n - i, &m);
        tfm__changes_push(&c, cp, first ? 0 : 1);
        first = 0;
        i += (size_t)m;
    }
    tfm__changes_push(&c, next, 1);
    /* transform only the first char; copy the rest */
    {
        tfm__ns head, rest;
        size_t b;
        if (!tfm__ns_slice(ns, 0, (size_t)l, &head) || !tfm__changes_apply(&c, &head, 0)) {
            tfm__ns_free(&head);
            return 0;
        }
        head.base = ns->base;
        rest = head;
        if (!tfm__ns_reserve(&rest, rest.len + ns->len - (size_t)l)) {
            tfm__ns_free(&rest);
            return 0;
        }
        for (b = (size_t)l; b < ns->len; b++) {
            rest.s[rest.len] = ns->s[b];
            rest.a0[rest.len] = ns->a0[b];
            rest.a1[rest.len] = ns->a1[b];
            rest.len++;
        }
        rest.s[rest.len] = 0;
        rest.base = ns->base;
        tfm__ns_free(ns);
        *ns = rest;
    }
    return 1;
}

/* GPT-2's byte -> printable char table. */
static uint32_t tfm__byte_char(unsigned b) {
    unsigned i, n = 0;
    if ((b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae)) return b;
    for (i = 0; i < b; i++)
        if (!((i >= 0x21 && i <= 0x7e) || (i >= 0xa1 && i <= 0xac) || (i >= 0xae))) n++;
    return 0x100 + n;
}
/* Inverse: char -> byte, or -1. */
static int tfm__char_byte(uint32_t cp) {
    if ((cp >= 0x21 && cp <= 0x7e) || (cp >= 0xa1 && cp <= 0xac) || (cp >= 0xae && cp <= 0xff)) return (int)cp;
    if (cp >= 0x100 && cp < 0x100 + 68) {
        unsigned b, n = 0;
        for (b = 0; b < 256; b++) {
            if (!((b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae))) {
                if (n == cp - 0x100) return (int)b;
                n++;
            }
        }
    }
    return -1;
}

static int tfm__ns_bytelevel(tfm__ns *ns) {
    tfm__changes c;
    size_t i = 0;
    memset(&c, 0, sizeof c);
    while (i < ns->len) {
        int l, k;
        tfm__utf8_next(ns->s + i, ns->len - i, &l);
        for (k = 0; k < l; k++) tfm__changes_push(&c, tfm__byte_char((unsigned char)ns->s[i + (size_t)k]), k > 0);
        i += (size_t)l;
    }
    return tfm__changes_apply(&c, ns, 0);
}

/* Approximates Extended_Pictographic (emoji) for the ZWJ rule of grapheme clustering. */
static int tfm__is_pictographic(uint32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) || (c >= 0x2300 && c <= 0x23FF) ||
           (c >= 0x2B00 && c <= 0x2BFF) || c == 0x00A9 || c == 0x00AE || c == 0x203C || c == 0x2049 || c == 0x2122 ||
           c == 0x2139 || (c >= 0x2194 && c <= 0x21AA) || c == 0x3030 || c == 0x303D || c == 0x3297 || c == 0x3299;
}

/* Length in bytes of the grapheme cluster at p: a base char plus following marks, joiners,
   variation selectors, emoji modifiers and tags; a ZWJ pulls in the next char; CR LF and
   regional-indicator pairs stay together. */
static size_t tfm__grapheme_len(const char *p, size_t n) {
    int l;
    uint32_t cp = tfm__utf8_next(p, n, &l), prev = cp;
    size_t i = (size_t)l;
    if (cp == '\r' && i < n && p[i] == '\n') return i + 1;
    if (cp == '\n' || cp == '\r' || tfm__uc_category(cp) == TFM__UC_CC) return i;
    if (cp >= 0x1F1E6 && cp <= 0x1F1FF && i < n) {
        uint32_t nx = tfm__utf8_next(p + i, n - i, &l);
        if (nx >= 0x1F1E6 && nx <= 0x1F1FF) i += (size_t)l;
    }
    while (i < n) {
        uint32_t nx = tfm__utf8_next(p + i, n - i, &l);
        int cat = tfm__uc_category(nx);
        if (cat == TFM__UC_MN || cat == TFM__UC_ME || cat == TFM__UC_MC || nx == 0x200D || (nx >= 0xFE00 && nx <= 0xFE0F) ||
            (nx >= 0x1F3FB && nx <= 0x1F3FF) || (nx >= 0xE0020 && nx <= 0xE007F) || (nx >= 0xE0100 && nx <= 0xE01EF) ||
            (prev == 0x200D && tfm__is_pictographic(nx))) {
            prev = nx;
            i += (size_t)l;
        } else {
            break;
        }
    }
    return i;
}

/* SentencePiece's compiled char map: a darts-clone double-array trie over UTF-8 bytes whose
   values index NUL-terminated replacement strings. Returns the replacement of the first prefix
   match of s[0..n) (as the reference takes results[0]), or NULL. */
static const char *tfm__charsmap_lookup(const tfm__comp *c, const char *s, size_t n) {
    const unsigned char *blob = c->blob;
    uint32_t trie_bytes, units, node = 0, unit;
    size_t i;
    if (c->blob_len < 4) return NULL;
    trie_bytes = (uint32_t)blob[0] | ((uint32_t)blob[1] << 8) | ((uint32_t)blob[2] << 16) | ((uint32_t)blob[3] << 24);
    units = trie_bytes / 4;
#define TFM__UNIT(k) ((uint32_t)blob[4 + 4 * (k)] | ((uint32_t)blob[5 + 4 * (k)] << 8) | \
                      ((uint32_t)blob[6 + 4 * (k)] << 16) | ((uint32_t)blob[7 + 4 * (k)] << 24))
#define TFM__OFFSET(u) (((u) >> 10) << (((u) & (1u << 9)) >> 6))
    if (units == 0) return NULL;
    unit = TFM__UNIT(0);
    node ^= TFM__OFFSET(unit);
    for (i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        node ^= b;
        if (node >= units) return NULL;
        unit = TFM__UNIT(node);
        if ((unit & ((1u << 31) | 0xFF)) != b) return NULL;
        node ^= TFM__OFFSET(unit);
        if (node >= units) return NULL;
        if ((unit >> 8) & 1) {
            uint32_t value = TFM__UNIT(node) & ((1u << 31) - 1);
            size_t at = 4 + (size_t)trie_bytes + value, end = at;
            if (at >= c->blob_len) return NULL;
            while (end < c->blob_len && blob[end]) end++;
            if (end >= c->blob_len) return NULL;
            return (const char *)blob + at;
        }
    }
#undef TFM__UNIT
#undef TFM__OFFSET
    return NULL;
}

/* Appends (replacement chars) for old text of old_chars chars: all change 0, then the last
   extra ones +1 or the last one carrying the deficit (spm_precompiled's replace). */
static void tfm__changes_replace(tfm__changes *c, size_t old_chars, const char *repl) {
    size_t i = 0, n = strlen(repl), start = c->n, new_chars;
    int64_t diff;
    while (i < n) {
        int l;
        uint32_t cp = tfm__utf8_next(repl + i, n - i, &l);
        tfm__changes_push(c, cp, 0);
        i += (size_t)l;
    }
    if (c->failed) return;
    new_chars = c->n - start;
    diff = (int64_t)new_chars - (int64_t)old_chars;
    if (diff > 0) {
        size_t k;
        for (k = 0; k < (size_t)diff; k++) c->v[c->n - 1 - k].change = 1;
    } else if (diff < 0 && c->n > 0) {
        c->v[c->n - 1].change += (int32_t)diff;
    }
}

static size_t tfm__count_chars(const char *s, size_t n) {
    size_t i = 0, k = 0;
    while (i < n) {
        int l;
        tfm__utf8_next(s + i, n - i, &l);
        i += (size_t)l;
        k++;
    }
    return k;
}

static int tfm__ns_precompiled(tfm__ns *ns, const tfm__comp *c) {
    tfm__changes ch;
    size_t i = 0;
    int modified = 0;
    if (!c->blob) return 1;
    memset(&ch, 0, sizeof ch);
    while (i < ns->len) {
        size_t g = tfm__grapheme_len(ns->s + i, ns->len - i), j;
        const char *repl = NULL;
        if (g < 6) {
            /* a short cluster is looked up whole; the first prefix hit replaces all of it, as the
               reference does (so a mark after a mapped char goes with it) */
            repl = tfm__charsmap_lookup(c, ns->s + i, g);
            if (repl) {
                tfm__changes_replace(&ch, tfm__count_chars(ns->s + i, g), repl);
                modified = 1;
                i += g;
                continue;
            }
        }
        for (j = 0; j < g;) {
            int l;
            uint32_t cp = tfm__utf8_next(ns->s + i + j, g - j, &l);
            repl = tfm__charsmap_lookup(c, ns->s + i + j, (size_t)l);
            if (repl) {
                tfm__changes_replace(&ch, 1, repl);
                modified = 1;
            } else {
                tfm__changes_push(&ch, cp, 0);
            }
            j += (size_t)l;
        }
        i += g;
    }
    if (!modified) {
        TFM_FREE(ch.v);
        return 1;
    }
    return tfm__changes_apply(&ch, ns, 0);
}

static int tfm__normalize(const tfm__comp *c, tfm__ns *ns) {
    int i;
    switch (c->type) {
    case TFM__N_BERT: /* flag_a clean_text, flag_b chinese, flag_c strip_accents, flag_d lowercase */
        if (c->flag_a && (!tfm__ns_filter(ns, tfm__keep_bert_clean, NULL) || !tfm__ns_map(ns, tfm__map_bert_ws))) return 0;
        if (c->flag_b && !tfm__ns_chinese(ns)) return 0;
        if (c->flag_c && (!tfm__ns_unicode_form(ns, 0) || !tfm__ns_filter(ns, tfm__keep_not_mn, NULL))) return 0;
        if (c->flag_d && !tfm__ns_lowercase(ns)) return 0;
        return 1;
    case TFM__N_LOWERCASE: return tfm__ns_lowercase(ns);
    case TFM__N_NFD: return tfm__ns_unicode_form(ns, 0);
    case TFM__N_NFC: return tfm__ns_unicode_form(ns, 1);
    case TFM__N_NFKD: return tfm__ns_unicode_form(ns, 2);
    case TFM__N_NFKC: return tfm__ns_unicode_form(ns, 3);
    case TFM__N_STRIP: {
        /* flag_a left, flag_b right */
        size_t s = 0, e = ns->len;
        tfm__ns out;
        while (c->flag_a && s < e) {
            int l;
            uint32_t cp = tfm__utf8_next(ns->s + s, e - s, &l);
            if (!tfm__uc_is_whitespace(cp)) break;
            s += (size_t)l;
        }
        while (c->flag_b && e > s) {
            size_t b = e - 1;
            int l;
            while (b > s && ((unsigned char)ns->s[b] & 0xc0) == 0x80) b--;
            if (!tfm__uc_is_whitespace(tfm__utf8_next(ns->s + b, e - b, &l))) break;
            e = b;
        }
        if (s == 0 && e == ns->len) return 1;
        if (!tfm__ns_slice(ns, s, e, &out)) return 0;
        out.base = ns->base;
        tfm__ns_free(ns);
        *ns = out;
        return 1;
    }
    case TFM__N_STRIP_ACCENTS: return tfm__ns_filter(ns, tfm__keep_not_mark, NULL);
    case TFM__N_NMT: return tfm__ns_filter(ns, tfm__keep_nmt, NULL) && tfm__ns_map(ns, tfm__map_nmt);
    case TFM__N_REPLACE: {
        tfm__segs g;
        int ok;
        memset(&g, 0, sizeof g);
        if (c->re) ok = tfm__find_regex_matches(ns, c->re, &g);
        else {
            tfm__find_literal_matches(ns, c->str, c->str_len, &g);
            ok = 1;
        }
        ok = ok && tfm__ns_replace_segs(ns, &g, c->content, c->content_len);
        TFM_FREE(g.v);
        return ok;
    }
    case TFM__N_PREPEND: return tfm__ns_prepend(ns, c->str, c->str_len);
    case TFM__N_PRECOMPILED: return tfm__ns_precompiled(ns, c);
    case TFM__N_BYTELEVEL: return tfm__ns_bytelevel(ns);
    case TFM__N_SEQUENCE:
        for (i = 0; i < c->n_items; i++)
            if (!tfm__normalize(&c->items[i], ns)) return 0;
        return 1;
    }
    return 1;
}

/* ---- pre-tokenizers ---- */

static int tfm__pred_ws(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return tfm__uc_is_whitespace(c);
}
static int tfm__pred_punct(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return tfm__uc_is_bert_punct(c);
}
static int tfm__pred_numeric(uint32_t c, const void *arg) {
    TFM__UNUSED(arg);
    return tfm__uc_is_numeric(c);
}
static int tfm__pred_char(uint32_t c, const void *arg) { return c == *(const uint32_t *)arg; }

/* Unicode \w as the Rust regex crate defines it. */
static int tfm__is_word_char(uint32_t c) {
    int cat = tfm__uc_category(c);
    return tfm__uc_is_alphabetic(c) || cat == TFM__UC_MN || cat == TFM__UC_MC || cat == TFM__UC_ME || cat == TFM__UC_ND ||
           cat == TFM__UC_PC || c == 0x200C || c == 0x200D;
}

/* Splits one piece with a char predicate. */
static int tfm__split_pred(const tfm__ns *ns, tfm__char_pred pred, const void *arg, int behavior, tfm__pieces *out) {
    tfm__segs g;
    int ok;
    memset(&g, 0, sizeof g);
    tfm__find_char_matches(ns, pred, arg, &g);
    ok = tfm__split_into(ns, &g, behavior, out);
    TFM_FREE(g.v);
    return ok;
}

/* `Whitespace`: the runs of \w+ or [^\w\s]+ are the pieces. */
static int tfm__split_whitespace_regex(const tfm__ns *ns, tfm__pieces *out) {
    size_t i = 0;
    while (i < ns->len) {
        int l, kind;
        size_t start = i;
        uint32_t cp = tfm__utf8_next(ns->s + i, ns->len - i, &l);
        kind = tfm__is_word_char(cp) ? 1 : tfm__uc_is_whitespace(cp) ? 0 : 2;
        i += (size_t)l;
        if (kind == 0) continue;
        while (i < ns->len) {
            uint32_t nx = tfm__utf8_next(ns->s + i, ns->len - i, &l);
            int k2 = tfm__is_word_char(nx) ? 1 : tfm__uc_is_whitespace(nx) ? 0 : 2;
            if (k2 != kind) break;
            i += (size_t)l;
        }
        {
            tfm__ns piece;
            if (!tfm__ns_slice(ns, start, i, &piece) || !tfm__pieces_push(out, &piece, -1)) return 0;
        }
    }
    return 1;
}

static int tfm__starts_with_cp(const tfm__ns *ns, uint32_t cp) {
    int l;
    return ns->len > 0 && tfm__utf8_next(ns->s, ns->len, &l) == cp;
}

/* Runs one pre-tokenizer over every unresolved piece. */
static int tfm__pretokenize(const tfm__comp *c, tfm__pieces *pieces) {
    tfm__pieces out;
    size_t k;
    int i, ok = 1;
    if (c->type == TFM__P_SEQUENCE) {
        for (i = 0; i < c->n_items; i++)
            if (!tfm__pretokenize(&c->items[i], pieces)) return 0;
        return 1;
    }
    memset(&out, 0, sizeof out);
    for (k = 0; k < pieces->n && ok; k++) {
        tfm__piece *p = &pieces->v[k];
        tfm__ns *ns = &p->ns;
        if (p->id >= 0) {
            ok = tfm__pieces_push(&out, ns, p->id);
            continue;
        }
        switch (c->type) {
        case TFM__P_BERT: {
            tfm__pieces tmp;
            size_t j;
            memset(&tmp, 0, sizeof tmp);
            ok = tfm__split_pred(ns, tfm__pred_ws, NULL, TFM__SPLIT_REMOVED, &tmp);
            for (j = 0; j < tmp.n && ok; j++) ok = tfm__split_pred(&tmp.v[j].ns, tfm__pred_punct, NULL, TFM__SPLIT_ISOLATED, &out);
            tfm__pieces_free(&tmp);
            break;
        }
        case TFM__P_WHITESPACE: ok = tfm__split_whitespace_regex(ns, &out); break;
        case TFM__P_WHITESPACE_SPLIT: ok = tfm__split_pred(ns, tfm__pred_ws, NULL, TFM__SPLIT_REMOVED, &out); break;
        case TFM__P_PUNCTUATION: ok = tfm__split_pred(ns, tfm__pred_punct, NULL, c->behavior, &out); break;
        case TFM__P_DIGITS:
            ok = tfm__split_pred(ns, tfm__pred_numeric, NULL, c->flag_a ? TFM__SPLIT_ISOLATED : TFM__SPLIT_CONTIGUOUS, &out);
            break;
        case TFM__P_DELIMITER: ok = tfm__split_pred(ns, tfm__pred_char, &c->ch, TFM__SPLIT_REMOVED, &out); break;
        case TFM__P_SPLIT: {
            tfm__segs g;
            size_t j;
            memset(&g, 0, sizeof g);
            if (c->re) ok = tfm__find_regex_matches(ns, c->re, &g);
            else tfm__find_literal_matches(ns, c->str, c->str_len, &g);
            if (ok && c->invert)
                for (j = 0; j < g.n; j++) g.v[j].match = !g.v[j].match;
            ok = ok && tfm__split_into(ns, &g, c->behavior, &out);
            TFM_FREE(g.v);
            break;
        }
        case TFM__P_METASPACE: {
            /* ch replacement, behavior prepend scheme, flag_a split */
            char rep[4];
            size_t rep_len = tfm__utf8_encode(c->ch, rep);
            tfm__segs g;
            memset(&g, 0, sizeof g);
            tfm__find_literal_matches(ns, " ", 1, &g);
            ok = tfm__ns_replace_segs(ns, &g, rep, rep_len);
            TFM_FREE(g.v);
            if (ok && !tfm__starts_with_cp(ns, c->ch) &&
                (c->behavior == TFM__PREPEND_ALWAYS || (c->behavior == TFM__PREPEND_FIRST && ns->base == 0)))
                ok = tfm__ns_prepend(ns, rep, rep_len);
            if (!ok) break;
            if (c->flag_a) {
                memset(&g, 0, sizeof g);
                tfm__find_literal_matches(ns, rep, rep_len, &g);
                ok = tfm__split_into(ns, &g, TFM__SPLIT_MERGED_NEXT, &out);
                TFM_FREE(g.v);
            } else {
                ok = tfm__pieces_push(&out, ns, -1);
            }
            break;
        }
        case TFM__P_BYTELEVEL: {
            /* flag_a add_prefix_space, flag_b use_regex (c->re holds the GPT-2 pattern) */
            size_t first = out.n, j;
            if (c->flag_a && !tfm__starts_with_cp(ns, ' ')) ok = tfm__ns_prepend(ns, " ", 1);
            if (!ok) break;
            if (c->flag_b && c->re) {
                tfm__segs g;
                memset(&g, 0, sizeof g);
                ok = tfm__find_regex_matches(ns, c->re, &g) && tfm__split_into(ns, &g, TFM__SPLIT_ISOLATED, &out);
                TFM_FREE(g.v);
            } else {
                ok = tfm__pieces_push(&out, ns, -1);
            }
            for (j = first; j < out.n && ok; j++) ok = tfm__ns_bytelevel(&out.v[j].ns);
            break;
        }
        default: ok = tfm__pieces_push(&out, ns, -1); break;
        }
    }
    tfm__pieces_free(pieces);
    *pieces = out;
    return ok;
}

/* ---- models ---- */

typedef struct tfm__model {
    int type;
    tfm__smap vocab;            /* token -> id */
    const char **id_str;        /* id -> token (NULL where no token) */
    uint32_t *id_len;
    int64_t n_ids;
    int32_t unk_id;             /* -1: none */
    const char *prefix;         /* WordPiece / BPE continuing_subword_prefix */
    size_t prefix_len;
    const char *suffix;         /* BPE end_of_word_suffix */
    size_t suffix_len;
    int64_t max_chars;          /* WordPiece max_input_chars_per_word */
    tfm__pmap merges;           /* BPE */
    int byte_fallback, fuse_unk, ignore_merges;
    int32_t byte_ids[256];      /* ids of <0xHH>, -1 if absent */
    double *scores;             /* Unigram */
    double min_score;
    size_t max_piece_bytes;
    struct tfm__bpe_cache *cache; /* BPE results of short words (owned) */
} tfm__model;

/* A token produced for one piece, before post-processing. */
typedef struct tfm__tok {
    int32_t id;
    uint32_t o0, o1;   /* original byte offsets */
    int32_t word;
    uint32_t str_at;   /* token string: offset into the encode's string buffer */
    uint32_t str_len;
} tfm__tok;

typedef struct tfm__toks {
    tfm__tok *v;
    size_t n, cap;
    tfm__buf strs;     /* token strings */
    int failed;
} tfm__toks;

static void tfm__toks_free(tfm__toks *t) {
    TFM_FREE(t->v);
    TFM_FREE(t->strs.data);
    memset(t, 0, sizeof *t);
}

static void tfm__toks_push(tfm__toks *t, int32_t id, uint32_t o0, uint32_t o1, int32_t word, const char *s, size_t n) {
    if (t->failed) return;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        tfm__tok *v = (tfm__tok *)TFM_REALLOC(t->v, cap * sizeof *v);
        if (!v) {
            t->failed = 1;
            return;
        }
        t->v = v;
        t->cap = cap;
    }
    t->v[t->n].id = id;
    t->v[t->n].o0 = o0;
    t->v[t->n].o1 = o1;
    t->v[t->n].word = word;
    t->v[t->n].str_at = (uint32_t)t->strs.len;
    t->v[t->n].str_len = (uint32_t)n;
    tfm__buf_append(&t->strs, s, n);
    tfm__buf_append(&t->strs, "", 1); /* keep each string NUL-terminated */
    if (t->strs.failed) t->failed = 1;
    t->n++;
}

/* Emits a model token covering piece bytes [s, e). */
static void tfm__emit(tfm__toks *t, const tfm__model *m, const tfm__ns *ns, int32_t id, size_t s, size_t e, int32_t word,
                      const char *str, size_t str_len) {
    uint32_t o0, o1;
    if (e > s) {
        o0 = ns->a0[s];
        o1 = ns->a1[e - 1];
    } else {
        o0 = o1 = ns->base;
    }
    if (!str) {
        str = (id >= 0 && id < m->n_ids && m->id_str[id]) ? m->id_str[id] : "";
        str_len = (id >= 0 && id < m->n_ids && m->id_str[id]) ? m->id_len[id] : 0;
    }
    tfm__toks_push(t, id, o0, o1, word, str, str_len);
}

static int32_t tfm__vocab_get(const tfm__model *m, const char *s, size_t n) { return tfm__smap_get(&m->vocab, s, n); }

static int tfm__wordpiece(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    size_t start = 0, first_tok = t->n;
    char stack_buf[256];
    char *buf = stack_buf;
    size_t cap = sizeof stack_buf;
    if ((int64_t)tfm__count_chars(ns->s, ns->len) > m->max_chars) goto unk;
    while (start < ns->len) {
        size_t end = ns->len;
        int found = 0;
        while (start < end) {
            size_t n = (start > 0 ? m->prefix_len : 0) + (end - start);
            int32_t id;
            if (n > cap) {
                char *nb = (char *)tfm__malloc(n);
                if (!nb) goto oom;
                if (buf != stack_buf) TFM_FREE(buf);
                buf = nb;
                cap = n;
            }
            if (start > 0) memcpy(buf, m->prefix, m->prefix_len);
            memcpy(buf + (start > 0 ? m->prefix_len : 0), ns->s + start, end - start);
            id = tfm__vocab_get(m, buf, n);
            if (id >= 0) {
                tfm__emit(t, m, ns, id, start, end, word, buf, n);
                found = 1;
                break;
            }
            do end--; while (end > start && ((unsigned char)ns->s[end] & 0xc0) == 0x80);
        }
        if (!found) {
            t->n = first_tok; /* the whole word becomes [UNK] */
            goto unk;
        }
        start = end;
    }
    if (buf != stack_buf) TFM_FREE(buf);
    return 1;
unk:
    if (buf != stack_buf) TFM_FREE(buf);
    if (m->unk_id < 0) return tfm__fail(TFM_ERR_FORMAT, "WordPiece: the unk_token is not in the vocabulary"), 0;
    tfm__emit(t, m, ns, m->unk_id, 0, ns->len, word, NULL, 0);
    return 1;
oom:
    if (buf != stack_buf) TFM_FREE(buf);
    return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "WordPiece"), 0;
}

typedef struct tfm__sym {
    int32_t id;
    uint32_t s, e; /* piece byte range */
} tfm__sym;

static int tfm__pmap_lookup(const tfm__model *m, int32_t a, int32_t b, int32_t *rank, int32_t *id) {
    tfm__pmap_entry *e;
    if (!m->merges.slots) return 0;
    e = tfm__pmap_slot(&m->merges, (((uint64_t)(uint32_t)a << 32) | (uint32_t)b) + 1);
    if (!e->key) return 0;
    *rank = e->rank;
    *id = e->id;
    return 1;
}

/* Candidate merge for the BPE heap, ordered by key = rank << 32 | position: lowest rank first,
   then leftmost. */
typedef struct tfm__merge_cand {
    uint64_t key;
    int32_t id;
    int32_t left, right; /* the pair it was made for: a pop whose symbols changed since is stale */
} tfm__merge_cand;

static void tfm__heap_push(tfm__merge_cand *h, size_t *n, int32_t rank, int32_t pos, int32_t id, int32_t left,
                           int32_t right) {
    size_t i = (*n)++;
    tfm__merge_cand c;
    c.key = ((uint64_t)(uint32_t)rank << 32) | (uint32_t)pos;
    c.id = id;
    c.left = left;
    c.right = right;
    while (i > 0 && c.key < h[(i - 1) / 2].key) { /* move the hole up */
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = c;
}
static tfm__merge_cand tfm__heap_pop(tfm__merge_cand *h, size_t *n) {
    tfm__merge_cand top = h[0], last = h[--(*n)];
    size_t i = 0, child;
    while ((child = 2 * i + 1) < *n) { /* move the hole down */
        if (child + 1 < *n && h[child + 1].key < h[child].key) child++;
        if (h[child].key >= last.key) break;
        h[i] = h[child];
        i = child;
    }
    h[i] = last;
    return top;
}

/* Word cache for BPE, as the reference keeps one: results of words up to 256 bytes, at most
   10,000 of them, never evicted (a full cache just stops growing). Every access takes the lock
   with trylock and skips the cache when another thread holds it, so encoding never waits. */
#define TFM__BPE_CACHE_SLOTS 16384
#define TFM__BPE_CACHE_MAX 10000
#define TFM__BPE_CACHE_WORD 256

typedef struct tfm__bpe_cache_entry {
    char *word;         /* NULL: empty slot; owns word and its symbols in one block */
    uint32_t len, n;
    tfm__sym *syms;
} tfm__bpe_cache_entry;

typedef struct tfm__bpe_cache {
    tfm__bpe_cache_entry slots[TFM__BPE_CACHE_SLOTS];
    size_t count;
#if !defined(TFM_NO_THREADS)
    pthread_mutex_t lock;
#endif
} tfm__bpe_cache;

static tfm__bpe_cache *tfm__bpe_cache_new(void) {
    tfm__bpe_cache *c = (tfm__bpe_cache *)tfm__calloc(1, sizeof *c);
#if !defined(TFM_NO_THREADS)
    if (c) pthread_mutex_init(&c->lock, NULL);
#endif
    return c;
}
static void tfm__bpe_cache_free(tfm__bpe_cache *c) {
    size_t i;
    if (!c) return;
    for (i = 0; i < TFM__BPE_CACHE_SLOTS; i++) TFM_FREE(c->slots[i].word);
#if !defined(TFM_NO_THREADS)
    pthread_mutex_destroy(&c->lock);
#endif
    TFM_FREE(c);
}
static int tfm__bpe_cache_lock(tfm__bpe_cache *c) {
#if !defined(TFM_NO_THREADS)
    return pthread_mutex_trylock(&c->lock) == 0;
#else
    TFM__UNUSED(c);
    return 1;
#endif
}
static void tfm__bpe_cache_unlock(tfm__bpe_cache *c) {
#if !defined(TFM_NO_THREADS)
    pthread_mutex_unlock(&c->lock);
#else
    TFM__UNUSED(c);
#endif
}
static tfm__bpe_cache_entry *tfm__bpe_cache_slot(tfm__bpe_cache *c, const char *w, size_t len) {
    size_t h = (size_t)tfm__hash_bytes(w, len) & (TFM__BPE_CACHE_SLOTS - 1);
    for (;; h = (h + 1) & (TFM__BPE_CACHE_SLOTS - 1)) {
        tfm__bpe_cache_entry *e = &c->slots[h];
        if (!e->word || (e->len == len && memcmp(e->word, w, len) == 0)) return e;
    }
}
/* Emits the cached symbols of ns (1) or returns 0 on a miss. */
static int tfm__bpe_cache_get(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    tfm__bpe_cache *c = m->cache;
    tfm__bpe_cache_entry *e;
    uint32_t k;
    if (!c || ns->len > TFM__BPE_CACHE_WORD || !tfm__bpe_cache_lock(c)) return 0;
    e = tfm__bpe_cache_slot(c, ns->s, ns->len);
    if (e->word)
        for (k = 0; k < e->n; k++) tfm__emit(t, m, ns, e->syms[k].id, e->syms[k].s, e->syms[k].e, word, NULL, 0);
    tfm__bpe_cache_unlock(c);
    return e->word != NULL;
}
static void tfm__bpe_cache_put(const tfm__model *m, const tfm__ns *ns, const tfm__sym *syms, size_t n) {
    tfm__bpe_cache *c = m->cache;
    tfm__bpe_cache_entry *e;
    if (!c || ns->len > TFM__BPE_CACHE_WORD || c->count >= TFM__BPE_CACHE_MAX || !tfm__bpe_cache_lock(c)) return;
    e = tfm__bpe_cache_slot(c, ns->s, ns->len);
    if (!e->word && c->count < TFM__BPE_CACHE_MAX) {
        size_t text_bytes = (ns->len + 8) & ~(size_t)7; /* the word, then its symbols, in one block */
        char *block = (char *)tfm__malloc(text_bytes + n * sizeof(tfm__sym));
        if (block) {
            memcpy(block, ns->s, ns->len);
            e->syms = (tfm__sym *)(void *)(block + text_bytes);
            memcpy(e->syms, syms, n * sizeof(tfm__sym));
            e->len = (uint32_t)ns->len;
            e->n = (uint32_t)n;
            e->word = block;
            c->count++;
        }
    }
    tfm__bpe_cache_unlock(c);
}

static int tfm__bpe(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    tfm__sym *sym;
    size_t n = 0, i = 0, k;
    int32_t unk_pending = 0;
    uint32_t unk_s = 0, unk_e = 0;
    char *buf;
    if (ns->len == 0) return 1;
    if (m->ignore_merges) {
        int32_t id = tfm__vocab_get(m, ns->s, ns->len);
        if (id >= 0) {
            tfm__emit(t, m, ns, id, 0, ns->len, word, NULL, 0);
            return 1;
        }
    }
    if (tfm__bpe_cache_get(m, ns, word, t)) return 1;
    sym = (tfm__sym *)tfm__malloc((ns->len + 1) * (1 + m->prefix_len + m->suffix_len) * sizeof *sym);
    buf = (char *)tfm__malloc(ns->len + m->prefix_len + m->suffix_len + 8);
    if (!sym || !buf) {
        TFM_FREE(sym);
        TFM_FREE(buf);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "BPE"), 0;
    }
    while (i < ns->len) {
        int l;
        size_t len = 0;
        int32_t id;
        tfm__utf8_next(ns->s + i, ns->len - i, &l);
        if (i > 0 && m->prefix_len) {
            memcpy(buf, m->prefix, m->prefix_len);
            len = m->prefix_len;
        }
        memcpy(buf + len, ns->s + i, (size_t)l);
        len += (size_t)l;
        if (i + (size_t)l == ns->len && m->suffix_len) {
            memcpy(buf + len, m->suffix, m->suffix_len);
            len += m->suffix_len;
        }
        id = tfm__vocab_get(m, buf, len);
        if (id >= 0) {
            if (unk_pending) {
                sym[n].id = m->unk_id;
                sym[n].s = unk_s;
                sym[n++].e = unk_e;
                unk_pending = 0;
            }
            sym[n].id = id;
            sym[n].s = (uint32_t)i;
            sym[n++].e = (uint32_t)(i + (size_t)l);
        } else {
            int all = m->byte_fallback;
            size_t b;
            for (b = 0; all && b < len; b++) all = m->byte_ids[(unsigned char)buf[b]] >= 0;
            if (all) {
                /* one symbol per byte of the symbol text (reference quirk: prefix bytes included) */
                for (b = 0; b < len; b++) {
                    size_t at = TFM__MIN(i + b, ns->len - 1);
                    sym[n].id = m->byte_ids[(unsigned char)buf[b]];
                    sym[n].s = (uint32_t)at;
                    sym[n++].e = (uint32_t)(at + 1);
                }
            } else if (m->unk_id >= 0) {
                if (unk_pending && m->fuse_unk) {
                    unk_e = (uint32_t)(i + (size_t)l);
                } else {
                    if (unk_pending) {
                        sym[n].id = m->unk_id;
                        sym[n].s = unk_s;
                        sym[n++].e = unk_e;
                    }
                    unk_pending = 1;
                    unk_s = (uint32_t)i;
                    unk_e = (uint32_t)(i + (size_t)l);
                }
            }
        }
        i += (size_t)l;
    }
    if (unk_pending) {
        sym[n].id = m->unk_id;
        sym[n].s = unk_s;
        sym[n++].e = unk_e;
    }
    /* merge the lowest-ranked adjacent pair, leftmost first, until none applies: a binary heap
       of candidate merges over a linked list of symbols, stale entries skipped on pop */
    if (n > 1) {
        int32_t *prev = (int32_t *)tfm__malloc(n * 2 * sizeof(int32_t)), *next = prev ? prev + n : NULL;
        tfm__merge_cand *heap = (tfm__merge_cand *)tfm__malloc((n * 3 + 1) * sizeof *heap); /* n-1 + 2 per merge */
        size_t hn = 0, out = 0;
        int32_t rank, id;
        if (!prev || !heap) {
            TFM_FREE(prev);
            TFM_FREE(heap);
            TFM_FREE(sym);
            TFM_FREE(buf);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "BPE"), 0;
        }
        for (k = 0; k < n; k++) {
            prev[k] = (int32_t)k - 1;
            next[k] = k + 1 < n ? (int32_t)k + 1 : -1;
            if (k + 1 < n && tfm__pmap_lookup(m, sym[k].id, sym[k + 1].id, &rank, &id))
                tfm__heap_push(heap, &hn, rank, (int32_t)k, id, sym[k].id, sym[k + 1].id);
        }
        while (hn > 0) {
            tfm__merge_cand top = tfm__heap_pop(heap, &hn);
            int32_t pos = (int32_t)(uint32_t)top.key, nx;
            if (sym[pos].e == sym[pos].s || next[pos] < 0) continue; /* removed, or last */
            nx = next[pos];
            if (sym[pos].id != top.left || sym[nx].id != top.right) continue; /* stale: a neighbour merged */
            sym[pos].id = top.id;
            sym[pos].e = sym[nx].e;
            sym[nx].s = sym[nx].e; /* mark removed */
            next[pos] = next[nx];
            if (next[nx] >= 0) prev[next[nx]] = pos;
            if (prev[pos] >= 0 && tfm__pmap_lookup(m, sym[prev[pos]].id, sym[pos].id, &rank, &id))
                tfm__heap_push(heap, &hn, rank, prev[pos], id, sym[prev[pos]].id, sym[pos].id);
            if (next[pos] >= 0 && tfm__pmap_lookup(m, sym[pos].id, sym[next[pos]].id, &rank, &id))
                tfm__heap_push(heap, &hn, rank, pos, id, sym[pos].id, sym[next[pos]].id);
        }
        for (k = 0; k < n; k++)
            if (sym[k].e > sym[k].s) sym[out++] = sym[k];
        n = out;
        TFM_FREE(prev);
        TFM_FREE(heap);
    }
    for (k = 0; k < n; k++) tfm__emit(t, m, ns, sym[k].id, sym[k].s, sym[k].e, word, NULL, 0);
    tfm__bpe_cache_put(m, ns, sym, n);
    TFM_FREE(sym);
    TFM_FREE(buf);
    return 1;
}

typedef struct tfm__lat {
    double score;
    int64_t start; /* -1: unreached */
    int32_t id;
} tfm__lat;

static int tfm__unigram(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    tfm__lat *best;
    size_t pos = 0, n = ns->len;
    double unk_score = m->min_score - 10.0;
    size_t *ends = NULL, n_ends = 0;
    if (n == 0) return 1;
    best = (tfm__lat *)tfm__malloc((n + 1) * sizeof *best);
    ends = (size_t *)tfm__malloc((n + 1) * sizeof *ends);
    if (!best || !ends) {
        TFM_FREE(best);
        TFM_FREE(ends);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "Unigram"), 0;
    }
    for (pos = 0; pos <= n; pos++) {
        best[pos].start = -1;
        best[pos].score = 0;
        best[pos].id = -1;
    }
    best[0].start = 0;
    pos = 0;
    while (pos < n) {
        int l;
        size_t len, mblen;
        int single = 0;
        double base = best[pos].score;
        tfm__utf8_next(ns->s + pos, n - pos, &l);
        mblen = (size_t)l;
        /* every vocabulary piece that is a prefix here, shortest first (trie order) */
        for (len = mblen; len <= m->max_piece_bytes && pos + len <= n;) {
            int32_t id = tfm__vocab_get(m, ns->s + pos, len);
            if (id >= 0) {
                double cand = base + m->scores[id];
                tfm__lat *tg = &best[pos + len];
                if (tg->start < 0 || cand > tg->score) {
                    tg->score = cand;
                    tg->start = (int64_t)pos;
                    tg->id = id;
                }
                if (len == mblen) single = 1;
            }
            if (pos + len >= n) break;
            tfm__utf8_next(ns->s + pos + len, n - pos - len, &l);
            len += (size_t)l;
        }
        if (!single) {
            tfm__lat *tg = &best[pos + mblen];
            double cand = base + unk_score;
            if (tg->start < 0 || cand > tg->score) {
                tg->score = cand;
                tg->start = (int64_t)pos;
                tg->id = m->unk_id;
            }
        }
        pos += mblen;
    }
    /* backtrack: collect token end positions, fusing runs of unk */
    {
        size_t e = n;
        while (e > 0) {
            size_t s = (size_t)best[e].start;
            int is_unk = m->unk_id >= 0 && best[e].id == m->unk_id;
            ends[n_ends++] = e | (is_unk ? ((size_t)1 << (sizeof(size_t) * 8 - 1)) : 0);
            e = s;
        }
    }
    {
        /* walk forwards: ends[] holds token ends from last to first */
        size_t k = n_ends, s = 0;
        const size_t flag = (size_t)1 << (sizeof(size_t) * 8 - 1);
        while (k > 0) {
            size_t e = ends[k - 1] & ~flag;
            int is_unk = (ends[k - 1] & flag) != 0;
            k--;
            if (is_unk) /* fuse following unk pieces */
                while (k > 0 && (ends[k - 1] & flag)) e = ends[--k] & ~flag;
            {
                int32_t id = tfm__vocab_get(m, ns->s + s, e - s);
                if (id < 0 || (is_unk && id < 0)) {
                    int all = m->byte_fallback;
                    size_t b;
                    for (b = s; all && b < e; b++) all = m->byte_ids[(unsigned char)ns->s[b]] >= 0;
                    if (all) {
                        for (b = s; b < e; b++) {
                            int32_t bid = m->byte_ids[(unsigned char)ns->s[b]];
                            tfm__emit(t, m, ns, bid, s, e, word, NULL, 0);
                        }
                        s = e;
                        continue;
                    }
                    if (m->unk_id < 0) {
                        TFM_FREE(best);
                        TFM_FREE(ends);
                        return tfm__fail(TFM_ERR_FORMAT, "Unigram: text needs an unknown token but unk_id is null"), 0;
                    }
                    id = m->unk_id;
                }
                /* the token string is the text itself, as the reference reports it */
                tfm__emit(t, m, ns, id, s, e, word, ns->s + s, e - s);
            }
            s = e;
        }
    }
    TFM_FREE(best);
    TFM_FREE(ends);
    return 1;
}

static int tfm__wordlevel(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    int32_t id = tfm__vocab_get(m, ns->s, ns->len);
    if (id >= 0) tfm__emit(t, m, ns, id, 0, ns->len, word, ns->s, ns->len);
    else if (m->unk_id >= 0) tfm__emit(t, m, ns, m->unk_id, 0, ns->len, word, NULL, 0);
    else return tfm__fail(TFM_ERR_FORMAT, "WordLevel: unknown word and no unk_token"), 0;
    return 1;
}

static int tfm__model_tokenize(const tfm__model *m, const tfm__ns *ns, int32_t word, tfm__toks *t) {
    switch (m->type) {
    case TFM__M_WORDPIECE: return tfm__wordpiece(m, ns, word, t);
    case TFM__M_BPE: return tfm__bpe(m, ns, word, t);
    case TFM__M_UNIGRAM: return tfm__unigram(m, ns, word, t);
    default: return tfm__wordlevel(m, ns, word, t);
    }
}

/* ---- the tokenizer ---- */

typedef struct tfm__added {
    const char *content;  /* as written in tokenizer.json */
    size_t len;
    char *normed;         /* content after the normalizer (normalized tokens), owned */
    size_t normed_len;
    int32_t id;
    int special, single_word, lstrip, rstrip, normalized;
} tfm__added;

/* One element of a post-processing template. */
typedef struct tfm__tpl {
    int seq;              /* 0 / 1: $A / $B; -1: special token */
    int32_t type_id;
    int32_t *ids;         /* special token ids (owned) */
    const char **strs;    /* and their strings (owned array, borrowed strings) */
    int n_ids;
} tfm__tpl;

struct tfm_tokenizer {
    tfm_json *doc, *config;
    tfm__model model;
    tfm__comp normalizer, pretok, decoder;
    int has_normalizer, has_pretok, has_decoder;
    tfm__added *added;
    int64_t n_added;
    int32_t *added_by_id;         /* id -> index in added, -1 */
    int64_t id_space;             /* size of added_by_id: max id + 1 */
    int32_t *match_raw, *match_norm; /* added indexes grouped by first byte, longest first */
    int64_t raw_start[257], norm_start[257];
    tfm__tpl *single, *pair;
    int n_single, n_pair;
    int has_template;
    int trim_offsets, trim_add_prefix_space;
    int flat_type_ids;            /* RobertaProcessing: every type id 0, overflows too */
    int64_t model_max_length;
    int config_pad_left, config_truncate_left, clean_up_spaces; /* from tokenizer_config.json */
    uint8_t *skip_id;             /* per id: decode with skip_special_tokens drops it */
    int32_t pad_id;               /* padding: tokenizer.json "padding", else tokenizer_config's pad_token */
    const char *pad_str;
    int64_t skip_space;
};

static int64_t tfm__tpl_special_count(const tfm__tpl *t, int n) {
    int i;
    int64_t c = 0;
    for (i = 0; i < n; i++)
        if (t[i].seq < 0) c += t[i].n_ids;
    return c;
}

/* Finds added tokens in ns (raw pass or normalized pass) and splits the piece. */
static int tfm__split_added(const tfm_tokenizer *tok, const tfm__ns *ns, int normalized_pass, tfm__pieces *out) {
    const int32_t *order = normalized_pass ? tok->match_norm : tok->match_raw;
    const int64_t *start = normalized_pass ? tok->norm_start : tok->raw_start;
    size_t i = 0, last = 0;
    if (!order || start[256] == 0) {
        tfm__ns copy;
        if (!tfm__ns_slice(ns, 0, ns->len, &copy)) return 0;
        copy.base = ns->base;
        return ns->len == 0 ? (tfm__ns_free(&copy), 1) : tfm__pieces_push(out, &copy, -1);
    }
    while (i < ns->len) {
        unsigned char b = (unsigned char)ns->s[i];
        int64_t k;
        const tfm__added *hit = NULL;
        size_t hit_len = 0;
        for (k = start[b]; k < start[b + 1]; k++) {
            const tfm__added *a = &tok->added[order[k]];
            const char *pat = normalized_pass ? a->normed : a->content;
            size_t plen = normalized_pass ? a->normed_len : a->len;
            if (plen && plen <= ns->len - i && memcmp(ns->s + i, pat, plen) == 0) {
                hit = a;
                hit_len = plen;
                break; /* longest first */
            }
        }
        if (!hit) {
            i++;
            continue;
        }
        {
            size_t s = i, e = i + hit_len;
            int l;
            if (hit->single_word) {
                int before = 0, after = 0;
                if (s > 0) {
                    size_t b0 = s - 1;
                    while (b0 > 0 && ((unsigned char)ns->s[b0] & 0xc0) == 0x80) b0--;
                    before = tfm__is_word_char(tfm__utf8_next(ns->s + b0, s - b0, &l));
                }
                if (e < ns->len) after = tfm__is_word_char(tfm__utf8_next(ns->s + e, ns->len - e, &l));
                if (before || after) {
                    i = e; /* the matcher has moved past this match */
                    continue;
                }
            }
            if (hit->lstrip) {
                size_t ns0 = s;
                while (ns0 > last) {
                    size_t b0 = ns0 - 1;
                    while (b0 > last && ((unsigned char)ns->s[b0] & 0xc0) == 0x80) b0--;
                    if (!tfm__uc_is_whitespace(tfm__utf8_next(ns->s + b0, ns0 - b0, &l))) break;
                    ns0 = b0;
                }
                s = ns0;
            }
            if (hit->rstrip) {
                while (e < ns->len) {
                    uint32_t cp = tfm__utf8_next(ns->s + e, ns->len - e, &l);
                    if (!tfm__uc_is_whitespace(cp)) break;
                    e += (size_t)l;
                }
            }
            if (last < s) {
                tfm__ns piece;
                if (!tfm__ns_slice(ns, last, s, &piece) || !tfm__pieces_push(out, &piece, -1)) return 0;
            }
            {
                tfm__ns piece;
                if (!tfm__ns_slice(ns, s, e, &piece) || !tfm__pieces_push(out, &piece, hit->id)) return 0;
            }
            last = e;
            i = e; /* e >= the match end: rstrip only extends it */
        }
    }
    if (last < ns->len) {
        tfm__ns piece;
        if (!tfm__ns_slice(ns, last, ns->len, &piece) || !tfm__pieces_push(out, &piece, -1)) return 0;
    }
    return 1;
}

/* A sequence's tokens plus its char-offset conversion. */
typedef struct tfm__seq {
    tfm__toks toks;
    int64_t *off;   /* 2 per token, char offsets */
} tfm__seq;

static void tfm__seq_free(tfm__seq *s) {
    tfm__toks_free(&s->toks);
    TFM_FREE(s->off);
    memset(s, 0, sizeof *s);
}

/* Normalizes, pre-tokenizes and tokenizes one text. */
static tfm_status tfm__encode_one(const tfm_tokenizer *tok, const char *text, size_t len, tfm__seq *out) {
    tfm__pieces a, b;
    tfm__ns whole;
    size_t k;
    tfm_status st = TFM_OK;
    memset(out, 0, sizeof *out);
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    if (len > 0x7fffffffu) return tfm__fail(TFM_ERR_LIMIT, "text of %zu bytes is too long to tokenize", len);
    if (!tfm__ns_from_text(&whole, text, len, 0)) {
        tfm__ns_free(&whole);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
    }
    /* 1. added tokens in the raw text */
    if (!tfm__split_added(tok, &whole, 0, &a)) goto oom;
    tfm__ns_free(&whole);
    /* 2. normalize the rest, 3. added tokens in normalized text */
    for (k = 0; k < a.n; k++) {
        if (a.v[k].id >= 0) {
            if (!tfm__pieces_push(&b, &a.v[k].ns, a.v[k].id)) goto oom;
            continue;
        }
        if (tok->has_normalizer && !tfm__normalize(&tok->normalizer, &a.v[k].ns)) goto oom;
        if (!tfm__split_added(tok, &a.v[k].ns, 1, &b)) goto oom;
    }
    tfm__pieces_free(&a);
    /* 4. pre-tokenize */
    if (tok->has_pretok && !tfm__pretokenize(&tok->pretok, &b)) goto oom;
    /* 5. model */
    for (k = 0; k < b.n; k++) {
        const tfm__piece *p = &b.v[k];
        if (p->ns.len == 0) continue;
        if (p->id >= 0) {
            tfm__toks_push(&out->toks, p->id, p->ns.a0[0], p->ns.a1[p->ns.len - 1], (int32_t)k, p->ns.s, p->ns.len);
        } else if (!tfm__model_tokenize(&tok->model, &p->ns, (int32_t)k, &out->toks)) {
            st = *tfm_last_error() ? TFM_ERR_FORMAT : TFM_ERR_OUT_OF_MEMORY;
            break;
        }
    }
    tfm__pieces_free(&b);
    if (st == TFM_OK && out->toks.failed) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
    if (st != TFM_OK) return st;
    /* 6. byte offsets -> code-point offsets into the caller's text */
    {
        uint32_t *char_at = (uint32_t *)tfm__malloc((len + 1) * sizeof(uint32_t));
        size_t i = 0;
        uint32_t c = 0;
        out->off = (int64_t *)tfm__malloc((2 * out->toks.n + 1) * sizeof(int64_t));
        if (!char_at || !out->off) {
            TFM_FREE(char_at);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
        }
        while (i < len) {
            int l, j;
            tfm__utf8_next(text + i, len - i, &l);
            for (j = 0; j < l; j++) char_at[i + (size_t)j] = c;
            i += (size_t)l;
            c++;
        }
        char_at[len] = c;
        for (i = 0; i < out->toks.n; i++) {
            out->off[2 * i] = char_at[TFM__MIN(out->toks.v[i].o0, (uint32_t)len)];
            out->off[2 * i + 1] = out->toks.v[i].o1 == 0 ? 0 : char_at[TFM__MIN(out->toks.v[i].o1 - 1, (uint32_t)len)] + 1;
            if (out->toks.v[i].o1 <= out->toks.v[i].o0) out->off[2 * i + 1] = out->off[2 * i];
            if (out->toks.v[i].o1 > len) out->off[2 * i + 1] = c;
        }
        TFM_FREE(char_at);
    }
    return TFM_OK;
oom:
    tfm__ns_free(&whole);
    tfm__pieces_free(&a);
    tfm__pieces_free(&b);
    return *tfm_last_error() ? TFM_ERR_FORMAT : tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
}

/* ByteLevel offset trimming: leading/trailing 'Ġ' or whitespace chars of a token are not part of
   its span (the first token keeps one added prefix space). */
static void tfm__trim_offsets(const tfm_tokenizer *tok, tfm__seq *s) {
    size_t i;
    for (i = 0; i < s->toks.n; i++) {
        const char *str = s->toks.strs.data + s->toks.v[i].str_at;
        size_t n = s->toks.v[i].str_len, p = 0, lead = 0, trail = 0, nchars = 0;
        int64_t *o = s->off + 2 * i;
        while (p < n) { /* count chars and leading run */
            int l;
            uint32_t cp = tfm__utf8_next(str + p, n - p, &l);
            int sp = cp == 0x120 || tfm__uc_is_whitespace(cp);
            if (sp && lead == nchars) lead++;
            trail = sp ? trail + 1 : 0;
            nchars++;
            p += (size_t)l;
        }
        if (lead == nchars) trail = nchars; /* all spaces */
        if (lead > 0) {
            if ((i == 0 || o[0] == 0) && tok->trim_add_prefix_space && lead == 1) lead = 0;
            o[0] = TFM__MIN(o[0] + (int64_t)lead, o[1]);
        }
        if (trail > 0 && o[1] >= (int64_t)trail) o[1] = TFM__MAX(o[1] - (int64_t)trail, o[0]);
    }
}

/* A window [s, e) of one sequence's tokens. */
typedef struct tfm__win {
    size_t s, e;
} tfm__win;

/* Windows of a sequence truncated to max_len with stride (Encoding::truncate). */
static tfm_status tfm__windows(size_t n, int64_t max_len, int64_t stride, int left, tfm__win **out, size_t *count) {
    size_t cap = 8, k = 0;
    tfm__win *w;
    if (max_len < 0) max_len = 0;
    *out = NULL;
    *count = 0;
    if ((size_t)max_len >= n) {
        w = (tfm__win *)tfm__malloc(sizeof *w);
        if (!w) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "truncation");
        w[0].s = 0;
        w[0].e = n;
        *out = w;
        *count = 1;
        return TFM_OK;
    }
    if (max_len == 0) {
        w = (tfm__win *)tfm__malloc(2 * sizeof *w);
        if (!w) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "truncation");
        w[0].s = w[0].e = 0;
        w[1].s = 0;
        w[1].e = n;
        *out = w;
        *count = 2;
        return TFM_OK;
    }
    if (stride >= max_len)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "stride %lld must be strictly less than the truncated length %lld "
                         "(max_length minus the special tokens)", (long long)stride, (long long)max_len);
    w = (tfm__win *)tfm__malloc(cap * sizeof *w);
    if (!w) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "truncation");
    {
        size_t step = (size_t)(max_len - stride);
        if (!left) {
            size_t start;
            for (start = 0; start < n; start += step) {
                size_t stop = TFM__MIN(start + (size_t)max_len, n);
                if (k == cap) {
                    tfm__win *nw = (tfm__win *)TFM_REALLOC(w, 2 * cap * sizeof *w);
                    if (!nw) {
                        TFM_FREE(w);
                        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "truncation");
                    }
                    w = nw;
                    cap *= 2;
                }
                w[k].s = start;
                w[k++].e = stop;
                if (stop == n) break;
            }
        } else {
            int64_t stop_m1;
            for (stop_m1 = (int64_t)n - 1; stop_m1 >= 0; stop_m1 -= (int64_t)step) {
                size_t stop = (size_t)stop_m1 + 1, start = stop > (size_t)max_len ? stop - (size_t)max_len : 0;
                if (k == cap) {
                    tfm__win *nw = (tfm__win *)TFM_REALLOC(w, 2 * cap * sizeof *w);
                    if (!nw) {
                        TFM_FREE(w);
                        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "truncation");
                    }
                    w = nw;
                    cap *= 2;
                }
                w[k].s = start;
                w[k++].e = stop;
                if (start == 0) break;
            }
        }
    }
    *out = w;
    *count = k;
    return TFM_OK;
}

/* Lays out one encoding of n tokens in a single block (arrays, then str_bytes of token text);
   returns where the text goes, or NULL (message set) when memory runs out. */
static char *tfm__encoding_alloc(tfm_encoding *e, int64_t n, int64_t str_bytes) {
    unsigned char *mem;
    memset(e, 0, sizeof *e);
    mem = (unsigned char *)tfm__malloc((size_t)n * (6 * sizeof(int32_t) + 2 * sizeof(int64_t) + sizeof(char *)) +
                                       (size_t)str_bytes + 64);
    if (!mem) {
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "encoding of %lld tokens", (long long)n);
        return NULL;
    }
    e->storage_ = mem;
    e->length = n;
    e->offsets = (int64_t *)mem;
    e->tokens = (char **)(e->offsets + 2 * n);
    e->ids = (int32_t *)(e->tokens + n);
    e->type_ids = e->ids + n;
    e->attention_mask = e->type_ids + n;
    e->special_tokens_mask = e->attention_mask + n;
    e->word_ids = e->special_tokens_mask + n;
    e->sequence_ids = e->word_ids + n;
    return (char *)(e->sequence_ids + n);
}

/* Builds one output encoding from windows of A (and B) through the template. */
/* An overflowing window keeps the type id its sequence got when it was encoded (0 for the first,
   1 for the second) rather than the template's, as the reference's merge of overflows does;
   `overflow` has bit 0 set when A's window is an overflow, bit 1 for B's. */
static tfm_status tfm__assemble(const tfm_tokenizer *tok, const tfm__seq *sa, tfm__win wa, const tfm__seq *sb,
                                const tfm__win *wb, int add_special, int overflow, tfm_encoding *enc) {
    const tfm__tpl *tpl = sb ? tok->pair : tok->single;
    int n_tpl = sb ? tok->n_pair : tok->n_single, t;
    if (tok->flat_type_ids) overflow = 0;
    tfm__tpl fallback[2];
    int64_t n = 0, i, str_bytes = 0, pos = 0;
    char *sp;
    if (!tok->has_template) {
        /* no post-processor: A then B, type ids 0 / 1 */
        memset(fallback, 0, sizeof fallback);
        fallback[0].seq = 0;
        fallback[1].seq = 1;
        fallback[1].type_id = 1;
        tpl = fallback;
        n_tpl = sb ? 2 : 1;
    }
    for (t = 0; t < n_tpl; t++) {
        if (tpl[t].seq < 0) {
            if (add_special) {
                int j;
                n += tpl[t].n_ids;
                for (j = 0; j < tpl[t].n_ids; j++) str_bytes += (int64_t)strlen(tpl[t].strs[j]) + 1;
            }
        } else {
            const tfm__seq *s = tpl[t].seq == 0 ? sa : sb;
            tfm__win w = tpl[t].seq == 0 ? wa : *wb;
            if (!s) continue;
            n += (int64_t)(w.e - w.s);
            for (i = (int64_t)w.s; i < (int64_t)w.e; i++) str_bytes += s->toks.v[i].str_len + 1;
        }
    }
    if (!(sp = tfm__encoding_alloc(enc, n, str_bytes))) return TFM_ERR_OUT_OF_MEMORY;
    for (t = 0; t < n_tpl; t++) {
        if (tpl[t].seq < 0) {
            int j;
            if (!add_special) continue;
            for (j = 0; j < tpl[t].n_ids; j++, pos++) {
                size_t l = strlen(tpl[t].strs[j]);
                enc->ids[pos] = tpl[t].ids[j];
                enc->type_ids[pos] = tpl[t].type_id;
                enc->attention_mask[pos] = 1;
                enc->special_tokens_mask[pos] = 1;
                enc->word_ids[pos] = -1;
                enc->sequence_ids[pos] = -1;
                enc->offsets[2 * pos] = enc->offsets[2 * pos + 1] = 0;
                memcpy(sp, tpl[t].strs[j], l + 1);
                enc->tokens[pos] = sp;
                sp += l + 1;
            }
        } else {
            const tfm__seq *s = tpl[t].seq == 0 ? sa : sb;
            tfm__win w = tpl[t].seq == 0 ? wa : *wb;
            if (!s) continue;
            for (i = (int64_t)w.s; i < (int64_t)w.e; i++, pos++) {
                const tfm__tok *tk = &s->toks.v[i];
                enc->ids[pos] = tk->id;
                enc->type_ids[pos] = ((overflow >> tpl[t].seq) & 1) ? tpl[t].seq : tpl[t].type_id;
                enc->attention_mask[pos] = 1;
                enc->special_tokens_mask[pos] = 0;
                enc->word_ids[pos] = tk->word;
                enc->sequence_ids[pos] = tpl[t].seq;
                enc->offsets[2 * pos] = s->off[2 * i];
                enc->offsets[2 * pos + 1] = s->off[2 * i + 1];
                memcpy(sp, s->toks.strs.data + tk->str_at, tk->str_len + 1);
                enc->tokens[pos] = sp;
                sp += tk->str_len + 1;
            }
        }
    }
    return TFM_OK;
}

TFMDEF void tfm_encoding_free(tfm_encoding *enc) {
    int64_t i;
    if (!enc) return;
    for (i = 0; i < enc->n_overflowing; i++) tfm_encoding_free(&enc->overflowing[i]);
    TFM_FREE(enc->overflowing);
    TFM_FREE(enc->storage_);
    memset(enc, 0, sizeof *enc);
}

/* Pads (or leaves) one encoding to `target` tokens. */
static tfm_status tfm__pad(const tfm_tokenizer *tok, tfm_encoding *e, int64_t target, int left) {
    tfm_encoding p;
    int64_t extra = target - e->length, i, n = target, str_bytes = 0;
    int32_t pad_id = tok->pad_id;
    const char *pad_str = tok->pad_str;
    char *sp;
    if (extra <= 0) return TFM_OK;
    for (i = 0; i < e->length; i++) str_bytes += (int64_t)strlen(e->tokens[i]) + 1;
    str_bytes += extra * ((int64_t)strlen(pad_str) + 1);
    if (!(sp = tfm__encoding_alloc(&p, n, str_bytes))) return TFM_ERR_OUT_OF_MEMORY;
    for (i = 0; i < n; i++) {
        int64_t src = left ? i - extra : i;
        const char *s;
        size_t l;
        if (src >= 0 && src < e->length) {
            p.ids[i] = e->ids[src];
            p.type_ids[i] = e->type_ids[src];
            p.attention_mask[i] = e->attention_mask[src];
            p.special_tokens_mask[i] = e->special_tokens_mask[src];
            p.word_ids[i] = e->word_ids[src];
            p.sequence_ids[i] = e->sequence_ids[src];
            p.offsets[2 * i] = e->offsets[2 * src];
            p.offsets[2 * i + 1] = e->offsets[2 * src + 1];
            s = e->tokens[src];
        } else {
            p.ids[i] = (int32_t)pad_id;
            p.type_ids[i] = 0;
            p.attention_mask[i] = 0;
            p.special_tokens_mask[i] = 1;
            p.word_ids[i] = -1;
            p.sequence_ids[i] = -1;
            p.offsets[2 * i] = p.offsets[2 * i + 1] = 0;
            s = pad_str;
        }
        l = strlen(s);
        memcpy(sp, s, l + 1);
        p.tokens[i] = sp;
        sp += l + 1;
    }
    p.n_overflowing = e->n_overflowing;
    p.overflowing = e->overflowing;
    TFM_FREE(e->storage_);
    *e = p;
    return TFM_OK;
}

TFMDEF tfm_status tfm_tokenizer_encode(const tfm_tokenizer *tok, const char *text, size_t len, const char *pair,
                                       size_t pair_len, const tfm_encode_options *opts, tfm_encoding *out) {
    tfm_encode_options o;
    tfm__seq sa, sb;
    tfm__win *wa = NULL, *wb = NULL, full_a, full_b;
    size_t na = 1, nb = 1, k, j, n_out = 0;
    int add_special;
    tfm_status st = TFM_OK;
    tfm_encoding *all = NULL;
    if (out) memset(out, 0, sizeof *out);
    if (!tok || !out || (!text && len)) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_encode: NULL argument");
    tfm_clear_error();
    memset(&o, 0, sizeof o);
    if (opts) o = *opts;
    o.truncate_left = o.truncate_left > 0 || (o.truncate_left == 0 && tok->config_truncate_left);
    o.pad_left = o.pad_left > 0 || (o.pad_left == 0 && tok->config_pad_left);
    add_special = !o.no_special_tokens;
    memset(&sa, 0, sizeof sa);
    memset(&sb, 0, sizeof sb);
    if ((st = tfm__encode_one(tok, text ? text : "", len, &sa)) != TFM_OK) goto done;
    if (pair && (st = tfm__encode_one(tok, pair, pair_len, &sb)) != TFM_OK) goto done;
    if (tok->trim_offsets) {
        tfm__trim_offsets(tok, &sa);
        if (pair) tfm__trim_offsets(tok, &sb);
    }
    full_a.s = 0;
    full_a.e = sa.toks.n;
    full_b.s = 0;
    full_b.e = sb.toks.n;
    if (o.truncation != TFM_TRUNCATE_NONE) {
        int64_t max_len = o.max_length > 0 ? o.max_length : tok->model_max_length;
        int64_t special = add_special ? (tok->has_template ? tfm__tpl_special_count(pair ? tok->pair : tok->single,
                                                                                       pair ? tok->n_pair : tok->n_single)
                                                           : 0)
                                      : 0;
        int64_t m = max_len - special, total = (int64_t)(sa.toks.n + (pair ? sb.toks.n : 0));
        int64_t la = (int64_t)sa.toks.n, lb = (int64_t)sb.toks.n;
        if (m < 0) m = 0;
        if (total > m) {
            if (o.truncation == TFM_TRUNCATE_LONGEST_FIRST) {
                if (pair) {
                    int64_t n1 = la, n2 = lb;
                    int swap = 0;
                    if (n1 > n2) {
                        int64_t t = n1;
                        n1 = n2;
                        n2 = t;
                        swap = 1;
                    }
                    if (n1 > m) n2 = n1;
                    else n2 = TFM__MAX(n1, m - n1);
                    if (n1 + n2 > m) {
                        n1 = m / 2;
                        n2 = n1 + m % 2;
                    }
                    if (swap) {
                        int64_t t = n1;
                        n1 = n2;
                        n2 = t;
                    }
                    la = n1;
                    lb = n2;
                } else {
                    la = m;
                }
            } else {
                int64_t remove = total - m;
                int64_t *target = o.truncation == TFM_TRUNCATE_ONLY_FIRST ? &la : &lb;
                if (o.truncation == TFM_TRUNCATE_ONLY_SECOND && !pair) {
                    st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "truncation only_second needs a second sequence");
                    goto done;
                }
                if (*target <= remove) {
                    st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "sequence to truncate too short to respect the provided "
                                   "max_length");
                    goto done;
                }
                *target -= remove;
            }
            if ((st = tfm__windows(sa.toks.n, la, o.stride, o.truncate_left, &wa, &na)) != TFM_OK) goto done;
            if (pair && (st = tfm__windows(sb.toks.n, lb, o.stride, o.truncate_left, &wb, &nb)) != TFM_OK) goto done;
        }
    }
    /* main window, then overflows in the order the reference merges them */
    all = (tfm_encoding *)tfm__calloc(na * nb + 1, sizeof *all);
    if (!all) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "encoding");
        goto done;
    }
    {
        tfm__win a0 = wa ? wa[0] : full_a, b0 = wb ? wb[0] : full_b;
        if ((st = tfm__assemble(tok, &sa, a0, pair ? &sb : NULL, &b0, add_special, 0, &all[n_out++])) != TFM_OK) goto done;
        for (k = 1; k < na; k++) {
            for (j = 0; j < nb; j++) {
                tfm__win bj = wb ? wb[j] : full_b;
                if ((st = tfm__assemble(tok, &sa, wa[k], pair ? &sb : NULL, &bj, add_special, j ? 3 : 1, &all[n_out++])) != TFM_OK)
                    goto done;
                if (!pair) break;
            }
        }
        for (j = 1; j < nb; j++)
            if ((st = tfm__assemble(tok, &sa, a0, &sb, &wb[j], add_special, 2, &all[n_out++])) != TFM_OK) goto done;
    }
    if (o.padding != TFM_PAD_NONE) {
        int64_t target = 0;
        if (o.padding == TFM_PAD_MAX_LENGTH) target = o.max_length > 0 ? o.max_length : tok->model_max_length;
        else
            for (k = 0; k < n_out; k++) target = TFM__MAX(target, all[k].length);
        if (o.pad_to_multiple_of > 0 && target % o.pad_to_multiple_of)
            target += o.pad_to_multiple_of - target % o.pad_to_multiple_of;
        for (k = 0; k < n_out && st == TFM_OK; k++) st = tfm__pad(tok, &all[k], target, o.pad_left);
        if (st != TFM_OK) goto done;
    }
    *out = all[0];
    if (n_out > 1) {
        out->n_overflowing = (int64_t)(n_out - 1);
        out->overflowing = all;
        memmove(all, all + 1, (n_out - 1) * sizeof *all);
        all = NULL;
    }
    n_out = 0;
done:
    if (all) {
        for (k = 0; k < n_out; k++) tfm_encoding_free(&all[k]);
        TFM_FREE(all);
    }
    TFM_FREE(wa);
    TFM_FREE(wb);
    tfm__seq_free(&sa);
    tfm__seq_free(&sb);
    return st;
}

typedef struct tfm__batch_job {
    const tfm_tokenizer *tok;
    const char *const *texts, *const *pairs;
    const size_t *lens, *pair_lens;
    tfm_encode_options opts;
    tfm_encoding *out;
    tfm_status *status;
    char (*errors)[256];
} tfm__batch_job;

static void tfm__batch_task(void *arg, int64_t i, int thread_index) {
    tfm__batch_job *j = (tfm__batch_job *)arg;
    TFM__UNUSED(thread_index);
    j->status[i] = tfm_tokenizer_encode(j->tok, j->texts[i], j->lens ? j->lens[i] : strlen(j->texts[i]),
                                        j->pairs ? j->pairs[i] : NULL,
                                        j->pairs ? (j->pair_lens ? j->pair_lens[i] : strlen(j->pairs[i])) : 0, &j->opts,
                                        &j->out[i]);
    if (j->status[i] != TFM_OK) {
        memcpy(j->errors[i], tfm_last_error(), sizeof j->errors[i] - 1); /* error text is NUL-padded to 512 */
        j->errors[i][sizeof j->errors[i] - 1] = 0;
    }
}

TFMDEF tfm_status tfm_tokenizer_encode_batch(const tfm_tokenizer *tok, tfm_pool *pool, const char *const *texts,
                                             const size_t *lens, const char *const *pairs, const size_t *pair_lens,
                                             int64_t n, const tfm_encode_options *opts, tfm_encoding *out) {
    tfm__batch_job j;
    int64_t i;
    tfm_status st = TFM_OK;
    if (!tok || (n && (!texts || !out)) || n < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_encode_batch: bad arguments");
    if (n == 0) return TFM_OK;
    memset(&j, 0, sizeof j);
    j.tok = tok;
    j.texts = texts;
    j.lens = lens;
    j.pairs = pairs;
    j.pair_lens = pair_lens;
    if (opts) j.opts = *opts;
    if (j.opts.padding == TFM_PAD_LONGEST) j.opts.padding = TFM_PAD_NONE; /* done across the batch below */
    j.out = out;
    j.status = (tfm_status *)tfm__calloc((size_t)n, sizeof(tfm_status));
    j.errors = (char (*)[256])tfm__calloc((size_t)n, 256);
    if (!j.status || !j.errors) {
        TFM_FREE(j.status);
        TFM_FREE(j.errors);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "batch");
    }
    tfm_pool_for(pool, n, tfm__batch_task, &j);
    for (i = 0; i < n && st == TFM_OK; i++)
        if (j.status[i] != TFM_OK) st = tfm__fail(j.status[i], "batch item %lld: %s", (long long)i, j.errors[i]);
    if (st == TFM_OK && opts && opts->padding == TFM_PAD_LONGEST) {
        int64_t target = 0;
        for (i = 0; i < n; i++) target = TFM__MAX(target, out[i].length);
        if (opts->pad_to_multiple_of > 0 && target % opts->pad_to_multiple_of)
            target += opts->pad_to_multiple_of - target % opts->pad_to_multiple_of;
        for (i = 0; i < n && st == TFM_OK; i++)
            st = tfm__pad(tok, &out[i], target, opts->pad_left > 0 || (opts->pad_left == 0 && tok->config_pad_left));
    }
    if (st != TFM_OK)
        for (i = 0; i < n; i++) tfm_encoding_free(&out[i]);
    TFM_FREE(j.status);
    TFM_FREE(j.errors);
    return st;
}

/* ---- decoding ---- */

/* A list of token strings being decoded (each owned). */
typedef struct tfm__strs {
    char **v;
    size_t *len;
    size_t n, cap;
    int failed;
} tfm__strs;

static void tfm__strs_free(tfm__strs *s) {
    size_t i;
    for (i = 0; i < s->n; i++) TFM_FREE(s->v[i]);
    TFM_FREE(s->v);
    TFM_FREE(s->len);
    memset(s, 0, sizeof *s);
}
static void tfm__strs_push(tfm__strs *s, const char *p, size_t n) {
    char *c;
    if (s->failed) return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 32;
        char **v = (char **)TFM_REALLOC(s->v, cap * sizeof(char *));
        size_t *l;
        if (!v) {
            s->failed = 1;
            return;
        }
        s->v = v;
        l = (size_t *)TFM_REALLOC(s->len, cap * sizeof(size_t));
        if (!l) {
            s->failed = 1;
            return;
        }
        s->len = l;
        s->cap = cap;
    }
    c = (char *)tfm__malloc(n + 1);
    if (!c) {
        s->failed = 1;
        return;
    }
    memcpy(c, p, n);
    c[n] = 0;
    s->v[s->n] = c;
    s->len[s->n++] = n;
}
/* Replaces token i's text (takes the buffer). */
static void tfm__strs_set(tfm__strs *s, size_t i, tfm__buf *b) {
    if (b->failed) {
        s->failed = 1;
        TFM_FREE(b->data);
        return;
    }
    TFM_FREE(s->v[i]);
    if (!b->data) tfm__buf_append(b, "", 0);
    s->v[i] = b->data ? b->data : NULL;
    s->len[i] = b->len;
    if (!s->v[i]) {
        s->v[i] = (char *)tfm__malloc(1);
        if (s->v[i]) s->v[i][0] = 0;
        else s->failed = 1;
    }
    memset(b, 0, sizeof *b);
}

/* Literal replace of every occurrence of `from` by `to` into b. */
static void tfm__buf_replace_all(tfm__buf *b, const char *s, size_t n, const char *from, size_t fl, const char *to,
                                 size_t tl) {
    size_t i = 0, run = 0;
    if (fl == 0) {
        tfm__buf_append(b, s, n);
        return;
    }
    while (i + fl <= n) {
        if (memcmp(s + i, from, fl) == 0) {
            tfm__buf_append(b, s + run, i - run);
            tfm__buf_append(b, to, tl);
            i += fl;
            run = i;
        } else {
            i++;
        }
    }
    tfm__buf_append(b, s + run, n - run);
}

/* The clean-up both WordPiece decoding and transformers' clean_up_tokenization apply. */
static void tfm__cleanup_spaces(tfm__buf *out, const char *s, size_t n) {
    static const char *const pairs[][2] = {{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
                                           {" n't", "n't"}, {" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"},
                                           {" 've", "'ve"}, {" 're", "'re"}};
    tfm__buf cur, next;
    size_t k;
    memset(&cur, 0, sizeof cur);
    tfm__buf_append(&cur, s, n);
    for (k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        memset(&next, 0, sizeof next);
        tfm__buf_replace_all(&next, cur.data ? cur.data : "", cur.len, pairs[k][0], strlen(pairs[k][0]), pairs[k][1],
                             strlen(pairs[k][1]));
        if (next.failed) cur.failed = 1;
        TFM_FREE(cur.data);
        cur = next;
    }
    tfm__buf_append(out, cur.data ? cur.data : "", cur.len);
    if (cur.failed) out->failed = 1;
    TFM_FREE(cur.data);
}

static int tfm__hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static void tfm__decode_chain(const tfm__comp *c, tfm__strs *t) {
    size_t i;
    int k;
    switch (c->type) {
    case TFM__D_SEQUENCE:
        for (k = 0; k < c->n_items && !t->failed; k++) tfm__decode_chain(&c->items[k], t);
        return;
    case TFM__D_BYTELEVEL: {
        tfm__buf bytes, out;
        memset(&bytes, 0, sizeof bytes);
        memset(&out, 0, sizeof out);
        for (i = 0; i < t->n; i++) {
            size_t p = 0, start = bytes.len;
            int all = 1;
            while (p < t->len[i]) {
                int l, b;
                uint32_t cp = tfm__utf8_next(t->v[i] + p, t->len[i] - p, &l);
                b = tfm__char_byte(cp);
                if (b < 0) {
                    all = 0;
                    break;
                }
                {
                    char ch = (char)b;
                    tfm__buf_append(&bytes, &ch, 1);
                }
                p += (size_t)l;
            }
            if (!all) {
                bytes.len = start;
                tfm__buf_append(&bytes, t->v[i], t->len[i]);
            }
        }
        /* lossy UTF-8 */
        for (i = 0; i < bytes.len;) {
            int l = tfm__utf8_valid_len((const unsigned char *)bytes.data + i, (const unsigned char *)bytes.data + bytes.len);
            if (l) {
                tfm__buf_append(&out, bytes.data + i, (size_t)l);
                i += (size_t)l;
            } else {
                /* one U+FFFD per maximal invalid prefix, as String::from_utf8_lossy */
                size_t skip = 1;
                unsigned char b0 = (unsigned char)bytes.data[i];
                size_t need = b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc2 ? 2 : 1;
                while (skip < need && i + skip < bytes.len && ((unsigned char)bytes.data[i + skip] & 0xc0) == 0x80) {
                    /* stop at the first byte that cannot continue a valid sequence */
                    unsigned char b1 = (unsigned char)bytes.data[i + 1];
                    if (skip == 1 && ((b0 == 0xe0 && b1 < 0xa0) || (b0 == 0xed && b1 >= 0xa0) ||
                                      (b0 == 0xf0 && b1 < 0x90) || (b0 == 0xf4 && b1 >= 0x90)))
                        break;
                    skip++;
                }
                tfm__buf_append(&out, "\xEF\xBF\xBD", 3);
                i += skip;
            }
        }
        TFM_FREE(bytes.data);
        tfm__strs_free(t);
        tfm__strs_push(t, out.data ? out.data : "", out.len);
        if (out.failed) t->failed = 1;
        TFM_FREE(out.data);
        return;
    }
    case TFM__D_WORDPIECE: /* str prefix, flag_a cleanup */
        for (i = 0; i < t->n; i++) {
            tfm__buf b;
            memset(&b, 0, sizeof b);
            if (i != 0) {
                if (t->len[i] >= c->str_len && memcmp(t->v[i], c->str, c->str_len) == 0) {
                    tfm__buf_append(&b, t->v[i] + c->str_len, t->len[i] - c->str_len);
                } else {
                    tfm__buf_append(&b, " ", 1);
                    tfm__buf_append(&b, t->v[i], t->len[i]);
                }
            } else {
                tfm__buf_append(&b, t->v[i], t->len[i]);
            }
            if (c->flag_a) {
                tfm__buf cl;
                memset(&cl, 0, sizeof cl);
                tfm__cleanup_spaces(&cl, b.data ? b.data : "", b.len);
                TFM_FREE(b.data);
                b = cl;
            }
            tfm__strs_set(t, i, &b);
        }
        return;
    case TFM__D_METASPACE: /* ch replacement, behavior prepend scheme */
        for (i = 0; i < t->n; i++) {
            tfm__buf b;
            size_t p = 0;
            memset(&b, 0, sizeof b);
            while (p < t->len[i]) {
                int l;
                uint32_t cp = tfm__utf8_next(t->v[i] + p, t->len[i] - p, &l);
                if (cp == c->ch) {
                    if (!(i == 0 && c->behavior != TFM__PREPEND_NEVER)) tfm__buf_append(&b, " ", 1);
                } else {
                    tfm__buf_append(&b, t->v[i] + p, (size_t)l);
                }
                p += (size_t)l;
            }
            tfm__strs_set(t, i, &b);
        }
        return;
    case TFM__D_BPE:
        for (i = 0; i < t->n; i++) {
            tfm__buf b;
            memset(&b, 0, sizeof b);
            tfm__buf_replace_all(&b, t->v[i], t->len[i], c->str, c->str_len, i + 1 == t->n ? "" : " ", i + 1 == t->n ? 0 : 1);
            tfm__strs_set(t, i, &b);
        }
        return;
    case TFM__D_REPLACE:
        for (i = 0; i < t->n; i++) {
            tfm__buf b;
            memset(&b, 0, sizeof b);
            if (c->re) {
                tfm__ns ns;
                tfm__segs g;
                memset(&g, 0, sizeof g);
                if (tfm__ns_from_text(&ns, t->v[i], t->len[i], 0) && tfm__find_regex_matches(&ns, c->re, &g)) {
                    size_t q;
                    for (q = 0; q < g.n; q++) {
                        if (g.v[q].match) tfm__buf_append(&b, c->content, c->content_len);
                        else tfm__buf_append(&b, ns.s + g.v[q].s, g.v[q].e - g.v[q].s);
                    }
                } else {
                    b.failed = 1;
                }
                TFM_FREE(g.v);
                tfm__ns_free(&ns);
            } else {
                tfm__buf_replace_all(&b, t->v[i], t->len[i], c->str, c->str_len, c->content, c->content_len);
            }
            tfm__strs_set(t, i, &b);
        }
        return;
    case TFM__D_BYTE_FALLBACK: {
        tfm__strs out;
        tfm__buf pending;
        memset(&out, 0, sizeof out);
        memset(&pending, 0, sizeof pending);
        for (i = 0; i <= t->n; i++) {
            int is_byte = 0;
            if (i < t->n && t->len[i] == 6 && memcmp(t->v[i], "<0x", 3) == 0 && t->v[i][5] == '>') {
                int hi = tfm__hexval(t->v[i][3]), lo = tfm__hexval(t->v[i][4]);
                if (hi >= 0 && lo >= 0) {
                    char ch = (char)(hi * 16 + lo);
                    tfm__buf_append(&pending, &ch, 1);
                    is_byte = 1;
                }
            }
            if (!is_byte && pending.len) {
                if (tfm__utf8_valid(pending.data, pending.len)) tfm__strs_push(&out, pending.data, pending.len);
                else {
                    size_t q;
                    for (q = 0; q < pending.len; q++) tfm__strs_push(&out, "\xEF\xBF\xBD", 3);
                }
                pending.len = 0;
            }
            if (!is_byte && i < t->n) tfm__strs_push(&out, t->v[i], t->len[i]);
        }
        if (pending.failed) out.failed = 1;
        TFM_FREE(pending.data);
        tfm__strs_free(t);
        *t = out;
        return;
    }
    case TFM__D_FUSE: {
        tfm__buf b;
        memset(&b, 0, sizeof b);
        for (i = 0; i < t->n; i++) tfm__buf_append(&b, t->v[i], t->len[i]);
        tfm__strs_free(t);
        tfm__strs_push(t, b.data ? b.data : "", b.len);
        if (b.failed) t->failed = 1;
        TFM_FREE(b.data);
        return;
    }
    case TFM__D_STRIP: /* ch content, n_a start, n_b stop (counts of chars) */
        for (i = 0; i < t->n; i++) {
            size_t s = 0, e = t->len[i];
            int64_t k2;
            tfm__buf b;
            for (k2 = 0; k2 < c->n_a && s < e; k2++) {
                int l;
                if (tfm__utf8_next(t->v[i] + s, e - s, &l) != c->ch) break;
                s += (size_t)l;
            }
            for (k2 = 0; k2 < c->n_b && e > s; k2++) {
                size_t q = e - 1;
                int l;
                while (q > s && ((unsigned char)t->v[i][q] & 0xc0) == 0x80) q--;
                if (tfm__utf8_next(t->v[i] + q, e - q, &l) != c->ch) break;
                e = q;
            }
            memset(&b, 0, sizeof b);
            tfm__buf_append(&b, t->v[i] + s, e - s);
            tfm__strs_set(t, i, &b);
        }
        return;
    case TFM__D_CTC: { /* str pad token, content word delimiter, flag_a cleanup */
        tfm__strs out;
        memset(&out, 0, sizeof out);
        for (i = 0; i < t->n; i++) {
            tfm__buf b;
            if (i > 0 && t->len[i] == t->len[i - 1] && memcmp(t->v[i], t->v[i - 1], t->len[i]) == 0) continue;
            if (t->len[i] == c->str_len && memcmp(t->v[i], c->str, c->str_len) == 0) continue;
            memset(&b, 0, sizeof b);
            if (c->flag_a) {
                tfm__buf cl;
                memset(&cl, 0, sizeof cl);
                tfm__cleanup_spaces(&cl, t->v[i], t->len[i]);
                tfm__buf_replace_all(&b, cl.data ? cl.data : "", cl.len, c->content, c->content_len, " ", 1);
                TFM_FREE(cl.data);
            } else {
                tfm__buf_append(&b, t->v[i], t->len[i]);
            }
            if (b.len) tfm__strs_push(&out, b.data, b.len);
            if (b.failed) out.failed = 1;
            TFM_FREE(b.data);
        }
        tfm__strs_free(t);
        *t = out;
        return;
    }
    }
}

/* Runs the decoder over the token strings in t (consumed) and joins them into *out. */
static tfm_status tfm__decode_finish(const tfm_tokenizer *tok, tfm__strs *t, char **out, size_t *out_len) {
    tfm__buf b;
    int64_t i;
    if (tok->has_decoder && !t->failed) tfm__decode_chain(&tok->decoder, t);
    memset(&b, 0, sizeof b);
    for (i = 0; i < (int64_t)t->n; i++) {
        if (!tok->has_decoder && i) tfm__buf_append(&b, " ", 1);
        tfm__buf_append(&b, t->v[i], t->len[i]);
    }
    if (!b.data) tfm__buf_append(&b, "", 0);
    if (t->failed || b.failed) {
        tfm__strs_free(t);
        TFM_FREE(b.data);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode");
    }
    tfm__strs_free(t);
    *out = b.data;
    if (out_len) *out_len = b.len;
    return TFM_OK;
}

TFMDEF tfm_status tfm_tokenizer_decode(const tfm_tokenizer *tok, const int32_t *ids, int64_t n, int skip_special_tokens,
                                       char **out, size_t *out_len) {
    tfm__strs t;
    int64_t i;
    if (out) *out = NULL;
    if (out_len) *out_len = 0;
    if (!tok || !out || (n && !ids) || n < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_decode: bad arguments");
    memset(&t, 0, sizeof t);
    for (i = 0; i < n; i++) {
        const char *s = NULL;
        size_t len = 0;
        int32_t id = ids[i];
        if (id >= 0 && id < tok->id_space && tok->added_by_id[id] >= 0) {
            const tfm__added *a = &tok->added[tok->added_by_id[id]];
            s = a->content;
            len = a->len;
        } else if (id >= 0 && id < tok->model.n_ids && tok->model.id_str[id]) {
            s = tok->model.id_str[id];
            len = tok->model.id_len[id];
        }
        if (!s) continue; /* unknown ids are dropped */
        if (skip_special_tokens && id < tok->skip_space && tok->skip_id[id]) continue;
        tfm__strs_push(&t, s, len);
    }
    return tfm__decode_finish(tok, &t, out, out_len);
}

/* ---- loading tokenizer.json ---- */

static const char tfm__gpt2_pattern[] = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

static uint32_t tfm__first_cp(const char *s) {
    int l;
    return (s && *s) ? tfm__utf8_next(s, strlen(s), &l) : 0;
}

static int tfm__behavior_from(const char *s, int fallback) {
    if (!s) return fallback;
    if (strcmp(s, "Removed") == 0) return TFM__SPLIT_REMOVED;
    if (strcmp(s, "Isolated") == 0) return TFM__SPLIT_ISOLATED;
    if (strcmp(s, "MergedWithPrevious") == 0) return TFM__SPLIT_MERGED_PREV;
    if (strcmp(s, "MergedWithNext") == 0) return TFM__SPLIT_MERGED_NEXT;
    if (strcmp(s, "Contiguous") == 0) return TFM__SPLIT_CONTIGUOUS;
    return -1;
}

/* Reads {"String": s} or {"Regex": r} into c->str or c->re. */
static tfm_status tfm__load_pattern(const tfm_json *pat, tfm__comp *c, const char *what) {
    const tfm_json *s = tfm_json_get(pat, "String"), *r = tfm_json_get(pat, "Regex");
    if (tfm_json_str(s)) {
        c->str = tfm_json_str(s);
        c->str_len = tfm_json_len(s);
        return TFM_OK;
    }
    if (tfm_json_str(r)) {
        c->re = tfm__re_compile(tfm_json_str(r), tfm_json_len(r));
        return c->re ? TFM_OK : tfm__prefix_error(TFM_ERR_FORMAT, what);
    }
    return tfm__fail(TFM_ERR_FORMAT, "%s: \"pattern\" must be {\"String\": ...} or {\"Regex\": ...}", what);
}

static int tfm__prepend_scheme(const tfm_json *node) {
    const char *s = tfm_json_str(tfm_json_get(node, "prepend_scheme"));
    if (s) return strcmp(s, "first") == 0 ? TFM__PREPEND_FIRST : strcmp(s, "never") == 0 ? TFM__PREPEND_NEVER : TFM__PREPEND_ALWAYS;
    return tfm_json_bool(tfm_json_get(node, "add_prefix_space"), 1) ? TFM__PREPEND_ALWAYS : TFM__PREPEND_NEVER;
}

/* Decodes standard base64; returns NULL on bad input. */
static unsigned char *tfm__base64(const char *s, size_t n, size_t *out_len) {
    unsigned char *out = (unsigned char *)tfm__malloc(n / 4 * 3 + 4);
    size_t i, o = 0;
    uint32_t acc = 0;
    int bits = 0;
    if (!out) return NULL;
    for (i = 0; i < n; i++) {
        char c = s[i];
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62;
        else if (c == '/' || c == '_') v = 63;
        else if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
        else {
            TFM_FREE(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    *out_len = o;
    return out;
}

static tfm_status tfm__load_comp(const tfm_json *node, int kind, tfm__comp *c);

static tfm_status tfm__load_children(const tfm_json *arr, int kind, tfm__comp *c, const char *what) {
    size_t i;
    if (tfm_json_kind(arr) != TFM_JSON_ARRAY) return tfm__fail(TFM_ERR_FORMAT, "%s: Sequence needs a list", what);
    c->items = (tfm__comp *)tfm__calloc(tfm_json_len(arr) + 1, sizeof(tfm__comp));
    if (!c->items) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
    for (i = 0; i < tfm_json_len(arr); i++) {
        tfm_status st = tfm__load_comp(tfm_json_at(arr, i), kind, &c->items[c->n_items]);
        c->n_items++;
        if (st != TFM_OK) return st;
    }
    return TFM_OK;
}

/* kind: 0 normalizer, 1 pre-tokenizer, 2 decoder. */
static tfm_status tfm__load_comp(const tfm_json *node, int kind, tfm__comp *c) {
    static const char *const what[] = {"normalizer", "pre_tokenizer", "decoder"};
    const char *type = tfm_json_str(tfm_json_get(node, "type"));
    memset(c, 0, sizeof *c);
    if (!type) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: %s without a \"type\"", what[kind]);
#define TFM__IS(name) (strcmp(type, name) == 0)
    if (kind == 0) {
        if (TFM__IS("BertNormalizer")) {
            const tfm_json *sa = tfm_json_get(node, "strip_accents");
            c->type = TFM__N_BERT;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "clean_text"), 1);
            c->flag_b = tfm_json_bool(tfm_json_get(node, "handle_chinese_chars"), 1);
            c->flag_d = tfm_json_bool(tfm_json_get(node, "lowercase"), 1);
            c->flag_c = tfm_json_bool(sa, c->flag_d); /* null follows lowercase */
        } else if (TFM__IS("Lowercase")) c->type = TFM__N_LOWERCASE;
        else if (TFM__IS("NFC")) c->type = TFM__N_NFC;
        else if (TFM__IS("NFD")) c->type = TFM__N_NFD;
        else if (TFM__IS("NFKC")) c->type = TFM__N_NFKC;
        else if (TFM__IS("NFKD")) c->type = TFM__N_NFKD;
        else if (TFM__IS("Strip")) {
            c->type = TFM__N_STRIP;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "strip_left"), 1);
            c->flag_b = tfm_json_bool(tfm_json_get(node, "strip_right"), 1);
        } else if (TFM__IS("StripAccents")) c->type = TFM__N_STRIP_ACCENTS;
        else if (TFM__IS("Nmt")) c->type = TFM__N_NMT;
        else if (TFM__IS("ByteLevel")) c->type = TFM__N_BYTELEVEL;
        else if (TFM__IS("Replace")) {
            const tfm_json *content = tfm_json_get(node, "content");
            c->type = TFM__N_REPLACE;
            c->content = tfm_json_str_or(content, "");
            c->content_len = tfm_json_len(content);
            return tfm__load_pattern(tfm_json_get(node, "pattern"), c, "Replace normalizer");
        } else if (TFM__IS("Prepend")) {
            const tfm_json *p = tfm_json_get(node, "prepend");
            c->type = TFM__N_PREPEND;
            c->str = tfm_json_str_or(p, "");
            c->str_len = tfm_json_len(p);
        } else if (TFM__IS("Precompiled")) {
            const tfm_json *m = tfm_json_get(node, "precompiled_charsmap");
            c->type = TFM__N_PRECOMPILED;
            if (tfm_json_str(m) && tfm_json_len(m)) {
                c->blob = tfm__base64(tfm_json_str(m), tfm_json_len(m), &c->blob_len);
                if (!c->blob) return tfm__fail(TFM_ERR_FORMAT, "Precompiled normalizer: precompiled_charsmap is not base64");
            }
        } else if (TFM__IS("Sequence")) {
            c->type = TFM__N_SEQUENCE;
            return tfm__load_children(tfm_json_get(node, "normalizers"), 0, c, "normalizer");
        } else return tfm__fail(TFM_ERR_UNSUPPORTED, "tokenizer.json: normalizer type '%s' is not supported", type);
    } else if (kind == 1) {
        if (TFM__IS("BertPreTokenizer")) c->type = TFM__P_BERT;
        else if (TFM__IS("Whitespace")) c->type = TFM__P_WHITESPACE;
        else if (TFM__IS("WhitespaceSplit")) c->type = TFM__P_WHITESPACE_SPLIT;
        else if (TFM__IS("Punctuation")) {
            c->type = TFM__P_PUNCTUATION;
            c->behavior = tfm__behavior_from(tfm_json_str(tfm_json_get(node, "behavior")), TFM__SPLIT_ISOLATED);
        } else if (TFM__IS("Digits")) {
            c->type = TFM__P_DIGITS;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "individual_digits"), 0);
        } else if (TFM__IS("CharDelimiterSplit")) {
            c->type = TFM__P_DELIMITER;
            c->ch = tfm__first_cp(tfm_json_str(tfm_json_get(node, "delimiter")));
        } else if (TFM__IS("Split")) {
            c->type = TFM__P_SPLIT;
            c->behavior = tfm__behavior_from(tfm_json_str(tfm_json_get(node, "behavior")), TFM__SPLIT_REMOVED);
            c->invert = tfm_json_bool(tfm_json_get(node, "invert"), 0);
            if (c->behavior < 0) return tfm__fail(TFM_ERR_FORMAT, "Split pre-tokenizer: unknown behavior");
            return tfm__load_pattern(tfm_json_get(node, "pattern"), c, "Split pre-tokenizer");
        } else if (TFM__IS("Metaspace")) {
            c->type = TFM__P_METASPACE;
            c->ch = tfm__first_cp(tfm_json_str_or(tfm_json_get(node, "replacement"), "\xE2\x96\x81"));
            c->behavior = tfm__prepend_scheme(node);
            c->flag_a = tfm_json_bool(tfm_json_get(node, "split"), 1);
        } else if (TFM__IS("ByteLevel")) {
            c->type = TFM__P_BYTELEVEL;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "add_prefix_space"), 1);
            c->flag_b = tfm_json_bool(tfm_json_get(node, "use_regex"), 1);
            if (c->flag_b) {
                c->re = tfm__re_compile(tfm__gpt2_pattern, sizeof tfm__gpt2_pattern - 1);
                if (!c->re) return TFM_ERR_FORMAT;
            }
        } else if (TFM__IS("Sequence")) {
            c->type = TFM__P_SEQUENCE;
            return tfm__load_children(tfm_json_get(node, "pretokenizers"), 1, c, "pre_tokenizer");
        } else return tfm__fail(TFM_ERR_UNSUPPORTED, "tokenizer.json: pre_tokenizer type '%s' is not supported", type);
    } else {
        if (TFM__IS("ByteLevel")) c->type = TFM__D_BYTELEVEL;
        else if (TFM__IS("WordPiece")) {
            const tfm_json *p = tfm_json_get(node, "prefix");
            c->type = TFM__D_WORDPIECE;
            c->str = tfm_json_str_or(p, "##");
            c->str_len = p ? tfm_json_len(p) : 2;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "cleanup"), 1);
        } else if (TFM__IS("Metaspace")) {
            c->type = TFM__D_METASPACE;
            c->ch = tfm__first_cp(tfm_json_str_or(tfm_json_get(node, "replacement"), "\xE2\x96\x81"));
            c->behavior = tfm__prepend_scheme(node);
        } else if (TFM__IS("BPEDecoder")) {
            const tfm_json *s = tfm_json_get(node, "suffix");
            c->type = TFM__D_BPE;
            c->str = tfm_json_str_or(s, "</w>");
            c->str_len = s ? tfm_json_len(s) : 4;
        } else if (TFM__IS("CTC")) {
            const tfm_json *p = tfm_json_get(node, "pad_token"), *w = tfm_json_get(node, "word_delimiter_token");
            c->type = TFM__D_CTC;
            c->str = tfm_json_str_or(p, "<pad>");
            c->str_len = p ? tfm_json_len(p) : 5;
            c->content = tfm_json_str_or(w, "|");
            c->content_len = w ? tfm_json_len(w) : 1;
            c->flag_a = tfm_json_bool(tfm_json_get(node, "cleanup"), 1);
        } else if (TFM__IS("Replace")) {
            const tfm_json *content = tfm_json_get(node, "content");
            c->type = TFM__D_REPLACE;
            c->content = tfm_json_str_or(content, "");
            c->content_len = tfm_json_len(content);
            return tfm__load_pattern(tfm_json_get(node, "pattern"), c, "Replace decoder");
        } else if (TFM__IS("ByteFallback")) c->type = TFM__D_BYTE_FALLBACK;
        else if (TFM__IS("Fuse")) c->type = TFM__D_FUSE;
        else if (TFM__IS("Strip")) {
            c->type = TFM__D_STRIP;
            c->ch = tfm__first_cp(tfm_json_str_or(tfm_json_get(node, "content"), " "));
            c->n_a = tfm_json_int(tfm_json_get(node, "start"), 0);
            c->n_b = tfm_json_int(tfm_json_get(node, "stop"), 0);
        } else if (TFM__IS("Sequence")) {
            c->type = TFM__D_SEQUENCE;
            return tfm__load_children(tfm_json_get(node, "decoders"), 2, c, "decoder");
        } else return tfm__fail(TFM_ERR_UNSUPPORTED, "tokenizer.json: decoder type '%s' is not supported", type);
    }
#undef TFM__IS
    return TFM_OK;
}

static tfm_status tfm__model_set_id(tfm__model *m, int32_t id, const char *s, size_t n) {
    if (id < 0 || id >= m->n_ids) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: token id %d out of range", (int)id);
    m->id_str[id] = s;
    m->id_len[id] = (uint32_t)n;
    return TFM_OK;
}

static tfm_status tfm__load_model(const tfm_json *node, tfm__model *m) {
    const char *type = tfm_json_str(tfm_json_get(node, "type"));
    const tfm_json *vocab = tfm_json_get(node, "vocab");
    size_t i, nv = tfm_json_len(vocab);
    int32_t max_id = -1;
    tfm_status st;
    memset(m, 0, sizeof *m);
    m->unk_id = -1;
    for (i = 0; i < 256; i++) m->byte_ids[i] = -1;
    if (!type) type = tfm_json_get(node, "merges") ? "BPE" : tfm_json_kind(vocab) == TFM_JSON_ARRAY ? "Unigram" : "WordPiece";
    if (strcmp(type, "WordPiece") == 0) m->type = TFM__M_WORDPIECE;
    else if (strcmp(type, "BPE") == 0) m->type = TFM__M_BPE;
    else if (strcmp(type, "Unigram") == 0) m->type = TFM__M_UNIGRAM;
    else if (strcmp(type, "WordLevel") == 0) m->type = TFM__M_WORDLEVEL;
    else return tfm__fail(TFM_ERR_UNSUPPORTED, "tokenizer.json: model type '%s' is not supported", type);
    if (m->type == TFM__M_UNIGRAM ? tfm_json_kind(vocab) != TFM_JSON_ARRAY : tfm_json_kind(vocab) != TFM_JSON_OBJECT)
        return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: model.vocab has the wrong shape for %s", type);
    if (!tfm__smap_init(&m->vocab, nv)) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "vocabulary");
    if (m->type == TFM__M_UNIGRAM) {
        max_id = (int32_t)nv - 1;
    } else {
        for (i = 0; i < nv; i++) {
            const tfm_json *v = tfm_json_at(vocab, i);
            if (!tfm_json_is_int(v) || tfm_json_int(v, -1) < 0 || tfm_json_int(v, -1) > INT32_MAX - 1)
                return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: model.vocab['%s'] is not a valid id", tfm_json_key_at(vocab, i));
            max_id = TFM__MAX(max_id, (int32_t)tfm_json_int(v, 0));
        }
    }
    m->n_ids = (int64_t)max_id + 1;
    /* id -> token tables are dense: refuse ids far beyond the vocabulary (hostile files) */
    if (m->n_ids > (int64_t)nv * 16 + 65536)
        return tfm__fail(TFM_ERR_LIMIT, "tokenizer.json: model.vocab has %zu entries but ids up to %lld", nv,
                         (long long)max_id);
    m->id_str = (const char **)tfm__calloc((size_t)m->n_ids + 1, sizeof(char *));
    m->id_len = (uint32_t *)tfm__calloc((size_t)m->n_ids + 1, sizeof(uint32_t));
    if (m->type == TFM__M_UNIGRAM) m->scores = (double *)tfm__calloc((size_t)m->n_ids + 1, sizeof(double));
    if (!m->id_str || !m->id_len || (m->type == TFM__M_UNIGRAM && !m->scores))
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "vocabulary");
    m->min_score = 0;
    for (i = 0; i < nv; i++) {
        const char *s;
        size_t n;
        int32_t id;
        if (m->type == TFM__M_UNIGRAM) {
            const tfm_json *e = tfm_json_at(vocab, i);
            s = tfm_json_str(tfm_json_at(e, 0));
            n = tfm_json_len(tfm_json_at(e, 0));
            if (!s || tfm_json_kind(tfm_json_at(e, 1)) != TFM_JSON_NUMBER)
                return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: Unigram vocab entry %zu is not [piece, score]", i);
            id = (int32_t)i;
            m->scores[i] = tfm_json_num(tfm_json_at(e, 1), 0);
            if (i == 0 || m->scores[i] < m->min_score) m->min_score = m->scores[i];
            if (n > m->max_piece_bytes) m->max_piece_bytes = n;
        } else {
            s = tfm_json_key_at(vocab, i);
            n = strlen(s);
            id = (int32_t)tfm_json_int(tfm_json_at(vocab, i), 0);
        }
        if (!tfm__smap_put(&m->vocab, s, n, id)) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "vocabulary");
        if ((st = tfm__model_set_id(m, id, s, n)) != TFM_OK) return st;
    }
    {
        const char *unk = tfm_json_str(tfm_json_get(node, "unk_token"));
        if (m->type == TFM__M_UNIGRAM) {
            const tfm_json *u = tfm_json_get(node, "unk_id");
            m->unk_id = tfm_json_is_int(u) ? (int32_t)tfm_json_int(u, -1) : -1;
            if (m->unk_id >= m->n_ids) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: unk_id out of range");
        } else if (unk) {
            m->unk_id = tfm__smap_get(&m->vocab, unk, strlen(unk));
        }
    }
    {
        char hex[8];
        for (i = 0; i < 256; i++) {
            snprintf(hex, sizeof hex, "<0x%02X>", (unsigned)i);
            m->byte_ids[i] = tfm__smap_get(&m->vocab, hex, 6);
        }
    }
    if (m->type == TFM__M_WORDPIECE) {
        const tfm_json *p = tfm_json_get(node, "continuing_subword_prefix");
        m->prefix = tfm_json_str_or(p, "##");
        m->prefix_len = p && tfm_json_str(p) ? tfm_json_len(p) : 2;
        m->max_chars = tfm_json_int(tfm_json_get(node, "max_input_chars_per_word"), 100);
    } else if (m->type == TFM__M_BPE) {
        const tfm_json *merges = tfm_json_get(node, "merges"), *p = tfm_json_get(node, "continuing_subword_prefix"),
                       *sfx = tfm_json_get(node, "end_of_word_suffix");
        size_t cap = 16, nm = tfm_json_len(merges);
        m->prefix = tfm_json_str(p);
        m->prefix_len = m->prefix ? tfm_json_len(p) : 0;
        m->suffix = tfm_json_str(sfx);
        m->suffix_len = m->suffix ? tfm_json_len(sfx) : 0;
        m->byte_fallback = tfm_json_bool(tfm_json_get(node, "byte_fallback"), 0);
        m->fuse_unk = tfm_json_bool(tfm_json_get(node, "fuse_unk"), 0);
        m->ignore_merges = tfm_json_bool(tfm_json_get(node, "ignore_merges"), 0);
        m->cache = tfm__bpe_cache_new(); /* optional: NULL just means no cache */
        while (cap < nm * 2 + 2) cap *= 2;
        m->merges.slots = (tfm__pmap_entry *)tfm__calloc(cap, sizeof(tfm__pmap_entry));
        m->merges.mask = cap - 1;
        if (!m->merges.slots) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "merges");
        for (i = 0; i < nm; i++) {
            const tfm_json *e = tfm_json_at(merges, i);
            const char *a, *b;
            size_t la, lb;
            int32_t ia, ib, im;
            char stack[256];
            char *joined = stack;
            tfm__pmap_entry *slot;
            if (tfm_json_kind(e) == TFM_JSON_STRING) {
                const char *sp = strchr(tfm_json_str(e), ' ');
                if (i == 0 && strncmp(tfm_json_str(e), "#version", 8) == 0) continue;
                if (!sp) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: merge %zu '%s' has no space", i, tfm_json_str(e));
                a = tfm_json_str(e);
                la = (size_t)(sp - a);
                b = sp + 1;
                lb = tfm_json_len(e) - la - 1;
            } else if (tfm_json_kind(e) == TFM_JSON_ARRAY && tfm_json_len(e) == 2 && tfm_json_str(tfm_json_at(e, 0)) &&
                       tfm_json_str(tfm_json_at(e, 1))) {
                a = tfm_json_str(tfm_json_at(e, 0));
                la = tfm_json_len(tfm_json_at(e, 0));
                b = tfm_json_str(tfm_json_at(e, 1));
                lb = tfm_json_len(tfm_json_at(e, 1));
            } else {
                return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: merge %zu is neither \"a b\" nor [a, b]", i);
            }
            ia = tfm__smap_get(&m->vocab, a, la);
            ib = tfm__smap_get(&m->vocab, b, lb);
            if (ia < 0 || ib < 0)
                return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: merge %zu uses a token missing from the vocab", i);
            /* merged token = a + b without b's continuing prefix */
            if (m->prefix_len && lb >= m->prefix_len && memcmp(b, m->prefix, m->prefix_len) == 0) {
                b += m->prefix_len;
                lb -= m->prefix_len;
            }
            if (la + lb > sizeof stack) joined = (char *)tfm__malloc(la + lb);
            if (!joined) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "merges");
            memcpy(joined, a, la);
            memcpy(joined + la, b, lb);
            im = tfm__smap_get(&m->vocab, joined, la + lb);
            if (joined != stack) TFM_FREE(joined);
            if (im < 0) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: the result of merge %zu is not in the vocab", i);
            slot = tfm__pmap_slot(&m->merges, (((uint64_t)(uint32_t)ia << 32) | (uint32_t)ib) + 1);
            if (!slot->key) { /* the first rule for a pair wins */
                slot->key = (((uint64_t)(uint32_t)ia << 32) | (uint32_t)ib) + 1;
                slot->rank = (int32_t)i;
                slot->id = im;
            }
        }
    }
    return TFM_OK;
}

static void tfm__model_free(tfm__model *m) {
    tfm__smap_free(&m->vocab);
    TFM_FREE(m->id_str);
    TFM_FREE(m->id_len);
    TFM_FREE(m->merges.slots);
    TFM_FREE(m->scores);
    tfm__bpe_cache_free(m->cache);
    memset(m, 0, sizeof *m);
}

TFMDEF void tfm_tokenizer_free(tfm_tokenizer *tok) {
    int64_t i;
    int k;
    if (!tok) return;
    tfm__model_free(&tok->model);
    tfm__comp_free(&tok->normalizer);
    tfm__comp_free(&tok->pretok);
    tfm__comp_free(&tok->decoder);
    for (i = 0; i < tok->n_added; i++) TFM_FREE(tok->added[i].normed);
    TFM_FREE(tok->added);
    TFM_FREE(tok->added_by_id);
    TFM_FREE(tok->skip_id);
    TFM_FREE(tok->match_raw);
    TFM_FREE(tok->match_norm);
    for (k = 0; k < tok->n_single; k++) {
        TFM_FREE(tok->single[k].ids);
        TFM_FREE((void *)tok->single[k].strs);
    }
    for (k = 0; k < tok->n_pair; k++) {
        TFM_FREE(tok->pair[k].ids);
        TFM_FREE((void *)tok->pair[k].strs);
    }
    TFM_FREE(tok->single);
    TFM_FREE(tok->pair);
    tfm_json_free(tok->doc);
    tfm_json_free(tok->config);
    TFM_FREE(tok);
}

/* Template pieces from TemplateProcessing's list form. */
static tfm_status tfm__load_template(const tfm_json *list, const tfm_json *specials, tfm__tpl **out, int *n_out) {
    size_t i, n = tfm_json_len(list);
    tfm__tpl *t = (tfm__tpl *)tfm__calloc(n + 1, sizeof *t);
    if (!t) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
    *out = t;
    *n_out = (int)n;
    for (i = 0; i < n; i++) {
        const tfm_json *e = tfm_json_at(list, i), *sp = tfm_json_get(e, "SpecialToken"), *sq = tfm_json_get(e, "Sequence");
        if (sq) {
            const char *id = tfm_json_str(tfm_json_get(sq, "id"));
            t[i].seq = (id && strcmp(id, "B") == 0) ? 1 : 0;
            t[i].type_id = (int32_t)tfm_json_int(tfm_json_get(sq, "type_id"), 0);
        } else if (sp) {
            const char *name = tfm_json_str(tfm_json_get(sp, "id"));
            const tfm_json *def = tfm_json_get(specials, name ? name : ""), *ids = tfm_json_get(def, "ids"),
                           *toks = tfm_json_get(def, "tokens");
            size_t k;
            t[i].seq = -1;
            t[i].type_id = (int32_t)tfm_json_int(tfm_json_get(sp, "type_id"), 0);
            if (!def || tfm_json_len(ids) != tfm_json_len(toks))
                return tfm__fail(TFM_ERR_FORMAT, "TemplateProcessing: special token '%s' is not defined", name ? name : "?");
            t[i].n_ids = (int)tfm_json_len(ids);
            t[i].ids = (int32_t *)tfm__calloc((size_t)t[i].n_ids + 1, sizeof(int32_t));
            t[i].strs = (const char **)tfm__calloc((size_t)t[i].n_ids + 1, sizeof(char *));
            if (!t[i].ids || !t[i].strs) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
            for (k = 0; k < (size_t)t[i].n_ids; k++) {
                t[i].ids[k] = (int32_t)tfm_json_int(tfm_json_at(ids, k), 0);
                t[i].strs[k] = tfm_json_str_or(tfm_json_at(toks, k), "");
            }
        } else {
            return tfm__fail(TFM_ERR_FORMAT, "TemplateProcessing: piece %zu is neither SpecialToken nor Sequence", i);
        }
    }
    return TFM_OK;
}

/* Builds a [special] $A [special] style template from (token, id) pairs; seq -1 marks specials. */
static tfm_status tfm__make_template(tfm__tpl **out, int *n_out, const int *seqs, const int32_t *types,
                                     const tfm_json *const *tokens, int n) {
    int i;
    tfm__tpl *t = (tfm__tpl *)tfm__calloc((size_t)n + 1, sizeof *t);
    if (!t) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
    *out = t;
    *n_out = n;
    for (i = 0; i < n; i++) {
        t[i].seq = seqs[i];
        t[i].type_id = types[i];
        if (seqs[i] < 0) {
            t[i].n_ids = 1;
            t[i].ids = (int32_t *)tfm__calloc(2, sizeof(int32_t));
            t[i].strs = (const char **)tfm__calloc(2, sizeof(char *));
            if (!t[i].ids || !t[i].strs) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
            t[i].strs[0] = tfm_json_str_or(tfm_json_at(tokens[i], 0), "");
            t[i].ids[0] = (int32_t)tfm_json_int(tfm_json_at(tokens[i], 1), 0);
        }
    }
    return TFM_OK;
}

static tfm_status tfm__load_post(tfm_tokenizer *tok, const tfm_json *node) {
    const char *type = tfm_json_str(tfm_json_get(node, "type"));
    if (!node || tfm_json_kind(node) == TFM_JSON_NULL) return TFM_OK;
    if (!type) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: post_processor without a \"type\"");
    if (strcmp(type, "TemplateProcessing") == 0) {
        tfm_status st;
        const tfm_json *sp = tfm_json_get(node, "special_tokens");
        tok->has_template = 1;
        if ((st = tfm__load_template(tfm_json_get(node, "single"), sp, &tok->single, &tok->n_single)) != TFM_OK) return st;
        return tfm__load_template(tfm_json_get(node, "pair"), sp, &tok->pair, &tok->n_pair);
    }
    if (strcmp(type, "BertProcessing") == 0 || strcmp(type, "RobertaProcessing") == 0) {
        const tfm_json *cls = tfm_json_get(node, "cls"), *sep = tfm_json_get(node, "sep");
        int roberta = type[0] == 'R';
        static const int s_seq[] = {-1, 0, -1}, p_seq_b[] = {-1, 0, -1, 1, -1}, p_seq_r[] = {-1, 0, -1, -1, 1, -1};
        static const int32_t s_ty[] = {0, 0, 0}, p_ty_b[] = {0, 0, 0, 1, 1}, p_ty_r[] = {0, 0, 0, 0, 0, 0};
        const tfm_json *s_tok[3], *p_tok[6];
        tfm_status st;
        s_tok[0] = cls;
        s_tok[1] = NULL;
        s_tok[2] = sep;
        p_tok[0] = cls;
        p_tok[1] = NULL;
        p_tok[2] = sep;
        p_tok[3] = roberta ? sep : NULL;
        p_tok[4] = roberta ? NULL : sep;
        p_tok[5] = sep;
        if (!roberta) p_tok[4] = sep, p_tok[3] = NULL;
        tok->has_template = 1;
        if ((st = tfm__make_template(&tok->single, &tok->n_single, s_seq, s_ty, s_tok, 3)) != TFM_OK) return st;
        if (roberta) {
            tok->flat_type_ids = 1;
            tok->trim_offsets = tfm_json_bool(tfm_json_get(node, "trim_offsets"), 1);
            tok->trim_add_prefix_space = tfm_json_bool(tfm_json_get(node, "add_prefix_space"), 1);
            return tfm__make_template(&tok->pair, &tok->n_pair, p_seq_r, p_ty_r, p_tok, 6);
        }
        return tfm__make_template(&tok->pair, &tok->n_pair, p_seq_b, p_ty_b, p_tok, 5);
    }
    if (strcmp(type, "ByteLevel") == 0) {
        tok->trim_offsets = tfm_json_bool(tfm_json_get(node, "trim_offsets"), 1);
        tok->trim_add_prefix_space = tfm_json_bool(tfm_json_get(node, "add_prefix_space"), 1);
        return TFM_OK;
    }
    if (strcmp(type, "Sequence") == 0) {
        const tfm_json *list = tfm_json_get(node, "processors");
        size_t i;
        for (i = 0; i < tfm_json_len(list); i++) {
            tfm_status st = tfm__load_post(tok, tfm_json_at(list, i));
            if (st != TFM_OK) return st;
        }
        return TFM_OK;
    }
    return tfm__fail(TFM_ERR_UNSUPPORTED, "tokenizer.json: post_processor type '%s' is not supported", type);
}

static int tfm__added_cmp_ctx_len(const tfm__added *a, const tfm__added *b, int normalized) {
    size_t la = normalized ? a->normed_len : a->len, lb = normalized ? b->normed_len : b->len;
    return la > lb ? -1 : la < lb;
}

/* Index of added tokens by first byte, longest first, for one pass. */
static tfm_status tfm__build_matcher(tfm_tokenizer *tok, int normalized, int32_t **order_out, int64_t *start) {
    int64_t i, n = 0;
    int32_t *order = (int32_t *)tfm__malloc(((size_t)tok->n_added + 1) * sizeof(int32_t));
    int b;
    if (!order) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
    for (b = 0; b <= 256; b++) start[b] = 0;
    for (b = 0; b < 256; b++) {
        int64_t first = n;
        start[b] = n;
        for (i = 0; i < tok->n_added; i++) {
            const tfm__added *a = &tok->added[i];
            const char *s = normalized ? a->normed : a->content;
            size_t l = normalized ? a->normed_len : a->len;
            if (a->normalized != normalized || !s || !l || (unsigned char)s[0] != b) continue;
            order[n++] = (int32_t)i;
        }
        { /* insertion sort by length, longest first (stable) */
            int64_t x, y;
            for (x = first + 1; x < n; x++) {
                int32_t v = order[x];
                for (y = x; y > first && tfm__added_cmp_ctx_len(&tok->added[v], &tok->added[order[y - 1]], normalized) < 0; y--)
                    order[y] = order[y - 1];
                order[y] = v;
            }
        }
    }
    start[256] = n;
    *order_out = order;
    return TFM_OK;
}

/* A special token entry of tokenizer_config.json: a string or {"content": ...}. */
static const char *tfm__config_token(const tfm_json *cfg, const char *key) {
    const tfm_json *v = tfm_json_get(cfg, key);
    if (tfm_json_kind(v) == TFM_JSON_OBJECT) v = tfm_json_get(v, "content");
    return tfm_json_str(v);
}

TFMDEF const char *tfm_tokenizer_special_token(const tfm_tokenizer *tok, const char *which, int32_t *id) {
    char key[32];
    const char *s;
    if (id) *id = -1;
    if (!tok || !which || strlen(which) > 16) return NULL;
    snprintf(key, sizeof key, "%s_token", which);
    s = tfm__config_token(tok->config, key);
    if (s && id) *id = tfm_tokenizer_token_to_id(tok, s);
    return s;
}

/* Llama-family tokenizers (tokenizer_class Llama* / Gemma* / CodeLlama*) rebuild their template
   from add_bos_token / add_eos_token: single "[bos] $A [eos]", pair "single [bos] $B:1 [eos]:1",
   each special token only when enabled, as transformers does. */
static tfm_status tfm__apply_bos_eos(tfm_tokenizer *tok) {
    const char *cls = tfm_json_str(tfm_json_get(tok->config, "tokenizer_class"));
    const tfm_json *ab = tfm_json_get(tok->config, "add_bos_token"), *ae = tfm_json_get(tok->config, "add_eos_token");
    int bos, eos, k, n = 0;
    int32_t bos_id = -1, eos_id = -1;
    const char *bos_s, *eos_s;
    tfm__tpl *single, *pair;
    if (!cls || (strncmp(cls, "Llama", 5) != 0 && strncmp(cls, "Gemma", 5) != 0 && strncmp(cls, "CodeLlama", 9) != 0))
        return TFM_OK;
    if (!ab && !ae) return TFM_OK;
    bos = tfm_json_bool(ab, 1);
    eos = tfm_json_bool(ae, 0);
    bos_s = tfm_tokenizer_special_token(tok, "bos", &bos_id);
    eos_s = tfm_tokenizer_special_token(tok, "eos", &eos_id);
    if (bos && (!bos_s || bos_id < 0)) bos = 0;
    if (eos && (!eos_s || eos_id < 0)) eos = 0;
    single = (tfm__tpl *)tfm__calloc(3, sizeof *single);
    pair = (tfm__tpl *)tfm__calloc(6, sizeof *pair);
    if (!single || !pair) {
        TFM_FREE(single);
        TFM_FREE(pair);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
    }
    for (k = 0; k < 2; k++) { /* sequence A then B */
        tfm__tpl *t = pair + n;
        int j = 0;
        if (bos) {
            t[j].seq = -1;
            t[j].type_id = k;
            t[j].n_ids = 1;
            t[j].ids = (int32_t *)tfm__malloc(sizeof(int32_t));
            t[j].strs = (const char **)tfm__malloc(sizeof(char *));
            if (!t[j].ids || !t[j].strs) goto oom;
            t[j].ids[0] = bos_id;
            t[j].strs[0] = bos_s;
            j++;
        }
        t[j].seq = k;
        t[j].type_id = k;
        j++;
        if (eos) {
            t[j].seq = -1;
            t[j].type_id = k;
            t[j].n_ids = 1;
            t[j].ids = (int32_t *)tfm__malloc(sizeof(int32_t));
            t[j].strs = (const char **)tfm__malloc(sizeof(char *));
            if (!t[j].ids || !t[j].strs) goto oom;
            t[j].ids[0] = eos_id;
            t[j].strs[0] = eos_s;
            j++;
        }
        n += j;
    }
    /* the single template is the pair's first half (copied, with its own id arrays) */
    {
        int half = n / 2;
        for (k = 0; k < half; k++) {
            single[k].seq = pair[k].seq;
            single[k].type_id = pair[k].type_id;
            single[k].n_ids = pair[k].n_ids;
            if (pair[k].n_ids) {
                single[k].ids = (int32_t *)tfm__malloc(sizeof(int32_t));
                single[k].strs = (const char **)tfm__malloc(sizeof(char *));
                if (!single[k].ids || !single[k].strs) goto oom;
                single[k].ids[0] = pair[k].ids[0];
                single[k].strs[0] = pair[k].strs[0];
            }
        }
        for (k = 0; k < tok->n_single; k++) {
            TFM_FREE(tok->single[k].ids);
            TFM_FREE((void *)tok->single[k].strs);
        }
        for (k = 0; k < tok->n_pair; k++) {
            TFM_FREE(tok->pair[k].ids);
            TFM_FREE((void *)tok->pair[k].strs);
        }
        TFM_FREE(tok->single);
        TFM_FREE(tok->pair);
        tok->single = single;
        tok->n_single = half;
        tok->pair = pair;
        tok->n_pair = n;
        tok->has_template = 1;
    }
    return TFM_OK;
oom:
    for (k = 0; k < 6; k++) {
        TFM_FREE(pair[k].ids);
        TFM_FREE((void *)pair[k].strs);
    }
    for (k = 0; k < 3; k++) {
        TFM_FREE(single[k].ids);
        TFM_FREE((void *)single[k].strs);
    }
    TFM_FREE(single);
    TFM_FREE(pair);
    return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "template");
}

/* skip_special_tokens drops every id whose token text (added content first, then the vocab
   string, as decode resolves it) equals the content of a special added token. */
static tfm_status tfm__build_skip_ids(tfm_tokenizer *tok) {
    tfm__smap specials;
    int64_t i;
    tok->skip_space = TFM__MAX(tok->id_space, tok->model.n_ids);
    tok->skip_id = (uint8_t *)tfm__calloc((size_t)tok->skip_space + 1, 1);
    if (!tok->skip_id || !tfm__smap_init(&specials, (size_t)tok->n_added)) {
        TFM_FREE(tok->skip_id);
        tok->skip_id = NULL;
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
    }
    for (i = 0; i < tok->n_added; i++)
        if (tok->added[i].special && !tfm__smap_put(&specials, tok->added[i].content, tok->added[i].len, 1)) {
            tfm__smap_free(&specials);
            return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
        }
    for (i = 0; i < tok->n_added; i++) {
        const tfm__added *a = &tok->added[i];
        int32_t v;
        if (tfm__smap_get(&specials, a->content, a->len) < 0) continue;
        tok->skip_id[a->id] = 1;
        v = tfm__smap_get(&tok->model.vocab, a->content, a->len); /* the same text in the vocabulary */
        if (v >= 0 && (v >= tok->id_space || tok->added_by_id[v] < 0)) tok->skip_id[v] = 1;
    }
    tfm__smap_free(&specials);
    return TFM_OK;
}

static tfm_status tfm__tokenizer_build(tfm_tokenizer *tok) {
    const tfm_json *root = tok->doc, *node, *added;
    tfm_status st;
    size_t i;
    int64_t max_id;
    if (tfm_json_kind(root) != TFM_JSON_OBJECT) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: not a JSON object");
    node = tfm_json_get(root, "model");
    if (tfm_json_kind(node) != TFM_JSON_OBJECT) return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: no \"model\" object");
    if ((st = tfm__load_model(node, &tok->model)) != TFM_OK) return st;
    node = tfm_json_get(root, "normalizer");
    if (node && tfm_json_kind(node) != TFM_JSON_NULL) {
        tok->has_normalizer = 1;
        if ((st = tfm__load_comp(node, 0, &tok->normalizer)) != TFM_OK) return st;
    }
    node = tfm_json_get(root, "pre_tokenizer");
    if (node && tfm_json_kind(node) != TFM_JSON_NULL) {
        tok->has_pretok = 1;
        if ((st = tfm__load_comp(node, 1, &tok->pretok)) != TFM_OK) return st;
    }
    node = tfm_json_get(root, "decoder");
    if (node && tfm_json_kind(node) != TFM_JSON_NULL) {
        tok->has_decoder = 1;
        if ((st = tfm__load_comp(node, 2, &tok->decoder)) != TFM_OK) return st;
    }
    if ((st = tfm__load_post(tok, tfm_json_get(root, "post_processor"))) != TFM_OK) return st;
    added = tfm_json_get(root, "added_tokens");
    tok->added = (tfm__added *)tfm__calloc(tfm_json_len(added) + 1, sizeof(tfm__added));
    if (!tok->added) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
    max_id = tok->model.n_ids - 1;
    for (i = 0; i < tfm_json_len(added); i++) {
        const tfm_json *e = tfm_json_at(added, i), *content = tfm_json_get(e, "content");
        tfm__added *a = &tok->added[tok->n_added];
        if (!tfm_json_str(content) || !tfm_json_is_int(tfm_json_get(e, "id")))
            return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: added_tokens[%zu] needs \"id\" and \"content\"", i);
        a->content = tfm_json_str(content);
        a->len = tfm_json_len(content);
        a->id = (int32_t)tfm_json_int(tfm_json_get(e, "id"), 0);
        if (a->id < 0 || a->id > tok->model.n_ids + (int64_t)tfm_json_len(added) + 65536)
            return tfm__fail(TFM_ERR_FORMAT, "tokenizer.json: added_tokens[%zu] has id %d, outside the vocabulary", i,
                             (int)a->id);
        a->special = tfm_json_bool(tfm_json_get(e, "special"), 0);
        a->single_word = tfm_json_bool(tfm_json_get(e, "single_word"), 0);
        a->lstrip = tfm_json_bool(tfm_json_get(e, "lstrip"), 0);
        a->rstrip = tfm_json_bool(tfm_json_get(e, "rstrip"), 0);
        a->normalized = tfm_json_bool(tfm_json_get(e, "normalized"), !a->special);
        if (a->normalized) {
            tfm__ns ns;
            if (!tfm__ns_from_text(&ns, a->content, a->len, 0) || (tok->has_normalizer && !tfm__normalize(&tok->normalizer, &ns))) {
                tfm__ns_free(&ns);
                return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
            }
            a->normed = ns.s;
            a->normed_len = ns.len;
            ns.s = NULL;
            tfm__ns_free(&ns);
        }
        if (a->id > max_id) max_id = a->id;
        tok->n_added++;
    }
    tok->id_space = max_id + 1;
    tok->added_by_id = (int32_t *)tfm__malloc(((size_t)tok->id_space + 1) * sizeof(int32_t));
    if (!tok->added_by_id) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "added tokens");
    memset(tok->added_by_id, 0xff, ((size_t)tok->id_space + 1) * sizeof(int32_t));
    for (i = 0; i < (size_t)tok->n_added; i++) tok->added_by_id[tok->added[i].id] = (int32_t)i;
    if ((st = tfm__build_skip_ids(tok)) != TFM_OK) return st;
    if ((st = tfm__build_matcher(tok, 0, &tok->match_raw, tok->raw_start)) != TFM_OK) return st;
    if ((st = tfm__build_matcher(tok, 1, &tok->match_norm, tok->norm_start)) != TFM_OK) return st;
    tok->config_pad_left = strcmp(tfm_json_str_or(tfm_json_get(tok->config, "padding_side"), "right"), "left") == 0;
    tok->config_truncate_left =
        strcmp(tfm_json_str_or(tfm_json_get(tok->config, "truncation_side"), "right"), "left") == 0;
    tok->clean_up_spaces = tfm_json_bool(tfm_json_get(tok->config, "clean_up_tokenization_spaces"), 0);
    if ((st = tfm__apply_bos_eos(tok)) != TFM_OK) return st;
    {
        const tfm_json *pad = tfm_json_get(root, "padding");
        const char *cfg_pad = tfm_tokenizer_special_token(tok, "pad", NULL);
        tok->pad_id = 0;
        tok->pad_str = tfm_json_str(tfm_json_get(pad, "pad_token"));
        if (tok->pad_str) tok->pad_id = (int32_t)tfm_json_int(tfm_json_get(pad, "pad_id"), 0);
        else if (cfg_pad && tfm_tokenizer_token_to_id(tok, cfg_pad) >= 0) {
            tok->pad_str = cfg_pad;
            tok->pad_id = tfm_tokenizer_token_to_id(tok, cfg_pad);
        } else {
            tok->pad_str = tfm_tokenizer_id_to_token(tok, 0); /* as the reference's default pad_id 0 */
            if (!tok->pad_str) tok->pad_str = "";
        }
    }
    tok->model_max_length = tfm_json_int(tfm_json_get(tok->config, "model_max_length"), 0);
    if (tok->model_max_length <= 0 || tok->model_max_length > ((int64_t)1 << 40)) tok->model_max_length = INT32_MAX;
    return TFM_OK;
}

TFMDEF tfm_status tfm_tokenizer_load_memory(const char *json, size_t len, const char *config_json, size_t config_len,
                                            tfm_tokenizer **out) {
    tfm_tokenizer *tok;
    tfm_status st;
    if (!out || (!json && len)) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_load_memory: NULL argument");
    *out = NULL;
    tok = (tfm_tokenizer *)tfm__calloc(1, sizeof *tok);
    if (!tok) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer");
    tok->doc = tfm_json_parse(json, len, "tokenizer.json");
    if (!tok->doc) {
        tfm_tokenizer_free(tok);
        return TFM_ERR_FORMAT;
    }
    if (config_json) {
        tok->config = tfm_json_parse(config_json, config_len, "tokenizer_config.json");
        if (!tok->config) {
            tfm_tokenizer_free(tok);
            return TFM_ERR_FORMAT;
        }
    }
    if ((st = tfm__tokenizer_build(tok)) != TFM_OK) {
        tfm_tokenizer_free(tok);
        return st;
    }
    *out = tok;
    return TFM_OK;
}

/* Appends the lines of a text file as JSON: an object line -> index (vocab.txt) or an array of
   strings (merges.txt, skipping a leading "#version" line). */
static tfm_status tfm__slow_lines(tfm__buf *b, const char *path, int as_vocab) {
    tfm__file f;
    size_t i = 0, line = 0;
    int first = 1;
    tfm_status st = tfm__file_open(path, &f);
    if (st != TFM_OK) return st;
    if (!tfm__utf8_valid((const char *)f.data, f.size)) {
        tfm__file_close(&f);
        return tfm__fail(TFM_ERR_FORMAT, "%s: not valid UTF-8", path);
    }
    tfm__buf_puts(b, as_vocab ? "{" : "[");
    while (i < f.size) {
        size_t e = i, n;
        while (e < f.size && f.data[e] != '\n') e++;
        n = e - i;
        if (n && f.data[i + n - 1] == '\r') n--;
        if (as_vocab || !(line == 0 && n >= 8 && memcmp(f.data + i, "#version", 8) == 0)) {
            if (as_vocab || n) {
                if (!first) tfm__buf_puts(b, ",");
                tfm__buf_json_string(b, (const char *)f.data + i, n);
                if (as_vocab) tfm__buf_printf(b, ":%zu", line);
                first = 0;
            }
        }
        line++;
        i = e + 1;
    }
    tfm__buf_puts(b, as_vocab ? "}" : "]");
    tfm__file_close(&f);
    return TFM_OK;
}

/* Writes the tokenizer.json a fast tokenizer converted from slow files would have. */
static tfm_status tfm__slow_tokenizer_json(const char *dir, tfm_json *cfg, const char *model_type, tfm__buf *b) {
    char *vocab_txt = tfm__path_join(dir, "vocab.txt"), *vocab_json = tfm__path_join(dir, "vocab.json"),
         *merges = tfm__path_join(dir, "merges.txt");
    tfm_status st = TFM_OK;
    if (!vocab_txt || !vocab_json || !merges) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "path");
    } else if (tfm__path_kind(vocab_txt) == 0) {
        static const char *const specials[] = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};
        int lower = tfm_json_bool(tfm_json_get(cfg, "do_lower_case"), 1), k;
        const tfm_json *sa = tfm_json_get(cfg, "strip_accents");
        tfm__buf vocab;
        tfm_json *v;
        memset(&vocab, 0, sizeof vocab);
        if ((st = tfm__slow_lines(&vocab, vocab_txt, 1)) == TFM_OK && !vocab.failed) {
            v = tfm_json_parse(vocab.data, vocab.len, vocab_txt);
            if (!v) st = TFM_ERR_FORMAT;
            tfm__buf_puts(b, "{\"version\":\"1.0\",\"added_tokens\":[");
            for (k = 0; v && k < 5; k++) {
                const tfm_json *id = tfm_json_get(v, specials[k]);
                if (!id) continue;
                tfm__buf_printf(b, "%s{\"id\":%lld,\"content\":\"%s\",\"single_word\":false,\"lstrip\":false,"
                                "\"rstrip\":false,\"normalized\":false,\"special\":true}",
                                b->data[b->len - 1] == '[' ? "" : ",", (long long)tfm_json_int(id, 0), specials[k]);
            }
            tfm__buf_printf(b, "],\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,"
                            "\"handle_chinese_chars\":%s,\"strip_accents\":%s,\"lowercase\":%s},"
                            "\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},",
                            tfm_json_bool(tfm_json_get(cfg, "tokenize_chinese_chars"), 1) ? "true" : "false",
                            tfm_json_kind(sa) == TFM_JSON_TRUE ? "true" : tfm_json_kind(sa) == TFM_JSON_FALSE ? "false" : "null",
                            lower ? "true" : "false");
            tfm__buf_printf(b, "\"post_processor\":{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",%lld],"
                            "\"cls\":[\"[CLS]\",%lld]},\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\","
                            "\"cleanup\":true},\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
                            "\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":100,\"vocab\":",
                            (long long)tfm_json_int(tfm_json_get(v, "[SEP]"), 102),
                            (long long)tfm_json_int(tfm_json_get(v, "[CLS]"), 101));
            tfm__buf_append(b, vocab.data, vocab.len);
            tfm__buf_puts(b, "}}");
            tfm_json_free(v);
        }
        TFM_FREE(vocab.data);
    } else if (tfm__path_kind(vocab_json) == 0 && tfm__path_kind(merges) == 0) {
        int roberta = model_type && (strcmp(model_type, "roberta") == 0 || strcmp(model_type, "bart") == 0 ||
                                     strcmp(model_type, "longformer") == 0);
        tfm_json *v = tfm_json_parse_file(vocab_json);
        if (!v || tfm_json_kind(v) != TFM_JSON_OBJECT) {
            st = v ? tfm__fail(TFM_ERR_FORMAT, "%s: not a JSON object", vocab_json) : TFM_ERR_FORMAT;
        } else {
            tfm__file vf;
            static const char *const rob[] = {"<s>", "<pad>", "</s>", "<unk>", "<mask>"};
            int k;
            tfm__buf_puts(b, "{\"version\":\"1.0\",\"added_tokens\":[");
            if (roberta) {
                for (k = 0; k < 5; k++) {
                    const tfm_json *id = tfm_json_get(v, rob[k]);
                    if (!id) continue;
                    tfm__buf_printf(b, "%s{\"id\":%lld,\"content\":\"%s\",\"single_word\":false,\"lstrip\":%s,"
                                    "\"rstrip\":false,\"normalized\":true,\"special\":true}",
                                    b->data[b->len - 1] == '[' ? "" : ",", (long long)tfm_json_int(id, 0), rob[k],
                                    k == 4 ? "true" : "false");
                }
            } else if (tfm_json_get(v, "<|endoftext|>")) {
                tfm__buf_printf(b, "{\"id\":%lld,\"content\":\"<|endoftext|>\",\"single_word\":false,\"lstrip\":false,"
                                "\"rstrip\":false,\"normalized\":true,\"special\":true}",
                                (long long)tfm_json_int(tfm_json_get(v, "<|endoftext|>"), 0));
            }
            tfm__buf_puts(b, "],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":"
                             "false,\"trim_offsets\":true},");
            if (roberta)
                tfm__buf_printf(b, "\"post_processor\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",%lld],"
                                "\"cls\":[\"<s>\",%lld],\"trim_offsets\":true,\"add_prefix_space\":false},",
                                (long long)tfm_json_int(tfm_json_get(v, "</s>"), 2),
                                (long long)tfm_json_int(tfm_json_get(v, "<s>"), 0));
            else
                tfm__buf_puts(b, "\"post_processor\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,"
                                 "\"trim_offsets\":false},");
            tfm__buf_puts(b, "\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":");
            if ((st = tfm__file_open(vocab_json, &vf)) == TFM_OK) {
                tfm__buf_append(b, vf.data, vf.size);
                tfm__file_close(&vf);
                tfm__buf_puts(b, ",\"merges\":");
                st = tfm__slow_lines(b, merges, 0);
                tfm__buf_puts(b, "}}");
            }
        }
        tfm_json_free(v);
    } else {
        st = tfm__fail(TFM_ERR_NOT_FOUND, "'%s' has no tokenizer.json, vocab.txt or vocab.json + merges.txt", dir);
    }
    if (st == TFM_OK && b->failed) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tokenizer conversion");
    TFM_FREE(vocab_txt);
    TFM_FREE(vocab_json);
    TFM_FREE(merges);
    return st;
}

TFMDEF tfm_status tfm_tokenizer_load(const char *path, tfm_tokenizer **out) {
    tfm__file f, cf;
    char *file = NULL, *cfg = NULL, *dir = NULL;
    tfm_status st;
    int has_cfg = 0;
    if (!path || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_load: NULL argument");
    *out = NULL;
    if (tfm__path_kind(path) == 1) {
        dir = tfm__strdup(path);
        file = tfm__path_join(path, "tokenizer.json");
    } else {
        dir = tfm__path_dirname(path);
        file = tfm__strdup(path);
    }
    cfg = dir ? tfm__path_join(dir, "tokenizer_config.json") : NULL;
    if (!file || !cfg) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "path");
        goto done;
    }
    if (tfm__path_kind(file) != 0) {
        /* no tokenizer.json: convert the slow tokenizer files */
        tfm__buf json;
        tfm_json *cfg_doc = tfm__path_kind(cfg) == 0 ? tfm_json_parse_file(cfg) : NULL;
        char *model_cfg = tfm__path_join(dir, "config.json");
        tfm_json *model_doc = model_cfg && tfm__path_kind(model_cfg) == 0 ? tfm_json_parse_file(model_cfg) : NULL;
        memset(&json, 0, sizeof json);
        st = tfm__slow_tokenizer_json(dir, cfg_doc, tfm_json_str(tfm_json_get(model_doc, "model_type")), &json);
        if (st == TFM_OK) {
            tfm__buf cfg_text;
            memset(&cfg_text, 0, sizeof cfg_text);
            if (tfm__path_kind(cfg) == 0 && tfm__file_open(cfg, &cf) == TFM_OK) has_cfg = 1;
            st = tfm_tokenizer_load_memory(json.data, json.len, has_cfg ? (const char *)cf.data : NULL,
                                           has_cfg ? cf.size : 0, out);
            if (has_cfg) tfm__file_close(&cf);
        }
        TFM_FREE(json.data);
        TFM_FREE(model_cfg);
        tfm_json_free(model_doc);
        tfm_json_free(cfg_doc);
        goto done;
    }
    if ((st = tfm__file_open(file, &f)) != TFM_OK) goto done;
    if (tfm__path_kind(cfg) == 0 && tfm__file_open(cfg, &cf) == TFM_OK) has_cfg = 1;
    st = tfm_tokenizer_load_memory((const char *)f.data, f.size, has_cfg ? (const char *)cf.data : NULL,
                                   has_cfg ? cf.size : 0, out);
    if (st != TFM_OK) tfm__prefix_error(st, file);
    tfm__file_close(&f);
    if (has_cfg) tfm__file_close(&cf);
done:
    TFM_FREE(file);
    TFM_FREE(cfg);
    TFM_FREE(dir);
    return st;
}

TFMDEF tfm_status tfm_tokenizer_decode_text(const tfm_tokenizer *tok, const int32_t *ids, int64_t n,
                                            int skip_special_tokens, char **out, size_t *out_len) {
    char *raw = NULL;
    size_t len = 0;
    tfm__buf b;
    tfm_status st = tfm_tokenizer_decode(tok, ids, n, skip_special_tokens, &raw, &len);
    if (st != TFM_OK || !tok->clean_up_spaces) {
        *out = raw;
        if (out_len) *out_len = len;
        return st;
    }
    memset(&b, 0, sizeof b);
    tfm__cleanup_spaces(&b, raw, len);
    if (!b.data) tfm__buf_append(&b, "", 0);
    tfm_free(raw);
    if (b.failed) {
        TFM_FREE(b.data);
        *out = NULL;
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode");
    }
    *out = b.data;
    if (out_len) *out_len = b.len;
    return TFM_OK;
}

struct tfm_decode_stream {
    const tfm_tokenizer *tok;
    int skip;
    int32_t *ids;
    size_t n, cap, prefix_index;
    char *prefix;
    size_t prefix_len;
};

TFMDEF tfm_status tfm_decode_stream_create(const tfm_tokenizer *tok, int skip_special_tokens, tfm_decode_stream **out) {
    tfm_decode_stream *s;
    if (!tok || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_decode_stream_create: NULL argument");
    s = (tfm_decode_stream *)tfm__calloc(1, sizeof *s);
    if (!s) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode stream");
    s->tok = tok;
    s->skip = skip_special_tokens;
    *out = s;
    return TFM_OK;
}

TFMDEF void tfm_decode_stream_free(tfm_decode_stream *s) {
    if (!s) return;
    TFM_FREE(s->ids);
    TFM_FREE(s->prefix);
    TFM_FREE(s);
}

/* Decodes the ids seen since the last emitted text; emits the new suffix once it does not end in
   U+FFFD (an incomplete character), then keeps only the ids still needed as context. */
TFMDEF tfm_status tfm_decode_stream_step(tfm_decode_stream *s, int32_t id, char **piece, size_t *piece_len) {
    char *text = NULL;
    size_t len = 0;
    tfm_status st;
    if (piece) *piece = NULL;
    if (piece_len) *piece_len = 0;
    if (!s || !piece) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_decode_stream_step: NULL argument");
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        int32_t *ids = (int32_t *)TFM_REALLOC(s->ids, cap * sizeof(int32_t));
        if (!ids) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode stream");
        s->ids = ids;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
    if ((st = tfm_tokenizer_decode(s->tok, s->ids, (int64_t)s->n, s->skip, &text, &len)) != TFM_OK) return st;
    if (len > s->prefix_len && !(len >= 3 && memcmp(text + len - 3, "\xEF\xBF\xBD", 3) == 0)) {
        size_t new_index = s->n - s->prefix_index;
        char *new_prefix = NULL;
        size_t new_prefix_len = 0;
        if (s->prefix_len && memcmp(text, s->prefix, s->prefix_len) != 0) {
            TFM_FREE(text);
            return tfm__fail(TFM_ERR_FORMAT, "decode stream: the decoded text no longer starts with what was emitted");
        }
        memmove(s->ids, s->ids + s->prefix_index, (s->n - s->prefix_index) * sizeof(int32_t));
        s->n -= s->prefix_index;
        if ((st = tfm_tokenizer_decode(s->tok, s->ids, (int64_t)s->n, s->skip, &new_prefix, &new_prefix_len)) != TFM_OK) {
            TFM_FREE(text);
            return st;
        }
        memmove(text, text + s->prefix_len, len - s->prefix_len + 1);
        *piece = text;
        if (piece_len) *piece_len = len - s->prefix_len;
        TFM_FREE(s->prefix);
        s->prefix = new_prefix;
        s->prefix_len = new_prefix_len;
        s->prefix_index = new_index;
        return TFM_OK;
    }
    TFM_FREE(text);
    return TFM_OK;
}

TFMDEF int64_t tfm_tokenizer_vocab_size(const tfm_tokenizer *tok) {
    int64_t n;
    if (!tok) return 0;
    n = (int64_t)tok->model.vocab.count;
    {
        int64_t i;
        for (i = 0; i < tok->n_added; i++)
            if (tfm__smap_get(&tok->model.vocab, tok->added[i].content, tok->added[i].len) < 0) n++;
    }
    return n;
}
TFMDEF int32_t tfm_tokenizer_token_to_id(const tfm_tokenizer *tok, const char *token) {
    int64_t i;
    size_t n;
    if (!tok || !token) return -1;
    n = strlen(token);
    for (i = 0; i < tok->n_added; i++)
        if (tok->added[i].len == n && memcmp(tok->added[i].content, token, n) == 0) return tok->added[i].id;
    return tfm__smap_get(&tok->model.vocab, token, n);
}
TFMDEF const char *tfm_tokenizer_id_to_token(const tfm_tokenizer *tok, int32_t id) {
    if (!tok || id < 0) return NULL;
    if (id < tok->id_space && tok->added_by_id[id] >= 0) return tok->added[tok->added_by_id[id]].content;
    if (id < tok->model.n_ids) return tok->model.id_str[id];
    return NULL;
}
TFMDEF int64_t tfm_tokenizer_model_max_length(const tfm_tokenizer *tok) { return tok ? tok->model_max_length : 0; }

TFMDEF tfm_status tfm_tokenizer_decode_tokens(const tfm_tokenizer *tok, const char *const *tokens, int64_t n,
                                              char **out, size_t *out_len) {
    tfm__strs t;
    int64_t i;
    if (out) *out = NULL;
    if (out_len) *out_len = 0;
    if (!tok || !out || (n && !tokens) || n < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_tokenizer_decode_tokens: bad arguments");
    memset(&t, 0, sizeof t);
    for (i = 0; i < n; i++)
        if (tokens[i]) tfm__strs_push(&t, tokens[i], strlen(tokens[i]));
    return tfm__decode_finish(tok, &t, out, out_len);
}
TFMDEF const char *tfm_tokenizer_subword_prefix(const tfm_tokenizer *tok) {
    return (tok && tok->model.prefix && tok->model.prefix_len) ? tok->model.prefix : NULL;
}

/* =============================================================================================
   [SECTION 14] encoder models: BERT, DistilBERT, RoBERTa / XLM-RoBERTa, ELECTRA, MPNet, DeBERTa-v2
   Owns tfm_model: config.json read into one description of a post-LayerNorm encoder, weights
   resolved by name (with or without the head checkpoint's prefix), the forward pass, and the
   task heads. The variants differ only in embeddings (position ids, projections), in what is
   added to the attention scores (MPNet's bucketed bias, DeBERTa's disentangled terms) and in
   their heads, so one layer loop serves all of them.
   ============================================================================================= */

enum { TFM__ARCH_BERT = 0, TFM__ARCH_ROBERTA, TFM__ARCH_DISTILBERT, TFM__ARCH_ELECTRA, TFM__ARCH_MPNET,
       TFM__ARCH_DEBERTA_V2, TFM__ARCH_DECODER, TFM__ARCH_VISION };

typedef struct tfm__lin {
    tfm_tensor w; /* [out, in] (kn: [in, out]); data NULL when absent */
    float *b;     /* [out] or NULL */
    int kn;
} tfm__lin;

typedef struct tfm__norm {
    float *g, *b;
} tfm__norm;

typedef struct tfm__elayer {
    tfm__lin q, k, v, o, up, down;
    tfm__norm ln_attn, ln_out;
} tfm__elayer;

struct tfm_model {
    tfm_config *cfg;
    tfm_weights *w;
    char prefix[32];       /* "bert." in head checkpoints, "" in base ones */
    const char *model_type;
    int arch;
    tfm_head head;
    int64_t vocab, hidden, emb_dim, n_layers, n_heads, head_dim, inter, max_pos, type_vocab, pad_id;
    int roberta_positions; /* position ids count tokens other than pos_pad_id from pos_pad_id + 1 */
    int64_t pos_pad_id;    /* config pad_token_id; MPNet hard-codes 1 */
    float eps;
    tfm_act act;
    tfm_tensor word, pos, type;
    tfm__norm emb_ln;
    tfm__lin emb_proj;
    tfm__elayer *layers;
    /* MPNet */
    tfm_tensor rel_bias;   /* [buckets, heads] */
    int64_t rel_buckets;
    /* DeBERTa-v2 */
    float *rel_emb;        /* [2 * span, hidden], LayerNorm applied when the config says so */
    int64_t span, bucket_size, max_rel;
    int c2p, p2c, share_att_key;
    tfm__lin *pos_k, *pos_q;
    /* heads */
    tfm__lin pooler;       /* pooler_output of base checkpoints that have one */
    tfm__lin cls_pre;      /* first dense of the sequence head (or BERT's pooler) */
    tfm_act cls_pre_act;
    tfm__lin cls_out;      /* sequence / token / QA projection */
    tfm__lin mlm_dense;
    tfm_act mlm_act;
    tfm__norm mlm_ln;
    tfm_tensor mlm_decoder;
    float *mlm_bias;
    int64_t num_labels;
    char **labels;
    /* decoder-only language models (section 15) */
    int dec_kind, rms;
    int64_t kv_heads, rot_dim, window;
    float *inv_freq, *inv_freq_long; /* longrope: long factors past rope_long_from positions */
    int64_t rope_long_from;
    float rope_scaling;
    struct tfm__dlayer *layers_dec;
    tfm__norm ln_f;
    tfm__lin proj_out;
    tfm_tensor lm_head;
    tfm_config *gen_config; /* generation_config.json, or NULL */
    /* vision models and CLIP (section 16) */
    int vis_kind;           /* TFM__VIS_*, 0 for text models */
    int is_tower;           /* a CLIP tower: weights and config belong to the parent */
    int64_t image_size, patch, channels, n_tokens, pooler_dim;
    tfm_tensor patch_w;     /* [hidden, channels, patch, patch] */
    float *patch_b, *cls_tok, *dist_tok;
    tfm_tensor vis_pos;     /* [n_tokens, hidden] */
    tfm__norm pre_ln, post_ln;
    tfm_act pooler_act;
    tfm__lin dist_head;
    int64_t n_stages, *depths, *dims;
    struct tfm__cnx_block *blocks; /* ConvNeXt blocks of every stage, in order */
    tfm__norm *down_ln;
    tfm__lin *down;
    struct tfm_model *text_tower, *vision_tower;
    tfm__lin text_proj, vis_proj;
    float logit_scale;
    int64_t eos_id;
    void **owned;
    int64_t n_owned;
};

static void *tfm__model_keep(tfm_model *m, void *p) {
    void **grown;
    if (!p) return NULL;
    grown = (void **)TFM_REALLOC(m->owned, (size_t)(m->n_owned + 1) * sizeof(void *));
    if (!grown) {
        TFM_FREE(p);
        return NULL;
    }
    m->owned = grown;
    m->owned[m->n_owned++] = p;
    return p;
}

/* Looks a tensor up under the checkpoint prefix. required == 0: absence is not an error. */
static tfm_status tfm__mt(tfm_model *m, const char *name, tfm_tensor *t, int required) {
    char full[320];
    tfm_status st;
    snprintf(full, sizeof full, "%s%s", m->prefix, name);
    memset(t, 0, sizeof *t);
    st = tfm_weights_tensor(m->w, full, t);
    if (st == TFM_OK) return TFM_OK;
    if (st == TFM_ERR_NOT_FOUND && !required) {
        tfm_clear_error();
        return TFM_OK;
    }
    if (st == TFM_ERR_NOT_FOUND) return tfm__fail(st, "model weights have no tensor '%s'", full);
    return st;
}

/* A small vector (bias, norm) as an owned f32 copy of n elements; *out NULL when absent and optional. */
static tfm_status tfm__mvec(tfm_model *m, const char *name, int64_t n, float **out, int required) {
    char full[320];
    const tfm_tensor_info *t;
    float *v;
    tfm_status st;
    *out = NULL;
    snprintf(full, sizeof full, "%s%s", m->prefix, name);
    t = tfm_weights_find(m->w, full);
    if (!t) {
        if (!required) {
            tfm_clear_error();
            return TFM_OK;
        }
        return tfm__fail(TFM_ERR_NOT_FOUND, "model weights have no tensor '%s'", full);
    }
    if (t->numel != n)
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s' has %lld elements, the config implies %lld", full,
                         (long long)t->numel, (long long)n);
    v = (float *)tfm__model_keep(m, tfm__malloc((size_t)n * sizeof(float)));
    if (!v) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", full);
    if ((st = tfm_weights_read_f32(m->w, t, v, n)) != TFM_OK) return st;
    *out = v;
    return TFM_OK;
}

/* name.weight [n_out, n_in] and name.bias [n_out] (bias optional unless need_bias). */
static tfm_status tfm__mlin(tfm_model *m, const char *name, int64_t n_out, int64_t n_in, int need_bias, int required,
                            tfm__lin *l) {
    char buf[300];
    tfm_status st;
    memset(l, 0, sizeof *l);
    snprintf(buf, sizeof buf, "%s.weight", name);
    if ((st = tfm__mt(m, buf, &l->w, required)) != TFM_OK) return st;
    if (!l->w.data) return TFM_OK;
    if (l->w.ndim != 2 || l->w.shape[0] != n_out || l->w.shape[1] != n_in)
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should be [%lld, %lld]", m->prefix, buf, (long long)n_out,
                         (long long)n_in);
    if (l->w.dtype != TFM_F32 && l->w.dtype != TFM_F16 && l->w.dtype != TFM_BF16)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "tensor '%s%s': dtype %s (F32, F16 or BF16 expected)", m->prefix, buf,
                         tfm_dtype_name(l->w.dtype));
    snprintf(buf, sizeof buf, "%s.bias", name);
    return tfm__mvec(m, buf, n_out, &l->b, need_bias);
}

static tfm_status tfm__mnorm(tfm_model *m, const char *name, int64_t n, tfm__norm *nm) {
    char buf[300];
    tfm_status st;
    snprintf(buf, sizeof buf, "%s.weight", name);
    if ((st = tfm__mvec(m, buf, n, &nm->g, 1)) != TFM_OK) return st;
    snprintf(buf, sizeof buf, "%s.bias", name);
    return tfm__mvec(m, buf, n, &nm->b, 1);
}

static tfm_status tfm__memb(tfm_model *m, const char *name, int64_t rows, int64_t dim, tfm_tensor *t, int required) {
    tfm_status st = tfm__mt(m, name, t, required);
    if (st != TFM_OK || !t->data) return st;
    if (t->ndim != 2 || t->shape[1] != dim || (rows > 0 && t->shape[0] != rows))
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should be [%lld, %lld]", m->prefix, name, (long long)rows,
                         (long long)dim);
    return TFM_OK;
}

static tfm_status tfm__config_act(const tfm_config *cfg, const char *key, const char *fallback, tfm_act *act) {
    const char *name = tfm_config_str(cfg, key, fallback);
    if (tfm_act_from_name(name, act) != TFM_OK)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: %s \"%s\" is not supported", key, name);
    return TFM_OK;
}

static tfm_status tfm__model_labels(tfm_model *m) {
    const tfm_json *id2label = tfm_config_get(m->cfg, "id2label");
    int64_t i, n = (int64_t)tfm_json_len(id2label);
    if (tfm_json_kind(id2label) != TFM_JSON_OBJECT || n == 0) n = tfm_config_int(m->cfg, "num_labels", 2);
    if (n <= 0 || n > 1000000) return tfm__fail(TFM_ERR_FORMAT, "config.json: bad number of labels %lld", (long long)n);
    m->num_labels = n;
    m->labels = (char **)tfm__model_keep(m, tfm__calloc((size_t)n, sizeof(char *)));
    if (!m->labels) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < n; i++) {
        char key[32];
        const char *s;
        snprintf(key, sizeof key, "%lld", (long long)i);
        s = tfm_json_str(tfm_json_get(id2label, key));
        if (!s && tfm_json_kind(id2label) == TFM_JSON_OBJECT && tfm_json_len(id2label) > 0)
            return tfm__fail(TFM_ERR_FORMAT, "config.json: id2label has no entry for %lld", (long long)i);
        if (s) m->labels[i] = (char *)tfm__model_keep(m, tfm__strdup(s));
        else {
            char def[40];
            snprintf(def, sizeof def, "LABEL_%lld", (long long)i);
            m->labels[i] = (char *)tfm__model_keep(m, tfm__strdup(def));
        }
        if (!m->labels[i]) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    }
    return TFM_OK;
}

static tfm_head tfm__head_from_architectures(const tfm_config *cfg) {
    const char *a = tfm_json_str(tfm_json_at(tfm_config_get(cfg, "architectures"), 0));
    if (!a) return TFM_HEAD_BASE;
    if (strstr(a, "ForSequenceClassification")) return TFM_HEAD_SEQUENCE_CLASSIFICATION;
    if (strstr(a, "ForImageClassification")) return TFM_HEAD_SEQUENCE_CLASSIFICATION;
    if (strstr(a, "ForTokenClassification")) return TFM_HEAD_TOKEN_CLASSIFICATION;
    if (strstr(a, "ForQuestionAnswering")) return TFM_HEAD_QUESTION_ANSWERING;
    if (strstr(a, "ForMaskedLM")) return TFM_HEAD_MASKED_LM;
    return TFM_HEAD_BASE;
}

/* Reads the architecture's hyper-parameters from config.json. */
static tfm_status tfm__model_shape(tfm_model *m) {
    const tfm_config *c = m->cfg;
    const char *t = m->model_type;
    tfm_status st;
    if (strcmp(t, "bert") == 0) m->arch = TFM__ARCH_BERT;
    else if (strcmp(t, "roberta") == 0 || strcmp(t, "xlm-roberta") == 0 || strcmp(t, "camembert") == 0)
        m->arch = TFM__ARCH_ROBERTA;
    else if (strcmp(t, "distilbert") == 0) m->arch = TFM__ARCH_DISTILBERT;
    else if (strcmp(t, "electra") == 0) m->arch = TFM__ARCH_ELECTRA;
    else if (strcmp(t, "mpnet") == 0) m->arch = TFM__ARCH_MPNET;
    else if (strcmp(t, "deberta-v2") == 0) m->arch = TFM__ARCH_DEBERTA_V2;
    else return tfm__fail(TFM_ERR_UNSUPPORTED, "model_type \"%s\" is not supported by the encoder models", t);
    m->vocab = tfm_config_int(c, "vocab_size", 0);
    if (m->arch == TFM__ARCH_DISTILBERT) {
        m->hidden = tfm_config_int(c, "dim", 768);
        m->n_layers = tfm_config_int(c, "n_layers", 6);
        m->n_heads = tfm_config_int(c, "n_heads", 12);
        m->inter = tfm_config_int(c, "hidden_dim", 3072);
        m->eps = 1e-12f;
        m->type_vocab = 0;
        if ((st = tfm__config_act(c, "activation", "gelu", &m->act)) != TFM_OK) return st;
    } else {
        m->hidden = tfm_config_int(c, "hidden_size", 768);
        m->n_layers = tfm_config_int(c, "num_hidden_layers", 12);
        m->n_heads = tfm_config_int(c, "num_attention_heads", 12);
        m->inter = tfm_config_int(c, "intermediate_size", 3072);
        m->eps = (float)tfm_config_float(c, "layer_norm_eps", m->arch == TFM__ARCH_MPNET ? 1e-5 : 1e-12);
        m->type_vocab = tfm_config_int(c, "type_vocab_size", m->arch == TFM__ARCH_MPNET ? 0 : 2);
        if (m->arch == TFM__ARCH_MPNET) m->type_vocab = 0;
        if ((st = tfm__config_act(c, "hidden_act", "gelu", &m->act)) != TFM_OK) return st;
    }
    m->max_pos = tfm_config_int(c, "max_position_embeddings", 512);
    m->pad_id = tfm_config_int(c, "pad_token_id", m->arch == TFM__ARCH_ROBERTA || m->arch == TFM__ARCH_MPNET ? 1 : 0);
    m->roberta_positions = m->arch == TFM__ARCH_ROBERTA || m->arch == TFM__ARCH_MPNET;
    m->pos_pad_id = m->arch == TFM__ARCH_MPNET ? 1 : m->pad_id;
    m->emb_dim = tfm_config_int(c, "embedding_size", m->hidden);
    if (m->vocab <= 0 || m->hidden <= 0 || m->n_layers <= 0 || m->n_heads <= 0 || m->inter <= 0 ||
        m->hidden % m->n_heads != 0 || m->max_pos <= 0 || m->emb_dim <= 0 || m->type_vocab < 0 ||
        m->hidden > (1 << 20) || m->n_layers > 4096 || m->inter > (1 << 22))
        return tfm__fail(TFM_ERR_FORMAT, "config.json: inconsistent sizes (vocab %lld, hidden %lld, layers %lld, "
                         "heads %lld, intermediate %lld)", (long long)m->vocab, (long long)m->hidden,
                         (long long)m->n_layers, (long long)m->n_heads, (long long)m->inter);
    m->head_dim = m->hidden / m->n_heads;
    {
        const char *pet = tfm_config_str(c, "position_embedding_type", "absolute");
        if (strcmp(pet, "absolute") != 0)
            return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: position_embedding_type \"%s\" is not supported", pet);
    }
    return TFM_OK;
}

static tfm_status tfm__model_embeddings(tfm_model *m) {
    tfm_status st;
    const char *ln = m->arch == TFM__ARCH_DISTILBERT ? "embeddings.LayerNorm" : "embeddings.LayerNorm";
    int has_pos = 1;
    if (m->arch == TFM__ARCH_DEBERTA_V2) has_pos = tfm_config_bool(m->cfg, "position_biased_input", 1);
    if ((st = tfm__memb(m, "embeddings.word_embeddings.weight", m->vocab, m->emb_dim, &m->word, 1)) != TFM_OK) return st;
    if (has_pos && (st = tfm__memb(m, "embeddings.position_embeddings.weight", m->max_pos, m->emb_dim, &m->pos, 1)) != TFM_OK)
        return st;
    if (m->type_vocab > 0 &&
        (st = tfm__memb(m, "embeddings.token_type_embeddings.weight", m->type_vocab, m->emb_dim, &m->type, 1)) != TFM_OK)
        return st;
    if (m->arch == TFM__ARCH_DEBERTA_V2) {
        if ((st = tfm__mnorm(m, ln, m->hidden, &m->emb_ln)) != TFM_OK) return st;
        if (m->emb_dim != m->hidden)
            return tfm__mlin(m, "embeddings.embed_proj", m->hidden, m->emb_dim, 0, 1, &m->emb_proj);
        return TFM_OK;
    }
    if ((st = tfm__mnorm(m, ln, m->emb_dim, &m->emb_ln)) != TFM_OK) return st;
    if (m->emb_dim != m->hidden) {
        if (m->arch != TFM__ARCH_ELECTRA)
            return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: embedding_size != hidden_size for %s", m->model_type);
        return tfm__mlin(m, "embeddings_project", m->hidden, m->emb_dim, 1, 1, &m->emb_proj);
    }
    return TFM_OK;
}

static tfm_status tfm__model_layers(tfm_model *m) {
    int64_t i, H = m->hidden, I = m->inter;
    tfm_status st = TFM_OK;
    m->layers = (tfm__elayer *)tfm__model_keep(m, tfm__calloc((size_t)m->n_layers, sizeof(tfm__elayer)));
    if (!m->layers) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < m->n_layers && st == TFM_OK; i++) {
        tfm__elayer *L = &m->layers[i];
        char p[128], n[192];
        if (m->arch == TFM__ARCH_DISTILBERT) {
            snprintf(p, sizeof p, "transformer.layer.%lld.", (long long)i);
#define TFM__LIN(field, suffix, o, in_)                                                                          \
    if (st == TFM_OK) {                                                                                          \
        snprintf(n, sizeof n, "%s%s", p, suffix);                                                                \
        st = tfm__mlin(m, n, o, in_, 1, 1, &L->field);                                                           \
    }
#define TFM__NORM(field, suffix)                                                                                 \
    if (st == TFM_OK) {                                                                                          \
        snprintf(n, sizeof n, "%s%s", p, suffix);                                                                \
        st = tfm__mnorm(m, n, H, &L->field);                                                                     \
    }
            TFM__LIN(q, "attention.q_lin", H, H)
            TFM__LIN(k, "attention.k_lin", H, H)
            TFM__LIN(v, "attention.v_lin", H, H)
            TFM__LIN(o, "attention.out_lin", H, H)
            TFM__NORM(ln_attn, "sa_layer_norm")
            TFM__LIN(up, "ffn.lin1", I, H)
            TFM__LIN(down, "ffn.lin2", H, I)
            TFM__NORM(ln_out, "output_layer_norm")
        } else if (m->arch == TFM__ARCH_MPNET) {
            snprintf(p, sizeof p, "encoder.layer.%lld.", (long long)i);
            TFM__LIN(q, "attention.attn.q", H, H)
            TFM__LIN(k, "attention.attn.k", H, H)
            TFM__LIN(v, "attention.attn.v", H, H)
            TFM__LIN(o, "attention.attn.o", H, H)
            TFM__NORM(ln_attn, "attention.LayerNorm")
            TFM__LIN(up, "intermediate.dense", I, H)
            TFM__LIN(down, "output.dense", H, I)
            TFM__NORM(ln_out, "output.LayerNorm")
        } else {
            int deb = m->arch == TFM__ARCH_DEBERTA_V2;
            snprintf(p, sizeof p, "encoder.layer.%lld.", (long long)i);
            TFM__LIN(q, deb ? "attention.self.query_proj" : "attention.self.query", H, H)
            TFM__LIN(k, deb ? "attention.self.key_proj" : "attention.self.key", H, H)
            TFM__LIN(v, deb ? "attention.self.value_proj" : "attention.self.value", H, H)
            TFM__LIN(o, "attention.output.dense", H, H)
            TFM__NORM(ln_attn, "attention.output.LayerNorm")
            TFM__LIN(up, "intermediate.dense", I, H)
            TFM__LIN(down, "output.dense", H, I)
            TFM__NORM(ln_out, "output.LayerNorm")
            if (deb && st == TFM_OK && !m->share_att_key) {
                if (st == TFM_OK && m->c2p) {
                    snprintf(n, sizeof n, "%sattention.self.pos_key_proj", p);
                    st = tfm__mlin(m, n, H, H, 1, 1, &m->pos_k[i]);
                }
                if (st == TFM_OK && m->p2c) {
                    snprintf(n, sizeof n, "%sattention.self.pos_query_proj", p);
                    st = tfm__mlin(m, n, H, H, 1, 1, &m->pos_q[i]);
                }
            }
        }
#undef TFM__LIN
#undef TFM__NORM
    }
    return st;
}

/* DeBERTa-v2's relative attention settings and its normalised relative embeddings. */
static tfm_status tfm__model_deberta(tfm_model *m) {
    const tfm_json *pat = tfm_config_get(m->cfg, "pos_att_type");
    int64_t i, rows;
    tfm_status st;
    tfm_tensor rel;
    const char *norm;
    if (!tfm_config_bool(m->cfg, "relative_attention", 0))
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: DeBERTa-v2 without relative_attention is not supported");
    if (tfm_config_int(m->cfg, "conv_kernel_size", 0) > 0)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: DeBERTa-v2 conv_kernel_size > 0 is not supported");
    if (tfm_config_int(m->cfg, "attention_head_size", m->head_dim) != m->head_dim)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: attention_head_size != hidden_size / heads");
    if (tfm_json_kind(pat) == TFM_JSON_STRING) {
        m->c2p = strstr(tfm_json_str(pat), "c2p") != NULL;
        m->p2c = strstr(tfm_json_str(pat), "p2c") != NULL;
    } else {
        for (i = 0; i < (int64_t)tfm_json_len(pat); i++) {
            const char *s = tfm_json_str(tfm_json_at(pat, (size_t)i));
            if (s && strcmp(s, "c2p") == 0) m->c2p = 1;
            if (s && strcmp(s, "p2c") == 0) m->p2c = 1;
        }
    }
    m->share_att_key = tfm_config_bool(m->cfg, "share_att_key", 0);
    m->max_rel = tfm_config_int(m->cfg, "max_relative_positions", -1);
    if (m->max_rel < 1) m->max_rel = m->max_pos;
    m->bucket_size = tfm_config_int(m->cfg, "position_buckets", -1);
    m->span = m->bucket_size > 0 ? m->bucket_size : m->max_rel;
    if (m->span <= 0 || m->span > (1 << 20)) return tfm__fail(TFM_ERR_FORMAT, "config.json: bad relative span");
    if ((st = tfm__mt(m, "encoder.rel_embeddings.weight", &rel, 1)) != TFM_OK) return st;
    if (rel.ndim != 2 || rel.shape[1] != m->hidden || rel.shape[0] < 2 * m->span)
        return tfm__fail(TFM_ERR_SHAPE, "encoder.rel_embeddings.weight should be [%lld, %lld]",
                         (long long)(2 * m->span), (long long)m->hidden);
    rows = 2 * m->span;
    m->rel_emb = (float *)tfm__model_keep(m, tfm__malloc((size_t)(rows * m->hidden) * sizeof(float)));
    if (!m->rel_emb) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    if ((st = tfm_convert_to_f32(rel.dtype, rel.data, m->rel_emb, rows * m->hidden)) != TFM_OK) return st;
    norm = tfm_config_str(m->cfg, "norm_rel_ebd", "none");
    if (strstr(norm, "layer_norm")) {
        tfm__norm ln;
        if ((st = tfm__mnorm(m, "encoder.LayerNorm", m->hidden, &ln)) != TFM_OK) return st;
        tfm_layer_norm(NULL, m->rel_emb, rows, m->hidden, ln.g, ln.b, m->eps, m->rel_emb);
    }
    if (!m->share_att_key) {
        m->pos_k = (tfm__lin *)tfm__model_keep(m, tfm__calloc((size_t)m->n_layers, sizeof(tfm__lin)));
        m->pos_q = (tfm__lin *)tfm__model_keep(m, tfm__calloc((size_t)m->n_layers, sizeof(tfm__lin)));
        if (!m->pos_k || !m->pos_q) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    }
    return TFM_OK;
}

static tfm_status tfm__model_heads(tfm_model *m) {
    int64_t H = m->hidden;
    tfm_status st;
    int a = m->arch;
    tfm_head h = m->head;
    /* pooler_output of the base model */
    if (a != TFM__ARCH_DEBERTA_V2 && (st = tfm__mlin(m, "pooler.dense", H, H, 1, 0, &m->pooler)) != TFM_OK) return st;
    if (h == TFM_HEAD_BASE) return TFM_OK;
    /* head tensors live outside the base prefix */
    {
        char saved[32];
        memcpy(saved, m->prefix, sizeof saved);
        m->prefix[0] = 0;
        st = TFM_OK;
        if (h == TFM_HEAD_SEQUENCE_CLASSIFICATION || h == TFM_HEAD_TOKEN_CLASSIFICATION) {
            if ((st = tfm__model_labels(m)) != TFM_OK) goto done;
        }
        if (h == TFM_HEAD_SEQUENCE_CLASSIFICATION) {
            int64_t n = m->num_labels;
            switch (a) {
            case TFM__ARCH_BERT: {
                char pool[64];
                snprintf(pool, sizeof pool, "%spooler.dense", saved);
                if ((st = tfm__mlin(m, pool, H, H, 1, 1, &m->cls_pre)) != TFM_OK) goto done;
                m->cls_pre_act = TFM_ACT_TANH;
                st = tfm__mlin(m, "classifier", n, H, 1, 1, &m->cls_out);
                break;
            }
            case TFM__ARCH_DISTILBERT:
                if ((st = tfm__mlin(m, "pre_classifier", H, H, 1, 1, &m->cls_pre)) != TFM_OK) goto done;
                m->cls_pre_act = TFM_ACT_RELU;
                st = tfm__mlin(m, "classifier", n, H, 1, 1, &m->cls_out);
                break;
            case TFM__ARCH_DEBERTA_V2: {
                int64_t ph = tfm_config_int(m->cfg, "pooler_hidden_size", H);
                if (ph != H) {
                    st = tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: pooler_hidden_size != hidden_size");
                    goto done;
                }
                if ((st = tfm__mlin(m, "pooler.dense", H, H, 1, 1, &m->cls_pre)) != TFM_OK) goto done;
                if ((st = tfm__config_act(m->cfg, "pooler_hidden_act", "gelu", &m->cls_pre_act)) != TFM_OK) goto done;
                st = tfm__mlin(m, "classifier", n, H, 1, 1, &m->cls_out);
                break;
            }
            default: /* RoBERTa, ELECTRA, MPNet: dense + act + out_proj on the first token */
                if ((st = tfm__mlin(m, "classifier.dense", H, H, 1, 1, &m->cls_pre)) != TFM_OK) goto done;
                m->cls_pre_act = a == TFM__ARCH_ELECTRA ? TFM_ACT_GELU : TFM_ACT_TANH;
                st = tfm__mlin(m, "classifier.out_proj", n, H, 1, 1, &m->cls_out);
                break;
            }
        } else if (h == TFM_HEAD_TOKEN_CLASSIFICATION) {
            st = tfm__mlin(m, "classifier", m->num_labels, H, 1, 1, &m->cls_out);
        } else if (h == TFM_HEAD_QUESTION_ANSWERING) {
            st = tfm__mlin(m, "qa_outputs", 2, H, 1, 1, &m->cls_out);
        } else if (h == TFM_HEAD_MASKED_LM) {
            const char *dense, *ln, *dec, *bias;
            m->mlm_act = TFM_ACT_GELU;
            switch (a) {
            case TFM__ARCH_BERT:
                dense = "cls.predictions.transform.dense";
                ln = "cls.predictions.transform.LayerNorm";
                dec = "cls.predictions.decoder.weight";
                bias = "cls.predictions.bias";
                m->mlm_act = m->act;
                break;
            case TFM__ARCH_DISTILBERT:
                dense = "vocab_transform";
                ln = "vocab_layer_norm";
                dec = "vocab_projector.weight";
                bias = "vocab_projector.bias";
                m->mlm_act = m->act;
                break;
            case TFM__ARCH_DEBERTA_V2: {
                /* legacy_mlm checkpoints (the default) keep BERT's head names */
                char probe[64];
                int legacy;
                snprintf(probe, sizeof probe, "%s", "cls.predictions.transform.dense.weight");
                legacy = tfm_weights_find(m->w, probe) != NULL;
                tfm_clear_error();
                dense = legacy ? "cls.predictions.transform.dense" : "lm_predictions.lm_head.dense";
                ln = legacy ? "cls.predictions.transform.LayerNorm" : "lm_predictions.lm_head.LayerNorm";
                dec = legacy ? "cls.predictions.decoder.weight" : "lm_predictions.lm_head.decoder.weight";
                bias = legacy ? "cls.predictions.bias" : "lm_predictions.lm_head.bias";
                m->mlm_act = m->act;
                break;
            }
            case TFM__ARCH_ROBERTA:
            case TFM__ARCH_MPNET:
                dense = "lm_head.dense";
                ln = "lm_head.layer_norm";
                dec = "lm_head.decoder.weight";
                bias = "lm_head.bias";
                break;
            default:
                st = tfm__fail(TFM_ERR_UNSUPPORTED, "%s has no masked-LM head in this version", m->model_type);
                goto done;
            }
            if ((st = tfm__mlin(m, dense, H, H, 1, 1, &m->mlm_dense)) != TFM_OK) goto done;
            if ((st = tfm__mnorm(m, ln, H, &m->mlm_ln)) != TFM_OK) goto done;
            if ((st = tfm__memb(m, dec, m->vocab, H, &m->mlm_decoder, 0)) != TFM_OK) goto done;
            if (!m->mlm_decoder.data) {
                if (m->emb_dim != H) {
                    st = tfm__fail(TFM_ERR_UNSUPPORTED, "tied masked-LM decoder needs embedding_size == hidden_size");
                    goto done;
                }
                m->mlm_decoder = m->word; /* tied to the input embeddings */
            }
            st = tfm__mvec(m, bias, m->vocab, &m->mlm_bias, 0);
        }
    done:
        if (st != TFM_OK && st != TFM_ERR_OUT_OF_MEMORY && h != TFM_HEAD_BASE && tfm__error_text[0] &&
            strstr(tfm__error_text, "no tensor"))
            tfm__prefix_error(st, "the folder's weights lack this head");
        memcpy(m->prefix, saved, sizeof saved);
        return st;
    }
}

static const char *tfm__arch_prefix(int arch) {
    switch (arch) {
    case TFM__ARCH_BERT: return "bert.";
    case TFM__ARCH_ROBERTA: return "roberta.";
    case TFM__ARCH_DISTILBERT: return "distilbert.";
    case TFM__ARCH_ELECTRA: return "electra.";
    case TFM__ARCH_MPNET: return "mpnet.";
    default: return "deberta.";
    }
}

static int tfm__decoder_kind(const char *t);       /* section 15 */
static tfm_status tfm__decoder_load(tfm_model *m);
static int tfm__vision_kind(const char *t);        /* section 16 */
static tfm_status tfm__vision_load(tfm_model *m, tfm_head head);
static tfm_status tfm__clip_text_forward(const tfm_model *m, const tfm_ctx *ctx, const tfm_model_input *in,
                                         tfm_model_output *out);

TFMDEF tfm_status tfm_model_load(const char *dir, tfm_head head, tfm_model **out) {
    tfm_model *m;
    tfm_status st;
    char probe[96];
    if (!dir || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_load: NULL argument");
    *out = NULL;
    if ((int)head < TFM_HEAD_AUTO || (int)head > TFM_HEAD_CAUSAL_LM)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_load: unknown head %d", (int)head);
    m = (tfm_model *)tfm__calloc(1, sizeof *m);
    if (!m) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    if ((st = tfm_config_load(dir, &m->cfg)) != TFM_OK) goto fail;
    m->model_type = tfm_config_str(m->cfg, "model_type", NULL);
    if (!m->model_type) {
        st = tfm__fail(TFM_ERR_FORMAT, "%s: config.json has no model_type", dir);
        goto fail;
    }
    if ((m->dec_kind = tfm__decoder_kind(m->model_type)) != 0) {
        m->arch = TFM__ARCH_DECODER;
        if (head != TFM_HEAD_AUTO && head != TFM_HEAD_CAUSAL_LM) {
            st = tfm__fail(TFM_ERR_UNSUPPORTED, "%s is a causal language model: only TFM_HEAD_CAUSAL_LM", m->model_type);
            goto fail;
        }
        if ((st = tfm_weights_open(dir, &m->w)) != TFM_OK) goto fail;
        if ((st = tfm__decoder_load(m)) != TFM_OK) goto fail;
        {
            char *gp = tfm__path_join(dir, "generation_config.json");
            if (gp && tfm__path_kind(gp) == 0 && (st = tfm_config_load(gp, &m->gen_config)) != TFM_OK) {
                TFM_FREE(gp);
                goto fail;
            }
            TFM_FREE(gp);
        }
        *out = m;
        return TFM_OK;
    }
    if ((m->vis_kind = tfm__vision_kind(m->model_type)) != 0) {
        m->arch = TFM__ARCH_VISION;
        if (head == TFM_HEAD_CAUSAL_LM || head == TFM_HEAD_MASKED_LM || head == TFM_HEAD_QUESTION_ANSWERING ||
            head == TFM_HEAD_TOKEN_CLASSIFICATION) {
            st = tfm__fail(TFM_ERR_UNSUPPORTED, "%s: no such head for a vision model", m->model_type);
            goto fail;
        }
        if ((st = tfm_weights_open(dir, &m->w)) != TFM_OK) goto fail;
        if ((st = tfm__vision_load(m, head)) != TFM_OK) goto fail;
        *out = m;
        return TFM_OK;
    }
    if ((st = tfm__model_shape(m)) != TFM_OK) goto fail;
    m->head = head == TFM_HEAD_AUTO ? tfm__head_from_architectures(m->cfg) : head;
    if ((st = tfm_weights_open(dir, &m->w)) != TFM_OK) goto fail;
    snprintf(probe, sizeof probe, "%sembeddings.word_embeddings.weight", tfm__arch_prefix(m->arch));
    if (tfm_weights_find(m->w, probe)) snprintf(m->prefix, sizeof m->prefix, "%s", tfm__arch_prefix(m->arch));
    tfm_clear_error();
    if (m->arch == TFM__ARCH_DEBERTA_V2 && (st = tfm__model_deberta(m)) != TFM_OK) goto fail;
    if ((st = tfm__model_embeddings(m)) != TFM_OK) goto fail;
    if ((st = tfm__model_layers(m)) != TFM_OK) goto fail;
    if (m->arch == TFM__ARCH_MPNET) {
        m->rel_buckets = tfm_config_int(m->cfg, "relative_attention_num_buckets", 32);
        if ((st = tfm__memb(m, "encoder.relative_attention_bias.weight", m->rel_buckets, m->n_heads, &m->rel_bias, 1)) !=
            TFM_OK)
            goto fail;
    }
    if ((st = tfm__model_heads(m)) != TFM_OK) goto fail;
    *out = m;
    return TFM_OK;
fail:
    tfm__prefix_error(st, dir);
    tfm_model_free(m);
    return st;
}

TFMDEF void tfm_model_free(tfm_model *m) {
    int64_t i;
    if (!m) return;
    for (i = 0; i < m->n_owned; i++) TFM_FREE(m->owned[i]);
    TFM_FREE(m->owned);
    tfm_model_free(m->text_tower);
    tfm_model_free(m->vision_tower);
    if (m->is_tower) {
        TFM_FREE(m);
        return;
    }
    tfm_weights_close(m->w);
    tfm_config_free(m->cfg);
    tfm_config_free(m->gen_config);
    TFM_FREE(m);
}

TFMDEF tfm_head tfm_model_head(const tfm_model *m) { return m ? m->head : TFM_HEAD_AUTO; }
TFMDEF const char *tfm_model_type(const tfm_model *m) { return m ? m->model_type : NULL; }
TFMDEF const tfm_config *tfm_model_config(const tfm_model *m) { return m ? m->cfg : NULL; }
TFMDEF int64_t tfm_model_hidden_size(const tfm_model *m) { return m ? m->hidden : 0; }
TFMDEF int64_t tfm_model_max_positions(const tfm_model *m) {
    if (!m) return 0;
    if (m->pos.data) return m->roberta_positions ? m->max_pos - m->pos_pad_id - 1 : m->max_pos;
    return m->max_pos;
}
TFMDEF int64_t tfm_model_num_labels(const tfm_model *m) { return m ? m->num_labels : 0; }
TFMDEF int64_t tfm_model_vocab_size(const tfm_model *m) { return m ? m->vocab : 0; }
TFMDEF const char *tfm_model_label(const tfm_model *m, int64_t id) {
    return (m && m->labels && id >= 0 && id < m->num_labels) ? m->labels[id] : NULL;
}

/* ---- forward pass ---- */

/* T5-style bidirectional bucket of MPNet's relative position (key - query), float32 as torch. */
static int64_t tfm__mpnet_bucket(int64_t rel, int64_t num_buckets) {
    int64_t ret = 0, n = -rel, nb = num_buckets / 2, exact = nb / 2, val;
    if (n < 0) ret += nb;
    n = n < 0 ? -n : n;
    if (n < exact) return ret + n;
    val = exact + (int64_t)(logf((float)n / (float)exact) / (float)log(128.0 / (double)exact) * (float)(nb - exact));
    if (val > nb - 1) val = nb - 1;
    return ret + val;
}

/* DeBERTa-v2's log bucket of a relative position (query - key), float32 as torch. */
static int64_t tfm__deberta_bucket(int64_t rel, int64_t bucket_size, int64_t max_position) {
    int64_t mid = bucket_size / 2, sign = rel > 0 ? 1 : (rel < 0 ? -1 : 0), abs_pos;
    float log_pos;
    if (bucket_size <= 0 || max_position <= 0) return rel;
    abs_pos = (rel < mid && rel > -mid) ? mid - 1 : (rel < 0 ? -rel : rel);
    if (abs_pos <= mid) return rel;
    log_pos = ceilf(logf((float)abs_pos / (float)mid) / logf((float)((double)(max_position - 1) / (double)mid)) *
                    (float)(mid - 1)) + (float)mid;
    return (int64_t)(log_pos * (float)sign);
}

typedef struct tfm__enc_attn_job {
    const tfm_model *m;
    const tfm_ctx *ctx;
    int64_t B, S;
    const float *q, *k, *v;      /* [B*S, H] */
    const float *pos_k, *pos_q;  /* DeBERTa [2*span, H] */
    const int32_t *rel_idx;      /* [S, S]: MPNet bucket or DeBERTa clamped index */
    const int32_t *mask;         /* [B, S] */
    float *out;                  /* [B*S, H] */
    float *scratch;              /* per thread: S*S (+ 2 * S * 2span) */
    size_t scratch_per_thread;
    float scale;
} tfm__enc_attn_job;

static void tfm__enc_attn_task(void *arg, int64_t task, int thread_index) {
    tfm__enc_attn_job *j = (tfm__enc_attn_job *)arg;
    const tfm_model *m = j->m;
    int64_t S = j->S, H = m->hidden, D = m->head_dim, b = task / m->n_heads, h = task % m->n_heads, i, c;
    float *sc = j->scratch + (size_t)thread_index * j->scratch_per_thread;
    const float *q = j->q + b * S * H + h * D, *k = j->k + b * S * H + h * D, *v = j->v + b * S * H + h * D;
    const int32_t *mask = j->mask + b * S;
    tfm_ctx one;
    tfm_isa isa = tfm__ctx_isa(j->ctx);
    memset(&one, 0, sizeof one); /* f32 products of activations, on this thread */
    one.isa = isa;
    tfm_gemm(&one, 1, S, S, D, j->scale, q, H, TFM_F32, k, H, 0.0f, sc, S);
    if (m->arch == TFM__ARCH_MPNET) {
        const float *bias = (const float *)m->rel_bias.data;
        float tmp[1];
        for (i = 0; i < S * S; i++) {
            int64_t idx = j->rel_idx[i] * m->n_heads + h;
            if (m->rel_bias.dtype == TFM_F32) sc[i] += bias[idx];
            else {
                tfm_convert_to_f32(m->rel_bias.dtype, (const char *)m->rel_bias.data + idx * 2, tmp, 1);
                sc[i] += tmp[0];
            }
        }
    } else if (m->arch == TFM__ARCH_DEBERTA_V2) {
        int64_t R = 2 * m->span;
        float *c2p = sc + S * S, *p2c = c2p + S * R;
        if (m->c2p) tfm_gemm(&one, 1, S, R, D, j->scale, q, H, TFM_F32, j->pos_k + h * D, H, 0.0f, c2p, R);
        if (m->p2c) tfm_gemm(&one, 1, S, R, D, j->scale, k, H, TFM_F32, j->pos_q + h * D, H, 0.0f, p2c, R);
        for (i = 0; i < S; i++)
            for (c = 0; c < S; c++) {
                int64_t r = j->rel_idx[i * S + c];
                if (m->c2p) sc[i * S + c] += c2p[i * R + r];
                if (m->p2c) sc[i * S + c] += p2c[c * R + r];
            }
    }
    for (i = 0; i < S; i++) {
        float *row = sc + i * S;
        for (c = 0; c < S; c++)
            if (!mask[c]) row[c] = -INFINITY;
        tfm__softmax_isa(isa, row, NULL, S, 1.0f, row);
    }
    tfm_gemm(&one, 0, S, D, S, 1.0f, sc, S, TFM_F32, v, H, 0.0f, j->out + b * S * H + h * D, H);
}

static tfm_status tfm__lin_run(const tfm_ctx *ctx, const tfm__lin *l, const float *x, int64_t rows, float *y) {
    return tfm_linear(ctx, x, rows, l->w.shape[1], &l->w, l->b, y);
}

/* x = LayerNorm(x + y) over rows of n. */
static void tfm__residual_norm(const tfm_ctx *ctx, float *x, const float *y, int64_t rows, int64_t n,
                               const tfm__norm *nm, float eps) {
    tfm_add(x, y, rows * n, x);
    tfm_layer_norm(ctx, x, rows, n, nm->g, nm->b, eps, x);
}

TFMDEF void tfm_model_output_free(tfm_model_output *out) {
    if (!out) return;
    tfm__aligned_free(out->hidden_states);
    tfm__aligned_free(out->pooled);
    tfm__aligned_free(out->logits);
    tfm__aligned_free(out->embeds);
    memset(out, 0, sizeof *out);
}

static tfm_status tfm__model_check_input(const tfm_model *m, const tfm_model_input *in) {
    int64_t i, n, maxp = tfm_model_max_positions(m);
    if (!in || in->batch <= 0 || in->seq <= 0 || !in->ids)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: empty input (batch and seq must be > 0)");
    if (in->batch > ((int64_t)1 << 31) / in->seq) return tfm__fail(TFM_ERR_LIMIT, "tfm_model_forward: input too large");
    if (in->seq > maxp)
        return tfm__fail(TFM_ERR_LIMIT, "input of %lld tokens is longer than the model's %lld positions",
                         (long long)in->seq, (long long)maxp);
    n = in->batch * in->seq;
    for (i = 0; i < n; i++) {
        if (in->ids[i] < 0 || in->ids[i] >= m->vocab)
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "token id %d outside the vocabulary [0, %lld)", in->ids[i],
                             (long long)m->vocab);
        if (in->type_ids && m->type_vocab > 0 && (in->type_ids[i] < 0 || in->type_ids[i] >= m->type_vocab))
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "token type id %d outside [0, %lld)", in->type_ids[i],
                             (long long)m->type_vocab);
    }
    return TFM_OK;
}

/* Embedding sum into e [N, emb_dim], position ids as the architecture counts them. */
static tfm_status tfm__model_embed(const tfm_model *m, const tfm_model_input *in, const int32_t *mask, float *e,
                                   float *tmp, int64_t *ids64) {
    int64_t b, s, B = in->batch, S = in->seq, N = B * S, E = m->emb_dim;
    tfm_status st;
    for (s = 0; s < N; s++) ids64[s] = in->ids[s];
    if ((st = tfm_embedding(&m->word, ids64, N, e)) != TFM_OK) return st;
    if (m->pos.data && (m->arch != TFM__ARCH_DEBERTA_V2 || tfm_config_bool(m->cfg, "position_biased_input", 1))) {
        for (b = 0; b < B; b++) {
            int64_t count = 0;
            for (s = 0; s < S; s++) {
                int64_t i = b * S + s;
                if (m->roberta_positions) {
                    if (in->ids[i] != m->pos_pad_id) ids64[i] = m->pos_pad_id + (++count);
                    else ids64[i] = m->pos_pad_id;
                } else
                    ids64[i] = s;
            }
        }
        if ((st = tfm_embedding(&m->pos, ids64, N, tmp)) != TFM_OK) return st;
        tfm_add(e, tmp, N * E, e);
    }
    if (m->type.data) {
        for (s = 0; s < N; s++) ids64[s] = in->type_ids ? in->type_ids[s] : 0;
        if ((st = tfm_embedding(&m->type, ids64, N, tmp)) != TFM_OK) return st;
        tfm_add(e, tmp, N * E, e);
    }
    TFM__UNUSED(mask);
    return TFM_OK;
}

TFMDEF tfm_status tfm_model_forward(const tfm_model *m, const tfm_ctx *ctx, const tfm_model_input *in,
                                    tfm_model_output *out) {
    tfm_ctx local;
    tfm_status st;
    int64_t B, S, N, H, I, E, R = 0, l, i, s, threads;
    float *x = NULL, *work = NULL, *q, *k, *v, *att, *ff, *tmp, *emb, *posk = NULL, *posq = NULL, *scratch;
    int32_t *mask = NULL, *rel_idx = NULL;
    int64_t *ids64 = NULL;
    size_t per_thread, total;
    if (!m || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: NULL argument");
    memset(out, 0, sizeof *out);
    if (m->arch == TFM__ARCH_DECODER)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: %s is a causal LM; use tfm_model_decode",
                         m->model_type);
    if (m->arch == TFM__ARCH_VISION) {
        if (!in || in->batch <= 0 || in->seq <= 0 || !in->ids || in->batch > ((int64_t)1 << 31) / in->seq)
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: empty input (batch and seq must be > 0)");
        if (!m->text_tower)
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: %s takes images; use tfm_model_forward_image",
                             m->model_type);
        memset(&local, 0, sizeof local);
        if (ctx) local = *ctx;
        return tfm__clip_text_forward(m, &local, in, out);
    }
    if ((st = tfm__model_check_input(m, in)) != TFM_OK) return st;
    memset(&local, 0, sizeof local);
    if (ctx) local = *ctx;
    ctx = &local;
    B = in->batch, S = in->seq, N = B * S, H = m->hidden, I = m->inter, E = m->emb_dim;
    if (m->arch == TFM__ARCH_DEBERTA_V2) R = 2 * m->span;
    threads = tfm_pool_threads(ctx->pool);
    per_thread = (size_t)(S * S + 2 * S * R + 16);
    total = (size_t)(N * H * 4 + N * TFM__MAX(I, TFM__MAX(H, E)) * 2 + 2 * R * H) + per_thread * (size_t)threads;
    x = (float *)tfm__aligned_alloc((size_t)(N * H) * sizeof(float));
    work = (float *)tfm__aligned_alloc(total * sizeof(float));
    mask = (int32_t *)tfm__malloc((size_t)N * sizeof(int32_t));
    ids64 = (int64_t *)tfm__malloc((size_t)N * sizeof(int64_t));
    if (m->arch == TFM__ARCH_MPNET || m->arch == TFM__ARCH_DEBERTA_V2)
        rel_idx = (int32_t *)tfm__malloc((size_t)(S * S) * sizeof(int32_t));
    if (!x || !work || !mask || !ids64 || ((m->arch == TFM__ARCH_MPNET || R) && !rel_idx)) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_model_forward: out of memory for %lld tokens", (long long)N);
        goto done;
    }
    q = work;
    k = q + N * H;
    v = k + N * H;
    att = v + N * H;
    ff = att + N * H;
    tmp = ff + N * TFM__MAX(I, TFM__MAX(H, E));
    if (R) {
        posk = tmp + N * TFM__MAX(I, TFM__MAX(H, E));
        posq = posk + R * H;
        scratch = posq + R * H;
    } else
        scratch = tmp + N * TFM__MAX(I, TFM__MAX(H, E));
    for (i = 0; i < N; i++) mask[i] = in->attention_mask ? (in->attention_mask[i] != 0) : 1;

    /* embeddings */
    emb = E == H ? x : ff;
    if ((st = tfm__model_embed(m, in, mask, emb, tmp, ids64)) != TFM_OK) goto done;
    if (m->arch == TFM__ARCH_DEBERTA_V2) {
        if (E != H && (st = tfm__lin_run(ctx, &m->emb_proj, emb, N, x)) != TFM_OK) goto done;
        tfm_layer_norm(ctx, x, N, H, m->emb_ln.g, m->emb_ln.b, m->eps, x);
        for (i = 0; i < N; i++)
            if (!mask[i]) memset(x + i * H, 0, (size_t)H * sizeof(float));
    } else {
        tfm_layer_norm(ctx, emb, N, E, m->emb_ln.g, m->emb_ln.b, m->eps, emb);
        if (E != H && (st = tfm__lin_run(ctx, &m->emb_proj, emb, N, x)) != TFM_OK) goto done;
    }

    if (m->arch == TFM__ARCH_MPNET)
        for (i = 0; i < S; i++)
            for (s = 0; s < S; s++) rel_idx[i * S + s] = (int32_t)tfm__mpnet_bucket(s - i, m->rel_buckets);
    if (R)
        for (i = 0; i < S; i++)
            for (s = 0; s < S; s++) {
                int64_t r = tfm__deberta_bucket(i - s, m->bucket_size, m->max_rel) + m->span;
                rel_idx[i * S + s] = (int32_t)(r < 0 ? 0 : (r > R - 1 ? R - 1 : r));
            }

    for (l = 0; l < m->n_layers; l++) {
        const tfm__elayer *L = &m->layers[l];
        tfm__enc_attn_job job;
        if ((st = tfm__lin_run(ctx, &L->q, x, N, q)) != TFM_OK) goto done;
        if ((st = tfm__lin_run(ctx, &L->k, x, N, k)) != TFM_OK) goto done;
        if ((st = tfm__lin_run(ctx, &L->v, x, N, v)) != TFM_OK) goto done;
        memset(&job, 0, sizeof job);
        job.m = m;
        job.ctx = ctx;
        job.B = B;
        job.S = S;
        job.q = q;
        job.k = k;
        job.v = v;
        job.mask = mask;
        job.out = att;
        job.scratch = scratch;
        job.scratch_per_thread = per_thread;
        job.rel_idx = rel_idx;
        job.scale = 1.0f / sqrtf((float)m->head_dim);
        if (R) {
            float sf = 1.0f + (float)m->c2p + (float)m->p2c;
            const tfm__lin *pk = m->share_att_key ? &L->k : &m->pos_k[l];
            const tfm__lin *pq = m->share_att_key ? &L->q : &m->pos_q[l];
            job.scale = 1.0f / sqrtf((float)m->head_dim * sf);
            if (m->c2p && (st = tfm__lin_run(ctx, pk, m->rel_emb, R, posk)) != TFM_OK) goto done;
            if (m->p2c && (st = tfm__lin_run(ctx, pq, m->rel_emb, R, posq)) != TFM_OK) goto done;
            job.pos_k = posk;
            job.pos_q = posq;
        }
        tfm_pool_for(ctx->pool, B * m->n_heads, tfm__enc_attn_task, &job);
        if ((st = tfm__lin_run(ctx, &L->o, att, N, tmp)) != TFM_OK) goto done;
        tfm__residual_norm(ctx, x, tmp, N, H, &L->ln_attn, m->eps);
        if ((st = tfm__lin_run(ctx, &L->up, x, N, ff)) != TFM_OK) goto done;
        tfm_activation(ctx, m->act, ff, N * I, ff);
        if ((st = tfm__lin_run(ctx, &L->down, ff, N, tmp)) != TFM_OK) goto done;
        tfm__residual_norm(ctx, x, tmp, N, H, &L->ln_out, m->eps);
    }

    out->batch = B;
    out->seq = S;
    out->hidden = H;
    /* pooler_output and the heads */
    if (m->pooler.w.data && (m->head == TFM_HEAD_BASE)) {
        out->pooled = (float *)tfm__aligned_alloc((size_t)(B * H) * sizeof(float));
        if (!out->pooled) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            goto done;
        }
        for (i = 0; i < B; i++) memcpy(tmp + i * H, x + i * S * H, (size_t)H * sizeof(float));
        if ((st = tfm__lin_run(ctx, &m->pooler, tmp, B, out->pooled)) != TFM_OK) goto done;
        tfm_activation(ctx, TFM_ACT_TANH, out->pooled, B * H, out->pooled);
    }
    if (m->head != TFM_HEAD_BASE) {
        int64_t rows = N, nl;
        const float *src = x;
        if (m->head == TFM_HEAD_SEQUENCE_CLASSIFICATION) {
            for (i = 0; i < B; i++) memcpy(tmp + i * H, x + i * S * H, (size_t)H * sizeof(float));
            if ((st = tfm__lin_run(ctx, &m->cls_pre, tmp, B, ff)) != TFM_OK) goto done;
            tfm_activation(ctx, m->cls_pre_act, ff, B * H, ff);
            src = ff;
            rows = B;
        } else if (m->head == TFM_HEAD_MASKED_LM) {
            if ((st = tfm__lin_run(ctx, &m->mlm_dense, x, N, ff)) != TFM_OK) goto done;
            tfm_activation(ctx, m->mlm_act, ff, N * H, ff);
            tfm_layer_norm(ctx, ff, N, H, m->mlm_ln.g, m->mlm_ln.b, m->eps, ff);
            src = ff;
        }
        nl = m->head == TFM_HEAD_MASKED_LM ? m->vocab : m->cls_out.w.shape[0];
        out->logits = (float *)tfm__aligned_alloc((size_t)(rows * nl) * sizeof(float));
        if (!out->logits) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for logits");
            goto done;
        }
        out->n_logits = nl;
        if (m->head == TFM_HEAD_MASKED_LM) {
            st = tfm_linear(ctx, src, rows, H, &m->mlm_decoder, m->mlm_bias, out->logits);
        } else
            st = tfm__lin_run(ctx, &m->cls_out, src, rows, out->logits);
        if (st != TFM_OK) goto done;
    }
    out->hidden_states = x;
    x = NULL;
done:
    tfm__aligned_free(x);
    tfm__aligned_free(work);
    TFM_FREE(mask);
    TFM_FREE(ids64);
    TFM_FREE(rel_idx);
    if (st != TFM_OK) tfm_model_output_free(out);
    return st;
}

/* =============================================================================================
   [SECTION 15] decoder-only language models: GPT-2, OPT, Llama / Mistral / Qwen2, Phi-3
   Owns the causal-LM side of tfm_model (weights resolved at load next to the encoder's) and
   tfm_kv_cache: keys and values of every layer preallocated for max_len positions, a per-row
   mask (left padding) and per-row position counters. A decode call appends tokens to the cache
   and returns logits; the prompt goes through in one call, then one token per call.
   ============================================================================================= */

typedef struct tfm__dlayer {
    tfm__norm ln1, ln2;           /* LayerNorm (GPT-2, OPT) or RMSNorm (g only) */
    tfm__lin qkv;                 /* fused q|k|v (GPT-2 c_attn, Phi-3 qkv_proj), or empty */
    tfm__lin q, k, v, o;
    tfm__lin up, gate, down;      /* gate empty: up -> act -> down; gate_up fused in Phi-3: `up` holds both */
} tfm__dlayer;

enum { TFM__DEC_GPT2 = 1, TFM__DEC_OPT, TFM__DEC_LLAMA, TFM__DEC_PHI3 };

struct tfm_kv_cache {
    int64_t batch, max_len, len, layers, kv_heads, head_dim;
    float *k, *v;       /* [layers][batch][kv_heads][max_len][head_dim] */
    uint8_t *mask;      /* [batch][max_len]: 1 real token, 0 padding */
    int64_t *count;     /* [batch]: real tokens so far (the next position id) */
};

static int tfm__decoder_kind(const char *t) {
    if (!strcmp(t, "gpt2")) return TFM__DEC_GPT2;
    if (!strcmp(t, "opt")) return TFM__DEC_OPT;
    if (!strcmp(t, "llama") || !strcmp(t, "mistral") || !strcmp(t, "qwen2")) return TFM__DEC_LLAMA;
    if (!strcmp(t, "phi3")) return TFM__DEC_PHI3;
    return 0;
}

/* name.weight stored [in, out] (GPT-2's Conv1D) and name.bias [out]. */
static tfm_status tfm__mlin_kn(tfm_model *m, const char *name, int64_t n_in, int64_t n_out, tfm__lin *l) {
    char buf[300];
    tfm_status st;
    memset(l, 0, sizeof *l);
    snprintf(buf, sizeof buf, "%s.weight", name);
    if ((st = tfm__mt(m, buf, &l->w, 1)) != TFM_OK) return st;
    if (l->w.ndim != 2 || l->w.shape[0] != n_in || l->w.shape[1] != n_out)
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should be [%lld, %lld]", m->prefix, buf, (long long)n_in,
                         (long long)n_out);
    l->kn = 1;
    snprintf(buf, sizeof buf, "%s.bias", name);
    return tfm__mvec(m, buf, n_out, &l->b, 1);
}

static const tfm_json *tfm__rope_cfg(const tfm_config *c) {
    const tfm_json *r = tfm_config_get(c, "rope_scaling");
    if (tfm_json_kind(r) == TFM_JSON_OBJECT) return r;
    r = tfm_config_get(c, "rope_parameters");
    return tfm_json_kind(r) == TFM_JSON_OBJECT ? r : NULL;
}

/* inv_freq as transformers computes it (float32 arithmetic), with llama3 scaling when configured. */
static tfm_status tfm__rope_init(tfm_model *m) {
    const tfm_json *rs = tfm__rope_cfg(m->cfg);
    double theta = tfm_config_float(m->cfg, "rope_theta", tfm_json_num(tfm_json_get(rs, "rope_theta"), 10000.0));
    const char *type = tfm_json_str_or(tfm_json_get(rs, "rope_type"), tfm_json_str_or(tfm_json_get(rs, "type"), "default"));
    int64_t i, half = m->rot_dim / 2;
    m->inv_freq = (float *)tfm__model_keep(m, tfm__malloc((size_t)(half > 0 ? half : 1) * sizeof(float)));
    if (!m->inv_freq) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    m->rope_scaling = 1.0f;
    for (i = 0; i < half; i++) m->inv_freq[i] = 1.0f / powf((float)theta, (float)(2 * i) / (float)m->rot_dim);
    if (!strcmp(type, "default")) return TFM_OK;
    if (!strcmp(type, "linear")) {
        float f = (float)tfm_json_num(tfm_json_get(rs, "factor"), 1.0);
        for (i = 0; i < half; i++) m->inv_freq[i] /= f;
        return TFM_OK;
    }
    if (!strcmp(type, "llama3")) {
        float factor = (float)tfm_json_num(tfm_json_get(rs, "factor"), 8.0);
        float lo = (float)tfm_json_num(tfm_json_get(rs, "low_freq_factor"), 1.0);
        float hi = (float)tfm_json_num(tfm_json_get(rs, "high_freq_factor"), 4.0);
        float old = (float)tfm_json_num(tfm_json_get(rs, "original_max_position_embeddings"), 8192.0);
        float lo_wl = old / lo, hi_wl = old / hi;
        for (i = 0; i < half; i++) {
            float f = m->inv_freq[i], wl = 2.0f * 3.14159265358979323846f / f;
            float scaled = wl > lo_wl ? f / factor : f;
            if (!(wl < hi_wl) && !(wl > lo_wl)) {
                float smooth = (old / wl - lo) / (hi - lo);
                scaled = (1.0f - smooth) * scaled / factor + smooth * scaled;
            }
            m->inv_freq[i] = scaled;
        }
        return TFM_OK;
    }
    if (!strcmp(type, "longrope")) {
        /* Phi-3: per-dimension factors, short ones up to original_max_position_embeddings and long
           ones beyond (chosen per decode call from its longest position, as transformers does) */
        const tfm_json *sf = tfm_json_get(rs, "short_factor"), *lf = tfm_json_get(rs, "long_factor");
        double orig = tfm_json_num(tfm_json_get(rs, "original_max_position_embeddings"),
                                   tfm_config_float(m->cfg, "original_max_position_embeddings", (double)m->max_pos));
        double factor = (double)m->max_pos / orig, af = tfm_json_num(tfm_json_get(rs, "attention_factor"), -1.0);
        if ((int64_t)tfm_json_len(sf) != half || (int64_t)tfm_json_len(lf) != half || orig <= 1)
            return tfm__fail(TFM_ERR_FORMAT, "config.json: longrope factors must have %lld entries", (long long)half);
        m->inv_freq_long = (float *)tfm__model_keep(m, tfm__malloc((size_t)half * sizeof(float)));
        if (!m->inv_freq_long) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        for (i = 0; i < half; i++) {
            float base = powf((float)theta, (float)(2 * i) / (float)m->rot_dim);
            m->inv_freq[i] = 1.0f / ((float)tfm_json_num(tfm_json_at(sf, (size_t)i), 1.0) * base);
            m->inv_freq_long[i] = 1.0f / ((float)tfm_json_num(tfm_json_at(lf, (size_t)i), 1.0) * base);
        }
        m->rope_long_from = (int64_t)orig;
        m->rope_scaling = (float)(af > 0 ? af : (factor <= 1.0 ? 1.0 : sqrt(1.0 + log(factor) / log(orig))));
        return TFM_OK;
    }
    return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: rope type \"%s\" is not supported yet", type);
}

static tfm_status tfm__decoder_load(tfm_model *m) {
    const tfm_config *c = m->cfg;
    int64_t H, I, i, D, Hq, Hkv;
    tfm_status st = TFM_OK;
    char n[256];
    const char *probe;
    m->head = TFM_HEAD_CAUSAL_LM;
    m->hidden = H = tfm_config_int(c, "hidden_size", 768);
    m->n_layers = tfm_config_int(c, "num_hidden_layers", 12);
    m->n_heads = Hq = tfm_config_int(c, "num_attention_heads", 12);
    m->kv_heads = Hkv = tfm_config_int(c, "num_key_value_heads", Hq);
    m->vocab = tfm_config_int(c, "vocab_size", 0);
    m->max_pos = tfm_config_int(c, "max_position_embeddings", 2048);
    if (m->dec_kind == TFM__DEC_OPT) m->inter = tfm_config_int(c, "ffn_dim", 4 * H);
    else m->inter = tfm_config_int(c, "intermediate_size", 4 * H);
    if (m->inter <= 0) m->inter = 4 * H; /* GPT-2's n_inner: null */
    if (H <= 0 || Hq <= 0 || Hkv <= 0 || Hq % Hkv || m->n_layers <= 0 || m->n_layers > 4096 || m->vocab <= 0 ||
        m->max_pos <= 0 || H > (1 << 20))
        return tfm__fail(TFM_ERR_FORMAT, "config.json: inconsistent sizes for %s", m->model_type);
    m->head_dim = D = tfm_config_int(c, "head_dim", H / Hq);
    if (D <= 0 || D > 4096) return tfm__fail(TFM_ERR_FORMAT, "config.json: bad head_dim");
    I = m->inter;
    m->layers_dec = (tfm__dlayer *)tfm__model_keep(m, tfm__calloc((size_t)m->n_layers, sizeof(tfm__dlayer)));
    if (!m->layers_dec) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    switch (m->dec_kind) {
    case TFM__DEC_GPT2:
        m->eps = (float)tfm_config_float(c, "layer_norm_epsilon", 1e-5);
        if ((st = tfm__config_act(c, "activation_function", "gelu_new", &m->act)) != TFM_OK) return st;
        probe = "transformer.";
        break;
    case TFM__DEC_OPT:
        m->eps = 1e-5f;
        if ((st = tfm__config_act(c, "activation_function", "relu", &m->act)) != TFM_OK) return st;
        if (!tfm_config_bool(c, "do_layer_norm_before", 1))
            return tfm__fail(TFM_ERR_UNSUPPORTED, "OPT with do_layer_norm_before=false (opt-350m) is not supported yet");
        probe = "model.decoder.";
        break;
    default:
        m->eps = (float)tfm_config_float(c, "rms_norm_eps", 1e-6);
        m->rms = 1;
        if ((st = tfm__config_act(c, "hidden_act", "silu", &m->act)) != TFM_OK) return st;
        probe = "model.";
        m->window = tfm_config_int(c, "sliding_window", 0);
        if (tfm_json_kind(tfm_config_get(c, "sliding_window")) == TFM_JSON_NULL) m->window = 0;
        if (!strcmp(m->model_type, "qwen2") && !tfm_config_bool(c, "use_sliding_window", 0)) m->window = 0;
        m->rot_dim = (int64_t)((double)D * tfm_config_float(c, "partial_rotary_factor", 1.0));
        m->rot_dim &= ~(int64_t)1;
        if ((st = tfm__rope_init(m)) != TFM_OK) return st;
        break;
    }
    snprintf(n, sizeof n, "%s%s", probe,
             m->dec_kind == TFM__DEC_GPT2 ? "wte.weight" : "embed_tokens.weight");
    if (tfm_weights_find(m->w, n)) snprintf(m->prefix, sizeof m->prefix, "%s", probe);
    else if (m->dec_kind == TFM__DEC_OPT) snprintf(m->prefix, sizeof m->prefix, "decoder.");
    tfm_clear_error();
    m->emb_dim = m->dec_kind == TFM__DEC_OPT ? tfm_config_int(c, "word_embed_proj_dim", H) : H;
    if ((st = tfm__memb(m, m->dec_kind == TFM__DEC_GPT2 ? "wte.weight" : "embed_tokens.weight", m->vocab, m->emb_dim,
                        &m->word, 1)) != TFM_OK)
        return st;
    if (m->dec_kind == TFM__DEC_GPT2 && (st = tfm__memb(m, "wpe.weight", m->max_pos, H, &m->pos, 1)) != TFM_OK) return st;
    if (m->dec_kind == TFM__DEC_OPT) {
        if ((st = tfm__memb(m, "embed_positions.weight", m->max_pos + 2, H, &m->pos, 1)) != TFM_OK) return st;
        if (m->emb_dim != H) {
            if ((st = tfm__mlin(m, "project_in", H, m->emb_dim, 0, 1, &m->emb_proj)) != TFM_OK) return st;
            if ((st = tfm__mlin(m, "project_out", m->emb_dim, H, 0, 1, &m->proj_out)) != TFM_OK) return st;
        }
    }
    for (i = 0; i < m->n_layers && st == TFM_OK; i++) {
        tfm__dlayer *L = &m->layers_dec[i];
        char p[96];
#define TFM__DN(field, name)                                                                                     \
    if (st == TFM_OK) {                                                                                          \
        snprintf(n, sizeof n, "%s%s", p, name);                                                                  \
        if (m->rms) {                                                                                            \
            snprintf(n, sizeof n, "%s%s.weight", p, name);                                                       \
            st = tfm__mvec(m, n, H, &L->field.g, 1);                                                             \
        } else                                                                                                   \
            st = tfm__mnorm(m, n, H, &L->field);                                                                 \
    }
#define TFM__DL(field, name, o, in_, bias)                                                                      \
    if (st == TFM_OK) {                                                                                          \
        snprintf(n, sizeof n, "%s%s", p, name);                                                                  \
        st = tfm__mlin(m, n, o, in_, bias, 1, &L->field);                                                        \
    }
        if (m->dec_kind == TFM__DEC_GPT2) {
            snprintf(p, sizeof p, "h.%lld.", (long long)i);
            TFM__DN(ln1, "ln_1")
            TFM__DN(ln2, "ln_2")
            if (st == TFM_OK) {
                snprintf(n, sizeof n, "%sattn.c_attn", p);
                st = tfm__mlin_kn(m, n, H, 3 * H, &L->qkv);
            }
            if (st == TFM_OK) {
                snprintf(n, sizeof n, "%sattn.c_proj", p);
                st = tfm__mlin_kn(m, n, H, H, &L->o);
            }
            if (st == TFM_OK) {
                snprintf(n, sizeof n, "%smlp.c_fc", p);
                st = tfm__mlin_kn(m, n, H, I, &L->up);
            }
            if (st == TFM_OK) {
                snprintf(n, sizeof n, "%smlp.c_proj", p);
                st = tfm__mlin_kn(m, n, I, H, &L->down);
            }
        } else if (m->dec_kind == TFM__DEC_OPT) {
            snprintf(p, sizeof p, "layers.%lld.", (long long)i);
            TFM__DN(ln1, "self_attn_layer_norm")
            TFM__DN(ln2, "final_layer_norm")
            TFM__DL(q, "self_attn.q_proj", H, H, 1)
            TFM__DL(k, "self_attn.k_proj", H, H, 1)
            TFM__DL(v, "self_attn.v_proj", H, H, 1)
            TFM__DL(o, "self_attn.out_proj", H, H, 1)
            TFM__DL(up, "fc1", I, H, 1)
            TFM__DL(down, "fc2", H, I, 1)
        } else {
            snprintf(p, sizeof p, "layers.%lld.", (long long)i);
            TFM__DN(ln1, "input_layernorm")
            TFM__DN(ln2, "post_attention_layernorm")
            if (m->dec_kind == TFM__DEC_PHI3) {
                TFM__DL(qkv, "self_attn.qkv_proj", (Hq + 2 * Hkv) * D, H, 0)
                TFM__DL(up, "mlp.gate_up_proj", 2 * I, H, 0)
            } else {
                TFM__DL(q, "self_attn.q_proj", Hq * D, H, 0)
                TFM__DL(k, "self_attn.k_proj", Hkv * D, H, 0)
                TFM__DL(v, "self_attn.v_proj", Hkv * D, H, 0)
                TFM__DL(gate, "mlp.gate_proj", I, H, 0)
                TFM__DL(up, "mlp.up_proj", I, H, 0)
            }
            TFM__DL(o, "self_attn.o_proj", H, Hq * D, 0)
            TFM__DL(down, "mlp.down_proj", H, I, 0)
        }
#undef TFM__DN
#undef TFM__DL
    }
    if (st != TFM_OK) return st;
    if (m->rms) {
        if ((st = tfm__mvec(m, "norm.weight", H, &m->ln_f.g, 1)) != TFM_OK) return st;
    } else if ((st = tfm__mnorm(m, m->dec_kind == TFM__DEC_GPT2 ? "ln_f" : "final_layer_norm", H, &m->ln_f)) != TFM_OK)
        return st;
    {
        char saved[32];
        memcpy(saved, m->prefix, sizeof saved);
        m->prefix[0] = 0;
        st = tfm__memb(m, "lm_head.weight", m->vocab, m->emb_dim, &m->lm_head, 0);
        memcpy(m->prefix, saved, sizeof saved);
        if (st != TFM_OK) return st;
        if (!m->lm_head.data) m->lm_head = m->word; /* tied to the input embeddings */
    }
    return TFM_OK;
}

TFMDEF tfm_status tfm_kv_cache_create(const tfm_model *m, int64_t batch, int64_t max_len, tfm_kv_cache **out) {
    tfm_kv_cache *c;
    size_t per;
    if (!out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_kv_cache_create: NULL output");
    *out = NULL;
    if (!m || m->head != TFM_HEAD_CAUSAL_LM) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_kv_cache_create: not a causal LM");
    if (batch <= 0 || max_len <= 0 || batch > (1 << 16) || max_len > (int64_t)1 << 24)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_kv_cache_create: bad batch %lld / max_len %lld", (long long)batch,
                         (long long)max_len);
    if (m->pos.data && max_len > m->max_pos)
        return tfm__fail(TFM_ERR_LIMIT, "max_len %lld exceeds the model's %lld positions", (long long)max_len,
                         (long long)m->max_pos);
    c = (tfm_kv_cache *)tfm__calloc(1, sizeof *c);
    if (!c) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    c->batch = batch;
    c->max_len = max_len;
    c->layers = m->n_layers;
    c->kv_heads = m->kv_heads;
    c->head_dim = m->head_dim;
    per = (size_t)(m->n_layers * batch * m->kv_heads * max_len * m->head_dim);
    c->k = (float *)tfm__aligned_alloc(per * sizeof(float));
    c->v = (float *)tfm__aligned_alloc(per * sizeof(float));
    c->mask = (uint8_t *)tfm__calloc((size_t)(batch * max_len), 1);
    c->count = (int64_t *)tfm__calloc((size_t)batch, sizeof(int64_t));
    if (!c->k || !c->v || !c->mask || !c->count) {
        tfm_kv_cache_free(c);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "KV cache: out of memory for %lld positions", (long long)max_len);
    }
    *out = c;
    return TFM_OK;
}
TFMDEF void tfm_kv_cache_free(tfm_kv_cache *c) {
    if (!c) return;
    tfm__aligned_free(c->k);
    tfm__aligned_free(c->v);
    TFM_FREE(c->mask);
    TFM_FREE(c->count);
    TFM_FREE(c);
}
TFMDEF void tfm_kv_cache_reset(tfm_kv_cache *c) {
    if (!c) return;
    c->len = 0;
    memset(c->mask, 0, (size_t)(c->batch * c->max_len));
    memset(c->count, 0, (size_t)c->batch * sizeof(int64_t));
}
TFMDEF int64_t tfm_kv_cache_length(const tfm_kv_cache *c) { return c ? c->len : 0; }

typedef struct tfm__dattn_job {
    const tfm_model *m;
    const tfm_kv_cache *c;
    int64_t layer, B, S, past;
    const float *q; /* [B*S, Hq*D] */
    float *out;     /* [B*S, Hq*D] */
    float *scratch; /* per thread: S * (past + S) */
    size_t per_thread;
    tfm_isa isa;
} tfm__dattn_job;

static void tfm__dattn_task(void *arg, int64_t task, int thread_index) {
    const tfm__dattn_job *j = (const tfm__dattn_job *)arg;
    const tfm_model *m = j->m;
    const tfm_kv_cache *c = j->c;
    int64_t Hq = m->n_heads, D = m->head_dim, b = task / Hq, h = task % Hq, hk = h / (Hq / m->kv_heads);
    int64_t Sk = j->past + j->S, i, t, ld = Hq * D;
    size_t base = (size_t)((((j->layer * c->batch + b) * c->kv_heads + hk) * c->max_len) * D);
    const float *K = c->k + base, *V = c->v + base;
    const uint8_t *mask = c->mask + b * c->max_len;
    float *sc = j->scratch + (size_t)thread_index * j->per_thread;
    tfm_ctx one;
    memset(&one, 0, sizeof one);
    one.isa = j->isa;
    tfm_gemm(&one, 1, j->S, Sk, D, 1.0f / sqrtf((float)D), j->q + b * j->S * ld + h * D, ld, TFM_F32, K, D, 0.0f, sc, Sk);
    for (i = 0; i < j->S; i++) {
        float *row = sc + i * Sk;
        int64_t qpos = j->past + i;
        for (t = 0; t < Sk; t++)
            if (t > qpos || !mask[t] || (m->window > 0 && qpos - t >= m->window)) row[t] = -INFINITY;
        tfm__softmax_isa(j->isa, row, NULL, Sk, 1.0f, row);
    }
    tfm_gemm(&one, 0, j->S, D, Sk, 1.0f, sc, Sk, TFM_F32, V, D, 0.0f, j->out + b * j->S * ld + h * D, ld);
}

/* y[rows, N] = x . W (+ b) for a [K,N]-stored weight (GPT-2 Conv1D) or a [N,K] one. */
static tfm_status tfm__dlin(const tfm_ctx *ctx, const tfm__lin *l, const float *x, int64_t rows, float *y) {
    int64_t i, K, N;
    if (!l->kn) return tfm__lin_run(ctx, l, x, rows, y);
    K = l->w.shape[0];
    N = l->w.shape[1];
    if (l->b)
        for (i = 0; i < rows; i++) memcpy(y + i * N, l->b, (size_t)N * sizeof(float));
    return tfm_gemm(ctx, 0, rows, N, K, 1.0f, x, K, l->w.dtype, l->w.data, N, l->b ? 1.0f : 0.0f, y, N);
}

static void tfm__dnorm(const tfm_ctx *ctx, const tfm_model *m, const tfm__norm *nm, const float *x, int64_t rows, float *y) {
    if (m->rms) tfm_rms_norm(ctx, x, rows, m->hidden, nm->g, m->eps, y);
    else tfm_layer_norm(ctx, x, rows, m->hidden, nm->g, nm->b, m->eps, y);
}

/* Rotary embedding on token-major rows: x[row][head][D], position pos[row], frequencies inv_freq. */
static void tfm__rope_rows(const tfm_model *m, const float *inv_freq, float *x, int64_t rows, int64_t heads,
                           const int64_t *pos) {
    int64_t r, h, i, half = m->rot_dim / 2, D = m->head_dim;
    for (r = 0; r < rows; r++)
        for (i = 0; i < half; i++) {
            float f = (float)pos[r] * inv_freq[i], cs = cosf(f) * m->rope_scaling, sn = sinf(f) * m->rope_scaling;
            for (h = 0; h < heads; h++) {
                float *v = x + (r * heads + h) * D;
                float a = v[i], bb = v[i + half];
                v[i] = a * cs - bb * sn;
                v[i + half] = bb * cs + a * sn;
            }
        }
}

TFMDEF tfm_status tfm_model_decode(const tfm_model *m, const tfm_ctx *ctx, tfm_kv_cache *c, const int32_t *ids,
                                   const int32_t *attention_mask, int64_t seq, int all_positions, float *logits) {
    tfm_ctx local;
    tfm_status st = TFM_OK;
    int64_t B, S, N, H, I, D, Hq, Hkv, l, i, b, s, threads, past, qkv_n, V;
    float *x = NULL, *h = NULL, *q = NULL, *k = NULL, *v = NULL, *att = NULL, *ff = NULL, *ff2 = NULL, *scratch = NULL,
          *last = NULL;
    int64_t *pos = NULL, *ids64 = NULL;
    size_t per_thread;
    if (!m || !c || !ids || !logits || seq <= 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_decode: bad arguments");
    if (m->head != TFM_HEAD_CAUSAL_LM) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_decode: not a causal LM");
    if (c->layers != m->n_layers || c->kv_heads != m->kv_heads || c->head_dim != m->head_dim)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_decode: the cache was made for another model");
    if (c->len + seq > c->max_len)
        return tfm__fail(TFM_ERR_LIMIT, "%lld cached + %lld new tokens exceed the cache's %lld positions",
                         (long long)c->len, (long long)seq, (long long)c->max_len);
    memset(&local, 0, sizeof local);
    if (ctx) local = *ctx;
    ctx = &local;
    B = c->batch, S = seq, N = B * S, H = m->hidden, I = m->inter, D = m->head_dim, Hq = m->n_heads, Hkv = m->kv_heads;
    V = m->vocab;
    past = c->len;
    qkv_n = (Hq + 2 * Hkv) * D;
    for (i = 0; i < N; i++)
        if (ids[i] < 0 || ids[i] >= V)
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "token id %d outside the vocabulary [0, %lld)", ids[i], (long long)V);
    threads = tfm_pool_threads(ctx->pool);
    per_thread = (size_t)(S * (past + S) + 16);
    x = (float *)tfm__aligned_alloc((size_t)(N * H) * sizeof(float));
    h = (float *)tfm__aligned_alloc((size_t)(N * TFM__MAX(H, m->emb_dim)) * sizeof(float));
    q = (float *)tfm__aligned_alloc((size_t)(N * TFM__MAX(qkv_n, H)) * sizeof(float));
    att = (float *)tfm__aligned_alloc((size_t)(N * Hq * D) * sizeof(float));
    ff = (float *)tfm__aligned_alloc((size_t)(N * 2 * I) * sizeof(float));
    ff2 = (float *)tfm__aligned_alloc((size_t)(N * I) * sizeof(float));
    scratch = (float *)tfm__aligned_alloc(per_thread * (size_t)threads * sizeof(float));
    pos = (int64_t *)tfm__malloc((size_t)N * sizeof(int64_t));
    ids64 = (int64_t *)tfm__malloc((size_t)N * sizeof(int64_t));
    k = (float *)tfm__aligned_alloc((size_t)(N * Hkv * D) * sizeof(float));
    v = (float *)tfm__aligned_alloc((size_t)(N * Hkv * D) * sizeof(float));
    if (!x || !h || !q || !att || !ff || !ff2 || !scratch || !pos || !ids64 || !k || !v) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_model_decode: out of memory");
        goto done;
    }
    /* positions and the cache mask for the new tokens */
    for (b = 0; b < B; b++)
        for (s = 0; s < S; s++) {
            int real = attention_mask ? attention_mask[b * S + s] != 0 : 1;
            c->mask[b * c->max_len + past + s] = (uint8_t)real;
            pos[b * S + s] = real ? c->count[b]++ : 1;
            if (m->dec_kind == TFM__DEC_OPT) pos[b * S + s] = real ? pos[b * S + s] + 2 : 1;
        }
    /* embeddings */
    for (i = 0; i < N; i++) ids64[i] = ids[i];
    if ((st = tfm_embedding(&m->word, ids64, N, m->emb_dim == H ? x : h)) != TFM_OK) goto done;
    if (m->emb_dim != H && (st = tfm__lin_run(ctx, &m->emb_proj, h, N, x)) != TFM_OK) goto done;
    if (m->pos.data) {
        for (i = 0; i < N; i++)
            if (pos[i] >= m->pos.shape[0]) {
                st = tfm__fail(TFM_ERR_LIMIT, "position %lld beyond the model's %lld positions", (long long)pos[i],
                               (long long)m->pos.shape[0]);
                goto done;
            }
        if ((st = tfm_embedding(&m->pos, pos, N, h)) != TFM_OK) goto done;
        tfm_add(x, h, N * H, x);
    }
    for (l = 0; l < m->n_layers; l++) {
        const tfm__dlayer *L = &m->layers_dec[l];
        tfm__dattn_job job;
        tfm__dnorm(ctx, m, &L->ln1, x, N, h);
        if (L->qkv.w.data) {
            if ((st = tfm__dlin(ctx, &L->qkv, h, N, q)) != TFM_OK) goto done;
            /* split q | k | v rows: q stays in place (strided), k and v are copied out */
            for (i = 0; i < N; i++) {
                memcpy(k + i * Hkv * D, q + i * qkv_n + Hq * D, (size_t)(Hkv * D) * sizeof(float));
                memcpy(v + i * Hkv * D, q + i * qkv_n + (Hq + Hkv) * D, (size_t)(Hkv * D) * sizeof(float));
            }
            for (i = 0; i < N; i++) memmove(q + i * Hq * D, q + i * qkv_n, (size_t)(Hq * D) * sizeof(float));
        } else {
            if ((st = tfm__dlin(ctx, &L->q, h, N, q)) != TFM_OK) goto done;
            if ((st = tfm__dlin(ctx, &L->k, h, N, k)) != TFM_OK) goto done;
            if ((st = tfm__dlin(ctx, &L->v, h, N, v)) != TFM_OK) goto done;
        }
        if (m->rot_dim > 0) {
            const float *inv = m->inv_freq;
            if (m->inv_freq_long) { /* the call's longest position picks the factors */
                int64_t mx = 0;
                for (i = 0; i < N; i++) mx = TFM__MAX(mx, pos[i]);
                if (mx + 1 > m->rope_long_from) inv = m->inv_freq_long;
            }
            tfm__rope_rows(m, inv, q, N, Hq, pos);
            tfm__rope_rows(m, inv, k, N, Hkv, pos);
        }
        for (b = 0; b < B; b++)
            for (i = 0; i < Hkv; i++)
                for (s = 0; s < S; s++) {
                    size_t at = (size_t)((((l * B + b) * Hkv + i) * c->max_len + past + s) * D);
                    memcpy(c->k + at, k + ((b * S + s) * Hkv + i) * D, (size_t)D * sizeof(float));
                    memcpy(c->v + at, v + ((b * S + s) * Hkv + i) * D, (size_t)D * sizeof(float));
                }
        memset(&job, 0, sizeof job);
        job.m = m;
        job.c = c;
        job.layer = l;
        job.B = B;
        job.S = S;
        job.past = past;
        job.q = q;
        job.out = att;
        job.scratch = scratch;
        job.per_thread = per_thread;
        job.isa = tfm__ctx_isa(ctx);
        tfm_pool_for(ctx->pool, B * Hq, tfm__dattn_task, &job);
        if ((st = tfm__dlin(ctx, &L->o, att, N, h)) != TFM_OK) goto done;
        tfm_add(x, h, N * H, x);
        tfm__dnorm(ctx, m, &L->ln2, x, N, h);
        if ((st = tfm__dlin(ctx, &L->up, h, N, ff)) != TFM_OK) goto done;
        if (m->dec_kind == TFM__DEC_PHI3) { /* gate_up: gate is the first half of each row */
            for (i = 0; i < N; i++) tfm_glu(NULL, m->act, ff + i * 2 * I, ff + i * 2 * I + I, I, ff2 + i * I);
        } else if (L->gate.w.data) {
            if ((st = tfm__dlin(ctx, &L->gate, h, N, ff2)) != TFM_OK) goto done;
            tfm_glu(ctx, m->act, ff2, ff, N * I, ff2);
        } else {
            tfm_activation(ctx, m->act, ff, N * I, ff2);
        }
        if ((st = tfm__dlin(ctx, &L->down, ff2, N, h)) != TFM_OK) goto done;
        tfm_add(x, h, N * H, x);
    }
    tfm__dnorm(ctx, m, &m->ln_f, x, N, x);
    {
        const float *src = x;
        int64_t rows = N, E = m->emb_dim;
        if (!all_positions) { /* last position of each row */
            last = (float *)tfm__malloc((size_t)(B * H) * sizeof(float));
            if (!last) {
                st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
                goto done;
            }
            for (b = 0; b < B; b++) memcpy(last + b * H, x + (b * S + S - 1) * H, (size_t)H * sizeof(float));
            src = last;
            rows = B;
        }
        if (E != H) {
            if ((st = tfm__lin_run(ctx, &m->proj_out, src, rows, h)) != TFM_OK) goto done;
            src = h;
        }
        st = tfm_linear(ctx, src, rows, E, &m->lm_head, NULL, logits);
    }
    if (st == TFM_OK) c->len += S;
done:
    if (st != TFM_OK) { /* leave the cache as it was */
        for (b = 0; b < B; b++)
            for (s = 0; s < S; s++)
                if (c->mask[b * c->max_len + past + s]) {
                    c->mask[b * c->max_len + past + s] = 0;
                    c->count[b]--;
                }
    }
    tfm__aligned_free(x);
    tfm__aligned_free(h);
    tfm__aligned_free(q);
    tfm__aligned_free(att);
    tfm__aligned_free(ff);
    tfm__aligned_free(ff2);
    tfm__aligned_free(scratch);
    tfm__aligned_free(k);
    tfm__aligned_free(v);
    TFM_FREE(pos);
    TFM_FREE(ids64);
    TFM_FREE(last);
    return st;
}

TFMDEF tfm_status tfm_perplexity(const tfm_model *m, const tfm_ctx *ctx, const int32_t *ids, int64_t n,
                                 int64_t max_length, int64_t stride, double *perplexity, int64_t *tokens) {
    tfm_kv_cache *c = NULL;
    float *logits = NULL;
    double nll_sum = 0;
    int64_t count = 0, begin, prev_end = 0, V;
    tfm_status st;
    if (perplexity) *perplexity = 0;
    if (tokens) *tokens = 0;
    if (!m || !ids || !perplexity || n < 2 || max_length < 2 || stride < 1)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_perplexity: needs >= 2 tokens, max_length >= 2, stride >= 1");
    V = m->vocab;
    if ((st = tfm_kv_cache_create(m, 1, max_length, &c)) != TFM_OK) return st;
    logits = (float *)tfm__malloc((size_t)(max_length * V) * sizeof(float));
    if (!logits) {
        tfm_kv_cache_free(c);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    }
    for (begin = 0; begin < n; begin += stride) {
        int64_t end = TFM__MIN(begin + max_length, n), len = end - begin, trg = end - prev_end, t, first, scored = 0;
        double nll = 0;
        tfm_kv_cache_reset(c);
        if ((st = tfm_model_decode(m, ctx, c, ids + begin, NULL, len, 1, logits)) != TFM_OK) break;
        /* labels: the last trg tokens of the window; position t predicts token t + 1 */
        first = TFM__MAX(len - trg, 1);
        for (t = first; t < len; t++) {
            const float *row = logits + (t - 1) * V;
            float mx = row[0];
            double se = 0;
            int64_t k;
            for (k = 1; k < V; k++) mx = row[k] > mx ? row[k] : mx;
            for (k = 0; k < V; k++) se += exp((double)(row[k] - mx));
            nll += (double)mx + log(se) - (double)row[ids[begin + t]];
            scored++;
        }
        if (scored > 0) {
            /* the reference adds mean loss x (valid labels - 1) */
            int64_t weight = TFM__MIN(trg, len) - 1;
            nll_sum += nll / (double)scored * (double)weight;
            count += weight;
        }
        prev_end = end;
        if (end == n) break;
    }
    TFM_FREE(logits);
    tfm_kv_cache_free(c);
    if (st != TFM_OK) return st;
    if (count <= 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_perplexity: no token was scored");
    *perplexity = exp(nll_sum / (double)count);
    if (tokens) *tokens = count;
    return TFM_OK;
}

/* ---- generation: logits processors, sampling, the decode loop ---- */

/* splitmix64: the documented generator behind `seed` (same seed, same tokens, on any machine). */
static uint64_t tfm__rng_next(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double tfm__rng_uniform(uint64_t *s) { return (double)(tfm__rng_next(s) >> 11) * (1.0 / 9007199254740992.0); }

typedef struct tfm__gen_cfg {
    int64_t max_new, min_new, top_k, no_repeat;
    int do_sample;
    float temperature, top_p, min_p, typical_p, repetition_penalty;
    int32_t eos[16];
    int n_eos;
    int32_t pad;
} tfm__gen_cfg;

/* Options over generation_config.json over the library defaults. */
static void tfm__gen_resolve(const tfm_model *m, const tfm_generation_options *o, int64_t prompt_len, tfm__gen_cfg *g) {
    const tfm_json *gc = m->gen_config ? tfm_config_json(m->gen_config) : NULL;
    const tfm_json *e;
    int64_t max_length;
    memset(g, 0, sizeof *g);
#define TFM__GF(key, dflt) tfm_json_num(tfm_json_get(gc, key), dflt)
    g->do_sample = o && o->do_sample ? o->do_sample > 0 : tfm_json_bool(tfm_json_get(gc, "do_sample"), 0);
    g->temperature = o && o->temperature > 0 ? o->temperature : (float)TFM__GF("temperature", 1.0);
    g->top_k = o && o->top_k ? (o->top_k < 0 ? 0 : o->top_k) : (int64_t)TFM__GF("top_k", 50);
    g->top_p = o && o->top_p > 0 ? o->top_p : (float)TFM__GF("top_p", 1.0);
    g->min_p = o && o->min_p > 0 ? o->min_p : (float)TFM__GF("min_p", 0.0);
    g->typical_p = o && o->typical_p > 0 ? o->typical_p : (float)TFM__GF("typical_p", 1.0);
    g->repetition_penalty = o && o->repetition_penalty > 0 ? o->repetition_penalty : (float)TFM__GF("repetition_penalty", 1.0);
    g->no_repeat = o && o->no_repeat_ngram_size ? o->no_repeat_ngram_size : (int64_t)TFM__GF("no_repeat_ngram_size", 0);
    g->min_new = o && o->min_new_tokens ? o->min_new_tokens : (int64_t)TFM__GF("min_new_tokens", 0);
    max_length = (int64_t)TFM__GF("max_length", 20);
    if (o && o->max_new_tokens) g->max_new = o->max_new_tokens < 0 ? 0 : o->max_new_tokens;
    else if (tfm_json_get(gc, "max_new_tokens") && tfm_json_kind(tfm_json_get(gc, "max_new_tokens")) == TFM_JSON_NUMBER)
        g->max_new = (int64_t)TFM__GF("max_new_tokens", 20);
    else
        g->max_new = TFM__MAX(max_length - prompt_len, 0);
#undef TFM__GF
    if (o && o->n_eos_token_ids > 0 && o->eos_token_ids) {
        int i;
        for (i = 0; i < o->n_eos_token_ids && i < 16; i++) g->eos[g->n_eos++] = o->eos_token_ids[i];
    } else {
        e = tfm_json_get(gc, "eos_token_id");
        if (!e) e = tfm_config_get(m->cfg, "eos_token_id");
        if (tfm_json_kind(e) == TFM_JSON_ARRAY) {
            size_t i;
            for (i = 0; i < tfm_json_len(e) && g->n_eos < 16; i++) g->eos[g->n_eos++] = (int32_t)tfm_json_int(tfm_json_at(e, i), -1);
        } else if (tfm_json_kind(e) == TFM_JSON_NUMBER)
            g->eos[g->n_eos++] = (int32_t)tfm_json_int(e, -1);
    }
    e = tfm_json_get(gc, "pad_token_id");
    if (!e || tfm_json_kind(e) != TFM_JSON_NUMBER) e = tfm_config_get(m->cfg, "pad_token_id");
    g->pad = tfm_json_kind(e) == TFM_JSON_NUMBER ? (int32_t)tfm_json_int(e, 0) : (g->n_eos ? g->eos[0] : 0);
}

static int tfm__is_eos(const tfm__gen_cfg *g, int32_t id) {
    int i;
    for (i = 0; i < g->n_eos; i++)
        if (g->eos[i] == id) return 1;
    return 0;
}

/* Processors and warpers in the reference's order on one row of scores; seq holds the tokens so
   far (prompt included) and n_new how many were generated. Returns the chosen token. */
static int32_t tfm__gen_pick(const tfm__gen_cfg *g, float *sc, int64_t V, const int32_t *seq, int64_t len, int64_t n_new,
                             uint64_t *rng, float *work, int64_t *idx, int64_t *tmp) {
    int64_t i, k, keep;
    if (g->repetition_penalty != 1.0f)
        for (i = 0; i < len; i++) {
            int32_t t = seq[i];
            if (t >= 0 && t < V && work[t] == 0.0f) { /* each distinct id once: work marks seen ids */
                sc[t] = sc[t] < 0 ? sc[t] * g->repetition_penalty : sc[t] / g->repetition_penalty;
                work[t] = 1.0f;
            }
        }
    if (g->repetition_penalty != 1.0f)
        for (i = 0; i < len; i++)
            if (seq[i] >= 0 && seq[i] < V) work[seq[i]] = 0.0f;
    if (g->no_repeat > 0 && len >= g->no_repeat - 1) {
        int64_t n = g->no_repeat, s;
        for (s = 0; s + n <= len; s++) {
            int same = 1;
            for (k = 0; k < n - 1 && same; k++) same = seq[s + k] == seq[len - (n - 1) + k];
            if (same && seq[s + n - 1] >= 0 && seq[s + n - 1] < V) sc[seq[s + n - 1]] = -INFINITY;
        }
    }
    if (n_new < g->min_new)
        for (i = 0; i < g->n_eos; i++)
            if (g->eos[i] >= 0 && g->eos[i] < V) sc[g->eos[i]] = -INFINITY;
    if (!g->do_sample) {
        int32_t best = 0;
        for (i = 1; i < V; i++)
            if (sc[i] > sc[best]) best = (int32_t)i;
        return best;
    }
    if (g->temperature != 1.0f)
        for (i = 0; i < V; i++) sc[i] /= g->temperature;
    /* sort indexes by score, descending (ties by id) */
    for (i = 0; i < V; i++) idx[i] = i;
    {
        /* heap-free: a simple merge sort on idx by score */
        int64_t width, lo;
        int64_t *a = idx, *b = tmp;
        for (width = 1; width < V; width *= 2) {
            for (lo = 0; lo < V; lo += 2 * width) {
                int64_t mid = TFM__MIN(lo + width, V), hi = TFM__MIN(lo + 2 * width, V), p = lo, q = mid, o = lo;
                while (p < mid && q < hi) b[o++] = (sc[a[q]] > sc[a[p]]) ? a[q++] : a[p++];
                while (p < mid) b[o++] = a[p++];
                while (q < hi) b[o++] = a[q++];
            }
            {
                int64_t *t = a;
                a = b;
                b = t;
            }
        }
        if (a != idx) memcpy(idx, a, (size_t)V * sizeof(int64_t));
    }
    keep = V;
    if (g->top_k > 0 && g->top_k < V) { /* ties with the k-th score survive */
        float kth = sc[idx[g->top_k - 1]];
        keep = g->top_k;
        while (keep < V && sc[idx[keep]] >= kth) keep++;
    }
    {
        double mx = sc[idx[0]], z = 0, c = 0;
        float *p = work;
        for (i = 0; i < keep; i++) z += (p[i] = (float)exp((double)sc[idx[i]] - mx));
        for (i = 0; i < keep; i++) p[i] = (float)(p[i] / z);
        if (g->top_p < 1.0f) { /* smallest set whose mass exceeds top_p */
            int64_t n = 0;
            c = 0;
            while (n < keep) {
                c += p[n++];
                if (c > g->top_p) break;
            }
            while (n < keep && p[n] == p[n - 1]) n++;
            keep = TFM__MAX(n, 1);
        }
        if (g->min_p > 0) {
            int64_t n = 1;
            while (n < keep && p[n] >= g->min_p * p[0]) n++;
            keep = n;
        }
        if (g->typical_p < 1.0f) { /* keep the tokens closest to the entropy until typical_p mass */
            double ent = 0, mass = 0;
            int64_t j, n = 0, *ord = tmp;
            for (i = 0; i < keep; i++)
                if (p[i] > 0) ent -= p[i] * log(p[i]);
            for (i = 0; i < keep; i++) ord[i] = i;
            for (i = 1; i < keep; i++) { /* insertion sort by |-log p - entropy| */
                int64_t v = ord[i];
                double dv = fabs(-log(p[v] > 0 ? p[v] : 1e-45) - ent);
                j = i;
                while (j > 0 && fabs(-log(p[ord[j - 1]] > 0 ? p[ord[j - 1]] : 1e-45) - ent) > dv) {
                    ord[j] = ord[j - 1];
                    j--;
                }
                ord[j] = v;
            }
            while (n < keep) {
                mass += p[ord[n++]];
                if (mass > g->typical_p) break;
            }
            /* keep only the chosen set: zero the others */
            for (i = n; i < keep; i++) p[ord[i]] = 0;
        }
        z = 0;
        for (i = 0; i < keep; i++) z += p[i];
        {
            double u = tfm__rng_uniform(rng) * z;
            c = 0;
            for (i = 0; i < keep; i++) {
                c += p[i];
                if (u < c && p[i] > 0) return (int32_t)idx[i];
            }
            for (i = keep - 1; i > 0 && p[i] <= 0; i--) {
            }
            return (int32_t)idx[i];
        }
    }
}

TFMDEF void tfm_generation_result_free(tfm_generation_result *r) {
    int64_t i;
    if (!r) return;
    for (i = 0; i < r->n; i++) TFM_FREE(r->ids[i]);
    TFM_FREE(r->ids);
    TFM_FREE(r->lens);
    TFM_FREE(r->prompt_lens);
    memset(r, 0, sizeof *r);
}

TFMDEF tfm_status tfm_generate(const tfm_model *m, const tfm_tokenizer *tok, const tfm_ctx *ctx,
                               const int32_t *const *prompts, const int64_t *lens, int64_t n,
                               const tfm_generation_options *o, tfm_generation_result *out) {
    tfm__gen_cfg g;
    tfm_kv_cache *c = NULL;
    tfm_decode_stream *ds = NULL;
    float *logits = NULL, *work = NULL;
    int64_t *idx = NULL, *tmp = NULL, i, t, P = 0, V, rows, nret, max_total, step;
    int32_t *grid = NULL, *mask = NULL, *next = NULL;
    uint8_t *done = NULL;
    uint64_t *rng = NULL;
    tfm_status st = TFM_OK;
    int stop = 0;
    tfm__buf streamed; /* text given to the stream callback so far */
    memset(&streamed, 0, sizeof streamed);
    if (out) memset(out, 0, sizeof *out);
    if (!m || !prompts || !lens || n <= 0 || !out)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_generate: bad arguments");
    if (m->head != TFM_HEAD_CAUSAL_LM) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_generate: not a causal LM");
    for (i = 0; i < n; i++) {
        if (lens[i] <= 0 || !prompts[i])
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_generate: prompt %lld is empty (a causal LM needs at least "
                             "one token, e.g. BOS)", (long long)i);
        P = TFM__MAX(P, lens[i]);
    }
    nret = o && o->num_return_sequences > 1 ? o->num_return_sequences : 1;
    rows = n * nret;
    tfm__gen_resolve(m, o, P, &g);
    V = m->vocab;
    max_total = P + g.max_new;
    if (m->pos.data && max_total > m->max_pos) { /* learned positions end at the context window */
        if (P > m->max_pos)
            return tfm__fail(TFM_ERR_LIMIT, "the prompt has %lld tokens; the model takes %lld", (long long)P,
                             (long long)m->max_pos);
        max_total = m->max_pos;
    }
    grid = (int32_t *)tfm__calloc((size_t)(rows * max_total), sizeof(int32_t));
    mask = (int32_t *)tfm__calloc((size_t)(rows * P), sizeof(int32_t));
    next = (int32_t *)tfm__calloc((size_t)rows, sizeof(int32_t));
    done = (uint8_t *)tfm__calloc((size_t)rows, 1);
    rng = (uint64_t *)tfm__calloc((size_t)rows, sizeof(uint64_t));
    logits = (float *)tfm__malloc((size_t)(rows * V) * sizeof(float));
    work = (float *)tfm__calloc((size_t)V, sizeof(float));
    idx = (int64_t *)tfm__malloc((size_t)V * sizeof(int64_t));
    tmp = (int64_t *)tfm__malloc((size_t)V * sizeof(int64_t));
    out->ids = (int32_t **)tfm__calloc((size_t)rows, sizeof(int32_t *));
    out->lens = (int64_t *)tfm__calloc((size_t)rows, sizeof(int64_t));
    out->prompt_lens = (int64_t *)tfm__calloc((size_t)rows, sizeof(int64_t));
    if (!grid || !mask || !next || !done || !rng || !logits || !work || !idx || !tmp || !out->ids || !out->lens || !out->prompt_lens) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_generate: out of memory");
        goto fail;
    }
    out->n = rows;
    /* left-padded prompts, each repeated num_return_sequences times */
    for (i = 0; i < rows; i++) {
        int64_t src = i / nret, padn = P - lens[src];
        for (t = 0; t < P; t++) {
            grid[i * max_total + t] = t < padn ? g.pad : prompts[src][t - padn];
            mask[i * P + t] = t >= padn;
        }
        rng[i] = (o ? o->seed : 0) * 0x100000001b3ull + (uint64_t)i;
        out->prompt_lens[i] = lens[src];
    }
    if ((st = tfm_kv_cache_create(m, rows, max_total, &c)) != TFM_OK) goto fail;
    if (o && o->stream && tok && (st = tfm_decode_stream_create(tok, 1, &ds)) != TFM_OK) goto fail;
    {
        int32_t *pids = (int32_t *)tfm__malloc((size_t)(rows * P) * sizeof(int32_t));
        if (!pids) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            goto fail;
        }
        for (i = 0; i < rows; i++) memcpy(pids + i * P, grid + i * max_total, (size_t)P * sizeof(int32_t));
        st = tfm_model_decode(m, ctx, c, pids, mask, P, 0, logits);
        TFM_FREE(pids);
        if (st != TFM_OK) goto fail;
    }
    for (step = 0; P + step < max_total && !stop; step++) {
        int all_done = 1, streaming = ds && !done[0];
        for (i = 0; i < rows; i++) {
            int32_t tokid;
            if (done[i]) {
                next[i] = g.pad;
                continue;
            }
            memset(work, 0, (size_t)V * sizeof(float));
            tokid = tfm__gen_pick(&g, logits + i * V, V, grid + i * max_total + (P - out->prompt_lens[i]),
                                  out->prompt_lens[i] + step, step, &rng[i], work, idx, tmp);
            next[i] = tokid;
            grid[i * max_total + P + step] = tokid;
            out->lens[i] = step + 1;
            if (tfm__is_eos(&g, tokid)) done[i] = 1;
        }
        if (streaming) { /* the first row's text, as soon as it is whole UTF-8 */
            char *piece = NULL;
            size_t plen = 0;
            if (tfm_decode_stream_step(ds, next[0], &piece, &plen) == TFM_OK && piece) {
                tfm__buf_append(&streamed, piece, plen);
                if (o->stream(o->stream_user, piece, plen)) stop = 1;
                tfm_free(piece);
            }
        }
        if (o && o->stop_strings && o->n_stop_strings > 0 && tok)
            for (i = 0; i < rows; i++) {
                char *text = NULL;
                size_t tl = 0;
                int64_t s2;
                if (done[i]) continue;
                if (tfm_tokenizer_decode(tok, grid + i * max_total + P, out->lens[i], 0, &text, &tl) == TFM_OK) {
                    for (s2 = 0; s2 < o->n_stop_strings; s2++) {
                        const char *ss = o->stop_strings[s2];
                        size_t sl = ss ? strlen(ss) : 0;
                        if (sl && tl >= sl && memcmp(text + tl - sl, ss, sl) == 0) done[i] = 1;
                    }
                }
                tfm_free(text);
            }
        for (i = 0; i < rows; i++) all_done &= done[i];
        if (all_done || P + step + 1 >= max_total || stop) break;
        if ((st = tfm_model_decode(m, ctx, c, next, NULL, 1, 0, logits)) != TFM_OK) goto fail;
    }
    if (ds && !stop) { /* bytes the stream still holds (an incomplete character at the end) */
        char *text = NULL;
        size_t tl = 0;
        if (tfm_tokenizer_decode(tok, grid + P, out->lens[0], 1, &text, &tl) == TFM_OK && tl > streamed.len &&
            (streamed.len == 0 || memcmp(text, streamed.data, streamed.len) == 0))
            o->stream(o->stream_user, text + streamed.len, tl - streamed.len);
        tfm_free(text);
    }
    for (i = 0; i < rows; i++) {
        int64_t L = out->prompt_lens[i] + out->lens[i];
        out->ids[i] = (int32_t *)tfm__malloc((size_t)(L > 0 ? L : 1) * sizeof(int32_t));
        if (!out->ids[i]) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            goto fail;
        }
        memcpy(out->ids[i], grid + i * max_total + (P - out->prompt_lens[i]), (size_t)L * sizeof(int32_t));
        out->lens[i] = L;
    }
    goto done_ok;
fail:
    tfm_generation_result_free(out);
done_ok:
    TFM_FREE(streamed.data);
    tfm_decode_stream_free(ds);
    tfm_kv_cache_free(c);
    TFM_FREE(grid);
    TFM_FREE(mask);
    TFM_FREE(next);
    TFM_FREE(done);
    TFM_FREE(rng);
    TFM_FREE(logits);
    TFM_FREE(work);
    TFM_FREE(idx);
    TFM_FREE(tmp);
    return st;
}

/* =============================================================================================
   [SECTION 16] vision models: ViT, DeiT, ConvNeXt, CLIP (vision and text towers)
   Owns the vision side of tfm_model: patch embeddings, the pre-LayerNorm transformer encoder
   that ViT, DeiT and both CLIP towers share (bidirectional, or causal with padding for CLIP's
   text), ConvNeXt's channels-last stages, and the heads (classifier, DeiT's averaged
   distillation head, pooler, CLIP projections). Activations are kept [rows, channels]
   (ConvNeXt: pixels x channels) so that every pointwise layer is one tfm_linear call.
   ============================================================================================= */

enum { TFM__VIS_VIT = 1, TFM__VIS_DEIT, TFM__VIS_CONVNEXT, TFM__VIS_CLIP, TFM__VIS_CLIP_VISION, TFM__VIS_CLIP_TEXT };

typedef struct tfm__cnx_block {
    float *dw_w; /* [7, 7, C]: taps outermost so the channel loop is contiguous */
    float *dw_b, *gamma;
    int64_t k;   /* depthwise kernel size */
    tfm__norm ln;
    tfm__lin up, down;
} tfm__cnx_block;

static int tfm__vision_kind(const char *t) {
    if (!strcmp(t, "vit")) return TFM__VIS_VIT;
    if (!strcmp(t, "deit")) return TFM__VIS_DEIT;
    if (!strcmp(t, "convnext")) return TFM__VIS_CONVNEXT;
    if (!strcmp(t, "clip")) return TFM__VIS_CLIP;
    if (!strcmp(t, "clip_vision_model")) return TFM__VIS_CLIP_VISION;
    if (!strcmp(t, "clip_text_model")) return TFM__VIS_CLIP_TEXT;
    return 0;
}

static int64_t tfm__jint(const tfm_json *o, const char *k, int64_t d) { return tfm_json_int(tfm_json_get(o, k), d); }
static double tfm__jnum(const tfm_json *o, const char *k, double d) { return tfm_json_num(tfm_json_get(o, k), d); }
static const char *tfm__jstr(const tfm_json *o, const char *k, const char *d) { return tfm_json_str_or(tfm_json_get(o, k), d); }

/* Transformer shape of a ViT-like encoder from a config object (the file's root, or CLIP's
   vision_config / text_config). */
static tfm_status tfm__vis_shape(tfm_model *m, const tfm_json *c, int clip) {
    const char *act = tfm__jstr(c, "hidden_act", clip ? "quick_gelu" : "gelu");
    m->hidden = tfm__jint(c, "hidden_size", clip ? 768 : 768);
    m->n_layers = tfm__jint(c, "num_hidden_layers", 12);
    m->n_heads = tfm__jint(c, "num_attention_heads", 12);
    m->inter = tfm__jint(c, "intermediate_size", 3072);
    m->eps = (float)tfm__jnum(c, "layer_norm_eps", clip ? 1e-5 : 1e-12);
    m->image_size = tfm__jint(c, "image_size", 224);
    m->patch = tfm__jint(c, "patch_size", clip ? 32 : 16);
    m->channels = tfm__jint(c, "num_channels", 3);
    if (tfm_act_from_name(act, &m->act) != TFM_OK)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: hidden_act \"%s\" is not supported", act);
    if (m->hidden <= 0 || m->n_layers <= 0 || m->n_heads <= 0 || m->hidden % m->n_heads || m->inter <= 0 ||
        m->hidden > 65536 || m->inter > 1 << 20 || m->n_layers > 1000 || m->channels <= 0 || m->channels > 64)
        return tfm__fail(TFM_ERR_FORMAT, "config.json: inconsistent encoder sizes (hidden %lld, heads %lld, layers %lld)",
                         (long long)m->hidden, (long long)m->n_heads, (long long)m->n_layers);
    m->head_dim = m->hidden / m->n_heads;
    m->emb_dim = m->hidden;
    return TFM_OK;
}

/* Pre-LayerNorm layers under ViT's names (clip == 0) or CLIP's. */
static tfm_status tfm__vis_layers(tfm_model *m, int clip) {
    int64_t l, H = m->hidden, I = m->inter;
    tfm_status st;
    m->layers = (tfm__elayer *)tfm__model_keep(m, tfm__calloc((size_t)m->n_layers, sizeof(tfm__elayer)));
    if (!m->layers) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (l = 0; l < m->n_layers; l++) {
        tfm__elayer *L = &m->layers[l];
        char b[160];
#define TFM__VL(field, vit, cl, o, i, bias)                                                                            \
    snprintf(b, sizeof b, clip ? "encoder.layers.%lld." cl : "encoder.layer.%lld." vit, (long long)l);                 \
    if ((st = tfm__mlin(m, b, o, i, bias, 1, &L->field)) != TFM_OK) return st;
        TFM__VL(q, "attention.attention.query", "self_attn.q_proj", H, H, clip)
        TFM__VL(k, "attention.attention.key", "self_attn.k_proj", H, H, clip)
        TFM__VL(v, "attention.attention.value", "self_attn.v_proj", H, H, clip)
        TFM__VL(o, "attention.output.dense", "self_attn.out_proj", H, H, 1)
        TFM__VL(up, "intermediate.dense", "mlp.fc1", I, H, 1)
        TFM__VL(down, "output.dense", "mlp.fc2", H, I, 1)
#undef TFM__VL
        snprintf(b, sizeof b, clip ? "encoder.layers.%lld.layer_norm1" : "encoder.layer.%lld.layernorm_before", (long long)l);
        if ((st = tfm__mnorm(m, b, H, &L->ln_attn)) != TFM_OK) return st;
        snprintf(b, sizeof b, clip ? "encoder.layers.%lld.layer_norm2" : "encoder.layer.%lld.layernorm_after", (long long)l);
        if ((st = tfm__mnorm(m, b, H, &L->ln_out)) != TFM_OK) return st;
    }
    return TFM_OK;
}

/* A [1, n, H] or [n, H] token table as a [n, H] view. */
static tfm_status tfm__vis_table(tfm_model *m, const char *name, int64_t n, int64_t H, tfm_tensor *t) {
    tfm_status st = tfm__mt(m, name, t, 1);
    if (st != TFM_OK) return st;
    if (t->numel != n * H || (t->dtype != TFM_F32 && t->dtype != TFM_F16 && t->dtype != TFM_BF16))
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should hold [%lld, %lld] floats", m->prefix, name, (long long)n,
                         (long long)H);
    t->ndim = 2;
    t->shape[0] = n;
    t->shape[1] = H;
    return TFM_OK;
}

static tfm_status tfm__vis_patch_conv(tfm_model *m, const char *name, int need_bias) {
    char b[160];
    tfm_status st;
    int64_t H = m->hidden, C = m->channels, p = m->patch;
    snprintf(b, sizeof b, "%s.weight", name);
    if ((st = tfm__mt(m, b, &m->patch_w, 1)) != TFM_OK) return st;
    if (m->patch_w.ndim != 4 || m->patch_w.shape[0] != H || m->patch_w.shape[1] != C || m->patch_w.shape[2] != p ||
        m->patch_w.shape[3] != p)
        return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should be [%lld, %lld, %lld, %lld]", m->prefix, b, (long long)H,
                         (long long)C, (long long)p, (long long)p);
    snprintf(b, sizeof b, "%s.bias", name);
    return tfm__mvec(m, b, H, &m->patch_b, need_bias);
}

/* ViT / DeiT / CLIP vision tower: patch embedding, class (and distillation) tokens, positions. */
static tfm_status tfm__vis_embeddings(tfm_model *m, int clip) {
    int64_t H = m->hidden, grid;
    tfm_status st;
    tfm_tensor t;
    if (m->image_size <= 0 || m->patch <= 0 || m->image_size % m->patch || m->image_size > 16384)
        return tfm__fail(TFM_ERR_FORMAT, "config.json: image_size %lld is not a multiple of patch_size %lld",
                         (long long)m->image_size, (long long)m->patch);
    grid = m->image_size / m->patch;
    m->n_tokens = grid * grid + 1 + (m->vis_kind == TFM__VIS_DEIT);
    if ((st = tfm__vis_patch_conv(m, clip ? "embeddings.patch_embedding" : "embeddings.patch_embeddings.projection",
                                  !clip)) != TFM_OK)
        return st;
    if ((st = tfm__mvec(m, clip ? "embeddings.class_embedding" : "embeddings.cls_token", H, &m->cls_tok, 1)) != TFM_OK)
        return st;
    if (m->vis_kind == TFM__VIS_DEIT &&
        (st = tfm__mvec(m, "embeddings.distillation_token", H, &m->dist_tok, 1)) != TFM_OK)
        return st;
    if ((st = tfm__vis_table(m, clip ? "embeddings.position_embedding.weight" : "embeddings.position_embeddings",
                             m->n_tokens, H, &m->vis_pos)) != TFM_OK)
        return st;
    memset(&t, 0, sizeof t);
    if (clip) {
        if ((st = tfm__mnorm(m, "pre_layrnorm", H, &m->pre_ln)) != TFM_OK) return st;
        return tfm__mnorm(m, "post_layernorm", H, &m->post_ln);
    }
    return tfm__mnorm(m, "layernorm", H, &m->post_ln);
}

/* CLIP text tower: token and position tables, final LayerNorm. */
static tfm_status tfm__clip_text_load(tfm_model *m, const tfm_json *c) {
    tfm_status st;
    if ((st = tfm__vis_shape(m, c, 1)) != TFM_OK) return st;
    m->vocab = tfm__jint(c, "vocab_size", 49408);
    m->max_pos = tfm__jint(c, "max_position_embeddings", 77);
    m->eos_id = tfm__jint(c, "eos_token_id", 49407);
    if (m->vocab <= 0 || m->max_pos <= 0 || m->max_pos > 1 << 20)
        return tfm__fail(TFM_ERR_FORMAT, "config.json: bad CLIP text sizes");
    if ((st = tfm__memb(m, "embeddings.token_embedding.weight", m->vocab, m->hidden, &m->word, 1)) != TFM_OK) return st;
    if ((st = tfm__memb(m, "embeddings.position_embedding.weight", m->max_pos, m->hidden, &m->pos, 1)) != TFM_OK)
        return st;
    if ((st = tfm__vis_layers(m, 1)) != TFM_OK) return st;
    return tfm__mnorm(m, "final_layer_norm", m->hidden, &m->post_ln);
}

static tfm_status tfm__clip_vision_load(tfm_model *m, const tfm_json *c) {
    tfm_status st;
    if ((st = tfm__vis_shape(m, c, 1)) != TFM_OK) return st;
    if ((st = tfm__vis_embeddings(m, 1)) != TFM_OK) return st;
    return tfm__vis_layers(m, 1);
}

static tfm_status tfm__convnext_load(tfm_model *m) {
    const tfm_json *c = tfm_config_json(m->cfg), *hs = tfm_json_get(c, "hidden_sizes"), *ds = tfm_json_get(c, "depths");
    int64_t s, j, n_blocks = 0, bi = 0, prev;
    const char *act = tfm__jstr(c, "hidden_act", "gelu");
    tfm_status st;
    char b[200];
    m->n_stages = (int64_t)tfm_json_len(hs);
    m->channels = tfm__jint(c, "num_channels", 3);
    m->patch = tfm__jint(c, "patch_size", 4);
    m->eps = (float)tfm__jnum(c, "layer_norm_eps", 1e-12);
    if (tfm_act_from_name(act, &m->act) != TFM_OK)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: hidden_act \"%s\" is not supported", act);
    if (m->n_stages <= 0 || m->n_stages > 16 || (int64_t)tfm_json_len(ds) != m->n_stages || m->patch <= 0 ||
        m->patch > 64 || m->channels <= 0 || m->channels > 64)
        return tfm__fail(TFM_ERR_FORMAT, "config.json: ConvNeXt needs hidden_sizes and depths of the same length");
    m->depths = (int64_t *)tfm__model_keep(m, tfm__calloc((size_t)m->n_stages, sizeof(int64_t)));
    m->dims = (int64_t *)tfm__model_keep(m, tfm__calloc((size_t)m->n_stages, sizeof(int64_t)));
    m->down_ln = (tfm__norm *)tfm__model_keep(m, tfm__calloc((size_t)m->n_stages, sizeof(tfm__norm)));
    m->down = (tfm__lin *)tfm__model_keep(m, tfm__calloc((size_t)m->n_stages, sizeof(tfm__lin)));
    if (!m->depths || !m->dims || !m->down_ln || !m->down) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (s = 0; s < m->n_stages; s++) {
        m->dims[s] = tfm_json_int(tfm_json_at(hs, (size_t)s), 0);
        m->depths[s] = tfm_json_int(tfm_json_at(ds, (size_t)s), -1);
        if (m->dims[s] <= 0 || m->dims[s] > 65536 || m->depths[s] < 0 || m->depths[s] > 1000)
            return tfm__fail(TFM_ERR_FORMAT, "config.json: bad ConvNeXt stage %lld", (long long)s);
        n_blocks += m->depths[s];
    }
    m->hidden = m->dims[m->n_stages - 1];
    m->blocks = (tfm__cnx_block *)tfm__model_keep(m, tfm__calloc((size_t)n_blocks + 1, sizeof(tfm__cnx_block)));
    if (!m->blocks) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    /* stem: a patch_size x patch_size convolution with stride patch_size, as a linear layer */
    if ((st = tfm__mt(m, "embeddings.patch_embeddings.weight", &m->patch_w, 1)) != TFM_OK) return st;
    if (m->patch_w.ndim != 4 || m->patch_w.shape[0] != m->dims[0] || m->patch_w.shape[1] != m->channels ||
        m->patch_w.shape[2] != m->patch || m->patch_w.shape[3] != m->patch)
        return tfm__fail(TFM_ERR_SHAPE, "ConvNeXt patch embedding has the wrong shape");
    if ((st = tfm__mvec(m, "embeddings.patch_embeddings.bias", m->dims[0], &m->patch_b, 1)) != TFM_OK) return st;
    if ((st = tfm__mnorm(m, "embeddings.layernorm", m->dims[0], &m->pre_ln)) != TFM_OK) return st;
    prev = m->dims[0];
    for (s = 0; s < m->n_stages; s++) {
        int64_t C = m->dims[s];
        if (s > 0) { /* LayerNorm then a 2x2 stride-2 convolution */
            snprintf(b, sizeof b, "encoder.stages.%lld.downsampling_layer.0", (long long)s);
            if ((st = tfm__mnorm(m, b, prev, &m->down_ln[s])) != TFM_OK) return st;
            snprintf(b, sizeof b, "encoder.stages.%lld.downsampling_layer.1.weight", (long long)s);
            if ((st = tfm__mt(m, b, &m->down[s].w, 1)) != TFM_OK) return st;
            if (m->down[s].w.ndim != 4 || m->down[s].w.shape[0] != C || m->down[s].w.shape[1] != prev ||
                m->down[s].w.shape[2] != 2 || m->down[s].w.shape[3] != 2)
                return tfm__fail(TFM_ERR_SHAPE, "ConvNeXt downsampling of stage %lld has the wrong shape", (long long)s);
            m->down[s].w.ndim = 2;
            m->down[s].w.shape[1] = prev * 4;
            snprintf(b, sizeof b, "encoder.stages.%lld.downsampling_layer.1.bias", (long long)s);
            if ((st = tfm__mvec(m, b, C, &m->down[s].b, 1)) != TFM_OK) return st;
        } else if (prev != C)
            return tfm__fail(TFM_ERR_UNSUPPORTED, "ConvNeXt: first stage changes the width");
        for (j = 0; j < m->depths[s]; j++, bi++) {
            tfm__cnx_block *B = &m->blocks[bi];
            tfm_tensor dw;
            int64_t k, c;
            float *tmp;
            snprintf(b, sizeof b, "encoder.stages.%lld.layers.%lld.dwconv.weight", (long long)s, (long long)j);
            if ((st = tfm__mt(m, b, &dw, 1)) != TFM_OK) return st;
            k = dw.ndim == 4 ? dw.shape[2] : 0;
            if (dw.ndim != 4 || dw.shape[0] != C || dw.shape[1] != 1 || k <= 0 || k > 31 || dw.shape[3] != k || !(k & 1))
                return tfm__fail(TFM_ERR_SHAPE, "tensor '%s%s' should be [%lld, 1, k, k] with odd k", m->prefix, b,
                                 (long long)C);
            B->k = k;
            tmp = (float *)tfm__malloc((size_t)(C * k * k) * sizeof(float));
            B->dw_w = (float *)tfm__model_keep(m, tfm__malloc((size_t)(C * k * k) * sizeof(float)));
            if (!tmp || !B->dw_w) {
                TFM_FREE(tmp);
                return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            }
            if ((st = tfm_convert_to_f32(dw.dtype, dw.data, tmp, (size_t)(C * k * k))) != TFM_OK) {
                TFM_FREE(tmp);
                return st;
            }
            for (c = 0; c < C; c++)
                for (k = 0; k < B->k * B->k; k++) B->dw_w[k * C + c] = tmp[c * B->k * B->k + k];
            TFM_FREE(tmp);
#define TFM__CB(fmt) snprintf(b, sizeof b, "encoder.stages.%lld.layers.%lld." fmt, (long long)s, (long long)j)
            TFM__CB("dwconv.bias");
            if ((st = tfm__mvec(m, b, C, &B->dw_b, 1)) != TFM_OK) return st;
            TFM__CB("layernorm");
            if ((st = tfm__mnorm(m, b, C, &B->ln)) != TFM_OK) return st;
            TFM__CB("pwconv1");
            if ((st = tfm__mlin(m, b, 4 * C, C, 1, 1, &B->up)) != TFM_OK) return st;
            TFM__CB("pwconv2");
            if ((st = tfm__mlin(m, b, C, 4 * C, 1, 1, &B->down)) != TFM_OK) return st;
            TFM__CB("layer_scale_parameter");
            if ((st = tfm__mvec(m, b, C, &B->gamma, 0)) != TFM_OK) return st;
#undef TFM__CB
        }
        prev = C;
    }
    return tfm__mnorm(m, "layernorm", m->hidden, &m->post_ln);
}

/* Heads of ViT / DeiT / ConvNeXt checkpoints; the pooler of base ones. */
static tfm_status tfm__vis_heads(tfm_model *m) {
    const tfm_json *c = tfm_config_json(m->cfg);
    tfm_status st;
    int64_t H = m->hidden;
    if (m->head == TFM_HEAD_BASE) {
        if (m->vis_kind == TFM__VIS_CONVNEXT) return TFM_OK;
        m->pooler_dim = tfm__jint(c, "pooler_output_size", H);
        if (tfm_act_from_name(tfm__jstr(c, "pooler_act", "tanh"), &m->pooler_act) != TFM_OK)
            return tfm__fail(TFM_ERR_UNSUPPORTED, "config.json: pooler_act is not supported");
        return tfm__mlin(m, "pooler.dense", m->pooler_dim, H, 1, 0, &m->pooler);
    }
    if (m->head != TFM_HEAD_SEQUENCE_CLASSIFICATION)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "%s: only image classification heads", m->model_type);
    if ((st = tfm__model_labels(m)) != TFM_OK) return st;
    m->prefix[0] = 0; /* heads sit at the root */
    if (m->vis_kind == TFM__VIS_DEIT && tfm_weights_find(m->w, "cls_classifier.weight")) {
        if ((st = tfm__mlin(m, "cls_classifier", m->num_labels, H, 1, 1, &m->cls_out)) != TFM_OK) return st;
        return tfm__mlin(m, "distillation_classifier", m->num_labels, H, 1, 1, &m->dist_head);
    }
    tfm_clear_error();
    return tfm__mlin(m, "classifier", m->num_labels, H, 1, 1, &m->cls_out);
}

static tfm_status tfm__tower_new(tfm_model *parent, const char *prefix, tfm_model **out) {
    tfm_model *t = (tfm_model *)tfm__calloc(1, sizeof *t);
    if (!t) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    t->is_tower = 1;
    t->cfg = parent->cfg;
    t->w = parent->w;
    t->model_type = parent->model_type;
    t->arch = parent->arch;
    t->head = TFM_HEAD_BASE;
    snprintf(t->prefix, sizeof t->prefix, "%s", prefix);
    *out = t;
    return TFM_OK;
}

/* Loads a vision or CLIP checkpoint into m (config and weights already open). */
static tfm_status tfm__vision_load(tfm_model *m, tfm_head head) {
    const tfm_json *root = tfm_config_json(m->cfg);
    tfm_status st;
    const char *pfx;
    if (m->vis_kind == TFM__VIS_CLIP || m->vis_kind == TFM__VIS_CLIP_TEXT || m->vis_kind == TFM__VIS_CLIP_VISION) {
        const tfm_json *tc = m->vis_kind == TFM__VIS_CLIP ? tfm_json_get(root, "text_config") : root;
        const tfm_json *vc = m->vis_kind == TFM__VIS_CLIP ? tfm_json_get(root, "vision_config") : root;
        if (head != TFM_HEAD_AUTO && head != TFM_HEAD_BASE)
            return tfm__fail(TFM_ERR_UNSUPPORTED, "%s: only the base model (TFM_HEAD_BASE)", m->model_type);
        m->head = TFM_HEAD_BASE;
        if (m->vis_kind != TFM__VIS_CLIP_VISION) {
            if ((st = tfm__tower_new(m, "text_model.", &m->text_tower)) != TFM_OK) return st;
            m->text_tower->vis_kind = TFM__VIS_CLIP_TEXT;
            if ((st = tfm__clip_text_load(m->text_tower, tc)) != TFM_OK) return st;
        }
        if (m->vis_kind != TFM__VIS_CLIP_TEXT) {
            if ((st = tfm__tower_new(m, "vision_model.", &m->vision_tower)) != TFM_OK) return st;
            m->vision_tower->vis_kind = TFM__VIS_CLIP_VISION;
            if ((st = tfm__clip_vision_load(m->vision_tower, vc)) != TFM_OK) return st;
        }
        if (m->vis_kind == TFM__VIS_CLIP) {
            int64_t P = tfm_config_int(m->cfg, "projection_dim", 512);
            const tfm_tensor_info *ls = tfm_weights_find(m->w, "logit_scale");
            float v = 0;
            if ((st = tfm__mlin(m, "visual_projection", P, m->vision_tower->hidden, 0, 1, &m->vis_proj)) != TFM_OK) return st;
            if ((st = tfm__mlin(m, "text_projection", P, m->text_tower->hidden, 0, 1, &m->text_proj)) != TFM_OK) return st;
            if (!ls || ls->numel != 1) return tfm__fail(TFM_ERR_NOT_FOUND, "CLIP weights have no scalar 'logit_scale'");
            if ((st = tfm_weights_read_f32(m->w, ls, &v, 1)) != TFM_OK) return st;
            m->logit_scale = expf(v);
        }
        /* the model's own sizes are those of the tower that answers tfm_model_forward_image */
        if (m->vision_tower) {
            m->hidden = m->vision_tower->hidden;
            m->image_size = m->vision_tower->image_size;
            m->channels = m->vision_tower->channels;
        } else
            m->hidden = m->text_tower->hidden;
        if (m->text_tower) {
            m->vocab = m->text_tower->vocab;
            m->max_pos = m->text_tower->max_pos;
        }
        return TFM_OK;
    }
    m->head = head == TFM_HEAD_AUTO ? tfm__head_from_architectures(m->cfg) : head;
    pfx = m->vis_kind == TFM__VIS_VIT ? "vit." : m->vis_kind == TFM__VIS_DEIT ? "deit." : "convnext.";
    {
        char probe[96];
        snprintf(probe, sizeof probe, "%sembeddings.patch_embeddings.%s", pfx,
                 m->vis_kind == TFM__VIS_CONVNEXT ? "weight" : "projection.weight");
        if (tfm_weights_find(m->w, probe)) snprintf(m->prefix, sizeof m->prefix, "%s", pfx);
        tfm_clear_error();
    }
    if (m->vis_kind == TFM__VIS_CONVNEXT) {
        if ((st = tfm__convnext_load(m)) != TFM_OK) return st;
    } else {
        if ((st = tfm__vis_shape(m, root, 0)) != TFM_OK) return st;
        if ((st = tfm__vis_embeddings(m, 0)) != TFM_OK) return st;
        if ((st = tfm__vis_layers(m, 0)) != TFM_OK) return st;
    }
    return tfm__vis_heads(m);
}

/* ---- forward ---- */

typedef struct tfm__vattn_job {
    const tfm_model *m;
    tfm_isa isa;
    int64_t S;
    int causal;
    const float *q, *k, *v;
    const int32_t *mask; /* [B, S] or NULL */
    float *out, *scratch;
} tfm__vattn_job;

static void tfm__vattn_task(void *arg, int64_t task, int thread_index) {
    tfm__vattn_job *j = (tfm__vattn_job *)arg;
    const tfm_model *m = j->m;
    int64_t S = j->S, H = m->hidden, D = m->head_dim, b = task / m->n_heads, h = task % m->n_heads, i, c;
    const int32_t *mask = j->mask ? j->mask + b * S : NULL;
    float *sc = j->scratch + (size_t)thread_index * (size_t)(S * S);
    tfm_ctx one;
    memset(&one, 0, sizeof one);
    one.isa = j->isa;
    tfm_gemm(&one, 1, S, S, D, 1.0f / sqrtf((float)D), j->q + b * S * H + h * D, H, TFM_F32, j->k + b * S * H + h * D,
             H, 0.0f, sc, S);
    for (i = 0; i < S; i++) {
        float *row = sc + i * S;
        for (c = 0; c < S; c++)
            if ((mask && !mask[c]) || (j->causal && c > i)) row[c] = -INFINITY;
        tfm__softmax_isa(j->isa, row, NULL, S, 1.0f, row);
    }
    tfm_gemm(&one, 0, S, D, S, 1.0f, sc, S, TFM_F32, j->v + b * S * H + h * D, H, 0.0f, j->out + b * S * H + h * D, H);
}

/* x [B*S, H] through the pre-LayerNorm layers, in place. */
static tfm_status tfm__prenorm_encoder(const tfm_model *m, const tfm_ctx *ctx, float *x, int64_t B, int64_t S,
                                       const int32_t *mask, int causal) {
    int64_t N = B * S, H = m->hidden, I = m->inter, l, threads = tfm_pool_threads(ctx->pool);
    float *buf, *h, *q, *k, *v, *att, *ff;
    tfm_status st = TFM_OK;
    buf = (float *)tfm__aligned_alloc((size_t)(N * H * 5 + N * I + S * S * (threads + 1)) * sizeof(float));
    if (!buf) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for %lld tokens", (long long)N);
    h = buf;
    q = h + N * H;
    k = q + N * H;
    v = k + N * H;
    att = v + N * H;
    ff = att + N * H;
    for (l = 0; l < m->n_layers && st == TFM_OK; l++) {
        const tfm__elayer *L = &m->layers[l];
        tfm__vattn_job job;
        tfm_layer_norm(ctx, x, N, H, L->ln_attn.g, L->ln_attn.b, m->eps, h);
        if ((st = tfm__lin_run(ctx, &L->q, h, N, q)) != TFM_OK) break;
        if ((st = tfm__lin_run(ctx, &L->k, h, N, k)) != TFM_OK) break;
        if ((st = tfm__lin_run(ctx, &L->v, h, N, v)) != TFM_OK) break;
        memset(&job, 0, sizeof job);
        job.m = m;
        job.isa = tfm__ctx_isa(ctx);
        job.S = S;
        job.causal = causal;
        job.q = q;
        job.k = k;
        job.v = v;
        job.mask = mask;
        job.out = att;
        job.scratch = ff + N * I;
        tfm_pool_for(ctx->pool, B * m->n_heads, tfm__vattn_task, &job);
        if ((st = tfm__lin_run(ctx, &L->o, att, N, h)) != TFM_OK) break;
        tfm_add(x, h, N * H, x);
        tfm_layer_norm(ctx, x, N, H, L->ln_out.g, L->ln_out.b, m->eps, h);
        if ((st = tfm__lin_run(ctx, &L->up, h, N, ff)) != TFM_OK) break;
        tfm_activation(ctx, m->act, ff, N * I, ff);
        if ((st = tfm__lin_run(ctx, &L->down, ff, N, h)) != TFM_OK) break;
        tfm_add(x, h, N * H, x);
    }
    tfm__aligned_free(buf);
    return st;
}

/* Non-overlapping k x k patches of one image, element (c, y, x) at src[c*cs + y*ys + x*xs], into
   rows of C*k*k in PyTorch's weight order (c, ky, kx); gh x gw patches, the remainder dropped as a
   stride-k convolution does. */
static void tfm__patchify(const float *src, int64_t C, int64_t cs, int64_t ys, int64_t xs, int64_t k, int64_t gh,
                          int64_t gw, float *dst) {
    int64_t py, px, c, ky, kx;
    for (py = 0; py < gh; py++)
        for (px = 0; px < gw; px++) {
            float *row = dst + (py * gw + px) * C * k * k;
            for (c = 0; c < C; c++)
                for (ky = 0; ky < k; ky++)
                    for (kx = 0; kx < k; kx++)
                        *row++ = src[c * cs + (py * k + ky) * ys + (px * k + kx) * xs];
        }
}

static tfm_status tfm__linear_rows(const tfm_ctx *ctx, const tfm_tensor *w4, const float *bias, const float *x,
                                   int64_t rows, float *y) {
    tfm_tensor w = *w4;
    w.ndim = 2;
    w.shape[1] = w4->numel / w4->shape[0];
    return tfm_linear(ctx, x, rows, w.shape[1], &w, bias, y);
}

static tfm_status tfm__out_alloc(float **p, int64_t n) {
    *p = (float *)tfm__aligned_alloc((size_t)(n > 0 ? n : 1) * sizeof(float));
    return *p ? TFM_OK : tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for outputs");
}

/* ViT / DeiT / CLIP vision: fills hidden_states (and pooled for CLIP / a pooler). */
static tfm_status tfm__vit_forward(const tfm_model *m, const tfm_ctx *ctx, const float *px, int64_t B,
                                   tfm_model_output *out) {
    int64_t H = m->hidden, C = m->channels, p = m->patch, g = m->image_size / p, np = g * g, S = m->n_tokens,
            first = S - np, b;
    float *x = NULL, *patches = NULL, *emb = NULL;
    tfm_status st;
    x = (float *)tfm__aligned_alloc((size_t)(B * S * H) * sizeof(float));
    patches = (float *)tfm__aligned_alloc((size_t)(B * np * C * p * p) * sizeof(float));
    emb = (float *)tfm__aligned_alloc((size_t)(B * np * H + S * H) * sizeof(float));
    if (!x || !patches || !emb) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for %lld images", (long long)B);
        goto done;
    }
    for (b = 0; b < B; b++)
        tfm__patchify(px + b * C * m->image_size * m->image_size, C, m->image_size * m->image_size, m->image_size, 1, p,
                      g, g, patches + b * np * C * p * p);
    if ((st = tfm__linear_rows(ctx, &m->patch_w, m->patch_b, patches, B * np, emb)) != TFM_OK) goto done;
    {
        float *pos = emb + B * np * H;
        if ((st = tfm_convert_to_f32(m->vis_pos.dtype, m->vis_pos.data, pos, (size_t)(S * H))) != TFM_OK) goto done;
        for (b = 0; b < B; b++) {
            float *xb = x + b * S * H;
            memcpy(xb, m->cls_tok, (size_t)H * sizeof(float));
            if (m->dist_tok) memcpy(xb + H, m->dist_tok, (size_t)H * sizeof(float));
            memcpy(xb + first * H, emb + b * np * H, (size_t)(np * H) * sizeof(float));
            tfm_add(xb, pos, S * H, xb);
        }
    }
    if (m->pre_ln.g) tfm_layer_norm(ctx, x, B * S, H, m->pre_ln.g, m->pre_ln.b, m->eps, x);
    if ((st = tfm__prenorm_encoder(m, ctx, x, B, S, NULL, 0)) != TFM_OK) goto done;
    out->batch = B;
    out->seq = S;
    out->hidden = H;
    if (m->vis_kind == TFM__VIS_CLIP_VISION) { /* pooled: post_layernorm of the class token */
        if ((st = tfm__out_alloc(&out->pooled, B * H)) != TFM_OK) goto done;
        for (b = 0; b < B; b++) memcpy(out->pooled + b * H, x + b * S * H, (size_t)H * sizeof(float));
        tfm_layer_norm(ctx, out->pooled, B, H, m->post_ln.g, m->post_ln.b, m->eps, out->pooled);
    } else
        tfm_layer_norm(ctx, x, B * S, H, m->post_ln.g, m->post_ln.b, m->eps, x);
    out->hidden_states = x;
    x = NULL;
done:
    tfm__aligned_free(x);
    tfm__aligned_free(patches);
    tfm__aligned_free(emb);
    return st;
}

typedef struct tfm__dw_job {
    const float *x, *w, *bias;
    float *y;
    int64_t h, w_, C, k;
} tfm__dw_job;

/* One output row of a depthwise k x k convolution (zero padding k/2) over channels-last pixels. */
static void tfm__dw_task(void *arg, int64_t oy, int thread_index) {
    const tfm__dw_job *j = (const tfm__dw_job *)arg;
    int64_t C = j->C, k = j->k, r = k / 2, ox, ky, kx, c;
    TFM__UNUSED(thread_index);
    for (ox = 0; ox < j->w_; ox++) {
        float *o = j->y + (oy * j->w_ + ox) * C;
        for (c = 0; c < C; c++) o[c] = j->bias[c];
        for (ky = 0; ky < k; ky++) {
            int64_t iy = oy + ky - r;
            if (iy < 0 || iy >= j->h) continue;
            for (kx = 0; kx < k; kx++) {
                int64_t ix = ox + kx - r;
                const float *xi, *wi;
                if (ix < 0 || ix >= j->w_) continue;
                xi = j->x + (iy * j->w_ + ix) * C;
                wi = j->w + (ky * k + kx) * C;
                for (c = 0; c < C; c++) o[c] += xi[c] * wi[c];
            }
        }
    }
}

static tfm_status tfm__convnext_forward(const tfm_model *m, const tfm_ctx *ctx, const float *px, int64_t B,
                                        int64_t height, int64_t width, tfm_model_output *out) {
    int64_t C0 = m->dims[0], p = m->patch, gh = height / p, gw = width / p, s, j, bi = 0, b, i, c, maxc = 0;
    float *x = NULL, *y = NULL, *t = NULL, *ff = NULL;
    tfm_status st = TFM_OK;
    if (gh <= 0 || gw <= 0)
        return tfm__fail(TFM_ERR_SHAPE, "image of %lldx%lld is smaller than the %lld-pixel patch", (long long)height,
                         (long long)width, (long long)p);
    for (s = 0; s < m->n_stages; s++) maxc = TFM__MAX(maxc, m->dims[s]);
    x = (float *)tfm__aligned_alloc((size_t)(B * gh * gw * TFM__MAX(maxc, C0)) * sizeof(float));
    y = (float *)tfm__aligned_alloc((size_t)(B * gh * gw * TFM__MAX(maxc * 4, m->channels * p * p)) * sizeof(float));
    t = (float *)tfm__aligned_alloc((size_t)(B * gh * gw * maxc) * sizeof(float));
    ff = (float *)tfm__aligned_alloc((size_t)(B * gh * gw * maxc * 4) * sizeof(float));
    if (!x || !y || !t || !ff) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for %lld images", (long long)B);
        goto done;
    }
    for (b = 0; b < B; b++)
        tfm__patchify(px + b * m->channels * height * width, m->channels, height * width, width, 1, p, gh, gw,
                      y + b * gh * gw * m->channels * p * p);
    if ((st = tfm__linear_rows(ctx, &m->patch_w, m->patch_b, y, B * gh * gw, x)) != TFM_OK) goto done;
    tfm_layer_norm(ctx, x, B * gh * gw, C0, m->pre_ln.g, m->pre_ln.b, 1e-6f, x);
    for (s = 0; s < m->n_stages; s++) {
        int64_t C = m->dims[s], n;
        if (s > 0) {
            int64_t Cp = m->dims[s - 1], nh = gh / 2, nw = gw / 2;
            if (nh <= 0 || nw <= 0) {
                st = tfm__fail(TFM_ERR_SHAPE, "image of %lldx%lld is too small for %lld ConvNeXt stages",
                               (long long)height, (long long)width, (long long)m->n_stages);
                goto done;
            }
            tfm_layer_norm(ctx, x, B * gh * gw, Cp, m->down_ln[s].g, m->down_ln[s].b, 1e-6f, x);
            for (b = 0; b < B; b++)
                tfm__patchify(x + b * gh * gw * Cp, Cp, 1, gw * Cp, Cp, 2, nh, nw, y + b * nh * nw * Cp * 4);
            gh = nh;
            gw = nw;
            if ((st = tfm__lin_run(ctx, &m->down[s], y, B * gh * gw, x)) != TFM_OK) goto done;
        }
        n = B * gh * gw;
        for (j = 0; j < m->depths[s]; j++, bi++) {
            const tfm__cnx_block *K = &m->blocks[bi];
            tfm__dw_job dj;
            for (b = 0; b < B; b++) {
                dj.x = x + b * gh * gw * C;
                dj.w = K->dw_w;
                dj.bias = K->dw_b;
                dj.y = t + b * gh * gw * C;
                dj.h = gh;
                dj.w_ = gw;
                dj.C = C;
                dj.k = K->k;
                tfm_pool_for(ctx->pool, gh, tfm__dw_task, &dj);
            }
            tfm_layer_norm(ctx, t, n, C, K->ln.g, K->ln.b, 1e-6f, t);
            if ((st = tfm__lin_run(ctx, &K->up, t, n, ff)) != TFM_OK) goto done;
            tfm_activation(ctx, m->act, ff, n * 4 * C, ff);
            if ((st = tfm__lin_run(ctx, &K->down, ff, n, t)) != TFM_OK) goto done;
            if (K->gamma)
                for (i = 0; i < n; i++)
                    for (c = 0; c < C; c++) t[i * C + c] *= K->gamma[c];
            tfm_add(x, t, n * C, x);
        }
    }
    {
        int64_t C = m->hidden, P = gh * gw;
        out->batch = B;
        out->seq = P;
        out->hidden = C;
        out->grid_h = gh;
        out->grid_w = gw;
        if ((st = tfm__out_alloc(&out->pooled, B * C)) != TFM_OK) goto done;
        for (b = 0; b < B; b++) {
            float *pb = out->pooled + b * C;
            for (c = 0; c < C; c++) pb[c] = 0;
            for (i = 0; i < P; i++)
                for (c = 0; c < C; c++) pb[c] += x[(b * P + i) * C + c];
            for (c = 0; c < C; c++) pb[c] /= (float)P;
        }
        tfm_layer_norm(ctx, out->pooled, B, C, m->post_ln.g, m->post_ln.b, m->eps, out->pooled);
        if ((st = tfm__out_alloc(&out->hidden_states, B * P * C)) != TFM_OK) goto done;
        for (b = 0; b < B; b++) /* channels-last to the reference's channels-first */
            for (i = 0; i < P; i++)
                for (c = 0; c < C; c++) out->hidden_states[(b * C + c) * P + i] = x[(b * P + i) * C + c];
    }
done:
    tfm__aligned_free(x);
    tfm__aligned_free(y);
    tfm__aligned_free(t);
    tfm__aligned_free(ff);
    return st;
}

/* Classifier / pooler / projection on top of a tower's output. */
static tfm_status tfm__vis_finish(const tfm_model *m, const tfm_ctx *ctx, tfm_model_output *out) {
    int64_t B = out->batch, S = out->seq, H = out->hidden, b;
    tfm_status st;
    float *cls;
    if (m->vis_kind == TFM__VIS_CONVNEXT) {
        if (m->head != TFM_HEAD_SEQUENCE_CLASSIFICATION) return TFM_OK;
        if ((st = tfm__out_alloc(&out->logits, B * m->num_labels)) != TFM_OK) return st;
        out->n_logits = m->num_labels;
        return tfm__lin_run(ctx, &m->cls_out, out->pooled, B, out->logits);
    }
    cls = (float *)tfm__aligned_alloc((size_t)(2 * B * H + 2 * B * TFM__MAX(m->num_labels, 1)) * sizeof(float));
    if (!cls) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (b = 0; b < B; b++) {
        memcpy(cls + b * H, out->hidden_states + b * S * H, (size_t)H * sizeof(float));
        memcpy(cls + (B + b) * H, out->hidden_states + (b * S + 1) * H, (size_t)H * sizeof(float));
    }
    st = TFM_OK;
    if (m->head == TFM_HEAD_SEQUENCE_CLASSIFICATION) {
        out->n_logits = m->num_labels;
        if ((st = tfm__out_alloc(&out->logits, B * m->num_labels)) != TFM_OK) goto done;
        if ((st = tfm__lin_run(ctx, &m->cls_out, cls, B, out->logits)) != TFM_OK) goto done;
        if (m->dist_head.w.data) { /* DeiT with teacher: mean of the class and distillation heads */
            float *d = cls + 2 * B * H;
            int64_t i;
            if ((st = tfm__lin_run(ctx, &m->dist_head, cls + B * H, B, d)) != TFM_OK) goto done;
            for (i = 0; i < B * m->num_labels; i++) out->logits[i] = (out->logits[i] + d[i]) / 2;
        }
    } else if (m->pooler.w.data) {
        if ((st = tfm__out_alloc(&out->pooled, B * m->pooler_dim)) != TFM_OK) goto done;
        if ((st = tfm__lin_run(ctx, &m->pooler, cls, B, out->pooled)) != TFM_OK) goto done;
        tfm_activation(ctx, m->pooler_act, out->pooled, B * m->pooler_dim, out->pooled);
    }
done:
    tfm__aligned_free(cls);
    return st;
}

TFMDEF tfm_status tfm_model_forward_image(const tfm_model *m, const tfm_ctx *ctx, const float *pixel_values,
                                          int64_t batch, int64_t height, int64_t width, tfm_model_output *out) {
    tfm_ctx local;
    tfm_status st;
    const tfm_model *v;
    if (!m || !out || !pixel_values) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward_image: NULL argument");
    memset(out, 0, sizeof *out);
    if (!m->vis_kind || m->vis_kind == TFM__VIS_CLIP_TEXT)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward_image: %s is not a vision model", m->model_type);
    if (batch <= 0 || height <= 0 || width <= 0 || batch > (1 << 20) || height > (1 << 16) || width > (1 << 16))
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward_image: bad batch or size %lldx%lldx%lld",
                         (long long)batch, (long long)height, (long long)width);
    memset(&local, 0, sizeof local);
    if (ctx) local = *ctx;
    ctx = &local;
    v = m->vision_tower ? m->vision_tower : m;
    if (v->vis_kind == TFM__VIS_CONVNEXT) st = tfm__convnext_forward(v, ctx, pixel_values, batch, height, width, out);
    else if (height != v->image_size || width != v->image_size)
        return tfm__fail(TFM_ERR_SHAPE, "input image size (%lld*%lld) doesn't match model (%lld*%lld)",
                         (long long)height, (long long)width, (long long)v->image_size, (long long)v->image_size);
    else
        st = tfm__vit_forward(v, ctx, pixel_values, batch, out);
    if (st == TFM_OK && v == m) st = tfm__vis_finish(m, ctx, out);
    if (st == TFM_OK && m->vis_proj.w.data) {
        out->embed_dim = m->vis_proj.w.shape[0];
        if ((st = tfm__out_alloc(&out->embeds, batch * out->embed_dim)) == TFM_OK)
            st = tfm__lin_run(ctx, &m->vis_proj, out->pooled, batch, out->embeds);
    }
    if (st != TFM_OK) tfm_model_output_free(out);
    return st;
}

/* CLIP text tower (called by tfm_model_forward for clip / clip_text_model). */
static tfm_status tfm__clip_text_forward(const tfm_model *m, const tfm_ctx *ctx, const tfm_model_input *in,
                                         tfm_model_output *out) {
    const tfm_model *t = m->text_tower;
    int64_t B = in->batch, S = in->seq, H, N = B * S, b, s;
    float *x = NULL, *pos = NULL;
    int64_t *ids = NULL;
    int32_t *mask = NULL;
    tfm_status st;
    if (!t) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_model_forward: %s has no text tower", m->model_type);
    H = t->hidden;
    if (S > t->max_pos)
        return tfm__fail(TFM_ERR_LIMIT, "input of %lld tokens is longer than the model's %lld positions", (long long)S,
                         (long long)t->max_pos);
    x = (float *)tfm__aligned_alloc((size_t)(N * H) * sizeof(float));
    pos = (float *)tfm__aligned_alloc((size_t)(N * H) * sizeof(float));
    ids = (int64_t *)tfm__malloc((size_t)N * sizeof(int64_t));
    mask = (int32_t *)tfm__malloc((size_t)N * sizeof(int32_t));
    if (!x || !pos || !ids || !mask) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory for %lld tokens", (long long)N);
        goto done;
    }
    for (s = 0; s < N; s++) {
        if (in->ids[s] < 0 || in->ids[s] >= t->vocab) {
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "token id %d outside the vocabulary [0, %lld)", in->ids[s],
                           (long long)t->vocab);
            goto done;
        }
        ids[s] = in->ids[s];
        mask[s] = in->attention_mask ? in->attention_mask[s] != 0 : 1;
    }
    if ((st = tfm_embedding(&t->word, ids, N, x)) != TFM_OK) goto done;
    for (s = 0; s < N; s++) ids[s] = s % S;
    if ((st = tfm_embedding(&t->pos, ids, N, pos)) != TFM_OK) goto done;
    tfm_add(x, pos, N * H, x);
    if ((st = tfm__prenorm_encoder(t, ctx, x, B, S, mask, 1)) != TFM_OK) goto done;
    tfm_layer_norm(ctx, x, N, H, t->post_ln.g, t->post_ln.b, t->eps, x);
    out->batch = B;
    out->seq = S;
    out->hidden = H;
    if ((st = tfm__out_alloc(&out->pooled, B * H)) != TFM_OK) goto done;
    for (b = 0; b < B; b++) {
        /* the end-of-text position: the largest id in legacy configs (eos_token_id 2), else the first eos */
        const int32_t *row = in->ids + b * S;
        int64_t at = 0;
        for (s = 0; s < S; s++) {
            if (t->eos_id == 2 ? row[s] > row[at] : row[s] == t->eos_id) {
                at = s;
                if (t->eos_id != 2) break;
            }
        }
        memcpy(out->pooled + b * H, x + (b * S + at) * H, (size_t)H * sizeof(float));
    }
    if (m->text_proj.w.data) {
        out->embed_dim = m->text_proj.w.shape[0];
        if ((st = tfm__out_alloc(&out->embeds, B * out->embed_dim)) != TFM_OK) goto done;
        if ((st = tfm__lin_run(ctx, &m->text_proj, out->pooled, B, out->embeds)) != TFM_OK) goto done;
    }
    out->hidden_states = x;
    x = NULL;
done:
    tfm__aligned_free(x);
    tfm__aligned_free(pos);
    TFM_FREE(ids);
    TFM_FREE(mask);
    if (st != TFM_OK) tfm_model_output_free(out);
    return st;
}

TFMDEF float tfm_model_logit_scale(const tfm_model *m) { return m ? m->logit_scale : 0.0f; }

/* =============================================================================================
   [SECTION 18] text pipelines
   Owns tfm_pipeline: the reference pipelines' preprocessing (how each task calls the tokenizer),
   batching (length-sorted, right-padded), and postprocessing into the same JSON Python returns,
   plus sentence-transformers folders (modules.json: pooling, Dense, Normalize). Results are
   written as JSON text and parsed back, so callers read them with the JSON accessors.
   ============================================================================================= */

enum { TFM__TASK_FEATURES = 1, TFM__TASK_SENTENCE, TFM__TASK_CLASSIFY, TFM__TASK_TOKENS, TFM__TASK_QA, TFM__TASK_FILL,
       TFM__TASK_ZERO_SHOT, TFM__TASK_TEXTGEN };

typedef struct tfm__st_dense {
    tfm_weights *w;
    tfm_tensor weight;
    float *bias;
    tfm_act act;
} tfm__st_dense;

typedef struct tfm__st {
    int present;
    int64_t max_seq_length;
    int do_lower_case;
    int modes[6]; /* cls, max, mean, mean_sqrt_len, weightedmean, lasttoken */
    tfm__st_dense dense[4];
    int n_dense;
    int normalize;
} tfm__st;

struct tfm_pipeline {
    int task;
    tfm_model *model;
    tfm_tokenizer *tok;
    int owns;
    tfm_pool *pool;
    int threads;
    tfm_pipeline_options opts; /* strings point into `strings` */
    char **strings;
    int64_t n_strings;
    tfm__st st;
#if !defined(TFM_NO_THREADS)
    pthread_mutex_t lock;
#endif
};

static int tfm__task_from_name(const char *t) {
    if (!t) return 0;
    if (!strcmp(t, "feature-extraction")) return TFM__TASK_FEATURES;
    if (!strcmp(t, "sentence-embedding") || !strcmp(t, "sentence-similarity")) return TFM__TASK_SENTENCE;
    if (!strcmp(t, "text-classification") || !strcmp(t, "sentiment-analysis")) return TFM__TASK_CLASSIFY;
    if (!strcmp(t, "token-classification") || !strcmp(t, "ner")) return TFM__TASK_TOKENS;
    if (!strcmp(t, "question-answering")) return TFM__TASK_QA;
    if (!strcmp(t, "fill-mask")) return TFM__TASK_FILL;
    if (!strcmp(t, "zero-shot-classification")) return TFM__TASK_ZERO_SHOT;
    if (!strcmp(t, "text-generation")) return TFM__TASK_TEXTGEN;
    return 0;
}

static tfm_head tfm__task_head(int task) {
    switch (task) {
    case TFM__TASK_CLASSIFY:
    case TFM__TASK_ZERO_SHOT: return TFM_HEAD_SEQUENCE_CLASSIFICATION;
    case TFM__TASK_TOKENS: return TFM_HEAD_TOKEN_CLASSIFICATION;
    case TFM__TASK_QA: return TFM_HEAD_QUESTION_ANSWERING;
    case TFM__TASK_FILL: return TFM_HEAD_MASKED_LM;
    case TFM__TASK_TEXTGEN: return TFM_HEAD_CAUSAL_LM;
    default: return TFM_HEAD_BASE;
    }
}

/* ---- JSON output ---- */

/* A JSON string of arbitrary bytes: invalid UTF-8 becomes U+FFFD. */
static void tfm__json_text(tfm__buf *b, const char *s, size_t n) {
    size_t i = 0, start = 0;
    tfm__buf t;
    memset(&t, 0, sizeof t);
    while (i < n) {
        int l;
        uint32_t cp = tfm__utf8_next(s + i, n - i, &l);
        if (cp == 0xFFFD && !(l == 3 && (unsigned char)s[i] == 0xEF)) {
            tfm__buf_append(&t, s + start, i - start);
            tfm__buf_append(&t, "\xEF\xBF\xBD", 3);
            start = i + (size_t)l;
        }
        i += (size_t)l;
    }
    if (start == 0) {
        tfm__buf_json_string(b, s, n);
    } else {
        tfm__buf_append(&t, s + start, n - start);
        tfm__buf_json_string(b, t.data ? t.data : "", t.len);
        if (t.failed) b->failed = 1;
    }
    TFM_FREE(t.data);
}

static void tfm__json_num(tfm__buf *b, double v) {
    if (v != v || v > 3.4e38 || v < -3.4e38) tfm__buf_puts(b, v != v ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
    else tfm__buf_printf(b, "%.9g", v);
}

static void tfm__json_write_node(tfm__buf *b, const tfm_json *n) {
    size_t i;
    switch (tfm_json_kind(n)) {
    case TFM_JSON_NULL: tfm__buf_puts(b, "null"); break;
    case TFM_JSON_FALSE: tfm__buf_puts(b, "false"); break;
    case TFM_JSON_TRUE: tfm__buf_puts(b, "true"); break;
    case TFM_JSON_NUMBER:
        if (tfm_json_is_int(n)) tfm__buf_printf(b, "%lld", (long long)tfm_json_int(n, 0));
        else tfm__json_num(b, tfm_json_num(n, 0));
        break;
    case TFM_JSON_STRING: tfm__json_text(b, tfm_json_str(n), tfm_json_len(n)); break;
    case TFM_JSON_ARRAY:
    case TFM_JSON_OBJECT:
        tfm__buf_puts(b, tfm_json_kind(n) == TFM_JSON_ARRAY ? "[" : "{");
        for (i = 0; i < tfm_json_len(n); i++) {
            if (i) tfm__buf_puts(b, ", ");
            if (tfm_json_kind(n) == TFM_JSON_OBJECT) {
                const char *k = tfm_json_key_at(n, i);
                tfm__json_text(b, k, strlen(k));
                tfm__buf_puts(b, ": ");
            }
            tfm__json_write_node(b, tfm_json_at(n, i));
        }
        tfm__buf_puts(b, tfm_json_kind(n) == TFM_JSON_ARRAY ? "]" : "}");
        break;
    }
}

TFMDEF char *tfm_json_write(const tfm_json *node, size_t *len) {
    tfm__buf b;
    memset(&b, 0, sizeof b);
    if (len) *len = 0;
    tfm__json_write_node(&b, node);
    if (!b.data) tfm__buf_append(&b, "", 0);
    if (b.failed) {
        TFM_FREE(b.data);
        tfm__fail(TFM_ERR_OUT_OF_MEMORY, "tfm_json_write: out of memory");
        return NULL;
    }
    if (len) *len = b.len;
    return b.data;
}

/* ---- code points of a text (offsets are in code points) ---- */

typedef struct tfm__cps {
    const char *s;
    size_t n;
    size_t *at; /* byte offset of code point i, at[count] = n */
    int64_t count;
} tfm__cps;

static tfm_status tfm__cps_init(tfm__cps *c, const char *s, size_t n) {
    size_t i = 0;
    memset(c, 0, sizeof *c);
    c->s = s;
    c->n = n;
    c->at = (size_t *)tfm__malloc((n + 1) * sizeof(size_t));
    if (!c->at) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    while (i < n) {
        int l;
        tfm__utf8_next(s + i, n - i, &l);
        c->at[c->count++] = i;
        i += (size_t)l;
    }
    c->at[c->count] = n;
    return TFM_OK;
}
static void tfm__cps_free(tfm__cps *c) { TFM_FREE(c->at); }
/* Bytes of code points [a, b), clamped. */
static void tfm__cps_span(const tfm__cps *c, int64_t a, int64_t b, const char **p, size_t *len) {
    if (a < 0) a = 0;
    if (b > c->count) b = c->count;
    if (b < a) b = a;
    *p = c->s + c->at[a];
    *len = c->at[b] - c->at[a];
}

/* Python str.lower() of UTF-8 text, for case-insensitive comparisons. */
static void tfm__lower_utf8(tfm__buf *out, const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        int l, k, m;
        uint32_t low[3];
        char enc[4];
        uint32_t cp = tfm__utf8_next(s + i, n - i, &l);
        m = tfm__uc_to_lower(cp, low);
        if (m <= 0) {
            low[0] = cp;
            m = 1;
        }
        for (k = 0; k < m; k++) tfm__buf_append(out, enc, tfm__utf8_encode(low[k], enc));
        i += (size_t)l;
    }
}

/* ---- batched forward over encodings ---- */

typedef struct tfm__item {
    const tfm_encoding *enc;
    float *hidden; /* [len, H] when requested */
    float *logits; /* [n_logits] (sequence head) or [len, n_logits] */
    float *pooled;
} tfm__item;

typedef struct tfm__run_cfg {
    int want_hidden;
    const tfm_pipeline_options *o;
    int64_t *done, total;
} tfm__run_cfg;

static void tfm__items_free(tfm__item *items, int64_t n) {
    int64_t i;
    if (!items) return;
    for (i = 0; i < n; i++) {
        TFM_FREE(items[i].hidden);
        TFM_FREE(items[i].logits);
        TFM_FREE(items[i].pooled);
    }
    TFM_FREE(items);
}

static tfm_status tfm__run_items(tfm_pipeline *p, tfm__item *items, int64_t n, const tfm__run_cfg *rc) {
    const tfm_model *m = p->model;
    int64_t *order, i, bs = rc->o->batch_size > 0 ? rc->o->batch_size : 1, start, H = m->hidden;
    int32_t pad = 0;
    tfm_ctx ctx;
    tfm_status st = TFM_OK;
    if (!tfm_tokenizer_special_token(p->tok, "pad", &pad) || pad < 0) pad = (int32_t)m->pad_id;
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = p->pool;
    ctx.compute = rc->o->compute;
    order = (int64_t *)tfm__malloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    if (!order) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < n; i++) order[i] = i;
    /* stable insertion sort by length, longest first, so batches hold similar lengths */
    for (i = 1; i < n; i++) {
        int64_t v = order[i], j = i;
        while (j > 0 && items[order[j - 1]].enc->length < items[v].enc->length) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    for (start = 0; start < n && st == TFM_OK; start += bs) {
        int64_t cnt = TFM__MIN(bs, n - start), S = 0, b, t;
        int32_t *ids, *types, *mask;
        tfm_model_input in;
        tfm_model_output out;
        for (b = 0; b < cnt; b++) S = TFM__MAX(S, items[order[start + b]].enc->length);
        if (S == 0) S = 1;
        ids = (int32_t *)tfm__malloc((size_t)(cnt * S * 3) * sizeof(int32_t));
        if (!ids) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        types = ids + cnt * S;
        mask = types + cnt * S;
        for (b = 0; b < cnt; b++) {
            const tfm_encoding *e = items[order[start + b]].enc;
            for (t = 0; t < S; t++) {
                int real = t < e->length;
                ids[b * S + t] = real ? e->ids[t] : pad;
                types[b * S + t] = real && e->type_ids && m->type_vocab > 1 ? e->type_ids[t] : 0;
                mask[b * S + t] = real ? (e->attention_mask ? e->attention_mask[t] : 1) : 0;
            }
        }
        in.batch = cnt;
        in.seq = S;
        in.ids = ids;
        in.type_ids = types;
        in.attention_mask = mask;
        st = tfm_model_forward(m, &ctx, &in, &out);
        if (st == TFM_OK) {
            for (b = 0; b < cnt && st == TFM_OK; b++) {
                tfm__item *it = &items[order[start + b]];
                int64_t len = it->enc->length, nl = out.n_logits;
                if (rc->want_hidden) {
                    it->hidden = (float *)tfm__malloc((size_t)(len * H) * sizeof(float));
                    if (!it->hidden) st = TFM_ERR_OUT_OF_MEMORY;
                    else memcpy(it->hidden, out.hidden_states + b * S * H, (size_t)(len * H) * sizeof(float));
                }
                if (out.logits) {
                    int64_t rows = m->head == TFM_HEAD_SEQUENCE_CLASSIFICATION ? 1 : len;
                    it->logits = (float *)tfm__malloc((size_t)(rows * nl) * sizeof(float));
                    if (!it->logits) st = TFM_ERR_OUT_OF_MEMORY;
                    else
                        memcpy(it->logits, out.logits + (rows == 1 && m->head == TFM_HEAD_SEQUENCE_CLASSIFICATION ? b : b * S) * nl,
                               (size_t)(rows * nl) * sizeof(float));
                }
            }
            if (st != TFM_OK) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            tfm_model_output_free(&out);
        }
        TFM_FREE(ids);
        if (rc->done) *rc->done += cnt;
        if (st == TFM_OK && rc->o->progress) rc->o->progress(rc->o->progress_user, start + cnt, n);
    }
    TFM_FREE(order);
    return st;
}

/* ---- small numeric helpers as numpy computes them (float32) ---- */

static void tfm__softmax_f32(const float *x, int64_t n, float *y) {
    float mx = -INFINITY, sum = 0;
    int64_t i;
    for (i = 0; i < n; i++) mx = x[i] > mx ? x[i] : mx;
    for (i = 0; i < n; i++) sum += (y[i] = expf(x[i] - mx));
    for (i = 0; i < n; i++) y[i] /= sum;
}

static int64_t tfm__argmax(const float *x, int64_t n) {
    int64_t i, best = 0;
    for (i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

/* Indexes of x sorted by value descending; ties keep index order. */
static void tfm__sort_desc(const float *x, int64_t n, int64_t *idx) {
    int64_t i;
    for (i = 0; i < n; i++) idx[i] = i;
    for (i = 1; i < n; i++) {
        int64_t v = idx[i], j = i;
        while (j > 0 && x[idx[j - 1]] < x[v]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
}

static tfm_status tfm__encode(const tfm_pipeline *p, const char *text, const char *pair, const tfm_encode_options *eo,
                              tfm_encoding *enc) {
    tfm_status st;
    if (!text) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "pipeline input has no text");
    st = tfm_tokenizer_encode(p->tok, text, strlen(text), pair, pair ? strlen(pair) : 0, eo, enc);
    return st;
}

/* The encoding must fit the model (the reference fails inside the model otherwise). */
static tfm_status tfm__check_fits(const tfm_pipeline *p, const tfm_encoding *e) {
    int64_t maxp = tfm_model_max_positions(p->model);
    if (e->length > maxp)
        return tfm__fail(TFM_ERR_LIMIT, "input is %lld tokens, longer than the model's %lld positions (truncate it "
                         "first)", (long long)e->length, (long long)maxp);
    return TFM_OK;
}

/* ---- text-classification ---- */

static int tfm__classify_function(const tfm_pipeline *p, const tfm_pipeline_options *o) {
    const char *f = o->function_to_apply;
    const char *pt = tfm_config_str(p->model->cfg, "problem_type", NULL);
    if (f) {
        if (!strcmp(f, "softmax") || !strcmp(f, "SOFTMAX")) return 1;
        if (!strcmp(f, "sigmoid") || !strcmp(f, "SIGMOID")) return 2;
        if (!strcmp(f, "none") || !strcmp(f, "NONE")) return 0;
        return -1;
    }
    if (pt && !strcmp(pt, "regression")) return 0;
    if ((pt && !strcmp(pt, "multi_label_classification")) || p->model->num_labels == 1) return 2;
    if ((pt && !strcmp(pt, "single_label_classification")) || p->model->num_labels > 1) return 1;
    return 0;
}

static void tfm__label_score(tfm__buf *b, const char *label, double score) {
    tfm__buf_puts(b, "{\"label\": ");
    tfm__json_text(b, label, strlen(label));
    tfm__buf_puts(b, ", \"score\": ");
    tfm__json_num(b, score);
    tfm__buf_puts(b, "}");
}

static tfm_status tfm__task_classify(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                     const tfm_pipeline_options *o, tfm__buf *b) {
    tfm_encoding *encs;
    tfm__item *items;
    tfm__run_cfg rc;
    tfm_status st = TFM_OK;
    int64_t i, j, nl = p->model->num_labels;
    int fn = tfm__classify_function(p, o), wrap;
    float *scores = NULL;
    int64_t *idx = NULL;
    if (fn < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "function_to_apply must be softmax, sigmoid or none");
    encs = (tfm_encoding *)tfm__calloc((size_t)n, sizeof *encs);
    items = (tfm__item *)tfm__calloc((size_t)n, sizeof *items);
    scores = (float *)tfm__malloc((size_t)nl * sizeof(float));
    idx = (int64_t *)tfm__malloc((size_t)nl * sizeof(int64_t));
    if (!encs || !items || !scores || !idx) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (i = 0; i < n && st == TFM_OK; i++) {
        st = tfm__encode(p, in[i].text, in[i].text_pair, NULL, &encs[i]);
        if (st == TFM_OK) st = tfm__check_fits(p, &encs[i]);
        items[i].enc = &encs[i];
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    if ((st = tfm__run_items(p, items, n, &rc)) != TFM_OK) goto done;
    /* the reference wraps a lone text's legacy answer in a list, but not a lone text pair's */
    wrap = as_list || (o->top_k == 0 && !in[0].text_pair);
    if (wrap) tfm__buf_puts(b, "[");
    for (i = 0; i < n; i++) {
        const float *lg = items[i].logits;
        int64_t k;
        if (fn == 1) tfm__softmax_f32(lg, nl, scores);
        else if (fn == 2)
            for (j = 0; j < nl; j++) scores[j] = 1.0f / (1.0f + expf(-lg[j]));
        else
            for (j = 0; j < nl; j++) scores[j] = lg[j];
        if (i) tfm__buf_puts(b, ", ");
        if (o->top_k == 0) {
            j = tfm__argmax(scores, nl);
            tfm__label_score(b, p->model->labels[j], scores[j]);
            continue;
        }
        k = o->top_k == TFM_TOP_K_ALL || o->top_k > nl ? nl : o->top_k;
        tfm__sort_desc(scores, nl, idx);
        tfm__buf_puts(b, "[");
        for (j = 0; j < k; j++) {
            if (j) tfm__buf_puts(b, ", ");
            tfm__label_score(b, p->model->labels[idx[j]], scores[idx[j]]);
        }
        tfm__buf_puts(b, "]");
    }
    if (wrap) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < n; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? n : 0);
    TFM_FREE(scores);
    TFM_FREE(idx);
    return st;
}

/* ---- feature-extraction and sentence embeddings ---- */

static void tfm__vec(tfm__buf *b, const float *v, int64_t n) {
    int64_t i;
    tfm__buf_puts(b, "[");
    for (i = 0; i < n; i++) {
        if (i) tfm__buf_puts(b, ", ");
        tfm__json_num(b, v[i]);
    }
    tfm__buf_puts(b, "]");
}

static tfm_status tfm__task_features(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                     const tfm_pipeline_options *o, tfm__buf *b) {
    tfm_encoding *encs = (tfm_encoding *)tfm__calloc((size_t)n, sizeof(tfm_encoding));
    tfm__item *items = (tfm__item *)tfm__calloc((size_t)n, sizeof(tfm__item));
    tfm__run_cfg rc;
    tfm_status st = TFM_OK;
    int64_t i, t, H = p->model->hidden;
    if (!encs || !items) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (i = 0; i < n && st == TFM_OK; i++) {
        st = tfm__encode(p, in[i].text, in[i].text_pair, NULL, &encs[i]);
        if (st == TFM_OK) st = tfm__check_fits(p, &encs[i]);
        items[i].enc = &encs[i];
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    rc.want_hidden = 1;
    if ((st = tfm__run_items(p, items, n, &rc)) != TFM_OK) goto done;
    if (as_list) tfm__buf_puts(b, "[");
    for (i = 0; i < n; i++) {
        if (i) tfm__buf_puts(b, ", ");
        tfm__buf_puts(b, "[[");
        for (t = 0; t < encs[i].length; t++) {
            if (t) tfm__buf_puts(b, ", ");
            tfm__vec(b, items[i].hidden + t * H, H);
        }
        tfm__buf_puts(b, "]]");
    }
    if (as_list) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < n; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? n : 0);
    return st;
}

/* sentence-transformers: modules.json with Transformer, Pooling, Dense and Normalize modules. */
static tfm_status tfm__st_load(tfm_pipeline *p, const char *dir) {
    char *path = tfm__path_join(dir, "modules.json");
    tfm_json *mods = NULL, *cfg = NULL;
    tfm_status st = TFM_OK;
    size_t i;
    tfm__st *s = &p->st;
    if (!path) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    if (tfm__path_kind(path) != 0) {
        TFM_FREE(path);
        return tfm__fail(TFM_ERR_NOT_FOUND, "%s: no modules.json (not a sentence-transformers folder)", dir);
    }
    mods = tfm_json_parse_file(path);
    TFM_FREE(path);
    if (!mods) return TFM_ERR_FORMAT;
    s->present = 1;
    s->modes[2] = 1;
    s->max_seq_length = 0;
    path = tfm__path_join(dir, "sentence_bert_config.json");
    if (path && tfm__path_kind(path) == 0) {
        cfg = tfm_json_parse_file(path);
        if (!cfg) st = TFM_ERR_FORMAT;
        s->max_seq_length = tfm_json_int(tfm_json_get(cfg, "max_seq_length"), 0);
        s->do_lower_case = tfm_json_bool(tfm_json_get(cfg, "do_lower_case"), 0);
        tfm_json_free(cfg);
        cfg = NULL;
    }
    TFM_FREE(path);
    if (s->max_seq_length <= 0) {
        int64_t a = tfm_model_max_positions(p->model), t = tfm_tokenizer_model_max_length(p->tok);
        s->max_seq_length = TFM__MIN(a, t);
    }
    for (i = 0; i < tfm_json_len(mods) && st == TFM_OK; i++) {
        const tfm_json *mod = tfm_json_at(mods, i);
        const char *type = tfm_json_str_or(tfm_json_get(mod, "type"), "");
        const char *sub = tfm_json_str_or(tfm_json_get(mod, "path"), "");
        char *mdir = tfm__path_join(dir, sub), *cpath = mdir ? tfm__path_join(mdir, "config.json") : NULL;
        if (!mdir || !cpath) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        else if (strstr(type, "Pooling")) {
            static const char *const keys[6] = {"pooling_mode_cls_token", "pooling_mode_max_tokens",
                                                "pooling_mode_mean_tokens", "pooling_mode_mean_sqrt_len_tokens",
                                                "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"};
            int k;
            cfg = tfm_json_parse_file(cpath);
            if (!cfg) st = TFM_ERR_FORMAT;
            for (k = 0; k < 6 && cfg; k++) s->modes[k] = tfm_json_bool(tfm_json_get(cfg, keys[k]), k == 2);
            if (cfg && tfm_json_get(cfg, "include_prompt") && !tfm_json_bool(tfm_json_get(cfg, "include_prompt"), 1))
                tfm__log(TFM_LOG_WARN, "sentence-transformers include_prompt=false is ignored (no prompts are used)");
        } else if (strstr(type, "Dense")) {
            tfm__st_dense *d;
            const char *actname;
            if (s->n_dense >= 4) st = tfm__fail(TFM_ERR_UNSUPPORTED, "more than 4 Dense modules");
            else if (!(cfg = tfm_json_parse_file(cpath))) st = TFM_ERR_FORMAT;
            else {
                d = &s->dense[s->n_dense++];
                actname = tfm_json_str_or(tfm_json_get(cfg, "activation_function"), "torch.nn.modules.activation.Tanh");
                if (strstr(actname, "Tanh")) d->act = TFM_ACT_TANH;
                else if (strstr(actname, "Identity")) d->act = TFM_ACT_IDENTITY;
                else if (strstr(actname, "ReLU")) d->act = TFM_ACT_RELU;
                else if (strstr(actname, "GELU")) d->act = TFM_ACT_GELU;
                else if (strstr(actname, "Sigmoid")) d->act = TFM_ACT_SIGMOID;
                else st = tfm__fail(TFM_ERR_UNSUPPORTED, "Dense activation %s is not supported", actname);
                if (st == TFM_OK && (st = tfm_weights_open(mdir, &d->w)) == TFM_OK &&
                    (st = tfm_weights_tensor(d->w, "linear.weight", &d->weight)) == TFM_OK) {
                    const tfm_tensor_info *bi = tfm_weights_find(d->w, "linear.bias");
                    if (d->weight.ndim != 2) st = tfm__fail(TFM_ERR_SHAPE, "%s: linear.weight is not 2-D", mdir);
                    if (bi && st == TFM_OK) {
                        d->bias = (float *)tfm__malloc((size_t)bi->numel * sizeof(float));
                        if (!d->bias) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
                        else if (bi->numel != d->weight.shape[0]) st = tfm__fail(TFM_ERR_SHAPE, "%s: bias size", mdir);
                        else st = tfm_weights_read_f32(d->w, bi, d->bias, bi->numel);
                    }
                    tfm_clear_error();
                }
            }
        } else if (strstr(type, "Normalize")) {
            s->normalize = 1;
        } else if (!strstr(type, "Transformer")) {
            st = tfm__fail(TFM_ERR_UNSUPPORTED, "sentence-transformers module %s is not supported", type);
        }
        tfm_json_free(cfg);
        cfg = NULL;
        TFM_FREE(mdir);
        TFM_FREE(cpath);
    }
    tfm_json_free(mods);
    return st;
}

static void tfm__st_free(tfm__st *s) {
    int i;
    for (i = 0; i < s->n_dense; i++) {
        tfm_weights_close(s->dense[i].w);
        TFM_FREE(s->dense[i].bias);
    }
}

static tfm_status tfm__task_sentence(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                     const tfm_pipeline_options *o, tfm__buf *b) {
    tfm__st *s = &p->st;
    tfm_encoding *encs = (tfm_encoding *)tfm__calloc((size_t)n, sizeof(tfm_encoding));
    tfm__item *items = (tfm__item *)tfm__calloc((size_t)n, sizeof(tfm__item));
    tfm__run_cfg rc;
    tfm_encode_options eo;
    tfm_status st = TFM_OK;
    int64_t i, t, d, k, H = p->model->hidden, dim = 0, maxdim;
    float *vec = NULL, *tmp = NULL;
    if (!encs || !items) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    memset(&eo, 0, sizeof eo);
    eo.truncation = TFM_TRUNCATE_LONGEST_FIRST;
    eo.max_length = s->max_seq_length;
    for (i = 0; i < n && st == TFM_OK; i++) {
        const char *text = in[i].text ? in[i].text : "";
        size_t a = 0, e = strlen(text);
        tfm__buf low;
        /* Python str.strip(): ASCII whitespace and the Unicode spaces the text may hold */
        while (a < e && (text[a] == ' ' || (text[a] >= '\t' && text[a] <= '\r'))) a++;
        while (e > a && (text[e - 1] == ' ' || (text[e - 1] >= '\t' && text[e - 1] <= '\r'))) e--;
        memset(&low, 0, sizeof low);
        if (s->do_lower_case) tfm__lower_utf8(&low, text + a, e - a);
        else tfm__buf_append(&low, text + a, e - a);
        tfm__buf_append(&low, "", 1);
        if (low.failed) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        else st = tfm_tokenizer_encode(p->tok, low.data, low.len - 1, NULL, 0, &eo, &encs[i]);
        TFM_FREE(low.data);
        items[i].enc = &encs[i];
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    rc.want_hidden = 1;
    if ((st = tfm__run_items(p, items, n, &rc)) != TFM_OK) goto done;
    for (k = 0; k < 6; k++) dim += s->modes[k] ? H : 0;
    maxdim = dim;
    for (k = 0; k < s->n_dense; k++) maxdim = TFM__MAX(maxdim, s->dense[k].weight.shape[0]);
    vec = (float *)tfm__malloc((size_t)maxdim * sizeof(float));
    tmp = (float *)tfm__malloc((size_t)maxdim * sizeof(float));
    if (!vec || !tmp) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    if (as_list) tfm__buf_puts(b, "[");
    for (i = 0; i < n && st == TFM_OK; i++) {
        const float *h = items[i].hidden;
        int64_t len = encs[i].length, off = 0, cur;
        const int32_t *mk = encs[i].attention_mask;
        for (k = 0; k < 6; k++) {
            float *out = vec + off;
            double cnt = 0, wsum = 0;
            if (!s->modes[k]) continue;
            for (d = 0; d < H; d++) out[d] = k == 1 ? -INFINITY : 0.0f;
            for (t = 0; t < len; t++) {
                float mt = mk ? (float)mk[t] : 1.0f;
                if (k == 0 && t == 0)
                    for (d = 0; d < H; d++) out[d] = h[d];
                if (k == 1)
                    for (d = 0; d < H; d++) {
                        float val = mt != 0 ? h[t * H + d] : -1e9f;
                        if (val > out[d]) out[d] = val;
                    }
                if (k == 2 || k == 3)
                    for (d = 0; d < H; d++) out[d] += h[t * H + d] * mt;
                if (k == 4)
                    for (d = 0; d < H; d++) out[d] += h[t * H + d] * mt * (float)(t + 1);
                if (k == 5 && mt != 0)
                    for (d = 0; d < H; d++) out[d] = h[t * H + d];
                cnt += mt;
                wsum += mt * (double)(t + 1);
            }
            if (k == 2 || k == 3 || k == 4) {
                double den = k == 2 ? (cnt > 1e-9 ? cnt : 1e-9) : (k == 3 ? sqrt(cnt > 1e-9 ? cnt : 1e-9) : (wsum > 1e-9 ? wsum : 1e-9));
                for (d = 0; d < H; d++) out[d] = (float)(out[d] / den);
            }
            off += H;
        }
        cur = dim;
        for (k = 0; k < s->n_dense && st == TFM_OK; k++) {
            tfm__st_dense *dn = &s->dense[k];
            if (dn->weight.shape[1] != cur) {
                st = tfm__fail(TFM_ERR_SHAPE, "Dense module %lld expects %lld inputs, the pooled vector has %lld",
                               (long long)k, (long long)dn->weight.shape[1], (long long)cur);
                break;
            }
            st = tfm_linear(NULL, vec, 1, cur, &dn->weight, dn->bias, tmp);
            cur = dn->weight.shape[0];
            tfm_activation(NULL, dn->act, tmp, cur, vec);
        }
        if (st != TFM_OK) break;
        if (s->normalize) {
            double ss = 0;
            for (d = 0; d < cur; d++) ss += (double)vec[d] * vec[d];
            ss = sqrt(ss);
            if (ss < 1e-12) ss = 1e-12;
            for (d = 0; d < cur; d++) vec[d] = (float)(vec[d] / ss);
        }
        if (i) tfm__buf_puts(b, ", ");
        tfm__vec(b, vec, cur);
    }
    if (as_list) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < n; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? n : 0);
    TFM_FREE(vec);
    TFM_FREE(tmp);
    return st;
}

/* ---- token-classification ---- */

typedef struct tfm__ent {
    int64_t label;      /* argmax label */
    float score;
    int64_t index;      /* token index (strategy none) */
    char *word;         /* owned */
    int64_t start, end;
    int is_subword;
    float *scores;      /* borrowed: [num_labels] */
} tfm__ent;

static int tfm__strategy(const char *s) {
    if (!s || !strcmp(s, "none") || !strcmp(s, "NONE")) return 0;
    if (!strcmp(s, "simple") || !strcmp(s, "SIMPLE")) return 1;
    if (!strcmp(s, "first") || !strcmp(s, "FIRST")) return 2;
    if (!strcmp(s, "average") || !strcmp(s, "AVERAGE")) return 3;
    if (!strcmp(s, "max") || !strcmp(s, "MAX")) return 4;
    return -1;
}

/* B-/I- split of a label: returns the tag, *is_b says whether it begins an entity. */
static const char *tfm__bi_tag(const char *label, int *is_b) {
    *is_b = 0;
    if (!strncmp(label, "B-", 2)) {
        *is_b = 1;
        return label + 2;
    }
    if (!strncmp(label, "I-", 2)) return label + 2;
    return label;
}

static int tfm__ignored(const tfm_pipeline_options *o, const char *label) {
    int64_t i;
    if (!o->ignore_labels) return o->n_ignore_labels < 0 ? 0 : !strcmp(label, "O");
    for (i = 0; i < o->n_ignore_labels; i++)
        if (o->ignore_labels[i] && !strcmp(o->ignore_labels[i], label)) return 1;
    return 0;
}

static char *tfm__join_tokens(const tfm_pipeline *p, tfm__ent *e, int64_t n) {
    const char **toks = (const char **)tfm__malloc((size_t)(n > 0 ? n : 1) * sizeof(char *));
    char *out = NULL;
    int64_t i;
    if (!toks) return NULL;
    for (i = 0; i < n; i++) toks[i] = e[i].word;
    if (tfm_tokenizer_decode_tokens(p->tok, toks, n, &out, NULL) != TFM_OK) out = NULL;
    TFM_FREE(toks);
    return out;
}

static void tfm__ent_json(tfm__buf *b, const char *key, const char *label, double score, const int64_t *index,
                          const char *word, int64_t start, int64_t end) {
    tfm__buf_printf(b, "{\"%s\": ", key);
    tfm__json_text(b, label, strlen(label));
    tfm__buf_puts(b, ", \"score\": ");
    tfm__json_num(b, score);
    if (index) tfm__buf_printf(b, ", \"index\": %lld", (long long)*index);
    tfm__buf_puts(b, ", \"word\": ");
    tfm__json_text(b, word ? word : "", word ? strlen(word) : 0);
    tfm__buf_printf(b, ", \"start\": %lld, \"end\": %lld}", (long long)start, (long long)end);
}

/* group_entities: consecutive entities with the same tag merge unless one starts with B-. */
static tfm_status tfm__group_entities(const tfm_pipeline *p, tfm__ent *e, int64_t n, const tfm_pipeline_options *o,
                                      tfm__buf *b, int *first) {
    int64_t i = 0;
    while (i < n) {
        int64_t j = i + 1, k;
        int isb;
        const char *tag0 = tfm__bi_tag(p->model->labels[e[i].label], &isb);
        double mean = 0;
        char *word;
        const char *group = strchr(p->model->labels[e[i].label], '-');
        group = group ? group + 1 : p->model->labels[e[i].label];
        while (j < n) {
            int jb;
            int ib2;
            const char *tj = tfm__bi_tag(p->model->labels[e[j].label], &jb);
            const char *tl = tfm__bi_tag(p->model->labels[e[j - 1].label], &ib2);
            if (strcmp(tj, tl) != 0 || jb) break;
            j++;
        }
        TFM__UNUSED(tag0);
        {
            float acc = 0;
            for (k = i; k < j; k++) acc += e[k].score;
            mean = acc / (float)(j - i);
        }
        word = tfm__join_tokens(p, e + i, j - i);
        if (!word) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode of entity tokens failed");
        if (!tfm__ignored(o, group)) {
            if (!*first) tfm__buf_puts(b, ", ");
            *first = 0;
            tfm__ent_json(b, "entity_group", group, mean, NULL, word, e[i].start, e[j - 1].end);
        }
        TFM_FREE(word);
        i = j;
    }
    return TFM_OK;
}

static tfm_status tfm__ner_one(tfm_pipeline *p, const char *text, const tfm_encoding *enc, const float *logits,
                               int strategy, const tfm_pipeline_options *o, tfm__buf *b) {
    const tfm_model *m = p->model;
    int64_t nl = m->num_labels, i, n = 0, t;
    tfm__ent *ents = NULL, *words = NULL;
    float *probs = NULL;
    tfm__cps cps;
    tfm_status st;
    int32_t unk = -1;
    const char *prefix = tfm_tokenizer_subword_prefix(p->tok);
    int first = 1;
    if ((st = tfm__cps_init(&cps, text, strlen(text))) != TFM_OK) return st;
    tfm_tokenizer_special_token(p->tok, "unk", &unk);
    ents = (tfm__ent *)tfm__calloc((size_t)(enc->length + 1), sizeof *ents);
    words = (tfm__ent *)tfm__calloc((size_t)(enc->length + 1), sizeof *words);
    probs = (float *)tfm__malloc((size_t)((enc->length + 1) * nl) * sizeof(float));
    if (!ents || !words || !probs) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (t = 0; t < enc->length; t++) {
        tfm__ent *e;
        const char *tokstr, *span;
        size_t span_len;
        int64_t s0 = enc->offsets[2 * t], e0 = enc->offsets[2 * t + 1];
        if (enc->special_tokens_mask && enc->special_tokens_mask[t]) continue;
        e = &ents[n++];
        e->scores = probs + t * nl;
        tfm__softmax_f32(logits + t * nl, nl, e->scores);
        e->label = tfm__argmax(e->scores, nl);
        e->score = e->scores[e->label];
        e->index = t;
        e->start = s0;
        e->end = e0;
        tfm__cps_span(&cps, s0, e0, &span, &span_len);
        tokstr = tfm_tokenizer_id_to_token(p->tok, enc->ids[t]);
        if (!tokstr) tokstr = "";
        if (prefix && *prefix) {
            int64_t cw = 0;
            size_t q = 0, L = strlen(tokstr);
            while (q < L) {
                int l;
                tfm__utf8_next(tokstr + q, L - q, &l);
                q += (size_t)l;
                cw++;
            }
            e->is_subword = cw != e0 - s0;
        } else {
            /* no continuation prefix: a token is a sub-word unless it follows or holds a space */
            const char *pp;
            size_t pl, z;
            int has_space = 0;
            tfm__cps_span(&cps, s0 - 1, s0 + 1, &pp, &pl);
            for (z = 0; z < pl; z++) has_space |= pp[z] == ' ';
            e->is_subword = s0 > 0 && !has_space;
        }
        if (enc->ids[t] == unk) {
            e->word = (char *)tfm__malloc(span_len + 1);
            if (e->word) {
                memcpy(e->word, span, span_len);
                e->word[span_len] = 0;
            }
            e->is_subword = 0;
        } else
            e->word = tfm__strdup(tokstr);
        if (!e->word) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            goto done;
        }
    }
    if (strategy == 0) {
        for (i = 0; i < n; i++) {
            const char *lab = m->labels[ents[i].label];
            if (tfm__ignored(o, lab)) continue;
            if (!first) tfm__buf_puts(b, ", ");
            first = 0;
            tfm__ent_json(b, "entity", lab, ents[i].score, &ents[i].index, ents[i].word, ents[i].start, ents[i].end);
        }
    } else if (strategy == 1) {
        st = tfm__group_entities(p, ents, n, o, b, &first);
    } else {
        /* word-level: a word is a token plus the sub-word tokens after it */
        int64_t nw = 0;
        i = 0;
        while (i < n) {
            int64_t j = i + 1, k, best = i;
            tfm__ent *w = &words[nw++];
            while (j < n && ents[j].is_subword) j++;
            if (strategy == 2) {
                w->label = ents[i].label;
                w->score = ents[i].score;
            } else if (strategy == 4) {
                for (k = i + 1; k < j; k++)
                    if (ents[k].score > ents[best].score) best = k;
                w->label = ents[best].label;
                w->score = ents[best].score;
            } else {
                float *avg = probs + enc->length * nl, acc;
                int64_t c, cnt;
                for (c = 0; c < nl; c++) {
                    acc = 0;
                    cnt = 0;
                    for (k = i; k < j; k++)
                        if (ents[k].scores[c] == ents[k].scores[c]) {
                            acc += ents[k].scores[c];
                            cnt++;
                        }
                    avg[c] = cnt ? acc / (float)cnt : NAN;
                }
                w->label = tfm__argmax(avg, nl);
                w->score = avg[w->label];
            }
            w->word = tfm__join_tokens(p, ents + i, j - i);
            if (!w->word) {
                st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "decode of word tokens failed");
                goto done;
            }
            w->start = ents[i].start;
            w->end = ents[j - 1].end;
            i = j;
        }
        st = tfm__group_entities(p, words, nw, o, b, &first);
    }
done:
    if (ents)
        for (i = 0; i <= enc->length; i++) TFM_FREE(ents[i].word);
    if (words)
        for (i = 0; i <= enc->length; i++) TFM_FREE(words[i].word);
    TFM_FREE(ents);
    TFM_FREE(words);
    TFM_FREE(probs);
    tfm__cps_free(&cps);
    return st;
}

static tfm_status tfm__task_tokens(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                   const tfm_pipeline_options *o, tfm__buf *b) {
    tfm_encoding *encs = (tfm_encoding *)tfm__calloc((size_t)n, sizeof(tfm_encoding));
    tfm__item *items = (tfm__item *)tfm__calloc((size_t)n, sizeof(tfm__item));
    tfm__run_cfg rc;
    tfm_encode_options eo;
    tfm_status st = TFM_OK;
    int64_t i;
    int strategy = tfm__strategy(o->aggregation_strategy);
    if (!encs || !items) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    if (strategy < 0) {
        st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "aggregation_strategy must be none, simple, first, average or max");
        goto done;
    }
    memset(&eo, 0, sizeof eo);
    eo.truncation = TFM_TRUNCATE_LONGEST_FIRST; /* the reference truncates to model_max_length */
    for (i = 0; i < n && st == TFM_OK; i++) {
        st = tfm__encode(p, in[i].text, NULL, &eo, &encs[i]);
        if (st == TFM_OK) st = tfm__check_fits(p, &encs[i]);
        items[i].enc = &encs[i];
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    if ((st = tfm__run_items(p, items, n, &rc)) != TFM_OK) goto done;
    if (as_list) tfm__buf_puts(b, "[");
    for (i = 0; i < n && st == TFM_OK; i++) {
        if (i) tfm__buf_puts(b, ", ");
        tfm__buf_puts(b, "[");
        st = tfm__ner_one(p, in[i].text, &encs[i], items[i].logits, strategy, o, b);
        tfm__buf_puts(b, "]");
    }
    if (as_list) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < n; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? n : 0);
    return st;
}

/* ---- question-answering (the v4 pipeline) ---- */

typedef struct tfm__answer {
    double score;
    int64_t start, end;
    char *text;
    size_t len;
} tfm__answer;

/* Character span of the word holding token t (within sequence `seq` of this window). */
static void tfm__word_chars(const tfm_encoding *e, int64_t t, int seq, int64_t *a, int64_t *z, int want_end) {
    int64_t i, first = -1, last = -1, w = e->word_ids ? e->word_ids[t] : -1;
    if (w < 0) {
        *a = e->offsets[2 * t];
        *z = e->offsets[2 * t + 1];
        return;
    }
    for (i = 0; i < e->length; i++)
        if (e->word_ids[i] == w && e->sequence_ids && e->sequence_ids[i] == seq) {
            if (first < 0) first = i;
            last = i;
        }
    if (first < 0) {
        *a = e->offsets[2 * t];
        *z = e->offsets[2 * t + 1];
        return;
    }
    *a = e->offsets[2 * first];
    *z = e->offsets[2 * last + 1];
    TFM__UNUSED(want_end);
}

static tfm_status tfm__qa_one(tfm_pipeline *p, const tfm_pipeline_input *in, const tfm_pipeline_options *o,
                              tfm__run_cfg *rc, tfm__buf *b) {
    const tfm_encoding **wins = NULL;
    tfm_encoding enc;
    tfm__item *items = NULL;
    tfm__answer *ans = NULL;
    int64_t n_ans = 0, cap_ans = 0, nw, w, i, max_len, stride, max_ans, top_k;
    tfm_encode_options eo;
    tfm_status st = TFM_OK;
    double min_null = 1000000.0;
    int32_t cls = -1;
    int question_first = 1;
    tfm__cps cps;
    float *ps = NULL, *pe = NULL;
    int64_t *cand_s = NULL, *cand_e = NULL;
    double *cand_v = NULL;
    memset(&enc, 0, sizeof enc);
    memset(&cps, 0, sizeof cps);
    if (!in->text || !in->text_pair || !*in->text || !*in->text_pair)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "question-answering needs a non-empty question and context");
    {
        int64_t mml = tfm_tokenizer_model_max_length(p->tok);
        max_len = o->max_seq_len > 0 ? o->max_seq_len : TFM__MIN(mml, 384);
    }
    stride = o->doc_stride > 0 ? o->doc_stride : TFM__MIN(max_len / 2, 128);
    max_ans = o->max_answer_len > 0 ? o->max_answer_len : 15;
    top_k = o->top_k > 0 ? o->top_k : 1;
    if (o->top_k < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "top_k must be >= 1");
    if (stride > max_len)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "doc_stride (%lld) is larger than max_seq_len (%lld)",
                         (long long)stride, (long long)max_len);
    memset(&eo, 0, sizeof eo);
    eo.max_length = max_len;
    eo.stride = stride;
    {
        /* the reference puts the question first when the tokenizer pads on the right */
        tfm_encode_options probe;
        memset(&probe, 0, sizeof probe);
        question_first = !p->tok->config_pad_left;
    }
    eo.truncation = question_first ? TFM_TRUNCATE_ONLY_SECOND : TFM_TRUNCATE_ONLY_FIRST;
    if (question_first) st = tfm__encode(p, in->text, in->text_pair, &eo, &enc);
    else st = tfm__encode(p, in->text_pair, in->text, &eo, &enc);
    if (st != TFM_OK) goto done;
    nw = 1 + enc.n_overflowing;
    wins = (const tfm_encoding **)tfm__malloc((size_t)nw * sizeof(*wins));
    items = (tfm__item *)tfm__calloc((size_t)nw, sizeof(tfm__item));
    if (!wins || !items) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    wins[0] = &enc;
    for (w = 1; w < nw; w++) wins[w] = &enc.overflowing[w - 1];
    for (w = 0; w < nw && st == TFM_OK; w++) {
        items[w].enc = wins[w];
        st = tfm__check_fits(p, wins[w]);
    }
    if (st != TFM_OK || (st = tfm__run_items(p, items, nw, rc)) != TFM_OK) goto done;
    if ((st = tfm__cps_init(&cps, in->text_pair, strlen(in->text_pair))) != TFM_OK) goto done;
    tfm_tokenizer_special_token(p->tok, "cls", &cls);
    for (w = 0; w < nw && st == TFM_OK; w++) {
        const tfm_encoding *e = wins[w];
        int64_t L = e->length, s, t, nc = 0, k;
        ps = (float *)tfm__malloc((size_t)L * 2 * sizeof(float));
        cand_s = (int64_t *)tfm__malloc((size_t)(top_k + 1) * 2 * sizeof(int64_t));
        cand_v = (double *)tfm__malloc((size_t)(top_k + 1) * sizeof(double));
        if (!ps || !cand_s || !cand_v) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        pe = ps + L;
        cand_e = cand_s + top_k + 1;
        for (t = 0; t < L; t++) {
            int allowed = question_first ? (e->sequence_ids && e->sequence_ids[t] == 1) : 1;
            if (cls >= 0 && e->ids[t] == cls) allowed = 1;
            if (e->attention_mask && !e->attention_mask[t]) allowed = 0;
            ps[t] = allowed ? items[w].logits[2 * t] : -10000.0f;
            pe[t] = allowed ? items[w].logits[2 * t + 1] : -10000.0f;
        }
        tfm__softmax_f32(ps, L, ps);
        tfm__softmax_f32(pe, L, pe);
        if (o->handle_impossible_answer) {
            double null = (double)(ps[0] * pe[0]);
            if (null < min_null) min_null = null;
        }
        ps[0] = pe[0] = 0.0f;
        /* top_k products ps[s]*pe[e] over s <= e < s + max_answer_len, best first */
        for (s = 0; s < L; s++)
            for (t = s; t < L && t < s + max_ans; t++) {
                double v = (double)(ps[s] * pe[t]);
                if (nc == top_k && v <= cand_v[nc - 1]) continue;
                k = nc < top_k ? nc++ : nc - 1;
                while (k > 0 && cand_v[k - 1] < v) {
                    cand_v[k] = cand_v[k - 1];
                    cand_s[k] = cand_s[k - 1];
                    cand_e[k] = cand_e[k - 1];
                    k--;
                }
                cand_v[k] = v;
                cand_s[k] = s;
                cand_e[k] = t;
            }
        for (k = 0; k < nc; k++) {
            int64_t cs = cand_s[k], ce = cand_e[k], a0, a1, z;
            int ok_s, ok_e;
            const char *txt;
            size_t tl;
            tfm__answer *found = NULL;
            ok_s = (question_first ? (e->sequence_ids && e->sequence_ids[cs] == 1) : 1) || (cls >= 0 && e->ids[cs] == cls);
            ok_e = (question_first ? (e->sequence_ids && e->sequence_ids[ce] == 1) : 1) || (cls >= 0 && e->ids[ce] == cls);
            if (!ok_s || !ok_e) continue;
            if (!o->no_align_to_words) {
                int64_t dummy;
                tfm__word_chars(e, cs, question_first ? 1 : 0, &a0, &dummy, 0);
                tfm__word_chars(e, ce, question_first ? 1 : 0, &dummy, &a1, 1);
            } else {
                a0 = e->offsets[2 * cs];
                a1 = e->offsets[2 * ce + 1];
            }
            tfm__cps_span(&cps, a0, a1, &txt, &tl);
            for (z = 0; z < n_ans; z++) {
                tfm__buf x, y;
                int same;
                memset(&x, 0, sizeof x);
                memset(&y, 0, sizeof y);
                tfm__lower_utf8(&x, ans[z].text, ans[z].len);
                tfm__lower_utf8(&y, txt, tl);
                same = x.len == y.len && (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);
                TFM_FREE(x.data);
                TFM_FREE(y.data);
                if (same) {
                    found = &ans[z];
                    break;
                }
            }
            if (found) {
                found->score += cand_v[k];
                continue;
            }
            if (n_ans == cap_ans) {
                int64_t nc2 = cap_ans ? cap_ans * 2 : 8;
                tfm__answer *g = (tfm__answer *)TFM_REALLOC(ans, (size_t)nc2 * sizeof *ans);
                if (!g) {
                    st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
                    break;
                }
                ans = g;
                cap_ans = nc2;
            }
            ans[n_ans].score = cand_v[k];
            ans[n_ans].start = a0;
            ans[n_ans].end = a1;
            ans[n_ans].len = tl;
            ans[n_ans].text = (char *)tfm__malloc(tl + 1);
            if (!ans[n_ans].text) {
                st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
                break;
            }
            memcpy(ans[n_ans].text, txt, tl);
            ans[n_ans].text[tl] = 0;
            n_ans++;
        }
        TFM_FREE(ps);
        TFM_FREE(cand_s);
        TFM_FREE(cand_v);
        ps = NULL;
        cand_s = NULL;
        cand_v = NULL;
    }
    if (st != TFM_OK) goto done;
    if (o->handle_impossible_answer) {
        if (n_ans == cap_ans) {
            tfm__answer *g = (tfm__answer *)TFM_REALLOC(ans, (size_t)(cap_ans + 1) * sizeof *ans);
            if (!g) {
                st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
                goto done;
            }
            ans = g;
            cap_ans++;
        }
        ans[n_ans].score = min_null;
        ans[n_ans].start = ans[n_ans].end = 0;
        ans[n_ans].text = tfm__strdup("");
        ans[n_ans].len = 0;
        if (!ans[n_ans].text) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            goto done;
        }
        n_ans++;
    }
    /* stable sort by score, descending */
    for (i = 1; i < n_ans; i++) {
        tfm__answer v = ans[i];
        int64_t j = i;
        while (j > 0 && ans[j - 1].score < v.score) {
            ans[j] = ans[j - 1];
            j--;
        }
        ans[j] = v;
    }
    {
        int64_t k = TFM__MIN(top_k, n_ans);
        if (k != 1) tfm__buf_puts(b, "[");
        for (i = 0; i < k; i++) {
            if (i) tfm__buf_puts(b, ", ");
            tfm__buf_puts(b, "{\"score\": ");
            tfm__json_num(b, ans[i].score);
            tfm__buf_printf(b, ", \"start\": %lld, \"end\": %lld, \"answer\": ", (long long)ans[i].start,
                            (long long)ans[i].end);
            tfm__json_text(b, ans[i].text, ans[i].len);
            tfm__buf_puts(b, "}");
        }
        if (k != 1) tfm__buf_puts(b, "]");
    }
done:
    for (i = 0; i < n_ans; i++) TFM_FREE(ans[i].text);
    TFM_FREE(ans);
    TFM_FREE(ps);
    TFM_FREE(cand_s);
    TFM_FREE(cand_v);
    tfm__items_free(items, items ? (1 + enc.n_overflowing) : 0);
    TFM_FREE(wins);
    tfm_encoding_free(&enc);
    tfm__cps_free(&cps);
    return st;
}

static tfm_status tfm__task_qa(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                               const tfm_pipeline_options *o, tfm__buf *b) {
    tfm__run_cfg rc;
    tfm_status st = TFM_OK;
    int64_t i;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    if (o->max_answer_len < 0) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "max_answer_len must be >= 1");
    if (as_list) tfm__buf_puts(b, "[");
    for (i = 0; i < n && st == TFM_OK; i++) {
        if (i) tfm__buf_puts(b, ", ");
        st = tfm__qa_one(p, &in[i], o, &rc, b);
    }
    if (as_list) tfm__buf_puts(b, "]");
    return st;
}

/* ---- fill-mask ---- */

static tfm_status tfm__fill_targets(const tfm_pipeline *p, const tfm_pipeline_options *o, int32_t **ids, int64_t *n) {
    int64_t i, j, k = 0;
    *ids = NULL;
    *n = 0;
    if (!o->targets || o->n_targets <= 0) return TFM_OK;
    *ids = (int32_t *)tfm__malloc((size_t)o->n_targets * sizeof(int32_t));
    if (!*ids) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    for (i = 0; i < o->n_targets; i++) {
        const char *t = o->targets[i];
        int32_t id;
        if (!t) continue;
        id = tfm_tokenizer_token_to_id(p->tok, t);
        if (id < 0) {
            tfm_encoding e;
            tfm_encode_options eo;
            memset(&eo, 0, sizeof eo);
            eo.no_special_tokens = 1;
            if (tfm_tokenizer_encode(p->tok, t, strlen(t), NULL, 0, &eo, &e) != TFM_OK) {
                TFM_FREE(*ids);
                *ids = NULL;
                return TFM_ERR_INVALID_ARGUMENT;
            }
            if (e.length > 0) {
                id = e.ids[0];
                tfm__log(TFM_LOG_WARN, "fill-mask target '%s' is not in the vocabulary; using its first token", t);
            }
            tfm_encoding_free(&e);
            if (id < 0) continue;
        }
        for (j = 0; j < k; j++)
            if ((*ids)[j] == id) break;
        if (j == k) (*ids)[k++] = id;
    }
    if (k == 0) {
        TFM_FREE(*ids);
        *ids = NULL;
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "fill-mask: at least one target must be provided when passed");
    }
    *n = k;
    return TFM_OK;
}

static tfm_status tfm__task_fill(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                 const tfm_pipeline_options *o, tfm__buf *b) {
    tfm_encoding *encs = (tfm_encoding *)tfm__calloc((size_t)n, sizeof(tfm_encoding));
    tfm__item *items = (tfm__item *)tfm__calloc((size_t)n, sizeof(tfm__item));
    tfm__run_cfg rc;
    tfm_status st = TFM_OK;
    int64_t i, t, V = p->model->vocab, n_targets = 0, top_k;
    int32_t mask_id = -1, pad_id = -1, *targets = NULL, *seq = NULL;
    float *probs = NULL, *cand = NULL;
    int64_t *idx = NULL;
    const char *mask_str = tfm_tokenizer_special_token(p->tok, "mask", &mask_id);
    tfm_tokenizer_special_token(p->tok, "pad", &pad_id);
    if (!encs || !items) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    if (!mask_str || mask_id < 0) {
        st = tfm__fail(TFM_ERR_FORMAT, "fill-mask: the tokenizer has no mask token");
        goto done;
    }
    if ((st = tfm__fill_targets(p, o, &targets, &n_targets)) != TFM_OK) goto done;
    top_k = o->top_k > 0 ? o->top_k : 5;
    if (n_targets && top_k > n_targets) top_k = n_targets;
    for (i = 0; i < n && st == TFM_OK; i++) {
        int64_t masks = 0;
        st = tfm__encode(p, in[i].text, NULL, NULL, &encs[i]);
        if (st == TFM_OK) st = tfm__check_fits(p, &encs[i]);
        for (t = 0; st == TFM_OK && t < encs[i].length; t++) masks += encs[i].ids[t] == mask_id;
        if (st == TFM_OK && masks == 0)
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "No mask_token (%s) found on the input", mask_str);
        items[i].enc = &encs[i];
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    if ((st = tfm__run_items(p, items, n, &rc)) != TFM_OK) goto done;
    probs = (float *)tfm__malloc((size_t)V * sizeof(float));
    cand = (float *)tfm__malloc((size_t)V * sizeof(float));
    idx = (int64_t *)tfm__malloc((size_t)V * sizeof(int64_t));
    if (!probs || !cand || !idx) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    if (as_list && n > 1) tfm__buf_puts(b, "[");
    for (i = 0; i < n && st == TFM_OK; i++) {
        const tfm_encoding *e = &encs[i];
        int64_t masks = 0, mi = 0, k, c;
        for (t = 0; t < e->length; t++) masks += e->ids[t] == mask_id;
        if (i) tfm__buf_puts(b, ", ");
        if (masks > 1) tfm__buf_puts(b, "[");
        seq = (int32_t *)tfm__malloc((size_t)(e->length + 1) * sizeof(int32_t));
        if (!seq) {
            st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
            break;
        }
        for (t = 0; t < e->length && st == TFM_OK; t++) {
            int64_t nc;
            if (e->ids[t] != mask_id) continue;
            if (mi++) tfm__buf_puts(b, ", ");
            tfm__softmax_f32(items[i].logits + t * V, V, probs);
            if (n_targets) {
                for (c = 0; c < n_targets; c++) cand[c] = targets[c] < V ? probs[targets[c]] : 0.0f;
                nc = n_targets;
            } else {
                memcpy(cand, probs, (size_t)V * sizeof(float));
                nc = V;
            }
            /* partial selection of the top_k */
            for (k = 0; k < top_k && k < nc; k++) {
                int64_t best = -1;
                for (c = 0; c < nc; c++) {
                    int64_t z, taken = 0;
                    for (z = 0; z < k; z++) taken |= idx[z] == c;
                    if (taken) continue;
                    if (best < 0 || cand[c] > cand[best]) best = c;
                }
                idx[k] = best;
            }
            tfm__buf_puts(b, "[");
            for (k = 0; k < top_k && k < nc; k++) {
                int32_t id = n_targets ? targets[idx[k]] : (int32_t)idx[k];
                char *tok_str = NULL, *seq_str = NULL;
                size_t tl = 0, sl = 0;
                int64_t z, m = 0;
                for (z = 0; z < e->length; z++) {
                    int32_t v = z == t ? id : e->ids[z];
                    if (pad_id >= 0 && v == pad_id) continue;
                    seq[m++] = v;
                }
                st = tfm_tokenizer_decode_text(p->tok, &id, 1, 0, &tok_str, &tl);
                if (st == TFM_OK) st = tfm_tokenizer_decode_text(p->tok, seq, m, masks == 1, &seq_str, &sl);
                if (st == TFM_OK) {
                    if (k) tfm__buf_puts(b, ", ");
                    tfm__buf_puts(b, "{\"score\": ");
                    tfm__json_num(b, cand[idx[k]]);
                    tfm__buf_printf(b, ", \"token\": %d, \"token_str\": ", (int)id);
                    tfm__json_text(b, tok_str, tl);
                    tfm__buf_puts(b, ", \"sequence\": ");
                    tfm__json_text(b, seq_str, sl);
                    tfm__buf_puts(b, "}");
                }
                tfm_free(tok_str);
                tfm_free(seq_str);
                if (st != TFM_OK) break;
            }
            tfm__buf_puts(b, "]");
        }
        TFM_FREE(seq);
        seq = NULL;
        if (masks > 1) tfm__buf_puts(b, "]");
    }
    if (as_list && n > 1) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < n; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? n : 0);
    TFM_FREE(targets);
    TFM_FREE(probs);
    TFM_FREE(cand);
    TFM_FREE(idx);
    TFM_FREE(seq);
    return st;
}

/* ---- zero-shot-classification ---- */

/* Python str.format(label) for "{}" / "{0}" fields and "{{" "}}" escapes. */
static tfm_status tfm__format_template(const char *tpl, const char *label, tfm__buf *out) {
    const char *s = tpl;
    int fields = 0;
    while (*s) {
        if (s[0] == '{' && s[1] == '{') {
            tfm__buf_append(out, "{", 1);
            s += 2;
        } else if (s[0] == '}' && s[1] == '}') {
            tfm__buf_append(out, "}", 1);
            s += 2;
        } else if (s[0] == '{' && s[1] == '}') {
            tfm__buf_puts(out, label);
            s += 2;
            fields++;
        } else if (s[0] == '{' && s[1] == '0' && s[2] == '}') {
            tfm__buf_puts(out, label);
            s += 3;
            fields++;
        } else if (*s == '{' || *s == '}') {
            return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "hypothesis_template \"%s\": only {} fields are supported", tpl);
        } else {
            tfm__buf_append(out, s, 1);
            s++;
        }
    }
    tfm__buf_append(out, "", 1);
    if (!fields)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "The provided hypothesis_template \"%s\" was not able to be formatted "
                         "with the target labels. Make sure the passed template includes formatting syntax such as "
                         "{} where the label should go.", tpl);
    return out->failed ? tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory") : TFM_OK;
}

static int64_t tfm__entailment_id(const tfm_model *m) {
    const tfm_json *l2i = tfm_config_get(m->cfg, "label2id");
    size_t i;
    for (i = 0; i < tfm_json_len(l2i); i++) {
        const char *k = tfm_json_key_at(l2i, i);
        if (k && (k[0] == 'e' || k[0] == 'E') && strlen(k) >= 6) {
            char low[7];
            int j;
            for (j = 0; j < 6; j++) low[j] = (char)((k[j] >= 'A' && k[j] <= 'Z') ? k[j] + 32 : k[j]);
            low[6] = 0;
            if (!strcmp(low, "entail")) return tfm_json_int(tfm_json_at(l2i, i), -1);
        }
    }
    return -1;
}

static tfm_status tfm__task_zero_shot(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                      const tfm_pipeline_options *o, tfm__buf *b) {
    int64_t nl = o->n_candidate_labels, i, j, total, nlab = p->model->num_labels, ent, con;
    tfm_encoding *encs = NULL;
    tfm__item *items = NULL;
    tfm__run_cfg rc;
    tfm_status st = TFM_OK;
    const char *tpl = o->hypothesis_template ? o->hypothesis_template : "This example is {}.";
    float *scores = NULL;
    int64_t *idx = NULL;
    if (!o->candidate_labels || nl <= 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "You must include at least one label and at least one sequence.");
    ent = tfm__entailment_id(p->model);
    if (ent < 0) tfm__log(TFM_LOG_WARN, "zero-shot: no label starting with 'entail' in label2id; using the last logit");
    con = ent == 0 ? nlab - 1 : 0;
    if (ent < 0) ent = nlab - 1;
    if (ent >= nlab) return tfm__fail(TFM_ERR_FORMAT, "config.json: entailment id %lld outside the labels", (long long)ent);
    total = n * nl;
    encs = (tfm_encoding *)tfm__calloc((size_t)total, sizeof(tfm_encoding));
    items = (tfm__item *)tfm__calloc((size_t)total, sizeof(tfm__item));
    scores = (float *)tfm__malloc((size_t)nl * sizeof(float));
    idx = (int64_t *)tfm__malloc((size_t)nl * sizeof(int64_t));
    if (!encs || !items || !scores || !idx) {
        st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
        goto done;
    }
    for (i = 0; i < n && st == TFM_OK; i++) {
        if (!in[i].text || !*in[i].text) {
            st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "You must include at least one label and at least one sequence.");
            break;
        }
        for (j = 0; j < nl && st == TFM_OK; j++) {
            tfm__buf hyp;
            tfm_encode_options eo;
            tfm_encoding *e = &encs[i * nl + j];
            memset(&hyp, 0, sizeof hyp);
            st = tfm__format_template(tpl, o->candidate_labels[j] ? o->candidate_labels[j] : "", &hyp);
            if (st == TFM_OK) {
                memset(&eo, 0, sizeof eo);
                eo.truncation = TFM_TRUNCATE_ONLY_FIRST;
                st = tfm_tokenizer_encode(p->tok, in[i].text, strlen(in[i].text), hyp.data, hyp.len - 1, &eo, e);
                if (st != TFM_OK) { /* the reference retries without truncation when the premise is too short */
                    tfm_encoding_free(e);
                    tfm_clear_error();
                    eo.truncation = TFM_TRUNCATE_NONE;
                    st = tfm_tokenizer_encode(p->tok, in[i].text, strlen(in[i].text), hyp.data, hyp.len - 1, &eo, e);
                }
                if (st == TFM_OK) st = tfm__check_fits(p, e);
            }
            TFM_FREE(hyp.data);
            items[i * nl + j].enc = e;
        }
    }
    if (st != TFM_OK) goto done;
    memset(&rc, 0, sizeof rc);
    rc.o = o;
    if ((st = tfm__run_items(p, items, total, &rc)) != TFM_OK) goto done;
    if (as_list) tfm__buf_puts(b, "[");
    for (i = 0; i < n; i++) {
        if (!o->multi_label && nl > 1) {
            float sum = 0;
            for (j = 0; j < nl; j++) sum += (scores[j] = expf(items[i * nl + j].logits[ent]));
            for (j = 0; j < nl; j++) scores[j] /= sum;
        } else {
            for (j = 0; j < nl; j++) {
                float e1 = expf(items[i * nl + j].logits[ent]), c1 = expf(items[i * nl + j].logits[con]);
                scores[j] = e1 / (c1 + e1);
            }
        }
        tfm__sort_desc(scores, nl, idx);
        if (i) tfm__buf_puts(b, ", ");
        tfm__buf_puts(b, "{\"sequence\": ");
        tfm__json_text(b, in[i].text, strlen(in[i].text));
        tfm__buf_puts(b, ", \"labels\": [");
        for (j = 0; j < nl; j++) {
            const char *lab = o->candidate_labels[idx[j]] ? o->candidate_labels[idx[j]] : "";
            if (j) tfm__buf_puts(b, ", ");
            tfm__json_text(b, lab, strlen(lab));
        }
        tfm__buf_puts(b, "], \"scores\": [");
        for (j = 0; j < nl; j++) {
            if (j) tfm__buf_puts(b, ", ");
            tfm__json_num(b, scores[idx[j]]);
        }
        tfm__buf_puts(b, "]}");
    }
    if (as_list) tfm__buf_puts(b, "]");
done:
    for (i = 0; encs && i < total; i++) tfm_encoding_free(&encs[i]);
    TFM_FREE(encs);
    tfm__items_free(items, items ? total : 0);
    TFM_FREE(scores);
    TFM_FREE(idx);
    return st;
}

/* ---- text-generation ---- */

static tfm_status tfm__task_textgen(tfm_pipeline *p, const tfm_pipeline_input *in, int64_t n, int as_list,
                                    const tfm_pipeline_options *o, tfm__buf *b) {
    tfm_generation_options go;
    tfm_generation_result r;
    tfm_ctx ctx;
    tfm_status st = TFM_OK;
    int64_t g0, j, k, bs = o->batch_size > 1 ? o->batch_size : 1, nret;
    tfm_encoding *encs = (tfm_encoding *)tfm__calloc((size_t)bs, sizeof(tfm_encoding));
    const int32_t **prs = (const int32_t **)tfm__calloc((size_t)bs, sizeof(int32_t *));
    int64_t *plens = (int64_t *)tfm__calloc((size_t)bs, sizeof(int64_t));
    if (!encs || !prs || !plens) {
        TFM_FREE(encs);
        TFM_FREE(prs);
        TFM_FREE(plens);
        return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    }
    memset(&go, 0, sizeof go);
    if (o->generation) go = *o->generation;
    if (!go.max_new_tokens && !(p->model->gen_config && tfm_config_get(p->model->gen_config, "max_new_tokens")))
        go.max_new_tokens = 256; /* the pipeline's own default */
    nret = go.num_return_sequences > 1 ? go.num_return_sequences : 1;
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = p->pool;
    ctx.compute = o->compute;
    if (as_list) tfm__buf_puts(b, "[");
    /* batch_size prompts at a time share one left-padded batch */
    for (g0 = 0; g0 < n && st == TFM_OK; g0 += bs) {
        int64_t cnt = TFM__MIN(bs, n - g0);
        for (j = 0; j < cnt && st == TFM_OK; j++) {
            const char *text = in[g0 + j].text;
            if (!text) {
                st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "text-generation input has no text");
                break;
            }
            if ((st = tfm__encode(p, text, NULL, NULL, &encs[j])) != TFM_OK) break;
            if (encs[j].length == 0)
                st = tfm__fail(TFM_ERR_INVALID_ARGUMENT, "text-generation: the prompt encodes to no tokens (this tokenizer "
                               "adds no BOS); give some text");
            prs[j] = encs[j].ids;
            plens[j] = encs[j].length;
        }
        if (st == TFM_OK && (st = tfm_generate(p->model, p->tok, &ctx, prs, plens, cnt, &go, &r)) == TFM_OK) {
            for (j = 0; j < cnt && st == TFM_OK; j++) {
                if (g0 + j) tfm__buf_puts(b, ", ");
                tfm__buf_puts(b, "[");
                for (k = j * nret; k < (j + 1) * nret && st == TFM_OK; k++) {
                    if (k > j * nret) tfm__buf_puts(b, ", ");
                    if (o->return_tensors) {
                        int64_t t;
                        tfm__buf_puts(b, "{\"generated_token_ids\": [");
                        for (t = 0; t < r.lens[k]; t++) tfm__buf_printf(b, t ? ", %d" : "%d", (int)r.ids[k][t]);
                        tfm__buf_puts(b, "]}");
                    } else {
                        /* the new tokens decoded on their own (as transformers 5 does), after the prompt text */
                        char *nt = NULL;
                        size_t nl = 0;
                        st = tfm_tokenizer_decode_text(p->tok, r.ids[k] + r.prompt_lens[k], r.lens[k] - r.prompt_lens[k],
                                                       1, &nt, &nl);
                        if (st == TFM_OK) {
                            tfm__buf_puts(b, "{\"generated_text\": ");
                            if (o->return_full_text >= 0) {
                                tfm__buf t2;
                                memset(&t2, 0, sizeof t2);
                                tfm__buf_puts(&t2, in[g0 + j].text);
                                tfm__buf_append(&t2, nt, nl);
                                tfm__json_text(b, t2.data ? t2.data : "", t2.len);
                                if (t2.failed) b->failed = 1;
                                TFM_FREE(t2.data);
                            } else
                                tfm__json_text(b, nt, nl);
                            tfm__buf_puts(b, "}");
                        }
                        tfm_free(nt);
                    }
                }
                tfm__buf_puts(b, "]");
            }
            tfm_generation_result_free(&r);
        }
        for (j = 0; j < cnt; j++) tfm_encoding_free(&encs[j]);
        if (o->progress) o->progress(o->progress_user, g0 + cnt, n);
    }
    if (as_list) tfm__buf_puts(b, "]");
    TFM_FREE(encs);
    TFM_FREE(prs);
    TFM_FREE(plens);
    return st;
}

/* ---- open / run / free ---- */

static tfm_status tfm__pipeline_keep(tfm_pipeline *p, const char *s, const char **dst) {
    char **grown;
    *dst = NULL;
    if (!s) return TFM_OK;
    grown = (char **)TFM_REALLOC(p->strings, (size_t)(p->n_strings + 1) * sizeof(char *));
    if (!grown) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    p->strings = grown;
    if (!(p->strings[p->n_strings] = tfm__strdup(s))) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    *dst = p->strings[p->n_strings++];
    return TFM_OK;
}

static tfm_status tfm__pipeline_keep_list(tfm_pipeline *p, const char *const *src, int64_t n, const char *const **dst) {
    const char **arr;
    int64_t i;
    tfm_status st;
    *dst = NULL;
    if (!src || n <= 0) return TFM_OK;
    arr = (const char **)tfm__calloc((size_t)n, sizeof(char *));
    if (!arr) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    if ((st = tfm__pipeline_keep(p, "", &arr[0])) != TFM_OK) {
        TFM_FREE(arr);
        return st;
    }
    /* the array itself is kept in the strings list so it is freed with them */
    TFM_FREE(p->strings[p->n_strings - 1]);
    p->strings[p->n_strings - 1] = (char *)arr;
    arr[0] = NULL;
    for (i = 0; i < n; i++)
        if ((st = tfm__pipeline_keep(p, src[i], &arr[i])) != TFM_OK) return st;
    *dst = arr;
    return TFM_OK;
}

static tfm_status tfm__pipeline_init(tfm_pipeline *p, int task, const tfm_pipeline_options *opts) {
    tfm_status st = TFM_OK;
    tfm_pipeline_options *o = &p->opts;
    p->task = task;
    if (opts) *o = *opts;
    if (st == TFM_OK) st = tfm__pipeline_keep(p, opts ? opts->function_to_apply : NULL, &o->function_to_apply);
    if (st == TFM_OK) st = tfm__pipeline_keep(p, opts ? opts->aggregation_strategy : NULL, &o->aggregation_strategy);
    if (st == TFM_OK) st = tfm__pipeline_keep(p, opts ? opts->hypothesis_template : NULL, &o->hypothesis_template);
    if (st == TFM_OK && opts)
        st = tfm__pipeline_keep_list(p, opts->ignore_labels, opts->n_ignore_labels, &o->ignore_labels);
    if (st == TFM_OK && opts) st = tfm__pipeline_keep_list(p, opts->targets, opts->n_targets, &o->targets);
    if (st == TFM_OK && opts)
        st = tfm__pipeline_keep_list(p, opts->candidate_labels, opts->n_candidate_labels, &o->candidate_labels);
    if (st != TFM_OK) return st;
    p->threads = opts ? opts->threads : 0;
    if (p->threads != 1) {
        p->pool = tfm_pool_create(p->threads);
        if (!p->pool) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "cannot create the thread pool");
    }
#if !defined(TFM_NO_THREADS)
    pthread_mutex_init(&p->lock, NULL);
#endif
    if (task == TFM__TASK_TOKENS && tfm__strategy(o->aggregation_strategy) < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "aggregation_strategy \"%s\" is not one of none, simple, first, "
                         "average, max", o->aggregation_strategy);
    return TFM_OK;
}

static tfm_status tfm__pipeline_check_model(const tfm_pipeline *p) {
    tfm_head want = tfm__task_head(p->task);
    if (want != TFM_HEAD_BASE && p->model->head != want)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "this model has no head for the task (config.json architectures "
                         "names another head)");
    if ((p->task == TFM__TASK_CLASSIFY || p->task == TFM__TASK_TOKENS) && !p->model->labels)
        return tfm__fail(TFM_ERR_FORMAT, "the model has no labels");
    return TFM_OK;
}

TFMDEF tfm_status tfm_pipeline_open(const char *task, const char *dir, const tfm_pipeline_options *opts,
                                    tfm_pipeline **out) {
    tfm_pipeline *p;
    tfm_status st;
    int t = tfm__task_from_name(task);
    if (!dir || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_pipeline_open: NULL argument");
    *out = NULL;
    if (!t) return tfm__fail(TFM_ERR_UNSUPPORTED, "unknown task \"%s\"", task ? task : "(null)");
    p = (tfm_pipeline *)tfm__calloc(1, sizeof *p);
    if (!p) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    p->owns = 1;
    if ((st = tfm__pipeline_init(p, t, opts)) != TFM_OK) goto fail;
    if ((st = tfm_model_load(dir, tfm__task_head(t) == TFM_HEAD_BASE ? TFM_HEAD_BASE : TFM_HEAD_AUTO, &p->model)) != TFM_OK)
        goto fail;
    if (t != TFM__TASK_FEATURES && t != TFM__TASK_SENTENCE && t != TFM__TASK_TEXTGEN && p->model->head != tfm__task_head(t)) {
        /* a checkpoint without "architectures": try the task's head directly */
        tfm_model_free(p->model);
        p->model = NULL;
        if ((st = tfm_model_load(dir, tfm__task_head(t), &p->model)) != TFM_OK) goto fail;
    }
    if ((st = tfm_tokenizer_load(dir, &p->tok)) != TFM_OK) goto fail;
    if ((st = tfm__pipeline_check_model(p)) != TFM_OK) goto fail;
    if (t == TFM__TASK_SENTENCE && (st = tfm__st_load(p, dir)) != TFM_OK) goto fail;
    *out = p;
    return TFM_OK;
fail:
    tfm_pipeline_free(p);
    return st;
}

TFMDEF tfm_status tfm_pipeline_open_with(const char *task, const tfm_model *model, const tfm_tokenizer *tok,
                                         const tfm_pipeline_options *opts, tfm_pipeline **out) {
    tfm_pipeline *p;
    tfm_status st;
    int t = tfm__task_from_name(task);
    if (!model || !tok || !out) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_pipeline_open_with: NULL argument");
    *out = NULL;
    if (!t) return tfm__fail(TFM_ERR_UNSUPPORTED, "unknown task \"%s\"", task ? task : "(null)");
    if (t == TFM__TASK_SENTENCE)
        return tfm__fail(TFM_ERR_UNSUPPORTED, "sentence-embedding needs the folder: use tfm_pipeline_open");
    p = (tfm_pipeline *)tfm__calloc(1, sizeof *p);
    if (!p) return tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory");
    p->model = (tfm_model *)model;
    p->tok = (tfm_tokenizer *)tok;
    if ((st = tfm__pipeline_init(p, t, opts)) != TFM_OK || (st = tfm__pipeline_check_model(p)) != TFM_OK) {
        tfm_pipeline_free(p);
        return st;
    }
    *out = p;
    return TFM_OK;
}

TFMDEF void tfm_pipeline_free(tfm_pipeline *p) {
    int64_t i;
    if (!p) return;
    if (p->owns) {
        tfm_model_free(p->model);
        tfm_tokenizer_free(p->tok);
    }
    tfm__st_free(&p->st);
    tfm_pool_free(p->pool);
    for (i = 0; i < p->n_strings; i++) TFM_FREE(p->strings[i]);
    TFM_FREE(p->strings);
#if !defined(TFM_NO_THREADS)
    if (p->task) pthread_mutex_destroy(&p->lock);
#endif
    TFM_FREE(p);
}

TFMDEF tfm_status tfm_pipeline_run(tfm_pipeline *p, const tfm_pipeline_input *inputs, int64_t n, int as_list,
                                   const tfm_pipeline_options *opts, tfm_json **result) {
    tfm__buf b;
    tfm_status st;
    const tfm_pipeline_options *o;
    if (result) *result = NULL;
    if (!p || !result || (n > 0 && !inputs) || n < 0)
        return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_pipeline_run: bad arguments");
    if (!as_list && n != 1) return tfm__fail(TFM_ERR_INVALID_ARGUMENT, "tfm_pipeline_run: a single call takes 1 input");
    o = opts ? opts : &p->opts;
    memset(&b, 0, sizeof b);
#if !defined(TFM_NO_THREADS)
    if (p->pool) pthread_mutex_lock(&p->lock);
#endif
    switch (p->task) {
    case TFM__TASK_FEATURES: st = tfm__task_features(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_SENTENCE: st = tfm__task_sentence(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_CLASSIFY: st = tfm__task_classify(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_TOKENS: st = tfm__task_tokens(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_QA: st = tfm__task_qa(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_FILL: st = tfm__task_fill(p, inputs, n, as_list, o, &b); break;
    case TFM__TASK_TEXTGEN: st = tfm__task_textgen(p, inputs, n, as_list, o, &b); break;
    default: st = tfm__task_zero_shot(p, inputs, n, as_list, o, &b); break;
    }
#if !defined(TFM_NO_THREADS)
    if (p->pool) pthread_mutex_unlock(&p->lock);
#endif
    if (st == TFM_OK && b.failed) st = tfm__fail(TFM_ERR_OUT_OF_MEMORY, "out of memory writing the result");
    if (st == TFM_OK) {
        *result = tfm_json_parse(b.data ? b.data : "null", b.data ? b.len : 4, "pipeline result");
        if (!*result) st = TFM_ERR_FORMAT;
    }
    TFM_FREE(b.data);
    return st;
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
