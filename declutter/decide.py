"""Decide, for every block of a page, keep or drop and the id of what decided.

The pipeline, in the order it runs:
  classify  — each block alone: good (prose), short, or bad (menu-like, tiny)
  rules     — pattern and selector hits, their `where` judged against a first
              estimate of the body, drop-to-end / drop-before ranges expanded
  region    — the article's extent: the best-scoring run of blocks
  title     — a short line just before the body; its copies go too
  revise    — inside the body, keep short lines (subheads, list items, quotes)
              but drop repeated lines and runs of menu lines
"""
from __future__ import annotations

import re
from collections.abc import Sequence, Set as AbstractSet
from dataclasses import dataclass

from .features import PageFeatures
from .reasons import BODY, CODE, MENU_LIKE, MENU_RUN, OUTSIDE_BODY, REPEATED, TINY, TITLE, BlockClass
from .rule import Hit
from .rulefile import may_act
from .settings import (
    ListRunSettings,
    RepeatedSettings,
    TableSettings,
    TextSettings,
    ThreadSettings,
    TitleSettings,
)
from .verdicts import Verdict, protect_reasons, settle

# The classes' plain string values on the hot path: an Enum member's hash is
# a Python-level call, and verdicts are shared by (keep, reason, class) —
# about 2 % of text mode's instructions as members.
GOOD, SHORT, BAD = BlockClass.GOOD.value, BlockClass.SHORT.value, BlockClass.BAD.value
# Bad blocks that go wherever they stand, even inside the body.
_GONE_ANYWHERE = (TINY, CODE)


@dataclass(slots=True)
class Decision:
    verdicts: list[Verdict]
    title: str | None


def classify(f: PageFeatures, s: TextSettings) -> list[tuple[str, str]]:
    """First pass: each block's class and, for bad blocks, the signal id."""
    c = s.classify
    has_stops = f.language is not None
    weight = s.region.unspaced_char_weight if f.unspaced else 1
    tiny, good_any = c.bad_max_chars, c.good_min_chars_any
    good_plain = c.good_min_chars_no_stopwords
    good_words, good_share = c.good_min_words, c.good_min_stop_share
    menu_words, menu_share = c.menu_max_words, c.menu_min_capital_share
    code_share = c.code_min_share
    good, short, tiny_bad, menu_bad = (GOOD, ""), (SHORT, ""), (BAD, TINY), (BAD, MENU_LIKE)
    code_bad = (BAD, CODE)
    out: list[tuple[str, str]] = []
    for n, ends, sentences, words, share, capital, code in zip(f.chars, f.sentence_end, f.sentences, f.words,
                                                               f.stop_share, f.capital_share, f.code_share):
        n = n * weight
        sentence = ends or sentences > 0
        if n <= tiny:
            out.append(tiny_bad)
        elif code >= code_share:
            out.append(code_bad)
        elif sentence and (n >= good_any or (n >= good_plain if not has_stops
                                             else words >= good_words and share >= good_share)):
            out.append(good)
        elif words <= menu_words and capital >= menu_share and not ends:
            out.append(menu_bad)
        else:
            out.append(short)
    return out


def best_region(scores: Sequence[float]) -> tuple[int, int] | None:
    """The contiguous run with the highest total score (Kadane), or None if no
    run scores above zero."""
    best, best_span = 0.0, None
    total, start = 0.0, 0
    for i, v in enumerate(scores):
        if total <= 0:
            total, start = v, i
        else:
            total += v
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def base_scores(f: PageFeatures, classes: Sequence[tuple[str, str]], s: TextSettings,
                table: Sequence[bool]) -> tuple[list[float], list[float]]:
    """Each block's worth to the article region before any rule: (as it is,
    as prose) — the second is what a protected block is worth."""
    r = s.region
    per_point = r.good_chars_per_point / (r.unspaced_char_weight if f.unspaced else 1)
    base_points, max_points = r.good_base_points, r.good_max_points
    prose = [base_points + min(n / per_point, max_points) for n in f.chars]
    table_points, bad, short = s.table.points, -r.bad_cost, -r.short_cost
    plain = [p if cls == GOOD else table_points if t else bad if cls == BAD else short
             for p, (cls, _), t in zip(prose, classes, table)]
    return plain, prose


