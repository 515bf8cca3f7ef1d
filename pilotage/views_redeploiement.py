"""The redeployment simulator (DDETS agents): move ETP conventionnés between the annexes of the département and see
each structure's projected rate and the aide au poste effect, then export the proposal. Nothing is written: the
form is a GET, its URL is the proposal (rules: `pilotage/redeploiement.py`)."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.http import HttpResponse
from django.views.generic import TemplateView
from dsfr.forms import DsfrBaseForm

from aides_au_poste.regles import arrondi_euro
from base.departements import DEPARTEMENTS
from base.exports import reponse_csv, reponse_xlsx
from base.formats import arrondi, taux_fr
from base.vues import AgentRequisMixin
from conventions.filters import choix_des_annees
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from conventions.views import annee_demandee
from pilotage.redeploiement import (
    CHAMPS,
    Erreur,
    Mouvement,
    Simulation,
    Situation,
    annexes_simulees,
    libelle_mois,
    seuils_de_consommation,
    simuler,
)

LIGNES_PAR_DEFAUT = 3
LIGNES_MAXIMUM = 20
MESSAGES_MANQUANTS = {
    "source": "choisissez l'annexe qui cède les ETP",
    "destination": "choisissez l'annexe qui les reçoit",
    "etp": "indiquez le nombre d'ETP à déplacer",
    "mois": "choisissez le mois à partir duquel les ETP sont déplacés",
}


class MouvementForm(DsfrBaseForm):
    """One line of the proposal. A line left empty is ignored; the annexes are checked by the rules (an annexe of
    another département is refused there, with its line)."""

    source = forms.IntegerField(label="Annexe qui cède", required=False, widget=forms.Select)
    destination = forms.IntegerField(label="Annexe qui reçoit", required=False, widget=forms.Select)
    etp = forms.DecimalField(
        label="ETP déplacés",
        required=False,
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    mois = forms.ChoiceField(label="À partir de", required=False)

    def __init__(self, *args, ligne: int, annexes: list[tuple], mois: list[tuple], annee: int, **kwargs):
        super().__init__(*args, prefix=f"l{ligne}", **kwargs)
        self.ligne = ligne
        self.fields["source"].widget.choices = [("", "Choisir une annexe"), *annexes]
        self.fields["destination"].widget.choices = [("", "Choisir une annexe"), *annexes]
        self.fields["mois"].choices = mois
        self.fields["mois"].error_messages["invalid_choice"] = f"Choisissez un mois de {annee}."

    @property
    def vide(self) -> bool:
        return self.is_bound and not any(
            str(self.data.get(self.add_prefix(champ), "")).strip() for champ in ("source", "destination", "etp")
        )

    def clean(self):
        donnees = super().clean()
        if self.vide:
            return donnees
        for champ, message in MESSAGES_MANQUANTS.items():
            if champ not in self.errors and donnees.get(champ) in (None, ""):
                self.add_error(champ, message[0].upper() + message[1:] + ".")
        return donnees

    def mouvement(self) -> Mouvement:
        d = self.cleaned_data
        return Mouvement(
            self.ligne, d["source"], d["destination"], d["etp"], dt.datetime.strptime(d["mois"], "%Y-%m").date()
        )


def _phrase(message: str) -> str:
    """Django's messages are sentences ("Saisissez un nombre."); after « champ » : they continue one."""
    message = str(message).rstrip(".")
    return message[0].lower() + message[1:]


def _taux(valeur: Decimal | None) -> Decimal | None:
    return None if valeur is None else arrondi(valeur * 100, 1)


def _etp(valeur: Decimal | None) -> Decimal | None:
    return None if valeur is None else arrondi(valeur, 2)


