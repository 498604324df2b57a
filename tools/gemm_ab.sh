#!/bin/sh
# Paired A/B timing of GEMM builds: each quoted argument is one variant's compiler flags (2 to 4);
# they are built into one program (tools/gemm_ab.c) that runs them call by call in turn.
#   sh tools/gemm_ab.sh "" "-DTFM__GEMM_KC_AVX512=384"        # current code against KC 384
#   sh tools/gemm_ab.sh "" ""                                 # the noise floor: two identical builds
#   GEMM_AB_ARGS="--threads 2 --reps 100 --shape 512x512x512" sh tools/gemm_ab.sh "" "-DTFM__GEMM_GUIDED=0"
# Pin the cores for steadier figures: GEMM_AB_RUN="taskset -c 2,3" sh tools/gemm_ab.sh ...
set -e
cd "$(dirname "$0")/.."
CC=${CC:-cc}
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: sh tools/gemm_ab.sh \"FLAGS v0\" \"FLAGS v1\" [\"FLAGS v2\" [\"FLAGS v3\"]]" >&2
    exit 2
fi
mkdir -p build/gemm_ab
n=0
objs=""
for flags in "$@" "" "" ""; do # unused slots get plain builds so the program links
    [ $n -ge 4 ] && break
    # shellcheck disable=SC2086 # the flags are meant to split
    $CC -O2 -std=c99 -c -o build/gemm_ab/v$n.o -DTFM_AB_VARIANT=$n $flags tools/gemm_ab_variant.c &
    objs="$objs build/gemm_ab/v$n.o"
    n=$((n + 1))
done
wait
# shellcheck disable=SC2086
$CC -O2 -std=c99 -o build/gemm_ab/gemm_ab tools/gemm_ab.c $objs -lm -lpthread
# shellcheck disable=SC2086
exec ${GEMM_AB_RUN:-} build/gemm_ab/gemm_ab --variants $# ${GEMM_AB_ARGS:-}
