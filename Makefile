# The project's commands. Each picks a JDK >= 21 (JAVA_HOME when suitable, else Temurin 25 where this kind of
# machine has it) and says what to install when there is none.
SHELL := /bin/bash
JAVA_HOME := $(shell scripts/select-jdk.sh)
ifeq ($(JAVA_HOME),)
$(error No JDK 21+ found: install one (e.g. Temurin 21 or 25) and set JAVA_HOME)
endif
export JAVA_HOME
MVN ?= mvn -B

.PHONY: help build test run stop clean

help:
	@echo "make build   compile and package every module (no tests)"
	@echo "make test    unit and integration tests, with a real Consul agent (no Docker)"
	@echo "make run     the local stack: Consul, 2 x user-service, 2 x order-service, gateway; Ctrl-C stops it"
	@echo "make stop    stop what 'make run' started (from another terminal)"

build:
	$(MVN) -q install -DskipTests

test:
	scripts/install-consul.sh
	$(MVN) install

run: build
	scripts/run-local.sh

stop:
	scripts/stop-local.sh

clean:
	$(MVN) -q clean
	rm -rf run
