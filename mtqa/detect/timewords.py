"""Words of time that the tagger reads as nouns but that head adverbial phrases ("this week", "today").

One vocabulary, composed per detector: each rule needs a different reach (agreement must not skip
"every Monday" as a subject, the clause rules must), so the detectors combine these parts rather
than each keeping its own list.
"""

from __future__ import annotations

DEICTIC = frozenset({"yesterday", "today", "tomorrow", "tonight"})  # tagged NN, but used like adverbs
PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
PERIODS = frozenset({"week", "weekend", "month", "year", "day", "time"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
MONTHS = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october"}
    | {"november", "december"}
)
SEASONS = frozenset({"spring", "summer", "autumn", "winter"})
LONG_PERIODS = frozenset({"decade", "century"})
