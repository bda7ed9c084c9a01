"""Institutions from raw affiliation strings: splitting, stripping, abbreviations, aliases, countries and kinds."""

import json
import tarfile

import pytest

from profiles.institutions import Institution, InstitutionKind, institutions
from servicekit.testing import shared_data

U = InstitutionKind.UNIVERSITY


def names(affiliation: str) -> list[tuple[str, str | None, InstitutionKind | None]]:
    return [(found.name, found.country, found.kind) for found in institutions(affiliation)]


@pytest.mark.parametrize(
    ("affiliation", "expected"),
    [
        (
            "Dept. of Physics, Univ. of California, Berkeley, CA 94720, USA",
            [("University of California, Berkeley", "US", U)],
        ),
        ("MIT CSAIL", [("Massachusetts Institute of Technology", "US", U)]),
        (
            "Tsinghua University, Beijing, China; Microsoft Research Asia",
            [("Tsinghua University", "CN", U), ("Microsoft Research Asia", "CN", InstitutionKind.COMPANY)],
        ),
        ("ETH Zürich", [("ETH Zurich", "CH", U)]),
        ("Department of Computer Science, ETH Zurich, Switzerland", [("ETH Zurich", "CH", U)]),
        ("Carnegie Mellon University, Pittsburgh, PA", [("Carnegie Mellon University", "US", U)]),
        ("UCLA", [("University of California, Los Angeles", "US", U)]),
        (
            "Key Laboratory of Optoelectronics, Institute of Semiconductors, CAS, Beijing 100083, China",
            [("Chinese Academy of Sciences", "CN", InstitutionKind.INSTITUTE)],
        ),
        (
            "Department of Thoracic Surgery, Chinese PLA General Hospital, Haiding, Beijing, China. wydc1991@yeah.net.",
            [("Chinese PLA General Hospital", "CN", InstitutionKind.HOSPITAL)],
        ),
        (
            "Institute of Macromolecular Chemistry, Czech Academy of Sciences, Heyrovského nám. 2, 162 06 Prague, "
            "Czech Republic. Electronic address: etrych@imc.cas.cz.",
            [("Czech Academy of Sciences", "CZ", InstitutionKind.INSTITUTE)],
        ),
        (
            "Department of Physics, Jožef Stefan Institute and University of Ljubljana, Ljubljana, Slovenia.",
            [("Jožef Stefan Institute", "SI", InstitutionKind.INSTITUTE), ("University of Ljubljana", "SI", U)],
        ),
        (
            "Homer L. Dodge Department of Physics and Astronomy, University of Oklahoma, Norman, OK United States of "
            "America.",
            [("University of Oklahoma", "US", U)],
        ),
        (
            "Physics Department, Brookhaven National Laboratory, Upton, NY USA.",
            [("Brookhaven National Laboratory", "US", InstitutionKind.GOVERNMENT)],
        ),
        (
            "Institute of Zoology, Zoological Society of London, Regents Park, London, NW1 4RY, United Kingdom, "
            "email georgina.mace@ioz.ac.uk",
            [("Zoological Society of London", "GB", InstitutionKind.NONPROFIT)],
        ),
        ("Forest Trends, Washington, DC, USA", [("Forest Trends", "US", None)]),
        (
            "Maliasili Initiatives, P.O. Box 8372, Arusha, Tanzania. fnelson@habari.co.tz",
            [("Maliasili Initiatives", "TZ", None)],
        ),
        (
            "Institute of High Energy Physics, Beijing, China",
            [("Institute of High Energy Physics", "CN", InstitutionKind.INSTITUTE)],
        ),
    ],
)
def test_affiliations_become_normalised_institutions(
    affiliation: str, expected: list[tuple[str, str | None, InstitutionKind | None]]
) -> None:
    assert names(affiliation) == expected


def test_the_key_folds_case_accents_and_punctuation() -> None:
    (accented,) = institutions("Université Savoie Mont Blanc, Annecy, France")
    (plain,) = institutions("UNIVERSITE SAVOIE MONT-BLANC")
    assert accented.key == plain.key == "universite savoie mont blanc"
    assert accented == Institution("universite savoie mont blanc", "Université Savoie Mont Blanc", "FR", U)


def test_aliases_and_spellings_share_one_key() -> None:
    keys = {
        found.key
        for text in ("MIT", "Massachusetts Institute of Technology", "MIT, Cambridge, MA")
        for found in institutions(text)
    }
    assert keys == {"massachusetts institute of technology"}


def test_several_institutions_in_one_string_keep_their_order_without_duplicates() -> None:
    found = institutions(
        "MRC Epidemiology Unit, University of Cambridge, Cambridge CB2 0QQ, UK; University of Cambridge, UK; "
        "INFN Sezione di Roma, Rome, Italy"
    )
    assert [(item.name, item.country) for item in found] == [
        ("University of Cambridge", "GB"),
        ("National Institute for Nuclear Physics (INFN)", "IT"),
    ]


@pytest.mark.parametrize("affiliation", ["", "   ", "USA", "Department of Physics", "12345", "john@example.org"])
def test_nothing_is_invented(affiliation: str) -> None:
    assert institutions(affiliation) == []


def test_deterministic() -> None:
    text = "LAPP, CNRS/IN2P3 and Université Savoie Mont Blanc, Annecy-le-Vieux, France."
    assert names(text) == [
        ("French National Centre for Scientific Research", "FR", InstitutionKind.GOVERNMENT),
        ("Université Savoie Mont Blanc", "FR", U),
    ]
    assert all(institutions(text) == institutions(text) for _ in range(3))


OPENALEX = shared_data() / "openalex_samples" / "works_200.jsonl"
MEDLINE = shared_data() / "medline_pairs_train.tar.gz"


@pytest.mark.skipif(not OPENALEX.is_file(), reason="real sample data ../shared/data is absent")
def test_real_openalex_affiliations_mostly_yield_an_institution() -> None:
    raw = [
        text
        for line in OPENALEX.read_text().splitlines()
        for authorship in json.loads(line)["authorships"]
        for text in authorship.get("raw_affiliation_strings", [])
        if text.strip()
    ]
    found = [institutions(text) for text in raw]
    assert sum(1 for result in found if result) / len(raw) >= 0.9
    assert sum(1 for result in found for item in result if item.country) / sum(map(len, found)) >= 0.6


@pytest.mark.skipif(not MEDLINE.is_file(), reason="real sample data ../shared/data is absent")
def test_real_pubmed_affiliations_mostly_yield_an_institution_with_a_country() -> None:
    with tarfile.open(MEDLINE) as archive:
        member = archive.extractfile("medline/articles/27135401.xml")
        assert member is not None
        text = member.read().decode()
    affiliations = [part.split("</Affiliation>")[0] for part in text.split("<Affiliation>")[1:]]
    assert affiliations
    found = [institutions(affiliation) for affiliation in affiliations]
    assert sum(1 for result in found if result) / len(found) >= 0.9
