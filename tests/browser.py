"""A headless Chromium for the tests of the HTML pages, or a clear reason why not.

Debian's ``chromium`` and ``chromium-driver`` packages (``make test`` installs
them where missing); Selenium is given the driver's path, so Selenium Manager
never downloads one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver (or run `make test`)"
# `make test` sets this: there, no browser is a failure, not a skip.
REQUIRED = os.environ.get("MARKER_TRENDS_BROWSER") == "required"
# Flags that work in a container without a display, a GPU or the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1400,1000",
)


def missing_browser() -> str | None:
    """Say what is missing for the browser tests, or None when all is there."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing: {INSTALL}"
    return None


def start_chromium():
    """Start a headless Chromium with a fresh profile; return the driver and the
    profile folder to remove after ``driver.quit()``."""
    reason = missing_browser()
    if reason is not None:
        _no_browser(f"no browser for the HTML tests: {reason}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="marker-trends-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    except Exception as err:
        shutil.rmtree(profile, ignore_errors=True)
        _no_browser(
            f"Chromium would not start ({err.__class__.__name__}: {err}); {INSTALL}"
        )
    return driver, profile


def _no_browser(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (MARKER_TRENDS_BROWSER=required)", pytrace=False)
    pytest.skip(reason)


def stop_chromium(driver, profile) -> None:
    """Quit the browser and remove its profile."""
    try:
        driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
