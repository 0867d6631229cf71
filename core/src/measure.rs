//! The per-line measures of a page: the part of declutter/features.py
//! `measure()` that reads each line alone, plus the repeat counts, the
//! unspaced-script test and the choice of the longest lines.
//!
//! The Python reference is the specification: every function says which
//! expression of features.py or normalise.py it computes, and
//! tests/test_core_diff.py compares the two on generated and real pages.

use rustc_hash::FxHashMap;

use crate::language::StopLists;
use crate::pystr;

/// Line endings a sentence ends on (features.py `_ENDS`).
const ENDS: &[char] = &['.', '!', '?', '…', '。', '！', '？', ':', ';'];
/// Closing marks that may follow a sentence's end (features.py `_CLOSERS`).
const CLOSERS: &[char] = &['\'', '"', '”', '’', '»', ')', ']'];
/// Punctuation minified code is dense with (features.py `_CODE_MARKS`); the
/// reference of [`is_code_mark`].
#[cfg(test)]
const CODE_MARKS: &[char] = &['{', '}', '[', ']', '(', ')', ';', ':', '=', '<', '>', '"', '\\', '|'];
/// How many of the longest lines the language is told from (`_LONGEST`).
const LONGEST: usize = 6;
/// The script is judged on the page's first characters (`_SAMPLE`), of which
/// `language.unspaced_share` reads the first 4000.
const SAMPLE: usize = 8000;
const SHARE_SAMPLE: usize = 4000;

/// The settings measuring reads (a part of features.py's FeatureSettings).
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// `code_min_chars`: lines shorter than this have no code share.
    pub code_min_chars: usize,
    /// `code_max_space_share`: lines with more spaces per character have none.
    pub code_max_space_share: f64,
    /// `unspaced_min_share`: above this share of unspaced-script characters
    /// a page is in a script written without spaces.
    pub unspaced_min_share: f64,
    /// `menu_max_words`: capitals are counted on lines of at most this many words.
    pub menu_max_words: usize,
    /// `prose_min_words`: stop words are counted on lines of at least this many words,
    pub prose_min_words: usize,
    /// `stop_max_chars`: and under this many characters.
    pub stop_max_chars: f64,
}

/// A page's blocks could not be cut from its text as the lengths said.
#[derive(Debug, PartialEq, Eq)]
pub struct LengthMismatch;

/// Every per-line measure of a page, one entry per block, in block order.
/// Strings are byte spans: `stripped` into the page's text, `keys` into
/// `key_text`.
#[derive(Debug, Default, PartialEq)]
pub struct Measures {
    /// `t.strip()`: (start, end) byte offsets into the page text.
    pub stripped: Vec<(usize, usize)>,
    /// `len(stripped)`, in code points.
    pub chars: Vec<usize>,
    /// Words: spaces in the key plus one (unspaced pages: at least chars / 2).
    pub words: Vec<usize>,
    /// Whether the line ends a sentence.
    pub sentence_end: Vec<bool>,
    /// 1 if the line holds a sentence break and is over 20 characters.
    pub sentences: Vec<usize>,
    /// Share of capitalised words on short lines (0 elsewhere).
    pub capital_share: Vec<f64>,
    /// Share of code punctuation on long lines with few spaces (0 elsewhere).
    pub code_share: Vec<f64>,
    /// The lines' keys (case, spacing and digits folded), concatenated.
    pub key_text: String,
    /// (start, end) byte offsets of each key in `key_text`.
    pub keys: Vec<(usize, usize)>,
    /// How many lines of the page have the same key.
    pub repeats: Vec<usize>,
    /// Per line its key's number: lines with the same key have the same
    /// number, numbered from 0 in order of first use (a subset of the
    /// lines counts its repeats by them, without hashing a key again).
    pub key_ids: Vec<u32>,
    /// Numeric tokens in the key.
    pub numbers: Vec<usize>,
    /// Whether the page is in a script written without spaces.
    pub unspaced: bool,
    /// The longest lines, longest first (ties: first first); empty when unspaced.
    pub longest: Vec<usize>,
    /// The page's language (its number in the stop lists), if told.
    pub language: Option<usize>,
    /// Share of stop words of the language on prose lines (0 elsewhere).
    pub stop_share: Vec<f64>,
}

