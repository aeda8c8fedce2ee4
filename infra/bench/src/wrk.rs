//! The load generator: `wrk` (Debian package; `make bench` installs it),
//! its output read back, and the Lua scripts that vary each request.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// One wrk run's numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    pub requests_per_second: f64,
    pub requests: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Answers that were neither 2xx nor 3xx.
    pub non_2xx: u64,
    /// Connect, read, write errors and timeouts.
    pub socket_errors: u64,
}

impl Measured {
    pub fn errors(&self) -> u64 {
        self.non_2xx + self.socket_errors
    }
}

/// What to load and how hard.
#[derive(Debug, Clone)]
pub struct Load {
    pub url: String,
    pub connections: u64,
    pub threads: u64,
    pub seconds: u64,
    pub script: Option<PathBuf>,
}

impl Load {
    pub fn run(&self) -> Result<Measured> {
        self.run_for(self.seconds)
    }

    pub fn run_for(&self, seconds: u64) -> Result<Measured> {
        let mut command = Command::new("wrk");
        command
            .arg("--latency")
            .args(["-t", &self.threads.min(self.connections).to_string()])
            .args(["-c", &self.connections.to_string()])
            .args(["-d", &format!("{seconds}s")])
            // wrk's default 2 s would count slow answers as errors, not latency.
            .args(["--timeout", "10s"]);
        if let Some(script) = &self.script {
            command.arg("-s").arg(script);
        }
        let output = command.arg(&self.url).output().context("cannot run wrk (make bench installs it)")?;
        let text = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!("wrk failed: {text}{}", String::from_utf8_lossy(&output.stderr));
        }
        parse(&text).with_context(|| format!("reading wrk's output for {}:\n{text}", self.url))
    }
}

pub fn parse(text: &str) -> Result<Measured> {
    let after = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(str::trim));
    let requests_per_second = after("Requests/sec:").context("wrk printed no Requests/sec")?.parse()?;
    let requests = text
        .lines()
        .find_map(|l| l.trim().split_once(" requests in ").map(|(n, _)| n.trim().to_string()))
        .context("wrk printed no request count")?
        .parse()?;
    let p50_ms = duration_ms(after("50%").context("wrk printed no 50% latency")?)?;
    let p99_ms = duration_ms(after("99%").context("wrk printed no 99% latency")?)?;
    let non_2xx = after("Non-2xx or 3xx responses:").map(str::parse::<u64>).transpose()?.unwrap_or(0);
    // "Socket errors: connect 0, read 3, write 0, timeout 0"
    let socket_errors = after("Socket errors:")
        .map(|list| list.split(',').filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok()).sum())
        .unwrap_or(0);
    Ok(Measured { requests_per_second, requests, p50_ms, p99_ms, non_2xx, socket_errors })
}

/// wrk prints durations as `812.00us`, `1.52ms`, `2.01s` or `1.00m`.
pub fn duration_ms(text: &str) -> Result<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        bail!("unknown wrk duration {text:?}")
    };
    Ok(number.parse::<f64>()? * factor)
}

/// Lua scripts. Each wrk thread runs the script in its own Lua state;
/// `setup` (in the main state) numbers the threads, so counters and random
/// streams differ between them.
pub mod lua {
    use super::*;

    const NUMBER_THREADS: &str = "local threads = 0\nfunction setup(thread)\n  threads = threads + 1\n  thread:set(\"thread_id\", threads)\nend\n";

    /// A Lua long string that holds `text` whatever it contains.
    fn long_string(text: &str) -> String {
        let mut level = 1;
        while text.contains(&format!("]{}]", "=".repeat(level))) {
            level += 1;
        }
        let eq = "=".repeat(level);
        format!("[{eq}[{text}]{eq}]")
    }

    fn headers_table(headers: &[(&str, &str)]) -> String {
        let fields: Vec<String> = headers.iter().map(|(k, v)| format!("[{}] = {}", long_string(k), long_string(v))).collect();
        format!("{{{}}}", fields.join(", "))
    }

