"""Alt+letter opens one menu: no two menus of the console share their letter, in English
and in Chinese (a second press of a shared letter only cycles between the menus)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.ui.conftest import AppFactory


def _letters(app_factory: AppFactory) -> Counter[str]:
    app = app_factory("--demo")
    titles = [a.text() for a in app.console.menuBar().actions() if a.text()]
    letters = [m.group(1).upper() for t in titles if (m := re.search(r"&(\w)", t))]
    assert len(letters) == len(titles), titles  # every menu has a letter
    return Counter(letters)


def test_every_menu_has_its_own_letter(make_app: AppFactory) -> None:
    shared = {k: n for k, n in _letters(make_app).items() if n > 1}
    assert not shared


@pytest.mark.usefixtures("chinese")
def test_every_menu_has_its_own_letter_in_chinese(make_app: AppFactory) -> None:
    shared = {k: n for k, n in _letters(make_app).items() if n > 1}
    assert not shared
