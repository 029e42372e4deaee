"""iCalendar (RFC 5545) files: an event, or a participant's meetings, for people's calendars."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.models import utcnow

PRODID = "-//Gongfu Hub//Events//ZH"
MAX_OCTETS = 75


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    starts_at: datetime  # naive UTC, as stored
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def calendar(entries: list[CalendarEntry], name: str) -> str:
    """A VCALENDAR with one VEVENT per entry, CRLF line endings and folded lines."""
    stamp = _utc(utcnow())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(name)}",
    ]
    for entry in entries:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(entry.starts_at)}",
            f"DTEND:{_utc(entry.ends_at)}",
            f"SUMMARY:{_text(entry.summary)}",
        ]
        if entry.location:
            lines.append(f"LOCATION:{_text(entry.location)}")
        if entry.description:
            lines.append(f"DESCRIPTION:{_text(entry.description)}")
        if entry.url:
            lines.append(f"URL:{entry.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _utc(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a
    character (Chinese takes three octets in UTF-8)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = MAX_OCTETS if not parts else MAX_OCTETS - 1
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
