//! The module structure ARCHITECTURE.md describes: no import cycle among the
//! modules of src/ (`tools/import_cycles.py`, which names each cycle).

use std::process::Command;

#[test]
fn no_module_imports_another_that_imports_it_back() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = Command::new("python3").arg(format!("{root}/tools/import_cycles.py")).output().expect("run python3");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.starts_with("no import cycle among"), "{stdout}");
}
