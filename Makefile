# PREP build. `make` builds build/prep; `make test` runs every test suite;
# `make SAN=1 test` does the same under AddressSanitizer + UBSan (build-san/).
# Sources are picked up by wildcard: adding a file to a src/ folder needs no edit here.

.DEFAULT_GOAL := all
SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
OPT = -O1 -g
else
BUILD ?= build
SANFLAGS =
OPT = -O2 -g
endif
ifeq ($(COVERAGE),1)
BUILD = build-cov
OPT = -O0 -g --coverage
endif

CC ?= cc
PKGS = sqlite3 libpq libsodium jansson libmicrohttpd libzip zlib zbar libqrencode cairo libjpeg libcurl libpng fontconfig libxxhash libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -lcsv -lpthread -lm
# Reproducible: no absolute build paths in debug info or __FILE__.
REPRO = -ffile-prefix-map=$(CURDIR)=. -fdebug-prefix-map=$(CURDIR)=.
CFLAGS ?= $(OPT)
override CFLAGS += -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
  -Isrc $(PKG_CFLAGS) $(SANFLAGS) $(REPRO)
LDFLAGS += $(SANFLAGS) $(if $(filter 1,$(COVERAGE)),--coverage)

ROOMS = util core audit catalog store images ops publish http sim ceremony recount
LIB_SRC := $(foreach r,$(ROOMS),$(wildcard src/$(r)/*.c))
CLI_SRC := $(wildcard src/cli/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# The source commit is embedded in the binary (prep version); a stamp file
# rebuilds version.o only when the commit changes.
PREP_COMMIT := $(shell git rev-parse HEAD 2>/dev/null || echo unknown)$(shell git diff --quiet HEAD -- src 2>/dev/null || echo -dirty)
$(BUILD)/commit.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PREP_COMMIT)' | cmp -s - $@ || echo '$(PREP_COMMIT)' > $@
$(BUILD)/src/util/version.o: $(BUILD)/commit.stamp
$(BUILD)/src/util/version.o: override CFLAGS += -DPREP_COMMIT='"$(PREP_COMMIT)"'
FORCE:

# The public site's CSS and script are embedded with .incbin (src/publish/site_assets.c).
$(BUILD)/src/publish/site_assets.o: $(wildcard web/site/*)
# The operator pages likewise (src/http/web_assets.c).
$(BUILD)/src/http/web_assets.o: $(shell find web/operacion -type f 2>/dev/null)

.PHONY: all check all-tests test test-unit test-integration test-browser test-pg test-crash test-cluster bench coverage clean
all: $(BUILD)/prep

$(BUILD)/libprep.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	@rm -f $@ && ar rcsD $@ $^

$(BUILD)/prep: $(CLI_OBJ) $(BUILD)/libprep.a
	@echo "  LINK    $@"
	@$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libprep.a $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libprep.a
	@mkdir -p $(@D)
	@echo "  TEST    $@"
	@$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libprep.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

test: all $(UNIT_BIN)
	BUILD=$(BUILD) tests/run.sh

# The README's test command: every suite on the normal build and again under
# AddressSanitizer + UndefinedBehaviorSanitizer, each on SQLite and on a
# throwaway PostgreSQL cluster (scripts/pg-test.sh), one closing line for all.
check:
	$(MAKE) all-tests
	$(MAKE) SAN=1 all-tests
	scripts/pg-test.sh env BUILDS="build build-san" STORES="sqlite pg" tests/run.sh

# Every suite on PostgreSQL only (both builds), on a throwaway cluster.
test-pg:
	$(MAKE) all-tests
	$(MAKE) SAN=1 all-tests
	scripts/pg-test.sh env BUILDS="build build-san" STORES=pg tests/run.sh

all-tests: all $(UNIT_BIN)

# Two prep serve nodes on one throwaway PostgreSQL behind nginx, the small
# drill through nginx (tests/integration/cluster.test.mjs; make check runs it
# too, in its PostgreSQL passes).
test-cluster: all
	scripts/pg-test.sh env PREP_BIN=$(BUILD)/prep node --test tests/integration/cluster.test.mjs

test-unit: all $(UNIT_BIN)
	BUILD=$(BUILD) ONLY=unit tests/run.sh

# The operator pages in headless Chromium (screenshots in tests/browser/screenshots/).
test-browser: all
	BUILD=$(BUILD) ONLY=browser tests/run.sh

# kill -9 during writes and cortes, and a full disk (tests/crash; part of check too).
test-crash: all
	BUILD=$(BUILD) ONLY=crash tests/run.sh

bench: all
	BUILD=$(BUILD) bench/run.sh

# Line and branch coverage of src/core from the unit tests. Counters are reset
# first so a report never mixes runs; BUILD is forced so a BUILD=... given on
# the command line cannot send the objects elsewhere.
coverage:
	@find build-cov -name '*.gcda' -delete 2>/dev/null || true
	$(MAKE) COVERAGE=1 BUILD=build-cov test-unit
	lcov -q --capture --directory build-cov/src/core --rc lcov_branch_coverage=1 -o build-cov/core.info
	lcov --summary build-cov/core.info --rc lcov_branch_coverage=1
	genhtml -q --branch-coverage -o build-cov/html build-cov/core.info
	@echo "report: build-cov/html/index.html"

clean:
	rm -rf build build-san build-cov

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
-include bench/bench.mk
-include tests/fuzz/fuzz.mk
