"""Policy benchmark: ``piu_lab.access.policy.decide`` latency per call (target <= 20 µs).

A mix of realistic requests (allowed pre-assessment consultations, masked old data, other
services' hits, targeted searches, log reads by a supervisor, denials for an inactive member
and a missing purpose) is decided ``--calls`` times, best of ``--repeat`` rounds. Baselines in
the same run: an empty loop and a trivial function call with the same four arguments (the
machines are shared and noisy, so the ratio matters more than microseconds).

Writes a Markdown table to stdout and JSON to ``benchmarks/results/policy.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from piu_lab.access.policy import (  # noqa: E402
    Action,
    Context,
    Purpose,
    Resource,
    ResourceKind,
    decide,
)
from piu_lab.access.register import (  # noqa: E402
    Clearance,
    ClearanceLevel,
    Grant,
    Member,
    Role,
    Secondment,
    Service,
    Supervisor,
)

TARGET_US = 20.0
ON = date(2026, 6, 1)


def _requests() -> list[tuple[Member, Action, Resource, Context]]:
    secret = Clearance(ClearanceLevel.SECRET, date(2025, 1, 1), date(2030, 12, 31))
    seconded = Member(
        "FP-1",
        "S",
        Role.SECONDED_MEMBER,
        secret,
        Service.FEDERAL_POLICE,
        secondment=Secondment(Service.FEDERAL_POLICE, date(2025, 1, 1)),
    )
    grantee = Member(
        "CU-1",
        "G",
        Role.GRANTEE,
        secret,
        Service.CUSTOMS,
        grant=Grant("H", date(2026, 1, 1), date(2026, 12, 31)),
    )
    sup = Member("C-1", "C", Role.SUPERVISOR, None, Service.OTHER, supervisor_body=Supervisor.COC)
    lapsed = replace(seconded, clearance=replace(secret, valid_until=date(2026, 1, 1)))
    fp, vsse = Service.FEDERAL_POLICE, Service.STATE_SECURITY
    hit = Resource(ResourceKind.HIT, fp, frozenset({fp}), date(2026, 5, 30))
    other = Resource(ResourceKind.HIT, vsse, frozenset({vsse}), date(2026, 5, 30))
    old = Resource(ResourceKind.PNR, fp, frozenset({fp, vsse}), date(2025, 1, 1))
    log = Resource(ResourceKind.AUDIT_LOG, fp)
    pre = Context(ON, Purpose.PRE_ASSESSMENT)
    search = Context(ON, Purpose.TARGETED_SEARCH, "REQ", "AUTH")
    return [
        (seconded, Action.CONSULT_HIT, hit, pre),
        (seconded, Action.VALIDATE_HIT, hit, pre),
        (seconded, Action.CONSULT_HIT, other, pre),
        (seconded, Action.CONSULT_PNR, old, pre),
        (grantee, Action.SEARCH, old, search),
        (sup, Action.READ_AUDIT, log, Context(ON, Purpose.SUPERVISORY_REVIEW)),
        (lapsed, Action.CONSULT_HIT, hit, pre),
        (seconded, Action.READ_AUDIT, log, pre),
        (seconded, Action.CONSULT_PNR, old, Context(ON)),
    ]


def _trivial(subject: Any, action: Any, resource: Any, context: Any) -> bool:
    return True


def _time(fn: Callable[..., Any], requests: list[Any], calls: int, repeat: int) -> float:
    """Best per-call time in microseconds over ``repeat`` rounds of ``calls`` calls."""
    rounds = max(1, calls // len(requests))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(rounds):
            for s, a, r, c in requests:
                fn(s, a, r, c)
        best = min(best, time.perf_counter() - start)
    return best / (rounds * len(requests)) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=200_000, help="decide() calls per round")
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best one counts")
    args = parser.parse_args(argv)
    requests = _requests()
    decisions = [decide(*r) for r in requests]
    decide_us = _time(decide, requests, args.calls, args.repeat)
    trivial_us = _time(_trivial, requests, args.calls, args.repeat)
    out: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "calls": args.calls,
        "repeat": args.repeat,
        "requests_in_mix": len(requests),
        "allowed_in_mix": sum(d.allowed for d in decisions),
        "decide_us": round(decide_us, 3),
        "trivial_call_us": round(trivial_us, 3),
        "ratio": round(decide_us / trivial_us, 1),
        "target_us": TARGET_US,
        "meets_target": decide_us <= TARGET_US,
    }
    print("| case | µs per call | ratio to trivial call |")
    print("|---|---:|---:|")
    print(f"| trivial function call (baseline) | {out['trivial_call_us']} | 1.0x |")
    print(f"| decide() ({len(requests)}-request mix) | {out['decide_us']} | {out['ratio']}x |")
    verdict = "meets" if out["meets_target"] else "MISSES"
    print(f"\n{verdict} the target of {TARGET_US} µs per decide() call; best of {args.repeat}")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "policy.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
