from django.conf import settings
from django.db import models

from base.historique import Historique
from comptes.perimetre import perimetre_queryset
from siae.models import TypeSiae

from .regles_cofinancement import cout_mensuel_brsa


class BaremeAideAuPoste(models.Model):
    """The annual montant socle of the aide au poste per ETP, for one kind, from an effective date (spec §5).

    A revaluation is a new row. A row stays editable by the administrators (a typo in an amount must be fixable):
    each creation or change is a version of its history (`historique`), with its author.
    """

    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    date_effet = models.DateField("date d'effet")
    montant_socle_annuel_par_etp = models.DecimalField("montant socle annuel par ETP", max_digits=10, decimal_places=2)
    source = models.CharField(max_length=255, help_text="L'arrêté qui fixe le montant.")

    historique = Historique(departement=None)

    class Meta:
        verbose_name = "barème de l'aide au poste"
        verbose_name_plural = "barème de l'aide au poste"
        ordering = ["type", "-date_effet"]
        constraints = [
            models.UniqueConstraint(fields=["type", "date_effet"], name="bareme_unique_par_type_et_date"),
            models.CheckConstraint(
                condition=models.Q(montant_socle_annuel_par_etp__gt=0), name="bareme_montant_positif"
            ),
        ]

    def __str__(self):
        return f"{self.type} au {self.date_effet:%d/%m/%Y} : {self.montant_socle_annuel_par_etp} €"


class NatureVersement(models.TextChoices):
    AVANCE = "AVANCE", "Avance"
    REGULARISATION = "REGULARISATION", "Régularisation"
    MODULATION = "MODULATION", "Modulation"


class Versement(models.Model):
    """A payment of the ASP for one annexe (formats.md `importer versements`). Key: annexe, date, nature and
    amount; a regularisation may be negative (an amount recovered)."""

    annexe = models.ForeignKey("conventions.AnnexeFinanciere", on_delete=models.PROTECT, related_name="versements")
    date = models.DateField()
    montant = models.DecimalField(max_digits=12, decimal_places=2)
    nature = models.CharField(max_length=14, choices=NatureVersement.choices)
    import_origine = models.ForeignKey(
        "imports.Import", on_delete=models.SET_NULL, null=True, blank=True, related_name="versements"
    )
    date_creation = models.DateTimeField(auto_now_add=True)

    objects = perimetre_queryset("annexe__siae").as_manager()

    historique = Historique(departement="annexe__siae__departement")

    class Meta:
        ordering = ["annexe", "date", "nature"]
        indexes = [models.Index(fields=["annexe", "date"], name="versement_annexe_date_idx")]
        constraints = [
            models.UniqueConstraint(fields=["annexe", "date", "nature", "montant"], name="versement_unique_par_cle"),
            models.CheckConstraint(
                condition=~models.Q(montant=0) & (models.Q(montant__gt=0) | models.Q(nature="REGULARISATION")),
                name="versement_montant_valide",
            ),
        ]

    def __str__(self):
        return f"{self.get_nature_display()} {self.montant} € au {self.date:%d/%m/%Y}"


class MontantRsa(models.Model):
    """The RSA's montant forfaitaire for a single person, from an effective date: the Département's co-financing of
    a bRSA in ACI is 88 % of it per month (spec §5). National; agents add each revaluation (with its source)."""

    date_effet = models.DateField("date d'effet", unique=True)
    montant_forfaitaire = models.DecimalField(
        "montant forfaitaire mensuel (personne seule)", max_digits=8, decimal_places=2
    )
    source = models.CharField(max_length=255, help_text="Le texte qui fixe le montant.")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    date_creation = models.DateTimeField(auto_now_add=True)

    historique = Historique(departement=None)

    class Meta:
        verbose_name = "montant forfaitaire du RSA"
        verbose_name_plural = "montants forfaitaires du RSA"
        ordering = ["-date_effet"]
        constraints = [
            models.CheckConstraint(condition=models.Q(montant_forfaitaire__gt=0), name="rsa_montant_positif")
        ]

    def __str__(self):
        return f"RSA au {self.date_effet:%d/%m/%Y} : {self.montant_forfaitaire} €"

    @property
    def pris_en_charge(self):
        """What the Département pays per bRSA and month at this amount."""
        return cout_mensuel_brsa(self.montant_forfaitaire)


class AideCalculee(models.Model):
    """The amounts of one active annexe's aide au poste, computed by the rules (`queries.AideAnnexe`) from its ETP
    conventionnés, its ETP réalisés as materialised and the barème, each time one of them changes (the indicators'
    refresh, a revaluation of the barème, a modulation decided): what the pages of a year, the cockpit and the API
    sum instead of applying the barème to every month of thousands of annexes on each request. Kept as they are
    shown and summed: each rounded to the cent (`regles.arrondi_euro`), as every total adds them."""

    annexe = models.OneToOneField(
        "conventions.AnnexeFinanciere", on_delete=models.CASCADE, primary_key=True, related_name="aide_calculee"
    )
    socle_conventionne = models.DecimalField(max_digits=14, decimal_places=2)
    modulation = models.DecimalField(max_digits=14, decimal_places=2)
    du = models.DecimalField("dû", max_digits=14, decimal_places=2)
    plafonne = models.BooleanField("dû plafonné au socle")
    date_calcul = models.DateTimeField("calculé le")

    objects = perimetre_queryset("annexe__siae").as_manager()

    class Meta:
        verbose_name = "aide au poste calculée d'une annexe"
        verbose_name_plural = "aides au poste calculées des annexes"
        ordering = ["annexe"]

    def __str__(self):
        return f"Aide au poste de l'annexe {self.annexe_id}"
