"""The fluxIAE as a kind of import (`importer fluxiae PATH`, the upload page): the frame of `imports` around
`services.importer_flux`."""

from django.db import transaction

from imports.importeur import ImporteurArchive, Resultat

from .lecture import ErreurFlux
from .services import importer_flux


class _Simulation(Exception):
    """Raised at the end of a preview to roll everything back."""


class ImportFluxIae(ImporteurArchive):
    type = "fluxiae"

    def executer(self, chemin, *, simuler: bool, suivre=None) -> Resultat:
        resultat = Resultat()
        try:
            with transaction.atomic():
                bilan = importer_flux(chemin, self.departements, suivre=suivre)
                if simuler:
                    raise _Simulation
        except ErreurFlux as erreur:
            resultat.erreurs.append(str(erreur))
            return resultat
        except _Simulation:
            pass
        resultat.comptes = bilan.en_donnees()
        resultat.fichiers_ignores = bilan.fichiers_ignores
        resultat.departements = bilan.departements
        return resultat
