"""The hit methods of a session: the queue, one hit, its disclosure, notifications, and the
review steps (R-PRE-02..07; LAW art. 24 §4; AR art. 1 4°-5°, 8).

Need to know (``ACC-PRE-01..03``): a seconded member (or grantee) sees the hits of their own
service in full and learns only *that* other services have hits on the same passenger-journey
(``services_on_journey``); opening another service's hit is refused. The DPO sees every hit,
a supervisor the hits of the services in its remit. Hit texts are masked six months after the
PNR's registration like every other identifying value. Only a seconded member of the hit's
service reviews it (``ACC-PRE-03``). Nothing is disclosed from NEW or IN_REVIEW: a hit's data
package leaves the PIU only once validated (:meth:`Session.disclose_hit`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from piu_lab.access.masking import MASKED, mask_frame
from piu_lab.access.policy import Action, Decision, Resource, ResourceKind
from piu_lab.access.register import Member, Role, Service, Supervisor
from piu_lab.audit import AuditAction
from piu_lab.criteria import Criterion
from piu_lab.errors import HitStateError, UnknownHit
from piu_lab.hits import queries, review
from piu_lab.hits.criteria_registry import approve, register_criterion
from piu_lab.hits.registry import WatchlistInfo, list_entries, register_watchlist
from piu_lab.hits.routing import OUTCOME_LABEL
from piu_lab.ingest.scope import ScopeDecision, is_decision_id
from piu_lab.lifecycle import requests
from piu_lab.lifecycle import scope as scope_register
from piu_lab.lifecycle.retention import record_retention
from piu_lab.model.hits import HitStatus
from piu_lab.session.core import Call, SessionCore, rule_denial
from piu_lab.store.reads import read_table
from piu_lab.store.schema import passenger, travel_document
from piu_lab.store.schema_hits import notification

__all__ = ["HitCard", "Session"]

_OPERATIONAL = frozenset({Role.SECONDED_MEMBER, Role.GRANTEE})
#: A service within each sectoral supervisor's remit (AR art. 7): its queue is decided on it.
_REMIT = {
    Supervisor.COC: Service.FEDERAL_POLICE,
    Supervisor.STANDING_COMMITTEE_I: Service.STATE_SECURITY,
}
#: Hit columns that carry the passenger's or the listed person's values.
_HIT_TEXT = ("explanation", "evidence")
#: What a hit's queue row shows (no values beyond the explanation).
QUEUE_COLUMNS = (
    "hit_id", "group_key", "pnr_id", "pax_ref", "source_kind", "list_id", "entry_id",
    "criterion_id", "criterion_version", "service", "kind", "common", "ftf", "score", "status",
    "status_at", "status_by", "created_at", "deadline_at", "hours_left", "breached",
    "services_on_journey", "follow_up", "ocam_task", "explanation", "evidence", "algorithm",
    "registered_at",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class HitCard:
    """One hit for its reviewer: the hit, its history, the traveller as the PNR holds them,
    and the list entry (watchlist hits) or the conditions that fired (criterion hits). Labels
    say "for further examination", never "deny boarding" (R-PRE-09)."""

    hit: Mapping[str, object]
    history: pd.DataFrame
    traveller: pd.DataFrame
    entry: Mapping[str, object]
    fired: tuple[Mapping[str, object], ...]
    checklist: Mapping[str, str]
    label: str = OUTCOME_LABEL


def _services(text: object) -> frozenset[Service]:
    return frozenset(Service(s) for s in str(text or "").split(",") if s)


def _day(value: object) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return pd.Timestamp(str(value)).date()


class Session(SessionCore):
    """A session with the hit workflow; see :class:`SessionCore` and the module docstring."""

    # -- helpers ----------------------------------------------------------------------------

    def _resource(self, row: Mapping[str, object]) -> Resource:
        return Resource(
            ResourceKind.HIT,
            service=Service(str(row["service"])),
            hit_services=_services(row["services_on_journey"]),
            registered_on=_day(row["registered_at"]),
        )

    def _queue_resource(self, member: Member | None) -> Resource:
        """The resource the queue as a whole is decided on: the member's own service for an
        operational member, the remit's first service for a supervisor, else none."""
        if member is None:
            return Resource(ResourceKind.HIT)
        if member.role in _OPERATIONAL:
            return Resource(ResourceKind.HIT, service=member.home_service)
        if member.role is Role.SUPERVISOR and member.supervisor_body in _REMIT:
            return Resource(ResourceKind.HIT, service=_REMIT[member.supervisor_body])
        return Resource(ResourceKind.HIT)

    def _one(self, hit_id: str) -> dict[str, object]:
        frame = queries.hit_frame(self._store, self._clock.now(), hit_ids=[hit_id])
        if frame.empty:
            raise UnknownHit(f"no hit {hit_id!r}", hit_id=hit_id)
        return dict(frame.iloc[0])

    def _visible(self, frame: pd.DataFrame, member: Member | None) -> pd.DataFrame:
        """The rows the member may see in full, masked as each row's decision says."""
        keep: list[bool] = []
        masked: list[bool] = []
        for record in frame.to_dict("records"):
            row = {str(k): v for k, v in record.items()}
            decision = self._decide(member, Action.CONSULT_HIT, self._resource(row))
            full = decision.allowed and decision.rule_id != "ACC-PRE-02"
            keep.append(full)
            masked.append(full and any(o.kind.value == "mask" for o in decision.obligations))
        out = frame[keep].copy()
        rows = pd.Series(masked, index=frame.index)[keep].to_numpy(dtype=bool)
        for column in _HIT_TEXT:
            if column in out.columns:
                out[column] = out[column].astype(object).where(~rows, MASKED)
        return out

    @staticmethod
    def _hit_ref(hit_id: str) -> tuple[str, ...]:
        return (f"hit:{hit_id}",)

    # -- the queue and one hit --------------------------------------------------------------

    def hits(self, *, status: tuple[str, ...] | None = None) -> pd.DataFrame:
        """The hits this member may see, oldest deadline first (``CONSULT_HIT``): for a
        seconded member the queue of their own service, the hours left before the 24-hour
        deadline and whether it was breached (R-PRE-03), and which other services have hits
        on the same passenger-journey, existence only (R-PRE-05)."""
        member = self.member()
        with self._audited("hits", Action.CONSULT_HIT, self._queue_resource(member), ()) as call:
            frame = queries.hit_frame(self._store, self._clock.now(), status=status)
            out = self._visible(frame, member)
            call.record_count = len(out)
            return out[[c for c in QUEUE_COLUMNS if c in out.columns]].reset_index(drop=True)

    def _card(self, row: dict[str, object], decision: Decision) -> HitCard:
        hit_id = str(row["hit_id"])
        history = queries.hit_history(self._store, hit_id)
        with self._store.engine.connect() as conn:
            pnr_id, pax = str(row["pnr_id"]), str(row["pax_ref"])
            people = read_table(conn, passenger, pnr_id=pnr_id)
            docs = read_table(conn, travel_document, pnr_id=pnr_id)
        traveller = people[people["pax_ref"] == pax].merge(
            docs[docs["pax_ref"] == pax].drop(columns=["surname", "given_names"]),
            on=["pnr_id", "version", "pax_ref"],
            how="left",
        )
        entry: dict[str, object] = {}
        fired: tuple[Mapping[str, object], ...] = ()
        if row["source_kind"] == "WATCHLIST":
            entries = list_entries(self._store, [str(row["list_id"])])
            match = entries[entries["source_entry"] == row["entry_id"]]
            entry = dict(match.iloc[0]) if len(match) else {}
        else:
            try:
                parsed = json.loads(str(row["evidence"]))
            except ValueError:  # masked in the table by the lifecycle (R-RET-02): no conditions
                parsed = None
            fired = tuple(parsed) if isinstance(parsed, list) else ()
        masked = any(o.kind.value == "mask" for o in decision.obligations)
        if masked:
            traveller = mask_frame(traveller, "travel_document")
            traveller = mask_frame(traveller, "passenger")
            entry = {k: (MASKED if k not in ("list_id", "entry_id", "version") else v)
                     for k, v in entry.items()}  # fmt: skip
            row = {**row, **dict.fromkeys(_HIT_TEXT, MASKED)}
            fired = ()
        return HitCard(row, history, traveller, entry, fired, review.CHECKLIST)

    def hit(self, hit_id: str) -> HitCard:
        """One hit for review (``CONSULT_HIT``); another service's hit is refused (existence
        only: ``ACC-PRE-02``)."""
        row = self._one(hit_id)
        resource = self._resource(row)
        decision = self._decide(self.member(), Action.CONSULT_HIT, resource)
        veto = rule_denial("ACC-PRE-02") if decision.rule_id == "ACC-PRE-02" else None
        with self._audited(
            "hit", Action.CONSULT_HIT, resource, self._hit_ref(hit_id), veto=veto
        ) as call:
            card = self._card(row, call.decision)
            call.record_count = 1 + len(card.traveller)
            return card

    def disclose_hit(self, hit_id: str) -> HitCard:
        """The data package of a validated hit for its service (audited as a disclosure);
        refused while the hit is NEW or IN_REVIEW (R-PRE-02)."""
        row = self._one(hit_id)
        resource = self._resource(row)
        decision = self._decide(self.member(), Action.CONSULT_HIT, resource)
        veto = rule_denial("ACC-PRE-02") if decision.rule_id == "ACC-PRE-02" else None
        with self._audited(
            "disclose_hit",
            Action.CONSULT_HIT,
            resource,
            self._hit_ref(hit_id),
            veto=veto,
            audit_action=AuditAction.DISCLOSE,
        ) as call:
            if row["status"] != HitStatus.VALIDATED.value:
                raise HitStateError(
                    f"hit {hit_id} is {row['status']}: nothing is disclosed before validation",
                    hit_id=hit_id,
                    status=str(row["status"]),
                )
            card = self._card(row, call.decision)
            call.record_count = 1 + len(card.traveller)
            return card

    def notifications(self) -> pd.DataFrame:
        """The notifications for this member's service (hits to review, other services' hits
        on the same passenger-journey, common decisions), newest first (``CONSULT_HIT``)."""
        member = self.member()
        resource = self._queue_resource(member)
        with self._audited("notifications", Action.CONSULT_HIT, resource, ()) as call:
            with self._store.engine.connect() as conn:
                rows = [tuple(r) for r in conn.execute(notification.select())]
            frame = pd.DataFrame(rows, columns=[c.name for c in notification.columns])
            if member is not None and member.role in _OPERATIONAL:
                frame = frame[frame["recipient"] == member.home_service.value]
            call.record_count = len(frame)
            return frame.sort_values("at", ascending=False).reset_index(drop=True)

    # -- review steps -----------------------------------------------------------------------

    def _step_gate(
        self, method: str, hit_id: str
    ) -> tuple[dict[str, object], AbstractContextManager[Call]]:
        """The hit and the gate of a review step (``VALIDATE_HIT`` on the hit's service)."""
        row = self._one(hit_id)
        return row, self._audited(
            method, Action.VALIDATE_HIT, self._resource(row), self._hit_ref(hit_id)
        )

    def start_review(self, hit_id: str) -> HitStatus:
        """Take a hit of one's own service into review (``VALIDATE_HIT``)."""
        _row, gate = self._step_gate("start_review", hit_id)
        with gate:
            return review.start_review(self._store, hit_id, actor=self.code, at=self._clock.now())

    def decide_hit(
        self, hit_id: str, status: HitStatus | str, reason: str, checklist: Mapping[str, bool]
    ) -> list[str]:
        """Validate or reject a hit of one's own service with the written reasons and the
        checklist (R-PRE-02, R-CRIT-05); a common hit's decision counts for every service
        concerned (R-PRE-06). Returns the hit ids decided."""
        row, gate = self._step_gate("decide_hit", hit_id)
        decision = review.Review(HitStatus(status), reason, dict(checklist))
        with gate as call:
            call.detail["status"] = decision.status.value
            decided = review.decide_hit(
                self._store,
                hit_id,
                decision,
                actor=self.code,
                service=str(row["service"]),
                at=self._clock.now(),
            )
            call.record_count = len(decided)
            return decided

    def close_ocam_task(self, hit_id: str, transmission_ref: str) -> None:
        """Close the OCAM task of a validated FTF hit with its transmission reference
        (R-PRE-07)."""
        _row, gate = self._step_gate("close_ocam_task", hit_id)
        with gate:
            review.close_ocam_task(
                self._store, hit_id, transmission_ref, actor=self.code, at=self._clock.now()
            )

    def record_follow_up(self, hit_id: str, outcome: str) -> int:
        """Record what the service did with a validated hit ("suite utile")."""
        _row, gate = self._step_gate("record_follow_up", hit_id)
        with gate:
            return review.record_follow_up(
                self._store, hit_id, outcome, actor=self.code, at=self._clock.now()
            )

    # -- sources: watchlists and criteria ----------------------------------------------------

    def register_watchlist(self, info: WatchlistInfo, entries: pd.DataFrame) -> WatchlistInfo:
        """Register a new version of a list with its entries (``REGISTER_SOURCE``: the head of
        unit or a deputy, under unit management; R-PRE-01). Returns it numbered."""
        resource = Resource(ResourceKind.WATCHLIST, service=info.owner_service)
        with self._audited(
            "register_watchlist",
            Action.REGISTER_SOURCE,
            resource,
            (f"watchlist:{info.list_id}",),
            audit_action=AuditAction.REGISTER,
        ) as call:
            made = register_watchlist(
                self._store, info, entries, actor=self.code, at=self._clock.now()
            )
            call.record_count = made.entry_count
            call.detail["version"] = made.version
            return made

    def _scope_gate(
        self, method: str, decision_id: str, audit_action: AuditAction
    ) -> AbstractContextManager[Call]:
        return self._audited(
            method,
            Action.REGISTER_SOURCE,
            Resource(ResourceKind.SCOPE_DECISION),
            (f"scope:{decision_id if is_decision_id(decision_id) else 'malformed-id'}",),
            audit_action=audit_action,
        )

    def record_scope_decision(self, decision: ScopeDecision) -> ScopeDecision:
        """Record a decision that intra-EU flights, or rail, bus and sea journeys, may be
        taken in (R-SCOPE-02; ``REGISTER_SOURCE``: the head of unit or a deputy, under unit
        management, ``ACC-SRC-01``). The ingest applies it from then on."""
        with self._scope_gate(
            "record_scope_decision", decision.decision_id, AuditAction.REGISTER
        ) as call:
            scope_register.record_decision(
                self._store, decision, actor=self.code, at=self._clock.now()
            )
            call.record_count = 1
            call.detail.update(
                {
                    "sectors": "+".join(s.value for s in decision.sectors),
                    "routes": len(decision.routes),
                    "ocam_level": decision.ocam_level,
                    "ends_on": decision.ends_on.isoformat(),
                }
            )
            return decision

    def revoke_scope_decision(self, decision_id: str) -> None:
        """Revoke a scope decision now (R-SCOPE-02; ``REGISTER_SOURCE``): nothing is taken
        in under it any more."""
        with self._scope_gate("revoke_scope_decision", decision_id, AuditAction.REVOKE) as call:
            scope_register.revoke_decision(self._store, decision_id, at=self._clock.now())
            call.record_count = 1

    def record_retention(
        self, pnr_id: str, pax_ref: str, *, kind: str, reference: str, grounds: str
    ) -> None:
        """Record a retention basis for one passenger (R-RET-03): a competent authority's
        ``case`` or a ``decision``, so that the lifecycle keeps him, masked, beyond six months
        (``REGISTER_SOURCE``: the head of unit or a deputy, under unit management). Validated
        hits and their follow-ups count without this."""
        with self._audited(
            "record_retention",
            Action.REGISTER_SOURCE,
            Resource(ResourceKind.PNR),
            (f"pnr:{pnr_id}",),
            audit_action=AuditAction.DECIDE,
        ) as call:
            record_retention(self._store, pnr_id, pax_ref, kind=kind, reference=reference,
                             grounds=grounds, actor=self.code, at=self._clock.now())  # fmt: skip
            call.record_count = 1
            call.detail["kind"] = kind

    def register_criterion(self, criterion: Criterion) -> bool:
        """Store a criterion version (``CHANGE_CRITERIA``: the head of unit, under criteria
        analysis; an approved one must pass the linter that day: R-CRIT-01..03). False when
        this very version is stored already."""
        resource = Resource(ResourceKind.CRITERIA)
        with self._audited(
            "register_criterion",
            Action.CHANGE_CRITERIA,
            resource,
            (f"criterion:{criterion.id}",),
            audit_action=AuditAction.CRITERIA_CHANGE,
        ) as call:
            stored = register_criterion(
                self._store, criterion, actor=self.code, at=self._clock.now()
            )
            call.record_count = int(stored)
            call.detail.update({"version": criterion.version, "status": criterion.status.value})
            return stored

    def approve_criterion(
        self,
        criterion_id: str,
        *,
        dpo_opinion: str,
        dpo_opinion_on: date,
        next_review: date | None = None,
    ) -> Criterion:
        """Approve the newest (draft) version of a criterion after the DPO's opinion, as a new
        version (``CHANGE_CRITERIA``: the head of unit; R-CRIT-02)."""
        resource = Resource(ResourceKind.CRITERIA)
        with self._audited(
            "approve_criterion",
            Action.CHANGE_CRITERIA,
            resource,
            (f"criterion:{criterion_id}",),
            audit_action=AuditAction.CRITERIA_CHANGE,
        ) as call:
            made = approve(
                self._store,
                criterion_id,
                actor=self.code,
                at=self._clock.now(),
                dpo_opinion=dpo_opinion,
                dpo_opinion_on=dpo_opinion_on,
                next_review=next_review,
            )
            call.record_count = 1
            call.detail.update({"version": made.version, "status": made.status.value})
            return made

    def disparity(self) -> pd.DataFrame:
        """Hit and validation rates by nationality, gender and age band, aggregated, for the
        DPO only (R-CRIT-03): whether neutral criteria or lists weigh on a group. Cells of
        fewer than 5 travellers are suppressed."""
        member = self.member()
        veto = None
        if member is not None and member.role is not Role.DPO:
            veto = rule_denial("ACC-DPO-02")
        resource = Resource(ResourceKind.HIT)
        with self._audited("disparity", Action.CONSULT_HIT, resource, (), veto=veto) as call:
            frame = queries.disparity(self._store, self._clock.now())
            call.record_count = len(frame)
            return frame

    # -- targeted-search requests -------------------------------------------------------------

    def _request_gate(
        self, method: str, request_id: str, veto: Decision | None = None
    ) -> AbstractContextManager[Call]:
        return self._audited(
            method,
            Action.RECORD_REQUEST,
            Resource(ResourceKind.REQUEST),
            (f"request:{request_id}",),
            veto=veto,
            audit_action=AuditAction.REGISTER,
        )

    def file_request(self, request: requests.SearchRequest) -> None:
        """Record a service's request for a targeted search as received (R-SRCH-01)."""
        with self._request_gate("file_request", request.request_id) as call:
            requests.file_request(self._store, request, actor=self.code, at=self._clock.now())
            call.record_count = 1

    def record_authorisation(self, authorisation: requests.Authorisation) -> bool:
        """Record a court's or an independent body's decision on a request (R-SRCH-02);
        returns whether the DPO was notified (every approval that is not a court's)."""
        with self._request_gate("record_authorisation", authorisation.request_id) as call:
            notified = requests.record_authorisation(
                self._store, authorisation, actor=self.code, at=self._clock.now()
            )
            call.record_count = 1
            call.detail["dpo_notified"] = int(notified)
            return notified

    def open_urgent(self, request_id: str) -> datetime:
        """Open the urgent path of an urgent request (the head of unit; CJEU ¶223); returns
        the ex-post review deadline."""
        member = self.member()
        veto = None
        if member is not None and member.role is not Role.HEAD_OF_UNIT:
            veto = rule_denial("ACC-REQ-02")
        with self._request_gate("open_urgent", request_id, veto) as call:
            due = requests.open_urgent(
                self._store, request_id, actor=self.code, at=self._clock.now()
            )
            call.record_count = 1
            return due
