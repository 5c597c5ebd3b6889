# regionkg: two commands do all the set-up on a fresh machine with Python 3.11+.
#   make run    create .venv, install, build the sample graph if missing, start the app
#   make test   create .venv, install, make sure chromium, CJK fonts and Virtuoso are there, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= data/store
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test install graph clean

$(BIN)/regionkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/regionkg

install: $(BIN)/regionkg

$(STORE).built: $(BIN)/regionkg
	$(BIN)/regionkg ingest data/samples --store $(STORE)
	touch $@

graph: $(STORE).built

run: graph
	REGIONKG_STORE=$(STORE) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true --browser.gatherUsageStats false

test: install
	scripts/ensure-browser
	scripts/ensure-virtuoso
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(STORE) $(STORE).built .pytest_cache
