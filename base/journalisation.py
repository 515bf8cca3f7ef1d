"""No personal data in the logs (docs/rgpd.md). The code logs ids and counts, never a name; this filter, on the
handler every record goes through (settings.LOGGING), masks what may still slip in from elsewhere: an exception's
message or a library's. It cannot recognise a name in free text: that is why no code logs one (a test reads every
logging call of the code base)."""

import logging
import re

MASQUE = "[masqué]"

_REMPLACEMENTS = (
    # PostgreSQL quotes the failing row and the duplicate key of its errors: names, birth dates, PASS numbers.
    (re.compile(r"(Failing row contains ).*$", re.MULTILINE), rf"\1({MASQUE})."),
    (re.compile(r"(Key \([^)]*\)=)\(.*?\)(?=\s|\.|,|$)", re.MULTILINE), rf"\1({MASQUE})"),
    # The query string of a URL is what was searched for or typed (a name): its path stays.
    (re.compile(r"(/[^\s?\"']*)\?[^\s\"']+"), rf"\1?{MASQUE}"),
    # A PASS IAE number: 12 capital letters or digits, at least 5 of them digits.
    (re.compile(r"\b(?=[0-9A-Z]{12}\b)(?=(?:[A-Z]*[0-9]){5})[0-9A-Z]{12}\b"), MASQUE),
    # A date, the French or the ISO way (a birth date looks like any other).
    (re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b"), MASQUE),
)


def masquer(texte: str) -> str:
    for motif, remplacement in _REMPLACEMENTS:
        texte = motif.sub(remplacement, texte)
    return texte


class MasquerDonneesPersonnelles(logging.Filter):
    """Rewrites each record's message, exception and stack with what looks personal masked; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still gets logged, masked
            message = f"{record.msg} {record.args}"
        record.msg, record.args = masquer(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = masquer(record.exc_text)
        if record.stack_info:
            record.stack_info = masquer(record.stack_info)
        return True
