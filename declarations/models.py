from django.conf import settings
from django.db import models
from django.db.models import Q

from base.historique import Historique
from comptes.perimetre import perimetre_queryset


class EtatDeclaration(models.TextChoices):
    BROUILLON = "BROUILLON", "Brouillon"
    TRANSMISE = "TRANSMISE", "Transmise"
    VALIDEE = "VALIDEE", "Validée"
    A_CORRIGER = "A_CORRIGER", "À corriger"


class SourceDeclaration(models.TextChoices):
    PILOTIAE = "PILOTIAE", "Pilot'IAE"
    ASP = "ASP", "ASP (fluxIAE)"


class DeclarationMensuelle(models.Model):
    """The monthly declaration of one annexe (spec §3). Once transmitted, a version is never edited: a change is a
    new version, with its author and reason, and `retenue` marks the one version whose hours count in the figures."""

    annexe = models.ForeignKey("conventions.AnnexeFinanciere", on_delete=models.PROTECT, related_name="declarations")
    mois = models.DateField(help_text="Premier jour du mois déclaré.")
    version = models.PositiveSmallIntegerField(default=1)
    etat = models.CharField("état", max_length=10, choices=EtatDeclaration.choices, default=EtatDeclaration.BROUILLON)
    retenue = models.BooleanField(
        default=False, help_text="La version dont les heures comptent (la dernière transmise)."
    )
    date_transmission = models.DateTimeField(null=True, blank=True)
    transmise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motif_retour = models.TextField("motif du renvoi", blank=True)
    # Who opened this version, and why it replaces the previous one (a correction in the grid, an imported file).
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    motif_version = models.CharField(
        "motif de la version",
        max_length=500,
        blank=True,
        help_text="Pourquoi cette version remplace la précédente (vide pour une première version).",
    )
    # Where the version comes from: typed or imported here, or the ASP's monthly state (EMI) read from the fluxIAE,
    # with the EMI version it was built from and its state code there (VALIDE, DEBLOQUE, SAISI, BROUILLON).
    source = models.CharField(max_length=8, choices=SourceDeclaration.choices, default=SourceDeclaration.PILOTIAE)
    version_asp = models.PositiveIntegerField(
        "version ASP", null=True, blank=True, help_text="emi_sme_version de l'état mensuel dont elle vient."
    )
    etat_asp = models.CharField(
        "état ASP", max_length=12, blank=True, help_text="emi_esm_etat_code : VALIDE, DEBLOQUE, SAISI ou BROUILLON."
    )
    date_creation = models.DateTimeField(auto_now_add=True)
    date_modification = models.DateTimeField(auto_now=True)

    objects = perimetre_queryset("annexe__siae").as_manager()

    historique = Historique(departement="annexe__siae__departement")

    class Meta:
        verbose_name = "déclaration mensuelle"
        verbose_name_plural = "déclarations mensuelles"
        ordering = ["-mois", "annexe", "-version"]
        indexes = [models.Index(fields=["mois", "annexe"], name="declaration_mois_idx")]
        constraints = [
            models.UniqueConstraint(fields=["annexe", "mois", "version"], name="declaration_version_unique"),
            models.UniqueConstraint(
                fields=["annexe", "mois"], condition=Q(retenue=True), name="declaration_une_retenue"
            ),
            models.CheckConstraint(
                condition=Q(retenue=False) | ~Q(etat="BROUILLON"), name="declaration_retenue_transmise"
            ),
        ]

    def __str__(self):
        return f"{self.annexe.numero} – {self.mois:%m/%Y} (v{self.version})"


class LigneDeclaration(models.Model):
    # The biggest table (millions of lines nationally, loaded by the fluxIAE): every index is paid at each line
    # written. The declaration is found through the unique (declaration, parcours), whose first column it is; the
    # few lines with a motif (the exits) through a partial index.
    declaration = models.ForeignKey(
        DeclarationMensuelle, on_delete=models.CASCADE, related_name="lignes", db_index=False
    )
    parcours = models.ForeignKey("parcours.Parcours", on_delete=models.PROTECT, related_name="lignes_declaration")
    heures_travaillees = models.DecimalField("heures travaillées", max_digits=6, decimal_places=2)
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    motif_sortie = models.ForeignKey(
        "parcours.MotifSortie", on_delete=models.PROTECT, null=True, blank=True, db_index=False
    )

    objects = perimetre_queryset("declaration__annexe__siae", nominatif=True).as_manager()

    historique = Historique(departement="declaration__annexe__siae__departement")

    class Meta:
        verbose_name = "ligne de déclaration"
        indexes = [
            models.Index(
                fields=["motif_sortie"], name="ligne_motif_sortie_idx", condition=Q(motif_sortie__isnull=False)
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "parcours"], name="ligne_unique_par_parcours"),
            models.CheckConstraint(
                condition=Q(heures_travaillees__gte=0, heures_travaillees__lte=208), name="ligne_heures_0_208"
            ),
        ]

    def __str__(self):
        return f"{self.parcours} : {self.heures_travaillees} h"
