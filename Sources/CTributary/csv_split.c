// Splitting of plain CSV records from a structural index built 64 bytes at a time.
//
// A window of up to TRIBUTARY_CSV_WINDOW_BYTES bytes from a record start is indexed first: for
// each block of 64 bytes, bitmasks of the delimiter, newline, quote and escape bytes; which bytes
// lie inside quotes (a prefix XOR of the quote bits, carried from block to block; one carry-less
// multiply with AVX2's kernel); and from those
// the offsets of every field end (delimiters and newlines outside quotes) and every record end,
// written to two arrays, plus the first place where the quoting is not plain. Then each record
// whose fields are exactly the table's width ends is cut with a few loads per selected field:
// field f of a record whose first end is entry e runs from ends[e + f - 1] + 1 to ends[e + f].
//
// Plain records are: unquoted fields, or quoted fields that open at the field's start, hold no
// escape or newline, and close right before a delimiter or newline (a doubled quote breaks that
// rule too); the table's number of fields; not a blank line. The first record that is not plain
// stops the split; the caller splits it with the general rules and calls again after it.
//
// The masks come from AVX2 (chosen at run time when the CPU has it), SSE2 (every x86-64 CPU) or
// a portable byte loop; all three give the same masks.

#include "CTributary.h"

#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define CSV_X86 1
#else
#define CSV_X86 0
#endif

typedef struct {
    uint64_t delimiters;
    uint64_t newlines;
    uint64_t quotes;
    uint64_t escapes;
} csv_masks;

static inline void masks_portable(const uint8_t *p, uint8_t delimiter, uint8_t quote, uint8_t escape, csv_masks *m) {
    uint64_t d = 0, n = 0, q = 0, e = 0;
    for (int k = 0; k < 64; k++) {
        uint64_t bit = (uint64_t)1 << k;
        if (p[k] == delimiter) d |= bit;
        if (p[k] == '\n') n |= bit;
        if (p[k] == quote) q |= bit;
        if (p[k] == escape) e |= bit;
    }
    m->delimiters = d;
    m->newlines = n;
    m->quotes = q;
    m->escapes = e;
}

#if CSV_X86
static inline uint64_t eq_sse2(__m128i a, __m128i b, __m128i c, __m128i d, __m128i v) {
    uint64_t r0 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v));
    uint64_t r1 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, v));
    uint64_t r2 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, v));
    uint64_t r3 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, v));
    return r0 | (r1 << 16) | (r2 << 32) | (r3 << 48);
}

static inline void masks_sse2(const uint8_t *p, uint8_t delimiter, uint8_t quote, uint8_t escape, csv_masks *m) {
    __m128i a = _mm_loadu_si128((const __m128i *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    m->delimiters = eq_sse2(a, b, c, d, _mm_set1_epi8((char)delimiter));
    m->newlines = eq_sse2(a, b, c, d, _mm_set1_epi8('\n'));
    m->quotes = eq_sse2(a, b, c, d, _mm_set1_epi8((char)quote));
    m->escapes = eq_sse2(a, b, c, d, _mm_set1_epi8((char)escape));
}

__attribute__((target("avx2"))) static inline uint64_t eq_avx2(__m256i lo, __m256i hi, __m256i v) {
    uint64_t r0 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, v));
    uint64_t r1 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, v));
    return r0 | (r1 << 32);
}

__attribute__((target("avx2"))) static inline void masks_avx2(const uint8_t *p, uint8_t delimiter, uint8_t quote,
                                                              uint8_t escape, csv_masks *m) {
    __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    m->delimiters = eq_avx2(lo, hi, _mm256_set1_epi8((char)delimiter));
    m->newlines = eq_avx2(lo, hi, _mm256_set1_epi8('\n'));
    m->quotes = eq_avx2(lo, hi, _mm256_set1_epi8((char)quote));
    m->escapes = eq_avx2(lo, hi, _mm256_set1_epi8((char)escape));
}
#endif

typedef void (*csv_mask_fn)(const uint8_t *, uint8_t, uint8_t, uint8_t, csv_masks *);

// How many bytes one index covers at most; a record longer than this is left to the general rules.
#define CSV_WINDOW_BYTES TRIBUTARY_CSV_WINDOW_BYTES

