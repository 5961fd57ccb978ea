//! The listener: accepts TCP connections and serves HTTP/1.1 on them with every resource a
//! client can hold bounded — how many connections, how long a request's head may take, how long
//! a connection may sit idle, how long a body may stall between chunks, how long a response may
//! wait for a client that does not read, and how much is buffered per connection.
//!
//! `axum::serve` sets none of these: an idle socket was held forever, so a few hundred sockets
//! that never send a byte exhausted the server. Only HTTP/1.1 is served (browsers speak HTTP/2
//! only over TLS, which a proxy in front of Mutu terminates), so there is one protocol to bound.

use crate::state::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// The request line and headers together may not exceed this (a bearer token and a browser's
/// usual headers take 1–2 KiB); past it the request gets 431 in the API's error shape
/// (`super::head_limit`). Past [`READ_BUFFER_MAX`] hyper itself closes the connection with a
/// bare 431, so no request head is ever buffered beyond that.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Headers per request.
pub const MAX_HEADERS: usize = 64;
/// The most a connection buffers of what the client sends before the handler takes it (hyper's
/// default is about 400 KiB; bodies are read chunk by chunk through it).
pub const READ_BUFFER_MAX: usize = 64 * 1024;
/// How long requests in flight may take to finish after a shutdown signal.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The answer to a connection past the cap, written without reading anything of the request.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
connection: close\r\ncontent-length: 90\r\n\r\n\
{\"error\":\"server_busy\",\"message\":\"the server has too many connections; try again shortly\"}";

/// Limits of the listener (from `MUTU_*` variables; see `Config`).
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// Open connections at most; the next one is answered 503 and closed.
    pub max_connections: usize,
    /// From a connection's start (or the end of its previous response) to the end of the next
    /// request's head. Covers both a slow head and an idle keep-alive connection.
    pub header_timeout: Duration,
    /// The longest pause between two chunks of a request body.
    pub body_timeout: Duration,
    /// The longest a response may wait for the client to take bytes.
    pub write_timeout: Duration,
}

/// Serves `router` on `listener` until `shutdown` completes; then stops accepting and lets
/// requests in flight finish (at most [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let limits = state.config.connections;
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(READ_BUFFER_MAX)
        .max_headers(MAX_HEADERS)
        .max_header_size(READ_BUFFER_MAX);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    accept_error(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            state.metrics.connection_refused();
            refuse(&stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let body_timeout = limits.body_timeout;
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let request = request.map(|body| Body::new(TimeoutBody::new(body_timeout, body)));
            router.clone().oneshot(request)
        });
        let io = TokioIo::new(WriteTimeout::new(Lingering(Some(stream)), limits.write_timeout));
        let connection = graceful.watch(http.serve_connection(io, service));
        let metrics = state.clone();
        metrics.metrics.connection_opened();
        tokio::spawn(async move {
            // Errors here are the client's (a reset, a timeout, a malformed head): nothing to log
            // above debug level.
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended");
            }
            metrics.metrics.connection_closed();
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(connections = graceful.count(), "shutting down: finishing requests in flight");
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await.is_err() {
        tracing::warn!("requests still in flight after {SHUTDOWN_GRACE:?}; stopping anyway");
    }
    Ok(())
}

/// Writes the 503 to a connection past the cap and closes it. A fresh socket's send buffer
/// takes these few bytes at once; should it not, the client just sees the connection close.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(BUSY);
}

/// An accept error: a connection that died before it was accepted is nothing; anything else
/// (out of file descriptors) is logged and the loop backs off briefly rather than spinning.
async fn accept_error(error: io::Error) {
    use io::ErrorKind::*;
    if matches!(error.kind(), ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted | WouldBlock) {
        return;
    }
    tracing::warn!(%error, "accepting a connection failed; backing off");
    tokio::time::sleep(Duration::from_millis(100)).await;
}

/// How long, and how many bytes, a closed connection still takes from its client (see
/// [`Lingering`]): enough for the largest upload a client may have been sending.
const LINGER_TIME: Duration = Duration::from_secs(5);
const LINGER_BYTES: usize = 64 * 1024 * 1024;

