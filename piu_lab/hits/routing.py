"""From matches to routed hits: one row per (passenger-journey, source, service), pure.

A watchlist match concerns every service the list is shared with (a common database: all of
them, R-PRE-06); a criterion hit the criterion's owner services. Each such row is a hit with a
stable identifier: the same passenger on the same PNR matched by the same entry for the same
service is the same hit, however often the screening runs (idempotent reruns). Hits are grouped
per passenger-journey (``group_key`` = ``pnr_id/pax_ref``): single (one service), multiple
(several services) or common (a common database or a criterion shared by services)
(LAW art. 24; AR art. 1 4°-5°, art. 8; R-PRE-04..06).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt
import pandas as pd

from piu_lab.hits.registry import WatchlistInfo
from piu_lab.matching.evidence import DobOutcome, DocOutcome
from piu_lab.model.hits import HitKind, SourceKind

__all__ = [
    "DEADLINE",
    "HIT_COLUMNS",
    "HIT_RULE",
    "OUTCOME_LABEL",
    "HitRule",
    "group_kinds",
    "hit_ids",
    "person_keys",
    "route_criteria_hits",
    "route_watchlist_hits",
]

#: R-PRE-03 (LAW art. 24 §4; AR art. 8): a decision within 24 hours of the notification.
DEADLINE = timedelta(hours=24)
#: R-PRE-09 (DIR art. 6(9)): what a hit asks for, never "deny boarding".
OUTCOME_LABEL = "for further examination"


@dataclass(frozen=True, slots=True)
class HitRule:
    """When a watchlist match is put before a reviewer (``hit-rule@1``; R-PRE-02, R-CRIT-04).

    ``matching.screen`` returns every pair whose score reaches its threshold, explained. A
    name is weak evidence on its own: on a synthetic Belgian day, matches whose date of birth
    could not be compared were 94 % of all matches and almost all false. The rule keeps:

    * matches confirmed by the same date of birth (or day and month swapped) or the same
      document number, at the screening threshold;
    * matches on a partial date (year, or year and month) at ``partial_name`` or more;
    * matches with nothing to compare (no date of birth or document on one side) only when
      the name is near-exact: ``name_only`` or more;

    and drops matches the date of birth contradicts (another day, another year) unless the
    document agrees. The dropped matches are counted in the run's summary, never hidden.
    """

    partial_name: float = 0.85
    name_only: float = 0.97
    version: str = "hit-rule@1"

    def keep(self, matches: pd.DataFrame) -> npt.NDArray[np.bool_]:
        """Which matches (``screen`` results) become hits."""
        if matches.empty:
            return np.zeros(0, dtype=bool)
        dob = matches["dob_outcome"].to_numpy()
        doc = matches["document_outcome"].to_numpy()
        name = matches["name_score"].to_numpy(dtype=float)
        confirmed = np.isin(dob, _CONFIRMED) | (doc == _DOC_SAME)
        partial = (dob == _PARTIAL) & (name >= self.partial_name)
        nothing = (dob == _UNKNOWN) & (doc == _UNKNOWN) & (name >= self.name_only)
        return np.asarray(confirmed | partial | nothing, dtype=bool)


#: The rule a run applies unless told otherwise.
HIT_RULE = HitRule()
_UNKNOWN = int(DobOutcome.UNKNOWN)
_CONFIRMED = (int(DobOutcome.SAME), int(DobOutcome.SWAPPED))
_PARTIAL = int(DobOutcome.SAME_PARTIAL)
_DOC_SAME = int(DocOutcome.SAME)

HIT_COLUMNS = (
    "hit_id", "group_key", "pnr_id", "pax_ref", "pnr_version", "source_kind", "source_key",
    "list_id", "entry_id", "criterion_id", "criterion_version", "service", "common", "ftf",
    "score", "explanation", "evidence", "algorithm", "person_key", "run_id", "created_at",
    "deadline_at",
)  # fmt: skip
_NOT_LETTER = re.compile(r"[^A-Z]+")


def _digest(parts: pd.Series) -> pd.Series:
    return parts.map(lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest()[:20])


def hit_ids(group_key: pd.Series, source_key: pd.Series, service: pd.Series) -> pd.Series:
    """A stable id per (passenger-journey, source, service)."""
    return "H" + _digest(group_key + "|" + source_key + "|" + service)


def person_keys(travellers: pd.DataFrame) -> pd.Series:
    """A key for "the same person" across PNRs: the name's letters (word order ignored) and
    the date of birth; what the false-positive memory is keyed on (R-PRE-08)."""
    names = (
        travellers["surname"].fillna("").astype(str) + " " + travellers["given_names"].fillna("")
    ).str.upper()
    letters = names.map(lambda s: " ".join(sorted(w for w in _NOT_LETTER.split(s) if w)))
    born = travellers["date_of_birth"].fillna("").astype(str)
    return "P" + _digest(letters + "|" + born)


def _expand(frame: pd.DataFrame, services: pd.Series) -> pd.DataFrame:
    """One row per service of each row (``services`` holds tuples of service codes)."""
    out = frame.assign(service=services.to_numpy()).explode("service", ignore_index=True)
    return out[out["service"].notna()].reset_index(drop=True)


def _finish(
    frame: pd.DataFrame, run_id: str, now: datetime, pnr_versions: Mapping[str, int]
) -> pd.DataFrame:
    frame["group_key"] = frame["pnr_id"] + "/" + frame["pax_ref"]
    frame["hit_id"] = hit_ids(frame["group_key"], frame["source_key"], frame["service"])
    frame["pnr_version"] = frame["pnr_id"].map(pnr_versions).astype("int64")
    frame["run_id"] = run_id
    frame["created_at"] = now
    frame["deadline_at"] = now + DEADLINE
    for column in HIT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    return frame[list(HIT_COLUMNS)].drop_duplicates("hit_id").reset_index(drop=True)


def route_watchlist_hits(
    matches: pd.DataFrame,
    travellers: pd.DataFrame,
    lists: Sequence[WatchlistInfo],
    *,
    run_id: str,
    now: datetime,
    pnr_versions: Mapping[str, int],
) -> pd.DataFrame:
    """Screening results (``matching.screen`` over ``registry.list_entries``) as routed hits.

    ``travellers`` holds ``traveller_id, pnr_id, pax_ref`` and the name and date of birth the
    person key is made from; entry ids are ``LIST:ENTRY``.
    """
    if matches.empty:
        return pd.DataFrame(columns=list(HIT_COLUMNS))
    by_list = {info.list_id: info for info in lists}
    people = travellers.set_index("traveller_id")
    frame = pd.DataFrame(
        {
            "pnr_id": people.loc[matches["traveller_id"], "pnr_id"].to_numpy(),
            "pax_ref": people.loc[matches["traveller_id"], "pax_ref"].to_numpy(),
            "person_key": person_keys(people.loc[matches["traveller_id"]]).to_numpy(),
            "source_kind": SourceKind.WATCHLIST.value,
            "source_key": matches["entry_id"].astype(str).to_numpy(),
            "list_id": matches["list_id"].astype(str).to_numpy(),
            "entry_id": matches["entry_id"].astype(str).str.split(":", n=1).str[1].to_numpy(),
            "score": matches["score"].astype(float).to_numpy(),
            "explanation": matches["explanation"].astype(str).to_numpy(),
            "evidence": matches["evidence"].astype(str).to_numpy(),
            "algorithm": matches["algorithm"].astype(str).to_numpy(),
        }
    )
    info = frame["list_id"].map(by_list)
    frame["common"] = info.map(lambda i: i.common_db is not None).astype(bool)
    frame["ftf"] = info.map(lambda i: i.ftf).astype(bool)
    services = info.map(lambda i: tuple(s.value for s in i.services))
    return _finish(_expand(frame, services), run_id, now, pnr_versions)


def route_criteria_hits(
    fired: pd.DataFrame,
    travellers: pd.DataFrame,
    *,
    run_id: str,
    now: datetime,
    pnr_versions: Mapping[str, int],
) -> pd.DataFrame:
    """Criteria hits (``criteria.evaluate``: traveller_id, criterion_id, criterion_version,
    owner_services comma-joined, fired JSON, explanation, algorithm) as routed hits. A
    criterion owned by several services is a common criterion (R-PRE-06)."""
    if fired.empty:
        return pd.DataFrame(columns=list(HIT_COLUMNS))
    people = travellers.set_index("traveller_id")
    owners = fired["owner_services"].astype(str).str.split(",")
    frame = pd.DataFrame(
        {
            "pnr_id": people.loc[fired["traveller_id"], "pnr_id"].to_numpy(),
            "pax_ref": people.loc[fired["traveller_id"], "pax_ref"].to_numpy(),
            "person_key": person_keys(people.loc[fired["traveller_id"]]).to_numpy(),
            "source_kind": SourceKind.CRITERION.value,
            "source_key": ("criterion:" + fired["criterion_id"].astype(str)).to_numpy(),
            "criterion_id": fired["criterion_id"].astype(str).to_numpy(),
            "criterion_version": fired["criterion_version"].astype("int64").to_numpy(),
            "score": 1.0,
            "explanation": fired["explanation"].astype(str).to_numpy(),
            "evidence": fired["fired"].astype(str).to_numpy(),
            "algorithm": fired["algorithm"].astype(str).to_numpy(),
            "common": owners.map(len).gt(1).to_numpy(),
            "ftf": False,
        }
    )
    return _finish(_expand(frame, owners.map(tuple)), run_id, now, pnr_versions)


def group_kinds(hits: pd.DataFrame) -> pd.Series:
    """The kind of each passenger-journey (index: ``group_key``): COMMON when any of its hits
    comes from a common source, MULTIPLE when several services have hits, else SINGLE."""
    if hits.empty:
        return pd.Series(dtype=object)
    grouped = hits.groupby("group_key")
    common = grouped["common"].any()
    services = grouped["service"].nunique()
    several = np.where(services > 1, HitKind.MULTIPLE.value, HitKind.SINGLE.value)
    kind = np.where(common, HitKind.COMMON.value, several)
    return pd.Series(kind, index=common.index)
