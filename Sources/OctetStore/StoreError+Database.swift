import GRDB

extension StoreError {
    /// `error` as a one-line `StoreError` about the database at `path`: SQLite's result codes
    /// become the cases a user can act on; a `StoreError` passes through.
    static func wrapping(_ error: Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return .io(path: path, problem: "\(error)")
        }
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notADatabase(path: path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
            return .readOnly(path: path)
        case .SQLITE_CANTOPEN:
            return .io(
                path: path,
                problem: "cannot open the database (permissions, or a read-only folder for "
                    + "its -wal and -shm files?)")
        case .SQLITE_FULL:
            return .diskFull(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .io(path: path, problem: "the database stayed locked by another program")
        default:
            let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
            return .io(path: path, problem: message)
        }
    }
}
