//! chintuck: a webcam posture monitor.
//!
//! The crate is laid out by pipeline stage. Each stage has a small trait or type
//! at its door (`capture::FrameSource`, `pose::PoseEstimator`) and the
//! implementations behind it, so the binary only wires stages together and
//! tests can drive any stage with plain data.

pub mod alert;
pub mod capture;
pub mod coach;
pub mod config;
pub mod control;
pub mod monitor;
pub mod pose;
pub mod posture;
pub mod report;
pub mod store;
