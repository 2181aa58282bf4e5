import OctetKernels

/// Process-wide measurements for tests and benchmarks.
enum Diagnostics {
    /// Bytes malloc has handed out and not taken back (0 where unknown).
    static var heapBytesInUse: Int { Int(oct_heap_bytes_in_use()) }
}