def _scores(prior: FirstPass, dropped: Sequence[bool], protected: Sequence[bool], s: TextSettings,
            tried: Sequence[int] | None = None) -> list[float]:
    """Each block's worth to the article region, rules applied. tried: per
    block, whether its drop rules were tried (None: all were). An untried
    block scores the better of kept and dropped, so that no region found
    without trying it is one that trying it would beat."""
    cost = -s.region.dropped_cost
    out = [cost if d else v for v, d in zip(prior.plain, dropped)]
    if any(protected):
        out = [p if keep else v for v, p, keep in zip(out, prior.prose, protected)]
    if tried is not None:
        out = [v if t or v >= cost else cost for v, t in zip(out, tried)]
    return out


def _anchor_after_headline(f: PageFeatures, prior: FirstPass, dropped: Sequence[bool],
                           scores: list[float], t: TitleSettings) -> int | None:
    """A page's first line is often its <title>: the headline plus the site's
    name. Where a later line repeats that headline, the article begins just
    after it: its first prose block earns anchor_points toward the article
    region, so that a short article is not outscored by a long comment thread
    or a teaser list. Returns that block (None: no anchor).

    Of several copies, the one over the best run of blocks anchors: a copy
    in a list of recent posts heads a teaser, the site's name a blurb, the
    article's own headline the article."""
    n = len(f.keys)
    classes = prior.classes
    if not n or classes[0][0] == GOOD:
        return None  # a first line that is prose is no <title>
    copies = [i for i in prior.headlines if not dropped[i]]
    if not copies:
        return None
    anchors = []
    for i in copies:
        j = next((j for j in range(i + 1, min(n, i + t.look_back))
                  if classes[j][0] == GOOD and not dropped[j]), None)
        if j is not None:
            anchors.append(j)
    if not anchors:
        return None
    best = max(anchors, key=lambda j: _run_through(scores, j)[1]) if len(anchors) > 1 else anchors[0]
    scores[best] += t.anchor_points
    return best


def _run_through(scores: Sequence[float], a: int) -> tuple[tuple[int, int], float]:
    """The best-scoring run of blocks that holds block a, and its score: a
    grown back and forth over the stretches that add to it."""
    total, best, start = 0.0, 0.0, a
    for i in range(a - 1, -1, -1):
        total += scores[i]
        if total > best:
            best, start = total, i
    before = best
    total, best, end = 0.0, 0.0, a
    for i in range(a + 1, len(scores)):
        total += scores[i]
        if total > best:
            best, end = total, i
    return (start, end), before + scores[a] + best


def choose_region(scores: Sequence[float], anchor: int | None, min_share: float,
                  near: int) -> tuple[int, int] | None:
    """The article region: the best-scoring run of blocks, unless the headline
    anchors the article elsewhere. Then the best run through the anchor wins
    when it scores at least min_share of the best run: a short article under
    its headline is the page's content, though the comment thread after it or
    a blurb beside it scores more. A best run that starts within `near`
    blocks after the anchor's run is the article itself, resumed after a
    byline box."""
    region = best_region(scores)
    if anchor is None or region is None or region[0] <= anchor <= region[1]:
        return region
    span, score = _run_through(scores, anchor)
    if 0 <= region[0] - span[1] <= near:
        return region  # the article resumes after a byline box: the anchor was its standfirst
    best = sum(scores[region[0]:region[1] + 1])
    return span if score > 0 and score >= min_share * best else region


def _table_rows(f: PageFeatures, t: TableSettings) -> list[bool]:
    """Rows of a data table: runs of lines made largely of numbers."""
    data = [f.numbers[i] >= t.min_numbers and f.numbers[i] >= t.min_number_share * f.words[i]
            for i in range(len(f.chars))]
    out = [False] * len(data)
    i = 0
    while i < len(data):
        if not data[i]:
            i += 1
            continue
        j = i
        while j < len(data) and data[j]:
            j += 1
        if j - i >= t.min_run:
            out[i:j] = [True] * (j - i)
        i = j
    return out


def _first_last_good(classes: Sequence[tuple[str, str]], region: tuple[int, int] | None) -> tuple[int, int]:
    if region is None:
        return len(classes), -1
    goods = [i for i in range(region[0], region[1] + 1) if classes[i][0] == GOOD]
    return (goods[0], goods[-1]) if goods else (region[0], region[1])


