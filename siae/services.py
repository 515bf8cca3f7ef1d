from django.db import transaction


@transaction.atomic
def enregistrer_siae(formulaire, contacts):
    """The structure and its contacts are saved together or not at all."""
    siae = formulaire.save()
    contacts.instance = siae
    contacts.save()
    return siae
