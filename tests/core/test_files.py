"""Stored files: the kind read from the content, names that cannot escape the folder, nothing
written for a refused upload."""

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from app.core.files import FileRefused, display_name, format_size, open_stored, remove_stored, sniff_kind, store_checked

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
EXE = b"MZ\x90\x00" + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 40
KINDS = ("pdf", "png", "jpeg")


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/pdf")


@pytest.fixture
def folder(app):
    with app.test_request_context():
        yield Path(app.config["STORED_FILES_DIR"]) / "tests"


def stored_files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (EXE, None),
        (ELF, None),
        (b"", None),
        (b"%PD", None),
        (b"GIF89a", None),
        (b"<html><script>", None),
        (b"\x89PNG\r\n\x1a", None),
    ],
)
def test_the_kind_comes_from_the_first_bytes(head, kind):
    assert sniff_kind(head) == kind


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1 KB"),
        (38 * 1024 + 100, "38 KB"),
        (1024 * 1024, "1 MB"),
        (int(2.46 * 1024 * 1024), "2.5 MB"),
        (10 * 1024 * 1024, "10 MB"),
    ],
)
def test_sizes_read_like_people_write_them(size, text):
    assert format_size(size) == text


@pytest.mark.parametrize(
    ("filename", "shown"),
    [
        ("方案介绍.pdf", "方案介绍.pdf"),
        ("C:\\Users\\王\\Desktop\\报价 单.pdf", "报价 单.pdf"),
        ("../../etc/passwd.png", "passwd.png"),
        ('a\x00b\nc\td<>:"|?*.jpg', "a b c d.jpg"),
        ("..", "附件"),
        ("", "附件"),
        (None, "附件"),
        ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
        ("x" * 300, "x" * 200),
    ],
)
def test_display_names_lose_folders_and_control_characters(filename, shown):
    assert display_name(filename, fallback="附件") == shown


@pytest.mark.parametrize(
    ("data", "filename", "kind", "mimetype"),
    [
        (PDF, "白皮书.PDF", "pdf", "application/pdf"),
        (PNG, "架构图.png", "png", "image/png"),
        (JPEG, "现场.jpg", "jpeg", "image/jpeg"),
        (JPEG, "现场.jpeg", "jpeg", "image/jpeg"),
    ],
)
def test_an_allowed_file_is_stored_under_a_generated_name(folder, data, filename, kind, mimetype):
    stored = store_checked(upload(data, filename), "tests", KINDS, 1024)
    assert (stored.kind, stored.mimetype, stored.size, stored.original_name) == (kind, mimetype, len(data), filename)
    assert stored.name != filename and stored.name.endswith(".jpg" if kind == "jpeg" else f".{kind}")
    path = open_stored("tests", stored.name)
    assert path == folder / stored.name and path.read_bytes() == data


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (EXE, "方案.pdf", "“方案.pdf”的内容不是 PDF、PNG、JPEG 文件"),
        (ELF, "photo.png", "“photo.png”的内容不是 PDF、PNG、JPEG 文件"),
        (b"<svg onload=alert(1)>", "logo.jpg", "的内容不是 PDF、PNG、JPEG 文件"),
        (PDF, "方案.png", "“方案.png”的内容是 PDF，文件名后缀应为 .pdf"),
        (PNG, "方案.exe", "文件名后缀应为 .png"),
        (JPEG, "无后缀", "文件名后缀应为 .jpg"),
        (b"", "空.pdf", "文件是空的"),
        (PDF + b"x" * 2000, "大.pdf", "单个附件不能超过 1 KB"),
    ],
)
def test_a_refused_upload_writes_nothing(folder, data, filename, message):
    with pytest.raises(FileRefused) as refused:
        store_checked(upload(data, filename), "tests", KINDS, 1024)
    assert message in str(refused.value.message)
    assert stored_files(folder) == []


def test_only_the_kinds_asked_for_are_accepted(folder):
    with pytest.raises(FileRefused) as refused:
        store_checked(upload(PNG, "图.png"), "tests", ("pdf",), 1024)
    assert "的内容不是 PDF 文件" in str(refused.value.message)


def test_names_we_did_not_generate_are_never_opened(folder):
    stored = store_checked(upload(PDF, "a.pdf"), "tests", KINDS, 1024)
    (folder.parent / "secret.txt").write_text("secret")
    for name in ("../secret.txt", "secret.txt", "", stored.name + "/..", stored.name.upper()):
        assert open_stored("tests", name) is None
    with pytest.raises(ValueError):
        open_stored("../tests", stored.name)


def test_removing_a_stored_file(folder):
    stored = store_checked(upload(PDF, "a.pdf"), "tests", KINDS, 1024)
    remove_stored("tests", stored.name)
    assert open_stored("tests", stored.name) is None and stored_files(folder) == []
    remove_stored("tests", stored.name)  # already gone: nothing to do


@pytest.mark.parametrize(
    "filename",
    ["报价gpj\u202eexe.pdf", "\u2067报价\u2069.pdf", "报价\u202a单\u202c.pdf", "报价\x85单\x9b.pdf"],
)
def test_bidi_overrides_and_c1_controls_are_not_kept_in_file_names(folder, filename):
    """`gpj<U+202E>exe.pdf` would display as `gpjfdp.exe`."""
    stored = store_checked(upload(PDF, filename), "tests", KINDS, 1024)
    for name in (stored.original_name, display_name(filename, fallback="附件")):
        assert name.endswith(".pdf") and "报价" in name
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0x2028 <= ord(c) <= 0x2069 for c in name), name
