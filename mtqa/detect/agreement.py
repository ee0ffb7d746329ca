"""G102/G103: subject-verb and determiner-noun agreement, verified by the language model.

Dutch and German mark number differently from English, and machine translation breaks English
agreement: "A number of IS fighters is still in the desert" (a number of + plural takes a plural
verb), "The United States are convinced" (a country takes a singular verb), "this fighters",
"several hundred fighter". The detector reads part-of-speech tags (mtqa.tag): for every finite
verb it finds the head of its subject (over "of ..." phrases, relative clauses, appositions,
"a number of", "there is/are"), and for every determiner or numeral the head of its noun phrase.
Where the numbers clash it builds the corrected sentence (the verb, determiner or noun inflected)
and flags only when the LM prefers the correction by a clear margin, so a wrong guess about the
subject costs a missed flag rather than a false one. Words that take either number ("the
government are", "the data is", "none of ...") are never checked. It never changes the text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.detect.chunk import join
from mtqa.detect.timewords import DEICTIC, LONG_PERIODS, PARTS_OF_DAY, PERIODS, SEASONS
from mtqa.rewrite.verify import MEASURES, best_rewrite, candidate_texts, lm_text
from mtqa.rules import make_issue
from mtqa.score.base import TokenScores
from mtqa.tag import Token
from mtqa.text import zipf

SG, PL = "singular", "plural"

# Margins in nats of lift (summed log-prob minus summed unigram log-prob; "total" scored the same on
# BLiMP). Chosen on BLiMP agreement pairs with pair_id < 150 and the 2,005 clean human sentences of
# benchmarks/clean_false_flags.py. On the clean set the proposals either gain > 1.8 or lose (the
# best of the rest: +0.24, a headline fragment), so every margin from 0.25 to 1.8 flags the same
# 12 sentences (0.6 %: eight British team plurals such as "Europe have", three real slips such as
# "the dark matter affect", one headline); on BLiMP each extra nat costs 3-4 points of recall
# (0.3: 0.87, 1.0: 0.84, 2.0: 0.77). 0.3 is the lowest margin above that fragment and well above
# the scorer's batch-to-batch noise (about 0.1 nat in bfloat16). Since then headlines and "the"
# names keep the team plural (_notional_name) and the prefix check below was added: 6 flagged
# (three real slips, three team plurals in running text), BLiMP agreement dev pairs 0.906.
MIN_GAIN = 0.3
MEASURE = "lift"
# The small LM is easily misled by a plural noun between a singular subject and its verb ("The
# niece of the senators have"), so the fix is also scored with that stretch left out ("The niece
# have" / "The niece has"); it counts when it gains this much and the full sentence does not
# prefer the original by more than MIN_GAIN_FLOOR (BLiMP distractor paradigms: +0.2 recall). Its
# gain is the better of lift and the plain log-prob up to the verb (lift's unigram term favours the
# rarer form, "Boys suffers" over "Boys suffer"): BLiMP dev relational noun 0.89 -> 0.91, relative
# clause 0.76 -> 0.79, no new flag on the clean sentences.
MIN_GAIN_REDUCED = 0.3
MIN_GAIN_FLOOR = -3.0
# The words after the verb can drown the agreement signal: in "The women cleans every public park" the
# LM likes "cleans every" and "clean every" about equally, and a rare object noun adds noise. So a G102
# fix is also judged on the sentence up to and including the verb (plain summed log-prob of that prefix,
# read off the two scores already computed, no extra LM call): it counts when it gains MIN_GAIN_PREFIX and
# the whole sentence does not prefer the original by more than MIN_GAIN_PREFIX_FLOOR. The floor keeps
# a wrong subject guess silent ("... after a sensational weekend are only the second pair": the prefix
# gains +1.1 for "is", the sentence loses 2.1). BLiMP subject-verb dev pairs (pair_id < 500): +4 to +13
# points per paradigm; the clean human sentences: no new flag (a floor of -3 adds that one).
MIN_GAIN_PREFIX = 0.3
MIN_GAIN_PREFIX_FLOOR = -2.0


def verified(gain: float, reduced_gain: float | None = None, prefix_gain: float | None = None) -> bool:
    """True if the LM prefers the fix by the margin: in the sentence, without the distractor, or up to the verb."""
    if gain >= MIN_GAIN:
        return True
    if prefix_gain is not None and prefix_gain >= MIN_GAIN_PREFIX and gain >= MIN_GAIN_PREFIX_FLOOR:
        return True
    return reduced_gain is not None and reduced_gain >= MIN_GAIN_REDUCED and gain >= MIN_GAIN_FLOOR


def prefix_gain(before: TokenScores, after: TokenScores, start: int, end: int, new_end: int) -> float:
    """Summed log-prob gain of the text up to the edited word (`start`..`end` became `start`..`new_end`)."""

    def upto(scores: TokenScores, stop: int) -> float:
        return sum(lp for (s, _), lp in zip(scores.offsets, scores.logprobs) if s < stop)

    return upto(after, new_end) - upto(before, end)


NOUN = frozenset({"NN", "NNS", "NNP", "NNPS"})
COMMON_NOUN = frozenset({"NN", "NNS"})
VERB = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
# Tags a noun phrase may hold left of its head ("the country's three largest IS fighter units").
NP_INNER = frozenset({"DT", "PDT", "PRP$", "JJ", "JJR", "JJS", "CD", "NN", "NNS", "NNP", "NNPS", "HYPH", "POS"})
NP_OPENERS = frozenset({"DT", "PDT", "PRP$"})
# Tokens after which a noun phrase starts a clause, so it can be the subject of the verb that follows.
CLAUSE_OPENERS = frozenset({",", ":", "-LRB-", "``", "''", "WDT", "WP", "WRB", "RB", "NFP", "."})
SUBORDINATORS = frozenset(
    "that because if while although though whether as since when once until unless after before so where whereas "
    "whilst than".split()
)
RELATIVES = frozenset({"who", "that", "which", "whom"})
# Verbs that take a clause without "that" ("officials said the fighters are ..."): a noun phrase right
# after them is the subject of the next verb, not their object.
SAY_VERBS = frozenset(
    (
        "say says said think thinks thought believe believes believed know knows knew fear fears feared hope hopes "
        "hoped expect expects expected claim claims claimed argue argues argued warn warns warned insist insists "
        "insisted add adds added estimate estimates estimated feel feels felt suspect suspects suspected assume "
        "assumes assumed announce announces announced confirm confirms confirmed admit admits admitted agree agrees "
        "agreed realise realises realised realize realizes realized note notes noted stress stresses stressed "
        "explain explains explained show shows showed suggest suggests suggested indicate indicates indicated "
        "find finds found reckon reckons reckoned predict predicts predicted mean means meant guess guessed "
        "acknowledge acknowledges acknowledged conclude concludes concluded report reports reported"
    ).split()
)
# "demanded that the government resign": the mandative subjunctive keeps the bare verb.
MANDATIVE = ("demand", "insist", "suggest", "recommend", "requir", "ask", "urg", "propos", "order", "essential",
             "important", "vital", "necessar", "crucial", "imperative", "mandat", "advis", "request")  # fmt: skip

BE_HAVE_DO = {"is": "are", "are": "is", "was": "were", "were": "was", "has": "have", "have": "has"}
BE_HAVE_DO |= {"does": "do", "do": "does"}
VERB_NUMBER = {"is": SG, "was": SG, "has": SG, "does": SG, "are": PL, "were": PL, "have": PL, "do": PL}
SKIP_VERBS = frozenset({"am", "'m", "'s", "'re", "'ve", "'d", "ai", "be", "been", "being", "need", "dare"})

# Nouns with one form for both numbers: never checked after a determiner or as a subject.
INVARIANT = frozenset(
    (
        "series species means headquarters crossroads barracks data media staff personnel aircraft spacecraft "
        "sheep deer fish offspring moose bison salmon trout swine works livestock"
    ).split()
)
# Subject heads that take either verb number ("the government are", "none of them is/are"): not checked.
EITHER = INVARIANT | frozenset(
    (
        "government team committee family council public crowd audience jury board party army cabinet company "
        "club band parliament union couple group pair clergy politics ethics economics statistics taliban "
        "none total variety range host set kind sort type majority minority press management opposition "
        "leadership administration coalition alliance ministry department authority population police "
        "faculty electorate enemy navy congress senate regime bunch dozen percent per cent % bourgeoisie youth "
        "side duo trio squad crew cast panel service commission delegation military junta workforce orchestra choir"
    ).split()
)
PLURAL_NOUNS = frozenset({"people", "cattle", "folk", "folks"})
SINGULAR_S = frozenset(
    "news physics mathematics maths athletics linguistics measles diabetes billiards gymnastics genetics "
    "aerobics mumps rabies".split()
)
# Singular nouns the tagger reads as plural: "this necropolis", "the crisis", "this virus", "a class".
SINGULAR_ENDINGS = ("polis", "sis", "itis", "ss", "us")
# Proper names that end in -s but take a singular verb ("The United States is").
SINGULAR_NAMES = (
    "united states", "netherlands", "philippines", "bahamas", "maldives", "seychelles", "comoros", "united nations",
    "united arab emirates", "times", "news", "athletics", "olympics", "olympic games",
)  # fmt: skip
DEMONYMS_PLURAL = frozenset("dutch british english french irish welsh swiss scottish flemish".split())
# "of ..." after these passes the number through: "a lot of fighters are", "most of the water is".
TRANSPARENT = frozenset(
    (
        "lot lots plenty rest half third thirds quarter quarters fifth percent % proportion bulk remainder "
        "part portion fraction some all most any more handful dozens hundreds thousands millions billions tens "
        "share"
    ).split()
)
# Quantity words that make a following noun's number free ("a few days", "every two weeks", "a lot").
QUANTITY = frozenset(
    "few lot number couple dozen handful total series pair host range variety majority minority great hundred "
    "thousand million billion trillion score several many more much".split()
)
SUBJECT_PRONOUNS = {"he": SG, "she": SG, "it": SG, "they": PL, "we": PL}
DET_SUBJECTS = {"this": SG, "that": SG, "these": PL, "those": PL, "each": SG, "either": SG, "neither": SG}
DET_SUBJECTS |= {"both": PL, "many": PL, "several": PL, "few": PL, "another": SG}
SINGULAR_PRONOUN_NOUNS = frozenset(
    "everyone everybody someone somebody anyone anybody nobody everything something anything nothing".split()
)
NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "dozens hundreds thousands millions".split()
)
UNITS = frozenset(
    "pm am p.m. a.m. o'clock et gmt cet percent per cent % km kg mph kph m mi cm mm mg ml lb lbs ft kw kwh mw gw "
    "bn mln yen euro baht won rand yuan pound metre meter mile ton tonne litre liter gallon acre hectare".split()
)
# "this afternoon friends who ...": a time noun after this/that/every closes its own (adverbial) phrase.
TIME_NOUNS = PARTS_OF_DAY | PERIODS | SEASONS | LONG_PERIODS | {"season", "fall", "quarter", "term"}
DETERMINERS = {"this": SG, "that": SG, "these": PL, "those": PL, "a": SG, "an": SG, "each": SG, "every": SG}
DETERMINERS |= {"another": SG, "one": SG, "several": PL, "many": PL, "few": PL, "numerous": PL}
DET_SWAP = {"this": "these", "these": "this", "that": "those", "those": "that", "many": "much"}
NOUN_PREMODIFIERS = frozenset({"JJ", "JJR", "JJS", "VBN", "VBG", "RB", "HYPH"})

IRREGULAR_PLURALS = {
    "man": "men", "woman": "women", "child": "children", "person": "people", "foot": "feet", "tooth": "teeth",
    "goose": "geese", "mouse": "mice", "louse": "lice", "ox": "oxen", "cactus": "cacti", "fungus": "fungi",
    "nucleus": "nuclei", "radius": "radii", "stimulus": "stimuli", "alumnus": "alumni", "syllabus": "syllabi",
    "analysis": "analyses", "basis": "bases", "crisis": "crises", "diagnosis": "diagnoses",
    "hypothesis": "hypotheses", "oasis": "oases", "thesis": "theses", "parenthesis": "parentheses", "axis": "axes",
    "ellipsis": "ellipses", "phenomenon": "phenomena", "criterion": "criteria", "bacterium": "bacteria",
    "curriculum": "curricula", "memorandum": "memoranda", "stratum": "strata", "appendix": "appendices",
    "index": "indices", "matrix": "matrices", "vertex": "vertices", "larva": "larvae", "alga": "algae",
    "antenna": "antennae", "vertebra": "vertebrae", "life": "lives", "wife": "wives", "knife": "knives",
    "leaf": "leaves", "half": "halves", "shelf": "shelves", "wolf": "wolves", "calf": "calves", "loaf": "loaves",
    "thief": "thieves", "self": "selves", "octopus": "octopi", "synthesis": "syntheses", "synopsis": "synopses",
    "genus": "genera", "corpus": "corpora", "alumna": "alumnae", "nebula": "nebulae", "emphasis": "emphases",
}  # fmt: skip
IRREGULAR_SINGULARS = {v: k for k, v in IRREGULAR_PLURALS.items()}
# Irregular forms the tagger often gets wrong in odd company ("those cacti" as an adverb): their number
# is known from the word alone. Words that are also verbs or other nouns ("lives", "axes") are left out.
NOUN_FORMS = {
    w: n
    for words, n in ((IRREGULAR_PLURALS, SG), (IRREGULAR_SINGULARS, PL))
    for w in words
    if w not in {"man", "foot", "index", "self", "die", "half", "life", "leaf", "wife", "knife", "calf", "loaf"}
    and w not in {"axes", "bases", "lives", "leaves", "halves", "selves", "people"}
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """One suspected agreement error in a sentence, with its candidate corrections (sentence offsets)."""

    code: str
    start: int
    end: int
    fields: dict[str, str]
    candidates: tuple[tuple[tuple[int, int, str], ...], ...]
    fixes: tuple[str, ...]  # what each candidate makes of the flagged words, for the message
    # G102 across a distractor: the sentence with the words between the subject head and the verb left
    # out, before and after the fix ("A niece of most senators have" -> "A niece have" / "A niece has").
    reduced: tuple[str, str] | None = None


# --- inflection -------------------------------------------------------------------------------


def _known(word: str) -> float:
    return zipf(word.lower(), "en")


def _match_case(word: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def pluralize(noun: str) -> str | None:
    """Return the plural of a singular English noun (the last word of a compound), or None."""
    low = noun.lower()
    if low in IRREGULAR_PLURALS:
        return _match_case(IRREGULAR_PLURALS[low], noun)
    for suffix in ("man", "woman"):
        if low.endswith(suffix) and _known(low[:-3] + "men") > _known(low + "s"):
            return _match_case(low[:-3] + "men", noun)
    if low.endswith("is") and _known(low[:-2] + "es") > 0:
        options = [low[:-2] + "es", low + "es"]
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        options = [low + "es"]
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        options = [low[:-1] + "ies"]
    elif low.endswith("o"):
        options = [low + "s", low + "es"]
    elif low.endswith(("f", "fe")):
        options = [low + "s", low.rstrip("e")[:-1] + "ves"]
    else:
        options = [low + "s"]
    best = max(options, key=_known)
    return _match_case(best, noun)


def singularize(noun: str) -> str | None:
    """Return the singular of a plural English noun, or None if it does not look plural."""
    low = noun.lower()
    if low in IRREGULAR_SINGULARS:
        return _match_case(IRREGULAR_SINGULARS[low], noun)
    if low.endswith("men") and _known(low[:-3] + "man") > 0:
        return _match_case(low[:-3] + "man", noun)
    if not low.endswith("s") or low.endswith("ss") or len(low) < 3:
        return None
    options = [low[:-1]]
    if low.endswith("es"):
        options.append(low[:-2])
    if low.endswith("ies"):
        options.append(low[:-3] + "y")
    if low.endswith("ves"):
        options += [low[:-3] + "f", low[:-3] + "fe"]
    if low.endswith("ses"):
        options.append(low[:-2] + "is")
    valid = [o for o in options if pluralize(o) == low] or options
    best = max(valid, key=_known)
    return _match_case(best, noun) if _known(best) > 0 else None


def third_person(verb: str) -> str:
    """Return the -s form of a base-form verb ("carry" -> "carries")."""
    low = verb.lower()
    if low in {"have", "do", "are", "go"}:
        return _match_case({"have": "has", "do": "does", "are": "is", "go": "goes"}[low], verb)
    if low.endswith(("s", "x", "z", "ch", "sh", "o")):
        out = low + "es"
    elif low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        out = low[:-1] + "ies"
    else:
        out = low + "s"
    return _match_case(out, verb)


def base_form(verb: str) -> str | None:
    """Return the base form of an -s verb ("carries" -> "carry"), or None."""
    low = verb.lower()
    if low in {"has", "does", "is", "goes"}:
        return _match_case({"has": "have", "does": "do", "is": "are", "goes": "go"}[low], verb)
    if not low.endswith("s") or len(low) < 3:
        return None
    options = [o for o in (low[:-1], low[:-2], low[:-3] + "y") if o and o != "us" and third_person(o) == low]
    if not options:
        return None
    best = max(options, key=_known)
    return _match_case(best, verb) if _known(best) > 0 else None


def inflect_verb(verb: str, number: str) -> str | None:
    """Return `verb` inflected to agree with a subject of `number`, or None if it cannot be."""
    low = verb.lower()
    if low in BE_HAVE_DO:
        target = low if VERB_NUMBER[low] == number else BE_HAVE_DO[low]
        return _match_case(target, verb)
    if number == SG:
        # an -s form mis-tagged as plural ("Brenda boycotts/VBP") is already singular
        return None if low.endswith("s") and base_form(verb) else third_person(verb)
    return base_form(verb)


# --- tags -------------------------------------------------------------------------------------

FINITE = frozenset({"VBZ", "VBP", "VBD", "MD"})
# What may follow a verb that the tagger read as the last noun of a compound ("The student perform .").
AFTER_VERB = frozenset(
    {".", "DT", "PDT", "PRP", "PRP$", "NNP", "NNPS", "IN", "TO", "RP", "CD", "WDT", "WP", "WRB", "RB", "JJ", "JJS"}
)
# An adjective reading of a verb in that slot ("The diagnosis upset/JJ the family ."): taken as the verb
# only if its -s form is a common word (zipf >= 2: "upsets", "hurts"; not "talls", "bigs").
ADJ_VERB_ZIPF = 2.0


def retag(tokens: list[Token]) -> list[Token]:
    """Correct two tagger slips that agreement errors provoke, so the rules below see the intended words.

    A clash of number confuses the tagger: "those cacti" becomes an adverb, and in "The student
    perform ." or "The gloves tightens ." the verb becomes the last noun of a compound. Irregular
    noun forms get their noun tag back; in a clause with no finite verb, a noun right after a noun
    and before a clause-level word is read as the finite verb.
    """
    out = list(tokens)
    for i, tok in enumerate(out):
        number = NOUN_FORMS.get(tok.text.lower())
        if number and tok.tag in {"NN", "NNS", "RB", "JJ", "NNP", "VBZ"} and tok.text[1:].islower():
            out[i] = Token(tok.text, "NNS" if number == PL else "NN", tok.start, tok.end, tok.space)
    finite = [i for i, t in enumerate(out) if t.tag in FINITE]
    if not out or out[-1].text not in {".", "!", "?"}:
        return out  # headlines and captions ("Long Lartin prison: ...") are verbless on purpose
    for i in range(1, len(out)):
        tok = out[i]
        if tok.tag not in {"NN", "NNS", "NNP", "VB", "JJ"} or not tok.text.isalpha() or not tok.text.islower():
            continue
        if out[i - 1].tag not in NOUN or tok.text.lower() in NOUN_FORMS or tok.text.lower() in TIME_NOUNS:
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        if nxt is not None and nxt.tag not in AFTER_VERB and not nxt.text[:1].isupper():
            continue
        if any(f > i for f in finite):
            continue
        bounds = [-1, *finite]
        if any(not any(t.tag in {"WDT", "WP"} for t in out[a + 1 : b]) for a, b in zip(bounds, finite)):
            break  # a finite verb outside a relative clause: the clause has its verb already
        low = tok.text.lower()
        if tok.tag == "JJ" and _known(third_person(low)) < ADJ_VERB_ZIPF:
            break
        if low.endswith("s") and not low.endswith("ss") and base_form(low):
            out[i] = Token(tok.text, "VBZ", tok.start, tok.end, tok.space)
        elif (not low.endswith("s") or low.endswith("ss")) and _known(third_person(low)) > 0:
            out[i] = Token(tok.text, "VBP", tok.start, tok.end, tok.space)  # "The envoy discuss/VB the plan ."
        break
    return out


# --- noun phrases -------------------------------------------------------------------------------


def _np_start(tokens: list[Token], head: int) -> int:
    """Return the index where the noun phrase whose head is `head` starts."""
    start = head
    while start > 0:
        prev = tokens[start - 1]
        if tokens[start].tag in NP_OPENERS and prev.tag != "PDT":
            break
        if prev.tag in NP_INNER:
            start -= 1
        elif prev.tag in {"VBN", "VBG", "RB"} and start - 2 >= 0 and tokens[start - 2].tag in NP_OPENERS:
            start -= 1  # "the wounded fighters", "the remaining troops", "the very fighters"
        else:
            break
    return start


def _is_np_end(tok: Token) -> bool:
    low = tok.text.lower()
    return (
        tok.tag in NOUN
        or (tok.tag == "PRP" and low in SUBJECT_PRONOUNS)
        or (tok.tag in {"DT", "JJ", "JJS", "CD"} and (low in DET_SUBJECTS or low in TRANSPARENT or low == "one"))
    )


def _chain(tokens: list[Token], end: int) -> list[tuple[int, int]] | None:
    """Return the noun phrases (start, head) of "NP (of/in/... NP)*" ending at `end`, leftmost first."""
    if not _is_np_end(tokens[end]):
        return None
    nps = [(_np_start(tokens, end), end)]
    for _ in range(5):
        start = nps[0][0]
        link = start - 1
        if link < 1:
            break
        if tokens[link].tag == "IN" and tokens[link].text.lower() not in SUBORDINATORS:
            prev = link - 1
            # "the fighters based in Syria": a participle phrase between the noun and the preposition.
            if tokens[prev].tag in {"VBN", "VBG"} and prev >= 1 and tokens[prev - 1].tag in NOUN:
                prev -= 1
            if _is_np_end(tokens[prev]):
                names = {"NNP", "NNPS"}
                if tokens[link].text.lower() != "of" and tokens[prev].tag in names and tokens[nps[0][1]].tag in names:
                    return None  # "The Voices for Africa Association": one name, head unknown
                nps.insert(0, (_np_start(tokens, prev), prev))
                continue
        break
    return nps


def _np_number(tokens: list[Token], start: int, head: int) -> str | None:
    """Return the grammatical number of one noun phrase, or None when English leaves it open."""
    tok = tokens[head]
    low = tok.text.lower()
    words = [t.text.lower() for t in tokens[start : head + 1] if t.tag in NOUN]
    if not tok.text[-1:].isalpha():
        return None
    if tok.tag == "PRP":
        return SUBJECT_PRONOUNS.get(low)
    if tok.tag in {"DT", "JJ", "JJS"}:
        return DET_SUBJECTS.get(low)
    if tok.tag == "CD":
        return SG if low == "one" else None
    if low in EITHER or any(w in EITHER for w in words[-1:]):
        return None
    if tok.tag in {"NNP", "NNPS"}:
        if _listed_singular(tokens, start, head):
            return SG
        has_the = tokens[start].text.lower() == "the"
        if low in DEMONYMS_PLURAL or (low.endswith("ese") and has_the and head == start + 1):
            return PL if has_the else None
        if tok.tag == "NNPS" or low.endswith("s"):
            # "the Kurds", "the Borgias" are plural; "General Motors", "the Thames" are not
            plural_name = low.endswith("s") and not low.endswith(("ss", "us", "is")) and len(low) > 3
            return PL if has_the and plural_name else None
        return SG
    if low in SINGULAR_S:
        return SG
    if low in PLURAL_NOUNS:
        return PL
    if low in SINGULAR_PRONOUN_NOUNS:
        return SG
    return PL if tok.tag == "NNS" else SG


def _listed_singular(tokens: list[Token], start: int, head: int) -> bool:
    """True if the phrase is a plural-looking name that English treats as one thing ("the United States")."""
    name = " ".join(t.text.lower() for t in tokens[start : head + 1] if t.tag in NOUN)
    return any(name == n or name.endswith(" " + n) for n in SINGULAR_NAMES)


def _det_conflict(tokens: list[Token], start: int, head: int) -> bool:
    """True if the phrase's own determiner disagrees with its head (then G103 handles it)."""
    det = tokens[start].text.lower()
    number = DETERMINERS.get(det)
    if number is None or start == head or tokens[head].tag not in COMMON_NOUN:
        return False
    return _np_number(tokens, start, head) not in {number, None}


