"""Vietnamese numbers as provincial reports write them, and back.

Reports group thousands with '.' and mark decimals with ',' ("40.722" is
forty thousand, "73,95%" is a percentage with a decimal part).  Money is
stored in đồng but written with scale words ("76 tỷ đồng").  Small counts
carry a leading zero ("08 Công văn").  Everything here works on
``decimal.Decimal`` so that no value ever passes through binary floats.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "QUALIFIERS",
    "QUALIFIER_WORDS",
    "SCALE_WORDS",
    "UNIT_ALIASES",
    "Quantity",
    "VietnameseNumberError",
    "format_count",
    "format_money",
    "format_number",
    "format_percent",
    "format_quantity",
    "format_with_qualifier",
    "has_foreign_digits",
    "number_problem",
    "parse_number",
    "parse_quantity",
    "storable_number_problem",
    "to_decimal",
]


class VietnameseNumberError(ValueError):
    """A text that cannot be read as a Vietnamese number or quantity."""


QUALIFIERS: tuple[str, ...] = ("exact", "approx", "more_than", "less_than")

# Longest phrases first: "ước đạt" must win over "ước".
QUALIFIER_WORDS: tuple[tuple[str, str], ...] = (
    ("ước tính khoảng", "approx"),
    ("ước đạt khoảng", "approx"),
    ("ước khoảng", "approx"),
    ("ước tính", "approx"),
    ("ước đạt", "approx"),
    ("ước là", "approx"),
    ("xấp xỉ", "approx"),
    ("khoảng", "approx"),
    ("gần", "approx"),
    ("ước", "approx"),
    ("nhiều hơn", "more_than"),
    ("hơn", "more_than"),
    ("trên", "more_than"),
    ("chưa đến", "less_than"),
    ("chưa tới", "less_than"),
    ("ít hơn", "less_than"),
    ("dưới", "less_than"),
)

# The word format_with_qualifier writes for each qualifier; parse_quantity reads it back.
_QUALIFIER_OUT: dict[str, str] = {"approx": "ước", "more_than": "hơn", "less_than": "dưới"}

SCALE_WORDS: dict[str, Decimal] = {
    # "1,2 nghìn tỷ đồng" (press style for a thousand billion): read before "nghìn" alone
    "nghìn tỷ": Decimal(10) ** 12,
    "ngàn tỷ": Decimal(10) ** 12,
    "nghìn tỉ": Decimal(10) ** 12,
    "ngàn tỉ": Decimal(10) ** 12,
    "nghìn": Decimal(10) ** 3,
    "ngàn": Decimal(10) ** 3,
    "triệu": Decimal(10) ** 6,
    "tỷ": Decimal(10) ** 9,
    "tỉ": Decimal(10) ** 9,
}

# Every spelling of the currency maps to the one unit the catalog stores money in.
UNIT_ALIASES: dict[str, str] = {
    "đồng": "đồng",
    "đ": "đồng",
    "vnđ": "đồng",
    "vnd": "đồng",
    "việt nam đồng": "đồng",
}

_DONG = "đồng"
_ZERO_WORDS = frozenset({"không có", "không"})

# Vietnamese style: groups of exactly three after the first, optional ",decimals".
_VN_RE = re.compile(r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
# English style decimal point: a '.' whose tail is not a three-digit group.
_EN_RE = re.compile(r"\d+\.(?:\d{1,2}|\d{4,})")
_NUMBER_HEAD_RE = re.compile(r"[+\-−]?\d[\d.,]*")
_SPACES_RE = re.compile(r"\s+")


def _clean_text(text: str) -> str:
    # NFC so that "tỷ" typed with combining marks matches our keys; NBSP and
    # other exotic spaces from DOCX exports collapse to one plain space.
    return _SPACES_RE.sub(" ", unicodedata.normalize("NFC", text)).strip()


# What the database keeps exactly: SQLite holds a decimal column as a binary double (15 to 17
# significant digits), so a figure with more would come back changed.
MAX_SIGNIFICANT_DIGITS = 15


def has_foreign_digits(text: str) -> bool:
    """Digits other than 0–9 (Arabic-Indic "٣", full-width "３", …): a figure is written in 0–9."""
    return any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text)


def storable_number_problem(value: Decimal) -> str | None:
    """Why a parsed figure cannot be stored exactly (None: it can), in Vietnamese."""
    if not value.is_finite():
        return "không phải là số hữu hạn"
    digits = value.normalize().as_tuple().digits
    if value and len(digits) > MAX_SIGNIFICANT_DIGITS:
        return (
            f"có {len(digits)} chữ số có nghĩa, quá {MAX_SIGNIFICANT_DIGITS} chữ số lưu được chính xác"
        )
    return None


def number_problem(text: str) -> str:
    """A Vietnamese sentence saying why `text` is not a figure that can be stored."""
    shown = text.strip()
    if has_foreign_digits(shown):
        return f"'{shown}' có chữ số không phải 0–9 (ví dụ chữ số Ả Rập): hãy gõ lại bằng 0–9"
    try:
        value = parse_number(shown)
    except VietnameseNumberError:
        return f"'{shown}' không phải là số"
    return f"'{shown}' {storable_number_problem(value) or 'không lưu được'}"


def parse_number(text: str) -> Decimal:
    """Read one number written the Vietnamese way.

    '.' groups thousands and ',' marks decimals ("2.938.512", "73,95",
    "1,959" = 1.959).  A '.' that is not followed by exactly three digits
    can only be an English decimal point ("1.5").  Leading zeros are
    dropped ("08" = 8).  The Decimal keeps the decimal places as written.
    """
    if not isinstance(text, str):
        raise VietnameseNumberError(f"expected a text, got {type(text).__name__}: {text!r}")
    body = _clean_text(text)
    if has_foreign_digits(body):
        raise VietnameseNumberError(f"'{text}' có chữ số không phải 0–9 (ví dụ chữ số Ả Rập)")
    sign = ""
    if body and body[0] in "+-−":
        sign = "-" if body[0] in "-−" else ""
        body = body[1:]
    if _VN_RE.fullmatch(body):
        canonical = body.replace(".", "").replace(",", ".")
    elif _EN_RE.fullmatch(body):
        canonical = body
    else:
        raise VietnameseNumberError(f"not a Vietnamese number: {text!r}")
    value = Decimal(sign + canonical)
    # Decimal("08") is already 8; only "-0" needs care so it prints as "0".
    return value if value or not value.is_signed() else abs(value)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Any numeric input as a finite Decimal; floats go through repr so 80.71 stays 80.71."""
    if isinstance(value, bool):
        raise VietnameseNumberError(f"a boolean is not a number: {value!r}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        return parse_number(value)
    else:
        raise VietnameseNumberError(f"not a number: {value!r}")
    if not result.is_finite():
        raise VietnameseNumberError(f"not a finite number: {value!r}")
    return result


@dataclass(frozen=True)
class Quantity:
    """A number as a report states it: value in base unit, unit word, and how sure."""

    value: Decimal
    unit: str | None
    qualifier: str = "exact"

    def __post_init__(self) -> None:
        if self.qualifier not in QUALIFIERS:
            raise VietnameseNumberError(
                f"unknown qualifier {self.qualifier!r}; expected one of {', '.join(QUALIFIERS)}"
            )


def _split_qualifier(text: str) -> tuple[str, str]:
    folded = text.casefold()
    for phrase, qualifier in QUALIFIER_WORDS:
        if folded.startswith(phrase) and (len(folded) == len(phrase) or not folded[len(phrase)].isalpha()):
            return qualifier, text[len(phrase) :].lstrip(" :")
    return "exact", text


def _normalise_unit(raw: str) -> str | None:
    unit = raw.strip().rstrip(".,;:").strip()
    if not unit:
        return None
    return UNIT_ALIASES.get(unit.casefold(), unit)


def _integral_if_possible(value: Decimal) -> Decimal:
    # 30,5 × 10⁹ is Decimal('30500000000.0'); store it as the integer it is.
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def parse_quantity(text: str) -> Quantity:
    """Read "hơn 150 văn bản", "ước đạt 76 tỷ đồng", "7.500.000đ", "73,95%", "Không có".

    The value is in the base unit: money in đồng, scale words multiplied out.
    The unit is whatever follows the number (currency spellings unified to
    "đồng"), or None when nothing follows.
    """
    if not isinstance(text, str):
        raise VietnameseNumberError(f"expected a text, got {type(text).__name__}: {text!r}")
    cleaned = _clean_text(text)
    if has_foreign_digits(cleaned):
        raise VietnameseNumberError(f"'{text}' có chữ số không phải 0–9 (ví dụ chữ số Ả Rập)")
    if cleaned.casefold().rstrip(".") in _ZERO_WORDS:
        return Quantity(Decimal(0), None, "exact")
    qualifier, rest = _split_qualifier(cleaned)
    head = _NUMBER_HEAD_RE.match(rest)
    if head is None:
        raise VietnameseNumberError(f"no number in quantity {text!r}")
    # A trailing '.' or ',' is sentence punctuation, not part of the number.
    number_text = head.group(0).rstrip(".,")
    try:
        value = parse_number(number_text)
    except VietnameseNumberError as exc:
        raise VietnameseNumberError(f"bad number {number_text!r} in quantity {text!r}") from exc
    tail = rest[len(number_text) :].strip()
    if tail.startswith("%"):
        extra = tail[1:].strip().rstrip(".,;:").strip()
        if extra:
            raise VietnameseNumberError(f"unexpected text after '%' in quantity {text!r}")
        return Quantity(value, "%", qualifier)
    folded_tail = tail.casefold()
    for word, factor in SCALE_WORDS.items():
        if folded_tail.startswith(word) and (len(tail) == len(word) or not tail[len(word)].isalpha()):
            value *= factor
            tail = tail[len(word) :].strip()
            break
    return Quantity(_integral_if_possible(value), _normalise_unit(tail), qualifier)


def _fixed_digits(value: Decimal) -> tuple[str, str, str]:
    """Sign, integer digits and fraction digits of a Decimal, never in exponent form."""
    text = format(value, "f")
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    integer, _, fraction = text.partition(".")
    if sign and not integer.strip("0") and not fraction.strip("0"):
        sign = ""
    return sign, integer, fraction


def _group(integer: str) -> str:
    integer = integer.lstrip("0") or "0"
    groups = []
    while len(integer) > 3:
        groups.append(integer[-3:])
        integer = integer[:-3]
    groups.append(integer)
    return ".".join(reversed(groups))


def format_number(
    value: Decimal | int | float,
    decimals: int | None = None,
    *,
    max_decimals: int | None = None,
) -> str:
    """Write a number the way reports do: "217.199", "80,71", "1,959".

    decimals=None writes the value exactly, with trailing fractional zeros
    trimmed, so that parse_number(format_number(x)) == x for every finite x.
    decimals=k rounds half-up to exactly k places ("80,70" for k=2).
    max_decimals=k rounds half-up to k places and then trims trailing zeros.
    """
    number = to_decimal(value)
    if decimals is not None and decimals < 0:
        raise VietnameseNumberError(f"decimals must be >= 0, got {decimals}")
    if max_decimals is not None and max_decimals < 0:
        raise VietnameseNumberError(f"max_decimals must be >= 0, got {max_decimals}")
    places = decimals if decimals is not None else max_decimals
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign, integer, fraction = _fixed_digits(number)
    if decimals is None:
        fraction = fraction.rstrip("0")
    text = _group(integer)
    if fraction:
        text += "," + fraction
    return sign + text


def format_percent(value: Decimal | int | float, decimals: int = 2) -> str:
    """Percent as reports write it ("80,71%", "100%"): at most ``decimals`` places, zeros trimmed."""
    return format_number(value, max_decimals=decimals) + "%"


_MONEY_SCALES: dict[str, Decimal] = {
    "đồng": Decimal(1),
    "nghìn": SCALE_WORDS["nghìn"],
    "ngàn": SCALE_WORDS["ngàn"],
    "triệu": SCALE_WORDS["triệu"],
    "tỷ": SCALE_WORDS["tỷ"],
    "tỉ": SCALE_WORDS["tỉ"],
}


def format_money(
    value_dong: Decimal | int | float,
    unit_word: str | None = None,
    *,
    decimals: int | None = None,
) -> str:
    """Write an amount of đồng: "76 tỷ đồng", "30,5 tỷ đồng", "7.500.000 đồng".

    By default amounts of at least one tỷ that are whole millions are written
    in tỷ (at most three decimals, as reports do: "31,858 tỷ đồng"); anything
    else is written in full đồng with grouping, so no digit is ever lost.
    unit_word forces a scale ("đồng", "nghìn", "triệu", "tỷ"); decimals then
    rounds as in format_number.
    """
    amount = to_decimal(value_dong)
    if unit_word is None:
        whole_millions = amount % SCALE_WORDS["triệu"] == 0
        unit_word = "tỷ" if abs(amount) >= SCALE_WORDS["tỷ"] and whole_millions else "đồng"
    key = unicodedata.normalize("NFC", unit_word).strip().casefold()
    if key not in _MONEY_SCALES:
        raise VietnameseNumberError(
            f"unknown money scale {unit_word!r}; expected one of {', '.join(_MONEY_SCALES)}"
        )
    scaled = amount / _MONEY_SCALES[key] if key != "đồng" else amount
    number = format_number(scaled, decimals)
    return f"{number} đồng" if key == "đồng" else f"{number} {key} đồng"


def format_with_qualifier(text: str, qualifier: str) -> str:
    """Prefix an already formatted number with the word for its qualifier ("hơn 150")."""
    if qualifier not in QUALIFIERS:
        raise VietnameseNumberError(
            f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}"
        )
    word = _QUALIFIER_OUT.get(qualifier)
    return f"{word} {text}" if word else text


def format_quantity(value: Decimal | int | float, unit: str | None, qualifier: str = "exact") -> str:
    """The inverse of parse_quantity: "hơn 150 văn bản", "ước 76 tỷ đồng", "80,71%"."""
    if unit is not None and UNIT_ALIASES.get(unit.strip().casefold()) == _DONG:
        body = format_money(value)
    elif unit == "%":
        body = format_number(value) + "%"
    elif unit:
        body = f"{format_number(value)} {unit.strip()}"
    else:
        body = format_number(value)
    return format_with_qualifier(body, qualifier)


def format_count(value: int, pad: bool = True) -> str:
    """A count as reports write it: "08" for 1–9 when padded, "1.949" for thousands."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise VietnameseNumberError(f"a count must be an int, got {value!r}")
    if pad and 0 < value < 10:
        return f"0{value}"
    return format_number(value)
