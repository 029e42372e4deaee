"""The scenario list's export, like the needs and solutions ones, is in the viewer's language."""

from app.extensions import db
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
