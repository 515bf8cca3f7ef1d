"""What the home pages aggregate: a structure's own figures for its staff (one block per structure, read for all of
them at once), the département's for a CDIAE member (nothing about a person). Each function runs a fixed number of
queries whatever the number of structures, annexes or salariés."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from aides_au_poste import queries as queries_aides
from base import graphiques
from base.calendrier import Periode, de_mois, nom_du_mois
from base.departements import DEPARTEMENTS
from bilans.models import BilanCdiae, StatutBilan
from controle.models import CampagneControle
from controle.queries import echeances_des_campagnes
from conventions.models import AnnexeFinanciere
from conventions.queries import annexes_du_departement, annexes_finissant
from declarations.models import DeclarationMensuelle, EtatDeclaration
from declarations.queries import (
    Suivi,
    a_valider_par_departement,
    dernier_mois_du,
    manquantes_ou_en_retard_par_departement,
    mois_precedent,
    suivi_des_declarations,
)
from indicateurs.queries import courbes_par_structure
from indicateurs.queries_consommation import (
    ConsommationSiae,
    consommation_des_siae,
    consommation_par_type,
    periode_de_reference,
)
from indicateurs.queries_sorties import (
    TOTAL,
    EmbauchesBrsa,
    annexes_de_l_annee,
    embauches_par,
    publics_par_type,
    sorties_des_siae,
    sorties_par_type,
)
from indicateurs.regles import Courbe, seuils_de_consommation, statut_consommation, taux_consommation
from indicateurs.regles_sorties import (
    PLANCHER_EMPLOI_DURABLE,
    PLANCHER_SORTIES_DYNAMIQUES,
    CompteSorties,
    LigneDialogue,
    objectif_part_brsa,
)
from parcours.models import Parcours, Prolongation
from parcours.queries_pass import pass_finissant, prolongations_a_decider
from parcours.regles import ajouter_mois
from siae.models import Siae

# A declaration still to send: never sent, a draft, or sent back by the DDETS.
ETATS_A_FAIRE = (None, EtatDeclaration.BROUILLON, EtatDeclaration.A_CORRIGER)


@dataclass
class BlocSiae:
    """A structure's home: its consumption, its declarations to send, its objectives, its aides au poste."""

    siae: Siae
    annee: int
    periode: Periode
    consommation: ConsommationSiae | None = None
    courbe: Courbe | None = None
    declarations: list[Suivi] = field(default_factory=list)
    sorties: CompteSorties = field(default_factory=CompteSorties)
    embauches: EmbauchesBrsa = field(default_factory=EmbauchesBrsa)
    annexe_objectifs: AnnexeFinanciere | None = None
    aides: list[queries_aides.AideAnnexe] = field(default_factory=list)

    @property
    def taux_projete(self) -> Decimal | None:
        """The year-end projection against the year's ETP conventionnés."""
        c = self.consommation
        if c is None or c.projection_etp is None:
            return None
        return taux_consommation(c.projection_etp, c.annee.etp_conventionnes)

    @property
    def statut_projete(self) -> str | None:
        return statut_consommation(self.taux_projete, *seuils_de_consommation())

    @property
    def graphique(self) -> str | None:
        if self.courbe is None:
            return None
        return graphiques.courbe_consommation(
            self.courbe,
            titre=f"ETP-mois réalisés cumulés face aux conventionnés, {self.siae.nom}, {self.annee}",
        )

    @property
    def manquantes(self) -> int:
        return sum(1 for s in self.declarations if s.statut == "manquante" and s.etat != EtatDeclaration.A_CORRIGER)

    @property
    def objectifs(self) -> list[LigneDialogue]:
        """As the dialogue de gestion shows them: the annexe's objectives, or the historic floors recalled."""
        annexe = self.annexe_objectifs
        objectif_brsa = annexe.objectif_part_brsa if annexe else None
        return [
            LigneDialogue(
                "Sorties dynamiques",
                annexe.objectif_sorties_dynamiques if annexe else None,
                self.sorties.taux_sorties_dynamiques,
                repere=PLANCHER_SORTIES_DYNAMIQUES,
            ),
            LigneDialogue(
                "dont emploi durable",
                annexe.objectif_emploi_durable if annexe else None,
                self.sorties.taux_emploi_durable,
                repere=PLANCHER_EMPLOI_DURABLE,
            ),
            LigneDialogue(
                "Part de bénéficiaires du RSA dans les embauches",
                objectif_part_brsa(objectif_brsa),
                self.embauches.part,
                objectif_par_defaut=objectif_brsa is None,
            ),
        ]

    @property
    def total_aides(self) -> queries_aides.AidesGroupe | None:
        if not self.aides:
            return None
        total = queries_aides.AidesGroupe(self.siae.pk, self.siae.nom, self.siae.type)
        for aide in self.aides:
            total.ajouter(aide)
        return total


