//! Analytics computed from the rows themselves, never stored, so the numbers always agree
//! with what the list endpoints return for the same range (the contract's inferred metrics).
//!
//! Every counter counts rows whose `created_at` falls on a UTC day of the range:
//! conversations, messages, leads, tickets, call requests and visitors (first seen);
//! `handed_off_conversations` are those conversations that were handed off (`handed_off_at`
//! set), `resolved_conversations` those whose status is `resolved`. The overview adds the
//! resolution rate, the mean satisfaction rating of the range's conversations, and the
//! feedback given on the range's messages. The daily rows add up to the overview.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::NextCapStore;

/// The longest range, in days (inclusive): one leap year.
pub const MAX_RANGE_DAYS: i64 = 366;

/// A validated inclusive range of UTC days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl DateRange {
    /// The range `start..=end`; `Err` with the reason when `end` is before `start` or the
    /// range is longer than [`MAX_RANGE_DAYS`].
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<DateRange, String> {
        if end < start {
            return Err(format!("must not be before start_date ({start})"));
        }
        if (end - start).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(format!("the range may span at most {MAX_RANGE_DAYS} days"));
        }
        Ok(DateRange { start, end })
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day (inclusive).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Number of days, at least 1.
    pub fn days(&self) -> usize {
        usize::try_from((self.end - self.start).num_days() + 1).unwrap_or(1)
    }

    /// The day index of `t` in the range, if it falls inside.
    fn index(&self, t: DateTime<Utc>) -> Option<usize> {
        let day = t.date_naive();
        (day >= self.start && day <= self.end).then(|| usize::try_from((day - self.start).num_days()).unwrap_or(0))
    }
}

/// The counters shared by the overview and each day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counters {
    /// Conversations started.
    pub conversations: u64,
    /// Messages sent.
    pub messages: u64,
    /// Leads captured.
    pub leads: u64,
    /// Tickets created.
    pub tickets: u64,
    /// Call requests received.
    pub call_requests: u64,
    /// Visitors first seen.
    pub visitors: u64,
    /// Of the conversations, those handed off to a human.
    pub handed_off_conversations: u64,
    /// Of the conversations, those resolved.
    pub resolved_conversations: u64,
}

impl std::ops::AddAssign for Counters {
    fn add_assign(&mut self, o: Counters) {
        self.conversations += o.conversations;
        self.messages += o.messages;
        self.leads += o.leads;
        self.tickets += o.tickets;
        self.call_requests += o.call_requests;
        self.visitors += o.visitors;
        self.handed_off_conversations += o.handed_off_conversations;
        self.resolved_conversations += o.resolved_conversations;
    }
}

/// One day of `GET /external/analytics/daily`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalyticsDay {
    /// The UTC day, `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// Its counters.
    #[serde(flatten)]
    pub counters: Counters,
}

/// `GET /external/analytics/overview`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalyticsOverview {
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (inclusive).
    pub end_date: NaiveDate,
    /// Totals over the range.
    #[serde(flatten)]
    pub counters: Counters,
    /// Resolved / conversations; null without conversations.
    pub resolution_rate: Option<f64>,
    /// Mean rating of the range's rated conversations; null without ratings.
    pub avg_satisfaction_rating: Option<f64>,
    /// Messages of the range rated positive.
    pub positive_feedback: u64,
    /// Messages of the range rated negative.
    pub negative_feedback: u64,
}

/// What one pass over the rows collects.
struct Tally {
    days: Vec<Counters>,
    ratings: Vec<u8>,
    positive: u64,
    negative: u64,
}

