"""The venue vocabulary: the short names survey lists use, what each is (a conference or a
journal), and the long names catalogs spell them with. One table for the whole tool.

>>> short_venue("Neural Information Processing Systems", ["NeurIPS", "NIPS"])
'NeurIPS'
>>> venue_kind("IEEE RA-L 2025"), venue_kind("ICLR 2024")
('journal', 'conference')
"""

from __future__ import annotations

import re
from collections.abc import Sequence


def _words_of(text: str) -> list[str]:
    return text.split()


#: Short names as lists write them; the journals among them (the rest are conferences).
CONFERENCES = _words_of(
    """
    NeurIPS NIPS ICML ICLR CVPR ICCV ECCV AAAI IJCAI ACL EMNLP NAACL COLING EACL CoRL
    ICRA IROS RSS SIGGRAPH KDD WWW MM ACMMM COLM WACV BMVC MICCAI MLSys OSDI SOSP NSDI
    EuroSys ASPLOS ISCA MICRO HPCA DAC ICASSP Interspeech CHI UIST AAMAS ICDE VLDB SIGMOD
    CIKM WSDM SIGIR UAI AISTATS ICDM ICME ACCV 3DV Humanoids L4DC PPoPP ICAPS HRI ISER
    INTERSPEECH
    """
)
JOURNALS = _words_of(
    "RA-L RAL TPAMI T-PAMI PAMI IJCV TIP TMLR JMLR TOG TVCG TNNLS TCSVT TMM TOMM TACL IJACSA T-RO"
)
# Journals too rare (or too short a word) to look for in a list's lines.
_OTHER_JOURNALS = _words_of("Nature Science IJRR TRO PR JAIR AIJ")
SHORT_NAMES = (*CONFERENCES, *JOURNALS)

# Venue names as the services spell them -> the short name survey lists use.
ALIASES = {
    "neural information processing systems": "NeurIPS",
    "advances in neural information processing systems": "NeurIPS",
    "nips": "NeurIPS",
    "international conference on learning representations": "ICLR",
    "international conference on machine learning": "ICML",
    "conference on robot learning": "CoRL",
    "ieee international conference on robotics and automation": "ICRA",
    "ieee/rjs international conference on intelligent robots and systems": "IROS",
    "ieee/rsj international conference on intelligent robots and systems": "IROS",
    "computer vision and pattern recognition": "CVPR",
    "ieee/cvf conference on computer vision and pattern recognition": "CVPR",
    "ieee international conference on computer vision": "ICCV",
    "european conference on computer vision": "ECCV",
    "aaai conference on artificial intelligence": "AAAI",
    "ieee robotics and automation letters": "IEEE RA-L",
    "ieee robotics autom. lett.": "IEEE RA-L",
    "robotics: science and systems": "RSS",
    "conference on empirical methods in natural language processing": "EMNLP",
    "annual meeting of the association for computational linguistics": "ACL",
}
_JOURNAL_WORDS_RE = re.compile(
    r"\b(journal|transactions|letters|magazine|review|"
    + "|".join(re.escape(j) for j in (*JOURNALS, *_OTHER_JOURNALS))
    + r")\b",
    re.IGNORECASE,
)


def short_venue(name: str, aliases: Sequence[str] = ()) -> str:
    """The short name for a venue a catalog spells out, else the name as given."""
    name = " ".join(name.split())
    for candidate in (name, *aliases):
        if candidate.lower() in ALIASES:
            return ALIASES[candidate.lower()]
    for alias in aliases:
        if re.fullmatch(r"[A-Z][A-Za-z-]{1,9}", alias) and sum(c.isupper() for c in alias) >= 2:
            return alias
    return name


def venue_kind(venue: str) -> str:
    """``"journal"`` or ``"conference"`` (a workshop, a symposium and anything unknown
    count as conferences: that is how BibTeX styles print them best)."""
    return "journal" if _JOURNAL_WORDS_RE.search(venue) else "conference"
