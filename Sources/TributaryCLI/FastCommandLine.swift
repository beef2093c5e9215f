import SQL

/// The command lines of `consume`, `produce` and `sql` parsed by hand, so that these commands start without
/// ArgumentParser building its command tree (it walks every command's properties by reflection and
/// looks up protocol conformances at run time: several milliseconds of a process that, reading or
/// writing 200 MB, may live 0.2 s in all).
///
/// Only plain command lines take this path: known options, each once (`--partition` and `--header`
/// may repeat), with values that convert, in `--name value`, `--name=value` or `-x value` form, that
/// pass the command's own validation and planning. Anything else — help, `--`, an unknown, repeated or
/// bundled option, a value that starts with `-` (except `--offset`'s), a value that does not convert,
/// a failed check — returns nil, and ArgumentParser parses the line as before and prints its usual
/// message. The fast path therefore never changes what a command line means or what an error says;
/// `FastCommandLineTests` checks both parsers give the same settings.
enum FastCommandLine {
    /// A hot command, ready to run.
    enum Command {
        case consume(ConsumePlan)
        case produce(ProducePlan)
        case sql(SQLSettings)

        func run() throws {
            switch self {
            case let .consume(plan): try plan.run()
            case let .produce(plan): try plan.run()
            case let .sql(settings): try settings.run()
            }
        }
    }

    /// The command for `arguments` (the whole `argv`, program name first), or nil when the line is not
    /// one the fast path takes.
    static func command(_ arguments: [String]) -> Command? {
        guard arguments.count >= 2 else { return nil }
        let rest = arguments[2...]
        switch arguments[1] {
        case "consume":
            guard let settings = consumeSettings(rest), (try? settings.validate()) != nil,
                  let plan = try? settings.plan() else { return nil }
            return .consume(plan)
        case "produce":
            guard let settings = produceSettings(rest), (try? settings.validate()) != nil,
                  let plan = try? settings.plan() else { return nil }
            return .produce(plan)
        case "sql":
            return sqlSettings(rest).map { .sql($0) }
        default:
            return nil
        }
    }

    /// `consume`'s settings from its arguments, or nil when the fast path does not take them.
    static func consumeSettings(_ arguments: ArraySlice<String>) -> ConsumeSettings? {
        var s = ConsumeSettings.defaults
        let ok = parse(arguments, options: consumeOptions, into: &s) { s, topic in
            s.topics.append(topic)
            return true
        }
        return ok ? s : nil
    }

    /// `produce`'s settings from its arguments, or nil when the fast path does not take them.
    static func produceSettings(_ arguments: ArraySlice<String>) -> ProduceSettings? {
        var s = ProduceSettings.defaults(topic: "")
        var topics = 0
        let ok = parse(arguments, options: produceOptions, into: &s) { s, topic in
            topics += 1
            s.topic = topic
            return topics == 1
        }
        return ok && topics == 1 ? s : nil
    }

    /// `sql`'s settings from its arguments, or nil when the fast path does not take them.
    static func sqlSettings(_ arguments: ArraySlice<String>) -> SQLSettings? {
        var s = SQLSettings.defaults
        return parse(arguments, options: sqlOptions, into: &s) { _, _ in false } ? s : nil
    }

    // MARK: option tables (names as ArgumentParser derives them from ConsumeCommand and ProduceCommand)

    static let consumeOptions: [OptionSpec<ConsumeSettings>] = [
        .value("brokers", "b") { s, v in s.brokers = v; return true },
        .value("client-id") { s, v in s.clientId = v; return true },
        .value("group", "g") { s, v in s.group = v; return true },
        .value("offset", "o", unconditional: true) { s, v in s.offset = v; return true },
        .flag("from-beginning") { $0.fromBeginning = true },
        .value("timestamp") { s, v in convert(v, to: &s.timestamp) },
        .value("partition", "p", repeatable: true) { s, v in
            guard let p = Int32(v) else { return false }
            s.partition.append(p)
            return true
        },
        .value("num", "n") { s, v in convert(v, to: &s.count) },
        .flag("exit", "e") { $0.exitAtEnd = true },
        .value("format", "f") { s, v in s.format = v; return true },
        .value("key-separator") { s, v in s.keySeparator = v; return true },
        .value("isolation") { s, v in s.isolation = v; return true },
        .value("assignor") { s, v in s.assignor = v; return true },
        .flag("check-crcs") { $0.checkCRCs = true },
        .flag("perf") { $0.perf = true },
    ]

