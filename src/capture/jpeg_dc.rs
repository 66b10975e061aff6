//! A JPEG's grey picture at an eighth of its size, read from the DC
//! coefficients alone.
//!
//! The sampling gate's thumbnail and the camera's blank check need only a
//! small grey picture, and a JPEG already holds one: each 8×8 block's DC
//! coefficient is the block's mean. Reaching the DC coefficients still means
//! walking the whole entropy-coded data, but the AC coefficients are skipped
//! rather than stored, and no inverse transform, upsampling or colour
//! conversion runs; on the fixture frames that is about half the work of a
//! luma-only decode (README, Speed).
//!
//! Only the layout cameras and encoders write is read here: baseline or
//! extended sequential Huffman coding, 8-bit samples, one or three
//! components (YCbCr) in a single scan, the luma at full resolution. For
//! anything else (progressive, arithmetic coding, RGB or CMYK, separate
//! scans) and for data that does not decode cleanly, [`eighth_of_jpeg`] says
//! `None` and the caller decodes the picture in full, which also gives a
//! broken file its decoder's message.

use std::sync::OnceLock;

use image::GrayImage;

use super::MAX_FRAME_SIDE_PX;

/// The picture, each pixel the mean of one 8×8 block of the frame's luma
/// (`ceil(width / 8)` × `ceil(height / 8)`; a block the frame's edge cuts
/// holds the encoder's padding too), or `None` if this JPEG is not one this
/// reader takes or does not decode cleanly.
pub fn eighth_of_jpeg(bytes: &[u8]) -> Option<GrayImage> {
    let mut segments = Segments::default();
    let mut pos = 2;
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        if *bytes.get(pos)? != 0xFF {
            return None;
        }
        while *bytes.get(pos)? == 0xFF {
            pos += 1;
        }
        let marker = *bytes.get(pos)?;
        pos += 1;
        let length = usize::from(u16::from_be_bytes([*bytes.get(pos)?, *bytes.get(pos + 1)?]));
        let body = bytes.get(pos + 2..pos.checked_add(length)?)?;
        pos += length;
        match marker {
            0xC0 | 0xC1 => segments.frame = Some(FrameHeader::parse(body)?),
            // Progressive, lossless, hierarchical or arithmetic-coded.
            0xC2 | 0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => return None,
            0xC4 => segments.read_huffman_tables(body)?,
            0xDB => segments.read_quantisation_tables(body)?,
            0xDD => {
                segments.restart_interval =
                    usize::from(u16::from_be_bytes(body.get(..2)?.try_into().ok()?))
            }
            // Adobe's marker: transform 0 means the components are RGB (or
            // CMYK), not YCbCr.
            0xEE if body.starts_with(b"Adobe") && body.get(11) == Some(&0) => return None,
            0xDA => return segments.decode_scan(body, bytes.get(pos..)?),
            0xD9 => return None,
            _ => {}
        }
    }
}

/// What the headers before the scan said.
#[derive(Default)]
struct Segments {
    frame: Option<FrameHeader>,
    /// Each table's first (DC) step, by table number.
    dc_steps: [Option<u16>; 4],
    /// By table number; `None` until defined (cameras' MJPEG omits them and
    /// means the standard tables).
    dc_tables: [Option<Huffman>; 4],
    ac_tables: [Option<Huffman>; 4],
    restart_interval: usize,
}

struct FrameHeader {
    width: usize,
    height: usize,
    components: Vec<Component>,
}

#[derive(Clone, Copy)]
struct Component {
    id: u8,
    horizontal: usize,
    vertical: usize,
    quantisation_table: usize,
}

