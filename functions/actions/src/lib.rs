//! Staff actions, applied: one function per action, called by the JSON API
//! (`workflow`, `engagement`, `calendar`, `agencies`) and by the staff console (`web`'s
//! `console`) alike, so a rule is never written twice.
//!
//! Each function takes a parsed command (`lapor_domain::command`), the
//! acting [`Principal`](lapor_domain::staff::Principal) and the report's
//! expected version (the API's `If-Match`, the console form's hidden
//! `version`), checks what the principal may do (`Principal::may`), and
//! applies the change through `lapor_platform::workflow::apply` in one
//! transaction. Adapters only turn a request into those arguments and the
//! result (or `ApiError`) into their kind of answer: JSON or a page.

pub mod accounts;
pub mod agency;
pub mod categories;
pub mod embeds;
pub mod holidays;
pub mod intake;
pub mod moderation;
pub mod notifications;
pub mod views;

/// What an action on a report did (its new status and version, and what an
/// assign or forward set): the API's answer, which the console reads too.
pub use lapor_domain::view::Done;
