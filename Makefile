# regionkg: two commands do all the set-up on a fresh machine with Python 3.11+.
#   make run    create .venv, install, build the sample graph if missing, start the app
#   make test   create .venv, install, make sure chromium, CJK fonts and Virtuoso are there, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= data/store
PORT   ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test install graph clean train crossval

$(BIN)/regionkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/regionkg

install: $(BIN)/regionkg

# Ingested again when the extractor changes (ingest/, its model, the ontology): ingest extracts again
# only the documents a different extractor version extracted (rkg:extractorVersion).
$(STORE).built: $(BIN)/regionkg $(shell find ingest ontology -type f \( -name '*.py' -o -name '*.cfg' -o -name '*.ttl' -o -path '*/model/*' \) -not -path '*/__pycache__/*' 2>/dev/null)
	$(BIN)/regionkg ingest data/samples --store $(STORE)
	touch $@

graph: $(STORE).built

run: graph
	REGIONKG_STORE=$(STORE) $(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true --browser.gatherUsageStats false

test: install
	scripts/ensure-browser
	scripts/ensure-virtuoso
	$(BIN)/python -m pytest

# The learned recogniser (ingest/recognise/model), trained on the repository's own annotated real
# plans on the CPU; nothing is downloaded. HOLD_OUT: the annotated reports it must not see.
HOLD_OUT ?= B
train: install
	$(BIN)/python -m ingest.recognise.train --hold-out $(HOLD_OUT) --out ingest/recognise/model

# Each half of tests/data/gold-real measured end to end by a recogniser and a rule-name classifier
# trained without it (kept in .crossval/A and .crossval/B; regionkg evaluate says per set how many
# of its documents each was trained on).
crossval: install
	$(BIN)/python -m ingest.recognise.train --hold-out A --out .crossval/A
	$(BIN)/regionkg evaluate --model .crossval/A
	$(BIN)/python -m ingest.recognise.train --hold-out B --out .crossval/B
	$(BIN)/regionkg evaluate --model .crossval/B

clean:
	rm -rf $(VENV) $(STORE) $(STORE).built .pytest_cache
