//! Sign-ins per address: each address may try `per_minute` sign-ins a minute (a bucket
//! that refills steadily, so a burst of that many is allowed and then one every
//! 60/`per_minute` seconds). It slows guessing from one address across many accounts,
//! which the per-account lockout does not. Kept in this process's memory: behind a
//! proxy every sign-in comes from the proxy's address, and each instance counts its own.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

/// Beyond this many addresses, those whose buckets are full again are forgotten.
const REMEMBERED: usize = 10_000;

pub struct SignInThrottle {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl SignInThrottle {
    /// `per_minute` 0 lets every sign-in through.
    pub fn new(per_minute: u32) -> Self {
        SignInThrottle { per_minute, buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether a sign-in from `address` may go ahead now (and counts it if so).
    pub fn allow(&self, address: IpAddr) -> bool {
        self.allow_at(address, Instant::now())
    }

    fn allow_at(&self, address: IpAddr, now: Instant) -> bool {
        if self.per_minute == 0 {
            return true;
        }
        let capacity = f64::from(self.per_minute);
        let refill = |b: Bucket| (b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * capacity / 60.0).min(capacity);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= REMEMBERED {
            buckets.retain(|_, b| refill(*b) < capacity);
        }
        let bucket = buckets.entry(address).or_insert(Bucket { tokens: capacity, at: now });
        let tokens = refill(*bucket);
        if tokens < 1.0 {
            return false;
        }
        *bucket = Bucket { tokens: tokens - 1.0, at: now };
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_one_every_few_seconds_per_address() {
        let t = SignInThrottle::new(6);
        let start = Instant::now();
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        for _ in 0..6 {
            assert!(t.allow_at(a, start));
        }
        assert!(!t.allow_at(a, start), "the seventh at once");
        assert!(t.allow_at(b, start), "another address has its own bucket");
        assert!(!t.allow_at(a, start + Duration::from_secs(9)), "one comes back every 10 s");
        assert!(t.allow_at(a, start + Duration::from_secs(10)));
        assert!(!t.allow_at(a, start + Duration::from_secs(11)));
        // a long pause fills the bucket up to its size, no more
        for _ in 0..6 {
            assert!(t.allow_at(a, start + Duration::from_secs(3600)));
        }
        assert!(!t.allow_at(a, start + Duration::from_secs(3600)));
    }

    #[test]
    fn zero_means_no_limit() {
        let t = SignInThrottle::new(0);
        assert!((0..1000).all(|_| t.allow([10, 0, 0, 1].into())));
    }
}
