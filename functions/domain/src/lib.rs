//! The rules of the service, independent of Spin and of HTTP plumbing.
//!
//! Compiled into every component (wasm32-wasip2) and unit-tested natively.
//! Components stay thin adapters: they parse requests into these types, call
//! these rules, and render the results.

pub mod health;
pub mod lang;
pub mod problem;
