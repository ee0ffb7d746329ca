"""Benchmark metrics on tiny hand-made cases: character spans with severity credit, bootstrap, ranks.

No model: these are the pure functions behind benchmarks/mqm.py and benchmarks/demetr.py.
"""

from __future__ import annotations

import pytest

from benchmarks.clean_false_flags import bootstrap
from benchmarks.demetr import (
    BASELINE,
    FLUENCY,
    MEANING,
    NAMED,
    Item,
    bootstrap_ci,
    group_of,
    mean,
    pools_of,
    sample,
    short_name,
)
from benchmarks.mqm import Marks, SpanCounts, gold_spans, marks, prf, ranks, span_counts, spearman


def m(major: str = "", minor: str = "") -> Marks:
    """Marks from strings like '0-3,7-9' (half-open character ranges)."""

    def chars(ranges: str) -> frozenset[int]:
        out: set[int] = set()
        for part in filter(None, ranges.split(",")):
            start, end = part.split("-")
            out.update(range(int(start), int(end)))
        return frozenset(out)

    return Marks(chars(major), chars(minor))


@pytest.mark.parametrize(
    ("spans", "length", "omissions", "expected"),
    [
        ([(0, 3, "major"), (5, 7, "minor")], 10, False, m("0-3", "5-7")),
        ([(0, 3, "critical")], 10, False, m("0-3")),
        ([(-1, -1, "no-error")], 10, False, m()),
        ([(8, 15, "major")], 10, False, m("8-10")),  # clipped to the text, as the official scorer does
        ([(4, 4, "major")], 10, False, m()),  # omission: nothing to predict without the source
        ([(4, 4, "major"), (10, 10, "minor")], 10, True, m("4-5", "10-11")),  # official convention
    ],
)
def test_marks_cover_span_characters(spans, length, omissions, expected):
    assert marks(spans, length, omissions=omissions) == expected


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        (m("0-4"), m("0-4"), SpanCounts(4, 4, 4, 4)),  # exact match
        (m("0-4"), m("2-6"), SpanCounts(2, 2, 4, 4)),  # half overlap
        (m("0-4"), m(minor="0-4"), SpanCounts(4, 2, 4, 4)),  # severity differs: half credit
        (m(minor="0-4"), m("0-2", "2-4"), SpanCounts(4, 3, 4, 4)),  # 2 chars mismatched, 2 matched
        (m("0-4", "2-6"), m(minor="0-6"), SpanCounts(6, 5, 6, 6)),  # 0-2 half, 2-4 gold both: full, 4-6 full
        (m("0-4", "2-6"), m("3-4", "3-4"), SpanCounts(1, 1, 1, 6)),  # both severities predicted
        (m("0-4"), m("6-9"), SpanCounts(0, 0, 3, 4)),  # no overlap
        (m(), m(), SpanCounts(0, 0, 0, 0)),
    ],
)
def test_span_counts_give_half_credit_for_other_severity(gold, predicted, expected):
    assert span_counts(gold, predicted) == expected


@pytest.mark.parametrize(
    ("counts", "severity", "expected"),
    [
        ([SpanCounts(4, 2, 4, 4)], False, (1.0, 1.0, 1.0)),
        ([SpanCounts(4, 2, 4, 4)], True, (0.5, 0.5, 0.5)),
        # micro average: 3 matched of 4 predicted, of 12 gold -> P .75, R .25, F1 .375
        ([SpanCounts(3, 3, 4, 4), SpanCounts(0, 0, 0, 8)], False, (0.75, 0.25, 0.375)),
        ([SpanCounts(0, 0, 0, 5)], False, (0.0, 0.0, 0.0)),  # nothing predicted
        ([], False, (0.0, 0.0, 0.0)),
    ],
)
def test_prf_micro_averages_over_sentences(counts, severity, expected):
    assert prf(counts, severity=severity) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("sentences", "expected_f1"),
    [
        # 10-char sentence with a 2-char major error and a clean 10-char sentence:
        # whole-sentence prediction matches 2 of 20 predicted chars, all 2 gold -> F1 = 2*.1*1/1.1
        ([(10, [(3, 5, "major")]), (10, [])], 2 * 0.1 / 1.1),
    ],
)
def test_whole_sentence_floor(sentences, expected_f1):
    counts = [span_counts(marks(spans, n), Marks(major=frozenset(range(n)))) for n, spans in sentences]
    assert prf(counts, severity=True)[2] == pytest.approx(expected_f1)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"start_ids": "-1", "end_ids": "-1", "severities": "no-error"}, []),
        (
            {"start_ids": "54 46", "end_ids": "70 51", "severities": "major minor"},
            [(54, 70, "major"), (46, 51, "minor")],
        ),
    ],
)
def test_gold_spans_read_aligned_lists(row, expected):
    assert gold_spans(row) == expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [([1] * 20, (1.0, 1.0)), ([0] * 20, (0.0, 0.0)), ([], (0.0, 0.0))],
)
def test_bootstrap_ci_of_constant_flags_is_a_point(flags, expected):
    assert bootstrap_ci(flags) == expected


