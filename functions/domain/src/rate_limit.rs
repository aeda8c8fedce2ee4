//! Fixed-window rate limits (reports per hour per address, per phone).

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
        Self { per_window, window_secs: 3600 }
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
}
