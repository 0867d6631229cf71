//! Times the page measures alone, without Python, over text files:
//! `cargo run --release --example measure_files -- FILE...`
use std::time::Instant;

use _core::measure::{measure, Settings};

fn main() {
    let pages: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("readable file")).into_owned())
        .collect();
    let settings = Settings {
        code_min_chars: 200,
        code_max_space_share: 0.05,
        unspaced_min_share: 0.3,
        menu_max_words: 6,
        prose_min_words: 10,
        stop_max_chars: 400.0,
    };
    let bytes: usize = pages.iter().map(String::len).sum();
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for page in &pages {
            std::hint::black_box(measure(page, None, &settings, None).expect("no lengths to mismatch"));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{} pages, {:.2} MB: {:.1} ms, {:.0} MB/s",
        pages.len(),
        bytes as f64 / 1e6,
        best * 1e3,
        bytes as f64 / 1e6 / best
    );
}
