"""/data: the open datasets with their update time and licence, and their CSV and XLSX downloads."""

from datetime import date

from flask import Blueprint, abort, render_template

from app.api import datasets
from app.core.page_cache import public_page
from app.core.spreadsheets import EXPORT_MIMETYPES, export_response

bp = Blueprint("data", __name__)


@bp.route("/data")
@public_page
def index():
    return render_template("data/index.html", summaries=datasets.summaries(), licence=datasets.licence())


@bp.route("/data/<name>.<kind>")
def download(name: str, kind: str):
    dataset = datasets.DATASETS.get(name)
    if dataset is None or kind not in EXPORT_MIMETYPES:
        abort(404)
    header, rows = dataset.table()
    return export_response(kind, f"{name}-{date.today():%Y%m%d}", str(dataset.title), header, rows)
