//! zlib streams (RFC 1950) holding one deflate block (RFC 1951) of
//! Huffman-coded literals and no matches, with a code made for the data.
//!
//! Why: a PDF embeds a subset of every font it uses, and glyph outlines
//! are nearly random bytes to an LZ match finder. libdeflate at its
//! fastest level spent about 9 M of a branch summary's 56 M instructions
//! finding the few matches there are (163 KB of `glyf` outlines → 109 KB);
//! coding each byte by its frequency alone gets 119 KB, as any
//! literal-only coder does (the bytes' order-0 entropy is 118 KB), in a
//! fifth of the time or less (0.23–0.29 ms against 1.26–1.40 ms). zlib's
//! and zlib-rs's `Z_HUFFMAN_ONLY` strategy makes the same kind of stream
//! but runs its general machinery around it: no faster than libdeflate
//! here (`benches/README.md`, "Last run").
//!
//! Every inflater reads the output: one final dynamic-Huffman block whose
//! literal/length code has the 256 literals and end-of-block, and whose
//! distance code is two unused one-bit codes (RFC 1951 asks for at least
//! one distance code; two make it complete, as zlib writes it).

/// Longest code of the literal/length and distance alphabets (RFC 1951).
const MAX_CODE_BITS: u32 = 15;
/// Longest code of the code-length alphabet.
const MAX_CODE_LENGTH_BITS: u32 = 7;
const END_OF_BLOCK: usize = 256;
/// The order code-length code lengths are written in (RFC 1951 3.2.7).
const CODE_LENGTH_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
/// The distance code: two one-bit codes, neither used.
const DISTANCE_LENGTHS: [u8; 2] = [1, 1];

/// `data` as a zlib stream (what a PDF's `FlateDecode` filter reads).
pub fn zlib_compress(data: &[u8]) -> Vec<u8> {
    let mut frequencies = [0u32; 257];
    count_bytes(data, &mut frequencies);
    frequencies[END_OF_BLOCK] = 1;
    let lengths = code_lengths(&frequencies, MAX_CODE_BITS);
    let codes = canonical_codes(&lengths);

    // The exact size of the coded data, plus room for the header (under
    // 600 bytes: 17 fixed bits, 19 3-bit lengths, at most 259 code-length
    // codes of 7 bits and 7 extra bits), the zlib header and checksum.
    let data_bits: u64 = frequencies.iter().zip(&lengths).map(|(&f, &l)| u64::from(f) * u64::from(l)).sum();
    let mut out = BitWriter::with_capacity(data_bits.div_ceil(8) as usize + 1024);
    // CMF: deflate with a 32 KiB window; FLG: the fastest level, and the
    // check bits that make the pair a multiple of 31.
    out.push_bytes(&[0x78, 0x01]);
    write_block_header(&mut out, &lengths);
    // Each byte's code and its length in one word; three bytes' codes (at
    // most 45 bits) go into the bit buffer before it is stored.
    let mut table = [0u32; 256];
    for (s, entry) in table.iter_mut().enumerate() {
        *entry = codes[s] | u32::from(lengths[s]) << 16;
    }
    let mut triples = data.chunks_exact(3);
    for t in &mut triples {
        out.write_codes([table[usize::from(t[0])], table[usize::from(t[1])], table[usize::from(t[2])]]);
    }
    for &byte in triples.remainder() {
        out.write_codes([table[usize::from(byte)]]);
    }
    out.write(u64::from(codes[END_OF_BLOCK]), u32::from(lengths[END_OF_BLOCK]));
    let mut bytes = out.finish();
    bytes.extend_from_slice(&adler32(data).to_be_bytes());
    bytes
}

/// Adds each byte's count to `frequencies`, in four tables so that runs of
/// one byte value do not wait on the same counter.
fn count_bytes(data: &[u8], frequencies: &mut [u32; 257]) {
    let mut tables = [[0u32; 256]; 4];
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        tables[0][usize::from(c[0])] += 1;
        tables[1][usize::from(c[1])] += 1;
        tables[2][usize::from(c[2])] += 1;
        tables[3][usize::from(c[3])] += 1;
    }
    for &b in chunks.remainder() {
        tables[0][usize::from(b)] += 1;
    }
    for (s, f) in frequencies.iter_mut().take(256).enumerate() {
        *f += tables.iter().map(|t| t[s]).sum::<u32>();
    }
}

