"""B101: web-page chrome lines are flagged, article sentences that share their words are not."""

from __future__ import annotations

import pytest

from mtqa.detect.boilerplate import MAX_WORDS, NOTICE_MAX_WORDS, match_chrome, patterns
from mtqa.pipeline import Settings, check

SEED_CHROME = (
    "Follow us",
    "Don't be shy, get in touch. We love meeting interesting people and making new friends.",
    "Most popular",
)

# The seed's three chrome blocks as the segmenter splits them into sentences.
SEED_CHROME_SENTENCES = (
    "Follow us",
    "Don't be shy, get in touch.",
    "We love meeting interesting people and making new friends.",
    "Most popular",
)

CHROME = [
    "Follow us on Instagram",
    "Share this article",
    "Facebook Twitter LinkedIn Email",
    "Skip to main content",
    "Back to top",
    "Most read",
    "Related articles:",
    "More in World",
    "You may also like...",
    "Sign up for our daily newsletter",
    "Get the latest headlines delivered straight to your inbox.",
    "Subscribe now",
    "Log in or sign up",
    "Leave a comment",
    "12 comments",
    "Comments are closed.",
    "Privacy Policy",
    "Terms & Conditions",
    "© 2019 Example Media Ltd. All rights reserved.",
    "Advertisement",
    "Advertise with us",
    "Download our free app",
    "Contact us",
    "Get in touch",
    "Send us a news tip",
    "Photo: Getty Images",
    "Jane Doe/AFP via Getty Images",
    "4 min read",
    "We use cookies to improve your experience on our site. By continuing to browse the site you agree to our use "
    "of cookies. Read our cookie policy to find out more about how we use them and how to change your settings.",
    "Log inRegisterLog out",
]

ARTICLE = [
    "The minister asked voters to follow the new rules.",
    "The most popular candidate won the vote.",
    "Most popular among young voters was the Green Party, which doubled its share.",
    "Related talks between the two countries resumed on Monday.",
    "Recent news reports suggest the ceasefire is holding.",
    "Previous stories have shown how the caliphate recruited fighters online.",
    "More stories of abuse emerged after the report was published.",
    "More on that later.",
    "Anyone with information is asked to get in touch with the police.",
    "“We are happy to work with us and with our partners,” the mayor said.",
    "Users can change their password in the account settings, the company said.",
    "To use the feature, download the app and create an account.",
    "The newspaper's editorial standards were questioned by the committee.",
    "Copyright infringement cases have doubled since 2015.",
    "Google said it would phase out the use of cookies in its Chrome browser by 2022.",
    "The app was removed for breaking the store's submission guidelines.",
    "Photos show the damage caused by the storm in the capital.",
    "Share prices fell sharply after the announcement.",
    "Back to the top of the table went Liverpool after a late goal.",
    "Next up is the vote in the Senate.",
    "He said the company's terms of service had been violated.",
    (
        "Readers who subscribe to the newspaper's weekly newsletter will receive updates on the trial, the editor "
        "said, adding that the paper would follow the case closely and share its findings with subscribers."
    ),
]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_lines_match(line: str) -> None:
    assert match_chrome(line) is not None


@pytest.mark.parametrize("line", SEED_CHROME)
def test_seed_chrome_blocks_match(line: str) -> None:
    assert match_chrome(line) is not None


@pytest.mark.parametrize("sentence", ARTICLE)
def test_article_sentences_do_not_match(sentence: str) -> None:
    assert match_chrome(sentence) is None


def test_long_paragraph_is_not_chrome_even_with_chrome_words() -> None:
    text = "Follow us on Twitter for updates. " + "The rebels held the town for three more weeks. " * 4
    assert len(text.split()) > MAX_WORDS
    assert match_chrome(text) is None


def test_notice_length_limit() -> None:
    notice = "This website uses cookies to improve your experience. " + "More information follows here. " * 40
    assert len(notice.split()) > NOTICE_MAX_WORDS
    assert match_chrome(notice) is None


def test_pattern_file_is_well_formed() -> None:
    loaded = patterns()
    assert len(loaded) > 10
    assert all(label and label.isidentifier() for label, _ in loaded)


def test_seed_chrome_flagged_through_pipeline(seed_text: str) -> None:
    report = check(seed_text, Settings(use_lm=False))
    flagged = [s for s in report.sentences if any(i.code == "B101" for i in s.issues)]
    assert [s.text.strip() for s in flagged] == list(SEED_CHROME_SENTENCES)
    for sentence in flagged:
        (issue,) = [i for i in sentence.issues if i.code == "B101"]
        assert issue.suggestions[0].edits[0].replacement == ""
