//! Times the core's per-page read (measures and rule candidates) without
//! Python, over a folder written by a dump of a Cleaner's inputs:
//! `cargo run --release --example read_files -- DIR [PASSES]`, DIR holding
//! `stop.txt` (per language its words, hex UTF-8, space-separated),
//! `spec.txt` (the prefilter's groups) and the pages `NNN.txt` (with
//! `NNN.len` for block lengths when a block holds a line break).
use std::path::Path;
use std::time::Instant;

use _core::language::StopLists;
use _core::measure::{measure, Settings};
use _core::prefilter::{GroupSpec, Prefilter};

fn unhex(s: &str) -> String {
    let bytes: Vec<u8> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect();
    String::from_utf8(bytes).expect("UTF-8")
}

fn ranks(s: &str) -> Vec<u32> {
    s.split(',')
        .filter(|r| !r.is_empty())
        .map(|r| r.parse().expect("rank"))
        .collect()
}

fn specs(text: &str) -> (Vec<GroupSpec>, String) {
    let (mut groups, mut trim) = (Vec::new(), String::new());
    for line in text.lines() {
        let (head, rest) = line.split_once(' ').unwrap_or((line, ""));
        let mut words = rest.split(' ').filter(|w| !w.is_empty());
        if head == "group" {
            groups.push(GroupSpec::default());
            continue;
        }
        if head == "trim" {
            trim = unhex(rest);
            continue;
        }
        let g: &mut GroupSpec = groups.last_mut().expect("a group first");
        match head {
            "bounds" => {
                g.bounds = words
                    .map(|w| {
                        let (a, b) = w.split_once(':').expect("a:b");
                        (a.parse().expect("min"), b.parse().ok())
                    })
                    .collect()
            }
            "phrase" | "prefix" => {
                let s = unhex(words.next().unwrap_or(""));
                let r = ranks(words.next().unwrap_or(""));
                if head == "phrase" {
                    g.phrases.push((s, r))
                } else {
                    g.prefixes.push((s, r))
                }
            }
            "plit" | "lit" => {
                let r: u32 = words.next().expect("rank").parse().expect("rank");
                let ls = words.map(unhex).collect();
                if head == "plit" {
                    g.prefix_literals.push((r, ls))
                } else {
                    g.literal_rules.push((r, ls))
                }
            }
            "every" => g.everywhere = words.map(|w| w.parse().expect("rank")).collect(),
            _ => panic!("unknown line {line}"),
        }
    }
    (groups, trim)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(&args[1]);
    let passes: usize = args.get(2).map_or(7, |p| p.parse().expect("passes"));
    let lists: Vec<Vec<String>> = std::fs::read_to_string(dir.join("stop.txt"))
        .expect("stop.txt")
        .lines()
        .map(|l| l.split(' ').filter(|w| !w.is_empty()).map(unhex).collect())
        .collect();
    let stops = StopLists::new(&lists);
    let (groups, trim) = specs(&std::fs::read_to_string(dir.join("spec.txt")).expect("spec.txt"));
    let prefilter = Prefilter::new(&groups, &trim).expect("good ranks");
    let mut pages: Vec<(String, Option<Vec<usize>>)> = Vec::new();
    for i in 0.. {
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{i:03}.txt"))) else {
            break;
        };
        let lengths = std::fs::read_to_string(dir.join(format!("{i:03}.len")))
            .ok()
            .map(|l| l.split(' ').map(|n| n.parse().expect("length")).collect());
        pages.push((text, lengths));
    }
    let settings = Settings {
        code_min_chars: 150,
        code_max_space_share: 0.1,
        unspaced_min_share: 0.2,
        menu_max_words: 8,
        prose_min_words: 8,
        stop_max_chars: 250.0,
    };
    let bytes: usize = pages.iter().map(|(t, _)| t.len()).sum();
    let (mut best_m, mut best_p) = (f64::MAX, f64::MAX);
    for _ in 0..passes {
        let (mut m_time, mut p_time) = (0.0, 0.0);
        for (text, lengths) in &pages {
            let start = Instant::now();
            let m = measure(text, lengths.as_deref(), &settings, Some(&stops)).expect("lengths cut");
            m_time += start.elapsed().as_secs_f64();
            let start = Instant::now();
            let lines: Vec<&str> = m.stripped.iter().map(|&(a, b)| &text[a..b]).collect();
            let keys: Vec<&str> = m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect();
            std::hint::black_box(prefilter.candidates_measured(&lines, &m.chars, &keys));
            p_time += start.elapsed().as_secs_f64();
        }
        best_m = best_m.min(m_time);
        best_p = best_p.min(p_time);
    }
    println!(
        "{} pages, {:.2} MB: measure {:.2} ms, candidates {:.2} ms, {:.0} MB/s",
        pages.len(),
        bytes as f64 / 1e6,
        best_m * 1e3,
        best_p * 1e3,
        bytes as f64 / 1e6 / (best_m + best_p)
    );
}
