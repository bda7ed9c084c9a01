"""Name parsing: family/given split, initials, particles, suffixes, structured parts, CJK and order ambiguity."""

from __future__ import annotations

import pytest

from profiles.names import block_keys, coauthor_key, compatible, fold, from_variant, full_key, parse_name, variant


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Jun Zhang", "zhang", ("jun",)),
        ("J.H. Cobb", "cobb", ("j", "h")),
        ("JH Cobb", "cobb", ("j", "h")),
        ("Cobb JH", "cobb", ("j", "h")),
        ("Smith, John A.", "smith", ("john", "a")),
        ("John Smith Jr", "smith", ("john",)),
        ("John Smith III", "smith", ("john",)),
        ("Wim De Ceukelaire", "deceukelaire", ("wim",)),
        ("DeCeukelaire W", "deceukelaire", ("w",)),
        ("Ludwig van Beethoven", "vanbeethoven", ("ludwig",)),
        ("de Barbaro L", "debarbaro", ("l",)),
        ("Da Han", "han", ("da",)),
        ("Stanisław Łojasiewicz", "lojasiewicz", ("stanislaw",)),
        ("José Núñez", "nunez", ("jose",)),
        ("Jean-Pierre Dupont", "dupont", ("jean", "pierre")),
        ("J.-P. Dupont", "dupont", ("j", "p")),
        ("JUN ZHANG", "zhang", ("jun",)),
        ("Anne-Marie Garcia-Lopez", "garcialopez", ("anne", "marie")),
    ],
)
def test_primary_reading(name: str, family: str, given: tuple[str, ...]) -> None:
    parsed = parse_name(name)
    assert parsed.family == family
    assert parsed.given == given


def test_initials_only_flag() -> None:
    assert parse_name("J.H. Cobb").initials_only
    assert parse_name("JH Cobb").initials_only
    assert not parse_name("John Cobb").initials_only
    assert parse_name("Cobb").initials_only  # no given name is no evidence either


def test_structured_parts_keep_compound_family_names() -> None:
    parsed = parse_name("Montserrat Gens Barberà", family_name="Gens Barberà", given_name="Montserrat")
    assert parsed.family == "gensbarbera"
    assert parsed.given == ("montserrat",)
    # The unstructured reading of the same printed name is still compatible (same person, other source).
    assert compatible(parsed, parse_name("Montserrat Gens Barberà"))
    assert block_keys(parsed) == ("gensbarbera|m", "barbera|m")


def test_structured_family_first_particle_name() -> None:
    assert parse_name("Da Han", family_name="Han", given_name="Da").family == "han"
    assert parse_name("Tarek Ben Othman", family_name="Ben Othman", given_name="Tarek").family == "benothman"


def test_structured_initials_without_given_name_field() -> None:
    assert parse_name("JH Cobb", family_name="Cobb", given_name="JH").given == ("j", "h")
    assert parse_name("J Cobb III", family_name="Cobb").given == ("j",)


def test_cjk_names_are_family_first() -> None:
    assert parse_name("张军").readings == (("张", ("军",)),)
    assert parse_name("山田太郎").readings == (("山田", ("太郎",)),)
    assert parse_name("山田 太郎").family == "山田"
    assert parse_name("欧阳修文").family == "欧阳"
    assert parse_name("김민준").family == "김"
    assert parse_name("张军").cjk
    assert parse_name("军", family_name="张", given_name="军").readings == (("张", ("军",)),)


def test_latin_chinese_name_in_either_order_gets_both_block_keys() -> None:
    family_first = parse_name("Zhang Jun")
    assert family_first.order_ambiguous
    assert set(block_keys(family_first)) == {"zhang|j", "jun|z"}
    assert block_keys(family_first)[0] == "zhang|j"
    assert compatible(family_first, parse_name("Jun Zhang"))
    assert coauthor_key("Zhang Jun") == coauthor_key("Jun Zhang") == "zhang|j"
    assert coauthor_key("Wang Li") == coauthor_key("Li Wang")


def test_structured_family_name_settles_the_order() -> None:
    parsed = parse_name("Zhang Jun", family_name="Zhang", given_name="Jun")
    assert not parsed.order_ambiguous
    assert block_keys(parsed) == ("zhang|j",)


def test_western_names_are_not_made_ambiguous() -> None:
    assert not parse_name("Lee Smith").order_ambiguous
    assert not parse_name("Jun Zhang").order_ambiguous


def test_given_name_compatibility() -> None:
    assert compatible(parse_name("K Ma"), parse_name("Kaisheng Ma"))
    assert not compatible(parse_name("Kaiming Ma"), parse_name("Kaisheng Ma"))
    assert not compatible(parse_name("J H Cobb"), parse_name("J K Cobb"))
    assert compatible(parse_name("J Cobb"), parse_name("John H. Cobb"))
    assert compatible(parse_name("Xiaoming Wang"), parse_name("Xiao-Ming Wang"))
    assert not compatible(parse_name("Jun Zhang"), parse_name("Jun Wang"))
    assert compatible(parse_name("Ludwig Beethoven"), parse_name("Ludwig van Beethoven"))


def test_keys() -> None:
    assert block_keys(parse_name("Jun Zhang")) == ("zhang|j",)
    assert full_key(parse_name("Jun Zhang")) == "zhang|jun"
    assert full_key(parse_name("J Zhang")) is None
    assert coauthor_key("Yazhe Wang") == "wang|y"


def test_variant_round_trip() -> None:
    for name in ("Zhang Jun", "J.H. Cobb", "张军", "Wim De Ceukelaire"):
        parsed = parse_name(name)
        assert from_variant(variant(parsed)) == parsed


def test_fold() -> None:
    assert fold("Øster Æble Straße") == "oster aeble strasse"
    assert fold("Müller") == "muller"
