//! Any bytes as org.csv.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ishiki_fuzz::org_csv(data));
