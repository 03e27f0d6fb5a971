# Two commands do all the set-up: `make figures` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCES := $(shell find plotting -name '*.py')
LINTED := plotting tests benchmarks docs setup.py
# Intermediate outputs: not build/, setuptools' own work folder.
CACHE := .cache

.PHONY: all figures bytecode test browser test-stacks baseline lint typecheck bench \
	clean lock docs
# apt-get needs root: run it through sudo when make is not run as root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

all: figures

# Refuse a Python older than 3.11 in plain words, before pip says only
# "ResolutionImpossible"; prints the version and the path of the one found.
define check_python
	@found=$$($(PYTHON) -c 'import sys; print("%d.%d at %s" % (*sys.version_info[:2], sys.executable))' 2>/dev/null); \
	case "$$found" in \
	  3.1[1-9]\ *|3.[2-9][0-9]\ *|[4-9].*) ;; \
	  *) echo "marker-trends needs Python 3.11 or newer; found $${found:-no $(PYTHON)}." \
	       "Give one with: make PYTHON=python3.11" >&2; exit 1;; \
	esac
endef

# The lock is installed by uv: the same releases pip would install (the same
# constraints, checked by tests/test_makefile.py), in a quarter of the time, which
# counts in every fresh clone's `make test`. uv is not part of the stack under test,
# so the venv's pip puts it in $(CACHE)/uv, not in the venv: the venv holds exactly
# the lock. Its bytecode is compiled at install, as pip does: where
# PYTHONDONTWRITEBYTECODE is set nothing else would. `make INSTALLER=pip` installs
# with pip alone.
INSTALLER ?= uv
# Any other name, say a typo, would install with uv without a word.
ifneq ($(INSTALLER),uv)
ifneq ($(INSTALLER),pip)
$(error INSTALLER=$(INSTALLER) is not an installer this Makefile knows: write INSTALLER=uv (the default) or INSTALLER=pip)
endif
endif
UV_RELEASE := 0.13.10
UV := $(CACHE)/uv/bin/uv

# $(call install,EXTRA): the package, editable, with one extra, on the lock's releases.
ifeq ($(INSTALLER),pip)
define install
	$(BIN)/python -m pip install --disable-pip-version-check -e '.[$(1)]' \
		-c tests/stacks/pinned.txt
endef
else
define install
	@[ "$$($(UV) --version 2>/dev/null)" = "uv $(UV_RELEASE)" ] || \
	  $(BIN)/python -m pip install --disable-pip-version-check --upgrade \
		--target $(CACHE)/uv uv==$(UV_RELEASE)
	$(UV) pip install --python $(BIN)/python --compile-bytecode -e '.[$(1)]' \
		-c tests/stacks/pinned.txt --build-constraint tests/stacks/pinned.txt
endef
endif

# A .venv made by another Python (or one that no longer runs) is made anew.
$(STAMP): pyproject.toml tests/stacks/pinned.txt
	$(check_python)
	@want=$$($(PYTHON) -c 'import sys; print(sys.version.split()[0])'); \
	have=$$($(BIN)/python -c 'import sys; print(sys.version.split()[0])' 2>/dev/null); \
	if [ -d $(VENV) ] && [ "$$have" != "$$want" ]; then \
	  echo "$(VENV) was made by Python $${have:-that no longer runs}; making it anew with $$want"; \
	  rm -rf $(VENV); \
	fi
	$(PYTHON) -m venv $(VENV)
	$(call install,test)
	touch $@

figures: bytecode figures/fig4.png figures/fig4_kinetics.png figures/cohort_aligned.png \
	figures/cases/hosogoe2015.png figures/cases/matsuki2020.png \
	figures/cases/hong2025.png \
	figures/cases/surgcaserep2015.png \
	figures/cases/stenman2002.png \
	figures/cases/blood2013myeloma.png \
	figures/cases/daverede2014.png \
	figures/cases/nepc_cea_olaparib.png

# See `test`: each render below is a new process.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q plotting

