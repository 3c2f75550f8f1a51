//! Shared benchmark inputs.

pub mod traffic;
