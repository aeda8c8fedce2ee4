//! Actions as types (in the manner of mini-redis's `cmd/`): one file per
//! action of staff (verify, hold, archive, assign, forward, respond,
//! create_staff, set_holiday, set_embed_origins), of the reporter (reply, rate) and of the
//! public (create_citizen, verify_phone, post_comment, flag_comment,
//! moderate_comment, follow, unfollow). Each is a struct parsed from its JSON
//! body (or query) with every field error reported at once, so the handler
//! never unwraps a field. The event an action records is its lifecycle
//! [`Action`](crate::lifecycle::Action)'s.

mod add_category;
mod archive;
mod assign;
mod create_citizen;
mod change_category;
mod create_staff;
mod flag_comment;
mod follow;
mod forward;
mod hold;
mod moderate_comment;
mod post_comment;
mod rate;
mod reply;
mod respond;
mod set_embed_origins;
mod set_holiday;
mod unfollow;
mod verify;
mod verify_phone;

pub use add_category::AddCategory;
pub use archive::Archive;
pub use assign::Assign;
pub use create_citizen::CreateCitizen;
pub use change_category::ChangeCategory;
pub use create_staff::CreateStaff;
pub use flag_comment::FlagComment;
pub use follow::Follow;
pub use forward::Forward;
pub use hold::Hold;
pub use moderate_comment::{ModerateComment, Verdict};
pub use post_comment::PostComment;
pub use rate::Rate;
pub use reply::Reply;
pub use respond::Respond;
pub use set_embed_origins::SetEmbedOrigins;
pub use set_holiday::SetHoliday;
pub use unfollow::Unfollow;
pub use verify::Verify;
pub use verify_phone::VerifyPhone;

#[cfg(test)]
pub(crate) fn body(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[cfg(test)]
pub(crate) fn fields_of(errors: Vec<crate::invalid::Invalid>) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}
