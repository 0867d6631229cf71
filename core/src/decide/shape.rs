//! The regular expressions of declutter/decide.py, written out by hand with
//! `re`'s semantics on `str` patterns (`\w`, `\d`, `\s` as CPython's `re`
//! reads them, from pystr's tables). Each function names the expression it
//! computes; the tests below and tests/test_core_decide.py compare them.

use crate::pystr::{is_decimal, is_digit, is_space, is_upper, is_word};

/// The bullets `_ITEM_OPENING`'s second branch takes.
const BULLETS: &[char] = &['-', '–', '—', '•', '·', '*', '►', '▪', '◦', '→'];
/// `_NAME_RUN`'s separators between capitalised words.
const NAME_MARKS: &[char] = &[' ', '.', '/', '\'', '’', '-'];

/// `_ITEM_OPENING.match(key)`: `(?:\(?0+[.):]|[-–—•·*►▪◦→])\s` at the start.
pub fn item_opening(key: &str) -> bool {
    let mut it = key.chars();
    match it.next() {
        Some(c) if BULLETS.contains(&c) => it.next().is_some_and(is_space),
        Some(_) => {
            let rest = key.strip_prefix('(').unwrap_or(key);
            let digits = rest.len() - rest.trim_start_matches('0').len();
            let mut after = rest[digits..].chars();
            digits > 0
                && after.next().is_some_and(|c| matches!(c, '.' | ')' | ':'))
                && after.next().is_some_and(is_space)
        }
        None => false,
    }
}

/// `_ITEM_NUMBER.match(line)`: `\(?\d+[.):]\s+`; the byte offset of its end.
pub fn item_number_end(line: &str) -> Option<usize> {
    let start = usize::from(line.starts_with('('));
    let mut at = start;
    for c in line[start..].chars() {
        if !is_decimal(c) {
            break;
        }
        at += c.len_utf8();
    }
    if at == start || !line[at..].starts_with(['.', ')', ':']) {
        return None;
    }
    at += 1;
    let spaces: usize = line[at..]
        .chars()
        .take_while(|&c| is_space(c))
        .map(char::len_utf8)
        .sum();
    (spaces > 0).then_some(at + spaces)
}

/// `_LONE_NUMBER.search(text)`: `(?<![^\s(\[#@])\d[\d:/.,-]*(?![^\s)\],.:;!?])`,
/// a number standing alone. The star backtracks: a number may end at any
/// of its marks that may close it ("12.5a" matches "12").
pub fn lone_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let inner = |c: char| is_decimal(c) || matches!(c, ':' | '/' | '.' | ',' | '-');
    let closes = |c: Option<&char>| {
        c.map_or(true, |&c| {
            is_space(c) || matches!(c, ')' | ']' | ',' | '.' | ':' | ';' | '!' | '?')
        })
    };
    for (p, &c) in chars.iter().enumerate() {
        if !is_decimal(c) {
            continue;
        }
        if p > 0 {
            let before = chars[p - 1];
            if !(is_space(before) || matches!(before, '(' | '[' | '#' | '@')) {
                continue;
            }
        }
        let mut q = p + 1;
        loop {
            if closes(chars.get(q)) {
                return true;
            }
            if q < chars.len() && inner(chars[q]) {
                q += 1;
            } else {
                break;
            }
        }
    }
    false
}

/// `\w` ([`is_word`]) with its ASCII branch inlined: the lazy steps ask it
/// of every character of the keys and header lines they read, and the call
/// into pystr's tables costs more than the test for the common characters.
#[inline(always)]
fn word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        is_word(c)
    }
}

/// `\d` ([`is_decimal`]) with its ASCII branch inlined, as [`word`].
#[inline(always)]
fn decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        is_decimal(c)
    }
}

/// `_WORD.findall(text)`: the runs of `\w`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !word(c)).filter(|w| !w.is_empty())
}

/// `_SHAPE_WORD.sub` of `_shape`: `[^\W\d_]\w*|\d+`, a word as A (capitalised),
/// a or 0, a number as 0, other characters kept; read a character at a time.
fn shape_words(line: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(line.len());
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        if word(c) && !decimal(c) && c != '_' {
            while it.next_if(|&d| word(d)).is_some() {}
            out.push(if is_digit(c) {
                '0'
            } else if is_upper(c) {
                'A'
            } else {
                'a'
            });
        } else if decimal(c) {
            while it.next_if(|&d| decimal(d)).is_some() {}
            out.push('0');
        } else {
            out.push(c);
        }
    }
    out
}

