"""A headless Chromium driven by Selenium: Debian's ``chromium`` and ``chromium-driver``.

The browser starts with a fresh profile, no network services of its own (no component
updates, no background fetches) and no GPU; tests that need it skip, with the reason, when
the binaries or Selenium are missing. Set ``GITWARDEN_SCREENSHOTS=DIR`` to have the browser
tests save their screenshots there (``docs/screenshots`` for the committed ones).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--window-size=1280,1000",
)
SCREENSHOTS_VARIABLE = "GITWARDEN_SCREENSHOTS"


def _first_existing(candidates: tuple[str, ...]) -> str | None:
    return next((path for path in candidates if Path(path).is_file()), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module, closed (and its profile removed) afterwards."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium is not installed: browser tests skipped (pip install -e '.[dev]')")
    binary = _first_existing(CHROMIUM_CANDIDATES)
    driver_path = _first_existing(DRIVER_CANDIDATES) or shutil.which("chromedriver")
    if binary is None or driver_path is None:
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed: browser tests skipped "
            "(apt-get install chromium chromium-driver, as .ci/run does)"
        )
    profile = tempfile.mkdtemp(prefix="gitwarden-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def save_screenshot(driver: Any, name: str) -> Path | None:
    """Save the page as NAME.png into $GITWARDEN_SCREENSHOTS when it is set."""
    folder = os.environ.get(SCREENSHOTS_VARIABLE)
    if not folder:
        return None
    target = Path(folder) / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(target))
    return target