/// Cuts `text` into its blocks: at every "\n" when `lengths` is None, else
/// blocks of `lengths[i]` code points, each followed by one "\n" separator.
pub fn blocks<'t>(text: &'t str, lengths: Option<&[usize]>) -> Result<Vec<&'t str>, LengthMismatch> {
    let Some(lengths) = lengths else {
        // memchr_iter finds the breaks many bytes at a time (`str::split`
        // set up a search per line)
        // room for lines of 64 bytes: most pages need no growth
        let mut out = Vec::with_capacity(text.len() / 64 + 1);
        let mut start = 0;
        for at in memchr::memchr_iter(b'\n', text.as_bytes()) {
            out.push(&text[start..at]);
            start = at + 1;
        }
        out.push(&text[start..]);
        return Ok(out);
    };
    let mut out = Vec::with_capacity(lengths.len());
    let mut rest = text;
    for (i, &n) in lengths.iter().enumerate() {
        let end = rest.char_indices().nth(n).map_or(rest.len(), |(at, _)| at);
        if rest[..end].chars().count() != n {
            return Err(LengthMismatch);
        }
        out.push(&rest[..end]);
        rest = &rest[end..];
        if i + 1 < lengths.len() {
            rest = rest.strip_prefix('\n').ok_or(LengthMismatch)?;
        }
    }
    if rest.is_empty() {
        Ok(out)
    } else {
        Err(LengthMismatch)
    }
}

/// Measures a page given as `text`, its blocks cut as [`blocks`] does; with
/// `stoplists`, also tells its language and the stop-word shares.
///
/// Cost: one pass over the text for the spans, one over each line for its
/// key and measures, and a hash of each key; no allocation per line beyond
/// the growth of the output vectors.
pub fn measure(
    text: &str,
    lengths: Option<&[usize]>,
    settings: &Settings,
    stoplists: Option<&StopLists>,
) -> Result<Measures, LengthMismatch> {
    let base = text.as_ptr() as usize;
    let lines: Vec<&str> = blocks(text, lengths)?.into_iter().map(pystr::strip).collect();
    let n = lines.len();
    // features.py joins the stripped lines with "\n" and, if a block holds a
    // line break itself, turns those into spaces before taking the keys.
    // (cut at every "\n" when there are no lengths: no line holds one)
    let inner_breaks = lengths.is_some() && lines.iter().any(|s| s.contains('\n'));
    let mut m = Measures {
        stripped: lines
            .iter()
            .map(|s| (s.as_ptr() as usize - base, s.as_ptr() as usize - base + s.len()))
            .collect(),
        chars: lines.iter().map(|s| s.chars().count()).collect(),
        ..Measures::default()
    };
    let mut key_bytes = Vec::with_capacity(text.len() + text.len() / 8);
    m.keys.reserve_exact(n);
    for s in &lines {
        let start = key_bytes.len();
        push_key(&mut key_bytes, s, inner_breaks);
        m.keys.push((start, key_bytes.len()));
    }
    // Every key is whole characters pushed in UTF-8: the check cannot fail.
    m.key_text = String::from_utf8(key_bytes).unwrap_or_default();
    let keys: Vec<&str> = m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect();
    m.sentence_end = lines.iter().map(|s| sentence_end(s)).collect();
    m.sentences = lines
        .iter()
        .zip(&m.chars)
        .map(|(s, &c)| usize::from(c > 20 && has_sentence_break(s)))
        .collect();
    m.numbers = keys.iter().map(|k| numbers(k)).collect();
    m.code_share = lines
        .iter()
        .zip(&m.chars)
        .map(|(s, &c)| code_share(s, c, settings))
        .collect();
    let (ids, counts) = key_ids(&keys);
    m.repeats = ids.iter().map(|&id| counts[id as usize]).collect();
    m.key_ids = ids;
    m.unspaced = unspaced(&lines, settings);
    m.words = keys.iter().map(|k| key_words(k)).collect();
    if m.unspaced {
        for (w, &c) in m.words.iter_mut().zip(&m.chars) {
            *w = (*w).max(c / 2);
        }
        m.capital_share = vec![0.0; n];
    } else {
        m.capital_share = lines
            .iter()
            .zip(&m.words)
            .map(|(s, &w)| capital_share(s, w, settings))
            .collect();
        m.longest = longest(&m.chars);
        m.language = stoplists.and_then(|l| l.vote(&keys, &m.longest));
    }
    m.stop_share = match (stoplists, m.language) {
        (Some(l), Some(lang)) => l.shares(
            lang,
            &keys,
            &m.words,
            &m.chars,
            settings.prose_min_words,
            settings.stop_max_chars,
        ),
        _ => vec![0.0; n],
    };
    Ok(m)
}

