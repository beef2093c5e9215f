import Engine

// Lateral column aliases: `SELECT price * qty AS total, total * 0.1 AS tax`.

extension SQLPlanner {
    /// A select item may name an alias given by an item before it, when no column of the FROM
    /// relation has that name (Spark 3.4+): the reference reads the aliased expression.
    func resolvingLateralAliases(_ items: [Expr], over source: LogicalPlan) throws -> [Expr] {
        var aliases: [String: Expr] = [:]
        var candidates = false
        for item in items {
            if !aliases.isEmpty, item.contains(where: { Self.firstName($0).map { aliases[$0] != nil } ?? false }) {
                candidates = true
                break
            }
            if case let .alias(inner, name, _) = item { aliases[name.lowercased()] = inner }
        }
        guard candidates else { return items }
        // Only now is it worth resolving the source to learn its column names.
        let output = try resolveEagerly(source).output
        // Names a reference could mean before an alias: columns, and table names qualifying them.
        let taken = Set(output.map { $0.name.lowercased() } + output.flatMap { $0.qualifier.map { $0.lowercased() } })
        aliases = [:]
        return items.map { item in
            let rewritten = item.transformUp { x in
                guard case let .column(n) = x, let first = Self.firstName(x), !taken.contains(first),
                      let e = aliases[first] else { return nil }
                // `s.f` on an aliased struct reads its field.
                return n.parts.dropFirst().reduce(e) { base, field in
                    .call(name: "__getfield", args: [base, .string(field)], distinct: false)
                }
            }
            let aliased: Bool
            if case .alias = item { aliased = true } else { aliased = false }
            // A rewritten column keeps the name it was written with, as in Spark.
            let named = rewritten == item || aliased ? rewritten : .alias(rewritten, name: item.prettyName)
            if case let .alias(inner, name, _) = named { aliases[name.lowercased()] = inner }
            return named
        }
    }

    /// The lower-cased first part of a column reference.
    private static func firstName(_ e: Expr) -> String? {
        guard case let .column(n) = e, let first = n.parts.first else { return nil }
        return first.lowercased()
    }
}
