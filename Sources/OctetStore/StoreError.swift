/// Why the conversation database could not be opened, read or written. One line each,
/// naming the database file.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but is not an SQLite database (or is corrupt). It is left untouched.
    case notADatabase(path: String)
    /// The database was written by a newer Octet (it has migrations this one does not know).
    case newerVersion(path: String, migration: String)
    /// No conversation has this id.
    case noSuchConversation(id: Int64)
    /// Any other failure (disk full, read-only directory, ...).
    case io(path: String, problem: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path): not an Octet database (not SQLite, or corrupt); it was left untouched"
        case .newerVersion(let path, let migration):
            return "\(path): written by a newer Octet (migration \(migration)); upgrade Octet to open it"
        case .noSuchConversation(let id):
            return "no conversation with id \(id)"
        case .io(let path, let problem):
            return "\(path): \(problem)"
        }
    }
}
