"""A member's saved search: the query of a list page, checked for new items."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from app.core.data_version import PrivateData
from app.core.models import TimestampMixin, utcnow
from app.extensions import Model


class SavedSearch(PrivateData, TimestampMixin, Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(60))
    q: Mapped[str] = mapped_column(String(100), default="")
    #: facet name → chosen values, as the list page's query string holds them.
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Items published after this are new to the member.
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


#: The GIN index of the documents' words.
TERMS_INDEX = "ix_search_documents_terms"


class SearchDocument(PrivateData, Model):
    """One document of the PostgreSQL search backend, written in the transaction of the change
    (app/search/postgres_backend.py). Derived data: the change it follows already counts as a
    change of public data. Unused (and empty) with the Whoosh backend and on SQLite."""

    __tablename__ = "search_documents"
    __table_args__ = (Index(TERMS_INDEX, "terms", postgresql_using="gin"),)

    doc_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    doc_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: jieba's tokens of every text field, weighted by field (A highest), positions = character offsets
    terms: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    #: the tokens of the fields weighted A to C: small enough to stay in the row, it ranks the matches
    head: Mapped[str] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"), server_default=text("''"))
    #: "field:value" of every facet value
    facets: Mapped[list[str]] = mapped_column(JSON().with_variant(ARRAY(Text()), "postgresql"))
    #: sort field → value (datetimes as milliseconds since 1970, as the Whoosh backend sorts them)
    sort_keys: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    #: the highlight fields' text
    stored: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    #: the highlight fields' tokens, [word, start, end] as `app.search.analysis.segment` gives them
    tokens: Mapped[dict] = mapped_column(JSON().with_variant(JSONB(), "postgresql"), server_default="{}")


class SearchIndexState(PrivateData, Model):
    """What the PostgreSQL backend's documents of a type were last rebuilt under."""

    __tablename__ = "search_index_state"

    doc_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(default=utcnow)
