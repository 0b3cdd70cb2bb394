//! `folio serve`, in process on an ephemeral port, edited the ways editors save files.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{SiteTest, page};
use folio::serve::{ServeOptions, Server, start};

const WAIT: Duration = Duration::from_secs(15);

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request; `path` is sent exactly as given.
fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Reply {
    request(addr, "GET", path)
}

/// The live-reload event stream, read as the browser reads it.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /_folio/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        // Skip the response head.
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 0 && line != "\r\n" {
            line.clear();
        }
        let mut events = Events { reader };
        // The stream always starts by saying whether the site is broken.
        let (first, _) = events.next();
        assert!(first == "ok" || first == "errors", "{first}");
        events
    }

    /// The next named event (keep-alive comments are skipped), as (name, data).
    fn next(&mut self) -> (String, String) {
        let deadline = Instant::now() + WAIT;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            assert!(Instant::now() < deadline, "no event in time");
            let mut line = String::new();
            if self.reader.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("the event stream closed");
            }
            // Chunked transfer: chunk-size lines are bare hex numbers.
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(v) = line.strip_prefix("event:") {
                name = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data.push_str(v.trim());
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    /// Waits for an event called `wanted`, skipping others; returns its data.
    fn until(&mut self, wanted: &str) -> String {
        loop {
            let (name, data) = self.next();
            if name == wanted {
                return data;
            }
        }
    }
}

fn fixture() -> SiteTest {
    let site = SiteTest::new(&[
        ("content/_index.md", &page("Home", "", "Welcome home.\n")),
        (
            "content/guide/_index.md",
            &page("The guide", "kind: booklet\n", "The overview.\n"),
        ),
        (
            "content/guide/one.md",
            &page("Chapter one", "order: 1\n", "First words.\n"),
        ),
        (
            "content/guide/two.md",
            &page("Chapter two", "order: 2\n", "Second words.\n"),
        ),
        ("content/about.md", &page("About", "", "About us.\n")),
    ]);
    site.write("static/site.css", "body { margin: 0; }\n");
    site
}

fn serve(site: &SiteTest) -> Server {
    start(ServeOptions::new(site.root())).unwrap()
}

#[test]
fn serves_the_site_from_memory_safely() {
    let site = fixture();
    let server = serve(&site);
    let home = get(server.addr, "/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let doc = scraper::Html::parse_document(&home.body);
    assert_eq!(
        common::attrs(&doc, "script[src]", "src")
            .into_iter()
            .filter(|s| s.starts_with("/_folio/"))
            .collect::<Vec<_>>(),
        ["/_folio/live.js"]
    );
    assert_eq!(get(server.addr, "/_folio/live.js").status, 200);
    assert_eq!(
        get(server.addr, "/site.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );

    let folder = get(server.addr, "/guide");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/guide/"));
    let missing = get(server.addr, "/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1"), "the 404 page is served");
    assert_eq!(request(server.addr, "POST", "/").status, 405);
    assert_eq!(request(server.addr, "DELETE", "/guide/").status, 405);
    let head = request(server.addr, "HEAD", "/");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    for sneaky in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/guide/..%2f..%2fsite.yaml",
        "/..\\site.yaml",
    ] {
        let reply = get(server.addr, sneaky);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{sneaky}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("base_url"),
            "{sneaky} leaked site.yaml"
        );
    }
    // Nothing was written: public/ is left to `folio build`.
    assert!(!site.public().exists());
}

#[test]
fn the_live_script_is_only_in_serve() {
    let site = fixture();
    assert!(site.build().success());
    let doc = site.html("index.html");
    let scripts = common::attrs(&doc, "script[src]", "src");
    assert!(scripts.iter().all(|s| !s.contains("_folio")), "{scripts:?}");
}

#[test]
fn an_edit_reloads_the_browser_with_the_new_content() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write(
        "content/guide/one.md",
        &page("Chapter one", "order: 1\n", "Edited words.\n"),
    );
    let data = events.until("reload");
    assert!(data.contains("\"css_only\":false"), "{data}");
    assert!(
        get(server.addr, "/guide/one/")
            .body
            .contains("Edited words.")
    );
}