def _body_begun(f: PageFeatures, classes: Sequence[tuple[str, str]], min_chars: int) -> int:
    """The index after which the article has begun: where the page's prose,
    counted from the top, first reaches min_chars. Judged from the top rather
    than from the best region, because on a short article followed by a long
    comment thread the thread wins the region."""
    total = 0
    for i, (cls, _) in enumerate(classes):
        if cls == GOOD:
            total += f.chars[i]
            if total >= min_chars:
                return i
    return len(classes)


def apply_rules(
    n: int, hits: Sequence[Hit], first: int, last: int, begun: int
) -> tuple[list[str], list[str], list[bool]]:
    """Per block: the id of the rule that drops it ('' if none), the id of a
    drop-to-end or drop-before rule whose range covers it, and whether a rule
    protects it."""
    drop = [""] * n
    in_range = [""] * n
    protect = [False] * n
    cut_end: tuple[int, str] | None = None
    cut_start: tuple[int, str] | None = None
    for hit in hits:
        rule, i = hit.rule, hit.block
        if not may_act(rule.where, i, first, last, begun):
            continue
        if rule.action == "protect":
            protect[i] = True
        elif rule.action == "drop-to-end":
            if cut_end is None or i < cut_end[0]:
                cut_end = (i, rule.id)
        elif rule.action == "drop-before":
            if cut_start is None or i > cut_start[0]:
                cut_start = (i, rule.id)
        elif not drop[i]:
            drop[i] = rule.id
    if cut_end:
        drop[cut_end[0]] = drop[cut_end[0]] or cut_end[1]
        for j in range(cut_end[0], n):
            in_range[j] = cut_end[1]
    if cut_start:
        drop[cut_start[0]] = drop[cut_start[0]] or cut_start[1]
        for j in range(0, cut_start[0] + 1):
            in_range[j] = in_range[j] or cut_start[1]
    for i in range(n):
        if protect[i]:
            drop[i] = in_range[i] = ""
    return drop, in_range, protect


def find_title(f: PageFeatures, classes: Sequence[tuple[str, str]], drop: Sequence[bool],
               body_start: int, s: TextSettings) -> int | None:
    """The block just before the body that is the page's headline."""
    t = s.title
    n = len(f.chars)
    best, best_score = None, 0.0
    first_key = f.keys[0] if n else ""
    for i in range(max(0, body_start - t.look_back), min(body_start, n)):
        if drop[i] or classes[i][0] == GOOD or f.words[i] < t.min_words or f.chars[i] > t.max_chars:
            continue
        key = f.keys[i]
        score = 1.0 - t.distance_cost * (body_start - i)
        if i > 0 and len(key) >= t.anchor_min_chars and key in first_key:
            score += t.in_first_line_points  # the page's <title> line repeats it, with the site name
        if _occurs(f.keys, key, body_start, n - 1):
            score += t.repeated_points  # repeated inside or after the body
        if i == 0 and f.repeats[i] > 1 and f.keys[n - 1] == key:
            continue  # a line at both edges of the page is a site banner, not a title
        if not f.sentence_end[i]:
            score += t.no_full_stop_points
        if score > best_score:
            best, best_score = i, score
    return best


def _occurs(keys: list[str], key: str, start: int, stop: int) -> bool:
    try:
        keys.index(key, start, stop)
    except ValueError:
        return False
    return True


@dataclass(slots=True)
class FirstPass:
    """What is known before the rules run: each block's class, and a first
    estimate of the body from the signals alone (its first and last prose
    blocks, and the block after which the body has begun)."""

    classes: list[tuple[str, str]]
    first: int
    last: int
    begun: int
    plain: list[float]
    prose: list[float]
    # The lines that repeat the page's first line (see _headline_copies).
    headlines: list[int]
    # Per block, whether it is a row of a data table (see _table_rows).
    table: list[bool]

    @property
    def bounds(self) -> tuple[int, int, int]:
        return self.first, self.last, self.begun


