from django.apps import AppConfig


class AidesAuPosteConfig(AppConfig):
    name = "aides_au_poste"
    # The label of the tables and migrations since the first release: kept so that an existing database moves
    # with no migration (docs/decisions.md, "Noms des applications").
    label = "financement"
    verbose_name = "Aides au poste"
