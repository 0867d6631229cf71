"""The library call: clean(), Cleaner, CleanResult / RemovedBlock, pickling,
threads, odd input, and the rules / disable / default_rules parameters."""
from __future__ import annotations

import json
import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest

from declutter import Cleaner, CleanResult, RemovedBlock, RuleFileError, clean

from conftest import FIXTURES, PARAS, SEED, fixture_names, page

SEED_TITLE = "China seeks policy support for Russian automakers"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def fixture_pages() -> list[str]:
    return [(FIXTURES / f"{n}.txt").read_text(encoding="utf-8") for n in fixture_names()]


def test_clean_str_returns_the_article():
    text = clean(seed_text())
    assert isinstance(text, str)
    assert text.startswith("BEIJING, Nov 24 (Reuters) –")
    assert text.endswith("global automotive industry.")
    assert len(text.split("\n\n")) == 6


def test_clean_bytes_equals_clean_str():
    assert clean(SEED.read_bytes()) == clean(seed_text())


def test_clean_bytes_with_utf8_bom():
    assert clean(b"\xef\xbb\xbf" + SEED.read_bytes()) == clean(seed_text())


def test_clean_matches_the_expected_fixture_output():
    name = fixture_names()[0]
    expected = (FIXTURES / f"{name}.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert clean((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"), html=False) == expected


def test_result_fields(cleaner):
    r = cleaner.clean(seed_text(), html=False)
    assert isinstance(r, CleanResult)
    assert r.title == SEED_TITLE
    assert r.text == clean(seed_text())
    assert isinstance(r.metadata, dict)
    lines = seed_text().split("\n")
    assert r.removed
    for block in r.removed:
        assert isinstance(block, RemovedBlock)
        assert 1 <= block.first_line <= block.last_line <= len(lines)
        assert block.text == lines[block.first_line - 1].strip()
        assert block.reason
    # every input line is either kept or removed, never both, never neither
    kept = set(r.text.split("\n")) - {""}
    removed_lines = {b.first_line for b in r.removed}
    for number, line in enumerate(lines, start=1):
        if line.strip():
            assert (line in kept) != (number in removed_lines), (number, line)


def test_to_dict_is_json_serialisable(cleaner):
    r = cleaner.clean(seed_text(), html=False)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["title"] == SEED_TITLE
    assert d["text"] == r.text
    assert isinstance(d["metadata"], dict)
    assert [(x["text"], x["lines"], x["reason"]) for x in d["removed"]] == \
        [(b.text, [b.first_line, b.last_line], b.reason) for b in r.removed]


def test_metadata_reports_the_language(cleaner):
    r = cleaner.clean(seed_text(), html=False)
    assert "english" in str(r.metadata.get("language", "")).lower()


def test_cleaner_is_picklable_and_gives_identical_results(cleaner):
    copy = pickle.loads(pickle.dumps(cleaner))
    for text in fixture_pages():
        a, b = cleaner.clean(text, html=False), copy.clean(text, html=False)
        assert (a.text, a.title, a.removed) == (b.text, b.title, b.removed)


def test_cleaner_with_user_rules_survives_pickling(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[rule]]\nid = "local.poll"\nname = "poll"\ndescription = "poll widget"\n'
                    "pattern = '^Reader poll:'\nmax_chars = 80\n", encoding="utf-8")
    c = pickle.loads(pickle.dumps(Cleaner(rules=[path])))
    text = page(*PARAS[:3], "Reader poll: which design do you prefer?", *PARAS[3:])
    assert [r.reason for r in c.clean(text, html=False).removed] == ["local.poll"]


def test_cleaner_shared_across_threads_gives_serial_results(tmp_path):
    # The regex module releases the GIL while it searches, and its timeout
    # counts the process's CPU time: with eight threads on a loaded machine a
    # search could time out that would not alone. A generous timeout keeps
    # that apart from what this test is about, shared state.
    limits = tmp_path / "limits.toml"
    limits.write_text("[signals.limits]\nregex_timeout_seconds = 30.0\n", encoding="utf-8")
    cleaner = Cleaner(rules=[limits])
    pages = fixture_pages() * 2
    serial = [cleaner.clean(p, html=False) for p in pages]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda p: cleaner.clean(p, html=False), pages))
    assert [(r.text, r.title, r.removed) for r in parallel] == [(r.text, r.title, r.removed) for r in serial]


def test_lone_surrogate_in_str_input_gives_utf8_encodable_output(cleaner):
    broken = "Residents said \ud800 that " + PARAS[1]
    r = cleaner.clean(page(PARAS[0], broken, *PARAS[2:]), html=False)
    r.text.encode("utf-8")
    json.dumps(r.to_dict(), ensure_ascii=False).encode("utf-8")
    assert "Residents said" in r.text  # the line is kept, the surrogate replaced
    for block in r.removed:
        block.text.encode("utf-8")


