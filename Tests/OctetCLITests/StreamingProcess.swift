import Foundation

/// Runs `octet` and watches its stdout as it arrives: the pieces of a streamed reply, or a
/// run interrupted with SIGINT as Ctrl-C would.
enum StreamingProcess {
    struct Interrupted {
        var status: Int32
        var stdout: String
        var stderr: String
        var secondsToExit: Double
    }

    private static func start(_ args: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try OctetProcess.binary
        process.arguments = args
        process.environment = OctetProcess.sandboxEnvironment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Every read of stdout until the process ends: each is what the process had written
    /// by then, so a write that split a character shows up as a chunk that is not UTF-8.
    static func chunks(_ args: [String]) throws -> [Data] {
        let (process, out, _) = try start(args)
        var chunks: [Data] = []
        while true {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            chunks.append(data)
        }
        process.waitUntilExit()
        return chunks
    }

    /// Starts `args`, waits for more than `afterBytes` bytes of stdout (or, with 0, for the
    /// first generated token, a second after start), sends SIGINT and waits for the exit.
    static func interrupted(_ args: [String], afterBytes: Int) throws -> Interrupted {
        let (process, out, err) = try start(args)
        var stdout = Data()
        if afterBytes > 0 {
            while stdout.count < afterBytes {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                stdout.append(data)
            }
        } else {
            Thread.sleep(forTimeInterval: 2)
        }
        let sent = Date()
        process.interrupt()
        stdout.append(out.fileHandleForReading.readDataToEndOfFile())
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Interrupted(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self),
            secondsToExit: Date().timeIntervalSince(sent))
    }
}