// The masks of the 64 bytes at `at`; bytes past `size` read as zero (copied, never read past the
// mapping) and their bits are cleared.
static inline __attribute__((always_inline)) void block_masks(const uint8_t *bytes, int64_t size, int64_t at,
                                                              uint8_t delimiter, uint8_t quote, uint8_t escape,
                                                              csv_masks *m, csv_mask_fn fn) {
    if (at + 64 <= size) {
        fn(bytes + at, delimiter, quote, escape, m);
        return;
    }
    uint8_t tail[64];
    int64_t have = size - at;
    memset(tail, 0, sizeof tail);
    memcpy(tail, bytes + at, (size_t)have);
    fn(tail, delimiter, quote, escape, m);
    uint64_t keep = (((uint64_t)1 << have) - 1);
    m->delimiters &= keep;
    m->newlines &= keep;
    m->quotes &= keep;
    m->escapes &= keep;
}

#if CSV_X86
// prefix_xor in one carry-less multiply by all ones.
__attribute__((target("pclmul,sse2"))) static inline uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}
#endif

// Bit i set when an odd number of bits at or below i are set in x.
static inline uint64_t prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

// The offset of the lowest set bit, 64 when none.
static inline uint32_t lowest(uint64_t x) { return x ? (uint32_t)__builtin_ctzll(x) : 64; }

// Appends the offsets of the set bits of `bits` (plus `base`) at out[*count]. Eight entries are
// written whether or not they exist (the array has room past its end for them), so the loop does
// not branch on each bit: a block has a handful of field ends, and a loop that exits on the last
// one costs a mispredicted branch per block.
static inline __attribute__((always_inline)) void flatten(uint32_t *out, int64_t *count, uint64_t bits,
                                                          uint32_t base) {
    int total = __builtin_popcountll(bits);
    uint32_t *p = out + *count;
    for (int i = 0; i < 8; i++) {
        p[i] = base + lowest(bits);
        bits &= bits - 1;
    }
    if (total > 8) {
        for (int i = 8; i < 16; i++) {
            p[i] = base + lowest(bits);
            bits &= bits - 1;
        }
        for (int i = 16; bits != 0; i++) {
            p[i] = base + lowest(bits);
            bits &= bits - 1;
        }
    }
    *count += total;
}

// The structural index of one window: field ends (delimiters and newlines outside quotes) and
// record ends, as offsets from the window start, and the first offset where the quoting is not
// plain (a quote that opens inside a field, a closing quote followed by anything but a delimiter
// or newline, an escape or a newline inside quotes).
typedef struct {
    uint32_t *ends;
    int64_t end_count;
    uint32_t *newlines;
    int64_t newline_count;
    int64_t irregular;  // offset of the first irregular quoting, or the window's length when none
    int64_t length;     // bytes indexed
    int at_end;         // the window reaches the end of the bytes (its last record may lack a newline)
} csv_index;

