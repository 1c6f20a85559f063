# Engawa: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv || echo $(HOME)/.local/bin/uv)
PORT ?= 8000

.PHONY: install run test lint format bench

$(UV):
	@echo "uv not found: installing it with pip"
	python3 -m pip install --user --quiet uv || python3 -m pip install --user --quiet --break-system-packages uv

install: $(UV)
	$(UV) sync --frozen

run: install
	DEBUG=1 $(UV) run --frozen python manage.py migrate --noinput
	DEBUG=1 $(UV) run --frozen python manage.py seed_demo
	DEBUG=1 $(UV) run --frozen python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(UV) run --frozen pytest

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .
