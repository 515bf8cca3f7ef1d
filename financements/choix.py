"""The codes of the financing lines and projects, shared by the models and the rules."""

from django.db import models


class Financeur(models.TextChoices):
    ETAT = "ETAT", "État"
    DEPARTEMENT = "DEPARTEMENT", "Département"
    FSE = "FSE", "FSE+"
    COMMUNE_EPCI = "COMMUNE_EPCI", "Commune ou EPCI"
    AUTRE = "AUTRE", "Autre financeur"


class Dispositif(models.TextChoices):
    AIDE_AU_POSTE = "AIDE_AU_POSTE", "Aide au poste"
    MODULATION = "MODULATION", "Modulation de l'aide au poste"
    COFINANCEMENT = "COFINANCEMENT", "Cofinancement des aides au poste"
    FSE = "FSE", "FSE+"
    FDI = "FDI", "FDI"
    CONVENTION_PAUVRETE = "CONVENTION_PAUVRETE", "Convention pauvreté"
    ASP_MUTUALISE = "ASP_MUTUALISE", "ASP mutualisé"
    AUTRE = "AUTRE", "Autre dispositif"


# Computed from the annexes financières, never typed: the État's aide au poste and its modulation, the Département's
# co-financing of the aides au poste (docs/decisions.md).
DISPOSITIFS_DES_ANNEXES = (Dispositif.AIDE_AU_POSTE, Dispositif.MODULATION)
COFINANCEMENT_DES_ANNEXES = (Financeur.DEPARTEMENT, Dispositif.COFINANCEMENT)


class EtatProjet(models.TextChoices):
    BROUILLON = "BROUILLON", "Brouillon"
    DEPOSE = "DEPOSE", "Déposé"
    RETENU = "RETENU", "Retenu"
    REFUSE = "REFUSE", "Refusé"


# A project leaves the draft only with a balanced budget; a refused one goes back to draft to be reworked.
TRANSITIONS_PROJET = {
    EtatProjet.BROUILLON: (EtatProjet.DEPOSE,),
    EtatProjet.DEPOSE: (EtatProjet.RETENU, EtatProjet.REFUSE, EtatProjet.BROUILLON),
    EtatProjet.RETENU: (),
    EtatProjet.REFUSE: (EtatProjet.BROUILLON,),
}
ETATS_EQUILIBRE_EXIGE = (EtatProjet.DEPOSE, EtatProjet.RETENU)


class Sens(models.TextChoices):
    CHARGE = "CHARGE", "Charge"
    PRODUIT = "PRODUIT", "Produit"


class Rubrique(models.TextChoices):
    PERSONNEL = "PERSONNEL", "Personnel"
    FONCTIONNEMENT = "FONCTIONNEMENT", "Fonctionnement"
    FSE = "FSE", "Fonds européens (FSE+)"
    ETAT = "ETAT", "État"
    DEPARTEMENT = "DEPARTEMENT", "Département"
    SIAE = "SIAE", "Contributions des SIAE"
    AUTRE = "AUTRE", "Autres produits"


RUBRIQUES_PAR_SENS = {
    Sens.CHARGE: (Rubrique.PERSONNEL, Rubrique.FONCTIONNEMENT),
    Sens.PRODUIT: (Rubrique.FSE, Rubrique.ETAT, Rubrique.DEPARTEMENT, Rubrique.SIAE, Rubrique.AUTRE),
}
SENS_DE_LA_RUBRIQUE = {rubrique: sens for sens, rubriques in RUBRIQUES_PAR_SENS.items() for rubrique in rubriques}


class DecisionFdi(models.TextChoices):
    EN_ATTENTE = "EN_ATTENTE", "En attente"
    ACCORDEE = "ACCORDEE", "Accordée"
    REFUSEE = "REFUSEE", "Refusée"
