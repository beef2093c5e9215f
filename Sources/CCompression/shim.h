// The C compression libraries Tributary links: Kafka record batches use gzip, snappy, lz4 (frame)
// and zstd; Parquet pages add lz4 raw blocks.
#include <zlib.h>
#include <lz4.h>
#include <lz4frame.h>
#include <zstd.h>
#include <snappy-c.h>
