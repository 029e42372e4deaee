"""The policy texts' versions: the current one of each kind, and publishing the next."""

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core import data_version
from app.core.audit import Actor, audit
from app.core.domain_error import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.legal.models import LegalDocument, LegalKind

MAX_BODY = 50_000


def current(kind: LegalKind) -> LegalDocument | None:
    return db.session.scalar(
        select(LegalDocument).where(LegalDocument.kind == kind).order_by(LegalDocument.version.desc()).limit(1)
    )


def current_versions() -> dict[str, int]:
    """Each kind's newest version (0 while none is published), read once per data version: every
    signed-in page asks whether its member agreed to them."""
    return data_version.cached("legal.versions", _read_versions)


def _read_versions() -> dict[str, int]:
    rows = db.session.execute(
        select(LegalDocument.kind, func.max(LegalDocument.version)).group_by(LegalDocument.kind)
    ).all()
    found = {kind.value: version for kind, version in rows}
    return {kind.value: found.get(kind.value, 0) for kind in LegalKind}


def history(kind: LegalKind) -> list[LegalDocument]:
    return list(
        db.session.scalars(
            select(LegalDocument).where(LegalDocument.kind == kind).order_by(LegalDocument.version.desc())
        )
    )


def publish(kind: LegalKind, body_zh: str, body_en: str, by: Actor | None) -> LegalDocument:
    """The next version of `kind`; members are asked to agree to it at their next sign-in."""
    body_zh, body_en = body_zh.strip(), body_en.strip()
    if not body_zh or not body_en:
        raise DomainError(_("中文和英文文本都要填写。"))
    if len(body_zh) > MAX_BODY or len(body_en) > MAX_BODY:
        raise DomainError(_("文本过长，每种语言不超过 %(count)s 个字符。", count=MAX_BODY))
    previous = current(kind)
    if previous is not None and (previous.body_zh, previous.body_en) == (body_zh, body_en):
        raise DomainError(_("文本没有变化，未发布新版本。"), category="warning")
    document = LegalDocument(
        kind=kind,
        version=previous.version + 1 if previous else 1,
        body_zh=body_zh,
        body_en=body_en,
        published_at=utcnow(),
        published_by_id=by.id if by is not None else None,
    )
    db.session.add(document)
    db.session.flush()
    if by is not None:
        audit(by, "legal.publish", document, after={"kind": kind.value, "version": document.version})
    return document


def load_defaults(texts: dict[LegalKind, tuple[str, str]]) -> int:
    """Version 1 of each kind that has none yet, from the default texts (Chinese, English)."""
    added = 0
    for kind, (body_zh, body_en) in texts.items():
        if current(kind) is None:
            publish(kind, body_zh, body_en, None)
            added += 1
    return added
