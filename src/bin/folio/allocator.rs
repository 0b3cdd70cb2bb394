//! The memory allocator of the `folio` command: mimalloc, set to give memory back soon after
//! it is free. A build allocates and frees many small strings on both cores at once, and the
//! system's allocator fragments under that: a 10,000-page build with its search index peaked
//! at 459 MiB with it, and at 341 MiB with this (in the same time). With its own defaults
//! mimalloc holds memory ahead of need and peaks higher than the system's allocator.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Options by their number in `mi_option_t` (mimalloc.h of mimalloc 3, the version
/// `libmimalloc-sys` 0.1.49 builds), which the crate does not name. The test below checks
/// that each number still means its option, by its default (in options.c).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets the options before `main`, while nothing is allocated yet: the first block of memory
/// mimalloc reserves serves most of a build, and is committed as the options say when it is
/// made. (Linux runs each function in `.init_array` before `main`.) Not in the tests, which
/// read mimalloc's defaults.
#[cfg(all(target_os = "linux", not(test)))]
#[used]
#[unsafe(link_section = ".init_array")]
static CONFIGURE_BEFORE_MAIN: extern "C" fn() = configure_before_main;

#[cfg(all(target_os = "linux", not(test)))]
extern "C" fn configure_before_main() {
    configure();
}

/// How long free memory waits before it goes back to the system, in milliseconds (mimalloc's
/// default is a second). At once (0), the search index's step spent a sixth of its time
/// giving memory back and taking it again (`madvise`, page faults, and the other core's
/// address translations flushed each time); 5 ms keeps most of that saving (10,000 pages'
/// index 7.5 s to 6.8 s) and most of the lower peak (a 1,000-page build with PDFs peaked at
/// 592 MiB with 10 ms, 495 with 0 and 500 to 520 with 5).
const PURGE_DELAY_MS: std::ffi::c_long = 5;

/// Commits memory as it is used, and gives free memory back soon rather than after a second.
/// `main` calls it too, for systems without `.init_array`.
pub fn configure() {
    // SAFETY: setting an option is allowed at any time; both take any integer.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_numbers_are_the_options_meant() {
        // Read before `configure` runs in this process: these are mimalloc's defaults. If
        // mimalloc renumbers its options, a number here reads another option's default.
        // SAFETY: reading an option has no precondition.
        let (eager, delay) = unsafe {
            (
                libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT),
                libmimalloc_sys::mi_option_get(PURGE_DELAY),
            )
        };
        assert_eq!(
            eager, 2,
            "arena_eager_commit's default is 2 (on overcommitting systems)"
        );
        assert_eq!(delay, 1000, "purge_delay's default is 1,000 ms");
    }
}
