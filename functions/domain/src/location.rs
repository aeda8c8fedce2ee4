//! Where something happened: a point inside Indonesia, and when.

use chrono::NaiveDate;

use crate::invalid::Invalid;
use crate::text::Address;

/// A bounding box around Indonesia's land and sea territory (Sabang to
/// Merauke, Miangas to Rote, with a margin).
pub const LAT_RANGE: (f64, f64) = (-11.5, 6.5);
pub const LON_RANGE: (f64, f64) = (94.5, 141.5);

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

impl Location {
    pub fn parse(lat: f64, lon: f64, address: Option<Address>) -> Result<Self, Vec<Invalid>> {
        let mut errors = Vec::new();
        if !(lat.is_finite() && (LAT_RANGE.0..=LAT_RANGE.1).contains(&lat)) {
            errors.push(Invalid::new(
                "location.lat",
                "Lintang berada di luar wilayah Indonesia.",
                "Latitude is outside Indonesia.",
            ));
        }
        if !(lon.is_finite() && (LON_RANGE.0..=LON_RANGE.1).contains(&lon)) {
            errors.push(Invalid::new(
                "location.lon",
                "Bujur berada di luar wilayah Indonesia.",
                "Longitude is outside Indonesia.",
            ));
        }
        if errors.is_empty() {
            // Seven decimals is ~1 cm: more is noise that only fingerprints devices.
            let round = |x: f64| (x * 1e7).round() / 1e7;
            Ok(Self { lat: round(lat), lon: round(lon), address })
        } else {
            Err(errors)
        }
    }
}

/// The day an incident happened: a real date, not in the future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct IncidentDate(NaiveDate);

impl IncidentDate {
    /// `today` is the latest current date anywhere in Indonesia (WIT, UTC+9),
    /// so a reporter in Papua is never told their today is in the future.
    pub fn parse(field: &str, raw: &str, today: NaiveDate) -> Result<Self, Invalid> {
        let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
            Invalid::new(field, "Tanggal tidak valid (format: YYYY-MM-DD).", "Not a valid date (format: YYYY-MM-DD).")
        })?;
        if date > today {
            return Err(Invalid::new(field, "Tanggal kejadian tidak boleh di masa depan.", "The incident date cannot be in the future."));
        }
        if date < NaiveDate::from_ymd_opt(1945, 8, 17).expect("valid date") {
            return Err(Invalid::new(field, "Tanggal kejadian terlalu lama.", "The incident date is too far in the past."));
        }
        Ok(Self(date))
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_inside_and_outside_indonesia() {
        assert!(Location::parse(-6.2, 106.8, None).is_ok()); // Jakarta
        assert!(Location::parse(5.89, 95.32, None).is_ok()); // Sabang
        assert!(Location::parse(-8.5, 140.4, None).is_ok()); // Merauke
        let errors = Location::parse(48.85, 2.35, None).unwrap_err(); // Paris
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["location.lat", "location.lon"]);
        assert!(Location::parse(f64::NAN, 106.8, None).is_err());
        assert!(Location::parse(-6.2, f64::INFINITY, None).is_err());
        assert_eq!(Location::parse(-6.123456789, 106.8, None).unwrap().lat, -6.1234568);
    }

    #[test]
    fn incident_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(IncidentDate::parse("incident_date", "2026-11-23", today).is_ok());
        assert!(IncidentDate::parse("incident_date", "2026-11-24", today).is_err());
        assert!(IncidentDate::parse("incident_date", "2026-02-30", today).is_err());
        assert!(IncidentDate::parse("incident_date", "23/11/2026", today).is_err());
        assert!(IncidentDate::parse("incident_date", "1900-01-01", today).is_err());
    }
}