/// The block header: final block, dynamic Huffman codes, and the code
/// lengths of both alphabets, run-length coded with the code-length code.
fn write_block_header(out: &mut BitWriter, literal_lengths: &[u8]) {
    // All code lengths in one sequence: runs may cross from the literal
    // alphabet into the distance alphabet.
    let all: Vec<u8> = literal_lengths.iter().chain(&DISTANCE_LENGTHS).copied().collect();
    let runs = run_length_code(&all);
    let mut frequencies = [0u32; 19];
    for r in &runs {
        frequencies[usize::from(r.symbol)] += 1;
    }
    let cl_lengths = code_lengths(&frequencies, MAX_CODE_LENGTH_BITS);
    let cl_codes = canonical_codes(&cl_lengths);
    let hclen = CODE_LENGTH_ORDER.iter().rposition(|&s| cl_lengths[s] != 0).map_or(4, |i| (i + 1).max(4));

    out.write(1, 1); // BFINAL
    out.write(2, 2); // BTYPE: dynamic Huffman codes
    out.write((literal_lengths.len() - 257) as u64, 5); // HLIT
    out.write((DISTANCE_LENGTHS.len() - 1) as u64, 5); // HDIST
    out.write((hclen - 4) as u64, 4); // HCLEN
    for &s in &CODE_LENGTH_ORDER[..hclen] {
        out.write(u64::from(cl_lengths[s]), 3);
    }
    for r in &runs {
        let s = usize::from(r.symbol);
        out.write(u64::from(cl_codes[s]), u32::from(cl_lengths[s]));
        out.write(u64::from(r.extra), u32::from(r.extra_bits));
    }
}

/// One symbol of the code-length alphabet: a length (0–15) or a repeat
/// (16: the previous length 3–6 times, 17: zero 3–10 times, 18: zero
/// 11–138 times) with its extra bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CodeLengthSymbol {
    symbol: u8,
    extra: u8,
    extra_bits: u8,
}

fn run_length_code(lengths: &[u8]) -> Vec<CodeLengthSymbol> {
    let plain = |symbol| CodeLengthSymbol { symbol, extra: 0, extra_bits: 0 };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lengths.len() {
        let value = lengths[i];
        let run = lengths[i..].iter().take_while(|&&l| l == value).count();
        let mut left = run;
        if value == 0 {
            while left >= 11 {
                let n = left.min(138);
                out.push(CodeLengthSymbol { symbol: 18, extra: (n - 11) as u8, extra_bits: 7 });
                left -= n;
            }
            if left >= 3 {
                out.push(CodeLengthSymbol { symbol: 17, extra: (left - 3) as u8, extra_bits: 3 });
                left = 0;
            }
        } else {
            out.push(plain(value));
            left -= 1;
            while left >= 3 {
                let n = left.min(6);
                out.push(CodeLengthSymbol { symbol: 16, extra: (n - 3) as u8, extra_bits: 2 });
                left -= n;
            }
        }
        out.extend(std::iter::repeat_n(plain(value), left));
        i += run;
    }
    out
}

/// Huffman code lengths for `frequencies`, none longer than `limit`.
/// Symbols that never occur get no code; if fewer than two occur, the
/// first unused symbols get codes too, so that the code is complete (an
/// inflater may refuse an incomplete one). Deterministic: ties go to the
/// lower symbol. Over the limit, the frequencies are halved (keeping every
/// used symbol at one or more) until the tree is shallow enough; the data
/// this is for (a few hundred KB, 257 symbols) almost never needs it.
fn code_lengths(frequencies: &[u32], limit: u32) -> Vec<u8> {
    let mut weights: Vec<u64> = frequencies.iter().map(|&f| u64::from(f)).collect();
    let mut used = weights.iter().filter(|&&w| w > 0).count();
    for w in weights.iter_mut() {
        if used >= 2 {
            break;
        }
        if *w == 0 {
            *w = 1;
            used += 1;
        }
    }
    // All weights equal make a balanced tree: halving ends there at the
    // latest if the symbols fit in the limit at all.
    assert!(used <= 1 << limit, "{used} symbols cannot have codes of {limit} bits or fewer");
    loop {
        let lengths = huffman_lengths(&weights);
        if lengths.iter().all(|&l| u32::from(l) <= limit) {
            return lengths;
        }
        for w in weights.iter_mut().filter(|w| **w > 0) {
            *w = (*w / 2).max(1);
        }
    }
}

