//! Measures the masking on `tests/fixtures/comments/corpus.json` (written by
//! `make_corpus.py` next to it): recall per kind of planted span and the share
//! of clean words wrongly masked, with DESIGN §8's floors asserted. Run
//! `cargo test --release --offline --lib comments::corpus -- --nocapture` to
//! see the figures.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Masker, tokenize};

#[derive(Deserialize)]
struct Record {
    text: String,
    planted: Vec<(String, usize, usize)>,
}

/// Every name of every year in the org.csv files the corpus plants from.
pub(super) fn org_names() -> Vec<String> {
    let mut names = Vec::new();
    for file in [include_str!("../../sample-data/org.csv"), include_str!("../../tests/fixtures/valid/org.csv")] {
        let mut reader = csv::Reader::from_reader(file.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let column = headers.iter().position(|h| h == "name").unwrap();
        for row in reader.records() {
            names.push(row.unwrap()[column].to_string());
        }
    }
    names.sort();
    names.dedup();
    names
}

struct Figures {
    /// kind → (planted, masked)
    recall: BTreeMap<String, (usize, usize)>,
    clean_words: usize,
    clean_masked: usize,
    clean_comments: usize,
    clean_comments_changed: usize,
    misses: Vec<String>,
    false_masks: Vec<String>,
}

fn measure(masker: &Masker) -> Figures {
    let records: Vec<Record> = serde_json::from_str(include_str!("../../tests/fixtures/comments/corpus.json")).unwrap();
    assert!(records.len() >= 200, "the corpus has {} comments", records.len());
    let mut figures = Figures {
        recall: BTreeMap::new(),
        clean_words: 0,
        clean_masked: 0,
        clean_comments: 0,
        clean_comments_changed: 0,
        misses: Vec::new(),
        false_masks: Vec::new(),
    };
    for record in &records {
        let masked = masker.mask(&record.text);
        let covered =
            |start: usize, end: usize| (start..end).all(|b| masked.spans.iter().any(|s| s.range.contains(&b)));
        let touched =
            |start: usize, end: usize| masked.spans.iter().any(|s| s.range.start < end && start < s.range.end);
        for (kind, start, end) in &record.planted {
            let entry = figures.recall.entry(kind.clone()).or_default();
            entry.0 += 1;
            if covered(*start, *end) {
                entry.1 += 1;
            } else {
                figures.misses.push(format!("{kind} {:?} in {}", &record.text[*start..*end], masked.text));
            }
        }
        let planted = |start: usize, end: usize| record.planted.iter().any(|(_, s, e)| *s < end && start < *e);
        for token in tokenize(&record.text).unwrap() {
            let (start, end) = (token.range.start, token.range.end);
            if token.pos() == "記号" || planted(start, end) {
                continue;
            }
            figures.clean_words += 1;
            if touched(start, end) {
                figures.clean_masked += 1;
                figures.false_masks.push(format!("{:?} in {}", token.surface, masked.text));
            }
        }
        if record.planted.is_empty() {
            figures.clean_comments += 1;
            if !masked.spans.is_empty() {
                figures.clean_comments_changed += 1;
            }
        }
    }
    figures
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 100.0 } else { 100.0 * part as f64 / whole as f64 }
}

#[test]
fn masking_recall_and_false_masks_on_the_corpus() {
    let masker = Masker::new(&org_names()).unwrap();
    let figures = measure(&masker);
    println!("kind          planted  masked  recall");
    for (kind, (planted, masked)) in &figures.recall {
        println!("{kind:<13} {planted:>7} {masked:>7} {:>6.1} %", percent(*masked, *planted));
    }
    println!(
        "clean words wrongly masked: {} of {} ({:.1} %); clean comments changed: {} of {}",
        figures.clean_masked,
        figures.clean_words,
        percent(figures.clean_masked, figures.clean_words),
        figures.clean_comments_changed,
        figures.clean_comments
    );
    for miss in &figures.misses {
        println!("missed: {miss}");
    }
    for word in &figures.false_masks {
        println!("masked clean word: {word}");
    }
    let recall = |kind: &str| {
        let (planted, masked) = figures.recall.get(kind).copied().unwrap_or_default();
        assert!(planted > 0, "no {kind} planted");
        percent(masked, planted)
    };
    for kind in ["department", "title_name", "phone", "mail"] {
        assert_eq!(recall(kind), 100.0, "{kind}: every planted one must be masked");
    }
    assert!(recall("person") >= 95.0, "person names: {:.1} %", recall("person"));
    assert!(
        percent(figures.clean_masked, figures.clean_words) <= 5.0,
        "clean words wrongly masked: {:.1} %",
        percent(figures.clean_masked, figures.clean_words)
    );
}

#[test]
fn a_masked_draft_has_nothing_left_to_mask() {
    let masker = Masker::new(&org_names()).unwrap();
    let records: Vec<Record> = serde_json::from_str(include_str!("../../tests/fixtures/comments/corpus.json")).unwrap();
    for record in records {
        let masked = masker.mask(&record.text);
        assert!(!masker.finds_maskable(&masked.text), "{} → {:?}", masked.text, masker.mask(&masked.text));
    }
}
