// Substring search over a whole buffer, for string predicates (LIKE '%needle%') that scan a column's
// contiguous value bytes at once rather than value by value.
//
// The vector paths test the needle's first, middle and last bytes at every position of a block at once
// (three compares and two ANDs per 32 or 16 positions) and compare the whole needle only where all three
// agree; in text that is rare (two bytes alone agree often in prose: 'r' and 's' of "requests"), so the
// search runs at a few bytes per cycle.

#include "CTributary.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define TRIBUTARY_BYTE_SEARCH_X86 1
#endif

/// The first position of the needle (m >= 1 bytes) in h[0..<n], or -1: memchr of its first byte, then a
/// compare of the rest.
static int64_t find_scalar(const uint8_t *h, int64_t n, const uint8_t *needle, int64_t m) {
    int64_t p = 0;
    while (n - p >= m) {
        const uint8_t *hit = memchr(h + p, needle[0], (size_t)(n - p - m + 1));
        if (hit == NULL) return -1;
        int64_t at = hit - h;
        if (m == 1 || memcmp(h + at + 1, needle + 1, (size_t)(m - 1)) == 0) return at;
        p = at + 1;
    }
    return -1;
}

#ifdef TRIBUTARY_BYTE_SEARCH_X86
/// Positions `i..<i+width` whose first, middle and last needle bytes agree are the set bits of `mask`; the
/// first of them where the middle agrees too, or -1.
static inline int64_t first_verified(const uint8_t *h, int64_t i, uint32_t mask, const uint8_t *needle, int64_t m) {
    while (mask != 0) {
        int bit = __builtin_ctz(mask);
        if (m <= 2 || memcmp(h + i + bit + 1, needle + 1, (size_t)(m - 2)) == 0) return i + bit;
        mask &= mask - 1;
    }
    return -1;
}

__attribute__((target("avx2"))) static int64_t find_avx2(const uint8_t *h, int64_t n, const uint8_t *needle,
                                                         int64_t m) {
    const __m256i first = _mm256_set1_epi8((char)needle[0]);
    const __m256i last = _mm256_set1_epi8((char)needle[m - 1]);
    const int64_t half = m / 2;
    const __m256i middle = _mm256_set1_epi8((char)needle[half]);
    int64_t i = 0;
    // Every load stays inside h[0..<n]: the last byte read is h[i + m - 1 + 31].
    for (; i + m - 1 + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(h + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(h + i + m - 1));
        __m256i c = _mm256_loadu_si256((const __m256i *)(h + i + half));
        __m256i both = _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(both, _mm256_cmpeq_epi8(c, middle)));
        if (mask != 0) {
            int64_t at = first_verified(h, i, mask, needle, m);
            if (at >= 0) return at;
        }
    }
    int64_t rest = find_scalar(h + i, n - i, needle, m);
    return rest < 0 ? -1 : i + rest;
}

static int64_t find_sse2(const uint8_t *h, int64_t n, const uint8_t *needle, int64_t m) {
    const __m128i first = _mm_set1_epi8((char)needle[0]);
    const __m128i last = _mm_set1_epi8((char)needle[m - 1]);
    const int64_t half = m / 2;
    const __m128i middle = _mm_set1_epi8((char)needle[half]);
    int64_t i = 0;
    for (; i + m - 1 + 16 <= n; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(h + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(h + i + m - 1));
        __m128i c = _mm_loadu_si128((const __m128i *)(h + i + half));
        __m128i both = _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last));
        uint32_t mask = (uint32_t)_mm_movemask_epi8(_mm_and_si128(both, _mm_cmpeq_epi8(c, middle)));
        if (mask != 0) {
            int64_t at = first_verified(h, i, mask, needle, m);
            if (at >= 0) return at;
        }
    }
    int64_t rest = find_scalar(h + i, n - i, needle, m);
    return rest < 0 ? -1 : i + rest;
}
#endif

/// 0: not chosen yet; 1: scalar; 2: SSE2; 3: AVX2.
static int chosen_kind = 0;

static int best_kind(void) {
#ifdef TRIBUTARY_BYTE_SEARCH_X86
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? 3 : 2;
#else
    return 1;
#endif
}

int64_t tributary_find_bytes_kind(const uint8_t *haystack, int64_t length, const uint8_t *needle,
                                  int64_t needle_length, int kind) {
    if (needle_length <= 0) return 0;
    if (length < needle_length) return -1;
    // A single byte: memchr is already vectorised.
    if (needle_length == 1) {
        const uint8_t *hit = memchr(haystack, needle[0], (size_t)length);
        return hit == NULL ? -1 : hit - haystack;
    }
#ifdef TRIBUTARY_BYTE_SEARCH_X86
    if (kind >= 3 && __builtin_cpu_supports("avx2")) return find_avx2(haystack, length, needle, needle_length);
    if (kind >= 2) return find_sse2(haystack, length, needle, needle_length);
#endif
    return find_scalar(haystack, length, needle, needle_length);
}

int64_t tributary_find_bytes(const uint8_t *haystack, int64_t length, const uint8_t *needle, int64_t needle_length) {
    int kind = __atomic_load_n(&chosen_kind, __ATOMIC_RELAXED);
    if (kind == 0) {
        kind = best_kind();
        __atomic_store_n(&chosen_kind, kind, __ATOMIC_RELAXED);
    }
    return tributary_find_bytes_kind(haystack, length, needle, needle_length, kind);
}