impl FrameHeader {
    fn parse(body: &[u8]) -> Option<Self> {
        let (&precision, rest) = body.split_first()?;
        let height = usize::from(u16::from_be_bytes(rest.get(..2)?.try_into().ok()?));
        let width = usize::from(u16::from_be_bytes(rest.get(2..4)?.try_into().ok()?));
        let count = usize::from(*rest.get(4)?);
        // Height 0 (set later by a DNL marker) is not read here, nor a frame
        // over the decode limit (the full decode names it).
        let side_px = 1..=MAX_FRAME_SIDE_PX as usize;
        if precision != 8
            || !side_px.contains(&width)
            || !side_px.contains(&height)
            || !(count == 1 || count == 3)
        {
            return None;
        }
        let components: Vec<Component> = rest
            .get(5..5 + 3 * count)?
            .chunks_exact(3)
            .map(|c| Component {
                id: c[0],
                horizontal: usize::from(c[1] >> 4),
                vertical: usize::from(c[1] & 15),
                quantisation_table: usize::from(c[2]),
            })
            .collect();
        let (max_h, max_v) = components
            .iter()
            .fold((0, 0), |(h, v), c| (h.max(c.horizontal), v.max(c.vertical)));
        let luma = components[0];
        let sampling_ok = components.iter().all(|c| {
            (1..=4).contains(&c.horizontal)
                && (1..=4).contains(&c.vertical)
                && c.quantisation_table < 4
        });
        // The luma at full resolution, and not RGB by its component ids.
        if !sampling_ok
            || luma.horizontal != max_h
            || luma.vertical != max_v
            || (count == 3 && components.iter().map(|c| c.id).eq(*b"RGB"))
        {
            return None;
        }
        Some(Self {
            width,
            height,
            components,
        })
    }
}

impl Segments {
    fn read_huffman_tables(&mut self, mut body: &[u8]) -> Option<()> {
        while let Some((&class_and_id, rest)) = body.split_first() {
            let counts: [u8; 16] = rest.get(..16)?.try_into().ok()?;
            let total: usize = counts.iter().map(|&n| usize::from(n)).sum();
            let symbols = rest.get(16..16 + total)?;
            let table = Huffman::new(&counts, symbols)?;
            let id = usize::from(class_and_id & 15);
            match class_and_id >> 4 {
                0 => *self.dc_tables.get_mut(id)? = Some(table),
                1 => *self.ac_tables.get_mut(id)? = Some(table),
                _ => return None,
            }
            body = &rest[16 + total..];
        }
        Some(())
    }

    fn read_quantisation_tables(&mut self, mut body: &[u8]) -> Option<()> {
        while let Some((&precision_and_id, rest)) = body.split_first() {
            let id = usize::from(precision_and_id & 15);
            let (first, size) = match precision_and_id >> 4 {
                0 => (u16::from(*rest.first()?), 64),
                1 => (u16::from_be_bytes(rest.get(..2)?.try_into().ok()?), 128),
                _ => return None,
            };
            *self.dc_steps.get_mut(id)? = Some(first);
            body = rest.get(size..)?;
        }
        Some(())
    }

