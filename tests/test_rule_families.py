"""The default pattern rules, family by family, read straight from rules/*.toml:
their shape, and what holds across rules (every month name in every date
rule, no match running into the next block). The lines each rule must and
must not match are its own `examples` and `counter_examples`, run by
tests/test_rule_examples.py. The checks here use only tomllib and regex, the
way the engine applies a pattern rule: the block's stripped text, searched
with the pattern compiled with MULTILINE, within the rule's
max_chars/min_chars bounds. Independent of the engine's API.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import regex

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

# The family files these tests cover, and the id prefixes each may use.
FAMILY_FILES = {
    "comments.toml": ("comments.",),
    "navigation.toml": ("nav.",),
    "share.toml": ("share.",),
    "related.toml": ("related.",),
    "taxonomy.toml": ("taxonomy.",),
    "byline.toml": ("byline.",),
    "notices.toml": ("cookie.", "newsletter."),
    "sidebar.toml": ("sidebar.",),
    "footer.toml": ("footer.",),
}
RULE_KEYS = {"id", "name", "description", "pattern", "selector", "action", "where",
             "max_chars", "min_chars", "domains", "enabled", "examples", "counter_examples"}


def _load() -> tuple[dict[str, dict], dict[str, str]]:
    rules: dict[str, dict] = {}
    source: dict[str, str] = {}
    for path in sorted(RULES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("rule", []):
            if "pattern" not in entry:
                continue
            rule = dict(entry)
            rule["compiled"] = regex.compile(entry["pattern"], regex.MULTILINE)
            rules[entry["id"]] = rule
            source[entry["id"]] = path.name
    return rules, source


RULES, SOURCE = _load()
FAMILY_RULES = {rid: r for rid, r in RULES.items() if SOURCE[rid] in FAMILY_FILES}


def matches(rule: dict, text: str) -> bool:
    s = text.strip()
    if len(s) < rule.get("min_chars", 0):
        return False
    if rule.get("max_chars") is not None and len(s) > rule["max_chars"]:
        return False
    return rule["compiled"].search(s, timeout=2.0) is not None


# ------------------------------------------------------------------ structure

def test_family_files_exist_and_every_rule_is_well_formed():
    seen: set[str] = set()
    for name, prefixes in FAMILY_FILES.items():
        path = RULES_DIR / name
        assert path.is_file(), name
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) <= {"rule"}, name
        assert data.get("rule"), f"{name} has no rules"
        for entry in data["rule"]:
            rid = entry["id"]
            assert rid not in seen, f"duplicate id {rid}"
            seen.add(rid)
            assert set(entry) <= RULE_KEYS, (rid, set(entry) - RULE_KEYS)
            assert rid.startswith(prefixes), (rid, name)
            assert regex.fullmatch(r"[a-z0-9][a-z0-9._-]*", rid), rid
            assert entry["name"].strip() and entry["description"].strip(), rid
            assert "pattern" in entry, rid
            assert isinstance(entry.get("max_chars"), int) and entry["max_chars"] > 0, f"{rid} has no max_chars bound"
            assert "domains" not in entry, f"{rid}: default rules are generic"
            assert entry.get("action", "drop") in {"drop", "drop-to-end"}, rid
            if entry.get("action") == "drop-to-end":
                assert entry.get("where") == "after-body", f"{rid}: drop-to-end must wait for the body"


def test_no_family_pattern_matches_an_empty_or_blank_block():
    for rid, rule in FAMILY_RULES.items():
        assert rule["compiled"].search("") is None, rid
        assert rule["compiled"].search("   ".strip()) is None, rid


def test_no_site_specific_strings_in_family_rules():
    banned = ("mls", "jersey", "air jordan", "dunk", "zhang hanhui")
    for name in FAMILY_FILES:
        text = (RULES_DIR / name).read_text(encoding="utf-8").lower()
        for word in banned:
            assert not regex.search(r"\b" + word + r"\b", text), (name, word)


MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
    "ru": "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
}
# the genitive forms Polish and Russian use in dates ("3 marca 2021", "3 марта 2021")
MONTHS_IN_DATES = dict(MONTHS, pl="stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
                       ru="января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "pl": "poniedziałek wtorek środa czwartek piątek sobota niedziela",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
}


@pytest.mark.parametrize("lang", sorted(MONTHS))
def test_every_month_and_weekday_is_a_date_word(lang):
    # The date-word lists are written out in several rules; every copy must know every month.
    for month in MONTHS[lang].split():
        assert matches(RULES["sidebar.archive-month"], f"{month} 2023"), month
    for month in MONTHS_IN_DATES[lang].split():
        assert matches(RULES["byline.dateline"], f"3 {month} 2021"), month
        assert matches(RULES["byline.dateline"], f"Published: 3 {month} 2021"), month
        assert matches(RULES["byline.author"], f"By Jane Doe on 3 {month} 2021"), month
    for day in WEEKDAYS[lang].split():
        assert matches(RULES["byline.dateline"], f"{day}, 3 {MONTHS_IN_DATES[lang].split()[2]} 2021"), day
    assert not matches(RULES["sidebar.archive-month"], MONTHS[lang].split()[2])  # a month alone may head a section


def test_a_match_never_runs_into_the_next_block():
    # The engine searches many short blocks joined by newlines; a rule that matches
    # a block must match it within that block, so its neighbours are judged alone.
    for rid, rule in RULES.items():
        for text in rule.get("examples", ()):
            joined = text + "\nThe next paragraph of the article goes on here."
            m = rule["compiled"].search(joined)
            if m is not None:
                assert m.end() <= len(text), (rid, text)
