import Foundation
import Yams

// MARK: - Reading a template file

/// Reads a prompt template from YAML by walking Yams' node tree (not `YAMLDecoder`), so that
/// every error names the file, the line and the field (STYLE.md H3):
/// `Prompts/x.yaml:12: examples[1].output: missing`.
///
/// The fields: `name`, `description`, `template` (required); `system`, `variables` (name ->
/// default), `examples` (a list of `input`/`output`), `sampling` (`temperature`, `top_k`,
/// `top_p`, `min_p`, `repeat_penalty`, `repeat_last_n`, `seed`, `max_tokens`), `stop` (a list
/// of strings), `answer` (for templates that reason first: the text that starts the final
/// answer, e.g. `"Answer:"`; the chat screen folds what comes before it). Unknown fields are errors, so that a typo is not silently ignored. The line
/// break that ends a block scalar (`|`) is dropped from every text.
public enum PromptTemplateParser {
    /// The top-level fields, in the order the docs list them.
    public static let fields = [
        "name", "description", "system", "template", "variables", "examples", "sampling", "stop",
        "answer",
    ]

    /// Reads the template file at `path`; `displayPath` (default `path`) names it in errors.
    public static func load(path: String, displayPath: String? = nil) throws -> PromptTemplate {
        let shown = displayPath ?? path
        let text: String
        do {
            // Not a device, FIFO or folder, at most 1 MiB, UTF-8 (a hostile file cannot hang us).
            text = try UserTextFile.read(path)
        } catch let problem as UserTextFile.Problem {
            throw ChatError.badTemplateFile(file: shown, line: nil, field: nil, problem: problem.description)
        }
        return try parse(text, file: shown, source: path)
    }

    /// Parses template YAML; `file` names it in errors, `source` is recorded in the template.
    public static func parse(_ yaml: String, file: String, source: String? = nil) throws
        -> PromptTemplate
    {
        let reader = FieldReader(file: file)
        let root = try reader.compose(yaml)
        guard case .mapping(let mapping) = root else {
            throw reader.error(root, nil, "expected a mapping of fields (\(fields.joined(separator: ", ")))")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            let name = try reader.text(key, "field name")
            guard fields.contains(name) else {
                throw reader.error(key, name, "unknown field (known: \(fields.joined(separator: ", ")))")
            }
            values[name] = value
        }
        func required(_ field: String) throws -> Node {
            guard let node = values[field] else { throw reader.error(root, field, "missing") }
            return node
        }
        let nameNode = try required("name")
        let name = try reader.text(nameNode, "name")
        guard name.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]*$"#, options: .regularExpression) != nil else {
            throw reader.error(nameNode, "name", "use letters, digits, '.', '_' and '-' only")
        }
        let templateNode = try required("template")
        let body = Parts(
            name: name,
            description: try reader.text(try required("description"), "description").strippedLikePython,
            system: try values["system"].map { try reader.text($0, "system").droppingFinalNewlines },
            text: try reader.text(templateNode, "template").droppingFinalNewlines,
            variables: try values["variables"].map(reader.variables) ?? [:],
            examples: try values["examples"].map(reader.examples) ?? [],
            sampling: try values["sampling"].map(reader.sampling) ?? SamplingOverrides(),
            stop: try values["stop"].map(reader.stopStrings) ?? [],
            answer: try values["answer"].map { try reader.nonEmpty($0, "answer") })
        return try body.template(source: source ?? file, templateNode: templateNode, reader: reader)
    }

    /// The fields read so far, before the Mustache text is compiled.
    private struct Parts {
        var name, description: String
        var system: String?
        var text: String
        var variables: [String: String]
        var examples: [PromptTemplate.Example]
        var sampling: SamplingOverrides
        var stop: [String]
        var answer: String?

        /// Compiles the template; Mustache errors get the file line of the template text.
        func template(source: String, templateNode: Node, reader: FieldReader) throws
            -> PromptTemplate
        {
            do {
                return try PromptTemplate(
                    name: name, description: description, system: system, text: text,
                    variables: variables, examples: examples, sampling: sampling, stop: stop,
                    answer: answer, source: source)
            } catch ChatError.badTemplateFile(_, let line, let field, let problem) {
                throw ChatError.badTemplateFile(
                    file: reader.file, line: reader.line(of: templateNode, textLine: line),
                    field: field, problem: problem)
            }
        }
    }
}

extension String {
    /// Without the line breaks at its end (a block scalar's `|` keeps one).
    var droppingFinalNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
