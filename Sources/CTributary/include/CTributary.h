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

/// Reads the uncompressed length a raw snappy block declares in its leading varint: 0 and
/// `*length` and `*header` (the varint's byte count) set, or -1 when the varint is malformed.
int tributary_snappy_uncompressed_length(const uint8_t *input, size_t input_length, size_t *length, size_t *header);

/// Decompresses the raw snappy block `input` into `output`, which must be exactly the length the
/// block declares. Returns 0, or -1 when the block is corrupt or does not fill `output` exactly;
/// never reads or writes outside the two buffers.
int tributary_snappy_decompress(const uint8_t *input, size_t input_length, uint8_t *output, size_t output_length);

/// `tributary_snappy_decompress` with its fast loop chosen by `kind`: 0 the best this CPU runs,
/// 1 the portable loop, 2 the SSSE3 loop (the portable one where the CPU lacks SSSE3). Lets tests
/// cover every variant on one machine.
int tributary_snappy_decompress_kind(const uint8_t *input, size_t input_length, uint8_t *output,
                                     size_t output_length, int kind);

/// One field of a CSV record: its bytes are `start..<end` of the file. Laid out as the engine's
/// `FieldSpan`, which checks that the layouts agree before it lets this code fill its spans.
typedef struct {
    int64_t start;
    int64_t end;
    uint8_t quoted;
    uint8_t in_scratch;
} tributary_csv_span;

/// What `tributary_csv_split_plain` splits and where the spans go.
typedef struct {
    /// The file's bytes and their count.
    const uint8_t *bytes;
    int64_t size;
    /// The field delimiter and the quote (neither a newline nor a CR, and not equal), and the
    /// escape inside quotes (a quoted field holding one is not plain).
    uint8_t delimiter;
    uint8_t quote;
    uint8_t escape;
    /// The number of fields every record has.
    int32_t width;
    /// The selected fields, ascending, and the slot of each among the selected columns.
    const int32_t *fields;
    const int32_t *slots;
    int32_t selected;
    /// Spans, column-major: selected slot `s` of row `r` at `s * capacity + r`.
    tributary_csv_span *spans;
    /// Where each row's record starts, `capacity` entries.
    int64_t *record_starts;
    /// The most rows of the batch.
    int64_t capacity;
    /// Room for the structural index of one window: TRIBUTARY_CSV_SPLIT_SCRATCH entries.
    uint32_t *scratch;
} tributary_csv_plain_split;

/// The most bytes one structural index covers (a longer record is left to the general rules).
#define TRIBUTARY_CSV_WINDOW_BYTES 65536
/// The entries of `scratch`: two arrays of an entry per byte, with room past their ends.
#define TRIBUTARY_CSV_SPLIT_SCRATCH (2 * (TRIBUTARY_CSV_WINDOW_BYTES + 80))

/// TRIBUTARY_CSV_SPLIT_SCRATCH, for callers that cannot read the macro.
size_t tributary_csv_split_scratch_entries(void);

/// The split stopped because the next record starts at or after the limit or the batch is full.
#define TRIBUTARY_CSV_SPLIT_DONE 0
/// The split stopped at a record that is not plain (a quote, a blank line, the wrong field count,
/// a quoted field with an escape, a doubled quote or a newline inside, or text after its closing quote).
#define TRIBUTARY_CSV_SPLIT_NOT_PLAIN 1

/// Masks built by a byte loop, SSE2 or AVX2.
#define TRIBUTARY_CSV_MASKS_PORTABLE 0
#define TRIBUTARY_CSV_MASKS_SSE2 1
#define TRIBUTARY_CSV_MASKS_AVX2 2

/// The fastest kind of masks this CPU can build.
int tributary_csv_split_best_kind(void);

/// Splits plain records into spans of the selected fields, from the record at `*position` (which
/// must start a record, outside quotes) while records start before `limit` and rows
/// `*rows..<capacity` remain; advances both. Returns TRIBUTARY_CSV_SPLIT_NOT_PLAIN with
/// `*position` at the first record that is not plain, TRIBUTARY_CSV_SPLIT_DONE otherwise.
/// `kind` picks the masks (a kind the CPU lacks falls back to one it has).
int tributary_csv_split_plain(const tributary_csv_plain_split *job, int64_t *position, int64_t limit, int64_t *rows,
                              int kind);

/// Asks the kernel to map the pages of `length` bytes at `address` of a file mapping now, in one
/// call, rather than one fault at a time as they are first read. Returns 0 when done, -1 when
/// the kernel cannot (older than Linux 5.14, or not Linux); then the pages fault in as usual.
int tributary_populate_read(const void *address, size_t length);

/// The first position of `needle` (`needle_length` bytes) in `haystack[0..<length]`, or -1 when it does
/// not occur; 0 for an empty needle. Uses AVX2 or SSE2 where the CPU has them.
int64_t tributary_find_bytes(const uint8_t *haystack, int64_t length, const uint8_t *needle, int64_t needle_length);

/// The same search by a chosen method (1 scalar, 2 SSE2, 3 AVX2; a method the CPU lacks falls back to
/// one it has), so that tests can compare the methods.
int64_t tributary_find_bytes_kind(const uint8_t *haystack, int64_t length, const uint8_t *needle,
                                  int64_t needle_length, int kind);

#endif
