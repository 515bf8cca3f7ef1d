"""The fluxIAE's contracts and persons become Pilot'IAE's salariés, PASS IAE, parcours and contracts, set-based.

The two views are streamed into staging tables (only the contracts of the structures loaded, only the persons of
those contracts), then a fixed number of SQL statements groups the contracts into parcours, matches what exists
(PASS by number, parcours by PASS, structure and hire date, contracts by ASP id, else the same contract typed in
Pilot'IAE) and writes the differences. The time and memory do not grow with Python objects per contract.
"""

import re
from operator import itemgetter

from base.rafraichissement import rafraichir_structure_apres_commit
from parcours.models import Contrat, Parcours, PassIae, Salarie, TypeContrat

from . import regles
from .lecture import LecteurVue
from .transit import Ecriture, analyser, creer, different, executer, inserer, nouvel_identifiant, sql

CONTRATS, PERSONNES = "fluxiae_contrats", "fluxiae_personnes"
IDENTITES, SUITES, PASSES = "fluxiae_identites", "fluxiae_suites", "fluxiae_passes"
GROUPES, VOULUS = "fluxiae_groupes", "fluxiae_contrats_voulus"
TABLES = (CONTRATS, PERSONNES, IDENTITES, SUITES, PASSES, f"{GROUPES}_lus", GROUPES, VOULUS)
AGREMENT = re.compile(r"[0-9A-Z]{12}")


def lire_contrats(flux, structures: dict, motifs: dict, bilan) -> set[int]:
    """The contracts of the structures loaded go to the staging table, with their SIAE, type and exit motif as
    Pilot'IAE knows them; returns the ASP ids of their persons (to read only those from the Salarie view)."""
    fichier = flux.fichiers["ContratMission"]
    compte = bilan.vues["ContratMission"]
    ids = {structure for structure, _ in structures}
    siae_de = {cle: siae.pk for cle, siae in structures.items()}
    motif_de = {rms_id: motif.pk for rms_id, motif in motifs.items()}
    personnes = set()
    creer(
        CONTRATS,
        """(ligne bigint, id_asp bigint, personne bigint, siae_id bigint, rang integer, embauche date, fin date,
        sortie date, motif_id bigint, brsa boolean, rqth boolean, niveau varchar(12), chomage varchar(5),
        heures_hebdo numeric(4, 2), type varchar(14))""",
    )
    colonnes = ("ligne", "id_asp", "personne", "siae_id", "rang", "embauche", "fin", "sortie", "motif_id", "brsa",
                "rqth", "niveau", "chomage", "heures_hebdo", "type")  # fmt: skip
    with LecteurVue(fichier, dedoublonner=True) as lecteur, Ecriture(CONTRATS, colonnes) as ecriture:
        indice = lecteur.index_brut("contrat_id_structure")
        lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in ids
        positions = [
            lecteur.position(c)
            for c in (
                "contrat_id_ctr", "contrat_id_pph", "contrat_id_structure", "contrat_mesure_disp_code",
                "contrat_type_contrat", "contrat_date_embauche", "contrat_date_fin_contrat",
                "contrat_date_sortie_definitive", "contrat_motif_sortie_id", "contrat_salarie_rsa",
                "contrat_salarie_rqth", "contrat_niveau_de_formation_code", "contrat_salarie_pe_duree_code",
                "contrat_duree_hebdo_travail",
            )
        ]  # fmt: skip
        choisir = itemgetter(*positions)
        for numero, v in lecteur:
            (id_ctr, personne, structure, mesure, rang, embauche, fin, sortie, motif, rsa, rqth, niveau, chomage,
             hebdo) = choisir(v)  # fmt: skip
            type_ = regles.type_de_mesure(mesure)
            siae = siae_de.get((structure, type_))
            if siae is None:
                compte.ignores["mesure sans annexe financière chargée"] += 1
                continue
            if fin is not None and fin < embauche:
                compte.ignores["contrat qui finit avant de commencer"] += 1
                continue
            if sortie is not None and sortie < embauche:
                compte.ignores["sortie avant l'embauche"] += 1
                continue
            personnes.add(personne)
            ecriture.ecrire(
                (numero, id_ctr, personne, siae, rang, embauche, fin, sortie,
                 motif_de.get(motif) if sortie else None, regles.est_brsa(rsa), bool(rqth),
                 regles.niveau_de_formation(niveau), regles.duree_de_chomage(chomage), regles.heures_hebdo(hebdo),
                 TypeContrat.MISSION if type_ in ("AI", "ETTI") else TypeContrat.CDDI)
            )  # fmt: skip
    return personnes


