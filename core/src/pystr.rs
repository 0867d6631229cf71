//! CPython's `str` semantics on Rust strings: what the Python reference
//! (declutter/features.py, declutter/normalise.py) calls, reproduced exactly.
//!
//! Rust's own `char` methods differ from CPython's `str` methods, and the
//! core must give the same numbers as the reference on every input, so each
//! property is read from tables generated from CPython itself
//! (`core/tables/generate.py`). The differences handled here:
//!
//! - White space (`str.strip()`, `str.split()`): CPython takes U+001C..U+001F
//!   (the information separators) for white space, `char::is_whitespace`
//!   does not. Both take U+0085, U+00A0, U+1680, U+2000..U+200A,
//!   U+2028/U+2029, U+202F, U+205F and U+3000; neither takes U+200B (zero
//!   width space), U+180E or U+FEFF.
//! - Lower case (`str.lower()`): Rust's `to_lowercase` follows a newer
//!   Unicode version than CPython 3.11's 14.0, so it lowers letters CPython
//!   leaves alone (e.g. those added in Unicode 15 and 16); the table holds
//!   CPython's mapping. Both lower 'İ' (U+0130) to "i\u{307}" (two code
//!   points, so a key may be longer than its line) and both apply the final
//!   sigma rule, which is reproduced here with CPython's case-ignorable and
//!   cased sets.
//! - `str.isupper()` of one character: the Uppercase property of CPython's
//!   Unicode version; Rust's `char::is_uppercase` is the same property of a
//!   newer version. `str.isdigit()`: digits and decimals of every script
//!   (Numeric_Type Digit or Decimal, e.g. '٣', '²'); `char::is_ascii_digit`
//!   is ASCII only, `char::is_numeric` also takes numerals such as 'Ⅻ' or '½'.
//! - `len()` counts code points, not bytes: callers count `chars()`.

use std::sync::OnceLock;

use crate::tables;

/// The keys of a mapping table (tables::LOWER, tables::FOLD) below U+10000
/// as a bit set, built on first use (8 KB): most characters of a text map
/// to themselves, and one bit says so where a binary search of the table
/// takes a dozen steps.
struct Mapped {
    bits: OnceLock<Box<[u64]>>,
    table: &'static [(u32, &'static str)],
}

impl Mapped {
    const fn new(table: &'static [(u32, &'static str)]) -> Mapped {
        Mapped {
            bits: OnceLock::new(),
            table,
        }
    }

    /// The table's mapping of `c`, if it has one.
    fn get(&self, c: char) -> Option<&'static str> {
        let c = c as u32;
        if c < 0x10000 {
            let bits = self.bits.get_or_init(|| {
                let mut bits = vec![0u64; 0x10000 / 64];
                for &(k, _) in self.table.iter().filter(|&&(k, _)| k < 0x10000) {
                    bits[k as usize / 64] |= 1 << (k % 64);
                }
                bits.into_boxed_slice()
            });
            if bits[c as usize / 64] & (1 << (c % 64)) == 0 {
                return None;
            }
        }
        lookup(self.table, c)
    }
}

/// The mapping of `c` in `table` by binary search: the reference of [`Mapped::get`].
fn lookup(table: &'static [(u32, &'static str)], c: u32) -> Option<&'static str> {
    table.binary_search_by_key(&c, |&(k, _)| k).ok().map(|i| table[i].1)
}

static LOWER: Mapped = Mapped::new(tables::LOWER);
static FOLD: Mapped = Mapped::new(tables::FOLD);

/// Whether `c` lies in one of the sorted, inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    ranges
        .binary_search_by(|&(first, last)| {
            if last < c {
                std::cmp::Ordering::Less
            } else if first > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `c.isspace()`.
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        // \t \n \x0b \x0c \r, the four separators \x1c..\x1f, and the space
        matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ')
    } else {
        in_ranges(tables::SPACE, c)
    }
}

/// `c.isupper()` for one character.
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        in_ranges(tables::UPPER, c)
    }
}

/// `c.isdigit()` for one character.
pub fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::DIGIT, c)
    }
}

/// `re`'s `\w` on a `str` pattern: `c.isalnum() or c == "_"`.
pub fn is_word(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        in_ranges(tables::WORD, c)
    }
}

/// `re`'s `\d` on a `str` pattern: `c.isdecimal()` (no superscripts, unlike `isdigit`).
pub fn is_decimal(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        in_ranges(tables::DECIMAL, c)
    }
}

