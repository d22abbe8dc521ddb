"""The registry entries of the synthetic watchlists (``piu_lab.synth``), for the demo and the
tests: two common databases and three services' own lists (R-PRE-01, R-PRE-06, R-PRE-07)."""

from __future__ import annotations

from piu_lab.access.register import Service
from piu_lab.hits.registry import WatchlistInfo
from piu_lab.model.hits import Listing, ListScope

__all__ = ["DEMO_LISTS"]

_S = Service
DEMO_LISTS: dict[str, WatchlistInfo] = {
    info.list_id: info
    for info in (
        WatchlistInfo(
            "BE-POLICE-COMMON",
            "Banque de données nationale générale (synthetic)",
            _S.FEDERAL_POLICE,
            (_S.FEDERAL_POLICE, _S.LOCAL_POLICE),
            "Loi sur la fonction de police, art. 44/7; LAW art. 24 §2",
            Listing.SOUGHT,
            ListScope.COMMON,
            common_db="police_common",
        ),
        WatchlistInfo(
            "BE-FTF-COMMON",
            "Banque de données commune Terrorist Fighters (synthetic)",
            _S.OCAM,
            (_S.OCAM, _S.FEDERAL_POLICE, _S.STATE_SECURITY, _S.MILITARY_INTELLIGENCE),
            "AR du 21 juillet 2016 (banque de données commune); LAW art. 24 §2",
            Listing.ALERT,
            ListScope.COMMON,
            common_db="ftf_common",
            offence_category="terrorism",
        ),
        WatchlistInfo(
            "BE-VSSE",
            "Sûreté de l'État: persons of interest (synthetic)",
            _S.STATE_SECURITY,
            (_S.STATE_SECURITY,),
            "Loi organique des services de renseignement (30 nov. 1998), art. 7",
            Listing.ALERT,
            ListScope.SERVICE,
        ),
        WatchlistInfo(
            "BE-SGRS-ADIV",
            "SGRS/ADIV: persons of interest (synthetic)",
            _S.MILITARY_INTELLIGENCE,
            (_S.MILITARY_INTELLIGENCE,),
            "Loi organique des services de renseignement (30 nov. 1998), art. 11",
            Listing.ALERT,
            ListScope.SERVICE,
        ),
        WatchlistInfo(
            "BE-CUSTOMS",
            "Douanes et accises: persons sought (synthetic)",
            _S.CUSTOMS,
            (_S.CUSTOMS,),
            "Loi générale sur les douanes et accises (18 juil. 1977)",
            Listing.SOUGHT,
            ListScope.SERVICE,
        ),
    )
}
