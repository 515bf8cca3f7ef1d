from django.db import models
from django.db.models import F, Q

from comptes.perimetre import perimetre_queryset
from declarations.models import EtatDeclaration
from siae.models import TypeSiae


class IndicateurMensuel(models.Model):
    """The figures of one active annexe for one month, materialised from the same SQL aggregates the live pages
    run (`indicateurs.queries_consommation`) and rebuilt by `indicateurs.services.rafraichir`: what dashboards read when they span
    many structures and months. Never written by hand; a row is as fresh as its `date_calcul`."""

    annexe = models.ForeignKey(
        "conventions.AnnexeFinanciere", on_delete=models.CASCADE, related_name="indicateurs_mensuels"
    )
    mois = models.DateField(help_text="Premier jour du mois.")
    # Copied from the annexe and its structure so that a département's year is one range of one index.
    siae = models.ForeignKey("siae.Siae", on_delete=models.CASCADE, related_name="+")
    departement = models.CharField("département", max_length=3)
    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    etp_conventionnes = models.DecimalField("ETP conventionnés", max_digits=8, decimal_places=2, default=0)
    heures_travaillees = models.DecimalField("heures travaillées", max_digits=12, decimal_places=2, default=0)
    # ETP-mois at full precision: rounding happens only when a figure is shown.
    etp_realises = models.DecimalField("ETP réalisés", max_digits=32, decimal_places=20, default=0)
    salaries = models.PositiveIntegerField("salariés", default=0, help_text="PASS IAE distincts avec des heures.")
    salaries_brsa = models.PositiveIntegerField("dont bRSA à l'embauche", default=0)
    entrees = models.PositiveIntegerField("entrées", default=0, help_text="Embauches datées du mois.")
    sorties = models.PositiveIntegerField(default=0, help_text="Sorties datées du mois.")
    declaration_retenue = models.CharField(
        "état de la déclaration retenue",
        max_length=10,
        choices=EtatDeclaration.choices,
        blank=True,
        help_text="Vide quand aucune déclaration du mois n'a été transmise.",
    )
    date_calcul = models.DateTimeField("calculé le")

    objects = perimetre_queryset("siae", chemin_departement="departement").as_manager()

    class Meta:
        verbose_name = "indicateur mensuel"
        verbose_name_plural = "indicateurs mensuels"
        ordering = ["annexe", "mois"]
        constraints = [
            models.UniqueConstraint(fields=["annexe", "mois"], name="indicateur_annexe_mois_unique"),
            models.CheckConstraint(
                condition=Q(etp_conventionnes__gte=0, heures_travaillees__gte=0, etp_realises__gte=0),
                name="indicateur_valeurs_positives",
            ),
            models.CheckConstraint(condition=Q(salaries_brsa__lte=F("salaries")), name="indicateur_brsa_salaries"),
        ]
        indexes = [
            # A département's months (all kinds, or one: the kind is read from the index itself).
            models.Index(fields=["departement", "mois", "type"], name="indicateur_dep_mois_type_idx"),
            models.Index(fields=["siae", "mois"], name="indicateur_siae_mois_idx"),
        ]

    def __str__(self):
        return f"{self.annexe.numero} – {self.mois:%m/%Y}"
