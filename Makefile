# wage-server - GNU make. `make run` starts a development server,
# `make test` runs every unit and integration test.

CC       ?= cc
OPT      ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
	   -Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations \
	   -Wsign-compare -Wformat=2
XCFLAGS  ?=
prefix   ?= /usr/local
DESTDIR  ?=

ifeq ($(SANITIZE),1)
BUILD    = build/asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
OPT      = -O1 -g
else
BUILD    = build/release
SANFLAGS =
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong
endif

CPPFLAGS = -D_GNU_SOURCE -Iinclude -Icommon -Iserver -Iclient
CFLAGS   = $(OPT) $(WARN) $(HARDEN) $(SANFLAGS) $(XCFLAGS) -MMD -MP
LDFLAGS  = $(SANFLAGS)
LIBS     = $(shell pkg-config --libs jansson yaml-0.1 lmdb 2>/dev/null || \
	     echo -ljansson -lyaml -llmdb) \
	   -lnng -lmbedtls -lmbedx509 -lmbedcrypto -lpthread -lm

BIN      = bin

# Three libraries: libwage-common.a (common/: the error table, the audit
# export format and its hashes, time strings, file reading), used by both
# sides; libwage-server.a (server/ but main.c); libwage.a (client/: the
# client library, PKI, offline audit verification). The server links
# server + common, wagectl client + common; link common last.
COMMON_SRCS := $(wildcard common/*.c)
SERVER_SRCS := $(filter-out server/main.c,$(wildcard server/*.c))
CTL_SRCS    := client/wagectl.c client/wagectl_admin.c client/table.c
CLIENT_SRCS := $(filter-out $(CTL_SRCS),$(wildcard client/*.c))
COMMON_OBJS := $(COMMON_SRCS:%.c=$(BUILD)/%.o)
SERVER_OBJS := $(SERVER_SRCS:%.c=$(BUILD)/%.o)
CLIENT_OBJS := $(CLIENT_SRCS:%.c=$(BUILD)/%.o)
COMMON_LIB  := $(BUILD)/libwage-common.a
SERVER_LIB  := $(BUILD)/libwage-server.a
CLIENT_LIB  := $(BUILD)/libwage.a
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
ITEST_SRCS  := $(wildcard tests/integration/*.c)
ITEST_BINS  := $(ITEST_SRCS:tests/integration/%.c=$(BUILD)/tests/%)

SERVER   = $(BIN)/wage-server
WAGECTL  = $(BIN)/wagectl
ifeq ($(SANITIZE),1)
SERVER   = $(BUILD)/bin/wage-server
WAGECTL  = $(BUILD)/bin/wagectl
endif

.PHONY: all deps run test unit config integration clean format \
	format-check install pki bench fuzz fuzz-replay crash hostile storage \
	holidays-check

all: $(SERVER) $(WAGECTL) $(UNIT_BINS) $(ITEST_BINS)

# Install missing Debian packages (needs root; a no-op when all are there).
deps:
	@sh deploy/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(SERVER_LIB): $(SERVER_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(CLIENT_LIB): $(CLIENT_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(SERVER): $(BUILD)/server/main.o $(SERVER_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(WAGECTL): $(CTL_SRCS:%.c=$(BUILD)/%.o) $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# libwage-testsupport.a: the unit tests' fixtures (tests/support/, one
# concern per support_*.c), linked into every unit test after the test's
# object and before the libraries the fixtures call into.
SUPPORT_SRCS := $(wildcard tests/support/*.c)
SUPPORT_LIB  := $(BUILD)/libwage-testsupport.a

$(SUPPORT_LIB): $(SUPPORT_SRCS:%.c=$(BUILD)/%.o)
	@rm -f $@
	ar rcs $@ $^

# Unit tests cover both sides (test_pki, test_auditlog: client/).
$(BUILD)/tests/%: tests/unit/%.c $(SUPPORT_LIB) $(SERVER_LIB) $(CLIENT_LIB) \
    $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/support $(CFLAGS) -Wno-missing-prototypes \
	    -Wno-missing-declarations $(LDFLAGS) -o $@ $< $(SUPPORT_LIB) \
	    $(SERVER_LIB) $(CLIENT_LIB) $(COMMON_LIB) $(LIBS) -lcmocka

$(BUILD)/tests/%: tests/integration/%.c $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes \
	    -Wno-missing-declarations $(LDFLAGS) -o $@ $< \
	    $(CLIENT_LIB) $(COMMON_LIB) $(LIBS) -lcmocka

# Development PKI under var/pki, made by wagectl on mbedTLS.
pki: $(WAGECTL)
	@sh deploy/dev-pki.sh $(WAGECTL) var/pki

run: deps
	@$(MAKE) --no-print-directory $(SERVER) $(WAGECTL)
	@$(MAKE) --no-print-directory pki
	@sh deploy/dev-run.sh $(SERVER)

unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(BUILD)/tests $(UNIT_BINS)

# The table of statutory holidays (policies/calendar/statutory-holidays.yaml)
# regenerated from python3-lunardate and python3-ephem, cross-checked with
# astronomy, the rule of Qingming and the official schedules, and compared
# with the shipped file. `make holidays-check HOLIDAYS_WRITE=1` rewrites it.
holidays-check:
	@/usr/bin/python3 deploy/gen-statutory-holidays.py \
	    $(if $(HOLIDAYS_WRITE),-o,--check) \
	    policies/calendar/statutory-holidays.yaml

# The configuration file and `wage-server -n` (no server is started).
config: $(SERVER) $(WAGECTL)
	@sh tests/config/run.sh $(SERVER) $(WAGECTL)

integration: $(SERVER) $(WAGECTL) $(ITEST_BINS)
	@sh tests/integration/run.sh $(SERVER) $(WAGECTL) $(BUILD)/tests

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory holidays-check
	@$(MAKE) --no-print-directory config
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory integration
	@$(MAKE) --no-print-directory claims
	@$(MAKE) --no-print-directory bodies
	@$(MAKE) --no-print-directory readme
	@$(MAKE) --no-print-directory upgrade
	@$(MAKE) --no-print-directory hostile
	@$(MAKE) --no-print-directory tamper
	@$(MAKE) --no-print-directory clocks
	@$(MAKE) --no-print-directory procedure
	@$(MAKE) --no-print-directory represent
	@$(MAKE) --no-print-directory storage
	@$(MAKE) --no-print-directory migrate
	@$(MAKE) --no-print-directory secrets
	@$(MAKE) --no-print-directory crash

$(BUILD)/bench: tests/bench/bench.c $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ \
	    $< $(CLIENT_LIB) $(COMMON_LIB) $(LIBS)

# BENCH_SECONDS per run (default 5); BENCH_SOAK=600 adds a 10-minute mix
# with the server's memory at its start and end. Then the crash test's
# longer mode: BENCH_CRASH_ROUNDS kill -9 rounds (default 100; 0: none).
BENCH_CRASH_ROUNDS ?= 100
bench: deps
	@$(MAKE) --no-print-directory $(SERVER) $(WAGECTL) $(BUILD)/bench \
	    $(BUILD)/crashload
	@sh tests/bench/run.sh $(SERVER) $(WAGECTL) $(BUILD)/bench
	@if [ "$(BENCH_CRASH_ROUNDS)" -gt 0 ]; then \
	    CRASH_ROUNDS=$(BENCH_CRASH_ROUNDS) sh tests/crash/run.sh \
	        $(SERVER) $(WAGECTL) $(BUILD)/crashload >build/bench-crash.txt; \
	    rc=$$?; tail -2 build/bench-crash.txt | tee -a build/bench-results.txt; \
	    exit $$rc; fi

$(BUILD)/crashload: tests/crash/crashload.c $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ \
	    $< $(CLIENT_LIB) $(COMMON_LIB) $(LIBS)

$(BUILD)/hostile: tests/hostile/hostile.c $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ \
	    $< $(CLIENT_LIB) $(COMMON_LIB) $(LIBS)

hostile: $(SERVER) $(WAGECTL) $(BUILD)/hostile
	@sh tests/hostile/run.sh $(SERVER) $(WAGECTL) $(BUILD)/hostile

# STORAGE_FULL with a tiny map, a larger map carries on, hot backup.
storage: $(SERVER) $(WAGECTL) $(BUILD)/crashload
	@sh tests/storage/run.sh $(SERVER) $(WAGECTL) $(BUILD)/crashload

# A database of the previous version (tests/data/db-v1) migrates and
# verifies, by `wage-server migrate` and at start.
.PHONY: migrate
migrate: $(SERVER) $(WAGECTL)
	@sh tests/migrate/run.sh $(SERVER) $(WAGECTL)

# Kill -9 under write load; CRASH_ROUNDS=500 make crash for a longer run.
crash: $(SERVER) $(WAGECTL) $(BUILD)/crashload
	@sh tests/crash/run.sh $(SERVER) $(WAGECTL) $(BUILD)/crashload

# Fuzzing: one libFuzzer target per decoder (tests/fuzz/fuzz_*.c).
# `make fuzz` runs each for FUZZ_SECONDS with clang; `make test` replays
# the corpus (tests/fuzz/corpus/TARGET/) through a plain driver.
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/fuzz_%.c=%)
REPLAY_BINS  := $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
FUZZ_SECONDS ?= 60
FUZZ_LIBSRCS  = $(SERVER_SRCS) $(CLIENT_SRCS) $(COMMON_SRCS)

# fuzz_request and fuzz_token sign with client/pki.c: the client library.
$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c \
    $(SERVER_LIB) $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ \
	    $< tests/fuzz/replay.c $(SERVER_LIB) $(CLIENT_LIB) $(COMMON_LIB) \
	    $(LIBS)

fuzz-replay: $(REPLAY_BINS)
	@for t in $(FUZZ_NAMES); do \
	    WAGE_SRCDIR=. $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t \
	    || exit 1; done

build/fuzz/%: tests/fuzz/fuzz_%.c $(FUZZ_LIBSRCS)
	@mkdir -p $(dir $@)
	clang -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS) \
	    -o $@ $< $(FUZZ_LIBSRCS) $(LIBS)

fuzz: deps
	@for t in $(FUZZ_NAMES); do \
	    $(MAKE) --no-print-directory build/fuzz/$$t || exit 1; \
	    mkdir -p tests/fuzz/corpus/$$t; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
	    WAGE_SRCDIR=. build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) \
	        -max_len=65536 -timeout=10 tests/fuzz/corpus/$$t \
	        2>build/fuzz/$$t.log || { tail -40 build/fuzz/$$t.log; exit 1; }; \
	    tail -1 build/fuzz/$$t.log; \
	done

# Every C file of ours: common, the server, the client, the public
# headers and the tests (each .c and .h under tests/, at any depth).
FORMAT_SRCS = $(wildcard common/*.[ch] server/*.[ch] client/*.[ch] \
		include/wage/*.h) \
	      $(shell find tests -type f -name '*.[ch]' | sort)

format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRCS)

install: $(SERVER) $(WAGECTL)
	install -d $(DESTDIR)$(prefix)/bin $(DESTDIR)$(prefix)/share/wage-server
	install -m 0755 $(SERVER) $(WAGECTL) $(DESTDIR)$(prefix)/bin/
	cp -R policies $(DESTDIR)$(prefix)/share/wage-server/

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- tamper (tests/tamper/run.sh): an export edited by one byte, the LMDB
# audit database edited with mdb_dump/mdb_load behind the server's back, and
# the chain rewritten consistently (tamper-rewrite) must all be detected by
# wagectl audit verify (offline and online) and wage-server verify. ----
$(BUILD)/tamper-rewrite: tests/tamper/rewrite.c $(SERVER_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-missing-prototypes $(LDFLAGS) -o $@ \
	    $< $(SERVER_LIB) $(COMMON_LIB) $(LIBS)

.PHONY: tamper
tamper: $(SERVER) $(WAGECTL) $(BUILD)/tamper-rewrite
	@sh tests/tamper/run.sh $(SERVER) $(WAGECTL) $(BUILD)/tamper-rewrite
# ---- end tamper ----

# ---- clocks (tests/clocks/run.sh): the legal clocks against a real server
# over mutual TLS: the work list (wagectl due) in priority and due-date
# order with due dates worked out apart from the server (clocktool reads
# the schedules as text), scope, --mine, the extension limits, suspension
# over days that really pass (shiftclock.so, LD_PRELOADed into the server,
# moves its time() forward), final awards and their challenge windows. ----
$(BUILD)/clocks/clocktool: tests/clocks/clocktool.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS)

$(BUILD)/clocks/shiftclock.so: tests/clocks/shiftclock.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(OPT) $(WARN) -fPIC -shared -o $@ $<

.PHONY: clocks
clocks: $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool \
    $(BUILD)/clocks/shiftclock.so
	@sh tests/clocks/run.sh $(SERVER) $(WAGECTL) \
	    $(BUILD)/clocks/clocktool $(BUILD)/clocks/shiftclock.so
# ---- end clocks ----

# ---- upgrade (tests/upgrade/run.sh): a case filed under policy 2026.1
# goes on under its own rules after the server moves to the shipped policy,
# and a new case follows the new one, on one store over TLS. ----
.PHONY: upgrade
upgrade: $(SERVER) $(WAGECTL) $(BUILD)/tests/tool_json
	@sh tests/upgrade/run.sh $(SERVER) $(WAGECTL) $(BUILD)/tests/tool_json

# ---- readme (tests/readme/run.sh): the sh blocks of the README's
# walkthrough (the sections whose prose names tests/readme/run.sh), read
# from README.md at run time and run line by line in one bash against a
# fresh server with the development PKI; each line's trailing comment says
# what it must do (an error code, `exit N`, `-> STATE`). ----
.PHONY: readme
readme: $(SERVER) $(WAGECTL) $(BUILD)/tests/tool_json
	@sh tests/readme/run.sh $(SERVER) $(WAGECTL) $(BUILD)/tests/tool_json
# ---- end readme ----

# ---- procedure (tests/procedure/run.sh): issue 9 point by point against a
# real server over mutual TLS (policy 2026.2): the award clock from
# acceptance, 案前调解, acceptance in working days, extension, hearing
# notice, service and each party's windows from its own receipt, when an
# award takes effect, amounts and dates, collective consent, labour
# inspection; the server's today moved by shiftclock.so, dates worked
# out by clocktool (both from tests/clocks). ----
.PHONY: procedure
procedure: $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool \
    $(BUILD)/clocks/shiftclock.so
	@sh tests/procedure/run.sh $(SERVER) $(WAGECTL) \
	    $(BUILD)/clocks/clocktool $(BUILD)/clocks/shiftclock.so
# ---- end procedure ----

# ---- claims (tests/claims/run.sh): each worker's own claims, numbers as
# typed, the idempotency key, over TLS through wagectl (issue 10).
.PHONY: claims
claims: $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool
	@sh tests/claims/run.sh $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool
# ---- end claims ----

# ---- bodies (tests/bodies/run.sh): 移送 between two cities' offices and
# a project's contracting chain (issue 10), over TLS through wagectl.
.PHONY: bodies
bodies: $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool
	@sh tests/bodies/run.sh $(SERVER) $(WAGECTL) $(BUILD)/clocks/clocktool
# ---- end bodies ----
# ---- represent (tests/represent/run.sh): issue 10, representation over
# TLS through wagectl: the power of attorney's scope, holder and dates,
# staff recording a party's own act, appointment, replacement and removal
# and who then sees the case, the elected representatives' change with
# consent. ----
.PHONY: represent
represent: $(SERVER) $(WAGECTL) $(BUILD)/tests/tool_json \
    $(BUILD)/clocks/clocktool $(BUILD)/clocks/shiftclock.so
	@sh tests/represent/run.sh $(SERVER) $(WAGECTL) \
	    $(BUILD)/tests/tool_json $(BUILD)/clocks/clocktool \
	    $(BUILD)/clocks/shiftclock.so
# ---- end represent ----

# ---- secrets (tests/secrets/run.sh): the keys live beside the database,
# never in it; rotate-token-key; a missing data key refuses the start;
# the database directory is 0700. Needs mdb_dump.
.PHONY: secrets
$(BUILD)/rawreq: tests/secrets/rawreq.c $(CLIENT_LIB) $(COMMON_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ \
	    $< $(CLIENT_LIB) $(COMMON_LIB) $(LIBS)

secrets: $(SERVER) $(WAGECTL) $(BUILD)/rawreq
	@sh tests/secrets/run.sh $(SERVER) $(WAGECTL) $(BUILD)/rawreq
# ---- end secrets ----
