# transformers.h - build, tests, fuzzing (GNU make).
#
#   make                  build/tfm (from tools/tfm.c, when present) and the examples
#   make demo             the above, then runs them on a bundled tiny model (tests/fixtures/models)
#   make test             unit tests (-O2), the C++ and static/no-threads builds; last line "N passed, N failed"
#   make test-asan        the same under AddressSanitizer + UndefinedBehaviorSanitizer (leaks checked)
#   make fuzz             libFuzzer harnesses (clang), FUZZ_SECONDS each, both at once
#   make fuzz-tokenizers  the two tokenizer harnesses (tokenizer.json loading, encoding), likewise
#   make fuzz-images      the two image harnesses (PNG/BMP/PPM + base64, JPEG), likewise
#   make clean
#
# Variables: CC (default gcc), CXX, FILTER=substring (run only matching tests),
#            KERNELS=auto|1|0 (kernel tests, tests/test_kernels.c; auto: on when the header defines them),
#            TFM_FIXTURES (fixture folder, default tests/fixtures), FUZZ_SECONDS (default 600),
#            FUZZ_ARGS (extra libFuzzer flags).

ifeq ($(origin CC),default)
CC := gcc
endif
ifeq ($(origin CXX),default)
CXX := $(if $(findstring clang,$(CC)),clang++,c++)
endif

BUILD   ?= build
FILTER  ?=
# auto: compile tests/test_kernels.c when the header defines the kernels (declaration + definition)
KERNELS ?= auto
FUZZ_SECONDS ?= 600
# extra libFuzzer flags, e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to keep going past known crashes
FUZZ_ARGS ?=
FUZZ_CC ?= clang

LDLIBS  := -lm -lpthread
WARN    := -std=c99 -Wall -Wextra -Wpedantic -Werror
CXXWARN := -std=c++11 -Wall -Wextra -Wpedantic -Werror
CFLAGS  ?= -O2
SAN     := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
SAN_ENV := UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0


