//! The fuzz targets' entry points: the same as the arbitrary-bytes property
//! tests of `cargo test` use (tests/cli/feed.rs).

#[path = "../../tests/cli/feed.rs"]
mod feed;

pub use feed::*;
