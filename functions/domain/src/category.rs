//! The category taxonomy: LAPOR!-style topics and their sub-topics, as data.
//!
//! New programme topics appear every year (free school meals, civil-servant
//! neutrality), so categories are rows, not code: the seed
//! (`infra/seed/categories.tsv`, kept by hand like the agency directory) is
//! compiled in and loaded by migration 0008; administrators add, rename and
//! retire categories at run time (`/api/v1/categories`). A category is never
//! deleted: a retired one is refused on new reports and stays valid, with
//! its names, on the reports that already carry it.
//!
//! Two levels only: a topic has no parent; a sub-topic's parent is a topic.
//! Codes are [`CategoryCode`]s (lowercase letters, digits, dashes; no dots,
//! so a code is one URL segment); sub-topics are by convention
//! `<topic>-<sub>` (`kesehatan-bpjs`), with a few older codes kept as they
//! were filed (`infrastruktur-jalan`, `drainase`).

use crate::codes::CategoryCode;
use crate::invalid::Invalid;

/// One row of the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategorySeed {
    pub code: &'static str,
    pub parent: Option<&'static str>,
    pub name_id: &'static str,
    pub name_en: &'static str,
}

/// The seed file, compiled in.
pub const SEED_TSV: &str = include_str!("../../../infra/seed/categories.tsv");

/// Parses the seed, topics before their sub-topics (the file's order). It
/// is checked by this crate's tests, so a broken file never reaches a
/// deployment.
pub fn seed() -> Vec<CategorySeed> {
    crate::seed::rows(SEED_TSV)
        .map(|row| CategorySeed { code: row.col(0), parent: row.optional(1), name_id: row.col(2), name_en: row.col(3) })
        .collect()
}

/// What intake needs to know of a category code it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Active,
    Retired,
    Unknown,
}

/// A new report's category must be active: unknown or retired is a field
/// error naming `field` (old reports keep a category retired since).
pub fn check_for_new_report(field: &str, standing: Standing) -> Result<(), Invalid> {
    match standing {
        Standing::Active => Ok(()),
        Standing::Retired => Err(Invalid::new(
            field,
            "Kategori ini sudah tidak dipakai untuk laporan baru. Pilih kategori lain (lihat /api/v1/categories).",
            "This category is retired and no longer takes new reports. Choose another (see /api/v1/categories).",
        )),
        Standing::Unknown => Err(Invalid::new(
            field,
            "Kategori tidak dikenal: lihat /api/v1/categories.",
            "Unknown category: see /api/v1/categories.",
        )),
    }
}

/// A parent must be an existing topic (no parent of its own): the taxonomy
/// has two levels.
pub fn check_parent(field: &str, parent_is_topic: Option<bool>) -> Result<(), Invalid> {
    match parent_is_topic {
        Some(true) => Ok(()),
        Some(false) => Err(Invalid::new(
            field,
            "Induk harus berupa topik (kategori tanpa induk): taksonomi hanya dua tingkat.",
            "The parent must be a topic (a category without a parent): the taxonomy has two levels.",
        )),
        None => Err(Invalid::new(field, "Topik induk tidak dikenal.", "Unknown parent topic.")),
    }
}

/// Parses a code from the seed (a bad one is a build defect).
pub fn seed_code(raw: &str) -> CategoryCode {
    CategoryCode::parse("code", raw).unwrap_or_else(|e| panic!("seed category {raw:?}: {}", e.en))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::CategoryName;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn the_seed_has_about_38_topics_with_their_sub_topics() {
        let seed = seed();
        let topics = seed.iter().filter(|c| c.parent.is_none()).count();
        let subs = seed.len() - topics;
        assert!((36..=42).contains(&topics), "{topics} topics");
        assert!(subs >= 150, "{subs} sub-topics");
    }

    #[test]
    fn seed_rows_are_consistent() {
        let seed = seed();
        let mut codes = HashSet::new();
        let parents: HashMap<&str, Option<&str>> = seed.iter().map(|c| (c.code, c.parent)).collect();
        for (i, c) in seed.iter().enumerate() {
            assert_eq!(seed_code(c.code).as_str(), c.code, "codes are stored as parsed");
            assert!(codes.insert(c.code), "{} twice", c.code);
            CategoryName::parse("name_id", c.name_id).unwrap_or_else(|e| panic!("{}: {}", c.code, e.en));
            CategoryName::parse("name_en", c.name_en).unwrap_or_else(|e| panic!("{}: {}", c.code, e.en));
            if let Some(parent) = c.parent {
                assert_eq!(parents.get(parent), Some(&None), "{}: the parent {parent} is a topic", c.code);
                let at = seed.iter().position(|p| p.code == parent).unwrap();
                assert!(at < i, "{}: its topic comes first", c.code);
            }
        }
        for topic in seed.iter().filter(|c| c.parent.is_none()) {
            assert!(seed.iter().any(|c| c.parent == Some(topic.code)), "{} has sub-topics", topic.code);
        }
    }

    #[test]
    fn codes_filed_before_the_taxonomy_are_in_it() {
        let seed = seed();
        for code in ["infrastruktur-jalan", "drainase"] {
            assert!(seed.iter().any(|c| c.code == code && c.parent == Some("infrastruktur")), "{code}");
        }
    }

    #[test]
    fn intake_takes_active_categories_only() {
        assert!(check_for_new_report("category", Standing::Active).is_ok());
        assert_eq!(check_for_new_report("category", Standing::Retired).unwrap_err().field, "category");
        assert!(check_for_new_report("category", Standing::Unknown).unwrap_err().en.starts_with("Unknown"));
        assert!(check_parent("parent", Some(true)).is_ok());
        assert!(check_parent("parent", Some(false)).is_err());
        assert!(check_parent("parent", None).is_err());
    }
}
