# tests/fuzz/fuzz.mk — coverage-guided fuzzing with libFuzzer (Debian's clang
# and libclang-rt-14-dev). `make fuzz` builds every tests/fuzz/fuzz_*.c into
# build-fuzz/ (library and harness under ASan + UBSan + fuzzer coverage) and
# runs each for FUZZ_SECONDS on its corpus tests/fuzz/corpus/<target>/; it
# fails on the first crash, leak, timeout or broken property. `make
# fuzz-merge` folds what a longer run found back into the committed corpus.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 20
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
  -fno-sanitize-recover=all
FUZZ_BIN = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

.PHONY: fuzz fuzz-build fuzz-bins fuzz-merge
fuzz-build:
	$(MAKE) CC=$(FUZZ_CC) BUILD=build-fuzz SANFLAGS="$(FUZZ_SAN)" OPT="-O1 -g" fuzz-bins

fuzz-bins: $(FUZZ_BIN)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(BUILD)/libprep.a
	@mkdir -p $(@D)
	@echo "  FUZZ    $@"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libprep.a $(PKG_LIBS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh $(FUZZ_TARGETS)

fuzz-merge: fuzz-build
	MERGE=1 tests/fuzz/run.sh $(FUZZ_TARGETS)
