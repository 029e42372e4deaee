"""What changed in a scenario between two snapshots, field by field, for people to read.

Taxonomy fields show names in the viewer's language, not codes. Texts are compared word by word
(a Chinese character is a word) with difflib; in a long text only the changed parts and a little
context around them are kept, the rest is a gap.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from app.catalog.importing import SCENARIO_FIELD_LABELS, SNAPSHOT_FIELDS, taxonomy_by_code
from app.core.bilingual import localized
from app.taxonomy.models import District, Industry, ScenarioCategory, ScenarioSubcategory, TechDomain

TAXONOMY_FIELDS: dict[str, type] = {
    "industry": Industry,
    "domains": TechDomain,
    "category": ScenarioCategory,
    "subcategory": ScenarioSubcategory,
    "district": District,
}
CONTEXT = 24  # characters of unchanged text kept on each side of a change
LONG_TEXT = 2 * CONTEXT + 10  # an unchanged run longer than this is cut
WORD = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.S)


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str = "same"  # same | del (only in the old value) | ins (only in the new) | gap (unchanged, left out)


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: list[Piece]  # empty when the old value was empty
    new: list[Piece]
    old_known: bool = True  # False: the release did not record the old value

    @property
    def label(self) -> str:
        return str(SCENARIO_FIELD_LABELS[self.field])


class Names:
    """Taxonomy names by code, loaded once for a page of changes."""

    def __init__(self) -> None:
        self.entries = taxonomy_by_code()

    def name(self, field: str, code: str) -> str:
        entry = self.entries[TAXONOMY_FIELDS[field]].get(code)
        return localized(entry) if entry is not None else code

    def display(self, field: str, value) -> list[str]:
        """A snapshot value as the words to compare: names for taxonomy fields, text split in words."""
        if field == "domains":
            return [self.name(field, code) for code in value or []]
        if field in TAXONOMY_FIELDS:
            return [self.name(field, value)] if value else []
        return WORD.findall(value or "")


def changed_fields(old: dict | None, new: dict, fields: list[str] | None = None) -> list[str]:
    if old is None:
        return list(fields or [])
    return [f for f in SNAPSHOT_FIELDS if _value(old, f) != _value(new, f)]


def _value(snapshot: dict, field: str):
    value = snapshot.get(field)
    return sorted(value or []) if field == "domains" else (value or "")


def field_changes(old: dict | None, new: dict, names: Names, fields: list[str] | None = None) -> list[FieldChange]:
    """Each changed field's old and new value; `fields` names them when `old` was not recorded."""
    changes = []
    for field in changed_fields(old, new, fields):
        after = names.display(field, new.get(field))
        if old is None:
            changes.append(
                FieldChange(field, [], [Piece("、".join(after) if field == "domains" else "".join(after))], False)
            )
            continue
        before = names.display(field, old.get(field))
        old_pieces, new_pieces = _list_diff(before, after) if field == "domains" else _diff(before, after)
        changes.append(FieldChange(field, old_pieces, new_pieces))
    return changes


def _diff(before: list[str], after: list[str]) -> tuple[list[Piece], list[Piece]]:
    old: list[Piece] = []
    new: list[Piece] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = _compact("".join(before[i1:i2]), first=index == 0, last=index == len(opcodes) - 1)
            old += same
            new += same
            continue
        if i2 > i1:
            old.append(Piece("".join(before[i1:i2]), "del"))
        if j2 > j1:
            new.append(Piece("".join(after[j1:j2]), "ins"))
    return old, new


def _compact(text: str, first: bool, last: bool) -> list[Piece]:
    """An unchanged run, cut to the context around the changes next to it."""
    if len(text) <= LONG_TEXT:
        return [Piece(text)]
    pieces = [] if first else [Piece(text[:CONTEXT])]
    pieces.append(Piece("…", "gap"))
    if not last:
        pieces.append(Piece(text[-CONTEXT:]))
    return pieces


def _list_diff(before: list[str], after: list[str]) -> tuple[list[Piece], list[Piece]]:
    """Names in a list (technology domains), each kept or taken out (old) or put in (new), separated by 、."""

    def marked(names: list[str], others: list[str], kind: str) -> list[Piece]:
        out: list[Piece] = []
        for name in names:
            if out:
                out.append(Piece("、"))
            out.append(Piece(name, "same" if name in others else kind))
        return out

    return marked(before, after, "del"), marked(after, before, "ins")
