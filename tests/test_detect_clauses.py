"""W102/G104: verb-final clauses and garbled clauses are flagged at the right span; correct English stays silent."""

from __future__ import annotations

import pytest

from mtqa.detect.garbled import GarbledClauseDetector
from mtqa.detect.verbfinal import MIN_GAIN, VerbFinalDetector
from mtqa.document import Document
from mtqa.pipeline import Settings, build_context

VERB_FINAL_BAD = [
    # (sentence, flagged span, text of the suggested sentence)
    (
        "Also, there are some hiding in Iraqi cities where they have regular citizens to kidnap and commit an attack.",
        "have regular citizens to kidnap",
        "Also, there are some hiding in Iraqi cities where they have to kidnap regular citizens and commit an attack.",
    ),
    (
        "IS claimed on 29 June 2014 a global caliphate to be established, with Abu Bakr Al Baghdadi as leader.",
        "claimed on 29 June 2014 a global caliphate to be established",
        "IS claimed to have established a global caliphate on 29 June 2014, with Abu Bakr Al Baghdadi as leader.",
    ),
    ("He resigned because he the documents signed has.", "he the documents signed has", None),
    ("He said that the minister the plan yesterday presented.", "the minister the plan yesterday presented", None),
    ("The mayor announced that the city a new bridge will build.", "the city a new bridge will build", None),
    (
        "It is unclear whether the government the tax increase will approve.",
        "the government the tax increase will approve",
        None,
    ),
    ("When the police the suspect arrested, he was carrying a knife.", "the police the suspect arrested", None),
    ("The company said that it the factory in 2020 closed had.", "it the factory in 2020 closed had", None),
    ("The fighters who the village captured have were celebrating.", "the village captured have", None),
    ("The council decided the old school to demolish.", "decided the old school to demolish", None),
    ("The club hopes the new stadium next year to open.", "hopes the new stadium next year to open", None),
    (
        "The minister wants in the coming years the budget deficit to halve.",
        "wants in the coming years the budget deficit to halve",
        None,
    ),
    ("The police have the suspect yesterday arrested.", "have the suspect yesterday arrested", None),
    ("Police have the area around the station cordoned off.", "have the area around the station cordoned off", None),
]

VERB_FINAL_GOOD = [
    "He asked him to leave.",
    "They have a lot of work to do.",
    "She has nothing to say.",
    "The plan which the minister presented was rejected.",
    "He had his car repaired.",
    "The police expect the suspect to be released.",
    "The government wants the vote to be held in May.",
    "And that was the manner in which the crucial goal came.",
    "It might just have been what this Ryder Cup needed.",
    "Supermarkets are having to do more to persuade people to visit.",
    "As Father Johnson's parishioners made plans to rebuild, they commissioned the carillon.",
    "The police have arrested the suspect.",
]

GARBLED_BAD = [
    # (sentence, flagged span, text of the suggested sentence or None when there is no suggestion)
    (
        "According to a journalist from Reuters news agency will be there every now and then still fought.",
        "According to a journalist from Reuters news agency will be",
        None,
    ),
    (
        "In addition, fighters in the West that sympathize new attack plans, intelligence services.",
        "intelligence services",
        "In addition, fighters in the West that sympathize new attack plans, according to intelligence services.",
    ),
    (
        "The police closed the road after the attack, witnesses.",
        "witnesses",
        "The police closed the road after the attack, according to witnesses.",
    ),
    (
        "The past few months have left thousands of people, mostly women and children, the village.",
        "the village",
        None,
    ),
    (
        "In addition to Barbie with a variety of skin colors, figures and hairstyles, has introduced new dolls.",
        "In addition to Barbie with a variety of skin colors, figures and hairstyles, has introduced",
        None,
    ),
    (
        "After the meeting in Brussels, has announced new sanctions against Russia.",
        "After the meeting in Brussels, has announced",
        None,
    ),
    ("In 1884, accepted a job at the Edison Company of New York City.", "In 1884, accepted", None),
    (
        "At security checkpoints have also become much more intrusive in recent years.",
        "At security checkpoints have also become",
        None,
    ),
    (
        "The minister yesterday in parliament a new plan for the railways.",
        "The minister yesterday in parliament a new plan for the railways",
        None,
    ),
    (
        "A court in Ghent also bankruptcy of three Belgian daughter companies.",
        "A court in Ghent also bankruptcy of three Belgian daughter companies",
        None,
    ),
    ("She the officers to her black car that was parked 500 feet away.", "She the", None),
    ("Has been stated by the Johns Hopkins University, which monitors the pandemic.", "Has been", None),
    ("Expressed his frustration over the removals in a statement last month.", "Expressed", None),
    ("If one is a member of a subculture, they it through a style that includes fashion.", "they it", None),
]

