import ArgumentParser
import Foundation
import OctetStore

/// `--db PATH`, shared by every command that reads or writes the history (DESIGN.md).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The conversation database (default: $XDG_DATA_HOME/octet/octet.sqlite).")
    var db: String?

    /// The database file to use.
    var databasePath: String { db ?? Paths.database }

    /// Opens (creating and migrating when needed) the database. The store creates missing
    /// folders with mode 0700; Octet's own data folder is also made private when it already
    /// existed (`make model` may have created it first). A folder given with `--db` is the
    /// user's and keeps its mode.
    func open() throws -> AppDatabase {
        if db == nil, FileManager.default.fileExists(atPath: Paths.dataDirectory) {
            try? FileManager.default.setAttributes(
                [.posixPermissions: 0o700], ofItemAtPath: Paths.dataDirectory)
        }
        return try AppDatabase(path: databasePath)
    }
}
