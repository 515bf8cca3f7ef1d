"""Writes of salariés, PASS IAE, parcours and contracts: in bulk, in the caller's transaction."""

from django.db import transaction
from django.db.models.functions import Lower

from base.rafraichissement import rafraichir_structure_apres_commit

from .models import Contrat, FinOfficielleHistorique, Parcours, PassIae, Salarie
from .regles import fin_pass_iae
from .regles_pass import FinDuPass, decalage_de_la_fin
from .services_identite import modifier_identite, modifier_identites

SITUATION = ("brsa", "qpv", "zrr", "rqth", "niveau_formation", "duree_chomage")


@transaction.atomic
def enregistrer_embauches(embauches: list[tuple], *, auteur=None, import_origine=None) -> None:
    """Create or update, for each (siae, values) hire, the salarié, the PASS IAE, the parcours and the hire's
    contract; an official end the values bring is kept in the PASS's history with the author and the import. A
    fixed number of queries whatever the number of hires."""
    if not embauches:
        return
    numeros = {v["numero_pass"] for _, v in embauches}
    passes = PassIae.objects.select_related("salarie").in_bulk(numeros, field_name="numero")

    # Salariés: through their PASS, else by identity, else new.
    sans_pass = [v for _, v in embauches if v["numero_pass"] not in passes]
    # The same person whatever the case of the name ("MARTIN" and "Martin").
    connus = {
        (s.nom.lower(), s.prenom.lower(), s.date_naissance): s
        for s in Salarie.objects.annotate(nom_minuscule=Lower("nom")).filter(
            nom_minuscule__in={v["nom"].lower() for v in sans_pass},
            date_naissance__in={v["date_naissance"] for v in sans_pass},
        )
    }
    nouveaux = {}
    for v in sans_pass:
        cle = (v["nom"].lower(), v["prenom"].lower(), v["date_naissance"])
        if cle not in connus and cle not in nouveaux:
            nouveaux[cle] = Salarie(
                nom=v["nom"], prenom=v["prenom"], date_naissance=v["date_naissance"], genre=v["genre"]
            )
    Salarie.objects.bulk_create(nouveaux.values())
    connus.update(nouveaux)

    identites, a_modifier_pass, nouveaux_pass = {}, {}, {}
    fins_changees = {}  # PASS number → PASS whose official end the hires bring or change
    for _, v in embauches:
        pass_iae = passes.get(v["numero_pass"]) or nouveaux_pass.get(v["numero_pass"])
        if pass_iae is None:
            salarie = connus[(v["nom"].lower(), v["prenom"].lower(), v["date_naissance"])]
            officielle = v.get("date_fin_pass")
            nouveaux_pass[v["numero_pass"]] = PassIae(
                numero=v["numero_pass"],
                salarie=salarie,
                date_debut=v["date_debut_pass"],
                date_fin_officielle=officielle,
                date_fin=FinDuPass(officielle, fin_pass_iae(v["date_debut_pass"])).en_vigueur,
            )
            if officielle is not None:
                fins_changees[v["numero_pass"]] = nouveaux_pass[v["numero_pass"]]
            continue
        salarie = pass_iae.salarie
        if (salarie.prenom, salarie.genre) != (v["prenom"], v["genre"]):
            identites[salarie.pk] = {"prenom": v["prenom"], "genre": v["genre"]}
        if not pass_iae.pk:
            continue
        debut_change = pass_iae.date_debut != v["date_debut_pass"]
        officielle = v.get("date_fin_pass") or pass_iae.date_fin_officielle
        if officielle != pass_iae.date_fin_officielle:
            fins_changees[pass_iae.numero] = pass_iae
        if debut_change or officielle != pass_iae.date_fin_officielle:
            # The push of the suspensions and prolongations, read before the start moves: kept with a new start.
            # Meaningless when an official end is in force, which stays the end.
            decalage = decalage_de_la_fin(pass_iae.date_debut, pass_iae.date_fin)
            pass_iae.date_debut = v["date_debut_pass"]
            pass_iae.date_fin_officielle = officielle
            pass_iae.date_fin = FinDuPass(officielle, fin_pass_iae(v["date_debut_pass"]) + decalage).en_vigueur
            a_modifier_pass[pass_iae.pk] = pass_iae
    PassIae.objects.bulk_create(nouveaux_pass.values())
    passes.update(nouveaux_pass)
    # A first name or sex the hires correct: through the one writer of identities, which checks the author.
    modifier_identites(identites, auteur=auteur)
    PassIae.objects.bulk_update(a_modifier_pass.values(), ["date_debut", "date_fin_officielle", "date_fin"])
    FinOfficielleHistorique.objects.bulk_create(
        FinOfficielleHistorique(
            pass_iae=p, date_fin_officielle=p.date_fin_officielle, auteur=auteur, import_origine=import_origine
        )
        for p in fins_changees.values()
    )

    existants = {
        (p.pass_iae_id, p.siae_id, p.date_embauche): p
        for p in Parcours.objects.filter(pass_iae__in=[p.pk for p in passes.values()])
    }
    nouveaux_parcours, parcours_modifies = {}, []
    for siae, v in embauches:
        pass_iae = passes[v["numero_pass"]]
        cle = (pass_iae.pk, siae.pk, v["date_embauche"])
        parcours = existants.get(cle)
        if parcours is None:
            nouveaux_parcours[cle] = Parcours(
                salarie_id=pass_iae.salarie_id,
                siae=siae,
                pass_iae=pass_iae,
                date_embauche=v["date_embauche"],
                auto_prescription=v.get("auto_prescription", False),
                **{c: v[c] for c in SITUATION},
            )
        else:
            valeurs = {**{c: v[c] for c in SITUATION}, "auto_prescription": v.get("auto_prescription", False)}
            if any(getattr(parcours, c) != valeur for c, valeur in valeurs.items()):
                for c, valeur in valeurs.items():
                    setattr(parcours, c, valeur)
                parcours_modifies.append(parcours)
    Parcours.objects.bulk_create(nouveaux_parcours.values())
    Parcours.objects.bulk_update(parcours_modifies, [*SITUATION, "auto_prescription"])
    existants.update(nouveaux_parcours)

    contrats = {
        (c.parcours_id, c.date_debut): c
        for c in Contrat.objects.filter(parcours__in=[p.pk for p in existants.values()])
    }
    nouveaux_contrats, contrats_modifies = [], []
    for siae, v in embauches:
        parcours = existants[(passes[v["numero_pass"]].pk, siae.pk, v["date_embauche"])]
        contrat = contrats.get((parcours.pk, v["date_embauche"]))
        if contrat is None:
            nouveaux_contrats.append(
                Contrat(
                    parcours=parcours,
                    type=v["type_contrat"],
                    date_debut=v["date_embauche"],
                    heures_hebdo=v["heures_hebdo"],
                )
            )
        elif (contrat.type, contrat.heures_hebdo) != (v["type_contrat"], v["heures_hebdo"]):
            contrat.type, contrat.heures_hebdo = v["type_contrat"], v["heures_hebdo"]
            contrats_modifies.append(contrat)
    Contrat.objects.bulk_create(nouveaux_contrats)
    Contrat.objects.bulk_update(contrats_modifies, ["type", "heures_hebdo"])
    for siae_id in sorted({siae.pk for siae, _ in embauches}):
        rafraichir_structure_apres_commit(siae_id)