impl NextCapStore {
    fn tally(&self, org_id: Uuid, range: &DateRange) -> Tally {
        let mut t =
            Tally { days: vec![Counters::default(); range.days()], ratings: Vec::new(), positive: 0, negative: 0 };
        let mut bump = |at: DateTime<Utc>, f: &mut dyn FnMut(&mut Counters)| {
            if let Some(i) = range.index(at) {
                f(&mut t.days[i]);
            }
        };
        for l in self.leads.iter().filter(|l| l.org_id == org_id) {
            bump(l.created_at, &mut |c| c.leads += 1);
        }
        for x in self.tickets.iter().filter(|x| x.org_id == org_id) {
            bump(x.created_at, &mut |c| c.tickets += 1);
        }
        for x in self.call_requests.iter().filter(|x| x.org_id == org_id) {
            bump(x.created_at, &mut |c| c.call_requests += 1);
        }
        for x in self.visitors.iter().filter(|x| x.org_id == org_id) {
            bump(x.created_at, &mut |c| c.visitors += 1);
        }
        let mut conversation_ids = HashSet::new();
        for x in self.conversations.iter().filter(|x| x.org_id == org_id) {
            conversation_ids.insert(x.id);
            bump(x.created_at, &mut |c| {
                c.conversations += 1;
                c.handed_off_conversations += u64::from(x.handed_off_at.is_some());
                c.resolved_conversations += u64::from(x.status == "resolved");
            });
        }
        let mut ratings = Vec::new();
        for x in self.conversations.iter().filter(|x| x.org_id == org_id && range.index(x.created_at).is_some()) {
            ratings.extend(x.satisfaction_rating);
        }
        let (mut positive, mut negative) = (0, 0);
        for m in self.messages.iter().filter(|m| conversation_ids.contains(&m.conversation_id)) {
            bump(m.created_at, &mut |c| c.messages += 1);
            if range.index(m.created_at).is_some() {
                positive += u64::from(m.feedback.as_deref() == Some("positive"));
                negative += u64::from(m.feedback.as_deref() == Some("negative"));
            }
        }
        t.ratings = ratings;
        t.positive = positive;
        t.negative = negative;
        t
    }

    /// One row per day of `range`, oldest first, zero days included.
    pub fn analytics_daily(&self, org_id: Uuid, range: &DateRange) -> Vec<AnalyticsDay> {
        self.tally(org_id, range)
            .days
            .into_iter()
            .enumerate()
            .map(|(i, counters)| AnalyticsDay {
                date: range.start + Duration::days(i64::try_from(i).unwrap_or(0)),
                counters,
            })
            .collect()
    }

    /// Totals over `range`.
    pub fn analytics_overview(&self, org_id: Uuid, range: &DateRange) -> AnalyticsOverview {
        let tally = self.tally(org_id, range);
        let mut counters = Counters::default();
        for day in &tally.days {
            counters += *day;
        }
        let ratio = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
        let rating_sum: u64 = tally.ratings.iter().map(|r| u64::from(*r)).sum();
        AnalyticsOverview {
            start_date: range.start,
            end_date: range.end,
            counters,
            resolution_rate: ratio(counters.resolved_conversations, counters.conversations),
            avg_satisfaction_rating: ratio(rating_sum, tally.ratings.len() as u64),
            positive_feedback: tally.positive,
            negative_feedback: tally.negative,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn ranges_are_inclusive_ordered_and_bounded() {
        assert_eq!(DateRange::new(day("2026-05-01"), day("2026-05-01")).map(|r| r.days()), Ok(1));
        assert_eq!(DateRange::new(day("2024-01-01"), day("2024-12-31")).map(|r| r.days()), Ok(366));
        assert!(DateRange::new(day("2024-01-01"), day("2025-01-01")).is_err(), "367 days");
        assert!(DateRange::new(day("2026-05-02"), day("2026-05-01")).is_err());
        let r = DateRange::new(day("2026-05-01"), day("2026-05-03")).unwrap_or_else(|e| panic!("{e}"));
        let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
        assert_eq!(r.index(at("2026-05-01T00:00:00Z")), Some(0));
        assert_eq!(r.index(at("2026-05-03T23:59:59.999Z")), Some(2));
        assert_eq!(r.index(at("2026-05-04T00:00:00Z")), None);
        assert_eq!(r.index(at("2026-04-30T23:59:59Z")), None);
    }
}
