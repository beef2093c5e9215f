// Raw snappy block decompression tuned for columnar pages.
//
// A snappy block is a varint of the uncompressed length followed by elements, each a tag byte
// whose two low bits give its kind: a literal (the next bytes verbatim) or a copy of earlier
// output (a length and a backwards offset held in 1, 2 or 4 bytes after the tag). Pages of
// 8-byte keys compress to about four output bytes per element, so the cost per element decides
// the speed, and that cost is mostly latency: each tag's position depends on the tag before it.
// The fast loop therefore keeps that chain short:
// - the next tag's position is computed from the current tag by arithmetic alone (no table load,
//   no branch on the kind) and the next tag is loaded before the current element's bytes move;
// - short literals (up to 32 bytes) and copies of up to 32 bytes move as two unconditional
//   16-byte words; the bytes past an element's end are garbage that the next elements overwrite,
//   which is safe while far from both buffers' ends;
// - copies whose offset is below 16 (overlapping runs) write a 16-byte repeating pattern, built
//   once, at steps that are a multiple of the period (SSSE3 byte shuffle where the CPU has it).
// The last bytes of each buffer are decoded by an exact loop.
//
// Every element is checked against both buffers: corrupt input is reported, never read or
// written out of bounds. `input` and `output` must not overlap.

#include "CTributary.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define TRIBUTARY_SNAPPY_X86 1
#include <immintrin.h>
#endif

static inline void move16(uint8_t *to, const uint8_t *from) {
    uint8_t word[16];
    memcpy(word, from, 16);
    memcpy(to, word, 16);
}

static inline uint32_t load_le16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }

static inline uint32_t load_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int tributary_snappy_uncompressed_length(const uint8_t *input, size_t input_length, size_t *length, size_t *header) {
    uint64_t value = 0;
    for (size_t index = 0; index < 5; index++) {
        if (index >= input_length) return -1;
        uint8_t byte = input[index];
        value |= (uint64_t)(byte & 0x7f) << (7 * index);
        if ((byte & 0x80) == 0) {
            if (value > 0xffffffffu) return -1;
            *length = (size_t)value;
            *header = index + 1;
            return 0;
        }
    }
    return -1;
}

// The exact decoder: every element bounds-checked, copies byte by byte where they may overlap.
// Decodes from `ip` on, with `op` the next output position.
static int decode_exact(const uint8_t *ip, const uint8_t *ip_end, uint8_t *out, uint8_t *op, uint8_t *op_end) {
    while (ip < ip_end) {
        uint32_t tag = *ip++;
        size_t length;
        size_t offset;
        switch (tag & 3) {
        case 0:
            length = (tag >> 2) + 1;
            if (length > 60) {
                // 1 to 4 little-endian bytes hold the length minus one.
                size_t bytes = length - 60;
                if ((size_t)(ip_end - ip) < bytes) return -1;
                uint32_t value = 0;
                for (size_t k = 0; k < bytes; k++) value |= (uint32_t)ip[k] << (8 * k);
                ip += bytes;
                length = (size_t)value + 1;
            }
            if ((size_t)(ip_end - ip) < length || (size_t)(op_end - op) < length) return -1;
            memcpy(op, ip, length);
            op += length;
            ip += length;
            continue;
        case 1:
            if (ip >= ip_end) return -1;
            length = ((tag >> 2) & 7) + 4;
            offset = (size_t)(tag >> 5) << 8 | *ip++;
            break;
        case 2:
            if (ip_end - ip < 2) return -1;
            length = (tag >> 2) + 1;
            offset = load_le16(ip);
            ip += 2;
            break;
        default:
            if (ip_end - ip < 4) return -1;
            length = (tag >> 2) + 1;
            offset = load_le32(ip);
            ip += 4;
            break;
        }
        if (offset == 0 || offset > (size_t)(op - out) || length > (size_t)(op_end - op)) return -1;
        const uint8_t *from = op - offset;
        for (size_t k = 0; k < length; k++) op[k] = from[k];
        op += length;
    }
    return op == op_end ? 0 : -1;
}

