//! The facilitator's timer: time on the current prompt against its suggested minutes.

/// What the timer shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timer {
    /// Time on the prompt so far, `mm:ss` (minutes go past 59: `95:03`).
    pub elapsed: String,
    /// The suggested time, `mm:ss`, when the prompt has one.
    pub suggested: Option<String>,
    /// Past the suggested time.
    pub over: bool,
}

/// `mm:ss` for a number of seconds.
pub fn clock(seconds: u64) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// The timer after `elapsed_ms` on a prompt with `minutes` suggested.
pub fn timer(elapsed_ms: u64, minutes: Option<u32>) -> Timer {
    let seconds = elapsed_ms / 1000;
    Timer {
        elapsed: clock(seconds),
        suggested: minutes.map(|m| clock(u64::from(m) * 60)),
        over: minutes.is_some_and(|m| seconds > u64::from(m) * 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_and_seconds_with_leading_zeros() {
        assert_eq!(clock(0), "00:00");
        assert_eq!(clock(65), "01:05");
        assert_eq!(clock(95 * 60 + 3), "95:03");
    }

    #[test]
    fn over_only_once_past_the_suggested_minutes() {
        let t = timer(299_999, Some(5));
        assert_eq!((t.elapsed.as_str(), t.over), ("04:59", false));
        assert_eq!(t.suggested.as_deref(), Some("05:00"));
        assert!(!timer(300_999, Some(5)).over, "05:00 is still on time");
        assert!(timer(301_000, Some(5)).over);
        let free = timer(3_600_000, None);
        assert_eq!((free.suggested, free.over), (None, false));
    }
}
