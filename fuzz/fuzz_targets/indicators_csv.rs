//! Any bytes as indicators.csv.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ishiki_fuzz::indicators_csv(data));