def _subject_number(tokens: list[Token], nps: list[tuple[int, int]]) -> tuple[str | None, int]:
    """Return the number of a subject chain and the index of the head that decides it."""
    for i, (start, head) in enumerate(nps):
        low = tokens[head].text.lower()
        nxt = nps[i + 1] if i + 1 < len(nps) else None
        of = nxt is not None and tokens[nxt[0] - 1].text.lower() == "of"
        if low == "number" and of:
            det = tokens[start].text.lower()
            if det in {"a", "an"}:
                return PL, nxt[1]  # "a (growing) number of fighters are"
            return (SG, head) if det == "the" else (None, head)
        if of and (low in TRANSPARENT or (tokens[head].tag == "CD" and low != "one")):
            continue
        if of and low in EITHER:
            return None, head
        if _det_conflict(tokens, start, head):
            return None, head
        return _np_number(tokens, start, head), head
    return None, nps[-1][1]


def _skip_adverbs_left(tokens: list[Token], i: int) -> int:
    while i >= 0 and tokens[i].tag == "RB" and tokens[i].text.lower() not in {"there", "here"}:
        i -= 1
    return i


def _opens_clause(tokens: list[Token], start: int) -> bool:
    """True if a noun phrase starting at `start` begins a clause (it can be a subject)."""
    if start == 0:
        return True
    if any(t.tag == "," for t in tokens[:start]) and all(t.tag in NP_INNER | {",", "CC"} for t in tokens[:start]):
        return False  # "Janet Jackson, Shawn Mendes, Cardi B, Janelle Monáe are": a list
    prev = tokens[start - 1]
    low = prev.text.lower()
    if prev.tag == "CC":
        # "the commander and his wife are": a coordinated subject, whose number we do not guess;
        # "X has sent troops, and the Netherlands are ...": a new clause after a comma and a verb.
        if start >= 2 and tokens[start - 2].tag == ",":
            return any(t.tag in FINITE for t in tokens[: start - 2])
        return not (start >= 2 and (_is_np_end(tokens[start - 2]) or tokens[start - 2].tag == "CD"))
    if prev.tag == "RB":
        # "Now the fighters are" opens a clause; "boats or even a kayak offer" does not
        return low not in {"not", "n't", "only"} and _opens_clause(tokens, start - 1)
    if prev.tag in CLAUSE_OPENERS:
        return True
    if prev.tag == "IN":
        # "as"/"like" right after a noun are prepositions: "his achievements as Lord Protector are"
        return low in SUBORDINATORS and not (low in {"as", "like"} and start >= 2 and tokens[start - 2].tag in NOUN)
    return prev.tag in VERB and low in SAY_VERBS


