//! Why an input value was refused, in both of the service's languages.

use crate::lang::Lang;
use crate::problem::FieldError;

/// One refused field, with its message in Indonesian and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field's path in the request, e.g. `reporter.phone`.
    pub field: String,
    pub id: String,
    pub en: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, id: impl Into<String>, en: impl Into<String>) -> Self {
        Self { field: field.into(), id: id.into(), en: en.into() }
    }

    // The messages used in more than one place, in one catalogue.

    /// A required field is missing or empty.
    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, "Wajib diisi.", "Required.")
    }

    /// A field that must be a JSON string is something else.
    pub fn not_text(field: impl Into<String>) -> Self {
        Self::new(field, "Harus berupa teks.", "Must be a string.")
    }

    /// A field the request may not carry, naming those it may.
    pub fn unknown_field(field: impl Into<String>, known: &[&str]) -> Self {
        Self::new(
            field,
            format!("Kolom tidak dikenal. Kolom yang boleh: {}.", known.join(", ")),
            format!("Unknown field. Allowed fields: {}.", known.join(", ")),
        )
    }

    /// An agency code that is well formed but not in the directory.
    pub fn unknown_agency(field: impl Into<String>) -> Self {
        Self::new(field, "Instansi tidak dikenal.", "Unknown agency.")
    }

    /// The same reason, reported for another field path.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }

    pub fn render(&self, lang: Lang) -> FieldError {
        FieldError { field: self.field.clone(), message: lang.pick(&self.id, &self.en).to_string() }
    }
}

/// Counts characters as people do for limits: Unicode scalar values.
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}
