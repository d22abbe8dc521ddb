"""Journey features: the store's PNR tables in, one row per traveller-journey out.

:func:`journey_features` takes the frames of the passenger database (all versions of the PNRs
concerned, keyed by table name, with the store's columns) and computes, for every traveller of
the latest version of each PNR, every stored field of the catalogue (:mod:`.catalogue`). It is a
pure function (R-PRE-01: no database), vectorised with merges and group-bys.

Missing data never become a value: a table that is absent gives empty (NaN) features; a table
that is present but holds nothing for a traveller gives 0 / False where that is the truth (no
bag row means no checked bag). Sets (``set_of_text`` fields) are stored as ``|A|B|`` text,
sorted, so that ``contains`` is a vectorised substring test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from piu_lab.criteria.catalogue import stored_fields

__all__ = ["FEATURE_COLUMNS", "KEY_COLUMNS", "journey_features"]

#: identifying columns in front of the features
KEY_COLUMNS: tuple[str, ...] = ("traveller_id", "pnr_id", "version", "pax_ref", "departure_utc")
#: every column of :func:`journey_features`, in order
FEATURE_COLUMNS: tuple[str, ...] = KEY_COLUMNS + stored_fields()

_HOUR = pd.Timedelta(hours=1)
_CONNECTION_HOURS = 24.0

_COLUMNS: dict[str, tuple[str, ...]] = {
    "pnr": ("pnr_id", "created_at", "latest_version"),
    "pnr_version": (
        "pnr_id",
        "version",
        "created_at",
        "party_size",
        "agency_iata_number",
        "agency_country",
    ),
    "passenger": ("pnr_id", "version", "pax_ref", "pax_no", "passenger_type", "travel_status"),
    "segment": (
        "pnr_id",
        "version",
        "seg_no",
        "sector",
        "carrier",
        "transport_number",
        "origin",
        "destination",
        "origin_country",
        "destination_country",
        "departure_utc",
        "arrival_utc",
        "operating_carrier",
    ),
    "ticket": ("pnr_id", "version", "pax_ref", "issued_on", "one_way"),
    "bag": ("pnr_id", "version", "pax_ref", "piece_count", "weight_kg"),
    "payment": ("pnr_id", "version", "item_no", "form", "card_holder"),
    "contact": ("pnr_id", "version", "pax_ref"),
    "frequent_flyer": ("pnr_id", "version", "pax_ref"),
    "travel_document": (
        "pnr_id",
        "version",
        "pax_ref",
        "doc_no",
        "doc_type",
        "issuing_country",
        "expiry_date",
        "nationality",
        "date_of_birth",
        "gender",
    ),
}


def _frame(tables: Mapping[str, pd.DataFrame], name: str) -> tuple[pd.DataFrame, bool]:
    """The frame ``name`` with at least the columns used here, and whether it was given."""
    given = tables.get(name)
    columns = list(_COLUMNS[name])
    if given is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), False
    frame = given.copy()
    for column in columns:
        if column not in frame.columns:
            frame[column] = np.nan
    if "pnr_id" in frame.columns:
        frame["pnr_id"] = frame["pnr_id"].astype(object)
    if "pax_ref" in frame.columns:
        frame["pax_ref"] = frame["pax_ref"].astype(object)
    if "version" in frame.columns:
        frame["version"] = pd.to_numeric(frame["version"], errors="coerce")
    return frame, True


def _utc(series: pd.Series) -> pd.Series:
    """A datetime series in UTC (naive values are taken to be UTC already)."""
    values = pd.to_datetime(series, errors="coerce")
    if getattr(values.dt, "tz", None) is None:
        return values.dt.tz_localize("UTC")
    return values.dt.tz_convert("UTC")


def _text(series: pd.Series) -> pd.Series:
    """Text with "" as missing (the store keeps "" for an empty model default)."""
    out = series.astype(object)
    return out.where(out.notna() & (out.astype(str).str.strip() != ""), np.nan)


def _span(later: pd.Series, earlier: pd.Series, unit: pd.Timedelta) -> np.ndarray[Any, Any]:
    """``later - earlier`` in ``unit`` (both UTC datetimes, aligned by position)."""
    a = _utc(later.reset_index(drop=True))
    b = _utc(earlier.reset_index(drop=True))
    span: np.ndarray[Any, Any] = ((a - b) / unit).astype(float).to_numpy()  # type: ignore[operator]
    return span


def _latest_versions(
    pnr: pd.DataFrame, versions: pd.DataFrame, passengers: pd.DataFrame
) -> pd.DataFrame:
    """(pnr_id, version) of the latest version of each PNR."""
    if len(pnr) and pnr["latest_version"].notna().any():
        latest = pnr[["pnr_id", "latest_version"]].rename(columns={"latest_version": "version"})
        return latest.dropna().drop_duplicates("pnr_id")
    source = versions if len(versions) else passengers
    result: pd.DataFrame = source.groupby("pnr_id", as_index=False)[["version"]].max()
    return result


def _at_latest(frame: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(latest, on=["pnr_id", "version"], how="inner")


def _set_text(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Per ``key``: the sorted distinct values of ``column`` as ``|A|B|`` text."""
    pairs = frame[[key, column]].dropna().drop_duplicates().sort_values([key, column])
    if pairs.empty:
        return pd.Series(dtype=object)
    joined = ("|" + pairs[column].astype(str)).groupby(pairs[key]).sum()
    return (joined + "|").astype(object)


