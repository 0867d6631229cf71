"""A made-up multi-site corpus for the learn tests and the stream bench.

Five sites, each with its own header, footer, spam and promo lines (numbers in
the promo lines change from page to page, and some copies differ in case and
spacing), around articles whose paragraphs are sentences built at random, plus
a few article sentences (quotes) that each appear in two or three pages of
their site. The site lines are what `declutter learn` must find; the repeated
quotes are article text it must leave alone.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

SITES = {
    "harbortimes.example": {
        "header": ["Harbor Times, independent news from the coast since 1998.",
                   "Read our print edition every Thursday at your local newsagent."],
        "footer": ["Harbor Times is published by Coastline Media Group in Portland.",
                   "Letters to the editor can be sent to our office on Wharf Street."],
        "spam": ["Cheap ferry tickets and harbour cruises, book your seat before it sells out."],
        "promo": ["Subscribers get {n} percent off the weekend edition until {d} December."],
    },
    "gardenweekly.example": {
        "header": ["Garden Weekly brings you practical growing advice from real allotments.",
                   "This week we visit members of the Hillside Growers Association."],
        "footer": ["Garden Weekly is written by volunteers and funded by its readers.",
                   "All photographs on this site were taken by members of our club."],
        "spam": ["Miracle compost doubles your tomato harvest, order three bags and save."],
        "promo": ["Join {n} other gardeners on our spring seed swap on {d} April."],
    },
    "techledger.example": {
        "header": ["Tech Ledger covers the business of software for working engineers.",
                   "Our newsroom is funded by subscriptions and never by vendors."],
        "footer": ["Tech Ledger and its reporters hold no shares in the companies we cover.",
                   "Corrections are published on this page within two working days."],
        "spam": ["Earn money from home testing apps, thousands of people already do it."],
        "promo": ["Our {n}th developer survey closes on {d} March, tell us about your stack."],
    },
    "alpineclub.example": {
        "header": ["The Alpine Club journal shares trip reports from members since 1972.",
                   "Routes described here are climbed at your own risk and judgement."],
        "footer": ["The Alpine Club is a registered charity supporting mountain rescue teams.",
                   "Membership renewals are due at the start of every winter season."],
        "spam": ["Discount crampons and ice axes shipped overnight from our warehouse."],
        "promo": ["Book one of {n} places on the glacier skills course starting {d} June."],
    },
    "citycouncil.example": {
        "header": ["News from the City Council about services, planning and local events.",
                   "Council offices are open on weekdays from nine in the morning."],
        "footer": ["This website is maintained by the council communications team.",
                   "Accessibility statements for all council pages are available on request."],
        "spam": ["Lowest interest rates on personal loans, apply today with no credit check."],
        "promo": ["Residents can recycle up to {n} bulky items for free until {d} October."],
    },
}

SUBJECTS = ["The committee", "A local teacher", "The new director", "Several residents", "The engineer",
            "Our reporter", "The volunteer group", "A spokesperson", "The survey team", "The harbour master",
            "An elderly neighbour", "The youth club", "The research group", "A visiting scholar"]
VERBS = ["described", "questioned", "welcomed", "examined", "criticised", "celebrated", "measured",
         "explained", "recorded", "reviewed", "proposed", "defended", "compared", "documented"]
OBJECTS = ["the plan for the old market hall", "the results of the winter count",
           "a proposal to widen the northern footpath", "the cost of repairing the sea wall",
           "the timetable for the summer buses", "a study of soil moisture in raised beds",
           "the decision to close the reading room", "the history of the railway cottages",
           "a new method for grading climbing routes", "the budget for street lighting",
           "the damage left by the autumn storms", "a scheme to share electric bicycles",
           "the records of rainfall since the war", "the design of the new primary school"]
DETAILS = ["after a long meeting on Tuesday evening", "in a letter published last week",
           "with figures gathered over three years", "during a visit to the eastern district",
           "before an audience of about sixty people", "in an interview at the town library",
           "despite objections from two members", "using maps drawn by the county surveyor",
           "while the weather stayed unusually mild", "following complaints from shop owners"]


@dataclass
class Page:
    site: str
    url: str
    text: str
    boilerplate: list[str] = field(default_factory=list)  # site lines put on this page
    quotes: list[str] = field(default_factory=list)       # repeated article sentences on this page
    article: list[str] = field(default_factory=list)      # article paragraphs


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(DETAILS)}."


def _vary(line: str, rng: random.Random) -> str:
    """Copies of a site line differ in case and spacing now and then."""
    r = rng.random()
    if r < 0.15:
        return line.upper()
    if r < 0.3:
        return line.replace(" ", "  ", 2)
    return line


def build(pages_per_site: int = 40, seed: int = 7, paragraphs: int = 8) -> list[Page]:
    rng = random.Random(seed)
    pages: list[Page] = []
    for s, (site, parts) in enumerate(SITES.items()):
        # three quotes per site, each to appear in 2 or 3 pages of the site
        quotes = [f"“{_sentence(rng)[:-1]},” said a resident of {site.split('.')[0].title()} number {q + 1}."
                  for q in range(3)]
        quote_pages = {q: rng.sample(range(pages_per_site), rng.choice([2, 3])) for q in range(3)}
        spam_pages = set(rng.sample(range(pages_per_site), pages_per_site * 2 // 5))
        promo_pages = set(rng.sample(range(pages_per_site), pages_per_site // 2))
        for i in range(pages_per_site):
            body = [" ".join(_sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(paragraphs)]
            page_quotes = [quotes[q] for q, idx in quote_pages.items() if i in idx]
            for j, qt in enumerate(page_quotes):
                body.insert(2 + 2 * j, qt)
            article = list(body)
            top = [_vary(ln, rng) for ln in parts["header"]]
            bottom = [_vary(ln, rng) for ln in parts["footer"]]
            boiler = top + bottom
            if i in promo_pages:
                promo = parts["promo"][0].format(n=rng.randint(5, 95), d=rng.randint(1, 28))
                body.insert(len(body) // 2, promo)
                boiler.append(promo)
            if i in spam_pages:
                spam = _vary(parts["spam"][0], rng)
                bottom = [spam] + bottom
                boiler.append(spam)
            title = _sentence(rng)[:-1]
            text = "\n\n".join(top + [title] + body + bottom) + "\n"
            pages.append(Page(site, f"https://www.{site}/{2020 + s}/{i:03d}-story.html", text,
                              boiler, page_quotes, article))
    return pages


def write_jsonl(pages: list[Page], path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for p in pages:
            fh.write(json.dumps({"url": p.url, "text": p.text}, ensure_ascii=False) + "\n")
