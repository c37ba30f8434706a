//! How the process's memory is set up for one document (`jianbao render`):
//! small pages, and the heap faulted in ahead of use on an idle core.
//!
//! Both only change how fast memory arrives, never what is in it.

/// Small pages only, for everything but a batch: mimalloc asks for
/// transparent huge pages, and the kernel then has to find (compacting
/// memory if need be) and zero 2 MiB at the first touch of any byte of
/// one. A 1000-page report, whose memory only grows, took a fifth less
/// time without them. A batch, which reuses the same memory for every
/// unit, was never faster without them and in two runs of five 8–12 %
/// slower, so it keeps them (benches/README.md).
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// mimalloc's `mi_option_purge_delay` (its `mimalloc.h`; the `extended`
/// bindings name no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is kept for reuse, never handed back to the system: for a
/// process that makes one document and exits. mimalloc hands freed memory
/// back a second after it was freed, page by page (`madvise`), and with a
/// long report that second ends as the process does: the 997-page report
/// spent 20 ms handing back what the exit frees anyway. Not for a batch or
/// `watch`, which run on and reuse their memory.
pub fn keep_freed_memory() {
    // SAFETY: sets an option mimalloc reads at each purge; no memory is
    // touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Heap bytes a document needs per byte of its data file, about: the
/// 997-page report (1.7 MB of YAML) peaks at 466 MiB, 110 of them the
/// process without the document.
#[cfg(target_os = "linux")]
const HEAP_PER_DATA_BYTE: u64 = 200;

/// How much is faulted in by one call.
#[cfg(target_os = "linux")]
const PREFAULT_STEP: usize = 1 << 20;

/// Below this, faulting the heap in ahead is not worth a thread.
#[cfg(target_os = "linux")]
const PREFAULT_MIN_BYTES: u64 = 32 << 20;

/// The range starts on a multiple of this: a multiple of every page size
/// Linux uses (4, 16 or 64 KiB), so no call is needed to ask for it.
/// rustix's `page_size()` reads the auxiliary vector and the vDSO's header,
/// and under valgrind (which moves them) that crashed the process.
#[cfg(target_os = "linux")]
const RANGE_ALIGN: usize = 64 << 10;

/// Faults in, on a thread of its own, the part of the heap a document of
/// `data_bytes` of data will use, while the main thread reads the data and
/// evaluates the layout on one core.
///
/// The first touch of every fresh page costs a page fault in which the
/// kernel zeroes it: a 1000-page report touches about 470 MiB, and its main
/// thread spent a fifth of its time in those faults. `MADV_POPULATE_WRITE`
/// (Linux 5.14) maps the pages as a write would, without writing, so it is
/// safe beside the allocator's own use of them. The range starts at a fresh
/// allocation and stays inside its mapping (mimalloc's arena, which hands
/// out memory upwards from there). Wherever the guess is off, pages are
/// only mapped a little early; on other systems, or an older kernel,
/// nothing happens. The 997-page report: 1.09 → 0.96 s (medians of 9,
/// benches/README.md).
pub fn prefault_for(data_bytes: u64) {
    #[cfg(target_os = "linux")]
    {
        let bytes = data_bytes.saturating_mul(HEAP_PER_DATA_BYTE).min(1 << 30);
        if bytes < PREFAULT_MIN_BYTES {
            return;
        }
        let probe = Box::new([0u64; 4]);
        let from = probe.as_ptr() as usize;
        drop(probe);
        std::thread::spawn(move || populate(from, bytes as usize));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = data_bytes;
}

/// Maps up to `len` bytes from `addr` (rounded down to [`RANGE_ALIGN`]) as a write
/// would, inside the mapping that holds `addr`.
#[cfg(target_os = "linux")]
fn populate(addr: usize, len: usize) {
    let from = addr & !(RANGE_ALIGN - 1);
    if let Some(end) = mapping_end(from) {
        let len = (end - from).min(len);
        // In steps of 1 MiB: a step holds the process's memory map, and the
        // main thread's own calls that change it (a new thread's stack, the
        // allocator returning memory) wait for the step to end. One call
        // for the whole range kept them waiting, and no time was won.
        for start in (from..from + len).step_by(PREFAULT_STEP) {
            let step = PREFAULT_STEP.min(from + len - start);
            // SAFETY: the range lies inside one writable private mapping of
            // ours, which populating leaves as it is (no byte is written).
            let _ = unsafe { rustix::mm::madvise(start as *mut _, step, rustix::mm::Advice::LinuxPopulateWrite) };
        }
    }
}

/// The end of the writable private mapping that holds `addr`.
#[cfg(target_os = "linux")]
fn mapping_end(addr: usize) -> Option<usize> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    maps.lines().find_map(|line| {
        let mut fields = line.split_whitespace();
        let (start, end) = fields.next()?.split_once('-')?;
        let (start, end) = (usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?);
        let perms = fields.next()?;
        (start <= addr && addr < end && perms.starts_with("rw") && perms.ends_with('p')).then_some(end)
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // Its default (1000 ms in mimalloc's options table) tells it from
        // its neighbours, then the value set reads back.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(get(), 1000);
        keep_freed_memory();
        assert_eq!(get(), -1);
    }

    #[test]
    fn the_mapping_of_a_heap_address_is_found() {
        let v = vec![1u8; 1 << 20];
        let addr = v.as_ptr() as usize;
        let end = mapping_end(addr).expect("the heap is a writable private mapping");
        assert!(end > addr + v.len() - 1);
        // An address of the program's code is not writable.
        assert_eq!(mapping_end(mapping_end as fn(usize) -> Option<usize> as usize), None);
    }

    #[test]
    fn populating_the_heap_changes_no_byte_of_it() {
        let v: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
        populate(v.as_ptr() as usize, 64 << 20);
        assert!(v.iter().enumerate().all(|(i, &b)| b == (i % 251) as u8));
    }
}