#[test]
fn saves_the_way_editors_make_them_all_arrive() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    let file = site.root().join("content/guide/two.md");

    // Write a temporary file, then rename it over the page (vim, VS Code, most editors).
    let temp = site.root().join("content/guide/.two.md.tmp");
    std::fs::write(
        &temp,
        page("Chapter two", "order: 2\n", "Renamed into place.\n"),
    )
    .unwrap();
    std::fs::rename(&temp, &file).unwrap();
    events.until("reload");
    assert!(
        get(server.addr, "/guide/two/")
            .body
            .contains("Renamed into place.")
    );

    // Truncate, then write (editors that save in place).
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&file)
        .unwrap();
    f.write_all(page("Chapter two", "order: 2\n", "Written in place.\n").as_bytes())
        .unwrap();
    drop(f);
    events.until("reload");
    assert!(
        get(server.addr, "/guide/two/")
            .body
            .contains("Written in place.")
    );

    // Delete, then create again.
    std::fs::remove_file(&file).unwrap();
    events.until("reload");
    assert_eq!(get(server.addr, "/guide/two/").status, 404);
    std::fs::write(&file, page("Chapter two", "order: 2\n", "Back again.\n")).unwrap();
    events.until("reload");
    assert!(get(server.addr, "/guide/two/").body.contains("Back again."));
}

#[test]
fn a_yaml_error_shows_the_overlay_and_fixing_it_clears_it() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write("content/about.md", "---\ntitle: [About\n---\nBroken.\n");
    let data = events.until("errors");
    let problems: serde_json::Value = serde_json::from_str(&data).unwrap();
    let first = &problems[0];
    assert_eq!(first["file"], "content/about.md");
    assert_eq!(first["line"], 2);
    assert_eq!(first["severity"], "error");
    assert!(first["message"].as_str().unwrap().len() > 10);
    // The last good site is still served.
    assert!(get(server.addr, "/about/").body.contains("About us."));
    // A page opened now learns of the errors at once.
    let mut late = {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET /_folio/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .unwrap();
        Events {
            reader: BufReader::new(stream),
        }
    };
    assert!(late.until("errors").contains("content/about.md"));

    site.write("content/about.md", &page("About", "", "Fixed now.\n"));
    events.until("ok");
    events.until("reload");
    assert!(get(server.addr, "/about/").body.contains("Fixed now."));
}

#[test]
fn a_template_change_changes_every_page() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    let theme_base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    let marked = theme_base.replacen(
        "<head>",
        "<head>\n  <meta name=\"folio-test\" content=\"v2\">",
        1,
    );
    site.write("templates/base.html", &marked);
    events.until("reload");
    for path in [
        "/",
        "/guide/",
        "/guide/one/",
        "/guide/two/",
        "/about/",
        "/accessibility/",
    ] {
        let doc = scraper::Html::parse_document(&get(server.addr, path).body);
        assert_eq!(
            common::attrs(&doc, "meta[name=folio-test]", "content"),
            ["v2"],
            "{path}"
        );
    }
}

#[test]
fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write("static/site.css", "body { margin: 1em; }\n");
    let data = events.until("reload");
    assert!(data.contains("\"css_only\":true"), "{data}");
    assert!(get(server.addr, "/site.css").body.contains("1em"));
}

#[test]
fn a_body_edit_changes_only_its_page() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write(
        "content/guide/two.md",
        &page("Chapter two", "order: 2\n", "Second words, edited.\n"),
    );
    let data: serde_json::Value = serde_json::from_str(&events.until("reload")).unwrap();
    assert_eq!(data["changed"], 1, "{data}");
    assert!(
        get(server.addr, "/guide/two/")
            .body
            .contains("Second words, edited.")
    );
}

#[test]
fn a_new_title_reaches_the_chapter_list_and_the_neighbours() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write(
        "content/guide/two.md",
        &page("Chapter two, renamed", "order: 2\n", "Second words.\n"),
    );
    events.until("reload");
    for path in ["/guide/", "/guide/one/"] {
        let doc = scraper::Html::parse_document(&get(server.addr, path).body);
        let links = common::texts(&doc, "a");
        assert!(
            links.iter().any(|l| l.contains("Chapter two, renamed")),
            "{path}: {links:?}"
        );
    }
}

/// Polls `what` until it gives `Some`, or fails after [`WAIT`].
fn eventually<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(Instant::now() < deadline, "{what} did not happen in time");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How many pages the served search index holds, once there is one.
fn indexed_pages(addr: SocketAddr) -> Option<u64> {
    let reply = get(addr, "/pagefind/pagefind-entry.json");
    if reply.status != 200 {
        return None;
    }
    let entry: serde_json::Value = serde_json::from_str(&reply.body).ok()?;
    entry["languages"]["en"]["page_count"].as_u64()
}

