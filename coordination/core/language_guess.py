"""Which of the platform's languages a text is written in, from its common words.

The migrations that gave content its languages use it: text written before then had one
column, and becomes the text of the language it is in. Titles like "Bureau — maandelijkse
vergadering / réunion mensuelle" hold both official languages, and are split.

Kept small and stable on purpose: a migration must give the same answer in every release.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Short, frequent words (and a few words of the platform's own vocabulary) that tell the
#: three languages apart; words that two languages share ("de", "in", "a") are left out.
_MARKERS: dict[str, frozenset[str]] = {
    "nl": _words(
        """het een en van voor met op te is niet zijn over bij naar door uit aan als ook
        wordt worden werd dat die deze dit er om tot tegen onder na zal kan moet
        vergadering maandelijkse jaarlijkse agenda verslag beslissing maatregel
        mensenhandel slachtoffers slachtoffer opvang uitbuiting arbeid politie
        parket dienst zaal gebouw straat voorstel goedkeuring opvolging stand zaken
        nieuwe nieuw federale bespreking toelichting varia"""
    ),
    "fr": _words(
        """le la les des du et pour avec sur un une est au aux par dans pas sont qui que
        ce cette ces il elle ou été être sera peut doit entre contre sous après
        réunion mensuelle annuelle ordre jour procès-verbal décision mesure traite
        êtres humains victimes victime accueil travail parquet
        service salle bâtiment rue proposition approbation suivi état nouvelle nouveau
        fédéral fédérale présentation divers"""
    ),
    "en": _words(
        """the and of for with on to is not are by from at as be this that these will can
        must which who an or was were been has have under after into
        meeting monthly annual minutes decision measure trafficking human beings victims
        victim shelter labour prosecution room building street
        proposal approval follow-up status new federal presentation
        other business update report"""
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*", re.UNICODE)


def guess_language(text: str, default: str = "nl") -> str:
    """``nl``, ``fr`` or ``en``: the language whose common words the text uses most.

    ``default`` when nothing tells (a proper name, an acronym, an empty text).
    """
    words = [word.lower() for word in _WORD.findall(text or "")]
    scores = {
        language: sum(word in markers for word in words) for language, markers in _MARKERS.items()
    }
    best = max(scores.values())
    if best == 0:
        return default
    leaders = [language for language, score in scores.items() if score == best]
    return default if default in leaders else leaders[0]


def split_by_language(
    text: str | None, *, separator: str = " / ", default: str = "nl"
) -> dict[str, str]:
    """The text placed under the language it is written in.

    A text made of parts in different languages joined by ``separator`` ("Dutch / French")
    gives each part to its language; otherwise the whole text goes to one language.
    """
    if not text or not text.strip():
        return {}
    parts = [part.strip() for part in text.split(separator)]
    if len(parts) > 1 and all(parts):
        languages = [guess_language(part, default=default) for part in parts]
        if len(set(languages)) == len(parts):
            return dict(zip(languages, parts, strict=True))
    return {guess_language(text, default=default): text.strip()}