def blocs_siae(user, siae_ids, annee: int, aujourd_hui: dt.date | None = None) -> list[BlocSiae]:
    """One block per structure of the user's, in name order, whatever their number: about sixteen queries."""
    aujourd_hui = aujourd_hui or dt.date.today()
    structures = Siae.objects.visible_to(user).filter(pk__in=siae_ids)
    annexes_visibles = AnnexeFinanciere.objects.visible_to(user).actives().filter(siae__in=structures)
    annexes = annexes_du_departement(None, annee, base=annexes_visibles)
    periode = periode_de_reference(annexes, annee, aujourd_hui)
    blocs = {s.pk: BlocSiae(s, annee, periode) for s in structures.order_by("nom", "pk")}
    for consommation in consommation_des_siae(annexes, annee, aujourd_hui):
        blocs[consommation.siae_id].consommation = consommation
    for siae_id, courbe in courbes_par_structure(annexes, annee, aujourd_hui).items():
        blocs[siae_id].courbe = courbe
    # The months over, this year and last (a December still to send in January), that wait for a declaration.
    a_declarer = AnnexeFinanciere.objects.de_la_structure(user).actives().filter(siae__in=structures)
    fin = mois_precedent(aujourd_hui)
    for suivi in suivi_des_declarations(a_declarer, dt.date(fin.year - 1, 1, 1), fin, aujourd_hui):
        if suivi.etat in ETATS_A_FAIRE:
            blocs[suivi.siae_id].declarations.append(suivi)
    for sorties in sorties_des_siae(structures, annee):
        blocs[sorties.structure.siae_id].sorties = sorties.compte
    for cle, embauches in embauches_par(structures, annee, "siae").items():
        blocs[cle[0]].embauches = embauches
    for siae_id, annexe in annexes_de_l_annee(structures, annee).items():
        blocs[siae_id].annexe_objectifs = annexe
    for aide in queries_aides.aides_des_annexes(queries_aides.annexes_de_l_annee(annexes_visibles, annee)):
        blocs[aide.siae_id].aides.append(aide)
    return list(blocs.values())


@dataclass
class ChiffresDepartement:
    """A département's aggregated figures for the year, as the CDIAE sees them."""

    departement: str
    annee: int
    periode: Periode
    consommation: list  # conventions.queries.Consommation per kind, then TOTAL
    sorties: list  # indicateurs.queries_sorties.LigneSorties per kind, then TOTAL
    publics: list  # indicateurs.queries_sorties.LignePublics per kind, then TOTAL
    aides: list  # aides_au_poste.queries.AidesGroupe per kind, then TOTAL

    @property
    def consommation_totale(self):
        return self.consommation[-1]

    @property
    def sorties_totales(self) -> CompteSorties:
        return next(ligne.courant for ligne in self.sorties if ligne.cle == TOTAL)

    @property
    def publics_totaux(self):
        return self.publics[-1]

    @property
    def aides_totales(self):
        return self.aides[-1]


def chiffres_du_departement(user, departement: str, annee: int, aujourd_hui: dt.date | None = None):
    """Consumption by kind, examined exits, publics and aides au poste of the département. Eleven queries."""
    structures = Siae.objects.visible_to(user).filter(departement=departement)
    annexes_visibles = AnnexeFinanciere.objects.visible_to(user).actives()
    annexes = annexes_du_departement(departement, annee, base=annexes_visibles)
    periode = periode_de_reference(annexes, annee, aujourd_hui)
    return ChiffresDepartement(
        departement=departement,
        annee=annee,
        periode=periode,
        consommation=consommation_par_type(annexes, periode),
        sorties=sorties_par_type(structures, [annee]),
        publics=publics_par_type(structures, annee),
        aides=queries_aides.par_type(
            queries_aides.aides_des_annexes(
                queries_aides.annexes_de_l_annee(annexes_visibles.filter(siae__departement=departement), annee)
            )
        ),
    )


def bilans_du_departement(user, departement: str, nombre: int = 5) -> list[BilanCdiae]:
    """The latest bilans of the département ready to download, the most recent year first. One query."""
    return list(
        BilanCdiae.objects.visible_to(user)
        .filter(departement=departement, statut=StatutBilan.PRET)
        .order_by("-annee", "-date_fin", "-pk")[:nombre]
    )


# How far ahead the agent's to-do looks for PASS IAE, annexes and contrôle phases coming to an end.
HORIZON_MOIS = 3


@dataclass
class Tache:
    """One line of the agent's to-do: how many things wait, where to act on them, and the first ones by name."""

    cle: str
    libelle: str
    nombre: int
    url: str | None = None
    elements: list[tuple[str, str, str]] = field(default_factory=list)  # (text, link, detail)

    @property
    def autres(self) -> int:
        return max(self.nombre - len(self.elements), 0)


@dataclass
class TachesDepartement:
    departement: str
    nom: str
    taches: list[Tache]

    @property
    def total(self) -> int:
        return sum(t.nombre for t in self.taches)


def _pluriel(nombre: int, singulier: str, pluriel: str) -> str:
    return f"{nombre} {singulier if nombre == 1 else pluriel}"


