import Foundation
import OctetChat

/// Reading a prompt or text from stdin (`PROMPT` given as `-`, or absent where allowed).
enum StandardInput {
    /// Why stdin could not be used.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// All of stdin as UTF-8 text. With `trimmingOneNewline`, one trailing "\n" (or "\r\n")
    /// is dropped, as DESIGN.md asks for `run -` and `prompt -`.
    /// - Throws: `Failure` when the bytes are not valid UTF-8, naming the first bad offset.
    static func readAllText(trimmingOneNewline: Bool) throws -> String {
        var bytes = [UInt8](try readAll())
        if trimmingOneNewline, bytes.last == 0x0A {
            bytes.removeLast()
            if bytes.last == 0x0D { bytes.removeLast() }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw Failure(description: "stdin is not valid UTF-8 (at byte \(UserTextFile.firstInvalidOffset(bytes)))")
        }
        return text
    }

    /// The most read from stdin: 256 MiB. `octet run - < /dev/zero` must end with a message,
    /// not with the memory exhausted.
    static let limit = 256 << 20

    /// All of stdin, read in pieces, up to `limit` bytes.
    /// - Throws: `Failure` when more than `limit` bytes come.
    static func readAll() throws -> Data {
        var data = Data()
        while true {
            let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20)
            if chunk.isEmpty { return data }
            data.append(chunk)
            if data.count > limit {
                throw Failure(description: "stdin is larger than \(limit >> 20) MiB; not read")
            }
        }
    }
}
