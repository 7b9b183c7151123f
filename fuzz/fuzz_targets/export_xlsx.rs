//! Any bytes as a response export saved as .xlsx.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ishiki_fuzz::export(ishiki_fuzz::Export::Xlsx, data));
