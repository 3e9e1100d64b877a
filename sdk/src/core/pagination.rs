//! One paginator for three envelope styles.
//!
//! Every list endpoint returns a [`ListRequest`]: `.send()` fetches one page with its metadata,
//! `.pages()` every page and `.stream()` every item. A [`PageStyle`] describes one API's
//! envelope (Next Cap page numbers, NexaDesk cursors, Desk Hive Laravel pages); a
//! [`ListParams`] type holds one endpoint's filters. Nothing else is written per endpoint.
//!
//! Streams are lazy (nothing is sent until the first poll) and read ahead within a bound:
//! when a page arrives, the next requests are started *before* the page is handed over, so
//! they are in flight while the caller works. Page-numbered lists know every page number once
//! a page tells the total, so up to `read_ahead` pages are fetched concurrently; cursor lists
//! can only have the next page in flight. Pages are always yielded in order.
//!
//! A walk ends only when the server says the list is complete. It follows the newest total a
//! page announces (rows inserted mid-walk add pages at the tail), and an empty page is not the
//! end while the envelope promises more. Every envelope is checked against the request it
//! answers; when the server contradicts itself the walk stops with
//! [`Error::IncompleteList`] after yielding what it has, so a silent short or looping walk is
//! impossible. Where the API offers a creation-time bound ([`PageStyle::SNAPSHOT_FILTER`]),
//! the walk is pinned to one snapshot so inserts cannot shift later pages.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::{Duration, SystemTime};

use futures::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::task::JoinHandle;

use super::error::{Error, Result};
use super::transport::{RequestSpec, Transport};

/// Where a page request starts.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageToken {
    /// The API's first page (no page parameter sent).
    First,
    /// A page number (1-based).
    Number(u32),
    /// An opaque cursor from a previous page.
    Cursor(String),
}

/// What a page's metadata says comes next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    /// This was the last page.
    End,
    /// Numbered pages: `next` is the following page, `last` the last one announced.
    Number {
        /// The page after this one.
        next: u32,
        /// The last page the API announced.
        last: u32,
    },
    /// Cursor pages: pass this cursor to get the next page. An empty cursor means the page
    /// promised more but gave no way to reach it (the walk then ends with
    /// [`Error::IncompleteList`]).
    Cursor(String),
}

/// One API's list envelope.
pub trait PageStyle: Send + Sync + 'static {
    /// The metadata each page carries.
    type Meta: Clone + fmt::Debug + Send + Sync + 'static;
    /// Decodes one page's body.
    #[doc(hidden)]
    fn decode<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<Page<T, Self::Meta>>;
    /// The query parameters that select `token`'s page.
    #[doc(hidden)]
    fn token_query(token: &PageToken) -> Option<(&'static str, String)>;
    /// What comes after a page.
    fn next(meta: &Self::Meta) -> NextPage;
    /// The page number a page's envelope says it is (numbered styles), so the walk can check
    /// it is the page it asked for. `None` when the style has no page numbers.
    fn position(meta: &Self::Meta) -> Option<u32> {
        let _ = meta;
        None
    }
    /// The query parameter that keeps only items created strictly before an instant (sent as
    /// RFC 3339 UTC with milliseconds), if the API has one. `.pages()`/`.stream()` set it to
    /// the walk's start when the caller did not, so the walk reads one snapshot.
    const SNAPSHOT_FILTER: Option<&'static str> = None;
}

/// One endpoint's filters; serialized as its query string.
pub trait ListParams: Serialize + Clone + Send + Sync + 'static {
    /// The item type of the list.
    type Item: DeserializeOwned + Send + 'static;
    /// The API's envelope style.
    type Style: PageStyle;
    /// Rejects invalid filters before any request.
    fn validate(&self) -> Result<()> {
        Ok(())
    }
}

/// One page of a list, with the API's metadata.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Page<T, M> {
    /// The items on this page, in the API's order.
    pub items: Vec<T>,
    /// The API's pagination metadata for this page.
    pub meta: M,
}

impl<T, M> Page<T, M> {
    /// Builds a page (used by the envelope decoders).
    pub fn new(items: Vec<T>, meta: M) -> Self {
        Self { items, meta }
    }
}

/// A list call being built: set filters, then `.send()`, `.pages()` or `.stream()`.
#[must_use = "a list request does nothing until you call .send(), .pages() or .stream()"]
#[derive(Clone, Debug)]
pub struct ListRequest<P> {
    transport: Transport,
    path: Result<String, (String, String)>,
    pub(crate) params: P,
    start: PageToken,
    read_ahead: usize,
}

