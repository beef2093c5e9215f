// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), as Kafka's RecordBatch v2 uses it.
//
// Two implementations chosen once at run time: the x86-64 SSE4.2 `crc32` instruction (8 bytes per
// step) and a portable slicing-by-8 table loop. Both work on the bit-inverted running value; the
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

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t crc_sse42(uint32_t c, const uint8_t *p, size_t n) {
    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        c = _mm_crc32_u8(c, *p++);
        n--;
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
