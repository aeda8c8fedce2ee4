//! What every component shares to talk to Spin: reading requests within
//! limits, writing responses and problems, the database with its migrations,
//! key-value records, randomness and the clock.
//!
//! Rules do not live here (they are in `lapor-domain`); this crate only
//! moves data between Spin and those rules. Its SQL may narrow what a rule
//! is asked about (the SLA sweep's candidates, `sla::sweep_candidates`), but
//! the rule decides.

pub mod auth;
pub mod calendar;
pub mod categories;
pub mod citizens;
pub mod clock;
pub mod compress;
pub mod db;
pub mod embeds;
pub mod engagement;
pub mod headers;
pub mod identity;
pub mod inbound;
pub mod intake;
pub mod multipart;
pub mod kv;
pub mod limits;
pub mod listing;
pub mod notify;
pub mod open311;
pub mod paging;
pub mod participation;
pub mod random;
pub mod reporter;
pub mod request;
pub mod response;
pub mod routes;
pub mod row;
pub mod schema;
pub mod sessions;
pub mod sign_in;
pub mod site;
pub mod sla;
pub mod staff;
pub mod staff_alerts;
pub mod stats;
pub mod store;
pub mod workflow;

pub use request::ApiRequest;
pub use response::ApiError;
