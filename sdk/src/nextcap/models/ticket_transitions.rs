//! The ticket status state machine of the CRM Integration API ("Ticket Status Transitions" in
//! nextcap-crm-integration.txt; `x-status-transitions` of `updateCrmTicket` in
//! `openapi/nextcap-crm.yaml`).
//!
//! It lives on [`TicketStatus`] itself, next to the shared model, so that callers can ask
//! before acting and the CRM handles can refuse an invalid transition before anything is sent.
//! The table is written once, as one `match`, so it reads like the document's table.

use super::ticket::TicketStatus;

impl TicketStatus {
    /// The statuses this one may move to, in the document's order. Empty for
    /// [`TicketStatus::Unknown`]: the SDK does not know what a newer server allows from there.
    ///
    /// The table, from the document (setting the current status again is not a transition):
    ///
    /// | from | to |
    /// |---|---|
    /// | new | open, in_progress, closed |
    /// | open | in_progress, waiting_customer, waiting_internal, resolved, closed |
    /// | in_progress | waiting_customer, waiting_internal, resolved, closed |
    /// | waiting_customer | open, in_progress, resolved, closed |
    /// | waiting_internal | open, in_progress, resolved, closed |
    /// | resolved | closed, reopened |
    /// | closed | reopened |
    /// | reopened | open, in_progress, waiting_customer, waiting_internal, resolved, closed |
    pub fn allowed_transitions(&self) -> &'static [TicketStatus] {
        use TicketStatus::*;
        match self {
            New => &[Open, InProgress, Closed],
            Open => &[InProgress, WaitingCustomer, WaitingInternal, Resolved, Closed],
            InProgress => &[WaitingCustomer, WaitingInternal, Resolved, Closed],
            WaitingCustomer | WaitingInternal => &[Open, InProgress, Resolved, Closed],
            Resolved => &[Closed, Reopened],
            Closed => &[Reopened],
            Reopened => &[Open, InProgress, WaitingCustomer, WaitingInternal, Resolved, Closed],
            Unknown(_) => &[],
        }
    }

    /// True when the state machine lets a ticket in this status move to `next`. False for
    /// staying in the same status (the API refuses that too) and whenever either side is
    /// [`TicketStatus::Unknown`].
    ///
    /// ```
    /// use deskapi::nextcap::TicketStatus;
    /// assert!(TicketStatus::Resolved.can_transition_to(&TicketStatus::Reopened));
    /// assert!(!TicketStatus::Closed.can_transition_to(&TicketStatus::Open));
    /// assert!(!TicketStatus::Open.can_transition_to(&TicketStatus::Open));
    /// ```
    pub fn can_transition_to(&self, next: &TicketStatus) -> bool {
        self.allowed_transitions().contains(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_status_has_a_row_and_no_row_allows_staying() {
        for s in TicketStatus::KNOWN {
            assert!(!s.allowed_transitions().is_empty(), "{s}");
            assert!(!s.can_transition_to(s), "{s}");
        }
        assert!(TicketStatus::Unknown("x".into()).allowed_transitions().is_empty());
    }
}