def first_pass(f: PageFeatures, s: TextSettings) -> FirstPass:
    classes = classify(f, s)
    table = _table_rows(f, s.table)
    plain, prose = base_scores(f, classes, s, table)
    first, last = _first_last_good(classes, best_region(plain))
    return FirstPass(classes, first, last, _body_begun(f, classes, s.edges.body_min_chars), plain, prose,
                     _headline_copies(f, s.title), table)


@dataclass(slots=True)
class Layout:
    """Where the rules and signals put the article: per block the rule that
    drops it, the range rule that covers it, whether it is protected; the
    best-scoring region (start: its first prose block) and the title."""

    drop: list[str]
    in_range: list[str]
    protect: list[bool]
    region: tuple[int, int] | None
    start: int
    end: int
    title_index: int | None

    def needs_rules(self, s: TextSettings) -> range | None:
        """The blocks whose plain drop rules can change the output: the region
        and the title's look-back window before it (None: no region). Outside
        them a block goes whatever rules say; see `anchor_lines` for the rest."""
        if self.region is None:
            return None
        # end may reach past the region over a list that runs on from it.
        return range(max(0, min(self.region[0], self.start - s.title.look_back)),
                     max(self.region[1], self.end) + 1)


def anchor_lines(f: PageFeatures, s: TextSettings, prior: FirstPass) -> list[int]:
    """The blocks whose drop status the headline anchor reads: the lines that
    repeat the page's first line, and the prose search window after each."""
    n = len(f.keys)
    look_back = s.title.look_back
    return [j for i in prior.headlines for j in range(i, min(n, i + look_back))]


def _headline_copies(f: PageFeatures, t: TitleSettings) -> list[int]:
    """The lines among the first anchor_search that repeat the page's first
    line (its <title>), long enough to be a headline."""
    if not f.keys:
        return []
    first = f.keys[0]
    out = []
    for i in range(1, min(len(f.keys), t.anchor_search)):
        # A headline may carry its comment count after it ("... Toolbox 524").
        key = _COUNT_AFTER.sub("", f.keys[i])
        if len(key) >= t.anchor_min_chars and key in first:
            out.append(i)
    return out


# A number closing a line (keys hold digits as 0).
_COUNT_AFTER = re.compile(r" 0+$")


def lay_out(f: PageFeatures, hits: Sequence[Hit], s: TextSettings, prior: FirstPass,
            tried: Sequence[int] | None = None) -> Layout:
    """The layout the hits give. tried: per block, whether its drop rules were
    tried (None: all were); see _scores."""
    n = len(f.chars)
    classes, first, last, begun = prior.classes, prior.first, prior.last, prior.begun
    drop, in_range, protect = apply_rules(n, hits, first, last, begun)
    dropped = [bool(d or r) for d, r in zip(drop, in_range)]
    scores = _scores(prior, dropped, protect, s, tried)
    anchor = _anchor_after_headline(f, prior, dropped, scores, s.title)
    region = choose_region(scores, anchor, s.title.anchor_min_share, s.title.anchor_near)
    region = _headline_post(f, prior, dropped, region, s.title) or region
    if region is None:
        region = _lone_post(f, classes, dropped, s.title)
    start, end = region if region else (n, -1)
    if region:
        # The body starts at its first good block: short lines the run picked up
        # before it (bylines, dates, the headline) are candidates for the title.
        start = _first_last_good(classes, region)[0]
    title_index = find_title(f, classes, dropped, start, s)
    if region:
        end = _thread_start(f, classes, prior.table, start, end, s.thread) - 1
        end = _count_heading_end(f, classes, drop, start, end, {title_index, *prior.headlines}, s.thread)
        end = _list_run_end(f, classes, dropped, start, end, s.list_run)
    return Layout(drop, in_range, protect, region, start, end, title_index)


def _post_lines(f: PageFeatures, classes: Sequence[tuple[str, str]], dropped: Sequence[bool], first: int,
                stop: int) -> int:
    """The last line of a short post that begins at block first: the run of
    lines no rule drops and none menu-like or tiny, up to block stop (first
    - 1 if none)."""
    last = first - 1
    for i in range(first, stop):
        if dropped[i] or classes[i][0] == BAD:
            break
        last = i
    return last


