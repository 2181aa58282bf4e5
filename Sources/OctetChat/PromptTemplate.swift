import Mustache

// MARK: - Prompt templates

/// A prompt template from `Prompts/*.yaml` (DESIGN.md "Files the user edits"): how the user's
/// text is dressed before it is sent, with an optional system prompt, few-shot examples,
/// sampling defaults and stop strings.
///
/// The template text is Mustache rendered as plain text (never HTML-escaped: `a < b && c`
/// stays as it is). `{{input}}` is the user's text; other `{{names}}` are variables, which
/// take their value from the caller or the file's `variables:` defaults. Values are inserted
/// as they are and never read as Mustache themselves; an empty value is false in a section
/// (`{{#name}}...{{/name}}` shows only when `name` is set).
public struct PromptTemplate: Sendable {
    /// One worked example: sent as an earlier user turn (its `input` rendered through the
    /// template, like the real one) and the assistant's `output`.
    public struct Example: Sendable, Equatable, Hashable {
        public var input: String
        public var output: String

        public init(input: String, output: String) {
            self.input = input
            self.output = output
        }
    }

    /// The name `--template` and `/template` use.
    public var name: String
    /// One line for `octet templates` and the picker.
    public var description: String
    /// Replaces the model's default system prompt; an explicit `--system` replaces this.
    public var system: String?
    /// The Mustache text of the user's turn.
    public let text: String
    /// Default values of the variables other than `input`.
    public var variables: [String: String]
    public var examples: [Example]
    /// Sampling defaults; the caller applies them when the template is chosen.
    public var sampling: SamplingOverrides
    /// The reply ends when its text reaches one of these.
    public var stop: [String]
    /// For templates whose replies reason first: the text that starts the final answer
    /// (`"Answer:"`). What comes before it is reasoning, which the chat screen folds.
    public var answer: String?
    /// The file the template came from ("" when made in code).
    public var source: String

    private let compiled: MustacheTemplate

    /// A template from its parts.
    /// - Throws: `ChatError.badTemplateFile` (without a line) when `text` is not valid
    ///   Mustache or does not use `{{input}}`; `PromptTemplateParser` adds the file's line.
    public init(
        name: String, description: String, system: String? = nil, text: String,
        variables: [String: String] = [:], examples: [Example] = [],
        sampling: SamplingOverrides = SamplingOverrides(), stop: [String] = [],
        answer: String? = nil, source: String = ""
    ) throws {
        self.name = name
        self.description = description
        self.system = system
        self.text = text
        self.variables = variables
        self.examples = examples
        self.sampling = sampling
        self.stop = stop
        self.answer = answer
        self.source = source
        self.compiled = try Self.compile(text, source: source)
    }

    // MARK: - Compiling

    /// The pragma that switches swift-mustache from its default HTML escaping to plain text.
    /// Put on the first line without a newline, so line numbers of errors stay those of `text`.
    static let plainTextPragma = "{{% CONTENT_TYPE: TEXT}}"

    private static func compile(_ text: String, source: String) throws -> MustacheTemplate {
        guard usesInput(text) else {
            throw ChatError.badTemplateFile(
                file: source, line: nil, field: "template", problem: "does not use {{input}}")
        }
        do {
            return try MustacheTemplate(string: plainTextPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            throw ChatError.badTemplateFile(
                file: source, line: error.context.lineNumber, field: "template",
                problem: "Mustache: \(describe(error.error)) near \"\(error.context.line)\"")
        } catch {
            throw ChatError.badTemplateFile(
                file: source, line: nil, field: "template", problem: "Mustache: \(error)")
        }
    }

    /// Whether the text has an `{{input}}` (or `{{{input}}}`, `{{& input}}`) tag.
    static func usesInput(_ text: String) -> Bool {
        text.range(of: #"\{\{\{?\s*&?\s*input\s*\}?\}\}"#, options: .regularExpression) != nil
    }

    private static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not closed"
        case .expectedSectionEnd: return "a section is not closed"
        case .invalidSetDelimiter: return "bad set-delimiter tag"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "bad pragma"
        default: return "\(error)"
        }
    }

    // MARK: - Rendering

    /// The user's turn: the template with `input` and the variables filled in.
    /// - Parameter variables: values that replace the defaults (`--var key=value`).
    /// - Throws: `ChatError.missingVariable` for a variable with neither value nor default.
    public func render(input: String, variables given: [String: String] = [:]) throws -> String {
        var values = variables.merging(given) { _, new in new }
        values["input"] = input
        let scope = VariableScope(values: values)
        let text = compiled.render(scope)
        if let missing = scope.missing.first {
            throw ChatError.missingVariable(template: name, variable: missing)
        }
        return text
    }

    /// The few-shot examples as earlier turns: user (the input rendered through the
    /// template), assistant (the output), in file order.
    public func exampleMessages(variables: [String: String] = [:]) throws -> [ChatMessage] {
        try examples.flatMap { example in
            [.user(try render(input: example.input, variables: variables)), .assistant(example.output)]
        }
    }
}

extension PromptTemplate: Equatable {
    public static func == (lhs: PromptTemplate, rhs: PromptTemplate) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description && lhs.system == rhs.system
            && lhs.text == rhs.text && lhs.variables == rhs.variables
            && lhs.examples == rhs.examples && lhs.sampling == rhs.sampling
            && lhs.stop == rhs.stop && lhs.source == rhs.source
    }
}

// MARK: - Variable lookup

/// The object a template is rendered with: answers Mustache's name lookups from `values` and
/// remembers the names it could not answer, so a missing variable is an error rather than
/// an empty string. One per render; not shared between threads.
private final class VariableScope: MustacheParent {
    let values: [String: String]
    private(set) var missing: [String] = []

    init(values: [String: String]) { self.values = values }

    func child(named name: String) -> Any? {
        if let value = values[name] { return VariableValue(text: value) }
        if !missing.contains(name) { missing.append(name) }
        return nil
    }
}

/// One variable's value. Empty text counts as false in sections, so that
/// `{{#language}}in {{language}} {{/language}}` shows only when the variable is set (an empty
/// Swift string would otherwise be "truthy"); it has no children, so names inside a section
/// are looked up in the scope.
private struct VariableValue: MustacheCustomRenderable, MustacheParent {
    let text: String
    var renderText: String { text }
    var isNull: Bool { text.isEmpty }
    func child(named name: String) -> Any? { nil }
}