def _relative_antecedent(tokens: list[Token], verb: int, before: int) -> list[tuple[int, int]] | None:
    """The antecedent chain of the nearest relative clause that ends right before `verb`."""
    for k in range(before, 0, -1):
        tok = tokens[k]
        if tok.tag in {",", ":", "CC"} and k < before:
            return None
        if tok.tag in {"WDT", "WP"} and tok.text.lower() in RELATIVES:
            if not any(t.tag in VERB for t in tokens[k + 1 : verb]):
                return None
            ante = k - 1
            if tokens[ante].tag == "," and ante >= 1:
                ante -= 1
            nps = _chain(tokens, ante)
            return nps if nps and _opens_clause(tokens, nps[0][0]) else None
    return None


def _subject(tokens: list[Token], verb: int) -> tuple[list[tuple[int, int]], str] | None:
    """Find the subject chain of the finite verb at `verb`; return it and how it was found."""
    j = _skip_adverbs_left(tokens, verb - 1)
    if j < 0:
        return None
    if tokens[j].tag == ",":
        # "Mark Rutte, the prime minister, is" / "The fighters, who were tired, are" / "X, however, is"
        k = next((i for i in range(j - 1, 0, -1) if tokens[i].tag == ","), None)
        if k is None or k < 1:
            return None
        inside = tokens[k + 1 : j]
        relative = inside and inside[0].tag in {"WDT", "WP"}
        apposition = inside and all(t.tag in NP_INNER or t.tag == "IN" for t in inside)
        adverbial = inside and all(t.tag in {"RB", "IN", "DT", "NN"} for t in inside) and len(inside) <= 3
        if not (relative or apposition or adverbial):
            return None
        nps = _chain(tokens, k - 1)
        return (nps, "parenthesis") if nps and _opens_clause(tokens, nps[0][0]) else None
    if tokens[j].tag in {"WDT", "WP"}:
        return None  # "fighters who is": the relative pronoun's number is left to the antecedent, not checked
    nps = _chain(tokens, j) if _is_np_end(tokens[j]) else None
    direct = nps if nps and _opens_clause(tokens, nps[0][0]) else None
    ante = _relative_antecedent(tokens, verb, j)
    if direct and ante and tokens[direct[0][0] - 1].tag in VERB and not _main_verb_after(tokens, verb):
        # "The ladies who knew Brett are ...": the noun after a saying verb inside a relative clause is its
        # object, unless a later verb can be the main one ("The men who said the town is lost left").
        return ante, "relative clause"
    if direct:
        return direct, "direct"
    return (ante, "relative clause") if ante else None


