"""How an indicator's value is written in a report, a table or the CLI."""

from __future__ import annotations

from decimal import Decimal

from baocao.core.vnnum import format_money, format_number, format_percent, format_with_qualifier

MONEY_UNIT = "đồng"
PERCENT_UNIT = "%"


def format_value(
    value: Decimal | int | float, unit: str, qualifier: str = "exact", *, with_unit: bool = True
) -> str:
    """ "80,71%", "ước 76 tỷ đồng", "2.597 chứng thư", "hơn 150 văn bản", "134,52 thuê bao/100 dân".

    Computed values are rounded to two decimals, the precision reports use for rates.
    """
    if unit == PERCENT_UNIT:
        body = format_percent(value, 2)
    elif unit == MONEY_UNIT:
        body = format_money(value) if with_unit else format_number(value, max_decimals=3)
    else:
        body = format_number(value, max_decimals=2)
        if with_unit and unit:
            body = f"{body} {unit}"
    return format_with_qualifier(body, qualifier)
