"""Population per unit and year, stored as values of the catalog indicator `dan_so`."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.seed import read_population

from .models import Source
from .services import SaveResult, ValueInput, save_values

POPULATION_INDICATOR = "dan_so"


def load_population(actor: AbstractBaseUser | AnonymousUser) -> SaveResult:
    """Store the shipped population figures (idempotent: unchanged values are left alone).

    Figures listed for a unit that did not exist that year (a 2025 province's 2019 population,
    the sum of its predecessors') are not stored: the aggregator derives them the same way.
    """
    rows = read_population()
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={r["unit_code"] for r in rows})}
    inputs = [
        ValueInput(
            POPULATION_INDICATOR,
            units[row["unit_code"]],
            Period.of_year(row["year"]),
            row["population"],
            comment=row["source"],
            where=f"population.csv, {row['name']} {row['year']}",
        )
        for row in rows
        if row["unit_code"] in units
        and units[row["unit_code"]].overlaps(Period.of_year(row["year"]).start, Period.of_year(row["year"]).end)
    ]
    return save_values(actor, inputs, source=Source.IMPORT, source_ref="population.csv", reason="Dân số")
