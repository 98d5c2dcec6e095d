# The project's commands. Each picks a JDK >= 21 (JAVA_HOME when suitable, else Temurin 25 where this kind of
# machine has it) and says what to install when there is none.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/select-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error No JDK 21+ found: install one (e.g. Temurin 21 or 25) and set JAVA_HOME)
endif
export JAVA_HOME
MVN ?= mvn -B

.PHONY: help build test run stop clean config-reference

help:
	@echo "make build   compile and package every module (no tests); the gateway's AOT cache on JDK 25+"
	@echo "make test    unit and integration tests, with a real Consul agent (no Docker)"
	@echo "make run     the local stack: Consul, 2 x user-service, 2 x order-service, gateway; Ctrl-C stops it"
	@echo "make stop    stop what 'make run' started (from another terminal)"
	@echo "make images  the container images (deploy/README.md; offline machines build local stand-ins)"
	@echo "make up      the compose stack (Consul, PostgreSQL, 2 x each service, gateway); make down, make logs"
	@echo "             OBSERVABILITY=1 make up adds Prometheus and Grafana (offline: Prometheus only, a local stand-in)"
	@echo "make observability-check   the overlay checked: targets, traffic, every dashboard query; then removed"
	@echo "make e2e     end-to-end tests: the whole stack in containers (Docker; rebuilds the service images first)"
	@echo "make bench   the gateway against nginx, HAProxy, a minimal Helidon proxy and Spring Cloud Gateway under load,"
	@echo "             then its scale curves (bench/results/results.md); QUICK=1 for a short run, SCALE=0 without curves"
	@echo "make bench-scale   only the scale curves: routes, instances, services, idle clients, connections (QUICK=1)"
	@echo "make config-reference   rewrite docs/configuration.md from the option tables (make test checks it)"

# The gateway's AOT cache (gateway/target/gateway.aot, scripts/train-aot.sh) is trained after every build of its jar:
# a cache from an older jar would be ignored by the JVM.
build:
	$(MVN) -q install -DskipTests
	@scripts/train-aot.sh

test:
	scripts/install-consul.sh
	$(MVN) install

run: build
	scripts/run-local.sh

config-reference:
	$(MVN) -q -pl gateway -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dupdate.reference=true

stop:
	scripts/stop-local.sh

clean:
	$(MVN) -q clean
	rm -rf run

# --- Containers (deploy/README.md) -----------------------------------------------------------------------------
# Image names: $(IMAGE_PREFIX)/<module>:$(IMAGE_TAG); the runtime base is $(JAVA_BASE). Set them on the command
# line (make images IMAGE_PREFIX=ghcr.io/acme/refgateway IMAGE_TAG=1.2.3) or in the environment.
IMAGE_PREFIX ?= refgateway
IMAGE_TAG ?= dev
JAVA_BASE ?= eclipse-temurin:25-jre
export IMAGE_PREFIX IMAGE_TAG JAVA_BASE

.PHONY: images up down logs

# Jars, then images. Where the registry answers, the public base image is pulled (compose pulls Consul and
# PostgreSQL later); where it does not (offline CI machines), deploy/offline/ builds local stand-ins first.
images: build
	@deploy/offline/docker-engine.sh start
	@if docker pull -q $(JAVA_BASE) >/dev/null 2>&1; then \
		deploy/images/build.sh; \
	else \
		echo "$(JAVA_BASE) cannot be pulled (no registry): building local stand-ins (deploy/offline/build-images.sh)"; \
		deploy/offline/build-images.sh; \
	fi

# The compose stack (deploy/compose/): up waits until everything is healthy and prints the URLs.
# OBSERVABILITY=1 adds Prometheus and Grafana. Offline, Prometheus is a local stand-in (built here when missing:
# stack.sh observability-images) and Grafana, which has none, is left out.
up:
	@deploy/compose/stack.sh images-present || $(MAKE) --no-print-directory images
	@[ "$${OBSERVABILITY:-0}" != 1 ] || deploy/compose/stack.sh observability-images
	@deploy/compose/stack.sh up

# Removes the stack's containers, network and volumes (the database too).
down:
	@deploy/compose/stack.sh down

# Follows the logs of every container, or of one: make logs SERVICE=gateway
logs:
	@deploy/compose/stack.sh logs $(SERVICE)