def _headline_post(f: PageFeatures, prior: FirstPass, dropped: Sequence[bool], region: tuple[int, int] | None,
                   t: TitleSettings) -> tuple[int, int] | None:
    """A picture post or a link post: a line or two under the headline (a
    line repeating the page's <title>), no prose block among them, so no
    anchor. When the best run holds less than post_max_chars of prose (a
    blurb about the site, an ad) and stands away from the headline (no
    copy as long stands over it), the post's lines are the body: none is
    dropped or menu-like, at most post_max_lines of them and at least
    post_min_words words in all. Returns the
    post's span (None: the best run stays)."""
    classes = prior.classes
    if region is not None:
        prose = sum(f.chars[i] for i in range(region[0], region[1] + 1) if classes[i][0] == GOOD and not dropped[i])
        if prose >= t.post_max_chars:
            return None
    def near(h: int) -> bool:
        return region is not None and region[0] - t.look_back <= h <= region[1]

    # The copy nearest over the best run (or in it) names it: as long as the
    # headline's, it is the headline; shorter, the site's name that the
    # <title> also holds.
    above = [h for h in prior.headlines if near(h) and region is not None and h < region[0]]
    heading = above[-1:] + [h for h in prior.headlines if near(h) and h not in above]
    over = max((len(f.keys[h]) for h in heading), default=0)
    for h in prior.headlines:
        if dropped[h] or near(h) or len(f.keys[h]) <= over:
            continue
        last = _post_lines(f, classes, dropped, h + 1, min(len(f.keys), h + 1 + t.post_max_lines))
        if last > h and sum(f.words[i] for i in range(h + 1, last + 1)) >= t.post_min_words:
            return h + 1, last
    return None


def _lone_post(f: PageFeatures, classes: Sequence[tuple[str, str]], dropped: Sequence[bool],
               t: TitleSettings) -> tuple[int, int] | None:
    """A page of a few short lines and no prose (a headline's post cleaned
    again): its lines are the body when at most post_max_lines, none dropped
    or menu-like, of post_min_words words or more. Keeps cleaning idempotent."""
    n = len(f.keys)
    if n > t.post_max_lines or _post_lines(f, classes, dropped, 0, n) != n - 1 \
            or sum(f.words) < t.post_min_words:
        return None
    return 0, n - 1


# A list item opens with a number and a closing mark or a bullet (keys hold
# digits as 0), or links somewhere.
_ITEM_OPENING = re.compile(r"(?:\(?0+[.):]|[-–—•·*►▪◦→])\s")
_WORD = re.compile(r"\w+")


# A number standing alone (a date, a time, a count), not part of a name ("72W").
_LONE_NUMBER = re.compile(r"(?<![^\s(\[#@])\d[\d:/.,-]*(?![^\s)\],.:;!?])")
_SHAPE_WORD = re.compile(r"[^\W\d_]\w*|\d+")  # a handle ("cathy_d", "rm10019") is one word
# A name: capitalised words, joined by spaces or by the marks names hold
# ("Riccardo Cabeza", "S/V Blondie-Dog", "J. R. Smith").
_NAME_RUN = re.compile(r"A(?:[ ./'’-]*A)+")


def _shape(line: str) -> str:
    """A line's shape: capitalised words as A, other words as a, numbers as 0;
    punctuation kept; a name of several words is one A, and so is a name
    written in lower case at the line's start ("ian 07.16.12 at 12:20").
    Comment headers ("Ann Lee - July 10th, 2012, 1:26 am", "Posted by: Jeff
    at November 9, 2012", "tdhurst says:") share one shape whatever the name
    and date."""
    shape = _SHAPE_WORD.sub(lambda m: "0" if m[0][0].isdigit() else "A" if m[0][0].isupper() else "a", line)
    shape = _LOWER_NAME.sub("A", shape)
    return _NAME_RUN.sub("A", shape)


# A list item's number ("1. ", "(2) ") as the line writes it.
_ITEM_NUMBER = re.compile(r"\(?\d+[.):]\s+")
# A handle in lower case opening a line, before a date ("ian 07.16.12").
_LOWER_NAME = re.compile(r"^a(?= 0)")
# A post header without a number: a name, then a verb and a colon ("Jane
# says:", "Dale McNeill wrote:", "Jean a écrit :").
_SAYS = re.compile(r"(?:a )?[Aa](?: \(0\))? a ?[:,]")
_SAYS_SHAPE = "A a:"
_LABEL = "A:"
# A header that ends so ("by ndogg (158021) writes:") heads a post.
_SAYS_END = re.compile(r"[Aa)] a ?[:,]$")


