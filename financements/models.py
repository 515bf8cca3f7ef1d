"""Financing lines other than the aide au poste (spec §5, seeds 000 and 004), projects with a budget that must
balance, FDI calls for projects and their candidatures.

The État's aide au poste, its modulation and the Département's co-financing of the aides au poste are not stored
here: they are computed from the annexes financières (`queries.py`), so that they are never typed twice.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual

from base.calendrier import ANNEE_MAX, ANNEE_MIN
from base.departements import DEPARTEMENT_CHOICES
from base.historique import Historique, Retirable, sans_les_retires
from comptes.perimetre import perimetre_queryset

from . import regles
from .choix import (
    COFINANCEMENT_DES_ANNEXES,
    DISPOSITIFS_DES_ANNEXES,
    RUBRIQUES_PAR_SENS,
    DecisionFdi,
    Dispositif,
    EtatProjet,
    Financeur,
    Rubrique,
    Sens,
)

MONTANT = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
ANNEE = {"validators": [MinValueValidator(ANNEE_MIN), MaxValueValidator(ANNEE_MAX)]}


class Projet(models.Model):
    """A project financed by several financeurs (shared accompaniment posts, an FSE+ or FDI project), with its
    budget of charges and produits per period (`PeriodeBudgetaire`, `LigneBudgetaire`)."""

    nom = models.CharField(max_length=255)
    porteur = models.CharField(max_length=255, help_text="Qui porte le projet : un groupement, une SIAE…")
    siae_porteuse = models.ForeignKey(
        "siae.Siae",
        verbose_name="SIAE porteuse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projets",
        help_text="Quand le porteur est une SIAE : son personnel voit alors le projet.",
    )
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    description = models.TextField(blank=True)
    taux_frais_indirects = models.DecimalField(
        "taux des frais indirects",
        max_digits=5,
        decimal_places=4,
        default=regles.TAUX_FRAIS_INDIRECTS_DEFAUT,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Part des charges directes (personnel et fonctionnement), en fraction : 0,20 = 20 %.",
    )
    etat = models.CharField("état", max_length=10, choices=EtatProjet.choices, default=EtatProjet.BROUILLON)
    date_creation = models.DateTimeField(auto_now_add=True)
    date_modification = models.DateTimeField(auto_now=True)

    objects = perimetre_queryset("siae_porteuse", chemin_departement="departement").as_manager()

    historique = Historique(departement="departement")

    class Meta:
        ordering = ["departement", "nom"]
        indexes = [models.Index(fields=["departement", "etat"], name="projet_dep_etat_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "nom"],
                name="projet_nom_unique_par_departement",
                violation_error_message="Un projet de ce nom existe déjà dans ce département.",
            ),
            models.CheckConstraint(
                condition=Q(taux_frais_indirects__gte=0, taux_frais_indirects__lte=1), name="projet_taux_fi_0_1"
            ),
        ]

    def __str__(self):
        return self.nom

    def clean(self):
        # The scope shows a project to the staff of its carrying structure: both must be of the same département.
        if message := regles.erreur_siae_porteuse(
            self.siae_porteuse.departement if self.siae_porteuse_id else None, self.departement
        ):
            raise ValidationError({"siae_porteuse": message})


class PeriodeBudgetaire(models.Model):
    """A column of the budget ("05 à 12/2025")."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="periodes")
    libelle = models.CharField("libellé", max_length=40)
    debut = models.DateField("début")
    fin = models.DateField()
    ordre = models.PositiveSmallIntegerField(default=1)

    objects = perimetre_queryset("projet__siae_porteuse", chemin_departement="projet__departement").as_manager()

    historique = Historique(departement="projet__departement")

    class Meta:
        verbose_name = "période budgétaire"
        verbose_name_plural = "périodes budgétaires"
        ordering = ["projet", "ordre", "debut"]
        constraints = [
            models.UniqueConstraint(fields=["projet", "ordre"], name="periode_ordre_unique"),
            models.UniqueConstraint(
                fields=["projet", "libelle"],
                name="periode_libelle_unique",
                violation_error_message="Le projet a déjà une période de ce libellé.",
            ),
            models.CheckConstraint(condition=Q(fin__gte=F("debut")), name="periode_budgetaire_dates"),
        ]

    def __str__(self):
        return self.libelle


