"""The monthly summary e-mailed to every active DDETS agent: their département's figures for the last month whose
declarations are due (consumption by kind, declarations late or missing, structures outside the consumption
band). Consumption is read from the materialised indicators, refreshed the night before."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from base.calendrier import de_mois
from base.departements import DEPARTEMENTS
from comptes.models import Membre, TypeOrganisation
from conventions.models import AnnexeFinanciere
from declarations.queries import EN_RETARD, MANQUANTE, Suivi, suivi_des_declarations
from indicateurs.queries_consommation import ZERO, dernier_mois_echu
from indicateurs.regles import SOUS_CONSOMMATION, SUR_CONSOMMATION, seuils_de_consommation, statut_consommation
from siae.models import ORDRE_DES_TYPES, Siae

from .queries import ConsommationDuMois, consommation_du_mois, dates_du_calcul


@dataclass(frozen=True)
class StructureHorsBande:
    nom: str
    type: str
    consommation: ConsommationDuMois
    statut: str


@dataclass
class SyntheseDepartement:
    departement: str
    mois: dt.date
    types: list[ConsommationDuMois]
    total: ConsommationDuMois
    declarations_attendues: int
    manquantes: list[Suivi]
    en_retard: list[Suivi]
    sous_consommation: list[StructureHorsBande]
    sur_consommation: list[StructureHorsBande]
    date_du_calcul: dt.datetime | None

    @property
    def nom(self) -> str:
        return DEPARTEMENTS.get(self.departement, self.departement)

    @property
    def de_mois(self) -> str:
        return de_mois(self.mois)


def _total(lignes: list[ConsommationDuMois], nombre_de_mois: int) -> ConsommationDuMois:
    def somme(champ):
        return sum((getattr(ligne, champ) for ligne in lignes), ZERO)

    return ConsommationDuMois(
        ("TOTAL",), somme("conv_mois"), somme("real_mois"), somme("conv_cumul"), somme("real_cumul"), nombre_de_mois
    )


def syntheses_des_departements(departements: set[str], aujourd_hui: dt.date) -> dict[str, SyntheseDepartement]:
    """Five queries whatever the number of départements and structures."""
    mois = dernier_mois_echu(aujourd_hui)
    par_type = consommation_du_mois(departements, mois, ["type"])
    par_siae = consommation_du_mois(departements, mois, ["siae_id", "siae__nom", "type"])
    suivis = suivi_des_declarations(
        AnnexeFinanciere.objects.actives().filter(siae__departement__in=departements), mois, mois, aujourd_hui
    )
    departement_de = dict(
        Siae.objects.filter(pk__in={s.siae_id for s in suivis}).values_list("pk", "departement").order_by()
    )
    dates = dates_du_calcul(departements)
    bas, haut = seuils_de_consommation()
    hors_bande = {(d, statut): [] for d in departements for statut in (SOUS_CONSOMMATION, SUR_CONSOMMATION)}
    # From the lowest consumption to the highest.
    for (departement, _, nom, type_), conso in sorted(par_siae.items(), key=lambda e: (e[1].taux_cumul or ZERO, e[0])):
        statut = statut_consommation(conso.taux_cumul, bas, haut)
        if (departement, statut) in hors_bande:
            hors_bande[(departement, statut)].append(StructureHorsBande(nom, type_, conso, statut))
    resultat = {}
    for departement in sorted(departements):
        types = [par_type[(departement, t)] for t in ORDRE_DES_TYPES if (departement, t) in par_type]
        du_departement = [s for s in suivis if departement_de[s.siae_id] == departement]
        resultat[departement] = SyntheseDepartement(
            departement=departement,
            mois=mois,
            types=types,
            total=_total(types, mois.month),
            declarations_attendues=len(du_departement),
            manquantes=[s for s in du_departement if s.statut == MANQUANTE],
            en_retard=[s for s in du_departement if s.statut == EN_RETARD],
            sous_consommation=hors_bande[(departement, SOUS_CONSOMMATION)],
            # The most over-consuming first.
            sur_consommation=hors_bande[(departement, SUR_CONSOMMATION)][::-1],
            date_du_calcul=dates.get(departement),
        )
    return resultat


def messages_de_synthese(aujourd_hui: dt.date) -> list[EmailMultiAlternatives]:
    """One e-mail per active agent (text and HTML), with a section for each of their départements and nothing
    of any other."""
    agents: dict[str, tuple[str, set[str]]] = {}
    for email, prenom, departement in Membre.objects.filter(
        actif=True, utilisateur__is_active=True, organisation__type=TypeOrganisation.DDETS
    ).values_list("utilisateur__email", "utilisateur__first_name", "organisation__departement"):
        agents.setdefault(email, (prenom, set()))[1].add(departement)
    if not agents:
        return []
    syntheses = syntheses_des_departements(set().union(*(deps for _, deps in agents.values())), aujourd_hui)
    messages = []
    with translation.override("fr"):
        for email, (prenom, departements) in sorted(agents.items()):
            sections = [syntheses[d] for d in sorted(departements)]
            contexte = {
                "prenom": prenom,
                "syntheses": sections,
                "mois": sections[0].mois,
                "seuil_bas": seuils_de_consommation()[0],
                "seuil_haut": seuils_de_consommation()[1],
            }
            objet = f"Pilot'IAE – synthèse {sections[0].de_mois} – {', '.join(s.nom for s in sections)}"
            message = EmailMultiAlternatives(
                objet,
                render_to_string("indicateurs/email/synthese_mensuelle.txt", contexte),
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            message.attach_alternative(
                render_to_string("indicateurs/email/synthese_mensuelle.html", contexte), "text/html"
            )
            messages.append(message)
    return messages
