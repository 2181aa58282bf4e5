import Yams

// MARK: - sampling:

extension FieldReader {
    /// The keys of `sampling:`, with the snake_case names the files use.
    static let samplingKeys = [
        "temperature", "top_k", "top_p", "min_p", "repeat_penalty", "repeat_last_n", "seed",
        "max_tokens",
    ]

    /// `sampling:`: the template's sampling defaults, each range-checked.
    func sampling(_ node: Node) throws -> SamplingOverrides {
        guard case .mapping(let mapping) = node else {
            throw error(node, "sampling", "expected a mapping (\(Self.samplingKeys.joined(separator: ", ")))")
        }
        var out = SamplingOverrides()
        for (key, value) in mapping {
            let name = try text(key, "sampling")
            let field = "sampling.\(name)"
            switch name {
            case "temperature": out.temperature = try number(value, field, "a number >= 0") { $0 >= 0 }
            case "top_k": out.topK = try integer(value, field, "a whole number >= 0") { $0 >= 0 }
            case "top_p": out.topP = try number(value, field, "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
            case "min_p": out.minP = try number(value, field, "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
            case "repeat_penalty":
                out.repeatPenalty = try number(value, field, "a number > 0") { $0 > 0 }
            case "repeat_last_n":
                out.repeatLastN = try integer(value, field, "a whole number >= 0") { $0 >= 0 }
            case "seed":
                guard let seed = UInt64(try text(value, field)) else {
                    throw error(value, field, "expected a whole number >= 0")
                }
                out.seed = seed
            case "max_tokens": out.maxTokens = try integer(value, field, "a whole number > 0") { $0 > 0 }
            default:
                throw error(key, field, "unknown field (known: \(Self.samplingKeys.joined(separator: ", ")))")
            }
        }
        return out
    }

    private func number(
        _ node: Node, _ field: String, _ expected: String, _ valid: (Double) -> Bool
    ) throws -> Double {
        guard let value = Double(try text(node, field)), value.isFinite, valid(value) else {
            throw error(node, field, "expected \(expected)")
        }
        return value
    }

    private func integer(_ node: Node, _ field: String, _ expected: String, _ valid: (Int) -> Bool)
        throws -> Int
    {
        guard let value = Int(try text(node, field)), valid(value) else {
            throw error(node, field, "expected \(expected)")
        }
        return value
    }
}
