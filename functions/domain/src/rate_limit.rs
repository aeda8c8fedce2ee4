//! Fixed-window rate limits (reports per hour per address, per phone).

/// Every limit counts in windows of an hour; the key-value housekeeping
/// relies on it (window numbers are hour numbers).
pub const WINDOW_SECS: u64 = 3600;

/// How long after its end a window may still be counted in: the clocks of
/// instances differ a little.
pub const WINDOW_GRACE_SECS: u64 = 60;

/// The oldest window an instance may still count in at `unix_seconds`:
/// older windows are never read again, so their counters may go.
pub fn oldest_live_window(unix_seconds: u64) -> u64 {
    unix_seconds.saturating_sub(WINDOW_GRACE_SECS) / WINDOW_SECS
}

/// A limit of `per_window` events per `window_secs`; 0 disables it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub per_window: u64,
    pub window_secs: u64,
}

/// Where "now" falls: the window's number and the seconds left in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub index: u64,
    pub seconds_left: u64,
}

impl RateLimit {
    pub fn per_hour(per_window: u64) -> Self {
        Self { per_window, window_secs: WINDOW_SECS }
    }

    pub fn disabled(&self) -> bool {
        self.per_window == 0
    }

    pub fn window(&self, unix_seconds: u64) -> Window {
        let w = self.window_secs.max(1);
        Window { index: unix_seconds / w, seconds_left: w - unix_seconds % w }
    }

    /// Whether the `count`-th event in a window (counting this one) is allowed.
    pub fn allows(&self, count: u64) -> bool {
        self.disabled() || count <= self.per_window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_limits() {
        let limit = RateLimit::per_hour(20);
        assert_eq!(limit.window(7200), Window { index: 2, seconds_left: 3600 });
        assert_eq!(limit.window(7259), Window { index: 2, seconds_left: 3541 });
        assert!(limit.allows(20));
        assert!(!limit.allows(21));
        assert!(RateLimit::per_hour(0).allows(1_000_000));
    }

    #[test]
    fn a_window_stays_live_a_minute_past_its_end() {
        let limit = RateLimit::per_hour(20);
        let hour = 493_000;
        let start = hour * WINDOW_SECS;
        assert_eq!(limit.window(start).index, hour);
        // The window before is still live for the grace minute, then over.
        assert_eq!(oldest_live_window(start), hour - 1);
        assert_eq!(oldest_live_window(start + WINDOW_GRACE_SECS - 1), hour - 1);
        assert_eq!(oldest_live_window(start + WINDOW_GRACE_SECS), hour);
        // The window now counted in is never older than the oldest live one.
        for unix in [0, 59, 60, 3599, 3600, 3659, 3660, start + 1234] {
            assert!(limit.window(unix).index >= oldest_live_window(unix), "{unix}");
        }
    }
}
