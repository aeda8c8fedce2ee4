//! Staff accounts: created by an administrator (or an agency's coordinator
//! for its own agency), each with a bearer token shown once; revoked with
//! every token (and so every console session) of it.

use chrono::{DateTime, Duration, Utc};
use lapor_domain::command::CreateStaff;
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::staff::{Decision, Principal, Role};
use lapor_platform::auth::forbidden;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;
use lapor_platform::{clock, random, staff, store};

/// Tokens last this long; a new account (or a new token) replaces them.
pub const TOKEN_LIFETIME_DAYS: i64 = 90;

/// A created account, with its token (shown once, stored only as a hash).
pub struct Created {
    pub public_id: String,
    pub role: Role,
    pub name: String,
    pub agency: Option<String>,
    pub unit: Option<String>,
    pub token: String,
    pub expires_at: String,
}

pub fn create(db: &Db, principal: &Principal, command: &CreateStaff, now: DateTime<Utc>, lang: Lang) -> Result<Created, ApiError> {
    let CreateStaff { role, name, agency, unit } = command;
    let role = *role;
    let unit = unit.as_deref();
    let now_text = clock::timestamp(now);
    if principal.may_create_staff(role, agency.as_ref().map(|a| a.as_str())) != Decision::Allow {
        return Err(forbidden(lang));
    }
    if let Some(agency) = &agency {
        if store::find_agency(db, agency.as_str())?.is_none() {
            return Err(ApiError::validation(lang, &[Invalid::unknown_agency("agency")]));
        }
        if let Some(unit) = unit {
            if !store::unit_belongs_to(db, unit, agency.as_str())? {
                return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja ini bukan milik instansi tersebut.", "This work unit does not belong to that agency.")]));
            }
        }
    } else if unit.is_some() {
        return Err(ApiError::validation(lang, &[Invalid::new("unit", "Unit kerja memerlukan instansi.", "A work unit needs an agency.")]));
    }

    let public_id = random::hex_id()?;
    let token = random::secret_token()?;
    let expires_at = clock::timestamp(now + Duration::days(TOKEN_LIFETIME_DAYS));
    let account = staff::NewStaff {
        public_id: &public_id,
        role,
        name: name.as_str(),
        agency: agency.as_ref().map(|a| a.as_str()),
        unit,
        created_by: &principal.id,
        token_hash: &token.hash(),
        expires_at: &expires_at,
    };
    staff::create(db, &account, &now_text)?;
    Ok(Created {
        public_id,
        role,
        name: name.as_str().to_string(),
        agency: agency.as_ref().map(|a| a.as_str().to_string()),
        unit: unit.map(str::to_string),
        token: token.as_str().to_string(),
        expires_at,
    })
}

/// Revokes an account and every token of it.
pub fn revoke(db: &Db, principal: &Principal, id: &str, now: &str, lang: Lang) -> Result<(), ApiError> {
    let target = staff::active(db, id)?;
    let Some((Some(role), agency)) = target else { return Err(ApiError::not_found(lang)) };
    match principal.may_create_staff(role, agency.as_deref()) {
        Decision::Allow => {}
        // Another agency's account does not exist, as far as a coordinator knows.
        _ if principal.role != Role::Admin && agency.as_deref() != principal.agency.as_deref() => return Err(ApiError::not_found(lang)),
        _ => return Err(forbidden(lang)),
    }
    staff::revoke(db, id, now)?;
    Ok(())
}
