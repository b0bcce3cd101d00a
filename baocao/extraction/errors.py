"""Errors of the extraction engine."""

from __future__ import annotations


class ExtractionError(Exception):
    """Input that cannot be read or understood; the message names the file and what is wrong."""
