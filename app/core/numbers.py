"""Whole numbers from URLs, query strings and posted forms, kept within what the database holds.

Python's `int` has no limit, the database's columns do: ids and counts are `Integer` columns,
32 bits signed on PostgreSQL (SQLAlchemy casts each parameter to the column's type, so even
`WHERE id = 2147483648` fails there) and 64 on SQLite. A number outside that range reaching a
query is a server error. Every number a request carries is read here: in a path, the `int`
converter answers 404 for one out of range; in a query string or a form, `parse_int` gives None
(and `int_arg` the default) for it, as for anything that is not written in ASCII digits.
"""

import re

from flask import request
from werkzeug.routing import IntegerConverter, Map

DB_INT_MIN = -(2**31)  # PostgreSQL's `integer`, the type of every Integer column
DB_INT_MAX = 2**31 - 1

_INTEGER = re.compile(r"-?[0-9]{1,20}")


def parse_int(text: str | None, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """The number written in ASCII digits (a leading minus allowed) if it is within
    minimum..maximum (by default 0 up to the database's largest), else None."""
    if text is None or not _INTEGER.fullmatch(text):
        return None
    number = int(text)
    return number if max(minimum, DB_INT_MIN) <= number <= min(maximum, DB_INT_MAX) else None


def int_arg(name: str, default: int | None = None, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """The query string's number `name`, or `default` when it is missing or not a fit."""
    number = parse_int(request.args.get(name), minimum, maximum)
    return default if number is None else number


def int_args(name: str, minimum: int = 1, maximum: int = DB_INT_MAX) -> list[int]:
    """The query string's numbers `name` (`?id=3&id=5`), skipping those that are not a fit."""
    numbers = (parse_int(text, minimum, maximum) for text in request.args.getlist(name))
    return [number for number in numbers if number is not None]


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` in routes: ASCII digits only, and at most the largest number the database holds
    (a route may narrow it with `max`); any other path does not match, a 404."""

    regex = r"[0-9]+"

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None, signed: bool = False
    ):
        super().__init__(
            map,
            fixed_digits=fixed_digits,
            min=DB_INT_MIN if min is None else min,
            max=DB_INT_MAX if max is None else max,
            signed=signed,
        )