/// Unlimited Huffman code lengths of the symbols with a weight (two or
/// more of them), by the two-queue method over the sorted leaves.
fn huffman_lengths(weights: &[u64]) -> Vec<u8> {
    let mut leaves: Vec<(u64, usize)> =
        weights.iter().enumerate().filter(|(_, w)| **w > 0).map(|(s, &w)| (w, s)).collect();
    leaves.sort_unstable();
    let n = leaves.len();
    // Nodes 0..n are the leaves in order, n.. the merged nodes as made;
    // both queues stay sorted, so the two lightest are at their fronts.
    let mut weight: Vec<u64> = leaves.iter().map(|&(w, _)| w).collect();
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut next_leaf, mut next_node) = (0, n);
    for _ in 0..n - 1 {
        let mut take = || {
            let leaf_first = next_leaf < n && (next_node >= weight.len() || weight[next_leaf] <= weight[next_node]);
            if leaf_first {
                next_leaf += 1;
                next_leaf - 1
            } else {
                next_node += 1;
                next_node - 1
            }
        };
        let (a, b) = (take(), take());
        parent[a] = weight.len();
        parent[b] = weight.len();
        weight.push(weight[a] + weight[b]);
    }
    // A parent is made after its children: depths from the root down.
    let mut depth = vec![0u8; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    let mut lengths = vec![0u8; weights.len()];
    for (i, &(_, s)) in leaves.iter().enumerate() {
        lengths[s] = depth[i];
    }
    lengths
}

/// The canonical codes of RFC 1951 3.2.2 for `lengths`, each bit-reversed
/// (deflate writes a Huffman code from its most significant bit, into a
/// stream filled from the least significant bit of each byte).
fn canonical_codes(lengths: &[u8]) -> Vec<u32> {
    let mut count = [0u32; 16];
    for &l in lengths {
        count[usize::from(l)] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for bits in 1..16 {
        code = (code + count[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            c.reverse_bits() >> (32 - u32::from(l))
        })
        .collect()
}

/// Bits written least significant first, as deflate packs them, into a
/// buffer sized for the longest possible output: every write stores eight
/// bytes and moves on by the whole bytes it completed, with no branch on
/// whether a word is full (that branch, taken every few bytes at random,
/// cost more than the coding).
struct BitWriter {
    bytes: Vec<u8>,
    /// Bytes of `bytes` complete.
    len: usize,
    pending: u64,
    count: u32,
}

impl BitWriter {
    /// A writer for at most `max_bytes` bytes in all.
    fn with_capacity(max_bytes: usize) -> BitWriter {
        BitWriter { bytes: vec![0; max_bytes + 8], len: 0, pending: 0, count: 0 }
    }

    /// Writes the low `bits` bits of `value` (at most 32).
    #[inline]
    fn write(&mut self, value: u64, bits: u32) {
        // `count` is below 8 between writes: the word holds what is added.
        self.pending |= value << self.count;
        self.count += bits;
        self.store();
    }

    /// Writes up to three codes from `codes`, each its code (at most 15
    /// bits) in the low half and its length in the high half.
    #[inline]
    fn write_codes<const N: usize>(&mut self, codes: [u32; N]) {
        const { assert!(N <= 3) };
        for c in codes {
            self.pending |= u64::from(c & 0xFFFF) << self.count;
            self.count += c >> 16;
        }
        self.store();
    }

    /// Stores the buffer's eight bytes and keeps the incomplete one.
    #[inline]
    fn store(&mut self) {
        self.bytes[self.len..self.len + 8].copy_from_slice(&self.pending.to_le_bytes());
        // At most 7 + 45 bits are pending: the shift stays below 64.
        let whole = self.count / 8;
        self.len += whole as usize;
        self.pending >>= whole * 8;
        self.count -= whole * 8;
    }

    fn push_bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.count, 0);
        self.bytes[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// The bytes, the last one padded with zero bits.
    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes[self.len] = self.pending as u8;
            self.len += 1;
        }
        self.bytes.truncate(self.len);
        self.bytes
    }
}

