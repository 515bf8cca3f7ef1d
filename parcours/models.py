from django.db import models

from comptes.perimetre import perimetre_queryset


class CategorieSortie(models.TextChoices):
    EMPLOI_DURABLE = "EMPLOI_DURABLE", "Emploi durable"
    EMPLOI_TRANSITION = "EMPLOI_TRANSITION", "Emploi de transition"
    SORTIE_POSITIVE = "SORTIE_POSITIVE", "Sortie positive"
    AUTRE = "AUTRE", "Autre sortie"
    RETRAIT = "RETRAIT", "Retrait (neutralisée)"


class MotifSortie(models.Model):
    """An exit motif and the category it counts in for the sorties dynamiques (spec §7)."""

    code = models.CharField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=255)
    categorie = models.CharField("catégorie", max_length=20, choices=CategorieSortie.choices)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "motif de sortie"
        verbose_name_plural = "motifs de sortie"
        ordering = ["categorie", "libelle"]

    def __str__(self):
        return self.libelle


class Genre(models.TextChoices):
    FEMME = "F", "Femme"
    HOMME = "M", "Homme"


class DureeChomage(models.TextChoices):
    AUCUNE = "", "Moins de 12 mois ou non renseignée"
    DELD = "DELD", "Demandeur d'emploi de longue durée (12 à 23 mois)"
    DETLD = "DETLD", "Demandeur d'emploi de très longue durée (24 mois et plus)"


class NiveauFormation(models.TextChoices):
    NON_RENSEIGNE = "", "Non renseigné"
    SANS = "SANS", "Sans qualification ni diplôme"
    INFRA_CAP = "INFRA_CAP", "Infra CAP (niveau 3 non atteint)"
    CAP_BEP = "CAP_BEP", "CAP, BEP (niveau 3)"
    BAC = "BAC", "Baccalauréat (niveau 4)"
    BAC_PLUS_2 = "BAC_PLUS_2", "Bac + 2 (niveau 5)"
    BAC_PLUS_3 = "BAC_PLUS_3", "Bac + 3 et plus (niveau 6 et plus)"


# Below CAP, for the publics indicators (spec §8).
NIVEAUX_INFRA_CAP = (NiveauFormation.SANS, NiveauFormation.INFRA_CAP)


class TypeContrat(models.TextChoices):
    CDDI = "CDDI", "CDD d'insertion"
    CDDU = "CDDU", "CDD d'usage"
    MISSION = "MISSION", "Mission d'intérim"
    CDI_INCLUSION = "CDI_INCLUSION", "CDI inclusion"
    PASSERELLE = "PASSERELLE", "Contrat passerelle"
    INDEPENDANT = "INDEPENDANT", "Accompagnement d'un travailleur indépendant"


class Salarie(models.Model):
    """A person in parcours. Identity only as needed: never the NIR."""

    nom = models.CharField(max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    date_naissance = models.DateField("date de naissance")
    genre = models.CharField(max_length=1, choices=Genre.choices)

    objects = perimetre_queryset("parcours__siae", nominatif=True, distinct=True).as_manager()

    class Meta:
        verbose_name = "salarié"
        ordering = ["nom", "prenom"]
        indexes = [models.Index(fields=["nom", "prenom", "date_naissance"], name="salarie_identite_idx")]

    def __str__(self):
        return f"{self.prenom} {self.nom}"


class PassIae(models.Model):
    numero = models.CharField("numéro", max_length=12, unique=True)
    salarie = models.ForeignKey(Salarie, on_delete=models.CASCADE, related_name="pass_iae")
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", help_text="Début + 24 mois − 1 jour, repoussée par les suspensions.")

    objects = perimetre_queryset("salarie__parcours__siae", nominatif=True, distinct=True).as_manager()

    class Meta:
        verbose_name = "PASS IAE"
        verbose_name_plural = "PASS IAE"
        constraints = [
            models.CheckConstraint(condition=models.Q(date_fin__gte=models.F("date_debut")), name="pass_periode"),
            models.CheckConstraint(condition=models.Q(numero__regex=r"^[0-9A-Z]{12}$"), name="pass_numero_12"),
        ]

    def __str__(self):
        return self.numero


class Parcours(models.Model):
    """A salarié's parcours in one SIAE, from the first hire to the exit, with the situation at hire."""

    salarie = models.ForeignKey(Salarie, on_delete=models.CASCADE, related_name="parcours")
    siae = models.ForeignKey("siae.Siae", on_delete=models.PROTECT, related_name="parcours")
    pass_iae = models.ForeignKey(PassIae, on_delete=models.PROTECT, related_name="parcours")
    date_embauche = models.DateField("date d'embauche")
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    motif_sortie = models.ForeignKey(MotifSortie, on_delete=models.PROTECT, null=True, blank=True)
    brsa = models.BooleanField("bénéficiaire du RSA", default=False)
    qpv = models.BooleanField("résident d'un QPV", default=False)
    zrr = models.BooleanField("résident d'une ZRR", default=False)
    rqth = models.BooleanField("RQTH", default=False)
    niveau_formation = models.CharField(
        "niveau de formation", max_length=12, choices=NiveauFormation.choices, blank=True
    )
    duree_chomage = models.CharField("durée de chômage", max_length=5, choices=DureeChomage.choices, blank=True)

    objects = perimetre_queryset("siae", nominatif=True).as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-date_embauche"]
        indexes = [
            models.Index(fields=["siae", "date_embauche"], name="parcours_siae_embauche_idx"),
            models.Index(fields=["siae", "date_sortie"], name="parcours_siae_sortie_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["pass_iae", "siae", "date_embauche"], name="parcours_unique"),
            models.CheckConstraint(
                condition=models.Q(date_sortie__isnull=True) | models.Q(date_sortie__gte=models.F("date_embauche")),
                name="parcours_sortie_apres_embauche",
            ),
        ]

    def __str__(self):
        return f"{self.salarie} – {self.siae.nom}"


class Contrat(models.Model):
    parcours = models.ForeignKey(Parcours, on_delete=models.CASCADE, related_name="contrats")
    type = models.CharField(max_length=14, choices=TypeContrat.choices)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=2, null=True, blank=True)

    objects = perimetre_queryset("parcours__siae", nominatif=True).as_manager()

    class Meta:
        ordering = ["parcours", "date_debut"]
        indexes = [models.Index(fields=["parcours", "date_debut"], name="contrat_parcours_debut_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="contrat_periode",
            ),
            models.CheckConstraint(
                condition=models.Q(heures_hebdo__isnull=True) | models.Q(heures_hebdo__gte=0, heures_hebdo__lte=48),
                name="contrat_heures_hebdo",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date_debut:%d/%m/%Y}"