def _main_verb_after(tokens: list[Token], verb: int) -> bool:
    """True if a finite verb follows `verb` in the same clause level (not after a new clause opener)."""
    for tok in tokens[verb + 1 :]:
        if tok.tag in {"WDT", "WP", "WRB", "CC", ",", ":"} or (tok.tag == "IN" and tok.text.lower() in SUBORDINATORS):
            return False
        if tok.tag in FINITE:
            return True
    return False


def _existential_subject(tokens: list[Token], verb: int) -> list[tuple[int, int]] | None:
    """The noun phrase after "there is/are": its head, followed over "of" phrases."""
    i = verb + 1
    while i < len(tokens) and tokens[i].tag == "RB":
        i += 1
    if i >= len(tokens) or tokens[i].tag not in NP_INNER:
        return None
    nps: list[tuple[int, int]] = []
    while i < len(tokens) and len(nps) < 4:
        start = i
        while i < len(tokens) and tokens[i].tag in NP_INNER:
            i += 1
        head = i - 1
        while head >= start and not _is_np_end(tokens[head]):
            head -= 1
        if head < start or tokens[head].text.lower().endswith("ing"):
            return None  # "there are some hiding/NN in ...": a gerund, not the head
        if tokens[head].text.lower() in DEICTIC:
            return None  # "than there are today": the subject is left out, 'today' is an adverb
        nps.append((start, head))
        if i < len(tokens) and tokens[i].text.lower() == "of" and head == i - 1:
            i += 1
            continue
        if i < len(tokens) and tokens[i].tag == "CC":
            return None  # "there is a man and two women": agreement with the first conjunct is fine
        break
    return nps or None