/// decide.py `_shape`: capitalised words as A, other words as a, numbers as
/// 0, punctuation kept; a lower-case handle before a number, and a name of
/// several capitalised words, one A.
pub fn shape(line: &str) -> String {
    let mut out = shape_words(line);
    // _LOWER_NAME.sub: `^a(?= 0)`
    if out.starts_with(&['a', ' ', '0']) {
        out[0] = 'A';
    }
    // _NAME_RUN.sub: `A(?:[ ./'’-]*A)+`, the last A the marks reach
    let mut shaped = String::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        if out[i] == 'A' {
            let mut last = i;
            let mut j = i + 1;
            while j < out.len() && (out[j] == 'A' || NAME_MARKS.contains(&out[j])) {
                if out[j] == 'A' {
                    last = j;
                }
                j += 1;
            }
            shaped.push('A');
            i = last + 1;
        } else {
            shaped.push(out[i]);
            i += 1;
        }
    }
    shaped
}

/// `_SAYS.fullmatch(shape)`: `(?:a )?[Aa](?: \(0\))? a ?[:,]`.
pub fn says(shape: &str) -> bool {
    let from_name = |s: &str| {
        let Some(s) = s.strip_prefix(['A', 'a']) else {
            return false;
        };
        [Some(s), s.strip_prefix(" (0)")].into_iter().flatten().any(|s| {
            s.strip_prefix(" a").is_some_and(|s| {
                [Some(s), s.strip_prefix(' ')]
                    .into_iter()
                    .flatten()
                    .any(|s| s == ":" || s == ",")
            })
        })
    };
    from_name(shape) || shape.strip_prefix("a ").is_some_and(from_name)
}

/// `_SAYS_END.search(shape)`: `[Aa)] a ?[:,]$`.
pub fn says_end(shape: &str) -> bool {
    let Some(s) = shape.strip_suffix([':', ',']) else {
        return false;
    };
    [s.strip_suffix(" a"), s.strip_suffix(" a ")]
        .into_iter()
        .flatten()
        .any(|s| s.ends_with(['A', 'a', ')']))
}

/// `_COUNT_AFTER.sub("", key)`: the key without a number closing it (`" 0+$"`).
pub fn without_count(key: &str) -> &str {
    let t = key.trim_end_matches('0');
    match t.strip_suffix(' ') {
        Some(head) if t.len() < key.len() => head,
        _ => key,
    }
}

/// What a text holds, to tell most strings that are not in it without a
/// substring search (whose set-up alone costs as much as the needle is
/// long): a bit per hash of each of its 4-byte windows.
///
/// Cost: 512 bytes, and a multiplication per byte of the text to build.
#[derive(Clone, Debug)]
pub struct Grams(Box<[u64; 64]>);

/// Some of a needle's windows are tested; each must be one of the text's.
const GRAMS_TESTED: usize = 8;

impl Grams {
    pub fn of(text: &str) -> Self {
        let mut bits = Box::new([0u64; 64]);
        for w in text.as_bytes().windows(4) {
            let slot = Self::slot(w);
            bits[slot / 64] |= 1 << (slot % 64);
        }
        Self(bits)
    }

    fn slot(w: &[u8]) -> usize {
        let w = u32::from(w[0]) | u32::from(w[1]) << 8 | u32::from(w[2]) << 16 | u32::from(w[3]) << 24;
        (w.wrapping_mul(0x9E37_79B1) >> 20) as usize
    }

    /// False when `needle` is not in the text these are the grams of: every
    /// 4-byte window of a substring is one of the text's.
    pub fn may_hold(&self, needle: &str) -> bool {
        let needle = needle.as_bytes();
        if needle.len() < 4 {
            return true;
        }
        let last = needle.len() - 4;
        (0..GRAMS_TESTED).all(|k| {
            let slot = Self::slot(&needle[k * last / (GRAMS_TESTED - 1)..]);
            self.0[slot / 64] & 1 << (slot % 64) != 0
        })
    }
}