/// features.py's words of a line from its key: its spaces plus one, none
/// for an empty key (an unspaced page then raises it to chars / 2).
pub(crate) fn key_words(key: &str) -> usize {
    if key.is_empty() {
        0
    } else {
        count_bytes(key.as_bytes(), |b| b == b' ') + 1
    }
}

/// Per key its number (the same for the same key, from 0 in order of
/// first use), and per number how many keys have it: one hash of each key.
fn key_ids(keys: &[&str]) -> (Vec<u32>, Vec<usize>) {
    let mut number: FxHashMap<&str, u32> = FxHashMap::default();
    number.reserve(keys.len());
    let mut counts: Vec<usize> = Vec::new();
    let ids = keys
        .iter()
        .map(|k| {
            let next = counts.len() as u32;
            let id = *number.entry(k).or_insert(next);
            if id == next {
                counts.push(0);
            }
            counts[id as usize] += 1;
            id
        })
        .collect();
    (ids, counts)
}

/// Appends the key of one stripped line: normalise.py `fold_keys` of
/// `s.lower()` (a block's own line breaks made spaces first when
/// `inner_breaks`). `_INNER_SPACE` is `"  +|[odd]+"` applied by `re.sub`,
/// which scans on after each match: a run of two or more spaces becomes one
/// space, and so does a run of the other horizontal spaces, but a single
/// space next to such a run stays, so " \t" gives two spaces. Then the ASCII
/// digits 1-9 become 0 (other scripts' digits stay).
pub(crate) fn push_key(out: &mut Vec<u8>, s: &str, inner_breaks: bool) {
    let bytes = s.as_bytes();
    let mut last = Last::Other;
    let mut at = 0;
    while at < bytes.len() {
        let ascii = ascii_len(&bytes[at..]);
        if ascii > 0 {
            // A run of ASCII up to the next other character (most of a line
            // of Latin text, whose quotes and dashes are few). A run starts
            // after no space (after another character, or where the line
            // does), so a run without a space run or an odd space keys as
            // its bytes, lowered and digits folded: one loop the compiler
            // vectorises. Other runs go a byte at a time.
            let run = &bytes[at..at + ascii];
            if last != Last::Space && push_plain(out, run) {
                last = if run.last() == Some(&b' ') {
                    Last::Space
                } else {
                    Last::Other
                };
            } else {
                for &b in run {
                    match b {
                        b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\n' => fold(out, &mut last, char::from(b), inner_breaks),
                        _ => push_other(out, &mut last, char::from(b.to_ascii_lowercase())),
                    }
                }
            }
            at += ascii;
            continue;
        }
        // A run of non-ASCII characters that lower to themselves and are
        // no odd space (most of a text in another script): its bytes are
        // its key, copied at once.
        let start = at;
        for c in s[at..].chars() {
            if c.is_ascii() || !pystr::lowers_to_itself(c) || is_odd_space(c) {
                break;
            }
            at += c.len_utf8();
        }
        if at > start {
            out.extend_from_slice(&bytes[start..at]);
            last = Last::Other;
            continue;
        }
        // A character's lower case is never a space, an odd space or a
        // digit, and theirs are themselves: folding each lowered
        // character as it comes is folding the lowered line.
        let c = s[at..].chars().next().unwrap_or_default();
        pystr::lower_char(s, at, c, |c| fold(out, &mut last, c, inner_breaks));
        at += c.len_utf8();
    }
}