type PageOf<P> = Page<<P as ListParams>::Item, <<P as ListParams>::Style as PageStyle>::Meta>;

impl<P: ListParams> ListRequest<P> {
    pub(crate) fn new(transport: &Transport, path: Result<String>, params: P) -> Self {
        let path = path.map_err(|e| match e {
            Error::InvalidArgument { name, message } => (name, message),
            other => ("path".to_owned(), other.to_string()),
        });
        let read_ahead = transport.options().read_ahead;
        Self { transport: transport.clone(), path, params, start: PageToken::First, read_ahead }
    }

    /// The filters set so far.
    pub fn params(&self) -> &P {
        &self.params
    }

    /// Starts at this page number (1-based) instead of the first.
    pub fn page(mut self, page: u32) -> Self {
        self.start = PageToken::Number(page);
        self
    }

    /// Starts from a page token returned earlier.
    pub fn start_at(mut self, token: PageToken) -> Self {
        self.start = token;
        self
    }

    /// How many pages `.pages()`/`.stream()` may fetch ahead of the caller (at least 1).
    /// Defaults to the client's setting.
    pub fn read_ahead(mut self, pages: usize) -> Self {
        self.read_ahead = pages.max(1);
        self
    }

    fn check(&self) -> Result<String> {
        if let PageToken::Number(0) = self.start {
            return Err(Error::invalid("page", "pages are numbered from 1"));
        }
        if let PageToken::Cursor(c) = &self.start
            && c.is_empty()
        {
            return Err(Error::invalid("cursor", "must not be empty"));
        }
        self.params.validate()?;
        self.path.clone().map_err(|(name, message)| Error::InvalidArgument { name, message })
    }

    /// Fetches one page (the first, or the one set with `.page()`), with its metadata.
    pub async fn send(self) -> Result<PageOf<P>> {
        let path = self.check()?;
        let fetcher = Fetcher { transport: self.transport, path, params: self.params };
        fetcher.fetch(self.start, None).await.map(|(page, _)| page)
    }

    /// Every page, lazily, reading ahead within the bound.
    ///
    /// Guarantees (the same as [`Self::stream`]'s, per page):
    /// - **Order**: pages come in the API's order, whatever the read-ahead.
    /// - **What ends the walk**: only the server saying the list is complete: the last page
    ///   of the newest total announced (page-numbered lists) or a page without more to come
    ///   (cursor lists). An empty page is not the end while its envelope promises more. An
    ///   error is yielded once and ends the walk; when a page contradicts the request (another
    ///   page number, a cursor seen before, more promised but no cursor, or endless empty
    ///   pages) the walk ends with [`Error::IncompleteList`] after the pages received.
    /// - **Completeness**: when the walk ends without an error, every item that existed for
    ///   the whole walk and matches the filters was yielded **at least once**. Not exactly
    ///   once: rows inserted or deleted while an unpinned list is walked shift the pages, so
    ///   an item may come twice; the walk never skips one to avoid that.
    /// - **Snapshot** (Next Cap lists): when the caller set no `created_before`, the walk
    ///   pins one: the server's clock (`Date` header) when it answered the first page, plus
    ///   one second for that header's resolution (the local clock, when no `Date` is sent).
    ///   Later pages then read the list as it was then, so an export running while leads
    ///   arrive neither loses nor repeats rows; items created after the walk began are not
    ///   part of it. The first page is read unpinned, so a row created in the second around
    ///   it may be yielded twice.
    pub fn pages(self) -> Pages<P> {
        let read_ahead = self.read_ahead;
        let (fetcher, failed, pin_wanted) = match self.check() {
            Ok(path) => {
                let pin_wanted = P::Style::SNAPSHOT_FILTER.is_some_and(|name| !has_param(&self.params, name));
                (Some(Arc::new(Fetcher { transport: self.transport, path, params: self.params })), None, pin_wanted)
            }
            Err(e) => (None, Some(e), false),
        };
        Pages {
            fetcher,
            failed,
            read_ahead,
            in_flight: VecDeque::new(),
            pending: Some(self.start),
            last_page: None,
            highest_requested: 0,
            seen_cursors: HashSet::new(),
            pin_wanted,
            pin: None,
            empty_run: 0,
            yielded: 0,
            done: false,
        }
    }

    /// Every item of every page, lazily.
    ///
    /// The guarantees are those of [`Self::pages`]: items in the API's order, at least once
    /// each for every item that existed for the whole walk, a walk that ends only when the
    /// server says the list is complete (or with an error, last), and for Next Cap lists one
    /// pinned snapshot (`created_before` set to the walk's start when the caller set none).
    pub fn stream(self) -> Items<P> {
        Items { pages: self.pages(), current: Vec::new().into_iter() }
    }
}