def test_invalid_utf8_bytes_are_replaced(cleaner):
    data = page(PARAS[0]).encode() + b"Residents \xff said " + PARAS[1].encode() + b"\n\n" + page(*PARAS[2:]).encode()
    r = cleaner.clean(data, html=False)
    assert "Residents \ufffd said" in r.text


@pytest.mark.parametrize("text", ["", "\n\n", " \t \n"])
def test_empty_pages(cleaner, text):
    r = cleaner.clean(text, html=False)
    assert r.text == ""
    assert r.removed == []


def test_crlf_and_cr_line_ends(cleaner):
    text = seed_text()
    r = cleaner.clean(text, html=False)
    for newline in ("\r\n", "\r"):
        other = cleaner.clean(text.replace("\n", newline), html=False)
        assert other.text == r.text
        assert [(b.first_line, b.reason) for b in other.removed] == [(b.first_line, b.reason) for b in r.removed]


def test_page_of_wrong_type_is_a_type_error(cleaner):
    with pytest.raises(TypeError):
        cleaner.clean(12345, html=False)


# ---------------------------------------------------------------- parameters

POLL = "Reader poll: which bridge design do you prefer?"
POLL_PAGE = page(*PARAS[:3], POLL, *PARAS[3:])


@pytest.fixture()
def poll_rules(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[rule]]\nid = "local.poll"\nname = "poll"\ndescription = "poll widget"\n'
                    "pattern = '^Reader poll:'\nmax_chars = 80\n", encoding="utf-8")
    return path


def test_rules_parameter_adds_rules(poll_rules):
    r = Cleaner(rules=[poll_rules]).clean(POLL_PAGE, html=False)
    assert POLL not in r.text
    assert [b.reason for b in r.removed if b.text == POLL] == ["local.poll"]


def test_rules_parameter_accepts_a_folder(poll_rules):
    r = Cleaner(rules=[poll_rules.parent]).clean(POLL_PAGE, html=False)
    assert [b.reason for b in r.removed if b.text == POLL] == ["local.poll"]


def test_disable_parameter_turns_a_rule_off(poll_rules):
    r = Cleaner(rules=[poll_rules], disable=["local.poll"]).clean(POLL_PAGE, html=False)
    assert POLL in r.text.split("\n")


def test_disable_a_default_rule(cleaner):
    text = seed_text()
    before = cleaner.clean(text, html=False)
    used = {b.reason for b in before.removed if not b.reason.startswith("signal.")}
    assert used
    rule_id = sorted(used)[0]
    after = Cleaner(disable=[rule_id]).clean(text, html=False)
    assert rule_id not in {b.reason for b in after.removed}


def test_disable_unknown_id_raises():
    with pytest.raises(RuleFileError):
        Cleaner(disable=["no.such-rule"])


def test_default_rules_false_loads_no_default_rules_but_keeps_signals():
    c = Cleaner(default_rules=False)
    r = c.clean(seed_text(), html=False)
    assert all(b.reason.startswith("signal.") for b in r.removed)
    assert r.title == SEED_TITLE
    assert r.text.startswith("BEIJING, Nov 24 (Reuters) –")


def test_default_cleaner_has_rules_from_every_default_family(cleaner):
    families = {r.id.split(".")[0] for r in cleaner.ruleset.rules}
    assert {"comments", "nav", "share", "related", "taxonomy", "byline", "cookie", "newsletter",
            "sidebar", "footer"} <= families


def test_url_scoping_through_the_library(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[[rule]]\nid = "local.poll"\nname = "poll"\ndescription = "poll widget"\n'
                    "pattern = '^Reader poll:'\nmax_chars = 80\ndomains = [\"harbortown.example\"]\n",
                    encoding="utf-8")
    c = Cleaner(rules=[path])
    assert POLL not in c.clean(POLL_PAGE, url="https://harbortown.example/a", html=False).text
    assert POLL not in c.clean(POLL_PAGE, url="https://live.harbortown.example/a", html=False).text
    assert POLL in c.clean(POLL_PAGE, url="https://notharbortown.example/a", html=False).text
    assert POLL in c.clean(POLL_PAGE, html=False).text


def test_public_api_is_documented():
    import declutter

    for obj in (declutter.clean, declutter.Cleaner, declutter.Cleaner.clean, declutter.CleanResult,
                declutter.RemovedBlock):
        assert obj.__doc__ and obj.__doc__.strip(), obj
    assert (declutter.__spec__.origin and
            (__import__("pathlib").Path(declutter.__spec__.origin).parent / "py.typed").is_file())