def _segments(seg: pd.DataFrame) -> pd.DataFrame:
    """Per PNR (latest version): itinerary features and the first departure."""
    seg = seg.sort_values(["pnr_id", "seg_no"]).reset_index(drop=True)
    seg["departure_utc"] = _utc(seg["departure_utc"])
    seg["arrival_utc"] = _utc(seg["arrival_utc"])
    for column in ("origin", "destination", "origin_country", "destination_country"):
        seg[column] = _text(seg[column])
    grouped = seg.groupby("pnr_id", sort=False)
    gap = (grouped["departure_utc"].shift(-1) - seg["arrival_utc"]) / _HOUR  # type: ignore[operator]
    seg["gap"] = gap
    seg["connection"] = gap.notna() & (gap <= _CONNECTION_HOURS)
    seg["stay"] = gap.notna() & (gap > _CONNECTION_HOURS)
    seg["last"] = grouped.cumcount(ascending=False) == 0
    stays_before = seg.groupby("pnr_id", sort=False)["stay"].cumsum() - seg["stay"]
    turn = seg[(stays_before == 0) & (seg["stay"] | seg["last"])].drop_duplicates("pnr_id")
    first = seg.drop_duplicates("pnr_id").set_index("pnr_id")
    last = seg[seg["last"]].drop_duplicates("pnr_id").set_index("pnr_id")
    turn = turn.set_index("pnr_id")
    out = pd.DataFrame(index=first.index)
    out["departure_utc"] = first["departure_utc"]
    out["origin"] = first["origin"]
    out["origin_country"] = first["origin_country"]
    out["destination"] = turn["destination"]
    out["destination_country"] = turn["destination_country"]
    out["route"] = out["origin"] + "-" + out["destination"]
    out["sector"] = _text(first["sector"])
    out["carrier"] = _text(first["carrier"])
    out["transport_number"] = out["carrier"] + _text(first["transport_number"])
    out["segment_count"] = grouped.size().astype(float)
    connections = seg[seg["connection"]]
    by_conn = connections.groupby("pnr_id")["gap"]
    out["transit_count"] = by_conn.size().reindex(out.index).fillna(0).astype(float)
    out["transit_points"] = _set_text(connections, "pnr_id", "destination")
    out["min_dwell_hours"] = by_conn.min()
    out["max_dwell_hours"] = by_conn.max()
    leg = (seg["arrival_utc"] - seg["departure_utc"]) / _HOUR  # type: ignore[operator]
    out["max_leg_hours"] = leg.groupby(seg["pnr_id"]).max()
    places = pd.concat(
        [
            seg[["pnr_id", "origin_country"]].rename(columns={"origin_country": "c"}),
            seg[["pnr_id", "destination_country"]].rename(columns={"destination_country": "c"}),
        ]
    )
    out["countries_visited"] = _set_text(places, "pnr_id", "c")
    has_stay = seg.groupby("pnr_id")["stay"].any()
    back = last["destination_country"] == first["origin_country"]
    out["round_trip"] = (has_stay & back.reindex(has_stay.index).fillna(False)).astype(bool)
    stay_gap = turn["gap"].where(turn["stay"])
    out["stay_days"] = stay_gap / 24.0
    operating = _text(seg["operating_carrier"])
    shared = operating.notna() & (operating != seg["carrier"])
    out["codeshare"] = shared.groupby(seg["pnr_id"]).any().astype(bool)
    return out


