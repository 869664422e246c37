# Two commands for a fresh machine: `make run` (the app on the bundled sample)
# and `make test` (the whole suite). Both start with `make setup`, which installs
# only what is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := static/vendor
PORT ?= 8501
# 127.0.0.1 serves this machine only; ADDRESS=0.0.0.0 serves the network.
ADDRESS ?= 127.0.0.1
# `make replicas`: that many app servers, on PORT, PORT+1, ... (nginx in front: proxy-conf).
REPLICAS ?= 2
MAP_JS := leaflet/leaflet.js leaflet-draw/leaflet.draw.js leaflet-measure/leaflet-measure.js \
  locatecontrol/L.Control.Locate.min.js

.PHONY: setup run replicas proxy-conf test lint unit bench debian browser servers sample clean

setup: $(VENV)/.installed $(VENDOR)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Leaflet (and any plugin the map uses) comes from the npm registry, pinned by
# package-lock.json, and is served by the app from ./static/.
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet $(VENDOR)/leaflet-draw \
	  $(VENDOR)/leaflet-measure $(VENDOR)/locatecontrol
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	  node_modules/leaflet/LICENSE $(VENDOR)/leaflet/
	cp -r node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/leaflet-draw/dist/leaflet.draw.js node_modules/leaflet-draw/dist/leaflet.draw.css \
	  $(VENDOR)/leaflet-draw/
	cp -r node_modules/leaflet-draw/dist/images $(VENDOR)/leaflet-draw/
	cp node_modules/leaflet-measure/dist/leaflet-measure.js \
	  node_modules/leaflet-measure/dist/leaflet-measure.css $(VENDOR)/leaflet-measure/
	cp -r node_modules/leaflet-measure/dist/assets $(VENDOR)/leaflet-measure/
	cp node_modules/leaflet.locatecontrol/dist/L.Control.Locate.min.js \
	  node_modules/leaflet.locatecontrol/dist/L.Control.Locate.min.css $(VENDOR)/locatecontrol/
	# one script for the map page to load instead of four in a row (Leaflet first)
	for f in $(MAP_JS); do cat $(VENDOR)/$$f; printf '\n;\n'; done > $(VENDOR)/map.js
	# MapLibre GL and the PMTiles reader: the published static site and the app's large maps
	mkdir -p $(VENDOR)/maplibre-gl $(VENDOR)/pmtiles
	cp node_modules/maplibre-gl/dist/maplibre-gl.mjs node_modules/maplibre-gl/dist/maplibre-gl-worker.mjs \
	  node_modules/maplibre-gl/dist/maplibre-gl.css node_modules/maplibre-gl/LICENSE.txt $(VENDOR)/maplibre-gl/
	cp node_modules/pmtiles/dist/pmtiles.js $(VENDOR)/pmtiles/
	# the QR code of a printed sheet's link, made in the published site's page
	mkdir -p $(VENDOR)/qrcode-generator
	cp node_modules/qrcode-generator/dist/qrcode.mjs $(VENDOR)/qrcode-generator/
	# the Leaflet layer that draws MapLibre inside the app's map (a large dataset's tiles)
	mkdir -p $(VENDOR)/maplibre-gl-leaflet
	cp node_modules/@maplibre/maplibre-gl-leaflet/leaflet-maplibre-gl.js \
	  node_modules/@maplibre/maplibre-gl-leaflet/LICENSE $(VENDOR)/maplibre-gl-leaflet/
	touch $@

# Debian's packages the tests and benchmarks use: Chromium for the browser tests, nginx (with
# its brotli_static module) and Caddy for serving the published site and the app's replicas
# through real web servers. One update and one install, only for what is missing.
DEBIAN_PACKAGES := chromium nginx libnginx-mod-http-brotli-static caddy
debian:
	@dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(DEBIAN_PACKAGES) >/dev/null)

browser servers: debian

run: setup
	$(BIN)/python -m panels.serve run app.py --server.port $(PORT) --server.address $(ADDRESS)

# REPLICAS app servers on PORT, PORT+1, ...; Ctrl-C stops them all.
replicas: setup
	$(BIN)/python -m panels.replicas --replicas $(REPLICAS) --port $(PORT) --address $(ADDRESS)

# nginx's configuration for those replicas, on standard output (SITE=DIR serves a published
# site beside them): make -s proxy-conf REPLICAS=3 SITE=site > /etc/nginx/conf.d/civicmap.conf
proxy-conf: setup
	@$(BIN)/civicmap proxy-conf --replicas $(REPLICAS) --port $(PORT) --address $(ADDRESS) \
	  $(if $(SITE),--site $(abspath $(SITE)))

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy geo layers panels app.py
	$(BIN)/lint-imports

# The suite in three processes (its browser and server tests mostly wait); WORKERS=0 for one.
WORKERS ?= 3
test: setup debian lint
	$(BIN)/python -m pytest -q $(if $(filter 0,$(WORKERS)),,-n $(WORKERS))

bench: setup debian
	$(BIN)/python bench/run.py
	$(BIN)/python bench/load.py --find-limit
	$(BIN)/python bench/replicas_load.py --n 500000
	$(BIN)/python bench/site_figures.py --n 500000
	$(BIN)/python bench/site_load.py --visitors 500
	$(BIN)/python bench/changes_figures.py --n 500000
	$(BIN)/python bench/paint_floor.py

sample: setup
	$(BIN)/python data/sacramento/make_sample.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
