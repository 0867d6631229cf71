"""Type stub of the compiled core (core/src/lib.rs); private: use declutter.core."""

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
def _panic_for_test(message: str, detached: bool) -> None: ...
