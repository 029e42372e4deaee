"""The scenario list's export, like the needs and solutions ones, is in the viewer's language."""

from app.extensions import db
from app.search import pages
from tests.exports import CJK, table


def test_english_headers_and_taxonomy_names_in_english_mode(client, make_batch, make_scenario):
    scenario = make_scenario(title="注塑车间设备联网", batch=make_batch())
    scenario.industry.name_en = "Industry (test)"
    db.session.commit()
    header, row = table(client.get("/scenarios/export.csv"))
    assert header[0] == "场景编号" and row[2] == scenario.industry.name
    client.set_cookie("lang", "en")
    header, row = table(client.get("/scenarios/export.xlsx"))
    assert not [cell for cell in header if CJK.search(cell)]
    assert row[0] == scenario.code and row[2] == "Industry (test)"
    assert not [cell for cell in (row[3], row[4], row[5]) if CJK.search(cell)]  # domains, category, sub-category


def test_the_list_says_why_a_search_too_big_to_export_has_no_links(client, make_batch, make_scenario, monkeypatch):
    batch = make_batch()
    for number in range(3):
        make_scenario(code=f"QD-2022-{number:04d}", title=f"设备联网{number}", batch=batch)
    monkeypatch.setattr(pages, "EXPORT_LIMIT", 2)
    body = client.get("/scenarios/").get_data(as_text=True)
    assert 'data-test="export-too-many"' in body and "/scenarios/export.csv" not in body
    response = client.get("/scenarios/export.csv?q=设备联网")
    assert response.status_code == 302 and response.headers["Location"].startswith("/scenarios/?q=")
