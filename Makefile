# The two commands: `make run` and `make test` (see README.md). Both install what is missing first.
JOBS ?= 2
RELEASE := build/release
ASAN := build/asan
FIRSTLINE := $(RELEASE)/src/server/firstline
DATA ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps web build run test test-release test-asan bench format clean

all: build

deps:
	@scripts/install-deps

build: deps web
	@cmake -S . -B $(RELEASE) -DCMAKE_BUILD_TYPE=Release > /dev/null
	@cmake --build $(RELEASE) -j$(JOBS)

# The web UI: npm ci when the lock file changed, then a build when a source changed.
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts \
               web/tsconfig.json
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build
web: deps web/dist/index.html

# First start: create ./var with the database and demo data; then serve.
run: build
	@if [ ! -f $(DATA)/firstline.db ]; then $(FIRSTLINE) init --data $(DATA) --demo; \
	 else cat $(DATA)/demo-logins.txt 2>/dev/null || true; fi
	@echo "Open http://$(LISTEN)"
	$(FIRSTLINE) serve --data $(DATA) --listen $(LISTEN)

test: test-release test-asan

test-release: build
	cd $(RELEASE) && ctest --output-on-failure -j$(JOBS) --timeout 600

# Unit tests once more under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: deps
	@cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=Debug -DFL_SANITIZE=ON > /dev/null
	@cmake --build $(ASAN) --target unit_tests -j$(JOBS)
	cd $(ASAN) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest -L unit --output-on-failure -j$(JOBS)

bench: build
	bench/api_load --build $(RELEASE)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build web/dist web/node_modules
