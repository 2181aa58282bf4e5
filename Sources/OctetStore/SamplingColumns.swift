import GRDB
import OctetChat

/// The eight columns that hold a `SamplingSettings` in both the `conversation` and the
/// `message` table (where they are all NULL for messages without a generation).
enum SamplingColumns {
    /// Writes `sampling` (or NULLs) into a record's columns.
    static func encode(_ sampling: SamplingSettings?, to container: inout PersistenceContainer) {
        container["temperature"] = sampling?.temperature
        container["topK"] = sampling?.topK
        container["topP"] = sampling?.topP
        container["minP"] = sampling?.minP
        container["repeatPenalty"] = sampling?.repeatPenalty
        container["repeatLastN"] = sampling?.repeatLastN
        container["samplingSeed"] = sampling?.seed.map { Int64(bitPattern: $0) }
        container["maxTokens"] = sampling?.maxTokens
    }

    /// The settings in `row`; nil when the row has none (a NULL temperature).
    static func decode(_ row: Row) throws -> SamplingSettings? {
        guard let temperature: Double = try row.decode(forColumn: "temperature") else {
            return nil
        }
        let seed: Int64? = try row.decode(forColumn: "samplingSeed")
        return SamplingSettings(
            temperature: temperature,
            topK: try row.decode(forColumn: "topK"),
            topP: try row.decode(forColumn: "topP"),
            minP: try row.decode(forColumn: "minP"),
            repeatPenalty: try row.decode(forColumn: "repeatPenalty"),
            repeatLastN: try row.decode(forColumn: "repeatLastN"),
            seed: seed.map { UInt64(bitPattern: $0) },
            maxTokens: try row.decode(forColumn: "maxTokens"))
    }
}
