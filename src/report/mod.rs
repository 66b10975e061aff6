//! Report: what chintuck tells a person or a script about what it saw.
//!
//! `frame` turns one analysed frame into the JSON line and the human summary
//! that `chintuck analyze` prints; `annotate` draws the skeleton for
//! `--annotate`.

pub mod annotate;
pub mod frame;
pub mod html;
pub mod period;
pub mod tune;
