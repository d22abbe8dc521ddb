"""The generator: schedule -> bookings -> records -> manifests -> watchlists -> ground truth."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from piu_lab.model import Pnr, PushStage, Sector
from piu_lab.synth.booking import plan_day
from piu_lab.synth.config import SynthConfig, check_config
from piu_lab.synth.context import make_context
from piu_lab.synth.manifests import build_manifests
from piu_lab.synth.parties import make_frequent_pool
from piu_lab.synth.plant import Planted, plant_day
from piu_lab.synth.records import RecordSink, build_records
from piu_lab.synth.schedule import Transport, build_day
from piu_lab.synth.sensitive import draw_sensitive
from piu_lab.synth.traffic import Push, SynthTraffic
from piu_lab.synth.truth import build_truth
from piu_lab.synth.watchlists import build_watchlists

__all__ = ["Progress", "generate"]

Progress = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


def generate(config: SynthConfig, *, progress: Progress | None = None) -> SynthTraffic:
    """Generate ``config.days`` days of synthetic Belgian traffic (deterministic from the seed).

    ``progress(stage, done, total)`` is called as the work advances (for a progress bar).
    """
    check_config(config)
    report = progress or _noop
    ctx = make_context(config)
    params = config.params
    expected = 1_100 if config.scale == "small" else 100_000
    make_frequent_pool(ctx, max(60, expected // 25))
    sink = RecordSink()
    transports: list[Transport] = []
    planted = Planted()
    planted.preselect(ctx, params.planted_hits_per_day * config.days)
    for d in range(config.days):
        report("generate", d, config.days)
        day = config.start + timedelta(days=d)
        todays = build_day(ctx.ref, params, day, config.seed, ctx.streams.rng(10, d))
        plan = plan_day(ctx, d, todays)
        overrides = plant_day(ctx, plan, planted)
        sens = draw_sensitive(
            ctx.streams.rng(300, d),
            ctx.people,
            plan.parties.person,
            plan.parties.ptype,
            len(plan.size),
        )
        build_records(ctx, plan, sens, sink, len(transports), planted.persons, overrides)
        transports.extend(todays)
    report("generate", config.days, config.days)
    pnrs, pushes = _order(transports, sink)
    report("manifests", 0, 1)
    manifests = build_manifests(ctx, transports, pushes, pnrs)
    report("watchlists", 0, 1)
    watchlists, hits = build_watchlists(ctx, planted, sink)
    truth = build_truth(ctx, transports, sink, pushes, pnrs, hits, planted)
    report("watchlists", 1, 1)
    by_sector: dict[str, int] = {}
    for j in sink.journeys:
        key = transports[j.transport].sector.value
        by_sector[key] = by_sector.get(key, 0) + 1
    # carriers transmitting, and marketing carriers of code shares
    used = sorted(
        {t.carrier for t in transports}
        | {s.carrier for p in pnrs for s in p.segments if s.carrier in ctx.ref.carriers}
    )
    return SynthTraffic(
        config=config,
        carriers=tuple(ctx.ref.carriers[c] for c in used),
        pnrs=pnrs,
        manifests=manifests,
        sensitive=sink.sensitive,
        watchlists=watchlists,
        truth=truth,
        transports=tuple(transports),
        pushes=pushes,
        journeys=len(sink.journeys),
        journeys_by_sector=tuple(
            (s.value, by_sector[s.value]) for s in Sector if s.value in by_sector
        ),
    )


def _order(
    transports: list[Transport], sink: RecordSink
) -> tuple[tuple[Pnr, ...], tuple[Push, ...]]:
    """Every PNR version in the order the pushes reach the PIU, and the pushes."""
    events = []
    for ti, t in enumerate(transports):
        shift = timedelta(minutes=t.early_shift_min)
        events.append((t.departure_utc - shift - timedelta(hours=48), ti, PushStage.EARLY))
        events.append((t.departure_utc + timedelta(minutes=12), ti, PushStage.CLOSURE))
    events.sort(key=lambda e: (e[0], e[1], e[2] is PushStage.CLOSURE))
    pnrs: list[Pnr] = []
    pushes: list[Push] = []
    for at, ti, stage in events:
        t = transports[ti]
        batch = (sink.early if stage is PushStage.EARLY else sink.closure).get(ti, [])
        suffix = "1" if stage is PushStage.EARLY else "2"
        pushes.append(
            Push(
                message_id=f"{t.day:%y%m%d}{ti:05d}{suffix}",
                stage=stage,
                transport=t,
                received_at=at,
                first=len(pnrs),
                count=len(batch),
                retimed=stage is PushStage.EARLY and t.early_shift_min != 0,
            )
        )
        pnrs.extend(batch)
    return tuple(pnrs), tuple(pushes)
