from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from base.historique import Historique
from comptes.perimetre import PerimetreQuerySet, perimetre_queryset
from siae.models import Siae, TypeSiae


class EtatAnnexe(models.TextChoices):
    BROUILLON = "BROUILLON", "Brouillon"
    PROVISOIRE = "PROVISOIRE", "Provisoire"
    VALIDE = "VALIDE", "Validée"
    CLOTURE = "CLOTURE", "Clôturée"
    ANNULE = "ANNULE", "Annulée"


# Only these states count in the figures (spec §2).
ETATS_ACTIFS = (EtatAnnexe.PROVISOIRE, EtatAnnexe.VALIDE, EtatAnnexe.CLOTURE)

TRANSITIONS = {
    EtatAnnexe.BROUILLON: (EtatAnnexe.PROVISOIRE, EtatAnnexe.VALIDE, EtatAnnexe.ANNULE),
    EtatAnnexe.PROVISOIRE: (EtatAnnexe.VALIDE, EtatAnnexe.ANNULE),
    EtatAnnexe.VALIDE: (EtatAnnexe.CLOTURE, EtatAnnexe.ANNULE),
    EtatAnnexe.CLOTURE: (EtatAnnexe.VALIDE,),
    EtatAnnexe.ANNULE: (EtatAnnexe.BROUILLON,),
}


class Convention(models.Model):
    """Binds the State and one SIAE for one kind, up to 3 years; an annexe financière each year."""

    siae = models.ForeignKey(Siae, on_delete=models.PROTECT, related_name="conventions")
    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")

    objects = PerimetreQuerySet.as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        ordering = ["siae", "-date_debut"]
        constraints = [
            models.CheckConstraint(condition=Q(date_fin__gte=models.F("date_debut")), name="convention_periode")
        ]

    def __str__(self):
        return f"Convention {self.type} {self.siae.nom} {self.date_debut:%Y}–{self.date_fin:%Y}"


class AnnexeFinanciereQuerySet(PerimetreQuerySet):
    def actives(self):
        return self.filter(etat__in=ETATS_ACTIFS)


