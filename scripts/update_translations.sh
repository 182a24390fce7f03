#!/usr/bin/env bash
# Collect every translatable string of ui/ into the .ts files, then compile the .qm files.
# New strings appear as "unfinished" until translated (tests/ui/test_translations.py fails).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find ui -name '*.py' | sort)
for ts in resources/translations/*.ts; do
    .venv/bin/pyside6-lupdate -silent -no-obsolete -locations none \
        -tr-function-alias translate+=_tr "${sources[@]}" -ts "$ts"
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
# Qt's own strings that Qt's translation lacks: kept by hand, only compiled here.
for ts in resources/translations/qt/*.ts; do
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "${ts%.ts}.qm"
done
