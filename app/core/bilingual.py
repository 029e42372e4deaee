"""Data named in both languages: a Chinese column (`name`, `unit`, `description`) and an English
one beside it with the suffix `_en` (`name_en`, …), empty until the seeds or an admin fill it in.
The English text is shown in English mode; where it is empty, the Chinese text is.

Records: `BilingualName.display_name()`; any pair of columns: `localized(record, "unit")`;
templates: `{{ entry|localized }}`, `{{ indicator|localized('unit') }}`.
"""

from app.core.i18n import current_language


def pick(chinese: str | None, english: str | None, locale: str | None = None) -> str:
    if english and (locale or current_language()) == "en":
        return english
    return chinese or ""


def localized(record: object, field: str = "name", locale: str | None = None) -> str:
    """`record.<field>` in the viewer's language (or `locale`); "" for no record."""
    if record is None:
        return ""
    return pick(getattr(record, field), getattr(record, f"{field}_en", ""), locale)


class BilingualName:
    """For a model with `name` and `name_en` columns."""

    def display_name(self, locale: str | None = None) -> str:
        return localized(self, "name", locale)


def fill_english(record: object, **texts: str) -> bool:
    """The seeds' English text for each `*_en` column still empty: an admin's own is kept.
    True if any was filled in."""
    filled = False
    for column, text in texts.items():
        if text and not getattr(record, column):
            setattr(record, column, text)
            filled = True
    return filled