/// Appends an ASCII run lowered, the digits 1-9 as 0, if it holds no space
/// other than " " and no two spaces in a row (its key is then its bytes
/// so folded); else appends nothing and says so. Written in place while
/// the odd spaces are looked for: one loop, which vectorises (`extend` of a
/// map went a byte at a time).
fn push_plain(out: &mut Vec<u8>, run: &[u8]) -> bool {
    let start = out.len();
    out.resize(start + run.len(), 0);
    let mut odd = false;
    for (k, &b) in out[start..].iter_mut().zip(run) {
        odd |= matches!(b, b'\t' | b'\x0b' | b'\x0c' | b'\n');
        *k = match b {
            b'A'..=b'Z' => b + 32,
            b'1'..=b'9' => b'0',
            _ => b,
        };
    }
    let pairs = run
        .iter()
        .zip(run.iter().skip(1))
        .fold(false, |pair, (&a, &b)| pair | ((a == b' ') & (b == b' ')));
    if odd || pairs {
        out.truncate(start);
    }
    !odd && !pairs
}

/// How many bytes `b` starts with are ASCII: eight at a time, by the high
/// bit of each (a byte-wise search cannot be vectorised, as it stops early).
pub(crate) fn ascii_len(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if word & HIGH != 0 {
            return at + (word & HIGH).trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    at + chunks
        .remainder()
        .iter()
        .position(|b| !b.is_ascii())
        .unwrap_or(chunks.remainder().len())
}

/// normalise.py `ODD_SPACE` beyond ASCII.
fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Whether [`push_plain`] takes an ASCII run, by early-exit scans: its reference.
#[cfg(test)]
fn is_plain_ascii_by_scan(bytes: &[u8]) -> bool {
    !bytes.iter().any(|&b| matches!(b, b'\t' | b'\x0b' | b'\x0c' | b'\n')) && !bytes.windows(2).any(|w| w == b"  ")
}

/// What the last character pushed to a key was, for folding runs of spaces.
#[derive(PartialEq, Clone, Copy)]
enum Last {
    Other,
    Space,
    Odd,
}

/// Pushes one lowered character of a key, folding spaces and digits.
fn fold(out: &mut Vec<u8>, last: &mut Last, c: char, inner_breaks: bool) {
    let now = match c {
        ' ' => Last::Space,
        '\n' if inner_breaks => Last::Space,
        // ODD_SPACE, as ranges the compiler can test at once
        '\t'
        | '\x0b'
        | '\x0c'
        | '\u{a0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200a}'
        | '\u{202f}'
        | '\u{205f}'
        | '\u{3000}' => Last::Odd,
        _ => return push_other(out, last, c),
    };
    if now != *last {
        out.push(b' ');
    }
    *last = now;
}

/// Pushes one lowered character that is no space: ASCII digits 1-9 as 0.
fn push_other(out: &mut Vec<u8>, last: &mut Last, c: char) {
    let c = if ('1'..='9').contains(&c) { '0' } else { c };
    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    *last = Last::Other;
}

/// `s[-1:] in _ENDS or (s[-1:] in _CLOSERS and s.rstrip(_CLOSERS)[-1:] in _ENDS)`.
fn sentence_end(s: &str) -> bool {
    match s.chars().next_back() {
        Some(c) if ENDS.contains(&c) => true,
        Some(c) if CLOSERS.contains(&c) => s
            .trim_end_matches(CLOSERS)
            .chars()
            .next_back()
            .is_some_and(|c| ENDS.contains(&c)),
        _ => false,
    }
}

/// `". " in s or "? " in s or "! " in s or "。" in s`, in one pass over the bytes.
fn has_sentence_break(s: &str) -> bool {
    let b = s.as_bytes();
    // a fold over every pair without an early exit, which vectorises
    let broken = b.iter().zip(b.iter().skip(1)).fold(false, |hit, (&a, &c)| {
        hit | ((c == b' ') & matches!(a, b'.' | b'?' | b'!'))
    });
    broken || (!s.is_ascii() && s.contains('。'))
}

/// [`has_sentence_break`] as features.py says it: its reference.
#[cfg(test)]
fn has_sentence_break_by_find(s: &str) -> bool {
    s.contains(". ") || s.contains("? ") || s.contains("! ") || s.contains('。')
}

/// `k.count(" 0") + (k[0] == "0") if "0" in k else 0`: numeric tokens of a key.
fn numbers(k: &str) -> usize {
    let b = k.as_bytes();
    // most keys hold no digit: each "0" found by memchr, its byte before looked at
    let inner = memchr::memchr_iter(b'0', b)
        .filter(|&at| at > 0 && b[at - 1] == b' ')
        .count();
    inner + usize::from(b.first() == Some(&b'0'))
}

/// How many bytes of `bytes` are `wanted`: counted in byte-wide lanes, 255
/// bytes at a time, which vectorises sixteen or more to an instruction
/// (a count into a usize widened every byte to eight).
fn count_bytes(bytes: &[u8], wanted: impl Fn(u8) -> bool + Copy) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(wanted(b)))))
        .sum()
}

