"""Password hashing and the password policy."""

import gzip
import re
import threading
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
#: zxcvbn's score a new password must reach: 3 means about 10^8 guesses or more, which with our
#: scrypt hashes holds out for hours against an offline attack on a stolen database.
MIN_PASSWORD_SCORE = 3
#: zxcvbn's time grows faster than the length (about 0.1 s at 64 characters, 0.3 s at 128), so it reads
#: no further: a password is at least as hard to guess as its start.
STRENGTH_CHECKED_LENGTH = 64
#: zxcvbn's warnings (English, from zxcvbn/feedback.py of the pinned version) in the user's language.
STRENGTH_WARNINGS = {
    "This is a top-10 common password.": _l("这是最常用的 10 个密码之一。"),
    "This is a top-100 common password.": _l("这是最常用的 100 个密码之一。"),
    "This is a very common password.": _l("这是一个非常常见的密码。"),
    "This is similar to a commonly used password.": _l("它和常见密码很相似。"),
    "A word by itself is easy to guess.": _l("单个词语很容易被猜中。"),
    "Names and surnames by themselves are easy to guess.": _l("单独的姓名很容易被猜中。"),
    "Common names and surnames are easy to guess.": _l("常见的姓名很容易被猜中。"),
    "Straight rows of keys are easy to guess.": _l("键盘上连续的一排键很容易被猜中。"),
    "Short keyboard patterns are easy to guess.": _l("简短的键盘图案很容易被猜中。"),
    'Repeats like "aaa" are easy to guess.': _l("重复的字符（如 aaa）很容易被猜中。"),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        "重复的片段（如 abcabc）并不比单个片段难猜多少。"
    ),
    'Sequences like "abc" or "6543" are easy to guess.': _l("连续的字母或数字（如 abc、6543）很容易被猜中。"),
    "Recent years are easy to guess.": _l("最近的年份很容易被猜中。"),
    "Dates are often easy to guess.": _l("日期很容易被猜中。"),
}
# zxcvbn keeps the user's words in a module-wide dictionary while it scores, so one thread at a time.
_zxcvbn_lock = threading.Lock()
# The 20,000 most common passwords, from Django's password validation (BSD licence).
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def is_common_password(password: str) -> bool:
    lowered = password.lower().strip()
    return lowered in common_passwords() or len(set(lowered)) <= 2


def personal_words(email: str, name: str) -> list[str]:
    """What an attacker would try first for this user: the email, its parts, and the name."""
    email = email.strip().lower()
    local, _at, domain = email.partition("@")
    words = [email, local, domain, name.strip().lower(), *re.split(r"[^0-9a-z]+", email)]
    return list(dict.fromkeys(word for word in words if word))


def _crack_time(seconds: float) -> str:
    if seconds < 1:
        return _("不到 1 秒")
    if seconds < 60:
        return _("%(num)d 秒", num=round(seconds))
    if seconds < 3600:
        return _("%(num)d 分钟", num=round(seconds / 60))
    return _("%(num)d 小时", num=round(seconds / 3600))


def weak_password_reason(password: str, user_words: Iterable[str]) -> str | None:
    """Why zxcvbn finds the password too easy to guess, in the user's language; None when it is strong enough."""
    with _zxcvbn_lock:
        result = zxcvbn(password[:STRENGTH_CHECKED_LENGTH], user_inputs=list(user_words))
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    if any(match.get("dictionary_name") == "user_inputs" for match in result["sequence"]):
        why = _("它包含您的邮箱或姓名。")
    else:
        why = str(STRENGTH_WARNINGS.get(result["feedback"]["warning"], _l("它由常见的词语、数字或规律组成。")))
    seconds = float(result["crack_times_seconds"]["offline_slow_hashing_1e4_per_second"])
    return _(
        "密码强度不够：%(why)s如果账号数据泄露，估计破解时间：%(time)s。请换成更长、更少见的组合，例如几个不相关的词语加上数字或符号。",
        why=why,
        time=_crack_time(seconds),
    )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
