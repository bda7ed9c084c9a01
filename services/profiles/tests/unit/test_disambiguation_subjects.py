"""Taxonomy topics (subjects): kept whole, one kind with title words, and evidence only for uncommon names."""

from __future__ import annotations

from profiles.disambiguation import DEFAULT_WEIGHTS, Profile, mention_terms
from profiles.disambiguation.features import features
from profiles.disambiguation.replay import Replay, make_mention
from profiles.disambiguation.scoring import observed_kinds, subject_information
from profiles.disambiguation.weights import FEATURES


def test_subjects_are_kept_whole_and_counted_once_per_work() -> None:
    mention = make_mention("w1", "Ann Dodey", title="Sparse solvers", topics=["control-theory", "numerical-analysis"])
    found = features(mention)
    assert found.subjects == ("control-theory", "numerical-analysis")
    assert "control" not in found.topic
    assert "theory" not in found.topic
    assert ("subject", "control-theory") in mention_terms(mention)
    assert ("subject", "control-theory") not in mention_terms(make_mention("w1", "Bo Dodey", position=1))


def test_profile_keeps_subjects_through_json() -> None:
    profile = Profile.empty().absorb(make_mention("w1", "Ann Dodey", topics=["control-theory"]))
    assert Profile.from_json(profile.to_json()).subjects == {"control-theory": 1}
    assert Profile.from_json({**profile.to_json(), "subj": {}}).subjects == {}


def test_title_words_and_subjects_are_one_kind() -> None:
    values = dict.fromkeys(FEATURES, 0.0)
    values.update(topic=1.0, subjects=1.0)
    assert observed_kinds(tuple(values.values()), DEFAULT_WEIGHTS) == 1
    values.update(venue=1.0)
    assert observed_kinds(tuple(values.values()), DEFAULT_WEIGHTS) == 2


def test_subjects_count_only_for_an_uncommon_name() -> None:
    weighted, profile = {"control-theory": 5.0}, {"control-theory": 3}
    assert subject_information(weighted, profile, DEFAULT_WEIGHTS.rare_family, DEFAULT_WEIGHTS) > 0.5
    assert subject_information(weighted, profile, DEFAULT_WEIGHTS.rare_family + 0.1, DEFAULT_WEIGHTS) == 0.0


def test_namesakes_of_a_common_name_in_one_field_stay_apart() -> None:
    replay = Replay()
    # 'zhang' is common (an East Asian family name), and two Jun Zhangs share only a field (subjects) and one
    # title word.
    replay.count([make_mention(f"bg{i}", "Ann Zhang", title=f"Other work {i}") for i in range(400)])
    first = replay.add_work(
        [make_mention("a", "Jun Zhang", title="Channel coding", topics=["wireless-communications"], year=2010)]
    )[0]
    second = replay.add_work(
        [make_mention("b", "Jun Zhang", title="Channel estimation", topics=["wireless-communications"], year=2011)]
    )[0]
    assert first != second
