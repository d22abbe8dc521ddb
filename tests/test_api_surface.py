"""The facade's public surface is pinned (style rule 1, as httpx's test_exported_members)."""

from __future__ import annotations

import piu_lab.api as api

EXPECTED = [
    "Clock",
    "ConfigurationError",
    "DatabaseUnreachable",
    "DemoResult",
    "FrozenClock",
    "IngestError",
    "IngestReport",
    "InvalidRecord",
    "Lab",
    "LabSummary",
    "MessageParseError",
    "PiuLabError",
    "ReadOnlyDatabase",
    "SchemaNotInitialised",
    "SchemaTooNew",
    "StoreError",
    "SynthConfig",
    "SynthError",
    "SystemClock",
    "UnknownDatabaseURL",
    "default_database_url",
    "dry_run_ingest",
    "ingest_report_json",
    "open_lab",
]


def test_all_is_pinned_and_sorted() -> None:
    assert api.__all__ == EXPECTED
    assert sorted(api.__all__) == api.__all__


def test_every_exported_name_exists() -> None:
    for name in api.__all__:
        assert hasattr(api, name), name


def test_no_other_public_names_leak() -> None:
    public = {
        name
        for name, value in vars(api).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith("piu_lab")
    }
    assert public <= set(api.__all__) | {"annotations", "Progress", "report_json"}
