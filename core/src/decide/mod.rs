//! The text decision: declutter/decide.py, verdicts.py `settle` and the
//! Cleaner's lazy-matching and idempotence loops (cleaner.py), ported so
//! that every verdict, reason, first-pass class, round and title is the
//! Python reference's (tests/test_core_decide.py compares them).
//!
//! Input: a page's measures ([`Page`], from [`crate::measure::Measures`]),
//! the typed settings ([`Settings`]), the rules ([`Rule`]) and every hit of
//! every rule on every block ([`Hits`], given eagerly). Output: per block a
//! [`Verdict`], the title's block and the timeouts ([`Outcome`]).
//!
//! Cost: linear in the blocks per layout, a layout per lazy step (a few per
//! round), at most four rounds; no regular expression engine.

mod classify;
mod clean;
mod layout;
mod page;
mod region;
mod rules;
pub mod settings;
mod shape;
mod thread;
mod verdicts;

pub use classify::Kind;
pub use clean::Decider;
pub use page::{measure_settings, Page};
pub use rules::{Action, Hits, Late, Pair, Rule, Where};
pub use settings::Settings;
pub use verdicts::{Verdict, SIGNALS};
