import GRDB

/// The database schema's history, one named migration per version.
///
/// A migration is frozen once it has landed on `main`: never edit one, add the next (`"v2"`,
/// ...). Migrations are plain SQL with string names, so that they keep meaning the same thing
/// when the Swift types change (GRDB `Migrations.md`, "Good Practices for Defining
/// Migrations"). Times are integers, milliseconds since 1970-01-01 UTC, so that they sort,
/// compare and round-trip exactly; seeds are `UInt64` bit patterns in a signed `INTEGER`.
enum Migrations {
    /// Every migration, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            for statement in v1 { try db.execute(sql: statement) }
        }
        return migrator
    }

    // MARK: - v1

    /// Conversations, messages, their full-text index, and the model hash cache.
    static let v1: [String] = [
        """
        CREATE TABLE conversation (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            title         TEXT    NOT NULL,
            created       INTEGER NOT NULL,
            updated       INTEGER NOT NULL,
            model         TEXT,
            chatFormat    TEXT,
            template      TEXT,
            systemPrompt  TEXT,
            temperature   REAL    NOT NULL,
            topK          INTEGER NOT NULL,
            topP          REAL    NOT NULL,
            minP          REAL    NOT NULL,
            repeatPenalty REAL    NOT NULL,
            repeatLastN   INTEGER NOT NULL,
            samplingSeed  INTEGER,
            maxTokens     INTEGER NOT NULL
        )
        """,
        "CREATE INDEX conversation_updated ON conversation(updated)",
        // One row per message. The generation columns (model ... stopReason) are all NULL for
        // user and system messages, and describe what produced a reply otherwise.
        """
        CREATE TABLE message (
            id                    INTEGER PRIMARY KEY AUTOINCREMENT,
            conversationId        INTEGER NOT NULL
                                  REFERENCES conversation(id) ON DELETE CASCADE,
            role                  TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
            content               TEXT    NOT NULL,
            created               INTEGER NOT NULL,
            complete              INTEGER NOT NULL CHECK (complete IN (0, 1)),
            model                 TEXT,
            modelHash             TEXT,
            template              TEXT,
            temperature           REAL,
            topK                  INTEGER,
            topP                  REAL,
            minP                  REAL,
            repeatPenalty         REAL,
            repeatLastN           INTEGER,
            samplingSeed          INTEGER,
            maxTokens             INTEGER,
            seed                  INTEGER,
            promptTokens          INTEGER,
            generatedTokens       INTEGER,
            tokensPerSecond       REAL,
            promptTokensPerSecond REAL,
            timeToFirstToken      REAL,
            stopReason            TEXT,
            CHECK (complete = 1 OR role = 'assistant')
        )
        """,
        "CREATE INDEX message_conversation ON message(conversationId, id)",
        // External-content FTS5 index over message.content (GRDB `FullTextSearch.md`,
        // "External Content Full-Text Tables"; sqlite.org/fts5.html#external_content_tables),
        // kept in sync by the three triggers below, cascaded deletes included.
        """
        CREATE VIRTUAL TABLE message_ft USING fts5(
            content, content = 'message', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER message_ft_insert AFTER INSERT ON message BEGIN
            INSERT INTO message_ft(rowid, content) VALUES (new.id, new.content);
        END
        """,
        """
        CREATE TRIGGER message_ft_delete AFTER DELETE ON message BEGIN
            INSERT INTO message_ft(message_ft, rowid, content)
            VALUES ('delete', old.id, old.content);
        END
        """,
        """
        CREATE TRIGGER message_ft_update AFTER UPDATE OF content ON message BEGIN
            INSERT INTO message_ft(message_ft, rowid, content)
            VALUES ('delete', old.id, old.content);
            INSERT INTO message_ft(rowid, content) VALUES (new.id, new.content);
        END
        """,
        // SHA-256 of model files, valid while the file keeps its size and modification time
        // (nanoseconds since 1970).
        """
        CREATE TABLE modelFile (
            path     TEXT    NOT NULL PRIMARY KEY,
            size     INTEGER NOT NULL,
            modified INTEGER NOT NULL,
            sha256   TEXT    NOT NULL CHECK (length(sha256) = 64)
        )
        """,
    ]
}
