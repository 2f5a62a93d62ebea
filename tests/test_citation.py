"""CITATION.cff is valid against the Citation File Format 1.2.0 schema.

The schema is committed (tests/schemas/citation-cff-1.2.0.json, taken from
cffconvert 2.0.0, which validates the same way) so the check needs no network
and no extra package.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.json").read_text(encoding="utf-8"))


def load_cff(text: str):
    """YAML as CFF tools read it: dates stay the ISO strings the schema expects."""

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, datetime.date) else value

    return plain(yaml.safe_load(text))


def test_citation_cff_is_valid():
    doc = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft7Validator)


def test_the_schema_check_rejects_a_broken_citation():
    doc = load_cff((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    del doc["authors"]
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate(doc, SCHEMA, cls=jsonschema.Draft7Validator)
