"""Files that users upload and others download: checked by what they contain, kept outside
`static/` under generated names, and served only by views that check who is asking.

The kind of a file is read from its first bytes, never from its name or the browser's content
type; the name's extension must agree with the content, so `report.pdf` that is really a program
is refused. Files live in `STORED_FILES_DIR/<folder>/<random token><extension>`; each domain
keeps its own folder and its own table row pointing at the stored name.
"""

import io
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from flask import Response, abort, current_app, send_file
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import FileStorage

from app.core.domain_error import DomainError
from app.core.validators import one_line


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str
    mimetype: str
    signature: bytes
    extensions: tuple[str, ...]  # the first one names stored files
    #: a check of the whole content, for kinds whose signature other kinds share (an XLSX is a ZIP)
    confirm: Callable[[bytes], bool] | None = None


def _is_xlsx(data: bytes) -> bool:
    """A ZIP archive holding an Office Open XML workbook (its content types and its workbook part)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names


KINDS = {
    kind.name: kind
    for kind in (
        FileKind("pdf", "PDF", "application/pdf", b"%PDF-", (".pdf",)),
        FileKind("png", "PNG", "image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
        FileKind("jpeg", "JPEG", "image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
        FileKind(
            "xlsx",
            "Excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"PK\x03\x04",
            (".xlsx",),
            confirm=_is_xlsx,
        ),
    )
}
LABELS_BY_MIMETYPE = {kind.mimetype: kind.label for kind in KINDS.values()}
SNIFF_BYTES = max(len(kind.signature) for kind in KINDS.values())

FOLDER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{32}\.[a-z]{3,4}$")
MAX_NAME_LENGTH = 200
RESERVED_CHARACTERS = re.compile(r'[<>:"|?*]')  # not allowed in file names on Windows


def sniff_kind(head: bytes) -> str | None:
    """The name of the kind whose signature `head` starts with, or None."""
    for kind in KINDS.values():
        if head.startswith(kind.signature):
            return kind.name
    return None


def format_size(size: int) -> str:
    """Sizes as people read them: 512 B, 38 KB, 2.4 MB (1 KB = 1,024 bytes)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def display_name(filename: str | None, fallback: str) -> str:
    """The uploader's file name without folders, control characters or bidi overrides (which would
    show `gpj<U+202E>exe.pdf` as `gpjfdp.exe`), short enough to keep."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = one_line(RESERVED_CHARACTERS.sub("", unicodedata.normalize("NFC", name)))
    if not name.strip("."):
        return fallback
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 10:
        return name[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(suffix) - 1] + "." + suffix


class FileRefused(DomainError):
    """An upload that was not kept; `message` says why in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    name: str  # the generated name in the folder
    original_name: str  # for display and the download's file name
    kind: str
    mimetype: str
    size: int


def store_checked(upload: FileStorage, folder: str, allowed_kinds: tuple[str, ...], max_bytes: int) -> StoredFile:
    """Keep an upload whose content is one of `allowed_kinds` and whose name agrees with it.

    Raises `FileRefused` having written nothing when the file is empty, too large, of another
    kind (whatever its name says) or named for a kind it is not.
    """
    data = upload.stream.read(max_bytes + 1)
    if not data:
        raise FileRefused(_l("文件是空的，请重新选择。"))
    if len(data) > max_bytes:
        raise FileRefused(_l("单个附件不能超过 %(size)s。", size=format_size(max_bytes)))
    allowed = [KINDS[name] for name in allowed_kinds]
    original = display_name(upload.filename, fallback="")
    kind = KINDS.get(sniff_kind(data[:SNIFF_BYTES]) or "")
    if kind is not None and kind.confirm is not None and not kind.confirm(data):
        kind = None
    if kind not in allowed:
        raise FileRefused(
            _l(
                "“%(name)s”的内容不是 %(kinds)s 文件，不能上传（按文件内容检查，改后缀名无效）。",
                name=original or "?",
                kinds="、".join(k.label for k in allowed),
            )
        )
    extension = PurePath(original).suffix.lower()
    if extension not in kind.extensions:
        raise FileRefused(
            _l(
                "“%(name)s”的内容是 %(kind)s，文件名后缀应为 %(extension)s，请改正后重新上传。",
                name=original or "?",
                kind=kind.label,
                extension=kind.extensions[0],
            )
        )
    name = secrets.token_urlsafe(24) + kind.extensions[0]
    with open(_folder(folder) / name, "xb") as out:
        out.write(data)
    return StoredFile(name=name, original_name=original, kind=kind.name, mimetype=kind.mimetype, size=len(data))


def store_all(
    uploads: list[FileStorage], folder: str, allowed_kinds: tuple[str, ...], max_bytes: int
) -> list[StoredFile]:
    """`store_checked` for each upload, all or none: when one is refused, those kept are removed."""
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(store_checked(upload, folder, allowed_kinds, max_bytes))
    except FileRefused:
        for item in stored:
            remove_stored(folder, item.name)
        raise
    return stored


def open_stored(folder: str, name: str) -> Path | None:
    """The path of a stored file, or None when the name is not one we generate or the file is gone."""
    if not STORED_NAME.match(name or ""):
        return None
    path = _folder(folder) / name
    return path if path.is_file() else None


def send_stored(folder: str, name: str, mimetype: str, download_name: str, private: bool) -> Response:
    """The stored file as a download (404 when it is gone); `private` ones are never cached.
    The caller has checked that the visitor may have it."""
    path = open_stored(folder, name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=download_name, conditional=True)
    if private:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def remove_stored(folder: str, name: str) -> None:
    if STORED_NAME.match(name or ""):
        (_folder(folder) / name).unlink(missing_ok=True)


def _folder(folder: str) -> Path:
    if not FOLDER.match(folder):
        raise ValueError(f"not a folder name: {folder!r}")
    path = Path(current_app.config["STORED_FILES_DIR"]) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path