def taches_de_l_agent(user, aujourd_hui: dt.date | None = None) -> list[TachesDepartement]:
    """The agent's to-do, département by département: declarations to validate, missing or late, prolongations to
    decide, PASS IAE and annexes ending within HORIZON_MOIS months, contrôle phases ending. Each kind is counted by
    an aggregate query of the app that owns it and its first items are read at once: nine queries, whatever the
    number of départements, structures or salariés."""
    aujourd_hui = aujourd_hui or dt.date.today()
    horizon = ajouter_mois(aujourd_hui, HORIZON_MOIS)
    mois_du = dernier_mois_du(aujourd_hui)
    debut = mois_du.replace(month=1)
    annexes = AnnexeFinanciere.objects.visible_to(user).actives()
    a_valider = a_valider_par_departement(DeclarationMensuelle.objects.visible_to(user))
    manquantes = manquantes_ou_en_retard_par_departement(annexes, debut, mois_du)
    prolongations, premieres_prolongations = prolongations_a_decider(Prolongation.objects.de_la_structure(user))
    passes, premiers_passes = pass_finissant(Parcours.objects.visible_to(user), aujourd_hui, horizon)
    fins_annexes, premieres_annexes = annexes_finissant(annexes, aujourd_hui, horizon)
    campagnes = echeances_des_campagnes(CampagneControle.objects.gerees_par(user), horizon)

    perimetre = user.perimetre
    departements = set(perimetre.departements_ddets)
    if perimetre.administrateur:
        # Every département where something waits: a national administrator has no list of their own.
        departements |= {*a_valider, *manquantes, *prolongations, *passes, *fins_annexes}
        departements |= {c.departement for c in campagnes}
    url_suivi = reverse("declarations:suivi")
    url_du_mois = f"{url_suivi}?mois={mois_du:%Y-%m}"
    resultat = []
    for departement in sorted(departements):
        nb_manquantes, nb_en_retard = manquantes.get(departement, (0, 0))
        nb_a_valider = a_valider.get(departement, 0)
        nb_prolongations = prolongations.get(departement, 0)
        nb_passes = passes.get(departement, 0)
        nb_annexes = fins_annexes.get(departement, 0)
        siennes = [c for c in campagnes if c.departement == departement]
        taches = [
            Tache(
                "a_valider",
                f"{_pluriel(nb_a_valider, 'déclaration transmise', 'déclarations transmises')} à valider",
                nb_a_valider,
                url_suivi,
            ),
            Tache(
                "manquantes",
                f"{_pluriel(nb_manquantes, 'déclaration manquante', 'déclarations manquantes')} "
                f"de {nom_du_mois(debut)} à {nom_du_mois(mois_du)}",
                nb_manquantes,
                url_du_mois,
            ),
            Tache(
                "en_retard",
                f"{_pluriel(nb_en_retard, 'déclaration', 'déclarations')} {de_mois(mois_du)} transmise"
                f"{'' if nb_en_retard == 1 else 's'} en retard",
                nb_en_retard,
                url_du_mois,
            ),
            Tache(
                "prolongations",
                f"{_pluriel(nb_prolongations, 'prolongation', 'prolongations')} du PASS IAE à décider",
                nb_prolongations,
                elements=[
                    (
                        f"{p.pass_iae.salarie} – {p.siae.nom}",
                        reverse("parcours:decision", args=[p.pk]),
                        f"demandée le {p.date_demande:%d/%m/%Y}",
                    )
                    for p in premieres_prolongations
                    if p.siae.departement == departement
                ],
            ),
            Tache(
                "pass",
                f"{_pluriel(nb_passes, 'PASS IAE finit', 'PASS IAE finissent')} d'ici le {horizon:%d/%m/%Y}",
                nb_passes,
                elements=[
                    (
                        f"{p.pass_iae.salarie} – {p.siae.nom}",
                        reverse("pilotage:salarie", args=[p.pass_iae.salarie_id]),
                        f"fin le {p.pass_iae.date_fin:%d/%m/%Y}",
                    )
                    for p in premiers_passes
                    if p.siae.departement == departement
                ],
            ),
            Tache(
                "annexes",
                f"{_pluriel(nb_annexes, 'annexe financière finit', 'annexes financières finissent')} "
                f"d'ici le {horizon:%d/%m/%Y}",
                nb_annexes,
                f"{reverse('conventions:annexes')}?departement={departement}",
                elements=[
                    (
                        f"{a.numero} – {a.siae.nom}",
                        reverse("pilotage:annexe", args=[a.pk]),
                        f"fin le {a.date_fin:%d/%m/%Y}",
                    )
                    for a in premieres_annexes
                    if a.siae.departement == departement
                ],
            ),
            Tache(
                "controle",
                f"{_pluriel(len(siennes), 'échéance', 'échéances')} du contrôle a posteriori d'ici le "
                f"{horizon:%d/%m/%Y}",
                len(siennes),
                elements=[
                    (
                        f"Contrôle des embauches {c.annee} : {c.get_phase_display().lower()}",
                        reverse("controle:campagne", args=[c.pk]),
                        f"{'finie le' if c.echeance < aujourd_hui else 'fin le'} {c.echeance:%d/%m/%Y}",
                    )
                    for c in siennes
                ],
            ),
        ]
        resultat.append(TachesDepartement(departement, DEPARTEMENTS.get(departement, departement), taches))
    return resultat