def _post_header(f: PageFeatures, i: int, t: ThreadSettings) -> str | None:
    """The shape of line i if it may head a post (None if not): short, and
    either a name with a number standing alone (a date, a count), of at least
    min_words words, or a name that says something ("Jane says:"). A line
    opening with a number ("19. Moral Clarity", "3. Visit the mill (since
    1820)") is a list article's subhead, unless a date and a time follow it
    (min_dated_numbers numbers: "1. Ann Lee - July 10th, 2012, 1:26 am", a
    numbered thread)."""
    if f.chars[i] > t.max_chars:
        return None
    line = f.stripped[i]
    numbered = _ITEM_OPENING.match(f.keys[i]) is not None or f.keys[i][0] == "0"
    opening = _ITEM_NUMBER.match(line) if numbered else None
    rest = line[opening.end():] if opening else line
    if f.numbers[i] and f.words[i] >= t.min_words and _LONE_NUMBER.search(rest) \
            and (not numbered or (opening is not None and f.numbers[i] > t.min_dated_numbers)):
        shape = _shape(line)
        # A field of a record ("Rates: $55.00 to $125.00", "Distance: 183 mi
        # (294km) When: Sat, March 20") opens with one word and a colon; a
        # post's header with its writer's name.
        return None if shape.startswith(_LABEL) else shape
    if not numbered and f.numbers[i] == 0:
        shape = _shape(line)
        if _SAYS.fullmatch(shape):
            # One group per verb ("says", "wrote"), however the names are
            # written: subheads ("Example schema:", "Kinds of reads:") differ.
            return f"{_SAYS_SHAPE} {_WORD.findall(f.keys[i])[-1]}"
    return None


def _post_follows(f: PageFeatures, classes: Sequence[tuple[str, str]], i: int, shape: str,
                  t: ThreadSettings, stop: int) -> bool:
    """Whether a post follows header i (of that shape) before block stop:
    prose; or, under a header that holds a date and a time (min_dated_numbers
    numbers) or says something ("Jane says:", "by ndogg (1580) writes:"), a
    short line that ends a sentence ("Thanks for sharing, Ben."), unless it
    is a header or a list item itself (a list of references or of dated
    links, each a name, a date and a full stop)."""
    dated = f.numbers[i] >= t.min_dated_numbers or shape.startswith(_SAYS_SHAPE) \
        or _SAYS_END.search(shape) is not None
    for j in range(i + 1, stop):
        if _ITEM_OPENING.match(f.keys[j]) or f.keys[j][0] == "0":
            return False  # the next item of a list
        if classes[j][0] == GOOD:
            return True
        if dated and classes[j][0] == SHORT and f.sentence_end[j] and _post_header(f, j, t) is None:
            return True
    return False


def _thread_start(f: PageFeatures, classes: Sequence[tuple[str, str]], table: Sequence[bool], start: int,
                  end: int, t: ThreadSettings) -> int:
    """Where a thread of posts begins inside the body (end + 1 if none): the
    first of at least min_posts post headers of one shape (see _post_header),
    each followed by its post within prose_within blocks — a reader comment
    thread that a text dump runs on after the article. Rows of a data table
    share a shape too; a product's name ("Samsung 4K TV") holds no number
    standing alone, as a date or a count does."""
    headers: dict[str, list[int]] = {}
    for i in range(start + 1, end + 1):
        if classes[i][0] == GOOD or table[i]:
            continue
        shape = _post_header(f, i, t)
        if shape is None or not _post_follows(f, classes, i, shape, t, min(i + 1 + t.prose_within, end + 1)):
            continue
        headers.setdefault(shape, []).append(i)
    groups = sorted((found[0], found[-1]) for shape, found in headers.items()
                    if len(found) >= t.min_posts and (not shape.startswith(_SAYS_SHAPE)
                                                         or len({f.keys[i] for i in found}) >= t.min_posts))
    # The article must come first: a forum page's posts are its content. A
    # group that begins among the posts of one that failed this is the same
    # thread (its names written in another way), no later one.
    failed = -1
    for first, last in groups:
        if first <= failed:
            continue
        if sum(f.chars[i] for i in range(start, first) if classes[i][0] == GOOD) >= t.min_body_chars:
            return first
        failed = max(failed, last)
    return end + 1


