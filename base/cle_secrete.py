"""Whether a secret key is strong enough for production: long, varied, without a repeated pattern or a run of
consecutive characters. Plain Python, read by the production settings before Django is set up."""

import math
from collections import Counter

LONGUEUR_MIN = 50
# A hexadecimal key (`openssl rand -hex 32`) uses its 16 digits, or nearly.
CARACTERES_DIFFERENTS_MIN = 12
# Bits estimated from the frequency of each character over the whole key: `secrets.token_urlsafe(50)` gives some
# 350, Django's `get_random_secret_key()` some 240, 50 hexadecimal digits some 190; « abcde » ten times gives 116.
ENTROPIE_MIN = 160
# A random key hardly ever repeats four characters in a row; a repeated pattern does all along.
MOTIFS_DIFFERENTS_MIN = 0.9
# « abcdefgh… »: each character follows the one before in the alphabet.
SUITES_MAX = 0.25


def entropie(cle: str) -> float:
    """Shannon's entropy of the key's characters, in bits per character, times its length."""
    effectifs = Counter(cle)
    return -sum(n * math.log2(n / len(cle)) for n in effectifs.values())


def faiblesse_de_la_cle(cle: str) -> str | None:
    """Why the key is too weak for production, in French, or None."""
    if len(cle) < LONGUEUR_MIN:
        return f"elle a {len(cle)} caractères, il en faut au moins {LONGUEUR_MIN}"
    if cle.startswith("django-insecure"):
        return "c'est une clé de développement (django-insecure)"
    if len(set(cle)) < CARACTERES_DIFFERENTS_MIN:
        return f"elle n'a que {len(set(cle))} caractères différents, il en faut au moins {CARACTERES_DIFFERENTS_MIN}"
    if (bits := entropie(cle)) < ENTROPIE_MIN:
        return f"son entropie est d'environ {bits:.0f} bits, il en faut au moins {ENTROPIE_MIN}"
    motifs = [cle[i : i + 4] for i in range(len(cle) - 3)]
    if len(set(motifs)) < MOTIFS_DIFFERENTS_MIN * len(motifs):
        return "elle répète un motif"
    suites = sum(1 for a, b in zip(cle, cle[1:], strict=False) if ord(b) - ord(a) == 1)
    if suites > SUITES_MAX * (len(cle) - 1):
        return "elle suit l'ordre de l'alphabet"
    return None
