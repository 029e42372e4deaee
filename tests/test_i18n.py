import subprocess
import sys

from babel.messages.pofile import read_po

from tests.conftest import ROOT

CATALOGUE = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_every_marked_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "--ignore-dirs=.* venv",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(pot),
            "--no-location",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        marked = {m.id for m in read_po(fh) if m.id}
    with CATALOGUE.open("rb") as fh:
        translated = {m.id for m in read_po(fh) if m.id and m.string and not m.fuzzy}
    assert marked - translated == set()


def test_language_choice_is_remembered(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "忘记密码" in page
    response = client.post_form("/language", {"language": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Forgot password?" in page and "忘记密码" not in page
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post_form("/language", {"language": "xx", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)
