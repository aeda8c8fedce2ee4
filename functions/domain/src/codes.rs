//! Codes that name things kept elsewhere: categories, agencies, regions.

use crate::invalid::Invalid;

/// A category code such as `infrastruktur-jalan`: lowercase letters, digits
/// and dashes, 2 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct CategoryCode(String);

/// An agency code such as `kemenkes` or `pemkot-3273`: lowercase letters,
/// digits, dashes and dots, 2 to 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct AgencyCode(String);

fn slug(field: &str, raw: &str, allow_dots: bool) -> Result<String, Invalid> {
    let s = raw.trim().to_ascii_lowercase();
    let ok = (2..=64).contains(&s.len())
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || (allow_dots && c == '.'));
    if ok {
        Ok(s)
    } else {
        Err(Invalid::new(
            field,
            "Kode tidak valid: gunakan huruf kecil, angka dan tanda hubung.",
            "Invalid code: use lowercase letters, digits and dashes.",
        ))
    }
}

impl CategoryCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        slug(field, raw, false).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AgencyCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        slug(field, raw, true).map(Self)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Kemendagri region code: province `31`, regency/city `31.71`, district
/// `31.71.01`, village `31.71.01.1001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let s = raw.trim();
        let parts: Vec<&str> = s.split('.').collect();
        let widths = [2, 2, 2, 4];
        let ok = !parts.is_empty()
            && parts.len() <= widths.len()
            && parts.iter().zip(widths).all(|(p, w)| p.len() == w && p.chars().all(|c| c.is_ascii_digit()));
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(Invalid::new(
                field,
                "Kode wilayah Kemendagri tidak valid (contoh: 31.71).",
                "Not a Kemendagri region code (e.g. 31.71).",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province part (`31` of `31.71.01`).
    pub fn province(&self) -> &str {
        &self.0[..2]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes() {
        for ok in ["31", "31.71", "31.71.01", "31.71.01.1001"] {
            assert_eq!(RegionCode::parse("region", ok).unwrap().as_str(), ok);
        }
        assert_eq!(RegionCode::parse("r", "32.73").unwrap().province(), "32");
        for bad in ["", "3", "31.7", "31.71.1", "31.71.01.101", "31.71.01.1001.1", "ab.cd", "31..71"] {
            assert!(RegionCode::parse("region", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn agency_and_category_codes() {
        assert_eq!(AgencyCode::parse("agency", " Kemenkes ").unwrap().as_str(), "kemenkes");
        assert!(AgencyCode::parse("agency", "pemkot-32.73").is_ok());
        assert!(CategoryCode::parse("category", "jalan.rusak").is_err());
        assert!(CategoryCode::parse("category", "x").is_err());
        assert!(CategoryCode::parse("category", "-jalan").is_err());
        assert!(CategoryCode::parse("category", "jalan rusak").is_err());
    }
}
