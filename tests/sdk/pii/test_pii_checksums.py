"""Check digits of SNILS, INN and card numbers, with generated numbers."""

from __future__ import annotations

import pytest
from pii_samples import digits

from leadwire.pii.checksums import (
    inn_valid,
    luhn_valid,
    make_inn10,
    make_inn12,
    make_luhn,
    make_snils,
    snils_valid,
)


def mistyped(number: str, position: int) -> str:
    """*number* with one digit changed."""
    digit = str((int(number[position]) + 1) % 10)
    return number[:position] + digit + number[position + 1 :]


def test_generated_numbers_are_valid(rng):
    """Numbers completed by the make_* functions pass their checks."""
    for _ in range(200):
        assert snils_valid(make_snils(digits(rng, 9)))
        assert inn_valid(make_inn10(digits(rng, 9)))
        assert inn_valid(make_inn12(digits(rng, 10)))
        assert luhn_valid(make_luhn(digits(rng, 15)))


@pytest.mark.parametrize(
    ("make", "check", "length"),
    [(make_snils, snils_valid, 9), (make_luhn, luhn_valid, 15)],
)
def test_any_mistyped_digit_fails(rng, make, check, length):
    """SNILS and Luhn catch every single mistyped digit."""
    for _ in range(20):
        number = make(digits(rng, length))
        for position in range(len(number)):
            assert not check(mistyped(number, position))


@pytest.mark.parametrize(("make", "length"), [(make_inn10, 9), (make_inn12, 10)])
def test_inn_with_a_mistyped_check_digit_fails(rng, make, length):
    """An INN whose (last) check digit is wrong fails; "mod 11 mod 10" lets a
    few other single-digit slips through, so only the check digit is pinned."""
    for _ in range(50):
        number = make(digits(rng, length))
        assert not inn_valid(mistyped(number, len(number) - 1))


@pytest.mark.parametrize(
    ("first_nine", "check"),
    [
        ("000000001", "01"),  # weighted sum 1
        ("920000010", "99"),  # 81 + 16 + 2 = 99
        ("920000100", "00"),  # 100
        ("920000101", "00"),  # 101
        ("920000102", "01"),  # 102 mod 101
        ("990800000", "00"),  # 81 + 72 + 48 = 201, mod 101 = 100
    ],
)
def test_snils_check_digit_edge_cases(first_nine, check):
    """SNILS sums under 100, of 100 and 101, and over 101 (mod 101, 100 -> 00)."""
    assert make_snils(first_nine)[9:] == check


@pytest.mark.parametrize("bad", ["", "12ab", "１２３４５６７８９０"])
def test_non_digits_are_not_valid(bad):
    """Empty strings, letters and non-ASCII digits fail every check."""
    assert not snils_valid(bad)
    assert not inn_valid(bad)
    assert not luhn_valid(bad)