@pytest.mark.parametrize("seed", [7, 11])
def test_bootstrap_ci_is_seeded_and_brackets_the_mean(seed):
    flags = [1] * 30 + [0] * 70
    low, high = bootstrap_ci(flags, seed=seed)
    assert bootstrap_ci(flags, seed=seed) == (low, high)
    assert low < mean(flags) < high
    # normal approximation: .3 +- 1.96 * .046 (binomial sd at p=.3, n=100) = [.21, .39]
    assert low == pytest.approx(0.21, abs=0.02)
    assert high == pytest.approx(0.39, abs=0.02)


@pytest.mark.parametrize("flags", [[1, 0, 0, 1, 1, 0, 0, 0, 1, 0] * 5])
def test_bootstrap_ci_of_flags_matches_clean_false_flags(flags):
    assert bootstrap_ci(flags) == bootstrap(flags)


@pytest.mark.parametrize("items", [[(1, 1, 2, 2), (0, 0, 2, 1), (3, 2, 4, 5)]])
def test_bootstrap_ci_takes_any_statistic(items):
    counts = [SpanCounts(*c) for c in items]
    low, high = bootstrap_ci(counts, lambda cs: prf(cs)[2], n=200)
    assert 0.0 <= low <= prf(counts)[2] <= high <= 1.0


@pytest.mark.parametrize(
    ("values", "expected"),
    [([3.0, 1.0, 2.0], [3.0, 1.0, 2.0]), ([1.0, 2.0, 2.0, 5.0], [1.0, 2.5, 2.5, 4.0]), ([7.0, 7.0], [1.5, 1.5])],
)
def test_ranks_average_ties(values, expected):
    assert ranks(values) == expected


@pytest.mark.parametrize(
    ("x", "y", "expected"),
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [4, 3, 2, 1], -1.0),
        ([1, 2, 3, 4], [1, 3, 2, 4], 0.8),
        ([1, 1, 2], [1, 2, 3], 0.8660254),  # ties: Pearson of average ranks
        ([1, 1, 1], [1, 2, 3], None),
        ([1], [1], None),
    ],
)
def test_spearman(x, y, expected):
    rho = spearman(x, y)
    assert rho == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize("pert_id", range(1, 36))
def test_every_demetr_type_has_one_group(pert_id):
    assert sum(pert_id in g for g in (FLUENCY, MEANING, BASELINE)) == 1
    assert group_of(pert_id) in {"fluency", "meaning", "baseline"}


def test_the_named_fluency_types_are_the_trackers_list_within_the_fluency_group():
    names = {1: "repeat2", 2: "repeat4", 4: "codemix", 13: "pos_shift", 14: "word_swap", 16: "function_word"}
    names |= {20: "shuffled", 22: "verb_removed", 24: "subj_removed"}
    assert set(names) == NAMED and NAMED < FLUENCY
    assert pools_of(13) == ["fluency", "named"] and pools_of(15) == ["fluency"] and pools_of(3) == ["meaning"]


@pytest.mark.parametrize(
    ("name", "short"), [("minor_id1_repeat2", "repeat2"), ("base_id33_shuffle_trans", "shuffle_trans")]
)
def test_short_name(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize("limit", [2, 3])
def test_sample_shares_item_ids_across_types(limit):
    ids = [str(i) for i in range(10)]
    items = {
        1: [Item(i, 1, "mt", "pert", "ref") for i in ids],
        2: [Item(i, 2, "mt", "pert", "ref") for i in reversed(ids)],
        3: [Item(i, 3, "mt", "pert", "ref") for i in ids[::2]],
    }
    picked = sample(items, limit)
    assert [it.id for it in picked[1]] == [it.id for it in picked[2]]
    assert all(len(v) == limit for v in picked.values())
    assert sample(items, limit) == picked
