"""G102/G103: agreement errors are flagged at the right words with the right fix; correct English stays silent."""

from __future__ import annotations

import pytest

from mtqa.detect.agreement import (
    AgreementDetector,
    Proposal,
    _reduced_prefix_gain,
    base_form,
    inflect_verb,
    pluralize,
    prefix_gain,
    singularize,
    third_person,
    verified,
)
from mtqa.document import Document
from mtqa.pipeline import Settings, build_context
from mtqa.score.base import TokenScores

BAD = [
    # (sentence, code, flagged words, replacement in the suggestion)
    ("A number of IS fighters is still in the desert.", "G102", "is", "are"),
    ("According to the minister, the United States are not prepared to withdraw.", "G102", "are", "is"),
    ("The United States has sent troops, and the Netherlands are also sending a frigate.", "G102", "are", "is"),
    ("The fighters of the coalition is tired after the long battle.", "G102", "is", "are"),
    ("The commander of the fighters were killed in the attack.", "G102", "were", "was"),
    ("There is still hundreds of fighters in the village.", "G102", "is", "are"),
    ("The fighters who surrendered to the coalition was taken to a camp.", "G102", "was", "were"),
    ("The Netherlands have sent two fighter jets to the region.", "G102", "have", "has"),
    # the whole sentence prefers "crosses" (-0.9 nats), the sentence up to the verb "cross" (+2.6)
    ("The refugees crosses the river at night.", "G102", "crosses", "cross"),
    # a single name with a plural verb in running text (headlines keep the British team plural)
    ("Macron have promised to cut taxes for small firms.", "G102", "have", "has"),
    ("Merkel arrive in Brussels on Monday for talks with the commission.", "G102", "arrive", "arrives"),
    # a base-form verb the tagger read as VB after a singular subject, in a clause with no other verb
    ("The envoy discuss the plan with both sides on Friday.", "G102", "discuss", "discusses"),
    ("The coalition attacked this fighters in the village.", "G103", "this fighters", "these"),
    ("The fighters left these village after the attack.", "G103", "these village", "villages"),
    ("Several hundred fighter surrendered to the coalition.", "G103", "Several hundred fighter", "fighters"),
    ("The army sent three soldier to the border.", "G103", "three soldier", "soldiers"),
    ("Each fighters received a weapon.", "G103", "Each fighters", "fighter"),
]

GOOD = [
    "In twenty years there will be fewer cars in use than there are today.",  # elided subject; today an adverb
    "The United States is convinced.",
    "The Linear A texts have been found in Bulgaria.",  # a capital 'A' mid-sentence is a letter
    "A number of fighters are still there.",
    "The fighters of the coalition are tired.",
    "The news is good.",
    "Physics is hard.",
    "Each of the fighters is armed.",
    "The police are investigating.",
    "The number of fighters has fallen sharply.",
    "The government are divided over the plan.",
    "He says that the military in power have failed to establish democracy in the country.",
    "If he were in charge, things would change.",
    "The commander and his wife are safe.",
    "Officials said the fighters were exhausted.",
    "The fighters who surrendered were taken to a camp.",
    "Mark Rutte, the prime minister, is in Brussels.",
    "There is a man and two women in the car.",
    "A few fighters stayed behind.",
    "Every two weeks the council meets.",
    "The 2019 budget was approved.",
    "This series of attacks ended in 2019.",
    "These data are incomplete.",
    "The city cancelled the three-day festival.",
    "A total of 68 per cent of pupils passed.",
    "They demanded that the commander resign.",
    "Most of the water is polluted.",
    "Prison officers were injured at a high security men's jail.",
    "Arsenal sign Dutch striker after medical",
    "The Red Cross are sending aid to the flooded villages.",
    "The diagnosis upset the family.",
    "The character first appeared in a season of 2 ep.",  # an abbreviation, not a noun to pluralise
]


def _issues(text: str, scorer):
    ctx = build_context(Document(text, "t.txt"), Settings(), scorer=scorer)
    return AgreementDetector().detect(ctx)


@pytest.mark.parametrize(("text", "code", "words", "replacement"), BAD)
def test_detect_agreement_flags_error_at_span_with_fix(text, code, words, replacement, scorer):
    issues = _issues(text, scorer)
    start = text.index(words)
    hits = [i for i in issues if i.code == code and (i.span.start, i.span.end) == (start, start + len(words))]
    assert hits, f"no {code} at {words!r}; got {[(i.code, text[i.span.start : i.span.end]) for i in issues]}"
    issue = hits[0]
    assert issue.severity.name == "MAJOR"
    assert issue.suggestions and [e.replacement for e in issue.suggestions[0].edits] == [replacement]
    assert max(issue.evidence.values()) > 0


