//! Administrators correct the working-day calendar. A change applies to
//! deadlines computed after it.

use chrono::NaiveDate;
use lapor_domain::command::SetHoliday;
use lapor_domain::lang::Lang;
use lapor_domain::staff::Principal;
use lapor_domain::view::HolidayView;
use lapor_platform::calendar;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;

use crate::intake::require_intake;

/// Adds or corrects a non-working day; `true` when it existed before.
pub fn set(db: &Db, principal: &Principal, date: NaiveDate, command: &SetHoliday, lang: Lang) -> Result<(HolidayView, bool), ApiError> {
    require_intake(principal, lang)?;
    let name = command.name.as_str().to_string();
    let kind = command.kind;
    let existed = db.transaction(|db| -> Result<bool, ApiError> { Ok(calendar::upsert_holiday(db, date, &name, kind)?) })?;
    Ok((HolidayView { date: date.to_string(), name, kind: kind.as_str().to_string() }, existed))
}

/// Removes a non-working day; 404 if it is none.
pub fn delete(db: &Db, principal: &Principal, date: NaiveDate, lang: Lang) -> Result<(), ApiError> {
    require_intake(principal, lang)?;
    if !calendar::delete_holiday(db, date)? {
        return Err(ApiError::not_found(lang));
    }
    Ok(())
}
