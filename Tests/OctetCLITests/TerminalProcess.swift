import Foundation
import XCTest

/// Runs `octet` with its stdout on a pseudo-terminal, as when a user runs it in a shell, and
/// returns the bytes it wrote there exactly: the terminal is in raw mode, so nothing is
/// translated ("\n" stays "\n"). stderr is a pipe; stdin is /dev/null.
enum TerminalProcess {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        let (master, slave) = try openTerminal()
        defer { close(master) }
        let process = Process()
        process.executableURL = try OctetProcess.binary
        process.arguments = args
        var env = OctetProcess.sandboxEnvironment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let err = Pipe()
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        close(slave)  // the child has its own copy; EOF (EIO) comes when it exits
        var stdout = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(master, &buffer, buffer.count)
            if count > 0 {
                stdout.append(contentsOf: buffer[..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// A new pseudo-terminal pair in raw mode: (master, slave).
    private static func openTerminal() throws -> (Int32, Int32) {
        // posix_openpt and friends are declared only under _XOPEN_SOURCE, which Swift's
        // Glibc module does not set: look them up by name.
        typealias IntCall = @convention(c) (Int32) -> Int32
        typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
        func function<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
        }
        guard let openpt = function("posix_openpt", as: IntCall.self),
            let grant = function("grantpt", as: IntCall.self),
            let unlock = function("unlockpt", as: IntCall.self),
            let ptsname = function("ptsname", as: NameCall.self)
        else { throw XCTSkip("no posix_openpt") }
        let master = openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grant(master) == 0, unlock(master) == 0, let name = ptsname(master)
        else { throw XCTSkip("no pseudo-terminals here") }
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open \(String(cString: name))") }
        var attributes = termios()
        tcgetattr(slave, &attributes)
        cfmakeraw(&attributes)
        tcsetattr(slave, TCSANOW, &attributes)
        return (master, slave)
    }

    // MARK: - What a terminal must never get raw

    /// The scalars of `text` a terminal would act on rather than show, except "\n" and "\t".
    static func rawControls(in text: String) -> [Unicode.Scalar] {
        text.unicodeScalars.filter { scalar in
            guard scalar != "\n", scalar != "\t" else { return false }
            let value = scalar.value
            return value < 0x20 || (0x7F...0x9F).contains(value) || [0x61C, 0x200E, 0x200F].contains(value)
                || (0x2028...0x202E).contains(value) || (0x2066...0x2069).contains(value)
        }
    }
}