static inline __attribute__((always_inline)) void build_index(const tributary_csv_plain_split *job, int64_t start,
                                                              int64_t window, csv_index *ix, csv_mask_fn fn,
                                                              int clmul) {
    const uint8_t *bytes = job->bytes;
    const int64_t size = job->size;
    const uint8_t delimiter = job->delimiter, quote = job->quote, escape = job->escape;
    const int check_escapes = escape != quote;
    int64_t length = size - start < window ? size - start : window;
    uint64_t in_quotes = 0;           // all ones when the block starts inside quotes
    uint64_t before = 1;              // bit 0: the byte before the block ends a field (a record start does)
    int64_t irregular = length;
    uint32_t *ends = ix->ends, *newlines = ix->newlines;
    int64_t e = 0, n = 0;
    for (int64_t off = 0; off < length; off += 64) {
        csv_masks m;
        block_masks(bytes, size, start + off, delimiter, quote, escape, &m, fn);
        int64_t have = length - off < 64 ? length - off : 64;
        uint64_t valid = have == 64 ? ~(uint64_t)0 : (((uint64_t)1 << have) - 1);
        uint64_t q = m.quotes & valid;
#if CSV_X86
        uint64_t x = clmul ? prefix_xor_clmul(q) : prefix_xor(q);
#else
        (void)clmul;
        uint64_t x = prefix_xor(q);
#endif
        uint64_t inside = x ^ in_quotes;  // set on opening quotes and the bytes they quote
        uint64_t field_ends = (m.delimiters | m.newlines) & valid;
        uint64_t opening = q & inside, closing = q & ~inside;
        uint64_t after_end = (field_ends << 1) | before;
        uint64_t bad = (opening & ~after_end) | ((m.newlines & valid) & inside);
        if (check_escapes) bad |= m.escapes & valid & inside & ~q;
        // A closing quote must be followed by a delimiter or newline (or the end of the bytes).
        uint64_t followed = field_ends >> 1;
        if (have == 64 && start + off + 64 < size) {
            // The next block's first byte: read it rather than wait for its masks.
            uint8_t next = bytes[start + off + 64];
            if (next == delimiter || next == '\n') followed |= (uint64_t)1 << 63;
        } else if (start + off + have >= size) {
            followed |= (uint64_t)1 << (have - 1);  // the last byte of the bytes: nothing follows
        }
        bad |= closing & ~followed & valid;
        if (bad != 0 && irregular == length) irregular = off + __builtin_ctzll(bad);
        uint64_t structural = field_ends & ~inside;
        uint64_t lines = m.newlines & valid & ~inside;
        flatten(ends, &e, structural, (uint32_t)off);
        // Usually no or one record end per block: the first is written whether or not it exists.
        newlines[n] = (uint32_t)(off + lowest(lines));
        n += lines != 0;
        lines &= lines - 1;
        while (lines != 0) {
            newlines[n++] = (uint32_t)(off + lowest(lines));
            lines &= lines - 1;
        }
        in_quotes = (inside >> 63) ? ~(uint64_t)0 : 0;
        before = (field_ends >> 63) & 1 & ~(in_quotes & 1);
        if (irregular != length) break;  // nothing after it is used
    }
    ix->end_count = e;
    ix->newline_count = n;
    ix->irregular = irregular;
    ix->length = length;
    ix->at_end = start + length >= size;
}

static inline __attribute__((always_inline)) int split_plain(const tributary_csv_plain_split *job, int64_t *position,
                                                             int64_t limit, int64_t *rows, csv_mask_fn fn, int clmul) {
    const uint8_t *bytes = job->bytes;
    const uint8_t quote = job->quote;
    const int64_t width = job->width;
    const int32_t *fields = job->fields, *slots = job->slots;
    const int32_t selected = job->selected;
    tributary_csv_span *spans = job->spans;
    const int64_t capacity = job->capacity;
    int64_t pos = *position;
    int64_t row = *rows;
    int status = TRIBUTARY_CSV_SPLIT_DONE;
    csv_index ix;
    ix.ends = job->scratch;
    ix.newlines = job->scratch + TRIBUTARY_CSV_SPLIT_SCRATCH / 2;

    // Windows start small and grow while every record in them is plain, so a record that is not
    // plain costs an index of a few KiB at most, not of a whole window.
    int64_t window_bytes = CSV_WINDOW_BYTES / 16;
    while (row < capacity && pos < limit && status == TRIBUTARY_CSV_SPLIT_DONE) {
        const int64_t window = pos;
        build_index(job, window, window_bytes, &ix, fn, clmul);
        // A last record without a newline ends at the end of the bytes.
        if (ix.at_end && ix.irregular == ix.length &&
            (ix.newline_count == 0 || ix.newlines[ix.newline_count - 1] != ix.length - 1) &&
            (ix.end_count == 0 || ix.ends[ix.end_count - 1] != ix.length)) {
            ix.ends[ix.end_count++] = (uint32_t)ix.length;
            ix.newlines[ix.newline_count++] = (uint32_t)ix.length;
        }
        int64_t e = 0;
        int64_t record = 0;  // offset of the record from the window start
        int64_t r = 0;
        for (; r < ix.newline_count; r++) {
            if (row == capacity || window + record >= limit) break;
            const int64_t line = ix.newlines[r];
            if (ix.irregular <= line || e + width > ix.end_count || ix.ends[e + width - 1] != line) {
                status = TRIBUTARY_CSV_SPLIT_NOT_PLAIN;
                break;
            }
            int64_t line_end = line;
            if (line > record && bytes[window + line - 1] == '\r') line_end = line - 1;
            if (width == 1 && line_end == record) {  // a blank line
                status = TRIBUTARY_CSV_SPLIT_NOT_PLAIN;
                break;
            }
            for (int32_t k = 0; k < selected; k++) {
                const int64_t f = fields[k];
                int64_t s = f == 0 ? record : (int64_t)ix.ends[e + f - 1] + 1;
                int64_t t = f == width - 1 ? line_end : (int64_t)ix.ends[e + f];
                uint8_t quoted = 0;
                if (s < t && bytes[window + s] == quote) {
                    // Plain quoting: the closing quote is the byte before the field's end (for the
                    // last field, before the newline itself: a CR after the quote is not plain).
                    t = f == width - 1 ? line : t;
                    s += 1;
                    t -= 1;
                    quoted = 1;
                }
                tributary_csv_span *span = &spans[(int64_t)slots[k] * capacity + row];
                span->start = window + s;
                span->end = window + t;
                span->quoted = quoted;
                span->in_scratch = 0;
            }
            job->record_starts[row] = window + record;
            row += 1;
            e += width;
            record = line + 1;
        }
        pos = window + record;
        if (status != TRIBUTARY_CSV_SPLIT_DONE) break;
        if (r == ix.newline_count && record == 0) {
            // Not one whole record in the window: a larger one, or a record too long for any.
            if (window_bytes < CSV_WINDOW_BYTES && ix.irregular == ix.length && !ix.at_end) {
                window_bytes *= 2;
                continue;
            }
            if (window < limit) status = TRIBUTARY_CSV_SPLIT_NOT_PLAIN;
            break;
        }
        if (window_bytes < CSV_WINDOW_BYTES) window_bytes *= 2;
    }
    *position = pos;
    *rows = row;
    return status;
}

