"""Providers' solutions, plug-and-play or not."""

from app.catalog.atlas import register_measure
from app.solutions.atlas import solution_matrix
from app.solutions.indicators import register_indicators
from app.solutions.search import register_solution_search


def init_solutions() -> None:
    """Solutions in the search index, on the atlas and in the plan's indicators."""
    register_solution_search()
    register_measure("solutions", solution_matrix)
    register_indicators()
