"""The browser tests drive Debian's chromium with Playwright (no browser download).

Skipped when chromium is not installed, except under CI=true where they must run.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def navigateur():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium est requis en CI pour le test navigateur")
        pytest.skip("chromium n'est pas installé (apt-get install chromium)")
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