/// features.py `_code_shares` for one line of `chars` code points.
fn code_share(s: &str, chars: usize, settings: &Settings) -> f64 {
    if chars < settings.code_min_chars || chars == 0 {
        return 0.0;
    }
    // `line.count(" ") <= space_share * chars`: an int against a float, as Python compares them
    let spaces = count_bytes(s.as_bytes(), |b| b == b' ');
    if (spaces as f64) > settings.code_max_space_share * chars as f64 {
        return 0.0;
    }
    // Counts below 2**53 convert exactly, so the division rounds as Python's int / int does.
    // (the marks are ASCII, and no other character's UTF-8 holds an ASCII
    // byte: counting bytes is counting characters)
    count_bytes(s.as_bytes(), is_code_mark) as f64 / chars as f64
}

/// Whether `b` is one of CODE_MARKS.
fn is_code_mark(b: u8) -> bool {
    matches!(
        b,
        b'{' | b'}' | b'[' | b']' | b'(' | b')' | b';' | b':' | b'=' | b'<' | b'>' | b'"' | b'\\' | b'|'
    )
}

/// `len([t for t in _KEY_SPACE.split(s) if t and t[0].isupper()]) / w if 0
/// < w <= menu_max_words and not s[0].isdigit() else 0.0`: the words are cut
/// where the key has its spaces, as `words` counts them, so the share is at
/// most 1.
pub(crate) fn capital_share(s: &str, words: usize, settings: &Settings) -> f64 {
    if words == 0 || words > settings.menu_max_words || s.chars().next().is_some_and(pystr::is_digit) {
        return 0.0;
    }
    capitals(s) as f64 / words as f64
}

/// The words of `s` (cut where its key has spaces) that open with a capital.
fn capitals(s: &str) -> usize {
    if !s.is_ascii() {
        return capitals_by_char(s);
    }
    // ASCII: a capital after a key space, or first
    let b = s.as_bytes();
    let first = usize::from(b.first().is_some_and(u8::is_ascii_uppercase));
    first
        + b.windows(2)
            .filter(|w| w[1].is_ascii_uppercase() && is_key_space(char::from(w[0])))
            .count()
}

/// [`capitals`] on any text: the reference of its ASCII fast path.
fn capitals_by_char(s: &str) -> usize {
    s.split(is_key_space)
        .filter(|t| t.chars().next().is_some_and(pystr::is_upper))
        .count()
}

/// features.py `_KEY_SPACE`: what a line's key has a space for (a space,
/// an odd space or a block's own line break).
fn is_key_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\n' | '\t' | '\x0b' | '\x0c' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// features.py `_unspaced` on the first `SAMPLE` characters of the lines
/// joined by "\n": not ASCII, and more than `unspaced_min_share` of the first
/// 4000 characters other than spaces and line breaks are of a script written
/// without spaces (language.py `_UNSPACED`). A block's own line breaks, made
/// spaces in the reference, are left out of the count either way.
pub(crate) fn unspaced(lines: &[&str], settings: &Settings) -> bool {
    if !sample_has_non_ascii(lines) {
        return false;
    }
    let (mut head, mut blanks, mut hits) = (0usize, 0usize, 0usize);
    for (i, s) in lines.iter().enumerate() {
        if i > 0 && head < SHARE_SAMPLE {
            head += 1; // the "\n" between two lines
            blanks += 1;
        }
        let left = SHARE_SAMPLE - head;
        if left == 0 {
            break;
        }
        if s.is_ascii() {
            // no unspaced script in ASCII: count the spaces, a byte at a time
            let part = &s.as_bytes()[..s.len().min(left)];
            head += part.len();
            blanks += count_bytes(part, |b| b == b' ' || b == b'\n');
        } else if let Some(n) = Some(s.chars().count()).filter(|&n| n <= left) {
            // the whole line is in the sample: counted by byte, the
            // characters of those scripts by their lead bytes
            head += n;
            blanks += count_bytes(s.as_bytes(), |b| b == b' ' || b == b'\n');
            hits += unspaced_chars(s.as_bytes());
        } else {
            for c in s.chars().take(left) {
                head += 1;
                blanks += usize::from(c == ' ' || c == '\n');
                hits += usize::from(is_unspaced_script(c));
            }
        }
    }
    let letters = head - blanks;
    letters > 0 && hits as f64 / letters as f64 > settings.unspaced_min_share
}

