"""Pure domain logic: no Django import is allowed anywhere in this package.

Vietnamese numbers, periods and reporting regimes, indicator formulas and
document references live here so that they can be tested and reused on
their own (by the extractor, the importers, the report writer and the API).
"""