/// `s.strip()`: `s` without the white space at either end.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// `s.split()`: the runs of non-white-space characters.
pub fn split(s: &str) -> Split<'_> {
    Split { s, at: 0 }
}

/// The iterator of [`split`]: a byte at a time, decoding only a character
/// whose lead byte some white space has (`str::split` by a predicate
/// decodes every character, which cost the language vote more than its
/// lookups did).
pub struct Split<'s> {
    s: &'s str,
    at: usize,
}

/// The lead bytes of the white space beyond ASCII: U+0085 and U+00A0,
/// U+1680, U+2000..U+205F, U+3000 (tables::SPACE).
const SPACE_LEADS: [u8; 4] = [0xc2, 0xe1, 0xe2, 0xe3];

/// Per byte: whether white space may start at it (ASCII white space and
/// [`SPACE_LEADS`]); a byte without is surely inside a word.
static MAY_START_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(b as u8, b'\t'..=b'\r' | 0x1c..=0x1f | b' ');
        b += 1;
    }
    let mut i = 0;
    while i < SPACE_LEADS.len() {
        table[SPACE_LEADS[i] as usize] = true;
        i += 1;
    }
    table
};

impl Split<'_> {
    /// The length in bytes of the white space at byte `at` (a character
    /// boundary or a continuation byte, which none starts), 0 if none.
    #[inline(always)]
    fn space_at(&self, at: usize) -> usize {
        let b = self.s.as_bytes()[at];
        if !MAY_START_SPACE[usize::from(b)] {
            0
        } else if b.is_ascii() {
            1
        } else {
            let c = self.s[at..].chars().next().unwrap_or_default();
            if is_space(c) {
                c.len_utf8()
            } else {
                0
            }
        }
    }
}

impl<'s> Iterator for Split<'s> {
    type Item = &'s str;

    #[inline]
    fn next(&mut self) -> Option<&'s str> {
        let bytes = self.s.as_bytes();
        let end = bytes.len();
        let mut at = self.at;
        while at < end {
            match self.space_at(at) {
                0 => break,
                n => at += n,
            }
        }
        if at == end {
            self.at = at;
            return None;
        }
        let start = at;
        // a word ends at a character boundary: the start of white space or the end
        loop {
            at += bytes[at..]
                .iter()
                .position(|&b| MAY_START_SPACE[usize::from(b)])
                .unwrap_or(end - at);
            if at == end || self.space_at(at) > 0 {
                break;
            }
            at += 1;
        }
        self.at = at;
        Some(&self.s[start..at])
    }
}

/// Whether a capital sigma at byte `at` of `s` is final for `str.lower()`:
/// a cased character before it and none after it, skipping case-ignorable
/// characters both ways (CPython's `handle_capital_sigma`).
fn final_sigma(s: &str, at: usize) -> bool {
    let not_ignorable = |c: &char| !in_ranges(tables::CASE_IGNORABLE, *c);
    let before = s[..at].chars().rev().find(not_ignorable);
    let after = s[at + 'Σ'.len_utf8()..].chars().find(not_ignorable);
    before.is_some_and(|c| in_ranges(tables::CASED, c)) && !after.is_some_and(|c| in_ranges(tables::CASED, c))
}

/// Appends `s.lower()` to `out`, one character at a time through `push`
/// (so that the caller can fold further on the way). The final-sigma
/// context is `s` alone: the reference lowers whole pages, but its lines
/// are separated by "\n", which is neither cased nor case-ignorable, so the
/// context of a sigma never reaches past its line.
pub fn lower_each(s: &str, mut push: impl FnMut(char)) {
    for (at, c) in s.char_indices() {
        lower_char(s, at, c, &mut push);
    }
}

/// Pushes the lower case of `c`, the character at byte `at` of `s` (its
/// context, for a capital sigma), as [`lower_each`] does.
pub fn lower_char(s: &str, at: usize, c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        push(c.to_ascii_lowercase());
    } else if c == 'Σ' {
        push(if final_sigma(s, at) { 'ς' } else { 'σ' });
    } else {
        match LOWER.get(c) {
            Some(lowered) => lowered.chars().for_each(push),
            None => push(c),
        }
    }
}

/// Whether `c.lower()` is `c` itself in any context (no capital sigma, no
/// entry in the lower-case table): a caller may then copy its bytes.
pub fn lowers_to_itself(c: char) -> bool {
    c.is_ascii() && !c.is_ascii_uppercase() || c != 'Σ' && !c.is_ascii() && LOWER.get(c).is_none()
}

