import pytest

from controle import services
from controle.models import Phase

from .outils import avancer, embaucher


@pytest.fixture
def campagne_55(siae_a, siae_b, agent_55):
    """The 2024 campaign of the Meuse: the Jardins (3 auto-prescriptions) is the only eligible structure, so it is
    drawn, with 2 of its hires; the Intérim du Barrois has only one auto-prescription."""
    embaucher(siae_a, 3)
    embaucher(siae_a, 2, auto_prescription=False)
    embaucher(siae_b, 1)
    return services.creer_campagne(annee=2024, departement="55", auteur=agent_55, graine=1234)


@pytest.fixture
def controle_a(campagne_55):
    return campagne_55.controles.get()


@pytest.fixture
def campagne_57(siae_57, agent_57):
    embaucher(siae_57, 4)
    campagne = services.creer_campagne(annee=2024, departement="57", auteur=agent_57, graine=99)
    return avancer(campagne, Phase.CONTROLE)
