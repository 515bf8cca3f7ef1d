"""What the monthly declarations hold on a parcours, for the DPO's export (`parcours.rgpd`). Their lines name
nobody (a parcours, hours, an exit): the purge keeps them whole, the figures of past years are made of them."""

from collections import defaultdict

from base.formats import date_fr, nombre_fr, oui_non
from parcours.rgpd import Complement

from .models import LigneDeclaration


def exporter(parcours_ids: list[int]) -> dict[int, list[dict]]:
    lignes = defaultdict(list)
    for ligne in (
        LigneDeclaration.objects.filter(parcours_id__in=parcours_ids)
        .select_related("declaration__annexe", "motif_sortie")
        .order_by("declaration__mois", "declaration__version", "pk")
    ):
        declaration = ligne.declaration
        lignes[ligne.parcours_id].append(
            {
                "mois": f"{declaration.mois:%m/%Y}",
                "annexe_financiere": declaration.annexe.numero,
                "version": declaration.version,
                "etat": declaration.get_etat_display(),
                "retenue": oui_non(declaration.retenue),
                "heures_travaillees": nombre_fr(ligne.heures_travaillees),
                "date_de_sortie": date_fr(ligne.date_sortie),
                "motif_de_sortie": ligne.motif_sortie.libelle if ligne.motif_sortie else None,
            }
        )
    return lignes


COMPLEMENT = Complement(cle="lignes_de_declaration", exporter=exporter)
