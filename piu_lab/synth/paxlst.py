"""PAXLST D05B (UN/EDIFACT, WCO/IATA/ICAO API guidelines): one interchange per manifest.

``UNA UNB UNG`` then a passenger message (``BGM+745``) and, when crew are listed, a crew
message (``BGM+250``), each::

    UNH BGM NAD+MS COM TDT LOC+125 DTM+189 LOC+87 DTM+232
      per person: NAD+FL|FM ATT DTM+329 LOC+22 LOC+178 LOC+179 NAT [RFF+AVF]
                  [DOC DTM+36 LOC+91]
    CNT+42|41 UNT

then ``UNE UNZ``.
"""

from __future__ import annotations

from datetime import datetime

from piu_lab.model import ApiManifest, ApiPerson, PassengerRole
from piu_lab.synth.edifact import esc, interchange, seg, yymmdd
from piu_lab.synth.pnrgov import RECIPIENT

__all__ = ["paxlst_message"]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%y%m%d%H%M")


def _person(p: ApiPerson) -> list[str]:
    given = p.given_names.split(" ", 1)
    out = [
        seg(
            "NAD",
            "FL" if p.role is PassengerRole.PASSENGER else "FM",
            "",
            "",
            (esc(p.surname), *(esc(g) for g in given)),
        ),
        seg("ATT", "2", "", p.gender.value),
    ]
    if p.date_of_birth is not None:
        out.append(seg("DTM", ("329", yymmdd(p.date_of_birth))))
    if p.border_crossing_point:
        out.append(seg("LOC", "22", p.border_crossing_point))
    out.append(seg("LOC", "178", p.embarkation))
    out.append(seg("LOC", "179", p.debarkation))
    if p.nationality:
        out.append(seg("NAT", "2", p.nationality))
    if p.record_locator:
        out.append(seg("RFF", ("AVF", p.record_locator)))
    for d in p.documents:
        out.append(seg("DOC", (d.doc_type.value, "110", "111"), esc(d.number)))
        if d.expiry_date is not None:
            out.append(seg("DTM", ("36", yymmdd(d.expiry_date))))
        out.append(seg("LOC", "91", d.issuing_country))
    return out


def _message(m: ApiManifest, role: PassengerRole, reference: str, name: str) -> list[str]:
    leg = m.legs[0]
    persons = [p for p in m.persons if p.role is role]
    dep = leg.departure_local or m.received_at
    arr = leg.arrival_local or m.received_at
    body = [
        seg(
            "UNH",
            reference,
            ("PAXLST", "D", "05B", "UN", "IATA"),
            f"{m.carrier}{m.transport_number}/{yymmdd(dep)}/{dep.strftime('%H%M')}",
        ),
        seg("BGM", "745" if role is PassengerRole.PASSENGER else "250"),
        seg("NAD", "MS", "", "", esc(f"{name.replace('&', ' AND ')} API DESK")),
        seg("COM", ("3227530000", "TE")),
        seg("TDT", "20", f"{m.carrier}{m.transport_number}", "", "", m.carrier),
        seg("LOC", "125", leg.departure_port),
        seg("DTM", ("189", _stamp(dep), "201")),
        seg("LOC", "87", leg.arrival_port),
        seg("DTM", ("232", _stamp(arr), "201")),
    ]
    for p in persons:
        body.extend(_person(p))
    body.append(seg("CNT", ("42" if role is PassengerRole.PASSENGER else "41", str(len(persons)))))
    return body


def paxlst_message(m: ApiManifest, carrier_name: str) -> str:
    """The PAXLST interchange of one manifest (passengers, then crew when listed)."""
    messages = [_message(m, PassengerRole.PASSENGER, f"{m.message_id}P", carrier_name)]
    if any(p.role is PassengerRole.CREW for p in m.persons):
        messages.append(_message(m, PassengerRole.CREW, f"{m.message_id}C", carrier_name))
    return interchange(
        syntax=("UNOA", "4"),
        sender=m.carrier,
        recipient=RECIPIENT,
        prepared=m.received_at.replace(tzinfo=None),
        control=m.message_id,
        group=("PAXLST", "UN", ("D", "05B")),
        messages=messages,
        application="PAXLST",
    )
