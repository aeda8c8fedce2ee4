//! Open311 GeoReport v2 (<http://wiki.open311.org/GeoReport_v2>): the rules
//! that let an existing 311 app file and follow reports without knowing our
//! own API.
//!
//! The spec is a thin view of what we already have: a service is a category
//! of the taxonomy, a service request is a report (its `service_request_id`
//! is the tracking ID), `open` / `closed` is a mapping of our statuses, and
//! a POST is read into the same JSON a report from any other channel is
//! (`NewReport::parse` then applies every rule). What a request shows is
//! built from the public view (`view::report_view` with `Viewer::Public`),
//! so a confidential report is as unknown here as everywhere, and no contact
//! field exists to be shown.
//!
//! One file per concern: [`format`] (the `.json` / `.xml` suffix and both
//! renderings of one document), [`xml`] (the JSON-to-XML mapping of the
//! spec's Spark convention), [`error`] (the spec's error bodies), [`key`]
//! (partner keys and their names), [`service`] (services and definitions),
//! [`request`] (a POST read into our report), [`query`] (GET filters),
//! [`status`] (open / closed), [`view`] (what a request and the discovery
//! document show).

pub mod error;
pub mod format;
pub mod key;
pub mod query;
pub mod request;
pub mod service;
pub mod status;
pub mod view;
pub mod xml;

/// The specification token of the discovery document's endpoint.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

/// Where the endpoint lives, below the service's public origin.
pub const BASE_PATH: &str = "/open311/v2";