static int split_portable(const tributary_csv_plain_split *job, int64_t *position, int64_t limit, int64_t *rows) {
    return split_plain(job, position, limit, rows, masks_portable, 0);
}

#if CSV_X86
static int split_sse2(const tributary_csv_plain_split *job, int64_t *position, int64_t limit, int64_t *rows) {
    return split_plain(job, position, limit, rows, masks_sse2, 0);
}

__attribute__((target("avx2,pclmul"))) static int split_avx2(const tributary_csv_plain_split *job, int64_t *position,
                                                      int64_t limit, int64_t *rows) {
    return split_plain(job, position, limit, rows, masks_avx2, 1);
}
#endif

size_t tributary_csv_split_scratch_entries(void) { return TRIBUTARY_CSV_SPLIT_SCRATCH; }

int tributary_csv_split_best_kind(void) {
#if CSV_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") ? TRIBUTARY_CSV_MASKS_AVX2
                                                                               : TRIBUTARY_CSV_MASKS_SSE2;
#else
    return TRIBUTARY_CSV_MASKS_PORTABLE;
#endif
}

int tributary_csv_split_plain(const tributary_csv_plain_split *job, int64_t *position, int64_t limit, int64_t *rows,
                              int kind) {
    switch (kind) {
#if CSV_X86
    case TRIBUTARY_CSV_MASKS_AVX2:
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul")) return split_avx2(job, position, limit, rows);
        return split_sse2(job, position, limit, rows);
    case TRIBUTARY_CSV_MASKS_SSE2:
        return split_sse2(job, position, limit, rows);
#endif
    default:
        return split_portable(job, position, limit, rows);
    }
}

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

int tributary_populate_read(const void *address, size_t length) {
#if defined(__linux__)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
    long size = sysconf(_SC_PAGESIZE);
    uintptr_t page = size > 0 ? (uintptr_t)size : 4096;
    uintptr_t start = (uintptr_t)address & ~(page - 1);
    size_t span = length + ((uintptr_t)address - start);
    return madvise((void *)start, span, MADV_POPULATE_READ) == 0 ? 0 : -1;
#else
    (void)address;
    (void)length;
    return -1;
#endif
}
