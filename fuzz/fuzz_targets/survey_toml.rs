//! Any bytes as survey.toml.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ishiki_fuzz::survey_toml(data));
