"""Sorties dynamiques and publics in SQL (indicateurs/queries_sorties.py) on a département built by hand: every
figure is checked against what the rules of indicateurs/regles_sorties.py give for the same parcours, computed
here."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import DateField, Value

from conventions.models import AnnexeFinanciere
from declarations.models import DeclarationMensuelle, EtatDeclaration, LigneDeclaration
from indicateurs import queries_sorties as queries
from indicateurs import regles_sorties as r
from indicateurs.models import PresenceAnnuelle, PublicsAnnuels
from indicateurs.services import rafraichir_structures, rafraichir_tout
from parcours.models import MotifSortie, Parcours
from parcours.regles import ajouter_mois
from parcours.services import recompter_les_sorties_des_motifs
from siae.models import Siae
from tests.factories import AnnexeFinanciereFactory, ParcoursFactory, SalarieFactory, SiaeFactory

pytestmark = pytest.mark.django_db

D = dt.date


def annexe_de(siae, annee, **valeurs):
    annexe = AnnexeFinanciere.objects.filter(siae=siae, date_debut__year=annee).first()
    return annexe or AnnexeFinanciereFactory(siae=siae, annee=annee, **valeurs)


def declarer(parcours, heures: dict[dt.date, str], retenue=True, version=1):
    """Lines of the structure's declarations for the given months (first days)."""
    for mois, h in heures.items():
        declaration, _ = DeclarationMensuelle.objects.get_or_create(
            annexe=annexe_de(parcours.siae, mois.year),
            mois=mois,
            version=version,
            defaults={"etat": EtatDeclaration.VALIDEE, "retenue": retenue},
        )
        LigneDeclaration.objects.create(declaration=declaration, parcours=parcours, heures_travaillees=Decimal(h))


class Cas:
    """The hand-built parcours, and what the rules say of them."""

    def __init__(self):
        self.sorties = []  # (département, type, hire, exit, hours, category)

    def sortie(self, siae, embauche, sortie, motif, heures=None, **autres):
        parcours = ParcoursFactory(
            siae=siae,
            date_embauche=embauche,
            date_sortie=sortie,
            motif_sortie=MotifSortie.objects.get(code=motif) if motif else None,
            **autres,
        )
        total = Decimal(0)
        if heures:
            declarer(parcours, heures)
            total = sum((Decimal(h) for h in heures.values()), Decimal(0))
        categorie = MotifSortie.objects.get(code=motif).categorie if motif else None
        self.sorties.append((siae.departement, siae.type, embauche, sortie, total, categorie))
        return parcours

    def attendu(self, annee, types, departement="55") -> r.CompteSorties:
        """The examined exits of the year of the département's structures of these kinds, from the rules."""
        comptes = defaultdict(int)
        for dep, type_, embauche, sortie, heures, categorie in self.sorties:
            if dep == departement and type_ in types and r.sortie_examinee(annee, type_, embauche, sortie, heures):
                comptes["examinees"] += 1
                if categorie == "RETRAIT":
                    comptes["retraits"] += 1
                elif categorie == "EMPLOI_DURABLE":
                    comptes["emploi_durable"] += 1
                elif categorie == "EMPLOI_TRANSITION":
                    comptes["emploi_transition"] += 1
                elif categorie == "SORTIE_POSITIVE":
                    comptes["sorties_positives"] += 1
        return r.CompteSorties(**comptes)


