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
from base.calendrier import mois_de_l_annee, nom_du_mois
from base.departements import DEPARTEMENTS
from base.exports import ETP, MOIS, MONTANT, TAUX, TEXTE, Colonne, Tableau, filtres_de_la_page, reponse_tableaux
from base.formats import arrondi, taux_fr
from base.vues import AgentRequisMixin
from comptes.choix import ChoixDepartementMixin, annee_demandee
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement
from indicateurs.regles import seuils_de_consommation
from pilotage.queries import departements_actifs_en
from pilotage.redeploiement import (
    CHAMPS,
    Erreur,
    Mouvement,
    Simulation,
    Situation,
    annexes_simulees,
    mois_propose,
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


STATUTS = {"sous-consommation": "Sous-consommation", "conforme": "Conforme", "sur-consommation": "Sur-consommation"}
COLONNES_MOUVEMENTS = [
    Colonne("ligne", "Ligne", TEXTE, 8),
    Colonne("annexe_qui_cede", "Annexe qui cède", TEXTE, 22),
    Colonne("structure_qui_cede", "Structure qui cède", TEXTE),
    Colonne("annexe_qui_recoit", "Annexe qui reçoit", TEXTE, 22),
    Colonne("structure_qui_recoit", "Structure qui reçoit", TEXTE),
    Colonne("etp", "ETP", ETP),
    Colonne("a_partir_de", "À partir de", MOIS, 16),
    Colonne("etp_mois_retires", "ETP-mois retirés", ETP),
    Colonne("etp_mois_ajoutes", "ETP-mois ajoutés", ETP),
    Colonne("socle_cede", "Socle cédé", MONTANT),
    Colonne("socle_recu", "Socle reçu", MONTANT),
    Colonne("effet_socle", "Effet sur le socle", MONTANT),
]
COLONNES_STRUCTURES = [
    Colonne("siret", "SIRET", TEXTE, 16),
    Colonne("structure", "Structure", TEXTE),
    Colonne("type", "Type", TEXTE, 10),
    Colonne("etp_conventionnes_avant", "ETP conventionnés avant", ETP),
    Colonne("etp_conventionnes_apres", "ETP conventionnés après", ETP),
    Colonne("etp_realises_a_date", "ETP réalisés à date", ETP),
    Colonne("projection_etp", "Projection (ETP)", ETP),
    Colonne("taux_projete_avant", "Taux projeté avant", TAUX),
    Colonne("taux_projete_apres", "Taux projeté après", TAUX),
    Colonne("statut_avant", "Statut avant", TEXTE, 18, STATUTS),
    Colonne("statut_apres", "Statut après", TEXTE, 18, STATUTS),
    Colonne("effet_socle", "Effet sur le socle", MONTANT),
]


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
            "a_partir_de": e.mouvement.mois,
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


class Redeploiement(AgentRequisMixin, ChoixDepartementMixin, TemplateView):
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

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.actifs = {}  # année → départements with annexes, read once: the choice and the selector both ask

    def departements_au_choix(self, annee: int) -> list[str]:
        # Only the départements the agent manages: a CDIAE seat elsewhere gives no say in its envelope.
        perimetre = self.request.user.perimetre
        if not perimetre.administrateur:
            return sorted(perimetre.departements_ddets)
        if annee not in self.actifs:
            self.actifs[annee] = departements_actifs_en(annee)
        return self.actifs[annee]

    def departement(self) -> str | None:
        demande = self.request.GET.get("departement")
        proposes = self.departements_au_choix(annee_demandee(self.request))
        if self.request.user.perimetre.administrateur:
            # An administrator starts with the first département that has annexes this year.
            return demande if demande in DEPARTEMENTS else (proposes[0] if proposes else None)
        return demande if demande in proposes else proposes[0]

    def formulaires(self, annexes: list, simulation: Simulation, annee: int, soumis: bool) -> list[MouvementForm]:
        """The lines of the proposal, each annexe offered with its projected rate."""
        situations = {s.cle: s for s in simulation.annexes}
        choix_annexes = [
            (a.pk, f"{a.nom} · {taux_fr(situations[a.pk].taux_projete_avant)} · {a.numero}") for a in annexes
        ]
        choix_mois = [(f"{m:%Y-%m}", nom_du_mois(m)) for m in mois_de_l_annee(annee)]
        initial = {"mois": f"{mois_propose(annee, dt.date.today()):%Y-%m}"}
        return [
            MouvementForm(
                self.request.GET if soumis else None,
                ligne=n,
                annexes=choix_annexes,
                mois=choix_mois,
                annee=annee,
                initial=initial,
            )
            for n in range(1, self.nombre_de_lignes() + 1)
        ]

    def get(self, request, *args, **kwargs):
        annee = annee_demandee(request)
        contexte = self.contexte_du_choix(annee)
        departement = contexte["departement"]
        if departement is None:
            return self.render_to_response(self.get_context_data(**contexte))
        gerees = AnnexeFinanciere.objects.gerees_par(request.user).actives()
        annexes, reference = annexes_simulees(annexes_du_departement(departement, annee, base=gerees), annee)
        seuils = seuils_de_consommation()
        etat = simuler(annexes, [], annee, departement, reference.fin, seuils)
        soumis = "simulation" in request.GET
        formulaires = self.formulaires(annexes, etat, annee, soumis)
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
            sous_consommation=etat.sous_consommation,
            sur_consommation=etat.sur_consommation,
            marge=etat.marge,
            besoin=etat.besoin,
        )
        return self.render_to_response(self.get_context_data(**contexte))

    def exporter(self, simulation: Simulation, format_: str) -> HttpResponse:
        feuilles = lignes_de_l_export(simulation)
        filtres = filtres_de_la_page(simulation.annee, simulation.departement)
        tableaux = [
            Tableau("Mouvements", COLONNES_MOUVEMENTS, feuilles["mouvements"], filtres),
            Tableau("Structures", COLONNES_STRUCTURES, feuilles["structures"], filtres),
        ]
        # A CSV holds one table: each row says its section (base.exports.fusionner).
        return reponse_tableaux(format_, tableaux, f"redeploiement-{simulation.departement}-{simulation.annee}")
