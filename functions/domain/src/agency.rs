//! The agency directory: every institution a report can be sent to.
//!
//! The seed (`infra/seed/agencies.tsv`, generated from Kemendagri codes) is
//! compiled into the app and loaded by a migration, so a fresh deployment on
//! Spin has the whole directory without any manual step.

use crate::invalid::Invalid;

/// The kinds of institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgencyType {
    /// A ministry.
    Kementerian,
    /// A national agency or body.
    Lembaga,
    /// A provincial government.
    Pemprov,
    /// A regency government.
    Pemkab,
    /// A city government.
    Pemkot,
    /// A state-owned enterprise.
    Bumn,
}

impl AgencyType {
    pub const ALL: [AgencyType; 6] = [
        AgencyType::Kementerian,
        AgencyType::Lembaga,
        AgencyType::Pemprov,
        AgencyType::Pemkab,
        AgencyType::Pemkot,
        AgencyType::Bumn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgencyType::Kementerian => "kementerian",
            AgencyType::Lembaga => "lembaga",
            AgencyType::Pemprov => "pemprov",
            AgencyType::Pemkab => "pemkab",
            AgencyType::Pemkot => "pemkot",
            AgencyType::Bumn => "bumn",
        }
    }

    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw.trim()).ok_or_else(|| {
            Invalid::new(
                field,
                "Jenis instansi: kementerian, lembaga, pemprov, pemkab, pemkot, bumn.",
                "Agency type: kementerian, lembaga, pemprov, pemkab, pemkot, bumn.",
            )
        })
    }

    /// Local governments have standard work units (OPD) from the start.
    pub fn is_local_government(self) -> bool {
        matches!(self, AgencyType::Pemprov | AgencyType::Pemkab | AgencyType::Pemkot)
    }
}

/// Indonesia's three time zones. Deadlines are counted in the responsible
/// agency's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TimeZone {
    /// Waktu Indonesia Barat, UTC+7.
    #[serde(rename = "WIB")]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8.
    #[serde(rename = "WITA")]
    Wita,
    /// Waktu Indonesia Timur, UTC+9.
    #[serde(rename = "WIT")]
    Wit,
}

impl TimeZone {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    pub fn from_stored(raw: &str) -> Option<Self> {
        [TimeZone::Wib, TimeZone::Wita, TimeZone::Wit].into_iter().find(|z| z.as_str() == raw)
    }

    pub fn utc_offset_hours(self) -> i32 {
        match self {
            TimeZone::Wib => 7,
            TimeZone::Wita => 8,
            TimeZone::Wit => 9,
        }
    }

    /// The zone of a province, by its two-digit Kemendagri code.
    pub fn of_province(code: &str) -> Option<TimeZone> {
        match code {
            "11" | "12" | "13" | "14" | "15" | "16" | "17" | "18" | "19" | "21" | "31" | "32" | "33" | "34" | "35"
            | "36" | "61" | "62" => Some(TimeZone::Wib),
            "51" | "52" | "53" | "63" | "64" | "65" | "71" | "72" | "73" | "74" | "75" | "76" => Some(TimeZone::Wita),
            "81" | "82" | "91" | "92" | "93" | "94" | "95" | "96" => Some(TimeZone::Wit),
            _ => None,
        }
    }
}

/// One row of the seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencySeed {
    pub code: &'static str,
    pub name: &'static str,
    pub agency_type: AgencyType,
    pub parent: Option<&'static str>,
    pub region: Option<&'static str>,
    pub timezone: TimeZone,
}

/// The seed file, compiled in.
pub const SEED_TSV: &str = include_str!("../../../infra/seed/agencies.tsv");

/// Parses the seed. It is checked by this crate's tests, so a broken file
/// never reaches a deployment; a bad row here is a build defect.
pub fn seed() -> Vec<AgencySeed> {
    crate::seed::rows(SEED_TSV)
        .map(|row| {
            let line = row.line;
            AgencySeed {
                code: row.col(0),
                name: row.col(1),
                agency_type: AgencyType::parse("type", row.col(2)).unwrap_or_else(|_| panic!("seed row {line:?}: bad type")),
                parent: row.optional(3),
                region: row.optional(4),
                timezone: TimeZone::from_stored(row.col(5)).unwrap_or_else(|| panic!("seed row {line:?}: bad time zone")),
            }
        })
        .collect()
}

/// The work units every local government starts with (slug, name). A
/// coordinator routes reports to them; agencies can add their own.
pub const DEFAULT_LOCAL_UNITS: &[(&str, &str)] = &[
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("kesehatan", "Dinas Kesehatan"),
    ("pendidikan", "Dinas Pendidikan"),
    ("sosial", "Dinas Sosial"),
    ("perhubungan", "Dinas Perhubungan"),
    ("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("lingkungan-hidup", "Dinas Lingkungan Hidup"),
    ("satpol-pp", "Satuan Polisi Pamong Praja"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{AgencyCode, RegionCode};
    use std::collections::HashSet;

    #[test]
    fn the_seed_covers_every_province_regency_and_city() {
        let seed = seed();
        let count = |t: AgencyType| seed.iter().filter(|a| a.agency_type == t).count();
        assert_eq!(count(AgencyType::Pemprov), 38);
        assert_eq!(count(AgencyType::Pemkab) + count(AgencyType::Pemkot), 514);
        assert!(count(AgencyType::Kementerian) >= 30);
        assert!(count(AgencyType::Lembaga) >= 10);
        assert!(count(AgencyType::Bumn) >= 10);
    }

    #[test]
    fn seed_rows_are_consistent() {
        let seed = seed();
        let codes: HashSet<&str> = seed.iter().map(|a| a.code).collect();
        assert_eq!(codes.len(), seed.len(), "codes are unique");
        for agency in &seed {
            assert!(AgencyCode::parse("code", agency.code).is_ok(), "{}", agency.code);
            assert!(!agency.name.is_empty());
            if let Some(parent) = agency.parent {
                assert!(codes.contains(parent), "{} has unknown parent {parent}", agency.code);
            }
            if agency.agency_type.is_local_government() {
                let region = agency.region.expect("local governments have a region");
                let region = RegionCode::parse("region", region).unwrap();
                assert_eq!(TimeZone::of_province(region.province()), Some(agency.timezone), "{}", agency.code);
                assert!(agency.code.ends_with(region.as_str()), "{}", agency.code);
            }
        }
    }

    #[test]
    fn time_zones() {
        assert_eq!(TimeZone::of_province("31"), Some(TimeZone::Wib)); // DKI Jakarta
        assert_eq!(TimeZone::of_province("51"), Some(TimeZone::Wita)); // Bali
        assert_eq!(TimeZone::of_province("64"), Some(TimeZone::Wita)); // Kalimantan Timur
        assert_eq!(TimeZone::of_province("62"), Some(TimeZone::Wib)); // Kalimantan Tengah
        assert_eq!(TimeZone::of_province("94"), Some(TimeZone::Wit)); // Papua Tengah
        assert_eq!(TimeZone::of_province("99"), None);
        assert_eq!(TimeZone::Wit.utc_offset_hours(), 9);
        let bandung = seed().into_iter().find(|a| a.code == "pemkot-32.73").unwrap();
        assert_eq!((bandung.name, bandung.parent, bandung.timezone), ("Pemerintah Kota Bandung", Some("pemprov-32"), TimeZone::Wib));
    }
}
