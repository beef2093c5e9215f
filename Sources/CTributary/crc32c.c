// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as Kafka's RecordBatch v2 uses it.
//
// Two implementations chosen once at run time: the x86-64 SSE4.2 `crc32` instruction (8 bytes per
// step, on three interleaved streams for long inputs) and a portable slicing-by-8 table loop. Both work on the bit-inverted running value; the
// public functions take and return finished checksums so they chain.

#include "CTributary.h"

#include <pthread.h>
#include <string.h>

static uint32_t crc_tables[8][256];
static pthread_once_t crc_tables_once = PTHREAD_ONCE_INIT;

static void crc_tables_build(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_tables[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = crc_tables[0][n];
        for (int t = 1; t < 8; t++) {
            c = crc_tables[0][c & 0xFF] ^ (c >> 8);
            crc_tables[t][n] = c;
        }
    }
}

static uint32_t crc_portable(uint32_t c, const uint8_t *p, size_t n) {
    pthread_once(&crc_tables_once, crc_tables_build);
    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        c = crc_tables[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
        n--;
    }
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        uint32_t lo = (uint32_t)w ^ c;
        uint32_t hi = (uint32_t)(w >> 32);
        c = crc_tables[7][lo & 0xFF] ^ crc_tables[6][(lo >> 8) & 0xFF] ^ crc_tables[5][(lo >> 16) & 0xFF] ^
            crc_tables[4][lo >> 24] ^ crc_tables[3][hi & 0xFF] ^ crc_tables[2][(hi >> 8) & 0xFF] ^
            crc_tables[1][(hi >> 16) & 0xFF] ^ crc_tables[0][hi >> 24];
        p += 8;
        n -= 8;
    }
    while (n-- > 0) c = crc_tables[0][(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c;
}

// Long inputs are checksummed as three streams of CRC_STRIDE bytes at once: the crc32 instruction
// takes three cycles but can start one per cycle, so one stream leaves two thirds of it idle. The
// streams are joined with `crc_shift`, which advances a register over CRC_STRIDE zero bytes: the
// register update is linear, so crc(s, A || B) = crc_shift(crc(s, A)) ^ crc(0, B) for |B| = CRC_STRIDE.
#define CRC_STRIDE 1024

static uint32_t crc_shift_tables[4][256];
static pthread_once_t crc_shift_once = PTHREAD_ONCE_INIT;

static void crc_shift_build(void) {
    pthread_once(&crc_tables_once, crc_tables_build);
    // The shift of each single-bit register; any register's shift is the XOR of those of its bits.
    uint32_t basis[32];
    for (int i = 0; i < 32; i++) {
        uint32_t c = 1u << i;
        for (int k = 0; k < CRC_STRIDE; k++) c = crc_tables[0][c & 0xFF] ^ (c >> 8);
        basis[i] = c;
    }
    for (int t = 0; t < 4; t++) {
        for (uint32_t b = 0; b < 256; b++) {
            uint32_t v = 0;
            for (int j = 0; j < 8; j++) {
                if (b & (1u << j)) v ^= basis[8 * t + j];
            }
            crc_shift_tables[t][b] = v;
        }
    }
}

static inline uint32_t crc_shift(uint32_t c) {
    return crc_shift_tables[0][c & 0xFF] ^ crc_shift_tables[1][(c >> 8) & 0xFF] ^
           crc_shift_tables[2][(c >> 16) & 0xFF] ^ crc_shift_tables[3][c >> 24];
}

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t c, const uint8_t *p, size_t n) {
    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        c = _mm_crc32_u8(c, *p++);
        n--;
    }
    if (n >= 3 * CRC_STRIDE) {
        pthread_once(&crc_shift_once, crc_shift_build);
        do {
            uint64_t a = c, b = 0, d = 0;
            for (size_t i = 0; i < CRC_STRIDE; i += 8) {
                uint64_t w0, w1, w2;
                memcpy(&w0, p + i, 8);
                memcpy(&w1, p + CRC_STRIDE + i, 8);
                memcpy(&w2, p + 2 * CRC_STRIDE + i, 8);
                a = _mm_crc32_u64(a, w0);
                b = _mm_crc32_u64(b, w1);
                d = _mm_crc32_u64(d, w2);
            }
            c = crc_shift(crc_shift((uint32_t)a) ^ (uint32_t)b) ^ (uint32_t)d;
            p += 3 * CRC_STRIDE;
            n -= 3 * CRC_STRIDE;
        } while (n >= 3 * CRC_STRIDE);
    }
    uint64_t c64 = c;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c64 = _mm_crc32_u64(c64, w);
        p += 8;
        n -= 8;
    }
    c = (uint32_t)c64;
    while (n-- > 0) c = _mm_crc32_u8(c, *p++);
    return c;
}

static int has_sse42(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#else
static int has_sse42(void) { return 0; }
#endif

int tributary_crc32c_is_hardware(void) { return has_sse42(); }

uint32_t tributary_crc32c_update(uint32_t crc, const void *data, size_t length) {
    // The CPU check is cheap (a cached flag read by the builtin), so it is not memoised here.
#if defined(__x86_64__)
    if (has_sse42()) return ~crc_sse42(~crc, (const uint8_t *)data, length);
#endif
    return ~crc_portable(~crc, (const uint8_t *)data, length);
}

uint32_t tributary_crc32c_update_portable(uint32_t crc, const void *data, size_t length) {
    return ~crc_portable(~crc, (const uint8_t *)data, length);
}