# Rebuilt only when the case data or the package changed.
figures/fig4.png: $(STAMP) $(wildcard data/yu2020/*) $(SOURCES)
	$(BIN)/marker-trends render data/yu2020 -o figures/fig4 --format png pdf svg html

# Fig. 4 annotated with the apparent half-lives after the bone radiotherapy.
figures/fig4_kinetics.png: $(STAMP) $(wildcard data/yu2020/*) $(SOURCES)
	$(BIN)/marker-trends render data/yu2020 -o figures/fig4_kinetics --format png \
		--kinetics 2012-08-01:2013-02-08 --response "Bone RT" --uln-crossing

# Published cases (data/README.md): PSA with thresholds, and relative times in months.
figures/cases/hosogoe2015.png: $(STAMP) $(wildcard data/hosogoe2015/*) $(SOURCES)
	$(BIN)/marker-trends render data/hosogoe2015 -o figures/cases/hosogoe2015 --format png

figures/cases/matsuki2020.png: $(STAMP) $(wildcard data/matsuki2020/*) $(SOURCES)
	$(BIN)/marker-trends render data/matsuki2020 -o figures/cases/matsuki2020 --format png

# Cases timed as papers give them: after events, as ranges, in cycles, in order only.
figures/cases/hong2025.png: $(STAMP) $(wildcard data/hong2025/*) $(SOURCES)
	$(BIN)/marker-trends render data/hong2025 -o figures/cases/hong2025 --format png

figures/cases/surgcaserep2015.png: $(STAMP) $(wildcard data/surgcaserep2015/*) $(SOURCES)
	$(BIN)/marker-trends render data/surgcaserep2015 -o figures/cases/surgcaserep2015 --format png

figures/cases/stenman2002.png: $(STAMP) $(wildcard data/stenman2002/*) $(SOURCES)
	$(BIN)/marker-trends render data/stenman2002 -o figures/cases/stenman2002 --format png

figures/cases/blood2013myeloma.png: $(STAMP) $(wildcard data/blood2013myeloma/*) $(SOURCES)
	$(BIN)/marker-trends render data/blood2013myeloma -o figures/cases/blood2013myeloma --format png

figures/cases/daverede2014.png: $(STAMP) $(wildcard data/daverede2014/*) $(SOURCES)
	$(BIN)/marker-trends render data/daverede2014 -o figures/cases/daverede2014 --format png

# One marker in two specimens: serum and urine CEA, two series never joined.
figures/cases/nepc_cea_olaparib.png: $(STAMP) $(wildcard data/nepc_cea_olaparib/*) $(SOURCES)
	$(BIN)/marker-trends render data/nepc_cea_olaparib -o figures/cases/nepc_cea_olaparib \
		--format png

# A synthetic cohort (fixed seed, never real patients) for the cohort figures.
$(CACHE)/synthetic_cohort/measurements.csv: $(STAMP) $(SOURCES)
	$(BIN)/marker-trends synthetic $(CACHE)/synthetic_cohort --patients 60 --seed 7 --force

figures/cohort_aligned.png: $(CACHE)/synthetic_cohort/measurements.csv $(SOURCES)
	$(BIN)/marker-trends aligned $(CACHE)/synthetic_cohort -o figures/cohort_aligned \
		--marker AFP --anchor tace --percent --format png

# Two workers: these machines have two cores. The package's bytecode is written
# first (only what changed): pip compiles what it installs but not an editable
# source tree, and where PYTHONDONTWRITEBYTECODE is set every worker and every
# command a test starts would compile the package's hundred modules again. The
# HTML pages are tested in Debian's headless Chromium, installed here where it is
# missing; the tests fail rather than skip when it cannot be had.
test: bytecode lint typecheck browser
	MARKER_TRENDS_BROWSER=required $(BIN)/python -m pytest -n 2 -m 'not docs'

browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		echo "installing Debian's chromium and chromium-driver for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium chromium-driver; \
	fi

# The suite without its pinned-stack tests (image comparisons, committed figures,
# the accelerator's own checks), and a batch, on the oldest releases
# pyproject.toml allows and on the newest (tests/stacks/*.txt). CI runs it after
# `make test`.
STACKS := oldest newest
test-stacks: $(STACKS:%=test-stack-%)

# Kept between runs: make would delete them as intermediate files.
.PRECIOUS: .venv-%/.installed

.venv-%/.installed: pyproject.toml tests/stacks/%.txt
	$(check_python)
	rm -rf .venv-$*
	$(PYTHON) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --disable-pip-version-check --upgrade \
		-e '.[test]' -c tests/stacks/$*.txt
	touch $@

test-stack-%: .venv-%/.installed
	.venv-$*/bin/python -c 'import matplotlib, numpy, pandas; \
		print("$* stack: matplotlib", matplotlib.__version__, "numpy", \
		numpy.__version__, "pandas", pandas.__version__)'
	.venv-$*/bin/python -m pytest -n 2 -p no:cacheprovider -q \
		-m 'not mpl_image_compare and not pinned_stack and not docs'
	.venv-$*/bin/marker-trends synthetic $(CACHE)/stack-$*/cohort --patients 12 --seed 7 --force
	.venv-$*/bin/marker-trends batch $(CACHE)/stack-$*/cohort -o $(CACHE)/stack-$*/figures --force

# Refresh the lock: a new environment from pyproject.toml's ranges, with only the
# holds of tests/stacks/pinned.in, frozen to exact releases in pinned.txt. Look at
# `git diff tests/stacks/pinned.txt`, then run `make test` before committing it.
LOCK_VENV := .venv-lock
lock: pyproject.toml tests/stacks/pinned.in
	$(check_python)
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --disable-pip-version-check -e '.[test,docs]' \
		-c tests/stacks/pinned.in
	{ echo '# The stack `make test` and `make figures` run on: the exact release of every'; \
	  echo '# package, so the pytest-mpl baselines, figures/ (PNG, PDF and SVG byte for'; \
	  echo '# byte) and the batch accelerator (plotting/output/mpl_accel.py) come out as'; \
	  echo '# committed. Given to pip as constraints; users get ranges, not these.'; \
	  echo '# Written by `make lock` from pyproject.toml and tests/stacks/pinned.in (the'; \
	  echo '# releases held by hand, with why): edit those, not this file.'; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable --disable-pip-version-check \
		| grep -v -i -E '^(pip|marker-trends)==' | LC_ALL=C sort -f -t= -k1,1; \
	} > tests/stacks/pinned.txt.part
	mv tests/stacks/pinned.txt.part tests/stacks/pinned.txt
	rm -rf $(LOCK_VENV)

# Regenerate the pytest-mpl baselines on purpose, then look at every one before
# committing them (in a commit of their own that says why).
baseline: $(STAMP)
	$(BIN)/python -m pytest -m mpl_image_compare --mpl-generate-path=tests/baseline \
		-W "ignore:Ignoring --mpl-baseline-path:UserWarning"

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

# The public API as a user's code sees it, with mypy; what is checked and what is
# not is said in pyproject.toml's [tool.mypy].
typecheck: $(STAMP)
	$(BIN)/mypy

# The documentation site, offline, into docs/_build/html: warnings are errors
# (nitpicky references, numpydoc's checks of the public API), and every gallery
# example runs; then every shell block of the pages and the README runs (tests
# marked docs). Its tools come from the lock, like the test tools.
DOCS_STAMP := $(VENV)/.docs-installed
$(DOCS_STAMP): $(STAMP)
	$(call install,docs)
	touch $@

# sphinx-gallery runs again only the examples whose code changed: after a change
# to the package or the docs' configuration, every example runs again.
DOCS_FRESH := docs/_build/.fresh
$(DOCS_FRESH): $(SOURCES) docs/conf.py docs/build_numbers.py $(wildcard docs/_templates/*/*)
	rm -rf docs/_build docs/auto_gallery docs/generated docs/_generated
	mkdir -p docs/_build
	touch $@

docs: bytecode $(DOCS_STAMP) $(DOCS_FRESH)
	$(BIN)/sphinx-build -W --keep-going -n -q -b html docs docs/_build/html
	$(BIN)/python -m pytest -n 2 -q -m docs

# Speed is checked here, as a ratio against a baseline measured in the same run.
bench: $(STAMP)
	$(BIN)/python benchmarks/render_time.py
	$(BIN)/python benchmarks/batch_throughput.py
	$(BIN)/python benchmarks/cohort_read.py

clean:
	rm -rf $(VENV) $(STACKS:%=.venv-%) $(LOCK_VENV) $(CACHE) build *.egg-info .mypy_cache .pytest_cache .hypothesis
	rm -rf docs/_build docs/_generated docs/auto_gallery docs/generated
