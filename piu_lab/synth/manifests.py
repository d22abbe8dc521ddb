"""API manifests (PAXLST): one per transport crossing the Schengen external border, at closure.

The manifest lists who boarded (from the closure push: documents as checked at the counter)
and the crew. Intra-Schengen transports send none.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from piu_lab.model import (
    ApiLeg,
    ApiManifest,
    ApiPerson,
    DocumentType,
    Gender,
    PassengerRole,
    Pnr,
    PushStage,
    Sector,
    TravelDocument,
    TravelStatus,
)
from piu_lab.synth.context import Context
from piu_lab.synth.people import PersonBatch
from piu_lab.synth.schedule import Transport
from piu_lab.synth.traffic import Push

__all__ = ["build_manifests", "crosses_border"]

_ON_BOARD = (TravelStatus.BOARDED, TravelStatus.GO_SHOW)
_CREW = {Sector.AIR: 6, Sector.HST: 4, Sector.BUS: 2, Sector.SEA: 18}


def crosses_border(ctx: Context, t: Transport) -> bool:
    """True when the transport crosses the Schengen external border."""
    ref = ctx.ref
    return not (
        ref.country(t.origin.country).schengen and ref.country(t.destination.country).schengen
    )


def _crew(ctx: Context, rng: np.random.Generator, t: Transport) -> list[ApiPerson]:
    n = _CREW[t.sector] * (2 if t.seats > 250 and t.sector is Sector.AIR else 1)
    home = ctx.ref.carriers[t.carrier].country
    mix = ctx.ref.country(home).mix
    keys = np.array([ctx.pools.by_key[k] for k, _ in mix])
    w = np.array([v for _, v in mix])
    pids = ctx.people.add(
        rng,
        PersonBatch(
            culture=keys[rng.choice(len(keys), size=n, p=w / w.sum())],
            residence=[home] * n,
            city=[""] * n,
            male=rng.random(n) < 0.5,
            age=rng.uniform(22.0, 60.0, n),
            family_of=np.full(n, -1, dtype=np.int64),
        ),
    )
    people = ctx.people
    out = []
    for pid in pids.tolist():
        doc = TravelDocument(
            doc_type=DocumentType.PASSPORT,
            number=people.passport[pid],
            issuing_country=people.nationality[pid],
            expiry_date=people.expiry[pid],
            nationality=people.nationality[pid],
            date_of_birth=people.dob[pid],
            gender=Gender.MALE if people.male[pid] else Gender.FEMALE,
            surname=people.surname[pid],
            given_names=people.given(pid),
        )
        out.append(
            ApiPerson(
                role=PassengerRole.CREW,
                surname=people.surname[pid],
                given_names=people.given(pid),
                gender=doc.gender,
                date_of_birth=doc.date_of_birth,
                nationality=doc.nationality,
                documents=(doc,),
                embarkation=t.origin.code,
                debarkation=t.destination.code,
                border_crossing_point=(t.destination if not t.outbound else t.origin).code,
            )
        )
    return out


def _passengers(pnrs: tuple[Pnr, ...], t: Transport) -> list[ApiPerson]:
    out = []
    be = (t.destination if not t.outbound else t.origin).code
    for pnr in pnrs:
        for p in pnr.passengers:
            if p.travel_status not in _ON_BOARD:
                continue
            doc = p.documents[0] if p.documents else None
            out.append(
                ApiPerson(
                    role=PassengerRole.PASSENGER,
                    surname=doc.surname if doc else p.surname,
                    given_names=doc.given_names if doc else p.given_names,
                    gender=doc.gender if doc else Gender.UNKNOWN,
                    date_of_birth=doc.date_of_birth if doc else None,
                    nationality=doc.nationality if doc else "",
                    documents=p.documents,
                    embarkation=t.origin.code,
                    debarkation=t.destination.code,
                    border_crossing_point=be,
                    record_locator=pnr.record_locator,
                )
            )
    return out


def build_manifests(
    ctx: Context, transports: list[Transport], pushes: tuple[Push, ...], pnrs: tuple[Pnr, ...]
) -> tuple[ApiManifest, ...]:
    rng = ctx.streams.rng(700)
    out: list[ApiManifest] = []
    for push in pushes:
        t = push.transport
        if push.stage is not PushStage.CLOSURE or not crosses_border(ctx, t):
            continue
        persons = _passengers(pnrs[push.first : push.first + push.count], t) + _crew(ctx, rng, t)
        leg = ApiLeg(
            carrier=t.carrier,
            transport_number=t.number,
            departure_port=t.origin.code,
            arrival_port=t.destination.code,
            departure_local=t.departure_local,
            arrival_local=t.arrival_local,
        )
        out.append(
            ApiManifest(
                carrier=t.carrier,
                transport_number=t.number,
                sector=t.sector,
                legs=(leg,),
                persons=tuple(persons),
                received_at=t.departure_utc + timedelta(minutes=20),
                total_count=sum(1 for p in persons if p.role is PassengerRole.PASSENGER),
                initial_embarkation=t.origin.code,
                transport_code=f"{t.carrier}{t.number}",
                message_id=f"{push.message_id[:-1]}3",
            )
        )
    return tuple(out)
