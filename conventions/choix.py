"""The annexes of the département and year a page shows (the choice itself: `comptes.choix`)."""

from comptes.choix import ChoixDepartementMixin

from .models import AnnexeFinanciere
from .queries import annexes_du_departement


class ChoixAnnexesMixin(ChoixDepartementMixin):
    def annexes(self, annee: int):
        """The active annexes the user sees that overlap the year, in the chosen département. Without one (SIAE
        staff, an administrator looking at the whole country), all those the user sees: a structure's staff get
        their own structures'."""
        visibles = AnnexeFinanciere.objects.visible_to(self.request.user)
        return annexes_du_departement(self.departement(), annee, base=visibles)