def _itinerary_changes(segments: pd.DataFrame) -> pd.DataFrame:
    """Per PNR: segments added or removed between successive versions, and the versions."""
    seg = segments[["pnr_id", "version"]].copy()
    seg["key"] = (
        segments["carrier"].astype(str)
        + "|"
        + segments["transport_number"].astype(str)
        + "|"
        + segments["origin"].astype(str)
        + "|"
        + segments["destination"].astype(str)
        + "|"
        + _utc(segments["departure_utc"]).astype(str)
    )
    seg = seg.drop_duplicates()
    versions = seg[["pnr_id", "version"]].drop_duplicates().sort_values(["pnr_id", "version"])
    versions["next"] = versions.groupby("pnr_id")["version"].shift(-1)
    counts = versions.groupby("pnr_id").size().rename("version_count").astype(float)
    moved = seg.merge(versions.dropna(subset=["next"]), on=["pnr_id", "version"])
    moved = moved.drop(columns="version").rename(columns={"next": "version"})
    has_prev = versions.dropna(subset=["next"])[["pnr_id", "next"]].rename(
        columns={"next": "version"}
    )
    current = seg.merge(has_prev, on=["pnr_id", "version"])
    diff = current.merge(moved, on=["pnr_id", "version", "key"], how="outer", indicator=True)
    changed = diff[diff["_merge"] != "both"].groupby("pnr_id").size()
    out = counts.to_frame()
    out["itinerary_changes"] = changed.reindex(out.index).fillna(0).astype(float)
    return out


def _payer_is_traveller(payment: pd.DataFrame, passengers: pd.DataFrame) -> pd.Series:
    """Per PNR: the card holder shares a name word with a traveller (NaN without a holder)."""
    holders = payment[["pnr_id", "card_holder"]].copy()
    holders["card_holder"] = _text(holders["card_holder"])
    holders = holders.dropna()
    if holders.empty:
        return pd.Series(dtype="boolean")
    words = holders.assign(word=holders["card_holder"].str.upper().str.split()).explode("word")
    names = passengers[["pnr_id", "surname", "given_names"]].copy()
    names["word"] = (
        (
            names["surname"].fillna("").astype(str)
            + " "
            + names["given_names"].fillna("").astype(str)
        )
        .str.upper()
        .str.split()
    )
    names = names[["pnr_id", "word"]].explode("word").dropna().drop_duplicates()
    hit = words[["pnr_id", "word"]].merge(names, on=["pnr_id", "word"])["pnr_id"].unique()
    result = pd.Series(False, index=pd.Index(holders["pnr_id"].unique(), name="pnr_id"))
    result[result.index.isin(hit)] = True
    return result.astype("boolean")


def _booked_departure(segments: pd.DataFrame, created: pd.DataFrame) -> pd.Series:
    """Per PNR: the first departure at or after the PNR was created (the journey the booking
    prepares; segments flown before the booking, kept by some carriers, do not count)."""
    seg = segments[["pnr_id", "departure_utc"]].copy()
    seg["departure_utc"] = _utc(seg["departure_utc"])
    seg = seg.merge(created[["pnr_id", "created_at"]], on="pnr_id", how="left")
    later = seg[seg["created_at"].isna() | (seg["departure_utc"] >= seg["created_at"])]
    return later.groupby("pnr_id")["departure_utc"].min()