/// How many characters of the UTF-8 `b` are [`is_unspaced_script`]: all of
/// them are 3 bytes long (U+0E00 to U+FFEF), so only a lead byte E0-EF
/// starts one, and the others need no decoding.
fn unspaced_chars(b: &[u8]) -> usize {
    // most lines hold none of those lead bytes (E2 leads the quotes and
    // dashes of Latin text): a fold without an early exit, which vectorises
    let leads = b
        .iter()
        .fold(false, |any, &x| any | matches!(x, 0xe0 | 0xe1 | 0xe3..=0xe9 | 0xef));
    if !leads {
        return 0;
    }
    let mut hits = 0;
    for (k, &lead) in b.iter().enumerate() {
        if lead & 0xf0 == 0xe0 {
            let c = u32::from(lead & 0x0f) << 12 | u32::from(b[k + 1] & 0x3f) << 6 | u32::from(b[k + 2] & 0x3f);
            hits += usize::from(char::from_u32(c).is_some_and(is_unspaced_script));
        }
    }
    hits
}

/// `not sample.isascii()` for the first SAMPLE characters of the lines
/// joined by "\n".
fn sample_has_non_ascii(lines: &[&str]) -> bool {
    let mut left = SAMPLE;
    for (i, s) in lines.iter().enumerate() {
        if i > 0 {
            left -= 1; // the "\n"
        }
        if left == 0 {
            return false;
        }
        // before the first non-ASCII byte, characters are bytes
        match s.bytes().position(|b| !b.is_ascii()) {
            Some(at) => return at < left,
            None if s.len() >= left => return false,
            None => left -= s.len(),
        }
    }
    false
}

