"""share_prefixes: which texts may continue from another text's cached keys and values."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")
from hypothesis import given
from hypothesis import strategies as st

from mtqa.score.hf import MIN_SHARED, share_prefixes


def test_candidates_continue_from_their_sentence() -> None:
    texts = {0: (1, 5, 6, 7, 8, 9), 1: (1, 5, 6, 7, 8, 2), 2: (1, 5, 6, 3), 3: (1, 9, 9, 9, 9)}
    plan = share_prefixes(texts)
    assert plan == {0: (1, 5)}  # sorted: 1 (root) < 0; 2 shares only 3 tokens, 3 shares 1
    assert share_prefixes({0: (1, 2, 3, 4), 1: (1, 2, 3, 4)}) == {1: (0, 4)}


@given(st.dictionaries(st.integers(0, 50), st.lists(st.integers(0, 3), min_size=1, max_size=12).map(tuple)))
def test_plan_is_sound(texts: dict[int, tuple[int, ...]]) -> None:
    plan = share_prefixes(texts)
    for text_id, (root, shared) in plan.items():
        assert root not in plan  # roots are scored whole, never continued
        assert root != text_id
        assert shared >= MIN_SHARED
        assert texts[text_id][:shared] == texts[root][:shared]
