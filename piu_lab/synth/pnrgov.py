"""PNRGOV 13.1 messages as carriers push them: one interchange per transport and push.

Interchange (no functional group, as most carriers send it): ``UNA UNB UNH MSG ORG TVL EQN``
then per PNR::

    SRC RCI DAT [IFT OSI/RM] ORG [ADD] [IFT CTC]
      per traveller: TIF [FTI] [IFT CTCM/CTCE] FAR [SSR DOCS] [SSR INFT] [SSR UMNR]
                     [SSR PCTC/LANG/DEPA/OTHS...] TKT MON PTK DAT+710 [FOP IFT+4:43]
      per leg:       TVL [TVL code share] RPI APD [SSR SEAT] [SSR meal/health on the leg]
                     [DAT+2 then per traveller checked in: TRI TIF SSD TBD]
      [EQN RCI       split / divided PNR]
      per change:    ABI DAT+ZT SAC IFT+4:19 [SSR of a sensitive item added]
    UNT UNZ

Conventions the ingest relies on: the title follows the given names in TIF after a space;
TRI's first element is the travel status at closure (``BD`` boarded, ``NS`` no-show, ``CI``
checked in, ``GS`` go-show); the EQN of a split carries ``SPF`` (split from) or ``DIV``
(divided into); IFT+4:19 carries the history item and the traveller reference; ORG carries
the agency name as its eighth element; a code share is written ``TVL+..+MKT:OPR+OPR number``
followed by ``TVL+++++MKT number`` (PNRGOV before 14.1). Sensitive items (meals, health,
PCTC, OSI, RM) come only from ``SynthTraffic.sensitive``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from piu_lab.model import (
    ContactKind,
    HistoryAction,
    Passenger,
    PaymentForm,
    Pnr,
    PushStage,
    Segment,
    SplitKind,
    TravelStatus,
)
from piu_lab.synth.edifact import ddmmmyy, ddmmyy, esc, hhmm, interchange, seg
from piu_lab.synth.traffic import Push, SynthTraffic

__all__ = ["RECIPIENT", "SEGMENT_SSRS", "pnrgov_message"]

RECIPIENT = "BEPIU"
_TRI = {
    TravelStatus.BOARDED: "BD",
    TravelStatus.NO_SHOW: "NS",
    TravelStatus.CHECKED_IN: "CI",
    TravelStatus.GO_SHOW: "GS",
}
#: sensitive SSR codes written on the leg (meals, assistance); the others on the traveller
SEGMENT_SSRS = frozenset(
    (
        *("MOML", "KSML", "HNML", "AVML", "VJML", "VOML", "VGML", "VLML", "DBML", "GFML"),
        *("LSML", "LFML", "BLML", "NLML", "RVML", "JPML", "SFML", "FPML", "SPML", "CHML"),
        *("BBML", "WCHR", "WCHS", "WCHC", "WCOB", "WCMP", "WCBD", "MEDA", "STCR", "BLND"),
        *("DEAF", "DPNA", "MAAS", "OXYG", "SVAN", "ESAN"),
    )
)


def _ctce(email: str) -> str:
    """IATA e-mail encoding: @ as //, _ as .., - as ./ (upper case)."""
    return email.upper().replace("-", "./").replace("_", "..").replace("@", "//")


def _dt(moment: datetime) -> tuple[str, str]:
    return ddmmyy(moment), hhmm(moment)


def _tvl(s: Segment) -> list[str]:
    when = (
        ddmmyy(s.departure_local),
        hhmm(s.departure_local),
        ddmmyy(s.arrival_local),
        hhmm(s.arrival_local),
    )
    if s.operating_carrier:
        return [
            seg(
                "TVL",
                when,
                s.origin,
                s.destination,
                (s.carrier, s.operating_carrier),
                (s.operating_number or "", s.booking_class),
            ),
            seg("TVL", "", "", "", "", (s.transport_number, s.booking_class)),
        ]
    return [
        seg("TVL", when, s.origin, s.destination, s.carrier, (s.transport_number, s.booking_class))
    ]