LPAREN := (
ifeq ($(KERNELS),auto)
KERNELS := $(shell n=0; for f in tfm_gemm tfm_attention tfm_conv2d tfm_rope; do \
             c=`grep -c "^TFMDEF [a-z_ ]*[ *]$$f[$(LPAREN)]" transformers.h`; [ "$$c" -ge 2 ] && n=`expr $$n + 1`; done; \
             [ $$n = 4 ] && echo 1 || echo 0)
endif
ifeq ($(KERNELS),1)
KFLAGS := -DTFM_TEST_KERNELS
else
KFLAGS :=
endif

# rebuild the tests when the compiler or the kernel switch changes
FLAGS_STAMP := $(BUILD)/.test-flags
$(shell mkdir -p $(BUILD); echo '$(CC) $(CXX) $(KFLAGS)' | cmp -s - $(FLAGS_STAMP) || echo '$(CC) $(CXX) $(KFLAGS)' > $(FLAGS_STAMP))

HEADER     := transformers.h
TEST_SRCS  := $(wildcard tests/test_*.c) tests/test.h
TFM_SRC    := $(wildcard tools/tfm.c)
EXAMPLES   := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
FUZZ_SRCS  := tests/fuzz_json.c tests/fuzz_safetensors.c tests/fuzz_tokenizer.c tests/fuzz_image.c

.PHONY: all demo test test-asan fuzz fuzz-tokenizers fuzz-images fuzz-build fuzz-check clean tfm examples

all: tfm examples

ifneq ($(TFM_SRC),)
tfm: $(BUILD)/tfm
$(BUILD)/tfm: $(wildcard tools/*.c) $(HEADER) | $(BUILD)
	$(CC) $(CFLAGS) -I. -o $@ tools/tfm.c $(LDLIBS)
else
tfm:
	@echo "skipping $(BUILD)/tfm: tools/tfm.c does not exist yet"
endif

examples: $(EXAMPLES)
$(BUILD)/examples/%: examples/%.c $(HEADER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I. -o $@ $< $(LDLIBS)

$(BUILD):
	@mkdir -p $(BUILD)

DEMO_MODEL ?= tests/fixtures/models/bert-f32
DEMO_TOKENIZER ?= tests/fixtures/tokenizers/bert-base-uncased

demo: all
	@st=0; \
	if [ -x $(BUILD)/tfm ]; then echo "==> $(BUILD)/tfm inspect $(DEMO_MODEL)"; $(BUILD)/tfm inspect $(DEMO_MODEL) || st=1; fi; \
	if [ -x $(BUILD)/tfm ]; then echo "==> $(BUILD)/tfm tokenize --model $(DEMO_TOKENIZER) ..."; \
	  $(BUILD)/tfm tokenize --model $(DEMO_TOKENIZER) "Hello, world! transformers.h tokenizes like Python." || st=1; fi; \
	if [ -x $(BUILD)/tfm ]; then echo "==> $(BUILD)/tfm ner / text-generation / image-classification on the bundled tiny random models"; \
	  $(BUILD)/tfm ner --model tests/fixtures/text/bert-tokcls --aggregation-strategy simple "John Smith works in Paris." || st=1; \
	  $(BUILD)/tfm text-generation --model tests/fixtures/generation/gpt2 --max-new-tokens 8 "Hello" || st=1; \
	  $(BUILD)/tfm image-classification --model tests/fixtures/vision/vit-cls --top-k 3 tests/fixtures/vision/images/q75_420.jpg || st=1; fi; \
	for e in $(EXAMPLES); do echo "==> $$e (its default arguments)"; $$e || st=1; done; \
	exit $$st

# ---- tests -------------------------------------------------------------------------------------

$(BUILD)/test_main: $(TEST_SRCS) $(HEADER) $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 $(KFLAGS) -o $@ tests/test_main.c $(LDLIBS)

$(BUILD)/test_cpp: tests/test_cpp.cpp $(HEADER) $(FLAGS_STAMP) | $(BUILD)
	$(CXX) $(CXXWARN) -O2 -o $@ tests/test_cpp.cpp $(LDLIBS)

$(BUILD)/test_compile_static: tests/test_compile_static.c $(HEADER) $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -o $@ tests/test_compile_static.c -lm

$(BUILD)/test_compile_novision: tests/test_compile_static.c $(HEADER) $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -DTFM_NO_VISION -o $@ tests/test_compile_static.c -lm
$(BUILD)/fuzz_json_run: tests/fuzz_json.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -o $@ tests/fuzz_json.c $(LDLIBS)
$(BUILD)/fuzz_safetensors_run: tests/fuzz_safetensors.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -o $@ tests/fuzz_safetensors.c $(LDLIBS)
$(BUILD)/fuzz_tok_load_run: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -DFUZZ_TOKENIZER_LOAD -o $@ tests/fuzz_tokenizer.c $(LDLIBS)
$(BUILD)/fuzz_tok_encode_run: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -o $@ tests/fuzz_tokenizer.c $(LDLIBS)

$(BUILD)/fuzz_image_run: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -o $@ tests/fuzz_image.c $(LDLIBS)
$(BUILD)/fuzz_image_jpeg_run: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP) | $(BUILD)
	$(CC) $(WARN) -O2 -DFUZZ_IMAGE_JPEG -o $@ tests/fuzz_image.c $(LDLIBS)

$(BUILD)/asan/test_main: $(TEST_SRCS) $(HEADER) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) $(KFLAGS) -o $@ tests/test_main.c $(LDLIBS)
$(BUILD)/asan/test_cpp: tests/test_cpp.cpp $(HEADER) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CXXWARN) $(SAN) -o $@ tests/test_cpp.cpp $(LDLIBS)
$(BUILD)/asan/test_compile_static: tests/test_compile_static.c $(HEADER) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -o $@ tests/test_compile_static.c -lm
$(BUILD)/asan/test_compile_novision: tests/test_compile_static.c $(HEADER) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -DTFM_NO_VISION -o $@ tests/test_compile_static.c -lm
$(BUILD)/asan/fuzz_json_run: tests/fuzz_json.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -o $@ tests/fuzz_json.c $(LDLIBS)
$(BUILD)/asan/fuzz_safetensors_run: tests/fuzz_safetensors.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -o $@ tests/fuzz_safetensors.c $(LDLIBS)
$(BUILD)/asan/fuzz_tok_load_run: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -DFUZZ_TOKENIZER_LOAD -o $@ tests/fuzz_tokenizer.c $(LDLIBS)
$(BUILD)/asan/fuzz_tok_encode_run: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -o $@ tests/fuzz_tokenizer.c $(LDLIBS)

$(BUILD)/asan/fuzz_image_run: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -o $@ tests/fuzz_image.c $(LDLIBS)
$(BUILD)/asan/fuzz_image_jpeg_run: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -DFUZZ_IMAGE_JPEG -o $@ tests/fuzz_image.c $(LDLIBS)

# Seed files for the fuzz harness smoke runs (the fixtures themselves).
FUZZ_JSON_SEEDS := $(wildcard tests/fixtures/models/*/*.json)
FUZZ_ST_SEEDS   := $(wildcard tests/fixtures/models/*/*.safetensors)
FUZZ_TOK_SEEDS  := $(wildcard tests/fixtures/tokenizers/*/tokenizer.json)
FUZZ_IMG_SEEDS  := $(wildcard tests/fixtures/vision/images/*.png tests/fixtures/vision/images/*.bmp \
                     tests/fixtures/vision/images/*.p?m)
FUZZ_JPEG_SEEDS := $(wildcard tests/fixtures/vision/images/*.jpg)

# The unit-test runner goes last so that its "N passed, N failed" line is the last line printed.
# A failure of the other programs is reported on its own line and makes the target fail.
define RUN_TESTS
	@st=0; \
	$(1)$(2)/test_cpp || { echo "FAIL test_cpp (C++ build)"; st=1; }; \
	$(1)$(2)/test_compile_static || { echo "FAIL test_compile_static (TFM_STATIC/NO_THREADS/NO_SIMD/NO_MMAP build)"; st=1; }; \
	$(1)$(2)/test_compile_novision || { echo "FAIL test_compile_novision (the same with TFM_NO_VISION)"; st=1; }; \
	$(1)$(2)/fuzz_json_run $(FUZZ_JSON_SEEDS) >/dev/null || { echo "FAIL fuzz_json smoke run"; st=1; }; \
	$(1)$(2)/fuzz_safetensors_run $(FUZZ_ST_SEEDS) >/dev/null || { echo "FAIL fuzz_safetensors smoke run"; st=1; }; \
	$(1)$(2)/fuzz_tok_load_run $(FUZZ_TOK_SEEDS) >/dev/null || { echo "FAIL fuzz_tokenizer (load) smoke run"; st=1; }; \
	$(1)$(2)/fuzz_tok_encode_run tests/tokenizer_corpus/pairs.jsonl >/dev/null || { echo "FAIL fuzz_tokenizer (encode) smoke run"; st=1; }; \
	$(1)$(2)/fuzz_image_run $(FUZZ_IMG_SEEDS) $(wildcard tests/fuzz_crashes/image-*) >/dev/null || { echo "FAIL fuzz_image smoke run"; st=1; }; \
	$(1)$(2)/fuzz_image_jpeg_run $(FUZZ_JPEG_SEEDS) $(wildcard tests/fuzz_crashes/jpeg-*) >/dev/null || { echo "FAIL fuzz_image (JPEG) smoke run"; st=1; }; \
	$(1)$(2)/test_main $(FILTER) || st=1; \
	exit $$st
endef

test: $(BUILD)/test_main $(BUILD)/test_cpp $(BUILD)/test_compile_static $(BUILD)/test_compile_novision $(BUILD)/fuzz_json_run $(BUILD)/fuzz_safetensors_run \
      $(BUILD)/fuzz_tok_load_run $(BUILD)/fuzz_tok_encode_run $(BUILD)/fuzz_image_run $(BUILD)/fuzz_image_jpeg_run
	$(call RUN_TESTS,,$(BUILD))

test-asan: $(BUILD)/asan/test_main $(BUILD)/asan/test_cpp $(BUILD)/asan/test_compile_static $(BUILD)/asan/test_compile_novision \
           $(BUILD)/asan/fuzz_json_run $(BUILD)/asan/fuzz_safetensors_run $(BUILD)/asan/fuzz_tok_load_run \
           $(BUILD)/asan/fuzz_tok_encode_run $(BUILD)/asan/fuzz_image_run $(BUILD)/asan/fuzz_image_jpeg_run
	$(call RUN_TESTS,$(SAN_ENV) ,$(BUILD)/asan)

# ---- fuzzing (clang + libFuzzer) ----------------------------------------------------------------

FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DTFM_LIBFUZZER

$(BUILD)/fuzz/fuzz_json: tests/fuzz_json.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz_json.c $(LDLIBS)
$(BUILD)/fuzz/fuzz_safetensors: tests/fuzz_safetensors.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz_safetensors.c $(LDLIBS)
$(BUILD)/fuzz/fuzz_tok_load: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZ_TOKENIZER_LOAD -o $@ tests/fuzz_tokenizer.c $(LDLIBS)
$(BUILD)/fuzz/fuzz_tok_encode: tests/fuzz_tokenizer.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz_tokenizer.c $(LDLIBS)
$(BUILD)/fuzz/fuzz_image: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ tests/fuzz_image.c $(LDLIBS)
$(BUILD)/fuzz/fuzz_image_jpeg: tests/fuzz_image.c $(HEADER) tests/fuzz_main.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -DFUZZ_IMAGE_JPEG -o $@ tests/fuzz_image.c $(LDLIBS)

fuzz-check:
	@mkdir -p $(BUILD)
	@printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > $(BUILD)/fuzz_probe.c
	@$(FUZZ_CC) -fsanitize=fuzzer $(BUILD)/fuzz_probe.c -o $(BUILD)/fuzz_probe 2>/dev/null || { \
	  echo "libFuzzer is not available for $(FUZZ_CC): install clang and its runtime (Debian: apt-get install clang libclang-rt-14-dev)"; exit 1; }

fuzz-build: fuzz-check $(BUILD)/fuzz/fuzz_json $(BUILD)/fuzz/fuzz_safetensors

# Seed corpora from the fixtures; the working corpora persist in $(BUILD)/fuzz between runs.
# Crash reproducers land in tests/fuzz_crashes/.
fuzz: fuzz-build
	@mkdir -p $(BUILD)/fuzz/seed_json $(BUILD)/fuzz/seed_st $(BUILD)/fuzz/corpus_json $(BUILD)/fuzz/corpus_st tests/fuzz_crashes
	@for f in $(FUZZ_JSON_SEEDS); do cp "$$f" $(BUILD)/fuzz/seed_json/$$(echo "$$f" | tr / _); done
	@for f in $(FUZZ_ST_SEEDS); do cp "$$f" $(BUILD)/fuzz/seed_st/$$(echo "$$f" | tr / _); done
	@echo "fuzzing both harnesses for $(FUZZ_SECONDS) s (logs: $(BUILD)/fuzz/*.log)"
	@st=0; \
	$(BUILD)/fuzz/fuzz_json -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
	  -artifact_prefix=tests/fuzz_crashes/json- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_json $(BUILD)/fuzz/seed_json > $(BUILD)/fuzz/fuzz_json.log 2>&1 & pj=$$!; \
	$(BUILD)/fuzz/fuzz_safetensors -max_total_time=$(FUZZ_SECONDS) -max_len=140000 -timeout=10 -rss_limit_mb=4096 \
	  -artifact_prefix=tests/fuzz_crashes/safetensors- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_st $(BUILD)/fuzz/seed_st > $(BUILD)/fuzz/fuzz_safetensors.log 2>&1 & ps=$$!; \
	wait $$pj || { echo "fuzz_json found a problem: see $(BUILD)/fuzz/fuzz_json.log and tests/fuzz_crashes/"; st=1; }; \
	wait $$ps || { echo "fuzz_safetensors found a problem: see $(BUILD)/fuzz/fuzz_safetensors.log and tests/fuzz_crashes/"; st=1; }; \
	tail -n 12 $(BUILD)/fuzz/fuzz_json.log; tail -n 12 $(BUILD)/fuzz/fuzz_safetensors.log; \
	exit $$st

# The tokenizer harnesses: tokenizer.json loading (seeds: the real files, cut to 64 KB pieces by
# libFuzzer's -max_len) and encoding text with the real tokenizers (seeds: the corpus lines).
fuzz-tokenizers: fuzz-check $(BUILD)/fuzz/fuzz_tok_load $(BUILD)/fuzz/fuzz_tok_encode
	@mkdir -p $(BUILD)/fuzz/seed_tokload $(BUILD)/fuzz/seed_tokenc $(BUILD)/fuzz/corpus_tokload $(BUILD)/fuzz/corpus_tokenc tests/fuzz_crashes
	@for f in $(FUZZ_TOK_SEEDS); do head -c 60000 "$$f" > $(BUILD)/fuzz/seed_tokload/$$(echo "$$f" | tr / _); done
	@printf '{"model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]},"pre_tokenizer":{"type":"ByteLevel"},"normalizer":{"type":"NFKC"},"decoder":{"type":"ByteLevel"}}' > $(BUILD)/fuzz/seed_tokload/small_bpe.json
	@n=0; while IFS= read -r line; do n=$$((n+1)); printf '%b%s' "\\x$$(printf %02x $$((n % 256)))" "$$line" > $(BUILD)/fuzz/seed_tokenc/c$$n; done < tests/tokenizer_corpus/corpus.jsonl
	@echo "fuzzing both tokenizer harnesses for $(FUZZ_SECONDS) s (logs: $(BUILD)/fuzz/fuzz_tok_*.log)"
	@st=0; \
	$(BUILD)/fuzz/fuzz_tok_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
	  -artifact_prefix=tests/fuzz_crashes/tokload- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_tokload $(BUILD)/fuzz/seed_tokload > $(BUILD)/fuzz/fuzz_tok_load.log 2>&1 & pl=$$!; \
	$(BUILD)/fuzz/fuzz_tok_encode -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
	  -artifact_prefix=tests/fuzz_crashes/tokenc- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_tokenc $(BUILD)/fuzz/seed_tokenc > $(BUILD)/fuzz/fuzz_tok_encode.log 2>&1 & pe=$$!; \
	wait $$pl || { echo "fuzz_tok_load found a problem: see $(BUILD)/fuzz/fuzz_tok_load.log"; st=1; }; \
	wait $$pe || { echo "fuzz_tok_encode found a problem: see $(BUILD)/fuzz/fuzz_tok_encode.log"; st=1; }; \
	tail -n 12 $(BUILD)/fuzz/fuzz_tok_load.log; tail -n 12 $(BUILD)/fuzz/fuzz_tok_encode.log; \
	exit $$st

# The image harnesses, seeded with the fixture images.
fuzz-images: fuzz-check $(BUILD)/fuzz/fuzz_image $(BUILD)/fuzz/fuzz_image_jpeg
	@mkdir -p $(BUILD)/fuzz/seed_img $(BUILD)/fuzz/seed_jpeg $(BUILD)/fuzz/corpus_img $(BUILD)/fuzz/corpus_jpeg tests/fuzz_crashes
	@cp $(FUZZ_IMG_SEEDS) $(BUILD)/fuzz/seed_img/ && cp $(FUZZ_JPEG_SEEDS) $(BUILD)/fuzz/seed_jpeg/
	@echo "fuzzing both image harnesses for $(FUZZ_SECONDS) s (logs: $(BUILD)/fuzz/fuzz_image*.log)"
	@st=0; \
	$(BUILD)/fuzz/fuzz_image -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz_crashes/image- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_img $(BUILD)/fuzz/seed_img > $(BUILD)/fuzz/fuzz_image.log 2>&1 & pi=$$!; \
	$(BUILD)/fuzz/fuzz_image_jpeg -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	  -artifact_prefix=tests/fuzz_crashes/jpeg- -print_final_stats=1 $(FUZZ_ARGS) \
	  $(BUILD)/fuzz/corpus_jpeg $(BUILD)/fuzz/seed_jpeg > $(BUILD)/fuzz/fuzz_image_jpeg.log 2>&1 & pj=$$!; \
	wait $$pi || { echo "fuzz_image found a problem: see $(BUILD)/fuzz/fuzz_image.log and tests/fuzz_crashes/"; st=1; }; \
	wait $$pj || { echo "fuzz_image_jpeg found a problem: see $(BUILD)/fuzz/fuzz_image_jpeg.log and tests/fuzz_crashes/"; st=1; }; \
	tail -n 12 $(BUILD)/fuzz/fuzz_image.log; tail -n 12 $(BUILD)/fuzz/fuzz_image_jpeg.log; \
	exit $$st

clean:
	rm -rf $(BUILD)
