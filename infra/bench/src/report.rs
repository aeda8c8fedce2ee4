//! The results: one [`Row`] per reference and scenario, each with its goals,
//! written as `bench/results.md` (for people) and `bench/results.json` (for
//! comparing runs).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

/// What a row must reach to meet its target.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "goal", rename_all = "snake_case")]
pub enum Goal {
    /// Requests (or commits, calls) per second at least this.
    MinRate { value: f64 },
    /// This row's rate over its reference's at least this.
    MinRatio { value: f64 },
    /// This row's rate over its reference's at most this.
    MaxRatio { value: f64 },
    MaxP50Ms { value: f64 },
    MaxP99Ms { value: f64 },
    ZeroErrors,
    MaxRssMb { value: f64 },
    MaxTotalSeconds { value: f64 },
    /// A check the scenario made itself (e.g. an exact count).
    Check { what: String, passed: bool },
}

impl Goal {
    fn text(&self) -> String {
        match self {
            Goal::MinRate { value } => format!("≥ {}/s", thousands(*value)),
            Goal::MinRatio { value } => format!("ratio ≥ {value}"),
            Goal::MaxRatio { value } => format!("ratio ≤ {value}"),
            Goal::MaxP50Ms { value } => format!("p50 ≤ {value} ms"),
            Goal::MaxP99Ms { value } => format!("p99 ≤ {value} ms"),
            Goal::ZeroErrors => "no errors".into(),
            Goal::MaxRssMb { value } => format!("RSS ≤ {value} MB"),
            Goal::MaxTotalSeconds { value } => format!("total ≤ {value} s"),
            Goal::Check { what, .. } => what.clone(),
        }
    }

    /// `None` when the row lacks the number the goal is about.
    fn met(&self, row: &Row) -> Option<bool> {
        Some(match self {
            Goal::MinRate { value } => row.requests_per_second? >= *value,
            Goal::MinRatio { value } => row.ratio? >= *value,
            Goal::MaxRatio { value } => row.ratio? <= *value,
            Goal::MaxP50Ms { value } => row.p50_ms? <= *value,
            Goal::MaxP99Ms { value } => row.p99_ms? <= *value,
            Goal::ZeroErrors => row.errors? == 0,
            Goal::MaxRssMb { value } => row.peak_rss_mb? <= *value,
            Goal::MaxTotalSeconds { value } => row.total_seconds? <= *value,
            Goal::Check { passed, .. } => *passed,
        })
    }
}

/// One line of the table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Stable key for comparing runs (`lookup-random`, `ref-commit-full`, ...).
    pub id: String,
    pub scenario: String,
    /// A reference, not the runner (the ratios' denominators).
    pub is_reference: bool,
    /// Not measured in this run (e.g. real Spin without `SPIN_BIN`).
    pub absent: bool,
    pub requests_per_second: Option<f64>,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub errors: Option<u64>,
    /// The runner's peak resident set during the measured run (VmHWM after a reset).
    pub peak_rss_mb: Option<f64>,
    /// Wall time of a run that is not a rate (the SLA sweep).
    pub total_seconds: Option<f64>,
    /// The `id` of the row this one is compared with, and the ratio of rates.
    pub reference: Option<String>,
    pub ratio: Option<f64>,
    pub goals: Vec<Goal>,
    pub target: String,
    /// `None`: no target, or absent.
    pub met: Option<bool>,
    /// Whatever else is worth keeping (connections, counts, settings).
    pub details: serde_json::Value,
}

impl Row {
    pub fn new(id: &str, scenario: impl Into<String>) -> Row {
        Row { id: id.into(), scenario: scenario.into(), details: serde_json::json!({}), ..Row::default() }
    }

    pub fn reference(mut self) -> Row {
        self.is_reference = true;
        self
    }

    /// Compares this row's rate with `reference`'s.
    pub fn against(mut self, reference: &Row) -> Row {
        self.reference = Some(reference.id.clone());
        self.ratio = match (self.requests_per_second, reference.requests_per_second) {
            (Some(a), Some(b)) if b > 0.0 => Some(a / b),
            _ => None,
        };
        self
    }

    pub fn goals(mut self, goals: Vec<Goal>) -> Row {
        self.goals = goals;
        self.target = self.goals.iter().map(Goal::text).collect::<Vec<_>>().join(", ");
        self.met = if self.absent || self.goals.is_empty() {
            None
        } else {
            self.goals.iter().map(|g| g.met(&self)).collect::<Option<Vec<bool>>>().map(|all| all.iter().all(|m| *m))
        };
        self
    }

    pub fn detail(mut self, key: &str, value: impl Serialize) -> Row {
        self.details[key] = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
        self
    }
}

/// Where and when the run happened.
#[derive(Debug, Serialize)]
pub struct Machine {
    pub date: String,
    pub cores: usize,
    pub cpu: String,
    pub kernel: String,
    pub memory_gb: f64,
}

