/// Bounds the reader places on sizes read from a file before it allocates.
public enum ParquetLimits {
    /// The largest footer accepted (real footers are kilobytes to a few megabytes).
    public static let footerBytesMax = 256 * 1024 * 1024
    /// The largest page, compressed or not.
    public static let pageBytesMax = 1024 * 1024 * 1024
    /// The most values (including nulls) one page may declare. An all-null page is a single RLE run
    /// however many values it holds, so this bound, not the page size, caps its level buffer.
    public static let pageValuesMax = 64 * 1024 * 1024
    /// The most values one column chunk may hold.
    public static let chunkValuesMax = 1 << 31 - 1
}