def _count_heading_end(f: PageFeatures, classes: Sequence[tuple[str, str]], drop: Sequence[str], start: int,
                       end: int, headlines: set[int | None], t: ThreadSettings) -> int:
    """The body's last block, cut before a comment count ("7 Comments", "{ 167
    comments }": a line one of the count_rules drops, with a number) that
    stands inside it after min_body_chars of its prose (counted from the
    last headline before it: the title, a line repeating the page's first
    line): what follows a thread's count
    is the thread. A count before that much prose (under the headline,
    beside the date) labels the article and cuts nothing."""
    rules, least = set(t.count_rules), t.min_body_chars
    prose = 0
    for i in range(start, end + 1):
        if i in headlines:
            prose = 0  # teasers before the headline are not its article
        elif classes[i][0] == GOOD:
            prose += f.chars[i]
        elif drop[i] in rules and f.numbers[i] and prose >= least:
            return i - 1
    return end


def _item_like(f: PageFeatures, i: int, max_chars: int) -> bool:
    """A line shaped like a list item: dates, results, amounts, numbered or
    bulleted lines, link lines — short, and with a number, a bullet or a link."""
    if f.chars[i] > max_chars:
        return False
    key = f.keys[i]
    return f.numbers[i] > 0 or _ITEM_OPENING.match(key) is not None or "http" in key or "www." in key


def _list_run_end(f: PageFeatures, classes: Sequence[tuple[str, str]], dropped: Sequence[bool],
                  start: int, end: int, t: ListRunSettings) -> int:
    """The article's last block, extended over a list that runs on from it:
    at least min_items item-like lines (after at most one lead-in line such as
    "Tour dates:") that no rule drops, most of them sharing a word with the
    article. Such lists (dates, results, ingredients, numbered items) score
    below zero to the region, line by line, though the author wrote them."""
    n, max_chars = len(f.keys), t.max_chars
    j = end + 1
    if j < n and not dropped[j] and classes[j][0] != BAD and f.chars[j] <= max_chars \
            and not _item_like(f, j, max_chars):
        j += 1  # a lead-in line
    run_end = j
    while run_end < n and run_end - j < t.max_items and not dropped[run_end] \
            and classes[run_end][1] not in _GONE_ANYWHERE and _item_like(f, run_end, max_chars):
        run_end += 1
    if run_end - j < t.min_items:
        return end
    vocabulary = _content_words(f, range(start, end + 1), dropped, t.word_min_chars)
    shared = sum(1 for i in range(end + 1, run_end)
                 if not vocabulary.isdisjoint(_words_of(f, i, t.word_min_chars)))
    if shared < t.min_shared_share * (run_end - end - 1):
        return end
    return run_end - 1


def _words_of(f: PageFeatures, i: int, min_chars: int) -> set[str]:
    return {w for w in _WORD.findall(f.keys[i]) if len(w) >= min_chars and w not in f.stops and "0" not in w}


def _content_words(f: PageFeatures, lines: Sequence[int], dropped: Sequence[bool], min_chars: int) -> set[str]:
    """The words of the lines not dropped (dropped: empty for none), stop
    words and numbers left out."""
    out: set[str] = set()
    for i in lines:
        if not dropped or not dropped[i]:
            out |= _words_of(f, i, min_chars)
    return out


