"""The public atlas page: published scenarios per industry × technology domain and per category."""

from typing import Any

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _

from app.catalog.atlas import Atlas, atlas_counts
from app.core.bilingual import localized
from app.core.page_cache import public_page

bp = Blueprint("atlas", __name__)


def scenario_list_url(**codes: str) -> str:
    """`/scenarios/?industry=EQP&domain=IM`: the published scenarios behind one count."""
    args: dict[str, Any] = codes  # url_for's own keywords (_external: bool, ...) do not take a str
    return url_for("scenarios.index", **args)


def chart_data(atlas: Atlas) -> dict:
    """What static/js/atlas.js draws: names in the current language, counts and link targets."""
    matrix = atlas.scenarios
    cells = []
    for y, industry in enumerate(atlas.industries):
        for x, domain in enumerate(atlas.domains):
            count = matrix.cell(industry, domain)
            url = scenario_list_url(industry=industry.code, domain=domain.code) if count else None
            cells.append([x, y, count, url])
    return {
        "industries": [{"code": i.code, "name": localized(i), "total": matrix.row_total(i)} for i in atlas.industries],
        "domains": [
            {"code": d.code, "name": localized(d), "newMode": d.new_mode, "total": matrix.column_total(d)}
            for d in atlas.domains
        ],
        "cells": cells,
        "max": matrix.max_cell,
        "categories": [
            {
                "code": c.category.code,
                "name": localized(c.category),
                "value": c.count,
                "url": scenario_list_url(category=c.category.code),
                "children": [
                    {
                        "code": s.subcategory.code,
                        "name": localized(s.subcategory),
                        "value": s.count,
                        "url": scenario_list_url(subcategory=s.subcategory.code),
                    }
                    for s in c.subcategories
                    if s.count
                ],
            }
            for c in atlas.categories
            if c.count
        ],
        "text": {
            "count": _("{count} 个场景"),
            "few": _("少"),
            "many": _("多"),
        },
    }


@bp.route("/atlas")
@public_page
def index():
    atlas = atlas_counts()
    data = None if atlas.is_empty else chart_data(atlas)
    return render_template("catalog/atlas.html", atlas=atlas, data=data, scenario_list_url=scenario_list_url)
