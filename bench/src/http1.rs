//! A lean HTTP/1.1 keep-alive client for the rush's load: requests are written as prepared
//! bytes and answers read by `Content-Length`, one at a time per connection.
//!
//! The load generator shares the machine's two cores with the server it measures. Through
//! reqwest (hyper's client, its pool, one task per request) it took ≈ 22 µs of CPU per push,
//! more than a third of what the server itself takes; every microsecond it spends is one the
//! server cannot, so the rush measured the client as much as the server. This client is what
//! `wrk`-style tools do: no pool, no header maps, a buffer per connection. It still speaks
//! plain HTTP/1.1 to the real server, and every answer is checked in full afterwards.

use anyhow::{Context, bail, ensure};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// Largest answer head accepted (status line and headers).
const MAX_HEAD: usize = 16 * 1024;

/// Largest answer body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// One keep-alive connection.
pub struct Connection {
    stream: TcpStream,
    /// Bytes read past the last answer (none, unless the server pipelines).
    buffer: Vec<u8>,
}

/// An answer: its status and body.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The body, as sent.
    pub body: Vec<u8>,
}

impl Connection {
    /// Connects to `base` (`http://host:port`, no path).
    pub async fn open(base: &str) -> anyhow::Result<Self> {
        let addr = host_port(base)?;
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("connecting to {addr}"))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buffer: Vec::with_capacity(4096),
        })
    }

    /// Sends one whole request (made by [`request`]) and reads its answer.
    pub async fn send(&mut self, request: &[u8]) -> anyhow::Result<Answer> {
        self.stream.write_all(request).await?;
        self.read_answer().await
    }

    async fn read_answer(&mut self) -> anyhow::Result<Answer> {
        loop {
            if let Some((head_len, status, body_len)) = parse_head(&self.buffer)? {
                let end = head_len + body_len;
                while self.buffer.len() < end {
                    self.fill().await?;
                }
                let body = self.buffer[head_len..end].to_vec();
                self.buffer.drain(..end);
                return Ok(Answer { status, body });
            }
            ensure!(
                self.buffer.len() < MAX_HEAD,
                "an answer's head is over {MAX_HEAD} bytes"
            );
            self.fill().await?;
        }
    }

    async fn fill(&mut self) -> anyhow::Result<()> {
        self.buffer.reserve(4096);
        let n = self.stream.read_buf(&mut self.buffer).await?;
        ensure!(n > 0, "the server closed the connection mid-answer");
        Ok(())
    }
}

/// A request's bytes: `method` `path` with `headers` (name, value) and `body`.
pub fn request(
    method: &str,
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> anyhow::Result<Vec<u8>> {
    let host = host_port(base)?;
    let mut out = format!("{method} {path} HTTP/1.1\r\nhost: {host}\r\n");
    for (name, value) in headers {
        ensure!(
            !name.contains(['\r', '\n', ':']) && !value.contains(['\r', '\n']),
            "a header that would break the request: {name}"
        );
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    Ok(bytes)
}

/// `host:port` of an `http://host:port` base URL.
fn host_port(base: &str) -> anyhow::Result<&str> {
    let rest = base
        .strip_prefix("http://")
        .with_context(|| format!("not an http:// URL: {base}"))?;
    let host = rest.trim_end_matches('/');
    ensure!(
        !host.is_empty() && !host.contains('/'),
        "a base URL with a path: {base}"
    );
    Ok(host)
}

/// A complete head in `buf`: its length, the status and the body's length. `None` while the
/// head is incomplete. Only `Content-Length` bodies are read (the server sends no other kind to
/// these requests); anything else is an error, not a guess.
fn parse_head(buf: &[u8]) -> anyhow::Result<Option<(usize, u16, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response
        .parse(buf)
        .context("an answer that is not HTTP/1.1")?
    {
        httparse::Status::Complete(n) => n,
        httparse::Status::Partial => return Ok(None),
    };
    let status = response.code.context("an answer without a status")?;
    let mut body_len = None;
    for h in response.headers.iter() {
        if h.name.eq_ignore_ascii_case("content-length") {
            let n: usize = std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .context("an unreadable content-length")?;
            ensure!(n <= MAX_BODY, "an answer body of {n} bytes");
            body_len = Some(n);
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            bail!("a chunked answer (status {status}): this client reads content-length only");
        }
    }
    let body_len =
        body_len.with_context(|| format!("an answer (status {status}) without content-length"))?;
    Ok(Some((head_len, status, body_len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_a_head_then_the_body() {
        let r = request(
            "POST",
            "http://127.0.0.1:8080",
            "/api/v1/sync/push",
            &[
                ("authorization", "Bearer t"),
                ("content-type", "application/json"),
            ],
            b"{}",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(r).unwrap(),
            "POST /api/v1/sync/push HTTP/1.1\r\nhost: 127.0.0.1:8080\r\n\
             authorization: Bearer t\r\ncontent-type: application/json\r\n\
             content-length: 2\r\n\r\n{}"
        );
    }

    #[test]
    fn a_header_that_would_split_the_request_is_refused() {
        assert!(request("GET", "http://h:1", "/", &[("x", "a\r\nb: c")], b"").is_err());
        assert!(request("GET", "https://h:1", "/", &[], b"").is_err());
        assert!(request("GET", "http://h:1/path", "/", &[], b"").is_err());
    }

    #[test]
    fn heads_are_read_whole_or_not_at_all() {
        let answer =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_head(&answer[..20]).unwrap(), None);
        assert_eq!(
            parse_head(answer).unwrap(),
            Some((answer.len() - 2, 200, 2))
        );
        // A body not yet fully read still has a complete head.
        assert_eq!(
            parse_head(&answer[..answer.len() - 1]).unwrap(),
            Some((answer.len() - 2, 200, 2))
        );
    }

    #[test]
    fn answers_without_a_length_are_errors() {
        assert!(parse_head(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n").is_err());
        assert!(parse_head(b"HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n").is_err());
        assert!(parse_head(b"garbage\r\n\r\n").is_err());
    }
}
