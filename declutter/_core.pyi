"""Type stub of the compiled core (core/src/lib.rs); private: use declutter.core."""

from collections.abc import Callable

__version__: str
UNICODE_VERSION: str

class StopLists:
    def __init__(self, lists: list[list[str]]) -> None: ...

def measure_page(
    text: str,
    lengths: list[int] | None,
    stoplists: StopLists,
    code_min_chars: int,
    code_max_space_share: float,
    unspaced_min_share: float,
    menu_max_words: int,
    prose_min_words: int,
    stop_max_chars: float,
) -> tuple[
    str | list[str],  # stripped: joined by "\n", or a list when a block holds a "\n"
    str,              # keys, joined by "\n"
    bytes,            # chars: native u64s
    bytes,            # words: u64s
    bytes,            # stop_share: f64s
    bytes,            # sentence_end: bools
    bytes,            # sentences: u64s
    bytes,            # capital_share: f64s
    bytes,            # code_share: f64s
    bytes,            # repeats: u64s
    bytes,            # numbers: u64s
    int | None,       # language: its number in StopLists
    bool,             # unspaced
    list[int],        # longest
]: ...

# The text decision (core/src/py_decide.rs): the reason names below the first
# rule's; reason k >= len(DECIDE_SIGNALS) is rule k - len(DECIDE_SIGNALS).
DECIDE_SIGNALS: list[str]

class ReadPage:
    """A page read by TextDecider.read: its text and measures, for decide."""
    def stripped(self) -> str | list[str]: ...  # joined by "\n", or a list if one holds a "\n"
    def __len__(self) -> int: ...  # the number of blocks

class Rx:
    """Translated rule patterns: per rule (source, exact) or None."""
    def __init__(self, sources: list[tuple[str, bool] | None]) -> None: ...
    def search(self, rule: int, text: str) -> tuple[int, int] | None: ...
    def find_all(self, rule: int, text: str) -> list[tuple[int, int]]: ...
    def matches(self, rule: int, text: str) -> bool: ...

class TextDecider:
    def __init__(
        self,
        settings: object,  # declutter.settings.TextSettings
        stoplists: StopLists,
        actions: list[str],
        wheres: list[str],
        counts: list[bool],
        floating: list[bool],
        disabled: list[str],
        full_reasons: bool,
        dropping: list[int],  # per rank of the Prefilter's dropping group: its rule's number
        rx: Rx | None = None,  # the rules' regexes the core runs itself (rx.py)
        shaping: list[int] | None = None,  # per rank of the shaping group: its rule's number
    ) -> None: ...
    def floating(self, page: ReadPage) -> list[tuple[int, list[int]]]: ...  # per exact floating rule: its blocks
    def read(
        self, text: str, lengths: list[int] | None, prefilter: Prefilter
    ) -> tuple[
        ReadPage,
        str | list[str],  # stripped: joined by "\n", or a list when a block holds a "\n"
        int | None,       # language: its number in StopLists
        list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]],  # candidates
    ]: ...
    def read_text(
        self, text: str, prefilter: Prefilter  # a text page as it comes: cut as blocks.split_text cuts it
    ) -> tuple[ReadPage, None, int | None,  # None: the lines by ReadPage.stripped()
               list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]]]: ...
    def clean_text(
        self,
        text: str | bytes,  # a text page as it comes (bytes: decoded as blocks.decode_bytes does)
        prefilter: Prefilter,
        shaping: Callable[[bytes, list[int], list[int], list[str]], bytes],   # confirm_pairs
        dropping: Callable[[bytes, list[int], list[int], list[str]], bytes],  # confirm_pairs
        floating: Callable[[list[int], str], list[tuple[list[int], list[int]]]] | bool,
        checkpoint: Callable[[str], None],
        due: float | None,
        strict: bool,
    ) -> tuple[
        list[tuple[bool, int, int, int]],  # the distinct verdicts, as decide gives them
        bytes,      # per block its verdict's number: native u32s
        list[int],  # timeouts: rules
        list[int],  # timeouts: blocks
        str,        # the page rendered as render.py renders it
        str | None,  # its title (the stripped block)
        int | None,  # its language: its number in StopLists
        int,        # code points of the dropped blocks' stripped text
    ] | None: ...
    def decide(
        self,
        page: ReadPage,
        hit_blocks: list[int],
        hit_rules: list[int],
        timeout_rules: list[int],
        timeout_blocks: list[int],
        # the dropping group's candidates, confirmed where the lazy loop needs them:
        # confirm(kinds, lines, ranks, texts) -> per pair 0 no match, 1 a match, 2 timed out
        confirm: Callable[[bytes, list[int], list[int], list[str]], bytes] | None = None,
    ) -> tuple[
        list[tuple[bool, int, int, int]],  # the distinct verdicts: keep, reason, class (0 good, 1 short, 2 bad), round
        bytes,      # per block its verdict's number: native u32s
        int,        # the title's block, -1 for none
        list[int],  # timeouts: rules
        list[int],  # timeouts: blocks
        str | None,  # a page read by read_text: its text, rendered as render.py renders it
        str | None,  # a page read by read_text: its title (the stripped block)
    ]: ...

# One rule group (a RuleIndex), every rule as its rank: (bounds, phrases,
# prefixes, prefix_literals, literal_rules, everywhere).
_Group = tuple[
    list[tuple[int, int | None]],      # per rank: (min_chars, max_chars)
    list[tuple[str, list[int]]],       # phrase -> ranks
    list[tuple[str, list[int]]],       # prefix key -> ranks
    list[tuple[int, list[str]]],       # indexed rank -> its literals
    list[tuple[int, list[str]]],       # literal rank -> its literals
    list[int],                         # everywhere ranks
]

class Prefilter:
    def __init__(self, groups: list[_Group], phrase_trim: str) -> None: ...
    def candidates(
        self, text: str, lengths: list[int] | None
    ) -> list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]]: ...

def split_text(text: str) -> tuple[list[str], list[int], list[bool]]: ...  # texts, first lines, gaps
def _panic_for_test(message: str, detached: bool) -> None: ...