class LigneBudgetaire(models.Model):
    """One amount of the budget: a charge (personnel, fonctionnement) or a produit (FSE+, État, Département, SIAE,
    other) of one period. Indirect costs are computed, never a line."""

    projet = models.ForeignKey(Projet, on_delete=models.CASCADE, related_name="lignes_budgetaires")
    periode = models.ForeignKey(PeriodeBudgetaire, on_delete=models.CASCADE, related_name="lignes")
    sens = models.CharField(max_length=7, choices=Sens.choices)
    rubrique = models.CharField(max_length=14, choices=Rubrique.choices)
    libelle = models.CharField("libellé", max_length=255)
    montant = models.DecimalField(**MONTANT)
    remarque = models.CharField(max_length=255, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    objects = perimetre_queryset("projet__siae_porteuse", chemin_departement="projet__departement").as_manager()

    historique = Historique(departement="projet__departement")

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["projet", "sens", "ordre", "pk"]
        indexes = [models.Index(fields=["projet", "periode"], name="ligne_budget_projet_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gte=0), name="ligne_budget_montant_positif"),
            models.CheckConstraint(
                condition=Q(sens=Sens.CHARGE, rubrique__in=RUBRIQUES_PAR_SENS[Sens.CHARGE])
                | Q(sens=Sens.PRODUIT, rubrique__in=RUBRIQUES_PAR_SENS[Sens.PRODUIT]),
                name="ligne_budget_rubrique_du_sens",
            ),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.periode_id}) : {self.montant} €"


class AppelAProjets(models.Model):
    """An FDI call for projects of a département and a year, with its caps: those of the regulation by default,
    lower if the call says so, never higher."""

    nom = models.CharField(max_length=255)
    annee = models.PositiveSmallIntegerField("année", **ANNEE)
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES)
    date_limite = models.DateField("date limite de dépôt")
    description = models.TextField(blank=True)
    taux_max_investissement = models.DecimalField(
        "taux maximal de l'aide à l'investissement",
        max_digits=5,
        decimal_places=4,
        default=regles.TAUX_MAX_INVESTISSEMENT,
        validators=[MaxValueValidator(regles.TAUX_MAX_INVESTISSEMENT)],
    )
    taux_max_conseil = models.DecimalField(
        "taux maximal de l'aide au conseil",
        max_digits=5,
        decimal_places=4,
        default=regles.TAUX_MAX_CONSEIL,
        validators=[MaxValueValidator(regles.TAUX_MAX_CONSEIL)],
    )
    plafond_par_projet = models.DecimalField(
        "plafond par projet",
        max_digits=12,
        decimal_places=2,
        default=regles.PLAFOND_FDI_PAR_PROJET,
        validators=[MaxValueValidator(regles.PLAFOND_FDI_PAR_PROJET)],
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    # SIAE staff see the calls their projects answered; the DDETS and the CDIAE, every call of the département.
    objects = perimetre_queryset(
        "candidatures__projet__siae_porteuse", distinct=True, chemin_departement="departement"
    ).as_manager()

    historique = Historique(departement="departement")

    class Meta:
        verbose_name = "appel à projets FDI"
        verbose_name_plural = "appels à projets FDI"
        ordering = ["-annee", "departement", "nom"]
        indexes = [models.Index(fields=["departement", "annee"], name="appel_dep_annee_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "annee", "nom"],
                name="appel_nom_unique",
                violation_error_message="Un appel à projets de ce nom existe déjà cette année dans ce département.",
            ),
            models.CheckConstraint(
                condition=Q(
                    taux_max_investissement__gt=0, taux_max_investissement__lte=regles.TAUX_MAX_INVESTISSEMENT
                ),
                name="appel_taux_investissement_reglementaire",
            ),
            models.CheckConstraint(
                condition=Q(taux_max_conseil__gt=0, taux_max_conseil__lte=regles.TAUX_MAX_CONSEIL),
                name="appel_taux_conseil_reglementaire",
            ),
            models.CheckConstraint(
                condition=Q(plafond_par_projet__gt=0, plafond_par_projet__lte=regles.PLAFOND_FDI_PAR_PROJET),
                name="appel_plafond_reglementaire",
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def plafonds(self) -> regles.PlafondsFdi:
        return regles.PlafondsFdi(self.taux_max_investissement, self.taux_max_conseil, self.plafond_par_projet)


class CandidatureFdi(models.Model):
    """A project's answer to an FDI call: eligible costs and aids asked for, within the call's caps. Accorded, it
    becomes an État FDI financing line of the call's year."""

    appel = models.ForeignKey(AppelAProjets, on_delete=models.CASCADE, related_name="candidatures")
    projet = models.ForeignKey(Projet, on_delete=models.PROTECT, related_name="candidatures_fdi")
    cout_eligible_investissement = models.DecimalField("coût éligible d'investissement", default=0, **MONTANT)
    aide_investissement = models.DecimalField("aide à l'investissement", default=0, **MONTANT)
    cout_eligible_conseil = models.DecimalField("coût éligible de conseil", default=0, **MONTANT)
    aide_conseil = models.DecimalField("aide au conseil", default=0, **MONTANT)
    decision = models.CharField("décision", max_length=10, choices=DecisionFdi.choices, default=DecisionFdi.EN_ATTENTE)
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("projet__siae_porteuse", chemin_departement="projet__departement").as_manager()

    historique = Historique(departement="projet__departement")

    class Meta:
        verbose_name = "candidature FDI"
        verbose_name_plural = "candidatures FDI"
        ordering = ["appel", "projet__nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["appel", "projet"],
                name="candidature_unique_par_appel",
                violation_error_message="Ce projet a déjà une candidature à cet appel.",
            ),
            models.CheckConstraint(
                condition=Q(
                    cout_eligible_investissement__gte=0,
                    aide_investissement__gte=0,
                    cout_eligible_conseil__gte=0,
                    aide_conseil__gte=0,
                ),
                name="candidature_montants_positifs",
            ),
            # The regulatory maxima, whatever the call says: aid × 10 ≤ cost × 7 (or × 3), exact on every database.
            models.CheckConstraint(
                condition=LessThanOrEqual(F("aide_investissement") * 10, F("cout_eligible_investissement") * 7),
                name="candidature_investissement_70_pourcent",
                violation_error_message="L'aide à l'investissement dépasse 70 % du coût éligible d'investissement.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(F("aide_conseil") * 10, F("cout_eligible_conseil") * 3),
                name="candidature_conseil_30_pourcent",
                violation_error_message="L'aide au conseil dépasse 30 % du coût éligible de conseil.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("aide_investissement") + F("aide_conseil"), Decimal(regles.PLAFOND_FDI_PAR_PROJET)
                ),
                name="candidature_plafond_90000",
                violation_error_message="Le total des aides FDI dépasse 90 000 € par projet.",
            ),
        ]

    def __str__(self):
        return f"{self.projet} – {self.appel}"

    @property
    def aide_totale(self) -> Decimal:
        return self.aide_investissement + self.aide_conseil


class LigneFinancement(Retirable):
    """What one financeur commits to one beneficiary (a structure or a project) for one year through one dispositif,
    with what it has paid and the variable part at most (paid on results).

    `departement` and `siae_concernee` are copied from the beneficiary (`save`) so that the scope reads them
    directly: the DDETS and the CDIAE of the département see the line, and so does the staff of the structure it
    concerns (the beneficiary, or the SIAE that carries the project). A line removed stays, marked (`retire_le`,
    `retire_par`), out of every figure and page; an FDI line withdrawn comes back if its candidature is accorded
    again."""

    financeur = models.CharField(max_length=12, choices=Financeur.choices)
    dispositif = models.CharField(max_length=20, choices=Dispositif.choices)
    siae = models.ForeignKey(
        "siae.Siae",
        verbose_name="structure bénéficiaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lignes_financement",
    )
    projet = models.ForeignKey(
        Projet,
        verbose_name="projet bénéficiaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lignes_financement",
    )
    departement = models.CharField("département", max_length=3, choices=DEPARTEMENT_CHOICES, editable=False)
    siae_concernee = models.ForeignKey(
        "siae.Siae",
        verbose_name="structure concernée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    annee = models.PositiveSmallIntegerField("année", **ANNEE)
    libelle = models.CharField("libellé", max_length=255)
    montant_engage = models.DecimalField("montant engagé", **MONTANT)
    montant_verse = models.DecimalField("montant versé", default=0, **MONTANT)
    part_variable_max = models.DecimalField("part variable maximale", default=0, **MONTANT)
    candidature = models.OneToOneField(
        CandidatureFdi,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="ligne_financement",
        help_text="La candidature FDI accordée dont la ligne reprend l'aide.",
    )
    date_creation = models.DateTimeField(auto_now_add=True)
    date_modification = models.DateTimeField(auto_now=True)

    objects = sans_les_retires(perimetre_queryset("siae_concernee", chemin_departement="departement"))
    tous = models.Manager()

    historique = Historique(departement="departement")

    class Meta:
        verbose_name = "ligne de financement"
        verbose_name_plural = "lignes de financement"
        ordering = ["-annee", "financeur", "dispositif", "libelle"]
        indexes = [
            models.Index(fields=["departement", "annee", "financeur"], name="financement_dep_annee_idx"),
            models.Index(fields=["annee", "financeur", "dispositif"], name="financement_annee_fin_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(siae__isnull=False, projet__isnull=True) | Q(siae__isnull=True, projet__isnull=False),
                name="financement_un_seul_beneficiaire",
                violation_error_message="Indiquez un bénéficiaire : une structure ou un projet, pas les deux.",
            ),
            models.CheckConstraint(
                condition=Q(siae__isnull=True) | Q(siae_concernee=F("siae")), name="financement_siae_concernee"
            ),
            models.CheckConstraint(
                condition=Q(montant_engage__gte=0, montant_verse__gte=0, part_variable_max__gte=0),
                name="financement_montants_positifs",
            ),
            models.CheckConstraint(
                condition=Q(part_variable_max__lte=F("montant_engage")),
                name="financement_part_variable_engage",
                violation_error_message="La part variable maximale dépasse le montant engagé.",
            ),
            models.CheckConstraint(
                condition=Q(montant_verse__lte=F("montant_engage")),
                name="financement_verse_engage",
                violation_error_message="Le montant versé dépasse le montant engagé.",
            ),
            # Computed from the annexes financières: typing them too would count them twice.
            models.CheckConstraint(
                condition=~Q(dispositif__in=DISPOSITIFS_DES_ANNEXES)
                & ~Q(financeur=COFINANCEMENT_DES_ANNEXES[0], dispositif=COFINANCEMENT_DES_ANNEXES[1]),
                name="financement_pas_de_double_saisie",
                violation_error_message=(
                    "L'aide au poste, sa modulation et le cofinancement des aides au poste par le Département sont "
                    "calculés depuis les annexes financières : ils ne se saisissent pas comme une ligne."
                ),
            ),
            models.CheckConstraint(
                condition=Q(candidature__isnull=True)
                | Q(financeur=Financeur.ETAT, dispositif=Dispositif.FDI, projet__isnull=False),
                name="financement_candidature_fdi",
            ),
            models.CheckConstraint(condition=Q(annee__gte=ANNEE_MIN, annee__lte=ANNEE_MAX), name="financement_annee"),
        ]

    def __str__(self):
        return f"{self.get_financeur_display()} – {self.libelle} ({self.annee})"

    def save(self, *args, **kwargs):
        self.suivre_le_beneficiaire()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "departement", "siae_concernee"}
        super().save(*args, **kwargs)

    @property
    def beneficiaire(self):
        return self.siae or self.projet

    @property
    def reste_a_verser(self) -> Decimal:
        return self.montant_engage - self.montant_verse

    def suivre_le_beneficiaire(self) -> None:
        """Copy the département and the structure concerned from the beneficiary: the scope reads these copies."""
        if self.siae_id:
            self.departement, self.siae_concernee_id = self.siae.departement, self.siae_id
        elif self.projet_id:
            self.departement, self.siae_concernee_id = self.projet.departement, self.projet.siae_porteuse_id
