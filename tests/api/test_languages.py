"""The API names taxonomy entries and indicators in the language asked for: `?lang=en`, else
`Accept-Language`, else Chinese (programs hold no language cookie)."""

import pytest

from app.extensions import db
from app.stats.models import Indicator
from app.taxonomy.models import District, Industry


def district(code: str) -> District:
    return db.session.scalar(db.select(District).where(District.code == code))


def scenario_district(client, url: str, **headers) -> dict:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_json()["district"]


def test_lang_en_names_the_scenarios_taxonomy_in_english(client, catalogue):
    shinan = district("SN")
    assert scenario_district(client, "/api/v1/scenarios/QD-2022-0002?lang=en")["name"] == shinan.name_en
    assert scenario_district(client, "/api/v1/scenarios/QD-2022-0002")["name"] == shinan.name


def test_accept_language_en_names_in_english(client, catalogue):
    shinan = district("SN")
    english = scenario_district(client, "/api/v1/scenarios/QD-2022-0002", **{"Accept-Language": "en-US,en;q=0.9"})
    chinese = scenario_district(client, "/api/v1/scenarios/QD-2022-0002", **{"Accept-Language": "zh-CN,zh;q=0.9"})
    assert (english["name"], chinese["name"]) == (shinan.name_en, shinan.name)


def test_lang_wins_over_accept_language(client, catalogue):
    response = client.get("/api/v1/scenarios?lang=zh", headers={"Accept-Language": "en"})
    twin = next(s for s in response.get_json()["items"] if s["code"] == "QD-2022-0002")
    assert twin["district"]["name"] == district("SN").name
    assert "Accept-Language" in response.headers["Vary"]


def test_indicators_and_units_in_english(client):
    plans = client.get("/api/v1/indicators?lang=en").get_json()["plans"]
    served = next(i for i in plans[0]["indicators"] if i["code"] == "firms_served")
    indicator = db.session.scalar(db.select(Indicator).where(Indicator.code == "firms_served"))
    assert (served["name"], served["unit"]) == (indicator.name_en, indicator.unit_en)
    assert plans[0]["name"] == indicator.plan.name_en


def test_the_taxonomy_in_english(client):
    industries = client.get("/api/v1/taxonomy", headers={"Accept-Language": "en"}).get_json()["industries"]
    expected = {i.code: i.name_en for i in db.session.scalars(db.select(Industry))}
    assert {entry["code"]: entry["name"] for entry in industries} == expected


@pytest.mark.parametrize("url", ["/api/v1/scenarios?lang=fr", "/api/v1/indicators?lang=fr", "/api/v1/taxonomy?lang="])
def test_an_unknown_language_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == {"lang": "must be one of: zh, en"}


def test_the_indicators_dataset_follows_the_visitors_language(client):
    served = db.session.scalar(db.select(Indicator).where(Indicator.code == "firms_served"))
    client.set_cookie("lang", "en")
    english = client.get("/data/indicators.csv").get_data(as_text=True)
    assert served.name_en in english and served.name not in english
    client.set_cookie("lang", "zh")
    assert served.name in client.get("/data/indicators.csv").get_data(as_text=True)
