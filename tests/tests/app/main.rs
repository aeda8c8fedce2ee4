//! The application's integration tests: the real `spin.toml` on the real
//! runner over real HTTP. One test binary (one link of the runner and
//! wasmtime, not one per file); each module is one area of the service, and
//! the fixtures they share live in the `integration-tests` library
//! (`tests/src`).

mod agencies;
mod api;
mod attachments;
mod browser;
mod embed;
mod categories;
mod engagement;
mod health;
mod messaging;
mod open311;
mod privacy;
mod report_form;
mod reports;
mod routes;
mod scale_out;
mod sla;
mod stats;
mod staff_console;
mod web;
mod web_actions;
mod workflow;
