"""The demo's structures and accounts: fictive SIAE of département 55 in the proportions of the Meuse CDIAE
bilan, and one account per role."""

from dataclasses import dataclass

from comptes.models import Membre, Utilisateur
from siae.models import ContactSiae, Ensemblier, Siae
from siae.regles import luhn_valide

DEPARTEMENT = "55"
MOT_DE_PASSE_PAR_DEFAUT = "demo-pilot-iae-55"

COMMUNES = [
    ("55100", "Verdun"), ("55000", "Bar-le-Duc"), ("55200", "Commercy"), ("55300", "Saint-Mihiel"),
    ("55700", "Stenay"), ("55500", "Ligny-en-Barrois"), ("55600", "Montmédy"), ("55400", "Étain"),
    ("55800", "Revigny-sur-Ornain"), ("55840", "Thierville-sur-Meuse"), ("55120", "Clermont-en-Argonne"),
    ("55190", "Void-Vacon"), ("55130", "Gondrecourt-le-Château"), ("55210", "Vigneulles-lès-Hattonchâtel"),
]  # fmt: skip

# Kinds in the proportions of the seed's ETP table (ACI 426,99 ; AI 54 ; ETTI 20 ; EI 32).
NOMBRE_PAR_TYPE = {"ACI": 20, "AI": 3, "ETTI": 2, "EI": 3}
ACTIVITES = {
    "ACI": [
        "des Jardins", "Recyclerie", "Espaces verts", "Menuiserie", "Maraîchage", "Patrimoine bâti", "Couture",
        "Ressourcerie", "Rivières", "Forêt", "Blanchisserie", "Cuisine solidaire", "Atelier vélo", "Numérique",
        "Rucher", "Lavoir", "Environnement", "Bois de chauffage", "Épicerie", "Second œuvre",
    ],
    "AI": ["Services aux particuliers", "Mise à disposition", "Aide aux collectivités"],
    "ETTI": ["Intérim solidaire", "Intérim du bâtiment"],
    "EI": ["Logistique", "Restauration", "Nettoyage industriel"],
}  # fmt: skip
ENSEMBLIER = "Ensemblier fictif du Barrois"


def siret_demo(rang: int) -> str:
    """A Luhn-valid SIRET in a range no real establishment uses (SIREN starting with 000)."""
    base = f"000{55:02d}{rang:08d}"
    for cle in range(10):
        if luhn_valide(base + str(cle)):
            return base + str(cle)
    raise AssertionError("une clé de Luhn existe toujours")


@dataclass
class Compte:
    email: str
    prenom: str
    nom: str
    role: str


def _structures() -> list[Siae]:
    ensemblier, _ = Ensemblier.objects.get_or_create(nom=ENSEMBLIER)
    structures, rang = [], 0
    for type_, nombre in NOMBRE_PAR_TYPE.items():
        for numero in range(1, nombre + 1):
            rang += 1
            code_postal, commune = COMMUNES[(rang - 1) % len(COMMUNES)]
            siae, _ = Siae.objects.update_or_create(
                siret=siret_demo(rang),
                defaults={
                    "nom": f"{type_} fictif – {ACTIVITES[type_][numero - 1]} – {commune}",
                    "type": type_,
                    "departement": DEPARTEMENT,
                    "code_postal": code_postal,
                    "commune": commune,
                    "adresse": f"{rang} rue de la Démonstration",
                    "email": f"contact.{type_.lower()}{numero}@siae-fictive.test",
                    "ensemblier": ensemblier if commune == "Bar-le-Duc" or (type_ == "AI" and numero == 1) else None,
                    "regie_de_quartier": type_ == "ACI" and numero == 2,
                },
            )
            ContactSiae.objects.get_or_create(
                siae=siae, nom=f"Direction fictive {rang}", defaults={"fonction": "Directeur ou directrice"}
            )
            structures.append(siae)
    return structures


def _compte(email, prenom, nom, mot_de_passe, organisation=None, admin=False) -> Utilisateur:
    user, cree = Utilisateur.objects.get_or_create(
        email=email, defaults={"first_name": prenom, "last_name": nom, "is_staff": admin, "is_superuser": admin}
    )
    if cree:
        user.set_password(mot_de_passe)
        user.save()
    if organisation:
        Membre.objects.get_or_create(utilisateur=user, organisation=organisation)
    return user
