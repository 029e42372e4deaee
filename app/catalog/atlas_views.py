"""The public atlas page: published scenarios, open needs and published solutions per industry ×
technology domain, the cells where needs outnumber solutions, and scenarios per category."""

from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.catalog.atlas import Atlas, atlas_counts
from app.core.bilingual import localized
from app.core.page_cache import public_page

bp = Blueprint("atlas", __name__)


class MeasureView(NamedTuple):
    """A measure of the heat map's switch: its name in `Atlas.measures`, the list its counts link to."""

    name: str
    endpoint: str
    label: Any  # a lazy string


MEASURE_VIEWS = (
    MeasureView("scenarios", "scenarios.index", _l("场景")),
    MeasureView("needs", "needs.index", _l("开放需求")),
    MeasureView("solutions", "solutions.index", _l("已发布方案")),
)


def measure_views(atlas: Atlas) -> list[MeasureView]:
    return [view for view in MEASURE_VIEWS if view.name in atlas.measures]


def measure_url(measure: MeasureView, **codes: str) -> str:
    """`/needs/?industry=EQP&domain=IM`: the records behind one count of a measure."""
    args: dict[str, Any] = codes
    return url_for(measure.endpoint, **args)


def scenario_list_url(**codes: str) -> str:
    """`/scenarios/?industry=EQP&domain=IM`: the published scenarios behind one count."""
    args: dict[str, Any] = codes  # url_for's own keywords (_external: bool, ...) do not take a str
    return url_for("scenarios.index", **args)


def chart_data(atlas: Atlas) -> dict:
    """What static/js/atlas.js draws: names in the current language, each measure's counts and link
    targets (every measure lists the same cells in the same order)."""
    matrix = atlas.scenarios
    measures = {}
    for view in measure_views(atlas):
        counts = atlas.measures[view.name]
        cells = []
        for y, industry in enumerate(atlas.industries):
            for x, domain in enumerate(atlas.domains):
                count = counts.cell(industry, domain)
                url = measure_url(view, industry=industry.code, domain=domain.code) if count else None
                cells.append([x, y, count, url])
        measures[view.name] = {"label": str(view.label), "cells": cells, "max": counts.max_cell}
    return {
        "industries": [{"code": i.code, "name": localized(i), "total": matrix.row_total(i)} for i in atlas.industries],
        "domains": [
            {"code": d.code, "name": localized(d), "newMode": d.new_mode, "total": matrix.column_total(d)}
            for d in atlas.domains
        ],
        "measures": measures,
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
            "separator": _("："),
            "few": _("少"),
            "many": _("多"),
        },
    }


@bp.route("/atlas")
@public_page
def index():
    atlas = atlas_counts()
    data = None if atlas.is_empty else chart_data(atlas)
    views = measure_views(atlas)
    chosen = next((view for view in views if view.name == request.args.get("measure")), views[0])
    return render_template(
        "catalog/atlas.html",
        atlas=atlas,
        data=data,
        measure_views=views,
        chosen=chosen,
        gap_groups=[
            (industry, list(gaps)) for industry, gaps in groupby(atlas.gaps("needs", "solutions"), itemgetter(0))
        ],
        measure_url=measure_url,
        scenario_list_url=scenario_list_url,
    )
