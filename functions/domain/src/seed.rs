//! The seed files compiled into the app (`infra/seed/*.tsv`: agencies,
//! categories, holidays) read one way: tab-separated columns, a header row,
//! `#` comments and blank lines skipped. Each seed's own module turns a row
//! into its type; the crate's tests keep every file valid.

/// One data row of a seed file.
pub struct Row {
    /// The line as written, for a build-time error message.
    pub line: &'static str,
    cols: Vec<&'static str>,
}

impl Row {
    /// Column `i`, empty when the row is shorter.
    pub fn col(&self, i: usize) -> &'static str {
        self.cols.get(i).copied().unwrap_or("")
    }

    /// Column `i`, `None` when empty.
    pub fn optional(&self, i: usize) -> Option<&'static str> {
        Some(self.col(i)).filter(|s| !s.is_empty())
    }
}

/// The data rows of `tsv`, in the file's order.
pub fn rows(tsv: &'static str) -> impl Iterator<Item = Row> {
    tsv.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1) // header
        .map(|line| Row { line, cols: line.split('\t').collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blank_lines_and_the_header_are_skipped() {
        let rows: Vec<Row> = rows("# a comment\ncode\tname\n\nA\tAlpha\n# more\nB\t\n").collect();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].col(0), rows[0].col(1), rows[0].col(7)), ("A", "Alpha", ""));
        assert_eq!((rows[1].optional(0), rows[1].optional(1)), (Some("B"), None));
        assert_eq!(rows[1].line, "B\t");
    }
}
