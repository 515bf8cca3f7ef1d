"""Decisions on the modulation rate of each annexe financière (append-only history: the latest one is the rate of
the annexe) and the département's yearly envelope of modulation (its changes kept in its `historique`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from base.departements import DEPARTEMENT_CHOICES
from base.historique import Historique
from comptes.perimetre import perimetre_departement_queryset, perimetre_queryset
from conventions.models import AnnexeFinanciere

# The DDETS's instruction of a structure's modulation (scores, rates, the agent's comment) is shared with the
# structure itself, never with the CDIAE (which sees the amounts on the aides au poste pages): the scope of the
# data a DDETS shares with one structure only.
DecisionQuerySet = perimetre_queryset("annexe__siae", nominatif=True)


class DecisionModulation(models.Model):
    """A rate decided by a DDETS agent for an annexe, with the proposal it was decided against (rate, the three
    scores and their data, as shown then) and the agent's comment. Never changed nor deleted: a new decision
    supersedes the previous one and sets `AnnexeFinanciere.taux_modulation` (modulation/services.py)."""

    annexe = models.ForeignKey(AnnexeFinanciere, on_delete=models.PROTECT, related_name="decisions_modulation")
    taux = models.DecimalField(
        "taux décidé", max_digits=5, decimal_places=4, help_text="En fraction du socle : 0,045 = 4,5 %."
    )
    taux_propose = models.DecimalField("taux proposé", max_digits=5, decimal_places=4, null=True, blank=True)
    note_publics = models.DecimalField("note du profil des publics", max_digits=4, decimal_places=1, null=True)
    note_effort = models.DecimalField("note de l'effort d'insertion", max_digits=4, decimal_places=1, null=True)
    note_resultats = models.DecimalField("note des résultats", max_digits=4, decimal_places=1, null=True)
    annee_reference = models.PositiveSmallIntegerField("année des critères")
    donnees = models.JSONField("données de la proposition", default=dict, blank=True)
    commentaire = models.TextField()
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    date = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    historique = Historique(departement="annexe__siae__departement")

    class Meta:
        verbose_name = "décision de modulation"
        verbose_name_plural = "décisions de modulation"
        ordering = ["annexe", "-date", "-pk"]
        indexes = [models.Index(fields=["annexe", "date"], name="decision_modulation_annexe_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(taux__gte=0, taux__lte="0.10"), name="decision_modulation_0_10"),
            models.CheckConstraint(
                condition=Q(taux_propose__isnull=True) | Q(taux_propose__gte=0, taux_propose__lte="0.10"),
                name="decision_modulation_propose_0_10",
            ),
            models.CheckConstraint(condition=~Q(commentaire=""), name="decision_modulation_commentee"),
        ]

    def __str__(self):
        return f"{self.annexe} : {self.taux * 100:.1f} % le {timezone.localtime(self.date):%d/%m/%Y}"


# An envelope hangs from a département, not from a structure: the DDETS agents of the département (and the
# administrators) read and write it; it is their working amount, not shown to the CDIAE.
EnveloppeQuerySet = perimetre_departement_queryset("departement", nominatif=True)


class EnveloppeModulation(models.Model):
    """The amount of modulation a département may grant for the annexes starting in a year."""

    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant de l'enveloppe", max_digits=12, decimal_places=2)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    date_modification = models.DateTimeField(default=timezone.now)

    objects = EnveloppeQuerySet.as_manager()

    # Each amount it has had, by whom, when, and the agent's comment (the version's reason).
    historique = Historique(departement="departement")

    class Meta:
        verbose_name = "enveloppe de modulation"
        verbose_name_plural = "enveloppes de modulation"
        ordering = ["departement", "-annee"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "annee"], name="enveloppe_modulation_unique"),
            models.CheckConstraint(condition=Q(montant__gte=0), name="enveloppe_modulation_positive"),
        ]

    def __str__(self):
        return f"Enveloppe de modulation {self.annee} ({self.departement})"
