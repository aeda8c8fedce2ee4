//! Administrators choose which websites may embed an agency's report form.
//! Called by `PUT /api/v1/agencies/{code}/embed-origins` and the console's
//! `/staf/embed` alike.

use lapor_domain::codes::AgencyCode;
use lapor_domain::command::SetEmbedOrigins;
use lapor_domain::embed::{frame_ancestors, EmbedOrigin};
use lapor_domain::lang::Lang;
use lapor_domain::staff::Principal;
use lapor_domain::view::EmbedOriginsView;
use lapor_platform::db::Db;
use lapor_platform::embeds;
use lapor_platform::response::ApiError;
use lapor_platform::store::{self, AgencyRow};

use crate::intake::require_intake;

/// The agency a code names, or 404 (a code that cannot exist is simply not found).
pub fn agency(db: &Db, raw_code: &str, lang: Lang) -> Result<AgencyRow, ApiError> {
    let Ok(code) = AgencyCode::parse("code", raw_code.trim()) else { return Err(ApiError::not_found(lang)) };
    store::find_agency(db, code.as_str())?.ok_or_else(|| ApiError::not_found(lang))
}

pub fn view(agency: &str, origins: &[EmbedOrigin]) -> EmbedOriginsView {
    EmbedOriginsView {
        agency: agency.to_string(),
        origins: origins.iter().map(|o| o.as_str().to_string()).collect(),
        frame_ancestors: frame_ancestors(origins),
    }
}

/// The agency's allowed origins (administrators only).
pub fn origins(db: &Db, principal: &Principal, raw_code: &str, lang: Lang) -> Result<(AgencyRow, EmbedOriginsView), ApiError> {
    require_intake(principal, lang)?;
    let agency = agency(db, raw_code, lang)?;
    let origins = embeds::allowed_origins(db, &agency.code)?;
    let view = view(&agency.code, &origins);
    Ok((agency, view))
}

/// Replaces the agency's list in one transaction (empty: any website).
pub fn set(db: &Db, principal: &Principal, raw_code: &str, command: &SetEmbedOrigins, now: &str, lang: Lang) -> Result<EmbedOriginsView, ApiError> {
    require_intake(principal, lang)?;
    let agency = agency(db, raw_code, lang)?;
    db.transaction(|db| embeds::replace_origins(db, &agency.code, &command.origins, &principal.id, now))?;
    Ok(view(&agency.code, &command.origins))
}
