"""Paginating `select()` statements (and lists computed in Python) from the request's `page` argument."""

from typing import Any

from flask import current_app, request, url_for
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select

from app.core.numbers import DB_INT_MAX, int_arg
from app.extensions import db

MAX_PER_PAGE = 100
MAX_PAGE = DB_INT_MAX // MAX_PER_PAGE  # the last row of the last page is a number the database holds


class CountingPagination(SelectPagination):
    """A query's page that counts the rows only when it must: a page that is not full, and not an
    empty page past the first, is the last one, so the total is the rows before it and on it. Most
    lists (a member's inbox, needs, registrations) fit on their first page: one query instead of two."""

    def _query_count(self) -> int:
        if len(self.items) < self.per_page and (self.items or self.page == 1):
            return self._query_offset + len(self.items)
        return super()._query_count()


def paginate(stmt: Select, per_page: int | None = None) -> Pagination:
    return CountingPagination(
        select=stmt,
        session=db.session(),
        page=int_arg("page", 1, minimum=1, maximum=MAX_PAGE),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        max_per_page=MAX_PER_PAGE,
        error_out=False,
    )


class ListPagination(Pagination):
    """A page of a list already in memory, with the same attributes as a query's page."""

    def _query_items(self) -> list[Any]:
        items = self._query_args["items"]
        return items[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


def paginate_list(items: list, per_page: int | None = None) -> Pagination:
    return ListPagination(
        page=int_arg("page", 1, minimum=1, maximum=MAX_PAGE),
        per_page=per_page or current_app.config["PAGE_SIZE"],
        max_per_page=MAX_PER_PAGE,
        error_out=False,
        items=items,
    )


def page_url(number: int) -> str:
    """The current page's URL with every query argument kept and `page` replaced."""
    assert request.endpoint is not None, "only for the page of a matched route"
    args: dict[str, Any] = {**(request.view_args or {}), **request.args.to_dict(), "page": number}
    return url_for(request.endpoint, **args)
