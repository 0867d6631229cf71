"""Signals are first-class: every reason id declutter gives (reasons.py) is
described in the default rule files, `rules list` shows them, and `--disable`
turns off one that drops blocks, in the verdict chain alone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from declutter import Cleaner, reasons
from declutter.errors import RuleFileError
from declutter.rulefile import read_rule_file
from declutter.verdicts import settle

from conftest import PARAS, call_cli, page

REASON_IDS = {value for name in reasons.__all__ if isinstance(value := getattr(reasons, name), str)
              and value.startswith(("signal.", "html."))}


@pytest.fixture(scope="module")
def described():
    return {s.id: s for s in Cleaner(default_rules=False).ruleset.described}


# ---------------------------------------------------------------- 1. described in the TOML

def test_every_reason_id_has_a_name_and_a_description_and_no_other_is_described(described):
    assert REASON_IDS  # reasons.py declares them
    assert set(described) == REASON_IDS
    for signal in described.values():
        assert signal.name.strip() and signal.description.strip(), signal.id
        assert Path(signal.source).name == ("html.toml" if signal.id.startswith("html.") else "signals.toml")


def test_the_settings_a_signal_names_exist_and_are_not_taken_for_settings(described):
    settings = Cleaner(default_rules=False).ruleset.signals
    for signal in described.values():
        assert set(signal.settings) <= set(settings), signal.id
    assert not any("." in name for name in settings)  # no signal id became a settings table
    assert reasons.DROPPING <= REASON_IDS


def test_a_user_file_may_not_describe_a_signal(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('[[signal]]\nid = "signal.repeated"\nname = "Mine"\ndescription = "My own."\n',
                    encoding="utf-8")
    with pytest.raises(RuleFileError, match="only its default rule files may"):
        Cleaner(rules=[path])
    proc = call_cli("--rules", str(path), input=page(*PARAS[:2]))
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "mine.toml" in proc.stderr


@pytest.mark.parametrize("entry, problem", [
    ('id = "signal.x"\nname = "X"\n', "'description' is required"),
    ('id = "signal.x"\nname = "X"\ndescription = "x"\nsettings = "repeated"\n', "'settings' must be a list"),
    ('id = "signal.x"\nname = "X"\ndescription = "x"\nmax_chars = 3\n', "unknown key 'max_chars'"),
])
def test_a_broken_signal_entry_is_one_clear_error(tmp_path, entry, problem):
    path = tmp_path / "s.toml"
    path.write_text("[[signal]]\n" + entry, encoding="utf-8")
    with pytest.raises(RuleFileError, match=problem):
        read_rule_file(path)


# ---------------------------------------------------------------- 2. rules list

def test_rules_list_shows_every_signal_marked_as_a_signal_with_its_file(described):
    proc = call_cli("rules", "list", "--disable", "signal.repeated")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if line.split()}
    for signal_id, signal in described.items():
        fields = rows[signal_id].split()
        assert fields[2] == "signal" and fields[4].endswith(Path(signal.source).name), rows[signal_id]
        assert rows[signal_id].endswith(signal.name)
        assert fields[1] == ("off" if signal_id == "signal.repeated" else "on")


# ---------------------------------------------------------------- 3. --disable a signal

BANNER = "Cheap Garden Furniture Outlet Store"
# the banner inside the body goes as signal.repeated: a copy of it ends the page
TEXT_PAGE = page("Council approves new footbridge over the river", PARAS[0], PARAS[1], BANNER,
                 PARAS[2], PARAS[3], BANNER)
SHARE = "Share this story with your friends and family today"
HTML_PAGE = ("<html><head><title>Council approves footbridge</title></head><body><nav><a href='/'>Home</a></nav>"
             "<article><h1>Council approves footbridge</h1>" + "".join(f"<p>{p}</p>" for p in PARAS[:2])
             + f"<div class='share-box'><p>{SHARE}</p></div>" + "".join(f"<p>{p}</p>" for p in PARAS[2:4])
             + "</article><footer><p>Copyright the Gazette</p></footer></body></html>")


def decided(result, text: str) -> list[tuple[bool, str]]:
    return [(v.keep, v.reason) for b, v in zip(result.blocks, result.verdicts) if b.text.strip() == text]


def test_a_disabled_text_signal_decides_no_block_library():
    on = Cleaner(default_rules=False).clean(TEXT_PAGE, html=False)
    assert decided(on, BANNER) == [(False, "signal.repeated")] * 2
    off = Cleaner(default_rules=False, disable=["signal.repeated"]).clean(TEXT_PAGE, html=False)
    # inside the body the next stage finds nothing: kept; outside, the structure decides
    assert decided(off, BANNER) == [(True, "signal.body"), (False, "signal.outside-body")]
    assert BANNER in off.text.split("\n\n") and BANNER not in on.text


def test_a_disabled_text_signal_decides_no_block_cli():
    on = call_cli("--no-default-rules", "--json", input=TEXT_PAGE)
    off = call_cli("--no-default-rules", "--json", "--disable", "signal.repeated", input=TEXT_PAGE)
    assert on.returncode == off.returncode == 0, off.stderr
    assert "signal.repeated" in {r["reason"] for r in json.loads(on.stdout)["removed"]}
    removed = json.loads(off.stdout)["removed"]
    assert "signal.repeated" not in {r["reason"] for r in removed}
    assert BANNER in json.loads(off.stdout)["text"].split("\n\n")


def test_a_disabled_html_signal_decides_no_block_library():
    on = Cleaner(default_rules=False).clean(HTML_PAGE)
    assert decided(on, SHARE) == [(False, "html.boilerplate-class")]
    off = Cleaner(default_rules=False, disable="html.boilerplate-class").clean(HTML_PAGE)
    assert decided(off, SHARE) == [(True, "html.article")]
    # the container and the other signals are unchanged
    assert [v for v in off.verdicts if v.reason != "html.article"] == \
        [v for v in on.verdicts if v.reason not in ("html.article", "html.boilerplate-class")]


def test_a_disabled_html_signal_decides_no_block_cli():
    off = call_cli("--no-default-rules", "--disable", "html.boilerplate-class", input=HTML_PAGE)
    on = call_cli("--no-default-rules", input=HTML_PAGE)
    assert on.returncode == off.returncode == 0, off.stderr
    assert SHARE in off.stdout.split("\n") and SHARE not in on.stdout


@pytest.mark.parametrize("signal_id", ["signal.body", "html.article", "signal.menu-like", "html.too-deep"])
def test_a_signal_that_drops_nothing_cannot_be_disabled(signal_id):
    proc = call_cli("--disable", signal_id, input=TEXT_PAGE)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and "drops no block" in proc.stderr


def test_an_unknown_signal_id_is_one_line_and_exit_2():
    proc = call_cli("--disable", "signal.nosuch", input=TEXT_PAGE)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.splitlines() == ["declutter: --disable: no loaded rule or signal has the id 'signal.nosuch'"]


def test_settle_counts_a_disabled_reason_as_nothing_found():
    found = {"title": ["signal.title", ""], "repeated": ["signal.repeated", "signal.repeated"],
             "structure": ["", "signal.outside-body"]}
    first, second = settle(["short", "short"], "signal.body", ["", ""],
                           disabled={"signal.title", "signal.repeated"}, **found)
    assert (first.keep, first.reason) == (True, "signal.body")
    assert (second.keep, second.reason) == (False, "signal.outside-body")


def test_a_pickled_cleaner_keeps_its_disabled_signals():
    import pickle

    cleaner = pickle.loads(pickle.dumps(Cleaner(default_rules=False, disable=["signal.repeated"])))
    assert decided(cleaner.clean(TEXT_PAGE, html=False), BANNER)[0] == (True, "signal.body")


# ---------------------------------------------------------------- 4. typed text settings

def test_text_settings_are_typed_and_read_once_from_the_tables(tmp_path):
    from declutter.settings import FeatureSettings, TextSettings

    path = tmp_path / "tune.toml"
    # an int given for a float setting is read as a float
    path.write_text("[signals.features]\ncode_min_chars = 90\nunspaced_min_share = 1\n"
                    "[signals.classify]\ngood_min_chars_any = 300\n", encoding="utf-8")
    text = Cleaner(rules=[path], default_rules=False).ruleset.text
    assert isinstance(text, TextSettings)
    assert text.features == FeatureSettings(unspaced_min_share=1.0, prose_min_words=8, menu_max_words=8,
                                            code_min_chars=90, code_max_space_share=0.1, stop_max_chars=300.0)
    assert type(text.features.unspaced_min_share) is float and text.regex_timeout == 0.25