def lignes_de_l_export(simulation: Simulation) -> dict[str, list[dict]]:
    """The proposal: its moves, then the structures they change and the département (amounts rounded to the cent,
    ETP to 2 decimals, rates in % to 1 decimal)."""
    mouvements = [
        {
            "ligne": e.mouvement.ligne,
            "annexe_qui_cede": e.source.numero,
            "structure_qui_cede": e.source.nom,
            "annexe_qui_recoit": e.destination.numero,
            "structure_qui_recoit": e.destination.nom,
            "etp": _etp(e.mouvement.etp),
            "a_partir_de": f"{e.mouvement.mois:%Y-%m}",
            "etp_mois_retires": _etp(e.etp_mois_retires),
            "etp_mois_ajoutes": _etp(e.etp_mois_ajoutes),
            "socle_cede": arrondi_euro(e.socle_cede),
            "socle_recu": arrondi_euro(e.socle_recu),
            "effet_socle": arrondi_euro(e.effet_socle),
        }
        for e in simulation.effets
    ]

    def ligne(s: Situation) -> dict:
        return {
            "siret": s.siret,
            "structure": s.libelle,
            "type": s.type,
            "etp_conventionnes_avant": _etp(s.etp_conventionnes_avant),
            "etp_conventionnes_apres": _etp(s.etp_conventionnes_apres),
            "etp_realises_a_date": _etp(s.etp_realises_a_date),
            "projection_etp": _etp(s.projection_etp),
            "taux_projete_avant": _taux(s.taux_projete_avant),
            "taux_projete_apres": _taux(s.taux_projete_apres),
            "statut_avant": s.statut_avant,
            "statut_apres": s.statut_apres,
            "effet_socle": arrondi_euro(s.delta_socle),
        }

    total = {**ligne(simulation.total), "structure": f"TOTAL département {simulation.departement}"}
    return {"mouvements": mouvements, "structures": [*(ligne(s) for s in simulation.structures), total]}


