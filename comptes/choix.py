"""Which département and which year a page shows: the choice belongs with the user's scope (`perimetre.py`).

Pages of figures take the year from `?annee=` and the département from `?departement=`, among those the user may
see; what is missing or out of reach falls back to the user's own rather than to an empty page."""

import datetime as dt

from base.calendrier import annees_proposees, lire_annee
from base.departements import DEPARTEMENTS


def annee_demandee(request) -> int:
    """The year asked for in the query string; the current one when missing or out of any plausible range."""
    return lire_annee(request.GET.get("annee"), dt.date.today().year)


class ChoixDepartementMixin:
    """The département whose figures are shown: the user's own, or the one asked for among theirs. A page whose
    choice differs (only the départements an agent manages, a default for administrators) overrides
    `departement()` and `departements_au_choix()`; `contexte_du_choix` then gives what the selector needs."""

    def departement(self) -> str | None:
        perimetre = self.request.user.perimetre
        demande = self.request.GET.get("departement")
        if perimetre.administrateur:
            # Any département, but one that exists: a code typed in the address (a NUL byte) never reaches a query.
            return demande if demande in DEPARTEMENTS else None
        disponibles = sorted(perimetre.departements)
        if demande in disponibles:
            return demande
        return disponibles[0] if disponibles else None

    def departements_au_choix(self, annee: int) -> list[str]:
        """The départements the selector offers (it is shown from two on)."""
        return sorted(self.request.user.perimetre.departements)

    def contexte_du_choix(self, annee: int, departement: str | None = None) -> dict:
        """What the year and département selector (`commun/_choix_annee.html`), the page titles and the export
        links need. `departement`: the one the page settled on, when it is not simply `departement()`."""
        departement = departement or self.departement()
        return {
            "annee": annee,
            "annee_texte": str(annee),
            "annees": annees_proposees(),
            "departement": departement,
            "departement_requete": f"&departement={departement}" if departement else "",
            "nom_departement": DEPARTEMENTS.get(departement or "", ""),
            "departements": self.departements_au_choix(annee),
        }