// How far the fast loop stays from the ends. Input: the next tag may be up to 65 bytes ahead (a
// tag and a literal of up to 64 bytes), and a short literal's two words read 33 bytes from its
// tag. Output: a copy of up to 64 bytes written as repeated 16-byte patterns may write 79 bytes.
enum { INPUT_SLOP = 66, OUTPUT_SLOP = 80 };

// The 16 bytes of period `offset` (1..15) starting at `from`, whose first `offset` bytes are set.
static inline void pattern_portable(uint8_t pattern[16], const uint8_t *from, size_t offset) {
    for (size_t k = 0; k < offset; k++) pattern[k] = from[k];
    for (size_t k = offset; k < 16; k++) pattern[k] = pattern[k - offset];
}

// For each copy tag with 1 or 2 offset bytes: its length (bits 16 to 23) and the offset's bits
// that the tag itself holds (bits 0 to 10, a 1-byte-offset copy's high bits).
#define COPY_ENTRY(t)                                                                                   \
    ((t) % 4 == 1 ? ((((t) >> 2) % 8 + 4) << 16 | ((t) >> 5) << 8) : (t) % 4 == 2 ? ((((t) >> 2) + 1) << 16) : 0)
#define COPY_ENTRY4(t) COPY_ENTRY(t), COPY_ENTRY((t) + 1), COPY_ENTRY((t) + 2), COPY_ENTRY((t) + 3)
#define COPY_ENTRY16(t) COPY_ENTRY4(t), COPY_ENTRY4((t) + 4), COPY_ENTRY4((t) + 8), COPY_ENTRY4((t) + 12)
#define COPY_ENTRY64(t) COPY_ENTRY16(t), COPY_ENTRY16((t) + 16), COPY_ENTRY16((t) + 32), COPY_ENTRY16((t) + 48)
static const uint32_t copy_entry[256] = {COPY_ENTRY64(0), COPY_ENTRY64(64), COPY_ENTRY64(128), COPY_ENTRY64(192)};

// Steps between the pattern's stores: the largest multiple of the period that is at most 16.
static const uint8_t pattern_step[16] = {0, 16, 16, 15, 16, 15, 12, 14, 16, 9, 10, 11, 12, 13, 14, 15};