class AnnexeFinanciere(models.Model):
    """One year of a convention (spec §2). `numero` is the number of its latest version (avenant); the ETP
    conventionnés in force month by month are in `EtpConventionneMensuel`, rebuilt from the initial figure and
    the avenants."""

    # Unique among the annexes typed in Pilot'IAE; the ASP reuses an AF number across years, structures and mesures
    # (DC and MP), so its AFs are told apart by `id_asp` (docs/fluxiae.md).
    numero = models.CharField("numéro", max_length=24)
    prefixe = models.CharField("numéro sans avenant", max_length=16, editable=False)
    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="annexes")
    siae = models.ForeignKey(Siae, on_delete=models.PROTECT, related_name="annexes")
    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    etat = models.CharField("état", max_length=10, choices=EtatAnnexe.choices, default=EtatAnnexe.BROUILLON)
    etp_conventionnes = models.DecimalField(
        "ETP conventionnés",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="À la création, l'effectif de l'annexe ; ensuite celui de sa dernière version (avenant).",
    )
    heures_annuelles_par_etp = models.DecimalField(
        "heures annuelles par ETP", max_digits=6, decimal_places=2, validators=[MinValueValidator(1)]
    )
    taux_modulation = models.DecimalField(
        "taux de modulation",
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(Decimal("0.10"))],
        help_text="Part modulée de l'aide au poste, de 0 à 10 % du socle (stocké en fraction : 0,05 = 5 %).",
    )
    # Set by the modulation decisions (modulation/services.py): once decided, the rate belongs to them and their
    # history, and neither the annexe's form nor an import changes it.
    taux_modulation_decide_le = models.DateTimeField(
        "taux de modulation décidé le", null=True, blank=True, editable=False
    )
    montant_cofinance_cd = models.DecimalField(
        "co-financement du Département", max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    objectif_sorties_dynamiques = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    objectif_emploi_durable = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    objectif_emploi_transition = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    objectif_sorties_positives = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    objectif_part_brsa = models.DecimalField(
        "objectif de part de bRSA", max_digits=5, decimal_places=2, null=True, blank=True
    )
    # The ASP's id of the annexe (fluxIAE `af_id_annexe_financiere`), stable across its avenants: what next week's
    # flux is matched on. None for an annexe typed or imported here. Unique when set (NULLs never collide).
    id_asp = models.PositiveIntegerField(
        "identifiant ASP",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Identifiant de l'annexe à l'ASP (af_id_annexe_financiere du fluxIAE), donné par son import.",
    )
    date_creation = models.DateTimeField(auto_now_add=True)
    date_modification = models.DateTimeField(auto_now=True)

    objects = AnnexeFinanciereQuerySet.as_manager()

    historique = Historique(departement="siae__departement")

    class Meta:
        verbose_name = "annexe financière"
        verbose_name_plural = "annexes financières"
        ordering = ["-date_debut", "numero"]
        indexes = [
            models.Index(fields=["siae", "date_debut"], name="af_siae_debut_idx"),
            models.Index(fields=["type", "etat", "date_debut"], name="af_type_etat_debut_idx"),
            models.Index(fields=["numero"], name="af_numero_idx"),
            models.Index(fields=["prefixe"], name="af_prefixe_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(date_fin__gte=models.F("date_debut")), name="af_periode"),
            models.CheckConstraint(
                condition=Q(taux_modulation__gte=0, taux_modulation__lte="0.10"), name="af_modulation_0_10"
            ),
            models.CheckConstraint(condition=Q(etp_conventionnes__gte=0), name="af_etp_positifs"),
            models.UniqueConstraint(fields=["numero"], condition=Q(id_asp__isnull=True), name="af_numero_unique"),
            models.UniqueConstraint(fields=["prefixe"], condition=Q(id_asp__isnull=True), name="af_prefixe_unique"),
        ]

    def __str__(self):
        return self.numero


class Avenant(models.Model):
    """A change of the ETP conventionnés from a month on. The initial figure is version A0M0; nothing is
    overwritten, so the history of the annexe is its avenants."""

    annexe = models.ForeignKey(AnnexeFinanciere, on_delete=models.CASCADE, related_name="avenants")
    # Unique per annexe; across annexes only for those typed in Pilot'IAE (their numbers are unique).
    numero = models.CharField("numéro", max_length=24, db_index=True)
    rang_avenant = models.PositiveSmallIntegerField()
    rang_modification = models.PositiveSmallIntegerField()
    mois_effet = models.DateField("à partir du mois")
    etp_conventionnes = models.DecimalField("ETP conventionnés", max_digits=8, decimal_places=2)
    date_fin = models.DateField("fin de l'annexe après l'avenant")
    motif = models.CharField(max_length=255, blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("annexe__siae").as_manager()

    historique = Historique(departement="annexe__siae__departement")

    class Meta:
        ordering = ["annexe", "rang_avenant", "rang_modification"]
        constraints = [
            models.UniqueConstraint(
                fields=["annexe", "rang_avenant", "rang_modification"], name="avenant_rang_unique"
            ),
            models.UniqueConstraint(fields=["annexe", "numero"], name="avenant_numero_unique"),
            models.CheckConstraint(condition=Q(etp_conventionnes__gte=0), name="avenant_etp_positifs"),
        ]

    def __str__(self):
        return self.numero


class EtpConventionneMensuel(models.Model):
    """The ETP conventionnés in force for one annexe and one month, rebuilt by the services from the annexe and
    its avenants: what every consumption and aide au poste figure reads."""

    annexe = models.ForeignKey(AnnexeFinanciere, on_delete=models.CASCADE, related_name="etp_mensuels")
    mois = models.DateField()
    etp_conventionnes = models.DecimalField(max_digits=8, decimal_places=2)

    objects = perimetre_queryset("annexe__siae").as_manager()

    class Meta:
        ordering = ["annexe", "mois"]
        constraints = [models.UniqueConstraint(fields=["annexe", "mois"], name="etp_mensuel_unique")]
        indexes = [models.Index(fields=["mois", "annexe"], name="etp_mensuel_mois_idx")]

    def __str__(self):
        return f"{self.annexe_id} {self.mois:%m/%Y} : {self.etp_conventionnes} ETP"
