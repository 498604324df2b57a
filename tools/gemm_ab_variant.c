/* One build of the library behind plain entry points, for tools/gemm_ab.sh. Compiled once per
   variant with that variant's -D flags and TFM_AB_VARIANT=n; TFM_STATIC keeps the copies apart
   in one program. The variants share the thread pool that variant 0 creates, so their flags must
   not change the pool (no TFM_NO_THREADS). */
#define TFM_STATIC
#define TRANSFORMERS_IMPLEMENTATION
#include "../transformers.h"

#define TFM_AB_CAT2(a, b) a##b
#define TFM_AB_CAT(a, b) TFM_AB_CAT2(a, b)
#define TFM_AB_FN(name) TFM_AB_CAT(TFM_AB_CAT(tfm_ab_v, TFM_AB_VARIANT), name)

void *TFM_AB_FN(_pool)(int threads);
int TFM_AB_FN(_gemm)(void *pool, int trans_b, int64_t M, int64_t N, int64_t K, const float *A, const float *B,
                     float *C);

void *TFM_AB_FN(_pool)(int threads) { return tfm_pool_create(threads); }

/* C = A . op(B), f32, the best ISA; returns a tfm_status. */
int TFM_AB_FN(_gemm)(void *pool, int trans_b, int64_t M, int64_t N, int64_t K, const float *A, const float *B,
                     float *C) {
    tfm_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.pool = (tfm_pool *)pool;
    return (int)tfm_gemm(&ctx, trans_b, M, N, K, 1.0f, A, K, TFM_F32, B, trans_b ? K : N, 0.0f, C, N);
}
