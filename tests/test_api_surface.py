"""The facade's public surface is pinned (style rule 1, as httpx's test_exported_members)."""

from __future__ import annotations

import piu_lab.api as api

EXPECTED = [
    "CHECKLIST",
    "MASKED",
    "MATCHING_ALGORITHM",
    "NAME_THRESHOLD",
    "OUTCOME_LABEL",
    "AccessDenied",
    "AccessError",
    "AuditChain",
    "AuditChainBroken",
    "AuditError",
    "Authorisation",
    "Authority",
    "AuthorityType",
    "Clock",
    "ConfigurationError",
    "Criterion",
    "DatabaseUnreachable",
    "DemoResult",
    "FieldGroup",
    "Finding",
    "FrozenClock",
    "HitCard",
    "HitKind",
    "HitStateError",
    "HitStatus",
    "Identity",
    "IndexVersionMismatch",
    "IngestError",
    "IngestReport",
    "InvalidRecord",
    "Lab",
    "LabSummary",
    "LifecycleSummary",
    "ListScope",
    "Listing",
    "MatchingError",
    "MatchingInputError",
    "MessageParseError",
    "PiuLabError",
    "PnrRecord",
    "Purpose",
    "ReadOnlyDatabase",
    "RetentionProfile",
    "SchemaNotInitialised",
    "SchemaTooNew",
    "ScopeDecision",
    "ScopeError",
    "ScreeningSummary",
    "SearchPage",
    "SearchRequest",
    "Sector",
    "Service",
    "Session",
    "Situation",
    "StoreError",
    "SynthConfig",
    "SynthError",
    "SystemClock",
    "UnknownDatabaseURL",
    "UnknownHit",
    "WatchlistIndex",
    "WatchlistInfo",
    "WorkflowError",
    "build_index",
    "default_database_url",
    "demo_criteria",
    "dry_run_ingest",
    "ingest_report_json",
    "lint",
    "load_criterion",
    "load_index",
    "open_lab",
    "score_names",
    "screen",
]


def test_all_is_pinned_and_sorted() -> None:
    assert api.__all__ == EXPECTED
    constants = [n for n in api.__all__ if n.isupper()]
    others = [n for n in api.__all__ if not n.isupper()]
    assert api.__all__ == sorted(constants) + sorted(others)


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
