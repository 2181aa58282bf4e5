import Foundation
import GRDB

/// The model file hash stored with every reply, computed once per file version.
extension AppDatabase {
    /// The SHA-256 of the model file at `path` (lowercase hex). Computed the first time and
    /// cached in the database by path, size and modification time, so that starting Octet
    /// does not read 100 MB+ again; recomputed only when the file changes.
    /// - Throws: `StoreError.io` naming the model file when it cannot be read.
    public func modelHash(ofFile path: String) throws -> String {
        let stamp = try ModelFileHash.stamp(path)
        let cached = try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT sha256 FROM modelFile WHERE path = ? AND size = ? AND modified = ?",
                arguments: [stamp.path, stamp.size, stamp.modified])
        }
        if let cached { return cached }
        // Hashed outside any transaction: other writers need not wait for it.
        let hash = try ModelFileHash.sha256(ofFile: stamp.path)
        // The file may have changed while it was read: cache only a hash of one version.
        guard try ModelFileHash.stamp(path) == stamp else { return hash }
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO modelFile (path, size, modified, sha256)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [stamp.path, stamp.size, stamp.modified, hash])
        }
        return hash
    }
}