    static let produceOptions: [OptionSpec<ProduceSettings>] = [
        .value("brokers", "b") { s, v in s.brokers = v; return true },
        .value("client-id") { s, v in s.clientId = v; return true },
        .value("key-separator", "k") { s, v in s.keySeparator = v; return true },
        .value("header", "H", repeatable: true) { s, v in s.headers.append(v); return true },
        .value("format", "f") { s, v in s.format = v; return true },
        .value("partition", "p") { s, v in convert(v, to: &s.partition) },
        .value("compression", "c") { s, v in s.compression = v; return true },
        .value("acks") { s, v in s.acks = v; return true },
        .value("partitioner") { s, v in s.partitioner = v; return true },
        .value("linger-ms") { s, v in convert(v, to: &s.lingerMs) },
        .value("batch-bytes") { s, v in convert(v, to: &s.batchBytes) },
        .flag("no-idempotence") { $0.noIdempotence = true },
        .flag("verbose", "v") { $0.verbose = true },
        .value("perf-records") { s, v in convert(v, to: &s.perfRecords) },
        .value("record-size") { s, v in convert(v, to: &s.recordSize) },
    ]

    static let sqlOptions: [OptionSpec<SQLSettings>] = [
        .value("", "e", repeatable: true) { s, v in s.execute.append(v); return true },
        .value("", "f") { s, v in s.file = v; return true },
        .value("format") { s, v in
            guard let format = OutputFormat(rawValue: v) else { return false }
            s.format = format
            return true
        },
        .value("null") { s, v in s.null = v; return true },
        .flag("timer") { $0.timer = true },
        .value("history-file") { s, v in s.historyFile = v; return true },
        .value("brokers", "b") { s, v in s.brokers = v; return true },
        .value("client-id") { s, v in s.clientId = v; return true },
    ]

    /// An integer value as ArgumentParser converts it (`T(String)`); false when it does not convert.
    private static func convert<T: FixedWidthInteger>(_ text: String, to value: inout T?) -> Bool {
        guard let v = T(text) else { return false }
        value = v
        return true
    }

    private static func convert<T: FixedWidthInteger>(_ text: String, to value: inout T) -> Bool {
        guard let v = T(text) else { return false }
        value = v
        return true
    }

    // MARK: parsing

    /// One option of a command: its long (empty for a short-only option) and short names, whether it takes a value, and how the value
    /// lands in the settings (false: the value does not convert).
    struct OptionSpec<Settings> {
        var long: String
        var short: Character?
        var takesValue: Bool
        /// The value is the next argument whatever it looks like (ArgumentParser's `.unconditional`).
        var unconditional = false
        var repeatable = false
        var apply: (inout Settings, String) -> Bool

        static func value(_ long: String, _ short: Character? = nil, unconditional: Bool = false, repeatable: Bool = false,
                          _ apply: @escaping (inout Settings, String) -> Bool) -> OptionSpec {
            OptionSpec(long: long, short: short, takesValue: true, unconditional: unconditional, repeatable: repeatable,
                       apply: apply)
        }

        static func flag(_ long: String, _ short: Character? = nil, _ set: @escaping (inout Settings) -> Void) -> OptionSpec {
            OptionSpec(long: long, short: short, takesValue: false) { s, _ in
                set(&s)
                return true
            }
        }
    }

    /// Applies `arguments` to `settings`; false as soon as something is not plain (see the type's
    /// documentation), leaving the line to ArgumentParser.
    static func parse<Settings>(_ arguments: ArraySlice<String>, options: [OptionSpec<Settings>], into settings: inout Settings,
                                positional: (inout Settings, String) -> Bool) -> Bool {
        var seen: Set<String> = []
        var i = arguments.startIndex
        while i < arguments.endIndex {
            let token = arguments[i]
            i += 1
            guard token.hasPrefix("-") else {
                if !positional(&settings, token) { return false }
                continue
            }
            let spec: OptionSpec<Settings>?
            var attached: String?
            if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                guard !body.isEmpty else { return false }
                if let eq = body.firstIndex(of: "=") {
                    let name = body[..<eq]
                    attached = String(body[body.index(after: eq)...])
                    spec = options.first { !$0.long.isEmpty && $0.long == name }
                } else {
                    spec = options.first { !$0.long.isEmpty && $0.long == body }
                }
            } else {
                guard token.count == 2, let letter = token.last else { return false }
                spec = options.first { $0.short == letter }
            }
            guard let spec else { return false }
            if !spec.repeatable && !seen.insert(spec.long.isEmpty ? "-" + String(spec.short ?? "?") : spec.long).inserted {
                return false
            }
            guard spec.takesValue else {
                if attached != nil { return false }
                _ = spec.apply(&settings, "")
                continue
            }
            let value: String
            if let attached {
                value = attached
            } else {
                guard i < arguments.endIndex else { return false }
                value = arguments[i]
                i += 1
                if !spec.unconditional && value.hasPrefix("-") { return false }
            }
            if !spec.apply(&settings, value) { return false }
        }
        return true
    }
}