/// The Adler-32 checksum zlib ends a stream with (libdeflate's, with
/// SIMD: a tenth of the time of a plain loop, a fifth of the whole).
fn adler32(data: &[u8]) -> u32 {
    libdeflater::adler32(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_known_strings() {
        // RFC 1950's definition, worked by hand and by zlib.
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
    }

    #[test]
    fn code_lengths_make_a_complete_prefix_code_within_the_limit() {
        let weight = |i: usize| if i.is_multiple_of(3) { 0 } else { 1 + (i as u32 * 7919) % 1000 };
        for (symbols, limit) in [(19, 7), (19, 5), (257, 9), (257, 15)] {
            let freq: Vec<u32> = (0..symbols).map(weight).collect();
            let lengths = code_lengths(&freq, limit);
            let kraft: f64 = lengths.iter().filter(|&&l| l > 0).map(|&l| 0.5f64.powi(i32::from(l))).sum();
            assert!((kraft - 1.0).abs() < 1e-12, "Kraft sum {kraft}");
            assert!(lengths.iter().all(|&l| u32::from(l) <= limit));
            assert!(freq.iter().zip(&lengths).all(|(&f, &l)| (f > 0) == (l > 0)));
        }
    }

    #[test]
    fn a_skewed_distribution_is_limited() {
        // Fibonacci weights make the deepest possible tree.
        let mut freq = vec![0u32; 30];
        let (mut a, mut b) = (1u32, 1u32);
        for f in freq.iter_mut() {
            *f = a;
            (a, b) = (b, a + b);
        }
        assert!(huffman_lengths(&freq.iter().map(|&f| u64::from(f)).collect::<Vec<_>>()).iter().any(|&l| l > 15));
        assert!(code_lengths(&freq, 15).iter().all(|&l| (1..=15).contains(&l)));
    }

    #[test]
    fn one_used_symbol_still_gets_a_complete_code() {
        let mut freq = [0u32; 19];
        freq[5] = 9;
        let lengths = code_lengths(&freq, 7);
        assert_eq!(lengths.iter().filter(|&&l| l == 1).count(), 2);
        assert_eq!(lengths[5], 1);
    }

    #[test]
    fn run_length_code_covers_every_length() {
        let lengths: Vec<u8> = [vec![0; 140], vec![8; 10], vec![0; 4], vec![3; 2], vec![1, 1]].concat();
        let mut back = Vec::new();
        for r in run_length_code(&lengths) {
            match r.symbol {
                16 => back.extend(std::iter::repeat_n(*back.last().unwrap(), 3 + usize::from(r.extra))),
                17 => back.extend(std::iter::repeat_n(0, 3 + usize::from(r.extra))),
                18 => back.extend(std::iter::repeat_n(0, 11 + usize::from(r.extra))),
                s => back.push(s),
            }
        }
        assert_eq!(back, lengths);
    }
}

#[cfg(test)]
mod roundtrip {
    use super::zlib_compress;
    use proptest::prelude::*;

    /// `data` back from `stream`, by miniz_oxide and by libdeflate.
    fn inflate_both(stream: &[u8], len: usize) -> (Vec<u8>, Vec<u8>) {
        let by_miniz = miniz_oxide::inflate::decompress_to_vec_zlib(stream).expect("miniz_oxide reads the stream");
        let mut by_libdeflate = vec![0; len];
        let n = libdeflater::Decompressor::new()
            .zlib_decompress(stream, &mut by_libdeflate)
            .expect("libdeflate reads the stream");
        by_libdeflate.truncate(n);
        (by_miniz, by_libdeflate)
    }

    fn assert_roundtrip(data: &[u8]) {
        let stream = zlib_compress(data);
        let (a, b) = inflate_both(&stream, data.len());
        assert_eq!(a, data);
        assert_eq!(b, data);
    }

    #[test]
    fn edge_cases_come_back() {
        assert_roundtrip(b"");
        assert_roundtrip(b"a");
        assert_roundtrip(&[0; 1000]);
        assert_roundtrip(&[255; 70_000]);
        assert_roundtrip(&(0..=255).collect::<Vec<u8>>());
        // Skewed enough that unlimited codes would pass 15 bits.
        let mut skewed = Vec::new();
        let (mut a, mut b) = (1usize, 1usize);
        for s in 0..27u8 {
            skewed.extend(std::iter::repeat_n(s, a));
            (a, b) = (b, a + b);
        }
        assert_roundtrip(&skewed);
    }

    #[test]
    fn skewed_text_is_smaller_than_its_input() {
        let text = "全年开展主题党日活动十二次，参加党员三百余人次。".repeat(200);
        let stream = zlib_compress(text.as_bytes());
        assert!(stream.len() * 10 < text.len() * 8, "{} of {}", stream.len(), text.len());
        assert_roundtrip(text.as_bytes());
    }

    proptest! {
        #[test]
        fn any_bytes_come_back(data in proptest::collection::vec(any::<u8>(), 0..5000)) {
            assert_roundtrip(&data);
        }

        #[test]
        fn few_distinct_bytes_come_back(data in proptest::collection::vec(0u8..3, 0..5000)) {
            assert_roundtrip(&data);
        }
    }
}
