# The fluxIAE import writes into the models of the other apps; its staging tables are temporary (transit.py).