/// `s.lower()`.
pub fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_each(s, |c| out.push(c));
    out
}

/// Passes each character of normalise.py `fold(s)` to `push`:
/// `s.casefold()` without any combining dot above (U+0307), so that "İ"
/// folds like "i". Case folding has no context, so a line folds the same
/// alone or within its page.
pub fn fold_each(s: &str, mut push: impl FnMut(char)) {
    for c in s.chars() {
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else if c != '\u{307}' {
            match FOLD.get(c) {
                Some(folded) => folded.chars().filter(|&f| f != '\u{307}').for_each(&mut push),
                None => push(c),
            }
        }
    }
}

/// normalise.py `fold(s)`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_each(s, |c| out.push(c));
    out
}

/// Appends normalise.py `prefix_key(s)` to `out`: `fold(s)` with every
/// decimal digit (`isdecimal`) as "0" and every white space (`isspace`) as
/// a space, then each run of spaces as one.
pub fn push_prefix_key(out: &mut String, s: &str) {
    let mut space = false;
    fold_each(s, |c| {
        let c = if is_decimal(c) {
            '0'
        } else if is_space(c) {
            ' '
        } else {
            c
        };
        if !(c == ' ' && space) {
            out.push(c);
        }
        space = c == ' ';
    });
}

/// normalise.py `prefix_key(s)`.
pub fn prefix_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_prefix_key(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_cpythons() {
        assert!(is_space('\x1c') && is_space('\x1f') && is_space('\u{85}') && is_space('\u{3000}'));
        assert!(!'\x1c'.is_whitespace()); // the difference from Rust
        assert!(!is_space('\u{200b}') && !is_space('\u{feff}') && !is_space('\u{180e}'));
        assert_eq!(strip("\x1d\u{a0} a b \u{2029}"), "a b");
        assert_eq!(split(" a\x1fb  c ").collect::<Vec<_>>(), ["a", "b", "c"]);
        for &(first, last) in tables::SPACE.iter().filter(|&&(first, _)| first >= 0x80) {
            for c in (first..=last).filter_map(char::from_u32) {
                assert!(SPACE_LEADS.contains(&c.to_string().as_bytes()[0]), "{c:?}");
            }
        }
        let text = "x\u{85}é\u{a0}ü\u{1680}ẞ\u{2009}\u{2028}—\u{3000}あ\u{3001}\u{ff01}\u{205f}";
        let reference: Vec<&str> = text.split(is_space).filter(|t| !t.is_empty()).collect();
        assert_eq!(split(text).collect::<Vec<_>>(), reference);
    }

    #[test]
    fn lower_case_is_cpythons() {
        assert_eq!(lower("İSTANBUL"), "i\u{307}stanbul");
        assert_eq!(lower("ΟΔΟΣ ΟΔΟΣ."), "οδος οδος.");
        assert_eq!(lower("Σ"), "σ");
        assert_eq!(lower("ΑΣ\u{301}"), "ας\u{301}"); // an accent after the sigma is skipped
        assert_eq!(lower("ΑΣΑ"), "ασα");
    }

    #[test]
    fn fold_and_prefix_key_are_normalises() {
        assert_eq!(fold("Straße İSTANBUL ΟΔΟΣ ς"), "strasse istanbul οδοσ σ");
        assert_eq!(fold("a\u{307}b"), "ab");
        assert_eq!(prefix_key("Ａ٣ \t\u{3000}x²"), "ａ0 x²"); // '²' is a digit, not a decimal
        assert_eq!(prefix_key("  a"), " a");
    }

    #[test]
    fn mapped_bit_sets_agree_with_the_tables() {
        for mapped in [&LOWER, &FOLD] {
            for c in (0..0x11_0000).filter_map(char::from_u32) {
                assert_eq!(mapped.get(c), lookup(mapped.table, c as u32), "{c:?}");
            }
        }
    }

    #[test]
    fn upper_and_digit_are_cpythons() {
        assert!(is_upper('É') && !is_upper('ǅ') && !is_upper('a'));
        assert!(is_digit('٣') && is_digit('²') && !is_digit('½') && !is_digit('Ⅻ'));
    }

    #[test]
    fn word_and_decimal_are_res() {
        assert!(is_word('_') && is_word('é') && is_word('²') && is_word('½') && is_word('中'));
        assert!(!is_word('\u{301}') && !is_word('-')); // a combining accent is no \w in re
        assert!(is_decimal('٣') && !is_decimal('²') && !is_decimal('½'));
    }
}