    /// Walks the scan's entropy-coded data, keeping the luma blocks' DC.
    fn decode_scan(mut self, header: &[u8], data: &[u8]) -> Option<GrayImage> {
        let frame = self.frame.take()?;
        let count = usize::from(*header.first()?);
        // Every component in this one scan, whole spectrum, no refinement.
        let selectors = header.get(1..1 + 2 * count)?;
        let spectrum = header.get(1 + 2 * count..4 + 2 * count)?;
        if count != frame.components.len() || spectrum != [0, 63, 0] {
            return None;
        }
        // A single component's scan goes block by block (its MCU is one
        // block); an interleaved one takes each component's H × V blocks.
        let interleaved = count > 1;
        let mut scan: Vec<ScanComponent> = Vec::with_capacity(count);
        for selector in selectors.chunks_exact(2) {
            let index = frame.components.iter().position(|c| c.id == selector[0])?;
            if scan.iter().any(|seen| seen.index == index) {
                return None;
            }
            let (dc_id, ac_id) = (usize::from(selector[1] >> 4), usize::from(selector[1] & 15));
            let standard = &standard_tables()[usize::from(index != 0)];
            let component = frame.components[index];
            scan.push(ScanComponent {
                index,
                across: if interleaved { component.horizontal } else { 1 },
                down: if interleaved { component.vertical } else { 1 },
                dc: self.dc_tables.get(dc_id)?.as_ref().unwrap_or(&standard.0),
                ac: self.ac_tables.get(ac_id)?.as_ref().unwrap_or(&standard.1),
            });
        }
        let luma = frame.components[0];
        let step = self.dc_steps[luma.quantisation_table]?;
        let blocks_wide = frame.width.div_ceil(8);
        let blocks_high = frame.height.div_ceil(8);
        let (mcus_wide, mcus_high) = if interleaved {
            (
                frame.width.div_ceil(8 * luma.horizontal),
                frame.height.div_ceil(8 * luma.vertical),
            )
        } else {
            (blocks_wide, blocks_high)
        };
        let mut means = vec![0u8; blocks_wide * blocks_high];
        let mut predictions = [0i32; 3];
        let mut bits = BitReader::new(data);
        let restart_interval = self.restart_interval;
        for mcu in 0..mcus_wide * mcus_high {
            if bits.overran() {
                return None; // truncated: the full decode is lenient with it
            }
            if restart_interval > 0 && mcu > 0 && mcu % restart_interval == 0 {
                bits.restart()?;
                predictions = [0; 3];
            }
            let (mcu_x, mcu_y) = (mcu % mcus_wide, mcu / mcus_wide);
            for component in &scan {
                for block_y in 0..component.down {
                    for block_x in 0..component.across {
                        let size = component.dc.decode(&mut bits)?;
                        if size > 11 {
                            return None;
                        }
                        // Wrapping: only a broken file's differences add up
                        // past a valid DC's range, and it must not panic.
                        let prediction = &mut predictions[component.index];
                        *prediction = prediction.wrapping_add(bits.signed(size));
                        skip_ac_fast(component.ac, &mut bits)?;
                        if component.index == 0 {
                            let x = mcu_x * component.across + block_x;
                            let y = mcu_y * component.down + block_y;
                            if x < blocks_wide && y < blocks_high {
                                // DC is 8 × (the block's mean − 128).
                                let dc = i64::from(*prediction) * i64::from(step);
                                let mean = (dc + 4).div_euclid(8) + 128;
                                means[y * blocks_wide + x] = mean.clamp(0, 255) as u8;
                            }
                        }
                    }
                }
            }
        }
        if bits.overran() {
            return None;
        }
        GrayImage::from_raw(blocks_wide as u32, blocks_high as u32, means)
    }
}

/// One component of the scan: where its DC goes, how many blocks it has in
/// an MCU, and its tables (the file's, or the standard's).
struct ScanComponent<'a> {
    index: usize,
    across: usize,
    down: usize,
    dc: &'a Huffman,
    ac: &'a Huffman,
}

/// Skips one block's AC coefficients from `index` on: each symbol's extra
/// bits are passed over unread.
#[cold]
fn skip_ac_from(table: &Huffman, bits: &mut BitReader, mut index: usize) -> Option<()> {
    while index < 64 {
        let run_and_size = table.decode(bits)?;
        let (run, size) = (run_and_size >> 4, run_and_size & 15);
        if size == 0 {
            if run != 15 {
                return Some(()); // end of block
            }
            index += 16;
        } else {
            // `decode` left at least 16 bits held.
            bits.consume(u32::from(size));
            index += usize::from(run) + 1;
        }
    }
    (index == 64).then_some(())
}

/// [`skip_ac_from`] by whole symbols: most codes are short, and for those one
/// look-up gives the code's and its extra bits' length together and how far
/// along the block the symbol goes. Same result, fewer steps.
#[inline(always)]
fn skip_ac_fast(table: &Huffman, bits: &mut BitReader) -> Option<()> {
    let mut index = 1;
    while index < 64 {
        bits.hold_32();
        let (shift, advance) = table.skip[bits.peek(LOOKUP_BITS) as usize & LOOKUP_MASK];
        if shift == 0 {
            // A long code: symbol by symbol for the rest of the block.
            return skip_ac_from(table, bits, index);
        }
        bits.consume(u32::from(shift));
        index += usize::from(advance);
    }
    (index == 64 || index >= END_OF_BLOCK).then_some(())
}

