import Columnar

// More of PySpark's DataFrame methods, each written with the transformations above.

extension DataFrame {
    /// `toDF(names…)`: the same columns under new names, as many names as columns.
    public func toDF(_ names: String...) throws -> DataFrame {
        guard names.count == plan.output.count else {
            throw EngineError.analysis("toDF needs \(plan.output.count) column names, not \(names.count)", position: nil)
        }
        return try select(zip(plan.output, names).map { Column(.alias(.attribute($0), name: $1)) })
    }

    /// `withColumns({name: value, …})`: one projection over the current columns, as Spark builds
    /// it (a value reads the columns as they were, not as another pair replaces them); columns
    /// replaced in place, new ones appended in name order.
    public func withColumns(_ columns: [String: Column]) throws -> DataFrame {
        let byName = Dictionary(columns.map { ($0.key.lowercased(), ($0.key, $0.value)) }, uniquingKeysWith: { first, _ in first })
        var list: [Expr] = plan.output.map { a in
            guard let (name, value) = byName[a.name.lowercased()] else { return .attribute(a) }
            return .alias(value.expr, name: name)
        }
        let existing = Set(plan.output.map { $0.name.lowercased() })
        for (name, value) in columns.sorted(by: { $0.key < $1.key }) where !existing.contains(name.lowercased()) {
            list.append(.alias(value.expr, name: name))
        }
        return try DataFrame(session: session, plan: .project(list, plan))
    }

    /// `offset(n)`: every row after the first `n`.
    public func offset(_ n: Int) throws -> DataFrame {
        guard n >= 0 else { throw EngineError.analysis("offset needs a non-negative count, not \(n)", position: nil) }
        return try DataFrame(session: session, plan: .limit(Int.max, offset: n, plan))
    }

    /// `head(n)` / `take(n)`: the first `n` rows.
    public func head(_ n: Int = 1) throws -> [Row] { try limit(n).collect() }
    /// Same as `head`.
    public func take(_ n: Int) throws -> [Row] { try head(n) }
    /// `first()`: the first row, or nil for an empty frame.
    public func first() throws -> Row? { try head(1).first }

    /// `sample(fraction)`: each row kept with probability `fraction`, as Spark's sampling without
    /// replacement does.
    public func sample(fraction: Double) throws -> DataFrame {
        guard (0...1).contains(fraction) else {
            throw EngineError.analysis("sample needs a fraction between 0 and 1, not \(fraction)", position: nil)
        }
        return try DataFrame(session: session, plan: .bernoulliSample(fraction, plan))
    }

    /// `dropDuplicates(cols)`: one row for each distinct value of `cols` (all columns when empty),
    /// the columns in their order.
    public func dropDuplicates(_ cols: [String] = []) throws -> DataFrame {
        if cols.isEmpty { return try distinct() }
        let keys = Set(cols.map { $0.lowercased() })
        for name in keys where !plan.output.contains(where: { $0.name.lowercased() == name }) {
            throw EngineError.analysis("[UNRESOLVED_COLUMN] dropDuplicates: no column `\(name)`", position: nil)
        }
        // The other columns come from one row of each group: first() reads every column of a
        // group's rows in the same order.
        let keyColumns = plan.output.filter { keys.contains($0.name.lowercased()) }.map { Expr.attribute($0) }
        let others = plan.output.filter { !keys.contains($0.name.lowercased()) }
            .map { Expr.alias(.call(name: "first", args: [.attribute($0)], distinct: false), name: $0.name) }
        let grouped = try DataFrame(session: session, plan: .aggregate(groupBy: keyColumns, aggregates: keyColumns + others, plan))
        return try grouped.select(plan.output.map { col($0.name) })
    }

    /// `unionByName(other)`: the other frame's columns matched by name; with
    /// `allowMissingColumns`, columns either side lacks are null there.
    public func unionByName(_ other: DataFrame, allowMissingColumns: Bool = false) throws -> DataFrame {
        let names = plan.output.map(\.name)
        let otherNames = Set(other.plan.output.map { $0.name.lowercased() })
        let mine = Set(names.map { $0.lowercased() })
        let extra = other.plan.output.filter { !mine.contains($0.name.lowercased()) }
        if !allowMissingColumns, let missing = names.first(where: { !otherNames.contains($0.lowercased()) }) ?? extra.first?.name {
            throw EngineError.analysis("[NUM_COLUMNS_MISMATCH] unionByName: column `\(missing)` is not in both frames", position: nil)
        }
        func side(_ frame: DataFrame, _ present: Set<String>) throws -> DataFrame {
            let all = plan.output.map { ($0.name, $0.type) } + extra.map { ($0.name, $0.type) }
            return try frame.select(all.map { name, type in
                present.contains(name.lowercased()) ? col(name) : Column(.alias(.literal(.null, type), name: name))
            })
        }
        return try side(self, mine).union(try side(other, otherNames))
    }

