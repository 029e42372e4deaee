"""The axe check of test_accessibility.py in English (a file of its own so that it runs beside the
Chinese one on the other worker)."""

import pytest
from playwright.sync_api import Browser

from tests.browser import test_accessibility as accessibility

pytestmark = pytest.mark.browser

planned = accessibility.planned  # the same fixture: the shared world and the pages to visit


def test_no_serious_violation_in_english_at_either_width(
    live_server: str, browser: Browser, planned: list[accessibility.Visit], axe_script
):
    found = accessibility.violations_in("en", live_server, browser, planned, axe_script)
    assert not found, f"{len(found)} violations:\n" + "\n".join(found)
