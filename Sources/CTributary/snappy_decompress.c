// Raw snappy block decompression tuned for columnar pages.
//
// A snappy block is a varint of the uncompressed length followed by elements, each a tag byte
// whose two low bits give its kind: a literal (the next bytes verbatim) or a copy of earlier
// output (a length and a backwards offset). Pages of 8-byte keys compress to about four bytes of
// output per element, so the cost per element decides the speed: the library's decoder calls out
// to memmove for every element, while this one moves short elements as whole 16-byte words while
// it is far from both ends, and decodes the last bytes exactly with every bound checked.
//
// Every element is checked against both buffers: corrupt input is reported, never read or
// written out of bounds.

#include "CTributary.h"

#include <string.h>

static inline void move16(uint8_t *to, const uint8_t *from) {
    uint8_t word[16];
    memcpy(word, from, 16);
    memcpy(to, word, 16);
}

static inline void move8(uint8_t *to, const uint8_t *from) {
    uint64_t word;
    memcpy(&word, from, 8);
    memcpy(to, &word, 8);
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

int tributary_snappy_decompress(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_length) {
    size_t declared;
    size_t header;
    if (tributary_snappy_uncompressed_length(input, input_length, &declared, &header) != 0) return -1;
    if (declared != output_length) return -1;
    const uint8_t *ip = input + header;
    const uint8_t *ip_end = input + input_length;
    uint8_t *op = output;
    uint8_t *op_end = output + output_length;
    // The fast region: at least 21 input bytes left (a tag, 4 offset bytes, a 16-byte literal)
    // and 64 bytes of output room (the longest copy), so short elements move as whole words that
    // may run past their end but never past either buffer; the bytes past an element's end are
    // overwritten by the elements after it.
    if (ip_end - ip > 21 && output_length > 64) {
        const uint8_t *ip_limit = ip_end - 21;
        const uint8_t *op_limit = op_end - 64;
        while (ip < ip_limit && op < op_limit) {
            uint32_t tag = *ip;
            size_t length;
            size_t offset;
            switch (tag & 3) {
            case 0:
                length = (tag >> 2) + 1;
                if (length <= 16) {
                    move16(op, ip + 1);
                    op += length;
                    ip += 1 + length;
                    continue;
                }
                ip += 1;
                if (length > 60) {
                    size_t bytes = length - 60;  // at most 4, inside the fast region
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
                length = ((tag >> 2) & 7) + 4;
                offset = (size_t)(tag >> 5) << 8 | ip[1];
                ip += 2;
                break;
            case 2:
                length = (tag >> 2) + 1;
                offset = load_le16(ip + 1);
                ip += 3;
                break;
            default:
                length = (tag >> 2) + 1;
                offset = load_le32(ip + 1);
                ip += 5;
                break;
            }
            // An offset of 0 wraps around to the largest value and fails too.
            if (offset - 1 >= (size_t)(op - output)) return -1;
            const uint8_t *from = op - offset;
            if (offset >= 16) {
                // Each word reads only bytes written before it (the offset is at least a word).
                move16(op, from);
                if (length > 16) {
                    move16(op + 16, from + 16);
                    if (length > 32) {
                        move16(op + 32, from + 32);
                        move16(op + 48, from + 48);
                    }
                }
            } else if (offset >= 8) {
                for (size_t k = 0; k < length; k += 8) move8(op + k, from + k);
            } else {
                // A repeated pattern shorter than a word: byte by byte, each reading the one written
                // `offset` bytes before.
                for (size_t k = 0; k < length; k++) op[k] = from[k];
            }
            op += length;
        }
    }
    return decode_exact(ip, ip_end, output, op, op_end);
}
