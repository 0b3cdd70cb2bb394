//! The HTTP side of `folio serve`: the site from memory, the live-reload script and the
//! event stream. Only GET and HEAD; nothing outside the site; no directory listings.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::{Change, Shared};
use crate::text::escape_html;

/// The dev server's own addresses, under the path the site is served at.
const EVENTS_PATH: &str = "_folio/events";
const SCRIPT_PATH: &str = "_folio/live.js";
/// A page's warnings, as JSON: `_folio/warnings?page=/schools/`.
const WARNINGS_PATH: &str = "_folio/warnings";
/// Every review date of the site, overdue first: a page only the dev server offers.
pub(crate) const REVIEW_PATH: &str = "_folio/review";
const SCRIPT: &str = include_str!("live.js");

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(route).with_state(shared)
}

/// Open connections at most: a page and its event stream are two.
const MOST_CONNECTIONS: usize = 128;

/// A request's head must arrive within this, or the connection is closed.
const HEAD_WITHIN: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` until `stop`: each connection on a task of its own, no more
/// than [`MOST_CONNECTIONS`] at once (one more is closed at once), and one whose request
/// does not arrive in [`HEAD_WITHIN`] is dropped.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    stop: tokio::sync::oneshot::Receiver<()>,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    // One request a connection: a connection never waits for a second request, so an event
    // stream is not cut off by the wait for one.
    builder
        .http1()
        .keep_alive(false)
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_WITHIN);
    let builder = Arc::new(builder);
    let open = Arc::new(tokio::sync::Semaphore::new(MOST_CONNECTIONS));
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => continue,
            },
            _ = &mut stop => return,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let builder = builder.clone();
        tokio::spawn(async move {
            let _ = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// Whether a request's `Host` is this computer: a page of another site that a hostile name
/// server points at 127.0.0.1 (DNS rebinding) names its own host and is refused.
fn trusted_host(host: Option<&str>, bound: &std::net::SocketAddr) -> bool {
    let Some(host) = host else { return false };
    let name = match host.rsplit_once(':') {
        // `[::1]:8000`, `127.0.0.1:8000`, `localhost:8000`; a bare `[::1]` has no port.
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) && !host.ends_with(']') => {
            name
        }
        _ => host,
    };
    let name = name.trim_start_matches('[').trim_end_matches(']');
    name.eq_ignore_ascii_case("localhost")
        || name == "127.0.0.1"
        || name == "::1"
        || name == bound.ip().to_string()
}

/// Every request: the site is served under its base path (`/` or `/corporate-parenting/`),
/// as it will be published, with the live-reload script and event stream beside it.
async fn route(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    let head = method == Method::HEAD;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if !trusted_host(host, &shared.bound()) {
        return respond(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            b"folio serve answers only requests for this computer (localhost).\n".to_vec(),
            head,
        );
    }
    let base = {
        let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
        current.base_path.clone()
    };
    let Some(inside) = uri.path().strip_prefix(base.as_str()) else {
        // The base path without its slash, or the server's root: send the reader to the site.
        if format!("{}/", uri.path()) == base || uri.path() == "/" {
            return redirect(&base, method == Method::HEAD);
        }
        return respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("Not found: the site is served at {base}\n").into_bytes(),
            method == Method::HEAD,
        );
    };
    match inside {
        EVENTS_PATH if method == Method::GET => events(State(shared)).await.into_response(),
        SCRIPT_PATH => script(method).await,
        WARNINGS_PATH => {
            let page = uri
                .query()
                .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("page=")))
                .map(crate::markdown::percent_decode)
                .unwrap_or_default();
            let warnings: Vec<super::Problem> = {
                let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
                current
                    .warnings
                    .as_ref()
                    .map(|w| w.of(&page).into_iter().map(super::Problem::of).collect())
                    .unwrap_or_default()
            };
            respond(
                StatusCode::OK,
                "application/json",
                serde_json::to_vec(&warnings).unwrap_or_default(),
                head,
            )
        }
        REVIEW_PATH => {
            let body = {
                let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
                current.warnings.as_ref().map(|w| {
                    let today = crate::text::build_date();
                    crate::review::html(&crate::review::list(w.site(), today), today, &base)
                })
            };
            match body {
                Some(body) => page(StatusCode::OK, "index.html", body.into_bytes(), &base, head),
                None => respond(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "text/plain; charset=utf-8",
                    b"The site has not built yet: fix its errors, and this page will list its review dates.\n".to_vec(),
                    head,
                ),
            }
        }
        _ => site_file(shared, method, &base, inside).await,
    }
}

/// A permanent redirect to a path on this server.
fn redirect(to: &str, head: bool) -> Response {
    let mut response = respond(
        StatusCode::MOVED_PERMANENTLY,
        "text/plain; charset=utf-8",
        Vec::new(),
        head,
    );
    if let Ok(location) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>, head: bool) -> Response {
    let length = body.len();
    let mut response = if head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    response
}

async fn script(method: Method) -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        SCRIPT.as_bytes().to_vec(),
        method == Method::HEAD,
    )
}

/// The request path as a path inside the site, or `None` if it tries to leave it.
pub(crate) fn site_path(uri_path: &str) -> Option<String> {
    let decoded = crate::markdown::percent_decode(uri_path);
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    if decoded
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return None;
    }
    Some(decoded.trim_start_matches('/').to_string())
}

/// A file of the site; `inside` is the request's path under the base path.
async fn site_file(shared: Arc<Shared>, method: Method, base: &str, inside: &str) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"Only GET and HEAD are allowed.\n".to_vec(),
            false,
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let head = method == Method::HEAD;
    let Some(key) = site_path(inside) else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"That address is outside the site.\n".to_vec(),
            head,
        );
    };
    let (output, problems) = {
        let current = shared.current.read().unwrap_or_else(|e| e.into_inner());
        (current.output.clone(), current.problems.clone())
    };
    let file = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else {
        key.clone()
    };
    if let Some(Ok(bytes)) = output.read(Path::new(&file)) {
        return page(StatusCode::OK, &file, bytes, base, head);
    }
    let folder_index = PathBuf::from(&key).join("index.html");
    if output.get(&folder_index).is_some() {
        // The address as it came (still percent-encoded), never starting with `//`, which
        // a browser would read as another host.
        return redirect(&format!("{base}{}/", inside.trim_start_matches('/')), head);
    }
    if output.files.is_empty() && !problems.is_empty() {
        // Nothing has built yet: a page that can show the errors and reload when fixed.
        let body = format!(
            "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>The site did not build</title></head><body><main><h1>The site did not build</h1><p>{} problem(s). Fix them and save: this page reloads by itself.</p></main></body></html>",
            problems.len()
        );
        return page(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            body.into_bytes(),
            base,
            head,
        );
    }
    match output.read(Path::new("404.html")) {
        Some(Ok(bytes)) => page(StatusCode::NOT_FOUND, "404.html", bytes, base, head),
        _ => respond(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("Not found: {}\n", escape_html(&key)).into_bytes(),
            head,
        ),
    }
}

