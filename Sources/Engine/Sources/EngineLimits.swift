/// Bounds the engine places on input files, in one place.
public enum EngineLimits {
    /// The largest single file a source reads into memory.
    public static let sourceFileBytesMax = 32 << 30
    /// The most columns a CSV record may have.
    public static let csvColumnsMax = 20_000
    /// The most records read to infer a CSV schema.
    public static let csvInferenceRecordsMax = 20_000
    /// The deepest nesting of arrays and objects a JSON value may have.
    public static let jsonNestingDepthMax = 256
    /// The longest string a function may build (`repeat`, `lpad`): one column's bytes are
    /// addressed by 32-bit offsets.
    public static let stringBytesMax = 1 << 30
    /// The most bytes of scan results one query keeps for a second identical scan (`ScanResultCache`).
    public static let scanCacheBytesMax = 256 << 20
}
