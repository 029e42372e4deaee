"""The open datasets of /data: each public collection of the API as one table, downloadable as
CSV or XLSX (formula-safe, through `app.core.spreadsheets`), with its update time and licence.

A row is the API's JSON item flattened (`flatten`), so that a download holds exactly the fields
the API publishes, under the same names, and never a private one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select

from app.api import serializers, services
from app.articles import services as articles
from app.articles.models import Article
from app.catalog.models import Scenario, ScenarioBatch
from app.events.models import Event
from app.extensions import db
from app.needs.models import Need
from app.search.documents import document_type
from app.solutions.models import Solution
from app.stats.models import Indicator, ReportedValue

#: CC BY 4.0: anyone may reuse the data, commercially too, if they name the source; the names
#: and figures stay traceable to the office. A deployment sets its own by OPEN_DATA_LICENCE(_URL).
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"
#: How list values (a solution's industries) are joined in a cell.
JOINER = "、"


@dataclass(frozen=True)
class Dataset:
    name: str  # the file name
    title: Any  # a lazy string
    description: Any
    #: the rows, flattened API items
    items: Callable[[], list[dict[str, Any]]]
    #: how many rows there are, without building them
    count: Callable[[], int]
    #: the header of a table without rows
    empty_header: tuple[str, ...]
    #: the columns (or SELECTs of one value) whose latest value is the dataset's update time
    updated_columns: tuple = ()
    api_path: str = ""

    def table(self) -> tuple[list[str], list[list]]:
        items = self.items()
        return (list(items[0]) if items else list(self.empty_header)), [list(row.values()) for row in items]

    def updated_at(self) -> datetime | None:
        times = [
            db.session.scalar(column if isinstance(column, Select) else select(func.max(column)))
            for column in self.updated_columns
        ]
        return max((t for t in times if t is not None), default=None)


def flatten(item: dict) -> dict[str, Any]:
    """A JSON item as one row: a nested object gives `key.sub` columns, a list of objects their
    names joined, a list of strings joined, a boolean yes/no; None an empty cell."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            row.update({f"{key}.{sub}": _cell(v) for sub, v in value.items()})
        elif isinstance(value, list):
            row[key] = JOINER.join(str(v["name"]) if isinstance(v, dict) else str(v) for v in value)
        else:
            row[key] = _cell(value)
    return row


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _public(doc_type: str) -> list:
    """Every public record of a collection: what belongs in its search index."""
    return list(db.session.scalars(document_type(doc_type).query()).unique())


def _public_count(doc_type: str) -> Callable[[], int]:
    def count() -> int:
        public = document_type(doc_type).query().order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(public)) or 0

    return count


def _flat_rows(doc_type: str, item: Callable[[Any], dict]) -> Callable[[], list[dict[str, Any]]]:
    return lambda: [flatten(item(record)) for record in _public(doc_type)]


def _plan_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for figures in services.public_plans():
        plan = serializers.plan(figures)
        head = {f"plan.{key}": _cell(plan[key]) for key in ("name", "starts_on", "ends_on", "current")}
        rows.extend({**head, **flatten(indicator)} for indicator in plan["indicators"])
    return rows


DATASETS = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "scenarios",
            _l("工业赋能场景清单"),
            _l("全市公开发布的工业互联网赋能场景：编号、名称、行业、技术领域、场景类别、区市、发布批次。"),
            _flat_rows("scenario", serializers.scenario),
            _public_count("scenario"),
            ("code", "title"),
            (Scenario.updated_at, ScenarioBatch.published_at, ScenarioBatch.withdrawn_at),
            "/api/v1/scenarios",
        ),
        Dataset(
            "needs",
            _l("企业需求"),
            _l("公开的企业数字化转型需求（已发布、洽谈中），不含联系方式。"),
            _flat_rows("need", serializers.need),
            _public_count("need"),
            ("id", "title"),
            (Need.updated_at, Need.published_at, Need.closed_at),
            "/api/v1/needs",
        ),
        Dataset(
            "solutions",
            _l("解决方案"),
            _l("服务商公开的解决方案和“即插即用”模块（已发布、洽谈中）。"),
            _flat_rows("solution", serializers.solution),
            _public_count("solution"),
            ("id", "title"),
            (Solution.updated_at, Solution.published_at, Solution.closed_at),
            "/api/v1/solutions",
        ),
        Dataset(
            "events",
            _l("对接活动"),
            _l("公开的产业论坛、行业大赛和产融对接会（含已取消的活动），不含报名信息。"),
            _flat_rows("event", serializers.event),
            _public_count("event"),
            ("id", "title"),
            (Event.created_at, Event.published_at),
            "/api/v1/events",
        ),
        Dataset(
            "articles",
            _l("政策资讯"),
            _l("已发布的政策文件、通知公告和工作动态，正文为 Markdown。"),
            _flat_rows("article", serializers.article),
            _public_count("article"),
            ("id", "title"),
            (Article.updated_at, select(func.max(Article.publish_at)).where(articles.public_clause())),
            "/api/v1/articles",
        ),
        Dataset(
            "indicators",
            _l("行动计划指标"),
            _l("当前和往期行动计划的指标、目标与完成情况，与“赋能成效”页面一致；平台计算的指标实时更新。"),
            _plan_rows,
            lambda: len(_plan_rows()),
            ("plan.name", "code", "name"),
            (Indicator.created_at, ReportedValue.created_at),
            "/api/v1/indicators",
        ),
    )
}


def licence() -> tuple[str, str]:
    config = current_app.config
    return config.get("OPEN_DATA_LICENCE", LICENCE), config.get("OPEN_DATA_LICENCE_URL", LICENCE_URL)


@dataclass(frozen=True)
class DatasetSummary:
    dataset: Dataset
    records: int
    updated_at: datetime | None


def summaries() -> list[DatasetSummary]:
    return [DatasetSummary(d, d.count(), d.updated_at()) for d in DATASETS.values()]
