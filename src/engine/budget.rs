//! Back-pressure between the input side and the writer: bytes in flight.

use std::sync::{Arc, Condvar, Mutex};

/// Bytes of inputs in flight: the producer waits for room, the writer
/// makes it. One input larger than the whole budget is charged the whole
/// budget, so it still goes (alone).
pub struct Budget {
    state: Mutex<(u64, bool)>,
    room: Condvar,
    cap: u64,
}

impl Budget {
    pub fn new(cap: u64) -> Budget {
        Budget {
            state: Mutex::new((0, false)),
            room: Condvar::new(),
            cap,
        }
    }

    /// Waits until `n` bytes fit; the charge is released when dropped.
    pub fn acquire(self: &Arc<Self>, n: u64) -> Charge {
        let n = n.min(self.cap);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !s.1 && s.0 + n > self.cap {
            s = self.room.wait(s).unwrap_or_else(|e| e.into_inner());
        }
        s.0 += n;
        Charge {
            budget: self.clone(),
            bytes: n,
        }
    }

    /// Charges `n` bytes (at most the whole budget) without waiting: for
    /// what a walker must hand on whatever is in flight, so the next
    /// [`acquire`](Self::acquire) waits for it instead.
    pub fn charge_now(self: &Arc<Self>, n: u64) -> Charge {
        let n = n.min(self.cap);
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += n;
        Charge {
            budget: self.clone(),
            bytes: n,
        }
    }

    /// Whether `n` more bytes fit now.
    pub fn fits(&self, n: u64) -> bool {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.1 || s.0 + n.min(self.cap) <= self.cap
    }

    fn release(&self, n: u64) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = s.0.saturating_sub(n);
        self.room.notify_all();
    }

    /// No more releases will come: let every waiter through.
    pub fn close(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.1 = true;
        self.room.notify_all();
    }
}

/// Bytes of one item charged to a [`Budget`], given back when the item is
/// done with (written, or dropped with the writer).
pub struct Charge {
    budget: Arc<Budget>,
    /// Bytes charged: the item's size, at most the whole budget.
    pub bytes: u64,
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.budget.release(self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_charge_now_is_counted_and_given_back() {
        let budget = Arc::new(Budget::new(100));
        let member = budget.acquire(60);
        assert!(budget.fits(40));
        // Charged over the budget without waiting: the next one must wait.
        let joined = budget.charge_now(70);
        assert!(!budget.fits(1));
        drop(member);
        assert!(budget.fits(30), "70 of 100 still held");
        assert!(!budget.fits(31));
        drop(joined);
        assert!(budget.fits(100));
        // One charge larger than the whole budget is the whole budget.
        assert_eq!(budget.charge_now(1000).bytes, 100);
        assert!(budget.fits(100), "given back when dropped");
    }

    #[test]
    fn a_waiting_acquire_goes_once_room_is_made_or_the_budget_closes() {
        let budget = Arc::new(Budget::new(10));
        let held = budget.charge_now(10);
        let waiter = {
            let budget = budget.clone();
            std::thread::spawn(move || budget.acquire(5).bytes)
        };
        drop(held);
        assert_eq!(waiter.join().unwrap(), 5);
        let full = budget.acquire(10);
        budget.close();
        assert!(budget.fits(10), "a closed budget lets everything through");
        assert_eq!(budget.acquire(10).bytes, 10);
        drop(full);
    }
}
