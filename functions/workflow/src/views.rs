//! The answer to a successful staff action (what staff see of a report is
//! `lapor_actions::views::staff_view`, shared with the console).

use lapor_actions::Done;
use spin_sdk::http::Response;

/// The answer to a successful action, with its version as ETag (for If-Match).
pub fn done(view: &Done) -> Response {
    let mut response = lapor_platform::response::json(200, view, "no-store");
    response.set_header("etag", format!("\"{}\"", view.version));
    response
}