def lire_salaries(flux, personnes: set[int], bilan) -> None:
    """The persons of the contracts kept go to the staging table: the PASS number, the identity Pilot'IAE holds for
    its salariés and the two flags of the address; never the NIR, the address itself or anything else."""
    fichier = flux.fichiers["Salarie"]
    compte = bilan.vues["Salarie"]
    creer(
        PERSONNES,
        """(ligne bigint, personne bigint, agrement varchar(12), nom varchar(150), prenom varchar(150),
        naissance date, genre varchar(1), qpv boolean, zrr boolean)""",
    )
    colonnes = ("ligne", "personne", "agrement", "nom", "prenom", "naissance", "genre", "qpv", "zrr")
    with LecteurVue(fichier, dedoublonner=True) as lecteur, Ecriture(PERSONNES, colonnes) as ecriture:
        indice = lecteur.index_brut("salarie_id")
        lecteur.garder = lambda champs: champs[indice].strip().isdigit() and int(champs[indice]) in personnes
        positions = [
            lecteur.position(c)
            for c in (
                "salarie_id", "salarie_agrement", "salarie_nom_usage", "salarie_prenom", "salarie_date_naissance",
                "salarie_rci_libelle", "salarie_adr_qpv_type", "salarie_adr_is_zrr",
            )
        ]  # fmt: skip
        choisir = itemgetter(*positions)
        for numero, v in lecteur:
            personne, agrement, nom, prenom, naissance, civilite, qpv, zrr = choisir(v)
            genre = regles.genre_de_civilite(civilite)
            # Pilot'IAE holds a salarié with a birth date, a sex and a PASS number; a person the ASP lists without
            # them is not a bad file (the flux has such rows nationally): their parcours are left out, counted.
            if naissance is None:
                compte.ignores["date de naissance absente"] += 1
                continue
            if genre is None:
                compte.ignores["civilité ni MME ni M."] += 1
                continue
            if not AGREMENT.fullmatch(agrement):
                compte.ignores["numéro de PASS IAE illisible"] += 1
                continue
            ecriture.ecrire(
                (numero, personne, agrement, (nom or "")[:150], (prenom or "")[:150], naissance, genre,
                 regles.est_qpv(qpv), bool(zrr))
            )  # fmt: skip


def charger_parcours(bilan) -> None:
    """From the staging tables: one identity per person (its last row), the contracts grouped into parcours (an
    initial contract and the renewals that follow it, for one person and structure), one salarié and PASS per PASS
    number, then the parcours and the contracts, each matched on its key before anything is written."""
    analyser(CONTRATS, PERSONNES)
    compte_parcours, compte_salaries = bilan.vues["ContratMission"], bilan.vues["Salarie"]
    # The flux carries old contracts: one whose salarié was anonymised (retention period over, docs/rgpd.md) must
    # not bring the identity back nor move its contract onto a new parcours.
    anonymises = executer(
        f"""DELETE FROM {CONTRATS} WHERE id_asp IN (
            SELECT c.id_asp FROM {Contrat._meta.db_table} c
            JOIN {Parcours._meta.db_table} p ON p.id = c.parcours_id
            JOIN {Salarie._meta.db_table} s ON s.id = p.salarie_id
            WHERE c.id_asp IS NOT NULL AND s.date_anonymisation IS NOT NULL
        )"""
    )
    if anonymises:
        compte_parcours.ignores["salarié anonymisé (durée de conservation échue)"] += anonymises
    # A person listed twice keeps the last row of the file; a contract listed twice, likewise.
    creer(
        IDENTITES,
        f"""AS SELECT personne, agrement, nom, prenom, naissance, genre, qpv, zrr FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY personne ORDER BY ligne DESC) AS r FROM {PERSONNES}
        ) i WHERE i.r = 1""",
    )
    creer(
        SUITES,
        f"""AS SELECT c.*, i.agrement, i.qpv, i.zrr,
            SUM(CASE WHEN c.rang = 0 THEN 1 ELSE 0 END) OVER (
                PARTITION BY c.personne, c.siae_id ORDER BY c.embauche, c.rang, c.ligne ROWS UNBOUNDED PRECEDING
            ) AS groupe
        FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY id_asp ORDER BY ligne DESC) AS r FROM {CONTRATS}) c
        LEFT JOIN {IDENTITES} i ON i.personne = c.personne
        WHERE c.r = 1""",
    )
    [(sans_identite,)] = sql(
        f"SELECT COUNT(*) FROM (SELECT DISTINCT personne, siae_id, groupe FROM {SUITES} WHERE agrement IS NULL) s"
    )
    if sans_identite:
        compte_parcours.ignores["personne absente de la vue Salarie"] += sans_identite
    executer(f"DELETE FROM {SUITES} WHERE agrement IS NULL")
    analyser(SUITES)
    _charger_passes(compte_salaries)
    _charger_groupes(compte_parcours)
    _charger_contrats()


