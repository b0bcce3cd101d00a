"""The stamps of the tables whose rows a web process keeps between requests (`ops/stamps.py`)."""

from __future__ import annotations

from django.db import models


class Stamp(models.Model):
    """A table's stamp: a random token that a trigger on the table replaces in every statement
    that changes it, in that statement's transaction."""

    name = models.CharField(max_length=63, primary_key=True)  # the table's name
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
