"""Helpers of the contrôle tests."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from controle import services
from tests.factories import ParcoursFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(nom="justificatif.pdf", contenu=PDF):
    return SimpleUploadedFile(nom, contenu, content_type="application/pdf")


def embaucher(siae, nombre, annee=2024, auto_prescription=True):
    """`nombre` hires of the year in the structure, auto-prescribed unless told."""
    return [
        ParcoursFactory(siae=siae, auto_prescription=auto_prescription, date_embauche=dt.date(annee, 1 + i % 12, 1))
        for i in range(nombre)
    ]


def avancer(campagne, jusqu_a, auteur=None):
    """Move the campaign on until it is in the given phase."""
    while campagne.phase != jusqu_a:
        campagne = services.passer_a_la_phase_suivante(campagne, auteur)
    return campagne
