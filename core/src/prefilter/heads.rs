//! The prefix keys of one rule group as a byte trie: the table a line's
//! head is looked up in (`RuleIndex.candidates`).
//!
//! A line's head meets the entries that are its first 1..=m characters (every
//! beginning of an entry is an entry too), and the entry of m holds what
//! `RuleIndex.candidates` gathers. A hash table answers that with a bisection
//! of two or three lookups per line into a table of thousands of entries,
//! most of them cache misses; the trie walks the head's bytes once, through
//! a few small arrays whose top levels every line shares.

use std::collections::BTreeMap;

use super::Rank;

/// No entry, or no child.
const NONE: u32 = u32::MAX;

/// One node: its children's range in `labels` and `targets`, its entry,
/// and its table in `dense` if it has many children.
#[derive(Clone, Copy, Debug)]
struct Node {
    children: (u32, u32),
    entry: u32,
    dense: u32,
}

/// Nodes with more children than this have a table of them by byte: the
/// few near the root most lines pass through.
const SPARSE: usize = 8;

/// The entries (texts and their ranks) as a trie of their bytes.
#[derive(Debug)]
pub(super) struct Heads {
    nodes: Vec<Node>,
    /// The children's bytes, sorted within each node's range.
    labels: Vec<u8>,
    /// The children's nodes, beside their bytes.
    targets: Vec<u32>,
    /// The root's child by byte (NONE: none): every line looks there first.
    root: Box<[u32; 256]>,
    /// The tables of the nodes with many children, by byte (NONE: none).
    dense: Vec<[u32; 256]>,
    /// Per entry, its ranks.
    ranks: Vec<Vec<Rank>>,
}

impl Default for Heads {
    fn default() -> Heads {
        Heads::new([])
    }
}

impl Heads {
    /// The trie of `entries`, each a non-empty text with its ranks; a text
    /// given twice keeps its last ranks.
    pub(super) fn new<'a>(entries: impl IntoIterator<Item = (&'a str, &'a Vec<Rank>)>) -> Heads {
        // built as a tree of sorted maps (children, entry), then laid out flat
        let mut tree: Vec<(BTreeMap<u8, u32>, u32)> = vec![(BTreeMap::new(), NONE)];
        let mut ranks = Vec::new();
        for (text, of) in entries {
            let mut node = 0usize;
            for &b in text.as_bytes() {
                let next = tree.len() as u32;
                let child = *tree[node].0.entry(b).or_insert(next);
                if child == next {
                    tree.push((BTreeMap::new(), NONE));
                }
                node = child as usize;
            }
            tree[node].1 = ranks.len() as u32;
            ranks.push(of.clone());
        }
        let (mut nodes, mut labels, mut targets) = (Vec::with_capacity(tree.len()), Vec::new(), Vec::new());
        let mut dense = Vec::new();
        for (children, entry) in &tree {
            let start = labels.len() as u32;
            labels.extend(children.keys());
            targets.extend(children.values());
            let mut table = NONE;
            if children.len() > SPARSE {
                let mut by_byte = [NONE; 256];
                for (&b, &child) in children {
                    by_byte[usize::from(b)] = child;
                }
                table = dense.len() as u32;
                dense.push(by_byte);
            }
            nodes.push(Node {
                children: (start, labels.len() as u32),
                entry: *entry,
                dense: table,
            });
        }
        let mut root = Box::new([NONE; 256]);
        for (&b, &child) in &tree[0].0 {
            root[usize::from(b)] = child;
        }
        Heads {
            nodes,
            labels,
            targets,
            root,
            dense,
            ranks,
        }
    }

    /// Whether there is no entry.
    pub(super) fn is_empty(&self) -> bool {
        self.ranks.is_empty()
    }

    /// The ranks of the longest entry among the first `chars` characters
    /// of `head` (1..=chars of them), if any. Cost: one step per byte of
    /// the head, each a look in a table (nodes with many children) or a
    /// scan of a few bytes.
    pub(super) fn longest(&self, head: &str, chars: usize) -> Option<&[Rank]> {
        let bytes = head.as_bytes();
        let (&first, rest) = bytes.split_first()?;
        let mut node = self.root[usize::from(first)];
        if node == NONE {
            return None;
        }
        let mut met = self.nodes[node as usize].entry;
        let mut started = 1; // characters begun so far
        for &b in rest {
            // a byte that is no UTF-8 continuation begins a character
            if b & 0xc0 != 0x80 {
                if started == chars {
                    break;
                }
                started += 1;
            }
            node = self.child(node, b);
            if node == NONE {
                break;
            }
            let entry = self.nodes[node as usize].entry;
            if entry != NONE {
                met = entry;
            }
        }
        (met != NONE).then(|| self.ranks[met as usize].as_slice())
    }

    /// The child of `node` by byte `b`, or NONE.
    fn child(&self, node: u32, b: u8) -> u32 {
        let node = self.nodes[node as usize];
        if node.dense != NONE {
            return self.dense[node.dense as usize][usize::from(b)];
        }
        let (a, z) = (node.children.0 as usize, node.children.1 as usize);
        match self.labels[a..z].iter().position(|&l| l == b) {
            Some(k) => self.targets[a + k],
            None => NONE,
        }
    }
}