/// language.py `_UNSPACED`: Han, kana, their punctuation and full-width
/// forms, Thai, Lao, Khmer and Myanmar.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{0e00}'..='\u{0eff}' | '\u{1000}'..='\u{109f}' | '\u{1780}'..='\u{17ff}' | '\u{3000}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// `sorted(range(n), key=chars.__getitem__, reverse=True)[:6]`: Python's sort
/// is stable also when reversed, so equal lengths keep their order.
pub(crate) fn longest(chars: &[usize]) -> Vec<usize> {
    let mut top: Vec<usize> = Vec::with_capacity(LONGEST + 1);
    for (i, &c) in chars.iter().enumerate() {
        // insert after every kept line at least as long: ties stay in order
        let at = top.partition_point(|&j| chars[j] >= c);
        if at < LONGEST {
            top.insert(at, i);
            top.truncate(LONGEST);
        }
    }
    top
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Settings for the tests here, in prefilter.rs and in decide/page.rs.
    pub(crate) const SETTINGS: Settings = Settings {
        code_min_chars: 10,
        code_max_space_share: 0.1,
        unspaced_min_share: 0.3,
        menu_max_words: 6,
        prose_min_words: 3,
        stop_max_chars: 400.0,
    };

    /// Every line of up to `most` of `chars`, for tests of a fast path
    /// against its character-by-character reference.
    pub(crate) fn lines_of(chars: &[&str], most: usize) -> Vec<String> {
        let mut lines = vec![String::new()];
        for _ in 0..most {
            let longer: Vec<String> = lines
                .iter()
                .flat_map(|l| chars.iter().map(move |c| format!("{l}{c}")))
                .collect();
            lines.extend(longer);
        }
        lines
    }

    fn keys(m: &Measures) -> Vec<&str> {
        m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect()
    }

    /// A line's key a character at a time: the reference of push_key's fast paths.
    fn key_by_char(s: &str, inner_breaks: bool) -> String {
        let (mut out, mut last) = (Vec::new(), Last::Other);
        pystr::lower_each(s, |c| fold(&mut out, &mut last, c, inner_breaks));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn keys_of_runs_are_keys_char_by_char() {
        let chars = [
            "A", "b", "7", " ", "\t", "\n", "\r", "É", "Σ", "İ", "\u{a0}", "\u{3000}", "ß", "-", "é", "一", "\u{2003}",
        ];
        let lines = lines_of(&chars, 4);
        for line in &lines {
            for inner_breaks in [false, true] {
                let mut key = Vec::new();
                push_key(&mut key, line, inner_breaks);
                assert_eq!(
                    String::from_utf8(key).unwrap(),
                    key_by_char(line, inner_breaks),
                    "{line:?}"
                );
            }
        }
    }

    #[test]
    fn ascii_runs_end_at_the_first_other_byte() {
        for line in lines_of(&["a", "é", " ", "\u{2019}", "abcdefg"], 4) {
            let b = line.as_bytes();
            assert_eq!(
                ascii_len(b),
                b.iter().position(|b| !b.is_ascii()).unwrap_or(b.len()),
                "{line:?}"
            );
        }
    }

    #[test]
    fn code_marks_are_counted_by_byte_as_by_char() {
        for b in 0..=127u8 {
            assert_eq!(is_code_mark(b), CODE_MARKS.contains(&char::from(b)), "{b}");
        }
        assert!(CODE_MARKS.iter().all(char::is_ascii));
    }

    #[test]
    fn byte_folds_agree_with_their_scans() {
        let chars = [" ", "\t", "\n", "\x0b", "\x0c", "a", ".", "?", "!", "é", "。", "\u{a0}"];
        let lines = lines_of(&chars, 4);
        for line in &lines {
            if line.is_ascii() {
                let mut out = b"x".to_vec();
                let taken = push_plain(&mut out, line.as_bytes());
                assert_eq!(taken, is_plain_ascii_by_scan(line.as_bytes()), "{line:?}");
                assert_eq!(out.len(), 1 + if taken { line.len() } else { 0 }, "{line:?}");
            }
            assert_eq!(has_sentence_break(line), has_sentence_break_by_find(line), "{line:?}");
        }
    }

    #[test]
    fn numbers_are_counted_by_pairs_as_by_windows() {
        for key in lines_of(&["0", " ", "a", "00", "é"], 4) {
            let b = key.as_bytes();
            let by_windows = b.windows(2).filter(|w| w == b" 0").count() + usize::from(b.first() == Some(&b'0'));
            assert_eq!(numbers(&key), by_windows, "{key:?}");
        }
    }

    #[test]
    fn bytes_are_counted_past_a_lane_s_255() {
        for n in [0, 1, 254, 255, 256, 600] {
            let line = " a".repeat(n);
            assert_eq!(count_bytes(line.as_bytes(), |b| b == b' '), n);
        }
    }

    #[test]
    fn blocks_without_lengths_are_the_lines() {
        for text in ["", "\n", "a\n\nb", "a\n", "\né\nb"] {
            assert_eq!(
                blocks(text, None).unwrap(),
                text.split('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn keys_fold_case_digits_and_spacing_as_re_sub_does() {
        let m = measure("Hello  World 2024\n a\u{a0}\u{a0}b \tc\t  d", None, &SETTINGS, None).unwrap();
        assert_eq!(keys(&m), ["hello world 0000", "a b  c  d"]);
        assert_eq!(m.numbers, [1, 0]);
        assert_eq!(m.words, [3, 6]); // the tab after a space leaves two spaces
    }

    #[test]
    fn blocks_cut_by_lengths_keep_their_line_breaks() {
        let text = "a\nb\nc";
        assert_eq!(blocks(text, Some(&[3, 1])).unwrap(), ["a\nb", "c"]);
        assert_eq!(blocks(text, Some(&[2, 1])), Err(LengthMismatch));
        assert_eq!(blocks("", Some(&[])).unwrap(), Vec::<&str>::new());
        let m = measure(text, Some(&[3, 1]), &SETTINGS, None).unwrap();
        assert_eq!(keys(&m), ["a b", "c"]);
    }

    #[test]
    fn lines_are_stripped_of_python_white_space_and_counted_in_code_points() {
        let text = "\x1c  Ünïcödé.\u{85}";
        let m = measure(text, None, &SETTINGS, None).unwrap();
        let (a, b) = m.stripped[0];
        assert_eq!(&text[a..b], "Ünïcödé.");
        assert_eq!(m.chars, [8]);
        assert_eq!(m.sentence_end, [true]);
    }

    #[test]
    fn capitals_of_ascii_lines_are_counted_as_of_any_line() {
        let chars = [
            " ", "\t", "\r", "\x1c", "\n", "A", "b", "Z", "\x0b", "1", "\u{a0}", "\u{2028}", "É",
        ];
        let lines = lines_of(&chars, 4);
        for line in lines.iter().filter(|l| l.is_ascii()) {
            assert_eq!(capitals(line), capitals_by_char(line), "{line:?}");
        }
        assert_eq!(capitals_by_char("A\rB\u{2028}C D\u{a0}É"), 3);
    }

    #[test]
    fn shares_never_exceed_one() {
        let lists = StopLists::new(&[vec!["the", "and", "was", "with", "cat", "dog"]]);
        let prose = "The cat was with the dog and the house";
        let text = format!("{prose}\n{prose}\nA\rB\x1cC\u{2028}D\nthe\rthe\u{85}the the the");
        let m = measure(&text, None, &SETTINGS, Some(&lists)).unwrap();
        assert_eq!(m.words[2..], [1, 3]);
        assert_eq!(m.capital_share[2], 1.0);
        assert_eq!(m.stop_share[3], 2.0 / 3.0); // "the\rthe\u{85}the" is one word, no stop word
    }

    #[test]
    fn unspaced_characters_are_counted_by_lead_byte_as_by_char() {
        let chars = [
            "a",
            " ",
            "é",
            "\u{e00}",
            "\u{dff}",
            "\u{109f}",
            "\u{10a0}",
            "\u{2019}",
            "\u{3000}",
            "\u{4e00}",
            "\u{ffef}",
            "\u{fff0}",
            "\u{1f600}",
            "\u{ffff}",
        ];
        for line in lines_of(&chars, 4) {
            let by_char = line.chars().filter(|&c| is_unspaced_script(c)).count();
            assert_eq!(unspaced_chars(line.as_bytes()), by_char, "{line:?}");
        }
    }

    #[test]
    fn longest_lines_longest_first_ties_in_order() {
        assert_eq!(longest(&[1, 5, 3, 5, 0, 9, 2, 5, 5]), [5, 1, 3, 7, 8, 2]);
    }

    #[test]
    fn sentence_ends_look_through_closing_marks() {
        assert!(sentence_end("He said \"yes.\")"));
        assert!(!sentence_end("(yes)"));
        assert!(!sentence_end(""));
    }

    #[test]
    fn the_script_sample_is_the_first_characters() {
        let cjk = "漢字漢字漢字漢字漢字";
        assert!(measure(cjk, None, &SETTINGS, None).unwrap().unspaced);
        // beyond the sample: ASCII
        let late = format!("{}\n{cjk}", "a".repeat(SAMPLE));
        assert!(!measure(&late, None, &SETTINGS, None).unwrap().unspaced);
        assert!(sample_has_non_ascii(&["a".repeat(SAMPLE - 2).as_str(), "é"]));
        assert!(!sample_has_non_ascii(&["a".repeat(SAMPLE - 1).as_str(), "é"]));
    }

    #[test]
    fn the_language_and_its_stop_shares() {
        let lists = StopLists::new(&[vec!["the", "and", "was", "with"], vec!["der", "und", "die"]]);
        let m = measure(
            "The cat was with the dog and the house\nshort",
            None,
            &SETTINGS,
            Some(&lists),
        )
        .unwrap();
        assert_eq!(m.language, Some(0));
        assert_eq!(m.stop_share, [6.0 / 9.0, 0.0]);
    }
}
