//! A text page's blocks and its rendered output: blocks.py `split_text`
//! (with `normalise_newlines`) and render.py `render`, so that Python makes
//! no object per line on the text path.
//!
//! The Python functions are the specification; tests/test_core_pipeline.py
//! compares [`split`] with `split_text` on generated pages.

use crate::pystr;

/// A text page cut into blocks, one per non-blank line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Blocks {
    /// The blocks' text joined by "\n" (no block holds a "\n").
    pub joined: String,
    /// Each block's span in `joined`.
    pub spans: Vec<(usize, usize)>,
    /// Each block's line number in the page, from 1 (`Block.first_line`).
    pub lines: Vec<usize>,
    /// Whether a blank line comes before the block (`Block.gap_before`; never the first's).
    pub gaps: Vec<bool>,
}

/// `split_text(text)`: the lines of `text` cut at "\r\n", "\r" and "\n",
/// the blank ones (empty or all `str.isspace`) left out.
///
/// Cost: one pass over the text and one copy of the non-blank lines.
pub fn split(text: &str) -> Blocks {
    // room for lines of 64 bytes: most pages need no growth
    let room = text.len() / 64 + 1;
    let mut out = Blocks {
        joined: String::with_capacity(text.len()),
        spans: Vec::with_capacity(room),
        lines: Vec::with_capacity(room),
        gaps: Vec::with_capacity(room),
    };
    let mut previous: Option<usize> = None;
    for (n, line) in lines(text).enumerate() {
        if line.is_empty() || line.chars().all(pystr::is_space) {
            continue;
        }
        if !out.spans.is_empty() {
            out.joined.push('\n');
        }
        let start = out.joined.len();
        out.joined.push_str(line);
        out.spans.push((start, out.joined.len()));
        out.lines.push(n + 1);
        out.gaps.push(previous.is_some_and(|p| n - p > 1));
        previous = Some(n);
    }
    out
}

/// The lines of `text` after `normalise_newlines`: cut at "\r\n", a lone
/// "\r" and "\n", the last one possibly empty (as `str.split("\n")`).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let rest = &bytes[at..];
        // memchr2 compares many bytes at a time, where a plain loop took
        // one (a page is mostly long lines)
        match memchr::memchr2(b'\n', b'\r', rest) {
            None => {
                done = true;
                Some(&text[at..])
            }
            Some(k) => {
                let line = &text[at..at + k];
                let crlf = rest[k] == b'\r' && rest.get(k + 1) == Some(&b'\n');
                at += k + if crlf { 2 } else { 1 };
                Some(line)
            }
        }
    })
}

/// `render(blocks, verdicts)`: the kept blocks in order, joined by "\n",
/// or by "\n\n" where a blank line came before a kept block or before a
/// dropped one since the last kept block.
/// `joined` is the blocks' text (`blocks.joined`, or where it was moved to).
pub fn render(joined: &str, blocks: &Blocks, keep: impl IntoIterator<Item = bool>) -> String {
    let mut out = String::with_capacity(joined.len());
    let mut started = false;
    let mut gap = false;
    for ((&(a, b), &gap_before), keep) in blocks.spans.iter().zip(&blocks.gaps).zip(keep) {
        gap = gap || gap_before;
        if !keep {
            continue;
        }
        if started {
            out.push_str(if gap { "\n\n" } else { "\n" });
        }
        out.push_str(&joined[a..b]);
        started = true;
        gap = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(b: &Blocks) -> Vec<&str> {
        b.spans.iter().map(|&(a, e)| &b.joined[a..e]).collect()
    }

    #[test]
    fn blank_lines_are_left_out_and_make_gaps() {
        let b = split("a\r\n\r\n  \t\nb\rc\n\u{3000}\n d \n");
        assert_eq!(texts(&b), ["a", "b", "c", " d "]);
        assert_eq!(b.lines, [1, 4, 5, 7]);
        assert_eq!(b.gaps, [false, true, false, true]);
        assert_eq!(b.joined, "a\nb\nc\n d ");
    }

    #[test]
    fn other_breaks_stay_inside_a_line() {
        let b = split("x\u{0b}y\u{2028}z\n\u{0c}");
        assert_eq!(texts(&b), ["x\u{0b}y\u{2028}z"]);
    }

    #[test]
    fn an_empty_page_has_no_blocks() {
        assert_eq!(split(""), Blocks::default());
        assert_eq!(split("\n \r\n").spans.len(), 0);
    }

    #[test]
    fn render_keeps_paragraphs_across_dropped_blocks() {
        let b = split("a\nb\n\nc\nd\n\ne");
        assert_eq!(
            render(&b.joined, &b, [true, true, true, true, true]),
            "a\nb\n\nc\nd\n\ne"
        );
        assert_eq!(render(&b.joined, &b, [true, false, false, true, true]), "a\n\nd\n\ne");
        assert_eq!(render(&b.joined, &b, [false, false, true, false, true]), "c\n\ne");
        assert_eq!(render(&b.joined, &b, [false; 5]), "");
    }
}