/// Codes up to this long are found with one table look-up.
const LOOKUP_BITS: u32 = 9;
const LOOKUP_MASK: usize = (1 << LOOKUP_BITS) - 1;
/// In [`Huffman::skip`]: an end-of-block symbol's advance, which takes the
/// block's index to this or past it, where coefficients never reach (a run
/// ends below 64 + 16).
const END_OF_BLOCK: usize = 128;

/// A Huffman table: a look-up for short codes, canonical ranges for long.
struct Huffman {
    /// By the next `LOOKUP_BITS` bits: (code length, symbol); length 0 when
    /// the code is longer.
    lookup: [(u8, u8); 1 << LOOKUP_BITS],
    /// For AC tables, by the same bits: (code length plus extra bits, how
    /// many coefficients the symbol covers; [`END_OF_BLOCK`] to end it);
    /// shift 0 when the code is longer.
    skip: [(u8, u8); 1 << LOOKUP_BITS],
    /// By code length 1–16: the largest code of that length (−1: none) and
    /// the index in `symbols` of its first code minus that first code.
    max_code: [i32; 17],
    offset: [i32; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    /// `None` for a table whose counts cannot be a prefix code.
    fn new(counts: &[u8; 16], symbols: &[u8]) -> Option<Self> {
        let mut lookup = [(0u8, 0u8); 1 << LOOKUP_BITS];
        let mut skip = [(0u8, 0u8); 1 << LOOKUP_BITS];
        let mut max_code = [-1i32; 17];
        let mut offset = [0i32; 17];
        let mut code = 0i32;
        let mut next = 0usize;
        for length in 1..=16u32 {
            let count = usize::from(counts[length as usize - 1]);
            offset[length as usize] = next as i32 - code;
            for _ in 0..count {
                if code >= 1 << length {
                    return None;
                }
                if length <= LOOKUP_BITS {
                    let spare = LOOKUP_BITS - length;
                    let first = (code as usize) << spare;
                    let codes = first..first + (1 << spare);
                    let symbol = symbols[next];
                    lookup[codes.clone()].fill((length as u8, symbol));
                    let (run, size) = (symbol >> 4, symbol & 15);
                    let advance = match (run, size) {
                        (15, 0) => 16,
                        (_, 0) => END_OF_BLOCK as u8,
                        _ => run + 1,
                    };
                    // A DC table's symbols are sizes alone; its skip
                    // entries are never read.
                    skip[codes].fill((length as u8 + size, advance));
                }
                code += 1;
                next += 1;
            }
            if count > 0 {
                max_code[length as usize] = code - 1;
            }
            code <<= 1;
        }
        Some(Self {
            lookup,
            skip,
            max_code,
            offset,
            symbols: symbols.to_vec(),
        })
    }

    /// The next symbol, leaving at least 16 bits held for its extra bits
    /// (at most 15); `None` for bits that are no code of this table.
    #[inline(always)]
    fn decode(&self, bits: &mut BitReader) -> Option<u8> {
        bits.hold_32();
        let (length, symbol) = self.lookup[bits.peek(LOOKUP_BITS) as usize & LOOKUP_MASK];
        if length > 0 {
            bits.consume(u32::from(length));
            return Some(symbol);
        }
        self.decode_long(bits)
    }

    /// A code longer than the look-up's (rare: long codes are rare symbols).
    #[cold]
    fn decode_long(&self, bits: &mut BitReader) -> Option<u8> {
        for length in LOOKUP_BITS + 1..=16 {
            let code = bits.peek(length) as i32;
            if code <= self.max_code[length as usize] {
                bits.consume(length);
                return self
                    .symbols
                    .get((code + self.offset[length as usize]) as usize)
                    .copied();
            }
        }
        None
    }
}

/// The tables of the JPEG standard's Annex K, which cameras' MJPEG leaves
/// out, as (DC, AC) for the luma, then the chroma; built once, since a
/// camera's every frame needs them.
fn standard_tables() -> &'static [(Huffman, Huffman); 2] {
    static TABLES: OnceLock<[(Huffman, Huffman); 2]> = OnceLock::new();
    TABLES.get_or_init(|| {
        let sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
        let table = |counts: &[u8; 16], symbols: &[u8]| {
            Huffman::new(counts, symbols).expect("the standard's tables are prefix codes")
        };
        [
            (
                table(&[0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], &sizes),
                table(&STANDARD_AC_LUMA_COUNTS, &STANDARD_AC_LUMA),
            ),
            (
                table(&[0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], &sizes),
                table(&STANDARD_AC_CHROMA_COUNTS, &STANDARD_AC_CHROMA),
            ),
        ]
    })
}

