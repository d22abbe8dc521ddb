"""Model records to pandas frames, one frame per table (pure: no I/O).

Every frame has exactly the columns of its table (:mod:`piu_lab.store.schema`), in table order,
and the same dtypes the store's reads return (:func:`coerce`):

=================  ==========================================================================
column type        frame dtype
=================  ==========================================================================
text, enum         ``str`` (missing: NaN)
integer            ``int64``; ``Int64`` when the column is nullable
float, numeric     ``float64``
boolean            ``bool``
``*_utc``/``*_at`` ``datetime64[us, UTC]``
``*_local``        ``datetime64[us]`` (wall-clock time at the place)
date               ``datetime64[us]`` (midnight)
=================  ==========================================================================

A PNR push is keyed by ``(pnr_id, version)``; lists inside it get ordinals from 1 (``pax_no``
keeps the passengers' order, ``doc_no`` per passenger, ``item_no`` per passenger or per PNR,
contacts numbered across the PNR).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, Numeric, Table

from piu_lab.clock import ensure_utc
from piu_lab.model import ApiManifest, Carrier, Contact, Passenger, Pnr, TravelDocument
from piu_lab.store import schema
from piu_lab.store.schema import is_utc

__all__ = [
    "carriers_to_frame",
    "coerce",
    "coerce_series",
    "empty_frame",
    "manifest_id",
    "manifests_to_frames",
    "naive_utc",
    "pnrs_to_frames",
]

Row = tuple[Any, ...]


def naive_utc(moment: datetime) -> datetime:
    """``moment`` in UTC without its zone: how the store keeps ``*_utc`` / ``*_at`` values."""
    return ensure_utc(moment).replace(tzinfo=None)


def coerce_series(series: pd.Series, column: Column[Any]) -> pd.Series:
    """``series`` cast to the frame dtype of ``column`` (the table above)."""
    kind = column.type
    if isinstance(kind, DateTime):
        utc = is_utc(column)
        if not pd.api.types.is_datetime64_any_dtype(series.dtype):
            series = pd.to_datetime(series, utc=utc, format="ISO8601")
        elif utc and getattr(series.dtype, "tz", None) is None:
            series = series.dt.tz_localize("UTC")
        elif utc:
            series = series.dt.tz_convert("UTC")
        out: pd.Series = series.dt.as_unit("us")
        return out
    if isinstance(kind, Date):
        if not pd.api.types.is_datetime64_any_dtype(series.dtype):
            series = pd.to_datetime(series, format="ISO8601")
        day: pd.Series = series.dt.as_unit("us")
        return day
    if isinstance(kind, Boolean):
        return series.astype(bool)
    if isinstance(kind, Integer):
        return series.astype("Int64" if column.nullable else "int64")
    if isinstance(kind, Float | Numeric):
        return series.astype("float64")
    return series.astype("str")


def coerce(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column of ``table`` it holds cast to the store's dtype (see above).

    Columns the table does not know are left as they are.
    """
    for column in table.columns:
        if column.name in frame.columns:
            frame[column.name] = coerce_series(frame[column.name], column)
    return frame


def _frame(table: Table, rows: Sequence[Row]) -> pd.DataFrame:
    columns = [c.name for c in table.columns]
    return coerce(table, pd.DataFrame.from_records(list(rows), columns=columns))


def empty_frame(table: Table) -> pd.DataFrame:
    """A frame with no rows and the columns and dtypes of ``table``."""
    return _frame(table, [])


def _document_row(doc: TravelDocument) -> Row:
    return (
        doc.doc_type.value,
        doc.number,
        doc.issuing_country,
        doc.expiry_date,
        doc.nationality,
        doc.date_of_birth,
        doc.gender.value,
        doc.surname,
        doc.given_names,
    )


def _passenger_rows(key: Row, pax_no: int, pax: Passenger, out: dict[str, list[Row]]) -> None:
    ref = (*key, pax.pax_ref)
    out["passenger"].append(
        (
            *ref,
            pax_no,
            pax.surname,
            pax.given_names,
            pax.title,
            pax.passenger_type.value,
            pax.travel_status.value,
            pax.infant_of,
        )
    )
    if pax.minor is not None:
        m = pax.minor
        out["minor"].append(
            (
                *ref,
                m.age,
                ",".join(m.languages),
                m.departure_guardian_name,
                m.departure_guardian_contact,
                m.departure_guardian_relation,
                m.arrival_guardian_name,
                m.arrival_guardian_contact,
                m.arrival_guardian_relation,
                m.departure_agent,
                m.arrival_agent,
            )
        )
    for n, doc in enumerate(pax.documents, 1):
        out["travel_document"].append((*ref, n, *_document_row(doc)))
    for n, t in enumerate(pax.tickets, 1):
        out["ticket"].append(
            (*ref, n, t.number, t.issued_on, t.one_way, t.fare_basis, t.total_amount, t.currency)
        )
    for n, s in enumerate(pax.seats, 1):
        out["seat"].append((*ref, n, s.seg_no, s.seat_number, s.cabin))
    for n, b in enumerate(pax.bags, 1):
        tags = ",".join(b.tag_numbers)
        out["bag"].append((*ref, n, b.seg_no, b.count, b.weight_kg, tags, b.final_destination))
    for n, f in enumerate(pax.frequent_flyers, 1):
        out["frequent_flyer"].append((*ref, n, f.airline, f.number, f.tier))


