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
//! the first page tells the total, so up to `read_ahead` pages are fetched concurrently;
//! cursor lists can only have the next page in flight. Pages are always yielded in order.
//!
//! A stream can never loop forever: page numbers must increase and stay within the announced
//! last page, a cursor that is empty or was seen before ends it, and so does an empty page.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

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
    /// Cursor pages: pass this cursor to get the next page.
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
        if let PageToken::Cursor(c) = &self.start {
            if c.is_empty() {
                return Err(Error::invalid("cursor", "must not be empty"));
            }
        }
        self.params.validate()?;
        self.path.clone().map_err(|(name, message)| Error::InvalidArgument { name, message })
    }

    /// Fetches one page (the first, or the one set with `.page()`), with its metadata.
    pub async fn send(self) -> Result<PageOf<P>> {
        let path = self.check()?;
        let fetcher = Fetcher { transport: self.transport, path, params: self.params };
        fetcher.fetch(self.start).await
    }

    /// Every page, lazily, reading ahead within the bound.
    pub fn pages(self) -> Pages<P> {
        let read_ahead = self.read_ahead;
        let (fetcher, failed) = match self.check() {
            Ok(path) => (Some(Arc::new(Fetcher { transport: self.transport, path, params: self.params })), None),
            Err(e) => (None, Some(e)),
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
            done: false,
        }
    }

    /// Every item of every page, lazily.
    pub fn stream(self) -> Items<P> {
        Items { pages: self.pages(), current: Vec::new().into_iter() }
    }
}

struct Fetcher<P> {
    transport: Transport,
    path: String,
    params: P,
}

impl<P: ListParams> Fetcher<P> {
    async fn fetch(&self, token: PageToken) -> Result<PageOf<P>> {
        let mut spec = RequestSpec::new(http::Method::GET, self.path.clone()).query(&self.params)?;
        if let Some((name, value)) = P::Style::token_query(&token) {
            let pair = serde_urlencoded::to_string([(name, value)]).unwrap_or_default();
            if !spec.query.is_empty() {
                spec.query.push('&');
            }
            spec.query.push_str(&pair);
        }
        let resp = self.transport.execute(spec).await?;
        P::Style::decode(resp.status, &resp.body)
    }
}

/// Stream of pages from [`ListRequest::pages`].
#[must_use = "streams do nothing unless polled"]
pub struct Pages<P: ListParams> {
    fetcher: Option<Arc<Fetcher<P>>>,
    failed: Option<Error>,
    read_ahead: usize,
    in_flight: VecDeque<JoinHandle<Result<PageOf<P>>>>,
    /// The next token to request when a slot frees (cursor mode, or the first page).
    pending: Option<PageToken>,
    /// Numbered mode: the last page announced so far.
    last_page: Option<u32>,
    highest_requested: u32,
    seen_cursors: HashSet<String>,
    done: bool,
}

impl<P: ListParams> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("in_flight", &self.in_flight.len())
            .field("read_ahead", &self.read_ahead)
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
            let f = fetcher.clone();
            self.in_flight.push_back(tokio::spawn(async move { f.fetch(token).await }));
        }
    }

    /// Decides what follows a page that just arrived.
    fn plan_after(&mut self, page: &PageOf<P>) {
        if page.items.is_empty() {
            self.finish();
            return;
        }
        match P::Style::next(&page.meta) {
            NextPage::End => self.finish(),
            NextPage::Number { next, last } => {
                // The paginator itself hands out page numbers, each once and in increasing
                // order, up to the smallest last page ever announced: that alone bounds it.
                if next == 0 || next > last {
                    self.finish();
                } else {
                    if self.highest_requested == 0 {
                        self.highest_requested = next - 1;
                    }
                    self.last_page = Some(self.last_page.map_or(last, |l| l.min(last)));
                }
            }
            NextPage::Cursor(cursor) => {
                if cursor.is_empty() || !self.seen_cursors.insert(cursor.clone()) {
                    self.finish();
                } else {
                    self.pending = Some(PageToken::Cursor(cursor));
                }
            }
        }
    }

    fn finish(&mut self) {
        // Pages already in flight were announced by the server; keep them. Only stop new ones.
        self.done = true;
        self.pending = None;
    }

    fn abort_all(&mut self) {
        for h in self.in_flight.drain(..) {
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
            return Poll::Ready(Some(Err(err)));
        }
        this.top_up();
        let Some(front) = this.in_flight.front_mut() else { return Poll::Ready(None) };
        let joined = ready!(Pin::new(front).poll(cx));
        this.in_flight.pop_front();
        match joined {
            Ok(Ok(page)) => {
                this.plan_after(&page);
                // Start the next requests before handing this page over.
                this.top_up();
                Poll::Ready(Some(Ok(page)))
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
