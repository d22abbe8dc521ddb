"""Write ``decisions.csv``: the expected policy decisions, written from the law, not the code.

The ``ACTIVE`` table below is the reviewed core (one line per role and action, with the
source); the other states are derived from it by the rules the law states outright:

* expired_clearance / ended_secondment / revoked_grant: access ends by itself (AR art. 5 §2,
  11, 14, 15, 20, 23 §2) -> ACC-ACT-01, whatever the action;
* missing_purpose: no processing without a declared purpose (DIR art. 6(2)) -> ACC-PUR-01;
* wrong_purpose: a purpose the role may not act under -> ACC-PUR-02 (role-denials stay);
* older_than_6_months: masking of field groups (a)-(f) (LAW art. 19; DIR art. 12(2));
* other_service_hit: own service's hits only, others' existence only (AR art. 8 §1).

Run: ``.venv/bin/python tests/access/cases/make_decisions.py`` (rewrites the CSV).
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
MASK = "mask(a_names,b_address_contact,c_payment,d_frequent_flyer,e_general_remarks,f_api_data)"
ROLES = (
    "HEAD_OF_UNIT", "DEPUTY", "DPO", "SUPPORT_STAFF", "SECONDED_MEMBER", "GRANTEE", "SUPERVISOR",
)  # fmt: skip
DATA_ACTIONS = {"CONSULT_HIT", "CONSULT_PNR", "SEARCH"}
AUDIT = {"READ_AUDIT", "EXPORT_AUDIT"}

# (role, action): (purpose, allowed, rule_id, obligations) in the "active" state.
# A missing pair = the role's missions do not include the action (AR art. 5 §1): denied.
ACTIVE: dict[tuple[str, str], tuple[str, bool, str, str]] = {
    # pre-assessment hits: seconded members and grantees of the service (LAW 24; AR 8 §1)
    ("SECONDED_MEMBER", "CONSULT_HIT"): ("PRE_ASSESSMENT", True, "ACC-PRE-01", ""),
    ("GRANTEE", "CONSULT_HIT"): ("PRE_ASSESSMENT", True, "ACC-PRE-01", ""),
    ("DPO", "CONSULT_HIT"): ("DPO_SUPERVISION", True, "ACC-DPO-01", ""),  # DIR 6(7); AR 27
    ("SUPERVISOR", "CONSULT_HIT"): ("SUPERVISORY_REVIEW", True, "ACC-SUP-01", ""),  # AR 7, 32
    # validation only by the hit's own service (LAW 24 §4; AR 8 §1); DPO is read-only
    ("SECONDED_MEMBER", "VALIDATE_HIT"): ("PRE_ASSESSMENT", True, "ACC-PRE-01", ""),
    ("SECONDED_MEMBER", "CONSULT_PNR"): ("PRE_ASSESSMENT", True, "ACC-PNR-01", ""),
    ("GRANTEE", "CONSULT_PNR"): ("PRE_ASSESSMENT", True, "ACC-PNR-01", ""),
    ("SUPPORT_STAFF", "CONSULT_PNR"): ("CRITERIA_ANALYSIS", True, "ACC-ANA-01", MASK),
    ("DPO", "CONSULT_PNR"): ("DPO_SUPERVISION", True, "ACC-DPO-01", ""),
    ("SUPERVISOR", "CONSULT_PNR"): ("SUPERVISORY_REVIEW", True, "ACC-SUP-01", ""),
    # targeted searches with request + prior authorisation (DIR 6(2)(b), 12(3))
    ("SECONDED_MEMBER", "SEARCH"): ("TARGETED_SEARCH", True, "ACC-SRCH-01", ""),
    ("GRANTEE", "SEARCH"): ("TARGETED_SEARCH", True, "ACC-SRCH-01", ""),
    ("SUPPORT_STAFF", "SEARCH"): ("CRITERIA_ANALYSIS", True, "ACC-ANA-01", MASK),  # DIR 6(2)(c)
    ("DPO", "SEARCH"): ("DPO_SUPERVISION", True, "ACC-DPO-01", ""),
    ("SUPERVISOR", "SEARCH"): ("SUPERVISORY_REVIEW", True, "ACC-SUP-01", ""),
    # unmasking with a court's authorisation (DIR 12(3); CJEU 241-247)
    ("SECONDED_MEMBER", "UNMASK"): ("TARGETED_SEARCH", True, "ACC-RET-02", ""),
    ("GRANTEE", "UNMASK"): ("TARGETED_SEARCH", True, "ACC-RET-02", ""),
    # logs: DPO and supervisors only (R-LOG-03)
    ("DPO", "READ_AUDIT"): ("DPO_SUPERVISION", True, "ACC-LOG-01", ""),
    ("SUPERVISOR", "READ_AUDIT"): ("SUPERVISORY_REVIEW", True, "ACC-LOG-01", ""),
    ("DPO", "EXPORT_AUDIT"): ("DPO_SUPERVISION", True, "ACC-LOG-01", "sign_export"),
    ("SUPERVISOR", "EXPORT_AUDIT"): ("SUPERVISORY_REVIEW", True, "ACC-LOG-01", "sign_export"),
    # unit management (AR art. 3-4, 12-20); grants by the leading official only (AR 5 §2)
    ("HEAD_OF_UNIT", "MANAGE_STAFF"): ("UNIT_MANAGEMENT", True, "ACC-STAFF-01", ""),
    ("DEPUTY", "MANAGE_STAFF"): ("UNIT_MANAGEMENT", True, "ACC-STAFF-01", ""),
    ("HEAD_OF_UNIT", "GRANT_ACCESS"): ("UNIT_MANAGEMENT", True, "ACC-GRANT-01", "notify_dpo"),
    ("HEAD_OF_UNIT", "CHANGE_CRITERIA"): ("CRITERIA_ANALYSIS", True, "ACC-CRIT-01", ""),
    # the databases screened against (LAW art. 24 §2; R-PRE-01)
    ("HEAD_OF_UNIT", "REGISTER_SOURCE"): ("UNIT_MANAGEMENT", True, "ACC-SRC-01", ""),
    ("DEPUTY", "REGISTER_SOURCE"): ("UNIT_MANAGEMENT", True, "ACC-SRC-01", ""),
    # requests and authorisations recorded as received (DIR 12(3); CJEU 221-226)
    ("HEAD_OF_UNIT", "RECORD_REQUEST"): ("UNIT_MANAGEMENT", True, "ACC-REQ-01", ""),
    ("DEPUTY", "RECORD_REQUEST"): ("UNIT_MANAGEMENT", True, "ACC-REQ-01", ""),
    ("SUPPORT_STAFF", "RECORD_REQUEST"): ("UNIT_MANAGEMENT", True, "ACC-REQ-01", ""),
}
ALLOWED_PURPOSES: dict[tuple[str, str], set[str]] = {
    ("SECONDED_MEMBER", "CONSULT_HIT"): {"PRE_ASSESSMENT", "TARGETED_SEARCH"},
    ("GRANTEE", "CONSULT_HIT"): {"PRE_ASSESSMENT", "TARGETED_SEARCH"},
    ("SECONDED_MEMBER", "CONSULT_PNR"): {"PRE_ASSESSMENT", "TARGETED_SEARCH", "CRITERIA_ANALYSIS"},
    ("GRANTEE", "CONSULT_PNR"): {"PRE_ASSESSMENT", "TARGETED_SEARCH"},
    ("SECONDED_MEMBER", "SEARCH"): {"TARGETED_SEARCH", "CRITERIA_ANALYSIS"},
}
# what a non-permitted role would claim (its most plausible purpose)
DEFAULT_PURPOSE = {
    "HEAD_OF_UNIT": "UNIT_MANAGEMENT",
    "DEPUTY": "UNIT_MANAGEMENT",
    "DPO": "DPO_SUPERVISION",
    "SUPPORT_STAFF": "CRITERIA_ANALYSIS",
    "SECONDED_MEMBER": "PRE_ASSESSMENT",
    "GRANTEE": "PRE_ASSESSMENT",
    "SUPERVISOR": "SUPERVISORY_REVIEW",
}
ACTIONS = (
    "CONSULT_HIT", "VALIDATE_HIT", "CONSULT_PNR", "SEARCH", "UNMASK", "READ_AUDIT",
    "EXPORT_AUDIT", "MANAGE_STAFF", "GRANT_ACCESS", "CHANGE_CRITERIA", "REGISTER_SOURCE",
    "RECORD_REQUEST",
)  # fmt: skip
OTHER = "state_security"


def role_denial(action: str) -> str:
    return "ACC-LOG-02" if action in AUDIT else "ACC-ROLE-01"


def rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for role in ROLES:
        for action in ACTIONS:
            key = (role, action)
            entry = ACTIVE.get(key)
            purpose = entry[0] if entry else DEFAULT_PURPOSE[role]
            allowed, rule, obl = entry[1:] if entry else (False, role_denial(action), "")

            def add(
                state: str,
                purpose: str,
                allowed: bool,
                rule: str,
                obl: str,
                role: str = role,
                action: str = action,
            ) -> None:
                out.append({
                    "role": role, "action": action, "state": state, "purpose": purpose,
                    "allowed": "yes" if allowed else "no", "rule_id": rule, "obligations": obl,
                })  # fmt: skip

            add("active", purpose, allowed, rule, obl)
            if role != "SUPERVISOR":  # supervisors hold no PIU clearance (none is required)
                add("expired_clearance", purpose, False, "ACC-ACT-01", "")
            if role == "SECONDED_MEMBER":
                add("ended_secondment", purpose, False, "ACC-ACT-01", "")
            if role == "GRANTEE":
                add("revoked_grant", purpose, False, "ACC-ACT-01", "")
            add("missing_purpose", "", False, "ACC-PUR-01", "")
            if entry:
                permitted = ALLOWED_PURPOSES.get(key, {purpose})
                wrong = next(
                    p for p in ("CRITERIA_ANALYSIS", "UNIT_MANAGEMENT", "PRE_ASSESSMENT")
                    if p not in permitted
                )  # fmt: skip
                add("wrong_purpose", wrong, False, "ACC-PUR-02", "")
            else:
                add("wrong_purpose", purpose, False, rule, "")
            old_obl = obl
            if allowed and action in DATA_ACTIONS and MASK not in obl:
                old_obl = ";".join(x for x in (obl, MASK) if x)
            add("older_than_6_months", purpose, allowed, rule, old_obl)
            if role in ("SECONDED_MEMBER", "GRANTEE") and entry:
                if action == "CONSULT_HIT":
                    add("other_service_hit", purpose, True, "ACC-PRE-02",
                        f"redact_other_services({OTHER})")  # fmt: skip
                elif action == "VALIDATE_HIT":
                    add("other_service_hit", purpose, False, "ACC-PRE-03", "")
                elif action in DATA_ACTIONS:
                    add("other_service_hit", purpose, True, rule,
                        f"redact_other_services({OTHER})")  # fmt: skip
                else:
                    add("other_service_hit", purpose, allowed, rule, obl)
            elif role == "SUPERVISOR" and entry:  # COC: intelligence data are outside its remit
                add("other_service_hit", purpose, False, "ACC-SUP-02", "")
    return out


def main() -> None:
    data = rows()
    with (HERE / "decisions.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    print(f"{len(data)} rows")


if __name__ == "__main__":
    main()
