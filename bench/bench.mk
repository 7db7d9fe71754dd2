# bench/bench.mk — benchmark programs, included by the Makefile (-include).
# Every bench/bench_*.c is one program linked against libprep.a and built
# into $(BUILD)/bench/; `make bench` builds them and runs bench/run.sh.
# Results and method: docs/benchmarks.md.

BENCH_SRC := $(wildcard bench/bench_*.c)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libprep.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libprep.a $(PKG_LIBS)

bench: $(BENCH_BIN)

# bench_writes drives prep serve over HTTP with libcurl (multi interface).
$(BUILD)/bench/bench_writes: PKG_LIBS += $(shell pkg-config --libs libcurl)