# The observability overlay checked end to end (deploy/compose/check-observability.sh): its own compose project on
# free ports (a running `make up` is not touched), Prometheus scraping every target, traffic and a killed instance,
# every dashboard expression evaluated; then removed like `make down`. About 2 minutes; Grafana itself is not run
# where its image cannot be pulled.
.PHONY: observability-check
observability-check:
	@deploy/compose/stack.sh images-present || $(MAKE) --no-print-directory images
	@deploy/compose/check-observability.sh

# --- End-to-end tests (e2e-tests, Maven profile e2e; never part of `make test`) ----------------------------------
# The stack of deploy/compose/ in Testcontainers, driven through the gateway only. Always rebuilds the service images
# from the current jars (cheap: every layer but the jars is cached), so the suite never tests stale images;
# scripts/run-e2e.sh picks the Consul/PostgreSQL images (public, or the offline stand-ins where no
# registry answers, with deploy/offline/testcontainers-env.sh) and removes the run's containers afterwards.
.PHONY: e2e
e2e: images
	@MVN="$(MVN)" scripts/run-e2e.sh

# --- Benchmarks (bench/; issue 6) -------------------------------------------------------------------------------
# The gateway against nginx, HAProxy, the platform floor (bench/floor), Spring Cloud Gateway (bench/scg, built by
# bench.sh on first use) and a backend alone, as local processes pinned to cores (bench/bench.sh says how); results
# in bench/results/ (results.md, results.csv, latency.png); then the scale curves (bench-scale below; SCALE=0 skips
# them). About 40 minutes with the curves (the last full run: 23 + 16); QUICK=1 about 6 plus 14.
# Knobs: QUICK=1, TARGETS="floor gateway", CONNS="1 32 128", SIZES="small 16k 1m", DURATION=10 (s per run),
# GATEWAY_WARMUP=25 / GATEWAY_WARMUP_MAX=90 (s; the JIT warm-up goes on until the compiler threads are quiet),
# GATEWAY_JAVA_OPTS="...", BENCH_NOTE="..." (printed in results.md).
# bench-profile: the gateway under 32 connections of small JSON with a JFR recording (bench/results/profile/).
BENCH_VARS := QUICK TARGETS CONNS SIZES DURATION COMBO_WARMUP GATEWAY_WARMUP GATEWAY_WARMUP_MAX NGINX_WARMUP STARTUP_TRIALS \
	EVENT_SECONDS GATEWAY_JAVA_OPTS EXTRA_JAVA_OPTS PROFILE_SECONDS PROFILE_ROUTES LOAD_CPU SERVER_CPU BENCH_NOTE SCALE
BENCH_ENV = $(foreach v,$(BENCH_VARS),$(if $(filter command line environment,$(origin $(v))),$(v)="$($(v))"))
.PHONY: bench bench-profile bench-jars

# The jars the benchmark runs, the gateway's and the floor's (package, not install: nothing in ~/.m2 changes), and the
# gateway's AOT cache, whose start-up the benchmark measures.
bench-jars:
	$(MVN) -q package -DskipTests -pl gateway,bench/floor -am
	@scripts/train-aot.sh

bench: bench-jars
	@env $(BENCH_ENV) bench/bench.sh

bench-profile: bench-jars
	@env $(BENCH_ENV) bench/bench.sh profile

# bench-scale: only the scale curves (bench/lib/scale.sh; bench/README.md): routes, instances per service, services,
# idle keep-alive clients, connections; results in bench/results/scale/ (scale.md, a CSV file and a plot each), and
# results.md written again when a benchmark run left one there. About 16 minutes; QUICK=1 (short runs, fewer
# services) about 14. SCENARIOS="a d" runs some of them; SCALE_ROUTES="10 1000" etc. set the points.
BENCH_VARS += SCENARIOS SCALE_ROUTES SCALE_INSTANCES SCALE_SERVICES SCALE_IDLE SCALE_CONNS SCALE_QUIET SCALE_PORT_BASE \
	SCALE_ROUTES_JAVA_OPTS SCALE_STARTUP_MAX
.PHONY: bench-scale
bench-scale: bench-jars
	@env $(BENCH_ENV) bench/bench.sh scale
