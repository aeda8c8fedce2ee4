//! HTTP bodies the runner builds itself: an idle timeout around any body, and
//! an incoming request body that was (partly) read before its guest started.
//!
//! A request's body is read into memory before the request takes an instance
//! permit (see `server.rs`), so a client that sends its body slowly holds a
//! connection and the bytes it sent, never an instance. The guest still sees
//! the same bytes and trailers, in order, as a stream.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};
use wasmtime_wasi_http::Error;

/// A body that fails with `ConnectionReadTimeout` when no frame arrives for
/// `timeout` (the timer restarts with every frame).
pub struct IdleTimeout<B> {
    inner: B,
    timeout: Duration,
    sleep: Pin<Box<Sleep>>,
}

impl<B> IdleTimeout<B> {
    pub fn new(inner: B, timeout: Duration) -> Self {
        Self { inner, timeout, sleep: Box::pin(tokio::time::sleep(timeout)) }
    }
}

impl<B> Body for IdleTimeout<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Error>,
{
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                let deadline = Instant::now() + this.timeout;
                this.sleep.as_mut().reset(deadline);
                Poll::Ready(frame.map(|f| f.map_err(Into::into)))
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(Error::ConnectionReadTimeout))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// What follows the frames already read.
enum Rest<B> {
    /// The body ended.
    Done,
    /// Reading it failed; the guest sees the error after the frames read before it.
    Failed(Option<Error>),
    /// Still arriving: larger than the per-request buffer.
    Streaming(IdleTimeout<B>),
}

/// A request body: the frames read before the guest started, then the rest.
///
/// It holds the bytes it counts against the runner's buffer budget (and, for a
/// body still streaming, a streaming slot) until it is dropped.
pub struct RequestBody<B> {
    buffered: VecDeque<Frame<Bytes>>,
    rest: Rest<B>,
    _held: Vec<OwnedSemaphorePermit>,
}

impl<B> RequestBody<B> {
    pub fn complete(buffered: VecDeque<Frame<Bytes>>, held: Vec<OwnedSemaphorePermit>) -> Self {
        Self { buffered, rest: Rest::Done, _held: held }
    }

    pub fn failed(buffered: VecDeque<Frame<Bytes>>, error: Error, held: Vec<OwnedSemaphorePermit>) -> Self {
        Self { buffered, rest: Rest::Failed(Some(error)), _held: held }
    }

    pub fn streaming(buffered: VecDeque<Frame<Bytes>>, rest: B, idle: Duration, held: Vec<OwnedSemaphorePermit>) -> Self {
        Self { buffered, rest: Rest::Streaming(IdleTimeout::new(rest, idle)), _held: held }
    }
}

impl<B> Body for RequestBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<Error>,
{
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = &mut *self;
        if let Some(frame) = this.buffered.pop_front() {
            return Poll::Ready(Some(Ok(frame)));
        }
        match &mut this.rest {
            Rest::Done => Poll::Ready(None),
            Rest::Failed(error) => Poll::Ready(error.take().map(Err)),
            Rest::Streaming(body) => Pin::new(body).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.buffered.is_empty()
            && match &self.rest {
                Rest::Done => true,
                Rest::Failed(error) => error.is_none(),
                Rest::Streaming(body) => body.is_end_stream(),
            }
    }

    fn size_hint(&self) -> SizeHint {
        let buffered: u64 = self.buffered.iter().filter_map(|f| f.data_ref()).map(|d| d.len() as u64).sum();
        match &self.rest {
            Rest::Streaming(body) => {
                let rest = body.size_hint();
                let mut hint = SizeHint::new();
                hint.set_lower(buffered + rest.lower());
                if let Some(upper) = rest.upper() {
                    hint.set_upper(buffered + upper);
                }
                hint
            }
            _ => SizeHint::with_exact(buffered),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Full};

    fn frames(parts: &[&'static str]) -> VecDeque<Frame<Bytes>> {
        parts.iter().map(|p| Frame::data(Bytes::from_static(p.as_bytes()))).collect()
    }

    #[tokio::test]
    async fn buffered_frames_then_the_rest_in_order() {
        let rest = Full::new(Bytes::from_static(b" dunia"));
        let body = RequestBody::streaming(frames(&["ha", "lo"]), rest, Duration::from_secs(5), Vec::new());
        assert_eq!(body.size_hint().lower(), 10);
        assert_eq!(body.collect().await.unwrap().to_bytes(), Bytes::from_static(b"halo dunia"));

        let body = RequestBody::<Full<Bytes>>::complete(frames(&["a", "b"]), Vec::new());
        assert_eq!(body.size_hint().exact(), Some(2));
        assert_eq!(body.collect().await.unwrap().to_bytes(), Bytes::from_static(b"ab"));
    }

    #[tokio::test]
    async fn a_failed_read_reaches_the_guest_after_what_arrived() {
        let mut body = RequestBody::<Full<Bytes>>::failed(frames(&["part"]), Error::ConnectionTerminated, Vec::new());
        assert!(body.frame().await.unwrap().unwrap().is_data());
        assert!(matches!(body.frame().await, Some(Err(Error::ConnectionTerminated))));
        assert!(body.frame().await.is_none());
    }

    /// A body that never sends anything.
    struct Silent;

    impl Body for Silent {
        type Data = Bytes;
        type Error = Error;
        fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
            Poll::Pending
        }
    }

    #[tokio::test]
    async fn a_silent_body_times_out() {
        let mut body = IdleTimeout::new(Silent, Duration::from_millis(50));
        let started = std::time::Instant::now();
        assert!(matches!(body.frame().await, Some(Err(Error::ConnectionReadTimeout))));
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
