from django.db import models


class EtatMensuelLu(models.Model):
    """One EMI row of the flux being imported, as Pilot'IAE reads it (its annexe, month, parcours and hours): the
    staging table the monthly declarations are built from in SQL. Rows live only during their import, tagged by
    its `lot`; nothing personal is kept here beyond the parcours id."""

    lot = models.CharField(max_length=32, db_index=True)
    annexe_id = models.BigIntegerField()
    mois = models.DateField()
    version = models.PositiveIntegerField()
    etat = models.CharField(max_length=12, blank=True)
    parcours_id = models.BigIntegerField()
    heures = models.DecimalField(max_digits=6, decimal_places=2)
    date_sortie = models.DateField(null=True)
    motif_id = models.BigIntegerField(null=True)
    validation = models.DateField(null=True)
    # A hash of the whole row as read: exact duplicate rows of the file are removed in SQL, so that the reader
    # keeps no set of the 7 million rows of a national file in memory.
    empreinte = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "état mensuel lu (table de transit)"
        indexes = [
            models.Index(fields=["lot", "annexe_id", "mois"], name="etat_lu_lot_annexe_mois"),
            models.Index(fields=["lot", "empreinte"], name="etat_lu_lot_empreinte"),
        ]

    def __str__(self):
        return f"{self.annexe_id} – {self.mois:%m/%Y} (v{self.version})"