/// Reads the entropy-coded data most significant bit first, unstuffing
/// 0xFF 0x00 and stopping at a marker (past it, zero bits, which
/// [`BitReader::overran`] then reports).
struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bits not yet used, from the top.
    buffer: u64,
    held: u32,
    /// Of `held`, how many are zeros fed past the data's end or a marker
    /// (they sit below the real bits; `held < padding` once any is used).
    padding: u32,
}

impl<'a> BitReader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self {
            data,
            pos: 0,
            buffer: 0,
            held: 0,
            padding: 0,
        }
    }

    /// At least 32 bits held: a code (≤ 16) and its extra bits (≤ 15).
    #[inline(always)]
    fn hold_32(&mut self) {
        if self.held < 32 {
            self.fill();
        }
    }

    fn fill(&mut self) {
        while self.held <= 56 {
            let byte = match self.data.get(self.pos) {
                Some(&0xFF) if self.data.get(self.pos + 1) == Some(&0) => {
                    self.pos += 2;
                    0xFF
                }
                Some(&0xFF) | None => {
                    self.padding += 8;
                    0
                }
                Some(&byte) => {
                    self.pos += 1;
                    byte
                }
            };
            self.buffer |= u64::from(byte) << (56 - self.held);
            self.held += 8;
        }
    }

    #[inline(always)]
    fn peek(&self, count: u32) -> u32 {
        (self.buffer >> (64 - count)) as u32
    }

    /// Drops `count` held bits (the caller made sure they are held).
    #[inline(always)]
    fn consume(&mut self, count: u32) {
        self.buffer <<= count;
        self.held -= count;
    }

    /// The next `size` bits (≤ 15, held) as a signed difference (the
    /// standard's EXTEND).
    #[inline(always)]
    fn signed(&mut self, size: u8) -> i32 {
        if size == 0 {
            return 0;
        }
        let size = u32::from(size);
        let raw = self.peek(size) as i32;
        self.consume(size);
        if raw < 1 << (size - 1) {
            raw - (1 << size) + 1
        } else {
            raw
        }
    }

    /// At a restart interval's end: drops the last byte's padding bits and
    /// reads the restart marker.
    fn restart(&mut self) -> Option<()> {
        if self.overran() || self.held - self.padding >= 8 {
            return None;
        }
        match self.data.get(self.pos..self.pos + 2)? {
            [0xFF, 0xD0..=0xD7] => self.pos += 2,
            _ => return None,
        }
        self.buffer = 0;
        self.held = 0;
        self.padding = 0;
        Some(())
    }

    /// Whether bits past the data's end or a marker were used.
    fn overran(&self) -> bool {
        self.held < self.padding
    }
}

