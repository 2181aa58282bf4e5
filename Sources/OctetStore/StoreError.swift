/// Why the conversation database could not be opened, read or written. One line each,
/// naming the database file.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists but is not an SQLite database (or is corrupt, or belongs to another
    /// program). It is left untouched.
    case notADatabase(path: String)
    /// The database was written by a newer Octet (it has migrations this one does not know).
    case newerVersion(path: String, migration: String)
    /// No conversation has this id.
    case noSuchConversation(id: Int64)
    /// No message has this id (or, for reply writes, it is not an assistant reply).
    case noSuchMessage(id: Int64)
    /// A conversation title must have some text.
    case emptyTitle
    /// The database or its folder cannot be written (read-only folder or file, permissions).
    case readOnly(path: String)
    /// The disk (or the database's size limit) is full; what was saved before is kept.
    case diskFull(path: String)
    /// Any other failure (I/O error, locked by another program for too long, ...).
    case io(path: String, problem: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path): not an Octet database (not SQLite, corrupt, or another program's); it was left untouched"
        case .newerVersion(let path, let migration):
            return "\(path): written by a newer Octet (migration \(migration)); "
                + "upgrade Octet to open it"
        case .noSuchConversation(let id):
            return "no conversation with id \(id)"
        case .noSuchMessage(let id):
            return "no message with id \(id)"
        case .emptyTitle:
            return "a title must not be empty"
        case .readOnly(let path):
            return "\(path): cannot write the database (read-only file or folder?); "
                + "nothing saved was changed"
        case .diskFull(let path):
            return "\(path): disk full; what was saved before is kept"
        case .io(let path, let problem):
            return "\(path): \(problem)"
        }
    }
}