@transaction.atomic
def modifier_salarie_et_situation(formulaire_salarie, formulaire_situation, *, auteur):
    """The identity and the situation at hire, saved together or not at all. The identity is written by
    `modifier_identite`, which refuses an author who may not change it (the form's fields are then disabled); the
    figures of every structure the salarié worked in follow (gender and age count in the publics)."""
    if formulaire_salarie is not None and formulaire_salarie.changed_data:
        modifier_identite(
            formulaire_salarie.instance,
            {champ: formulaire_salarie.cleaned_data[champ] for champ in formulaire_salarie.changed_data},
            auteur=auteur,
        )
    parcours = formulaire_situation.save()
    for siae_id in sorted(set(Parcours.objects.filter(salarie=parcours.salarie).values_list("siae_id", flat=True))):
        rafraichir_structure_apres_commit(siae_id)
    return parcours


def recompter_les_sorties_des_motifs(motif_ids) -> None:
    """Motifs moved to another category: every exit counts in its motif's current category, so the figures of the
    structures with such exits are refreshed once the change commits."""
    structures = Parcours.objects.filter(motif_sortie__in=list(motif_ids)).order_by().values_list("siae_id", flat=True)
    for siae_id in sorted(set(structures)):
        rafraichir_structure_apres_commit(siae_id)
