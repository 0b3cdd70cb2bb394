//! The benchmark site generator, and that rendering in parallel changes nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

fn generate(out: &Path, pages: usize, seed: u32) {
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/generate.py"))
        .args([
            "--pages",
            &pages.to_string(),
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(out)
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
}

/// Every file under `dir` with its bytes, sorted by path.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_generator_is_deterministic_and_its_folio_site_builds() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate(a.path(), 120, 7);
    generate(b.path(), 120, 7);
    generate(c.path(), 120, 8);
    let first = tree(a.path());
    assert!(
        first == tree(b.path()),
        "the same seed gave different files"
    );
    assert!(first != tree(c.path()), "another seed gave the same files");
    for layout in ["folio", "hugo", "zola", "mdbook"] {
        assert!(a.path().join(layout).is_dir(), "no {layout} layout");
    }

    let site = a.path().join("folio");
    let run = Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("--root")
        .arg(&site)
        .args(["build", "--no-pdf", "--strict"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "the generated site does not build cleanly:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let chapters = walkdir::WalkDir::new(site.join("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name() == "index.html"
                && e.path()
                    .parent()
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| n.to_string_lossy().starts_with("chapter-"))
        })
        .count();
    assert_eq!(chapters, 120);
}

#[test]
fn parallel_and_serial_rendering_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), 120, 3);
    let site = dir.path().join("folio");
    let build = |threads: Option<&str>, out: &Path| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_folio"));
        command
            .arg("--root")
            .arg(&site)
            .args(["build", "--no-pdf", "--output"])
            .arg(out);
        match threads {
            Some(n) => command.env("RAYON_NUM_THREADS", n),
            None => command.env_remove("RAYON_NUM_THREADS"),
        };
        let run = command.output().unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
    };
    let serial = dir.path().join("serial");
    let parallel = dir.path().join("parallel");
    build(Some("1"), &serial);
    build(Some("4"), &parallel);
    let (s, p) = (tree(&serial), tree(&parallel));
    assert!(s.len() > 120);
    assert_eq!(
        s.iter().map(|f| &f.0).collect::<Vec<_>>(),
        p.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in s.iter().zip(&p) {
        assert!(
            a == b,
            "{} differs between serial and parallel builds",
            path.display()
        );
    }
}