// The fast loop, written once and compiled twice (portable and SSSE3): decodes while far from
// both ends, then leaves the rest to `decode_exact`.
#define FAST_LOOP_BODY(PATTERN_STORE)                                                                      \
    const uint8_t *ip_limit = ip_end - INPUT_SLOP;                                                          \
    uint8_t *op_limit = op_end - OUTPUT_SLOP;                                                              \
    uint32_t tag = *ip;                                                                                    \
    for (;;) {                                                                                             \
        const uint8_t *next;                                                                               \
        const uint8_t *from;                                                                               \
        size_t length;                                                                                     \
        size_t kind = tag & 3;                                                                             \
        /* The next tag's position takes one shift or mask of this tag, so the chain from tag              \
           to tag stays short; the kind's branch is predicted. */                                          \
        if (kind == 0) {                                                                                   \
            length = (tag >> 2) + 1;                                                                       \
            if (length > 32) goto exceptional;                                                             \
            next = ip + 1 + length;                                                                        \
            from = ip + 1;                                                                                 \
        } else {                                                                                           \
            if (kind == 3) goto exceptional;                                                               \
            next = ip + 1 + kind;                                                                          \
            uint32_t entry = copy_entry[tag];                                                              \
            length = entry >> 16;                                                                          \
            /* The offset's low byte, or both bytes of a 2-byte offset. */                                 \
            size_t offset = (load_le16(ip + 1) & (0xffffu >> ((kind & 1) << 3))) | (entry & 0x7ff);        \
            /* The common copy: at most 32 bytes from at least 16 bytes back. */                           \
            if (!((offset >= 16) & (offset <= (size_t)(op - output)) & (length <= 32))) goto exceptional;  \
            from = op - offset;                                                                            \
        }                                                                                                  \
        tag = *next;                                                                                       \
        /* The second word may read what the first wrote (offsets 16 to 31): in order. */                  \
        move16(op, from);                                                                                  \
        if (length > 16) move16(op + 16, from + 16);                                                       \
        op += length;                                                                                      \
        ip = next;                                                                                         \
        if (ip > ip_limit || op > op_limit) break;                                                         \
        continue;                                                                                          \
    exceptional:                                                                                           \
        /* Long literals, copies with 4 offset bytes, longer than 32 bytes or overlapping by               \
           less than a word, and corrupt copies. */                                                        \
        if (kind == 0) {                                                                                   \
            const uint8_t *start = ip + 1;                                                                 \
            if (length > 60) {                                                                             \
                /* 1 to 4 little-endian bytes hold the length minus one. */                                \
                size_t bytes = length - 60;                                                                \
                length = (size_t)(load_le32(start) & (0xffffffffu >> (32 - 8 * bytes))) + 1;               \
                start += bytes;                                                                            \
            }                                                                                              \
            if ((size_t)(ip_limit + INPUT_SLOP - start) < length || (size_t)(op_limit + OUTPUT_SLOP - op) < length) return -1;            \
            if (length <= 64 && ip_limit + INPUT_SLOP - start >= 64) {                                                    \
                move16(op, start);                                                                         \
                move16(op + 16, start + 16);                                                               \
                move16(op + 32, start + 32);                                                               \
                move16(op + 48, start + 48);                                                               \
            } else {                                                                                       \
                memcpy(op, start, length);                                                                 \
            }                                                                                              \
            op += length;                                                                                  \
            ip = start + length;                                                                           \
        } else {                                                                                           \
            size_t offset;                                                                                 \
            length = (tag >> 2) + 1;                                                                       \
            if (kind == 1) {                                                                               \
                length = ((tag >> 2) & 7) + 4;                                                             \
                offset = (size_t)(tag >> 5) << 8 | ip[1];                                                  \
                ip += 2;                                                                                   \
            } else if (kind == 2) {                                                                        \
                offset = load_le16(ip + 1);                                                                \
                ip += 3;                                                                                   \
            } else {                                                                                       \
                offset = load_le32(ip + 1);                                                                \
                ip += 5;                                                                                   \
            }                                                                                              \
            /* An offset of 0 wraps around to the largest value and fails too. */                          \
            if (offset - 1 >= (size_t)(op - output)) return -1;                                            \
            from = op - offset;                                                                            \
            if (offset >= 16) {                                                                            \
                /* At most 64 bytes: each word reads only bytes written before it. */                      \
                move16(op, from);                                                                          \
                move16(op + 16, from + 16);                                                                \
                move16(op + 32, from + 32);                                                                \
                move16(op + 48, from + 48);                                                                \
            } else {                                                                                       \
                PATTERN_STORE(op, from, offset, length);                                                   \
            }                                                                                              \
            op += length;                                                                                  \
        }                                                                                                  \
        if (ip > ip_limit || op > op_limit) break;                                                         \
        tag = *ip;                                                                                         \
    }                                                                                                      \
    return decode_exact(ip, ip_limit + INPUT_SLOP, output, op, op_limit + OUTPUT_SLOP);

static inline void store_pattern_portable(uint8_t *op, const uint8_t *from, size_t offset, size_t length) {
    uint8_t pattern[16];
    pattern_portable(pattern, from, offset);
    size_t step = pattern_step[offset];
    for (size_t k = 0; k < length; k += step) memcpy(op + k, pattern, 16);
}

