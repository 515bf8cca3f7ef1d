"""The forms of the modulation: the decided rate of an annexe (in %, French decimals) with its comment, and the
département's envelope. Every error names its field; the rules are checked again by `services`."""

from django import forms

from parcours.forms_pass import FormulairePass


class DecisionForm(FormulairePass):
    taux = forms.DecimalField(
        label="Taux décidé (%)",
        min_value=0,
        max_value=10,
        max_digits=3,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text="De 0 à 10 % du socle conventionné, au dixième de point (4,5 par exemple).",
    )
    commentaire = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Les raisons de la décision ; il reste dans l'historique et la structure le voit.",
    )


class EnveloppeForm(FormulairePass):
    montant = forms.DecimalField(
        label="Montant de l'enveloppe (€)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    commentaire = forms.CharField(
        label="Motif (facultatif)",
        max_length=255,
        required=False,
        help_text="Par exemple : notification du BOP 102 du 15 mars.",
    )
