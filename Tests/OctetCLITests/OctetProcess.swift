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

    /// The environment every run gets: the user's own, with `XDG_DATA_HOME` and
    /// `XDG_CONFIG_HOME` moved to a folder of the test run, so that no test reads or writes
    /// the user's conversations, config or templates. The installed models are linked in.
    static let sandboxEnvironment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        let home = env["HOME"] ?? NSHomeDirectory()
        let realData = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        let sandbox = FileManager.default.temporaryDirectory
            .appendingPathComponent("octet-cli-tests-\(getpid())")
        let data = sandbox.appendingPathComponent("data"), config = sandbox.appendingPathComponent("config")
        try? FileManager.default.createDirectory(
            at: data.appendingPathComponent("octet"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(
            atPath: data.appendingPathComponent("octet/models").path,
            withDestinationPath: realData + "/octet/models")
        env["XDG_DATA_HOME"] = data.path
        env["XDG_CONFIG_HOME"] = config.path
        return env
    }()

    /// How much slower than a normal build this one runs (`OCTET_TIME_SCALE`, set by
    /// `make check` for the sanitizer builds); multiplies the few "at once" bounds.
    static var timeScale: Double {
        Double(ProcessInfo.processInfo.environment["OCTET_TIME_SCALE"] ?? "") ?? 1
    }

    /// Runs `octet args`, feeding `stdin`, and waits for it.
    static func run(
        _ args: [String], stdin: Data? = nil, environment: [String: String] = [:]
    ) throws -> Result {
        let process = Process()
        process.executableURL = try binary
        process.arguments = args
        var env = sandboxEnvironment
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
        process.environment = sandboxEnvironment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }
}