static int decode_fast_portable(const uint8_t *ip, const uint8_t *ip_end, uint8_t *output, uint8_t *op,
                                uint8_t *op_end) {
    FAST_LOOP_BODY(store_pattern_portable)
}

#ifdef TRIBUTARY_SNAPPY_X86
// For each period p (1..15), the byte shuffle that repeats the first p bytes over 16: k % p.
#define SHUFFLE_ROW(p)                                                                                   \
    {0 % p, 1 % p, 2 % p, 3 % p, 4 % p, 5 % p, 6 % p, 7 % p, 8 % p, 9 % p, 10 % p, 11 % p, 12 % p, 13 % p, \
     14 % p, 15 % p}
static const uint8_t pattern_shuffle[16][16] __attribute__((aligned(16))) = {
    {0},            SHUFFLE_ROW(1),  SHUFFLE_ROW(2),  SHUFFLE_ROW(3),  SHUFFLE_ROW(4),  SHUFFLE_ROW(5),
    SHUFFLE_ROW(6), SHUFFLE_ROW(7),  SHUFFLE_ROW(8),  SHUFFLE_ROW(9),  SHUFFLE_ROW(10), SHUFFLE_ROW(11),
    SHUFFLE_ROW(12), SHUFFLE_ROW(13), SHUFFLE_ROW(14), SHUFFLE_ROW(15)};

__attribute__((target("ssse3"))) static inline void store_pattern_ssse3(uint8_t *op, const uint8_t *from,
                                                                        size_t offset, size_t length) {
    // The 16 bytes at `from` hold the period in their first `offset` bytes (the rest, at `op` and
    // on, are not written yet but lie inside the output buffer).
    __m128i source = _mm_loadu_si128((const __m128i *)from);
    __m128i pattern = _mm_shuffle_epi8(source, _mm_load_si128((const __m128i *)pattern_shuffle[offset]));
    size_t step = pattern_step[offset];
    for (size_t k = 0; k < length; k += step) _mm_storeu_si128((__m128i *)(op + k), pattern);
}

__attribute__((target("ssse3"))) static int decode_fast_ssse3(const uint8_t *ip, const uint8_t *ip_end,
                                                              uint8_t *output, uint8_t *op, uint8_t *op_end) {
    FAST_LOOP_BODY(store_pattern_ssse3)
}

/// 0: not chosen yet; 1: portable; 2: SSSE3.
static int chosen_kind = 0;
#endif

int tributary_snappy_decompress_kind(const uint8_t *input, size_t input_length, uint8_t *output,
                                     size_t output_length, int kind) {
    size_t declared;
    size_t header;
    if (tributary_snappy_uncompressed_length(input, input_length, &declared, &header) != 0) return -1;
    if (declared != output_length) return -1;
    const uint8_t *ip = input + header;
    const uint8_t *ip_end = input + input_length;
    // An empty output may come without a buffer: only a block without elements fills it.
    if (output_length == 0) return ip == ip_end ? 0 : -1;
    uint8_t *op_end = output + output_length;
    if (ip_end - ip <= INPUT_SLOP || output_length <= OUTPUT_SLOP) return decode_exact(ip, ip_end, output, output, op_end);
#ifdef TRIBUTARY_SNAPPY_X86
    if (kind == 0) {
        kind = __atomic_load_n(&chosen_kind, __ATOMIC_RELAXED);
        if (kind == 0) {
            __builtin_cpu_init();
            kind = __builtin_cpu_supports("ssse3") ? 2 : 1;
            __atomic_store_n(&chosen_kind, kind, __ATOMIC_RELAXED);
        }
    }
    if (kind >= 2 && __builtin_cpu_supports("ssse3")) return decode_fast_ssse3(ip, ip_end, output, output, op_end);
#else
    (void)kind;
#endif
    return decode_fast_portable(ip, ip_end, output, output, op_end);
}

int tributary_snappy_decompress(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_length) {
    return tributary_snappy_decompress_kind(input, input_length, output, output_length, 0);
}