class Redeploiement(AgentRequisMixin, TemplateView):
    """The département's annexes of the year with their projected consumption; the moves typed in the form and
    their effect. `?export=csv` or `xlsx` downloads the proposal once it stands."""

    template_name = "pilotage/redeploiement.html"

    def nombre_de_lignes(self) -> int:
        demandees = [LIGNES_PAR_DEFAUT]
        for valeur in self.request.GET.getlist("lignes"):
            if valeur.isdigit():
                demandees.append(int(valeur))
        # A line typed beyond the count asked for is kept.
        for cle in self.request.GET:
            prefixe = cle.split("-", 1)[0]
            if prefixe.startswith("l") and prefixe[1:].isdigit():
                demandees.append(int(prefixe[1:]))
        return max(1, min(max(demandees), LIGNES_MAXIMUM))

    def departements_proposes(self, annee: int) -> list[str]:
        perimetre = self.request.user.perimetre
        if not perimetre.administrateur:
            return sorted(perimetre.departements_ddets)
        annexes = annexes_du_departement(None, annee, base=AnnexeFinanciere.objects.all())
        return sorted(set(annexes.order_by().values_list("siae__departement", flat=True).distinct()))

    def departement(self) -> str | None:
        # Only the départements the agent manages: a CDIAE seat elsewhere gives no say in its envelope.
        perimetre = self.request.user.perimetre
        demande = self.request.GET.get("departement")
        if perimetre.administrateur:
            return demande or None
        geres = sorted(perimetre.departements_ddets)
        return demande if demande in geres else geres[0]

    def get(self, request, *args, **kwargs):
        annee = annee_demandee(request)
        proposes = self.departements_proposes(annee)
        # An administrator starts with the first département that has annexes this year.
        departement = self.departement() or (proposes[0] if proposes else None)
        contexte = {
            "annee": annee,
            "annees": [a for a, _ in choix_des_annees()],
            "departement": departement,
            "nom_departement": DEPARTEMENTS.get(departement or "", ""),
            "departements": proposes,
        }
        if departement is None:
            return self.render_to_response(self.get_context_data(**contexte))
        gerees = AnnexeFinanciere.objects.gerees_par(request.user).actives()
        annexes, reference = annexes_simulees(annexes_du_departement(departement, annee, base=gerees), annee)
        seuils = seuils_de_consommation()
        etat = simuler(annexes, [], annee, departement, reference.fin, seuils)
        situations = {s.cle: s for s in etat.annexes}
        choix_annexes = [
            (a.pk, f"{a.nom} · {taux_fr(situations[a.pk].taux_projete_avant)} · {a.numero}") for a in annexes
        ]
        mois = [dt.date(annee, m, 1) for m in range(1, 13)]
        choix_mois = [(f"{m:%Y-%m}", libelle_mois(m)) for m in mois]
        soumis = "simulation" in request.GET
        aujourd_hui = dt.date.today()
        mois_initial = dt.date(annee, aujourd_hui.month, 1) if aujourd_hui.year == annee else mois[0]
        if aujourd_hui.year == annee and aujourd_hui.month < 12:
            mois_initial = dt.date(annee, aujourd_hui.month + 1, 1)
        formulaires = [
            MouvementForm(
                request.GET if soumis else None,
                ligne=n,
                annexes=choix_annexes,
                mois=choix_mois,
                annee=annee,
                initial={"mois": f"{mois_initial:%Y-%m}"},
            )
            for n in range(1, self.nombre_de_lignes() + 1)
        ]
        mouvements, erreurs = [], []
        for formulaire in formulaires:
            if not formulaire.is_bound or formulaire.vide:
                continue
            if formulaire.is_valid():
                mouvements.append(formulaire.mouvement())
            else:
                erreurs += [
                    Erreur(_phrase(message), formulaire.ligne, champ)
                    for champ in formulaire.fields
                    for message in formulaire.errors.get(champ, [])
                ]
        simulation = simuler(annexes, mouvements, annee, departement, reference.fin, seuils)
        if erreurs and simulation.simulee:
            # A line the form refused: nothing is simulated on the rest of the proposal.
            simulation = etat
        par_ligne = {f.ligne: f for f in formulaires}
        for erreur in simulation.erreurs:
            if erreur.ligne in par_ligne and erreur.champ in CHAMPS:
                message = erreur.message
                par_ligne[erreur.ligne].add_error(erreur.champ, message[0].upper() + message[1:] + ".")
        erreurs = sorted([*erreurs, *simulation.erreurs], key=lambda e: (e.ligne is None, e.ligne or 0))
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and simulation.simulee:
            return self.exporter(simulation, export)
        contexte.update(
            periode=reference,
            annee_complete=reference.nombre_de_mois == 12,
            simulation=simulation,
            formulaires=formulaires,
            nombre_de_lignes=len(formulaires),
            lignes_max=LIGNES_MAXIMUM,
            erreurs=erreurs,
            soumis=soumis,
            sans_mouvement=soumis and not mouvements and not erreurs,
            export_refuse=export in ("csv", "xlsx"),
            sous_consommation=[s for s in etat.annexes if s.statut_avant == "sous-consommation"],
            sur_consommation=[s for s in etat.annexes if s.statut_avant == "sur-consommation"],
        )
        contexte["marge"] = -sum((s.ecart_projete_avant for s in contexte["sous_consommation"]), Decimal(0))
        contexte["besoin"] = sum((s.ecart_projete_avant for s in contexte["sur_consommation"]), Decimal(0))
        return self.render_to_response(self.get_context_data(**contexte))

    def exporter(self, simulation: Simulation, format_: str) -> HttpResponse:
        feuilles = lignes_de_l_export(simulation)
        nom = f"redeploiement-{simulation.departement}-{simulation.annee}"
        if format_ == "xlsx":
            return reponse_xlsx(feuilles, nom)
        # One table, each row with its section, as `exporter indicateurs` writes it.
        return reponse_csv([{"section": s, **ligne} for s, contenu in feuilles.items() for ligne in contenu], nom)
