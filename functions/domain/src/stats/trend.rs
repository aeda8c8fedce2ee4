//! What the dashboard points at: groups rising this month, groups that lag.

use serde::Serialize;

use super::view::KeyFigures;

/// A group whose count grew: this month so far against the same days of
/// the month before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rising {
    pub key: String,
    pub name: String,
    pub now: i64,
    pub before: i64,
}

/// The `n` groups that grew most (by reports added, then by count now);
/// only groups that grew.
pub fn rising(now: &[(String, String, i64)], before: &[(String, i64)], n: usize) -> Vec<Rising> {
    let mut grew: Vec<Rising> = now
        .iter()
        .map(|(key, name, count)| Rising {
            key: key.clone(),
            name: name.clone(),
            now: *count,
            before: before.iter().find(|(k, _)| k == key).map(|(_, c)| *c).unwrap_or(0),
        })
        .filter(|r| r.now > r.before)
        .collect();
    grew.sort_by(|a, b| (b.now - b.before).cmp(&(a.now - a.before)).then(b.now.cmp(&a.now)).then(a.key.cmp(&b.key)));
    grew.truncate(n);
    grew
}

/// The `n` groups that lag most: the most deadlines missed and still open,
/// then the lowest on-time rate; groups with neither a missed deadline nor
/// a late answer do not lag.
pub fn lagging(items: &[KeyFigures], n: usize) -> Vec<KeyFigures> {
    let mut lag: Vec<KeyFigures> = items.iter().filter(|i| i.overdue_now > 0 || i.figures.responded_late > 0).cloned().collect();
    lag.sort_by(|a, b| {
        b.overdue_now
            .cmp(&a.overdue_now)
            .then(a.figures.on_time_rate.unwrap_or(1.0).total_cmp(&b.figures.on_time_rate.unwrap_or(1.0)))
            .then(a.key.cmp(&b.key))
    });
    lag.truncate(n);
    lag
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Figures;

    #[test]
    fn rising_groups_are_those_that_grew_most() {
        let now = vec![("a".into(), "A".into(), 10), ("b".into(), "B".into(), 4), ("c".into(), "C".into(), 3)];
        let before = vec![("a".into(), 9), ("b".into(), 0), ("c".into(), 5)];
        let r = rising(&now, &before, 5);
        assert_eq!(r.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    }

    #[test]
    fn lagging_groups_put_missed_deadlines_first() {
        let item = |key: &str, overdue, late, rate| KeyFigures {
            key: key.into(),
            name: key.into(),
            overdue_now: overdue,
            figures: Figures { responded_late: late, on_time_rate: rate, ..Figures::default() },
        };
        let items = [item("fine", 0, 0, Some(1.0)), item("slow", 0, 3, Some(0.4)), item("late", 2, 1, Some(0.9)), item("slower", 0, 5, Some(0.2))];
        let lag = lagging(&items, 10);
        assert_eq!(lag.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["late", "slower", "slow"]);
    }
}