GARBLED_GOOD = [
    "Maria, screw up the wick, smokes.",  # a lone plural after the comma that is not a source: a verb
    # a source and its reporting verb, which the tagger may read as a plural noun
    "The increase in waste collection could lead to increased demand for cars at the end of 2019, Kommersant notes.",
    "According to a journalist from Reuters, fighting continues there every now and then.",
    "Fighters in the West are preparing new attack plans, intelligence services say.",
    "The police closed the road after the attack, witnesses said.",
    "Among them were also several hundred IS fighters.",
    "After the war had ended, the soldiers went home.",
    "About 50 people were killed in the attack.",
    "In other years, over 30,000 people had visited this city festival.",
    "In October last year riot officers were called to the prison.",
    "From November Kit will star in a revival of True West.",
    "Military coalition: IS driven out of last stronghold in Syria",
    "The program will give air traffic controllers a broad, interdisciplinary knowledge base.",
    "He met the president, Joe Biden, at the White House.",
    "The incident unfolded in Ballynagard Crescent on Thursday at about 19:30 BST.",
    "For the referendum to be successful turnout needs to be 50 percent plus one vote.",
    "Even so, take the advice of the authorities and pay close attention to the safety warnings.",
    "Art “Skirmish” - an exhibition of the Leipzig artist Christian Bold at the Gmünd gallery.",
    "Is the plan which the minister presented any good?",
    '"Five weeks away from one of the most important elections in our lifetimes.',
    "Sometimes students also received books, Capi, pennies.",  # a list without "and", not a dropped source
    # a subject pronoun before a determiner or pronoun that is English: floating quantifier, inversion, numeral
    "They all agreed to the new plan at the meeting on Monday.",
    "Not only was he the first prisoner to escape, he was also the last.",
    "World War I tanks generally used gasoline engines or electric motors.",
    "We the people of this town demand a new bridge over the river.",
    # a statement may open with its verb in a conditional, a wish, an imperative or a quotative inversion
    "Should no agreement be reached, the country will once again be threatened with bankruptcy.",
    "Were there to be a ban, the consumer price would rise by 10 to 20 percent per kilo.",
    "Do not leave your bags unattended anywhere in the station.",
    "Said the minister after the vote: we will not give up on this plan.",
]


def _issues(detector, text: str, scorer):
    ctx = build_context(Document(text, "t.txt"), Settings(), scorer=scorer)
    if hasattr(detector, "candidate_texts"):
        ctx.score(detector.candidate_texts(ctx))
    return ctx, detector.detect(ctx)


@pytest.mark.parametrize(("sentence", "span", "fixed"), VERB_FINAL_BAD)
def test_detect_clauses_verb_final_flagged(sentence, span, fixed, scorer):
    _, issues = _issues(VerbFinalDetector(), sentence, scorer)
    assert [(i.code, sentence[i.span.start : i.span.end]) for i in issues] == [("W102", span)]
    suggestion = issues[0].suggestions[0]
    assert suggestion.lm_gain >= MIN_GAIN and suggestion.origin == "W102"
    if fixed is not None:
        assert suggestion.text == fixed


@pytest.mark.parametrize("sentence", VERB_FINAL_GOOD)
def test_detect_clauses_verb_final_silent(sentence, scorer):
    assert _issues(VerbFinalDetector(), sentence, scorer)[1] == []


@pytest.mark.parametrize(("sentence", "span", "fixed"), GARBLED_BAD)
def test_detect_clauses_garbled_flagged(sentence, span, fixed, scorer):
    _, issues = _issues(GarbledClauseDetector(), sentence, scorer)
    assert [(i.code, sentence[i.span.start : i.span.end]) for i in issues] == [("G104", span)]
    if fixed is None:
        assert issues[0].suggestions == ()
    else:
        assert issues[0].suggestions[0].text == fixed


@pytest.mark.parametrize("sentence", GARBLED_GOOD)
def test_detect_clauses_garbled_silent(sentence, scorer):
    assert _issues(GarbledClauseDetector(), sentence, scorer)[1] == []


@pytest.mark.parametrize(
    "text",
    ["Military coalition: IS driven out of last stronghold in Syria\n\nEnd of caliphate does not mean the end of IS"],
)
def test_detect_clauses_headlines_silent(text, scorer):
    for detector in (VerbFinalDetector(), GarbledClauseDetector()):
        assert _issues(detector, text, scorer)[1] == []


def test_detect_clauses_seed_article(seed_text, scorer):
    ctx = build_context(Document(seed_text, "seed.txt"), Settings(), scorer=scorer)
    flagged = {
        code: sorted(seed_text[i.span.start : i.span.end] for i in detector.detect(ctx))
        for code, detector in (("W102", VerbFinalDetector()), ("G104", GarbledClauseDetector()))
    }
    assert flagged == {
        "W102": ["claimed on 29 June 2014 a global caliphate to be established", "have regular citizens to kidnap"],
        "G104": [
            "According to a journalist from Reuters news agency will be",
            "intelligence services",
            "the village",
        ],
    }
