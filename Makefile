# MeetOps: `make run` to try it, `make test` to prove it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTMX_VERSION := 2.0.7
JSQR_VERSION := 1.4.0
DINGTALK_JSAPI_VERSION := 3.2.9
export MEETOPS_DATA_DIR ?= $(CURDIR)/var

.PHONY: ci run test install assets messages lint format typecheck serve demo clean bench multinode dist bundle

$(BIN)/uv:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==0.13.8"

# Installs the locked dependencies, MeetOps itself (editable), the front-end
# assets and the documents' fonts from the npm registry and the compiled message catalogues.
install: $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(MAKE) --no-print-directory assets messages

assets:
	@$(BIN)/python scripts/fetch_assets.py --htmx $(HTMX_VERSION) --jsqr $(JSQR_VERSION) --dingtalk-jsapi $(DINGTALK_JSAPI_VERSION)

messages:
	@$(BIN)/python scripts/compile_messages.py

# `make run` is for trying MeetOps: development mode unless a SECRET_KEY is set.
run: export MEETOPS_DEBUG ?= $(if $(SECRET_KEY),0,1)
run: install
	$(BIN)/meetops migrate --no-input
	$(BIN)/meetops demo --if-empty
	$(BIN)/meetops serve --host $${HOST:-127.0.0.1} --port $${PORT:-8000} --announce

test: install
	$(BIN)/python -m pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

# What CI runs: lint, typecheck, the suite on SQLite, then on a private PostgreSQL.
ci:
	bash .ci/run

lint: install
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

format:
	$(BIN)/ruff format src tests scripts bench
	$(BIN)/ruff check --fix src tests scripts bench

typecheck: install
	MEETOPS_DEBUG=1 $(BIN)/mypy

bench: install
	$(BIN)/python bench/run.py

# Several nodes on loopback (PostgreSQL, Redis, S3, 2 web nodes behind a proxy, 2 workers, a
# scheduler) under load and a crash: docs/benchmarks.md. MULTINODE_ARGS="--mails 20000 ...".
multinode: install
	$(BIN)/python bench/multinode.py $(MULTINODE_ARGS)

# dist/: the sdist and the wheel, carrying the catalogues, assets and fonts git does not hold.
dist: install
	rm -rf dist
	$(BIN)/uv build --quiet --out-dir dist

# dist/meetops-bundle-<version>.tar.gz: installs MeetOps with no network (docs/operations.md).
bundle: dist
	$(BIN)/python scripts/make_bundle.py

clean:
	rm -rf $(VENV) var build dist *.egg-info src/*.egg-info

# The container image (Containerfile), built here with podman from Debian packages only,
# then smoke-tested from its mounted filesystem (deploy/smoke.sh). Needs root, podman,
# debootstrap; slow, so not part of `make ci`. IMAGE_ARCH=arm64: docs/operations.md.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
IMAGE ?= meetops:$(VERSION)
IMAGE_ARCH ?= $(shell dpkg --print-architecture)
# The CA roots the build's downloads from PyPI trust (a TLS-inspecting proxy's included).
BUILD_CA ?= /etc/ssl/certs/ca-certificates.crt
.PHONY: image
image: install
	deploy/base.sh --arch $(IMAGE_ARCH)
	podman build --isolation=chroot --format docker --pull=never --arch $(IMAGE_ARCH) \
		--build-arg BASE=localhost/meetops-base:bookworm-$(IMAGE_ARCH) --secret id=ca,src=$(BUILD_CA) \
		--tag $(IMAGE) --file Containerfile .
	deploy/smoke.sh $(IMAGE)