def _ssr(code: str, carrier: str, ref: str, text: str = "", leg: Segment | None = None) -> str:
    where = (leg.origin, leg.destination) if leg else ("", "")
    return seg("SSR", (code, "HK", "1", carrier, "", "", *where, esc(text)), ("", "", ref))


def _split_items(items: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """``SSR MOML`` -> (SSR, MOML, ""); ``OSI YY VIP`` -> (OSI, "", the whole text)."""
    out = []
    for item in items:
        kind, _, rest = item.partition(" ")
        if kind == "SSR":
            code, _, text = rest.partition(" ")
            out.append(("SSR", code, text))
        else:
            out.append((kind, "", item))
    return out


def _traveller(
    pnr: Pnr, p: Passenger, lead: bool, items: tuple[str, ...], infants: list[Passenger]
) -> list[str]:
    carrier = pnr.carrier
    ref = p.pax_ref
    given = f"{p.given_names} {p.title}" if p.title else p.given_names
    out = [
        seg(
            "TIF", esc(p.surname), (esc(given), p.passenger_type.value, ref, "1" if infants else "")
        )
    ]
    for ff in p.frequent_flyers:
        out.append(seg("FTI", (ff.airline, ff.number, "", "", ff.tier)))
    for c in p.contacts:
        if c.kind is ContactKind.PHONE:
            out.append(seg("IFT", ("4", "28", "", carrier), f"CTCM {c.value.lstrip('+')}"))
        elif c.kind is ContactKind.EMAIL:
            out.append(seg("IFT", ("4", "28", "", carrier), esc(f"CTCE {_ctce(c.value)}")))
    ticket = p.tickets[0] if p.tickets else None
    if ticket is not None:
        out.append(seg("FAR", "N", "", "", "", "", ticket.fare_basis))
    for d in p.documents:
        gender = d.gender.value + ("I" if p.passenger_type.value == "IN" else "")
        given_parts = d.given_names.split(" ", 1)
        text = "/".join(
            (
                "",
                d.doc_type.value,
                d.issuing_country,
                d.number,
                d.nationality,
                ddmmmyy(d.date_of_birth) if d.date_of_birth else "",
                gender,
                ddmmmyy(d.expiry_date) if d.expiry_date else "",
                d.surname,
                given_parts[0],
                given_parts[1] if len(given_parts) > 1 else "",
            )
        ).rstrip("/")
        out.append(
            seg("SSR", ("DOCS", "HK", "1", carrier, "", "", "", "", esc(text)), ("", "", ref))
        )
    for inf in infants:
        dob = inf.documents[0].date_of_birth if inf.documents else None
        text = f"{inf.surname}/{inf.given_names}/{ddmmmyy(dob) if dob else ''}"
        out.append(_ssr("INFT", carrier, ref, text))
    if p.minor is not None:
        m = p.minor
        text = (
            f"UM{m.age:02d}/LANG {' '.join(m.languages)}/DEP {m.departure_guardian_name} "
            f"{m.departure_guardian_contact} {m.departure_guardian_relation}/ARR "
            f"{m.arrival_guardian_name} {m.arrival_guardian_contact} "
            f"{m.arrival_guardian_relation}/AGT {m.departure_agent}/{m.arrival_agent}"
        )
        out.append(_ssr("UMNR", carrier, ref, text))
    for kind, code, text in _split_items(items):
        if kind == "SSR" and code not in SEGMENT_SSRS:
            out.append(_ssr(code, carrier, ref, text))
    if ticket is not None:
        out.append(seg("TKT", (ticket.number, "T", "1")))
        if ticket.total_amount is not None:
            out.append(seg("MON", ("T", str(ticket.total_amount), ticket.currency)))
        if ticket.issued_on is not None:
            out.append(seg("PTK", "NR", "", ddmmyy(ticket.issued_on), carrier))
            out.append(seg("DAT", ("710", ddmmyy(ticket.issued_on))))
    if lead:
        for pay in pnr.payments:
            amount = str(pay.amount) if pay.amount is not None else ""
            if pay.form is PaymentForm.CARD:
                out.append(seg("FOP", (pay.form.value, "", amount, pay.card_type, pay.card_masked)))
                out.append(seg("IFT", ("4", "43"), esc(pay.card_holder), esc(pay.billing_address)))
            else:
                out.append(seg("FOP", (pay.form.value, "", amount)))
    return out


def _leg(
    pnr: Pnr, s: Segment, anchor: bool, sensitive: dict[str, tuple[str, ...]], checkin: datetime
) -> list[str]:
    carrier = pnr.carrier
    out = _tvl(s)
    out.append(seg("RPI", str(len(pnr.passengers)), s.status))
    if s.equipment:
        out.append(seg("APD", s.equipment))
    seats = [
        (p.pax_ref, st.seat_number)
        for p in pnr.passengers
        for st in p.seats
        if st.seg_no == s.seg_no
    ]
    if seats:
        where = (s.origin, s.destination)
        out.append(
            seg(
                "SSR",
                ("SEAT", "HK", str(len(seats)), carrier, "", "", *where),
                *((esc(num), "", ref) for ref, num in seats),
            )
        )
    if not anchor:
        return out
    for p in pnr.passengers:
        for kind, code, text in _split_items(sensitive.get(p.pax_ref, ())):
            if kind == "SSR" and code in SEGMENT_SSRS:
                out.append(_ssr(code, carrier, p.pax_ref, text, s))
    checked = [p for p in pnr.passengers if p.travel_status in _TRI]
    if pnr.push_stage is PushStage.CLOSURE and checked:
        out.append(seg("DAT", ("2", *_dt(checkin))))
        for n, p in enumerate(checked, start=1):
            out.append(seg("TRI", _TRI[p.travel_status], (str(n), "", "", p.pax_ref)))
            out.append(
                seg("TIF", esc(p.surname), (esc(p.given_names), p.passenger_type.value, p.pax_ref))
            )
            for st in p.seats:
                out.append(seg("SSD", esc(st.seat_number), "", "", "", st.cabin))
            for b in p.bags:
                if b.tag_numbers:
                    first = b.tag_numbers[0]
                    tags = (first[1:4], first[4:], str(b.count), b.final_destination)
                    out.append(
                        seg(
                            "TBD",
                            "",
                            (str(b.count), f"{b.weight_kg or 0:.1f}", "700"),
                            "",
                            "MP",
                            tags,
                        )
                    )
    elif pnr.push_stage is PushStage.EARLY:
        for p in pnr.passengers:
            for b in p.bags:
                out.append(seg("TRI", "", ("", "", "", p.pax_ref)))
                out.append(seg("TBD", "", (str(b.count), "", "700")))
    return out


def _pnr(pnr: Pnr, traffic: SynthTraffic, push: Push, previous: set[str]) -> list[str]:
    carrier = pnr.carrier
    key = (pnr.pnr_id, pnr.version)
    sens = {ref: items for (pid, ver, ref), items in _lookup(traffic, key, pnr).items()}
    out = [
        seg("SRC"),
        seg(
            "RCI",
            (
                carrier,
                pnr.record_locator,
                "",
                ddmmyy(pnr.created_at),
                pnr.created_at.strftime("%H%M%S"),
            ),
        ),
    ]
    last = max([h.occurred_at for h in pnr.history], default=pnr.created_at)
    out.append(seg("DAT", ("700", *_dt(last))))
    for _, _, text in _split_items(sens.get("", ())):
        out.append(seg("IFT", ("4", "28", "", carrier), esc(text)))
    city = (
        push.transport.origin.code if push.transport.outbound else push.transport.destination.code
    )
    a = pnr.agency
    if a is not None:
        out.append(
            seg(
                "ORG",
                (carrier, city),
                (a.iata_number, a.city),
                "",
                "",
                "T",
                (a.country, "EUR"),
                esc(a.agent_id),
                esc(a.name),
            )
        )
    else:
        out.append(seg("ORG", (carrier, city), "", "", "", "A", ("BE", "EUR")))
    for c in pnr.contacts:
        if c.kind is ContactKind.ADDRESS:
            street, _, rest = c.value.partition(", ")
            postcode, _, town = rest.partition(" ")
            out.append(
                seg("ADD", "", ("700", esc(street), esc(town), "", "", c.country, esc(postcode)))
            )
    infants: dict[str, list[Passenger]] = {}
    for p in pnr.passengers:
        if p.infant_of is not None:
            infants.setdefault(p.infant_of, []).append(p)
    for n, p in enumerate(pnr.passengers):
        out.extend(_traveller(pnr, p, n == 0, sens.get(p.pax_ref, ()), infants.get(p.pax_ref, [])))
    checkin = push.transport.departure_local - timedelta(minutes=55)
    for s in pnr.segments:
        anchor = (s.operating_number or s.transport_number) == push.transport.number and (
            s.origin == push.transport.origin.code
        )
        out.extend(_leg(pnr, s, anchor, sens, checkin))
    for sp in pnr.splits:
        kind = "SPF" if sp.kind is SplitKind.SPLIT_FROM else "DIV"
        out.append(seg("EQN", (str(sp.passenger_count), kind)))
        out.append(seg("RCI", (carrier, sp.related_locator)))
    for h in pnr.history:
        out.append(seg("ABI", "4", "", "", "", carrier))
        out.append(seg("DAT", ("ZT", *_dt(h.occurred_at))))
        out.append(seg("SAC", "", "", h.action.value))
        out.append(seg("IFT", ("4", "19"), esc(h.item), h.pax_ref))
    for ref, items in sorted(sens.items()):
        for kind, code, text in _split_items(items):
            if kind == "SSR" and f"{ref} {code}" not in previous and pnr.version > 1:
                out.append(seg("ABI", "4", "", "", "", carrier))
                out.append(seg("SAC", "", "", HistoryAction.ADDED.value))
                out.append(_ssr(code, carrier, ref, text))
    return out


def _lookup(
    traffic: SynthTraffic, key: tuple[str, int], pnr: Pnr
) -> dict[tuple[str, int, str], tuple[str, ...]]:
    refs = ["", *(p.pax_ref for p in pnr.passengers)]
    out = {}
    for ref in refs:
        items = traffic.sensitive.get((key[0], key[1], ref))
        if items:
            out[(key[0], key[1], ref)] = items
    return out


def pnrgov_message(traffic: SynthTraffic, push: Push) -> str:
    """The PNRGOV interchange of one push."""
    t = push.transport
    dep = push.departure_local
    body = [
        seg(
            "UNH",
            "1",
            ("PNRGOV", "13", "1", "IA"),
            f"{t.carrier}{t.number}/{ddmmyy(dep)}/{hhmm(dep)}",
        ),
        seg("MSG", ("", "22")),
        seg("ORG", (t.carrier, t.origin.code if t.outbound else t.destination.code)),
        seg(
            "TVL",
            (ddmmyy(dep), hhmm(dep), ddmmyy(push.arrival_local), hhmm(push.arrival_local)),
            t.origin.code,
            t.destination.code,
            t.carrier,
            t.number,
        ),
        seg("EQN", str(push.count)),
    ]
    for pnr in traffic.pnrs[push.first : push.first + push.count]:
        previous: set[str] = set()
        if pnr.version > 1:
            for ref in ["", *(p.pax_ref for p in pnr.passengers)]:
                for item in traffic.sensitive.get((pnr.pnr_id, pnr.version - 1, ref), ()):
                    previous.add(f"{ref} {item.split(' ')[1] if item.startswith('SSR') else ''}")
        body.extend(_pnr(pnr, traffic, push, previous))
    return interchange(
        syntax=("IATA", "1"),
        sender=t.carrier,
        recipient=RECIPIENT,
        prepared=push.received_at.replace(tzinfo=None),
        control=push.message_id,
        group=None,
        messages=[body],
    )
