//! Administrators keep the category taxonomy: add a topic or sub-topic,
//! rename, retire (no new reports take it; the row stays, reports keep its
//! code) and restore. Called by `/api/v1/categories` and the console's
//! `/staf/kategori` alike.

use lapor_domain::category::check_parent;
use lapor_domain::codes::CategoryCode;
use lapor_domain::command::{AddCategory, ChangeCategory};
use lapor_domain::invalid::Invalid;
use lapor_domain::lang::Lang;
use lapor_domain::problem::ProblemKind;
use lapor_domain::staff::Principal;
use lapor_domain::view::CategoryView;
use lapor_platform::categories;
use lapor_platform::db::Db;
use lapor_platform::response::ApiError;

use crate::intake::require_intake;

/// Adds a category; a sub-topic's parent must be a topic (422), and a code
/// is never reused, retired ones included (409).
pub fn add(db: &Db, principal: &Principal, new: &AddCategory, now: &str, lang: Lang) -> Result<CategoryView, ApiError> {
    require_intake(principal, lang)?;
    let created = db.transaction(|db| -> Result<bool, ApiError> {
        if let Some(parent) = &new.parent {
            let parent_is_topic = categories::find(db, parent.as_str())?.map(|p| p.parent.is_none());
            check_parent("parent", parent_is_topic).map_err(|e| ApiError::validation(lang, &[e]))?;
        }
        Ok(categories::insert(db, new.code.as_str(), new.parent.as_ref().map(|p| p.as_str()), new.name_id.as_str(), new.name_en.as_str(), now)?)
    })?;
    if !created {
        return Err(ApiError::new(
            ProblemKind::Conflict,
            lang,
            "Kode kategori ini sudah ada (kode tidak pernah dipakai ulang, juga yang sudah tidak dipakai). Ubah namanya dengan PUT.",
            "This category code exists (codes are never reused, retired ones included). Rename it with PUT.",
        ));
    }
    Ok(categories::find(db, new.code.as_str())?.ok_or_else(|| anyhow::anyhow!("category vanished"))?)
}

/// Renames, retires or restores a category (404 if there is none). A
/// sub-topic comes back only under a topic that is active (422).
pub fn change(db: &Db, principal: &Principal, code: &CategoryCode, change: &ChangeCategory, now: &str, lang: Lang) -> Result<CategoryView, ApiError> {
    require_intake(principal, lang)?;
    let name_id = change.name_id.as_ref().map(|n| n.as_str());
    let name_en = change.name_en.as_ref().map(|n| n.as_str());
    let found = db.transaction(|db| -> Result<bool, ApiError> {
        if change.retired == Some(false) {
            if let Some(category) = categories::find(db, code.as_str())? {
                if let Some(parent) = category.parent.as_deref().and_then(|p| categories::find(db, p).transpose()) {
                    if parent?.retired_at.is_some() {
                        return Err(ApiError::validation(lang, &[Invalid::new(
                            "retired",
                            "Topik induknya sudah tidak dipakai: pulihkan topik itu lebih dulu.",
                            "Its topic is retired: restore the topic first.",
                        )]));
                    }
                }
            }
        }
        Ok(categories::update(db, code.as_str(), name_id, name_en, change.retired, now)?)
    })?;
    if !found {
        return Err(ApiError::not_found(lang));
    }
    Ok(categories::find(db, code.as_str())?.ok_or_else(|| anyhow::anyhow!("category vanished"))?)
}
