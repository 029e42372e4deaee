"""Matchmaking events: forums, competitions and industry-finance meetings."""

from app.events.search import register_event_search


def init_events() -> None:
    """Events in the search index."""
    register_event_search()
