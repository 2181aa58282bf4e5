// MARK: - Validation

extension SamplingParameters {
    /// Checks every value against the range the sampler chain accepts.
    /// - Throws: `InferenceError.badSamplingParameter` naming the first value out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ name: String, _ value: CustomStringConvertible, _ expected: String)
            throws {
            guard ok else {
                throw InferenceError.badSamplingParameter(
                    name: name, value: value.description, expected: expected)
            }
        }
        try check(temperature.isFinite && temperature >= 0, "temperature", temperature, ">= 0")
        try check(topK >= 0, "top-k", topK, ">= 0 (0 = off)")
        try check(topP >= 0 && topP <= 1, "top-p", topP, "between 0 and 1 (1 = off)")
        try check(minP >= 0 && minP <= 1, "min-p", minP, "between 0 and 1 (0 = off)")
        try check(
            repeatPenalty.isFinite && repeatPenalty > 0, "repeat-penalty", repeatPenalty,
            "> 0 (1 = off)")
        try check(repeatLastN >= 0, "repeat-last-n", repeatLastN, ">= 0")
    }

    /// Whether the chain takes the argmax instead of drawing.
    public var isGreedy: Bool { temperature == 0 }
}