def _verb_number(tok: Token) -> str | None:
    low = tok.text.lower()
    if low in SKIP_VERBS or not tok.text.isalpha():
        return None
    if low in VERB_NUMBER:
        return VERB_NUMBER[low]
    if tok.tag == "VBZ":
        return SG
    if tok.tag == "VBP":
        return PL
    return None


def _subject_verb(tokens: list[Token]) -> list[Proposal]:
    out: list[Proposal] = []
    lowered = [t.text.lower() for t in tokens]
    for v, tok in enumerate(tokens):
        if tok.tag not in {"VBZ", "VBP", "VBD"} or (tok.tag == "VBD" and lowered[v] not in {"was", "were"}):
            continue
        verb_number = _verb_number(tok)
        if verb_number is None:
            continue
        before = _skip_adverbs_left(tokens, v - 1)
        if before >= 0 and tokens[before].tag == "EX":
            if lowered[v] not in {"is", "are", "was", "were", "has", "have"}:
                continue
            nps = _existential_subject(tokens, v)
            how = "existential"
        else:
            found = _subject(tokens, v)
            if found is None:
                continue
            nps, how = found
        if not nps:
            continue
        number, head = _subject_number(tokens, nps)
        if number is None or number == verb_number:
            continue
        if lowered[v] == "were" and any(w in {"if", "wish", "though", "unless", "whether"} for w in lowered[:v]):
            continue  # "if he were": subjunctive
        if verb_number == PL and number == SG and _mandative(lowered, nps[0][0]):
            continue  # "demanded that the commander resign"
        start = next(s for s, h in nps if h == head)
        if verb_number == PL and number == SG and _notional_name(tokens, start, head):
            continue  # British usage for teams, clubs, bodies: "Europe take 10-6 lead", "the Red Crescent are"
        fix = inflect_verb(tok.text, number)
        if not fix or fix.lower() == lowered[v]:
            continue
        subject = (
            join(tokens[nps[0][0] : nps[-1][1] + 1]) if how != "existential" else join(tokens[nps[0][0] : head + 1])
        )
        reduced = None
        if how != "existential" and head < v - 1 and any(t.tag != "RB" for t in tokens[head + 1 : v]):
            keep = join(tokens[: head + 1])
            rest = "".join(t.text + t.space for t in tokens[v + 1 :]).rstrip()
            reduced = (f"{keep} {tok.text}{tok.space}{rest}", f"{keep} {fix}{tok.space}{rest}")
        out.append(
            Proposal(
                code="G102",
                start=tok.start,
                end=tok.end,
                fields={"verb": tok.text, "number": number, "subject": subject, "fix": fix},
                candidates=(((tok.start, tok.end, fix),),),
                fixes=(fix,),
                reduced=reduced,
            )
        )
    return out


