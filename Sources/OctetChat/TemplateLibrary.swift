import Foundation

// MARK: - The loaded prompt templates

/// Every prompt template Octet can use: the user's own folder first, then the shipped
/// `Prompts/` folders, where a template in an earlier folder overrides one of the same name in
/// a later folder. A broken file does not stop the others: its error is kept in `problems`
/// for the caller to show (`Prompts/x.yaml:12: examples[1].output: missing`).
///
/// ```swift
/// let library = TemplateLibrary(directories: [userPrompts] + shippedPrompts)
/// for problem in library.problems { warn(problem.description) }
/// let template = try library.template(named: "translate")
/// ```
public struct TemplateLibrary: Sendable, Equatable {
    /// The templates in use, sorted by name (overridden ones are left out).
    public private(set) var templates: [PromptTemplate]
    /// The files that could not be loaded, and why.
    public private(set) var problems: [ChatError]
    /// The folders searched, best first.
    public let directories: [String]

    /// An empty library (no templates).
    public init() {
        templates = []
        problems = []
        directories = []
    }

    /// Loads `*.yaml` and `*.yml` from each folder (missing folders are skipped), best first.
    public init(directories: [String]) {
        self.directories = directories
        var byName: [String: PromptTemplate] = [:]
        var problems: [ChatError] = []
        for directory in directories {
            var inThisFolder: [String: String] = [:]
            for path in Self.templateFiles(in: directory) {
                do {
                    let template = try PromptTemplateParser.load(path: path)
                    if let other = inThisFolder[template.name] {
                        problems.append(.badTemplateFile(
                            file: path, line: nil, field: "name",
                            problem: "\"\(template.name)\" is also the name of \(other)"))
                        continue
                    }
                    inThisFolder[template.name] = path
                    if byName[template.name] == nil { byName[template.name] = template }
                } catch let error as ChatError {
                    problems.append(error)
                } catch {
                    problems.append(.badTemplateFile(file: path, line: nil, field: nil, problem: "\(error)"))
                }
            }
        }
        self.templates = byName.values.sorted { $0.name < $1.name }
        self.problems = problems
    }

    /// The template files of a folder, in name order.
    static func templateFiles(in directory: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            return []
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { base + "/" + $0 }
    }

    // MARK: - Lookup

    /// The names of the templates in use, sorted.
    public var names: [String] { templates.map(\.name) }

    /// The template called `name`, if loaded.
    public subscript(name: String) -> PromptTemplate? { templates.first { $0.name == name } }

    /// The template called `name`.
    /// - Throws: `ChatError.unknownTemplate` listing the names there are; when a file with
    ///   problems may have been meant, its problem comes first.
    public func template(named name: String) throws -> PromptTemplate {
        if let template = self[name] { return template }
        if let problem = problems.first(where: { Self.problem($0, isAbout: name) }) { throw problem }
        throw ChatError.unknownTemplate(name: name, available: names)
    }

    /// Whether a load problem is about the file `<name>.yaml`.
    private static func problem(_ error: ChatError, isAbout name: String) -> Bool {
        guard case .badTemplateFile(let file, _, _, _) = error else { return false }
        let base = (file as NSString).lastPathComponent
        return base == name + ".yaml" || base == name + ".yml"
    }

    // MARK: - Where the folders are

    /// The folders to load, best first (DESIGN.md "Dependencies"): the user's
    /// `$XDG_CONFIG_HOME/octet/prompts`, then `Prompts/` inside each shipped data folder
    /// (`$OCTET_DATA_DIR`, `<prefix>/share/octet`, the source checkout).
    public static func directories(userConfigDirectory: String, shippedDataDirectories: [String])
        -> [String]
    {
        [userConfigDirectory + "/prompts"] + shippedDataDirectories.map { $0 + "/Prompts" }
    }
}
