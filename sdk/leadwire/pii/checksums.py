"""Check digits of Russian document numbers and bank cards.

Each function takes the digits alone and says whether they are well formed;
the ``make_*`` functions complete a number with its check digits, for tests
and the benchmark corpus.
"""

from __future__ import annotations

__all__ = [
    "inn_valid",
    "luhn_valid",
    "make_inn10",
    "make_inn12",
    "make_luhn",
    "make_snils",
    "snils_valid",
]

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_FIRST = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_SECOND = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _is_digits(number: str) -> bool:
    return number.isascii() and number.isdigit()


def _digits(number: str) -> list[int]:
    if not _is_digits(number):
        raise ValueError("expected ASCII digits only")
    return [int(digit) for digit in number]


def _weighted(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def snils_check(first_nine: str) -> str:
    """The two check digits of a SNILS from its first nine digits."""
    digits = _digits(first_nine)
    total = sum(
        digit * weight for digit, weight in zip(digits, range(9, 0, -1), strict=True)
    )
    if total < 100:
        return f"{total:02d}"
    if total in (100, 101):
        return "00"
    return f"{total % 101 % 100:02d}"


def snils_valid(number: str) -> bool:
    """Whether 11 digits are a SNILS with the right check digits."""
    return (
        len(number) == 11 and number.isdigit() and snils_check(number[:9]) == number[9:]
    )


def inn_valid(number: str) -> bool:
    """Whether 10 or 12 digits are an INN with the right check digits."""
    if not _is_digits(number):
        return False
    digits = _digits(number)
    if len(digits) == 10:
        return _weighted(digits, _INN10) == digits[9]
    if len(digits) == 12:
        return (
            _weighted(digits, _INN12_FIRST) == digits[10]
            and _weighted(digits, _INN12_SECOND) == digits[11]
        )
    return False


def luhn_valid(number: str) -> bool:
    """Whether digits pass the Luhn check (bank cards)."""
    if not _is_digits(number) or len(number) < 2:
        return False
    return _luhn_sum(number) % 10 == 0


def _luhn_sum(number: str) -> int:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total


def make_snils(first_nine: str) -> str:
    """A SNILS: *first_nine* digits and their check digits."""
    return first_nine + snils_check(first_nine)


def make_inn10(first_nine: str) -> str:
    """A company INN: *first_nine* digits and the check digit."""
    return first_nine + str(_weighted(_digits(first_nine), _INN10))


def make_inn12(first_ten: str) -> str:
    """A person's INN: *first_ten* digits and the two check digits."""
    eleventh = str(_weighted(_digits(first_ten), _INN12_FIRST))
    twelfth = str(_weighted(_digits(first_ten + eleventh), _INN12_SECOND))
    return first_ten + eleventh + twelfth


def make_luhn(prefix: str) -> str:
    """A card number: *prefix* and the Luhn check digit."""
    check = (10 - _luhn_sum(prefix + "0") % 10) % 10
    return prefix + str(check)
