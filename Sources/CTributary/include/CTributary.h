#ifndef CTRIBUTARY_H
#define CTRIBUTARY_H

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC32C (Castagnoli) over `length` bytes. `crc` is a finished checksum (0 to start),
/// and the result is finished too, so calls chain: update(update(0, a), b) == checksum(a ++ b).
/// Uses the SSE4.2 crc32 instruction when the CPU has it, a table-driven loop otherwise.
uint32_t tributary_crc32c_update(uint32_t crc, const void *data, size_t length);

/// The same checksum, always computed by the portable table-driven loop (for tests and comparison).
uint32_t tributary_crc32c_update_portable(uint32_t crc, const void *data, size_t length);

/// 1 when `tributary_crc32c_update` uses a hardware instruction on this CPU, 0 otherwise.
int tributary_crc32c_is_hardware(void);

/// Keeps freed heap memory in the process for reuse: blocks up to `mmap_threshold` bytes come from
/// the heap rather than fresh mappings, and the heap top is returned to the system only beyond
/// `trim_threshold` free bytes. Returns 1 when applied (glibc), 0 where the allocator has no such
/// settings.
int tributary_tune_allocator(int mmap_threshold, int trim_threshold);

#endif