def _cle_nouvelle(modele, existante: str, ordre: str) -> str:
    """SQL for the key of a row: the existing one, else a fresh one drawn at once (so that nothing is updated
    after the insert to learn it)."""
    rang = f"ROW_NUMBER() OVER (PARTITION BY {existante} IS NULL ORDER BY {ordre})"
    return f"CASE WHEN {existante} IS NULL THEN {nouvel_identifiant(modele, rang)} ELSE {existante} END"


def _charger_passes(compte) -> None:
    """One salarié and PASS per PASS number: the identity of the highest ASP person id holding it."""
    pass_iae, salarie = PassIae._meta.db_table, Salarie._meta.db_table
    creer(
        PASSES,
        f"""AS SELECT i.agrement, i.nom, i.prenom, i.naissance, i.genre, p.id IS NULL AS nouveau,
            {_cle_nouvelle(PassIae, "p.id", "i.agrement")} AS pass_id,
            {_cle_nouvelle(Salarie, "p.salarie_id", "i.agrement")} AS salarie_id
        FROM (
            SELECT *, ROW_NUMBER() OVER (PARTITION BY agrement ORDER BY personne DESC) AS r
            FROM {IDENTITES} WHERE personne IN (SELECT personne FROM {SUITES})
        ) i LEFT JOIN {pass_iae} p ON p.numero = i.agrement
        WHERE i.r = 1""",
    )
    # The groups are joined on it: without an index PostgreSQL may scan the PASS once per group.
    executer(f"CREATE INDEX {PASSES}_agrement ON {PASSES} (agrement)")
    analyser(PASSES)
    identite = (("nom", "nom"), ("prenom", "prenom"), ("date_naissance", "naissance"), ("genre", "genre"))
    modifies = executer(
        f"""UPDATE {salarie} SET nom = t.nom, prenom = t.prenom, date_naissance = t.naissance, genre = t.genre
        FROM {PASSES} t WHERE {salarie}.id = t.salarie_id AND NOT t.nouveau AND {different(salarie, "t", identite)}"""
    )
    [(connus,)] = sql(f"SELECT COUNT(*) FROM {PASSES} WHERE NOT nouveau")
    crees = inserer(
        Salarie,
        {"id": "salarie_id", "nom": "nom", "prenom": "prenom", "date_naissance": "naissance", "genre": "genre"},
        f"FROM {PASSES} WHERE nouveau ORDER BY salarie_id",
    )
    inserer(
        PassIae,
        {"id": "pass_id", "numero": "agrement", "salarie_id": "salarie_id"},
        f"FROM {PASSES} WHERE nouveau ORDER BY pass_id",
    )
    compte.noter("crees", crees)
    compte.noter("modifies", modifies)
    compte.noter("inchanges", connus - modifies)


CHAMPS_PARCOURS = (
    ("date_sortie", "sortie"), ("motif_sortie_id", "motif_id"), ("brsa", "brsa"), ("rqth", "rqth"), ("qpv", "qpv"),
    ("zrr", "zrr"), ("niveau_formation", "niveau"), ("duree_chomage", "chomage"),
)  # fmt: skip


