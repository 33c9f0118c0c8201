# Quick start: `make demo` then `make test`. Both create .venv from requirements.txt when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Tests and the demo run single-threaded: predictable on shared 2-core machines.
export OMP_NUM_THREADS ?= 1
export GLOG_minloglevel := 2
export NO_ALBUMENTATIONS_UPDATE := 1

.PHONY: demo test venv fonts browser clean

# Free fonts (serif, sans, monospaced, condensed; bold and italic) and the English word list from Debian's
# packages: training data drawn with them knows about 150 typefaces instead of the 4 bundled in doc/fonts.
FONT_PACKAGES := fonts-dejavu fonts-liberation2 fonts-freefont-ttf fonts-noto-core fonts-crosextra-carlito \
	fonts-crosextra-caladea fonts-urw-base35 fonts-cantarell fonts-lato fonts-hack fonts-jetbrains-mono wamerican
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

venv: $(STAMP)

# The optional ONNX backend, PDF input, web-page rendering and the HTTP service are installed too, so that the
# tests cover them.
$(STAMP): requirements.txt requirements-onnx.txt requirements-pdf.txt requirements-html.txt requirements-serve.txt \
		setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip >/dev/null
	$(PY) -m pip install -r requirements.txt -r requirements-onnx.txt -r requirements-pdf.txt \
		-r requirements-html.txt -r requirements-serve.txt
	$(PY) -m pip install --no-deps -e .
	touch $(STAMP)

# The shipped English models are predict_system's defaults (ppocr/infer/models.py).
demo: $(STAMP)
	$(PY) tools/infer/predict_system.py --image_dir=doc/imgs/ --cpu_threads=2
	@echo "pictures with the boxes and the text read: ./inference_results/"

test: $(STAMP) browser
	$(PY) -m pytest tests -q

fonts:
	$(SUDO) apt-get update
	$(SUDO) apt-get install -y --no-install-recommends $(FONT_PACKAGES)

# Headless Chromium and its driver for the html kind (tools/gen_data.py html) and its tests: installed when this
# user may (root or password-less sudo); elsewhere those tests are skipped.
browser:
	@if command -v chromedriver >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then \
		($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium chromium-driver >/dev/null) \
		|| echo "could not install chromium: the html kind's tests will be skipped"; \
	else echo "no root or sudo to install chromium: the html kind's tests will be skipped"; fi

clean:
	rm -rf $(VENV) inference_results .pytest_cache