def _notional_name(tokens: list[Token], start: int, head: int) -> bool:
    """True if a singular name may take a plural verb here (British usage for teams and bodies).

    Sports-desk headlines do it freely ("Livingston miss chances", "Monaco play Frankfurt"), and so do
    bodies named with "the" ("the Red Crescent are"). In running text a bare name with a plural verb is
    far more often a slip, above all in translations from Dutch or German, where the name takes a
    singular verb ("Merkel arrive in Brussels"); the clean human sentences have three such team plurals
    ("Europe have the advantage") against none of persons.
    """
    if tokens[head].tag != "NNP" or _listed_singular(tokens, start, head):
        return False
    last = next((t for t in reversed(tokens) if t.tag not in {"''", "``", "-RRB-"}), tokens[-1])
    return last.text not in {".", "!", "?"} or tokens[start].text.lower() == "the"


def _mandative(lowered: list[str], start: int) -> bool:
    if start < 2 or lowered[start - 1] != "that":
        return False
    return any(w.startswith(MANDATIVE) for w in lowered[max(0, start - 4) : start - 1])


def _numeral_value(tok: Token) -> int | None:
    low = tok.text.lower().replace(",", "")
    if low in NUMBER_WORDS:
        return 2
    if low.isdecimal():  # not isdigit(): superscripts ("m²") are digits that int() refuses
        return int(low)
    return None