@pytest.fixture
def cas():
    aci = SiaeFactory(aci=True, nom="Chantier")
    ai = SiaeFactory(ai=True, nom="Association")
    etti = SiaeFactory(etti=True, nom="Intérim")
    ei = SiaeFactory(ei=True, nom="Entreprise")
    eiti = SiaeFactory(eiti=True, nom="Indépendants")
    moselle = SiaeFactory(aci=True, moselle=True, nom="Chantier de Metz")
    c = Cas()
    c.structures = {"ACI": aci, "AI": ai, "ETTI": etti, "EI": ei, "EITI": eiti, "57": moselle}

    # ACI: three months from hire to exit, to the day.
    c.exactement_3_mois = c.sortie(aci, D(2024, 1, 15), D(2024, 4, 15), "CDI")
    c.la_veille = c.sortie(aci, D(2024, 1, 15), D(2024, 4, 14), "CDI")  # not examined
    c.sortie(aci, D(2023, 6, 1), D(2024, 3, 1), "CHOMAGE")
    c.sortie(aci, D(2023, 9, 1), D(2024, 2, 1), "DECES")  # retrait
    c.sortie(aci, D(2023, 11, 30), D(2024, 2, 29), "FORMATION_QUALIFIANTE")  # clamped to 29 February
    c.sortie(aci, D(2023, 11, 30), D(2024, 2, 28), "CDI")  # a day short
    c.sortie(aci, D(2024, 3, 1), D(2024, 12, 31), "CDD_MOINS_6M")
    c.sortie(aci, D(2024, 6, 1), D(2025, 1, 10), "CDI")  # a 2025 exit
    c.sortie(aci, D(2024, 1, 1), D(2024, 6, 1), None)  # no motif: counted among the others
    ParcoursFactory(siae=aci, date_embauche=D(2024, 1, 1))  # still in parcours
    c.sortie(aci, D(2023, 1, 1), D(2023, 6, 30), "CDI")
    c.sortie(aci, D(2023, 1, 1), D(2023, 5, 1), "CHOMAGE")
    c.sortie(aci, D(2022, 1, 1), D(2022, 12, 31), "MALADIE_MATERNITE")  # 2022: only a retrait
    # AI: 150 hours worked in the parcours, from the retained declarations.
    c.sortie(ai, D(2024, 3, 1), D(2024, 5, 31), "CDI", {D(2024, 4, 1): "100", D(2024, 5, 1): "49.75"})
    c.sortie(ai, D(2024, 3, 1), D(2024, 5, 31), "CHOMAGE", {D(2024, 4, 1): "100", D(2024, 5, 1): "50"})
    c.sortie(ai, D(2023, 11, 1), D(2024, 2, 15), "INTERIM_MOINS_6M", {D(2023, 12, 1): "120", D(2024, 2, 1): "40"})
    c.sortie(ai, D(2024, 1, 1), D(2024, 3, 20), "CDD_6M_PLUS", {D(2024, 1, 1): "51.48", D(2024, 2, 1): "67.57",
                                                                  D(2024, 3, 1): "30.95"})  # fmt: skip
    remplacee = c.sortie(ai, D(2024, 1, 1), D(2024, 2, 10), "CDI", {D(2024, 1, 1): "100", D(2024, 2, 1): "49.99"})
    declarer(remplacee, {D(2024, 1, 1): "200"}, retenue=False, version=2)  # a version that does not count
    c.sortie(ai, D(2023, 1, 1), D(2023, 9, 1), "CDI", {D(2023, 2, 1): "160"})
    # ETTI: hours too; no line at all is no hour.
    c.sortie(etti, D(2024, 1, 1), D(2024, 2, 1), "INTERIM_6M_PLUS", {D(2024, 1, 1): "151.67"})
    c.sortie(etti, D(2024, 1, 1), D(2024, 8, 1), "CHOMAGE")
    # EI: three months, as the ACI.
    c.sortie(ei, D(2024, 2, 1), D(2024, 5, 1), "AUTRE_SIAE")
    c.sortie(ei, D(2024, 2, 1), D(2024, 4, 30), "CDI")
    # EITI: always.
    c.sortie(eiti, D(2024, 12, 1), D(2024, 12, 2), "CREATION_ENTREPRISE")
    # Moselle: out of the département.
    c.sortie(moselle, D(2023, 1, 1), D(2024, 6, 30), "CDI")
    rafraichir_tout()  # what the writes of production ask for when they commit
    return c


def structures_55():
    return Siae.objects.filter(departement="55")


class TestFonctionsSql:
    """The SQL of a date + 3 months and of an age agree with the Python rules, day by day."""

    def test_trois_mois_plus_tard(self):
        siae = SiaeFactory()
        jours = [D(2023, 1, 1) + dt.timedelta(days=i) for i in range(0, 800, 1)]
        for jour in jours:
            sql = (
                Siae.objects.filter(pk=siae.pk)
                .annotate(d=queries.AjouterMois(Value(jour, output_field=DateField()), 3))
                .values_list("d", flat=True)
                .get()
            )
            assert sql == r.date_de_qualification(jour), jour
        assert r.date_de_qualification(D(2023, 11, 30)) == ajouter_mois(D(2023, 11, 30), 3) == D(2024, 2, 29)

    def test_ages_a_l_embauche(self):
        embauches = [D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1), D(2025, 2, 28), D(2025, 3, 1), D(2024, 12, 31)]
        naissances = [D(1998, 2, 27), D(1998, 2, 28), D(1998, 3, 1), D(1999, 2, 28), D(1999, 3, 1)]
        naissances += [D(2000, 2, 29), D(1974, 2, 28), D(1974, 2, 29 - 1), D(1975, 2, 28), D(1975, 3, 1)]
        naissances += [D(1974, 12, 31), D(1975, 1, 1), D(1998, 12, 31), D(1999, 1, 1), D(2000, 3, 1)]
        siae = SiaeFactory()
        for naissance in naissances:
            for embauche in embauches:
                ecart = (
                    Siae.objects.filter(pk=siae.pk)
                    .annotate(
                        naissance=Value(naissance, output_field=DateField()),
                        embauche=Value(embauche, output_field=DateField()),
                    )
                    .annotate(e=queries.ecart_de_dates("naissance", "embauche"))
                    .values_list("e", flat=True)
                    .get()
                )
                assert (ecart < 260000) == r.moins_de_26_ans(naissance, embauche), (naissance, embauche)
                assert (ecart >= 500000) == r.cinquante_ans_et_plus(naissance, embauche), (naissance, embauche)