/// Whether the serialized filters already carry `name` (the caller set it).
fn has_param(params: &impl Serialize, name: &str) -> bool {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    serde_urlencoded::from_str::<Vec<(String, String)>>(&query).is_ok_and(|pairs| pairs.iter().any(|(k, _)| k == name))
}

/// How many empty pages in a row a walk accepts while the server promises more. A server
/// that filters after paging may send a few; one that sends this many is not making progress.
const MAX_EMPTY_RUN: u32 = 16;

/// The resolution of the `Date` header: the pin is this much after it, so every row the
/// server held when it answered lies strictly before the pin.
const DATE_RESOLUTION: Duration = Duration::from_secs(1);

struct Fetcher<P> {
    transport: Transport,
    path: String,
    params: P,
}

/// One page and the server's clock when it answered.
type Fetched<P> = (PageOf<P>, Option<SystemTime>);

impl<P: ListParams> Fetcher<P> {
    async fn fetch(&self, token: PageToken, pin: Option<&str>) -> Result<Fetched<P>> {
        let mut spec = RequestSpec::new(http::Method::GET, self.path.clone()).query(&self.params)?;
        let mut extra = Vec::with_capacity(2);
        if let (Some(name), Some(at)) = (P::Style::SNAPSHOT_FILTER, pin) {
            extra.push((name, at.to_owned()));
        }
        if let Some(pair) = P::Style::token_query(&token) {
            extra.push(pair);
        }
        if !extra.is_empty() {
            let pairs = serde_urlencoded::to_string(extra).unwrap_or_default();
            if !spec.query.is_empty() {
                spec.query.push('&');
            }
            spec.query.push_str(&pairs);
        }
        let resp = self.transport.execute(spec).await?;
        Ok((P::Style::decode(resp.status, &resp.body)?, resp.date))
    }
}

/// Stream of pages from [`ListRequest::pages`]; see there for its guarantees.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<P: ListParams> {
    fetcher: Option<Arc<Fetcher<P>>>,
    failed: Option<Error>,
    read_ahead: usize,
    /// Requests in flight, oldest first, each with the token it asked for.
    in_flight: VecDeque<(PageToken, JoinHandle<Result<Fetched<P>>>)>,
    /// The next token to request when a slot frees (cursor mode, or the first page).
    pending: Option<PageToken>,
    /// Numbered mode: the last page the newest page announced.
    last_page: Option<u32>,
    highest_requested: u32,
    seen_cursors: HashSet<String>,
    /// The API can pin the walk and the caller did not: pin it after the first page.
    pin_wanted: bool,
    /// The snapshot bound sent with every page after the first (RFC 3339, UTC).
    pin: Option<Arc<str>>,
    /// Empty pages in a row while more was promised.
    empty_run: u32,
    yielded: u64,
    done: bool,
}