// The JPEG standard's Annex K.3 AC tables (K.5 luminance, K.6 chrominance):
// codes per length 1–16, then the symbols in code order, as libjpeg writes
// them (a test checks a file written with them decodes the same without).
const STANDARD_AC_LUMA_COUNTS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125];
const STANDARD_AC_LUMA: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
];
const STANDARD_AC_CHROMA_COUNTS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119];
const STANDARD_AC_CHROMA: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::picture::jpeg_luma;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/jpeg/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
    }

    /// One 8×8 block of the fully decoded luma.
    struct Block {
        mean: f32,
        lowest: u8,
        highest: u8,
        /// Not cut by the frame's edge.
        whole: bool,
    }

    /// Each block of the fully decoded luma, to compare with, and the
    /// blocks' grid.
    fn decoded_blocks(bytes: &[u8]) -> (Vec<Block>, usize, usize) {
        let luma = jpeg_luma(bytes).unwrap();
        let (width, height) = (luma.width() as usize, luma.height() as usize);
        let (wide, high) = (width.div_ceil(8), height.div_ceil(8));
        let mut blocks = vec![(0f32, 0f32, u8::MAX, u8::MIN); wide * high];
        for (i, &value) in luma.iter().enumerate() {
            let block = &mut blocks[(i / width / 8) * wide + (i % width) / 8];
            block.0 += f32::from(value);
            block.1 += 1.0;
            block.2 = block.2.min(value);
            block.3 = block.3.max(value);
        }
        let blocks = blocks
            .iter()
            .enumerate()
            .map(|(b, &(sum, count, lowest, highest))| Block {
                mean: sum / count,
                lowest,
                highest,
                whole: (b % wide + 1) * 8 <= width && (b / wide + 1) * 8 <= height,
            })
            .collect();
        (blocks, wide, high)
    }

    /// The DC picture against the full decode: a whole block's mean within
    /// the inverse transform's rounding and clamping. A block the frame's
    /// edge cuts also averages the encoder's padding (libjpeg repeats the
    /// last column and row), so its value is only within its visible
    /// pixels' range.
    fn assert_matches_full_decode(name: &str, bytes: &[u8]) {
        let eighth = eighth_of_jpeg(bytes).unwrap_or_else(|| panic!("{name}: not read"));
        let (blocks, wide, high) = decoded_blocks(bytes);
        assert_eq!(eighth.dimensions(), (wide as u32, high as u32), "{name}");
        for (&got, block) in eighth.as_raw().iter().zip(&blocks) {
            let Block {
                mean,
                lowest,
                highest,
                whole,
            } = *block;
            if whole {
                assert!(
                    (f32::from(got) - mean).abs() <= 1.5,
                    "{name}: {got} against {mean}"
                );
            } else {
                assert!(
                    (lowest.saturating_sub(4)..=highest.saturating_add(4)).contains(&got),
                    "{name}: edge block {got} outside {lowest}..={highest}"
                );
            }
        }
    }

    #[test]
    fn every_layout_cameras_and_encoders_write_reads_as_its_block_means() {
        // cjpeg (libjpeg-turbo 2.1.5) from a 157×117 crop of a fixture
        // frame: fixtures/jpeg/README.md.
        for name in [
            "restart_420.jpg",
            "sampled_422.jpg",
            "optimized_444.jpg",
            "grey_restart.jpg",
        ] {
            assert_matches_full_decode(name, &fixture(name));
        }
        // The frames chintuck's own encoders and the bundled replays hold.
        let mut from_image_crate = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut from_image_crate, 85)
            .encode_image(&image::RgbImage::from_fn(61, 45, |x, y| {
                image::Rgb([(x * 4) as u8, (y * 5) as u8, ((x * y) % 256) as u8])
            }))
            .unwrap();
        assert_matches_full_decode("image crate's encoder", &from_image_crate);
        for frame in ["frame_000.jpg", "frame_060.jpg", "frame_123.jpg"] {
            let path = format!(
                "{}/fixtures/sequences/forward_head/{frame}",
                env!("CARGO_MANIFEST_DIR")
            );
            assert_matches_full_decode(frame, &std::fs::read(path).unwrap());
        }
    }

    /// Drops every segment with this marker.
    fn without_segments(bytes: &[u8], marker: u8) -> Vec<u8> {
        let mut out = bytes[..2].to_vec();
        let mut pos = 2;
        while bytes[pos + 1] != 0xDA {
            let length = usize::from(u16::from_be_bytes([bytes[pos + 2], bytes[pos + 3]]));
            if bytes[pos + 1] != marker {
                out.extend_from_slice(&bytes[pos..pos + 2 + length]);
            }
            pos += 2 + length;
        }
        out.extend_from_slice(&bytes[pos..]);
        out
    }

    #[test]
    fn a_camera_frame_without_huffman_tables_uses_the_standard_ones() {
        // restart_420.jpg was written with the standard tables; a camera's
        // MJPEG frame leaves them out and means those.
        let bytes = fixture("restart_420.jpg");
        let bare = without_segments(&bytes, 0xC4);
        assert!(bare.len() < bytes.len());
        assert_eq!(eighth_of_jpeg(&bare), eighth_of_jpeg(&bytes));
        // An optimised file's own tables are not the standard ones.
        let optimised = without_segments(&fixture("optimized_444.jpg"), 0xC4);
        assert_ne!(
            eighth_of_jpeg(&optimised),
            eighth_of_jpeg(&fixture("optimized_444.jpg"))
        );
    }

    #[test]
    fn what_this_reader_does_not_take_is_left_to_the_full_decode() {
        assert_eq!(eighth_of_jpeg(&fixture("progressive.jpg")), None);
        let bytes = fixture("restart_420.jpg");
        // Truncated: the full decode is lenient with it, so it decides.
        for cut in [bytes.len() / 2, bytes.len() - 40, 300, 10, 2, 0] {
            assert_eq!(eighth_of_jpeg(&bytes[..cut]), None, "cut at {cut}");
        }
        // A restart marker missing or in the wrong place.
        let scan = bytes.windows(2).position(|w| w == [0xFF, 0xD0]).unwrap();
        let mut no_marker = bytes.clone();
        no_marker[scan + 1] = 0x00;
        assert_eq!(eighth_of_jpeg(&no_marker), None);
        // A Huffman table whose counts are no prefix code.
        let table = bytes.windows(2).position(|w| w == [0xFF, 0xC4]).unwrap();
        let mut bad_table = bytes.clone();
        bad_table[table + 5] = 0xFF; // 255 codes one bit long
        assert_eq!(eighth_of_jpeg(&bad_table), None);
        assert_eq!(eighth_of_jpeg(b"not a picture at all"), None);
        // Every byte of the scan flipped in turn never panics.
        for at in (scan.saturating_sub(200)..bytes.len()).step_by(7) {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5A;
            let _ = eighth_of_jpeg(&flipped);
        }
    }

    /// The headers (frame size, sampling, tables, restart interval, scan
    /// layout) come from the camera or a file: whatever any one byte of
    /// them says, the reader returns a picture the size its frame header
    /// gives or `None`, and never panics or runs away.
    #[test]
    fn any_header_byte_changed_gives_a_picture_or_none() {
        for name in [
            "restart_420.jpg",
            "sampled_422.jpg",
            "optimized_444.jpg",
            "grey_restart.jpg",
            "progressive.jpg",
        ] {
            let bytes = fixture(name);
            // The headers end where the first scan's entropy-coded data begins.
            let sos = bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
            let data = sos + 2 + usize::from(u16::from_be_bytes([bytes[sos + 2], bytes[sos + 3]]));
            let (mut read, mut refused) = (0, 0);
            for at in 2..data {
                for value in [
                    0x00,
                    0xFF,
                    0x01,
                    bytes[at] ^ 0x80,
                    bytes[at].wrapping_add(1),
                ] {
                    let mut changed = bytes.clone();
                    changed[at] = value;
                    match eighth_of_jpeg(&changed) {
                        Some(picture) => {
                            read += 1;
                            let size =
                                frame_size(&changed).expect("a picture means a frame header");
                            assert_eq!(
                                picture.dimensions(),
                                (size.0.div_ceil(8), size.1.div_ceil(8)),
                                "{name}: byte {at} = {value:#04x}"
                            );
                        }
                        None => refused += 1,
                    }
                }
            }
            // Most changes leave a readable picture (a changed table entry or
            // quantiser) or a refused one; both happen on every baseline file.
            if name != "progressive.jpg" {
                assert!(
                    read > 0 && refused > 0,
                    "{name}: {read} read, {refused} refused"
                );
            }
        }
    }

    /// Width and height from the first start-of-frame header.
    fn frame_size(bytes: &[u8]) -> Option<(u32, u32)> {
        let sof = bytes
            .windows(2)
            .position(|w| w[0] == 0xFF && matches!(w[1], 0xC0 | 0xC1))?;
        let be = |at: usize| u32::from(u16::from_be_bytes([bytes[at], bytes[at + 1]]));
        Some((be(sof + 7), be(sof + 5)))
    }
}
