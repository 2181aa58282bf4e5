import Yams

// MARK: - Field readers

/// Reads typed values out of YAML nodes, turning every mismatch into a
/// `ChatError.badTemplateFile` with the node's line and the field's dotted path.
struct FieldReader {
    let file: String

    /// An error at `node`'s line (the file's first line when the node has no mark).
    func error(_ node: Node?, _ field: String?, _ problem: String) -> ChatError {
        ChatError.badTemplateFile(file: file, line: node?.mark?.line ?? 1, field: field, problem: problem)
    }

    /// The file line of line `textLine` (1-based) of a scalar's text: block scalars (`|`,
    /// `>`) start on the line after their indicator.
    func line(of node: Node, textLine: Int?) -> Int? {
        guard let start = node.mark?.line else { return nil }
        guard let textLine else { return start }
        let block = node.scalar.map { $0.style == .literal || $0.style == .folded } ?? false
        return start + textLine - (block ? 0 : 1)
    }

    // MARK: - Documents

    /// The document's root node, with YAML syntax errors given their line.
    func compose(_ yaml: String) throws -> Node {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let yamlError as YamlError {
            throw describe(yamlError)
        }
        guard let root else {
            throw ChatError.badTemplateFile(file: file, line: nil, field: nil, problem: "is empty")
        }
        return root
    }

    private func describe(_ yamlError: YamlError) -> ChatError {
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ChatError.badTemplateFile(
                file: file, line: mark.line, field: nil, problem: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ChatError.badTemplateFile(
                file: file, line: context.mark.line, field: duplicates.first,
                problem: "appears more than once")
        default:
            return ChatError.badTemplateFile(file: file, line: nil, field: nil, problem: "YAML: \(yamlError)")
        }
    }

    // MARK: - Values

    /// A scalar's text (numbers and words alike are text here).
    func text(_ node: Node, _ field: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, field, "expected text") }
        return scalar.string
    }

    /// A list of text, or one text alone.
    func stopStrings(_ node: Node) throws -> [String] {
        if case .scalar = node { return [try nonEmpty(node, "stop")] }
        guard case .sequence(let items) = node else { throw error(node, "stop", "expected a list of text") }
        return try items.enumerated().map { try nonEmpty($1, "stop[\($0)]") }
    }

    func nonEmpty(_ node: Node, _ field: String) throws -> String {
        let value = try text(node, field)
        guard !value.isEmpty else { throw error(node, field, "must not be empty") }
        return value
    }

    /// `variables:`: name -> default text.
    func variables(_ node: Node) throws -> [String: String] {
        guard case .mapping(let mapping) = node else {
            throw error(node, "variables", "expected a mapping of names to default values")
        }
        var out: [String: String] = [:]
        for (key, value) in mapping {
            let name = try text(key, "variables")
            guard name != "input" else {
                throw error(key, "variables.input", "input is the user's text and cannot have a default")
            }
            out[name] = try text(value, "variables.\(name)")
        }
        return out
    }

    /// `examples:`: a list of `{input, output}`.
    func examples(_ node: Node) throws -> [PromptTemplate.Example] {
        guard case .sequence(let items) = node else {
            throw error(node, "examples", "expected a list of input/output pairs")
        }
        return try items.enumerated().map { index, item in
            let path = "examples[\(index)]"
            guard case .mapping(let mapping) = item else {
                throw error(item, path, "expected a mapping with input and output")
            }
            for key in mapping.keys {
                let name = try text(key, path)
                guard name == "input" || name == "output" else {
                    throw error(key, "\(path).\(name)", "unknown field (known: input, output)")
                }
            }
            func part(_ name: String) throws -> String {
                guard let value = mapping[name] else { throw error(item, "\(path).\(name)", "missing") }
                return try text(value, "\(path).\(name)").droppingFinalNewlines
            }
            return PromptTemplate.Example(input: try part("input"), output: try part("output"))
        }
    }
}
