import ArgumentParser
import OctetStore

/// `--db PATH`, shared by every command that reads or writes the history (DESIGN.md).
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The conversation database (default: $XDG_DATA_HOME/octet/octet.sqlite).")
    var db: String?

    /// The database file to use.
    var databasePath: String { db ?? Paths.database }

    /// Opens (creating and migrating when needed) the database.
    func open() throws -> AppDatabase {
        try AppDatabase(path: databasePath)
    }
}
