# kaal: two commands to start.
#   make run    boots the default system on the sim and prints its log
#   make test   builds everything and runs every suite (and the QEMU suites when SEL4_PREFIX is set)
# More:
#   make test SANITIZE=1   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench             benchmarks, printed as JSON lines
#   make qemu / make qemu-test SEL4_PREFIX=<seL4 install prefix>   the real kernel under QEMU

SANITIZE ?= 0
BUILD := $(if $(filter 1,$(SANITIZE)),build-sanitize,build)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
CMAKE_FLAGS := -DSANITIZE=$(if $(filter 1,$(SANITIZE)),ON,OFF)

.PHONY: all deps build run test bench clean

all: build

deps:
	@scripts/deps.sh host

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -G "$(GENERATOR)" $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) --parallel

run: build
	./$(BUILD)/src/root/kaal-root-sim

test: build
	cd $(BUILD) && ctest --output-on-failure
ifneq ($(SEL4_PREFIX),)
	$(MAKE) qemu-test
endif

bench: build
	@for b in $(BUILD)/bench/bench-*; do $$b; done

clean:
	rm -rf build build-sanitize
