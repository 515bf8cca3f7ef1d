"""The contrôle a posteriori of auto-prescriptions (spec §9): a campaign per year and département, the structures
and hires drawn, the proofs the structures send, the decisions and the sanctions.

Scope (comptes/perimetre.py): a campaign is the DDETS's of its département; a control, its hires, proofs and
sanctions are nominative (never for CDIAE members) and their structure's staff see them only once the sample is
out, that is after the échantillonnage.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from base.departements import DEPARTEMENT_CHOICES
from base.historique import Historique, Retirable, sans_les_retires
from comptes.perimetre import PerimetreQuerySet, perimetre_de, perimetre_queryset

from .regles import PART_SIAE_DEFAUT, PART_SIAE_MAX, PART_SIAE_MIN


class Phase(models.TextChoices):
    ECHANTILLONNAGE = "ECHANTILLONNAGE", "Échantillonnage"
    CONTROLE = "CONTROLE", "Contrôle"
    CONTRADICTOIRE = "CONTRADICTOIRE", "Phase contradictoire"
    SANCTIONS = "SANCTIONS", "Sanctions"
    CLOTUREE = "CLOTUREE", "Clôturée"


ORDRE_DES_PHASES = list(Phase)
# The structures send proofs, and the DDETS decides on hires, during these phases.
PHASES_D_EXAMEN = (Phase.CONTROLE, Phase.CONTRADICTOIRE)


def phase_suivante(phase: str) -> Phase | None:
    rang = ORDRE_DES_PHASES.index(Phase(phase))
    return ORDRE_DES_PHASES[rang + 1] if rang + 1 < len(ORDRE_DES_PHASES) else None


class ResultatControle(models.TextChoices):
    EN_COURS = "EN_COURS", "En cours"
    ACCEPTE = "ACCEPTE", "Accepté"
    CONTRADICTOIRE = "CONTRADICTOIRE", "En phase contradictoire"
    REFUSE = "REFUSE", "Refusé"


RESULTATS_DEFINITIFS = (ResultatControle.ACCEPTE, ResultatControle.REFUSE)


class Decision(models.TextChoices):
    A_EXAMINER = "A_EXAMINER", "À examiner"
    ACCEPTEE = "ACCEPTEE", "Acceptée"
    REFUSEE = "REFUSEE", "Refusée"


class TypeSanction(models.TextChoices):
    AUCUNE = "AUCUNE", "Aucune sanction"
    FORMATION = "FORMATION", "Participation à une formation"
    RETRAIT_AUTO_PRESCRIPTION = "RETRAIT_AUTO_PRESCRIPTION", "Retrait de l'auto-prescription"
    REDUCTION_AIDE_AU_POSTE = "REDUCTION_AIDE_AU_POSTE", "Réduction de l'aide au poste"


class CampagneQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The DDETS agents of the département and the administrators; a structure's staff, the campaigns where
        their structure is drawn, once the sample is out (they see only their own control in it)."""
        perimetre = perimetre_de(user)
        if perimetre.administrateur:
            return self.all()
        controles = ControleSiae.objects.visible_to(user).values("campagne_id")
        return self.filter(perimetre.filtre_gestion(departement="departement") | Q(pk__in=controles))

    def gerees_par(self, user):
        return self.filter(perimetre_de(user).filtre_gestion(departement="departement"))


