# kaal: two commands to start.
#   make run    boots the default system on the sim and prints its log (SYSTEM=systems/x.system: another)
#   make test   builds everything and runs every suite (and the QEMU suites when SEL4_PREFIX is set)
# More:
#   make test SANITIZE=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench             benchmarks, printed as JSON lines (QEMU boot time too with SEL4_PREFIX)
#   make fuzz              each fuzz harness under libFuzzer for FUZZ_SECONDS (default 60)
#   make install PREFIX=<dir>   the SDK: build systems of your own outside the tree (docs/tutorial.md)
#   make qemu / make qemu-test SEL4_PREFIX=<seL4 install prefix>   the real kernel under QEMU

SANITIZE ?= 0
SYSTEM ?= systems/demo.system
BUILD := $(if $(filter 1,$(SANITIZE)),build-sanitize,build)
SHELL := /bin/bash
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
CMAKE_FLAGS = -DSANITIZE=$(if $(filter 1,$(SANITIZE)),ON,OFF) -DKAAL_SYSTEM=$(abspath $(SYSTEM))

.PHONY: all deps build run test bench clean qemu qemu-test qemu-build fuzz install

# The fuzz build: clang, libFuzzer, ASan and UBSan (tests/fuzz/README.md).
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 60

# The real-seL4 build: images for the kernel in SEL4_PREFIX (docs/sel4.md).
SEL4_BUILD := build-sel4
QEMU_RUN := platform/sel4/qemu-run.sh

all: build

deps:
	@scripts/deps.sh host

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -G "$(GENERATOR)" $(CMAKE_FLAGS)

# Configured each time: the system to boot (SYSTEM) may differ from the last build's.
build: deps $(BUILD)/CMakeCache.txt
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null
	cmake --build $(BUILD) --parallel

run: build
	./$(BUILD)/src/root/kaal-root-sim

# The suites check the demo, whatever SYSTEM says.
test qemu-test: SYSTEM := systems/demo.system
test: build
	cd $(BUILD) && ctest --output-on-failure
ifneq ($(SEL4_PREFIX),)
	$(MAKE) qemu-test
endif

bench: build
	@for b in $(BUILD)/bench/bench-*; do $$b; done
ifneq ($(SEL4_PREFIX),)
	@$(MAKE) --no-print-directory qemu-build >/dev/null
	@bench/qemu-boot.sh $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/src/root/kaal-root.elf
	@$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/bench/kaal-bench-vspace.elf -icount shift=0 | grep '^{'
	@$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/bench/kaal-bench-spawn.elf -icount shift=0 | grep '^{'
	@$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/bench/kaal-bench-ipc.elf -icount shift=0 | grep '^{'
	@$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/bench/kaal-bench-channel.elf -icount shift=0 | grep '^{'
	@$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/bench/kaal-bench-call.elf -icount shift=0 | grep '^{'
endif

qemu-build: build
ifeq ($(SEL4_PREFIX),)
	@echo "make $(MAKECMDGOALS): SEL4_PREFIX is not set: give it a seL4 16.0.0 x86_64 pc99 install prefix (see docs/sel4.md)" >&2; exit 2
endif
	@scripts/deps.sh qemu
	cmake -S . -B $(SEL4_BUILD) -G "$(GENERATOR)" -DKAAL_PLATFORM=sel4 -DSEL4_PREFIX=$(abspath $(SEL4_PREFIX)) \
		-DKAAL_SYSTEM=$(abspath $(SYSTEM)) -DKAAL_CHECK=$(abspath $(BUILD))/kaal-check
	cmake --build $(SEL4_BUILD) --parallel

# Boots the root task on seL4 under QEMU; returns the root task's exit status.
qemu: qemu-build
	$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/src/root/kaal-root.elf

# Runs the conformance suite on seL4 under QEMU, then compares it case by case with the sim.
ifeq ($(SEL4_PREFIX),)
qemu-test:
	@echo "qemu-test: skipped: SEL4_PREFIX is not set, so there is no seL4 kernel to boot (see docs/sel4.md)"
	@echo "0 passed, 0 failed, 1 skipped"
else
qemu-test: qemu-build build
	./$(BUILD)/tests/conformance/conformance-sim > $(SEL4_BUILD)/conformance-sim.out || true
	$(QEMU_RUN) $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/tests/conformance/kaal-conformance.elf \
		| tee $(SEL4_BUILD)/conformance-sel4.out; test $${PIPESTATUS[0]} -eq 0
	tests/conformance/differential.sh $(SEL4_BUILD)/conformance-sim.out $(SEL4_BUILD)/conformance-sel4.out
	tests/system/root_qemu.sh $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)/src/root/kaal-root.elf
	tests/system/large.sh 1000 $(BUILD) $(SEL4_BUILD)/large $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)
	tests/system/kv.sh $(BUILD) $(SEL4_BUILD)/kv $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)
	tests/system/services.sh $(BUILD) $(SEL4_BUILD)/services $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)
	tests/system/sdk.sh $(BUILD) $(SEL4_BUILD)/sdk-test $(abspath $(SEL4_PREFIX)) $(SEL4_BUILD)
endif

# The SDK, for projects outside the tree (docs/tutorial.md): make install PREFIX=<dir>, and with
# SEL4_PREFIX=<prefix> the libraries for that seL4 kernel too.
PREFIX ?= /usr/local
install: SYSTEM := systems/demo.system
install: build
ifeq ($(SANITIZE),1)
	@echo "make install: the SDK comes from the plain build: drop SANITIZE=1" >&2; exit 2
endif
	cmake --install $(BUILD) --prefix $(abspath $(PREFIX))
ifneq ($(SEL4_PREFIX),)
	$(MAKE) --no-print-directory qemu-build SYSTEM=$(SYSTEM)
	cmake --install $(SEL4_BUILD) --prefix $(abspath $(PREFIX))
endif

# Each harness for FUZZ_SECONDS; `make test` replays their corpora and past findings without fuzzing.
fuzz:
	@scripts/deps.sh fuzz
	cmake -S . -B $(FUZZ_BUILD) -G "$(GENERATOR)" -DCMAKE_C_COMPILER=clang -DSANITIZE=ON -DKAAL_FUZZ=ON
	cmake --build $(FUZZ_BUILD) --parallel --target fuzzers
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf build build-sanitize $(SEL4_BUILD) $(FUZZ_BUILD)