    /// `fillna(value)` / `na.fill`: nulls of the columns of the value's kind (numbers for a number,
    /// strings for a string, booleans for a boolean) replaced by it.
    public func fillna(_ value: Scalar, subset: [String] = []) throws -> DataFrame {
        let chosen = Set(subset.map { $0.lowercased() })
        return try select(plan.output.map { a in
            let fits: Bool
            switch value {
            case .int, .double, .decimal: fits = a.type.isNumeric
            case .string: fits = a.type == .string
            case .boolean: fits = a.type == .boolean
            default: fits = false
            }
            guard fits, chosen.isEmpty || chosen.contains(a.name.lowercased()) else { return Column(.attribute(a)) }
            let filler = Expr.cast(.literal(value, value.isNull ? .null : Self.literalType(value)), a.type)
            return Column(.alias(.call(name: "coalesce", args: [.attribute(a), filler], distinct: false), name: a.name))
        })
    }

    /// `dropna(how:)` / `na.drop`: rows with any null (`"any"`) or only nulls (`"all"`) in `subset`
    /// (every column when empty) left out.
    public func dropna(how: String = "any", subset: [String] = []) throws -> DataFrame {
        let chosen = Set(subset.map { $0.lowercased() })
        let checked = plan.output.filter { chosen.isEmpty || chosen.contains($0.name.lowercased()) }
        guard !checked.isEmpty else { return self }
        let notNull = checked.map { Expr.isNull(.attribute($0), negated: true) }
        let condition: Expr
        switch how.lowercased() {
        case "any": condition = notNull.dropFirst().reduce(notNull[0]) { .binary(.and, $0, $1) }
        case "all": condition = notNull.dropFirst().reduce(notNull[0]) { .binary(.or, $0, $1) }
        default: throw EngineError.analysis("dropna: how must be 'any' or 'all', not '\(how)'", position: nil)
        }
        return try filter(Column(condition))
    }

    /// `describe(cols…)`: count, mean, stddev, min and max of the named columns (every numeric and
    /// string column when none is named), as strings, one row per statistic under `summary`; mean
    /// and stddev are null for strings. The statistics are computed now, in one aggregate.
    public func describe(_ cols: String...) throws -> DataFrame {
        let chosen = try cols.isEmpty ? plan.output.filter { $0.type.isNumeric || $0.type == .string } : cols.map { name in
            guard let a = plan.output.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw EngineError.analysis("[UNRESOLVED_COLUMN] describe: no column `\(name)`", position: nil)
            }
            return a
        }
        let statistics = ["count", "mean", "stddev", "min", "max"]
        var aggregates: [Expr] = []
        for a in chosen {
            for statistic in statistics {
                let function = statistic == "mean" ? "avg" : statistic
                let value: Expr = (statistic == "mean" || statistic == "stddev") && !a.type.isNumeric
                    ? .literal(.null, .string) : .cast(.call(name: function, args: [.attribute(a)], distinct: false), .string)
                aggregates.append(.alias(value, name: "\(statistic)_\(aggregates.count)"))
            }
        }
        let values = try DataFrame(session: session, plan: .aggregate(groupBy: [], aggregates: aggregates, plan)).collect().first?.values ?? []
        let rows: [[Scalar]] = statistics.indices.map { s in
            [.string(statistics[s])] + chosen.indices.map { c in
                let i = c * statistics.count + s
                return i < values.count ? values[i] : .null
            }
        }
        return try session.createDataFrame(rows, schema: Schema([Field("summary", .string)] + chosen.map { Field($0.name, .string) }))
    }

    private static func literalType(_ v: Scalar) -> DataType {
        switch v {
        case .int: return .int64
        case .double: return .float64
        case let .decimal(d): return .decimal(precision: DataType.decimalPrecisionMax, scale: d.scale)
        case .string: return .string
        case .boolean: return .boolean
        default: return .null
        }
    }
}