def decide(f: PageFeatures, hits: Sequence[Hit], s: TextSettings, prior: FirstPass | None = None,
           layout: Layout | None = None, disabled: AbstractSet[str] = frozenset()) -> Decision:
    """Every block's verdict (`disabled`: signal ids the user turned off,
    which then decide no block)."""
    n = len(f.chars)
    if n == 0:
        return Decision([], None)
    prior = prior or first_pass(f, s)
    layout = layout or lay_out(f, hits, s, prior)
    classes = prior.classes
    drop, in_range, protect = layout.drop, layout.in_range, layout.protect
    start, end, title_index = layout.start, layout.end, layout.title_index
    title_key = f.keys[title_index] if title_index is not None else None
    rep = s.repeated
    # A repeated line is boilerplate when a copy of it stands outside the body
    # (site banners, menus printed twice); copies only inside the body are
    # content (a recipe's two plans, a table's repeated cells).
    outside_keys = _boilerplate_copies(f, classes, start, end, rep)
    run_lengths = _menu_runs(classes)
    min_run = s.menu_run.min_run
    rep_min, rep_max = rep.min_count, rep.max_chars
    keys, repeats, chars = f.keys, f.repeats, f.chars
    # One reason per block for each stage the verdicts weigh ("" where the
    # stage finds nothing); settle() keeps the first that applies.
    title_copies = [TITLE if key == title_key else "" for key in keys] if title_key is not None else [""] * n
    # A repeated line goes when a copy stands outside the body; the body's own
    # copy of a prose line stays (a lede also shown as a teaser).
    repeated = [""] * n
    if outside_keys:
        for i, (count, size, key) in enumerate(zip(repeats, chars, keys)):
            if count >= rep_min and size <= rep_max and key in outside_keys \
                    and not (classes[i][0] == GOOD and start <= i <= end):
                repeated[i] = REPEATED
    # Outside the body everything goes; inside it, tiny blocks and code, and
    # menu-like lines in a run of at least `min_run`.
    structure = [OUTSIDE_BODY] * n
    for i in range(max(start, 0), min(end, n - 1) + 1):
        kind, bad_reason = classes[i]
        structure[i] = ("" if kind != BAD else bad_reason if bad_reason in _GONE_ANYWHERE
                        else MENU_RUN if run_lengths[i] >= min_run else "")
    verdicts = settle([cls for cls, _ in classes], BODY, protect_reasons(protect, hits), disabled=disabled, drop=drop,
                      title=title_copies, repeated=repeated, in_range=in_range, structure=structure)
    title = f.stripped[title_index] if title_index is not None else None
    return Decision(verdicts, title)


def _boilerplate_copies(f: PageFeatures, classes: Sequence[tuple[str, str]], start: int, end: int,
                        rep: RepeatedSettings) -> set[str]:
    """The keys of repeated lines that are boilerplate: those with a copy
    outside the body [start, end]. A line the body itself repeats (a meal
    plan's "Eat every 2-3 hours") is content even where a copy spills past
    the region, when the body holds at least inside_min_count copies and more
    than the rest of the page, no copy stands at the page's edges (its first
    or last edge_blocks blocks: banners, menus), and the line speaks the
    body's words: at least min_shared_share of its words occur in the body's
    prose (a widget's "Continue reading the main story" does not). Lines
    repeated across a site are the learned site rules' work."""
    n, keys, repeats = len(f.keys), f.keys, f.repeats
    outside: dict[str, int] = {}
    for i in range(n):
        if repeats[i] > 1 and not (start <= i <= end):
            outside[keys[i]] = outside.get(keys[i], 0) + 1
    if not outside or start > end:
        return set(outside)
    edge, least = rep.edge_blocks, rep.inside_min_count
    at_edges = {keys[i] for i in [*range(min(edge, start, n)), *range(max(end + 1, n - edge), n)]}
    candidates = [k for k, out in outside.items()
                  if k not in at_edges and f.repeats[keys.index(k)] - out >= max(least, out + 1)]
    if not candidates:
        return set(outside)
    prose = [i for i in range(start, end + 1) if classes[i][0] == GOOD]
    vocabulary = _content_words(f, prose, (), rep.word_min_chars)
    content = set()
    for k in candidates:
        words = _words_of(f, keys.index(k), rep.word_min_chars)
        if words and len(words & vocabulary) >= rep.min_shared_share * len(words):
            content.add(k)
    return set(outside) - content


def _menu_runs(classes: Sequence[tuple[str, str]]) -> list[int]:
    """For each block, the length of the run of consecutive bad blocks it is in."""
    out = [0] * len(classes)
    i = 0
    while i < len(classes):
        if classes[i][0] != BAD:
            i += 1
            continue
        j = i
        while j < len(classes) and classes[j][0] == BAD:
            j += 1
        for k in range(i, j):
            out[k] = j - i
        i = j
    return out
