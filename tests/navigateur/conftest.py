"""The browser tests drive Debian's chromium with Playwright (no browser download).

Skipped when chromium is not installed, except under CI=true where they must run.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ABSENT = not os.path.exists(CHROMIUM)
EN_CI = os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config, items):
    # Without chromium the browser tests are skipped, saying why; never in CI, where they fail instead.
    if ABSENT and not EN_CI:
        marque = pytest.mark.skipif(True, reason="chromium n'est pas installé (apt-get install chromium)")
        for item in items:
            if "navigateur" in item.keywords:
                item.add_marker(marque)


@pytest.fixture
def navigateur():
    if ABSENT:
        pytest.fail("chromium est requis en CI pour les tests navigateur (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the database calls of the test stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