def _det_noun(tokens: list[Token]) -> list[Proposal]:
    out: list[Proposal] = []
    lowered = [t.text.lower() for t in tokens]
    n = len(tokens)
    for d, tok in enumerate(tokens):
        low = lowered[d]
        number = DETERMINERS.get(low)
        prev = lowered[d - 1] if d > 0 else ""
        loose_that = False
        if number is not None:
            if low == "that" and tok.tag in {"IN", "WDT", "RB"}:
                # "explored that/IN grocery stores": a determiner the tagger misread; checked below that the
                # word before is a verb or preposition (not "fighters that ...") and that no clause follows
                if d == 0 or tokens[d - 1].tag not in VERB | {"IN", "RP"}:
                    continue
                loose_that = True
            elif low in {"this", "that", "these", "those", "a", "an", "each", "every", "another"} and tok.tag != "DT":
                continue
            if low == "a" and tok.text == "A" and d > 0:
                continue  # a capital 'A' mid-sentence is a letter: "the Linear A texts", "Vitamin A tablets"
            if low == "one" and (tok.tag != "CD" or (d > 0 and tokens[d - 1].tag in NOUN | {"DT", "PRP$", "CD"})):
                continue  # "the one", "Xbox One fans"
            if low in {"many", "few"} and prev in {"a", "the", "as", "how"}:
                continue  # "a few", "the many", "as many" (as a pronoun), "how many" questions are fine
        elif tok.tag == "CD":
            value = _numeral_value(tok)
            if value is None or value < 2 or (tok.text.isdigit() and 1000 <= value <= 2100):
                continue  # "1", years, decimals
            if d > 0 and (
                tokens[d - 1].tag in NOUN | {"$", "CD", "HYPH", "SYM"}
                or prev in {"a", "an", "no", "#"}
                or prev in DETERMINERS
            ):
                continue  # "Apollo 11", "$5 billion", "a 10 mile walk", "several hundred" (checked from "several")
            number = PL
        else:
            continue
        if d + 1 < n and tokens[d + 1].tag == "HYPH":
            continue  # "three-day festival", "one-off"
        # Walk over premodifiers to the noun run; its last noun is the head.
        i = d + 1
        while i < n and (
            tokens[i].tag in NOUN_PREMODIFIERS or (tokens[i].tag == "VBD" and (tok.tag == "DT" or loose_that))
        ):
            if tokens[i].tag == "RB" and not (i + 1 < n and tokens[i + 1].tag in {"JJ", "JJR", "JJS", "VBN", "HYPH"}):
                break
            i += 1
        if number == PL and DETERMINERS.get(low) == PL:
            while i < n and lowered[i] in NUMBER_WORDS:
                i += 1  # "several hundred fighter"
        if i < n and (tokens[i].tag == "CD" or lowered[i] in QUANTITY):
            continue
        mods = [m for m in lowered[d + 1 : i] if m not in NUMBER_WORDS or DETERMINERS.get(low) != PL]
        if any(m in QUANTITY for m in mods):
            continue
        run = i
        while run < n and tokens[run].tag in NOUN:
            run += 1
            if lowered[run - 1] in TIME_NOUNS and number == SG:
                break  # "This afternoon friends who ..."
        if run == i or any(lowered[k] in UNITS for k in range(i, run)):
            continue
        if number == PL and run < n and tokens[run].tag in {"VBZ", "NNS"} and lowered[run].endswith("s"):
            continue  # "28 coronavirus cases/VBZ": the plural head was read as a verb
        if tok.tag == "CD" and run - i >= 2 and tokens[i].tag == "NN":
            continue  # "a 550 pound hog": a measure compound
        head = run - 1
        htok = tokens[head]
        hlow = lowered[head]
        if htok.tag not in COMMON_NOUN or any(lowered[k] in QUANTITY for k in range(i, head)):
            continue
        if run < n and (tokens[run].tag in {"HYPH", "POS"} or lowered[run] in {"old", "long", "high", "wide", "deep"}):
            continue
        if loose_that and any(t.tag in FINITE for t in tokens[run:]):
            continue  # "said that officials were ...": a clause, not a determiner
        if hlow in INVARIANT or hlow in UNITS or not htok.text.isalpha() or len(hlow) <= 2:
            continue  # two letters: an abbreviation ("season 2 ep."), not a noun to inflect
        if hlow in SINGULAR_S or hlow in SINGULAR_PRONOUN_NOUNS or hlow.endswith(SINGULAR_ENDINGS):
            noun_number = SG
        elif hlow in PLURAL_NOUNS:
            noun_number = PL
        else:
            noun_number = PL if htok.tag == "NNS" else SG
        if noun_number == number:
            continue
        candidates: list[tuple[tuple[int, int, str], ...]] = []
        if low in DET_SWAP and (low != "many" or noun_number == SG):
            candidates.append(((tok.start, tok.end, _match_case(DET_SWAP[low], tok.text)),))
        if low in {"a", "an"}:
            candidates.append(((tok.start, tokens[d + 1].start, ""),))
        if hlow not in SINGULAR_S and hlow not in PLURAL_NOUNS:
            noun = pluralize(htok.text) if number == PL else singularize(htok.text)
            if noun and noun.lower() != hlow:
                candidates.append(((htok.start, htok.end, noun),))
        if not candidates:
            continue
        start, end = tok.start, htok.end
        phrase = join(tokens[d : head + 1])
        fixes = tuple(_apply(phrase, start, c) for c in candidates)
        out.append(
            Proposal(
                code="G103",
                start=start,
                end=end,
                fields={
                    "phrase": phrase,
                    "determiner": tok.text,
                    "det_number": number,
                    "noun": htok.text,
                    "noun_number": noun_number,
                    "fix": fixes[0],
                },
                candidates=tuple(candidates),
                fixes=fixes,
            )
        )
    return out