def _age(dob: pd.Series, departure: pd.Series) -> pd.Series:
    """Whole years at the first departure."""
    birth = pd.to_datetime(dob, errors="coerce")
    dep = departure.dt.tz_convert("UTC").dt.tz_localize(None)
    years = dep.dt.year - birth.dt.year
    before = (dep.dt.month < birth.dt.month) | (
        (dep.dt.month == birth.dt.month) & (dep.dt.day < birth.dt.day)
    )
    age: pd.Series = (years - before.astype(float)).astype(float)
    return age.where(birth.notna() & dep.notna())


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FEATURE_COLUMNS})


def journey_features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per traveller of the latest version of each PNR, with every stored catalogue
    field (columns :data:`FEATURE_COLUMNS`; ``traveller_id`` is ``"{pnr_id}/{pax_ref}"``).

    ``tables`` maps store table names (``pnr``, ``pnr_version``, ``passenger``, ``segment``,
    ``ticket``, ``bag``, ``payment``, ``contact``, ``frequent_flyer``, ``travel_document``) to
    frames with the store's columns, holding all versions of the PNRs concerned. Absent tables
    give NaN features; the function never reads the database (R-PRE-01).
    """
    pnr, _ = _frame(tables, "pnr")
    versions, _ = _frame(tables, "pnr_version")
    passengers, _ = _frame(tables, "passenger")
    if passengers.empty:
        return _empty()
    for column in ("surname", "given_names"):
        if column not in passengers.columns:
            passengers[column] = np.nan
    latest = _latest_versions(pnr, versions, passengers)
    pax = _at_latest(passengers, latest).sort_values(["pnr_id", "pax_no", "pax_ref"])
    out = pax[["pnr_id", "version", "pax_ref"]].reset_index(drop=True)
    out.insert(0, "traveller_id", out["pnr_id"].astype(str) + "/" + out["pax_ref"].astype(str))
    out["passenger_type"] = _text(pax["passenger_type"].reset_index(drop=True))
    out["travel_status"] = _text(pax["travel_status"].reset_index(drop=True))

    segments, _ = _frame(tables, "segment")
    per_pnr = _segments(_at_latest(segments, latest)) if len(segments) else None
    if per_pnr is not None:
        per_pnr = per_pnr.join(_itinerary_changes(segments), how="left")
        out = out.merge(per_pnr, left_on="pnr_id", right_index=True, how="left")
    else:
        out["departure_utc"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[us, UTC]")
    departure = out["departure_utc"]

    created = pnr[["pnr_id", "created_at"]].dropna().drop_duplicates("pnr_id")
    created = (
        _at_latest(versions, latest)[["pnr_id", "created_at"]]
        .dropna()
        .merge(created, on="pnr_id", how="outer", suffixes=("", "_pnr"))
    )
    created["created_at"] = _utc(created["created_at"]).fillna(_utc(created["created_at_pnr"]))
    at = out[["pnr_id"]].merge(created[["pnr_id", "created_at"]], on="pnr_id", how="left")
    if len(segments):
        booked = _booked_departure(_at_latest(segments, latest), created)
        departure = out["pnr_id"].map(booked).fillna(departure)
        out["departure_utc"] = departure
    out["booking_lead_hours"] = _span(departure, at["created_at"], _HOUR)

    version_rows = _at_latest(versions, latest).drop_duplicates("pnr_id").set_index("pnr_id")
    keyed = out["pnr_id"]
    agency = _text(version_rows["agency_iata_number"])
    out["travel_agency_iata"] = keyed.map(agency).to_numpy()
    out["agency_country"] = keyed.map(_text(version_rows["agency_country"])).to_numpy()
    out["booked_via_agency"] = keyed.map(agency.notna()).astype("boolean").to_numpy()
    out["group_size"] = keyed.map(version_rows["party_size"]).astype(float).to_numpy()
    out["travellers_on_pnr"] = keyed.map(pax.groupby("pnr_id").size()).astype(float).to_numpy()

    payment, _ = _frame(tables, "payment")
    pay = _at_latest(payment, latest).sort_values(["pnr_id", "item_no"])
    pay = pay.drop_duplicates("pnr_id").set_index("pnr_id")
    out["payment_form"] = keyed.map(_text(pay["form"])).to_numpy()
    payer = _payer_is_traveller(pay.reset_index(), pax)
    out["payer_is_traveller"] = keyed.map(payer).astype("boolean").array

    pax_key = ["pnr_id", "pax_ref"]
    out = _traveller_items(tables, latest, out, pax_key, departure)
    out["version"] = out["version"].astype("int64")
    for name in FEATURE_COLUMNS:
        if name not in out.columns:
            out[name] = np.nan
    return out[list(FEATURE_COLUMNS)].reset_index(drop=True)


def _traveller_items(
    tables: Mapping[str, pd.DataFrame],
    latest: pd.DataFrame,
    out: pd.DataFrame,
    key: list[str],
    departure: pd.Series,
) -> pd.DataFrame:
    """Ticket, bag, frequent-flyer, contact and travel-document features per traveller."""

    def per_pax(name: str) -> tuple[pd.DataFrame, bool]:
        frame, given = _frame(tables, name)
        return _at_latest(frame, latest), given

    def lookup(values: pd.Series | pd.DataFrame) -> pd.DataFrame:
        return out[key].merge(values, left_on=key, right_index=True, how="left")

    ticket, _ = per_pax("ticket")
    ticket["issued_on"] = _utc(ticket["issued_on"])
    ticket["one_way"] = ticket["one_way"].astype("boolean").fillna(False).astype(bool)
    tickets = ticket.groupby(key).agg(one_way=("one_way", "any"), issued_on=("issued_on", "max"))
    t = lookup(tickets)
    out["one_way"] = t["one_way"].astype("boolean").to_numpy()
    out["ticket_issue_lead_hours"] = _span(departure, t["issued_on"], _HOUR)

    bags, bags_given = per_pax("bag")
    summed = bags.groupby(key).agg(
        bag_count=("piece_count", "sum"), total_bag_weight_kg=("weight_kg", "sum")
    )
    b = lookup(summed)
    fill: Any = 0.0 if bags_given else np.nan
    out["bag_count"] = b["bag_count"].astype(float).fillna(fill).to_numpy()
    out["total_bag_weight_kg"] = b["total_bag_weight_kg"].astype(float).fillna(fill).to_numpy()

    ff, ff_given = per_pax("frequent_flyer")
    has_ff = ff.groupby(key).size().gt(0).rename("ff")
    flag = lookup(has_ff)["ff"].astype("boolean")
    out["frequent_flyer"] = (flag.fillna(False) if ff_given else flag).to_numpy()

    contact, contact_given = per_pax("contact")
    pax_ref = _text(contact["pax_ref"])
    whole = contact[pax_ref.isna()].groupby("pnr_id").size()
    own = contact[pax_ref.notna()].groupby(key).size().rename("own")
    count = lookup(own)["own"].fillna(0).to_numpy() + out["pnr_id"].map(whole).fillna(0)
    out["contact_count"] = count.astype(float) if contact_given else np.nan

    docs, _ = per_pax("travel_document")
    docs = docs.sort_values([*key, "doc_no"]).drop_duplicates(key).set_index(key)
    d = lookup(docs)
    out["document_type"] = _text(d["doc_type"]).to_numpy()
    out["nationality"] = _text(d["nationality"]).to_numpy()
    out["document_issuing_country"] = _text(d["issuing_country"]).to_numpy()
    out["gender"] = _text(d["gender"]).to_numpy()
    out["document_expiry_days"] = _span(d["expiry_date"], departure, pd.Timedelta(days=1))
    out["age"] = _age(
        d["date_of_birth"].reset_index(drop=True), _utc(departure.reset_index(drop=True))
    ).to_numpy()
    return out
