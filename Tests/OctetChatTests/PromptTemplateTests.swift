import XCTest
@testable import OctetChat

/// Prompt templates: the shipped ones, Mustache as plain text, variables, and the errors of
/// broken files (file:line: field: problem).
final class PromptTemplateTests: XCTestCase {
    static var shippedPrompts: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Prompts").path
    }

    // MARK: - Shipped templates

    func testEveryShippedTemplateLoadsAndRenders() throws {
        let library = TemplateLibrary(directories: [Self.shippedPrompts])
        XCTAssertEqual(library.problems, [])
        for name in ["zero-shot", "few-shot", "chain-of-thought", "translate", "summarize", "explain-code"] {
            let template = try library.template(named: name)
            XCTAssertFalse(template.description.isEmpty, name)
            let text = try template.render(input: "INPUT-TEXT")
            XCTAssertTrue(text.contains("INPUT-TEXT"), name)
            XCTAssertFalse(text.contains("{{"), name)
            XCTAssertFalse(text.hasSuffix("\n"), "\(name): the block scalar's final newline is dropped")
            let plan = try PromptPlan.make(history: [], input: "INPUT-TEXT", template: template)
            XCTAssertNoThrow(try ChatFormat.chatmlSmolLM2.render(plan.messages()), name)
        }
        XCTAssertGreaterThanOrEqual(library.templates.count, 6)
    }

    func testTranslateIsFewShotWithTheChineseExample() throws {
        let translate = try TemplateLibrary(directories: [Self.shippedPrompts]).template(named: "translate")
        let messages = try translate.exampleMessages()
        XCTAssertEqual(messages.first, .user("Translate into English:\n我喜欢编程"))
        XCTAssertEqual(messages.dropFirst().first, .assistant("I love programming."))
        XCTAssertEqual(try translate.render(input: "Bonjour", variables: ["language": "German"]),
                       "Translate into German:\nBonjour")
        let text = try ChatFormat.chatmlSmolLM2.render(
            try PromptPlan.make(history: [], input: "我喜欢编程", template: translate).messages())
        XCTAssertTrue(text.hasPrefix("<|im_start|>system\nYou are a translator."), text)
        XCTAssertTrue(text.hasSuffix(
            "<|im_start|>user\nTranslate into English:\n我喜欢编程<|im_end|>\n<|im_start|>assistant\n"), text)
    }

    func testChainOfThoughtAsksForStepsAndAnAnswerLine() throws {
        let cot = try TemplateLibrary(directories: [Self.shippedPrompts]).template(named: "chain-of-thought")
        XCTAssertTrue(cot.system?.contains("step by step") == true)
        XCTAssertEqual(cot.examples.count, 2)
        for example in cot.examples {
            XCTAssertTrue(example.output.hasPrefix("Step 1: "), example.output)
            XCTAssertEqual(example.output.split(separator: "\n").last?.hasPrefix("Answer: "), true)
        }
        XCTAssertTrue(try cot.render(input: "Q?").hasSuffix("Q?\nLet's think step by step."))
        XCTAssertEqual(cot.sampling.temperature, 0)
        XCTAssertEqual(cot.answer, "Answer:")
        XCTAssertNil(try TemplateLibrary(directories: [Self.shippedPrompts]).template(named: "zero-shot").answer)
    }

    func testExplainCodeSectionShowsOnlyWhenTheLanguageIsSet() throws {
        let explain = try TemplateLibrary(directories: [Self.shippedPrompts]).template(named: "explain-code")
        XCTAssertTrue(try explain.render(input: "x").hasPrefix("Explain what this code does"))
        XCTAssertTrue(try explain.render(input: "x", variables: ["language": "Swift"])
            .hasPrefix("Explain what this Swift code does"))
    }

    // MARK: - Mustache as plain text

    func testNothingIsHTMLEscaped() throws {
        let template = try PromptTemplate(
            name: "t", description: "d", text: "Check: {{input}} & {{extra}} <ok>",
            variables: ["extra": "\"q\" 'a'"])
        XCTAssertEqual(
            try template.render(input: "a < b && c"), "Check: a < b && c & \"q\" 'a' <ok>")
    }

    func testValuesAreNotReadAsMustache() throws {
        let template = try PromptTemplate(name: "t", description: "d", text: "[{{input}}]")
        XCTAssertEqual(try template.render(input: "{{input}} {{#x}}y{{/x}}"), "[{{input}} {{#x}}y{{/x}}]")
    }

    func testAMissingVariableIsAnErrorNamingIt() throws {
        let template = try PromptTemplate(name: "t", description: "d", text: "{{input}} in {{tone}}")
        XCTAssertThrowsError(try template.render(input: "x")) { error in
            XCTAssertEqual(error as? ChatError, .missingVariable(template: "t", variable: "tone"))
            XCTAssertTrue("\(error)".contains("--var tone=VALUE"), "\(error)")
        }
        XCTAssertEqual(try template.render(input: "x", variables: ["tone": "verse"]), "x in verse")
    }

    func testExamplesComeBeforeTheRealTurnAsUserAndAssistantMessages() throws {
        let template = try PromptTemplate(
            name: "t", description: "d", system: "S", text: "Q: {{input}}",
            examples: [.init(input: "1+1", output: "2"), .init(input: "2+2", output: "4")])
        let plan = try PromptPlan.make(history: [], input: "3+3", template: template)
        XCTAssertEqual(plan.messages(), [
            .system("S"), .user("Q: 1+1"), .assistant("2"), .user("Q: 2+2"), .assistant("4"),
            .user("Q: 3+3"),
        ])
        let replaced = try PromptPlan.make(history: [], input: "x", template: template, systemPrompt: "Mine")
        XCTAssertEqual(replaced.system, "Mine", "--system replaces the template's system prompt")
    }

    func testWithoutATemplateTheTextGoesAsItIsUnderTheDefaultSystemPrompt() throws {
        let plan = try PromptPlan.make(history: [], input: "  hi  ")
        XCTAssertEqual(
            try ChatFormat.chatmlSmolLM2.render(plan.messages()),
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
                + "<|im_end|>\n<|im_start|>user\n  hi  <|im_end|>\n<|im_start|>assistant\n")
    }

    func testAllFieldsParse() throws {
        let yaml = """
            name: full
            description: "All the fields"
            system: |
              Line one.
              Line two.
            template: "{{input}} ({{style}})"
            variables:
              style: plain
            examples:
              - input: a
                output: b
            sampling:
              temperature: 0.5
              top_k: 20
              top_p: 0.9
              min_p: 0.1
              repeat_penalty: 1.1
              repeat_last_n: 32
              seed: 42
              max_tokens: 100
            stop: ["###", "\\n\\n"]
            answer: "Final:"
            """
        let template = try PromptTemplateParser.parse(yaml, file: "full.yaml")
        XCTAssertEqual(template.system, "Line one.\nLine two.")
        XCTAssertEqual(template.variables, ["style": "plain"])
        XCTAssertEqual(template.examples, [.init(input: "a", output: "b")])
        XCTAssertEqual(template.sampling, SamplingOverrides(
            temperature: 0.5, topK: 20, topP: 0.9, minP: 0.1, repeatPenalty: 1.1,
            repeatLastN: 32, seed: 42, maxTokens: 100))
        XCTAssertEqual(template.stop, ["###", "\n\n"])
        XCTAssertEqual(template.answer, "Final:")
        let applied = template.sampling.applied(to: .default)
        XCTAssertEqual(applied.temperature, 0.5)
        XCTAssertEqual(applied.seed, 42)
    }
}