def _apply(phrase: str, start: int, edits: tuple[tuple[int, int, str], ...]) -> str:
    out = phrase
    for s, e, text in sorted(edits, reverse=True):
        out = out[: s - start] + text + out[e - start :]
    return " ".join(out.split())


def proposals(tokens: list[Token]) -> list[Proposal]:
    """Return the suspected agreement errors of one tagged sentence, with corrections to verify."""
    if len(tokens) < 2:
        return []
    tokens = retag(tokens)
    found = _det_noun(tokens)
    taken = [(p.start, p.end) for p in found]
    for p in _subject_verb(tokens):
        if not any(s <= p.start < e for s, e in taken):
            found.append(p)
    return sorted(found, key=lambda p: p.start)


def _reduced_prefix_gain(before: TokenScores, after: TokenScores, p: Proposal) -> float:
    """The reduced probe's gain up to the verb ("Boys suffers" -> "Boys suffer"): the common start, then the verb."""
    verb, fix = p.fields["verb"], p.fields["fix"]
    at = next((i for i, (a, b) in enumerate(zip(before.text, after.text)) if a != b), 0)
    at = before.text.rfind(" ", 0, at + 1) + 1  # back to the start of the verb ("has" / "have" share "ha")
    return prefix_gain(before, after, at, at + len(verb), at + len(fix))


class AgreementDetector:
    """Flag subject-verb (G102) and determiner-noun (G103) agreement errors, verified by the LM."""

    name = "agreement"
    needs_lm = True
    needs_tags = True

    def _proposals(self, ctx: Context) -> list[tuple[Sentence, Proposal, list[tuple[Edit, ...]]]]:
        out = []
        for sentence, tokens in zip(ctx.sentences, ctx.tags):
            base = sentence.span.start
            for p in proposals(tokens):
                edits = [tuple(Edit(Span(base + s, base + e), text) for s, e, text in c) for c in p.candidates]
                out.append((sentence, p, edits))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        out: list[str] = []
        for sentence, p, edits in self._proposals(ctx):
            out.extend(candidate_texts(sentence, edits))
            out.extend(p.reduced or ())
        return out

    @staticmethod
    def _prefix_gain(ctx: Context, sentence: Sentence, p: Proposal) -> float:
        """The G102 fix's gain on the sentence up to the verb (its one candidate replaces the verb)."""
        ((start, end, fix),) = p.candidates[0]
        text = sentence.text
        (after,) = ctx.score([lm_text(text[:start] + fix + text[end:])])
        scored = len(ctx.token_scores) > sentence.index  # the pipeline's own score of the sentence, if any
        before = ctx.token_scores[sentence.index] if scored else ctx.score([lm_text(text)])[0]
        return prefix_gain(before, after, start, end, start + len(fix))

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        value = MEASURES[MEASURE]
        for sentence, p, edits in self._proposals(ctx):
            suggestion = best_rewrite(ctx, sentence, edits, origin=p.code, min_gain=-math.inf, measure=MEASURE)
            if suggestion is None:
                continue
            gain = suggestion.lm_gain or 0.0
            evidence = {"lm_gain": gain}
            if p.reduced is not None:
                before, after = ctx.score([lm_text(t) for t in p.reduced])
                evidence["lm_gain_reduced"] = max(value(after) - value(before), _reduced_prefix_gain(before, after, p))
            if p.code == "G102":
                evidence["lm_gain_prefix"] = self._prefix_gain(ctx, sentence, p)
            if not verified(gain, evidence.get("lm_gain_reduced"), evidence.get("lm_gain_prefix")):
                continue
            fix = p.fixes[[tuple(sorted(e, key=lambda x: x.span)) for e in edits].index(suggestion.edits)]
            base = sentence.span.start
            issues.append(
                make_issue(
                    p.code,
                    span=Span(base + p.start, base + p.end),
                    sentence_index=sentence.index,
                    fields={**p.fields, "fix": fix},
                    confidence=min(1.0, 0.6 + max(evidence.values()) / 20),
                    evidence=evidence,
                    suggestions=(suggestion,),
                )
            )
        return issues
