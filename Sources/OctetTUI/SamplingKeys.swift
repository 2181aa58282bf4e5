import OctetChat

/// The names of the sampling settings, shared by `/set KEY VALUE` and the config file's
/// `sampling:` section, with their checks (the same as `octet run`'s options).
public enum SamplingKeys {
    /// Every key, in the order `/set` lists them.
    public static let all = [
        "temperature", "top_k", "top_p", "min_p", "repeat_penalty", "repeat_last_n", "seed",
        "max_tokens",
    ]

    /// Sets `key` to `value` (text as typed) in `settings`; throws a one-line reason.
    public static func set(_ key: String, to value: String, in settings: inout SamplingSettings)
        throws
    {
        let key = key.lowercased().replacingHyphens()
        switch key {
        case "temperature": settings.temperature = try number(value, key, 0...10)
        case "top_k": settings.topK = try whole(value, key, 0...1_000_000)
        case "top_p": settings.topP = try number(value, key, 0...1)
        case "min_p": settings.minP = try number(value, key, 0...1)
        case "repeat_penalty": settings.repeatPenalty = try number(value, key, 0...10)
        case "repeat_last_n": settings.repeatLastN = try whole(value, key, 0...1_000_000)
        case "max_tokens", "n": settings.maxTokens = try whole(value, key, 1...1_000_000)
        case "seed":
            if value.lowercased() == "random" || value.lowercased() == "none" {
                settings.seed = nil
            } else {
                guard let seed = UInt64(value) else {
                    throw CommandError(
                        "seed: expected a whole number or \"random\", got \"\(value)\"")
                }
                settings.seed = seed
            }
        default:
            throw CommandError("unknown setting \"\(key)\" (\(all.joined(separator: ", ")))")
        }
    }

    /// The current value of every key, as `/set` shows it.
    public static func describe(_ settings: SamplingSettings) -> String {
        func trim(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        return [
            "temperature \(trim(settings.temperature))", "top_k \(settings.topK)",
            "top_p \(trim(settings.topP))", "min_p \(trim(settings.minP))",
            "repeat_penalty \(trim(settings.repeatPenalty))",
            "repeat_last_n \(settings.repeatLastN)",
            "seed \(settings.seed.map(String.init) ?? "random")",
            "max_tokens \(settings.maxTokens)",
        ].joined(separator: " · ")
    }

    private static func number(_ text: String, _ key: String, _ range: ClosedRange<Double>)
        throws -> Double
    {
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw CommandError(
                "\(key): expected a number in \(trim(range.lowerBound))...\(trim(range.upperBound)), got \"\(text)\""
            )
        }
        return value
    }

    private static func whole(_ text: String, _ key: String, _ range: ClosedRange<Int>) throws
        -> Int
    {
        guard let value = Int(text), range.contains(value) else {
            throw CommandError(
                "\(key): expected a whole number in \(range.lowerBound)...\(range.upperBound), got \"\(text)\""
            )
        }
        return value
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

extension String {
    fileprivate func replacingHyphens() -> String {
        String(map { $0 == "-" ? "_" : $0 })
    }
}