class TestSorties:
    ANNEES = [2024, 2023, 2022]

    def test_par_type_trois_annees(self, cas):
        lignes = {ligne.cle: ligne for ligne in queries.sorties_par_type(structures_55(), self.ANNEES)}
        assert list(lignes) == ["ACI", "AI", "ETTI", "EI", "EITI", "TOTAL"]
        for type_ in ("ACI", "AI", "ETTI", "EI", "EITI"):
            for i, annee in enumerate(self.ANNEES):
                assert lignes[type_].comptes[i] == cas.attendu(annee, {type_}), (type_, annee)
        for i, annee in enumerate(self.ANNEES):
            assert lignes["TOTAL"].comptes[i] == cas.attendu(annee, {"ACI", "AI", "ETTI", "EI", "EITI"})

    def test_valeurs_attendues(self, cas):
        lignes = {ligne.cle: ligne for ligne in queries.sorties_par_type(structures_55(), self.ANNEES)}
        aci_2024, aci_2023, aci_2022 = lignes["ACI"].comptes
        # Exactly three months, the chômage, the death, 29 February, the CDD, the exit without motif.
        assert (aci_2024.examinees, aci_2024.retraits) == (6, 1)
        assert (aci_2024.emploi_durable, aci_2024.emploi_transition, aci_2024.sorties_positives) == (1, 1, 1)
        assert aci_2024.autres == 2
        assert aci_2024.taux_sorties_dynamiques == Decimal(3) / Decimal(5)
        assert aci_2024.taux_emploi_durable == Decimal(1) / Decimal(5)
        assert aci_2023.taux_sorties_dynamiques == Decimal("0.5")
        assert (aci_2022.examinees, aci_2022.retraits, aci_2022.taux_sorties_dynamiques) == (1, 1, None)
        ai_2024 = lignes["AI"].courant
        # 150 h (yes), 120 h + 40 h across two years (yes), 149.99… in floating point (yes); 149.75 h and
        # 149.99 h retained (no, the replaced version's 200 h do not count).
        assert ai_2024.examinees == 3
        assert ai_2024.emploi_durable == 1 and ai_2024.emploi_transition == 1
        assert lignes["ETTI"].courant.examinees == 1
        assert lignes["EI"].courant.sorties_positives == 1 and lignes["EI"].courant.examinees == 1
        assert lignes["EITI"].courant.emploi_durable == 1
        assert lignes["TOTAL"].courant.examinees == 12

    def test_categorie_actuelle_du_motif(self, cas, monkeypatch):
        """A motif moved to another category moves its past exits with it: the change asks for the refresh of the
        structures with such exits, which counts them again."""
        avant = queries.sorties_par_type(structures_55(), [2024])[0].courant
        demandes = []
        monkeypatch.setattr("parcours.services.rafraichir_structure_apres_commit", demandes.append)
        chomage = MotifSortie.objects.filter(code="CHOMAGE")
        chomage.update(categorie="SORTIE_POSITIVE")
        recompter_les_sorties_des_motifs(chomage.values_list("pk", flat=True))
        assert demandes == sorted({p.siae_id for p in Parcours.objects.filter(motif_sortie__in=chomage)})
        rafraichir_structures(demandes)
        apres = queries.sorties_par_type(structures_55(), [2024])[0].courant
        assert apres.sorties_positives == avant.sorties_positives + 1
        assert apres.autres == avant.autres - 1

    def test_par_siae_et_departement(self, cas):
        par_siae = {s.structure.nom: s.compte for s in queries.sorties_des_siae(Siae.objects.all(), 2024)}
        assert par_siae["Chantier"] == cas.attendu(2024, {"ACI"})
        assert par_siae["Chantier de Metz"].examinees == 1
        par_departement = {
            ligne.cle: ligne.courant for ligne in queries.sorties_par_departement(Siae.objects.all(), [2024])
        }
        assert par_departement["55"] == cas.attendu(2024, {"ACI", "AI", "ETTI", "EI", "EITI"})
        assert par_departement["57"].examinees == 1
        assert par_departement["TOTAL"].examinees == 13

    def test_structures_passees_par_l_appelant(self, cas):
        seul = Siae.objects.filter(pk=cas.structures["EI"].pk)
        assert [ligne.cle for ligne in queries.sorties_par_type(seul, [2024])] == ["EI", "TOTAL"]
        assert queries.sorties_par_type(Siae.objects.none(), [2024]) == [
            queries.LigneSorties("TOTAL", [2024], [r.CompteSorties()])
        ]

    @pytest.mark.parametrize("groupe", list(queries.GROUPES))
    def test_materialises_egales_au_calcul_en_direct(self, cas, groupe):
        annees = [2025, 2024, 2023, 2022]
        assert queries.sorties_par(structures_55(), annees, groupe) == queries.sorties_par_en_direct(
            structures_55(), annees, groupe
        )

    def test_nombre_de_requetes_constant(self, cas, django_assert_num_queries):
        with django_assert_num_queries(1):
            queries.sorties_par_type(structures_55(), self.ANNEES)
        with django_assert_num_queries(1):
            queries.sorties_des_siae(structures_55(), 2024)
        for _ in range(10):
            cas.sortie(SiaeFactory(ai=True), D(2024, 1, 1), D(2024, 6, 1), "CDI", {D(2024, 1, 1): "160"})
        rafraichir_tout()
        with django_assert_num_queries(1):
            assert len(queries.sorties_des_siae(structures_55(), 2024)) == 15