@pytest.mark.parametrize("text", GOOD)
def test_detect_agreement_good_sentence_is_silent(text, scorer):
    assert [(i.code, i.message) for i in _issues(text, scorer)] == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "A number of IS fighters is still in the desert.",
            "'is' does not agree with its plural subject 'A number of IS fighters'; use 'are'.",
        ),
        (
            "The coalition attacked this fighters in the village.",
            "'this fighters' pairs the singular 'this' with the plural noun 'fighters'; use 'these fighters'.",
        ),
    ],
)
def test_detect_agreement_message_names_the_words(text, message, scorer):
    assert [i.message for i in _issues(text, scorer)] == [message]


@pytest.mark.parametrize(
    ("noun", "plural"),
    [("fighter", "fighters"), ("village", "villages"), ("city", "cities"), ("box", "boxes"), ("child", "children"),
     ("analysis", "analyses"), ("cactus", "cacti"), ("policeman", "policemen"), ("knife", "knives")],
)  # fmt: skip
def test_detect_agreement_noun_inflection_round_trips(noun, plural):
    assert pluralize(noun) == plural
    assert singularize(plural) == noun


@pytest.mark.parametrize(
    ("base", "third"),
    [("carry", "carries"), ("watch", "watches"), ("go", "goes"), ("use", "uses"), ("have", "has"),
     ("lie", "lies"), ("focus", "focuses"), ("play", "plays")],
)  # fmt: skip
def test_detect_agreement_verb_inflection_round_trips(base, third):
    assert third_person(base) == third
    assert base_form(third) == base


@pytest.mark.parametrize(
    ("verb", "number", "expected"),
    [
        ("is", "plural", "are"),
        ("Were", "singular", "Was"),
        ("carries", "plural", "carry"),
        ("boycotts", "singular", None),
    ],
)
def test_detect_agreement_inflect_verb(verb, number, expected):
    assert inflect_verb(verb, number) == expected


def test_detect_agreement_needs_tags_and_lm():
    detector = AgreementDetector()
    assert (detector.name, detector.needs_lm, detector.needs_tags) == ("agreement", True, True)


@pytest.mark.parametrize(
    ("gain", "reduced", "prefix", "expected"),
    [
        (0.5, None, None, True),  # the whole sentence prefers the fix
        (-0.9, None, 2.6, True),  # the sentence up to the verb prefers it, the rest hardly objects
        (-2.5, None, 2.6, False),  # ... but the rest objects: a wrong subject guess, kept silent
        (-2.5, 1.0, None, True),  # the sentence without the distractor prefers it
        (0.1, None, 0.1, False),  # nothing clears the margin
    ],
)
def test_detect_agreement_verified_margins(gain, reduced, prefix, expected):
    assert verified(gain, reduced, prefix) is expected


def test_detect_agreement_prefix_gain_stops_at_the_verb():
    # "They go home" -> "They goes home": only the tokens up to the edited word count
    before = TokenScores("They go home", ((0, 4), (4, 7), (7, 12)), (-1.0, -2.0, -3.0))
    after = TokenScores("They goes home", ((0, 4), (4, 10), (10, 15)), (-1.0, -5.0, -9.0))
    assert prefix_gain(before, after, 5, 7, 10) == pytest.approx(-3.0)


def test_detect_agreement_reduced_probe_is_scored_up_to_the_verb():
    # "The envoy of the unions have left" reduced to "The envoy have left" / "The envoy has left"
    fields = {"verb": "have", "fix": "has", "number": "singular", "subject": "The envoy of the unions"}
    p = Proposal("G102", 24, 28, fields, (((24, 28, "has"),),), ("has",), ("The envoy have left", "The envoy has left"))
    before = TokenScores("The envoy have left", ((0, 3), (3, 9), (9, 14), (14, 19)), (-1.0, -4.0, -6.0, -2.0))
    after = TokenScores("The envoy has left", ((0, 3), (3, 9), (9, 13), (13, 18)), (-1.0, -4.0, -2.0, -5.0))
    assert _reduced_prefix_gain(before, after, p) == pytest.approx(4.0)


def test_detect_agreement_superscript_digit_is_not_a_numeral():
    """'²' is a digit to str.isdigit() but not to int(): a MLQE-PE train row ("3 ² ...") crashed the check."""
    from mtqa.detect.agreement import _numeral_value
    from mtqa.tag import Token

    assert _numeral_value(Token("²", "CD", 0, 1, " ")) is None
    assert _numeral_value(Token("12", "CD", 0, 2, " ")) == 12
