//! The answer to a successful staff action (what staff see of a report is
//! `lapor_actions::views::staff_view`, shared with the console).

use lapor_actions::Done;
use serde_json::{json, Value};
use spin_sdk::http::Response;

/// The answer to a successful action: the report's new status and version
/// (also as ETag, for If-Match), plus any `extra` fields.
pub fn done(result: &Done, extra: Value) -> Response {
    let mut body = json!({"tracking_id": result.tracking_id, "status": result.status.as_str(), "version": result.version});
    if let (Value::Object(target), Value::Object(more)) = (&mut body, extra) {
        target.extend(more);
    }
    let mut response = lapor_platform::response::json(200, &body, "no-store");
    response.set_header("etag", format!("\"{}\"", result.version));
    response
}