    /// POSTs `body` with a distinct `Idempotency-Key` on every request:
    /// `nonce` (new for each run, so a warm-up's keys never come back),
    /// the thread and a counter.
    pub fn distinct_posts(body: &str, nonce: &str) -> String {
        format!(
            "{NUMBER_THREADS}local counter = 0\nlocal body = {}\n\
             function request()\n  counter = counter + 1\n  \
             return wrk.format(\"POST\", nil, {{[\"Content-Type\"] = \"application/json\", \
             [\"Idempotency-Key\"] = string.format(\"bench-%s-%d-%d\", {}, thread_id, counter)}}, body)\nend\n",
            long_string(body),
            long_string(nonce)
        )
    }

    /// GETs `prefix .. id` for an id drawn uniformly from the lines of
    /// `ids_file` (read at start: a 100,000-entry table literal would exceed
    /// LuaJIT's constants per function).
    pub fn random_paths(prefix: &str, ids_file: &Path, headers: &[(&str, &str)], seed: u64) -> String {
        format!(
            "{NUMBER_THREADS}local ids = {{}}\nlocal prefix = {}\nlocal headers = {}\n\
             function init(args)\n  for line in io.lines({}) do ids[#ids + 1] = line end\n  \
             math.randomseed({seed} + 7919 * thread_id)\nend\n\
             function request()\n  return wrk.format(\"GET\", prefix .. ids[math.random(#ids)], headers)\nend\n",
            long_string(prefix),
            headers_table(headers),
            long_string(&ids_file.display().to_string()),
        )
    }

    /// Support added, then withdrawn, by each of `tokens` in turn (every
    /// request a write): the n-th request of a thread is token n mod N,
    /// POST on even rounds and DELETE on odd ones. The second thread starts
    /// half-way through the list, so the two rarely race for one identity.
    pub fn support_toggles(tokens: &[String]) -> String {
        let list: Vec<String> = tokens.iter().map(|t| long_string(t)).collect();
        format!(
            "{NUMBER_THREADS}local tokens = {{{}}}\nlocal n = 0\n\
             function init(args)\n  n = (thread_id - 1) * math.floor(#tokens / 2)\nend\n\
             function request()\n  n = n + 1\n  local t = tokens[(n % #tokens) + 1]\n  \
             local method = (math.floor(n / #tokens) % 2 == 0) and \"POST\" or \"DELETE\"\n  \
             return wrk.format(method, nil, {{[\"Authorization\"] = \"Bearer \" .. t}}, nil)\nend\n",
            list.join(",")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wrk_output() {
        let sample = "Running 10s test @ http://127.0.0.1:1/\n  2 threads and 32 connections\n  Latency Distribution\n     50%  512.00us\n     75%    1.10ms\n     90%    2.00ms\n     99%    4.25ms\n  12345 requests in 10.00s, 1.00MB read\n  Socket errors: connect 0, read 3, write 1, timeout 2\n  Non-2xx or 3xx responses: 7\nRequests/sec:   1234.50\nTransfer/sec:    100.00KB\n";
        let m = parse(sample).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(m.requests_per_second, 1234.5));
        assert!(close(m.p50_ms, 0.512));
        assert!(close(m.p99_ms, 4.25));
        assert_eq!((m.requests, m.non_2xx, m.socket_errors, m.errors()), (12345, 7, 6, 13));
        assert!(close(duration_ms("2.01s").unwrap(), 2010.0));
        assert!(duration_ms("3h").is_err());
    }

    #[test]
    fn lua_strings_survive_their_content() {
        assert_eq!(lua::distinct_posts("a]=]b", "n").matches("[==[a]=]b]==]").count(), 1);
        assert!(lua::random_paths("/r/", Path::new("/tmp/ids"), &[("Accept", "text/html")], 1).contains("io.lines([=[/tmp/ids]=])"));
    }
}
