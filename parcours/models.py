from django.db import models


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