#[test]
fn the_search_index_and_the_pdf_follow_edits() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    let pages = eventually("the first search index", || indexed_pages(server.addr));
    let pdf = eventually("the first PDF", || {
        let reply = get(server.addr, "/guide/guide.pdf");
        (reply.status == 200).then_some(reply.body)
    });

    // A new page is in the index once the background work is done.
    site.write("content/contact.md", &page("Contact", "", "Write to us.\n"));
    events.until("reload");
    eventually("the new page in the search index", || {
        (indexed_pages(server.addr)? == pages + 1).then_some(())
    });

    // An edited chapter is typeset again; the web page did not wait for it.
    site.write(
        "content/guide/one.md",
        &page(
            "Chapter one",
            "order: 1\n",
            "First words, and a new paragraph.\n",
        ),
    );
    events.until("reload");
    eventually("the booklet typeset again", || {
        let reply = get(server.addr, "/guide/guide.pdf");
        (reply.status == 200 && reply.body != pdf).then_some(())
    });
}

#[test]
fn a_busy_port_gives_way_to_a_free_one() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = fixture();
    let server = start(ServeOptions {
        port,
        ..ServeOptions::new(site.root())
    })
    .unwrap();
    assert_ne!(server.addr.port(), port);
    assert_eq!(get(server.addr, "/").status, 200);
}

/// CPU time (user + system) a process has used, in clock ticks, from /proc.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn the_command_idles_without_working_and_stops_on_ctrl_c() {
    let site = fixture();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["--root"])
        .arg(site.root())
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.starts_with("Serving "), "{line}");
    // Let the first PDFs and search index finish, then watch it do nothing.
    std::thread::sleep(Duration::from_secs(2));
    let before = cpu_ticks(child.id());
    std::thread::sleep(Duration::from_secs(2));
    let idle = cpu_ticks(child.id()) - before;
    // A clock tick is 10 ms: a watcher that polled or a busy loop would use far more.
    assert!(idle <= 2, "{idle} ticks of CPU in 2 idle seconds");

    // SAFETY: sends Ctrl-C's signal to the child this test started and still owns.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0, "could not send SIGINT");
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "folio serve did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("Stopping."), "{rest}");
}

#[cfg(unix)]
#[test]
fn open_starts_a_browser_and_the_terminal_prints_errors() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture();
    // A stand-in for the desktop's opener that notes the address it was given.
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let opener = bin.path().join("xdg-open");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--root")
        .arg(site.root())
        .args(["serve", "--port", "0", "--open"])
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let opened_url = eventually("the opener to run", || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|s| !s.is_empty())
    });
    assert_eq!(opened_url.trim(), url);

    // A broken page is reported in the terminal too, at its file and line.
    site.write("content/about.md", "---\ntitle: [About\n---\nBroken.\n");
    // Lines are read on a thread of their own, so that silence fails the test in time
    // rather than blocking it.
    let (lines, printed_lines) = std::sync::mpsc::channel();
    let err = BufReader::new(child.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut printed = String::new();
    let deadline = Instant::now() + WAIT;
    while !printed.contains("--> content/about.md:2") {
        let left = deadline.saturating_duration_since(Instant::now());
        match printed_lines.recv_timeout(left) {
            Ok(line) => printed.push_str(&(line + "\n")),
            Err(_) => panic!("no error printed in time: {printed}"),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_site_under_a_path_is_served_under_that_path() {
    let site = fixture();
    site.write(
        "site.yaml",
        "title: Test site\nbase_url: https://test.example/some/path/\n",
    );
    let server = serve(&site);
    assert!(server.url().ends_with("/some/path/"), "{}", server.url());
    let home = get(server.addr, "/some/path/");
    assert_eq!(home.status, 200);
    let doc = scraper::Html::parse_document(&home.body);
    assert_eq!(
        common::attrs(&doc, "script[src]", "src")
            .into_iter()
            .filter(|s| s.contains("_folio"))
            .collect::<Vec<_>>(),
        ["/some/path/_folio/live.js"]
    );
    assert!(
        common::attrs(&doc, "link[rel=stylesheet]", "href")
            .iter()
            .all(|href| href.starts_with("/some/path/"))
    );
    assert_eq!(get(server.addr, "/some/path/_folio/live.js").status, 200);
    assert_eq!(get(server.addr, "/some/path/guide/one/").status, 200);
    // The server's root and the path without its slash lead to the site; the path alone is
    // where pages are, never at the root.
    for (path, to) in [("/", "/some/path/"), ("/some/path", "/some/path/")] {
        let reply = get(server.addr, path);
        assert_eq!(
            (reply.status, reply.header("location")),
            (301, Some(to)),
            "{path}"
        );
    }
    assert_eq!(get(server.addr, "/guide/one/").status, 404);
    let folder = get(server.addr, "/some/path/guide");
    assert_eq!(folder.header("location"), Some("/some/path/guide/"));
    // `//guide` must not redirect to another host.
    let sneaky = get(server.addr, "/some/path//guide");
    assert!(
        sneaky
            .header("location")
            .is_none_or(|l| !l.starts_with("//")),
        "{:?}",
        sneaky.header("location")
    );
}

#[test]
fn only_requests_for_this_computer_are_answered() {
    let site = fixture();
    let server = serve(&site);
    let ask = |host: &str| {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        let _ = stream.read_to_string(&mut raw);
        raw.split(' ').nth(1).unwrap_or("").to_string()
    };
    for host in [
        "attacker.example",
        "attacker.example:8000",
        "127.0.0.1.nip.io",
    ] {
        assert_eq!(ask(host), "421", "{host}");
    }
    for host in [
        format!("localhost:{}", server.addr.port()),
        format!("127.0.0.1:{}", server.addr.port()),
    ] {
        assert_eq!(ask(&host), "200", "{host}");
    }
}

#[test]
fn a_client_that_sends_half_a_request_is_dropped() {
    let site = fixture();
    let server = serve(&site);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET / HTTP/1.1\r\nHo").unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(15),
        "the half request was kept for {waited:?}"
    );
    assert!(
        waited >= Duration::from_secs(4),
        "dropped too soon: {waited:?}"
    );
    // The server still answers everyone else.
    assert_eq!(get(server.addr, "/").status, 200);
}

#[test]
fn connections_past_the_cap_are_closed_at_once() {
    let site = fixture();
    let server = serve(&site);
    let idle: Vec<TcpStream> = (0..128)
        .map(|_| TcpStream::connect(server.addr).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut one_more = TcpStream::connect(server.addr).unwrap();
    one_more.set_read_timeout(Some(WAIT)).unwrap();
    let _ = write!(
        one_more,
        "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        server.addr
    );
    let mut raw = Vec::new();
    let _ = one_more.read_to_end(&mut raw);
    assert!(raw.is_empty(), "a connection past the cap was answered");
    drop(idle);
    // Once the others have gone, a request is answered again.
    let answered = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(100));
        get(server.addr, "/").status == 200
    });
    assert!(answered);
}

