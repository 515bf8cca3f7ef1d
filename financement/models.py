from django.db import models

from siae.models import TypeSiae


class BaremeAideAuPoste(models.Model):
    """The annual montant socle of the aide au poste per ETP, for one kind, from an effective date (spec §5).

    Rows are never overwritten: a revaluation is a new row, so the history is the table itself.
    """

    type = models.CharField(max_length=4, choices=TypeSiae.choices)
    date_effet = models.DateField("date d'effet")
    montant_socle_annuel_par_etp = models.DecimalField("montant socle annuel par ETP", max_digits=10, decimal_places=2)
    source = models.CharField(max_length=255, help_text="L'arrêté qui fixe le montant.")

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
