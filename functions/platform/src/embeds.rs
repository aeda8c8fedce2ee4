//! Agency embeds in SQLite: the origins allowed to frame an agency's report
//! form (`embed_origins`), and the response figures its badge shows.

use anyhow::Result;
use lapor_domain::embed::EmbedOrigin;
use lapor_domain::view::AgencyFigures;

use crate::db::{text, Db};

/// The origins allowed to embed `agency`, in order (none: any website).
/// A stored value this build cannot read is left out, which only narrows.
pub fn allowed_origins(db: &Db, agency: &str) -> Result<Vec<EmbedOrigin>> {
    let stored = db.query("SELECT origin FROM embed_origins WHERE agency = ? ORDER BY origin", &[text(agency)])?.map(|row| row.text("origin"))?;
    Ok(stored.iter().filter_map(|raw| EmbedOrigin::from_stored(raw)).collect())
}

/// Replaces the agency's list. Must run inside a transaction (the caller's),
/// so no reader sees it half written.
pub fn replace_origins(db: &Db, agency: &str, origins: &[EmbedOrigin], by: &str, now: &str) -> Result<()> {
    db.execute("DELETE FROM embed_origins WHERE agency = ?", &[text(agency)])?;
    for origin in origins {
        db.execute(
            "INSERT INTO embed_origins (agency, origin, created_at, created_by) VALUES (?, ?, ?, ?)",
            &[text(agency), text(origin.as_str()), text(now), text(by)],
        )?;
    }
    Ok(())
}

/// How many reports were sent to `agency` (dispatched to it at some
/// point and still with it), answered, and completed.
pub fn figures(db: &Db, agency: &str, name: &str) -> Result<AgencyFigures> {
    let counts = db
        .query(
            "SELECT count(*) AS received,
                    coalesce(sum(status IN ('responded', 'completed')), 0) AS responded,
                    coalesce(sum(status = 'completed'), 0) AS completed
             FROM reports WHERE agency = ? AND status <> 'archived'",
            &[text(agency)],
        )?
        .first(|row| Ok((row.int("received")?, row.int("responded")?, row.int("completed")?)))?
        .unwrap_or((0, 0, 0));
    Ok(AgencyFigures::new(agency, name, counts.0, counts.1, counts.2))
}