impl<P: ListParams> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("in_flight", &self.in_flight.len())
            .field("read_ahead", &self.read_ahead)
            .field("pin", &self.pin)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<P: ListParams> Pages<P> {
    fn next_token(&mut self) -> Option<PageToken> {
        if self.done {
            return None;
        }
        if let Some(token) = self.pending.take() {
            if let PageToken::Number(n) = token {
                self.highest_requested = n;
            }
            return Some(token);
        }
        let last = self.last_page?;
        if self.highest_requested < last {
            self.highest_requested += 1;
            return Some(PageToken::Number(self.highest_requested));
        }
        None
    }

    /// Starts requests until the read-ahead bound is reached or nothing more is known.
    fn top_up(&mut self) {
        let Some(fetcher) = self.fetcher.clone() else { return };
        while self.in_flight.len() < self.read_ahead {
            let Some(token) = self.next_token() else { break };
            let (f, pin, asked) = (fetcher.clone(), self.pin.clone(), token.clone());
            self.in_flight.push_back((token, tokio::spawn(async move { f.fetch(asked, pin.as_deref()).await })));
        }
    }

    /// Pins the walk to the server's clock when it answered the first page.
    fn pin_after_first(&mut self, server_time: Option<SystemTime>) {
        if !self.pin_wanted || self.pin.is_some() {
            return;
        }
        let base = server_time.unwrap_or_else(SystemTime::now);
        let at = base.checked_add(DATE_RESOLUTION).unwrap_or(base);
        let at: chrono::DateTime<chrono::Utc> = at.into();
        self.pin = Some(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).into());
    }

    /// Decides what follows a page that just arrived in answer to `asked`. `Err` rejects the
    /// page (it is not the one asked for); `Ok(Some(reason))` keeps it but says why the rest
    /// of the list cannot be reached.
    fn plan_after(&mut self, asked: &PageToken, page: &PageOf<P>) -> std::result::Result<Option<String>, String> {
        let position = P::Style::position(&page.meta);
        if let (PageToken::Number(n), Some(p)) = (asked, position)
            && *n != p
        {
            return Err(format!("page {n} was requested but the server answered with page {p}"));
        }
        let next = P::Style::next(&page.meta);
        if page.items.is_empty() && next != NextPage::End {
            self.empty_run += 1;
            if self.empty_run >= MAX_EMPTY_RUN {
                return Ok(Some(format!("{MAX_EMPTY_RUN} empty pages in a row, each promising more")));
            }
        } else {
            self.empty_run = 0;
        }
        match next {
            NextPage::End => {
                // Numbered: this page is the newest word on where the list ends. Pages after
                // it may already be in flight (they come back empty); no new ones start.
                if let Some(p) = position {
                    self.last_page = Some(p);
                    self.highest_requested = self.highest_requested.max(p);
                } else {
                    self.finish();
                }
            }
            NextPage::Number { next, last } => {
                if next == 0 || next > last {
                    return Ok(Some(format!("the envelope points to page {next} of {last}")));
                }
                if self.highest_requested == 0 {
                    self.highest_requested = next - 1;
                }
                // Follow the newest total: rows inserted mid-walk add pages at the tail.
                self.last_page = Some(last);
            }
            NextPage::Cursor(cursor) => {
                if cursor.is_empty() {
                    return Ok(Some("the page says more follow but gives no cursor to them".to_owned()));
                }
                if !self.seen_cursors.insert(cursor.clone()) {
                    return Ok(Some(format!("the server repeated the cursor `{cursor}`")));
                }
                self.pending = Some(PageToken::Cursor(cursor));
            }
        }
        Ok(None)
    }

    fn finish(&mut self) {
        // Pages already in flight were announced by the server; keep them. Only stop new ones.
        self.done = true;
        self.pending = None;
    }

    fn abort_all(&mut self) {
        for (_, h) in self.in_flight.drain(..) {
            h.abort();
        }
    }
}

impl<P: ListParams> Stream for Pages<P> {
    type Item = Result<PageOf<P>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(err) = this.failed.take() {
            this.done = true;
            this.abort_all();
            return Poll::Ready(Some(Err(err)));
        }
        this.top_up();
        let Some((_, front)) = this.in_flight.front_mut() else { return Poll::Ready(None) };
        let joined = ready!(Pin::new(front).poll(cx));
        let Some((asked, _)) = this.in_flight.pop_front() else { return Poll::Ready(None) };
        match joined {
            Ok(Ok((page, server_time))) => {
                match this.plan_after(&asked, &page) {
                    Ok(stuck) => {
                        if let Some(reason) = stuck {
                            // This page is good; the error comes after it, at the next poll.
                            this.done = true;
                            this.abort_all();
                            this.failed = Some(Error::IncompleteList { pages: this.yielded + 1, reason });
                        }
                        this.pin_after_first(server_time);
                        // Start the next requests before handing this page over.
                        this.top_up();
                        this.yielded += 1;
                        Poll::Ready(Some(Ok(page)))
                    }
                    Err(reason) => {
                        // The contradicting page is not yielded: it is not the page asked for,
                        // or its items were seen before.
                        this.done = true;
                        this.abort_all();
                        Poll::Ready(Some(Err(Error::IncompleteList { pages: this.yielded, reason })))
                    }
                }
            }
            Ok(Err(e)) => {
                this.done = true;
                this.abort_all();
                Poll::Ready(Some(Err(e)))
            }
            Err(join) if join.is_panic() => std::panic::resume_unwind(join.into_panic()),
            Err(_) => {
                this.done = true;
                this.abort_all();
                Poll::Ready(None)
            }
        }
    }
}

impl<P: ListParams> Drop for Pages<P> {
    fn drop(&mut self) {
        self.abort_all();
    }
}

/// Stream of items from [`ListRequest::stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<P: ListParams> {
    pages: Pages<P>,
    current: std::vec::IntoIter<P::Item>,
}

impl<P: ListParams> fmt::Debug for Items<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).finish_non_exhaustive()
    }
}

impl<P: ListParams> Stream for Items<P>
where
    P::Item: Unpin,
{
    type Item = Result<P::Item>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut self.pages).poll_next(cx)) {
                Some(Ok(page)) => self.current = page.items.into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
