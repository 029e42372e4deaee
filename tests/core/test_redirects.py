from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.redirects import is_local_path

OURS = "https://portal.example/"


@pytest.mark.parametrize("target", ["/", "/dashboard", "/orgs/1?tab=members", "/admin/audit?actor=a%40b"])
def test_local_paths_are_accepted(target):
    assert is_local_path(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "dashboard",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https:evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "%2F%2Fevil.example",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
        "/%255C%255Cevil.example",
        " /dashboard",
        "/\t/evil.example",
        "/\r\n/evil.example",
        "HTTP://evil.example",
    ],
)
def test_off_site_targets_are_refused(target):
    assert not is_local_path(target)


PIECES = st.sampled_from(
    ["/", "\\", ":", "%", "2F", "5C", "%2F", "%5C", "//", "http", "evil.com", " ", "\t", "?", "#", "@", "a"]
)


@given(st.lists(PIECES, max_size=12).map("".join))
def test_an_accepted_target_always_stays_on_our_host(target):
    if is_local_path(target):
        for candidate in (target, target.replace("\\", "/")):
            assert urlsplit(urljoin(OURS, candidate)).netloc == "portal.example"