/// A client socket that closes the way HTTP servers must ("lingering close", RFC 9112 9.6):
/// when the server answers before it has read the whole request (a body over its limit, a
/// refused upload) and closes, the bytes still coming would meet a closed socket, whose kernel
/// answers them with a TCP reset; the reset can reach the client before it has read the answer,
/// and the answer is lost ("broken pipe" while it is still sending). So on drop the write side is
/// shut and what still arrives is read and thrown away, for at most [`LINGER_TIME`] and
/// [`LINGER_BYTES`], on a task of its own with one small buffer.
struct Lingering(Option<TcpStream>);

impl Lingering {
    fn stream(&mut self) -> io::Result<&mut TcpStream> {
        self.0.as_mut().ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "closed"))
    }
}

impl Drop for Lingering {
    fn drop(&mut self) {
        let Some(mut stream) = self.0.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        runtime.spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let _ = stream.shutdown().await;
            let deadline = tokio::time::Instant::now() + LINGER_TIME;
            let mut buf = [0u8; 8 * 1024];
            let mut drained = 0;
            while drained < LINGER_BYTES {
                match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => drained += n,
                    _ => break,
                }
            }
        });
    }
}

impl AsyncRead for Lingering {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(self.get_mut().stream()?).poll_read(cx, buf)
    }
}

impl AsyncWrite for Lingering {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(self.get_mut().stream()?).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(self.get_mut().stream()?).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(self.get_mut().stream()?).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(self.get_mut().stream()?).poll_shutdown(cx)
    }
}

/// A socket whose writes fail once they have made no progress for `timeout`: a client that
/// stops reading cannot hold a connection (and its response) for ever.
struct WriteTimeout<T> {
    stream: T,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> WriteTimeout<T> {
    fn new(stream: T, timeout: Duration) -> Self {
        WriteTimeout { stream, timeout, stalled: None }
    }

    /// Called when a write is pending: arms the deadline once, and errors when it has passed.
    fn poll_stall(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let timeout = self.timeout;
        let deadline = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        ready!(deadline.as_mut().poll(cx));
        Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading")))
    }

    fn written<R>(&mut self, cx: &mut Context<'_>, result: Poll<io::Result<R>>) -> Poll<io::Result<R>> {
        match result {
            Poll::Pending => match self.poll_stall(cx) {
                Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
                _ => Poll::Pending,
            },
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WriteTimeout<T> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WriteTimeout<T> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write(cx, buf);
        this.written(cx, result)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        this.written(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_flush(cx);
        this.written(cx, result)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.stream).poll_shutdown(cx);
        this.written(cx, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn the_busy_answer_declares_its_length() {
        let text = std::str::from_utf8(BUSY).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let declared: usize = head.lines().find_map(|l| l.strip_prefix("content-length: ")).unwrap().parse().unwrap();
        assert_eq!(declared, body.len());
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"], "server_busy");
    }

    #[tokio::test]
    async fn a_write_nobody_reads_fails_after_the_timeout() {
        let (near, mut far) = tokio::io::duplex(1024);
        let mut io = WriteTimeout::new(near, Duration::from_millis(200));
        let started = std::time::Instant::now();
        let error = io.write_all(&vec![0u8; 64 * 1024]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() >= Duration::from_millis(200));
        // A reader that keeps taking bytes is never cut off, however long the whole takes.
        let (near, mut far2) = tokio::io::duplex(1024);
        let reader = tokio::spawn(async move {
            let mut buf = vec![0u8; 512];
            let mut total = 0;
            while total < 16 * 1024 {
                tokio::time::sleep(Duration::from_millis(20)).await;
                total += far2.read(&mut buf).await.unwrap();
            }
        });
        let mut io = WriteTimeout::new(near, Duration::from_millis(200));
        io.write_all(&vec![0u8; 16 * 1024]).await.unwrap();
        reader.await.unwrap();
        drop(far.read(&mut [0u8; 1]).await);
    }
}
