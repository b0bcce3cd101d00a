"""Vietnamese unit names: search keys and type prefixes ("Tỉnh", "Phường", "Thị trấn" …).

Pure (no Django import) so that the data build script can use it on its own.
"""

from __future__ import annotations

import re
import unicodedata

# Longest first: "thành phố" must win over a shorter prefix of the same words.
# Each prefix maps to the levels a name written with it can mean.
TYPE_PREFIXES: dict[str, tuple[str, ...]] = {
    "thành phố trực thuộc trung ương": ("province",),
    "thủ đô": ("province",),
    "thành phố": ("province", "district"),
    "thị xã": ("district",),
    "thị trấn": ("commune",),
    "đặc khu": ("commune",),
    "tỉnh": ("province",),
    "quận": ("district",),
    "huyện": ("district",),
    "phường": ("commune",),
    "xã": ("commune",),
}

# The same prefixes and their usual abbreviations as search keys (no diacritics), for
# stripping from what a user or a report typed: "TP. Hồ Chí Minh", "tx Bình Minh".
_KEY_PREFIXES: dict[str, tuple[str, ...]] = {
    "thanh pho truc thuoc trung uong": ("province",),
    "thu do": ("province",),
    "thanh pho": ("province", "district"),
    "tp": ("province", "district"),
    "t p": ("province", "district"),
    "thi xa": ("district",),
    "tx": ("district",),
    "thi tran": ("commune",),
    "dac khu": ("commune",),
    "tinh": ("province",),
    "quan": ("district",),
    "huyen": ("district",),
    "phuong": ("commune",),
    "xa": ("commune",),
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lower case without diacritics, punctuation folded to single spaces.

    "TP. Hồ Chí Minh" → "tp ho chi minh", "Bà Rịa - Vũng Tàu" → "ba ria vung tau".
    "đ" has no Unicode decomposition, so it is mapped by hand.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()


def split_type(full_name: str) -> tuple[str, str]:
    """("Phường Hoàn Kiếm") → ("phường", "Hoàn Kiếm"); ("Quận 1") → ("quận", "Quận 1").

    A numbered unit keeps its type word in the short name: "1" alone says nothing.
    The sources write "Thành Phố" now and then; the type comes back in lower case.
    """
    clean = " ".join(full_name.split())
    lowered = clean.lower()
    for prefix in TYPE_PREFIXES:
        if lowered.startswith(prefix + " "):
            rest = clean[len(prefix) + 1 :].strip()
            if rest.isdigit():
                return prefix, prefix.capitalize() + " " + rest
            return prefix, rest
    return "", clean


def strip_key_prefix(key: str) -> tuple[str, tuple[str, ...]]:
    """Remove one type prefix from a search key: ("tinh tra vinh") → ("tra vinh", ("province",)).

    Returns the key unchanged and no levels when it has no prefix (or is only a prefix).
    """
    for prefix, levels in _KEY_PREFIXES.items():
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :], levels
    return key, ()
