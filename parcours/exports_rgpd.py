"""Everything Pilot'IAE holds on some salariés, as one JSON document for the DPO (right of access, RGPD art. 15):
identity, PASS IAE with their suspensions and prolongations, parcours with the situation at hire, contracts, actions
and what the apps above hold on them (declaration lines, controls: `parcours.rgpd`). French keys and formats; a
fixed number of queries whatever the number of salariés."""

from django.db.models import Prefetch
from django.utils import timezone

from base.formats import date_fr, nombre_fr, oui_non

from .models import ActionInsertion, Contrat, Parcours, PassIae, Prolongation, Suspension
from .rgpd import complements


def donnees_des_salaries(salaries) -> dict:
    """The document for a queryset of salariés."""
    salaries = list(
        salaries.order_by("pk").prefetch_related(
            Prefetch(
                "pass_iae",
                queryset=PassIae.objects.order_by("pk").prefetch_related(
                    Prefetch("suspensions", queryset=Suspension.objects.select_related("motif", "siae")),
                    Prefetch("prolongations", queryset=Prolongation.objects.select_related("motif", "siae")),
                ),
            ),
            Prefetch(
                "parcours",
                queryset=Parcours.objects.order_by("date_embauche", "pk")
                .select_related("siae", "pass_iae", "motif_sortie")
                .prefetch_related(
                    Prefetch("contrats", queryset=Contrat.objects.order_by("date_debut", "pk")),
                    Prefetch("actions_insertion", queryset=ActionInsertion.objects.order_by("date_debut", "pk")),
                ),
            ),
        )
    )
    ids = [p.pk for s in salaries for p in s.parcours.all()]
    autres = [(c.cle, c.exporter(ids)) for c in complements()]
    return {
        "export": {
            "application": "Pilot'IAE",
            "objet": "Données personnelles détenues sur les salariés (droit d'accès, article 15 du RGPD)",
            "date": date_fr(timezone.now()),
        },
        "salaries": [_salarie(s, autres) for s in salaries],
    }


def _salarie(salarie, autres) -> dict:
    return {
        "identifiant": salarie.pk,
        "nom": salarie.nom,
        "prenom": salarie.prenom,
        "date_de_naissance": date_fr(salarie.date_naissance),
        "genre": salarie.get_genre_display(),
        "donnees_effacees_le": date_fr(salarie.date_anonymisation),
        "pass_iae": [_pass(p) for p in salarie.pass_iae.all()],
        "parcours": [_parcours(p, autres) for p in salarie.parcours.all()],
    }


def _pass(pass_iae) -> dict:
    return {
        "numero": pass_iae.numero,
        "debut": date_fr(pass_iae.date_debut),
        "fin": date_fr(pass_iae.date_fin),
        "suspensions": [
            {
                "debut": date_fr(s.date_debut),
                "fin": date_fr(s.date_fin),
                "motif": s.motif.libelle,
                "structure": s.siae.nom,
                "enregistree_le": date_fr(s.date_creation),
            }
            for s in pass_iae.suspensions.all()
        ],
        "prolongations": [
            {
                "debut": date_fr(p.date_debut),
                "fin": date_fr(p.date_fin),
                "motif": p.motif.libelle,
                "statut": p.get_statut_display(),
                "demandee_le": date_fr(p.date_demande),
                "decidee_le": date_fr(p.date_decision),
                "decidee_par": p.get_decideur_display(),
                "organisation_du_prescripteur": p.prescripteur_organisation,
                "prescripteur": p.prescripteur_personne,
                "fin_de_la_formation": date_fr(p.date_fin_formation),
                "motif_du_refus": p.motif_refus,
                "structure": p.siae.nom,
            }
            for p in pass_iae.prolongations.all()
        ],
    }


def _parcours(parcours, autres) -> dict:
    return {
        "identifiant": parcours.pk,
        "structure": {"nom": parcours.siae.nom, "siret": parcours.siae.siret},
        "numero_pass_iae": parcours.pass_iae.numero,
        "date_d_embauche": date_fr(parcours.date_embauche),
        "date_de_sortie": date_fr(parcours.date_sortie),
        "motif_de_sortie": parcours.motif_sortie.libelle if parcours.motif_sortie else None,
        "situation_a_l_embauche": {
            "beneficiaire_du_rsa": oui_non(parcours.brsa),
            "residant_d_un_qpv": oui_non(parcours.qpv),
            "residant_d_une_zrr": oui_non(parcours.zrr),
            "rqth": oui_non(parcours.rqth),
            "niveau_de_formation": parcours.get_niveau_formation_display(),
            "duree_de_chomage": parcours.get_duree_chomage_display(),
            "auto_prescription": oui_non(parcours.auto_prescription),
            "tranche_d_age": parcours.get_tranche_age_embauche_display() or None,
        },
        "contrats": [
            {
                "type": c.get_type_display(),
                "debut": date_fr(c.date_debut),
                "fin": date_fr(c.date_fin),
                "heures_par_semaine": nombre_fr(c.heures_hebdo) if c.heures_hebdo is not None else None,
                "derogation": oui_non(c.derogation),
                "motif_de_la_derogation": c.motif_derogation,
                "identifiant_asp": c.id_asp,
            }
            for c in parcours.contrats.all()
        ],
        "actions_d_insertion": [
            {
                "type": a.get_type_display(),
                "intitule": a.libelle,
                "organisme": a.organisme,
                "debut": date_fr(a.date_debut),
                "fin": date_fr(a.date_fin),
                "heures": nombre_fr(a.heures) if a.heures is not None else None,
            }
            for a in parcours.actions_insertion.all()
        ],
        **{cle: lignes.get(parcours.pk, []) for cle, lignes in autres},
    }