class TestPublics:
    @pytest.fixture
    def publics(self):
        aci = SiaeFactory(aci=True, nom="Chantier")
        aci_2 = SiaeFactory(aci=True, nom="Autre chantier")
        ai = SiaeFactory(ai=True, nom="Association")
        AnnexeFinanciereFactory(siae=aci, annee=2024, objectif_part_brsa=Decimal("35"))
        mars = D(2024, 3, 1)

        def salarie(siae, h="100", date_embauche=mars, mois=mars, salarie=None, **situation):
            if salarie is not None:
                situation["salarie"] = salarie
                if salarie.pass_iae.exists():  # a person already hired: the same PASS IAE
                    situation["pass_iae"] = salarie.pass_iae.get()
            parcours = ParcoursFactory(siae=siae, date_embauche=date_embauche, **situation)
            if h is not None:
                declarer(parcours, {mois: h})
            return parcours

        # ACI: six salariés who worked in 2024.
        jeune = SalarieFactory(date_naissance=D(1998, 3, 2), genre="M")  # 25 on the hire day
        salarie(aci, salarie=jeune, brsa=True, qpv=True)
        salarie(aci, salarie=SalarieFactory(date_naissance=D(1998, 3, 1), genre="M"))  # 26 that day
        salarie(aci, salarie=SalarieFactory(date_naissance=D(1974, 3, 1)), rqth=True, zrr=True)  # 50 that day
        salarie(aci, salarie=SalarieFactory(date_naissance=D(1974, 3, 2)), duree_chomage="DETLD")  # 49
        salarie(aci, niveau_formation="SANS", duree_chomage="DELD", brsa=True)
        salarie(aci_2, h="10")
        # Not counted: no hour in 2024 (0 h, a 2023 month, a line of a version that is not retained).
        salarie(aci, h="0", brsa=True)
        salarie(aci, date_embauche=D(2023, 3, 1), mois=D(2023, 3, 1), brsa=True)
        remplace = salarie(aci, h=None)
        declarer(remplace, {D(2024, 5, 1): "80"}, retenue=False, version=2)
        # The young one also works in the other ACI, hired in 2023, and in the AI: one salarié in each group.
        salarie(aci_2, salarie=jeune, date_embauche=D(2023, 12, 1), niveau_formation="INFRA_CAP")
        salarie(ai, salarie=jeune, brsa=True)
        salarie(ai, salarie=SalarieFactory(genre="M"), h="0.25", niveau_formation="CAP_BEP")
        rafraichir_tout()  # what the writes of production ask for when they commit
        return aci, aci_2, ai

    @pytest.mark.parametrize("groupe", list(queries.GROUPES))
    def test_materialises_egaux_au_calcul_en_direct(self, publics, groupe):
        # The young one works in three structures in 2024: the distinct count of several presences.
        assert PresenceAnnuelle.objects.filter(annee=2024, seul=False).count() == 3
        assert queries.publics_par(structures_55(), 2024, groupe) == queries.publics_par_en_direct(
            structures_55(), 2024, groupe
        )

    def test_une_presence_dans_une_structure_recompte_l_autre(self, publics):
        """A salarié counted once in the AI is hired in the other ACI: refreshing that ACI alone makes the AI's
        presence shared, and its stored counts follow (`PublicsAnnuels`)."""
        _, aci_2, ai = publics
        presence = PresenceAnnuelle.objects.select_related("fait__parcours__salarie").get(
            annee=2024, siae=ai, seul=True
        )
        salarie = presence.fait.parcours.salarie
        parcours = ParcoursFactory(
            siae=aci_2, date_embauche=D(2024, 3, 1), salarie=salarie, pass_iae=salarie.pass_iae.get()
        )
        declarer(parcours, {D(2024, 3, 1): "50"})
        rafraichir_structures([aci_2.pk])
        assert not PresenceAnnuelle.objects.filter(annee=2024, siae=ai, seul=True).exists()
        assert not PublicsAnnuels.objects.filter(annee=2024, siae=ai).exists()
        for groupe in queries.GROUPES:
            assert queries.publics_par(structures_55(), 2024, groupe) == queries.publics_par_en_direct(
                structures_55(), 2024, groupe
            )

    def test_par_type_et_total(self, publics):
        lignes = {ligne.cle: ligne for ligne in queries.publics_par_type(structures_55(), 2024)}
        assert list(lignes) == ["ACI", "AI", "TOTAL"]
        aci = lignes["ACI"].publics
        assert aci.salaries == 6  # the young one once, in two ACI
        assert (aci.femmes, aci.brsa, aci.qpv, aci.zrr, aci.rqth) == (4, 2, 1, 1, 1)
        assert (aci.moins_26_ans, aci.cinquante_ans_et_plus) == (1, 1)
        assert (aci.deld_detld, aci.infra_cap) == (2, 2)  # infra CAP: SANS, and the young one in the other ACI
        assert aci.part("femmes") == Decimal(4) / Decimal(6)
        assert aci.parts[0] == aci.part("femmes")
        assert lignes["AI"].publics.salaries == 2
        total = lignes["TOTAL"].publics
        assert total.salaries == 7  # the young one counted once
        assert total.brsa == 2 and total.moins_26_ans == 1

    def test_embauches_brsa_et_objectif(self, publics):
        lignes = {ligne.cle: ligne for ligne in queries.publics_par_type(structures_55(), 2024)}
        # ACI hires of 2024: the six salariés but the young one's 2023 hire in the other ACI, the 0 h one and the
        # replaced one; three bRSA. Against 40 %: 37.5 %, flagged.
        aci = lignes["ACI"].embauches
        assert (aci.embauches, aci.brsa) == (8, 3)
        assert aci.objectif == 40 and aci.sous_l_objectif
        ai = lignes["AI"].embauches
        assert (ai.embauches, ai.brsa, ai.sous_l_objectif) == (2, 1, False)
        total = lignes["TOTAL"].embauches
        assert (total.embauches, total.brsa, total.part, total.sous_l_objectif) == (10, 4, Decimal("0.4"), False)

        par_siae = {s.structure.nom: s for s in queries.publics_des_siae(structures_55(), 2024)}
        chantier = par_siae["Chantier"]
        assert chantier.embauches.objectif == 35  # the annexe's objective
        assert chantier.embauches.part == Decimal(3) / Decimal(7)
        assert not chantier.embauches.sous_l_objectif
        autre = par_siae["Autre chantier"]
        assert (autre.publics.salaries, autre.embauches.embauches, autre.embauches.brsa) == (2, 1, 0)
        assert autre.embauches.objectif == 40 and autre.embauches.sous_l_objectif
        assert par_siae["Association"].embauches.objectif == 40

    def test_nombre_de_requetes_constant(self, publics, django_assert_num_queries):
        """Two queries per grouping of the publics (the salariés counted once, those of several parcours), one for
        the hires, one for the annexes."""
        with django_assert_num_queries(5):
            queries.publics_par_type(structures_55(), 2024)
        with django_assert_num_queries(4):
            queries.publics_des_siae(structures_55(), 2024)
        for _ in range(10):
            parcours = ParcoursFactory(siae=SiaeFactory(), date_embauche=D(2024, 1, 1))
            declarer(parcours, {D(2024, 1, 1): "10"})
        rafraichir_tout()  # what the writes of production ask for when they commit
        with django_assert_num_queries(4):
            assert len(queries.publics_des_siae(structures_55(), 2024)) == 13
