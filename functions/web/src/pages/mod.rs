//! One module per page (or family of pages); each renders a typed view into
//! `crate::layout::document`. A new page: a module here, a route in
//! `lapor_domain::routes::WEB`, its arm in `crate::route`.

pub mod embed;
pub mod actions;
pub mod browse;
pub mod guide;
pub mod home;
pub mod performance;
pub mod privacy;
pub mod report_form;
pub mod tracking;
