//! Raw V4L2 bindings: upstream `v4l2-sys-mit` 0.3.0, with the bindgen output committed
//! instead of generated at build time, so a build needs no libclang.
//!
//! `v4l2_bindings.rs` is bindgen 0.65.1's output for `wrapper.h` (`linux/videodev2.h`) on
//! x86-64 Linux, byte for byte what the upstream build script produces there. The layout is
//! the same on every 64-bit Linux (LP64); bindgen's layout tests check it when this crate is
//! tested. Other targets need regenerated bindings: `tools/regen-v4l2-bindings.sh`.
#![allow(clippy::all)]
#![allow(deref_nullptr)]
#![allow(non_camel_case_types)]
#![allow(non_snake_case)]
#![allow(non_upper_case_globals)]

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
compile_error!(
    "the pregenerated V4L2 bindings are for 64-bit Linux: run tools/regen-v4l2-bindings.sh \
     on this target (needs libclang and bindgen-cli 0.65.1), or build chintuck with \
     --no-default-features (no live camera)"
);

include!("v4l2_bindings.rs");
