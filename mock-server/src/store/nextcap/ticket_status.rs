//! The ticket state machine (nextcap-crm-integration.txt, "Ticket Status Transitions") as one
//! typed table. Every write that changes a ticket's status asks [`TicketStatus::can_move_to`]
//! (or a rule built on it, such as [`TicketStatus::after_customer_reply`]); an invalid
//! transition is refused, never written.
//!
//! ```text
//! new              -> open, in_progress, closed
//! open             -> in_progress, waiting_customer, waiting_internal, resolved, closed
//! in_progress      -> waiting_customer, waiting_internal, resolved, closed
//! waiting_customer -> open, in_progress, resolved, closed
//! waiting_internal -> open, in_progress, resolved, closed
//! resolved         -> closed, reopened
//! closed           -> reopened
//! reopened         -> open, in_progress, waiting_customer, waiting_internal, resolved, closed
//! ```

use serde::{Serialize, Serializer};

/// A ticket status; serializes as its wire name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    /// `new`: filed, nobody has looked yet.
    New,
    /// `open`.
    Open,
    /// `in_progress`.
    InProgress,
    /// `waiting_customer`: the next move is the customer's.
    WaitingCustomer,
    /// `waiting_internal`: waiting on someone inside the organisation.
    WaitingInternal,
    /// `resolved`.
    Resolved,
    /// `closed`.
    Closed,
    /// `reopened`: was resolved or closed, is active again.
    Reopened,
}

use TicketStatus::{Closed, InProgress, New, Open, Reopened, Resolved, WaitingCustomer, WaitingInternal};

impl TicketStatus {
    /// Every status, in the document's order.
    pub const ALL: [TicketStatus; 8] =
        [New, Open, InProgress, WaitingCustomer, WaitingInternal, Resolved, Closed, Reopened];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            New => "new",
            Open => "open",
            InProgress => "in_progress",
            WaitingCustomer => "waiting_customer",
            WaitingInternal => "waiting_internal",
            Resolved => "resolved",
            Closed => "closed",
            Reopened => "reopened",
        }
    }

    /// The status with wire name `name`.
    pub fn parse(name: &str) -> Option<TicketStatus> {
        TicketStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The statuses this one may move to: the document's table, row by row.
    pub fn next(self) -> &'static [TicketStatus] {
        match self {
            New => &[Open, InProgress, Closed],
            Open => &[InProgress, WaitingCustomer, WaitingInternal, Resolved, Closed],
            InProgress => &[WaitingCustomer, WaitingInternal, Resolved, Closed],
            WaitingCustomer | WaitingInternal => &[Open, InProgress, Resolved, Closed],
            Resolved => &[Closed, Reopened],
            Closed => &[Reopened],
            Reopened => &[Open, InProgress, WaitingCustomer, WaitingInternal, Resolved, Closed],
        }
    }

    /// Whether the table allows moving from `self` to `to`.
    pub fn can_move_to(self, to: TicketStatus) -> bool {
        self.next().contains(&to)
    }

    /// Where a customer's reply moves a ticket, if anywhere: a resolved or closed ticket is
    /// reopened, one waiting for the customer is open again; any other status stays.
    pub fn after_customer_reply(self) -> Option<TicketStatus> {
        let to = match self {
            Resolved | Closed => Reopened,
            WaitingCustomer => Open,
            _ => return None,
        };
        self.can_move_to(to).then_some(to)
    }
}

impl Serialize for TicketStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for TicketStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_documents() {
        let allowed: usize = TicketStatus::ALL.iter().map(|s| s.next().len()).sum();
        assert_eq!(allowed, 3 + 5 + 4 + 4 + 4 + 2 + 1 + 6);
        assert!(New.can_move_to(Closed) && !New.can_move_to(Resolved));
        assert!(Closed.can_move_to(Reopened) && !Closed.can_move_to(Open));
        assert!(!Resolved.can_move_to(Open), "a resolved ticket is reopened, not opened");
        for s in TicketStatus::ALL {
            assert!(!s.can_move_to(s), "{s} -> {s} is not a transition");
            assert!(!s.can_move_to(New), "nothing goes back to new");
            assert_eq!(TicketStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).ok(), Some(serde_json::Value::from(s.as_str())));
        }
    }

    #[test]
    fn a_customer_reply_reopens_or_reactivates() {
        assert_eq!(Resolved.after_customer_reply(), Some(Reopened));
        assert_eq!(Closed.after_customer_reply(), Some(Reopened));
        assert_eq!(WaitingCustomer.after_customer_reply(), Some(Open));
        for s in [New, Open, InProgress, WaitingInternal, Reopened] {
            assert_eq!(s.after_customer_reply(), None, "{s} stays");
        }
    }
}