#[test]
fn html_that_once_crashed_the_scanner_is_checked_and_the_next_edit_served() {
    let site = fixture();
    let server = serve(&site);
    let mut events = Events::open(server.addr);
    site.write(
        "content/about.md",
        &page("About", "", "<p =\"x\"ü>Text</p>\n\nAbout us, hostile.\n"),
    );
    events.until("reload");
    assert!(get(server.addr, "/about/").body.contains("hostile"));
    site.write("content/about.md", &page("About", "", "About us, again.\n"));
    events.until("reload");
    assert!(
        get(server.addr, "/about/")
            .body
            .contains("About us, again.")
    );
    // And `folio check` takes it too, without an internal error.
    site.write(
        "content/about.md",
        &page("About", "", "<p =\"x\"ü>Text</p>\n"),
    );
    let run = site.folio(&["check", "--no-pdf"]);
    assert!(run.success(), "{}", run.stderr());
    assert!(!run.stderr().contains("internal error"));
}

#[test]
fn the_dev_server_lists_every_review_date_overdue_first() {
    let site = fixture();
    site.write(
        "content/guide/_index.md",
        &page(
            "The guide",
            "kind: booklet\ndocument_control:\n  owner: Head of Service\n  version: \"1\"\n  status: draft\n  review_by: 2999-01-31\n",
            "The overview.\n",
        ),
    );
    site.write(
        "content/pledge.md",
        &page(
            "A pledge",
            "kind: pledge\nfields:\n  sector: Health\n  organisation: A trust\n  commitments: [We will listen.]\n  for: Children in care\n  status: draft\n  review_by: 2001-01-31\n  contact: The team\n",
            "Text.\n",
        ),
    );
    let server = serve(&site);
    let reply = get(server.addr, "/_folio/review");
    assert_eq!(reply.status, 200);
    let doc = scraper::Html::parse_document(&reply.body);
    let rows: Vec<Vec<String>> = doc
        .select(&scraper::Selector::parse("tbody tr").unwrap())
        .map(|row| {
            row.select(&scraper::Selector::parse("th, td").unwrap())
                .map(|c| c.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "Overdue",
                "31 January 2001",
                "A pledge",
                "pledge",
                "content/pledge.md"
            ],
            vec![
                "Due",
                "31 January 2999",
                "The guide",
                "booklet",
                "content/guide/_index.md"
            ],
        ]
    );
    // Only the dev server has it: a build writes no such page.
    assert!(site.build().success());
    assert!(!site.public().join("_folio").exists());
}
