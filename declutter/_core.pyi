"""Type stub of the compiled core (core/src/lib.rs); private: use declutter.core."""

__version__: str
UNICODE_VERSION: str

def measure_page(
    text: str,
    lengths: list[int] | None,
    code_min_chars: int,
    code_max_space_share: float,
    unspaced_min_share: float,
    menu_max_words: int,
) -> tuple[
    list[str],    # stripped
    list[int],    # chars
    list[int],    # words
    list[bool],   # sentence_end
    list[int],    # sentences
    list[float],  # capital_share
    list[float],  # code_share
    list[str],    # keys
    list[int],    # repeats
    list[int],    # numbers
    bool,         # unspaced
    list[int],    # longest
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
    def __init__(self, groups: list[_Group]) -> None: ...
    def candidates(
        self, text: str, lengths: list[int] | None
    ) -> list[tuple[list[int], list[int], list[int], list[int], list[int], list[int]]]: ...

def _panic_for_test(message: str, detached: bool) -> None: ...
