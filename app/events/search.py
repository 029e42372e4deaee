"""Public events (published or cancelled, never drafts) in the search index, faceted by kind."""

from sqlalchemy import Select, select

from app.events.models import Event, EventStatus
from app.search import Document, DocumentType, SortKey, register_document_type

EVENT = "event"
FACETS = ("kind",)


def indexable_events() -> Select:
    return select(Event).where(Event.status != EventStatus.DRAFT).order_by(Event.id)


def event_document(event: Event) -> Document | None:
    if not event.is_public:
        return None
    return Document(
        id=event.id,
        text={"title": event.title, "description": event.description, "venue": event.venue},
        facets={"kind": [event.kind.value]},
        sort={"starts": event.starts_at},
    )


EVENT_TYPE = DocumentType(
    name=EVENT,
    model=Event,
    to_document=event_document,
    query=indexable_events,
    text_fields={"title": 3.0, "description": 1.0, "venue": 1.0},
    facet_fields=FACETS,
    sort_fields={"starts": "datetime"},
    sorts={"newest": (SortKey("starts", descending=True),)},
    highlight_fields={"title": None, "description": 120},
    default_sort="newest",
)


def register_event_search() -> None:
    register_document_type(EVENT_TYPE)
