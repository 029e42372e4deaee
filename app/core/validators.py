"""Validators for Chinese identifiers and contact details, and for text that must stay on one line."""

import re

# GB 32100-2015: 18 characters from this alphabet, the last one a check character.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")

MOBILE_PATTERN = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
LANDLINE_PATTERN = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$")

#: What one-line text (a name, a title, a mail header, a file name) may not hold: the C0 and C1
#: controls (CR and LF among them) and DEL, the Unicode line and paragraph separators, and the bidi
#: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make text display in
#: another order than it is stored (`gpj<U+202E>exe.pdf` shows as `gpjfdp.exe`).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


def credit_code_problem(value: str) -> str | None:
    """Why a unified social credit code is invalid, or None when it is valid.

    Returns a key of `CREDIT_CODE_MESSAGES` so callers can word it in the user's language.
    """
    code = normalize_credit_code(value)
    if len(code) != 18:
        return "length"
    if not USCC_PATTERN.match(code):
        return "alphabet"
    if uscc_check_character(code[:17]) != code[17]:
        return "check"
    return None


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "")


def is_valid_phone(value: str) -> bool:
    """Mainland mobile numbers, or landlines with an area code and optional extension."""
    phone = normalize_phone(value)
    return bool(MOBILE_PATTERN.match(phone) or LANDLINE_PATTERN.match(phone))


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def one_line(value: str) -> str:
    """`value` on one line: each control character a space, runs of white space one space, none at the ends."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())
