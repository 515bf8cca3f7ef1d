"""What the controls a posteriori hold on a parcours (`parcours.rgpd`): for the DPO's export, each control of the
hire with its decision and proofs; for the purge, the reason of a refusal is erased and the proofs (PDF about the
person's eligibility) are deleted; a parcours drawn in a campaign not closed yet is kept whatever its age."""

from collections import defaultdict

from base.fichiers import supprimer_apres_commit
from base.formats import date_fr
from parcours.regles_rgpd import TEXTE_EFFACE
from parcours.rgpd import Complement

from .models import ControleEmbauche, Justificatif, Phase


def exporter(parcours_ids: list[int]) -> dict[int, list[dict]]:
    controles = defaultdict(list)
    for embauche in (
        ControleEmbauche.objects.filter(parcours_id__in=parcours_ids)
        .select_related("controle__campagne")
        .prefetch_related("justificatifs")
        .order_by("controle__campagne__annee", "pk")
    ):
        campagne = embauche.controle.campagne
        controles[embauche.parcours_id].append(
            {
                "campagne": f"Embauches {campagne.annee} – {campagne.departement}",
                "decision": embauche.get_decision_display(),
                "date_de_la_decision": date_fr(embauche.date_decision),
                "motif_du_refus": embauche.motif_refus,
                "justificatifs": [
                    {"fichier": j.nom_fichier, "depose_le": date_fr(j.date_depot), "taille_en_octets": j.taille}
                    for j in embauche.justificatifs.all()
                ],
            }
        )
    return controles


def purger(salarie_ids: list[int]) -> dict[str, int]:
    embauches = ControleEmbauche.objects.filter(parcours__salarie_id__in=salarie_ids)
    justificatifs = Justificatif.objects.filter(embauche__in=embauches)
    supprimer_apres_commit(list(justificatifs.values_list("fichier", flat=True)))
    supprimes, _ = justificatifs.delete()
    versions = ControleEmbauche.historique.filter(parcours__salarie_id__in=salarie_ids).exclude(motif_refus="")
    return {
        "controles_motif_refus": embauches.exclude(motif_refus="").update(motif_refus=TEXTE_EFFACE),
        "versions_controles_motif_refus": versions.effacer_donnees_personnelles(motif_refus=TEXTE_EFFACE),
        "justificatifs": supprimes,
    }


def a_conserver():
    return ControleEmbauche.objects.exclude(controle__campagne__phase=Phase.CLOTUREE).values("parcours_id")


COMPLEMENT = Complement(cle="controles_a_posteriori", exporter=exporter, purger=purger, a_conserver=a_conserver)
