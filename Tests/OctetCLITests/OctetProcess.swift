import Foundation

/// Finds and runs the `octet` binary built beside the test bundle (`swift build --build-tests`
/// puts both in the same folder).
enum OctetProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    static var binary: URL {
        get throws {
            let beside = Bundle.main.bundleURL.deletingLastPathComponent()
            let candidates = [
                beside.appendingPathComponent("octet"),
                Bundle.main.bundleURL.appendingPathComponent("octet"),
                packageRoot.appendingPathComponent(".build/debug/octet"),
            ]
            for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) {
                return url
            }
            throw NSError(
                domain: "OctetCLITests", code: 1,
                userInfo: [NSLocalizedDescriptionKey: "no built octet binary under .build/"])
        }
    }

    /// Runs `octet args`, feeding `stdin`, and waits for it.
    static func run(
        _ args: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = try binary
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `octet args` in the background, its output discarded; the caller waits or kills.
    static func start(_ args: [String]) throws -> Process {
        let process = Process()
        process.executableURL = try binary
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
