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
def _panic_for_test(message: str, detached: bool) -> None: ...
