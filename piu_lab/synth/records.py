"""Frozen model records from a day's plan: each PNR as pushed early (T-48 h) and at closure.

Between the two pushes the closure version shows what really happens: seats given at
check-in, bags checked with tags and weights, travel status (checked in, boarded, no-show,
go-show), documents (API) added, travellers cancelled or added, a split PNR, a retimed
transport; each change is a history entry (heading 19). Unchanged parts are shared objects.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from piu_lab.model import (
    AnnexHeading,
    Bag,
    Contact,
    ContactKind,
    DocumentType,
    FrequentFlyer,
    Gender,
    HistoryAction,
    HistoryEntry,
    Passenger,
    PassengerType,
    Payment,
    PaymentForm,
    Seat,
    Ticket,
    TravelDocument,
    TravelStatus,
    UnaccompaniedMinor,
)
from piu_lab.synth.booking import FORMS, DayPlan
from piu_lab.synth.context import Context
from piu_lab.synth.itinerary import itinerary
from piu_lab.synth.people import People
from piu_lab.synth.sensitive import SensitiveDraw
from piu_lab.synth.versions import Draft, Journey, RecordSink, changes, emit_versions, minute

__all__ = ["Journey", "RecordSink", "build_records"]

H = AnnexHeading
_PTYPE = (PassengerType.ADULT, PassengerType.CHILD, PassengerType.INFANT)
_FINAL = (TravelStatus.BOARDED, TravelStatus.NO_SHOW, TravelStatus.CHECKED_IN, TravelStatus.GO_SHOW)
_GUARDIANS = ("MOTHER", "FATHER", "GRANDMOTHER", "AUNT", "UNCLE")
_BUSINESS = frozenset("JCDZ")


def _title(male: bool, ptype: int, age: float, pid: int, family: bool) -> str:
    if ptype == 2:
        return ""
    if ptype == 1 or age < 16:
        return "MSTR" if male else "MISS"
    if pid % 53 == 0:
        return "DR"
    if male:
        return "MR"
    return "MRS" if family and age >= 28 else "MS"


def _payment(
    people: People, form: PaymentForm, total: Decimal, payer: int, card: object
) -> Payment:
    """Heading 6: the form of payment; a card is masked but for its last four digits."""
    if form is not PaymentForm.CARD:
        return Payment(form=form, amount=total, currency="EUR")
    street, city, postcode = people.address[payer]
    if isinstance(card, tuple):
        scheme, last4, holder = (str(v) for v in card)
    else:
        scheme, last4 = people.card[payer]
        holder = f"{people.given(payer)} {people.surname[payer]}"
    return Payment(
        form=form,
        amount=total,
        currency="EUR",
        card_type=scheme or "VI",
        card_masked=f"XXXXXXXXXXXX{last4 or '0000'}",
        card_holder=holder,
        billing_address=f"{street}, {postcode} {city}, {people.residence[payer]}",
    )


def _minor(people: People, pid: int, age: float, carrier: str) -> UnaccompaniedMinor:
    """Heading 12: the UMNR items of a child travelling alone (guardians are synthetic)."""
    g1 = (pid * 7919 + 13) % len(people)
    g2 = (g1 + 1) % len(people)
    return UnaccompaniedMinor(
        age=int(age),
        languages=("NL", "FR") if people.residence[pid] == "BE" else ("EN",),
        departure_guardian_name=f"{people.surname[pid]}/{people.first[g1]}",
        departure_guardian_contact=people.phone[g1] or "+3225550000",
        departure_guardian_relation=_GUARDIANS[pid % len(_GUARDIANS)],
        arrival_guardian_name=f"{people.surname[pid]}/{people.first[g2]}",
        arrival_guardian_contact=people.phone[g2] or "+3225550001",
        arrival_guardian_relation=_GUARDIANS[(pid + 1) % len(_GUARDIANS)],
        departure_agent=f"{carrier} AGENT {pid % 9000 + 1000}",
        arrival_agent=f"{carrier} AGENT {(pid * 3) % 9000 + 1000}",
    )


def _document(people: People, pid: int, id_card: bool) -> TravelDocument:
    return TravelDocument(
        doc_type=DocumentType.IDENTITY_CARD if id_card else DocumentType.PASSPORT,
        number=people.id_card[pid] if id_card else people.passport[pid],
        issuing_country=people.nationality[pid],
        expiry_date=people.expiry[pid],
        nationality=people.nationality[pid],
        date_of_birth=people.dob[pid],
        gender=Gender.MALE if people.male[pid] else Gender.FEMALE,
        surname=people.surname[pid],
        given_names=people.given(pid),
    )


def _draft(
    ctx: Context, plan: DayPlan, i: int, offset: int, sens: SensitiveDraw, ov: dict[str, object]
) -> tuple[Draft, int]:
    """The shared parts of PNR ``i`` and the seg_no of its anchored leg."""
    people = ctx.people
    ti = int(plan.transport[i])
    t = plan.transports[ti]
    dep = t.departure_utc
    created = minute(dep, -float(plan.lead_h[i]))
    early_at = dep - timedelta(minutes=t.early_shift_min) - timedelta(hours=48)
    segs_final, anchor = itinerary(ctx, plan, i, retimed=False)
    segs_early = itinerary(ctx, plan, i, retimed=True)[0] if t.early_shift_min else segs_final
    lead = int(plan.parties.person[int(plan.first[i])])
    total = Decimal(str(round(float(plan.fare[i]) * int(plan.count[i]), 2)))
    form = PaymentForm.CARD if "card" in ov else FORMS[int(plan.form[i])]
    payer = lead
    if plan.third_party[i] and len(people) > 1:
        payer = (lead * 7919 + i * 104_729) % len(people)
        while not people.card[payer][0] or payer == lead:
            payer = (payer + 1) % len(people)
    agency_ix = int(str(ov.get("agency", int(plan.agency[i]))))
    street, city, postcode = people.address[lead]
    contacts = (
        Contact(
            kind=ContactKind.ADDRESS,
            value=f"{street}, {postcode} {city}",
            country=people.residence[lead],
        ),
    )
    draft = Draft(
        transport=t,
        ti=offset + ti,
        state=int(plan.state[i]),
        locator=plan.locator[i],
        created=created,
        early_at=early_at,
        closure_at=dep + timedelta(minutes=12),
        segs_early=segs_early,
        segs_final=segs_final,
        payment=_payment(people, form, total, payer, ov.get("card")),
        contacts=contacts,
        agency=ctx.agencies[agency_ix] if agency_ix >= 0 else None,
        remarks=sens.pnr.get(i, ()),
    )
    return draft, anchor


def build_records(
    ctx: Context,
    plan: DayPlan,
    sens: SensitiveDraw,
    sink: RecordSink,
    offset: int,
    planted: set[int],
    overrides: dict[int, dict[str, object]],
) -> None:
    """Build the versions of every PNR of ``plan`` into ``sink``.

    ``offset`` is the index of the day's first transport in the run; ``planted`` the persons
    planted on watchlists (their names are never perturbed); ``overrides`` per PNR index the
    shared phone, e-mail, card or agency of a planted network.
    """
    people = ctx.people
    parties = plan.parties
    rng = ctx.streams.rng(200, plan.day_index)
    xs = rng.random((len(parties.pnr), 3))
    person_l = parties.person.tolist()
    pos_l = parties.pos.tolist()
    ptype_l = parties.ptype.tolist()
    infant_of_l = parties.infant_of.tolist()
    added_l = parties.added.tolist()
    status_l = plan.status.tolist()
    removed_l = plan.removed.tolist()
    split_l = plan.split.tolist()
    ci_early_l = plan.checked_in_early.tolist()
    bags_l = plan.bags.tolist()
    bags_e_l = plan.bags_early.tolist()
    weight_l = plan.bag_weight.tolist()
    docs_e_l = plan.docs_early.tolist()
    docs_f_l = plan.docs_final.tolist()
    idc_l = plan.id_card.tolist()
    variant_l = plan.name_variant.tolist()
    for i in range(len(plan.size)):
        ov = overrides.get(i, {})
        d, anchor = _draft(ctx, plan, i, offset, sens, ov)
        t = d.transport
        state = d.state
        lead = person_l[int(plan.first[i])]
        phone = str(ov.get("phone") or people.phone[lead])
        email = str(ov.get("email") or people.email[lead])
        lead_contacts = tuple(
            Contact(kind=kind, value=value)
            for kind, value in ((ContactKind.PHONE, phone), (ContactKind.EMAIL, email))
            if value
        )
        issued = d.created + timedelta(minutes=3)
        rows = range(int(plan.first[i]), int(plan.first[i] + plan.count[i]))
        one_way = bool(plan.one_way[i])
        cls = plan.booking_class[i]
        fare_basis = f"{cls}{'OW' if one_way else 'RT'}{t.carrier[:2]}"
        fare = Decimal(str(plan.fare[i]))
        d.hist_early.append(
            HistoryEntry(
                occurred_at=issued,
                action=HistoryAction.ADDED,
                heading=H.TICKETING,
                item=f"TICKET {len(rows)}",
            )
        )
        window = max((t.departure_utc - d.early_at).total_seconds() / 3600.0, 1.0)
        before = max((d.early_at - d.created).total_seconds() / 3600.0, 0.1)
        final_dest = d.segs_final[anchor - 1].destination
        family = int(plan.size[i]) > 1
        for r in rows:
            pid = person_l[r]
            ref = str(pos_l[r] + 1)
            ptype = ptype_l[r]
            male = people.male[pid]
            age = (t.day - people.dob[pid]).days / 365.25
            surname, given = people.surname[pid], people.given(pid)
            variant = 0 if pid in planted else variant_l[r]
            if variant == 1:
                given = people.first[pid]
            elif variant == 2:
                surname, given = given, surname
            ff_air, ff_no, ff_tier = people.ff[pid]
            doc = _document(people, pid, idc_l[r])
            ticket = Ticket(
                number=plan.ticket[r],
                issued_on=issued.date(),
                one_way=one_way,
                fare_basis=fare_basis,
                total_amount=fare,
                currency="EUR",
            )
            common = {
                "pax_ref": ref,
                "surname": surname,
                "given_names": given,
                "title": _title(male, ptype, age, pid, family),
                "passenger_type": _PTYPE[ptype],
                "infant_of": str(infant_of_l[r] + 1) if ptype == 2 else None,
                "tickets": (ticket,),
                "frequent_flyers": (FrequentFlyer(airline=ff_air, number=ff_no, tier=ff_tier),)
                if ff_air and t.kind == "fsc"
                else (),
                "contacts": lead_contacts if pos_l[r] == 0 else (),
                "minor": _minor(people, pid, age, t.carrier)
                if plan.umnr[i] and pos_l[r] == 0
                else None,
            }
            seat_e, seat_f = plan.seat_early[r], plan.seat_final[r]
            if state != 1 and not added_l[r]:
                d.pax_early.append(
                    Passenger(
                        travel_status=TravelStatus.CHECKED_IN
                        if ci_early_l[r]
                        else TravelStatus.CONFIRMED,
                        documents=(doc,) if docs_e_l[r] else (),
                        seats=(Seat(seg_no=anchor, seat_number=seat_e),) if seat_e else (),
                        bags=(Bag(seg_no=anchor, count=bags_e_l[r]),) if bags_e_l[r] else (),
                        **common,
                    )
                )
                d.who_early.append((pid, sens.early.get(r, ())))
                if seat_e:
                    d.hist_early.append(
                        HistoryEntry(
                            occurred_at=minute(d.created, float(xs[r, 0]) * before),
                            action=HistoryAction.ADDED,
                            heading=H.SEAT,
                            item=f"SEAT {ref}/{seat_e}",
                            pax_ref=ref,
                        )
                    )
            if state == 2 or removed_l[r]:
                if state == 0:
                    d.hist_final.append(
                        HistoryEntry(
                            occurred_at=minute(d.early_at, float(xs[r, 1]) * window),
                            action=HistoryAction.CANCELLED,
                            heading=H.NAMES,
                            item=f"NAME {ref}",
                            pax_ref=ref,
                        )
                    )
                continue
            status = _FINAL[status_l[r]]
            seats: tuple[Seat, ...] = ()
            if seat_f:
                cabin = "J" if cls in _BUSINESS else "Y"
                seats = (Seat(seg_no=anchor, seat_number=seat_f, cabin=cabin),)
            bags: tuple[Bag, ...] = ()
            if bags_l[r]:
                tags = tuple(
                    f"0{t.numeric}{(pid * 37 + k) % 1_000_000:06d}" for k in range(bags_l[r])
                )
                bags = (
                    Bag(
                        seg_no=anchor,
                        count=bags_l[r],
                        weight_kg=weight_l[r],
                        tag_numbers=tags,
                        final_destination=final_dest,
                    ),
                )
            p_final = Passenger(
                travel_status=status,
                documents=(doc,) if docs_f_l[r] else (),
                seats=seats,
                bags=bags,
                **common,
            )
            if state == 0:
                when = minute(t.departure_utc, -1.0 - float(xs[r, 2]) * 22.0)
                d.hist_final.extend(
                    changes(
                        ref,
                        seat_e,
                        seat_f,
                        bags_e_l[r],
                        bags_l[r],
                        docs_e_l[r],
                        docs_f_l[r],
                        status,
                        added_l[r],
                        when,
                    )
                )
            items = sens.final.get(r, ())
            if split_l[r]:
                d.split_pax.append(p_final)
                d.who_split.append((pid, items))
            else:
                d.pax_final.append(p_final)
                d.who_final.append((pid, items))
        if t.early_shift_min and state == 0:
            d.hist_final.append(
                HistoryEntry(
                    occurred_at=minute(d.early_at, 2.0),
                    action=HistoryAction.CHANGED,
                    heading=H.ITINERARY,
                    item=f"SEGMENT {anchor}",
                )
            )
        split_locator = ctx.new_locators(rng, t.carrier, 1)[0] if d.split_pax else ""
        emit_versions(d, sink, split_locator)