/// A file of the site; HTML gets the live-reload script.
fn page(status: StatusCode, file: &str, mut bytes: Vec<u8>, base: &str, head: bool) -> Response {
    let content_type = content_type(file);
    if content_type.starts_with("text/html") {
        let tag = format!("<script src=\"{base}{SCRIPT_PATH}\"></script>");
        let text = String::from_utf8_lossy(&bytes);
        let injected = match text.rfind("</body>") {
            Some(at) => format!("{}{tag}{}", &text[..at], &text[at..]),
            None => format!("{text}{tag}"),
        };
        bytes = injected.into_bytes();
    }
    respond(status, content_type, bytes, head)
}

pub(crate) fn content_type(file: &str) -> &'static str {
    let ext = Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.changes.subscribe();
    let problems = shared
        .current
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .problems
        .clone();
    // A page that opens while the site is broken shows the errors at once.
    let now = if problems.is_empty() {
        Change::Ok
    } else {
        Change::Errors { problems }
    };
    let later = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(change) => return Some((change, receiver)),
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream = futures_util::stream::once(async move { now })
        .chain(later)
        .map(|change| Ok(event(&change)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn event(change: &Change) -> Event {
    match change {
        Change::Reload { css_only, changed } => Event::default()
            .event("reload")
            .data(serde_json::json!({ "css_only": css_only, "changed": changed }).to_string()),
        Change::Errors { problems } => Event::default()
            .event("errors")
            .data(serde_json::to_string(problems).unwrap_or_else(|_| "[]".into())),
        Change::Ok => Event::default().event("ok").data("{}"),
    }
}

impl IntoResponse for Change {
    fn into_response(self) -> Response {
        respond(
            StatusCode::OK,
            "application/json",
            serde_json::to_vec(&self).unwrap_or_default(),
            false,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_computer_is_a_trusted_host() {
        let bound: std::net::SocketAddr = "127.0.0.1:8000".parse().unwrap();
        for good in [
            "localhost:8000",
            "127.0.0.1:8000",
            "[::1]:8000",
            "LOCALHOST",
            "[::1]",
        ] {
            assert!(trusted_host(Some(good), &bound), "{good}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:8000",
            "127.0.0.1.attacker.example",
            "",
            "localhost.attacker.example:8000",
        ] {
            assert!(!trusted_host(Some(bad), &bound), "{bad}");
        }
        assert!(!trusted_host(None, &bound));
        let lan: std::net::SocketAddr = "192.168.1.5:8000".parse().unwrap();
        assert!(trusted_host(Some("192.168.1.5:8000"), &lan));
    }

    #[test]
    fn paths_cannot_leave_the_site() {
        assert_eq!(site_path("/schools/").as_deref(), Some("schools/"));
        assert_eq!(site_path("/a%20b.pdf").as_deref(), Some("a b.pdf"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/./b",
            "/a\\..\\b",
            "/x%00",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
