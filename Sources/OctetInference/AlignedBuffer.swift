// MARK: - Owned memory for the kernels

/// A fixed-size, 64-byte aligned, zero-filled array of trivial values that the C kernels read
/// and write through its pointer. Allocated once (at load or context creation), never resized:
/// the forward pass allocates nothing.
final class AlignedBuffer<Element> {
    /// Number of elements.
    let count: Int
    /// The first element; valid for the buffer's lifetime.
    let pointer: UnsafeMutablePointer<Element>

    /// `count` zeroed elements.
    init(count: Int) {
        self.count = count
        let bytes = max(1, count * MemoryLayout<Element>.stride)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    /// A copy of `values`.
    convenience init(_ values: [Element]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }

    /// The contents as a buffer pointer.
    var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
