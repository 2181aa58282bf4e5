import OctetKernels

// MARK: - Kernel instruction-set level

/// The instruction-set level of the C kernels (`oct_isa`). The best one the CPU supports is
/// used by default; tests and benchmarks may force a lower one. Every level computes the same
/// INT8 products (the integer sums are exact); only float rounding differs.
public enum KernelLevel: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Portable C (also on arm64).
    case scalar = 0
    /// AVX2 + FMA + F16C.
    case avx2 = 1
    /// AVX-512 F/BW/VL with VNNI.
    case avx512VNNI = 2

    /// The best level this CPU and OS support.
    public static var best: KernelLevel { KernelLevel(rawValue: Int(oct_isa_detect().rawValue)) ?? .scalar }

    /// The level in use.
    public static var current: KernelLevel { KernelLevel(rawValue: Int(oct_isa_current().rawValue)) ?? .scalar }

    /// Every level this machine can run, lowest first.
    public static var supported: [KernelLevel] { allCases.filter { $0.rawValue <= best.rawValue } }

    /// Uses `level` (or the best supported level below it) from now on, process-wide.
    /// - Returns: the level chosen.
    @discardableResult
    public static func use(_ level: KernelLevel) -> KernelLevel {
        KernelLevel(rawValue: Int(oct_isa_set(oct_isa(rawValue: UInt32(level.rawValue))).rawValue)) ?? .scalar
    }

    /// "scalar", "avx2" or "avx512-vnni".
    public var description: String { String(cString: oct_isa_name(oct_isa(rawValue: UInt32(rawValue)))) }
}
