//! Times a page's read (split, measures, candidates) without Python:
//! `cargo run --release --example read_bench -- SPEC DIR [PASSES]`, SPEC the
//! rules' prefilter specs and the stop lists as bench/read_spec.py writes
//! them, DIR a folder of text pages. Prints the best pass of each stage.

use _core::language::StopLists;
use _core::measure::{self, Settings};
use _core::prefilter::{GroupSpec, Prefilter};
use _core::textpage;

/// This thread's CPU time in seconds (the machine may be shared: wall
/// time would count the others' turns).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap();
    stat.split(' ').next().unwrap().parse::<f64>().unwrap() / 1e9
}

fn ranks(s: &str) -> Vec<u32> {
    s.split(' ')
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().unwrap())
        .collect()
}

fn literals(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        s.split('\x1f').map(String::from).collect()
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let spec = std::fs::read_to_string(&args[1]).unwrap();
    let passes: usize = args.get(3).map_or(20, |n| n.parse().unwrap());
    let (mut specs, mut lists, mut trim) = (Vec::<GroupSpec>::new(), Vec::<Vec<String>>::new(), String::new());
    for line in spec.split('\n') {
        let f: Vec<&str> = line.splitn(3, '\t').collect();
        let g = specs.last_mut();
        match f[0] {
            "G" => specs.push(GroupSpec::default()),
            "B" => {
                let hi: i64 = f[2].parse().unwrap();
                g.unwrap()
                    .bounds
                    .push((f[1].parse().unwrap(), (hi >= 0).then_some(hi as usize)));
            }
            "P" => g.unwrap().phrases.push((f[1].into(), ranks(f[2]))),
            "K" => g.unwrap().prefixes.push((f[1].into(), ranks(f[2]))),
            "L" => g.unwrap().prefix_literals.push((f[1].parse().unwrap(), literals(f[2]))),
            "R" => g.unwrap().literal_rules.push((f[1].parse().unwrap(), literals(f[2]))),
            "E" => g.unwrap().everywhere = ranks(f.get(1).copied().unwrap_or("")),
            "S" => lists.push(literals(f[1])),
            "T" => trim = f[1].into(),
            _ => panic!("{line:?}"),
        }
    }
    let prefilter = Prefilter::new(&specs, &trim).unwrap();
    let stops = StopLists::new(&lists);
    let settings = Settings {
        code_min_chars: 30,
        code_max_space_share: 0.05,
        unspaced_min_share: 0.3,
        menu_max_words: 6,
        prose_min_words: 3,
        stop_max_chars: 400.0,
    };
    let mut pages: Vec<String> = std::fs::read_dir(&args[2])
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    pages.sort();
    let bytes: usize = pages.iter().map(String::len).sum();
    // Each stage is run `passes` times over every page and timed as a
    // whole: the clock counts in scheduler ticks.
    let per_pass = |t0: f64| (cpu() - t0) / passes as f64;
    let t0 = cpu();
    for _ in 0..passes {
        for p in &pages {
            std::hint::black_box(textpage::split(p));
        }
    }
    let split = per_pass(t0);
    let joined: Vec<String> = pages.iter().map(|p| textpage::split(p).joined).collect();
    let t0 = cpu();
    for _ in 0..passes {
        for j in &joined {
            std::hint::black_box(measure::measure(j, None, &settings, Some(&stops)).unwrap());
        }
    }
    let measured = per_pass(t0);
    let all: Vec<measure::Measures> = joined
        .iter()
        .map(|j| measure::measure(j, None, &settings, Some(&stops)).unwrap())
        .collect();
    let t0 = cpu();
    for _ in 0..passes {
        for (j, m) in joined.iter().zip(&all) {
            let lines: Vec<&str> = m.stripped.iter().map(|&(a, b)| &j[a..b]).collect();
            let keys: Vec<&str> = m.keys.iter().map(|&(a, b)| &m.key_text[a..b]).collect();
            std::hint::black_box(prefilter.candidates_measured(&lines, &m.chars, &keys));
        }
    }
    let found = per_pass(t0);
    let ms = |s: f64| s * 1e3;
    let total = split + measured + found;
    println!(
        "{} pages, {bytes} bytes: split {:.2} ms, measure {:.2} ms, candidates {:.2} ms; {:.2} ms, {:.1} MB/s",
        pages.len(),
        ms(split),
        ms(measured),
        ms(found),
        ms(total),
        bytes as f64 / total / 1e6
    );
}
