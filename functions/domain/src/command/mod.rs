//! Staff actions as types (in the manner of mini-redis's `cmd/`): one file
//! per action, each a struct parsed from its JSON body with every field
//! error reported at once, so the handler never unwraps a field. The event an
//! action records is its lifecycle [`Action`](crate::lifecycle::Action)'s.

mod add_category;
mod archive;
mod assign;
mod change_category;
mod create_staff;
mod forward;
mod hold;
mod respond;
mod set_holiday;
mod verify;

pub use add_category::AddCategory;
pub use archive::Archive;
pub use assign::Assign;
pub use change_category::ChangeCategory;
pub use create_staff::CreateStaff;
pub use forward::Forward;
pub use hold::Hold;
pub use respond::Respond;
pub use set_holiday::SetHoliday;
pub use verify::Verify;

#[cfg(test)]
pub(crate) fn body(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    value.as_object().cloned().unwrap_or_default()
}

#[cfg(test)]
pub(crate) fn fields_of(errors: Vec<crate::invalid::Invalid>) -> Vec<String> {
    errors.into_iter().map(|e| e.field).collect()
}