def _charger_groupes(compte) -> None:
    """One parcours per group, keyed (PASS, structure, hire date of the initial contract): the situation at hire
    from the initial contract, the exit from the last one. Two groups on one key (two ASP persons sharing a PASS):
    the last one counts."""
    parcours = Parcours._meta.db_table
    # In two steps: the groups alone, then their match with the parcours; in one statement PostgreSQL may plan
    # the window functions of the groups against the parcours table row by row (minutes on a national flux).
    creer(
        f"{GROUPES}_lus",
        f"""AS SELECT * FROM (
            SELECT p.personne, p.siae_id, p.groupe, t.pass_id, t.salarie_id, p.embauche, d.sortie,
                CASE WHEN d.sortie IS NOT NULL THEN d.motif_id END AS motif_id, p.brsa, p.rqth, p.qpv, p.zrr,
                p.niveau, p.chomage,
                ROW_NUMBER() OVER (PARTITION BY t.pass_id, p.siae_id, p.embauche ORDER BY p.personne DESC,
                                   p.groupe DESC) AS r
            FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY personne, siae_id, groupe
                                             ORDER BY embauche, rang, ligne) AS n FROM {SUITES}
            ) p
            JOIN (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY personne, siae_id, groupe
                                             ORDER BY embauche DESC, rang DESC, ligne DESC) AS n FROM {SUITES}
            ) d ON d.personne = p.personne AND d.siae_id = p.siae_id AND d.groupe = p.groupe AND d.n = 1
            JOIN {PASSES} t ON t.agrement = p.agrement
            WHERE p.n = 1
        ) g WHERE g.r = 1""",
    )
    analyser(f"{GROUPES}_lus", parcours)
    creer(
        GROUPES,
        f"""AS SELECT g.*, e.id IS NULL AS nouveau,
            {_cle_nouvelle(Parcours, "e.id", "g.pass_id, g.siae_id, g.embauche")} AS parcours_id
        FROM {GROUPES}_lus g LEFT JOIN {parcours} e
          ON e.pass_iae_id = g.pass_id AND e.siae_id = g.siae_id AND e.date_embauche = g.embauche""",
    )
    analyser(GROUPES)
    affectations = ", ".join(f"{champ} = g.{source}" for champ, source in CHAMPS_PARCOURS)
    # The structures whose parcours change: their per-parcours facts are refreshed after the commit.
    modifies = sql(
        f"""UPDATE {parcours} SET {affectations} FROM {GROUPES} g
        WHERE {parcours}.id = g.parcours_id AND NOT g.nouveau AND {different(parcours, "g", CHAMPS_PARCOURS)}
        RETURNING {parcours}.siae_id"""
    )
    structures = {siae_id for (siae_id,) in modifies}
    structures.update(siae_id for (siae_id,) in sql(f"SELECT DISTINCT siae_id FROM {GROUPES} WHERE nouveau"))
    for siae_id in sorted(structures):
        rafraichir_structure_apres_commit(siae_id)
    modifies = len(modifies)
    [(connus,)] = sql(f"SELECT COUNT(*) FROM {GROUPES} WHERE NOT nouveau")
    crees = inserer(
        Parcours,
        {
            "id": "parcours_id",
            "salarie_id": "salarie_id",
            "siae_id": "siae_id",
            "pass_iae_id": "pass_id",
            "date_embauche": "embauche",
            **dict(CHAMPS_PARCOURS),
        },  # fmt: skip
        f"FROM {GROUPES} WHERE nouveau ORDER BY parcours_id",
    )
    compte.noter("crees", crees)
    compte.noter("modifies", modifies)
    compte.noter("inchanges", connus - modifies)


# The type is written when the flux creates the contract only: the ASP's (CDDI or mission, from the mesure) is
# coarser than Pilot'IAE's (CDI inclusion, passerelle…), so a contract typed here keeps its own.
CHAMPS_CONTRAT = (
    ("parcours_id", "parcours_id"), ("date_debut", "date_debut"), ("date_fin", "date_fin"),
    ("heures_hebdo", "heures_hebdo"),
)  # fmt: skip


def _charger_contrats() -> None:
    """The contracts of the parcours kept, by their ASP id; a contract typed in Pilot'IAE (no ASP id) in the same
    parcours from the same day is the same contract, and takes the ASP id."""
    creer(
        VOULUS,
        f"""AS SELECT s.id_asp, g.parcours_id, s.type, s.embauche AS date_debut,
            COALESCE(s.sortie, s.fin) AS date_fin, s.heures_hebdo
        FROM {SUITES} s JOIN {GROUPES} g
          ON g.personne = s.personne AND g.siae_id = s.siae_id AND g.groupe = s.groupe""",
    )
    executer(f"CREATE INDEX {VOULUS}_id_asp ON {VOULUS} (id_asp)")
    analyser(VOULUS)
    contrat = Contrat._meta.db_table
    affectations = ", ".join(f"{champ} = v.{source}" for champ, source in CHAMPS_CONTRAT)
    executer(
        f"""UPDATE {contrat} SET {affectations} FROM {VOULUS} v
        WHERE {contrat}.id_asp = v.id_asp AND {different(contrat, "v", CHAMPS_CONTRAT)}"""
    )
    # One typed contract per (parcours, start) is adopted, by the lowest ASP id starting that day.
    adoptes = ", ".join(f"{champ} = a.{source}" for champ, source in (("id_asp", "id_asp"), *CHAMPS_CONTRAT))
    executer(
        f"""UPDATE {contrat} SET {adoptes} FROM (
            SELECT v.*, s.id AS saisi,
                ROW_NUMBER() OVER (PARTITION BY v.parcours_id, v.date_debut ORDER BY v.id_asp) AS r
            FROM {VOULUS} v
            JOIN (
                SELECT parcours_id, date_debut, MAX(id) AS id FROM {contrat} WHERE id_asp IS NULL
                GROUP BY parcours_id, date_debut
            ) s ON s.parcours_id = v.parcours_id AND s.date_debut = v.date_debut
            WHERE NOT EXISTS (SELECT 1 FROM {contrat} c WHERE c.id_asp = v.id_asp)
        ) a WHERE {contrat}.id = a.saisi AND a.r = 1"""
    )
    inserer(
        Contrat,
        {"id_asp": "id_asp", "type": "type", **dict(CHAMPS_CONTRAT)},
        f"FROM {VOULUS} v WHERE NOT EXISTS (SELECT 1 FROM {contrat} c WHERE c.id_asp = v.id_asp)",
    )
