"""The offences a criterion may target: the 26 categories of Annex II of Directive 2016/681
plus terrorism (art. 3(8)), the only purposes of pre-assessment (R-SCOPE-02, R-CRIT-02).

Every criterion names one :class:`OffenceCategory` so that the DPO and the competent services can
check that it targets "persons who may reasonably be suspected" of such an offence.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["OffenceCategory"]

_LABELS: dict[str, str] = {
    "criminal_organisation": "participation in a criminal organisation",
    "human_trafficking": "trafficking in human beings",
    "child_sexual_exploitation": "sexual exploitation of children and child pornography",
    "drug_trafficking": "illicit trafficking in narcotic drugs and psychotropic substances",
    "weapons_trafficking": "illicit trafficking in weapons, munitions and explosives",
    "corruption": "corruption",
    "fraud": "fraud, including that against the financial interests of the Union",
    "money_laundering": (
        "laundering of the proceeds of crime and counterfeiting of currency, including the euro"
    ),
    "cybercrime": "computer-related crime / cybercrime",
    "environmental_crime": (
        "environmental crime, including illicit trafficking in endangered animal species and in "
        "endangered plant species and varieties"
    ),
    "migrant_smuggling": "facilitation of unauthorised entry and residence",
    "murder": "murder, grievous bodily injury",
    "organ_trafficking": "illicit trade in human organs and tissue",
    "kidnapping": "kidnapping, illegal restraint and hostage-taking",
    "armed_robbery": "organised and armed robbery",
    "cultural_goods_trafficking": (
        "illicit trafficking in cultural goods, including antiques and works of art"
    ),
    "counterfeiting": "counterfeiting and piracy of products",
    "document_forgery": "forgery of administrative documents and trafficking therein",
    "hormone_trafficking": (
        "illicit trafficking in hormonal substances and other growth promoters"
    ),
    "nuclear_trafficking": "illicit trafficking in nuclear or radioactive materials",
    "rape": "rape",
    "icc_crimes": "crimes within the jurisdiction of the International Criminal Court",
    "unlawful_seizure": "unlawful seizure of aircraft/ships",
    "sabotage": "sabotage",
    "stolen_vehicles": "trafficking in stolen vehicles",
    "industrial_espionage": "industrial espionage",
    "terrorism": "terrorist offences",
}


class OffenceCategory(StrEnum):
    """Annex II of Directive 2016/681 (items 1-26, in order) and terrorist offences."""

    CRIMINAL_ORGANISATION = "criminal_organisation"
    HUMAN_TRAFFICKING = "human_trafficking"
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    DRUG_TRAFFICKING = "drug_trafficking"
    WEAPONS_TRAFFICKING = "weapons_trafficking"
    CORRUPTION = "corruption"
    FRAUD = "fraud"
    MONEY_LAUNDERING = "money_laundering"
    CYBERCRIME = "cybercrime"
    ENVIRONMENTAL_CRIME = "environmental_crime"
    MIGRANT_SMUGGLING = "migrant_smuggling"
    MURDER = "murder"
    ORGAN_TRAFFICKING = "organ_trafficking"
    KIDNAPPING = "kidnapping"
    ARMED_ROBBERY = "armed_robbery"
    CULTURAL_GOODS_TRAFFICKING = "cultural_goods_trafficking"
    COUNTERFEITING = "counterfeiting"
    DOCUMENT_FORGERY = "document_forgery"
    HORMONE_TRAFFICKING = "hormone_trafficking"
    NUCLEAR_TRAFFICKING = "nuclear_trafficking"
    RAPE = "rape"
    ICC_CRIMES = "icc_crimes"
    UNLAWFUL_SEIZURE = "unlawful_seizure"
    SABOTAGE = "sabotage"
    STOLEN_VEHICLES = "stolen_vehicles"
    INDUSTRIAL_ESPIONAGE = "industrial_espionage"
    TERRORISM = "terrorism"

    @property
    def label(self) -> str:
        """The English wording of the Annex II item (or "terrorist offences")."""
        return _LABELS[self.value]

    @property
    def annex_item(self) -> int | None:
        """The item number in Annex II (1-26), None for terrorism (defined in art. 3(8))."""
        if self is OffenceCategory.TERRORISM:
            return None
        return list(OffenceCategory).index(self) + 1
