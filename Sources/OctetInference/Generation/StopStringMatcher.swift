// MARK: - Stop strings

/// Watches the reply text for stop strings. Text that could still be the beginning of a
/// stop string is held back until the next tokens show whether it is one, so that no part
/// of a stop string is ever emitted; a stop string may span any number of tokens.
///
/// Matching is on UTF-8 bytes (as llama.cpp's server does). The text fed in is whole
/// characters, and a stop string starts with a lead byte, so every cut falls between
/// characters. Invariant: no stop string occurs in `held`, and `held` is the longest tail
/// of the text so far that is a proper prefix of a stop string.
struct StopStringMatcher {
    /// The stop strings' bytes; empty strings are left out (they would match at once).
    private let stops: [[UInt8]]
    /// Text received but not emitted.
    private var held: [UInt8] = []

    init(_ stopStrings: [String]) {
        stops = stopStrings.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Whether there is anything to watch for.
    var isEmpty: Bool { stops.isEmpty }

    /// Adds the next piece of text. Returns what may be emitted now and whether a stop
    /// string was reached (then `emit` is the text before it, and the rest is dropped).
    mutating func append(_ text: String) -> (emit: String, stopped: Bool) {
        guard !stops.isEmpty else { return (text, false) }
        held.append(contentsOf: text.utf8)
        if let start = firstMatch() {
            let emit = String(decoding: held[..<start], as: UTF8.self)
            held.removeAll()
            return (emit, true)
        }
        let keep = longestTailThatStartsAStop()
        let emit = String(decoding: held[..<(held.count - keep)], as: UTF8.self)
        held.removeFirst(held.count - keep)
        return (emit, false)
    }

    /// The held-back text, at the end of a generation that stopped for another reason.
    mutating func flush() -> String {
        defer { held.removeAll() }
        return String(decoding: held, as: UTF8.self)
    }

    /// Where the earliest stop string in `held` begins.
    private func firstMatch() -> Int? {
        var best: Int?
        for stop in stops where stop.count <= held.count {
            var start = 0
            while start + stop.count <= held.count, start < (best ?? Int.max) {
                if held[start] == stop[0], held[start..<(start + stop.count)].elementsEqual(stop) {
                    best = start
                    break
                }
                start += 1
            }
        }
        return best
    }

    /// The length of the longest tail of `held` that is a proper prefix of a stop string.
    private func longestTailThatStartsAStop() -> Int {
        let longest = min(held.count, (stops.map(\.count).max() ?? 1) - 1)
        var length = longest
        while length > 0 {
            let tail = held[(held.count - length)...]
            if stops.contains(where: { $0.count > length && $0.starts(with: tail) }) {
                return length
            }
            length -= 1
        }
        return 0
    }
}
