//! The staff queues (the administrators' intake, an agency's inbox): keyset
//! pages, oldest first, with how many reports of the queue are in each
//! status. The counts cover the list's scope and filters, except the status.

use lapor_domain::lifecycle::Status;
use lapor_domain::view::StaffQueue;
use lapor_platform::db::Db;
use lapor_platform::paging;
use lapor_platform::request::{bad_parameter, ApiRequest};
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, StaffScope};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

/// What a queue request asks for, read before anything is looked up.
pub struct QueueQuery {
    pub status: Option<Status>,
    limit: u32,
    after: Option<(String, i64)>,
}

impl QueueQuery {
    /// `status` (else `default_status`), `limit` and `cursor`; 400 for a bad one.
    pub fn parse(request: &ApiRequest, default_status: Option<Status>) -> Result<QueueQuery, ApiError> {
        let status = match request.query("status").map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => Some(Status::parse("status", raw).map_err(|e| bad_parameter(request.lang, "status", &e.id, &e.en))?),
            None => default_status,
        };
        Ok(QueueQuery { status, limit: paging::limit(request, DEFAULT_PAGE, MAX_PAGE)?, after: paging::time_cursor(request)? })
    }
}

/// One page of the queue, the count per status of its scope, and how many
/// reports the whole list holds (`agency` unset: the inbox names it).
pub fn page(db: &Db, query: &QueueQuery, scope: &StaffScope<'_>) -> Result<StaffQueue, ApiError> {
    let mut rows = store::list_for_staff(db, query.status, scope, query.after.as_ref(), query.limit + 1)?;
    let next_cursor = paging::next_page(&mut rows, query.limit, |(id, item)| paging::time_cursor_of(&item.created_at, *id));
    let counts = store::staff_counts(db, scope)?;
    let total: i64 = counts.iter().filter(|(status, _)| query.status.is_none_or(|s| s == *status)).map(|(_, n)| n).sum();
    Ok(StaffQueue {
        agency: None,
        counts: counts.into_iter().map(|(status, n)| (status.as_str(), n)).collect(),
        items: rows.into_iter().map(|(_, item)| item).collect(),
        next_cursor,
        total,
    })
}
