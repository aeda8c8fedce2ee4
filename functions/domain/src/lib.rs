//! The rules of the service, independent of Spin and of HTTP plumbing.
//!
//! Compiled into every component (wasm32-wasip2) and unit-tested natively.
//! Components stay thin adapters: they parse requests into these types, call
//! these rules, and render the results.

pub mod agency;
pub mod attachment;
pub mod calendar;
pub mod embed;
pub mod event;
pub mod category;
pub mod client_address;
pub mod codes;
pub mod command;
pub mod conditional;
pub mod contact;
pub mod cursor;
pub mod fields;
pub mod follow;
pub mod encoding;
pub mod engagement;
pub mod health;
pub mod idempotency;
pub mod impersonation;
pub mod invalid;
pub mod lang;
pub mod lifecycle;
pub mod message;
pub mod location;
pub mod notification;
pub mod open311;
pub mod otp;
pub mod privacy;
pub mod rate_limit;
pub mod problem;
pub mod report;
pub mod routes;
pub mod seed;
pub mod session;
pub mod sla;
pub mod staff;
pub mod stats;
pub mod text;
pub mod token;
pub mod tracking_id;
pub mod view;
pub mod when;