def _version_rows(p: Pnr, out: dict[str, list[Row]]) -> None:
    key: Row = (p.pnr_id, p.version)
    a = p.agency
    agency = (None,) * 5 if a is None else (a.iata_number, a.name, a.city, a.country, a.agent_id)
    out["pnr_version"].append(
        (*key, p.push_stage.value, p.created_at, p.received_at, p.message_id, p.party_size, *agency)
    )
    for pax_no, pax in enumerate(p.passengers, 1):
        _passenger_rows(key, pax_no, pax, out)
    for s in p.segments:
        out["segment"].append(
            (
                *key,
                s.seg_no,
                s.sector.value,
                s.carrier,
                s.transport_number,
                s.origin,
                s.destination,
                s.origin_kind.value,
                s.destination_kind.value,
                s.origin_country,
                s.destination_country,
                s.departure_local,
                s.arrival_local,
                s.departure_utc,
                s.arrival_utc,
                s.booking_class,
                s.status,
                s.operating_carrier,
                s.operating_number,
                s.equipment,
            )
        )
    contacts: list[tuple[str | None, Contact]] = [(None, c) for c in p.contacts]
    contacts += [(pax.pax_ref, c) for pax in p.passengers for c in pax.contacts]
    for n, (ref, c) in enumerate(contacts, 1):
        out["contact"].append((*key, n, ref, c.kind.value, c.value, c.country))
    for n, pay in enumerate(p.payments, 1):
        out["payment"].append(
            (
                *key,
                n,
                pay.form.value,
                pay.amount,
                pay.currency,
                pay.card_type,
                pay.card_masked,
                pay.card_holder,
                pay.billing_address,
            )
        )
    for n, sp in enumerate(p.splits, 1):
        out["split_info"].append((*key, n, sp.related_locator, sp.kind.value, sp.passenger_count))
    for n, h in enumerate(p.history, 1):
        out["history"].append(
            (*key, n, h.occurred_at, h.action.value, int(h.heading), h.item, h.pax_ref)
        )


def pnrs_to_frames(pnrs: Sequence[Pnr]) -> dict[str, pd.DataFrame]:
    """One frame per PNR table (``schema.PNR_TABLES`` order) for these PNR versions.

    The ``pnr`` frame has one row per ``pnr_id``: its latest version in ``pnrs`` (highest
    ``version``), the earliest ``received_at`` as ``first_received_at``. The store merges it
    with what the database already holds (R-DATA-04: every push is a version, history kept).
    """
    out: dict[str, list[Row]] = {t.name: [] for t in schema.PNR_TABLES}
    first: dict[str, datetime] = {}
    latest: dict[str, Pnr] = {}
    for p in pnrs:
        pid = p.pnr_id
        received = ensure_utc(p.received_at)
        if pid not in first or received < first[pid]:
            first[pid] = received
        if pid not in latest or p.version > latest[pid].version:
            latest[pid] = p
        _version_rows(p, out)
    out["pnr"] = [
        (
            pid,
            p.carrier,
            p.record_locator,
            p.sector.value,
            p.carrier_type.value,
            p.created_at,
            first[pid],
            p.version,
            p.received_at,
            None,  # masked_at: set by the lifecycle at six months
        )
        for pid, p in latest.items()
    ]
    return {t.name: _frame(t, out[t.name]) for t in schema.PNR_TABLES}


def manifest_id(manifest: ApiManifest) -> str:
    """The key of a manifest: its message id, else a digest of what identifies the transport."""
    if manifest.message_id:
        return manifest.message_id
    legs = ";".join(
        f"{leg.departure_port}>{leg.arrival_port}@{leg.departure_local}" for leg in manifest.legs
    )
    ident = "|".join(
        (
            manifest.carrier,
            manifest.transport_number,
            naive_utc(manifest.received_at).isoformat(),
            legs,
            str(len(manifest.persons)),
        )
    )
    return "API:" + hashlib.sha256(ident.encode()).hexdigest()[:32]


def manifests_to_frames(manifests: Sequence[ApiManifest]) -> dict[str, pd.DataFrame]:
    """One frame per API table (``api_manifest``, ``api_leg``, ``api_person``, ``api_document``).

    Only the items of Annex I heading 18 and Directive 2004/82 art. 3(2) exist here (R-DATA-03).
    """
    out: dict[str, list[Row]] = {t.name: [] for t in schema.API_TABLES}
    for m in manifests:
        mid = manifest_id(m)
        out["api_manifest"].append(
            (
                mid,
                m.carrier,
                m.transport_number,
                m.sector.value,
                m.received_at,
                m.total_count,
                m.initial_embarkation,
                m.transport_code,
                m.message_id,
                None,  # masked_at
            )
        )
        for n, leg in enumerate(m.legs, 1):
            out["api_leg"].append(
                (
                    mid,
                    n,
                    leg.carrier,
                    leg.transport_number,
                    leg.departure_port,
                    leg.arrival_port,
                    leg.departure_local,
                    leg.arrival_local,
                )
            )
        for n, person in enumerate(m.persons, 1):
            out["api_person"].append(
                (
                    mid,
                    n,
                    person.role.value,
                    person.surname,
                    person.given_names,
                    person.gender.value,
                    person.date_of_birth,
                    person.nationality,
                    person.embarkation,
                    person.debarkation,
                    person.border_crossing_point,
                    person.record_locator,
                )
            )
            for d, doc in enumerate(person.documents, 1):
                out["api_document"].append((mid, n, d, *_document_row(doc)))
    return {t.name: _frame(t, out[t.name]) for t in schema.API_TABLES}


def carriers_to_frame(carriers: Iterable[Carrier]) -> pd.DataFrame:
    """The ``carrier`` frame (reference data; no passenger data)."""
    rows = [(c.code, c.name, c.sector.value, c.carrier_type.value, c.country) for c in carriers]
    return _frame(schema.carrier, rows)
