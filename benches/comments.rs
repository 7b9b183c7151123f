//! Times the comment analysis that `ishiki comments` will run: loading the
//! embedded dictionary, tokenising, and masking with keywords, on 100,000
//! comments (the masking corpus repeated), on one thread and on all cores:
//! `cargo bench --bench comments`.

use std::time::Instant;

use anyhow::{Context, Result};
use ishiki::comments::{Masker, tokenize};
use rayon::prelude::*;

#[derive(serde::Deserialize)]
struct Record {
    text: String,
}

fn main() -> Result<()> {
    let corpus: Vec<Record> = serde_json::from_str(include_str!("../tests/fixtures/comments/corpus.json"))?;
    let comments: Vec<&str> = corpus.iter().map(|r| r.text.as_str()).cycle().take(100_000).collect();
    let chars: usize = comments.iter().map(|c| c.chars().count()).sum();
    let mut reader = csv::Reader::from_path("sample-data/org.csv").context("sample-data/org.csv")?;
    let mut names = Vec::new();
    for row in reader.records() {
        names.push(row?.get(2).unwrap_or_default().to_string());
    }

    let started = Instant::now();
    ishiki::comments::tokenize::load()?;
    println!("dictionary loaded in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);
    let masker = Masker::new(&names)?;
    println!("{} comments, {:.0} characters on average", comments.len(), chars as f64 / comments.len() as f64);

    let started = Instant::now();
    let mut tokens = 0;
    for comment in &comments {
        tokens += tokenize(comment)?.len();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "tokenise, 1 thread: {seconds:.2} s, {:.0} comments/s, {:.0} tokens/s",
        comments.len() as f64 / seconds,
        tokens as f64 / seconds
    );

    let started = Instant::now();
    let masked: usize = comments.iter().map(|c| masker.analyse(c).masked.spans.len()).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "mask + keywords, 1 thread: {seconds:.2} s, {:.0} comments/s ({masked} spans)",
        comments.len() as f64 / seconds
    );

    let started = Instant::now();
    let masked: usize = comments.par_iter().map(|c| masker.analyse(c).masked.spans.len()).sum();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "mask + keywords, {} threads: {seconds:.2} s, {:.0} comments/s ({masked} spans)",
        rayon::current_num_threads(),
        comments.len() as f64 / seconds
    );
    Ok(())
}
