"""Enterprises' digital-transformation needs."""

from app.catalog.atlas import register_measure
from app.needs.atlas import need_matrix
from app.needs.search import register_need_search


def init_needs() -> None:
    """Needs in the search index and on the atlas."""
    register_need_search()
    register_measure("needs", need_matrix)
