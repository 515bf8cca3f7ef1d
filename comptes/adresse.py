"""The address of the person behind a request, for the failed-login lockout (django-axes counts failures per
account and per address: AXES_CLIENT_IP_CALLABLE).

Behind the TLS proxy every request comes from the proxy's address: counted on it, five wrong passwords from anyone
would lock the account for everyone. The proxy writes the address it received the request from at the end of
X-Forwarded-For; what comes before is whatever the client sent, and can be forged. So the header is read from the
right, and only through the proxies the settings trust (PROXYS_DE_CONFIANCE): the first address that is not one
of them is the client's. A request that does not come from a trusted proxy is its own address, whatever it says."""

import ipaddress

from django.conf import settings


def _adresse(texte: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        adresse = ipaddress.ip_address(texte.strip())
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket: the IPv4 address, as the proxy would write it.
    return getattr(adresse, "ipv4_mapped", None) or adresse


def _de_confiance(adresse, reseaux) -> bool:
    return any(adresse.version == reseau.version and adresse in reseau for reseau in reseaux)


def adresse_du_client(request) -> str | None:
    distante = _adresse(request.META.get("REMOTE_ADDR", ""))
    if distante is None:
        return None
    reseaux = [ipaddress.ip_network(reseau, strict=False) for reseau in settings.PROXYS_DE_CONFIANCE]
    client = distante
    transmises = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for texte in reversed(transmises):
        if not _de_confiance(client, reseaux):
            break
        precedente = _adresse(texte)
        if precedente is None:  # a forged or garbled entry: the last trusted hop is all that is known
            break
        client = precedente
    return str(client)