/// `text.contains(needle)`, told first by the text's `grams` where they can.
pub fn contains(text: &str, grams: &Grams, needle: &str) -> bool {
    needle.len() <= text.len() && grams.may_hold(needle) && text.contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_openings() {
        assert!(
            item_opening("0. item") && item_opening("(00) item") && item_opening("• x") && item_opening("0:\u{85}")
        );
        assert!(!item_opening("0.item") && !item_opening("(. x") && !item_opening("a. x") && !item_opening(""));
        assert_eq!(item_number_end("(12. Ann"), Some(5));
        assert_eq!(item_number_end("١٢) x"), Some("١٢) ".len()));
        assert_eq!(item_number_end("12.x"), None);
        assert_eq!(item_number_end("²) x"), None);
    }

    #[test]
    fn lone_numbers_backtrack() {
        assert!(lone_number("12.5a") && lone_number("on 7/10/2012, at") && lone_number("(3)") && lone_number("@2"));
        assert!(!lone_number("72W") && !lone_number("a1") && !lone_number("12-5a"));
        assert!(lone_number("x 12:30pm 5"));
    }

    /// `shape`'s first step as it was, a Vec<char> of the line indexed
    /// (the reference of the character-at-a-time one).
    fn shape_words_reference(line: &str) -> Vec<char> {
        let chars: Vec<char> = line.chars().collect();
        let mut out: Vec<char> = Vec::with_capacity(chars.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if is_word(c) && !is_decimal(c) && c != '_' {
                i += 1;
                while i < chars.len() && is_word(chars[i]) {
                    i += 1;
                }
                out.push(if is_digit(c) {
                    '0'
                } else if is_upper(c) {
                    'A'
                } else {
                    'a'
                });
            } else if is_decimal(c) {
                while i < chars.len() && is_decimal(chars[i]) {
                    i += 1;
                }
                out.push('0');
            } else {
                out.push(c);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn inlined_classes_are_pystrs() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(word(c), is_word(c), "{c:?}");
            assert_eq!(decimal(c), is_decimal(c), "{c:?}");
        }
    }

    #[test]
    fn shapes_and_words_match_their_references() {
        // every character class the steps tell apart, in runs and alone
        let parts = [
            "Ann", "lee", "_x", "x_", "12", "١٢", "²", "Ǆ", "é", "中文", " ", ":", "-", "’", "\u{301}", "a1", "1a",
        ];
        let mut state = 7u64;
        for _ in 0..5000 {
            let mut line = String::new();
            for _ in 0..(state % 9) {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line.push_str(parts[(state >> 33) as usize % parts.len()]);
            }
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let reference: Vec<char> = shape_words_reference(&line);
            let out = shape_words(&line);
            assert_eq!(out, reference, "{line:?}");
            let slow: Vec<&str> = line.split(|c: char| !is_word(c)).filter(|w| !w.is_empty()).collect();
            assert_eq!(words(&line).collect::<Vec<_>>(), slow, "{line:?}");
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(shape("Ann Lee - July 10th, 2012, 1:26 am"), "A 0a, 0, 0:0 a");
        assert_eq!(shape("ian 07.16.12 at 12:20"), "A 0.0.0 a 0:0");
        assert_eq!(shape("tdhurst says:"), "a a:");
        assert_eq!(shape("S/V Blondie-Dog wrote:"), "A a:");
        assert_eq!(shape("x² _y"), "a _a");
        assert_eq!(shape("A. B"), "A");
    }

    #[test]
    fn contains_with_grams_is_str_contains() {
        let texts = ["", "a", "abc", "abcd", "the cat sat on the mat", "ééé ü x", "aaaaab"];
        let needles = [
            "", "a", "ab", "abcd", "abce", "cat", "cat sat", "mat", "matt", "ü x", "é", "aaab", "aaaaab", "aaaaaab",
        ];
        let long =
            "a long line of text, with every letter of the alphabet: the quick brown fox jumps over the lazy dog";
        for text in texts.into_iter().chain([long]) {
            let grams = Grams::of(text);
            for needle in needles.into_iter().chain(long.split(' ')).chain(long.split(',')) {
                assert_eq!(
                    contains(text, &grams, needle),
                    text.contains(needle),
                    "{needle:?} in {text:?}"
                );
            }
            // every substring of the text is found in it
            for (a, _) in text.char_indices() {
                for b in (a..=text.len()).filter(|&b| text.is_char_boundary(b)) {
                    assert!(contains(text, &grams, &text[a..b]));
                }
            }
        }
        // most strings not in a text are told by its grams alone
        let grams = Grams::of(long);
        let told = long.split(' ').filter(|w| w.len() >= 4).map(|w| format!("{w}zz"));
        assert!(told.filter(|w| !grams.may_hold(w)).count() >= 8);
    }

    #[test]
    fn says_shapes() {
        assert!(says("A a:") && says("a A a:") && says("A (0) a ,") && says("a a:"));
        assert!(!says("A a") && !says("A a: ") && !says("a  a:"));
        assert!(says_end("by A (0) a:") && says_end("x) a :") && !says_end("A b:"));
        assert_eq!(without_count("toolbox 000"), "toolbox");
        assert_eq!(without_count("000"), "000");
        assert_eq!(without_count(" 0"), "");
    }
}
