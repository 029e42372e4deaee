import pytest

from app.core.validators import credit_code_problem, is_valid_phone

# Codes published on real business licences (GB 32100-2015 sample and well-known firms).
REAL_CODES = ["91350100M000100Y43", "9144030071526726XG", "91330100716105852F", "914403001922038216"]


@pytest.mark.parametrize("code", REAL_CODES + [c.lower() for c in REAL_CODES] + [f" {REAL_CODES[0]} "])
def test_real_credit_codes_are_valid(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", "length"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M000100I43", "alphabet"),
        ("91350100M000100Y4O", "alphabet"),
        ("91350100M000100Y44", "check"),
        ("9144030071526726XA", "check"),
    ],
)
def test_malformed_or_wrong_check_character_codes_are_refused(code, problem):
    assert credit_code_problem(code) == problem


def test_changing_any_single_character_breaks_the_check():
    code = REAL_CODES[1]
    for position in range(17):
        for replacement in "0123456789ABCDEFGHJKLMNPQRTUWXY":
            if replacement != code[position]:
                broken = code[:position] + replacement + code[position + 1 :]
                assert credit_code_problem(broken) == "check"


@pytest.mark.parametrize(
    "phone",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0532-88886666",
        "053288886666",
        "010-62345678",
        "0532-88886666-801",
        "(0532)88886666",
    ],
)
def test_valid_phones(phone):
    assert is_valid_phone(phone)


@pytest.mark.parametrize(
    "phone",
    ["", "12345", "12800138000", "1380013800", "138001380001", "88886666", "0532-1234567", "phone", "0532-8888-6666x"],
)
def test_invalid_phones(phone):
    assert not is_valid_phone(phone)