class CampagneControle(models.Model):
    """One year's contrôle a posteriori in one département: the hires of `annee`, checked the following year."""

    annee = models.PositiveSmallIntegerField("année des embauches contrôlées")
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    part_siae = models.PositiveSmallIntegerField(
        "part des structures contrôlées (%)",
        default=PART_SIAE_DEFAUT,
        help_text=f"De {PART_SIAE_MIN} à {PART_SIAE_MAX} % des structures éligibles.",
    )
    graine = models.BigIntegerField("graine du tirage", help_text="Le même tirage se refait avec la même graine.")
    nb_siae_eligibles = models.PositiveIntegerField("structures éligibles au tirage", default=0)
    phase = models.CharField(max_length=15, choices=Phase.choices, default=Phase.ECHANTILLONNAGE)
    echantillonnage_debut = models.DateField("début de l'échantillonnage")
    echantillonnage_fin = models.DateField("fin de l'échantillonnage")
    controle_debut = models.DateField("début du contrôle")
    controle_fin = models.DateField("fin du contrôle")
    contradictoire_debut = models.DateField("début de la phase contradictoire")
    contradictoire_fin = models.DateField("fin de la phase contradictoire")
    sanctions_debut = models.DateField("début des sanctions")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = CampagneQuerySet.as_manager()

    historique = Historique(departement="departement")

    class Meta:
        verbose_name = "campagne de contrôle"
        verbose_name_plural = "campagnes de contrôle"
        ordering = ["-annee", "departement"]
        constraints = [
            models.UniqueConstraint(
                fields=["annee", "departement"],
                name="campagne_une_par_annee_et_departement",
                violation_error_message="Une campagne existe déjà pour cette année dans ce département.",
            ),
            models.CheckConstraint(
                condition=Q(part_siae__gte=PART_SIAE_MIN, part_siae__lte=PART_SIAE_MAX),
                name="campagne_part_siae_20_40",
                violation_error_message=f"La part doit être comprise entre {PART_SIAE_MIN} et {PART_SIAE_MAX} %.",
            ),
            models.CheckConstraint(condition=Q(annee__gte=2000, annee__lte=2100), name="campagne_annee"),
            models.CheckConstraint(condition=Q(graine__gte=0), name="campagne_graine_positive"),
            models.CheckConstraint(
                condition=Q(echantillonnage_fin__gte=F("echantillonnage_debut"))
                & Q(controle_debut__gt=F("echantillonnage_fin"))
                & Q(controle_fin__gte=F("controle_debut"))
                & Q(contradictoire_debut__gt=F("controle_fin"))
                & Q(contradictoire_fin__gte=F("contradictoire_debut"))
                & Q(sanctions_debut__gt=F("contradictoire_fin")),
                name="campagne_calendrier_ordonne",
                violation_error_message="Les phases se suivent sans se chevaucher.",
            ),
        ]

    def __str__(self):
        return f"Contrôle {self.annee} – {self.departement}"

    @property
    def phase_suivante(self) -> Phase | None:
        return phase_suivante(self.phase)

    @property
    def examen_en_cours(self) -> bool:
        return self.phase in PHASES_D_EXAMEN

    def calendrier(self) -> list[tuple[Phase, object, object]]:
        """(phase, planned start, planned end) in order; the sanctions have no planned end."""
        return [
            (Phase.ECHANTILLONNAGE, self.echantillonnage_debut, self.echantillonnage_fin),
            (Phase.CONTROLE, self.controle_debut, self.controle_fin),
            (Phase.CONTRADICTOIRE, self.contradictoire_debut, self.contradictoire_fin),
            (Phase.SANCTIONS, self.sanctions_debut, None),
        ]


class ChangementPhase(models.Model):
    """The record of a campaign entering a phase: when, by whom."""

    campagne = models.ForeignKey(CampagneControle, on_delete=models.CASCADE, related_name="changements")
    phase = models.CharField(max_length=15, choices=Phase.choices)
    date = models.DateTimeField(auto_now_add=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "changement de phase"
        verbose_name_plural = "changements de phase"
        ordering = ["campagne", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["campagne", "phase"], name="changement_phase_unique")]

    def __str__(self):
        return f"{self.campagne} : {self.get_phase_display()} le {self.date:%d/%m/%Y}"


class ApresTirageQuerySet(PerimetreQuerySet):
    """Nominative (never CDIAE members); a structure's staff see it only once the sample is out."""

    chemin_campagne = "campagne"

    def _publie(self, user) -> Q:
        perimetre = perimetre_de(user)
        if perimetre.administrateur:
            return Q()
        c = self.chemin_campagne
        return ~Q(**{f"{c}__phase": Phase.ECHANTILLONNAGE}) | perimetre.filtre_gestion(departement=f"{c}__departement")

    def visible_to(self, user):
        return super().visible_to(user).filter(self._publie(user))

    def de_la_structure(self, user):
        return super().de_la_structure(user).filter(self._publie(user))


class ControleSiaeQuerySet(ApresTirageQuerySet):
    chemin_campagne = "campagne"


class ControleSiae(models.Model):
    """A structure drawn in a campaign and the outcome of its control."""

    campagne = models.ForeignKey(CampagneControle, on_delete=models.CASCADE, related_name="controles")
    siae = models.ForeignKey("siae.Siae", on_delete=models.PROTECT, related_name="controles_a_posteriori")
    nb_auto_prescriptions = models.PositiveIntegerField("auto-prescriptions de l'année au tirage")
    resultat = models.CharField(
        "résultat", max_length=15, choices=ResultatControle.choices, default=ResultatControle.EN_COURS
    )
    commentaire = models.TextField(blank=True)
    date_resultat = models.DateTimeField("date du résultat", null=True, blank=True)
    auteur_resultat = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = perimetre_queryset("siae", nominatif=True, base=ControleSiaeQuerySet).as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        verbose_name = "contrôle d'une structure"
        verbose_name_plural = "contrôles des structures"
        ordering = ["campagne", "siae__nom"]
        constraints = [
            models.UniqueConstraint(fields=["campagne", "siae"], name="controle_siae_unique"),
            models.CheckConstraint(
                condition=Q(nb_auto_prescriptions__gte=2), name="controle_siae_deux_auto_prescriptions"
            ),
        ]

    def __str__(self):
        return f"{self.campagne} : {self.siae.nom}"

    @property
    def resultat_definitif(self) -> bool:
        return self.resultat in RESULTATS_DEFINITIFS

    @property
    def justificatifs_attendus(self) -> bool:
        """The structure may send proofs: during the examination, until its outcome is final."""
        return self.campagne.examen_en_cours and not self.resultat_definitif


class ControleEmbaucheQuerySet(ApresTirageQuerySet):
    chemin_campagne = "controle__campagne"


