"""The shared import flow, driven by a tiny domain: a CSV of industries (code, name) whose codes
must be new, applied as real rows."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale

from app.core.import_flow import ImportFlow, ImportRefused
from app.core.spreadsheets import read_table
from app.extensions import db
from app.taxonomy.models import Industry


@dataclass
class Industries:
    rows: list[tuple[str, str]]
    bad_rows: list[int]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.bad_rows


def parse(data: bytes, filename: str) -> Industries:
    taken = set(db.session.scalars(db.select(Industry.code)))
    parsed = Industries([], [])
    for number, (code, name) in enumerate(read_table(data, filename).rows, start=2):
        if code and name and code not in taken:
            parsed.rows.append((code, name))
        else:
            parsed.bad_rows.append(number)
    return parsed


def add(parsed: Industries) -> int:
    for code, name in parsed.rows:
        db.session.add(Industry(code=code, name=name))
        db.session.flush()
    return len(parsed.rows)


FLOW = ImportFlow(parse, row_limit=10, problem_limit=20)


def csv(*rows: str) -> bytes:
    return "\n".join(("code,name", *rows)).encode()


def industries() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Industry))


def stored_file(app, token: str) -> Path:
    [path] = (Path(app.instance_path) / "imports").glob(f"{token}.*")
    return path


def refused(token: str, **kwargs) -> str:
    with force_locale("zh"), pytest.raises(ImportRefused) as raised:
        FLOW.apply(token, add, **kwargs)
    return str(raised.value)


def test_a_previewed_file_is_applied_once_by_its_token(app):
    before = industries()
    staged = FLOW.preview(csv("t1,甲", "t2,乙"), "list.csv")
    assert staged.token and staged.parsed.rows == [("t1", "甲"), ("t2", "乙")]
    assert (staged.filename, staged.row_limit, staged.problem_limit) == ("list.csv", 10, 20)
    assert industries() == before
    parsed, added = FLOW.apply(staged.token, add)
    assert added == 2 and parsed.rows == staged.parsed.rows
    assert industries() == before + 2
    assert refused(staged.token) == "预览已失效，请重新上传文件。"
    assert industries() == before + 2


def test_a_file_with_a_bad_row_gets_no_token_and_writes_nothing(app):
    before = industries()
    staged = FLOW.preview(csv("t1,甲", ",无编号"), "list.csv")
    assert staged.token == "" and staged.parsed.bad_rows == [3]
    assert refused(staged.token) == "预览已失效，请重新上传文件。"
    assert industries() == before


def test_a_file_that_no_longer_passes_is_refused_whole(app):
    before = industries()
    staged = FLOW.preview(csv("t1,甲", "t2,乙"), "list.csv")
    stored_file(app, staged.token).write_bytes(csv("t3,丙", ",无编号"))
    assert refused(staged.token) == "数据已发生变化，文件不再通过校验，请重新上传并预览。"
    assert industries() == before

    staged = FLOW.preview(csv("t1,甲", "t2,乙"), "list.csv")
    add(Industries([("t2", "别处新增")], []))
    db.session.commit()
    assert refused(staged.token) == "数据已发生变化，文件不再通过校验，请重新上传并预览。"
    assert industries() == before + 1


def test_a_target_that_takes_no_imports_refuses_the_token(app):
    staged = FLOW.preview(csv("t1,甲"), "list.csv")
    assert refused(staged.token, usable=False) == "预览已失效，请重新上传文件。"
    assert FLOW.apply(staged.token, add)[1] == 1


def test_an_apply_that_fails_half_way_writes_nothing_and_keeps_the_token(app):
    before = industries()
    staged = FLOW.preview(csv("t1,甲", "t2,乙"), "list.csv")

    def fails_after_the_first_row(parsed: Industries) -> int:
        add(Industries(parsed.rows[:1], []))
        raise RuntimeError("the second row failed")

    with pytest.raises(RuntimeError):
        FLOW.apply(staged.token, fails_after_the_first_row)
    assert industries() == before
    assert FLOW.apply(staged.token, add)[1] == 2
