#!/usr/bin/env bash
# The whole check, exactly as CI runs it: install, lint, types, the import contract, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test

export QT_QPA_PLATFORM=offscreen
echo "== ruff";          .venv/bin/ruff check commandroom ui tests bench
echo "== mypy (strict on commandroom/ and ui/)"; .venv/bin/mypy commandroom ui
echo "== import-linter"; .venv/bin/lint-imports
echo "== pytest";        .venv/bin/python -m pytest "$@"
