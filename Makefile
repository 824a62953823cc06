# mqtop — the two commands a newcomer needs are `make run` and `make test`.
# Both install what is missing (Debian packages, with sudo when not root), build, and go.

SWIFT        ?= swift
BUILD_FLAGS  ?=
STRICT       := -Xswiftc -warnings-as-errors
# The broker `mosquitto` is not among them: on a machine with systemd its package starts a service on port
# 1883, the port `make run` listens on. `make test` installs it without that service (test-broker), and
# `make bench` needs it too (with libmosquitto-dev for the harness).
APT_PACKAGES := redis-server redis-tools redis-sentinel mosquitto-clients libncurses-dev tmux openssl \
                python3-paho-mqtt
BENCH_PACKAGES := mosquitto libmosquitto-dev build-essential
SUDO         := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
RUN_ARGS     ?=

.PHONY: setup install-packages build release run serve test test-broker test-debug test-release bench soak fuzz clean

## setup: install the Debian packages the build, the tests and the console need (only the missing ones)
setup:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(APT_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: setup
	$(SWIFT) build $(BUILD_FLAGS)

release: setup
	$(SWIFT) build -c release $(STRICT) $(BUILD_FLAGS)

## run: the console on the embedded engine (broker on 127.0.0.1:1883, private redis-server)
run: setup
	$(SWIFT) build -c release $(BUILD_FLAGS)
	.build/release/mqtop $(RUN_ARGS)

## serve: the headless broker with its backend
serve: setup
	$(SWIFT) build -c release $(BUILD_FLAGS)
	.build/release/mqtop serve $(RUN_ARGS)

## test: every test against real redis-server, mosquitto (clients and broker) and tmux, then the strict release build
test: setup test-broker test-debug test-release

# The attach tests read a real mosquitto broker's traffic. Where systemd runs, the package starts a service on
# 1883, the port `make run` wants: when we install it, we stop that service again (an existing install is left as is).
test-broker:
	@if ! dpkg-query -W -f='$${Status}' mosquitto 2>/dev/null | grep -q "install ok installed"; then \
	  $(MAKE) --no-print-directory install-packages PACKAGES=mosquitto && \
	  if [ -d /run/systemd/system ]; then \
	    $(SUDO) systemctl disable --now mosquitto || echo "note: could not stop the mosquitto service on 1883"; \
	  fi; \
	fi

# SwiftNIO's strict mode crashes on what it otherwise only logs (work handed to an event loop that has stopped).
test-debug: export SWIFTNIO_STRICT = 1
test-debug:
	$(SWIFT) build --build-tests $(STRICT) $(BUILD_FLAGS)
	$(SWIFT) test --skip-build $(BUILD_FLAGS)
	@# The soak loads the whole machine, so it runs alone, after everything else.
	MQTOP_SOAK_SECONDS=60 $(SWIFT) test --skip-build --filter SoakTests $(BUILD_FLAGS)

# The 6.3.1 optimizer crashes on some loops that debug builds accept, so CI must build release too.
test-release:
	$(SWIFT) build -c release $(STRICT) $(BUILD_FLAGS)

## bench: the broker against Mosquitto, side by side (see BENCHMARKS.md)
bench: setup
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(BENCH_PACKAGES)"
	$(SWIFT) build -c release $(BUILD_FLAGS)
	scripts/bench.sh

## soak: the long soak (SOAK_SECONDS, default 600) with Redis killed and restarted, and the sentinel failover
## variant; `make test` runs the 60-second single-Redis version. Figures go to RELIABILITY.md.
SOAK_SECONDS ?= 600
soak: setup
	$(SWIFT) build --build-tests $(BUILD_FLAGS)
	MQTOP_SOAK_SECONDS=$(SOAK_SECONDS) MQTOP_SOAK_SENTINEL=1 $(SWIFT) test --skip-build --filter SoakTests $(BUILD_FLAGS)

## fuzz: libFuzzer on the MQTT decoder, the RESP parser and the config parser, FUZZ_SECONDS (default 600) each;
## `make test` replays the committed corpus and every past finding (fuzz/).
FUZZ_SECONDS ?= 600
fuzz: setup
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build .build-fuzz
