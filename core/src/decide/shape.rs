//! The regular expressions of declutter/decide.py, written out by hand with
//! `re`'s semantics on `str` patterns (`\w`, `\d`, `\s` as CPython's `re`
//! reads them, from pystr's tables). Each function names the expression it
//! computes; the tests below and tests/test_core_decide.py compare them.

use rustc_hash::FxHashSet;

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

/// `_WORD.findall(text)`: the runs of `\w`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word(c)).filter(|w| !w.is_empty())
}

/// decide.py `_shape`: capitalised words as A, other words as a, numbers as
/// 0, punctuation kept; a lower-case handle before a number, and a name of
/// several capitalised words, one A.
pub fn shape(line: &str) -> String {
    // _SHAPE_WORD.sub: `[^\W\d_]\w*|\d+`
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

/// A text that many needles are looked for in (`needle in text`, each).
/// It holds the text's 4-byte windows, so that most needles that are not in
/// it are told by one hash look-up instead of a substring search (whose
/// set-up alone costs as much as the needle is long).
///
/// Cost: a hash insertion per byte of the text to build.
#[derive(Clone, Debug)]
pub struct Haystack<'a> {
    text: &'a str,
    windows: FxHashSet<[u8; 4]>,
}

impl<'a> Haystack<'a> {
    pub fn new(text: &'a str) -> Self {
        let windows = text.as_bytes().windows(4).map(|w| [w[0], w[1], w[2], w[3]]).collect();
        Self { text, windows }
    }

    /// `text.contains(needle)`.
    pub fn contains(&self, needle: &str) -> bool {
        if needle.len() > self.text.len() {
            return false;
        }
        // a needle of four bytes or more opens with one of the text's windows
        if let [a, b, c, d, ..] = *needle.as_bytes() {
            if !self.windows.contains(&[a, b, c, d]) {
                return false;
            }
        }
        self.text.contains(needle)
    }
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
    fn a_haystack_finds_what_str_contains_finds() {
        let texts = ["", "a", "abc", "abcd", "the cat sat on the mat", "ééé ü x", "aaaaab"];
        let needles = [
            "", "a", "ab", "abcd", "abce", "cat", "cat sat", "mat", "matt", "ü x", "é", "aaab", "aaaaab", "aaaaaab",
        ];
        for text in texts {
            let haystack = Haystack::new(text);
            for needle in needles {
                assert_eq!(
                    haystack.contains(needle),
                    text.contains(needle),
                    "{needle:?} in {text:?}"
                );
            }
            // every substring of the text is found in it
            for (a, _) in text.char_indices() {
                for b in (a..=text.len()).filter(|&b| text.is_char_boundary(b)) {
                    assert!(haystack.contains(&text[a..b]));
                }
            }
        }
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
