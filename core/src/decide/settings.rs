//! The typed settings of the text decision: declutter/settings.py's
//! TextSettings, read once per Cleaner. Integer settings stay integers and
//! real ones reals, so that every comparison is the one Python makes (an
//! int against a float compares exactly in Python; every count here is far
//! below 2**53, so converting it to f64 is exact too).

/// `[signals.features]`: what measuring reads (only the part the decision's
/// second round, which measures a subset of the page again, needs).
#[derive(Clone, Debug, Default)]
pub struct Features {
    pub unspaced_min_share: f64,
    pub prose_min_words: i64,
    pub menu_max_words: i64,
    pub code_min_chars: i64,
    pub code_max_space_share: f64,
    pub stop_max_chars: f64,
}

/// `[signals.classify]`.
#[derive(Clone, Debug, Default)]
pub struct Classify {
    pub good_min_words: i64,
    pub good_min_stop_share: f64,
    pub good_min_chars_no_stopwords: i64,
    pub good_min_chars_any: i64,
    pub menu_max_words: i64,
    pub menu_min_capital_share: f64,
    pub bad_max_chars: i64,
    pub code_min_share: f64,
}

/// `[signals.region]`.
#[derive(Clone, Debug, Default)]
pub struct Region {
    pub unspaced_char_weight: f64,
    pub good_chars_per_point: f64,
    pub good_max_points: f64,
    pub good_base_points: f64,
    pub short_cost: f64,
    pub bad_cost: f64,
    pub dropped_cost: f64,
}

/// `[signals.table]`.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub min_run: i64,
    pub min_numbers: i64,
    pub min_number_share: f64,
    pub points: f64,
}

/// `[signals.repeated]`.
#[derive(Clone, Debug, Default)]
pub struct Repeated {
    pub min_count: i64,
    pub max_chars: i64,
    pub inside_min_count: i64,
    pub edge_blocks: i64,
    pub min_shared_share: f64,
    pub word_min_chars: i64,
}

/// `[signals.title]`.
#[derive(Clone, Debug, Default)]
pub struct Title {
    pub look_back: i64,
    pub min_words: i64,
    pub max_chars: i64,
    pub distance_cost: f64,
    pub in_first_line_points: f64,
    pub repeated_points: f64,
    pub no_full_stop_points: f64,
    pub anchor_search: i64,
    pub anchor_min_chars: i64,
    pub anchor_points: f64,
    pub anchor_min_share: f64,
    pub anchor_near: i64,
    pub post_max_chars: i64,
    pub post_max_lines: i64,
    pub post_min_words: i64,
}

/// `[signals.list_run]`.
#[derive(Clone, Debug, Default)]
pub struct ListRun {
    pub min_items: i64,
    pub max_items: i64,
    pub max_chars: i64,
    pub min_shared_share: f64,
    pub word_min_chars: i64,
}

/// `[signals.thread]` (its `count_rules` are marked on the rules, see
/// [`super::rules::Rule::counts`]).
#[derive(Clone, Debug, Default)]
pub struct Thread {
    pub min_posts: i64,
    pub max_chars: i64,
    pub min_words: i64,
    pub min_body_chars: i64,
    pub prose_within: i64,
    pub min_dated_numbers: i64,
}

/// TextSettings: every table the text decision reads.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub features: Features,
    pub classify: Classify,
    pub region: Region,
    pub table: Table,
    pub repeated: Repeated,
    pub title: Title,
    /// `[signals.menu_run]` min_run.
    pub menu_run_min: i64,
    /// `[signals.edges]` body_min_chars.
    pub body_min_chars: i64,
    pub list_run: ListRun,
    pub thread: Thread,
}
