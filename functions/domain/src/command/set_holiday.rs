//! `PUT /api/v1/calendar/holidays/{date} {name, kind}`

use serde_json::{Map, Value};

use crate::calendar::HolidayKind;
use crate::fields::FieldErrors;
use crate::invalid::Invalid;
use crate::text::Title;

/// An administrator adds or corrects a non-working day.
#[derive(Debug, Clone, PartialEq)]
pub struct SetHoliday {
    pub name: Title,
    pub kind: HolidayKind,
}

impl SetHoliday {
    pub fn parse(body: &Map<String, Value>) -> Result<Self, Vec<Invalid>> {
        // Other fields are ignored here, as they always were.
        let mut errors = FieldErrors::default();
        let name = errors.take(match body.get("name") {
            Some(Value::String(s)) => Title::parse("name", s),
            _ => Err(Invalid::required("name")),
        });
        let kind = errors.take(match body.get("kind") {
            Some(Value::String(s)) => HolidayKind::parse("kind", s),
            _ => Err(Invalid::new("kind", "Wajib diisi: holiday atau cuti_bersama.", "Required: holiday or cuti_bersama.")),
        });
        errors.finish(name.zip(kind).map(|(name, kind)| SetHoliday { name, kind }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{body, fields_of};
    use serde_json::json;

    #[test]
    fn name_and_kind_are_required() {
        let h = SetHoliday::parse(&body(json!({"name": "Libur contoh", "kind": "holiday"}))).unwrap();
        assert_eq!((h.name.as_str(), h.kind), ("Libur contoh", HolidayKind::Holiday));
        assert_eq!(fields_of(SetHoliday::parse(&body(json!({"kind": "libur"}))).unwrap_err()), ["name", "kind"]);
    }
}
