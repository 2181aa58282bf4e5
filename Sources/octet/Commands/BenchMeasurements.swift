import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - What octet bench reads from the system

/// CPU time of this process and of the whole machine, to tell how much of a measurement other
/// processes took (as ../shared/bench/llamacpp_bench.py reports `*_foreign_cpus`).
struct CPUClock {
    /// Seconds of CPU this process used (all threads).
    static func processSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Busy CPU seconds of the whole machine from /proc/stat (nil where unavailable).
    static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 8 else { return nil }
        let busy = v[0 ..< 8].reduce(0, +) - v[3] - v[4]  // all but idle and iowait
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// CPUs' worth of other processes' work while `body` ran: about 0 on a quiet machine.
    static func foreignCPUs(during body: () throws -> Void) rethrows -> (seconds: Double, foreign: Double) {
        let m0 = machineBusySeconds(), p0 = processSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
        try body()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        guard let m0, let m1 = machineBusySeconds() else { return (wall, 0) }
        return (wall, max(0, (m1 - m0) - (processSeconds() - p0)) / wall)
    }
}

/// The process's peak resident set size.
enum PeakMemory {
    static func megabytes() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / (1024 * 1024)  // bytes on macOS
        #endif
    }
}

/// SplitMix64: the benchmark's random token ids, the same on every run.
struct BenchRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