impl Machine {
    pub fn this_one() -> Machine {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let cpu = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, v)| v.trim().to_string()))
            .unwrap_or_else(|| "unknown".into());
        let memory_kb: f64 = read("/proc/meminfo")
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        Machine {
            date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
            cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            cpu,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
            memory_gb: (memory_kb / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        }
    }
}

#[derive(Serialize)]
struct Results<'a> {
    machine: &'a Machine,
    settings: &'a serde_json::Value,
    elapsed_seconds: f64,
    rows: &'a [Row],
}

/// Writes `results.md` and `results.json` into `dir`.
pub fn write(dir: &Path, machine: &Machine, settings: &serde_json::Value, elapsed_seconds: f64, rows: &[Row]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let json = serde_json::to_string_pretty(&Results { machine, settings, elapsed_seconds, rows })?;
    std::fs::write(dir.join("results.json"), json + "\n")?;
    std::fs::write(dir.join("results.md"), markdown(machine, settings, elapsed_seconds, rows))?;
    Ok(())
}

pub fn markdown(machine: &Machine, settings: &serde_json::Value, elapsed_seconds: f64, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# `make bench` results\n");
    let _ = writeln!(
        out,
        "{}, {} cores ({}), {} GB, Linux {}; whole run {:.0} s. Settings: {}.\n",
        machine.date, machine.cores, machine.cpu, machine.memory_gb, machine.kernel, elapsed_seconds, settings
    );
    out.push_str(&table(rows));
    out
}

/// The table alone (README quotes it).
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str("| scenario | requests/s | p50 | p99 | errors | peak RSS | ratio to its reference | target | met? |\n");
    out.push_str("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |\n");
    for row in rows {
        let dash = || "—".to_string();
        let ratio = match (&row.ratio, &row.reference) {
            (Some(ratio), Some(reference)) => {
                let name = rows.iter().find(|r| &r.id == reference).map(|r| short_name(&r.scenario)).unwrap_or(reference);
                format!("{ratio:.3} × {name}")
            }
            _ => dash(),
        };
        let met = match (row.absent, row.met) {
            (true, _) => "absent".to_string(),
            (false, Some(true)) => "yes".to_string(),
            (false, Some(false)) => "**no**".to_string(),
            (false, None) => dash(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            row.scenario,
            row.requests_per_second.map(rate).unwrap_or_else(dash),
            row.p50_ms.map(ms).unwrap_or_else(dash),
            row.p99_ms.map(ms).unwrap_or_else(dash),
            row.errors.map(|e| e.to_string()).unwrap_or_else(dash),
            row.peak_rss_mb.map(|m| format!("{m:.0} MB")).unwrap_or_else(dash),
            ratio,
            if row.target.is_empty() { dash() } else { row.target.clone() },
            met,
        );
    }
    out
}

/// A reference as the ratio column names it: "reference: plain hyper (the
/// health body), 16 connections" -> "plain hyper".
fn short_name(scenario: &str) -> &str {
    let name = scenario.strip_prefix("reference: ").unwrap_or(scenario);
    name.split([',', '(']).next().unwrap_or(name).trim()
}

/// `12345.6` -> `12,346`
pub fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.round());
    let (sign, digits) = digits.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", &digits));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// Rates below 100 (sweep calls per second) keep two decimals.
fn rate(value: f64) -> String {
    if value >= 100.0 {
        thousands(value)
    } else {
        format!("{value:.2}")
    }
}

fn ms(value: f64) -> String {
    if value >= 1000.0 {
        format!("{:.1} s", value / 1000.0)
    } else if value >= 100.0 {
        format!("{value:.0} ms")
    } else if value >= 10.0 {
        format!("{value:.1} ms")
    } else {
        format!("{value:.2} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goals_decide_met() {
        let mut row = Row::new("x", "x");
        row.requests_per_second = Some(9000.0);
        row.p99_ms = Some(6.0);
        let row = row.goals(vec![Goal::MinRate { value: 8000.0 }, Goal::MaxP99Ms { value: 5.0 }]);
        assert_eq!(row.met, Some(false));
        assert_eq!(row.target, "≥ 8,000/s, p99 ≤ 5 ms");
        let row = Row::new("y", "y").goals(vec![]);
        assert_eq!(row.met, None);
        // A goal about a number the row lacks is undecided, not met.
        let row = Row::new("z", "z").goals(vec![Goal::MinRate { value: 1.0 }]);
        assert_eq!(row.met, None);
    }

    #[test]
    fn ratios_and_numbers() {
        let mut reference = Row::new("ref", "plain hyper").reference();
        reference.requests_per_second = Some(100_000.0);
        let mut row = Row::new("a", "route");
        row.requests_per_second = Some(25_000.0);
        let row = row.against(&reference).goals(vec![Goal::MinRatio { value: 0.25 }]);
        assert_eq!(row.met, Some(true));
        assert!(table(&[reference, row]).contains("0.250 × plain hyper"));
        assert_eq!(short_name("reference: bare commits (rusqlite), x"), "bare commits");
        assert_eq!(thousands(1234567.4), "1,234,567");
        assert_eq!(thousands(999.0), "999");
    }
}