class ControleEmbauche(models.Model):
    """A hire drawn for checking, and the DDETS's decision on it."""

    controle = models.ForeignKey(ControleSiae, on_delete=models.CASCADE, related_name="embauches")
    parcours = models.ForeignKey("parcours.Parcours", on_delete=models.PROTECT, related_name="controles_a_posteriori")
    decision = models.CharField("décision", max_length=10, choices=Decision.choices, default=Decision.A_EXAMINER)
    motif_refus = models.TextField("motif du refus", blank=True)
    decideur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    date_decision = models.DateTimeField("date de la décision", null=True, blank=True)

    objects = perimetre_queryset("controle__siae", nominatif=True, base=ControleEmbaucheQuerySet).as_manager()

    historique = Historique(departement="controle__siae__departement")

    class Meta:
        verbose_name = "embauche contrôlée"
        verbose_name_plural = "embauches contrôlées"
        ordering = ["controle", "parcours__date_embauche", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["controle", "parcours"], name="controle_embauche_unique"),
            models.CheckConstraint(
                condition=~Q(decision="REFUSEE") | ~Q(motif_refus=""),
                name="controle_embauche_refus_motive",
                violation_error_message="Un refus doit être motivé.",
            ),
            models.CheckConstraint(
                condition=Q(decision="A_EXAMINER", date_decision__isnull=True)
                | (~Q(decision="A_EXAMINER") & Q(date_decision__isnull=False)),
                name="controle_embauche_date_decision",
            ),
        ]

    def __str__(self):
        return f"{self.parcours} ({self.get_decision_display()})"


def chemin_justificatif(instance, nom):
    """Under MEDIA_ROOT, which is never served: only the scoped download view reads these files. The name is
    random; the uploaded one is kept in `nom_fichier`."""
    return f"controle/justificatifs/{uuid.uuid4().hex}.pdf"


class JustificatifQuerySet(ApresTirageQuerySet):
    chemin_campagne = "embauche__controle__campagne"


class Justificatif(models.Model):
    """A proof (PDF) sent by the structure for one hire drawn."""

    embauche = models.ForeignKey(ControleEmbauche, on_delete=models.CASCADE, related_name="justificatifs")
    fichier = models.FileField(upload_to=chemin_justificatif, max_length=255)
    nom_fichier = models.CharField("fichier", max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_depot = models.DateTimeField("déposé le", auto_now_add=True)

    objects = perimetre_queryset("embauche__controle__siae", nominatif=True, base=JustificatifQuerySet).as_manager()

    class Meta:
        ordering = ["embauche", "date_depot", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taille__gt=0, taille__lte=5 * 1024 * 1024), name="justificatif_taille_5_mo"
            ),
        ]

    def __str__(self):
        return self.nom_fichier


class SanctionQuerySet(ApresTirageQuerySet):
    chemin_campagne = "controle__campagne"


class Sanction(Retirable):
    """What the DDETS decides for a structure whose control is refused (spec §9). Withdrawn, it stays, marked
    (`retire_le`, `retire_par`), out of every figure and page."""

    controle = models.ForeignKey(ControleSiae, on_delete=models.CASCADE, related_name="sanctions")
    type = models.CharField(max_length=30, choices=TypeSanction.choices)
    motif = models.TextField(blank=True, help_text="Obligatoire quand aucune sanction n'est prise.")
    date_debut = models.DateField("début du retrait", null=True, blank=True)
    date_fin = models.DateField("fin du retrait", null=True, blank=True)
    pourcentage = models.PositiveSmallIntegerField("réduction de l'aide au poste (%)", null=True, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_decision = models.DateTimeField("décidée le", auto_now_add=True)

    objects = sans_les_retires(perimetre_queryset("controle__siae", nominatif=True, base=SanctionQuerySet))
    tous = models.Manager()

    historique = Historique(departement="controle__siae__departement")

    class Meta:
        ordering = ["controle", "type"]
        constraints = [
            models.UniqueConstraint(
                fields=["controle", "type"], condition=Q(retire_le__isnull=True), name="sanction_unique_par_type"
            ),
            models.CheckConstraint(
                condition=~Q(type="AUCUNE") | ~Q(motif=""),
                name="sanction_aucune_motivee",
                violation_error_message="L'absence de sanction doit être motivée.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(type="RETRAIT_AUTO_PRESCRIPTION", date_debut__isnull=False, date_fin__isnull=False)
                    & Q(date_fin__gte=F("date_debut"))
                )
                | (~Q(type="RETRAIT_AUTO_PRESCRIPTION") & Q(date_debut__isnull=True, date_fin__isnull=True)),
                name="sanction_retrait_dates",
                violation_error_message="Un retrait de l'auto-prescription a un début et une fin, dans cet ordre.",
            ),
            models.CheckConstraint(
                condition=Q(type="REDUCTION_AIDE_AU_POSTE", pourcentage__gte=1, pourcentage__lte=100)
                | (~Q(type="REDUCTION_AIDE_AU_POSTE") & Q(pourcentage__isnull=True)),
                name="sanction_reduction_1_100",
                violation_error_message="Une réduction de l'aide au poste va de 1 à 100 %.",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} – {self.controle.siae.nom}"
