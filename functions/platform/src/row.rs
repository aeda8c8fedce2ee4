//! Stored rows, read by column name and strictly: a missing column, a NULL
//! where a value must be, or a value of another type is an error that names
//! the column, never a silent `""` or `0`.
//!
//! Every data module reads rows through [`Db::query`](crate::db::Db::query)
//! and these getters; Spin's own `Row::get` answers `None` for all three
//! mistakes alike, which is how a misspelled column used to become `""`.

use anyhow::{anyhow, Result};
use spin_sdk::sqlite3::{QueryResult, Value};

/// The rows a query answered.
pub struct Rows(QueryResult);

impl Rows {
    pub fn new(result: QueryResult) -> Rows {
        Rows(result)
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.0.rows.iter().map(|row| Row { columns: &self.0.columns, values: &row.values })
    }

    /// Maps every row, stopping at the first error.
    pub fn map<T>(&self, f: impl FnMut(Row<'_>) -> Result<T>) -> Result<Vec<T>> {
        self.iter().map(f).collect()
    }

    /// Maps the first row, if any.
    pub fn first<T>(&self, f: impl FnOnce(Row<'_>) -> Result<T>) -> Result<Option<T>> {
        self.iter().next().map(f).transpose()
    }

    pub fn is_empty(&self) -> bool {
        self.0.rows.is_empty()
    }
}

/// One row.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    columns: &'a [String],
    values: &'a [Value],
}

impl<'a> Row<'a> {
    fn value(&self, column: &str) -> Result<&'a Value> {
        let index = self
            .columns
            .iter()
            .position(|c| c == column)
            .ok_or_else(|| anyhow!("column `{column}` is not in the query's result ({})", self.columns.join(", ")))?;
        self.values.get(index).ok_or_else(|| anyhow!("column `{column}`: the row is shorter than its columns"))
    }

    fn mistyped(column: &str, expected: &str, found: &Value) -> anyhow::Error {
        let found = match found {
            Value::Integer(_) => "an integer",
            Value::Real(_) => "a real",
            Value::Text(_) => "text",
            Value::Blob(_) => "a blob",
            Value::Null => "NULL",
        };
        anyhow!("column `{column}`: expected {expected}, found {found}")
    }

    pub fn text(&self, column: &str) -> Result<String> {
        self.opt_text(column)?.ok_or_else(|| anyhow!("column `{column}`: expected text, found NULL"))
    }

    pub fn opt_text(&self, column: &str) -> Result<Option<String>> {
        match self.value(column)? {
            Value::Text(s) => Ok(Some(s.clone())),
            Value::Null => Ok(None),
            other => Err(Self::mistyped(column, "text", other)),
        }
    }

    pub fn int(&self, column: &str) -> Result<i64> {
        self.opt_int(column)?.ok_or_else(|| anyhow!("column `{column}`: expected an integer, found NULL"))
    }

    pub fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        match self.value(column)? {
            Value::Integer(n) => Ok(Some(*n)),
            Value::Null => Ok(None),
            other => Err(Self::mistyped(column, "an integer", other)),
        }
    }

    /// A 0/1 flag column.
    pub fn flag(&self, column: &str) -> Result<bool> {
        match self.int(column)? {
            0 => Ok(false),
            1 => Ok(true),
            n => Err(anyhow!("column `{column}`: expected 0 or 1, found {n}")),
        }
    }

    /// A REAL column (SQLite may hand back a whole number as an integer).
    pub fn opt_real(&self, column: &str) -> Result<Option<f64>> {
        match self.value(column)? {
            Value::Real(x) => Ok(Some(*x)),
            Value::Integer(n) => Ok(Some(*n as f64)),
            Value::Null => Ok(None),
            other => Err(Self::mistyped(column, "a real", other)),
        }
    }

    pub fn blob(&self, column: &str) -> Result<Vec<u8>> {
        match self.value(column)? {
            Value::Blob(b) => Ok(b.clone()),
            other => Err(Self::mistyped(column, "a blob", other)),
        }
    }

    /// A text column holding one of a type's stored names.
    pub fn parsed<T>(&self, column: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
        let stored = self.text(column)?;
        parse(&stored).ok_or_else(|| anyhow!("column `{column}`: `{stored}` is not a known value"))
    }

    /// A nullable text column holding one of a type's stored names.
    pub fn opt_parsed<T>(&self, column: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>> {
        match self.opt_text(column)? {
            None => Ok(None),
            Some(stored) => parse(&stored).map(Some).ok_or_else(|| anyhow!("column `{column}`: `{stored}` is not a known value")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spin_sdk::sqlite3::RowResult;

    fn rows() -> Rows {
        Rows::new(QueryResult {
            columns: ["name", "count", "note", "lat", "data", "done"].map(String::from).to_vec(),
            rows: vec![RowResult {
                values: vec![
                    Value::Text("Siti".into()),
                    Value::Integer(3),
                    Value::Null,
                    Value::Integer(-6),
                    Value::Blob(vec![1, 2]),
                    Value::Integer(1),
                ],
            }],
        })
    }

    #[test]
    fn values_of_the_right_type_read() {
        let rows = rows();
        let row = rows.iter().next().unwrap();
        assert_eq!(row.text("name").unwrap(), "Siti");
        assert_eq!(row.int("count").unwrap(), 3);
        assert_eq!(row.opt_text("note").unwrap(), None);
        assert_eq!(row.opt_int("note").unwrap(), None);
        assert_eq!(row.opt_real("lat").unwrap(), Some(-6.0));
        assert_eq!(row.blob("data").unwrap(), [1, 2]);
        assert!(row.flag("done").unwrap());
        assert_eq!(row.parsed("name", |s| (s == "Siti").then_some(7)).unwrap(), 7);
        assert_eq!(rows.first(|r| r.int("count")).unwrap(), Some(3));
    }

    #[test]
    fn a_missing_null_or_mistyped_column_is_an_error_naming_it() {
        let rows = rows();
        let row = rows.iter().next().unwrap();
        for (error, expected) in [
            (row.text("titel").unwrap_err(), "column `titel` is not in the query's result"),
            (row.text("note").unwrap_err(), "column `note`: expected text, found NULL"),
            (row.int("name").unwrap_err(), "column `name`: expected an integer, found text"),
            (row.opt_text("count").unwrap_err(), "column `count`: expected text, found an integer"),
            (row.flag("count").unwrap_err(), "column `count`: expected 0 or 1, found 3"),
            (row.blob("note").unwrap_err(), "column `note`: expected a blob, found NULL"),
            (row.parsed("name", |_| None::<u8>).unwrap_err(), "column `name`: `Siti` is not a known value"),
        ] {
            assert!(error.to_string().starts_with(expected), "{error}");
        }
    }
}
