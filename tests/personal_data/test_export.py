"""A member downloads their own data as a ZIP of JSON and CSV: theirs, nobody else's, formula-safe."""

import csv
import io
import json
import zipfile

from tests.personal_data.conftest import EMAIL, NAME

SECTIONS = ("account", "memberships", "needs", "solutions", "messages", "registrations")


def download(client, login, user) -> zipfile.ZipFile:
    login(user)
    response = client.get("/account/data/export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_zip_holds_the_members_own_data_in_json_and_csv(client, login, people):
    archive = download(client, login, people.member)
    assert sorted(archive.namelist()) == sorted(["data.json", *(f"{s}.csv" for s in SECTIONS)])
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["email"] == EMAIL and data["account"][0]["display_name"] == NAME
    assert data["memberships"][0]["organization"] == people.org.name
    assert [need["id"] for need in data["needs"]] == [people.need.id]
    assert [solution["title"] for solution in data["solutions"]] == ["我的设备联网方案"]
    assert [message["body"] for message in data["messages"]] == ["我是欧阳，欢迎来电。"]
    assert [registration["organization"] for registration in data["registrations"]] == [people.org.name]
    text = archive.read("data.json").decode()
    for someone_elses in ("别人的需求", "您好，想了解这个方案", "林其他", "other-side@example.com"):
        assert someone_elses not in text
    for section in SECTIONS:
        assert someone_elses not in archive.read(f"{section}.csv").decode("utf-8-sig")


def test_the_csv_files_are_formula_safe(client, login, people):
    archive = download(client, login, people.member)
    rows = list(csv.DictReader(io.StringIO(archive.read("needs.csv").decode("utf-8-sig"))))
    assert rows[0]["title"] == "'" + people.need.title
    assert rows[0]["contact_person"] == NAME


def test_another_member_gets_only_theirs(client, login, people):
    archive = download(client, login, people.other)
    data = json.loads(archive.read("data.json"))
    assert data["account"][0]["email"] == "other-side@example.com"
    assert [need["title"] for need in data["needs"]] == ["别人的需求"]
    assert [message["body"] for message in data["messages"]] == ["您好，想了解这个方案。"]
    assert NAME not in archive.read("data.json").decode() and EMAIL not in archive.read("data.json").decode()


def test_the_download_needs_a_sign_in(client, people):
    response = client.get("/account/data/export.zip")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_data_page_links_the_download(client, login, people):
    login(people.member)
    page = client.get("/account/data").get_data(as_text=True)
    assert 'href="/account/data/export.zip"' in page
