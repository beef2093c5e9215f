import CTributary

/// Tunes the C allocator for the engine's allocation pattern.
///
/// Query operators allocate and free column buffers of a few hundred KiB to tens of MiB for every
/// batch. With glibc's defaults such buffers are served by fresh `mmap` pages (or the heap top
/// is trimmed back to the system after each free), so every batch pays page faults and page
/// zeroing again. Keeping freed memory in the process lets the next batch reuse it.
enum AllocatorTuning {
    /// Buffers up to this size come from the heap, not from a fresh mapping (glibc's maximum).
    static let mmapThresholdBytes: Int32 = 32 << 20
    /// Free memory at the heap top is returned to the system only beyond this much.
    static let trimThresholdBytes: Int32 = 1 << 30

    /// Applies the tuning to this process (no effect where the allocator is not glibc's).
    static func applyForQueries() {
        _ = tributary_tune_allocator(mmapThresholdBytes, trimThresholdBytes)
    }
}
