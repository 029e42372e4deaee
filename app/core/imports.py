"""What every spreadsheet import shares: its columns (a Chinese and an English header), the
problems it reports by row and column, and finding the columns in a header row.

Each domain validates its own rows; the admin page previews, and applying is all-or-nothing
because the caller commits once, or not at all.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

LIST_SEPARATORS = re.compile(r"[、,，;；/／]")


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool


@dataclass
class RowProblem:
    row: int  # the spreadsheet's row number (the header is row 1; 0 is the whole file)
    column: str  # the column's Chinese name, or "" for the whole row or file
    message: str


def split_list(value: str) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(value or "") if part.strip()]


def column_positions(header: list[str], columns: Sequence[Column]) -> tuple[dict[str, int], list[RowProblem]]:
    """Where each column is, by its Chinese or English title; a problem per missing required one."""
    names = {}
    for column in columns:
        names[column.zh] = column.key
        names[column.en] = column.key
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = names.get(title.strip()) or names.get(title.strip().lower())
        if key and key not in positions:
            positions[key] = index
    problems = [
        RowProblem(1, c.zh, str(_l("缺少必填列“%(name)s”（或英文列名 %(en)s）。", name=c.zh, en=c.en)))
        for c in columns
        if c.required and c.key not in positions
    ]
    return positions, problems


def problem_adder(labels: dict[str, str], row_problems: list[RowProblem], number: int) -> Callable[[str, object], None]:
    """What a row's checks call as `problem(key, message)`: a problem on row `number` in the column
    `key`, named by `labels` (each column's key to its Chinese name)."""

    def problem(key: str, message: object) -> None:
        row_problems.append(RowProblem(number, labels[key], str(message)))

    return problem


def row_values(cells: Sequence[str], positions: dict[str, int]) -> dict[str, str]:
    return {key: cells[index].strip() if index < len(cells) else "" for key, index in positions.items()}
